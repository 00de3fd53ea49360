"""How long the returns take to count as the store grows.

    .venv/bin/python bench/returns.py [--sizes 100000,1000000] [--database-url URL] [--repeat 5]

Seeds each size (complaints over six years, a tenth open; bench/_seed.py), then gives them product
groups, upheld outcomes and redress paid (an UPDATE over the store), and in a fresh process builds
the FCA complaints return and the summary for 2026H1 (median of --repeat runs each; England & Wales
calendar, the FCA return's groups). Prints a table; asserts nothing.
"""

from __future__ import annotations

import argparse
import multiprocessing
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import Engine, case, update

from bench._seed import bench_url, fresh_store, seed
from bot.core.config import Settings
from bot.core.lists import Choices
from bot.records import returns
from bot.rulebooks.schemes import FCA_RETURN_GROUPS
from storage.db import make_engine, make_session_factory
from storage.models import Complaint

NOW = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)
PERIOD = returns.Period.half("2026H1")


def dress(engine: Engine) -> None:
    """Products on five in six complaints (the sixth has none), a third upheld, one in ten paid."""
    products = Choices.of(FCA_RETURN_GROUPS).values
    with engine.begin() as conn:
        conn.execute(
            update(Complaint).values(
                product=case(*((Complaint.id % 6 == i, p) for i, p in enumerate(products)), else_=None),
                outcome=case(
                    (Complaint.outcome.is_(None), None), (Complaint.id % 3 == 0, "upheld"), else_="not_upheld"
                ),
                redress_currency=case((Complaint.id % 10 == 0, "GBP"), else_=None),
                redress_paid=case((Complaint.id % 10 == 0, Complaint.id % 50_000), else_=None),
                redress_paid_on=case((Complaint.id % 10 == 0, Complaint.received_on), else_=None),
            )
        )


def measure(url: str, repeat: int) -> dict:
    settings = Settings(
        database_url=url,
        firm_timezone="Europe/London",
        holiday_calendar="england-and-wales",
        product_groups_setting=Choices.of(FCA_RETURN_GROUPS),
    )
    policy = settings.policy()
    session_factory = make_session_factory(make_engine(url))
    out = {}
    for kind in returns.KINDS:
        timings = []
        for _ in range(repeat + 1):  # the first warms caches and the connection
            t = time.perf_counter()
            with session_factory() as session:
                if kind == returns.FCA_RETURN:
                    report = returns.fca_return(
                        session,
                        period=PERIOD,
                        policy=policy,
                        products=settings.product_groups,
                        currency=settings.currency,
                    )
                else:
                    report = returns.summary(
                        session,
                        period=PERIOD,
                        policy=policy,
                        products=settings.product_groups,
                        root_causes=settings.root_causes,
                        currency=settings.currency,
                    )
            timings.append((time.perf_counter() - t) * 1000)
        out[kind] = (statistics.median(timings[1:]), report)
    return {k: v[0] for k, v in out.items()} | {"total": out[returns.FCA_RETURN][1].rows[-1]}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="100000,1000000")
    parser.add_argument("--database-url", help="default: a SQLite file in a temporary folder")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    tmp = tempfile.mkdtemp(prefix="bench-returns-")
    url = args.database_url or f"sqlite:///{tmp}/bench.db"
    print(f"store: {url.split('://')[0]}; returns for {PERIOD.label}; median of {args.repeat}; in a fresh process")
    print(f"{'complaints':>12} {'seed s':>7} {'fca-return ms':>14} {'summary ms':>11}  total row")
    spawn = multiprocessing.get_context("spawn")
    for n in [int(s) for s in args.sizes.split(",")]:
        started = time.perf_counter()
        engine = fresh_store(url)
        seed(engine, n, now=NOW)
        dress(engine)
        seeded = time.perf_counter() - started
        engine.dispose()
        with spawn.Pool(1) as pool:
            m = pool.apply(measure, (bench_url(url), args.repeat))
        print(f"{n:>12,} {seeded:>7.1f} {m['fca-return']:>14.1f} {m['summary']:>11.1f}  {','.join(m['total'])}")


if __name__ == "__main__":
    main()
