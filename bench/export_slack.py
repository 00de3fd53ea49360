"""The memory `/complaint export` needs as the register grows: building the file, and sharing it.

    .venv/bin/python bench/export_slack.py [--sizes 10000,100000] [--database-url URL]

Seeds each size (complaints over six years, as bench/_seed.py does), then exports the whole
register as a team member asks in Slack (bot/records/sharing.py: streamed from the store to a
temporary file, recorded in the outbox), and shares it through the outbox with the Slack Web API
double running in a process of its own (bench/_double.py), so the double's copy of the file is
not counted. Prints, per size: the file's size, tracemalloc's peak while building and while
sharing (Python allocations only), and the process's peak resident size. Asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
import tracemalloc
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from slack_sdk import WebClient

from bench._seed import fresh_store, peak_rss_mb, seed
from bot import access
from bot.core.clock import FrozenClock
from bot.core.config import Settings
from bot.core.context import make_context
from bot.outbox.notifier import SlackNotifier
from bot.records import sharing
from bot.team import TeamDirectory
from storage.db import make_session_factory

NOW = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)
ASKER = "ULEAD"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--database-url", help="default: a SQLite file in a temporary folder")
    args = parser.parse_args()
    tmp = tempfile.mkdtemp(prefix="bench-export-slack-")
    url = args.database_url or f"sqlite:///{tmp}/bench.db"
    double = subprocess.Popen(
        [sys.executable, str(Path(__file__).parent / "_double.py")],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert double.stdout is not None and double.stdin is not None
        slack_url = json.loads(double.stdout.readline())["url"]
        print(f"store: {url.split('://')[0]}; peaks in MiB (tracemalloc: Python's allocations; RSS: the process's)")
        print(
            f"{'complaints':>12} {'file MiB':>9} {'build s':>8} {'build peak':>11} {'share s':>8} {'share peak':>11} {'RSS':>7}"
        )
        for n in [int(s) for s in args.sizes.split(",")]:
            engine = fresh_store(url)
            seed(engine, n, now=NOW)
            clock = FrozenClock(NOW)
            ctx = make_context(
                settings=Settings(slack_bot_token="xoxb-bench", database_url=url, triage_channel="CTRIAGE01"),
                engine=engine,
                session_factory=make_session_factory(engine),
                notifier=SlackNotifier(WebClient(token="xoxb-bench", base_url=slack_url, timeout=120)),
                clock=clock,
                team=TeamDirectory(lambda channel: [ASKER], "CTRIAGE01", clock),
            )
            who = access.viewer(ctx, ASKER)
            tracemalloc.start()
            started = time.perf_counter()
            shared = sharing.share_register(ctx, viewer=who, wanted=sharing.Range(), request_id=f"bench-{n}")
            built = time.perf_counter() - started
            build_peak = tracemalloc.get_traced_memory()[1] / 2**20
            [waiting] = list(sharing.exports_folder().glob("register-*.csv"))
            size = waiting.stat().st_size / 2**20
            tracemalloc.reset_peak()
            started = time.perf_counter()
            [delivery] = ctx.deliver([shared.key])
            sent = time.perf_counter() - started
            share_peak = tracemalloc.get_traced_memory()[1] / 2**20
            tracemalloc.stop()
            assert delivery.sent, delivery.error
            print(
                f"{n:>12,} {size:>9.1f} {built:>8.1f} {build_peak:>11.1f} {sent:>8.1f} {share_peak:>11.1f} {peak_rss_mb():>7.0f}"
            )
            engine.dispose()
    finally:
        if double.stdin:
            double.stdin.close()
        double.wait(timeout=30)


if __name__ == "__main__":
    main()
