"""How fast the bot acks Slack as the store grows, beside a bare Bolt app that only acks.

    .venv/bin/python bench/ack.py [--sizes 10000,100000,1000000] [--database-url URL]
                                  [--requests 3000] [--concurrency 20] [--workers 1] [--rate R]

For each size: seeds a store, starts the Slack double (bench/_double.py), then the bare app
(bench/_bare_app.py) and `complaint-bot serve`, one after the other on the same gunicorn settings,
and sends each the same signed requests from `--concurrency` client threads: `/complaint list`,
`/complaint show CMP-…` of a seeded complaint, `/disclosure list` (all three by a member of the
complaints team), a click on Snooze of a seeded open complaint (which opens a modal), and App Home
opened. The time from sending a request to reading its whole response is the ack: Slack's 3 s
clock stops there. Prints p50/p95/p99 and requests per second for each, the ratio bot/bare at p99,
and how soon the bot had finished the work behind the acks (every reply and modal seen at the
double). Asserts nothing.
"""

from __future__ import annotations

import argparse
import itertools
import json
import statistics
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import select, update

from bench._procs import SIGNING_SECRET, TRIAGE_CHANNEL, Client, DoubleProcess, Served, bot_env
from bench._seed import bench_url, fresh_store, seed
from bot.core import ids
from storage.models import Complaint
from tests.e2e import SlackSide

TEAM_MEMBER = "ULEAD"
SHOWN = 50  # distinct seeded complaints the show and Snooze requests go round
WARM_UP = 200
DRAIN_TIMEOUT_S = 3600  # at 1M the team's App Home alone takes about a second of work each
# What the bot sends the double for each kind of request, once it has done the work behind the ack.
ANSWERED_BY = {
    "list": "response_url",
    "show": "response_url",
    "disclosures": "response_url",
    "snooze": "views.open",
    "home": "views.publish",
}


@dataclass(frozen=True)
class Request:
    kind: str
    body: bytes
    content_type: str


class _Recorder(SlackSide):
    """SlackSide's payloads, kept instead of posted (they are signed when they are sent)."""

    def post_raw(self, body: str, *, content_type: str = "application/x-www-form-urlencoded", **_) -> tuple[bytes, str]:
        return body.encode(), content_type


def requests_for(references: list[str], response_url_base: str, count: int) -> list[Request]:
    """`count` requests, the five kinds in turn; show and Snooze go round `references`."""
    side = _Recorder("http://unused", SIGNING_SECRET, response_url_base)
    refs = itertools.cycle(references)
    out: list[Request] = []
    for i in range(count):
        kind = ("list", "show", "disclosures", "snooze", "home")[i % 5]
        if kind == "list":
            body, ctype = side.command("list", user=TEAM_MEMBER)
        elif kind == "show":
            body, ctype = side.command(f"show {next(refs)}", user=TEAM_MEMBER)
        elif kind == "disclosures":
            body, ctype = side.command("list", user=TEAM_MEMBER, command=ids.DISCLOSURE_COMMAND)
        elif kind == "snooze":
            button = {
                "type": "button",
                "action_id": ids.ACTION_SNOOZE,
                "value": next(refs),
                "text": {"type": "plain_text", "text": "Snooze"},
            }
            body, ctype = side.click(
                [{"type": "actions", "block_id": "reminder", "elements": [button]}],
                ids.ACTION_SNOOZE,
                user=TEAM_MEMBER,
                channel="DLEAD",
            )
        else:
            event = {
                "type": ids.EVENT_APP_HOME_OPENED,
                "user": TEAM_MEMBER,
                "channel": "DLEAD",
                "tab": "home",
                "event_ts": f"{time.time():.6f}",
            }
            body = json.dumps(
                {
                    "token": "legacy",
                    "team_id": "T0001",
                    "api_app_id": "A0001",
                    "event": event,
                    "type": "event_callback",
                    "event_id": f"Ev{i:08d}",
                    "event_time": int(time.time()),
                }
            ).encode()
            ctype = "application/json"
        out.append(Request(kind, body, ctype))
    return out


@dataclass
class Run:
    latencies_ms: list[float]
    seconds: float
    errors: int

    def percentile(self, p: int) -> float:
        return statistics.quantiles(self.latencies_ms, n=100, method="inclusive")[p - 1]

    @property
    def per_second(self) -> float:
        return len(self.latencies_ms) / self.seconds


def load(url: str, requests: list[Request], concurrency: int, rate: float | None = None) -> Run:
    """Send `requests` from `concurrency` threads, each waiting for its answer before sending the
    next; with `rate`, request i is not sent before i/rate seconds from the start (an open load)."""
    latencies = [0.0] * len(requests)
    errors = [0]
    lock = threading.Lock()
    order = iter(range(len(requests)))
    begun = time.perf_counter()

    def worker() -> None:
        client = Client(url)
        try:
            while True:
                with lock:
                    i = next(order, None)
                if i is None:
                    return
                r = requests[i]
                if rate:
                    time.sleep(
                        max(0.0, begun + i / rate - time.perf_counter())
                    )  # pacing the load, not waiting for a result
                started = time.perf_counter()
                status, _ = client.post(r.body, r.content_type)
                latencies[i] = (time.perf_counter() - started) * 1000
                if status != 200:
                    with lock:
                        errors[0] += 1
        finally:
            client.close()

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return Run(latencies, time.perf_counter() - begun, errors[0])


def expected_answers(requests: list[Request]) -> dict[str, int]:
    out: dict[str, int] = {}
    for r in requests:
        out[ANSWERED_BY[r.kind]] = out.get(ANSWERED_BY[r.kind], 0) + 1
    return out


def wait_answered(double: DoubleProcess, before: dict[str, int], sent: list[Request]) -> None:
    """Wait until the double has seen the answer to every request in `sent` (the bot's work is done)."""
    wanted = {m: before.get(m, 0) + n for m, n in expected_answers(sent).items()}
    deadline = time.monotonic() + DRAIN_TIMEOUT_S
    while time.monotonic() < deadline:
        now = double.counts()
        if all(now.get(m, 0) >= n for m, n in wanted.items()):
            return
        time.sleep(0.05)  # polling the double for a condition, not letting time pass
    raise RuntimeError(
        f"the bot did not answer everything in {DRAIN_TIMEOUT_S} s: wanted {wanted}, saw {double.counts()}"
    )


def prepare_references(url: str, n: int, *, now: datetime) -> list[str]:
    """Seed `n` complaints and give `SHOWN` open ones references `/complaint show` accepts
    (the seeder's are seven digits long; a person's are at most six)."""
    engine = fresh_store(url)
    seed(engine, n, now=now)
    refs: list[str] = []
    with engine.begin() as conn:
        rows = conn.execute(
            select(Complaint.id, Complaint.ref_year)
            .where(Complaint.status == "triaged")
            .order_by(Complaint.id)
            .limit(SHOWN)
        ).all()
        for k, (cid, year) in enumerate(rows):
            ref = f"CMP-{year}-{900_001 + k}"
            conn.execute(update(Complaint).where(Complaint.id == cid).values(reference=ref))
            refs.append(ref)
    engine.dispose()
    return refs


def measure(
    served: Served,
    double: DoubleProcess,
    requests: list[Request],
    warm: list[Request],
    concurrency: int,
    *,
    drain: bool,
    rate: float | None,
) -> tuple[Run, float | None]:
    """Warm up, then measure; for the bot also how long until the work behind the acks was done."""
    served.wait_healthy()
    load(served.url, warm, concurrency)
    if drain:
        wait_answered(double, {}, warm)
    before = double.counts()
    started = time.perf_counter()
    run = load(served.url, requests, concurrency, rate)
    done_s = None
    if drain:
        wait_answered(double, before, requests)
        done_s = time.perf_counter() - started
    return run, done_s


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--database-url", help="default: a SQLite file in a temporary folder")
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--concurrency", type=int, default=20)
    parser.add_argument("--workers", type=int, default=1, help="gunicorn workers, for the bot and the bare app alike")
    parser.add_argument("--rate", type=float, help="requests per second at most (default: as fast as the answers come)")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-ack-"))
    url = args.database_url or f"sqlite:///{tmp}/bench.db"
    print(
        f"store: {url.split('://')[0]}; {args.requests:,} requests, {args.concurrency} at a time, "
        f"{args.workers} gunicorn worker(s) x 8 threads"
        f"{f', at most {args.rate:g} requests/s' if args.rate else ''}; logs in {tmp}"
    )
    print("mix: /complaint list, /complaint show, /disclosure list, Snooze click, App Home opened (in turn)")
    header = (
        f"{'complaints':>10} | {'bare p50':>8} {'p95':>6} {'p99':>6} {'req/s':>6} | {'bot p50':>7} {'p95':>6} "
        f"{'p99':>6} {'req/s':>6} | {'p99 bot/bare':>12} | {'bot work done/s':>15} {'errors':>6}"
    )
    print(header)
    print("-" * len(header))
    double = DoubleProcess({TRIAGE_CHANNEL: [TEAM_MEMBER, "UHANDLER1"]})
    try:
        for n in [int(s) for s in args.sizes.split(",")]:
            refs = prepare_references(url, n, now=datetime.now(UTC))
            env = bot_env(database_url=bench_url(url), slack_api_url=double.url)
            requests = requests_for(refs, double.response_url_base, args.requests)
            warm = requests_for(refs, double.response_url_base, WARM_UP)

            bare = Served.bare(env, tmp / f"bare-{n}.log", workers=args.workers)
            try:
                bare_run, _ = measure(bare, double, requests, warm, args.concurrency, drain=False, rate=args.rate)
            finally:
                bare.stop()
            bot = Served.bot(env, tmp / f"bot-{n}.log", workers=args.workers)
            try:
                bot_run, done_s = measure(bot, double, requests, warm, args.concurrency, drain=True, rate=args.rate)
            finally:
                bot.stop()
            counts = double.counts()
            if counts.get("_invalid") or counts.get("_failed"):
                print(f"  the double rejected some of the bot's calls: {counts}; {double.invalid()}")
            print(
                f"{n:>10,} | {bare_run.percentile(50):>8.1f} {bare_run.percentile(95):>6.1f} {bare_run.percentile(99):>6.1f} "
                f"{bare_run.per_second:>6.0f} | {bot_run.percentile(50):>7.1f} {bot_run.percentile(95):>6.1f} "
                f"{bot_run.percentile(99):>6.1f} {bot_run.per_second:>6.0f} | "
                f"{bot_run.percentile(99) / bare_run.percentile(99):>11.2f}x | {len(requests) / done_s:>15.0f} "
                f"{bare_run.errors + bot_run.errors:>6}",
                flush=True,
            )
    finally:
        double.stop()


if __name__ == "__main__":
    main()
