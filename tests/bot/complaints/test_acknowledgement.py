"""The acknowledgement as a fact: blank until someone records it as sent (how and when); until
then, at the end of the next working day the reporter is reminded, and the next working morning
the triage channel; each once, and neither once it is recorded."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from bot import access
from bot.complaints import requests as complaint_requests
from bot.complaints.inputs import AcknowledgementInput
from bot.core.errors import FieldErrors, UserError
from bot.core.ids import AcknowledgementField
from bot.core.vocabulary import AcknowledgedVia
from bot.reminders.policy import ComplaintFacts, ReminderKind, SlaPolicy
from bot.reminders.sweep import sweep
from bot.rulebooks.calendar import BusinessCalendar
from handlers.modals.acknowledgement import acknowledgement_modal, parse_acknowledgement
from storage.models import Notification
from tests.e2e import validate_message, validate_view
from tests.factories import acknowledge, events, log, resolve, stored, triage

REF = "CMP-2026-0042"
POLICY = SlaPolicy(calendar=BusinessCalendar.named("england-and-wales"))
ACK_KINDS = {ReminderKind.ACKNOWLEDGEMENT_DUE, ReminderKind.ACKNOWLEDGEMENT_OVERDUE}


def facts(logged_at: datetime, **overrides) -> ComplaintFacts:
    values = dict(
        reference=REF,
        status="triaged",
        logged_at=logged_at,
        received_on=logged_at.date(),
        acknowledged=False,
    )
    values.update(overrides)
    return ComplaintFacts(**values)


def acknowledgement_reminders(f: ComplaintFacts, now: datetime) -> list[tuple[str, str]]:
    return sorted((r.kind.value, r.key) for r in POLICY.due(f, now) if r.kind in ACK_KINDS)


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.mark.parametrize(
    ("logged_at", "reporter_at", "channel_at"),
    [
        # Mon 23 Nov 2026 09:30 GMT: the next working day is Tue 24 Nov, its end 17:30 GMT (= UTC);
        # the morning after, Wed 25 Nov 09:00.
        (utc(2026, 11, 23, 9, 30), utc(2026, 11, 24, 17, 30), utc(2026, 11, 25, 9, 0)),
        # Fri 4 Dec 2026 16:00: next working day Mon 7 Dec; then Tue 8 Dec.
        (utc(2026, 12, 4, 16, 0), utc(2026, 12, 7, 17, 30), utc(2026, 12, 8, 9, 0)),
        # Sat 5 Dec 2026: the next working day after a Saturday is Monday 7 Dec; then Tue 8 Dec.
        (utc(2026, 12, 5, 11, 0), utc(2026, 12, 7, 17, 30), utc(2026, 12, 8, 9, 0)),
        # Thu 24 Dec 2026: Fri 25 (Christmas) and Mon 28 Dec (Boxing Day substitute) are bank
        # holidays, so Tue 29 Dec; then Wed 30 Dec.
        (utc(2026, 12, 24, 11, 0), utc(2026, 12, 29, 17, 30), utc(2026, 12, 30, 9, 0)),
        # Fri 27 Mar 2026; the clocks go forward on Sun 29 Mar: Mon 30 Mar 17:30 BST = 16:30 UTC,
        # Tue 31 Mar 09:00 BST = 08:00 UTC.
        (utc(2026, 3, 27, 10, 0), utc(2026, 3, 30, 16, 30), utc(2026, 3, 31, 8, 0)),
        # Mon 30 Mar 2026 23:30 UTC is 00:30 BST on Tue 31 Mar, the day it was logged in London:
        # next working day Wed 1 Apr, 17:30 BST = 16:30 UTC; then Thu 2 Apr 09:00 BST = 08:00 UTC.
        (utc(2026, 3, 30, 23, 30), utc(2026, 4, 1, 16, 30), utc(2026, 4, 2, 8, 0)),
    ],
)
def test_the_reporter_at_the_end_of_the_next_working_day_then_the_channel_the_morning_after(
    logged_at, reporter_at, channel_at
):
    f = facts(logged_at)
    due = ("acknowledgement-due", f"acknowledgement-due:{REF}")
    overdue = ("acknowledgement-overdue", f"acknowledgement-overdue:{REF}")
    assert acknowledgement_reminders(f, datetime.fromtimestamp(reporter_at.timestamp() - 1, UTC)) == []
    assert acknowledgement_reminders(f, reporter_at) == [due]
    assert acknowledgement_reminders(f, datetime.fromtimestamp(channel_at.timestamp() - 1, UTC)) == [due]
    assert acknowledgement_reminders(f, channel_at) == [due, overdue]
    # Each keeps its one key for ever after: a catch-up after downtime sends each once.
    assert acknowledgement_reminders(f, utc(2027, 6, 1, 12, 0)) == [due, overdue]
    # The sweep looks again exactly then (nothing else is due first for these facts).
    assert POLICY.next_check_at(f, logged_at) == reporter_at
    assert POLICY.next_check_at(f, reporter_at) == channel_at
    # The first goes to the reporter, the second to the triage channel.
    by_kind = {r.kind: r for r in POLICY.due(f, channel_at)}
    first, second = by_kind[ReminderKind.ACKNOWLEDGEMENT_DUE], by_kind[ReminderKind.ACKNOWLEDGEMENT_OVERDUE]
    assert (first.to_reporter, first.to_channel, second.to_reporter, second.to_channel) == (True, False, False, True)


@pytest.mark.parametrize("acknowledged", [True, None])
def test_none_once_recorded_or_when_not_known(acknowledged):
    f = facts(utc(2026, 11, 23, 9, 30), acknowledged=acknowledged)
    assert acknowledgement_reminders(f, utc(2026, 12, 1, 9, 0)) == []


def test_none_for_a_resolved_complaint():
    f = facts(utc(2026, 11, 23, 9, 30), status="resolved")
    assert acknowledgement_reminders(f, utc(2026, 12, 1, 9, 0)) == []


# --- the service and the sweep -------------------------------------------------------------------


def ack_rows(ctx) -> list[Notification]:
    with ctx.session_factory() as s:
        kinds = [k.value for k in ACK_KINDS]
        return list(s.execute(select(Notification).where(Notification.kind.in_(kinds))).scalars())


def ack_sent(report) -> list[tuple[str, str]]:
    return sorted((d.kind, d.channel) for d in report.sent if d.kind in {k.value for k in ACK_KINDS})


def test_blank_until_recorded_then_how_when_and_who_with_an_event(ctx):
    c = log(ctx)  # Mon 23 Nov 2026 09:30 UTC
    assert (c.acknowledged_at, c.acknowledged_via, c.acknowledged_by) == (None, None, None)
    ctx.clock.set(utc(2026, 11, 24, 14, 0))
    acknowledge(ctx, c.reference, via=AcknowledgedVia.LETTER, sent_on=date(2026, 11, 23), actor="UHANDLER1")
    after = stored(ctx, c.reference)
    # Sent the day before: taken as that day at this hour of the firm's day.
    assert after.acknowledged_at == utc(2026, 11, 23, 14, 0)
    assert (after.acknowledged_via, after.acknowledged_by) == ("letter", "UHANDLER1")
    [event] = [e for e in events(ctx, c.reference) if e.kind == "acknowledgement_sent"]
    assert (event.actor, event.data) == ("UHANDLER1", {"sent_on": "2026-11-23", "via": "letter"})


def test_recorded_once_and_never_before_the_complaint_was_received(ctx):
    c = log(ctx, received_on="2026-11-20")
    with pytest.raises(FieldErrors) as e:
        acknowledge(ctx, c.reference, sent_on=date(2026, 11, 19))
    assert "received on 20 Nov 2026" in e.value.errors[AcknowledgementField.DATE]
    assert stored(ctx, c.reference).acknowledged_at is None
    acknowledge(ctx, c.reference)
    with pytest.raises(UserError, match=r"already on record\. Acknowledgement sent by email on 23 Nov 2026"):
        acknowledge(ctx, c.reference, via=AcknowledgedVia.PHONE)
    assert stored(ctx, c.reference).acknowledged_via == "email"
    assert [e.kind for e in events(ctx, c.reference)].count("acknowledgement_sent") == 1


def test_the_sweep_reminds_the_reporter_then_the_channel_once_each(ctx, notifier):
    c = log(ctx)
    ctx.deliver()
    ctx.clock.set(utc(2026, 11, 24, 17, 29))
    assert ack_sent(sweep(ctx)) == []
    ctx.clock.set(utc(2026, 11, 24, 17, 30))
    assert ack_sent(sweep(ctx)) == [("acknowledgement-due", "UREPORTER")]
    reminder = notifier.sent[-1]
    assert c.reference in reminder.text and "not recorded as sent" in reminder.text
    validate_message(reminder.blocks)
    assert ack_sent(sweep(ctx)) == []
    ctx.clock.set(utc(2026, 11, 25, 9, 0))
    assert ack_sent(sweep(ctx)) == [("acknowledgement-overdue", "CTRIAGE01")]
    [escalation] = [s for s in notifier.to("CTRIAGE01") if s.text.startswith(":envelope:")]
    assert f"{c.reference} (Jane Client), logged by <@UREPORTER> on 23 Nov 2026, is still not recorded" in (
        escalation.text
    )
    validate_message(escalation.blocks)
    ctx.clock.advance(days=10)
    assert ack_sent(sweep(ctx)) == []
    assert len(ack_rows(ctx)) == 2


def test_recorded_in_time_no_reminder_and_a_waiting_one_is_cancelled(ctx, notifier):
    from bot.outbox.notifier import SendFailed

    quiet = log(ctx)
    acknowledge(ctx, quiet.reference)
    triage(ctx, quiet.reference)
    ctx.clock.advance(minutes=1)
    late = log(ctx)
    triage(ctx, late.reference)  # so no triage reminder is the send that fails
    ctx.deliver()
    ctx.clock.set(utc(2026, 11, 24, 17, 30))
    notifier.fail_next(SendFailed("Slack answered 500"))
    sweep(ctx)  # the late one's reminder is recorded; its send failed, so it waits for a retry
    [waiting] = ack_rows(ctx)
    assert waiting.sent_at is None and waiting.dedupe_key == f"acknowledgement-due:{late.reference}"
    acknowledge(ctx, late.reference)
    ctx.clock.advance(days=2)
    assert ack_sent(sweep(ctx)) == []
    [row] = ack_rows(ctx)
    assert row.sent_at is None and row.cancelled_at is not None


def test_recorded_after_resolution_it_plans_no_reminders(ctx):
    c = log(ctx)
    resolve(ctx, c.reference)
    acknowledge(ctx, c.reference)
    after = stored(ctx, c.reference)
    assert after.acknowledged_at is not None and after.next_reminder_at is None


def test_the_reporter_the_handler_and_the_team_may_record_it_anyone_else_is_refused(ctx):
    c = log(ctx)
    data = AcknowledgementInput(sent_on=ctx.today(), via=AcknowledgedVia.EMAIL)
    with pytest.raises(access.Refused):
        complaint_requests.record_acknowledgement(
            ctx, viewer=access.Viewer("UOUTSIDER", team=False), reference=c.reference, data=data
        )
    assert stored(ctx, c.reference).acknowledged_at is None
    changed = complaint_requests.record_acknowledgement(
        ctx, viewer=access.Viewer("UREPORTER", team=False), reference=c.reference, data=data
    )
    assert changed.complaint.acknowledged_by == "UREPORTER"


def test_the_modal_and_its_field_errors(ctx):
    c = log(ctx)
    view = acknowledgement_modal(c, today=ctx.today())
    validate_view(view)
    F = AcknowledgementField
    values = {F.DATE: "2026-11-24", F.VIA: None}  # tomorrow, and no choice
    with pytest.raises(FieldErrors) as e:
        parse_acknowledgement(values, today=ctx.today())
    assert set(e.value.errors) == {F.DATE, F.VIA}
    ok = {F.DATE: "2026-11-23", F.VIA: "in_person"}
    assert parse_acknowledgement(ok, today=ctx.today()) == AcknowledgementInput(
        sent_on=date(2026, 11, 23), via=AcknowledgedVia.IN_PERSON
    )
