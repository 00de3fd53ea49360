"""Seeding large stores quickly for the benchmarks (Core bulk inserts, not the ORM)."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from sqlalchemy import Engine, insert, text

from bot.core.vocabulary import Category, ReceivedVia, Severity
from storage.db import make_engine
from storage.migrate import upgrade
from storage.models import Complaint, Notification, ReferenceCounter

CHUNK = 20_000


def peak_rss_mb() -> float:
    """This process's peak resident size so far. From /proc (VmHWM) where there is one: getrusage's
    ru_maxrss survives exec, so a spawned process would report its parent's peak (the seeding's)."""
    import resource
    from pathlib import Path

    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


BENCH_SCHEMA = "complaint_bench"


def fresh_store(url: str) -> Engine:
    """An empty, migrated store: a new SQLite file, or on PostgreSQL a schema of the benchmark's own
    (`complaint_bench`, dropped and made again), so nothing else in that database is touched."""
    from pathlib import Path

    from sqlalchemy.engine import make_url

    u = make_url(url)
    if u.get_backend_name() == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            Path(u.database + suffix).unlink(missing_ok=True)
        engine = make_engine(url)
    else:
        admin = make_engine(url)
        with admin.begin() as c:
            c.execute(text(f"DROP SCHEMA IF EXISTS {BENCH_SCHEMA} CASCADE"))
            c.execute(text(f"CREATE SCHEMA {BENCH_SCHEMA}"))
        admin.dispose()
        engine = make_engine(bench_url(url))
    upgrade(engine)
    return engine


def bench_url(url: str) -> str:
    """The URL `fresh_store` made its store at (on PostgreSQL, in the benchmark's own schema)."""
    from sqlalchemy.engine import make_url

    u = make_url(url)
    if u.get_backend_name() == "sqlite":
        return url
    return u.update_query_dict({"options": f"-csearch_path={BENCH_SCHEMA}"}).render_as_string(hide_password=False)


def seed(engine: Engine, n: int, *, now: datetime, open_share: float = 0.1, rng: random.Random | None = None) -> None:
    """`n` complaints over six years, a share of them open with reminders in the future."""
    rng = rng or random.Random(7)
    categories = [c.value for c in Category]
    vias = [v.value for v in ReceivedVia]
    severities = [s.value for s in Severity]
    per_year: dict[int, int] = {}
    with engine.begin() as conn:
        for start in range(0, n, CHUNK):
            complaints, notes = [], []
            for i in range(start, min(start + CHUNK, n)):
                is_open = rng.random() < open_share
                logged = now - timedelta(days=rng.uniform(0, 50) if is_open else rng.uniform(60, 6 * 365))
                year = logged.year
                per_year[year] = per_year.get(year, 0) + 1
                received = (logged - timedelta(days=rng.randint(0, 3))).date()
                complaints.append(
                    dict(
                        id=i + 1,
                        reference=f"CMP-{year}-{i + 1:07d}",
                        ref_year=year,
                        ref_seq=i + 1,
                        client_name=f"Client {rng.randint(1, n // 3 + 1)}",
                        matter_ref=f"M-{rng.randint(1, n // 2 + 1)}",
                        received_via=rng.choice(vias),
                        received_on=received,
                        category=rng.choice(categories),
                        summary="Seeded complaint for benchmarking.",
                        reporter_id=f"U{rng.randint(1, 200):04d}",
                        logged_at=logged,
                        status="triaged" if is_open else "resolved",
                        triage_due_at=logged + timedelta(hours=24),
                        triaged_at=logged + timedelta(hours=3),
                        triaged_by="ULEAD",
                        severity=rng.choice(severities),
                        handler_id=f"U{rng.randint(1, 40):04d}",
                        update_cadence_days=7,
                        final_response_due_on=received + timedelta(weeks=8),
                        next_update_due_at=now + timedelta(days=rng.uniform(0.5, 7)) if is_open else None,
                        next_reminder_at=now + timedelta(hours=rng.uniform(1, 24 * 7)) if is_open else None,
                        resolved_at=None if is_open else logged + timedelta(days=rng.uniform(5, 50)),
                        outcome=None if is_open else "not_upheld",
                    )
                )
                notes.append(
                    dict(
                        dedupe_key=f"triage-alert:seed-{i + 1}",
                        kind="triage-alert",
                        complaint_id=i + 1,
                        channel="CTRIAGE01",
                        text="seed",
                        blocks=None,
                        created_at=logged,
                        next_attempt_at=logged,
                        attempts=1,
                        sent_at=logged,
                        message_channel="CTRIAGE01",
                        message_ts=f"{i}.0001",
                    )
                )
            conn.execute(insert(Complaint), complaints)
            conn.execute(insert(Notification), notes)
        for year, count in per_year.items():
            conn.execute(insert(ReferenceCounter), [dict(prefix="CMP", year=year, last_value=count)])
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            conn.execute(
                text("SELECT setval(pg_get_serial_sequence('complaints','id'), (SELECT max(id) FROM complaints))")
            )
            conn.execute(text("ANALYZE"))
    else:
        with engine.begin() as conn:
            conn.execute(text("ANALYZE"))


def make_due(engine: Engine, count: int, *, now: datetime) -> None:
    """Make `count` open complaints' client updates fall due now."""
    from sqlalchemy import select, update

    with engine.begin() as conn:
        ids = (
            conn.execute(select(Complaint.id).where(Complaint.status == "triaged").order_by(Complaint.id).limit(count))
            .scalars()
            .all()
        )
        conn.execute(
            update(Complaint)
            .where(Complaint.id.in_(ids))
            .values(next_update_due_at=now - timedelta(minutes=5), next_reminder_at=now - timedelta(minutes=5))
        )


def seed_matters(engine: Engine, n: int, *, now: datetime, rng: random.Random | None = None) -> None:
    """`n` open matters, set up, each looked at again some time in the coming fortnight (nothing due)."""
    from storage.models import Matter

    rng = rng or random.Random(11)
    with engine.begin() as conn:
        for start in range(0, n, CHUNK):
            rows = []
            for i in range(start, min(start + CHUNK, n)):
                opened = (now - timedelta(days=rng.uniform(0, 400))).date()
                rows.append(
                    dict(
                        matter_ref=f"MB-{i + 1:07d}",
                        client_name=f"Client {i + 1}",
                        responsible_id=f"U{rng.randint(1, 200):04d}",
                        supervisor_id=f"U{rng.randint(201, 220):04d}",
                        area="conveyancing",
                        opened_on=opened,
                        update_cadence_days=14,
                        status="open",
                        set_up=True,
                        created_at=now - timedelta(days=1),
                        last_update_on=now.date() - timedelta(days=rng.randint(0, 13)),
                        next_reminder_at=now + timedelta(hours=rng.uniform(1, 24 * 14)),
                    )
                )
            conn.execute(insert(Matter), rows)
        conn.execute(text("ANALYZE"))


def make_matters_due(engine: Engine, count: int, *, now: datetime) -> None:
    """Make `count` open matters' client updates fall due now (their last update a cadence ago)."""
    from sqlalchemy import select, update

    from storage.models import Matter

    with engine.begin() as conn:
        ids = conn.execute(select(Matter.id).order_by(Matter.id).limit(count)).scalars().all()
        conn.execute(
            update(Matter)
            .where(Matter.id.in_(ids))
            .values(last_update_on=now.date() - timedelta(days=14), next_reminder_at=now - timedelta(minutes=5))
        )
