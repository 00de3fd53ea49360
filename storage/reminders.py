"""The reminders' SQL (bot/reminders/): what the sweep must look at, the complaints, disclosures and
matters whose next reminder time has passed."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import Complaint, Disclosure, Matter

# What the sweep reviews: each has its next_reminder_at.
Reviewed = TypeVar("Reviewed", Complaint, Disclosure, Matter)


def due_for_review(
    session: Session, model: type[Reviewed], *, now: datetime, limit: int, offset: int = 0, lock: bool = True
) -> Sequence[Reviewed]:
    """Complaints, disclosures or matters whose next reminder time has passed, oldest first (partial index).

    On PostgreSQL the rows are locked and rows another sweep holds are skipped, so concurrent
    sweeps share the work instead of queueing; the dedupe keys make either way safe.
    """
    stmt = (
        select(model)
        .where(model.next_reminder_at.is_not(None), model.next_reminder_at <= now)
        .order_by(model.next_reminder_at, model.id)
        .offset(offset)
        .limit(limit)
    )
    if lock and session.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update(skip_locked=True)
    return session.execute(stmt).scalars().all()
