"""Storing what a modal submitted exactly once, however often Slack or the person sends it."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

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
