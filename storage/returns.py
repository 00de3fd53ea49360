"""The returns' SQL: every figure counted by the database with GROUP BY, never by loading rows.

What needs business days (closed by the close of the third business day after receipt) cannot be
worked out in SQL, so the caller works out each received day's cut-off moments in Python, from
the firm's calendar, and hands them in as a small table of dates (`Cutoffs`: a VALUES list joined
on received_on, a few hundred rows for a half year). The counting itself stays in SQL.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Date, and_, case, column, func, select, values
from sqlalchemy.orm import Session

from storage.models import Complaint
from storage.types import UTCDateTime

# Outcomes the return counts as upheld: a complaint upheld in part is upheld for reporting.
UPHELD = ("upheld", "partly_upheld")


@dataclass(frozen=True)
class Cutoff:
    """For complaints received on `received_on`: the last moment closing counts as within three
    business days, and the moment from which it counts as after eight weeks (both UTC)."""

    received_on: date
    three_days_until: datetime
    eight_weeks_from: datetime


@dataclass(frozen=True)
class Closed:
    """Complaints closed in a period, for one group."""

    closed: int
    within_three_days: int
    within_eight_weeks: int
    after_eight_weeks: int
    upheld: int


def _key(col: Any) -> ColumnElement[str]:
    # Grouped by an expression, so that a NULL (nothing recorded) and '' come out as one group.
    return func.coalesce(col, "")


def received_by(session: Session, col: Any, *, first: date, last: date) -> dict[str, int]:
    """Complaints received from `first` to `last` (inclusive), per value of `col` ('' for none)."""
    key = _key(col)
    stmt = select(key, func.count()).where(Complaint.received_on >= first, Complaint.received_on <= last).group_by(key)
    return {k: int(n) for k, n in session.execute(stmt).all()}


def closed_by(
    session: Session, col: Any, *, start: datetime, end: datetime, cutoffs: Sequence[Cutoff]
) -> dict[str, Closed]:
    """Complaints closed (resolved_at) in [start, end), per value of `col`, with the time they took.

    `cutoffs` covers every received day whose three-day or eight-week cut-off falls on or after
    `start` up to the last day of the period; a complaint received before the first of them was
    necessarily closed after eight weeks. A complaint reopened has no resolved_at until it is
    closed again, so each is counted once, by its present closure.
    """
    first = min(c.received_on for c in cutoffs)
    cut = (
        values(
            column("day", Date),
            column("three", UTCDateTime()),
            column("eight", UTCDateTime()),
            name="cutoffs",
        )
        .data([(c.received_on, c.three_days_until, c.eight_weeks_from) for c in cutoffs])
        .cte("cutoffs")
    )
    key = _key(col)
    resolved = Complaint.resolved_at
    in_period = (resolved >= start, resolved < end)
    # Driven from the cut-offs: one range of the received_on index per day, not a scan of the
    # cut-offs per complaint (what a LEFT JOIN from complaints made SQLite do: 1.5 s at 1M).
    stmt = (
        select(
            key,
            func.count(),
            func.sum(case((resolved <= cut.c.three, 1), else_=0)),
            func.sum(case((and_(resolved > cut.c.three, resolved < cut.c.eight), 1), else_=0)),
            func.sum(case((resolved >= cut.c.eight, 1), else_=0)),
            func.sum(case((Complaint.outcome.in_(UPHELD), 1), else_=0)),
        )
        .select_from(cut)
        .join(Complaint, Complaint.received_on == cut.c.day)
        .where(*in_period)
        .group_by(key)
    )
    # Received before the first cut-off day: closed after eight weeks, all of them.
    earlier = (
        select(key, func.count(), func.sum(case((Complaint.outcome.in_(UPHELD), 1), else_=0)))
        .where(*in_period, Complaint.received_on < first)
        .group_by(key)
    )
    result = {
        k: Closed(int(n), int(a or 0), int(b or 0), int(c or 0), int(u or 0))
        for k, n, a, b, c, u in session.execute(stmt).all()
    }
    for k, n, u in session.execute(earlier).all():
        had = result.get(k, Closed(0, 0, 0, 0, 0))
        result[k] = Closed(
            had.closed + int(n),
            had.within_three_days,
            had.within_eight_weeks,
            had.after_eight_weeks + int(n),
            had.upheld + int(u or 0),
        )
    return result


def closed_count_by(session: Session, col: Any, *, start: datetime, end: datetime) -> dict[str, int]:
    """Complaints closed in [start, end) per value of `col` (outcome, root cause)."""
    key = _key(col)
    stmt = select(key, func.count()).where(Complaint.resolved_at >= start, Complaint.resolved_at < end).group_by(key)
    return {k: int(n) for k, n in session.execute(stmt).all()}


def redress_paid_by(session: Session, col: Any, *, first: date, last: date) -> dict[tuple[str, str], int]:
    """Redress paid from `first` to `last` (redress_paid_on, inclusive), in minor units, per
    (value of `col`, currency); whenever the complaint itself was closed."""
    key = _key(col)
    currency = _key(Complaint.redress_currency)
    stmt = (
        select(key, currency, func.sum(Complaint.redress_paid))
        .where(
            Complaint.redress_paid_on >= first,
            Complaint.redress_paid_on <= last,
            Complaint.redress_paid.is_not(None),
        )
        .group_by(key, currency)
    )
    return {(k, cur): int(total or 0) for k, cur, total in session.execute(stmt).all()}


def redress_offered(session: Session, *, start: datetime, end: datetime) -> dict[str, int]:
    """Redress offered on complaints closed in [start, end), in minor units, per currency."""
    currency = _key(Complaint.redress_currency)
    stmt = (
        select(currency, func.sum(Complaint.redress_offered))
        .where(Complaint.resolved_at >= start, Complaint.resolved_at < end, Complaint.redress_offered.is_not(None))
        .group_by(currency)
    )
    return {cur: int(total or 0) for cur, total in session.execute(stmt).all()}


def days_to_close(session: Session, *, start: datetime, end: datetime) -> tuple[int, int]:
    """(complaints closed in [start, end), the sum of their whole days from receipt to closure):
    the mean's two terms, added up by the database. Days are counted to the UTC day of closure."""
    resolved = Complaint.resolved_at
    if session.get_bind().dialect.name == "postgresql":
        days: ColumnElement[Any] = func.cast(resolved, Date) - Complaint.received_on
    else:
        days = func.julianday(func.date(resolved)) - func.julianday(Complaint.received_on)
    n, total = session.execute(select(func.count(), func.sum(days)).where(resolved >= start, resolved < end)).one()
    return int(n), int(total or 0)


def referrals(session: Session, *, first: date, last: date) -> int:
    """Complaints the client referred to the ombudsman from `first` to `last` (referred_on)."""
    stmt = select(func.count()).where(Complaint.referred_on >= first, Complaint.referred_on <= last)
    return int(session.execute(stmt).scalar_one())


def ombudsman_decisions(session: Session, *, first: date, last: date) -> dict[str, tuple[int, int]]:
    """The ombudsman's decisions made from `first` to `last` (ombudsman_decided_on): per decision,
    (how many, the awards' sum in minor units)."""
    key = _key(Complaint.ombudsman_decision)
    stmt = (
        select(key, func.count(), func.sum(Complaint.ombudsman_award))
        .where(Complaint.ombudsman_decided_on >= first, Complaint.ombudsman_decided_on <= last)
        .group_by(key)
    )
    return {k: (int(n), int(award or 0)) for k, n, award in session.execute(stmt).all()}
