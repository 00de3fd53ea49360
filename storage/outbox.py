"""The notification outbox's SQL (bot/outbox/): recording messages under their dedupe keys, cancelling
those that no longer apply, claiming due ones for sending, marking them sent or failed, and where a
sent one was posted."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import CursorResult, Select, and_, func, or_, select, update
from sqlalchemy.orm import Session

from storage.models import Notification
from storage.upsert import upsert

NOTIFICATIONS = Notification.__table__
Selected = TypeVar("Selected")


def recorded_keys(session: Session, keys: Sequence[str], *, revivable: bool = True) -> set[str]:
    """Which of `keys` are recorded; with revivable=False, leaving out the messages cancelled before
    they went out, which recording again brings back (see record_notifications)."""
    if not keys:
        return set()
    stmt = select(Notification.dedupe_key).where(Notification.dedupe_key.in_(list(keys)))
    if not revivable:
        stmt = stmt.where(
            ~and_(
                Notification.cancelled_at.is_not(None),
                Notification.sent_at.is_(None),
                Notification.abandoned_at.is_(None),
            )
        )
    return set(session.execute(stmt).scalars())


def cancel_unsent(
    session: Session,
    *,
    kinds: Sequence[str],
    now: datetime,
    complaint_id: int | None = None,
    disclosure_id: int | None = None,
    matter_id: int | None = None,
) -> int:
    """Cancel reminders recorded for a complaint, a disclosure or a matter but not yet sent (they no
    longer apply)."""
    if complaint_id is not None:
        subject = Notification.complaint_id == complaint_id
    elif disclosure_id is not None:
        subject = Notification.disclosure_id == disclosure_id
    else:
        subject = Notification.matter_id == matter_id
    result = session.execute(
        update(Notification)
        .where(
            subject,
            Notification.kind.in_(list(kinds)),
            Notification.sent_at.is_(None),
            Notification.cancelled_at.is_(None),
        )
        .values(cancelled_at=now)
        .execution_options(synchronize_session=False)
    )
    assert isinstance(result, CursorResult)  # as every UPDATE's is; Session.execute is typed for any statement
    return result.rowcount


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
    disclosure_id: int | None = None,
    update_of: str | None = None,
) -> bool:
    """Record a message to send under its dedupe key; False if that key was recorded before."""
    row = dict(
        dedupe_key=dedupe_key,
        kind=kind,
        channel=channel,
        text=text,
        blocks=blocks,
        complaint_id=complaint_id,
        disclosure_id=disclosure_id,
        update_of=update_of,
    )
    return bool(record_notifications(session, [row], now=now))


RECORD_CHUNK = 200


# One notification to record: the columns of `Notification` by name (dedupe_key, kind, channel, text,
# blocks, complaint_id or disclosure_id, ...).
OutboxRow = dict[str, Any]


def record_notifications(session: Session, rows: Sequence[OutboxRow], *, now: datetime) -> set[str]:
    """Record many messages in few statements; returns the keys that were new.

    One multi-row INSERT … ON CONFLICT per chunk: a key recorded before, by this process or
    another, is skipped by the unique constraint. One exception: a message cancelled before it
    went out (snoozed, resolved) that the policy finds due again (the snooze ran out, the complaint
    was reopened) is brought back, with its new content, instead of being lost; one given up after
    an error no retry can cure stays given up. RETURNING, not rowcount, says which rows went in
    (through a Session, PostgreSQL's driver reports rowcount -1 here).
    """
    table = NOTIFICATIONS
    inserted: set[str] = set()
    for start in range(0, len(rows), RECORD_CHUNK):
        # One row per key: PostgreSQL refuses an upsert that touches a row twice.
        by_key = {r["dedupe_key"]: r for r in reversed(rows[start : start + RECORD_CHUNK])}
        chunk = [
            {**NOTIFICATION_DEFAULTS, **r, "created_at": now, "next_attempt_at": now, "attempts": 0}
            for r in reversed(by_key.values())
        ]
        insert = upsert(session, table).values(chunk)
        # A claim is left alone: a process may be sending it right now, and its lease covers that.
        stmt = insert.on_conflict_do_update(
            index_elements=["dedupe_key"],
            set_={
                "cancelled_at": None,
                "created_at": insert.excluded.created_at,
                "next_attempt_at": insert.excluded.next_attempt_at,
                "attempts": 0,
                "last_error": None,
                "channel": insert.excluded.channel,
                "text": insert.excluded.text,
                "blocks": insert.excluded.blocks,
            },
            where=and_(table.c.cancelled_at.is_not(None), table.c.sent_at.is_(None), table.c.abandoned_at.is_(None)),
        ).returning(table.c.dedupe_key)
        inserted.update(session.execute(stmt).scalars())
    return inserted


NOTIFICATION_DEFAULTS: dict[str, Any] = {
    "update_of": None,
    "complaint_id": None,
    "disclosure_id": None,
    "matter_id": None,
    "blocks": None,
    "file_name": None,
    "file_title": None,
    "file_content": None,
    "file_path": None,
}


def _due(stmt: Select[Selected], now: datetime, limit: int) -> Select[Selected]:
    """Unsent messages whose next attempt is due, oldest first (served by the partial index on unsent rows)."""
    return (
        stmt.where(
            Notification.sent_at.is_(None), Notification.cancelled_at.is_(None), Notification.next_attempt_at <= now
        )
        .order_by(Notification.next_attempt_at, Notification.id)
        .limit(limit)
    )


def due_notification_ids(
    session: Session, *, now: datetime, keys: Sequence[str] | None = None, limit: int = 200
) -> list[int]:
    stmt = _due(select(Notification.id), now, limit)
    if keys is not None:
        stmt = stmt.where(Notification.dedupe_key.in_(list(keys)))
    return list(session.execute(stmt).scalars())


@dataclass(frozen=True)
class Claimed:
    """A message taken for sending: what delivery needs of its row."""

    id: int
    dedupe_key: str
    kind: str
    complaint_id: int | None
    disclosure_id: int | None
    channel: str
    text: str
    blocks: list[dict[str, Any]] | None
    update_of: str | None
    attempts: int
    file_name: str | None
    file_title: str | None
    file_content: bytes | None
    file_path: str | None


def claim_notifications(session: Session, ids: Sequence[int], *, now: datetime, lease_until: datetime) -> list[Claimed]:
    """Take due messages for sending; returns the rows this call claimed (others are someone else's).

    The claim is one conditional UPDATE … RETURNING, so of two processes racing for a row exactly
    one gets it back. A claim expires at `lease_until`: a process that dies mid-send leaves the
    message to be sent by a later sweep instead of losing it.
    """
    if not ids:
        return []
    t = NOTIFICATIONS
    stmt = (
        update(t)
        .where(
            t.c.id.in_(list(ids)),
            t.c.sent_at.is_(None),
            t.c.cancelled_at.is_(None),
            t.c.next_attempt_at <= now,
            or_(t.c.claimed_until.is_(None), t.c.claimed_until <= now),
        )
        .values(claimed_until=lease_until, attempts=t.c.attempts + 1)
        .returning(*(t.c[f.name] for f in fields(Claimed)))
    )
    order = {id_: i for i, id_ in enumerate(ids)}
    claimed = [Claimed(**row._asdict()) for row in session.execute(stmt)]
    return sorted(claimed, key=lambda c: order[c.id])


def release_claims(session: Session, ids: Sequence[int], *, lease_until: datetime) -> None:
    """Give back claims not used, so the next sweep can send those messages at once."""
    t = NOTIFICATIONS
    session.execute(
        update(t)
        .where(t.c.id.in_(list(ids)), t.c.claimed_until == lease_until, t.c.sent_at.is_(None))
        .values(claimed_until=None, attempts=t.c.attempts - 1)
    )  # the claim was no attempt


def mark_sent(session: Session, notification_id: int, *, now: datetime, channel: str, ts: str) -> None:
    t = NOTIFICATIONS
    session.execute(
        update(t)
        .where(t.c.id == notification_id)
        .values(sent_at=now, claimed_until=None, last_error=None, message_channel=channel, message_ts=ts)
    )


def mark_failed(
    session: Session, notification_id: int, *, error: str, retry_at: datetime | None, now: datetime
) -> None:
    """A failed send: retried at `retry_at`, or, with none, given up (kept, with its error, as
    cancelled and abandoned)."""
    t = NOTIFICATIONS
    values: dict[str, Any] = {"claimed_until": None, "last_error": error[:500]}
    if retry_at is None:
        values["cancelled_at"] = values["abandoned_at"] = now
    else:
        values["next_attempt_at"] = retry_at
    session.execute(update(t).where(t.c.id == notification_id).values(**values))


def was_abandoned(session: Session, dedupe_key: str) -> bool:
    """Whether the message under `dedupe_key` was given up without being sent (for good: a message
    merely cancelled may still be brought back)."""
    t = NOTIFICATIONS
    return (
        session.execute(
            select(t.c.id).where(t.c.dedupe_key == dedupe_key, t.c.abandoned_at.is_not(None), t.c.sent_at.is_(None))
        ).first()
        is not None
    )


def message_location(session: Session, dedupe_key: str) -> tuple[str, str] | None:
    """Where the message recorded under `dedupe_key` was posted, once it has been."""
    t = NOTIFICATIONS
    row = session.execute(
        select(t.c.message_channel, t.c.message_ts).where(t.c.dedupe_key == dedupe_key, t.c.sent_at.is_not(None))
    ).first()
    return (row.message_channel, row.message_ts) if row else None


def pending_count(session: Session) -> int:
    return session.execute(
        select(func.count())
        .select_from(Notification)
        .where(Notification.sent_at.is_(None), Notification.cancelled_at.is_(None))
    ).scalar_one()


def due_notifications(session: Session, *, now: datetime, limit: int = 1000) -> Sequence[Notification]:
    return session.execute(_due(select(Notification), now, limit)).scalars().all()
