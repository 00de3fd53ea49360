"""The matters' SQL (bot/matters/): a matter by its reference, the one named for the first time by a
complaint or a disclosure, a person's open matters and every open one in batches, a matter's events
(one of them by its id) and the facts its client care reads."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date, datetime

from sqlalchemy import ColumnElement, case, func, or_, select, update
from sqlalchemy.orm import Session

from storage.models import Complaint, Disclosure, Event, Matter
from storage.upsert import upsert

OPEN = "open"
RESOLVED = "resolved"


def matter_by_ref(session: Session, matter_ref: str, *, for_update: bool = False) -> Matter | None:
    stmt = select(Matter).where(Matter.matter_ref == matter_ref)
    if for_update:
        stmt = stmt.with_for_update()
    return session.execute(stmt).scalar_one_or_none()


def insert_if_missing(session: Session, *, matter_ref: str, now: datetime) -> int | None:
    """Insert a matter not yet set up under `matter_ref` unless one is there; the new row's id, or
    None when it was there. ON CONFLICT keeps two requests naming the same new matter at once from
    failing each other."""
    stmt = (
        upsert(session, Matter)
        .values(matter_ref=matter_ref, set_up=False, status=OPEN, created_at=now)
        .on_conflict_do_nothing(index_elements=["matter_ref"])
        .returning(Matter.id)
    )
    return session.execute(stmt).scalar_one_or_none()


def events_of_matter(session: Session, matter_id: int, *, kinds: Sequence[str] | None = None) -> Sequence[Event]:
    """The matter's events in the order written; with `kinds`, only those of these kinds."""
    stmt = select(Event).where(Event.matter_id == matter_id)
    if kinds is not None:
        stmt = stmt.where(Event.kind.in_(list(kinds)))
    return session.execute(stmt.order_by(Event.id)).scalars().all()


def matter_event(session: Session, event_id: int, *, kind: str) -> tuple[Event, Matter] | None:
    """The matter's event `event_id` of `kind`, with its matter; None when there is no such event."""
    row = session.execute(
        select(Event, Matter).join(Matter, Matter.id == Event.matter_id).where(Event.id == event_id, Event.kind == kind)
    ).first()
    return (row[0], row[1]) if row is not None else None


def set_up_by_ref(session: Session, matter_refs: Sequence[str], *, chunk: int = 1000) -> dict[str, bool]:
    """Of `matter_refs`, those in the store, each with whether it is set up."""
    found: dict[str, bool] = {}
    for start in range(0, len(matter_refs), chunk):
        part = matter_refs[start : start + chunk]
        rows = session.execute(select(Matter.matter_ref, Matter.set_up).where(Matter.matter_ref.in_(part)))
        found.update((ref, set_up) for ref, set_up in rows)
    return found


def disclosed_kinds(session: Session, matter_refs: Sequence[str], *, chunk: int = 1000) -> dict[str, set[str]]:
    """Of `matter_refs`, the kinds of disclosure recorded on each (a purged one was still made)."""
    found: dict[str, set[str]] = {}
    for start in range(0, len(matter_refs), chunk):
        part = matter_refs[start : start + chunk]
        rows = session.execute(
            select(Disclosure.matter_ref, Disclosure.kind).where(Disclosure.matter_ref.in_(part)).distinct()
        )
        for ref, kind in rows:
            found.setdefault(ref, set()).add(kind)
    return found


def complaint_states(
    session: Session, matter_refs: Sequence[str], *, chunk: int = 1000
) -> dict[str, tuple[bool, datetime | None]]:
    """Of `matter_refs`, those with complaints: whether one is open, and when the latest was resolved."""
    found: dict[str, tuple[bool, datetime | None]] = {}
    is_open = func.max(case((Complaint.status != RESOLVED, 1), else_=0))
    for start in range(0, len(matter_refs), chunk):
        part = matter_refs[start : start + chunk]
        rows = session.execute(
            select(Complaint.matter_ref, is_open, func.max(Complaint.resolved_at))
            .where(Complaint.matter_ref.in_(part))
            .group_by(Complaint.matter_ref)
        )
        found.update((ref, (bool(open_), resolved)) for ref, open_, resolved in rows)
    return found


def look_again(session: Session, matter_ref: str, *, now: datetime) -> None:
    """Have the sweep look at the open matter `matter_ref` at `now` (its facts changed); one not set
    up has no lawyer to nudge, and is looked at once it is."""
    session.execute(
        update(Matter)
        .where(Matter.matter_ref == matter_ref, Matter.status == OPEN, Matter.set_up.is_(True))
        .values(next_reminder_at=now)
        .execution_options(synchronize_session=False)
    )


def first_disclosed(session: Session, matter_ref: str) -> dict[str, date]:
    """The matter's kinds of disclosure, each with the day the first of its kind was disclosed (a
    purged one was still made), in one query."""
    rows = session.execute(
        select(Disclosure.kind, func.min(Disclosure.disclosed_on))
        .where(Disclosure.matter_ref == matter_ref)
        .group_by(Disclosure.kind)
    )
    return {row[0]: row[1] for row in rows}


def open_involving(session: Session, *, involving: str, limit: int) -> Sequence[Matter]:
    """Up to `limit` of the open matters `involving` is responsible for or supervises, by reference
    (the indexes on (status, responsible_id) and (status, supervisor_id))."""
    where = [Matter.status == OPEN, or_(Matter.responsible_id == involving, Matter.supervisor_id == involving)]
    return session.execute(select(Matter).where(*where).order_by(Matter.matter_ref).limit(limit)).scalars().all()


def set_up_open_matters_batches(session: Session, *, batch: int = 500) -> Iterator[Sequence[Matter]]:
    """Every open matter that is set up, `batch` at a time by id: for the digest, which rates them all."""
    after = 0
    where = [Matter.status == OPEN, Matter.set_up.is_(True)]
    while True:
        rows = (
            session.execute(select(Matter).where(*where, Matter.id > after).order_by(Matter.id).limit(batch))
            .scalars()
            .all()
        )
        if not rows:
            return
        yield rows
        after = rows[-1].id


def _not_of(user_id: str) -> list[ColumnElement[bool]]:
    """Open matters `user_id` is neither responsible for nor supervising (a blank counts as neither)."""
    return [
        Matter.status == OPEN,
        func.coalesce(Matter.responsible_id, "") != user_id,
        func.coalesce(Matter.supervisor_id, "") != user_id,
    ]


def count_open_not_of(session: Session, *, user_id: str) -> int:
    return session.execute(select(func.count()).select_from(Matter).where(*_not_of(user_id))).scalar_one()


def open_not_of_likely_at_risk_first(
    session: Session, *, user_id: str, recent: date, costs_percent: int, offset: int, limit: int
) -> Sequence[Matter]:
    """Open matters not `user_id`'s, those most likely at risk first, as one ordered read: set up
    before not; then those with a sign SQL can see (costs at `costs_percent` of the estimate, a
    client unhappy or concerned on or after `recent`, an open complaint); then the longest without a client update
    (since the last one, or the opening); then by reference. Only an order to look in: the risk
    itself is bot/matters/policy.py's."""
    open_complaint = select(Complaint.matter_ref).where(Complaint.status != RESOLVED, Complaint.matter_ref.is_not(None))
    sign = or_(
        (Matter.costs_to_date * 100 >= Matter.costs_estimate * costs_percent) & (Matter.costs_estimate > 0),
        Matter.unhappy_on >= recent,
        Matter.concerned_on >= recent,
        Matter.matter_ref.in_(open_complaint),
    )
    order = (
        case((Matter.set_up.is_(True), 0), else_=1),
        case((sign, 0), else_=1),
        func.coalesce(Matter.last_update_on, Matter.opened_on),
        Matter.matter_ref,
    )
    stmt = select(Matter).where(*_not_of(user_id)).order_by(*order).offset(offset).limit(limit)
    return session.execute(stmt).scalars().all()
