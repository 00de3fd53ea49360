"""Summary resolution (FCA DISP 1.5): a complaint resolved by the close of business on the third
business day after the day it was received may be closed with a summary resolution communication
instead of a final response. After that moment the option is gone.

The one place the cut-off is worked out: the resolve modal asks it whether to offer the option,
and the complaints service asks it again when the resolution is stored.
"""

from __future__ import annotations

from datetime import date, datetime

from bot.reminders.policy import SlaPolicy
from bot.rulebooks.schemes import Rulebook

# DISP 1.5.2R: "by close of business on the third business day following the day on which it is received".
SUMMARY_RESOLUTION_BUSINESS_DAYS = 3


def summary_resolution_until(book: Rulebook, policy: SlaPolicy, received_on: date) -> datetime | None:
    """The last moment (UTC) a complaint received on `received_on` can be resolved by summary
    resolution: the end of the firm's working day (its time zone) on the third business day of its
    calendar after receipt. None under a scheme without summary resolution."""
    if not book.summary_resolution:
        return None
    return third_business_day_close(policy, received_on)


def third_business_day_close(policy: SlaPolicy, received_on: date) -> datetime:
    """The close of business (the end of the firm's working day, UTC) on the third business day of
    its calendar after `received_on`: the cut-off of DISP 1.5, and of the complaints return's
    "closed within 3 business days" (DISP 1 Annex 1R), whatever the scheme."""
    last_day = policy.calendar.add_business_days(received_on, SUMMARY_RESOLUTION_BUSINESS_DAYS)
    return policy.at_end_of_working_day(last_day)


def summary_resolution_open(book: Rulebook, policy: SlaPolicy, received_on: date, now: datetime) -> bool:
    """Whether a complaint received on `received_on` can still be resolved by summary resolution at `now`."""
    until = summary_resolution_until(book, policy, received_on)
    return until is not None and now <= until
