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
) -> tuple[Stored | None, Result | None]:
    """Run `insert` in one transaction unless the modal `view_id` was stored before.

    Returns (what was stored before, None) or (None, what `insert` returned). The row keeps the
    view id under a unique constraint, so a concurrent second submission fails to insert and
    finds the first one instead.
    """
    if view_id:
        with session_factory() as session:
            existing = find(session, view_id)
        if existing is not None:
            return existing, None
    try:
        with session_factory.begin() as session:
            return None, insert(session)
    except IntegrityError:
        if not view_id:
            raise
        with session_factory() as session:
            existing = find(session, view_id)
        if existing is None:
            raise
        return existing, None
