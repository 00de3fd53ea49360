"""Business days on the firm's calendar, and the final-response clock each scheme and calendar give.

Every expected date is worked out by hand in the comment beside it.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from bot.core.config import SettingsError, load_settings
from bot.reminders.policy import ComplaintFacts, ReminderKind
from bot.rulebooks.calendar import BusinessCalendar, CalendarUnknown

BASE = {"TRIAGE_CHANNEL": "C0123TRIAGE"}


def policy_for(**env: str):
    return load_settings("preview", {**BASE, **env}).policy()


@pytest.mark.parametrize(
    "env, received_on, expected",
    [
        # Wed 16 Dec 2026, 15 business days, England & Wales: Thu 17 (1), Fri 18 (2), Mon 21 (3) …
        # Thu 24 (6), [Fri 25 Christmas Day, Mon 28 Boxing Day substitute], Tue 29 (7), Wed 30 (8),
        # Thu 31 (9), [Fri 1 Jan New Year's Day], Mon 4 (10) … Fri 8 (14), Mon 11 Jan 2027 (15).
        ({"COMPLAINTS_SCHEME": "financial-ombudsman-payments"}, date(2026, 12, 16), date(2027, 1, 11)),
        # The same in Scotland, which also closes on Mon 4 Jan 2027 (2 January's substitute):
        # Mon 4 is skipped, so Tue 5 (10) … Fri 8 (13), Mon 11 (14), Tue 12 Jan 2027 (15).
        (
            {"COMPLAINTS_SCHEME": "financial-ombudsman-payments", "HOLIDAY_CALENDAR": "scotland"},
            date(2026, 12, 16),
            date(2027, 1, 12),
        ),
        # With no public calendar (weekends only) Christmas counts: Thu 17 (1) … Thu 24 (6),
        # Fri 25 (7), Mon 28 (8) … Thu 31 (11), Fri 1 (12), Mon 4 (13), Tue 5 (14), Wed 6 Jan (15):
        # three business days early, the mistake the calendar is there to prevent.
        (
            {"COMPLAINTS_SCHEME": "financial-ombudsman-payments", "HOLIDAY_CALENDAR": "none"},
            date(2026, 12, 16),
            date(2027, 1, 6),
        ),
        # The firm's own closure day on top: HOLIDAYS=2027-01-04 moves England & Wales' 11 Jan to
        # Tue 12 Jan 2027.
        (
            {"COMPLAINTS_SCHEME": "financial-ombudsman-payments", "HOLIDAYS": "2027-01-04"},
            date(2026, 12, 16),
            date(2027, 1, 12),
        ),
        # 8 weeks (legal-ombudsman, the default) from Fri 6 Mar 2026, across the change to BST
        # (Sun 29 Mar): 6 Mar + 56 days = Fri 1 May 2026.
        ({}, date(2026, 3, 6), date(2026, 5, 1)),
        # From Fri 2 Oct 2026, across the change back (Sun 25 Oct): Fri 27 Nov 2026.
        ({"COMPLAINTS_SCHEME": "financial-ombudsman"}, date(2026, 10, 2), date(2026, 11, 27)),
        # From 29 Feb 2028 (a leap day): March has 31 days, so 29 Feb + 56 days = Tue 25 Apr 2028.
        ({"COMPLAINTS_SCHEME": "none"}, date(2028, 2, 29), date(2028, 4, 25)),
        # A firm's clock setting overrides the scheme's: FINAL_RESPONSE_WEEKS=6 under payments
        # from Wed 16 Dec 2026: + 42 days = Wed 27 Jan 2027.
        (
            {"COMPLAINTS_SCHEME": "financial-ombudsman-payments", "FINAL_RESPONSE_WEEKS": "6"},
            date(2026, 12, 16),
            date(2027, 1, 27),
        ),
        # US-NY: Fri 25 Dec and Fri 1 Jan closed, Mon 28 Dec open. 10 business days from Wed 16 Dec
        # 2026: Thu 17 (1), Fri 18 (2), Mon 21 (3) … Thu 24 (6), Mon 28 (7), Tue 29 (8), Wed 30 (9),
        # Thu 31 Dec 2026 (10).
        (
            {"COMPLAINTS_SCHEME": "none", "HOLIDAY_CALENDAR": "US-NY", "FINAL_RESPONSE_BUSINESS_DAYS": "10"},
            date(2026, 12, 16),
            date(2026, 12, 31),
        ),
    ],
    ids=[
        "payments-christmas-england-and-wales",
        "payments-christmas-scotland",
        "payments-christmas-weekends-only",
        "payments-firm-closure",
        "8-weeks-across-bst-start",
        "8-weeks-across-bst-end",
        "8-weeks-from-leap-day",
        "weeks-setting-overrides-scheme",
        "us-ny-10-business-days",
    ],
)
def test_final_response_due_on(env, received_on, expected):
    assert policy_for(**env).final_response_due_on(received_on) == expected


@pytest.mark.parametrize(
    "env, basis",
    [
        ({}, "8 weeks, Legal Ombudsman Scheme Rules"),
        ({"COMPLAINTS_SCHEME": "financial-ombudsman"}, "8 weeks, DISP 1.6.2R"),
        (
            {"COMPLAINTS_SCHEME": "financial-ombudsman-payments"},
            "15 business days, DISP 1.6.2AR, England & Wales bank holidays",
        ),
        (
            {"COMPLAINTS_SCHEME": "financial-ombudsman-payments", "HOLIDAY_CALENDAR": "scotland"},
            "15 business days, DISP 1.6.2AR, Scotland bank holidays",
        ),
        ({"COMPLAINTS_SCHEME": "none"}, "8 weeks, the firm's complaints procedure"),
        (
            {"FINAL_RESPONSE_BUSINESS_DAYS": "20", "HOLIDAYS": "2027-01-04"},
            "20 business days, the firm's setting, England & Wales bank holidays and 1 firm closure day",
        ),
    ],
)
def test_every_deadline_names_its_rule(env, basis):
    assert policy_for(**env).final_response_basis == basis


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def warnings_due(policy, received_on: date, now: datetime) -> list[tuple[str, int | None]]:
    f = ComplaintFacts(
        reference="CMP-2026-0042",
        status="triaged",
        logged_at=datetime.combine(received_on, datetime.min.time(), tzinfo=UTC),
        received_on=received_on,
    )
    return [(r.key, r.days_left) for r in policy.due(f, now) if r.kind == ReminderKind.FINAL_WARNING]


def test_a_warning_that_would_fall_on_a_weekend_or_holiday_comes_the_working_day_before():
    policy = policy_for()  # legal-ombudsman, England & Wales, warnings 14 and 7 days before
    # Received Sat 21 Nov 2026: due Sat 16 Jan 2027 (+ 56 days). The 7-day warning's date is
    # Sat 9 Jan: it goes out on Fri 8 Jan 2027 at 09:00 GMT, 8 days before.
    assert warnings_due(policy, date(2026, 11, 21), utc(2027, 1, 8, 8, 59))[-1][0].endswith(":14d")
    assert warnings_due(policy, date(2026, 11, 21), utc(2027, 1, 8, 9, 0)) == [("final-warning:CMP-2026-0042:7d", 8)]
    # The 14-day warning's date is Sat 2 Jan; Fri 1 Jan is New Year's Day, so it goes out on
    # Thu 31 Dec 2026 at 09:00 GMT, 16 days before.
    assert warnings_due(policy, date(2026, 11, 21), utc(2026, 12, 31, 8, 59)) == []
    assert warnings_due(policy, date(2026, 11, 21), utc(2026, 12, 31, 9, 0)) == [
        ("final-warning:CMP-2026-0042:14d", 16)
    ]


@pytest.mark.parametrize(
    "start, days, expected",
    [
        # Fri 27 Nov 2026 + 1: Mon 30 Nov (the weekend skipped).
        (date(2026, 11, 27), 1, date(2026, 11, 30)),
        # Thu 24 Dec 2026 + 1: Fri 25 and Mon 28 closed, so Tue 29 Dec.
        (date(2026, 12, 24), 1, date(2026, 12, 29)),
        # Thu 25 Mar 2027 + 1: Fri 26 (Good Friday) and Mon 29 (Easter Monday) closed: Tue 30 Mar.
        (date(2027, 3, 25), 1, date(2027, 3, 30)),
        # From a Saturday: Sat 28 Nov 2026 + 1 = Mon 30 Nov.
        (date(2026, 11, 28), 1, date(2026, 11, 30)),
        # Zero days: the start itself.
        (date(2026, 12, 25), 0, date(2026, 12, 25)),
    ],
)
def test_england_and_wales_business_days(start, days, expected):
    assert BusinessCalendar.named("england-and-wales").add_business_days(start, days) == expected


def test_the_calendar_lists_its_closed_weekdays_with_their_names():
    e_and_w = BusinessCalendar.named("england-and-wales", closures=frozenset({date(2026, 12, 24)}))
    assert list(e_and_w.holidays_between(date(2026, 12, 20), date(2027, 1, 5))) == [
        (date(2026, 12, 24), "Firm closed"),
        (date(2026, 12, 25), "Christmas Day"),
        (date(2026, 12, 28), "Boxing Day (observed)"),  # Sat 26 Dec is not listed: a weekend
        (date(2027, 1, 1), "New Year's Day"),
    ]
    assert e_and_w.on_or_before(date(2026, 12, 28)) == date(2026, 12, 23)  # 24th closed, 25th too
    assert e_and_w.on_or_after(date(2026, 12, 24)) == date(2026, 12, 29)  # 24th closed, 25th, 26-27, 28th
    assert e_and_w.on_or_after(date(2026, 12, 23)) == date(2026, 12, 23)  # a business day itself


@pytest.mark.parametrize(
    "env, problem",
    [
        ({"COMPLAINTS_SCHEME": "sra"}, "COMPLAINTS_SCHEME must be one of legal-ombudsman, financial-ombudsman,"),
        ({"HOLIDAY_CALENDAR": "wales-only"}, "HOLIDAY_CALENDAR: 'wales-only' is not a calendar the holidays package"),
        ({"HOLIDAY_CALENDAR": "US-XX"}, "HOLIDAY_CALENDAR: 'US-XX': US has no subdivision 'XX'"),
    ],
)
def test_a_scheme_or_calendar_it_does_not_know_is_refused_by_name(env, problem):
    with pytest.raises(SettingsError) as e:
        load_settings("preview", {**BASE, **env})
    assert problem in str(e.value)


def test_calendar_codes_are_read_in_any_case():
    assert BusinessCalendar.named("us-ny").key == "US-NY"
    assert BusinessCalendar.named("Scotland").key == "scotland"
    with pytest.raises(CalendarUnknown):
        BusinessCalendar.named("XX")


@pytest.mark.parametrize(
    "env, logged_on, expected",
    [
        # Logged Fri 27 Nov 2026, 2 working days: Mon 30 Nov (1), Tue 1 Dec 2026 (2); not Sun 29 Nov.
        ({}, date(2026, 11, 27), date(2026, 12, 1)),
        # Logged Thu 24 Dec 2026: Fri 25 and Mon 28 closed, so Tue 29 (1), Wed 30 Dec 2026 (2).
        ({}, date(2026, 12, 24), date(2026, 12, 30)),
        # FIRST_CONTACT_WORKING_DAYS=1 from Fri 27 Nov 2026: Mon 30 Nov.
        ({"FIRST_CONTACT_WORKING_DAYS": "1"}, date(2026, 11, 27), date(2026, 11, 30)),
    ],
)
def test_first_contact_is_counted_in_working_days(env, logged_on, expected):
    assert policy_for(**env).first_contact_by(logged_on) == expected
