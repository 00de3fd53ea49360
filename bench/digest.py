"""How long the weekly digest takes to count and draw as the store grows, and its peak memory.

    .venv/bin/python bench/digest.py [--sizes 10000,100000,1000000] [--database-url URL]

Seeds each size (complaints over six years, a tenth open), then, in a fresh process, counts the
digest of the last full week (median of --repeat runs), renders its message and draws its chart.
Peak memory is the Python heap's peak while counting and drawing (tracemalloc) and that process's
peak resident size, matplotlib included.
Prints a table; asserts nothing.
"""

from __future__ import annotations

import argparse
import multiprocessing
import statistics
import sys
import tempfile
import time
import tracemalloc
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._seed import bench_url, fresh_store, peak_rss_mb, seed
from bot.digest import messages as digest_messages
from bot.digest import service as digest
from storage.db import make_engine, make_session_factory


def measure(url: str, repeat: int) -> dict:
    """In a fresh process: count the digest `repeat` times, render it, draw the chart; report the
    times, the Python heap's peak and the process's peak resident size."""
    now = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)
    tz = ZoneInfo("Europe/London")
    week = digest.last_full_week(now, tz)
    session_factory = make_session_factory(make_engine(url))
    with session_factory() as session:
        digest.compute(session, week, now=now, tz=tz)  # warm caches and the connection
    tracemalloc.start()
    timings = []
    for _ in range(repeat):
        t = time.perf_counter()
        with session_factory() as session:
            d = digest.compute(session, week, now=now, tz=tz)
        timings.append((time.perf_counter() - t) * 1000)
    t = time.perf_counter()
    digest_messages.digest_message(d, tz=tz)
    message_ms = (time.perf_counter() - t) * 1000
    t = time.perf_counter()
    digest.render_chart(d)  # the first one also imports matplotlib and loads its fonts
    first_chart_ms = (time.perf_counter() - t) * 1000
    t = time.perf_counter()
    digest.render_chart(d)
    chart_ms = (time.perf_counter() - t) * 1000
    _, heap_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return dict(
        count_ms=statistics.median(timings),
        message_ms=message_ms,
        first_chart_ms=first_chart_ms,
        chart_ms=chart_ms,
        heap_mb=heap_peak / 2**20,
        rss_mb=peak_rss_mb(),
        new=d.new.now,
        open=d.open.now,
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--database-url", help="default: a SQLite file in a temporary folder")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    now = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)
    tmp = tempfile.mkdtemp(prefix="bench-digest-")
    url = args.database_url or f"sqlite:///{tmp}/bench.db"
    print(
        f"store: {url.split('://')[0]}; digest of {digest.last_full_week(now, ZoneInfo('Europe/London')).label}; "
        f"count = median of {args.repeat}; measured in a fresh process"
    )
    print(
        f"{'complaints':>12} {'seed s':>7} {'count ms':>9} {'message ms':>11} {'chart ms':>9} {'1st chart ms':>13} "
        f"{'heap peak MB':>13} {'RSS MB':>7} {'new':>5} {'open':>7}"
    )
    spawn = multiprocessing.get_context("spawn")
    for n in [int(s) for s in args.sizes.split(",")]:
        started = time.perf_counter()
        engine = fresh_store(url)
        seed(engine, n, now=now)
        seeded = time.perf_counter() - started
        engine.dispose()
        with spawn.Pool(1) as pool:
            m = pool.apply(measure, (bench_url(url), args.repeat))
        print(
            f"{n:>12,} {seeded:>7.1f} {m['count_ms']:>9.1f} {m['message_ms']:>11.1f} {m['chart_ms']:>9.1f} "
            f"{m['first_chart_ms']:>13.1f} {m['heap_mb']:>13.1f} {m['rss_mb']:>7.0f} {m['new']:>5} {m['open']:>7,}"
        )


if __name__ == "__main__":
    main()
