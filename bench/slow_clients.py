"""How soon Slack gets its ack while slow clients hold connections to `complaint-bot serve`.

    .venv/bin/python bench/slow_clients.py [--slow 100] [--requests 300] [--rate 20] [--timeout 10]
                                           [--workers 1] [--worker asgi|gthread] [--database-url URL]

Starts the Slack double (bench/_double.py) and the bot on an empty store: `complaint-bot serve`
(`--worker asgi`, the default: gunicorn's asyncio worker behind bot.front), or the bot as serve ran
it before its front (`--worker gthread`: bench/_gthread_bot.py, gunicorn's gthread worker with 8
threads). Then sends `--requests` signed `/complaint help` slash commands one after the other, at
most `--rate` a second, first with no slow client, then with `--slow` of them connected. A slow
client sends headers that promise a body of 1,000 bytes, sends 3 of them and holds; when the server
answers or drops one (the front answers 408 after its read deadline of 10 s, which the default run
of 15 s outlasts), another takes its place at once, so `--slow` stay connected throughout. The time
from sending a command to reading its whole answer is the ack (Slack gives up after 3 s); a command
unanswered after `--timeout` seconds counts as timed out, and after 5 of those in a row the rest are
not sent. Prints p50, p99 and max of the acks, the timeouts, how many of the answered commands'
ephemeral replies reached the double, and what the slow clients got. Asserts nothing.
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import http.client
import selectors
import socket
import statistics
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._procs import ROOT, SIGNING_SECRET, TRIAGE_CHANNEL, DoubleProcess, Served, bot_env, free_port

STARVED_AFTER = 5  # timeouts in a row
REPLY_WAIT_S = 60
PROMISED = 1000


class SlowClients:
    """`count` connections that each promise a body and send 3 bytes of it; one answered or dropped
    is replaced at once."""

    def __init__(self, port: int, count: int):
        self.port = port
        self.selector = selectors.DefaultSelector()
        self.replaced = 0
        self.statuses: dict[str, int] = {}
        self._stop = threading.Event()
        for _ in range(count):
            self._open()
        self.thread = threading.Thread(target=self._watch, daemon=True)
        self.thread.start()

    def _open(self) -> None:
        sock = socket.create_connection(("127.0.0.1", self.port), timeout=10)
        sock.sendall(
            (
                f"POST /slack/events HTTP/1.1\r\nHost: 127.0.0.1:{self.port}\r\n"
                f"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {PROMISED}\r\n\r\nabc"
            ).encode()
        )
        sock.setblocking(False)
        self.selector.register(sock, selectors.EVENT_READ)

    def _watch(self) -> None:
        while not self._stop.is_set():
            for key, _ in self.selector.select(timeout=0.2):
                sock = key.fileobj
                try:
                    answer = sock.recv(64)
                except OSError:
                    answer = b""
                status = answer.split(b" ", 2)[1].decode() if answer.startswith(b"HTTP/") else "closed"
                self.statuses[status] = self.statuses.get(status, 0) + 1
                self.selector.unregister(sock)
                sock.close()
                if not self._stop.is_set():
                    self._open()
                    self.replaced += 1

    def stop(self) -> None:
        self._stop.set()
        self.thread.join()
        for key in list(self.selector.get_map().values()):
            key.fileobj.close()
        self.selector.close()


@dataclass
class Phase:
    slow: int
    sent: int = 0
    latencies_ms: list[float] = field(default_factory=list)
    timeouts: int = 0
    errors: int = 0
    replaced: int = 0
    slow_statuses: dict[str, int] = field(default_factory=dict)
    replies: int = 0

    def percentile(self, p: int) -> str:
        if len(self.latencies_ms) < 2:
            return "-"
        return f"{statistics.quantiles(self.latencies_ms, n=100, method='inclusive')[p - 1]:.1f}"


def command_body(n: int, response_url_base: str) -> bytes:
    return urllib.parse.urlencode(
        {
            "token": "legacy",
            "team_id": "T0001",
            "team_domain": "examplefirm",
            "channel_id": "CGENERAL",
            "channel_name": "general",
            "user_id": "UREPORTER",
            "user_name": "ureporter",
            "command": "/complaint",
            "text": "help",
            "api_app_id": "A0001",
            "response_url": f"{response_url_base}commands/{n}",
            "trigger_id": f"trigger-{n}",
        }
    ).encode()


def send_signed(port: int, body: bytes, timeout: float) -> int:
    ts = int(time.time())
    signature = "v0=" + hmac.new(SIGNING_SECRET.encode(), b"v0:%d:" % ts + body, hashlib.sha256).hexdigest()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request(
            "POST",
            "/slack/events",
            body=body,
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "X-Slack-Request-Timestamp": str(ts),
                "X-Slack-Signature": signature,
            },
        )
        response = conn.getresponse()
        response.read()
        return response.status
    finally:
        conn.close()


def run_phase(
    port: int, double: DoubleProcess, *, slow: int, requests: int, rate: float | None, timeout: float, first: int
) -> Phase:
    phase = Phase(slow=slow)
    before = double.counts().get("response_url", 0)
    clients = SlowClients(port, slow) if slow else None
    in_a_row = 0
    begun = time.perf_counter()
    try:
        for i in range(requests):
            if rate:
                time.sleep(
                    max(0.0, begun + i / rate - time.perf_counter())
                )  # pacing the load, not waiting for a result
            phase.sent += 1
            started = time.perf_counter()
            try:
                status = send_signed(port, command_body(first + i, double.response_url_base), timeout)
            except TimeoutError:
                phase.timeouts += 1
                in_a_row += 1
                if in_a_row >= STARVED_AFTER:
                    break
                continue
            except (OSError, http.client.HTTPException):
                phase.errors += 1
                continue
            in_a_row = 0
            if status == 200:
                phase.latencies_ms.append((time.perf_counter() - started) * 1000)
            else:
                phase.errors += 1
    finally:
        if clients:
            clients.stop()
            phase.replaced, phase.slow_statuses = clients.replaced, clients.statuses
    wanted = before + len(phase.latencies_ms)
    deadline = time.monotonic() + REPLY_WAIT_S
    while double.counts().get("response_url", 0) < wanted and time.monotonic() < deadline:
        time.sleep(0.05)  # polling the double for the replies behind the acks
    phase.replies = double.counts().get("response_url", 0) - before
    return phase


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--slow", type=int, default=100, help="slow clients connected in the second run")
    parser.add_argument("--requests", type=int, default=300, help="signed commands per run")
    parser.add_argument("--rate", type=float, default=20.0, help="commands a second at most (0: as fast as answered)")
    parser.add_argument("--timeout", type=float, default=10.0, help="seconds before a command counts as timed out")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--worker", choices=("asgi", "gthread"), default="asgi")
    parser.add_argument("--database-url", help="default: a SQLite file in a temporary folder")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-slow-"))
    url = args.database_url or f"sqlite:///{tmp}/bench.db"
    served_as = (
        "`complaint-bot serve` (asgi worker, bot.front, 8 threads per worker)"
        if args.worker == "asgi"
        else "the bot on gunicorn's gthread worker, 8 threads per worker (bench/_gthread_bot.py)"
    )
    paced = f", at most {args.rate:g} a second" if args.rate else ""
    print(
        f"{served_as}; {args.workers} worker(s); store: {url.split('://')[0]}; {args.requests} signed "
        f"/complaint help one after the other{paced}, timeout {args.timeout:g} s; logs in {tmp}"
    )
    double = DoubleProcess({TRIAGE_CHANNEL: ["ULEAD"]})
    env = bot_env(database_url=url, slack_api_url=double.url)
    log = tmp / f"{args.worker}.log"
    if args.worker == "asgi":
        served = Served.bot(env, log, workers=args.workers)
    else:
        port = free_port()
        served = Served(
            [
                sys.executable,
                str(ROOT / "bench" / "_gthread_bot.py"),
                "--port",
                str(port),
                "--workers",
                str(args.workers),
            ],
            env,
            port,
            log,
        )
    header = (
        f"{'slow clients':>12} | {'answered':>9} {'timed out':>9} {'errors':>6} | {'p50 ms':>7} {'p99 ms':>7} "
        f"{'max ms':>7} | {'replies seen':>12} | slow clients answered or dropped"
    )
    try:
        served.wait_healthy()
        run_phase(served.port, double, slow=0, requests=20, rate=None, timeout=args.timeout, first=0)  # warm up
        print(header)
        print("-" * len(header))
        for k, slow in enumerate((0, args.slow)):
            p = run_phase(
                served.port,
                double,
                slow=slow,
                requests=args.requests,
                rate=args.rate,
                timeout=args.timeout,
                first=(k + 1) * 100_000,
            )
            answered = len(p.latencies_ms)
            starved = f" (stopped after {STARVED_AFTER} in a row)" if p.timeouts >= STARVED_AFTER else ""
            dropped = ", ".join(f"{n} {s}" for s, n in sorted(p.slow_statuses.items())) or "none"
            print(
                f"{slow:>12} | {answered:>4}/{p.sent:<4} {p.timeouts:>9} {p.errors:>6} | {p.percentile(50):>7} "
                f"{p.percentile(99):>7} {(f'{max(p.latencies_ms):.1f}' if p.latencies_ms else '-'):>7} | "
                f"{p.replies:>5}/{answered:<6} | {dropped}{starved}",
                flush=True,
            )
    finally:
        served.stop()
        double.stop()


if __name__ == "__main__":
    main()
