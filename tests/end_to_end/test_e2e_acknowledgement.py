"""The acknowledgement as a fact, from Slack's side: the reporter's confirmation carries
**Acknowledgement sent**; the button, its modal and `/complaint acknowledged` record it; until then
the reporter, then the triage channel, are reminded once each through the sweep."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from bot import access
from bot.core import ids
from bot.reminders.sweep import sweep
from storage.models import Complaint, Event, Notification
from tests.e2e import command_answer, find_element, log_one, validate_message, validate_view

ACK_KINDS = ("acknowledgement-due", "acknowledgement-overdue")


def complaint(ctx) -> Complaint:
    with ctx.session_factory() as s:
        return s.execute(select(Complaint)).scalar_one()


def ack_sent(report) -> list[tuple[str, str]]:
    return sorted((d.kind, d.channel) for d in report.sent if d.kind in ACK_KINDS)


def acknowledgement_events(ctx) -> list[Event]:
    with ctx.session_factory() as s:
        return list(s.execute(select(Event).where(Event.kind == "acknowledgement_sent")).scalars())


def test_reminded_once_each_then_the_button_records_it_and_the_confirmation_says_so(live, slack_double):
    bot, slack, ctx = live
    _, posts = log_one(slack, slack_double)  # Mon 23 Nov 2026 09:30 UTC (= London)
    bot.wait_idle()
    confirmation = next(p for p in posts if p.params["channel"] == "UREPORTER")
    validate_message(confirmation.params["blocks"])
    find_element(confirmation.params["blocks"], ids.ACTION_ACKNOWLEDGEMENT_SENT)
    assert "press *Acknowledgement sent* once it has gone" in str(confirmation.params["blocks"])
    assert complaint(ctx).acknowledged_at is None

    # The end of the next working day: Tue 24 Nov 2026, 17:30 GMT.
    ctx.clock.set(datetime(2026, 11, 24, 17, 29, tzinfo=UTC))
    assert ack_sent(sweep(ctx)) == []
    ctx.clock.set(datetime(2026, 11, 24, 17, 30, tzinfo=UTC))
    assert ack_sent(sweep(ctx)) == [("acknowledgement-due", "UREPORTER")]
    reminder = slack_double.calls_to("chat.postMessage")[-1]
    assert reminder.params["channel"] == "UREPORTER"
    validate_message(reminder.params["blocks"])
    assert ack_sent(sweep(ctx)) == []
    # The next working morning, Wed 25 Nov 09:00: the triage channel.
    ctx.clock.set(datetime(2026, 11, 25, 8, 59, tzinfo=UTC))
    assert ack_sent(sweep(ctx)) == []
    ctx.clock.set(datetime(2026, 11, 25, 9, 0, tzinfo=UTC))
    assert ack_sent(sweep(ctx)) == [("acknowledgement-overdue", "CTRIAGE01")]
    assert ack_sent(sweep(ctx)) == []

    # The reporter presses the button on the reminder, and records a letter sent yesterday.
    opened = len(slack_double.calls_to("views.open"))
    r = slack.click(reminder.params["blocks"], ids.ACTION_ACKNOWLEDGEMENT_SENT, user="UREPORTER", channel="DUREPORTER")
    assert r.status == 200
    view = slack_double.wait_for("views.open", opened + 1)[-1].response["view"]
    assert view["callback_id"] == ids.VIEW_ACKNOWLEDGEMENT_SENT
    validate_view(view)
    F = ids.AcknowledgementField
    tomorrow = slack.submit(view, {F.DATE: "2026-11-26", F.VIA: "letter"}, user="UREPORTER")
    assert set(tomorrow.json()["errors"]) == {F.DATE}
    assert complaint(ctx).acknowledged_at is None
    updates = len(slack_double.calls_to("chat.update"))
    r = slack.submit(view, {F.DATE: "2026-11-24", F.VIA: "letter"}, user="UREPORTER")
    assert r.status == 200 and r.body == "", r.body
    bot.wait_idle()
    c = complaint(ctx)
    # Sent Tue 24 Nov, recorded Wed 25 Nov at 09:00: taken as 24 Nov at 09:00.
    assert c.acknowledged_at == datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
    assert (c.acknowledged_via, c.acknowledged_by) == ("letter", "UREPORTER")
    [event] = acknowledgement_events(ctx)
    assert event.actor == "UREPORTER" and event.data == {"sent_on": "2026-11-24", "via": "letter"}

    # The confirmation DM is edited: the button gives way to what was recorded.
    edit = slack_double.wait_for("chat.update", updates + 1)[-1]
    assert edit.params["ts"] == confirmation.response["ts"]
    validate_message(edit.params["blocks"])
    assert ids.ACTION_ACKNOWLEDGEMENT_SENT not in str(edit.params["blocks"])
    assert "Acknowledgement sent by letter on 24 Nov 2026, recorded by <@UREPORTER>." in str(edit.params["blocks"])

    # A second submission of the same modal records nothing more.
    again = slack.submit(view, {F.DATE: "2026-11-25", F.VIA: "email"}, user="UREPORTER")
    assert "already on record" in str(again.json()["errors"])
    assert len(acknowledgement_events(ctx)) == 1 and complaint(ctx).acknowledged_via == "letter"
    ctx.clock.advance(days=7)
    assert ack_sent(sweep(ctx)) == []
    shown = command_answer(slack, slack_double, f"show {c.reference}", user="ULEAD")
    assert "acknowledgement sent to the client on 2026-11-24 by letter, recorded by <@UREPORTER>" in str(
        shown["blocks"]
    )


def test_the_command_records_it_in_time_and_no_reminder_follows(live, slack_double):
    bot, slack, ctx = live
    log_one(slack, slack_double)
    bot.wait_idle()
    ref = complaint(ctx).reference
    answer = command_answer(slack, slack_double, f"acknowledged {ref} in-person")
    assert "Acknowledgement sent in person on 23 Nov 2026, recorded by <@UREPORTER>. Its reminders stop." in str(
        answer["blocks"]
    )
    c = complaint(ctx)
    assert c.acknowledged_at == ctx.clock.now() and c.acknowledged_via == "in_person"
    for when in (datetime(2026, 11, 24, 17, 30, tzinfo=UTC), datetime(2026, 11, 25, 9, 0, tzinfo=UTC)):
        ctx.clock.set(when)
        assert ack_sent(sweep(ctx)) == []
    with ctx.session_factory() as s:
        kinds = s.execute(select(Notification.kind).where(Notification.kind.in_(ACK_KINDS))).scalars().all()
    assert kinds == []
    repeated = command_answer(slack, slack_double, f"acknowledged {ref} email")
    assert "already on record" in str(repeated["blocks"])
    assert len(acknowledgement_events(ctx)) == 1


def test_the_command_refuses_outsiders_and_bad_words_and_opens_the_modal_without_a_how(live, slack_double):
    bot, slack, ctx = live
    log_one(slack, slack_double)
    bot.wait_idle()
    ref = complaint(ctx).reference
    refused = command_answer(slack, slack_double, f"acknowledged {ref} email", user="UOUTSIDER")
    assert access.REFUSAL in str(refused["blocks"])
    unknown = command_answer(slack, slack_double, f"acknowledged {ref} pigeon")
    assert "Say how it was sent: `email`, `letter`, `phone`, `in-person`" in str(unknown["blocks"])
    assert complaint(ctx).acknowledged_at is None and acknowledgement_events(ctx) == []
    opened = len(slack_double.calls_to("views.open"))
    assert slack.command(f"acknowledged {ref}", user="ULEAD").status == 200
    view = slack_double.wait_for("views.open", opened + 1)[-1].response["view"]
    assert view["callback_id"] == ids.VIEW_ACKNOWLEDGEMENT_SENT
    validate_view(view)
    r = slack.submit(
        view, {ids.AcknowledgementField.DATE: "2026-11-23", ids.AcknowledgementField.VIA: "phone"}, user="ULEAD"
    )
    assert r.body == ""
    bot.wait_idle()
    assert complaint(ctx).acknowledged_by == "ULEAD"
