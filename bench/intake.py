"""Complaints logged per second, end to end, against `complaint-bot serve`.

    .venv/bin/python bench/intake.py [--complaints 1000] [--concurrency 10] [--workers 1]
                                     [--database-url URL ...]

Each client thread plays people logging complaints as Slack would carry it: a signed
`/complaint new`, the modal the bot opened at the Slack double (views.open) for that very trigger,
the modal submitted (view_submission) with a client's details. A complaint counts as logged once
the bot has stored it and both its messages reached the double: the reporter's confirmation and
the triage alert. Prints, per store, complaints per second from the first command until the last
message, the time one person waits for the modal and for its submission to be answered (p50, p99),
and what the store and the double hold afterwards: nothing lost, nothing sent twice.

`--database-url` may be given more than once (e.g. a SQLite file and a PostgreSQL URL); by
default a SQLite file in a temporary folder. On PostgreSQL it works in a schema of its own
(`complaint_bench`, dropped and made again). Asserts nothing.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import func, select

from bench._procs import SIGNING_SECRET, TRIAGE_CHANNEL, Served, bot_env
from bench._seed import bench_url, fresh_store
from storage.db import make_engine
from storage.models import Complaint
from tests.e2e import SlackSide, open_intake_modal, posts_by_reference
from tests.fakes import intake_values
from tests.slack_double import SlackDouble

DRAIN_TIMEOUT_S = 300


def run_intake(
    slack: SlackSide, double: SlackDouble, count: int, concurrency: int
) -> tuple[list[float], list[float], int]:
    """Log `count` complaints from `concurrency` threads; the modal and submission waits in ms, and failures."""
    opened_ms: list[float] = []
    submitted_ms: list[float] = []
    failures = [0]
    lock = threading.Lock()
    order = iter(range(count))
    received_on = (datetime.now(UTC) - timedelta(days=1)).date().isoformat()

    def worker(k: int) -> None:
        while True:
            with lock:
                i = next(order, None)
            if i is None:
                return
            user = f"UREPORTER{k:02d}"
            started = time.perf_counter()
            try:
                view = open_intake_modal(slack, double, user=user)
                opened = time.perf_counter()
                r = slack.submit(view, intake_values(client_name=f"Client {i}", received_on=received_on), user=user)
                assert r.status == 200 and r.body == "", (r.status, r.body)
            except AssertionError as e:
                print(f"  complaint {i} failed: {e}", file=sys.stderr)
                with lock:
                    failures[0] += 1
                continue
            with lock:
                opened_ms.append((opened - started) * 1000)
                submitted_ms.append((time.perf_counter() - opened) * 1000)

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return opened_ms, submitted_ms, failures[0]


def p(values: list[float], q: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1] if len(values) > 1 else float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--complaints", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=10)
    parser.add_argument("--workers", type=int, default=1, help="gunicorn workers of `serve`")
    parser.add_argument("--database-url", action="append", help="default: a SQLite file in a temporary folder")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-intake-"))
    urls = args.database_url or [f"sqlite:///{tmp}/bench.db"]
    print(
        f"{args.complaints:,} complaints, {args.concurrency} people at a time, serve with {args.workers} "
        f"gunicorn worker(s); logs in {tmp}"
    )
    header = (
        f"{'store':>10} | {'complaints/s':>12} | {'modal p50 ms':>12} {'p99':>6} | {'submit p50 ms':>13} {'p99':>6} | "
        f"{'stored':>6} {'confirmations':>13} {'alerts':>6} {'lost':>4} {'twice':>5} {'failed':>6}"
    )
    print(header)
    print("-" * len(header))
    for n, url in enumerate(urls):
        engine = fresh_store(url)
        engine.dispose()
        with SlackDouble(members={TRIAGE_CHANNEL: ["ULEAD"]}) as double:
            served = Served.bot(
                bot_env(database_url=bench_url(url), slack_api_url=double.url),
                tmp / f"serve-{n}.log",
                workers=args.workers,
            ).wait_healthy()
            try:
                slack = SlackSide(served.url, SIGNING_SECRET, double.response_url_base)
                started = time.perf_counter()
                opened, submitted, failed = run_intake(slack, double, args.complaints, args.concurrency)
                logged = args.complaints - failed

                def both_messages_of_each(calls: list, logged: int = logged) -> bool | None:
                    return True if sum(c.method == "chat.postMessage" and c.ok for c in calls) >= 2 * logged else None

                double.wait_until(both_messages_of_each, DRAIN_TIMEOUT_S)
                seconds = time.perf_counter() - started
            finally:
                served.stop()
            posts = posts_by_reference(double)
        store = make_engine(bench_url(url))
        with store.connect() as conn:
            stored, distinct = conn.execute(select(func.count(), func.count(func.distinct(Complaint.reference)))).one()
            references = set(conn.execute(select(Complaint.reference)).scalars())
        store.dispose()
        confirmations = sum(1 for chans in posts.values() for ch in chans if ch != TRIAGE_CHANNEL)
        alerts = sum(1 for chans in posts.values() for ch in chans if ch == TRIAGE_CHANNEL)
        lost = sum(1 for r in references if sorted(ch == TRIAGE_CHANNEL for ch in posts.get(r, [])) != [False, True])
        lost += max(logged - stored, 0)
        twice = (
            (stored - distinct) + sum(max(len(chans) - 2, 0) for chans in posts.values()) + len(set(posts) - references)
        )
        print(
            f"{url.split(':')[0].split('+')[0]:>10} | {logged / seconds:>12.1f} | {p(opened, 50):>12.1f} {p(opened, 99):>6.1f} | "
            f"{p(submitted, 50):>13.1f} {p(submitted, 99):>6.1f} | {stored:>6} {confirmations:>13} {alerts:>6} "
            f"{lost:>4} {twice:>5} {failed:>6}",
            flush=True,
        )


if __name__ == "__main__":
    main()
