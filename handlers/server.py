"""HTTP mode: a WSGI app with Slack's endpoint at /slack/events and a health check at /healthz.

Every request to /slack/events is checked here, in this order, before Bolt sees it: its size
(over MAX_BODY_BYTES, 413, without reading it; no Content-Length, 411), its signature on the raw bytes and its timestamp
(401), that it is UTF-8 (400), parses as Slack's form or JSON (400), and is a payload of a shape
Slack sends, with the fields our listeners read of the types they read (400). Each
refusal is one log line that names the reason, never the body. Bolt's own verification, which
parses before it verifies and logs the body of a request that fails, is turned off (handlers/app.py).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable
from typing import Any

from slack_bolt import App, BoltRequest
from slack_bolt.adapter.wsgi.http_request import WsgiHttpRequest
from slack_bolt.adapter.wsgi.http_response import WsgiHttpResponse
from slack_bolt.request.internals import parse_body
from slack_sdk.signature import SignatureVerifier
from sqlalchemy import text

from bot.core.context import BotContext
from handlers.front import MAX_BODY_BYTES
from handlers.payload import malformed

log = logging.getLogger(__name__)
SLACK_PATH = "/slack/events"

StartResponse = Callable[..., Any]


class Refusal(Exception):
    """A request answered with `status` before Bolt sees it; `reason` is logged, the body never."""

    def __init__(self, status: int, reason: str):
        super().__init__(reason)
        self.status = status
        self.reason = reason


class WsgiApp:
    def __init__(self, app: App, ctx: BotContext):
        self.app = app
        self.ctx = ctx
        secret = ctx.settings.slack_signing_secret
        self.verifier = SignatureVerifier(secret) if secret else None

    def __call__(self, environ: dict, start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO")
        if path == "/healthz":
            return self._health(start_response)
        if path != SLACK_PATH:
            return _plain(start_response, 404, "Not Found")
        if environ.get("REQUEST_METHOD") != "POST":
            return _plain(start_response, 405, "Method Not Allowed", [("Allow", "POST")])
        try:
            request = self._slack_request(environ)
        except Refusal as refusal:
            log.warning("Refused a request to %s with %s: %s", SLACK_PATH, refusal.status, refusal.reason)
            return _plain(start_response, refusal.status, _REASONS[refusal.status])
        bolt = self.app.dispatch(request)
        response = WsgiHttpResponse(status=bolt.status, headers=bolt.headers, body=bolt.body)
        start_response(response.status, response.get_headers())
        return response.get_body()

    def _slack_request(self, environ: dict) -> BoltRequest:
        raw = _read_body(environ)
        wsgi = WsgiHttpRequest(environ)
        # WSGI gives each header once, as a string (Bolt's adapter types them loosely).
        given = wsgi.get_headers()
        headers = {name: value for name, value in given.items() if isinstance(value, str)}
        self._verify(raw, headers)
        try:
            body = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise Refusal(400, "the body is not UTF-8") from None
        content_type = (headers.get("content-type") or "").split(";")[0].strip().lower() or None
        try:
            parsed = parse_body(body, content_type)
        except ValueError:
            raise Refusal(400, "the body does not parse as Slack's form or JSON") from None
        problem = malformed(parsed)
        if problem is not None:
            raise Refusal(400, f"a signed payload Slack would not send: {problem}")
        try:
            return BoltRequest(body=body, query=wsgi.query_string, headers=given)
        except Exception as e:  # Bolt reads ids from the payload as it builds the request
            raise Refusal(400, f"the payload is not one Slack sends ({e.__class__.__name__})") from None

    def _verify(self, raw: bytes, headers: dict[str, str]) -> None:
        timestamp = (headers.get("x-slack-request-timestamp") or "").strip()
        signature = (headers.get("x-slack-signature") or "").strip()
        if not signature:
            raise Refusal(401, "there is no signature")
        # WSGI servers join a repeated header with commas: only digits are one timestamp.
        if not (timestamp.isascii() and timestamp.isdigit()) or len(timestamp) > 12:
            raise Refusal(401, "the timestamp is not a number")
        if self.verifier is None:
            raise Refusal(401, "no signing secret is set (SLACK_SIGNING_SECRET)")
        try:
            valid = self.verifier.is_valid(body=raw, timestamp=timestamp, signature=signature)
        except UnicodeDecodeError:  # the verifier signs text: bytes that are not UTF-8 were never signed
            valid = False
        if not valid:
            raise Refusal(401, "the signature does not match, or the timestamp is more than five minutes off")

    def _health(self, start_response: StartResponse) -> Iterable[bytes]:
        try:
            with self.ctx.engine.connect() as conn:
                conn.execute(text("SELECT 1"))
            status, body = "200 OK", {"ok": True, "database": "reachable"}
        except Exception as e:  # report, do not crash the probe
            log.warning("Health check: database unreachable: %s", e.__class__.__name__)
            status, body = "503 Service Unavailable", {"ok": False, "database": "unreachable"}
        payload = json.dumps(body).encode()
        start_response(status, [("Content-Type", "application/json"), ("Content-Length", str(len(payload)))])
        return [payload]


_REASONS = {
    400: "Bad Request",
    401: "Unauthorized",
    404: "Not Found",
    405: "Method Not Allowed",
    411: "Length Required",
    413: "Payload Too Large",
}


def _read_body(environ: dict) -> bytes:
    """The whole body, refused before it is read if it says it is larger than any Slack request."""
    raw_length = (environ.get("CONTENT_LENGTH") or "").strip()
    if not raw_length:
        raise Refusal(411, "no Content-Length")
    if not (raw_length.isascii() and raw_length.isdigit()):
        raise Refusal(400, "the Content-Length is not a number")
    length = int(raw_length)
    if length > MAX_BODY_BYTES:
        raise Refusal(413, f"the body of {length:,} bytes is over the limit of {MAX_BODY_BYTES:,}")
    raw = environ["wsgi.input"].read(length) if length else b""
    if len(raw) != length:
        raise Refusal(400, "the body is shorter than its Content-Length")
    return raw


def _plain(start_response: StartResponse, status: int, text_: str, extra: list | None = None) -> Iterable[bytes]:
    payload = text_.encode()
    start_response(
        f"{status} {_REASONS.get(status, text_)}",
        [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(payload))), *(extra or [])],
    )
    return [payload]
