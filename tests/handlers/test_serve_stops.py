"""`complaint-bot serve` stops cleanly and keeps to itself: on SIGTERM the request in flight is
answered, the send on the wire finishes, the claimed rest is handed back, exit 0 within 10 s; two
`serve` on one host share no gunicorn control socket."""

from __future__ import annotations

import os
import signal
import socket
import time
import urllib.request
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from storage import outbox as outbox_store
from storage.db import make_session_factory
from storage.models import Notification
from tests.e2e import SlackSide
from tests.factories import SLACK_VARS, WAIT_S, Proc, free_port, run
from tests.slack_double import SlackDouble

SECRET = "stop-secret"
TRIAGE = "CTRIAGE01"
STOP_WITHIN_S = 10.0
sqlite_only = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


def _env(db_url: str, double: SlackDouble, home: Path) -> dict[str, str]:
    base = {k: v for k, v in os.environ.items() if k not in (*SLACK_VARS, "XDG_RUNTIME_DIR")}
    return {
        **base,
        "HOME": str(home),
        "SLACK_BOT_TOKEN": "xoxb-serve-stop",
        "SLACK_SIGNING_SECRET": SECRET,
        "TRIAGE_CHANNEL": TRIAGE,
        "DIGEST_CHANNEL": "CDIGEST01",
        "SLACK_API_URL": double.url,
        "DATABASE_URL": db_url,
    }


class Serve(Proc):
    def __init__(self, env: dict[str, str], log: Path):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        super().__init__(["serve", "--host", "127.0.0.1", "--port", str(self.port)], env, log)

    def healthy(self) -> bool:
        try:
            with urllib.request.urlopen(f"{self.url}/healthz", timeout=1) as r:
                return r.status == 200
        except OSError:
            return False

    def wait_serving(self) -> None:
        deadline = time.monotonic() + WAIT_S
        while time.monotonic() < deadline:
            assert self.popen.poll() is None, self.output()
            if self.healthy():
                return
            time.sleep(0.1)  # still starting: poll again
        raise AssertionError(f"serve did not start:\n{self.output()}")

    def wait_not_accepting(self) -> None:
        deadline = time.monotonic() + STOP_WITHIN_S
        while time.monotonic() < deadline and self.healthy():
            time.sleep(0.05)  # still accepting: poll again


def test_sigterm_answers_the_request_in_flight_finishes_the_send_and_exits_0(db_url, engine, tmp_path):
    rows = [dict(dedupe_key=f"s:{i}", kind="plain", channel=TRIAGE, text=f"m {i}", blocks=None) for i in range(3)]
    with make_session_factory(engine).begin() as s:
        outbox_store.record_notifications(s, rows, now=datetime.now(UTC))
    with SlackDouble(members={TRIAGE: ["UHANDLER1"]}) as double:
        held = double.hold("chat.postMessage")
        env = _env(db_url, double, tmp_path)
        server = Serve(env, tmp_path / "serve.log")
        try:
            server.wait_serving()
            assert held.arrived.wait(WAIT_S), server.output()  # the first sweep's send is on the wire
            slack = SlackSide(server.url, SECRET, double.response_url_base)
            body = "token=legacy&team_id=T0001&user_id=UREPORTER&command=%2Fcomplaint&text=help&channel_id=CGENERAL"
            body += f"&response_url={double.response_url_base}c/1&trigger_id=t1"
            ts = int(time.time())
            request = (
                f"POST /slack/events HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: {len(body)}\r\n"
                "Content-Type: application/x-www-form-urlencoded\r\n"
                f"X-Slack-Request-Timestamp: {ts}\r\nX-Slack-Signature: {slack.sign(body, ts)}\r\n\r\n"
            ).encode()
            with socket.create_connection(("127.0.0.1", server.port), timeout=10) as client:
                client.sendall(request + body[:10].encode())  # a request in flight: its body half sent

                server.popen.send_signal(signal.SIGTERM)
                signalled = time.monotonic()
                server.wait_not_accepting()
                held.release()  # Slack answers the send on the wire while the server stops
                client.sendall(body[10:].encode())
                answer = client.recv(65536).decode()
            code = server.popen.wait(timeout=STOP_WITHIN_S + 5)
            took = time.monotonic() - signalled
        finally:
            held.release()
            server.stop()
        output = server.log.read_text()

    assert answer.startswith("HTTP/1.1 200"), answer
    assert code == 0, output
    assert took <= STOP_WITHIN_S
    assert "Traceback" not in output
    [first] = double.calls_to("chat.postMessage")
    with make_session_factory(engine)() as s:
        stored = list(s.execute(select(Notification)).scalars())
    assert [n.text for n in stored if n.sent_at is not None] == [first.params["text"]]
    unsent = [n for n in stored if n.sent_at is None]
    assert [(n.claimed_until, n.attempts) for n in unsent] == [(None, 0)] * len(unsent)
    stopped = [line for line in output.splitlines() if "Stopped:" in line]
    assert len(stopped) == 1 and stopped[0].endswith(f"Stopped: SIGTERM; {len(unsent)} sends released")

    with SlackDouble(members={TRIAGE: ["UHANDLER1"]}) as later:
        swept = run(["sweep"], _env(db_url, later, tmp_path), tmp_path)
        assert swept.returncode == 0, swept.stderr
        assert Counter(c.params["text"] for c in later.calls_to("chat.postMessage")) == Counter(n.text for n in unsent)


@sqlite_only
def test_two_serve_on_one_host_share_no_control_socket(db_url, engine, tmp_path):
    with SlackDouble(members={TRIAGE: ["UHANDLER1"]}) as double:
        runtime = tmp_path / "xdg"
        runtime.mkdir()
        first = Serve(_env(db_url, double, tmp_path), tmp_path / "first.log")  # gunicorn would use ~/.gunicorn
        second = Serve({**_env(db_url, double, tmp_path), "XDG_RUNTIME_DIR": str(runtime)}, tmp_path / "second.log")
        try:
            first.wait_serving()
            second.wait_serving()
            assert list(tmp_path.rglob("gunicorn.ctl")) == []
            assert not (tmp_path / ".gunicorn").exists()
            first.popen.send_signal(signal.SIGTERM)
            assert first.popen.wait(timeout=STOP_WITHIN_S + 5) == 0
            assert second.healthy()  # the other one is untouched
        finally:
            first.stop()
            second.stop()
