"""Reminders from Slack's side: nudge → button → modal → submit → clock reset, and Slack failing."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.core import ids
from bot.reminders.sweep import sweep
from storage.models import Complaint, Event
from tests.e2e import log_one, validate_message, validate_view
from tests.factories import send_first_contact_reminders
from tests.fakes import triage_values


def log_and_triage(bot, slack, double, ctx, severity="high"):
    _, posts = log_one(slack, double)
    alert = next(p for p in posts if p.params["channel"] == "CTRIAGE01")
    slack.click(alert.params["blocks"], ids.ACTION_TRIAGE, user="ULEAD", ts=alert.response["ts"])
    view = double.wait_for("views.open", 2)[-1].response["view"]
    assert slack.submit(view, triage_values(severity=severity), user="ULEAD").body == ""
    double.wait_for("chat.update")
    double.wait_for("chat.postMessage", 3)
    bot.wait_idle()
    with ctx.session_factory() as s:
        return s.execute(select(Complaint)).scalar_one()


def nudge_of(double, before: int):
    posts = double.wait_for("chat.postMessage", before + 1)
    nudge = posts[-1]
    assert nudge.params["channel"] == "UHANDLER1"
    validate_message(nudge.params["blocks"])
    return nudge


def complaint(ctx) -> Complaint:
    with ctx.session_factory() as s:
        return s.execute(select(Complaint)).scalar_one()


def test_nudge_button_modal_submit_resets_the_update_clock(live, slack_double):
    bot, slack, ctx = live
    c = log_and_triage(bot, slack, slack_double, ctx)
    assert c.next_update_due_at == ctx.clock.now() + timedelta(days=5)
    send_first_contact_reminders(ctx)
    posted = len(slack_double.calls_to("chat.postMessage"))

    ctx.clock.advance(days=3)
    assert [d.kind for d in sweep(ctx).sent] == ["update-due"]
    nudge = nudge_of(slack_double, posted)

    ctx.clock.advance(hours=2)
    assert (
        slack.click(nudge.params["blocks"], ids.ACTION_LOG_UPDATE, user="UHANDLER1", channel="DUHANDLER1").status == 200
    )
    opened = slack_double.wait_for("views.open", 3)[-1].response["view"]
    assert opened["callback_id"] == ids.VIEW_CLIENT_UPDATE
    validate_view(opened)

    # bad input stays in the modal
    r = slack.submit(
        opened, {"update_date": ctx.today().isoformat(), "update_via": "phone", "told": ""}, user="UHANDLER1"
    )
    assert set(r.json()["errors"]) == {"told"}

    r = slack.submit(
        opened,
        {
            "update_date": ctx.today().isoformat(),
            "update_via": "phone",
            "told": "Completion is booked for Friday.",
            "next_step": "Confirm on Thursday",
        },
        user="UHANDLER1",
    )
    assert r.status == 200 and r.body == ""
    bot.wait_idle()
    c = complaint(ctx)
    assert c.last_client_update_at == ctx.clock.now()
    assert c.next_update_due_at == ctx.clock.now() + timedelta(days=5)

    ctx.clock.advance(days=4, hours=23)
    assert sweep(ctx).sent == []  # the clock was reset: no nudge at the old cadence
    ctx.clock.advance(hours=1)
    assert [d.kind for d in sweep(ctx).sent] == ["update-due"]
    with ctx.session_factory() as s:
        update = s.execute(select(Event).where(Event.kind == "client_update")).scalar_one()
    assert update.actor == "UHANDLER1" and update.data["told"] == "Completion is booked for Friday."


def test_snooze_and_resolve_buttons(live, slack_double):
    bot, slack, ctx = live
    log_and_triage(bot, slack, slack_double, ctx)
    posted = len(slack_double.calls_to("chat.postMessage"))
    ctx.clock.advance(days=5)
    sweep(ctx)
    nudge = nudge_of(slack_double, posted)

    slack.click(nudge.params["blocks"], ids.ACTION_SNOOZE, user="UHANDLER1")
    snooze_view = slack_double.wait_for("views.open", 3)[-1].response["view"]
    validate_view(snooze_view)
    assert slack.submit(snooze_view, {"snooze_days": "1", "reason": "Client travelling"}, user="UHANDLER1").body == ""
    bot.wait_idle()
    assert complaint(ctx).snoozed_until == ctx.clock.now() + timedelta(days=1)

    slack.click(nudge.params["blocks"], ids.ACTION_RESOLVE, user="UHANDLER1")
    resolve_view = slack_double.wait_for("views.open", 4)[-1].response["view"]
    validate_view(resolve_view)
    values = {
        "outcome": "partly_upheld",
        "remedy": "Fee reduced by £250",
        "final_response_sent_on": ctx.today().isoformat(),
        "ombudsman": "available,contact",
        "root_cause": "communication",
    }
    r = slack.submit(resolve_view, values, user="UHANDLER1")
    assert "ombudsman" in r.json()["errors"]  # the six-month warning was not ticked
    r = slack.submit(resolve_view, {**values, "ombudsman": "available,contact,six_months"}, user="UHANDLER1")
    # The modal becomes the final response to send.
    assert r.json()["response_action"] == "update"
    validate_view(r.json()["view"])
    bot.wait_idle()
    c = complaint(ctx)
    assert c.status == "resolved" and c.ombudsman_rights_given is True and c.outcome == "partly_upheld"
    update = slack_double.wait_for("chat.update", 2)[-1]
    assert "resolved" in update.params["text"].lower()
    validate_message(update.params["blocks"])
    assert ids.ACTION_TRIAGE not in str(update.params["blocks"])  # a resolved alert has no Triage button

    ctx.clock.advance(days=30)
    assert [d for d in sweep(ctx).sent if d.kind.startswith(("update", "final"))] == []


def test_complaint_resolve_and_reopen_commands(live, slack_double):
    from tests.e2e import command_answer

    bot, slack, ctx = live
    log_and_triage(bot, slack, slack_double, ctx)
    opened_before = len(slack_double.calls_to("views.open"))
    assert slack.command("resolve CMP-2026-0001", user="UHANDLER1").status == 200
    view = slack_double.wait_for("views.open", opened_before + 1)[-1].response["view"]
    assert view["callback_id"] == ids.VIEW_RESOLVE
    slack.submit(
        view,
        {"outcome": "withdrawn", "final_response_sent_on": ctx.today().isoformat(), "root_cause": "delay"},
        user="UHANDLER1",
    )
    bot.wait_idle()
    assert complaint(ctx).status == "resolved"
    # The reporter may read the complaint but not reopen it; its handler may.
    assert "can't share that" in str(command_answer(slack, slack_double, "reopen CMP-2026-0001")["blocks"])
    assert complaint(ctx).status == "resolved"
    assert "open again" in str(command_answer(slack, slack_double, "reopen CMP-2026-0001", user="UHANDLER1")["blocks"])
    c = complaint(ctx)
    assert c.status == "triaged" and c.next_update_due_at == ctx.clock.now() + timedelta(days=5)
    assert "is not resolved" in str(
        command_answer(slack, slack_double, "reopen CMP-2026-0001", user="UHANDLER1")["blocks"]
    )
    assert "Say which complaint" in str(command_answer(slack, slack_double, "resolve")["blocks"])


def test_slack_answering_429_then_500_delivers_every_reminder_once(live, slack_double):
    bot, slack, ctx = live
    for _ in range(3):
        log_one(slack, slack_double)
        bot.wait_idle()
        slack_double.reset()
    ctx.clock.advance(hours=20)
    slack_double.fail(status=429, retry_after=90, count=2, methods={"chat.postMessage"})
    slack_double.fail(status=500, count=3, methods={"chat.postMessage"})
    for _ in range(40):  # sweeps every minute for 40 minutes while Slack recovers
        sweep(ctx)
        ctx.clock.advance(minutes=1)
    ok = [c for c in slack_double.calls_to("chat.postMessage") if c.ok]
    texts = [c.params["text"] for c in ok]
    assert len(ok) == 3, texts
    assert len(set(texts)) == 3 and all("still needs triage" in t for t in texts)
    assert sum(1 for c in slack_double.calls_to("chat.postMessage") if c.failed) == 5
