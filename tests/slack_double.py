"""A local test double of the Slack Web API, served on loopback.

Point a real ``slack_sdk.WebClient`` at it::

    with SlackDouble(members={"C1": ["U1", "U2"]}) as double:
        client = WebClient(token="xoxb-test", base_url=double.url)
        client.chat_postMessage(channel="C1", text="hi")
        assert double.calls_to("chat.postMessage")[0].params["text"] == "hi"

Standard library only (``http.server.ThreadingHTTPServer`` in a daemon thread),
plus ``slack_sdk.models`` to reject Block Kit payloads the way Slack would.

Every request is recorded in ``double.calls`` (a list of :class:`Call`).
Block Kit / view validation failures are described in ``double.invalid`` and
answered with ``{"ok": false, "error": "invalid_blocks"}``. Transport- or
Slack-level failures can be injected with :meth:`SlackDouble.fail`.
"""

from __future__ import annotations

import contextlib
import email.parser
import email.policy
import inspect
import itertools
import json
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

__all__ = ["Call", "Hold", "SlackDouble"]

#: string params that carry JSON and are decoded into Python objects in Call.params
_JSON_FIELDS = ("blocks", "view", "attachments")
#: keyword arguments View() knows about (anything else is stripped before validation)
_VIEW_KEYS = frozenset(
    name
    for name, p in inspect.signature(View.__init__).parameters.items()
    if name != "self" and p.kind not in (p.VAR_KEYWORD, p.VAR_POSITIONAL)
)
_MAX_MESSAGE_BLOCKS = 50
_MAX_VIEW_BLOCKS = 100
_MAX_TEXT = 40_000
_SNIPPET = 300

TEAM_ID = "T0001"
TEAM_DOMAIN = "examplefirm"  # the workspace's domain, as tests/e2e.py sends it in payloads
BOT_USER_ID = "UBOT"
BOT_ID = "B0001"
APP_ID = "A0001"
#: the scopes auth.test says the bot token has (its x-oauth-scopes header): manifest.yml's
GRANTED_SCOPES = (
    "commands",
    "chat:write",
    "im:write",
    "users:read",
    "channels:read",
    "groups:read",
    "files:write",
    "usergroups:read",
)


@dataclass
class Call:
    """One request received by the double."""

    method: str  # e.g. "chat.postMessage" ("upload" for the bytes POSTed to an upload_url)
    params: dict  # merged query + form/JSON body; blocks/view/attachments decoded
    token: str | None  # from "Authorization: Bearer ..." or the token param
    failed: bool = False  # True when answered by a failure injected with fail()
    status: int = 200  # HTTP status the double answered with
    response: dict | None = field(default=None, repr=False)  # JSON body answered (None if not JSON)

    @property
    def ok(self) -> bool:
        """True when the double answered HTTP 200 with ``"ok": true``."""
        return self.status == 200 and bool(self.response and self.response.get("ok"))

    @property
    def error(self) -> str | None:
        """The Slack error string answered, if any."""
        return None if self.response is None else self.response.get("error")


@dataclass
class _Failure:
    status: int
    remaining: int
    retry_after: int | None
    methods: frozenset[str] | None
    error: str | None

    def matches(self, method: str) -> bool:
        return self.remaining > 0 and (self.methods is None or method in self.methods)


@dataclass
class Hold:
    """Requests to one method wait here: ``arrived`` is set when one does, ``release()`` lets them all go."""

    arrived: threading.Event = field(default_factory=threading.Event)
    _released: threading.Event = field(default_factory=threading.Event)

    def wait(self) -> None:
        self.arrived.set()
        self._released.wait(timeout=60)

    def release(self) -> None:
        self._released.set()


class _InvalidArguments(Exception):
    pass


class _Reply:
    """What the handler sends back."""

    def __init__(
        self,
        status: int = 200,
        body: dict | None = None,
        *,
        raw: bytes | None = None,
        content_type: str = "application/json; charset=utf-8",
        headers: dict | None = None,
    ):
        self.status = status
        self.json = body
        self.raw = raw if raw is not None else json.dumps(body).encode("utf-8")
        self.content_type = content_type
        self.headers = headers or {}


def _ok(**fields: Any) -> _Reply:
    return _Reply(200, {"ok": True, **fields})


def _err(error: str, **fields: Any) -> _Reply:
    return _Reply(200, {"ok": False, "error": error, **fields})


def _snippet(value: Any) -> str:
    try:
        text = json.dumps(value, ensure_ascii=False, default=str)
    except (TypeError, ValueError):
        text = repr(value)
    return text if len(text) <= _SNIPPET else text[: _SNIPPET - 3] + "..."


def _dropped_parts(original: Any, rendered: Any, path: str) -> list[str]:
    """Parts of ``original`` that slack_sdk's models could not parse (they vanish or become None).

    slack_sdk silently turns unknown element types into None / drops them, while Slack
    itself rejects such payloads, so this catches e.g. an input block with a bogus element.
    Only structural (dict/list) values are checked; unknown scalar keys are tolerated.
    """
    problems: list[str] = []
    if isinstance(original, dict) and isinstance(rendered, dict):
        for key, value in original.items():
            if not isinstance(value, (dict, list)):
                continue
            if rendered.get(key) is None:
                problems.append(f"{path}.{key} could not be parsed: {_snippet(value)}")
            else:
                problems.extend(_dropped_parts(value, rendered[key], f"{path}.{key}"))
    elif isinstance(original, list) and isinstance(rendered, list) and len(original) == len(rendered):
        for i, (o, r) in enumerate(zip(original, rendered, strict=False)):
            if isinstance(o, (dict, list)) and r is None:
                problems.append(f"{path}[{i}] could not be parsed: {_snippet(o)}")
            else:
                problems.extend(_dropped_parts(o, r, f"{path}[{i}]"))
    return problems


def _block_problems(blocks: Any, *, max_blocks: int, path: str = "blocks") -> list[str]:
    """Describe everything Slack would reject in a list of block payloads."""
    if not isinstance(blocks, list):
        return [f"{path} must be a JSON array, got {_snippet(blocks)}"]
    problems: list[str] = []
    if len(blocks) > max_blocks:
        problems.append(f"{path}: {len(blocks)} blocks, at most {max_blocks} allowed")
    seen_ids: set[str] = set()
    for i, d in enumerate(blocks):
        where = f"{path}[{i}]"
        if not isinstance(d, dict):
            problems.append(f"{where} is not an object: {_snippet(d)}")
            continue
        try:
            block = Block.parse(d)
        except Exception as e:  # slack_sdk raises assorted errors on malformed input
            problems.append(f"{where} could not be parsed ({type(e).__name__}: {e}): {_snippet(d)}")
            continue
        if block is None:
            problems.append(f"{where} unknown or unparseable block type {d.get('type')!r}: {_snippet(d)}")
            continue
        try:
            block.validate_json()
            rendered = block.to_dict()  # validates nested elements/objects too
        except Exception as e:
            problems.append(f"{where} {type(e).__name__}: {e}: {_snippet(d)}")
            continue
        problems.extend(_dropped_parts(d, rendered, where))
        block_id = d.get("block_id")
        if block_id is not None:
            if block_id in seen_ids:
                problems.append(f"{where} duplicate block_id {block_id!r}")
            seen_ids.add(block_id)
    return problems


def _view_problems(view: Any, *, allowed_types: tuple[str, ...]) -> list[str]:
    if not isinstance(view, dict):
        return [f"view must be a JSON object, got {_snippet(view)}"]
    problems: list[str] = []
    vtype = view.get("type")
    if vtype not in allowed_types:
        problems.append(f"view.type must be one of {allowed_types}, got {vtype!r}")
    if vtype == "modal" and not view.get("title"):
        problems.append("modal view requires a title")
    try:
        View(**{k: v for k, v in view.items() if k in _VIEW_KEYS}).validate_json()
    except Exception as e:
        problems.append(f"view {type(e).__name__}: {e}")
    if "blocks" not in view:
        problems.append("view.blocks is required")
    else:
        problems.extend(_block_problems(view["blocks"], max_blocks=_MAX_VIEW_BLOCKS, path="view.blocks"))
    return problems


def _tz_offset(tz: str) -> int:
    try:
        from zoneinfo import ZoneInfo

        offset = datetime.now(ZoneInfo(tz)).utcoffset()
        return int(offset.total_seconds()) if offset is not None else 0
    except Exception:
        return 0


def _dm_channel(user: str) -> str:
    return "D" + (user[1:] if user[:1] in ("U", "W") else user)


def _parse_multipart(content_type: str, body: bytes) -> tuple[dict[str, Any], dict[str, bytes]]:
    """Return (fields, files) of a multipart/form-data body."""
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        b"Content-Type: " + content_type.encode("latin-1") + b"\r\nMIME-Version: 1.0\r\n\r\n" + body
    )
    fields: dict[str, Any] = {}
    files: dict[str, bytes] = {}
    if not message.is_multipart():
        return fields, files
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if name is None:
            continue
        payload = part.get_payload(decode=True) or b""
        if part.get_filename() is not None:
            files[name] = payload
        else:
            fields[name] = payload.decode(part.get_content_charset() or "utf-8", "replace")
    return fields, files


class _Handler(BaseHTTPRequestHandler):
    server_version = "SlackDouble/1.0"

    def log_message(self, format: str, *args: Any) -> None:  # silence default stderr logging
        pass

    def do_POST(self) -> None:
        self._handle()

    def do_GET(self) -> None:
        self._handle()

    def _handle(self) -> None:
        double: SlackDouble = self.server.double  # type: ignore[attr-defined]
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length > 0 else b""
        try:
            reply = double._dispatch(self.path, self.headers, body)
        except Exception as e:  # never leave the client hanging on a bug in the double
            reply = _Reply(500, {"ok": False, "error": "double_internal_error", "detail": repr(e)})
        self.send_response(reply.status)
        self.send_header("Content-Type", reply.content_type)
        self.send_header("Content-Length", str(len(reply.raw)))
        for k, v in reply.headers.items():
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(reply.raw)


class SlackDouble:
    """A fake Slack Web API on 127.0.0.1 for end-to-end tests."""

    def __init__(self, *, members: dict[str, list[str]] | None = None, users: dict[str, dict] | None = None):
        self.members: dict[str, list[str]] = {k: list(v) for k, v in (members or {}).items()}
        self.users: dict[str, dict] = {k: dict(v) for k, v in (users or {}).items()}
        self.calls: list[Call] = []
        self.invalid: list[str] = []
        #: bytes POSTed to upload URLs, keyed by file id
        self.uploads: dict[str, bytes] = {}
        #: per file id: filename, length, alt_txt, snippet_type (from files.getUploadURLExternal)
        #: plus title, channel_id, initial_comment, thread_ts once files.completeUploadExternal ran
        self.files: dict[str, dict] = {}
        #: views by id, as last answered by views.open/push/update/publish
        self.views: dict[str, dict] = {}
        #: the bot token's scopes, as auth.test's x-oauth-scopes header lists them
        self.scopes: list[str] = list(GRANTED_SCOPES)
        #: channels the bot is not in, for conversations.info: "" answers is_member false (a public
        #: channel), an error such as "channel_not_found" answers that error (a private one)
        self.not_member: dict[str, str] = {}
        #: user ids users.info answers user_not_found for
        self.unknown_users: set[str] = set()
        #: the workspace's user groups as usergroups.list answers them: id → handle
        self.usergroups: dict[str, str] = {}
        self._failures: list[_Failure] = []
        #: what apps.connections.open answers: a Socket Mode stand-in's ws:// URL (tests/socket_mode_double.py)
        self.socket_mode_url: str | None = None
        self._holds: dict[str, Hold] = {}
        self._cond = threading.Condition(threading.RLock())
        self._ids = itertools.count(1)
        self._ts = itertools.count(1)
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.url: str = ""

    # ------------------------------------------------------------------ lifecycle
    def start(self) -> SlackDouble:
        if self._server is not None:
            return self
        server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        server.daemon_threads = True
        server.double = self  # type: ignore[attr-defined]
        host, port = server.server_address[:2]
        self.url = f"http://{host}:{port}/api/"
        self.response_url_base = f"http://{host}:{port}/response/"
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.05}, name="slack-double", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        server, thread = self._server, self._thread
        self._server = self._thread = None
        if server is not None:
            server.shutdown()
            server.server_close()
        if thread is not None:
            thread.join(timeout=5)

    def __enter__(self) -> SlackDouble:
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    # ------------------------------------------------------------------ test helpers
    def calls_to(self, method: str) -> list[Call]:
        with self._cond:
            return [c for c in self.calls if c.method == method]

    def reset(self) -> None:
        """Forget calls, validation failures and pending injected failures."""
        with self._cond:
            self.calls.clear()
            self.invalid.clear()
            self._failures.clear()

    def fail(
        self,
        *,
        status: int,
        count: int,
        retry_after: int | None = None,
        methods: set[str] | None = None,
        error: str | None = None,
    ) -> None:
        """Make the next ``count`` matching requests fail.

        status 429 -> {"ok": false, "error": "ratelimited"} (+ Retry-After when retry_after is given);
        status >= 500 -> an HTML error page; status 200 -> {"ok": false, "error": error} (error required);
        other statuses -> {"ok": false, "error": error or "request_failed"}.
        ``methods`` restricts the failure to those API methods ("upload" = the upload_url POST).
        """
        if count < 1:
            raise ValueError("count must be >= 1")
        if status == 200 and not error:
            raise ValueError("fail(status=200) needs error=..., e.g. error='channel_not_found'")
        with self._cond:
            self._failures.append(
                _Failure(
                    status=status,
                    remaining=count,
                    retry_after=retry_after,
                    methods=frozenset(methods) if methods is not None else None,
                    error=error,
                )
            )

    def hold(self, method: str) -> Hold:
        """Keep requests to ``method`` waiting, as a send in flight does, until ``release()``."""
        hold = self._holds[method] = Hold()
        return hold

    def wait_for(self, method: str, count: int = 1, timeout: float = 5.0) -> list[Call]:
        """Block until at least ``count`` successful (``ok: true``) calls to ``method`` arrived."""

        def ready() -> bool:
            return sum(1 for c in self.calls if c.method == method and c.ok) >= count

        with self._cond:
            if not self._cond.wait_for(ready, timeout=timeout):
                seen = (
                    ", ".join(
                        f"{c.method}({'failed ' if c.failed else ''}{c.status}{' ' + c.error if c.error else ''})"
                        for c in self.calls
                    )
                    or "no calls at all"
                )
                extra = f"; invalid payloads: {self.invalid}" if self.invalid else ""
                raise AssertionError(
                    f"timed out after {timeout}s waiting for {count} successful {method} call(s); seen: {seen}{extra}"
                )
            return [c for c in self.calls if c.method == method and c.ok]

    def wait_until(self, found: Callable[[list[Call]], Any], timeout: float = 5.0, *, since: int = 0) -> Any:
        """Block until ``found(calls[since:])`` returns something other than None, and return it.

        ``since`` (e.g. ``len(double.calls)`` taken before a request) keeps each look short when
        many threads wait at once.
        """
        result = None

        def ready() -> bool:
            nonlocal result
            result = found(self.calls[since:])
            return result is not None

        with self._cond:
            if not self._cond.wait_for(ready, timeout=timeout):
                raise AssertionError(f"timed out after {timeout}s waiting for a call {found.__name__} finds")
            return result

    # ------------------------------------------------------------------ request handling
    def _next_id(self, prefix: str) -> str:
        with self._cond:
            return f"{prefix}{next(self._ids):08X}"

    def _next_ts(self) -> str:
        with self._cond:
            micros = 1_700_000_000_000_000 + next(self._ts) * 100
        return f"{micros // 1_000_000}.{micros % 1_000_000:06d}"

    def _record(self, call: Call) -> None:
        with self._cond:
            self.calls.append(call)
            self._cond.notify_all()

    def _reject(self, method: str, problems: list[str], error: str = "invalid_blocks") -> _Reply:
        with self._cond:
            for p in problems:
                self.invalid.append(f"{method}: {p}")
        return _err(error, response_metadata={"messages": [f"[ERROR] {p}" for p in problems]})

    def _take_failure(self, method: str) -> _Failure | None:
        with self._cond:
            for f in self._failures:
                if f.matches(method):
                    f.remaining -= 1
                    if f.remaining == 0:
                        self._failures.remove(f)
                    return f
        return None

    @staticmethod
    def _failure_reply(f: _Failure) -> _Reply:
        if f.status == 200:
            return _err(f.error or "fatal_error")
        if f.status == 429:
            headers = {"Retry-After": str(f.retry_after)} if f.retry_after is not None else {}
            return _Reply(429, {"ok": False, "error": f.error or "ratelimited"}, headers=headers)
        if f.status >= 500:
            html = (
                f"<html><head><title>{f.status} Server Error</title></head>"
                f"<body><h1>{f.status} Server Error</h1></body></html>"
            ).encode()
            return _Reply(f.status, None, raw=html, content_type="text/html; charset=utf-8")
        return _Reply(f.status, {"ok": False, "error": f.error or "request_failed"})

    def _dispatch(self, raw_path: str, headers: Any, body: bytes) -> _Reply:
        split = urlsplit(raw_path)
        path = split.path
        if path.startswith("/api/upload/"):
            return self._handle_upload(path[len("/api/upload/") :], headers, body)
        if path.startswith("/response/"):
            return self._handle_response_url(path, body)
        method = path[len("/api/") :] if path.startswith("/api/") else path.lstrip("/")

        params: dict[str, Any] = {k: v[-1] for k, v in parse_qs(split.query, keep_blank_values=True).items()}
        content_type = headers.get("Content-Type") or ""
        bad_body: str | None = None
        if body:
            ctype = content_type.split(";")[0].strip().lower()
            if ctype == "application/json":
                try:
                    decoded = json.loads(body.decode("utf-8"))
                except ValueError:
                    bad_body = "invalid_json"
                else:
                    if isinstance(decoded, dict):
                        params.update(decoded)
                    else:
                        bad_body = "invalid_json"
            elif ctype == "multipart/form-data":
                fields, files = _parse_multipart(content_type, body)
                params.update(fields)
                params.update(files)
            else:
                text = body.decode("utf-8", "replace")
                params.update({k: v[-1] for k, v in parse_qs(text, keep_blank_values=True).items()})

        decode_fields = _JSON_FIELDS + (("files",) if method == "files.completeUploadExternal" else ())
        for key in decode_fields:
            if isinstance(params.get(key), str):
                with contextlib.suppress(ValueError):  # left as a string; validation below reports it
                    params[key] = json.loads(params[key])

        token = None
        auth = headers.get("Authorization") or ""
        if auth.lower().startswith("bearer "):
            token = auth[7:].strip() or None
        if token is None and isinstance(params.get("token"), str) and params["token"]:
            token = params["token"]

        call = Call(method=method, params=params, token=token)
        failure = self._take_failure(method)
        if failure is not None:
            reply = self._failure_reply(failure)
            call.failed = True
        elif bad_body is not None:
            reply = _err(bad_body)
        else:
            if method in self._holds:
                self._holds[method].wait()
            handler = getattr(self, "_m_" + method.replace(".", "_"), None)
            if handler is None:
                reply = _err("unknown_method")
            elif token is None:
                reply = _err("not_authed")
            else:
                try:
                    # A method that answers by the token's type (apps.connections.open) takes it too.
                    takes_token = "token" in inspect.signature(handler).parameters
                    reply = handler(params, token=token) if takes_token else handler(params)
                except _InvalidArguments as e:
                    reply = _err("invalid_arguments", response_metadata={"messages": [f"[ERROR] {e}"]})
        call.status = reply.status
        call.response = reply.json
        self._record(call)
        return reply

    def _handle_response_url(self, path: str, body: bytes) -> _Reply:
        """A POST to a slash command's or action's response_url: a message, validated like chat.*."""
        try:
            params = json.loads(body.decode("utf-8") or "{}")
        except ValueError:
            params = None
        call = Call(method="response_url", params=params if isinstance(params, dict) else {}, token=None)
        call.params["_path"] = path
        failure = self._take_failure("response_url")
        if failure is not None:
            reply = self._failure_reply(failure)
            call.failed = True
        elif not isinstance(params, dict):
            reply = _err("invalid_json")
        else:
            reply = self._message_problems("response_url", params) or (
                _ok() if self._has_content(params) else _err("no_text")
            )
        call.status = reply.status
        call.response = reply.json
        self._record(call)
        return reply

    def _handle_upload(self, file_id: str, headers: Any, body: bytes) -> _Reply:
        content_type = headers.get("Content-Type") or ""
        data = body
        if content_type.lower().startswith("multipart/form-data"):
            _, files = _parse_multipart(content_type, body)
            if files:
                data = files.get("file", next(iter(files.values())))
        call = Call(method="upload", params={"file_id": file_id, "length": len(data)}, token=None)
        failure = self._take_failure("upload")
        if failure is not None:
            reply = self._failure_reply(failure)
            call.failed = True
        else:
            with self._cond:
                known = file_id in self.files
                if known:
                    self.uploads[file_id] = data
            if known:
                reply = _Reply(200, None, raw=f"OK - {len(data)}".encode(), content_type="text/plain; charset=utf-8")
            else:
                reply = _Reply(404, None, raw=b"Not Found", content_type="text/plain; charset=utf-8")
        call.status = reply.status
        call.response = reply.json
        self._record(call)
        return reply

    # ------------------------------------------------------------------ argument helpers
    @staticmethod
    def _require(params: dict, *names: str) -> None:
        missing = [n for n in names if params.get(n) in (None, "")]
        if missing:
            raise _InvalidArguments(f"missing required argument(s): {', '.join(missing)}")

    def _message_problems(self, method: str, params: dict) -> _Reply | None:
        text = params.get("text")
        if isinstance(text, str) and len(text) > _MAX_TEXT:
            return self._reject(
                method, [f"text is {len(text)} characters, at most {_MAX_TEXT} allowed"], error="msg_too_long"
            )
        if "blocks" in params and params["blocks"] not in (None, ""):
            problems = _block_problems(params["blocks"], max_blocks=_MAX_MESSAGE_BLOCKS)
            if problems:
                return self._reject(method, problems)
        return None

    @staticmethod
    def _has_content(params: dict) -> bool:
        return any(params.get(k) not in (None, "", []) for k in ("text", "blocks", "attachments"))

    def _answer_view(
        self,
        method: str,
        params: dict,
        *,
        allowed: tuple[str, ...],
        view_id: str | None = None,
        previous: str | None = None,
    ) -> _Reply:
        view = params.get("view")
        problems = _view_problems(view, allowed_types=allowed)
        if problems:
            return self._reject(method, problems)
        view_id = view_id or self._next_id("V")
        answered = {
            **view,
            "id": view_id,
            "team_id": TEAM_ID,
            "app_id": APP_ID,
            "bot_id": BOT_ID,
            "hash": self._next_id("h").lower(),
            "state": {"values": {}},
            "root_view_id": view_id,
            "previous_view_id": previous,
            "private_metadata": view.get("private_metadata", ""),
            "callback_id": view.get("callback_id", ""),
            "external_id": view.get("external_id", ""),
        }
        with self._cond:
            self.views[view_id] = answered
        return _ok(view=answered)

    # ------------------------------------------------------------------ methods
    def _m_auth_test(self, params: dict) -> _Reply:
        reply = _ok(
            url="https://lawfirm-test.slack.com/",
            team="Law Firm Test",
            user="complaintbot",
            team_id=TEAM_ID,
            user_id=BOT_USER_ID,
            bot_id=BOT_ID,
            is_enterprise_install=False,
        )
        with self._cond:
            reply.headers["x-oauth-scopes"] = ",".join(self.scopes)
        return reply

    def _m_apps_connections_open(self, params: dict, *, token: str) -> _Reply:
        if not token.startswith("xapp-"):
            return _err("not_allowed_token_type")
        if self.socket_mode_url:  # a Socket Mode stand-in's (tests/socket_mode_double.py)
            return _ok(url=self.socket_mode_url)
        # A Socket Mode URL nothing listens on: a check asks for it and never connects.
        return _ok(url=f"wss://127.0.0.1:9/link/?ticket={self._next_id('t').lower()}&app_id={APP_ID}")

    def _m_conversations_info(self, params: dict) -> _Reply:
        self._require(params, "channel")
        channel = str(params["channel"])
        with self._cond:
            outside = self.not_member.get(channel)
        if outside:
            return _err(outside)
        return _ok(
            channel={
                "id": channel,
                "name": channel.lower(),
                "is_channel": channel.startswith("C"),
                "is_private": channel.startswith("G"),
                "is_archived": False,
                "is_member": outside is None,
            }
        )

    def _m_chat_postMessage(self, params: dict) -> _Reply:
        self._require(params, "channel")
        if not self._has_content(params):
            return _err("no_text")
        problem = self._message_problems("chat.postMessage", params)
        if problem:
            return problem
        channel = str(params["channel"])
        if channel.startswith("U"):
            channel = _dm_channel(channel)
        ts = self._next_ts()
        message = {"type": "message", "user": BOT_USER_ID, "bot_id": BOT_ID, "text": params.get("text", ""), "ts": ts}
        if params.get("blocks"):
            message["blocks"] = params["blocks"]
        if params.get("thread_ts"):
            message["thread_ts"] = params["thread_ts"]
        return _ok(channel=channel, ts=ts, message=message)

    def _m_chat_update(self, params: dict) -> _Reply:
        self._require(params, "channel", "ts")
        problem = self._message_problems("chat.update", params)
        if problem:
            return problem
        text = params.get("text", "")
        message = {"type": "message", "user": BOT_USER_ID, "bot_id": BOT_ID, "text": text}
        if params.get("blocks"):
            message["blocks"] = params["blocks"]
        return _ok(channel=params["channel"], ts=params["ts"], text=text, message=message)

    def _m_chat_getPermalink(self, params: dict) -> _Reply:
        self._require(params, "channel", "message_ts")
        channel, ts = str(params["channel"]), str(params["message_ts"])
        if not re.fullmatch(r"\d{10}\.\d{6}", ts):
            return _err("message_not_found")
        return _ok(
            channel=channel, permalink=f"https://{TEAM_DOMAIN}.slack.com/archives/{channel}/p{ts.replace('.', '')}"
        )

    def _m_chat_postEphemeral(self, params: dict) -> _Reply:
        self._require(params, "channel", "user")
        if not self._has_content(params):
            return _err("no_text")
        problem = self._message_problems("chat.postEphemeral", params)
        if problem:
            return problem
        return _ok(message_ts=self._next_ts())

    def _m_views_open(self, params: dict) -> _Reply:
        self._require(params, "trigger_id", "view")
        return self._answer_view("views.open", params, allowed=("modal",))

    def _m_views_push(self, params: dict) -> _Reply:
        self._require(params, "trigger_id", "view")
        return self._answer_view("views.push", params, allowed=("modal",))

    def _m_views_update(self, params: dict) -> _Reply:
        self._require(params, "view")
        view_id = params.get("view_id") or None
        external_id = params.get("external_id") or None
        if view_id is None and external_id is None:
            raise _InvalidArguments("views.update needs view_id or external_id")
        if view_id is None:
            with self._cond:
                view_id = next((vid for vid, v in self.views.items() if v.get("external_id") == external_id), None)
            if view_id is None:
                return _err("not_found")
        return self._answer_view("views.update", params, allowed=("modal", "home"), view_id=view_id)

    def _m_views_publish(self, params: dict) -> _Reply:
        self._require(params, "user_id", "view")
        return self._answer_view("views.publish", params, allowed=("home",))

    def _m_conversations_open(self, params: dict) -> _Reply:
        users = params.get("users")
        if isinstance(users, list):
            users = ",".join(users)
        if not users and params.get("channel"):
            return _ok(channel={"id": params["channel"]})
        if not users:
            raise _InvalidArguments("missing required argument(s): users")
        ids = [u.strip() for u in str(users).split(",") if u.strip()]
        if len(ids) == 1:
            return _ok(channel={"id": _dm_channel(ids[0]), "is_im": True, "user": ids[0]})
        return _ok(channel={"id": "G" + "".join(sorted(u.lstrip("UW") for u in ids))[:16], "is_mpim": True})

    def _m_conversations_members(self, params: dict) -> _Reply:
        self._require(params, "channel")
        with self._cond:
            members = self.members.get(str(params["channel"]))
            members = list(members) if members is not None else None
        if members is None:
            return _err("channel_not_found")
        return _ok(members=members, response_metadata={"next_cursor": ""})

    def _m_usergroups_list(self, params: dict) -> _Reply:
        with self._cond:
            groups = [{"id": gid, "handle": handle, "date_delete": 0} for gid, handle in self.usergroups.items()]
        return _ok(usergroups=groups)

    def _m_users_info(self, params: dict) -> _Reply:
        self._require(params, "user")
        uid = str(params["user"])
        with self._cond:
            if uid in self.unknown_users:
                return _err("user_not_found")
            given = dict(self.users.get(uid, {}))
        name = given.pop("name", uid.lower())
        real_name = given.pop("real_name", f"User {uid}")
        tz = given.pop("tz", "Europe/London")
        profile = {"real_name": real_name, "display_name": given.pop("display_name", name)}
        if "email" in given:
            profile["email"] = given.pop("email")
        profile.update(given.pop("profile", {}))
        user = {
            "id": uid,
            "team_id": TEAM_ID,
            "name": name,
            "real_name": real_name,
            "deleted": False,
            "is_bot": False,
            "tz": tz,
            "tz_label": tz,
            "tz_offset": _tz_offset(tz),
            "profile": profile,
        }
        user.update(given)
        return _ok(user=user)

    def _m_files_getUploadURLExternal(self, params: dict) -> _Reply:
        self._require(params, "filename", "length")
        try:
            length = int(params["length"])
        except (TypeError, ValueError):
            raise _InvalidArguments("length must be an integer") from None
        if length <= 0:
            raise _InvalidArguments("length must be positive")
        file_id = self._next_id("F")
        with self._cond:
            self.files[file_id] = {
                "id": file_id,
                "filename": params["filename"],
                "length": length,
                "alt_txt": params.get("alt_txt"),
                "snippet_type": params.get("snippet_type"),
            }
        return _ok(upload_url=f"{self.url}upload/{file_id}", file_id=file_id)

    def _m_files_completeUploadExternal(self, params: dict) -> _Reply:
        self._require(params, "files")
        files = params["files"]
        if not isinstance(files, list) or not files or not all(isinstance(f, dict) and f.get("id") for f in files):
            raise _InvalidArguments("files must be a JSON array of {id, title}")
        answered = []
        with self._cond:
            for f in files:
                meta = self.files.get(f["id"])
                if meta is None or f["id"] not in self.uploads:
                    return _err("file_not_found")
                meta.update(
                    {
                        "title": f.get("title") or meta["filename"],
                        "channel_id": params.get("channel_id"),
                        "initial_comment": params.get("initial_comment"),
                        "thread_ts": params.get("thread_ts"),
                    }
                )
                entry = {
                    "id": f["id"],
                    "title": meta["title"],
                    "name": meta["filename"],
                    "size": len(self.uploads[f["id"]]),
                }
                if meta.get("alt_txt"):
                    entry["alt_txt"] = meta["alt_txt"]
                answered.append(entry)
        return _ok(files=answered)
