"""The one INSERT with ON CONFLICT that both backends (PostgreSQL, SQLite) understand."""

from __future__ import annotations

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from storage.models import Base


def upsert(session: Session, model: type[Base] | Table) -> postgresql.Insert | sqlite.Insert:
    """An INSERT that supports ON CONFLICT on both backends."""
    if session.get_bind().dialect.name == "postgresql":
        return postgresql.insert(model)
    return sqlite.insert(model)
