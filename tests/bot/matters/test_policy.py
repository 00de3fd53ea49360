"""The client-care policy of a matter, table by table: what is due when, when to look again, and
the risk level with its reasons. Pure: no database.

The firm's calendar is England & Wales, REMINDER_HOUR 9. London is on UTC from late October to late
March, so "the morning" in these winter cases is 09:00 UTC. Christmas 2026: Fri 25 Dec (Christmas
Day) and Mon 28 Dec (Boxing Day, observed) are bank holidays, then Fri 1 Jan 2027.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest

from bot.core.vocabulary import ClientMood, DisclosureKind
from bot.matters.policy import (
    DEFAULT_CHECKLIST,
    ClientUpdate,
    MatterFacts,
    MatterPolicy,
    MatterReminder,
    MatterReminderKind,
    RiskLevel,
    RiskReason,
)
from bot.reminders.policy import SlaPolicy
from bot.rulebooks.calendar import BusinessCalendar

REF = "M-2026-0042"
POLICY = MatterPolicy(firm=SlaPolicy(calendar=BusinessCalendar.named("england-and-wales")))
FRIDAY = date(2026, 11, 27)
SECOND = timedelta(seconds=1)
ALL_MET = frozenset(DEFAULT_CHECKLIST)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def matter(**overrides: object) -> MatterFacts:
    """A matter opened on Friday 27 Nov 2026 with a 14-day cadence, nothing disclosed yet."""
    values: dict[str, object] = dict(reference=REF, opened_on=FRIDAY, update_cadence_days=14)
    values.update(overrides)
    return MatterFacts(**values)  # type: ignore[arg-type]


def of_kind(f: MatterFacts, now: datetime, kind: MatterReminderKind) -> list[MatterReminder]:
    return [r for r in POLICY.due(f, now) if r.kind == kind]


def keys(f: MatterFacts, now: datetime, kind: MatterReminderKind) -> list[str]:
    return [r.key for r in of_kind(f, now, kind)]


# --- the checklist ------------------------------------------------------------------------------

# Opened Fri 27 Nov: first nudge 7 days on, Fri 4 Dec 09:00 (ISO 2026-W49); then each Friday. Fri 25
# Dec and Mon 28 Dec are holidays: W52's nudge goes Tue 29 Dec 09:00. Fri 1 Jan 2027 is a holiday
# and in ISO week 2026-W53: that nudge goes Mon 4 Jan 09:00. Fri 8 Jan 2027 is 2027-W01.
CHECKLIST_CASES = [
    ("just-before-the-first", utc(2026, 12, 4, 9) - SECOND, None, utc(2026, 12, 4, 9)),
    ("first-on-the-seventh-day", utc(2026, 12, 4, 9), ("2026-W49", utc(2026, 12, 4, 9)), utc(2026, 12, 11, 9)),
    ("same-week-later", utc(2026, 12, 10, 17), ("2026-W49", utc(2026, 12, 4, 9)), utc(2026, 12, 11, 9)),
    ("second-week", utc(2026, 12, 11, 9), ("2026-W50", utc(2026, 12, 11, 9)), utc(2026, 12, 18, 9)),
    ("christmas-day-waits", utc(2026, 12, 25, 12), ("2026-W51", utc(2026, 12, 18, 9)), utc(2026, 12, 29, 9)),
    ("after-both-holidays", utc(2026, 12, 29, 9), ("2026-W52", utc(2026, 12, 29, 9)), utc(2027, 1, 4, 9)),
    ("new-year-on-monday", utc(2027, 1, 4, 9), ("2026-W53", utc(2027, 1, 4, 9)), utc(2027, 1, 8, 9)),
    ("next-iso-year", utc(2027, 1, 8, 9), ("2027-W01", utc(2027, 1, 8, 9)), utc(2027, 1, 15, 9)),
]


@pytest.mark.parametrize(
    "now, expected, expected_next", [c[1:] for c in CHECKLIST_CASES], ids=[c[0] for c in CHECKLIST_CASES]
)
def test_checklist_nudge_weekly_on_business_mornings(now, expected, expected_next):
    # Everything but the checklist is quiet: costs unknown, the client update long ahead.
    f = matter(disclosed=frozenset({DisclosureKind.ENGAGEMENT}), update_cadence_days=90)
    found = of_kind(f, now, MatterReminderKind.CHECKLIST_MISSING)
    if expected is None:
        assert found == []
    else:
        week, at = expected
        assert [(r.key, r.due_at) for r in found] == [(f"checklist:{REF}:{week}", at)]
        assert found[0].missing == (
            DisclosureKind.COSTS_ESTIMATE,
            DisclosureKind.RISK,
            DisclosureKind.TIMELINE,
            DisclosureKind.LIMITS,
            DisclosureKind.COMPLAINTS_PROCEDURE,
        )
        assert not found[0].to_supervisor
    assert POLICY.next_due_at(f, now) == expected_next


def test_checklist_in_summer_goes_at_nine_london_time():
    # Opened Mon 1 Jun 2026 (BST, UTC+1): Mon 8 Jun 09:00 London = 08:00 UTC, ISO 2026-W24.
    f = matter(opened_on=date(2026, 6, 1), update_cadence_days=90)
    assert keys(f, utc(2026, 6, 8, 8) - SECOND, MatterReminderKind.CHECKLIST_MISSING) == []
    assert [(r.key, r.due_at) for r in of_kind(f, utc(2026, 6, 8, 8), MatterReminderKind.CHECKLIST_MISSING)] == [
        (f"checklist:{REF}:2026-W24", utc(2026, 6, 8, 8))
    ]


def test_a_met_checklist_is_never_nudged_and_a_revised_estimate_meets_the_costs_item():
    met = ALL_MET - {DisclosureKind.COSTS_ESTIMATE} | {DisclosureKind.COSTS_REVISED}
    f = matter(disclosed=met, update_cadence_days=90)
    assert f.missing == ()
    assert keys(f, utc(2026, 12, 4, 9), MatterReminderKind.CHECKLIST_MISSING) == []
    # Only the client update is ahead: 90 days after Fri 27 Nov is Thu 25 Feb 2027.
    assert POLICY.next_due_at(f, utc(2026, 12, 4, 9)) == utc(2027, 2, 25, 9)


def test_the_checklist_is_the_one_the_firm_asked_for():
    assert DEFAULT_CHECKLIST == (
        DisclosureKind.ENGAGEMENT,
        DisclosureKind.COSTS_ESTIMATE,
        DisclosureKind.RISK,
        DisclosureKind.TIMELINE,
        DisclosureKind.LIMITS,
        DisclosureKind.COMPLAINTS_PROCEDURE,
    )


# --- client check-ins ---------------------------------------------------------------------------

# (id, facts, now, expected check-in (key, due_at) | None, expected supervisor (key, due_at) | None)
CHECK_IN_CASES = [
    # Opened Fri 27 Nov, cadence 14: due Fri 11 Dec, nudged 09:00 that day.
    ("opened-friday-before", matter(), utc(2026, 12, 11, 9) - SECOND, None, None),
    ("opened-friday-due", matter(), utc(2026, 12, 11, 9), (f"check-in:{REF}:2026-12-11", utc(2026, 12, 11, 9)), None),
    # Another cadence on is Fri 25 Dec (holiday), then Mon 28 (holiday): the supervisor Tue 29 Dec 09:00.
    (
        "opened-friday-supervisor-waits-for-the-holidays",
        matter(),
        utc(2026, 12, 29, 9) - SECOND,
        (f"check-in:{REF}:2026-12-11", utc(2026, 12, 11, 9)),
        None,
    ),
    (
        "opened-friday-supervisor",
        matter(),
        utc(2026, 12, 29, 9),
        (f"check-in:{REF}:2026-12-11", utc(2026, 12, 11, 9)),
        (f"check-in-overdue:{REF}:2026-12-11", utc(2026, 12, 29, 9)),
    ),
    # Last update Fri 11 Dec, cadence 14: due Fri 25 Dec, a holiday, as is Mon 28: nudged Tue 29 Dec.
    ("over-christmas-not-on-the-day", matter(last_update_on=date(2026, 12, 11)), utc(2026, 12, 25, 9), None, None),
    (
        "over-christmas-not-a-second-before",
        matter(last_update_on=date(2026, 12, 11)),
        utc(2026, 12, 29, 9) - SECOND,
        None,
        None,
    ),
    (
        "over-christmas",
        matter(last_update_on=date(2026, 12, 11)),
        utc(2026, 12, 29, 9),
        (f"check-in:{REF}:2026-12-25", utc(2026, 12, 29, 9)),
        None,
    ),
    # Cadence 7 from Fri 18 Dec: due Fri 25 Dec (nudged Tue 29); overdue a cadence on Fri 1 Jan, a
    # holiday: the supervisor Mon 4 Jan 09:00.
    (
        "cadence-7-supervisor-after-new-year",
        matter(last_update_on=date(2026, 12, 18), update_cadence_days=7),
        utc(2027, 1, 4, 9),
        (f"check-in:{REF}:2026-12-25", utc(2026, 12, 29, 9)),
        (f"check-in-overdue:{REF}:2026-12-25", utc(2027, 1, 4, 9)),
    ),
    # Snoozed from the nudge on Fri 11 Dec until Mon 14 Dec 14:00: nothing until then, then a new key.
    (
        "snoozed-before-it-ends",
        matter(snoozed_until=utc(2026, 12, 14, 14)),
        utc(2026, 12, 14, 14) - SECOND,
        None,
        None,
    ),
    (
        "snoozed-ends",
        matter(snoozed_until=utc(2026, 12, 14, 14)),
        utc(2026, 12, 14, 14),
        (f"check-in:{REF}:2026-12-11:snoozed-2026-12-14", utc(2026, 12, 14, 14)),
        None,
    ),
    # A snooze that ended before the nudge's morning changes nothing.
    (
        "old-snooze",
        matter(snoozed_until=utc(2026, 12, 1, 9)),
        utc(2026, 12, 11, 9),
        (f"check-in:{REF}:2026-12-11", utc(2026, 12, 11, 9)),
        None,
    ),
    # Snoozed across the supervisor's morning (Tue 29 Dec 09:00) until Wed 30 Dec 10:00: the
    # lawyer's nudge waits; the supervisor is told on the morning all the same (the lawyer's snooze
    # is not the supervisor's), and nothing of theirs again when the snooze ends.
    (
        "snooze-does-not-hold-the-supervisor-back",
        matter(snoozed_until=utc(2026, 12, 30, 10)),
        utc(2026, 12, 29, 9),
        None,
        (f"check-in-overdue:{REF}:2026-12-11", utc(2026, 12, 29, 9)),
    ),
    (
        "snooze-over-nudged-supervisor-told-before",
        matter(snoozed_until=utc(2026, 12, 30, 10)),
        utc(2026, 12, 30, 10),
        (f"check-in:{REF}:2026-12-11:snoozed-2026-12-30", utc(2026, 12, 30, 10)),
        (f"check-in-overdue:{REF}:2026-12-11", utc(2026, 12, 29, 9)),
    ),
    # Dormant until Mon 4 Jan 2027: nothing before; the cadence restarts from it: due Mon 18 Jan.
    ("dormant-over-christmas", matter(dormant_until=date(2027, 1, 4)), utc(2027, 1, 4, 9), None, None),
    ("dormant-not-before", matter(dormant_until=date(2027, 1, 4)), utc(2027, 1, 18, 9) - SECOND, None, None),
    (
        "dormant-then-due",
        matter(dormant_until=date(2027, 1, 4)),
        utc(2027, 1, 18, 9),
        (f"check-in:{REF}:2027-01-18", utc(2027, 1, 18, 9)),
        None,
    ),
    # A later update moves the due date on: the last one counts, not the opening.
    (
        "updated-since",
        matter(last_update_on=date(2026, 12, 10)),
        utc(2026, 12, 23, 9),
        None,
        None,
    ),
    ("closed", matter(status="closed"), utc(2027, 6, 1, 9), None, None),
]


@pytest.mark.parametrize(
    "f, now, nudge, supervisor", [c[1:] for c in CHECK_IN_CASES], ids=[c[0] for c in CHECK_IN_CASES]
)
def test_check_in_series(f, now, nudge, supervisor):
    f = replace(f, disclosed=ALL_MET)
    assert [(r.key, r.due_at) for r in of_kind(f, now, MatterReminderKind.CHECK_IN_DUE)] == ([nudge] if nudge else [])
    told = of_kind(f, now, MatterReminderKind.CHECK_IN_OVERDUE)
    assert [(r.key, r.due_at) for r in told] == ([supervisor] if supervisor else [])
    assert all(r.to_supervisor for r in told)


@pytest.mark.parametrize(
    "f, now, expected_next",
    [
        # Before the nudge: the nudge's morning.
        (matter(), utc(2026, 12, 1, 12), utc(2026, 12, 11, 9)),
        # After it: the supervisor's morning, after the holidays.
        (matter(), utc(2026, 12, 11, 9), utc(2026, 12, 29, 9)),
        # After both: nothing more until the facts change.
        (matter(), utc(2026, 12, 29, 9), None),
        (matter(snoozed_until=utc(2026, 12, 14, 14)), utc(2026, 12, 11, 10), utc(2026, 12, 14, 14)),
        (matter(dormant_until=date(2027, 1, 4)), utc(2026, 12, 11, 10), utc(2027, 1, 18, 9)),
        (matter(status="closed"), utc(2026, 12, 1, 12), None),
    ],
    ids=["before-nudge", "before-supervisor", "all-sent", "snoozed", "dormant", "closed"],
)
def test_next_due_at_is_the_next_step(f, now, expected_next):
    assert POLICY.next_due_at(replace(f, disclosed=ALL_MET), now) == expected_next


def test_each_nudge_once_the_same_key_on_every_later_call():
    f = matter(disclosed=ALL_MET)
    first = POLICY.due(f, utc(2026, 12, 11, 9))
    again = POLICY.due(f, utc(2026, 12, 18, 15))
    assert [r.key for r in first] == [r.key for r in again] == [f"check-in:{REF}:2026-12-11"]
    assert first[0].update_due_on == date(2026, 12, 11)


def test_a_closed_matter_is_owed_nothing_at_all():
    f = matter(
        status="closed",
        costs_estimate=100_00,
        estimate_id="DIS-2026-0001",
        costs_to_date=150_00,
        costs_changed_at=utc(2026, 12, 1, 12),
    )
    assert POLICY.due(f, utc(2027, 6, 1, 9)) == []
    assert POLICY.next_due_at(f, utc(2026, 11, 27, 9)) is None


# --- costs --------------------------------------------------------------------------------------

T = utc(2026, 12, 2, 15, 30)


def costs(spent: int, *, estimate: int = 10_000_00, estimate_id: str = "DIS-2026-0001") -> MatterFacts:
    """Costs to date `spent` (pence) against the estimate, recorded at T; the rest quiet."""
    return matter(
        disclosed=ALL_MET,
        costs_estimate=estimate,
        estimate_id=estimate_id,
        costs_to_date=spent,
        costs_changed_at=T,
    )


@pytest.mark.parametrize(
    "f, expected",
    [
        (costs(7_499_99), None),
        # 7,500.00 of 10,000.00 is 75%.
        (costs(7_500_00), (f"costs:{REF}:DIS-2026-0001:75", 75, 75)),
        (costs(9_999_99), (f"costs:{REF}:DIS-2026-0001:75", 75, 99)),
        (costs(10_000_00), (f"costs:{REF}:DIS-2026-0001:100", 100, 100)),
        # From under 75% straight past 100%: one nudge, the 100% one.
        (costs(12_000_00), (f"costs:{REF}:DIS-2026-0001:100", 100, 120)),
        # A revised estimate of 13,000.00 with 10,000.00 spent: 76%, its own 75% nudge.
        (
            costs(10_000_00, estimate=13_000_00, estimate_id="DIS-2026-0007"),
            (f"costs:{REF}:DIS-2026-0007:75", 75, 76),
        ),
        (costs(10_000_00, estimate=20_000_00, estimate_id="DIS-2026-0007"), None),
    ],
    ids=["under-75", "at-75", "just-under-100", "at-100", "past-both", "revised-at-76", "revised-under"],
)
def test_costs_thresholds_once_per_estimate(f, expected):
    found = of_kind(f, T, MatterReminderKind.COSTS_THRESHOLD)
    if expected is None:
        assert found == []
    else:
        key, threshold, percent = expected
        assert [(r.key, r.due_at, r.threshold, r.percent) for r in found] == [(key, T, threshold, percent)]
    # Never a second before the figures were recorded, and the same key on every later call.
    assert of_kind(f, T - SECOND, MatterReminderKind.COSTS_THRESHOLD) == []
    assert of_kind(f, T + timedelta(days=3), MatterReminderKind.COSTS_THRESHOLD) == found


def test_costs_need_an_estimate_and_figures():
    for f in (
        costs(9_000_00, estimate=0),
        replace(costs(9_000_00), costs_estimate=None),
        replace(costs(0), costs_to_date=None),
    ):
        assert of_kind(f, T, MatterReminderKind.COSTS_THRESHOLD) == []


def test_costs_add_no_next_time_once_seen():
    # The crossing is due when recorded; after that only the check-in is ahead (Fri 11 Dec 09:00).
    assert POLICY.next_due_at(costs(8_000_00), T) == utc(2026, 12, 11, 9)


# --- risk ---------------------------------------------------------------------------------------

TODAY = date(2026, 12, 3)  # 6 days after the Friday opening: the checklist not yet counted.


def quiet(**overrides: object) -> MatterFacts:
    """Nothing wrong: every item met, updated today."""
    values: dict[str, object] = dict(disclosed=ALL_MET, last_update_on=TODAY)
    values.update(overrides)
    return matter(**values)


@pytest.mark.parametrize(
    "f, today, level, reasons",
    [
        (quiet(), TODAY, RiskLevel.GREEN, ()),
        # Costs.
        (quiet(costs_estimate=1000, costs_to_date=749), TODAY, RiskLevel.GREEN, ()),
        (
            quiet(costs_estimate=1000, costs_to_date=750),
            TODAY,
            RiskLevel.AMBER,
            ("costs to date at 75% of the estimate",),
        ),
        (
            quiet(costs_estimate=1000, costs_to_date=1000),
            TODAY,
            RiskLevel.RED,
            ("costs to date at 100% of the estimate",),
        ),
        (
            quiet(costs_estimate=1000, costs_to_date=1250),
            TODAY,
            RiskLevel.RED,
            ("costs to date at 125% of the estimate",),
        ),
        # Moods in the last 30 days (today and the 30 before): 3 Nov is in, 2 Nov is out.
        (
            quiet(recent_updates=(ClientUpdate(date(2026, 11, 3), ClientMood.UNHAPPY),)),
            TODAY,
            RiskLevel.RED,
            ("client unhappy at the update of 3 Nov 2026",),
        ),
        (quiet(recent_updates=(ClientUpdate(date(2026, 11, 2), ClientMood.UNHAPPY),)), TODAY, RiskLevel.GREEN, ()),
        (
            quiet(
                recent_updates=(
                    ClientUpdate(date(2026, 11, 20), ClientMood.CONCERNED),
                    ClientUpdate(date(2026, 11, 28), ClientMood.CONCERNED),
                    ClientUpdate(date(2026, 12, 1), ClientMood.SATISFIED),
                )
            ),
            TODAY,
            RiskLevel.AMBER,
            ("client concerned at the update of 28 Nov 2026",),
        ),
        (
            quiet(recent_updates=(ClientUpdate(date(2026, 12, 1), ClientMood.HAS_QUESTIONS),)),
            TODAY,
            RiskLevel.GREEN,
            (),
        ),
        # Complaints: open is red; resolved in the last 90 days (4 Sep is in, 3 Sep out) is amber.
        (quiet(open_complaint=True), TODAY, RiskLevel.RED, ("a complaint is open",)),
        (
            quiet(complaint_resolved_on=date(2026, 9, 4)),
            TODAY,
            RiskLevel.AMBER,
            ("a complaint was resolved on 4 Sep 2026",),
        ),
        (quiet(complaint_resolved_on=date(2026, 9, 3)), TODAY, RiskLevel.GREEN, ()),
        # The update: due Fri 11 Dec (14 days from opening). Due today is not overdue; 1 day is
        # amber; 13 days still amber; 14 days (a whole cadence: the day the supervisor is told,
        # Fri 25 Dec being Christmas only delays the message) red.
        (quiet(last_update_on=None), date(2026, 12, 11), RiskLevel.GREEN, ()),
        (quiet(last_update_on=None), date(2026, 12, 12), RiskLevel.AMBER, ("client update 1 day overdue",)),
        (quiet(last_update_on=None), date(2026, 12, 20), RiskLevel.AMBER, ("client update 9 days overdue",)),
        (quiet(last_update_on=None), date(2026, 12, 24), RiskLevel.AMBER, ("client update 13 days overdue",)),
        (
            quiet(last_update_on=None),
            date(2026, 12, 25),
            RiskLevel.RED,
            ("client update 14 days overdue, a whole 14-day cadence or more",),
        ),
        # A snooze does not hide it; dormancy does.
        (
            quiet(last_update_on=None, snoozed_until=utc(2026, 12, 30, 9)),
            date(2026, 12, 20),
            RiskLevel.AMBER,
            ("client update 9 days overdue",),
        ),
        (quiet(last_update_on=None, dormant_until=date(2026, 12, 15)), date(2026, 12, 20), RiskLevel.GREEN, ()),
        # The checklist: counted from 7 days after opening (Fri 4 Dec).
        (quiet(disclosed=frozenset()), TODAY, RiskLevel.GREEN, ()),
        (
            quiet(disclosed=ALL_MET - {DisclosureKind.COSTS_ESTIMATE, DisclosureKind.COMPLAINTS_PROCEDURE}),
            date(2026, 12, 4),
            RiskLevel.AMBER,
            ("2 checklist items missing: costs estimate, complaints procedure and ombudsman rights",),
        ),
        (
            quiet(disclosed=ALL_MET - {DisclosureKind.TIMELINE}),
            date(2026, 12, 4),
            RiskLevel.AMBER,
            ("1 checklist item missing: timeline",),
        ),
        # Several at once: red reasons first, then amber, each rule once.
        (
            quiet(
                last_update_on=None,
                disclosed=ALL_MET - {DisclosureKind.LIMITS},
                costs_estimate=1000,
                costs_to_date=800,
                open_complaint=True,
            ),
            date(2026, 12, 14),
            RiskLevel.RED,
            (
                "a complaint is open",
                "costs to date at 80% of the estimate",
                "client update 3 days overdue",
                "1 checklist item missing: limits of advice",
            ),
        ),
        # A closed matter is not rated.
        (quiet(status="closed", open_complaint=True), TODAY, RiskLevel.GREEN, ()),
    ],
    ids=[
        "green",
        "costs-under-75",
        "costs-75",
        "costs-100",
        "costs-past-100",
        "unhappy-30-days-ago",
        "unhappy-31-days-ago",
        "concerned-latest-named",
        "questions-are-not-a-risk",
        "open-complaint",
        "complaint-resolved-90-days-ago",
        "complaint-resolved-91-days-ago",
        "update-due-today",
        "update-1-day-overdue",
        "update-9-days-overdue",
        "update-one-cadence-overdue",
        "update-more-than-a-cadence-overdue",
        "snooze-still-overdue",
        "dormant-not-overdue",
        "checklist-within-grace",
        "checklist-two-missing",
        "checklist-one-missing",
        "several",
        "closed",
    ],
)
def test_risk_levels_and_their_reasons(f, today, level, reasons):
    risk = POLICY.risk(f, today)
    assert (risk.level, risk.reasons) == (level, reasons)


def test_each_reason_carries_the_rule_it_comes_from():
    # Opened Fri 27 Nov, never updated: due 11 Dec; on 14 Dec 3 days overdue (amber). An unhappy
    # client on 1 Dec (13 days before) and costs at 100% are red; the missing item amber.
    f = quiet(
        last_update_on=None,
        disclosed=ALL_MET - {DisclosureKind.LIMITS},
        costs_estimate=1000,
        costs_to_date=1000,
        recent_updates=(ClientUpdate(date(2026, 12, 1), ClientMood.UNHAPPY),),
    )
    risk = POLICY.risk(f, date(2026, 12, 14))
    assert [(c.code, c.text) for c in risk.causes] == [
        (RiskReason.COSTS_OVER, "costs to date at 100% of the estimate"),
        (RiskReason.CLIENT_UNHAPPY, "client unhappy at the update of 1 Dec 2026"),
        (RiskReason.UPDATE_OVERDUE, "client update 3 days overdue"),
        (RiskReason.CHECKLIST_MISSING, "1 checklist item missing: limits of advice"),
    ]
    assert risk.level is RiskLevel.RED and risk.reasons == (
        "costs to date at 100% of the estimate",
        "client unhappy at the update of 1 Dec 2026",
        "client update 3 days overdue",
        "1 checklist item missing: limits of advice",
    )


# --- when a matter's care begins -----------------------------------------------------------------


@pytest.mark.parametrize(
    "set_up_on, care_from, update_due, first_checklist",
    [
        # Opened Fri 27 Nov 2026 (the default matter), every 14 days.
        (None, date(2026, 11, 27), date(2026, 12, 11), utc(2026, 12, 4, 9)),
        # Set up the Monday after: within a cadence, the care counts from the opening.
        (date(2026, 11, 30), date(2026, 11, 27), date(2026, 12, 11), utc(2026, 12, 4, 9)),
        # Set up on Fri 11 Dec, exactly a cadence later: still from the opening (the update due that day).
        (date(2026, 12, 11), date(2026, 11, 27), date(2026, 12, 11), utc(2026, 12, 4, 9)),
        # Set up on Mon 14 Dec, more than a cadence later (an import): from the set-up; the update
        # due Mon 28 Dec (the Boxing Day substitute holiday, so its nudge goes Tue 29 Dec), the
        # checklist the morning of Mon 21 Dec.
        (date(2026, 12, 14), date(2026, 12, 14), date(2026, 12, 28), utc(2026, 12, 21, 9)),
    ],
)
def test_care_counts_from_the_opening_unless_set_up_more_than_a_cadence_later(
    set_up_on, care_from, update_due, first_checklist
):
    f = replace(matter(), set_up_on=set_up_on)
    assert POLICY.care_starts_on(f) == care_from
    assert POLICY.update_due_on(f) == update_due
    [nudge] = of_kind(f, first_checklist, MatterReminderKind.CHECKLIST_MISSING)
    assert nudge.due_at == first_checklist
    assert of_kind(f, first_checklist - timedelta(seconds=1), MatterReminderKind.CHECKLIST_MISSING) == []
