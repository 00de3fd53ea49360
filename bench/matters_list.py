"""What rating matters costs as the open matters grow: `/matter list` for a lawyer and for the
complaints team, App Home's "Your matters", and the digest's "Matters at risk".

    .venv/bin/python bench/matters_list.py [--sizes 1000,10000,100000] [--database-url URL] [--repeat 5]

Seeds N open matters, set up (50 per lawyer; opened over the last two years, a client update
logged on most, costs on a third), about three disclosures each and a complaint on one in a
hundred; then times, as the median of --repeat runs, with the SQL statements each ran:
- `/matter list` page 1 for a lawyer outside the team (their own matters only),
- `/matter list` page 1 and page 5 for a member of the team (every open matter rated),
- App Home's "Your matters" for that lawyer,
- the digest's matters at risk (every open matter rated, 500 at a time).
Prints a table; asserts nothing.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import Engine, event, insert, text

from bench._seed import CHUNK, bench_url, fresh_store
from bot.core.config import Settings
from bot.core.vocabulary import DisclosureKind
from bot.matters.policy import MatterPolicy
from bot.matters.risk import matters_at_risk, own_matters, ranked_page
from storage.db import make_engine, make_session_factory
from storage.models import Complaint, Disclosure, Matter

NOW = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)
TODAY = NOW.date()
PER_LAWYER = 50
LAWYER = "U0000001"


def seed_matters(engine: Engine, n: int, rng: random.Random) -> None:
    kinds = [k.value for k in DisclosureKind]
    disclosure_id = complaint_id = 0
    with engine.begin() as conn:
        for start in range(0, n, CHUNK):
            matters, disclosures, complaints = [], [], []
            for i in range(start, min(start + CHUNK, n)):
                ref = f"M-{i + 1:07d}"
                opened = TODAY - timedelta(days=rng.randint(0, 730))
                updated = opened + timedelta(days=rng.randint(0, (TODAY - opened).days)) if rng.random() < 0.8 else None
                estimate = rng.choice([None, 1_000_000]) if rng.random() < 0.33 else None
                matters.append(
                    dict(
                        id=i + 1,
                        matter_ref=ref,
                        client_name=f"Client {i + 1}",
                        responsible_id=f"U{i // PER_LAWYER + 1:07d}",
                        supervisor_id=f"UP{i // (PER_LAWYER * 10) + 1:06d}",
                        area="conveyancing",
                        opened_on=opened,
                        update_cadence_days=14,
                        status="open",
                        set_up=True,
                        created_at=NOW,
                        last_update_on=updated,
                        unhappy_on=updated if updated and rng.random() < 0.03 else None,
                        concerned_on=updated if updated and rng.random() < 0.05 else None,
                        costs_estimate=estimate,
                        costs_to_date=rng.randint(0, 1_200_000) if estimate else None,
                    )
                )
                for kind in rng.sample(kinds, rng.randint(0, 6)):
                    disclosure_id += 1
                    disclosures.append(
                        dict(
                            id=disclosure_id,
                            reference=f"DSC-2026-{disclosure_id:07d}",
                            ref_year=2026,
                            ref_seq=disclosure_id,
                            client_name=f"Client {i + 1}",
                            matter_ref=ref,
                            kind=kind,
                            content="Seeded disclosure.",
                            disclosed_on=opened,
                            disclosed_via="email",
                            ack_status="acknowledged",
                            logged_by=f"U{i // PER_LAWYER + 1:07d}",
                            logged_at=NOW,
                        )
                    )
                if rng.random() < 0.01:
                    complaint_id += 1
                    complaints.append(
                        dict(
                            id=complaint_id,
                            reference=f"CMP-2026-{complaint_id:07d}",
                            ref_year=2026,
                            ref_seq=complaint_id,
                            client_name=f"Client {i + 1}",
                            matter_ref=ref,
                            received_via="email",
                            received_on=TODAY,
                            category="delay",
                            summary="Seeded complaint.",
                            reporter_id="ULEAD",
                            logged_at=NOW,
                            status="new",
                            triage_due_at=NOW + timedelta(hours=24),
                            update_cadence_days=7,
                        )
                    )
            conn.execute(insert(Matter), matters)
            if disclosures:
                conn.execute(insert(Disclosure), disclosures)
            if complaints:
                conn.execute(insert(Complaint), complaints)
        conn.execute(text("ANALYZE"))


def timed(engine: Engine, fn: Callable[[], Any], repeat: int) -> tuple[float, int]:
    """The median time of `repeat` calls of `fn`, in ms, and the statements the last one ran."""
    count = [0]

    def counted(*_: Any) -> None:
        count[0] += 1

    timings = []
    for _ in range(repeat):
        count[0] = 0
        event.listen(engine, "before_cursor_execute", counted)
        t = time.perf_counter()
        fn()
        timings.append((time.perf_counter() - t) * 1000)
        event.remove(engine, "before_cursor_execute", counted)
    return statistics.median(timings), count[0]


def measure(url: str, repeat: int) -> dict[str, tuple[float, int]]:
    engine = make_engine(url)
    session_factory = make_session_factory(engine)
    settings = Settings(database_url=url, firm_timezone="Europe/London")
    policy = MatterPolicy(firm=settings.policy())

    def page(user: str, everyone: bool, number: int) -> Callable[[], Any]:
        def run() -> Any:
            with session_factory() as s:
                return ranked_page(
                    s,
                    user_id=user,
                    everyone=everyone,
                    settings=settings,
                    policy=policy,
                    today=TODAY,
                    offset=(number - 1) * 10,
                    limit=10,
                )

        return run

    def home() -> Any:
        with session_factory() as s:
            return own_matters(s, user_id=LAWYER, settings=settings, policy=policy, today=TODAY)

    def digest() -> Any:
        with session_factory() as s:
            return matters_at_risk(s, settings=settings, policy=policy, today=TODAY)

    page(LAWYER, False, 1)()  # warm the connection and the caches
    out = {
        "lawyer list": timed(engine, page(LAWYER, False, 1), repeat),
        "team list p1": timed(engine, page("ULEAD", True, 1), repeat),
        "team list p5": timed(engine, page("ULEAD", True, 5), repeat),
        "home": timed(engine, home, repeat),
        "digest": timed(engine, digest, max(1, repeat // 2)),
    }
    engine.dispose()
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--database-url", help="default: a SQLite file in a temporary folder")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    tmp = tempfile.mkdtemp(prefix="bench-matters-")
    url = args.database_url or f"sqlite:///{tmp}/bench.db"
    print(
        f"store: {url.split('://')[0]}; {PER_LAWYER} matters per lawyer; ms = median of {args.repeat}; q = statements"
    )
    columns = ["lawyer list", "team list p1", "team list p5", "home", "digest"]
    print(f"{'open matters':>12} {'seed s':>7} " + " ".join(f"{c + ' ms':>16} {'q':>4}" for c in columns))
    for n in [int(s) for s in args.sizes.split(",")]:
        started = time.perf_counter()
        engine = fresh_store(url)
        seed_matters(engine, n, random.Random(11))
        engine.dispose()
        seeded = time.perf_counter() - started
        m = measure(bench_url(url), args.repeat)
        print(f"{n:>12,} {seeded:>7.1f} " + " ".join(f"{m[c][0]:>16.1f} {m[c][1]:>4}" for c in columns))


if __name__ == "__main__":
    main()
