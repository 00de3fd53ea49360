"""Engine and session factory for SQLite (default, embedded) and PostgreSQL."""

from __future__ import annotations

import os
import sqlite3
import threading
from pathlib import Path
from typing import Any
from weakref import WeakKeyDictionary

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import ConnectionPoolEntry

SQLITE_BUSY_TIMEOUT_MS = 15_000
# An execution option: this connection only reads, so on SQLite its transaction need not take the
# write lock (see _on_begin).
READS_ONLY = "complaints_reads_only"


_HOLDS_WRITER = "holds_the_writers_lock"
# Each SQLite engine's lock that its writers queue on (see _sqlite_engine).
WRITERS: WeakKeyDictionary[Engine, threading.Lock] = WeakKeyDictionary()

# The store holds client data: its files are for the bot's own user only, as exports are.
SQLITE_FILE_MODE = 0o600


def make_engine(database_url: str, **kwargs: Any) -> Engine:
    url = make_url(database_url)
    # An error's text names the statement, never the values: they are client data, and errors are logged.
    kwargs.setdefault("hide_parameters", True)
    if url.get_backend_name() == "sqlite":
        return _sqlite_engine(database_url, **kwargs)
    kwargs.setdefault("pool_pre_ping", True)
    return create_engine(url, **kwargs)


def _sqlite_engine(database_url: str, **kwargs: Any) -> Engine:
    url = make_url(database_url)
    if url.database and url.database != ":memory:" and not url.database.startswith("file:"):
        _private_file(Path(url.database).expanduser().resolve())
    engine = create_engine(
        url,
        connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000, "check_same_thread": False},
        **kwargs,
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _record: ConnectionPoolEntry) -> None:
        # Let SQLAlchemy, not the driver, say when a transaction begins (see _on_begin).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        # IMMEDIATE takes the write lock up front. A deferred transaction that reads and then
        # writes can fail at once with "database is locked" when another writer got in between,
        # without waiting for the busy timeout; this way concurrent writers queue instead.
        # Sessions that only read (make_read_session_factory) begin deferred: in WAL mode they read
        # beside each other and beside a writer, instead of queueing for a lock they do not need.
        reads_only = connection.get_execution_options().get(READS_ONLY)
        if reads_only:
            connection.exec_driver_sql("BEGIN")
            return
        # The process's writers queue on a lock of their own first: SQLite's busy handler makes a
        # waiting writer sleep in growing steps (up to 100 ms each) and retry, so under load a
        # write waited far longer than the writer before it took (bench/intake.py: submission p99
        # 1.3 s). Other processes (a sweep from cron) still meet at SQLite's lock. Never a deadlock:
        # after the busy timeout the transaction goes on without the lock, as before.
        held = writers.acquire(timeout=SQLITE_BUSY_TIMEOUT_MS / 1000)
        connection.info[_HOLDS_WRITER] = held
        try:
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        except BaseException:
            _release(connection)
            raise

    def _release(connection: Connection) -> None:
        if connection.info.pop(_HOLDS_WRITER, False):
            writers.release()

    def _release_on_return(_dbapi_connection: Any, record: Any, *_: Any) -> None:
        # A transaction that ended without commit or rollback (its connection invalidated, or
        # returned to the pool mid-transaction) must not keep the lock.
        if record.info.pop(_HOLDS_WRITER, False):
            writers.release()

    writers = WRITERS[engine] = threading.Lock()
    event.listen(engine, "commit", _release)
    event.listen(engine, "rollback", _release)
    event.listen(engine.pool, "checkin", _release_on_return)
    event.listen(engine.pool, "invalidate", _release_on_return)
    return engine


def _private_file(path: Path) -> None:
    """Create the database file readable by its owner only, and tighten one created before.

    SQLite gives the -wal and -shm files it creates the mode of the database file, so they follow.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    os.close(os.open(path, os.O_CREAT | os.O_RDWR, SQLITE_FILE_MODE))
    for existing in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        try:
            if existing.stat().st_mode & 0o077 and existing.stat().st_uid == os.getuid():
                existing.chmod(SQLITE_FILE_MODE)
        except FileNotFoundError:
            pass


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


def make_read_session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions for reading only (lists, details, App Home): on SQLite they do not queue behind
    writers and each other for the write lock. Never write through one."""
    return sessionmaker(engine.execution_options(**{READS_ONLY: True}), expire_on_commit=False)
