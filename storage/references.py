"""Reference numbers (CMP-2026-0001, DIS-…): the atomic per-year counter behind them."""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.orm import Session

from storage.models import ReferenceCounter
from storage.upsert import upsert


def next_reference_number(session: Session, *, prefix: str, year: int) -> int:
    """The next number for `prefix` in `year`, allocated inside the caller's transaction.

    The counter row is created if missing (ON CONFLICT DO NOTHING), then bumped with
    UPDATE … RETURNING, which locks the row until the caller commits: concurrent loggers queue
    and each gets the next number; a rolled-back transaction gives its number back.
    """
    session.execute(
        upsert(session, ReferenceCounter)
        .values(prefix=prefix, year=year, last_value=0)
        .on_conflict_do_nothing(index_elements=["prefix", "year"])
    )
    return session.execute(
        update(ReferenceCounter)
        .where(ReferenceCounter.prefix == prefix, ReferenceCounter.year == year)
        .values(last_value=ReferenceCounter.last_value + 1)
        .returning(ReferenceCounter.last_value)
    ).scalar_one()
