"""Storing what a modal submitted exactly once, however often Slack or the person sends it."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, TypeVar

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

if TYPE_CHECKING:
    from storage.models import Event

Stored = TypeVar("Stored")
Result = TypeVar("Result")


def store_once(
    session_factory: sessionmaker[Session],
    *,
    view_id: str | None,
    find: Callable[[Session, str], Stored | None],
    insert: Callable[[Session], Result],
    stored_before: Callable[[Stored], Result],
) -> Result:
    """Run `insert` in one transaction unless the modal `view_id` was stored before.

    Returns what `insert` returned, or `stored_before` of the row stored before. The row keeps the
    view id under a unique constraint, so a concurrent second submission fails to insert and
    finds the first one instead.
    """
    if view_id:
        with session_factory() as session:
            existing = find(session, view_id)
        if existing is not None:
            return stored_before(existing)
    try:
        with session_factory.begin() as session:
            return insert(session)
    except IntegrityError:
        if not view_id:
            raise
        with session_factory() as session:
            existing = find(session, view_id)
        if existing is None:
            raise
        return stored_before(existing)


def stored_by_view(events: Iterable[Event], view_id: str | None) -> Event | None:
    """Of a record's `events`, the one a submission of the modal `view_id` stored (its data keeps
    the view id), if any: the way a change kept as an event alone is stored once. The record's row
    is locked before, so a second submission at the same moment waits and then finds the first's."""
    if not view_id:
        return None
    return next((e for e in events if (e.data or {}).get("view_id") == view_id), None)
