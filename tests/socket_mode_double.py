"""A local stand-in for Slack's Socket Mode server: a WebSocket server on loopback, standard library only.

The Web API double (tests/slack_double.py) answers `apps.connections.open` with its ws:// URL
(``double.socket_mode_url = stand_in.url``). For every connection it sends Slack's `hello`; a test
delivers envelopes (a slash command, an event) and waits for the bot's ack by envelope id; it can
drop the connection without a close frame, as a network or a Slack server going away does, and
refuse new connections.

Only what slack_sdk's built-in client speaks: the RFC 6455 handshake, unfragmented text frames,
ping/pong, close. Client frames are masked, server frames are not.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import itertools
import json
import socket
import struct
import threading
import time
from dataclasses import dataclass, field
from typing import Any

_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
TEXT, CLOSE, PING, PONG = 0x1, 0x8, 0x9, 0xA


@dataclass
class Connection:
    sock: socket.socket
    opened_at: float  # time.monotonic()
    path: str
    dropped_at: float | None = None
    ended: threading.Event = field(default_factory=threading.Event)  # closed, by either side
    send_lock: threading.Lock = field(default_factory=threading.Lock)

    def send(self, opcode: int, payload: bytes) -> None:
        n = len(payload)
        if n < 126:
            header = struct.pack("!BB", 0x80 | opcode, n)
        elif n < 1 << 16:
            header = struct.pack("!BBH", 0x80 | opcode, 126, n)
        else:
            header = struct.pack("!BBQ", 0x80 | opcode, 127, n)
        with self.send_lock:
            self.sock.sendall(header + payload)


class SocketModeStandIn:
    def __init__(self) -> None:
        self.connections: list[Connection] = []
        self.acks: dict[str, dict] = {}
        self.refusing = False
        self.refused = 0
        self._cond = threading.Condition()
        self._ids = itertools.count(1)
        self._listener: socket.socket | None = None
        self.url = ""

    # ------------------------------------------------------------------ lifecycle
    def start(self) -> SocketModeStandIn:
        listener = socket.create_server(("127.0.0.1", 0))
        self._listener = listener
        self.url = f"ws://127.0.0.1:{listener.getsockname()[1]}/link/?ticket=stand-in"
        threading.Thread(target=self._accept, name="socket-mode-stand-in", daemon=True).start()
        return self

    def stop(self) -> None:
        if self._listener is not None:
            self._listener.close()
            self._listener = None
        for c in list(self.connections):
            _close_quietly(c.sock)

    def __enter__(self) -> SocketModeStandIn:
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    # ------------------------------------------------------------------ what a test does
    def wait_connections(self, count: int, timeout: float = 10.0) -> list[Connection]:
        """Block until `count` connections have been accepted (and sent their hello)."""
        with self._cond:
            if not self._cond.wait_for(lambda: len(self.connections) >= count, timeout=timeout):
                raise AssertionError(f"{len(self.connections)} connection(s) after {timeout}s, expected {count}")
            return list(self.connections)

    def deliver(self, kind: str, payload: dict, *, accepts_response_payload: bool = True) -> str:
        """Send an envelope over the newest connection; its envelope id."""
        envelope_id = f"env-{next(self._ids)}"
        envelope = {
            "envelope_id": envelope_id,
            "type": kind,
            "payload": payload,
            "accepts_response_payload": accepts_response_payload,
        }
        self.connections[-1].send(TEXT, json.dumps(envelope).encode())
        return envelope_id

    def wait_ack(self, envelope_id: str, timeout: float = 10.0) -> dict:
        with self._cond:
            if not self._cond.wait_for(lambda: envelope_id in self.acks, timeout=timeout):
                raise AssertionError(f"no ack for {envelope_id} within {timeout}s (acks: {sorted(self.acks)})")
            return self.acks[envelope_id]

    def drop(self) -> Connection:
        """Close the newest connection without a close frame; it records when."""
        c = self.connections[-1]
        c.dropped_at = time.monotonic()
        _close_quietly(c.sock)
        return c

    # ------------------------------------------------------------------ the server
    def _accept(self) -> None:
        while self._listener is not None:
            try:
                sock, _ = self._listener.accept()
            except OSError:
                return  # stopped
            threading.Thread(target=self._serve, args=(sock,), daemon=True).start()

    def _serve(self, sock: socket.socket) -> None:
        try:
            request = b""
            while b"\r\n\r\n" not in request:
                chunk = sock.recv(4096)
                if not chunk:
                    return
                request += chunk
            lines = request.split(b"\r\n\r\n", 1)[0].decode("latin-1").split("\r\n")
            headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
            if self.refusing or "sec-websocket-key" not in headers:
                with self._cond:
                    self.refused += 1
                sock.sendall(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                _close_quietly(sock)
                return
            accept = base64.b64encode(hashlib.sha1((headers["sec-websocket-key"] + _GUID).encode()).digest())
            sock.sendall(
                b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                b"Sec-WebSocket-Accept: " + accept + b"\r\n\r\n"
            )
            connection = Connection(sock=sock, opened_at=time.monotonic(), path=lines[0].split(" ")[1])
            hello = {"type": "hello", "num_connections": 1, "connection_info": {"app_id": "A0001"}}
            connection.send(TEXT, json.dumps(hello).encode())
            with self._cond:
                self.connections.append(connection)
                self._cond.notify_all()
            self._read(connection)
            connection.ended.set()
        except OSError:
            pass  # the connection was dropped (by the test or the bot)
        finally:
            _close_quietly(sock)
            for c in self.connections:
                if c.sock is sock:
                    c.ended.set()

    def _read(self, c: Connection) -> None:
        while True:
            opcode, payload = _read_frame(c.sock)
            if opcode is None or opcode == CLOSE:
                if opcode == CLOSE:
                    c.send(CLOSE, payload[:2])
                return
            if opcode == PING:
                c.send(PONG, payload)
            elif opcode == TEXT:
                message = json.loads(payload)
                with self._cond:
                    self.acks[message.get("envelope_id", "")] = message
                    self._cond.notify_all()


def _read_exactly(sock: socket.socket, n: int) -> bytes | None:
    data = b""
    while len(data) < n:
        chunk = sock.recv(n - len(data))
        if not chunk:
            return None
        data += chunk
    return data


def _read_frame(sock: socket.socket) -> tuple[int | None, bytes]:
    head = _read_exactly(sock, 2)
    if head is None:
        return None, b""
    opcode, length = head[0] & 0x0F, head[1] & 0x7F
    if length == 126:
        length = struct.unpack("!H", _read_exactly(sock, 2) or b"\0\0")[0]
    elif length == 127:
        length = struct.unpack("!Q", _read_exactly(sock, 8) or bytes(8))[0]
    mask = _read_exactly(sock, 4) if head[1] & 0x80 else b"\0\0\0\0"
    payload = _read_exactly(sock, length) if length else b""
    if mask is None or payload is None:
        return None, b""
    return opcode, bytes(b ^ mask[i % 4] for i, b in enumerate(payload))


def _close_quietly(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)
    sock.close()
