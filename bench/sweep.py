"""How long a sweep takes as the store grows: nothing due, and 1,000 reminders due.

    .venv/bin/python bench/sweep.py [--sizes 10000,100000,1000000] [--matters 100000] [--database-url URL]

Seeds each size (a tenth of the complaints open, and `--matters` open matters, none due), then times the sweep with a notifier that only
counts (Slack's own latency is not the bot's). Prints a table; asserts nothing.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._seed import fresh_store, make_due, make_matters_due, seed, seed_matters
from bot.core.clock import FrozenClock
from bot.core.config import Settings
from bot.core.context import make_context
from bot.outbox.notifier import Posted
from bot.reminders.sweep import sweep
from bot.team import TeamDirectory
from storage.db import make_session_factory


class CountingNotifier:
    def __init__(self) -> None:
        self.count = 0

    def post(self, *, channel, text, blocks) -> Posted:
        self.count += 1
        return Posted(channel=channel, ts=f"{self.count}.0")

    def update(self, *, channel, ts, text, blocks) -> Posted:
        self.count += 1
        return Posted(channel=channel, ts=ts)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--database-url", help="default: a SQLite file in a temporary folder")
    parser.add_argument("--repeat", type=int, default=20, help="sweeps timed with nothing due")
    parser.add_argument("--matters", type=int, default=0, help="open matters seeded beside the complaints")
    args = parser.parse_args()
    now = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)
    tmp = tempfile.mkdtemp(prefix="bench-sweep-")
    url = args.database_url or f"sqlite:///{tmp}/bench.db"
    print(f"store: {url.split('://')[0]}; each row: median of {args.repeat} empty sweeps; one sweep with 1,000 due")
    print(f"{'complaints':>12} {'matters':>9} {'seed s':>8} {'nothing due ms':>15} {'1,000 due ms':>13} {'sent':>6}")
    for n in [int(s) for s in args.sizes.split(",")]:
        started = time.perf_counter()
        engine = fresh_store(url)
        seed(engine, n, now=now)
        if args.matters:
            seed_matters(engine, args.matters, now=now)
        seeded = time.perf_counter() - started
        notifier = CountingNotifier()
        ctx = make_context(
            settings=Settings(slack_bot_token="xoxb-bench", database_url=url, triage_channel="CTRIAGE01"),
            engine=engine,
            session_factory=make_session_factory(engine),
            notifier=notifier,
            clock=FrozenClock(now),
            # No channel to read: nobody is in the team, and Slack is never asked.
            team=TeamDirectory(lambda channel: [], None, FrozenClock(now)),
        )
        sweep(ctx)  # warm the caches and connections
        empty = []
        for _ in range(args.repeat):
            t = time.perf_counter()
            report = sweep(ctx)
            empty.append((time.perf_counter() - t) * 1000)
            assert not report.deliveries, "the benchmark store should have nothing due"
        # With matters, half the 1,000 due are matters' client updates (the check-in nudge each).
        if args.matters:
            make_due(engine, 500, now=now)
            make_matters_due(engine, 500, now=now)
        else:
            make_due(engine, 1000, now=now)
        t = time.perf_counter()
        report = sweep(ctx)
        due_ms = (time.perf_counter() - t) * 1000
        print(
            f"{n:>12,} {args.matters:>9,} {seeded:>8.1f} {statistics.median(empty):>15.2f} {due_ms:>13.1f} {len(report.sent):>6}"
        )
        engine.dispose()


if __name__ == "__main__":
    main()
