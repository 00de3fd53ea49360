"""The shipped nginx configuration (deploy/nginx/complaint-bot.conf) in front of a real `complaint-bot serve`.

nginx runs as a subprocess on loopback from the shipped file, with only its lines marked EDIT or
TEST replaced: a throwaway certificate, the test's ports. A small main configuration of the test's
own wraps it in `http { }`, as /etc/nginx/nginx.conf includes conf.d/ on a host, and keeps the pid,
the logs and the temporary folders under tmp_path, so it runs without root. `serve` has a SQLite
store in tmp_path and its Web API pointed at the Slack double. Requests go through nginx over HTTPS,
signed as Slack signs them.

nginx must be installed (`.ci/run` installs it; `make test` says how when it is missing): without it
this test fails, never skips, since a skipped test would pass a recipe nobody ran.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import json
import os
import re
import shutil
import signal
import socket
import ssl
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from handlers.front import MAX_BODY_BYTES
from tests.e2e import SlackSide, command_answer
from tests.factories import SLACK_VARS, Proc, free_port, wait_until_serving
from tests.slack_double import SlackDouble

ROOT = Path(__file__).resolve().parents[2]
SHIPPED_CONF = ROOT / "deploy" / "nginx" / "complaint-bot.conf"
SECRET = "nginx-recipe-secret"
SLOW_CLIENTS = 100
BOUND_S = 20  # a failure bound only: Slack wants its answer within 3 s
# Debian puts nginx in /usr/sbin, which is not on every user's PATH.
NGINX_PATH = os.pathsep.join([os.environ.get("PATH", ""), "/usr/sbin", "/usr/local/sbin"])


def find_nginx() -> str:
    found = shutil.which("nginx", path=NGINX_PATH)
    if found is None:
        pytest.fail(
            "nginx is not installed, so the shipped nginx recipe cannot be tested: "
            "`apt-get install nginx` (Debian, Ubuntu) or `brew install nginx` (macOS); .ci/run installs it"
        )
    return found


def render(conf: str, *, listen_port: int, serve_port: int, cert: Path, key: Path) -> str:
    """The shipped configuration with its EDIT and TEST lines set for this test, and nothing else changed."""
    replacements = [
        (r"server 127\.0\.0\.1:3000;", f"server 127.0.0.1:{serve_port};"),
        (r"listen 443 ssl;", f"listen 127.0.0.1:{listen_port} ssl;"),
        (r"ssl_certificate +\S+;", f"ssl_certificate {cert};"),
        (r"ssl_certificate_key +\S+;", f"ssl_certificate_key {key};"),
    ]
    for pattern, replacement in replacements:
        conf, n = re.subn(pattern, replacement, conf)
        assert n == 1, f"{pattern!r} is in {SHIPPED_CONF.name} {n} times, not once"
    return conf


def main_conf(tmp: Path, site: Path) -> str:
    """What /etc/nginx/nginx.conf is on a host, with everything it writes under `tmp`."""
    # A master started as root hands its workers to `nobody`, who cannot reach tmp_path.
    user = "user root;\n" if os.geteuid() == 0 else ""
    temp_paths = "".join(
        f"    {kind}_temp_path {tmp / kind};\n" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    return (
        f"{user}worker_processes 1;\npid {tmp / 'nginx.pid'};\nerror_log {tmp / 'error.log'};\n"
        "events { worker_connections 512; }\n"
        f"http {{\n    access_log {tmp / 'access.log'};\n{temp_paths}    include {site};\n}}\n"
    )


def throwaway_certificate(folder: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1, valid for a day, and its key."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return cert_path, key_path


class Nginx:
    def __init__(self, tmp: Path, serve_port: int):
        self.tmp = tmp
        self.port = free_port()
        cert, key = throwaway_certificate(tmp)
        self.tls = ssl.create_default_context(cafile=str(cert))
        site = tmp / "complaint-bot.conf"
        site.write_text(
            render(SHIPPED_CONF.read_text(), listen_port=self.port, serve_port=serve_port, cert=cert, key=key)
        )
        conf = tmp / "nginx.conf"
        conf.write_text(main_conf(tmp, site))
        binary = find_nginx()
        tested = subprocess.run(
            [binary, "-t", "-p", str(tmp), "-e", str(tmp / "error.log"), "-c", str(conf)],
            capture_output=True,
            text=True,
        )
        assert tested.returncode == 0, f"nginx refuses the shipped configuration:\n{tested.stderr}"
        self._out = open(tmp / "nginx.out", "w")  # noqa: SIM115 (nginx writes to it until stop())
        self.popen = subprocess.Popen(
            [binary, "-p", str(tmp), "-e", str(tmp / "error.log"), "-c", str(conf), "-g", "daemon off;"],
            stdout=self._out,
            stderr=subprocess.STDOUT,
        )
        self.url = f"https://127.0.0.1:{self.port}"
        self._wait_until_answering()

    def _wait_until_answering(self) -> None:
        deadline = time.monotonic() + BOUND_S
        while True:
            assert self.popen.poll() is None, f"nginx exited with {self.popen.returncode}: {self._errors()}"
            try:
                if self.get("/healthz")[0] == 200:
                    return
            except OSError:
                pass  # not listening yet
            assert time.monotonic() < deadline, f"nginx did not answer:\n{self._errors()}"
            time.sleep(0.05)  # waiting for a process to start listening, not for time to pass

    def _errors(self) -> str:
        self._out.flush()
        return "\n".join(p.read_text() for p in (self.tmp / "nginx.out", self.tmp / "error.log") if p.exists())

    def get(self, path: str) -> tuple[int, str]:
        try:
            with urllib.request.urlopen(f"{self.url}{path}", timeout=BOUND_S, context=self.tls) as r:
                return r.status, r.read().decode()
        except urllib.error.HTTPError as e:
            return e.code, e.read().decode()

    def access_log(self) -> list[str]:
        return (self.tmp / "access.log").read_text().splitlines()

    def connect(self) -> ssl.SSLSocket:
        raw = socket.create_connection(("127.0.0.1", self.port), timeout=BOUND_S)
        return self.tls.wrap_socket(raw, server_hostname="127.0.0.1")

    def stop(self) -> None:
        self.popen.send_signal(signal.SIGTERM)
        try:
            self.popen.wait(timeout=BOUND_S)
        except subprocess.TimeoutExpired:
            self.popen.kill()
            self.popen.wait()
        self._out.close()


@pytest.fixture(scope="module")
def double():
    with SlackDouble(members={"CTRIAGE01": ["ULEAD"]}) as d:
        yield d
    assert d.invalid == [], f"the bot sent Block Kit Slack would reject: {d.invalid}"


@pytest.fixture(scope="module")
def serve(tmp_path_factory, double):
    """`serve` bound to loopback, as deploy/systemd/complaint-bot.service runs it."""
    tmp = tmp_path_factory.mktemp("serve")
    env = {
        **{k: v for k, v in os.environ.items() if k not in SLACK_VARS},
        "SLACK_BOT_TOKEN": "xoxb-t",
        "SLACK_SIGNING_SECRET": SECRET,
        "TRIAGE_CHANNEL": "CTRIAGE01",
        "SLACK_API_URL": double.url,
        "DATABASE_URL": f"sqlite:///{tmp / 'complaints.db'}",
    }
    port = free_port()
    proc = Proc(["serve", "--host", "127.0.0.1", "--port", str(port)], env, tmp / "serve.log")
    wait_until_serving(f"http://127.0.0.1:{port}/healthz", proc.popen)
    proc.port = port  # type: ignore[attr-defined]
    yield proc
    proc.stop()


@pytest.fixture(scope="module")
def nginx(tmp_path_factory, serve):
    proxy = Nginx(tmp_path_factory.mktemp("nginx"), serve.port)
    yield proxy
    proxy.stop()


@pytest.fixture
def slack(nginx, double):
    return SlackSide(nginx.url, SECRET, double.response_url_base, ssl_context=nginx.tls)


def _headers(target: str, length: int) -> bytes:
    return (
        f"POST {target} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        f"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {length}\r\n\r\n"
    ).encode()


def _answer(sock: ssl.SSLSocket) -> bytes:
    received = b""
    while chunk := sock.recv(65536):
        received += chunk
    return received


def _body_timeout_s() -> int:
    [seconds] = re.findall(r"client_body_timeout (\d+)s;", SHIPPED_CONF.read_text())
    return int(seconds)


def _established_to(port: int) -> int:
    """Open TCP connections whose server side is `port` on this machine (Linux's /proc/net/tcp)."""
    rows = Path("/proc/net/tcp").read_text().splitlines()[1:]
    ESTABLISHED = "01"
    return sum(1 for row in rows if row.split()[1].endswith(f":{port:04X}") and row.split()[3] == ESTABLISHED)


def test_a_signed_slash_command_through_nginx_gets_its_answer(slack, double):
    answer = command_answer(slack, double, "help")
    assert answer["text"] == "How to use /complaint"


def test_a_bad_signature_through_nginx_gets_401_from_the_bot(slack):
    assert slack.post_raw("command=%2Fcomplaint&text=help", signature="v0=" + "0" * 64).status == 401


def test_the_health_check_is_forwarded(nginx):
    status, body = nginx.get("/healthz")
    assert status == 200 and json.loads(body) == {"ok": True, "database": "reachable"}


def test_nothing_but_slacks_path_and_the_health_check_reaches_the_bot(nginx, serve):
    marker = f"elsewhere-{time.monotonic_ns()}"
    assert nginx.get(f"/{marker}")[0] == 404
    assert nginx.get(f"/slack/events?{marker}")[0] == 403  # GET: Slack only POSTs
    assert marker not in serve.output()


def test_a_body_over_one_mib_gets_413_from_nginx_and_never_reaches_the_bot(nginx, serve):
    marker = f"oversize-{time.monotonic_ns()}"
    with nginx.connect() as sock:
        sock.sendall(_headers(f"/slack/events?{marker}", MAX_BODY_BYTES + 1))  # and not one byte of the body
        response = _answer(sock)
    assert int(response.split(b" ", 2)[1]) == 413
    assert marker not in serve.output()


def test_slow_clients_are_held_by_nginx_while_a_signed_command_is_answered_then_let_go_with_408(
    nginx, serve, slack, double
):
    marker = f"slow-{time.monotonic_ns()}"
    slow = []
    try:
        for _ in range(SLOW_CLIENTS):
            sock = nginx.connect()
            sock.sendall(_headers(f"/slack/events?{marker}", 1000) + b"tex")  # 3 bytes of the 1,000 promised
            slow.append(sock)
        answer = command_answer(slack, double, "help")
        assert answer["text"] == "How to use /complaint"
        # Every slow client is still held, unanswered, and none of them has reached the bot.
        for sock in slow:
            sock.setblocking(False)
            with pytest.raises(ssl.SSLWantReadError):
                sock.recv(1)
        assert marker not in serve.output()
        # nginx opened no connection to the bot for them (one may linger from the command's request).
        assert _established_to(serve.port) <= 1
        # Then nginx itself lets them go once client_body_timeout has passed with nothing more: it
        # closes the connection without an answer and logs a 408.
        for sock in slow:
            sock.setblocking(True)
            sock.settimeout(BOUND_S + _body_timeout_s())
            assert _answer(sock) == b""
        timed_out = [line for line in nginx.access_log() if marker in line]
        assert len(timed_out) == SLOW_CLIENTS and all(" 408 " in line for line in timed_out), timed_out[:3]
        assert marker not in serve.output()
    finally:
        for sock in slow:
            sock.close()
