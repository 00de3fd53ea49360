"""Queries that need care: atomic reference numbers, the notification outbox, paged lists."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Sequence

from sqlalchemy import case, func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from storage.models import Complaint, Event, Notification, ReferenceCounter


def _insert(session: Session, model):
    """An INSERT that supports ON CONFLICT on both backends."""
    dialect = session.get_bind().dialect.name
    return (postgresql.insert if dialect == "postgresql" else sqlite.insert)(model)


def next_reference_number(session: Session, *, prefix: str, year: int) -> int:
    """The next number for `prefix` in `year`, allocated inside the caller's transaction.

    The counter row is created if missing (ON CONFLICT DO NOTHING), then bumped with
    UPDATE … RETURNING, which locks the row until the caller commits: concurrent loggers queue
    and each gets the next number; a rolled-back transaction gives its number back.
    """
    session.execute(
        _insert(session, ReferenceCounter)
        .values(prefix=prefix, year=year, last_value=0)
        .on_conflict_do_nothing(index_elements=["prefix", "year"])
    )
    return session.execute(
        update(ReferenceCounter)
        .where(ReferenceCounter.prefix == prefix, ReferenceCounter.year == year)
        .values(last_value=ReferenceCounter.last_value + 1)
        .returning(ReferenceCounter.last_value)
    ).scalar_one()


def complaint_by_reference(session: Session, reference: str, *, for_update: bool = False) -> Complaint | None:
    stmt = select(Complaint).where(Complaint.reference == reference)
    if for_update:
        stmt = stmt.with_for_update()
    return session.execute(stmt).scalar_one_or_none()


def complaint_by_view_id(session: Session, view_id: str) -> Complaint | None:
    return session.execute(select(Complaint).where(Complaint.source_view_id == view_id)).scalar_one_or_none()


def complaints_to_review(
    session: Session, *, now: datetime, limit: int, offset: int = 0, lock: bool = True
) -> Sequence[Complaint]:
    """Complaints whose next reminder time has passed, oldest first (served by a partial index).

    On PostgreSQL the rows are locked and rows another sweep holds are skipped, so concurrent
    sweeps share the work instead of queueing; the dedupe keys make either way safe.
    """
    stmt = (
        select(Complaint)
        .where(Complaint.next_reminder_at.is_not(None), Complaint.next_reminder_at <= now)
        .order_by(Complaint.next_reminder_at, Complaint.id)
        .offset(offset)
        .limit(limit)
    )
    if lock and session.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update(skip_locked=True)
    return session.execute(stmt).scalars().all()


def recorded_keys(session: Session, keys: Sequence[str]) -> set[str]:
    if not keys:
        return set()
    return set(session.execute(select(Notification.dedupe_key).where(Notification.dedupe_key.in_(list(keys)))).scalars())


def cancel_unsent(session: Session, *, complaint_id: int, kinds: Sequence[str], now: datetime) -> int:
    """Cancel reminders recorded for a complaint but not yet sent (they no longer apply)."""
    result = session.execute(
        update(Notification)
        .where(
            Notification.complaint_id == complaint_id,
            Notification.kind.in_(list(kinds)),
            Notification.sent_at.is_(None),
            Notification.cancelled_at.is_(None),
        )
        .values(cancelled_at=now)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount


def events_of(session: Session, complaint_id: int) -> Sequence[Event]:
    return session.execute(select(Event).where(Event.complaint_id == complaint_id).order_by(Event.id)).scalars().all()


def open_complaints_page(
    session: Session, *, viewer: str, offset: int, limit: int
) -> tuple[Sequence[Complaint], int]:
    """Open complaints, the viewer's own (handling or reported) first, then oldest triage first."""
    is_open = Complaint.status != "resolved"
    total = session.execute(select(func.count()).select_from(Complaint).where(is_open)).scalar_one()
    mine = case((or_(Complaint.handler_id == viewer, Complaint.reporter_id == viewer), 0), else_=1)
    rows = (
        session.execute(
            select(Complaint)
            .where(is_open)
            .order_by(mine, Complaint.triage_due_at, Complaint.id)
            .offset(offset)
            .limit(limit)
        )
        .scalars()
        .all()
    )
    return rows, total


# --- the notification outbox -------------------------------------------------------------------


def record_notification(
    session: Session,
    *,
    dedupe_key: str,
    kind: str,
    channel: str,
    text: str,
    blocks: list[dict[str, Any]] | None,
    now: datetime,
    complaint_id: int | None = None,
    update_of: str | None = None,
) -> bool:
    """Record a message to send under its dedupe key; False if that key was recorded before."""
    result = session.execute(
        _insert(session, Notification)
        .values(
            dedupe_key=dedupe_key,
            kind=kind,
            channel=channel,
            text=text,
            blocks=blocks,
            complaint_id=complaint_id,
            update_of=update_of,
            created_at=now,
            next_attempt_at=now,
            attempts=0,
        )
        .on_conflict_do_nothing(index_elements=["dedupe_key"])
        # RETURNING, not rowcount: through a Session, PostgreSQL's driver reports rowcount -1 here.
        .returning(Notification.id)
    )
    return result.scalar_one_or_none() is not None


def due_notification_ids(session: Session, *, now: datetime, keys: Sequence[str] | None = None, limit: int = 200) -> list[int]:
    """Unsent messages whose next attempt is due (served by the partial index on unsent rows)."""
    stmt = (
        select(Notification.id)
        .where(Notification.sent_at.is_(None), Notification.cancelled_at.is_(None), Notification.next_attempt_at <= now)
        .order_by(Notification.next_attempt_at, Notification.id)
        .limit(limit)
    )
    if keys is not None:
        stmt = stmt.where(Notification.dedupe_key.in_(list(keys)))
    return list(session.execute(stmt).scalars())


def claim_notification(session: Session, notification_id: int, *, now: datetime, lease_until: datetime) -> Notification | None:
    """Take a due message for sending; None if another sweep or process has it or it went out.

    The claim is a conditional UPDATE, so of two processes racing for the same row exactly one
    sees rowcount 1. A claim expires at `lease_until`: a process that dies mid-send leaves the
    message to be sent by the next sweep instead of losing it.
    """
    result = session.execute(
        update(Notification)
        .where(
            Notification.id == notification_id,
            Notification.sent_at.is_(None),
            Notification.cancelled_at.is_(None),
            Notification.next_attempt_at <= now,
            or_(Notification.claimed_until.is_(None), Notification.claimed_until <= now),
        )
        .values(claimed_until=lease_until, attempts=Notification.attempts + 1)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        return None
    return session.get(Notification, notification_id, populate_existing=True)


def sent_message_of(session: Session, dedupe_key: str) -> Notification | None:
    return session.execute(
        select(Notification).where(Notification.dedupe_key == dedupe_key, Notification.sent_at.is_not(None))
    ).scalar_one_or_none()


def pending_count(session: Session) -> int:
    return session.execute(
        select(func.count()).select_from(Notification).where(Notification.sent_at.is_(None), Notification.cancelled_at.is_(None))
    ).scalar_one()



def due_notifications(session: Session, *, now: datetime, limit: int = 1000) -> Sequence[Notification]:
    return (
        session.execute(
            select(Notification)
            .where(Notification.sent_at.is_(None), Notification.cancelled_at.is_(None), Notification.next_attempt_at <= now)
            .order_by(Notification.next_attempt_at, Notification.id)
            .limit(limit)
        )
        .scalars()
        .all()
    )
