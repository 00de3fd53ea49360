"""The complaints' SQL (bot/complaints/): a complaint by reference or by the modal it came from,
the page of open complaints, complaints on a matter, a complaint's events."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import ColumnElement, and_, bindparam, func, or_, select
from sqlalchemy.orm import Session

from storage.models import Complaint, Event


def complaint_by_reference(session: Session, reference: str, *, for_update: bool = False) -> Complaint | None:
    stmt = select(Complaint).where(Complaint.reference == reference)
    if for_update:
        stmt = stmt.with_for_update()
    return session.execute(stmt).scalar_one_or_none()


def complaint_by_view_id(session: Session, view_id: str) -> Complaint | None:
    return session.execute(select(Complaint).where(Complaint.source_view_id == view_id)).scalar_one_or_none()


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


def _involving(user_id: str) -> ColumnElement[bool]:
    return or_(Complaint.handler_id == user_id, Complaint.reporter_id == user_id)


def _not_involving(user_id: str) -> ColumnElement[bool]:
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
