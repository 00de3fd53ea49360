"""Queries that need care: atomic reference numbers, the notification outbox, paged lists."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import and_, bindparam, func, insert, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from storage.models import AccessRefusal, Complaint, Disclosure, Event, Notification, ReferenceCounter


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


def due_for_review(
    session: Session, model, *, now: datetime, limit: int, offset: int = 0, lock: bool = True
) -> Sequence:
    """Complaints or disclosures whose next reminder time has passed, oldest first (partial index).

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
) -> int:
    """Cancel reminders recorded for a complaint or disclosure but not yet sent (they no longer apply)."""
    subject = (
        Notification.complaint_id == complaint_id
        if complaint_id is not None
        else Notification.disclosure_id == disclosure_id
    )
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
    return result.rowcount


# Open complaints, as an IN list so the (status, …) indexes serve it.
OPEN_STATUSES = ("new", "triaged")
IS_OPEN = Complaint.status.in_(OPEN_STATUSES)
# The same, rendered into the SQL as literals: only then may the planner use the partial index of
# open complaints by triage deadline, whose WHERE must match the query's own. Only where that index
# is wanted: elsewhere the planner then prefers it to the covering (status, …) indexes the counts use.
IS_OPEN_LITERAL = Complaint.status.in_(
    bindparam("open_statuses", value=list(OPEN_STATUSES), expanding=True, literal_execute=True)
)


def events_of(session: Session, complaint_id: int) -> Sequence[Event]:
    return session.execute(select(Event).where(Event.complaint_id == complaint_id).order_by(Event.id)).scalars().all()


def _involving(user_id: str):
    return or_(Complaint.handler_id == user_id, Complaint.reporter_id == user_id)


def _not_involving(user_id: str):
    return and_(or_(Complaint.handler_id.is_(None), Complaint.handler_id != user_id), Complaint.reporter_id != user_id)


def open_complaints_page(
    session: Session, *, viewer: str, offset: int, limit: int, own_only: bool = False
) -> tuple[Sequence[Complaint], int]:
    """Open complaints, the viewer's own (handling or reported) first, then the rest, each oldest
    triage deadline first; with `own_only`, the viewer's own only.

    Two queries, not one ORDER BY "mine first": that sort had to read every open complaint for
    each page (25 ms at 100k complaints); the viewer's own are few, and the rest are read in
    triage-deadline order from the partial index of open complaints, as far as the page needs
    (from the full triage-deadline index it stepped over every old resolved complaint: 300 ms).
    """
    order = (Complaint.triage_due_at, Complaint.id)
    mine_total = session.execute(
        select(func.count()).select_from(Complaint).where(IS_OPEN, _involving(viewer))
    ).scalar_one()
    rows: list[Complaint] = []
    if offset < mine_total:
        rows += session.execute(
            select(Complaint).where(IS_OPEN, _involving(viewer)).order_by(*order).offset(offset).limit(limit)
        ).scalars()
    if own_only:
        return rows, mine_total
    if len(rows) < limit:
        rows += session.execute(
            select(Complaint)
            .where(IS_OPEN_LITERAL, _not_involving(viewer))
            .order_by(*order)
            .offset(max(offset - mine_total, 0))
            .limit(limit - len(rows))
        ).scalars()
    total = session.execute(select(func.count()).select_from(Complaint).where(IS_OPEN)).scalar_one()
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


def record_notifications(session: Session, rows: Sequence[dict[str, Any]], *, now: datetime) -> set[str]:
    """Record many messages in few statements; returns the keys that were new.

    One multi-row INSERT … ON CONFLICT per chunk: a key recorded before, by this process or
    another, is skipped by the unique constraint. One exception: a message cancelled before it
    went out (snoozed, resolved) that the policy finds due again (the snooze ran out, the complaint
    was reopened) is brought back, with its new content, instead of being lost; one given up after
    an error no retry can cure stays given up. RETURNING, not rowcount, says which rows went in
    (through a Session, PostgreSQL's driver reports rowcount -1 here).
    """
    table = Notification.__table__
    inserted: set[str] = set()
    for start in range(0, len(rows), RECORD_CHUNK):
        # One row per key: PostgreSQL refuses an upsert that touches a row twice.
        by_key = {r["dedupe_key"]: r for r in reversed(rows[start : start + RECORD_CHUNK])}
        chunk = [
            {**NOTIFICATION_DEFAULTS, **r, "created_at": now, "next_attempt_at": now, "attempts": 0}
            for r in reversed(by_key.values())
        ]
        stmt = _insert(session, table).values(chunk)
        # A claim is left alone: a process may be sending it right now, and its lease covers that.
        stmt = stmt.on_conflict_do_update(
            index_elements=["dedupe_key"],
            set_={
                "cancelled_at": None,
                "created_at": stmt.excluded.created_at,
                "next_attempt_at": stmt.excluded.next_attempt_at,
                "attempts": 0,
                "last_error": None,
                "channel": stmt.excluded.channel,
                "text": stmt.excluded.text,
                "blocks": stmt.excluded.blocks,
            },
            where=and_(table.c.cancelled_at.is_not(None), table.c.sent_at.is_(None), table.c.abandoned_at.is_(None)),
        ).returning(table.c.dedupe_key)
        inserted.update(session.execute(stmt).scalars())
    return inserted


NOTIFICATION_DEFAULTS = {
    "update_of": None,
    "complaint_id": None,
    "disclosure_id": None,
    "blocks": None,
    "file_name": None,
    "file_title": None,
    "file_content": None,
}


def _due(what, now: datetime, limit: int):
    """Unsent messages whose next attempt is due, oldest first (served by the partial index on unsent rows)."""
    return (
        select(what)
        .where(Notification.sent_at.is_(None), Notification.cancelled_at.is_(None), Notification.next_attempt_at <= now)
        .order_by(Notification.next_attempt_at, Notification.id)
        .limit(limit)
    )


def due_notification_ids(
    session: Session, *, now: datetime, keys: Sequence[str] | None = None, limit: int = 200
) -> list[int]:
    stmt = _due(Notification.id, now, limit)
    if keys is not None:
        stmt = stmt.where(Notification.dedupe_key.in_(list(keys)))
    return list(session.execute(stmt).scalars())


def claim_notifications(session: Session, ids: Sequence[int], *, now: datetime, lease_until: datetime) -> list:
    """Take due messages for sending; returns the rows this call claimed (others are someone else's).

    The claim is one conditional UPDATE … RETURNING, so of two processes racing for a row exactly
    one gets it back. A claim expires at `lease_until`: a process that dies mid-send leaves the
    message to be sent by a later sweep instead of losing it.
    """
    if not ids:
        return []
    t = Notification.__table__
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
        .returning(
            t.c.id,
            t.c.dedupe_key,
            t.c.kind,
            t.c.complaint_id,
            t.c.disclosure_id,
            t.c.channel,
            t.c.text,
            t.c.blocks,
            t.c.update_of,
            t.c.attempts,
            t.c.file_name,
            t.c.file_title,
            t.c.file_content,
        )
    )
    return sorted(session.execute(stmt).all(), key=lambda r: ids.index(r.id))


def release_claims(session: Session, ids: Sequence[int], *, lease_until: datetime) -> None:
    """Give back claims not used, so the next sweep can send those messages at once."""
    t = Notification.__table__
    session.execute(
        update(t)
        .where(t.c.id.in_(list(ids)), t.c.claimed_until == lease_until, t.c.sent_at.is_(None))
        .values(claimed_until=None, attempts=t.c.attempts - 1)
    )  # the claim was no attempt


def mark_sent(session: Session, notification_id: int, *, now: datetime, channel: str, ts: str) -> None:
    t = Notification.__table__
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
    t = Notification.__table__
    values: dict[str, Any] = {"claimed_until": None, "last_error": error[:500]}
    if retry_at is None:
        values["cancelled_at"] = values["abandoned_at"] = now
    else:
        values["next_attempt_at"] = retry_at
    session.execute(update(t).where(t.c.id == notification_id).values(**values))


def was_abandoned(session: Session, dedupe_key: str) -> bool:
    """Whether the message under `dedupe_key` was given up without being sent (for good: a message
    merely cancelled may still be brought back)."""
    t = Notification.__table__
    return (
        session.execute(
            select(t.c.id).where(t.c.dedupe_key == dedupe_key, t.c.abandoned_at.is_not(None), t.c.sent_at.is_(None))
        ).first()
        is not None
    )


def message_location(session: Session, dedupe_key: str) -> tuple[str, str] | None:
    """Where the message recorded under `dedupe_key` was posted, once it has been."""
    t = Notification.__table__
    row = session.execute(
        select(t.c.message_channel, t.c.message_ts).where(t.c.dedupe_key == dedupe_key, t.c.sent_at.is_not(None))
    ).first()
    return (row.message_channel, row.message_ts) if row else None


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


def pending_count(session: Session) -> int:
    return session.execute(
        select(func.count())
        .select_from(Notification)
        .where(Notification.sent_at.is_(None), Notification.cancelled_at.is_(None))
    ).scalar_one()


def due_notifications(session: Session, *, now: datetime, limit: int = 1000) -> Sequence[Notification]:
    return session.execute(_due(Notification, now, limit)).scalars().all()


# --- disclosures ---------------------------------------------------------------------------------


def disclosure_by_reference(session: Session, reference: str, *, for_update: bool = False) -> Disclosure | None:
    stmt = select(Disclosure).where(Disclosure.reference == reference)
    if for_update:
        stmt = stmt.with_for_update()
    return session.execute(stmt).scalar_one_or_none()


def disclosure_by_view_id(session: Session, view_id: str) -> Disclosure | None:
    return session.execute(select(Disclosure).where(Disclosure.source_view_id == view_id)).scalar_one_or_none()


def disclosures_page(
    session: Session, *, matter_ref: str | None, offset: int, limit: int, logged_by: str | None = None
) -> tuple[Sequence[Disclosure], int]:
    """Disclosures, newest first, for one matter or all; with `logged_by`, only that person's."""
    where = [Disclosure.matter_ref == matter_ref] if matter_ref else []
    if logged_by is not None:
        where.append(Disclosure.logged_by == logged_by)
    total = session.execute(select(func.count()).select_from(Disclosure).where(*where)).scalar_one()
    rows = (
        session.execute(
            select(Disclosure)
            .where(*where)
            .order_by(Disclosure.disclosed_on.desc(), Disclosure.id.desc())
            .offset(offset)
            .limit(limit)
        )
        .scalars()
        .all()
    )
    return rows, total


def disclosures_on_matter(
    session: Session, matter_ref: str, *, limit: int = 200, logged_by: str | None = None
) -> Sequence[Disclosure]:
    where = [Disclosure.matter_ref == matter_ref]
    if logged_by is not None:
        where.append(Disclosure.logged_by == logged_by)
    return (
        session.execute(select(Disclosure).where(*where).order_by(Disclosure.disclosed_on, Disclosure.id).limit(limit))
        .scalars()
        .all()
    )


def latest_disclosure_by_kind(session: Session, matter_ref: str, *, logged_by: str | None = None) -> dict[str, date]:
    """For a matter: each kind of disclosure on record, with the date of the latest one; with
    `logged_by`, of that person's disclosures only."""
    where = [Disclosure.matter_ref == matter_ref]
    if logged_by is not None:
        where.append(Disclosure.logged_by == logged_by)
    rows = session.execute(
        select(Disclosure.kind, func.max(Disclosure.disclosed_on)).where(*where).group_by(Disclosure.kind)
    ).all()
    return dict(rows)


def complaints_on_matter(
    session: Session, matter_ref: str, *, limit: int = 200, involving: str | None = None
) -> Sequence[Complaint]:
    where = [Complaint.matter_ref == matter_ref]
    if involving is not None:
        where.append(_involving(involving))
    return (
        session.execute(select(Complaint).where(*where).order_by(Complaint.received_on, Complaint.id).limit(limit))
        .scalars()
        .all()
    )


def record_refusal(session: Session, *, user_id: str, action: str, target: str | None, at: datetime) -> None:
    session.execute(
        insert(AccessRefusal.__table__).values(user_id=user_id, action=action, target=(target or "")[:200], at=at)
    )


def refusals(session: Session, *, limit: int = 100) -> Sequence[AccessRefusal]:
    return session.execute(select(AccessRefusal).order_by(AccessRefusal.id.desc()).limit(limit)).scalars().all()


def events_of_disclosure(session: Session, disclosure_id: int) -> Sequence[Event]:
    return session.execute(select(Event).where(Event.disclosure_id == disclosure_id).order_by(Event.id)).scalars().all()
