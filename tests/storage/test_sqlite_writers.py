"""SQLite: the process's writers queue on one lock before SQLite's, and no way a transaction ends
leaves it held."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import text

from storage.db import WRITERS, make_engine, make_read_session_factory, make_session_factory


@pytest.fixture
def engine(tmp_path):
    eng = make_engine(f"sqlite:///{tmp_path / 'writers.db'}")
    with eng.begin() as conn:
        conn.execute(text("CREATE TABLE t (n INTEGER)"))
    yield eng
    eng.dispose()


def count(engine) -> int:
    with engine.connect() as conn:
        return conn.execute(text("SELECT count(*) FROM t")).scalar_one()


def test_concurrent_writers_all_land(engine):
    factory = make_session_factory(engine)

    def write() -> None:
        for _ in range(50):
            with factory.begin() as s:
                s.execute(text("INSERT INTO t VALUES (1)"))

    threads = [threading.Thread(target=write) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert count(engine) == 400
    assert not WRITERS[engine].locked()


def test_the_lock_is_given_back_however_a_transaction_ends(engine):
    factory = make_session_factory(engine)
    lock = WRITERS[engine]
    with factory.begin() as s:
        s.execute(text("INSERT INTO t VALUES (1)"))
        assert lock.locked()  # held for the write transaction
    assert not lock.locked()  # committed
    with pytest.raises(Exception, match="no such table"), factory.begin() as s:
        s.execute(text("INSERT INTO missing VALUES (1)"))
    assert not lock.locked()  # failed and rolled back
    with factory() as s:
        s.execute(text("INSERT INTO t VALUES (2)"))
    assert not lock.locked()  # closed without a commit
    conn = engine.connect()
    conn.execute(text("INSERT INTO t VALUES (3)"))
    assert lock.locked()
    conn.invalidate()
    assert not lock.locked()  # the connection thrown away mid-transaction
    assert count(engine) == 1


def test_readers_do_not_take_the_lock(engine):
    with make_read_session_factory(engine)() as s:
        s.execute(text("SELECT count(*) FROM t")).scalar_one()
        assert not WRITERS[engine].locked()
