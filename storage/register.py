"""The register's SQL: streaming reads for the export, bulk writes for the import.

The export reads with Core columns and `yield_per`, never ORM objects nor a list of all rows: on
PostgreSQL that is a server-side cursor, on SQLite a statement stepped as it is read, so a million
complaints go out in the memory of a thousand. The import writes in bulk, never a flush per row:
on SQLite one executemany per table (SQLAlchemy's insertmanyvalues batches it into multi-row
INSERT … RETURNING); on PostgreSQL with COPY, ids taken from the sequence first (multi-row INSERTs
of 40 columns spent most of their time in the driver turning placeholders into SQL: 10k rows in
7 s, against well under 1 s by COPY).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Generator, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date
from typing import Any

from sqlalchemy import (
    JSON,
    Connection,
    Engine,
    Row,
    Select,
    Table,
    case,
    create_engine,
    event,
    insert,
    select,
    text,
    update,
)
from sqlalchemy.orm import Session
from sqlalchemy.pool import ConnectionPoolEntry, NullPool
from sqlalchemy.types import TypeDecorator

from storage.db import SQLITE_BUSY_TIMEOUT_MS
from storage.models import Complaint, Disclosure, Event, ReferenceCounter
from storage.upsert import upsert

COMPLAINTS: Table = Complaint.__table__
DISCLOSURES: Table = Disclosure.__table__
EVENTS: Table = Event.__table__
COUNTERS: Table = ReferenceCounter.__table__

# Rows fetched per round trip while exporting: the most the export holds at once.
FETCH = 1000
# References per `IN (…)` when asking which exist: well under every backend's parameter limit.
CHUNK = 1000


@contextmanager
def reading(engine: Engine) -> Iterator[Connection]:
    """A connection for a long read that must not hold up the bot.

    The engine's SQLite connections begin with BEGIN IMMEDIATE, the write lock, so that writers
    queue rather than fail; an export holding it for a minute would make every click in Slack wait
    past the busy timeout. On SQLite the read therefore runs on a connection of its own in
    autocommit: in WAL mode one SELECT reads one snapshot however long it takes, and writers go
    on. PostgreSQL's ordinary connection already reads without blocking writers.
    """
    if engine.dialect.name != "sqlite":
        with engine.connect() as conn:
            yield conn
        return
    reader = create_engine(
        engine.url,
        poolclass=NullPool,
        connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000, "check_same_thread": False},
    )

    @event.listens_for(reader, "connect")
    def _autocommit(dbapi_connection: sqlite3.Connection, _record: ConnectionPoolEntry) -> None:
        dbapi_connection.isolation_level = None

    try:
        with reader.connect() as conn:
            yield conn
    finally:
        reader.dispose()


def _stream(conn: Connection, stmt: Select[*tuple[Any, ...]]) -> Generator[Row[*tuple[Any, ...]]]:
    result = conn.execute(stmt.execution_options(yield_per=FETCH))
    try:
        yield from result
    finally:
        result.close()


def _stream_by_day(
    conn: Connection, table: Table, day: str, columns: Sequence[str], first: date | None, last: date | None
) -> Generator[Row[*tuple[Any, ...]]]:
    """`table`'s rows in the order they came into the store, the date column `day` within the range (inclusive)."""
    stmt = select(*(table.c[name] for name in columns)).order_by(table.c.id)
    if first is not None:
        stmt = stmt.where(table.c[day] >= first)
    if last is not None:
        stmt = stmt.where(table.c[day] <= last)
    return _stream(conn, stmt)


def stream_complaints(
    conn: Connection,
    *,
    columns: Sequence[str],
    received_from: date | None = None,
    received_to: date | None = None,
) -> Generator[Row[*tuple[Any, ...]]]:
    return _stream_by_day(conn, COMPLAINTS, "received_on", columns, received_from, received_to)


def stream_disclosures(
    conn: Connection,
    *,
    columns: Sequence[str],
    disclosed_from: date | None = None,
    disclosed_to: date | None = None,
) -> Generator[Row[*tuple[Any, ...]]]:
    return _stream_by_day(conn, DISCLOSURES, "disclosed_on", columns, disclosed_from, disclosed_to)


def existing_references(session: Session, references: Sequence[str]) -> set[str]:
    """Which of `references` are already in the store, asked a chunk at a time."""
    found: set[str] = set()
    for start in range(0, len(references), CHUNK):
        chunk = list(references[start : start + CHUNK])
        found.update(session.execute(select(COMPLAINTS.c.reference).where(COMPLAINTS.c.reference.in_(chunk))).scalars())
    return found


def insert_complaints(session: Session, rows: Sequence[Mapping[str, Any]]) -> dict[str, int]:
    """Insert every row in bulk; the id given to each reference.

    Not `returning(…, sort_by_parameter_order=True)`: with no client-side sentinel column SQLite
    cannot promise RETURNING's order, so SQLAlchemy falls back to one INSERT per row (measured: 20k
    statements for 20k rows, 4 s). The reference is unique and comes back with its id, so the
    order does not matter and the rows go in multi-row INSERTs on both backends.
    """
    if not rows:
        return {}
    t = COMPLAINTS
    if session.get_bind().dialect.name == "postgresql":
        ids = _next_ids(session, t, len(rows))
        _copy(session, t, [{**row, "id": id_} for row, id_ in zip(rows, ids, strict=False)])
        return {row["reference"]: id_ for row, id_ in zip(rows, ids, strict=False)}
    stmt = insert(t).returning(t.c.id, t.c.reference)
    return {row.reference: row.id for row in session.execute(stmt, list(rows))}


def insert_events(session: Session, rows: Sequence[Mapping[str, Any]]) -> None:
    if not rows:
        return
    if session.get_bind().dialect.name == "postgresql":
        _copy(session, EVENTS, rows)
    else:
        session.execute(insert(EVENTS), list(rows))


def _next_ids(session: Session, table: Table, count: int) -> list[int]:
    """`count` ids from the table's own sequence, as INSERT would have taken them."""
    return list(
        session.execute(
            text("SELECT nextval(pg_get_serial_sequence(:table, 'id')) FROM generate_series(1, :n)"),
            {"table": table.name, "n": count},
        ).scalars()
    )


def _copy(session: Session, table: Table, rows: Sequence[Mapping[str, Any]]) -> None:
    """COPY `rows` into `table` on the session's own connection (so in its transaction), each value
    bound as the column's type binds it (UTC times made naive, JSON serialised)."""
    dialect = session.get_bind().dialect
    columns = [table.c[name] for name in rows[0]]
    binders = [
        c.type.bind_processor(dialect)
        if isinstance(c.type, TypeDecorator)
        else (json.dumps if isinstance(c.type, JSON) else None)
        for c in columns
    ]
    names = ", ".join(f'"{c.name}"' for c in columns)
    driver = session.connection().connection.driver_connection
    assert driver is not None  # a connection in use always has its driver's
    cursor = driver.cursor()
    with cursor.copy(f'COPY "{table.name}" ({names}) FROM STDIN') as copy:
        for row in rows:
            copy.write_row(
                [
                    value if bind is None or value is None else bind(value)
                    for value, bind in zip(row.values(), binders, strict=False)
                ]
            )


def raise_counters(session: Session, *, prefix: str, at_least: Mapping[int, int]) -> None:
    """Make each year's counter at least the given number (created if missing, never lowered), so a
    reference given later cannot collide with one kept from an imported register."""
    if not at_least:
        return
    stmt = upsert(session, ReferenceCounter).values(
        [{"prefix": prefix, "year": year, "last_value": value} for year, value in sorted(at_least.items())]
    )
    current = COUNTERS.c.last_value
    stmt = stmt.on_conflict_do_update(
        index_elements=["prefix", "year"],
        set_={"last_value": case((stmt.excluded.last_value > current, stmt.excluded.last_value), else_=current)},
    )
    session.execute(stmt)


def reserve_numbers(session: Session, *, prefix: str, year: int, count: int) -> int:
    """Take `count` consecutive reference numbers for `year` in one statement; the first of them.

    Like next_reference_number (storage/references.py), the counter row stays locked until the
    caller commits, so concurrent loggers wait and then continue after the block; a rollback gives
    the block back.
    """
    session.execute(
        upsert(session, ReferenceCounter)
        .values(prefix=prefix, year=year, last_value=0)
        .on_conflict_do_nothing(index_elements=["prefix", "year"])
    )
    last = session.execute(
        update(ReferenceCounter)
        .where(ReferenceCounter.prefix == prefix, ReferenceCounter.year == year)
        .values(last_value=ReferenceCounter.last_value + count)
        .returning(ReferenceCounter.last_value)
    ).scalar_one()
    return last - count + 1
