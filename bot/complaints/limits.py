"""The client's own dates: when the problem happened and when the client became aware of it.

An ombudsman's time limits run from them (the Legal Ombudsman's one year from the problem, or
from when the client should have known of it; the Financial Ombudsman Service's six years from
the event, or three from awareness), so the record must not hold dates that contradict each other
or the complaint itself. The rule is here once; the intake modal and the register's import each
word it for their reader.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

ClientDate = Literal["problem_on", "aware_on"]


@dataclass(frozen=True)
class Misdated:
    """One of the client's dates on the wrong side of another: `field` may not be after
    received_on, nor (aware_on) before problem_on."""

    field: ClientDate
    against: Literal["received_on", "problem_on"]
    # The date it was held against.
    limit: date


def misdated(*, received_on: date | None, problem_on: date | None, aware_on: date | None) -> list[Misdated]:
    """What is wrong with the client's dates (nothing for a date not given); at most one per field."""
    wrong: list[Misdated] = []
    if received_on is not None and problem_on is not None and problem_on > received_on:
        wrong.append(Misdated("problem_on", "received_on", received_on))
    if received_on is not None and aware_on is not None and aware_on > received_on:
        wrong.append(Misdated("aware_on", "received_on", received_on))
    elif problem_on is not None and aware_on is not None and aware_on < problem_on:
        wrong.append(Misdated("aware_on", "problem_on", problem_on))
    return wrong
