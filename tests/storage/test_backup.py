"""`complaint-bot backup` and `restore`: SQLite's online backup beside a writer, a round trip into a
new folder that gives the same register, and pg_dump's line for PostgreSQL."""

from __future__ import annotations

import sqlite3
import stat

from storage import backup
from storage.db import make_engine
from storage.migrate import current_revision, head_revision
from tests.conftest import PG_URL
from tests.factories import log, migrated_context, run


def _store_with_complaints(folder, clock, count: int = 2) -> list[str]:
    """COMPLAINTS_HOME `folder` with its default store, migrated, holding `count` complaints."""
    ctx = migrated_context(f"sqlite:///{folder / 'complaints.db'}", clock)
    references = [log(ctx).reference for _ in range(count)]
    ctx.engine.dispose()
    return references


def test_backup_then_restore_into_a_new_folder_gives_the_same_register_at_head(tmp_path, clock):
    old, new = tmp_path / "old", tmp_path / "new"
    old.mkdir()
    new.mkdir()
    references = _store_with_complaints(old, clock)
    copy = tmp_path / "backups" / "complaints-2026-11-23.db"
    copy.parent.mkdir()

    made = run(["backup", str(copy)], {}, old)
    assert made.returncode == 0, made.stderr
    assert stat.S_IMODE(copy.stat().st_mode) == 0o600  # it holds client data
    assert not copy.with_name(copy.name + "-wal").exists()  # one file, nothing beside it to carry
    restored = run(["restore", str(copy)], {}, new)
    assert restored.returncode == 0, restored.stderr
    assert f"schema at revision {head_revision()}" in restored.stdout

    before = run(["export", "--format", "json"], {}, old)
    after = run(["export", "--format", "json"], {}, new)
    assert before.returncode == after.returncode == 0, before.stderr + after.stderr
    assert after.stdout == before.stdout and all(r in after.stdout for r in references)
    engine = make_engine(f"sqlite:///{new / 'complaints.db'}")
    assert current_revision(engine) == head_revision()
    engine.dispose()


def test_a_restore_never_replaces_a_database_and_a_backup_never_replaces_a_file(tmp_path, clock):
    _store_with_complaints(tmp_path, clock, count=1)
    taken = tmp_path / "taken.db"
    taken.write_text("an older backup")
    refused = run(["backup", str(taken)], {}, tmp_path)
    assert refused.returncode == 1 and "exists already" in refused.stderr
    assert taken.read_text() == "an older backup"
    assert run(["backup", str(tmp_path / "b.db")], {}, tmp_path).returncode == 0
    again = run(["restore", str(tmp_path / "b.db")], {}, tmp_path)  # onto the live store
    assert again.returncode == 1 and "holds a database already" in again.stderr
    empty = tmp_path / "empty"
    empty.mkdir()
    not_a_backup = run(["restore", str(taken)], {}, empty)
    assert not_a_backup.returncode == 1 and "not a readable SQLite database" in not_a_backup.stderr


def test_a_backup_taken_while_another_connection_writes_holds_what_was_committed(tmp_path, clock):
    committed = _store_with_complaints(tmp_path, clock, count=2)
    writer = sqlite3.connect(tmp_path / "complaints.db", isolation_level=None)
    try:
        writer.execute("BEGIN IMMEDIATE")  # the write lock, held through the backup
        writer.execute("UPDATE complaints SET client_name = 'changed, not yet committed'")
        backup.backup(f"sqlite:///{tmp_path / 'complaints.db'}", tmp_path / "during.db")
        writer.execute("COMMIT")
    finally:
        writer.close()
    with sqlite3.connect(tmp_path / "during.db") as copy:
        rows = copy.execute("SELECT reference, client_name FROM complaints ORDER BY reference").fetchall()
        assert copy.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    assert [r for r, _ in rows] == committed
    assert all(name != "changed, not yet committed" for _, name in rows)


def test_postgresql_is_backed_up_with_pg_dump(tmp_path):
    db_url = PG_URL.replace("postgres@", "postgres:hunter2@")
    result = run(["backup", str(tmp_path / "x.dump")], {"DATABASE_URL": db_url}, tmp_path)
    assert result.returncode == 1 and not (tmp_path / "x.dump").exists()
    assert "pg_dump --format=custom --file=" in result.stderr and "postgresql://postgres@127.0.0.1" in result.stderr
    assert "+psycopg" not in result.stderr and "hunter2" not in result.stderr
    restore = run(["restore", str(tmp_path / "x.dump")], {"DATABASE_URL": db_url}, tmp_path)
    assert restore.returncode == 1 and "pg_restore --no-owner --dbname=" in restore.stderr


def test_a_backup_into_a_folder_that_does_not_exist_says_so(tmp_path, clock):
    _store_with_complaints(tmp_path, clock, count=1)
    result = run(["backup", str(tmp_path / "no" / "such" / "b.db")], {}, tmp_path)
    assert result.returncode == 1 and "cannot be written: No such file or directory" in result.stderr
    assert "Traceback" not in result.stderr
