"""The days left a final-response warning states: counted from the day it goes out, for a complaint
logged late or a sweep after downtime."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from bot.reminders.policy import ComplaintFacts, ReminderKind, SlaPolicy
from bot.reminders.sweep import sweep
from storage.models import Complaint
from tests.sweeping import log, triage

# --- days left when a complaint is logged late ------------------------------------------------------

RECEIVED_LATE = date(2026, 10, 8)  # 6 weeks and 4 days before T0 (Monday 23 Nov 2026)
DUE_LATE = date(2026, 12, 3)  # 8 weeks after receipt: 10 days after T0


def test_a_late_logged_complaints_warning_says_the_real_days_left(ctx, notifier):
    ref = log(ctx, received_on=RECEIVED_LATE.isoformat())
    with ctx.session_factory() as s:
        assert s.execute(select(Complaint.final_response_due_on)).scalar_one() == DUE_LATE
    notifier.sent.clear()

    report = sweep(ctx)  # the 6-week warning fell due before the complaint was logged

    assert [d.dedupe_key for d in report.sent] == [f"final-warning:{ref}:14d"]
    [warning] = notifier.sent
    assert "in 10 days" in warning.text and "in 14 days" not in warning.text
    assert warning.channel == "CTRIAGE01"  # no handler yet
    # The 7-week warning falls due after logging, on its own day: 7 days left.
    ctx.clock.set(datetime(2026, 11, 26, 9, 0, tzinfo=UTC))
    triage(ctx, ref, target_date="2026-12-01")
    notifier.sent.clear()
    report = sweep(ctx)
    assert [d.dedupe_key for d in report.sent if d.kind == "final-warning"] == [f"final-warning:{ref}:7d"]
    [seven] = [s for s in notifier.sent if "final response" in s.text]
    assert "in 7 days" in seven.text and seven.channel == "UHANDLER1"


@pytest.mark.parametrize(
    "received_on, logged_on, key_days, days_left",
    [
        (date(2026, 10, 8), date(2026, 11, 23), 14, 10),  # logged 6.5 weeks in
        (date(2026, 9, 30), date(2026, 11, 23), 7, 2),  # logged with 2 days to go: the 7-day step, 2 left
        (date(2026, 11, 9), date(2026, 11, 23), None, None),  # logged in time: nothing yet
    ],
    ids=["6.5-weeks", "2-days-left", "in-time"],
)
def test_policy_days_left_for_a_late_complaint(received_on, logged_on, key_days, days_left):
    policy = SlaPolicy()
    logged_at = datetime.combine(logged_on, datetime.min.time(), tzinfo=UTC) + timedelta(hours=9, minutes=30)
    facts = ComplaintFacts(
        reference="CMP-2026-0001",
        status="new",
        logged_at=logged_at,
        received_on=received_on,
        final_response_due_on=policy.final_response_due_on(received_on),
    )
    finals = [r for r in policy.due(facts, logged_at) if r.kind == ReminderKind.FINAL_WARNING]
    if key_days is None:
        assert finals == []
        return
    [warning] = finals
    assert warning.key == f"final-warning:CMP-2026-0001:{key_days}d"
    assert warning.days_left == days_left == (facts.final_response_due_on - logged_on).days


# --- days left counted from the day the warning goes out ---------------------------------------------


def test_a_warning_after_downtime_counts_the_days_left_from_the_sweep(ctx, notifier):
    ref = log(ctx, received_on=date(2026, 11, 23).isoformat())  # final response due 18 Jan 2027
    triage(ctx, ref, target_date="2027-01-08")
    ctx.deliver()
    with ctx.session_factory() as s:
        assert s.execute(select(Complaint.final_response_due_on)).scalar_one() == date(2027, 1, 18)
    notifier.sent.clear()
    # The 14-day warning fell due on 4 Jan 2027; the bot was down until 6 Jan.
    ctx.clock.set(datetime(2027, 1, 6, 10, 0, tzinfo=UTC))

    report = sweep(ctx)

    assert [d.dedupe_key for d in report.sent if d.kind == "final-warning"] == [f"final-warning:{ref}:14d"]
    [warning] = [s for s in notifier.sent if "final response" in s.text]
    assert "18 Jan 2027" in warning.text
    assert warning.text.endswith("in 12 days.") and "14 days" not in warning.text
    # The 7-day warning, on its own day, says 7.
    ctx.clock.set(datetime(2027, 1, 11, 9, 0, tzinfo=UTC))
    notifier.sent.clear()
    sweep(ctx)
    [seven] = [s for s in notifier.sent if "final response" in s.text]
    assert seven.text.endswith("in 7 days.")


@pytest.mark.parametrize(
    "received_on, word",
    [(date(2026, 9, 28), "today"), (date(2026, 9, 29), "tomorrow"), (date(2026, 9, 30), "in 2 days")],
    ids=["due-today", "due-tomorrow", "two-days"],
)
def test_a_warning_on_the_last_days_says_today_or_tomorrow(ctx, notifier, received_on, word):
    ref = log(ctx, received_on=received_on.isoformat())  # logged late, on T0 (23 Nov 2026)
    notifier.sent.clear()

    report = sweep(ctx)

    assert [d.dedupe_key for d in report.sent] == [f"final-warning:{ref}:7d"]
    [warning] = notifier.sent
    assert warning.text.endswith(f", {word}.")
    assert "in 0 days" not in warning.text and "in 1 days" not in warning.text
    assert word in warning.blocks[0]["text"]["text"]


@pytest.mark.parametrize(
    "now_on, days_left",
    [
        (date(2027, 1, 4), 14),
        (date(2027, 1, 6), 12),
        (date(2027, 1, 10), 8),
        (date(2027, 1, 11), 7),
        (date(2027, 1, 17), 1),
        (date(2027, 1, 18), 0),
    ],
)
def test_policy_days_left_counts_from_now(now_on, days_left):
    policy = SlaPolicy()
    logged_at = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)
    facts = ComplaintFacts(
        reference="CMP-2026-0001",
        status="new",
        logged_at=logged_at,
        received_on=date(2026, 11, 23),
        final_response_due_on=date(2027, 1, 18),
    )
    now = datetime.combine(now_on, datetime.min.time(), tzinfo=UTC) + timedelta(hours=9, minutes=30)
    [warning] = [r for r in policy.due(facts, now) if r.kind == ReminderKind.FINAL_WARNING]
    assert warning.days_left == days_left
    assert warning.key == f"final-warning:CMP-2026-0001:{14 if days_left > 7 else 7}d"
