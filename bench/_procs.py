"""Processes for the HTTP benchmarks: `complaint-bot serve`, the bare app, the Slack double, and a
client that signs requests as Slack does."""

from __future__ import annotations

import hashlib
import hmac
import http.client
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import IO

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent / "complaint-bot"
SIGNING_SECRET = "bench-signing-secret"
TOKEN = "xoxb-bench"
TRIAGE_CHANNEL = "CTRIAGE01"
# Settings a person may have exported: the benchmark's processes get only the ones it gives them.
_SETTINGS = (
    "SLACK_BOT_TOKEN",
    "SLACK_APP_TOKEN",
    "SLACK_SIGNING_SECRET",
    "TRIAGE_CHANNEL",
    "DIGEST_CHANNEL",
    "DATABASE_URL",
    "SLACK_API_URL",
    "FIRM_TIMEZONE",
    "PORT",
    "COMPLAINTS_LEAD",
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def bot_env(*, database_url: str, slack_api_url: str) -> dict[str, str]:
    base = {k: v for k, v in os.environ.items() if k not in _SETTINGS}
    return {
        **base,
        "SLACK_BOT_TOKEN": TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "DATABASE_URL": database_url,
        "SLACK_API_URL": slack_api_url,
        "TRIAGE_CHANNEL": TRIAGE_CHANNEL,
    }


class Served:
    """A server process on 127.0.0.1 (its output goes to a log file: an unread pipe would block it)."""

    def __init__(self, args: list[str], env: dict[str, str], port: int, log: Path):
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self.log = log
        self._out: IO = open(log, "w")  # noqa: SIM115 (the process writes to it until stop())
        self.proc = subprocess.Popen(args, env=env, cwd=log.parent, stdout=self._out, stderr=subprocess.STDOUT)

    @classmethod
    def bot(cls, env: dict[str, str], log: Path, *, workers: int = 1) -> Served:
        port = free_port()
        return cls(
            [str(BIN), "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers)], env, port, log
        )

    @classmethod
    def bare(cls, env: dict[str, str], log: Path, *, workers: int = 1) -> Served:
        port = free_port()
        script = str(ROOT / "bench" / "_bare_app.py")
        return cls([sys.executable, script, "--port", str(port), "--workers", str(workers)], env, port, log)

    def wait_healthy(self, timeout: float = 120) -> Served:
        """Wait for /healthz (migrations run first, so a big store can take a while)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.proc.args[:2]} exited with {self.proc.returncode}; see {self.log}")
            try:
                with urllib.request.urlopen(f"{self.url}/healthz", timeout=2) as r:
                    if r.status == 200:
                        return self
            except OSError:
                time.sleep(0.1)  # still starting: poll again
        raise RuntimeError(f"{self.proc.args[:2]} did not answer /healthz in {timeout} s; see {self.log}")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._out.close()


class DoubleProcess:
    """bench/_double.py as a child process."""

    def __init__(self, members: dict[str, list[str]]):
        self.proc = subprocess.Popen(
            [sys.executable, str(ROOT / "bench" / "_double.py"), "--members", json.dumps(members)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        hello = json.loads(self.proc.stdout.readline())
        self.url: str = hello["url"]
        self.response_url_base: str = hello["response_url_base"]

    def counts(self) -> dict[str, int]:
        self.proc.stdin.write("counts\n")
        self.proc.stdin.flush()
        return json.loads(self.proc.stdout.readline())

    def invalid(self) -> list[str]:
        self.proc.stdin.write("invalid\n")
        self.proc.stdin.flush()
        return json.loads(self.proc.stdout.readline())

    def stop(self) -> None:
        self.proc.stdin.close()
        self.proc.wait(timeout=30)


def sign(body: bytes, timestamp: int, secret: str = SIGNING_SECRET) -> str:
    return "v0=" + hmac.new(secret.encode(), b"v0:%d:" % timestamp + body, hashlib.sha256).hexdigest()


class Client:
    """One keep-alive connection to a server's /slack/events; each post is signed at send time."""

    def __init__(self, url: str):
        self.host, port = url.removeprefix("http://").split(":")
        self.port = int(port)
        self.conn = http.client.HTTPConnection(self.host, self.port, timeout=30)

    def post(self, body: bytes, content_type: str) -> tuple[int, bytes]:
        ts = int(time.time())
        headers = {
            "Content-Type": content_type,
            "X-Slack-Request-Timestamp": str(ts),
            "X-Slack-Signature": sign(body, ts),
        }
        try:
            self.conn.request("POST", "/slack/events", body=body, headers=headers)
            r = self.conn.getresponse()
            return r.status, r.read()
        except (http.client.HTTPException, OSError):
            # the server closed an idle keep-alive connection: open a new one and send once more
            self.conn.close()
            self.conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
            self.conn.request("POST", "/slack/events", body=body, headers=headers)
            r = self.conn.getresponse()
            return r.status, r.read()

    def close(self) -> None:
        self.conn.close()
