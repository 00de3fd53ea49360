"""The rulebooks' own arithmetic: the last day to refer a complaint to the ombudsman."""

from datetime import date

import pytest

from bot.rulebooks.schemes import RULEBOOKS


@pytest.mark.parametrize(
    ("scheme", "responded_on", "expected"),
    [
        # 6 months after 3 Dec 2026 is 3 Jun 2027.
        ("legal-ombudsman", date(2026, 12, 3), date(2027, 6, 3)),
        # 31 Aug 2027 + 6 months: February 2028 has 29 days, so 29 Feb 2028.
        ("financial-ombudsman", date(2027, 8, 31), date(2028, 2, 29)),
        # 31 Aug 2026 + 6 months: February 2027 has 28 days, so 28 Feb 2027.
        ("financial-ombudsman-payments", date(2026, 8, 31), date(2027, 2, 28)),
        # 15 Jul 2026 + 6 months crosses the year: 15 Jan 2027.
        ("legal-ombudsman", date(2026, 7, 15), date(2027, 1, 15)),
        # No ombudsman, no referral date.
        ("none", date(2026, 12, 3), None),
    ],
)
def test_referral_by_is_the_schemes_months_after_the_response(scheme, responded_on, expected):
    assert RULEBOOKS[scheme].referral_by(responded_on) == expected
