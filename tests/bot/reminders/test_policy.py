"""The SLA policy, table by table: what is due when, and when to look again. Pure: no database."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.reminders.policy import ComplaintFacts, Reminder, ReminderKind, SlaPolicy
from bot.rulebooks.calendar import BusinessCalendar

UTC = UTC
REF = "CMP-2026-0001"
POLICY = SlaPolicy()
# Monday 2026-11-23 09:30 UTC (London = UTC in November), as in conftest.
T0 = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


def facts(**overrides) -> ComplaintFacts:
    """A complaint received and logged at T0, awaiting triage. Its final response is far away."""
    values = dict(reference=REF, status="new", logged_at=T0, received_on=T0.date())
    values.update(overrides)
    return ComplaintFacts(**values)


def triaged(due: datetime, **overrides) -> ComplaintFacts:
    return facts(status="triaged", handler_id="UHANDLER1", next_update_due_at=due, **overrides)


def keys(f: ComplaintFacts, now: datetime, policy: SlaPolicy = POLICY) -> list[str]:
    return sorted(r.key for r in policy.due(f, now))


def by_kind(f: ComplaintFacts, now: datetime, policy: SlaPolicy = POLICY) -> dict[ReminderKind, Reminder]:
    out = {r.kind: r for r in policy.due(f, now)}
    assert len(out) == len(policy.due(f, now)), "one reminder per series at most"
    return out


# --- defaults ---------------------------------------------------------------------------------


def test_the_defaults_are_the_ones_the_firm_agreed():
    assert str(POLICY.tz) == "Europe/London"
    assert POLICY.triage_within == timedelta(hours=24)
    assert POLICY.triage_warning_after == timedelta(hours=20)
    assert POLICY.final_response_weeks == 8 and POLICY.final_response_business_days is None
    assert POLICY.final_warning_days == (14, 7)
    assert POLICY.update_escalation_after == timedelta(days=2)
    assert POLICY.working_hour == 9


# --- triage ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "after, expected_keys, expected_next",
    [
        (timedelta(0), [], T0 + timedelta(hours=20)),
        (timedelta(hours=19, minutes=59, seconds=59), [], T0 + timedelta(hours=20)),
        (timedelta(hours=20), [f"triage-warning:{REF}"], T0 + timedelta(hours=24)),
        (timedelta(hours=23, minutes=59), [f"triage-warning:{REF}"], T0 + timedelta(hours=24)),
        (timedelta(hours=24), [f"triage-breach:{REF}:2026-11-24"], T0 + timedelta(hours=48)),
        (timedelta(hours=47, minutes=59), [f"triage-breach:{REF}:2026-11-24"], T0 + timedelta(hours=48)),
        # After a day and an hour more: the next day's breach, and no warning beside it.
        (
            timedelta(hours=24, days=1) + timedelta(hours=1),
            [f"triage-breach:{REF}:2026-11-25"],
            T0 + timedelta(hours=72),
        ),
        (timedelta(days=10), [f"triage-breach:{REF}:2026-12-03"], T0 + timedelta(days=11)),
    ],
    ids=[
        "at-logging",
        "just-before-warning",
        "warning",
        "just-before-breach",
        "breach",
        "breach-still-first-day",
        "breach-next-day-only-latest-step",
        "breach-ten-days-on",
    ],
)
def test_triage_series(after, expected_keys, expected_next):
    f = facts()
    now = T0 + after
    assert keys(f, now) == expected_keys
    assert POLICY.next_check_at(f, now) == expected_next


def test_triage_reminders_carry_their_step_time_and_go_to_the_channel():
    f = facts()
    warning = by_kind(f, T0 + timedelta(hours=21))[ReminderKind.TRIAGE_WARNING]
    assert warning.due_at == T0 + timedelta(hours=20) and warning.to_channel
    breach = by_kind(f, T0 + timedelta(hours=50))[ReminderKind.TRIAGE_BREACH]
    assert breach.due_at == T0 + timedelta(hours=48) and breach.to_channel


@pytest.mark.parametrize(
    "after",
    [timedelta(0), timedelta(hours=20), timedelta(hours=24), timedelta(days=3)],
    ids=["at-logging", "at-warning", "at-breach", "days-later"],
)
def test_a_triaged_complaint_gets_no_triage_reminder(after):
    f = triaged(T0 + timedelta(days=30))
    now = T0 + after
    assert not [r for r in POLICY.due(f, now) if r.kind in (ReminderKind.TRIAGE_WARNING, ReminderKind.TRIAGE_BREACH)]
    assert keys(f, now) == []


def test_received_late_on_friday_breaches_on_saturday():
    friday = utc(2026, 11, 27, 17, 45)
    f = facts(logged_at=friday, received_on=friday.date())
    assert keys(f, utc(2026, 11, 28, 13, 45)) == [f"triage-warning:{REF}"]
    assert POLICY.next_check_at(f, utc(2026, 11, 28, 13, 45)) == utc(2026, 11, 28, 17, 45)
    breach = by_kind(f, utc(2026, 11, 28, 17, 45))[ReminderKind.TRIAGE_BREACH]
    assert breach.key == f"triage-breach:{REF}:2026-11-28"
    assert breach.due_at == utc(2026, 11, 28, 17, 45)


def test_triage_breach_key_is_the_local_date_in_summer():
    # 23:30 UTC in July is 00:30 the next day in London.
    logged = utc(2027, 7, 1, 23, 30)
    f = facts(logged_at=logged, received_on=date(2027, 7, 2))
    assert keys(f, logged + timedelta(hours=24)) == [f"triage-breach:{REF}:2027-07-03"]


# --- final-response deadline: calendar and business days -------------------------------------


@pytest.mark.parametrize(
    "policy, received_on, expected",
    [
        (SlaPolicy(), date(2026, 11, 20), date(2027, 1, 15)),
        (SlaPolicy(), date(2026, 11, 27), date(2027, 1, 22)),
        (SlaPolicy(final_response_business_days=15), date(2026, 11, 27), date(2026, 12, 18)),
        (SlaPolicy(final_response_business_days=1), date(2026, 11, 27), date(2026, 11, 30)),
        (
            SlaPolicy(
                final_response_business_days=5,
                calendar=BusinessCalendar(closures=frozenset({date(2026, 12, 25), date(2026, 12, 28)})),
            ),
            date(2026, 12, 22),
            date(2026, 12, 31),
        ),
    ],
    ids=[
        "8-weeks",
        "8-weeks-from-friday",
        "15-business-days-from-friday",
        "1-business-day-from-friday",
        "5-business-days-over-christmas",
    ],
)
def test_final_response_due_on(policy, received_on, expected):
    assert policy.final_response_due_on(received_on) == expected


@pytest.mark.parametrize(
    "start, days, holidays, expected",
    [
        (date(2026, 11, 23), 0, frozenset(), date(2026, 11, 23)),
        (date(2026, 11, 23), 4, frozenset(), date(2026, 11, 27)),
        (date(2026, 11, 27), 1, frozenset(), date(2026, 11, 30)),
        (date(2026, 11, 28), 1, frozenset(), date(2026, 11, 30)),  # from a Saturday
        (date(2026, 11, 27), 15, frozenset(), date(2026, 12, 18)),
        (date(2026, 12, 24), 1, frozenset({date(2026, 12, 25), date(2026, 12, 28)}), date(2026, 12, 29)),
        (date(2026, 12, 24), 1, frozenset(), date(2026, 12, 25)),
        (date(2026, 12, 23), 3, frozenset({date(2026, 12, 25), date(2026, 12, 28)}), date(2026, 12, 30)),
        # A holiday on a weekend costs nothing extra.
        (date(2026, 12, 25), 1, frozenset({date(2026, 12, 26)}), date(2026, 12, 28)),
    ],
    ids=[
        "zero",
        "within-week",
        "friday-to-monday",
        "saturday-to-monday",
        "three-weeks",
        "christmas-and-boxing-day",
        "christmas-without-holidays",
        "three-over-christmas",
        "weekend-holiday",
    ],
)
def test_add_business_days(start, days, holidays, expected):
    assert BusinessCalendar(closures=holidays).add_business_days(start, days) == expected


def test_business_day_deadline_drives_the_final_response_reminders():
    policy = SlaPolicy(final_response_business_days=15)
    f = facts(status="triaged", received_on=date(2026, 11, 27), logged_at=utc(2026, 11, 27, 17, 45))
    # Due 2026-12-18: the breach is at 09:00 on the 19th (GMT, so 09:00 UTC).
    assert keys(f, utc(2026, 12, 19, 8, 59), policy) == [f"final-warning:{REF}:7d"]
    assert keys(f, utc(2026, 12, 19, 9, 0), policy) == [f"final-breach:{REF}"]


# --- client-update nudge and its escalation ----------------------------------------------------

DUE = utc(2026, 11, 30, 9, 30)  # a Monday


@pytest.mark.parametrize(
    "snoozed_until, now, expected_keys, expected_next",
    [
        (None, DUE - timedelta(seconds=1), [], DUE),
        (None, DUE, [f"update-due:{REF}:2026-11-30"], DUE + timedelta(days=1)),
        (None, DUE + timedelta(hours=23), [f"update-due:{REF}:2026-11-30"], DUE + timedelta(days=1)),
        (None, DUE + timedelta(days=1), [f"update-due:{REF}:2026-12-01"], DUE + timedelta(days=2)),
        (
            None,
            DUE + timedelta(days=2) - timedelta(seconds=1),
            [f"update-due:{REF}:2026-12-01"],
            DUE + timedelta(days=2),
        ),
        (
            None,
            DUE + timedelta(days=2),
            [f"update-due:{REF}:2026-12-02", f"update-overdue:{REF}:2026-11-30"],
            DUE + timedelta(days=3),
        ),
        (
            None,
            DUE + timedelta(days=5),
            [f"update-due:{REF}:2026-12-05", f"update-overdue:{REF}:2026-11-30"],
            DUE + timedelta(days=6),
        ),
        # Snoozed past the due date: the nudge waits for the snooze, the escalation for snooze + 2 days.
        (DUE + timedelta(days=3), DUE, [], DUE + timedelta(days=3)),
        (DUE + timedelta(days=3), DUE + timedelta(days=2), [], DUE + timedelta(days=3)),
        (DUE + timedelta(days=3), DUE + timedelta(days=3), [f"update-due:{REF}:2026-12-03"], DUE + timedelta(days=4)),
        (
            DUE + timedelta(days=3),
            DUE + timedelta(days=5) - timedelta(seconds=1),
            [f"update-due:{REF}:2026-12-04"],
            DUE + timedelta(days=5),
        ),
        (
            DUE + timedelta(days=3),
            DUE + timedelta(days=5),
            [f"update-due:{REF}:2026-12-05", f"update-overdue:{REF}:2026-11-30"],
            DUE + timedelta(days=6),
        ),
        # Snoozed until before the due date: nothing changes.
        (DUE - timedelta(days=1), DUE - timedelta(seconds=1), [], DUE),
        (DUE - timedelta(days=1), DUE, [f"update-due:{REF}:2026-11-30"], DUE + timedelta(days=1)),
        (
            DUE - timedelta(days=1),
            DUE + timedelta(days=2),
            [f"update-due:{REF}:2026-12-02", f"update-overdue:{REF}:2026-11-30"],
            DUE + timedelta(days=3),
        ),
    ],
    ids=[
        "before-due",
        "at-due",
        "same-day",
        "next-day-new-key",
        "just-before-escalation",
        "escalation",
        "days-later-one-escalation",
        "snoozed-at-due",
        "snoozed-at-would-be-escalation",
        "snooze-ends",
        "snoozed-just-before-escalation",
        "snoozed-escalation",
        "early-snooze-before-due",
        "early-snooze-at-due",
        "early-snooze-escalation",
    ],
)
def test_update_nudge_series(snoozed_until, now, expected_keys, expected_next):
    f = triaged(DUE, snoozed_until=snoozed_until)
    assert keys(f, now) == expected_keys
    assert POLICY.next_check_at(f, now) == expected_next


def test_update_reminders_go_to_the_handler_and_the_escalation_to_the_channel():
    f = triaged(DUE)
    found = by_kind(f, DUE + timedelta(days=3))
    assert not found[ReminderKind.UPDATE_DUE].to_channel
    assert found[ReminderKind.UPDATE_DUE].due_at == DUE + timedelta(days=3)
    assert found[ReminderKind.UPDATE_OVERDUE].to_channel
    assert found[ReminderKind.UPDATE_OVERDUE].due_at == DUE + timedelta(days=2)


def test_no_update_nudge_without_a_handler():
    f = facts(status="triaged", handler_id=None, next_update_due_at=DUE)
    assert keys(f, DUE + timedelta(days=3)) == []


def test_updated_just_before_due_moves_the_clock():
    old = triaged(DUE)
    assert keys(old, DUE) == [f"update-due:{REF}:2026-11-30"]
    # An update an hour before the due time with a 5-day cadence: the new due time is in the future.
    new_due = DUE - timedelta(hours=1) + timedelta(days=5)
    updated = replace(old, next_update_due_at=new_due)
    for now in (DUE - timedelta(hours=1), DUE, DUE + timedelta(days=2), new_due - timedelta(seconds=1)):
        assert keys(updated, now) == []
        assert POLICY.next_check_at(updated, now) == new_due
    assert keys(updated, new_due) == [f"update-due:{REF}:2026-12-05"]


# --- final response ----------------------------------------------------------------------------


def final_only(received_on: date, **overrides) -> ComplaintFacts:
    """A triaged complaint with no update clock, so only the final-response series runs."""
    return facts(
        status="triaged",
        handler_id="UHANDLER1",
        received_on=received_on,
        logged_at=datetime.combine(received_on, datetime.min.time(), tzinfo=UTC),
        **overrides,
    )


@pytest.mark.parametrize(
    "received_on, expected",
    [
        # Winter: due 2027-01-15; London = UTC.
        (
            date(2026, 11, 20),
            [
                ("final-warning", "14d", utc(2027, 1, 1, 9)),
                ("final-warning", "7d", utc(2027, 1, 8, 9)),
                ("final-breach", None, utc(2027, 1, 16, 9)),
            ],
        ),
        # Summer: due 2027-07-15; 09:00 BST is 08:00 UTC.
        (
            date(2027, 5, 20),
            [
                ("final-warning", "14d", utc(2027, 7, 1, 8)),
                ("final-warning", "7d", utc(2027, 7, 8, 8)),
                ("final-breach", None, utc(2027, 7, 16, 8)),
            ],
        ),
        # Across the spring change (2027-03-28): warnings in GMT, breach in BST. Due 2027-04-01.
        (
            date(2027, 2, 4),
            [
                ("final-warning", "14d", utc(2027, 3, 18, 9)),
                ("final-warning", "7d", utc(2027, 3, 25, 9)),
                ("final-breach", None, utc(2027, 4, 2, 8)),
            ],
        ),
        # Across the autumn change (2026-10-25): warnings in BST, breach in GMT. Due 2026-10-29.
        (
            date(2026, 9, 3),
            [
                ("final-warning", "14d", utc(2026, 10, 15, 8)),
                ("final-warning", "7d", utc(2026, 10, 22, 8)),
                ("final-breach", None, utc(2026, 10, 30, 9)),
            ],
        ),
    ],
    ids=["winter-gmt", "summer-bst", "spring-change", "autumn-change"],
)
def test_final_response_steps_fall_at_nine_local(received_on, expected):
    f = final_only(received_on)
    previous: list[str] = []
    for kind, suffix, at in expected:
        key = f"{kind}:{REF}" + (f":{suffix}" if suffix else "")
        # Just before: still the previous step (or nothing), and the next check is exactly this step.
        assert keys(f, at - timedelta(seconds=1)) == previous
        assert POLICY.next_check_at(f, at - timedelta(seconds=1)) == at
        # At it: this step alone.
        reminders = POLICY.due(f, at)
        assert [r.key for r in reminders] == [key]
        assert reminders[0].due_at == at
        assert reminders[0].days_left == (int(suffix[:-1]) if suffix else None)
        assert POLICY.at_working_hour(POLICY.local_date(at)) == at
        previous = [key]
    assert POLICY.next_check_at(f, expected[-1][2]) is None


def test_final_warnings_go_to_the_handler_and_the_breach_to_the_channel():
    f = final_only(date(2026, 11, 20))
    assert not by_kind(f, utc(2027, 1, 1, 9))[ReminderKind.FINAL_WARNING].to_channel
    assert by_kind(f, utc(2027, 1, 16, 9))[ReminderKind.FINAL_BREACH].to_channel


def test_long_ago_only_the_final_breach_is_returned():
    f = final_only(date(2025, 1, 6))
    assert keys(f, T0) == [f"final-breach:{REF}"]
    assert POLICY.next_check_at(f, T0) is None


def test_a_stored_final_response_date_wins_over_the_computed_one():
    f = final_only(date(2026, 11, 20), final_response_due_on=date(2026, 12, 10))
    assert keys(f, utc(2026, 12, 11, 9)) == [f"final-breach:{REF}"]
    assert POLICY.next_check_at(f, utc(2026, 11, 26, 8)) == utc(2026, 11, 26, 9)  # 14 days before


def test_an_untriaged_complaint_runs_both_triage_and_final_series():
    f = facts(received_on=date(2026, 9, 1))  # due 2026-10-27, long gone
    assert keys(f, T0 + timedelta(hours=24)) == [f"final-breach:{REF}", f"triage-breach:{REF}:2026-11-24"]


# --- resolved and reopened ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "now",
    [T0, T0 + timedelta(hours=25), DUE + timedelta(days=3), utc(2027, 1, 16, 9), utc(2030, 1, 1)],
    ids=["at-logging", "after-triage-deadline", "after-update-escalation", "at-final-breach", "years-later"],
)
def test_resolved_has_nothing_due_and_no_next_check(now):
    f = facts(status="resolved", handler_id="UHANDLER1", next_update_due_at=DUE, received_on=date(2026, 11, 20))
    assert POLICY.due(f, now) == []
    assert POLICY.next_check_at(f, now) is None


def test_reopened_behaves_like_triaged():
    resolved = facts(status="resolved", handler_id="UHANDLER1", next_update_due_at=DUE, received_on=date(2026, 11, 20))
    reopened_at = DUE + timedelta(days=4)
    reopened = replace(resolved, status="triaged", next_update_due_at=reopened_at + timedelta(days=5))
    assert keys(reopened, reopened_at) == []
    assert POLICY.next_check_at(reopened, reopened_at) == reopened_at + timedelta(days=5)
    due = reopened.next_update_due_at
    assert keys(reopened, due) == [f"update-due:{REF}:2026-12-09"]
    assert keys(reopened, due + timedelta(days=2)) == [
        f"update-due:{REF}:2026-12-11",
        f"update-overdue:{REF}:2026-12-09",
    ]
    # The final-response series carries on as before the resolution (due 2027-01-15).
    assert keys(reopened, utc(2027, 1, 1, 10)) == [
        f"final-warning:{REF}:14d",
        f"update-due:{REF}:2027-01-01",
        f"update-overdue:{REF}:2026-12-09",
    ]
    # Same answers as a complaint that was never resolved.
    never = triaged(due, received_on=date(2026, 11, 20))
    for now in (reopened_at, due, due + timedelta(days=2), utc(2027, 1, 16, 9)):
        assert keys(reopened, now) == keys(never, now)
        assert POLICY.next_check_at(reopened, now) == POLICY.next_check_at(never, now)


# --- the invariant: next_check_at is exact ------------------------------------------------------

BASE = utc(2026, 1, 1)
HORIZON = timedelta(days=730)  # two years: both clock changes, twice


def moments(lo: datetime = BASE, span: timedelta = HORIZON):
    return st.integers(min_value=0, max_value=int(span.total_seconds())).map(lambda s: lo + timedelta(seconds=s))


@st.composite
def any_facts(draw) -> ComplaintFacts:
    logged_at = draw(moments())
    received_on = (logged_at - timedelta(days=draw(st.integers(0, 90)))).date()
    status = draw(st.sampled_from(["new", "triaged", "resolved"]))
    handler = draw(st.sampled_from([None, "UHANDLER1"]))
    next_due = draw(st.none() | moments())
    snoozed = draw(st.none() | moments())
    stored_due = draw(st.none() | st.dates(min_value=BASE.date(), max_value=(BASE + HORIZON).date()))
    return ComplaintFacts(
        reference=REF,
        status=status,
        logged_at=logged_at,
        received_on=received_on,
        handler_id=handler,
        next_update_due_at=next_due,
        snoozed_until=snoozed,
        final_response_due_on=stored_due,
    )


POLICIES = st.sampled_from(
    [
        SlaPolicy(),
        SlaPolicy(
            final_response_business_days=15,
            calendar=BusinessCalendar(closures=frozenset({date(2026, 12, 25), date(2026, 12, 28)})),
        ),
        SlaPolicy(triage_within=timedelta(hours=8), triage_warning_after=timedelta(hours=4), working_hour=0),
    ]
)


@st.composite
def facts_policy_and_now(draw):
    """Facts, a policy, and a moment: often close to one of the facts' step times, where things change."""
    f = draw(any_facts())
    policy = draw(POLICIES)
    due_on = f.final_response_due_on or policy.final_response_due_on(f.received_on)
    anchors = [
        f.logged_at,
        f.logged_at + policy.triage_warning_after,
        policy.triage_due_at(f.logged_at),
        policy.at_working_hour(due_on + timedelta(days=1)),
    ]
    anchors += [policy.at_working_hour(due_on - timedelta(days=d)) for d in policy.final_warning_days]
    for moment in (f.next_update_due_at, f.snoozed_until):
        if moment is not None:
            anchors += [moment, moment + policy.update_escalation_after]
    anchor = draw(st.sampled_from(anchors) | moments(BASE - timedelta(days=120), HORIZON + timedelta(days=240)))
    offset = draw(st.sampled_from([-1, 0, 1]) | st.integers(min_value=-4 * 86400, max_value=4 * 86400))
    return f, policy, anchor + timedelta(seconds=offset)


def reminders(f: ComplaintFacts, now: datetime, policy: SlaPolicy) -> set[tuple[str, str, datetime]]:
    return {(r.kind.value, r.key, r.due_at) for r in policy.due(f, now)}


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=facts_policy_and_now(), frac=st.floats(min_value=0, max_value=1, exclude_max=True))
def test_next_check_at_is_after_now_and_nothing_changes_before_it(case, frac):
    f, policy, now = case
    at_now = keys(f, now, policy)
    following = policy.next_check_at(f, now)
    if following is None:
        later = [now + timedelta(days=d) for d in (1, 30, 400)]
    else:
        assert following > now
        span_us = (following - now) // timedelta(microseconds=1)
        later = [
            now + timedelta(microseconds=min(int(span_us * frac), span_us - 1)),
            following - timedelta(microseconds=1),
        ]
        # And it is the earliest such moment: at it, a step falls due (not merely a wasted look).
        assert reminders(f, following, policy) != reminders(f, now, policy)
    for t in later:
        assert keys(f, t, policy) == at_now, (t, following)


def test_each_daily_repeat_has_a_new_key_even_when_the_clocks_go_back():
    """A daily step is a new reminder; if it reuses yesterday's key the outbox drops it as a duplicate.

    Logged 23:30 UTC on Friday 2026-10-23. The breach falls at 23:30 UTC on Saturday 24th (00:30 BST on
    the 25th) and repeats 24 h later, 23:30 UTC on the 25th, which after the clocks go back at 01:00
    UTC that night is 23:30 GMT on the 25th: the same local date, so the same key.
    """
    f = facts(logged_at=utc(2026, 10, 23, 23, 30), received_on=date(2026, 10, 23))
    first = utc(2026, 10, 24, 23, 30)
    second = POLICY.next_check_at(f, first)
    # daily at the same London time: 00:30 GMT on the 26th, the day the clocks went back being 25 h long
    assert second == utc(2026, 10, 26, 0, 30)
    first_key = by_kind(f, first)[ReminderKind.TRIAGE_BREACH].key
    second_key = by_kind(f, second)[ReminderKind.TRIAGE_BREACH].key
    assert first_key == f"triage-breach:{REF}:2026-10-25"
    assert second_key != first_key, "the second day's breach reuses the first day's key and would never be sent"


def test_invariant_over_a_walk_of_every_hour():
    """The same check without hypothesis: walk two complaints hour by hour across a clock change."""
    cases = [
        facts(logged_at=utc(2026, 10, 23, 23, 30), received_on=date(2026, 10, 23)),
        triaged(utc(2026, 10, 24, 23, 30), received_on=date(2026, 9, 3), snoozed_until=utc(2026, 10, 25, 12)),
    ]
    for f in cases:
        now = utc(2026, 10, 20)
        while now < utc(2026, 11, 5):
            current = keys(f, now)
            nxt = POLICY.next_check_at(f, now)
            assert nxt is None or nxt > now
            probe = now + timedelta(minutes=17)
            while nxt is not None and probe < nxt and probe < now + timedelta(hours=3):
                assert keys(f, probe) == current
                probe += timedelta(minutes=17)
            now += timedelta(hours=1)
