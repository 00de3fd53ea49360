"""Business-hours triage (TRIAGE_CLOCK=business-hours, WORKING_HOURS 09:00–17:30) from Slack's side:
a complaint logged on a Friday at 17:00 is warned about and escalated at the working-hours times,
never before, once each, and every message that states its deadline says how it was counted.

Worked by hand (London is on GMT = UTC in December; England & Wales business days): logged Fri
4 Dec 2026 17:00: 0.5 h to Friday's 17:30; Mon 7 Dec 8.5 h (9.0); Tue 8 Dec 8.5 h (17.5); so the
20-hour warning is Wed 9 Dec 11:30 (2.5 h more) and the 24-hour deadline Wed 9 Dec 15:30 (6.5 h
more). Clock hours would have said Sat 5 Dec 13:00 and 17:00.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from bot.reminders.policy import TriageClock
from bot.reminders.sweep import sweep
from storage.models import Complaint
from tests.conftest import serve_live
from tests.e2e import command_answer, log_one, validate_message
from tests.sweeping import rows

LOGGED = datetime(2026, 12, 4, 17, 0, tzinfo=UTC)
WARNING = datetime(2026, 12, 9, 11, 30, tzinfo=UTC)
DEADLINE = datetime(2026, 12, 9, 15, 30, tzinfo=UTC)
BASIS = "24 working hours, 09:00–17:30 Europe/London on business days, England & Wales bank holidays"
# The deadline as Slack shows it: each reader's own zone, the firm's in the fallback; then its basis.
STATED = f"<!date^{int(DEADLINE.timestamp())}^{{date_short_pretty}} {{time}}|09 Dec 2026 15:30 GMT> ({BASIS})"


@pytest.fixture
def business_live(db_url, engine, session_factory, clock, slack_double):
    clock.set(LOGGED)
    with serve_live(
        db_url, engine, session_factory, clock, slack_double, triage_clock=TriageClock.BUSINESS_HOURS
    ) as served:
        yield served


def at(ctx, *when: int) -> list[str]:
    """Move the injected clock to `when` (UTC) and sweep: the kinds sent."""
    ctx.clock.set(datetime(*when, tzinfo=UTC))
    return [d.kind for d in sweep(ctx).sent]


def last_post(double, count: int):
    post = double.wait_for("chat.postMessage", count)[-1]
    validate_message(post.params["blocks"])
    return post


def test_business_hours_triage_from_friday_17_00(business_live, slack_double):
    bot, slack, ctx = business_live
    _, posts = log_one(slack, slack_double)
    bot.wait_idle()
    alert = next(p for p in posts if p.params["channel"] == "CTRIAGE01")
    confirmation = next(p for p in posts if p.params["channel"] == "UREPORTER")
    for p in (alert, confirmation):
        validate_message(p.params["blocks"])
    assert f"triage due by {STATED}" in alert.params["blocks"][0]["text"]["text"]
    assert f"The complaints team assesses it by {STATED} and names a handler." in str(confirmation.params["blocks"])
    assert confirmation.params["text"] == f"Complaint CMP-2026-0001 is logged. Triage is due by {STATED}."
    with ctx.session_factory() as s:
        stored = s.execute(select(Complaint)).scalar_one()
    assert stored.triage_due_at.replace(tzinfo=UTC) == DEADLINE

    # The open list names the count beside the deadlines it lists.
    listed = command_answer(slack, slack_double, "list", user="ULEAD")
    assert f"triage due {STATED.removesuffix(f' ({BASIS})')}" in str(listed["blocks"])
    assert f"Triage deadlines are counted in {BASIS}." in str(listed["blocks"])

    # The reporter sends the acknowledgement at once, so only the triage clocks remain to run.
    command_answer(slack, slack_double, "acknowledged CMP-2026-0001 email", user="UREPORTER")
    bot.wait_idle()

    posted = len(slack_double.calls_to("chat.postMessage"))
    # Sat 5 Dec 17:00, when clock hours would have escalated: nothing.
    assert at(ctx, 2026, 12, 5, 17, 0) == []
    # Tue 8 Dec 09:00: only the first contact the acknowledgement promised (2 working days on).
    assert at(ctx, 2026, 12, 8, 9, 0) == ["first-contact-due"]
    posted += 1

    # The warning: not a second early, at 11:30, and once.
    assert at(ctx, 2026, 12, 9, 11, 29, 59) == []
    assert at(ctx, 2026, 12, 9, 11, 30) == ["triage-warning"]
    warning = last_post(slack_double, posted + 1)
    posted += 1
    assert warning.params["channel"] == "CTRIAGE01"
    assert f"still needs triage: due by {STATED}." in warning.params["blocks"][0]["text"]["text"]
    assert at(ctx, 2026, 12, 9, 11, 30) == []

    # The escalation: not before 15:30, at 15:30, and once that day.
    assert at(ctx, 2026, 12, 9, 15, 29, 59) == []
    assert at(ctx, 2026, 12, 9, 15, 30) == ["triage-breach"]
    breach = last_post(slack_double, posted + 1)
    posted += 1
    assert breach.params["channel"] == "CTRIAGE01"
    assert f"was not triaged within the deadline of {STATED}." in breach.params["blocks"][0]["text"]["text"]
    assert at(ctx, 2026, 12, 9, 17, 0) == []

    # It repeats at 15:30 on business days only: Thu 10 Dec, Fri 11 Dec, then Mon 14 Dec.
    assert at(ctx, 2026, 12, 10, 15, 30) == ["triage-breach"]
    assert at(ctx, 2026, 12, 11, 15, 30) == ["triage-breach"]
    assert at(ctx, 2026, 12, 12, 15, 30) == []  # Saturday
    assert at(ctx, 2026, 12, 13, 15, 30) == []  # Sunday
    assert at(ctx, 2026, 12, 14, 15, 29, 59) == []
    assert at(ctx, 2026, 12, 14, 15, 30) == ["triage-breach"]
    assert len(slack_double.calls_to("chat.postMessage")) == posted + 3
    assert [n.dedupe_key for n in rows(ctx, kind="triage-breach")] == [
        f"triage-breach:CMP-2026-0001:2026-12-{d}" for d in ("09", "10", "11", "14")
    ]
