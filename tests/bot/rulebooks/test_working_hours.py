"""Working hours on the firm's calendar, and the triage clock that counts in them (TRIAGE_CLOCK).

Every expected time is worked out by hand in the comment beside it: working hours are 09:00–17:30
(8.5 hours a day) on England & Wales business days unless the case says otherwise; London is on
GMT (= UTC) in winter and on BST (UTC+1) from Sun 29 Mar to Sun 25 Oct 2026.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.reminders.policy import ComplaintFacts, ReminderKind, SlaPolicy, TriageClock
from bot.rulebooks.calendar import BusinessCalendar

LONDON = ZoneInfo("Europe/London")
ENGLAND = BusinessCalendar.named("england-and-wales")
NINE, HALF_FIVE = time(9, 0), time(17, 30)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.mark.parametrize(
    "start, hours, expected",
    [
        # Fri 4 Dec 2026 17:00: 0.5 h Friday to 17:30 (0.5); Sat and Sun closed; Mon 7 Dec 8.5 h
        # (9.0); Tue 8 Dec 8.5 h (17.5); Wed 9 Dec needs 6.5 h more: 09:00 + 6.5 h = 15:30.
        pytest.param(utc(2026, 12, 4, 17, 0), 24, utc(2026, 12, 9, 15, 30), id="friday-17:00-24h"),
        # The 20-hour warning from the same start: 17.5 h by Tuesday's close, 2.5 h more on
        # Wed 9 Dec: 11:30.
        pytest.param(utc(2026, 12, 4, 17, 0), 20, utc(2026, 12, 9, 11, 30), id="friday-17:00-20h-warning"),
        # Sat 5 Dec 2026 10:00: closed, so counting starts Mon 7 Dec 09:00: Mon 8.5 h, Tue 8.5 h
        # (17.0), Wed 9 Dec 7.0 h more: 16:00.
        pytest.param(utc(2026, 12, 5, 10, 0), 24, utc(2026, 12, 9, 16, 0), id="saturday"),
        # Tue 8 Dec 2026 08:00, before opening: counting starts at 09:00: Tue 8.5 h, Wed 8.5 h
        # (17.0), Thu 10 Dec 7.0 h more: 16:00.
        pytest.param(utc(2026, 12, 8, 8, 0), 24, utc(2026, 12, 10, 16, 0), id="08:00-before-opening"),
        # Tue 8 Dec 2026 18:00, after closing: counting starts Wed 9 Dec 09:00: Wed 8.5 h, Thu 8.5 h
        # (17.0), Fri 11 Dec 7.0 h more: 16:00.
        pytest.param(utc(2026, 12, 8, 18, 0), 24, utc(2026, 12, 11, 16, 0), id="after-closing"),
        # Mon 7 Dec 2026 09:00, 8.5 h: exactly one working day, so 17:30 that day, not Tue 09:00.
        pytest.param(utc(2026, 12, 7, 9, 0), 8.5, utc(2026, 12, 7, 17, 30), id="ends-at-closing"),
        # Thu 24 Dec 2026 15:00 (a business day): 2.5 h to 17:30; [Fri 25 Christmas Day, Sat, Sun,
        # Mon 28 Boxing Day's substitute]; Tue 29 8.5 h (11.0); Wed 30 8.5 h (19.5); Thu 31 Dec
        # 4.5 h more: 13:30.
        pytest.param(utc(2026, 12, 24, 15, 0), 24, utc(2026, 12, 31, 13, 30), id="christmas-bank-holidays"),
        # Fri 25 Dec 2026 10:00, Christmas Day: counting starts Tue 29 Dec 09:00: Tue 8.5 h, Wed
        # 8.5 h (17.0), Thu 31 Dec 7.0 h more: 16:00.
        pytest.param(utc(2026, 12, 25, 10, 0), 24, utc(2026, 12, 31, 16, 0), id="start-on-christmas-day"),
        # Thu 31 Dec 2026 12:00: 5.5 h to 17:30; [Fri 1 Jan 2027 New Year's Day, Sat, Sun];
        # Mon 4 Jan 8.5 h (14.0); Tue 5 Jan 8.5 h (22.5); Wed 6 Jan 1.5 h more: 10:30.
        pytest.param(utc(2026, 12, 31, 12, 0), 24, utc(2027, 1, 6, 10, 30), id="new-year-bank-holiday"),
        # All three holidays in one span of 40 h from Thu 24 Dec 2026 09:00: Thu 8.5 h; [25, 28];
        # Tue 29 8.5 h (17.0); Wed 30 8.5 h (25.5); Thu 31 8.5 h (34.0); [Fri 1 Jan]; Mon 4 Jan 2027
        # 6.0 h more: 15:00.
        pytest.param(utc(2026, 12, 24, 9, 0), 40, utc(2027, 1, 4, 15, 0), id="christmas-and-new-year"),
        # Across the change to BST (Sun 29 Mar 2026): Fri 27 Mar 16:00 GMT (16:00 UTC): 1.5 h to
        # 17:30 GMT; Mon 30 Mar opens 09:00 BST = 08:00 UTC: 8.5 h (10.0); Tue 31 8.5 h (18.5);
        # Wed 1 Apr 5.5 h more: 14:30 BST = 13:30 UTC. (Clock hours would say Sat 28 Mar 16:00 UTC.)
        pytest.param(utc(2026, 3, 27, 16, 0), 24, utc(2026, 4, 1, 13, 30), id="dst-spring-forward"),
        # Across the change back to GMT (Sun 25 Oct 2026): Fri 23 Oct 17:00 BST = 16:00 UTC: 0.5 h to
        # 17:30 BST; Mon 26 Oct opens 09:00 GMT = 09:00 UTC: 8.5 h (9.0); Tue 27 8.5 h (17.5);
        # Wed 28 Oct 6.5 h more: 15:30 GMT = 15:30 UTC.
        pytest.param(utc(2026, 10, 23, 16, 0), 24, utc(2026, 10, 28, 15, 30), id="dst-fall-back"),
        # Easter on BST: Thu 2 Apr 2026 15:00 BST = 14:00 UTC: 2.5 h to 17:30; [Fri 3 Good Friday,
        # Sat, Sun, Mon 6 Easter Monday]; Tue 7 8.5 h (11.0); Wed 8 8.5 h (19.5); Thu 9 Apr 4.5 h
        # more: 13:30 BST = 12:30 UTC.
        pytest.param(utc(2026, 4, 2, 14, 0), 24, utc(2026, 4, 9, 12, 30), id="easter-on-bst"),
    ],
)
def test_working_hours_on_england_and_wales_business_days(start, hours, expected):
    got = ENGLAND.add_working_hours(start, timedelta(hours=hours), opens=NINE, closes=HALF_FIVE, tz=LONDON)
    assert got == expected
    assert got.tzinfo is not None and got.utcoffset() == timedelta(0)


def test_the_firms_hours_zone_and_calendar_are_the_ones_counted():
    # 08:00–16:00 (8 h a day) in London from Fri 4 Dec 2026 15:00: 1 h Friday; Mon 7 8 h (9);
    # Tue 8 8 h (17); Wed 9 Dec 7 h more: 15:00.
    assert ENGLAND.add_working_hours(
        utc(2026, 12, 4, 15, 0), timedelta(hours=24), opens=time(8), closes=time(16), tz=LONDON
    ) == utc(2026, 12, 9, 15, 0)
    # New York, 09:00–17:00 on US federal holidays, from Wed 25 Nov 2026 16:00 EST (21:00 UTC),
    # 8 h: 1 h Wednesday; [Thu 26 Thanksgiving]; Fri 27 Nov 7 h more: 16:00 EST = 21:00 UTC.
    assert BusinessCalendar.named("US").add_working_hours(
        utc(2026, 11, 25, 21, 0), timedelta(hours=8), opens=NINE, closes=time(17), tz=ZoneInfo("America/New_York")
    ) == utc(2026, 11, 27, 21, 0)
    # The firm's own closure day: HOLIDAYS=2026-12-07 on top of England & Wales moves the Friday
    # 17:00 case a working day on: Fri 0.5 h; [Mon 7]; Tue 8.5 (9.0); Wed 8.5 (17.5); Thu 10 Dec 15:30.
    closed = BusinessCalendar.named("england-and-wales", closures=frozenset({datetime(2026, 12, 7).date()}))
    assert closed.add_working_hours(
        utc(2026, 12, 4, 17, 0), timedelta(hours=24), opens=NINE, closes=HALF_FIVE, tz=LONDON
    ) == utc(2026, 12, 10, 15, 30)


def test_working_hours_that_do_not_open_before_they_close_are_refused():
    with pytest.raises(ValueError, match="open before they close"):
        ENGLAND.add_working_hours(utc(2026, 12, 4, 17), timedelta(hours=1), opens=HALF_FIVE, closes=NINE, tz=LONDON)


# --- the triage clock ----------------------------------------------------------------------------

BUSINESS = SlaPolicy(tz=LONDON, calendar=ENGLAND, triage_clock=TriageClock.BUSINESS_HOURS, working_day_start=NINE)
FRIDAY_17 = utc(2026, 12, 4, 17, 0)


def facts(logged_at: datetime) -> ComplaintFacts:
    return ComplaintFacts(reference="CMP-2026-0001", status="new", logged_at=logged_at, received_on=logged_at.date())


def triage_steps(policy: SlaPolicy, logged_at: datetime, now: datetime) -> list[tuple[str, str]]:
    return [
        (r.kind.value, r.key)
        for r in policy.due(facts(logged_at), now)
        if r.kind in (ReminderKind.TRIAGE_WARNING, ReminderKind.TRIAGE_BREACH)
    ]


def test_business_hours_triage_from_friday_17_00():
    # Due Wed 9 Dec 2026 15:30 and warned at 11:30 (the first two cases of the table above).
    assert BUSINESS.triage_due_at(FRIDAY_17) == utc(2026, 12, 9, 15, 30)
    assert BUSINESS.triage_warning_at(FRIDAY_17) == utc(2026, 12, 9, 11, 30)
    f = facts(FRIDAY_17)
    # Clock hours would have warned Sat 5 Dec 13:00 and escalated at 17:00: nothing is due then.
    assert triage_steps(BUSINESS, FRIDAY_17, utc(2026, 12, 5, 17, 0)) == []
    assert triage_steps(BUSINESS, FRIDAY_17, utc(2026, 12, 9, 11, 29, 59)) == []
    assert BUSINESS.next_check_at(f, utc(2026, 12, 8, 12, 0)) == utc(2026, 12, 9, 11, 30)
    assert triage_steps(BUSINESS, FRIDAY_17, utc(2026, 12, 9, 11, 30)) == [
        ("triage-warning", "triage-warning:CMP-2026-0001")
    ]
    assert triage_steps(BUSINESS, FRIDAY_17, utc(2026, 12, 9, 15, 29, 59)) == [
        ("triage-warning", "triage-warning:CMP-2026-0001")
    ]
    assert triage_steps(BUSINESS, FRIDAY_17, utc(2026, 12, 9, 15, 30)) == [
        ("triage-breach", "triage-breach:CMP-2026-0001:2026-12-09")
    ]


@pytest.mark.parametrize(
    "now, key_date, next_at",
    [
        # The breach (Wed 9 Dec 15:30) repeats at 15:30 on each business day after it: Thu 10 …
        pytest.param(utc(2026, 12, 10, 15, 30), "2026-12-10", utc(2026, 12, 11, 15, 30), id="thursday"),
        # … Fri 11 Dec, whose next is Mon 14 Dec, not Saturday …
        pytest.param(utc(2026, 12, 11, 15, 30), "2026-12-11", utc(2026, 12, 14, 15, 30), id="friday"),
        # … so on Sat 12 Dec 16:00 Friday's escalation is still the latest, and nothing new is due.
        pytest.param(utc(2026, 12, 12, 16, 0), "2026-12-11", utc(2026, 12, 14, 15, 30), id="saturday"),
        # Mon 14 Dec 15:29: still Friday's.
        pytest.param(utc(2026, 12, 14, 15, 29), "2026-12-11", utc(2026, 12, 14, 15, 30), id="monday-before"),
        pytest.param(utc(2026, 12, 14, 15, 30), "2026-12-14", utc(2026, 12, 15, 15, 30), id="monday"),
        # Over Christmas: Thu 24 Dec 15:30, next Tue 29 Dec (25 and 28 Dec are bank holidays).
        pytest.param(utc(2026, 12, 26, 9, 0), "2026-12-24", utc(2026, 12, 29, 15, 30), id="christmas"),
    ],
)
def test_a_business_hours_triage_breach_repeats_on_business_days(now, key_date, next_at):
    assert triage_steps(BUSINESS, FRIDAY_17, now) == [("triage-breach", f"triage-breach:CMP-2026-0001:{key_date}")]
    assert BUSINESS.next_check_at(facts(FRIDAY_17), now) == next_at


def test_clock_hours_stay_the_default_and_count_every_hour():
    clock = SlaPolicy(tz=LONDON, calendar=ENGLAND)
    assert clock.triage_clock == TriageClock.CLOCK_HOURS and clock.triage_basis is None
    # Fri 4 Dec 2026 17:00 + 24 h = Sat 5 Dec 17:00; + 20 h = Sat 13:00; the breach repeats on
    # Sunday too.
    assert clock.triage_due_at(FRIDAY_17) == utc(2026, 12, 5, 17, 0)
    assert clock.triage_warning_at(FRIDAY_17) == utc(2026, 12, 5, 13, 0)
    assert triage_steps(clock, FRIDAY_17, utc(2026, 12, 6, 17, 0)) == [
        ("triage-breach", "triage-breach:CMP-2026-0001:2026-12-06")
    ]


def test_the_triage_basis_names_the_hours_and_the_calendar():
    assert BUSINESS.triage_basis == (
        "24 working hours, 09:00–17:30 Europe/London on business days, England & Wales bank holidays"
    )
