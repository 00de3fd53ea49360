"""Clients that send their request slowly, or too much of it, against `complaint-bot serve`.

A real `serve` process on loopback with a SQLite or PostgreSQL store and the Slack double. The slow clients are
raw sockets that send headers promising a body of 1,000 bytes, then 3 bytes, and hold. Waits are
for the server's answer (a blocking read with a generous timeout as the failure bound) or for a
line in its log, never for time to pass.
"""

from __future__ import annotations

import hashlib
import hmac
import http.client
import os
import socket
import time
import urllib.parse
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from handlers.front import MAX_BODY_BYTES
from tests.conftest import PG_URL, _pg_schema_url
from tests.factories import SLACK_VARS, Proc, free_port, wait_until_serving
from tests.slack_double import SlackDouble

SECRET = "slow-clients-secret"
SLOW_CLIENTS = 100
ANSWER_BOUND_S = 20  # a failure bound only: Slack wants the answer within 3 s
# In every body the tests send: it must never appear in the server's log.
CLIENT_DATA = "Jane+Marple+of+St+Mary+Mead"


class Serving(Proc):
    def __init__(self, env: dict[str, str], log: Path, *extra: str):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        super().__init__(["serve", "--host", "127.0.0.1", "--port", str(self.port), *extra], env, log)
        wait_until_serving(f"{self.url}/healthz", self.popen)

    def wait_for_log_line(self, needle: str) -> list[str]:
        """Wait until a line of the log contains `needle`; the log's lines."""
        deadline = time.monotonic() + ANSWER_BOUND_S
        while True:
            lines = self.output().splitlines()
            if any(needle in line for line in lines):
                return lines
            assert time.monotonic() < deadline, f"no log line with {needle!r}:\n{self.output()}"
            time.sleep(0.05)  # polling the log for a line


@pytest.fixture(scope="module")
def double():
    with SlackDouble(members={"CTRIAGE01": ["ULEAD"]}) as d:
        yield d


def _env(tmp: Path, double: SlackDouble, database_url: str | None = None) -> dict[str, str]:
    base = {k: v for k, v in os.environ.items() if k not in SLACK_VARS}
    return {
        **base,
        "SLACK_BOT_TOKEN": "xoxb-t",
        "SLACK_SIGNING_SECRET": SECRET,
        "TRIAGE_CHANNEL": "CTRIAGE01",
        "SLACK_API_URL": double.url,
        "DATABASE_URL": database_url or f"sqlite:///{tmp / 'complaints.db'}",
    }


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def store(request, tmp_path_factory):
    """The serving store: a SQLite file, or a schema of its own on the test PostgreSQL."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('store') / 'complaints.db'}"
        return
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    yield _pg_schema_url(schema)
    with admin.connect() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


@pytest.fixture(scope="module")
def server(tmp_path_factory, double, store):
    """Two workers, and the read deadline far beyond the test's duration: slow clients stay connected."""
    tmp = tmp_path_factory.mktemp("serve")
    s = Serving(_env(tmp, double, store), tmp / "serve.log", "--workers", "2", "--read-timeout", "600")
    yield s
    s.stop()
    assert CLIENT_DATA not in s.log.read_text()


@pytest.fixture(scope="module")
def impatient_server(tmp_path_factory, double):
    """A read deadline of one second."""
    tmp = tmp_path_factory.mktemp("impatient")
    s = Serving(_env(tmp, double), tmp / "serve.log", "--read-timeout", "1")
    yield s
    s.stop()
    assert CLIENT_DATA not in s.log.read_text()


def _headers(port: int, length: int, *, target: str = "/slack/events") -> bytes:
    return (
        f"POST {target} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
        f"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {length}\r\n\r\n"
    ).encode()


def _slow_client(port: int, *, target: str = "/slack/events") -> socket.socket:
    """Headers promising 1,000 bytes, then 3 of them."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=ANSWER_BOUND_S)
    sock.sendall(_headers(port, 1000, target=target) + CLIENT_DATA[:3].encode())
    return sock


def _answer(sock: socket.socket) -> bytes:
    """Everything the server sends until it closes the connection."""
    received = b""
    while chunk := sock.recv(65536):
        received += chunk
    return received


def _status(response: bytes) -> int:
    return int(response.split(b" ", 2)[1])


def _signed_command(port: int, text: str, response_url: str) -> int:
    body = urllib.parse.urlencode(
        {
            "token": "legacy",
            "team_id": "T0001",
            "channel_id": "CGENERAL",
            "user_id": "UREPORTER",
            "user_name": "reporter",
            "command": "/complaint",
            "text": text,
            "api_app_id": "A0001",
            "response_url": response_url,
            "trigger_id": "trigger-1",
        }
    )
    ts = str(int(time.time()))
    signature = "v0=" + hmac.new(SECRET.encode(), f"v0:{ts}:{body}".encode(), hashlib.sha256).hexdigest()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=ANSWER_BOUND_S)
    try:
        conn.request(
            "POST",
            "/slack/events",
            body=body,
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "X-Slack-Request-Timestamp": ts,
                "X-Slack-Signature": signature,
            },
        )
        response = conn.getresponse()
        response.read()
        return response.status
    finally:
        conn.close()


def test_a_signed_command_is_answered_while_a_hundred_slow_clients_hold_connections(server, double):
    slow = [_slow_client(server.port) for _ in range(SLOW_CLIENTS)]
    try:
        path = f"commands/slow-{server.port}"
        assert _signed_command(server.port, "help", f"{double.response_url_base}{path}") == 200
        [reply] = double.wait_until(
            lambda calls: [c for c in calls if c.method == "response_url" and c.params["_path"].endswith(path)] or None,
            timeout=ANSWER_BOUND_S,
        )
        assert (
            reply.ok
            and reply.params["response_type"] == "ephemeral"
            and reply.params["text"] == "How to use /complaint"
        )
        # The slow clients were held all along: none was answered or dropped to make room.
        for sock in slow:
            sock.setblocking(False)
            with pytest.raises(BlockingIOError):
                sock.recv(1)
    finally:
        for sock in slow:
            sock.close()


def test_a_body_over_the_limit_is_refused_with_413_before_it_is_sent(server):
    with socket.create_connection(("127.0.0.1", server.port), timeout=ANSWER_BOUND_S) as sock:
        sock.sendall(_headers(server.port, MAX_BODY_BYTES + 1))  # and not one byte of the body
        response = _answer(sock)
    assert _status(response) == 413
    assert b"connection: close" in response.lower()


def test_a_body_that_does_not_arrive_within_the_read_deadline_gets_408_and_the_connection_closed(impatient_server):
    with _slow_client(impatient_server.port) as sock:
        response = _answer(sock)  # returns once the server has answered and closed
    assert _status(response) == 408
    lines = impatient_server.wait_for_log_line("with 408")
    assert [line for line in lines if "with 408" in line and "did not arrive within 1 s" in line]


def test_a_client_gone_mid_body_leaves_its_access_line_alone_and_its_body_nowhere(impatient_server):
    marker = f"gone-{time.monotonic_ns()}"
    before = len(impatient_server.output().splitlines())  # every earlier request on this server was answered
    with socket.create_connection(("127.0.0.1", impatient_server.port), timeout=ANSWER_BOUND_S) as sock:
        sock.sendall(
            # The access line has the path, never the query string (handlers/logs.py): the marker goes in the path.
            _headers(impatient_server.port, 1000, target=f"/slack/events/{marker}") + f"text={CLIENT_DATA}".encode()
        )
    impatient_server.wait_for_log_line(marker)
    # Anything else the request led to is logged before the next request's access line.
    with socket.create_connection(("127.0.0.1", impatient_server.port), timeout=ANSWER_BOUND_S) as sock:
        sock.sendall(f"GET /after-{marker} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
        assert _status(_answer(sock)) == 404
    lines = impatient_server.wait_for_log_line(f"/after-{marker}")
    about_it = [line for line in lines[before:] if f"/after-{marker}" not in line]
    assert len(about_it) == 1 and f"/slack/events/{marker}" in about_it[0], about_it
    assert CLIENT_DATA not in "\n".join(lines)
