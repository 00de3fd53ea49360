"""Summary resolution (FCA DISP 1.5): open until close of business (17:30, firm time) on the third
business day after the day of receipt, on the firm's calendar; gone after it; never under a scheme
without it."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from bot.core.config import Settings
from bot.rulebooks.schemes import RULEBOOKS
from bot.rulebooks.summary import summary_resolution_open, summary_resolution_until

FCA = Settings(complaints_scheme="financial-ombudsman")
LONDON = FCA.tz

# (received on, the moment it is resolved, firm time in London, whether summary resolution is open)
CASES = [
    # Received Thu 17 Dec 2026: business days Fri 18 (1), Mon 21 (2), Tue 22 Dec (3). GMT = UTC.
    (date(2026, 12, 17), datetime(2026, 12, 22, 17, 29), True),
    (date(2026, 12, 17), datetime(2026, 12, 22, 17, 30), True),  # close of business itself
    (date(2026, 12, 17), datetime(2026, 12, 22, 17, 31), False),
    (date(2026, 12, 17), datetime(2026, 12, 23, 9, 0), False),  # the next day
    (date(2026, 12, 17), datetime(2026, 12, 17, 16, 0), True),  # the day it came in
    # Received Wed 23 Dec 2026: Thu 24 (1); Fri 25 Christmas Day, Sat, Sun, Mon 28 Boxing Day
    # (observed); Tue 29 (2), Wed 30 Dec (3).
    (date(2026, 12, 23), datetime(2026, 12, 30, 17, 29), True),
    (date(2026, 12, 23), datetime(2026, 12, 30, 17, 31), False),
    (date(2026, 12, 23), datetime(2026, 12, 31, 10, 0), False),
    # Received Sat 19 Dec 2026: the day of receipt never counts, business day or not: Mon 21 (1),
    # Tue 22 (2), Wed 23 Dec (3).
    (date(2026, 12, 19), datetime(2026, 12, 23, 17, 29), True),
    (date(2026, 12, 19), datetime(2026, 12, 24, 9, 0), False),
    # Received Wed 24 Mar 2027: Thu 25 (1); Fri 26 Good Friday, Mon 29 Easter Monday; Tue 30 (2),
    # Wed 31 Mar (3).
    (date(2027, 3, 24), datetime(2027, 3, 31, 17, 29), True),
    (date(2027, 3, 24), datetime(2027, 4, 1, 9, 0), False),
    # Received Thu 27 Aug 2026, in British Summer Time: Fri 28 (1); Mon 31 Aug the summer bank
    # holiday; Tue 1 (2), Wed 2 Sep (3). Close of business 17:30 BST is 16:30 UTC.
    (date(2026, 8, 27), datetime(2026, 9, 2, 17, 29), True),
    (date(2026, 8, 27), datetime(2026, 9, 2, 17, 31), False),
]


@pytest.mark.parametrize("received_on, local_now, is_open", CASES, ids=[f"{r}-{n:%d%b-%H%M}" for r, n, _ in CASES])
def test_summary_resolution_is_open_until_close_of_business_on_the_third_business_day(received_on, local_now, is_open):
    now = local_now.replace(tzinfo=LONDON).astimezone(UTC)
    assert summary_resolution_open(FCA.rulebook, FCA.policy(), received_on, now) is is_open


def test_the_cut_off_is_the_end_of_the_working_day_in_the_firms_time_zone():
    assert summary_resolution_until(FCA.rulebook, FCA.policy(), date(2026, 8, 27)) == datetime(
        2026, 9, 2, 16, 30, tzinfo=UTC
    )
    assert summary_resolution_until(FCA.rulebook, FCA.policy(), date(2026, 12, 17)) == datetime(
        2026, 12, 22, 17, 30, tzinfo=UTC
    )


def test_the_firms_own_closure_days_push_the_cut_off_back():
    closed = Settings(complaints_scheme="financial-ombudsman", holidays=(date(2026, 12, 21),))
    # Received Thu 17 Dec 2026: Fri 18 (1); Mon 21 closed; Tue 22 (2), Wed 23 Dec (3).
    assert summary_resolution_until(closed.rulebook, closed.policy(), date(2026, 12, 17)) == datetime(
        2026, 12, 23, 17, 30, tzinfo=UTC
    )


@pytest.mark.parametrize("scheme", ["financial-ombudsman", "financial-ombudsman-payments"])
def test_both_fca_schemes_have_summary_resolution(scheme):
    s = Settings(complaints_scheme=scheme)
    assert summary_resolution_open(s.rulebook, s.policy(), date(2026, 12, 17), datetime(2026, 12, 18, 9, tzinfo=UTC))


@pytest.mark.parametrize("scheme", ["legal-ombudsman", "none"])
def test_other_schemes_never_have_it(scheme):
    s = Settings(complaints_scheme=scheme)
    assert not RULEBOOKS[scheme].summary_resolution
    assert summary_resolution_until(s.rulebook, s.policy(), date(2026, 12, 17)) is None
    assert not summary_resolution_open(s.rulebook, s.policy(), date(2026, 12, 17), datetime(2026, 12, 17, tzinfo=UTC))
