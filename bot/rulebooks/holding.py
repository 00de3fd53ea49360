"""What a holding response does to the final-response deadline, by rulebook.

A holding response tells the client the firm needs more time, why, and when it expects to answer.
Under the 8-week schemes (DISP 1.6.2R(2); the Legal Ombudsman) it also tells them they may go to the
ombudsman now, and the deadline stays where it was. Under payment services (DISP 1.6.2AR(2)), a
holding reply sent within the 15 business days that gives the reasons and the date moves the
deadline to that date, which may be at most 35 business days after receipt.
"""

from __future__ import annotations

from datetime import date
from typing import Protocol

from bot.reminders.policy import SlaPolicy
from bot.rulebooks.schemes import Rulebook


class _Deadlined(Protocol):
    received_on: date
    final_response_due_on: date | None
    holding_response_sent_on: date | None


def latest_expected_on(book: Rulebook, policy: SlaPolicy, received_on: date) -> date | None:
    """The last date a holding reply may name for the final response (None: the scheme sets none)."""
    if not book.extended_business_days:
        return None
    return policy.calendar.add_business_days(received_on, book.extended_business_days)


def moved_due_on(book: Rulebook, *, due_on: date | None, sent_on: date, expected_on: date) -> date | None:
    """The final-response date after a holding reply sent on `sent_on` naming `expected_on`, or None
    when the deadline stays: the scheme allows no extension, the reply went out after the deadline
    (too late to extend it), or the date it names is not later than the deadline."""
    if not book.extended_business_days or due_on is None or sent_on > due_on or expected_on <= due_on:
        return None
    return expected_on


def is_extended(book: Rulebook, policy: SlaPolicy, c: _Deadlined) -> bool:
    """Whether `c`'s final-response date is one a holding reply set (later than the scheme's own)."""
    return bool(
        book.extended_business_days
        and c.holding_response_sent_on is not None
        and c.final_response_due_on is not None
        and c.final_response_due_on > policy.final_response_due_on(c.received_on)
    )


def final_response_basis(book: Rulebook, policy: SlaPolicy, c: _Deadlined) -> str:
    """How `c`'s final-response date was worked out, as its deadline messages name it: the policy's
    basis, or, once a holding reply moved it, "set by the holding reply: at most 35 business days,
    DISP 1.6.2AR, England & Wales bank holidays"."""
    if not is_extended(book, policy, c):
        return policy.final_response_basis
    return (
        f"set by the holding reply: at most {book.extended_business_days} business days, "
        f"{book.final_response_rule}, {policy.calendar.description}"
    )


def counting_basis(book: Rulebook, policy: SlaPolicy) -> str:
    """How final-response dates are counted, for a list of complaints some of which a holding reply
    may have moved: "15 business days, DISP 1.6.2AR, England & Wales bank holidays; a holding reply
    may set a later date, at most 35 business days after receipt"."""
    if not book.extended_business_days:
        return policy.final_response_basis
    return (
        f"{policy.final_response_basis}; a holding reply may set a later date, at most "
        f"{book.extended_business_days} business days after receipt"
    )
