"""The timeline's one write: an event appended for a complaint or a disclosure (never updated)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session

from storage.models import Event


def add_event(
    session: Session,
    *,
    kind: str,
    actor: str,
    at: datetime,
    data: dict[str, Any],
    complaint_id: int | None = None,
    disclosure_id: int | None = None,
) -> None:
    session.execute(
        insert(Event.__table__).values(
            complaint_id=complaint_id, disclosure_id=disclosure_id, kind=kind, actor=actor, at=at, data=data
        )
    )
