"""Alembic environment: run with a connection handed in by storage.migrate, or a URL from alembic.ini."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, text

from storage.db import make_engine
from storage.models import Base

config = context.config
target_metadata = Base.metadata

# Any fixed number: every process that migrates this database takes the same lock first.
MIGRATION_LOCK_ID = 0x636D706C


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        if connection.dialect.name == "postgresql":
            # Two bot processes starting at once must not both create the schema.
            connection.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": MIGRATION_LOCK_ID})
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    url = config.get_main_option("sqlalchemy.url")
    if url is None:
        raise SystemExit("No database to migrate: run `complaint-bot migrate`, or set sqlalchemy.url in alembic.ini.")
    engine = make_engine(url)
    with engine.connect() as conn:
        _run(conn)
    engine.dispose()


if context.is_offline_mode():
    raise SystemExit("Offline (SQL script) migrations are not supported; run `complaint-bot migrate`.")
run_migrations_online()
