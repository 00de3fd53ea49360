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
    Column,
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

from storage.models import Complaint, Disclosure, Event, Matter, Notification

COMPLAINTS: Table = Complaint.__table__
DISCLOSURES: Table = Disclosure.__table__
MATTERS: Table = Matter.__table__
EVENTS: Table = Event.__table__
NOTIFICATIONS: Table = Notification.__table__
RESOLVED = "resolved"
CLOSED = "closed"


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


def _matter_due(t: FromClause, cutoff: datetime, cutoff_day: date) -> ColumnElement[bool]:
    """Closed before the cutoff, not yet purged, and nothing naming it still kept: no complaint this
    purge leaves alone (open, on hold, resolved too recently) and no disclosure made on or after the
    cutoff day. Complaints and disclosures due tonight do not keep it: they go first."""
    kept = COMPLAINTS.alias()
    recent = DISCLOSURES.alias()
    return and_(
        t.c.status == CLOSED,
        t.c.closed_at < cutoff,
        t.c.purged_at.is_(None),
        ~exists(select(kept.c.id).where(kept.c.matter_ref == t.c.matter_ref, _complaint_kept(kept, cutoff))),
        ~exists(
            select(recent.c.id).where(
                recent.c.matter_ref == t.c.matter_ref, recent.c.purged_at.is_(None), recent.c.disclosed_on >= cutoff_day
            )
        ),
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


def matters_due(session: Session, *, cutoff: datetime, cutoff_day: date) -> Sequence[Row[str, datetime]]:
    """(reference, closed_at) of every matter due for purge once the due complaints and disclosures are."""
    t = MATTERS
    return session.execute(
        select(t.c.matter_ref.label("reference"), t.c.closed_at)
        .where(_matter_due(t, cutoff, cutoff_day))
        .order_by(t.c.closed_at, t.c.id)
    ).all()


def held_back(session: Session, *, cutoff: datetime, cutoff_day: date) -> int:
    """Records past the retention period that a legal hold keeps: held complaints, and disclosures
    and closed matters on the matter of a held complaint."""
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
    m = MATTERS
    held_matters = session.execute(
        select(func.count())
        .select_from(m)
        .where(
            m.c.status == CLOSED,
            m.c.closed_at < cutoff,
            m.c.purged_at.is_(None),
            exists(
                select(held.c.id).where(
                    held.c.matter_ref == m.c.matter_ref, held.c.purged_at.is_(None), held.c.legal_hold_at.is_not(None)
                )
            ),
        )
    ).scalar_one()
    return held_complaints + held_disclosures + held_matters


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


def _claim(
    session: Session,
    t: Table,
    due: ColumnElement[bool],
    dated: Column[Any],
    *,
    limit: int,
    values: dict[str, Any],
    reference: str = "reference",
) -> list[Row[int, str, Any]]:
    """Anonymise up to `limit` rows of `t` that are `due`, oldest by `dated` first, and mark them
    purged; returns (id, reference, dated) of the ones this call claimed, oldest first. `due` is
    checked again in the UPDATE: a row another purge claimed meanwhile is not claimed twice."""
    ids = _pick(session, select(t.c.id).where(due).order_by(dated, t.c.id).limit(limit))
    if not ids:
        return []
    stmt = (
        update(t)
        .where(t.c.id.in_(ids), due)
        .values(**values)
        .returning(t.c.id, t.c[reference].label("reference"), dated)
    )
    return sorted(session.execute(stmt).all(), key=lambda r: (r[2], r.id))


def claim_complaints(
    session: Session, *, cutoff: datetime, now: datetime, limit: int, placeholder: str
) -> list[Row[int, str, datetime]]:
    """Anonymise up to `limit` due complaints and mark them purged; returns (id, reference, resolved_at)
    of the ones this call claimed. Counts, dates, category, severity, outcome, status, matter and the
    people's ids are kept for statistics."""
    t = COMPLAINTS
    values = {
        "client_name": placeholder,
        "summary": placeholder,
        "client_request": _removed_unless_null(t.c.client_request, placeholder),
        "remedy": _removed_unless_null(t.c.remedy, placeholder),
        "source_message_url": null(),
        "purged_at": now,
    }
    return _claim(session, t, _complaint_due(t, cutoff), t.c.resolved_at, limit=limit, values=values)


def claim_disclosures(
    session: Session, *, cutoff: datetime, cutoff_day: date, now: datetime, limit: int, placeholder: str
) -> list[Row[int, str, date]]:
    """Anonymise up to `limit` due disclosures and mark them purged; returns (id, reference, disclosed_on)."""
    t = DISCLOSURES
    values = {
        "client_name": placeholder,
        "content": placeholder,
        "document_url": null(),
        "source_message_url": null(),
        "purged_at": now,
    }
    return _claim(session, t, _disclosure_due(t, cutoff, cutoff_day), t.c.disclosed_on, limit=limit, values=values)


def claim_matters(
    session: Session, *, cutoff: datetime, cutoff_day: date, now: datetime, limit: int, placeholder: str
) -> list[Row[int, str, datetime]]:
    """Anonymise up to `limit` due matters and mark them purged; returns (id, reference, closed_at).
    The client's name, what the next key date was and why the check-in was snoozed go; the
    reference, area, dates, cadence, status and the people's ids are kept for statistics."""
    t = MATTERS
    values = {
        "client_name": _removed_unless_null(t.c.client_name, placeholder),
        "next_key_date_what": _removed_unless_null(t.c.next_key_date_what, placeholder),
        "snooze_reason": _removed_unless_null(t.c.snooze_reason, placeholder),
        "purged_at": now,
    }
    due = _matter_due(t, cutoff, cutoff_day)
    return _claim(session, t, due, t.c.closed_at, limit=limit, values=values, reference="matter_ref")


def _subject(table: Table, complaint_ids: Sequence[int], disclosure_ids: Sequence[int]) -> ColumnElement[bool]:
    return or_(table.c.complaint_id.in_(list(complaint_ids)), table.c.disclosure_id.in_(list(disclosure_ids)))


def event_data(
    session: Session,
    *,
    complaint_ids: Sequence[int] = (),
    disclosure_ids: Sequence[int] = (),
    matter_ids: Sequence[int] = (),
) -> Sequence[Row[int, dict[str, Any]]]:
    """(id, data) of every timeline event of these records."""
    subject = or_(_subject(EVENTS, complaint_ids, disclosure_ids), EVENTS.c.matter_id.in_(list(matter_ids)))
    return session.execute(select(EVENTS.c.id, EVENTS.c.data).where(subject).order_by(EVENTS.c.id)).all()


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
    matter_ids: Sequence[int] = (),
    dedupe_keys: Sequence[str] = (),
) -> None:
    """The outbox keeps each message's text (client names and all): replace it. A message of these
    records not yet sent is cancelled, so the placeholder never goes out. A matter's messages carry
    its id, except the confirmation of its opening (recorded before it had one): that one is named
    by its dedupe key, as any message can be by `dedupe_keys`."""
    subject = or_(
        _subject(NOTIFICATIONS, complaint_ids, disclosure_ids),
        NOTIFICATIONS.c.matter_id.in_(list(matter_ids)),
        NOTIFICATIONS.c.dedupe_key.in_(list(dedupe_keys)),
    )
    session.execute(
        update(NOTIFICATIONS)
        .where(subject, NOTIFICATIONS.c.sent_at.is_(None), NOTIFICATIONS.c.cancelled_at.is_(None))
        .values(cancelled_at=now)
    )
    session.execute(update(NOTIFICATIONS).where(subject).values(text=placeholder, blocks=null(), file_content=null()))


def add_events(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    """Append events (complaint_id, disclosure_id, matter_id, kind, actor, at, data), many at once."""
    if rows:
        session.execute(insert(EVENTS), list(rows))
