"""Reading sessions do not wait for writers: lists, details and App Home stay answerable while the
store is being written to."""

from __future__ import annotations

from sqlalchemy import func, select

from storage.db import make_read_session_factory
from storage.models import ReferenceCounter


def test_a_read_session_reads_beside_an_open_write_transaction(engine, session_factory):
    with session_factory.begin() as s:
        s.add(ReferenceCounter(prefix="CMP", year=2025, last_value=1))
    reads = make_read_session_factory(engine)
    with session_factory.begin() as writer:
        writer.add(ReferenceCounter(prefix="CMP", year=2026, last_value=7))
        writer.flush()  # the write lock is held from here until the commit
        with reads() as reader:
            # Sees what was committed, not the open write, and does not wait for it to finish.
            assert reader.execute(select(func.count()).select_from(ReferenceCounter)).scalar_one() == 1
    with reads() as reader:
        assert reader.execute(select(func.count()).select_from(ReferenceCounter)).scalar_one() == 2
