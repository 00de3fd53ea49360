"""Access refusals on record (bot/access): who was refused what, and when."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from storage.models import AccessRefusal


def record_refusal(session: Session, *, user_id: str, action: str, target: str | None, at: datetime) -> None:
    session.execute(
        insert(AccessRefusal.__table__).values(user_id=user_id, action=action, target=(target or "")[:200], at=at)
    )


def refusals(session: Session, *, limit: int = 100) -> Sequence[AccessRefusal]:
    return session.execute(select(AccessRefusal).order_by(AccessRefusal.id.desc()).limit(limit)).scalars().all()
