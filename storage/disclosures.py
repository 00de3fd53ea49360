"""The disclosures' SQL (bot/disclosures/): a disclosure by reference or by the modal it came from,
pages of disclosures, those on a matter, the latest of each kind, the latest costs estimate with an
amount, a disclosure's events."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage.models import Disclosure, Event


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


def latest_with_amount(session: Session, matter_ref: str, *, kinds: Collection[str]) -> Disclosure | None:
    """The matter's latest disclosure of `kinds` that has an amount (by day disclosed, then as
    logged), if any is kept."""
    return session.execute(
        select(Disclosure)
        .where(
            Disclosure.matter_ref == matter_ref,
            Disclosure.kind.in_(list(kinds)),
            Disclosure.amount.is_not(None),
            Disclosure.purged_at.is_(None),
        )
        .order_by(Disclosure.disclosed_on.desc(), Disclosure.id.desc())
        .limit(1)
    ).scalar_one_or_none()


def events_of_disclosure(session: Session, disclosure_id: int) -> Sequence[Event]:
    return session.execute(select(Event).where(Event.disclosure_id == disclosure_id).order_by(Event.id)).scalars().all()
