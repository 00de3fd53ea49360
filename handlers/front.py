"""The HTTP front of `serve`: an ASGI app that reads each request whole before the WSGI app sees it.

A thread of the WSGI app is held only by a request that has fully arrived. While a body is still
coming, the request costs a coroutine on the worker's event loop, not a thread: a client that
promises a body and sends it a few bytes at a time (or never) cannot keep Slack's signed requests
from being answered within Slack's 3 seconds. Each body must arrive within `read_timeout_s`
(408 and the connection closed), and be at most `MAX_BODY_BYTES` (413, at once when the
Content-Length says so, without reading it; as soon as a chunked body grows past it otherwise).

Why not a library bridge: asgiref's `WsgiToAsgi` runs every WSGI call of a process on one shared
thread (`sync_to_async`, thread-sensitive), so one slow call would hold up every ack; a2wsgi's
`WSGIMiddleware` hands the app a body it reads from the app's own thread, so a slow body holds a
thread again. Neither caps the size nor bounds the read. Once the body is whole, the bridge is a
call on a thread pool.
"""

from __future__ import annotations

import asyncio
import io
import logging
import sys
import traceback
from collections.abc import Awaitable, Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

log = logging.getLogger(__name__)

# Slack's requests are a few kilobytes; a modal with every field full stays well under this.
# The one limit for the front and for the WSGI app behind it (handlers/server.py).
MAX_BODY_BYTES = 1024 * 1024
# Slack sends a whole request at once; a body still arriving after this is not Slack's.
READ_TIMEOUT_S = 10.0
# As many WSGI calls at once per worker process as gunicorn's gthread worker ran before.
THREADS = 8

WsgiApp = Callable[[dict, Callable[..., Any]], Iterable[bytes]]
Receive = Callable[[], Awaitable[dict]]
Send = Callable[[dict], Awaitable[None]]


class TooLarge(Exception):
    """The body is, or says it will be, over the limit."""


class Front:
    """ASGI app around a WSGI app: reads the body whole, within a deadline and a size limit, then
    calls the WSGI app on a pool of `threads` threads and sends back what it returned."""

    def __init__(
        self,
        wsgi_app: WsgiApp,
        *,
        threads: int = THREADS,
        read_timeout_s: float = READ_TIMEOUT_S,
        max_body_bytes: int = MAX_BODY_BYTES,
        multiprocess: bool = False,
    ):
        self.wsgi_app = wsgi_app
        self.read_timeout_s = read_timeout_s
        self.max_body_bytes = max_body_bytes
        self.multiprocess = multiprocess
        self.pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="wsgi")

    async def __call__(self, scope: dict, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            if scope["type"] == "websocket":
                await send({"type": "websocket.close", "code": 1003})
            return
        try:
            declared = _declared_length(scope)
            if declared is not None and declared > self.max_body_bytes:
                raise TooLarge
            async with asyncio.timeout(self.read_timeout_s):
                body = await self._read_body(receive)
        except TooLarge:
            log.warning(
                "Refused a request to %s with 413: its body is over %s bytes", scope["path"], f"{self.max_body_bytes:,}"
            )
            await _refuse(send, 413, b"Payload Too Large")
            return
        except TimeoutError:
            log.warning(
                "Refused a request to %s with 408: its body did not arrive within %g s",
                scope["path"],
                self.read_timeout_s,
            )
            await _refuse(send, 408, b"Request Timeout")
            return
        if body is None:
            return  # the client went away mid-body: nothing to answer, nothing held
        environ = self._environ(scope, body)
        status, headers, chunks = await asyncio.get_running_loop().run_in_executor(self.pool, self._call, environ)
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": b"".join(chunks)})

    async def _read_body(self, receive: Receive) -> bytes | None:
        """The whole body, or None if the client disconnected first."""
        body = bytearray()
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return None
            body += message.get("body", b"")
            if len(body) > self.max_body_bytes:
                raise TooLarge
            if not message.get("more_body", False):
                return bytes(body)

    def _environ(self, scope: dict, body: bytes) -> dict:
        """What a WSGI server gives its app (PEP 3333), for a body that has already arrived."""
        server_name, server_port = scope.get("server") or ("localhost", 80)
        environ: dict[str, Any] = {
            "REQUEST_METHOD": scope["method"],
            "SCRIPT_NAME": scope.get("root_path", ""),
            "PATH_INFO": scope["path"],
            "QUERY_STRING": scope["query_string"].decode("latin-1"),
            "SERVER_NAME": server_name,
            "SERVER_PORT": str(server_port),
            "SERVER_PROTOCOL": f"HTTP/{scope['http_version']}",
            # The body is whole: its length is known whether it came with Content-Length or in chunks.
            "CONTENT_LENGTH": str(len(body)),
            "wsgi.version": (1, 0),
            "wsgi.url_scheme": scope.get("scheme", "http"),
            "wsgi.input": io.BytesIO(body),
            "wsgi.errors": sys.stderr,
            "wsgi.multithread": True,
            "wsgi.multiprocess": self.multiprocess,
            "wsgi.run_once": False,
        }
        client = scope.get("client")
        if client:
            environ["REMOTE_ADDR"], environ["REMOTE_PORT"] = client[0], str(client[1])
        for raw_name, raw_value in scope["headers"]:
            name = raw_name.decode("latin-1").lower()
            if name in ("content-length", "transfer-encoding"):
                continue  # framing of the bytes on the wire, not of the body handed over
            key = "CONTENT_TYPE" if name == "content-type" else "HTTP_" + name.upper().replace("-", "_")
            value = raw_value.decode("latin-1")
            # A repeated header is one value, joined with commas, as WSGI servers do (RFC 9110 5.3).
            environ[key] = f"{environ[key]},{value}" if key in environ else value
        return environ

    def _call(self, environ: dict) -> tuple[int, list[tuple[bytes, bytes]], list[bytes]]:
        """Run the WSGI app on a pool thread; its status, headers and body."""
        started: list = []

        def start_response(status: str, headers: list[tuple[str, str]], exc_info=None):
            if exc_info and started:
                raise exc_info[1].with_traceback(exc_info[2])
            started[:] = [status, headers]
            return _no_write

        try:
            result = self.wsgi_app(environ, start_response)
            try:
                chunks = [bytes(c) for c in result]
            finally:
                close = getattr(result, "close", None)
                if close is not None:
                    close()
            status, headers = started
        except Exception as e:  # answer 500 rather than leave Slack waiting; the message may quote the request
            log.error(
                "The app failed on %s %s: %s\n%s",
                environ["REQUEST_METHOD"],
                environ["PATH_INFO"],
                e.__class__.__name__,
                "".join(traceback.format_tb(e.__traceback__)).rstrip(),
            )
            return 500, [(b"content-type", b"text/plain"), (b"content-length", b"21")], [b"Internal Server Error"]
        return (
            int(status.split(" ", 1)[0]),
            [(n.lower().encode("latin-1"), v.encode("latin-1")) for n, v in headers],
            chunks,
        )


def _no_write(data: bytes) -> None:
    raise NotImplementedError("the front sends what the app returns; write() is not supported")


def _declared_length(scope: dict) -> int | None:
    for name, value in scope["headers"]:
        if name.lower() == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None  # gunicorn's parser refuses a malformed length before the app is called
    return None


async def _refuse(send: Send, status: int, text: bytes) -> None:
    """Answer and close: the rest of the body, unread, must not be taken for the next request."""
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"text/plain"),
                (b"content-length", str(len(text)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": text})
