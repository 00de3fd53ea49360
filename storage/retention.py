"""The retention purge's SQL: find what is due, claim it, anonymise it, rewrite its timeline's free text.

The timeline is append-only everywhere else (see the before_flush guard in storage/models.py);
`rewrite_event_data` below is the one UPDATE of the events table in the code base, and it is
only ever called by the purge, inside the transaction that claims the records it rewrites.

Claiming is a conditional UPDATE … WHERE purged_at IS NULL AND legal_hold_at IS NULL … RETURNING:
two purges at once (two processes, two threads) never both claim a record, so none is anonymised
or recorded twice. On PostgreSQL the rows are picked FOR UPDATE SKIP LOCKED, so a second purge
takes the next rows instead of waiting for the first; on SQLite writers queue (BEGIN IMMEDIATE).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    FromClause,
    Row,
    Select,
    Table,
    and_,
    bindparam,
    case,
    exists,
    func,
    insert,
    null,
    or_,
    select,
    update,
)
from sqlalchemy.orm import Session

from storage.models import Complaint, Disclosure, Event, Notification

COMPLAINTS: Table = Complaint.__table__
DISCLOSURES: Table = Disclosure.__table__
EVENTS: Table = Event.__table__
NOTIFICATIONS: Table = Notification.__table__
RESOLVED = "resolved"


# --- what is due -------------------------------------------------------------------------------


def _complaint_due(t: FromClause, cutoff: datetime) -> ColumnElement[bool]:
    """Resolved before the cutoff, not yet purged, not on hold (what ix_complaints_purge_due covers)."""
    return and_(t.c.resolved_at < cutoff, t.c.purged_at.is_(None), t.c.legal_hold_at.is_(None), t.c.status == RESOLVED)


def _complaint_kept(t: FromClause, cutoff: datetime) -> ColumnElement[bool]:
    """A complaint this purge leaves alone: open, on hold, or resolved too recently."""
    return and_(
        t.c.purged_at.is_(None),
        or_(
            t.c.status != RESOLVED, t.c.resolved_at.is_(None), t.c.resolved_at >= cutoff, t.c.legal_hold_at.is_not(None)
        ),
    )


def _disclosure_due(t: FromClause, cutoff: datetime, cutoff_day: date) -> ColumnElement[bool]:
    """Disclosed before the cutoff day, not yet purged, and no complaint on its matter is kept: what
    a client was told stays as long as a complaint about the matter may need it as evidence."""
    kept = COMPLAINTS.alias()
    return and_(
        t.c.purged_at.is_(None),
        t.c.disclosed_on < cutoff_day,
        ~exists(select(kept.c.id).where(kept.c.matter_ref == t.c.matter_ref, _complaint_kept(kept, cutoff))),
    )


def complaints_due(session: Session, *, cutoff: datetime) -> Sequence[Row[str, datetime]]:
    """(reference, resolved_at) of every complaint due for purge, oldest first."""
    t = COMPLAINTS
    return session.execute(
        select(t.c.reference, t.c.resolved_at).where(_complaint_due(t, cutoff)).order_by(t.c.resolved_at, t.c.id)
    ).all()


def disclosures_due(session: Session, *, cutoff: datetime, cutoff_day: date) -> Sequence[Row[str, date]]:
    """(reference, disclosed_on) of every disclosure due for purge once the due complaints are purged."""
    t = DISCLOSURES
    return session.execute(
        select(t.c.reference, t.c.disclosed_on)
        .where(_disclosure_due(t, cutoff, cutoff_day))
        .order_by(t.c.disclosed_on, t.c.id)
    ).all()


def held_back(session: Session, *, cutoff: datetime, cutoff_day: date) -> int:
    """Records past the retention period that a legal hold keeps: held complaints, and disclosures
    on the matter of a held complaint."""
    c, d = COMPLAINTS, DISCLOSURES
    held_complaints = session.execute(
        select(func.count())
        .select_from(c)
        .where(
            c.c.status == RESOLVED, c.c.resolved_at < cutoff, c.c.purged_at.is_(None), c.c.legal_hold_at.is_not(None)
        )
    ).scalar_one()
    held = COMPLAINTS.alias()
    held_disclosures = session.execute(
        select(func.count())
        .select_from(d)
        .where(
            d.c.purged_at.is_(None),
            d.c.disclosed_on < cutoff_day,
            exists(
                select(held.c.id).where(
                    held.c.matter_ref == d.c.matter_ref, held.c.purged_at.is_(None), held.c.legal_hold_at.is_not(None)
                )
            ),
        )
    ).scalar_one()
    return held_complaints + held_disclosures


# --- claiming and anonymising ---------------------------------------------------------------------


def _pick(session: Session, stmt: Select[int]) -> list[int]:
    """The ids a batch takes, as a statement of its own. On PostgreSQL they are locked and rows
    another purge has locked are skipped, not waited for. (Not a LIMIT subquery inside the UPDATE:
    PostgreSQL may run that again for each row it updates and so take more than the batch.)"""
    if session.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update(skip_locked=True)
    return list(session.execute(stmt).scalars())


def _removed_unless_null(column: ColumnElement[str | None], placeholder: str) -> ColumnElement[str | None]:
    return case((column.is_(None), null()), else_=placeholder)


def claim_complaints(
    session: Session, *, cutoff: datetime, now: datetime, limit: int, placeholder: str
) -> list[Row[int, str, datetime]]:
    """Anonymise up to `limit` due complaints and mark them purged; returns (id, reference, resolved_at)
    of the ones this call claimed. Counts, dates, category, severity, outcome, status, matter and the
    people's ids are kept for statistics."""
    t = COMPLAINTS
    ids = _pick(session, select(t.c.id).where(_complaint_due(t, cutoff)).order_by(t.c.resolved_at, t.c.id).limit(limit))
    if not ids:
        return []
    stmt = (
        update(t)
        .where(t.c.id.in_(ids), _complaint_due(t, cutoff))
        .values(
            client_name=placeholder,
            summary=placeholder,
            client_request=_removed_unless_null(t.c.client_request, placeholder),
            remedy=_removed_unless_null(t.c.remedy, placeholder),
            source_message_url=null(),
            purged_at=now,
        )
        .returning(t.c.id, t.c.reference, t.c.resolved_at)
    )
    return sorted(session.execute(stmt).all(), key=lambda r: (r.resolved_at, r.id))


def claim_disclosures(
    session: Session, *, cutoff: datetime, cutoff_day: date, now: datetime, limit: int, placeholder: str
) -> list[Row[int, str, date]]:
    """Anonymise up to `limit` due disclosures and mark them purged; returns (id, reference, disclosed_on)."""
    t = DISCLOSURES
    ids = _pick(
        session,
        select(t.c.id).where(_disclosure_due(t, cutoff, cutoff_day)).order_by(t.c.disclosed_on, t.c.id).limit(limit),
    )
    if not ids:
        return []
    stmt = (
        update(t)
        .where(t.c.id.in_(ids), _disclosure_due(t, cutoff, cutoff_day))
        .values(
            client_name=placeholder, content=placeholder, document_url=null(), source_message_url=null(), purged_at=now
        )
        .returning(t.c.id, t.c.reference, t.c.disclosed_on)
    )
    return sorted(session.execute(stmt).all(), key=lambda r: (r.disclosed_on, r.id))


def _subject(table: Table, complaint_ids: Sequence[int], disclosure_ids: Sequence[int]) -> ColumnElement[bool]:
    return or_(table.c.complaint_id.in_(list(complaint_ids)), table.c.disclosure_id.in_(list(disclosure_ids)))


def event_data(
    session: Session, *, complaint_ids: Sequence[int] = (), disclosure_ids: Sequence[int] = ()
) -> Sequence[Row[int, dict[str, Any]]]:
    """(id, data) of every timeline event of these records."""
    return session.execute(
        select(EVENTS.c.id, EVENTS.c.data).where(_subject(EVENTS, complaint_ids, disclosure_ids)).order_by(EVENTS.c.id)
    ).all()


def rewrite_event_data(session: Session, changes: Iterable[tuple[int, dict[str, Any]]]) -> None:
    """Replace the data of these events. The one UPDATE of the timeline: the purge's, nobody else's."""
    params = [{"event_id": event_id, "new_data": data} for event_id, data in changes]
    if params:
        stmt = (
            update(EVENTS)
            .where(EVENTS.c.id == bindparam("event_id"))
            .values(data=bindparam("new_data", type_=EVENTS.c.data.type))
        )
        session.execute(stmt, params)


def scrub_notifications(
    session: Session,
    *,
    placeholder: str,
    now: datetime,
    complaint_ids: Sequence[int] = (),
    disclosure_ids: Sequence[int] = (),
) -> None:
    """The outbox keeps each message's text (client names and all): replace it. A message of these
    records not yet sent is cancelled, so the placeholder never goes out."""
    subject = _subject(NOTIFICATIONS, complaint_ids, disclosure_ids)
    session.execute(
        update(NOTIFICATIONS)
        .where(subject, NOTIFICATIONS.c.sent_at.is_(None), NOTIFICATIONS.c.cancelled_at.is_(None))
        .values(cancelled_at=now)
    )
    session.execute(update(NOTIFICATIONS).where(subject).values(text=placeholder, blocks=null(), file_content=null()))


def add_events(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    """Append events (complaint_id, disclosure_id, kind, actor, at, data), many at once."""
    if rows:
        session.execute(insert(EVENTS), list(rows))
