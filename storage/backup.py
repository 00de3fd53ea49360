"""Backups of the SQLite store and putting one back.

Copying the file of a WAL-mode database is not a backup: the last transactions may still be in its
`-wal` file, and a copy taken while the bot writes can be torn. SQLite's online backup API copies a
consistent snapshot through a read transaction, beside the bot's writers. The backup is one
self-contained file (journal mode DELETE, no `-wal` beside it), readable by its owner only, and
written whole or not at all. PostgreSQL has pg_dump for this; these functions name its line.
"""

from __future__ import annotations

import os
import shlex
import sqlite3
from contextlib import closing
from pathlib import Path

from sqlalchemy.engine import URL, make_url

from storage.db import SQLITE_FILE_MODE


class NotSQLite(Exception):
    """The store is not an SQLite file: its own tools back it up."""


class BackupRefused(Exception):
    """`str()` says why nothing was written."""


def sqlite_file(database_url: str) -> Path:
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        raise NotSQLite(database_url)
    return Path(url.database).expanduser()


def backup(database_url: str, target: Path) -> None:
    """Copy the store to `target`, which must not exist; safe while the bot runs and writes."""
    source = sqlite_file(database_url)
    if not source.is_file():
        raise BackupRefused(f"There is no database at {source} to back up (is COMPLAINTS_HOME or DATABASE_URL right?).")
    if target.exists():
        raise BackupRefused(f"{target} exists already: a backup never replaces a file; give it a new name.")
    with closing(sqlite3.connect(source)) as reader:
        _copy(reader, target)


def restore(backup_file: Path, database_url: str) -> None:
    """Put `backup_file` in place as the store, which must not exist yet."""
    target = sqlite_file(database_url)
    if not backup_file.is_file():
        raise BackupRefused(f"{backup_file}: there is no such file.")
    if any(f.exists() for f in (target, *_sidecars(target))):
        raise BackupRefused(
            f"{target} holds a database already: a restore never replaces one. Stop the bot, move that "
            "file (and its -wal and -shm files) away, then restore."
        )
    try:
        with closing(sqlite3.connect(backup_file)) as reader:
            tables = {r[0] for r in reader.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            if "alembic_version" not in tables:
                raise BackupRefused(f"{backup_file} is an SQLite file but not a backup of this bot's database.")
            target.parent.mkdir(parents=True, exist_ok=True)
            _copy(reader, target)
    except sqlite3.DatabaseError as e:
        raise BackupRefused(f"{backup_file} is not a readable SQLite database ({e}).") from None


def pg_dump_line(database_url: str, target: Path) -> str:
    return f"pg_dump --format=custom --file={_quote(str(target))} {_quote(_libpq_url(database_url))}"


def pg_restore_line(database_url: str, source: Path) -> str:
    return f"pg_restore --no-owner --dbname={_quote(_libpq_url(database_url))} {_quote(str(source))}"


def _copy(reader: sqlite3.Connection, target: Path) -> None:
    """The backup API's copy of `reader`'s database into a new file beside `target`, checked, then
    linked in as `target` (a link fails if `target` has appeared meanwhile: nothing is replaced)."""
    part = target.with_name(f".{target.name}.{os.getpid()}.part")
    try:
        os.close(os.open(part, os.O_CREAT | os.O_EXCL | os.O_WRONLY, SQLITE_FILE_MODE))
    except OSError as e:
        raise BackupRefused(f"{target} cannot be written: {e.strerror} ({target.parent}).") from None
    try:
        writer = sqlite3.connect(part)
        try:
            reader.backup(writer)  # all pages in one step: one read transaction, one snapshot
            writer.execute("PRAGMA journal_mode=DELETE")  # one file, no -wal to carry along
            check = writer.execute("PRAGMA quick_check").fetchone()[0]
            if check != "ok":
                raise BackupRefused(f"The copy failed SQLite's check ({check}); nothing was written.")
        finally:
            writer.close()
        with open(part, "rb") as f:
            os.fsync(f.fileno())
        try:
            os.link(part, target)
        except FileExistsError:
            raise BackupRefused(f"{target} appeared while it was being written; nothing was replaced.") from None
    finally:
        part.unlink(missing_ok=True)


def _sidecars(path: Path) -> tuple[Path, Path]:
    return path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")


def _libpq_url(database_url: str) -> str:
    """The URL as libpq reads it: no SQLAlchemy driver name, no password (pg_dump asks, or reads
    PGPASSWORD or ~/.pgpass)."""
    url = make_url(database_url)
    bare = URL.create("postgresql", url.username, None, url.host, url.port, url.database, url.query)
    return bare.render_as_string(hide_password=False)


def _quote(text: str) -> str:
    return shlex.quote(text)
