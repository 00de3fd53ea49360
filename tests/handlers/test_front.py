"""handlers.front.Front as an ASGI server drives it: the body whole before the WSGI app, within its limits."""

from __future__ import annotations

import asyncio
import logging

import pytest

from handlers.front import Front

SECRET_WORDS = "Jane Marple's settlement figure"


class RecordingApp:
    """A WSGI app that keeps the environ and the body it was given."""

    def __init__(self, fail: Exception | None = None):
        self.calls: list[tuple[dict, bytes]] = []
        self.fail = fail

    def __call__(self, environ, start_response):
        body = environ["wsgi.input"].read(int(environ["CONTENT_LENGTH"]))
        self.calls.append((environ, body))
        if self.fail:
            raise self.fail
        start_response("201 Created", [("Content-Type", "text/plain"), ("X-Seen", str(len(body)))])
        return [b"got ", b"it"]


def _scope(headers: list[tuple[bytes, bytes]], *, path: str = "/slack/events") -> dict:
    return {
        "type": "http",
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": path,
        "query_string": b"a=1",
        "root_path": "",
        "headers": headers,
        "server": ("127.0.0.1", 3000),
        "client": ("127.0.0.1", 50000),
    }


def _serve(front: Front, scope: dict, messages: list[dict], *, then_wait: bool = False) -> tuple[list[dict], int]:
    """Run one request; what the front sent, and how many messages it asked for."""
    sent: list[dict] = []
    asked = 0

    async def receive() -> dict:
        nonlocal asked
        asked += 1
        if asked <= len(messages):
            return messages[asked - 1]
        assert then_wait, "the front asked for more than the client sent"
        await asyncio.Event().wait()  # a client that sends nothing more

    async def send(message: dict) -> None:
        sent.append(message)

    asyncio.run(front(scope, receive, send))
    return sent, asked


def _chunk(body: bytes, more: bool = True) -> dict:
    return {"type": "http.request", "body": body, "more_body": more}


def test_a_body_in_pieces_reaches_the_app_whole_with_its_length_and_headers_as_a_wsgi_server_gives_them():
    app = RecordingApp()
    headers = [
        (b"content-type", b"application/x-www-form-urlencoded"),
        (b"transfer-encoding", b"chunked"),
        (b"x-forwarded-for", b"10.0.0.1"),
        (b"x-forwarded-for", b"10.0.0.2"),
        (b"x-slack-signature", b"v0=abc"),
    ]
    sent, _ = _serve(Front(app), _scope(headers), [_chunk(b"text="), _chunk(b"hello"), _chunk(b"", more=False)])
    [(environ, body)] = app.calls
    assert body == b"text=hello" and environ["CONTENT_LENGTH"] == "10"
    assert environ["CONTENT_TYPE"] == "application/x-www-form-urlencoded"
    assert environ["HTTP_X_FORWARDED_FOR"] == "10.0.0.1,10.0.0.2"
    assert environ["HTTP_X_SLACK_SIGNATURE"] == "v0=abc"
    assert "HTTP_TRANSFER_ENCODING" not in environ and "HTTP_CONTENT_LENGTH" not in environ
    assert (environ["REQUEST_METHOD"], environ["PATH_INFO"], environ["QUERY_STRING"]) == (
        "POST",
        "/slack/events",
        "a=1",
    )
    assert (environ["SERVER_NAME"], environ["SERVER_PORT"], environ["REMOTE_ADDR"]) == (
        "127.0.0.1",
        "3000",
        "127.0.0.1",
    )
    assert environ["SERVER_PROTOCOL"] == "HTTP/1.1" and environ["wsgi.url_scheme"] == "http"
    start, body_message = sent
    assert start["status"] == 201 and (b"x-seen", b"10") in start["headers"]
    assert body_message == {"type": "http.response.body", "body": b"got it"}


def test_a_content_length_over_the_limit_gets_413_before_any_body_is_read():
    app = RecordingApp()
    sent, asked = _serve(Front(app, max_body_bytes=100), _scope([(b"content-length", b"101")]), [])
    assert asked == 0 and app.calls == []
    assert sent[0]["status"] == 413 and (b"connection", b"close") in sent[0]["headers"]


def test_a_chunked_body_growing_past_the_limit_gets_413_and_is_read_no_further():
    app = RecordingApp()
    messages = [_chunk(b"x" * 60), _chunk(b"x" * 60), _chunk(b"x" * 60, more=False)]
    sent, asked = _serve(Front(app, max_body_bytes=100), _scope([(b"transfer-encoding", b"chunked")]), messages)
    assert asked == 2 and app.calls == []
    assert sent[0]["status"] == 413


def test_a_body_at_the_limit_is_taken():
    app = RecordingApp()
    _serve(Front(app, max_body_bytes=100), _scope([(b"content-length", b"100")]), [_chunk(b"x" * 100, more=False)])
    assert [len(body) for _, body in app.calls] == [100]


def test_a_body_that_stops_coming_gets_408_and_the_app_is_not_called():
    app = RecordingApp()
    sent, _ = _serve(
        Front(app, read_timeout_s=0.05), _scope([(b"content-length", b"1000")]), [_chunk(b"abc")], then_wait=True
    )
    assert app.calls == []
    assert sent[0]["status"] == 408 and (b"connection", b"close") in sent[0]["headers"]


def test_a_client_gone_mid_body_gets_nothing_and_costs_no_call(caplog):
    app = RecordingApp()
    with caplog.at_level(logging.DEBUG, logger="handlers.front"):
        sent, _ = _serve(
            Front(app), _scope([(b"content-length", b"1000")]), [_chunk(b"abc"), {"type": "http.disconnect"}]
        )
    assert sent == [] and app.calls == [] and caplog.records == []


def test_an_app_that_fails_gets_a_500_and_its_message_stays_out_of_the_log(caplog):
    app = RecordingApp(fail=ValueError(f"could not parse {SECRET_WORDS}"))
    with caplog.at_level(logging.ERROR, logger="handlers.front"):
        sent, _ = _serve(Front(app), _scope([(b"content-length", b"3")]), [_chunk(b"abc", more=False)])
    assert sent[0]["status"] == 500
    assert "ValueError" in caplog.text and SECRET_WORDS not in caplog.text


@pytest.mark.parametrize("scope_type", ["lifespan", "websocket"])
def test_what_is_not_http_calls_no_app(scope_type):
    app = RecordingApp()
    sent, asked = _serve(Front(app), {"type": scope_type}, [])
    assert app.calls == [] and asked == 0
    assert sent == ([{"type": "websocket.close", "code": 1003}] if scope_type == "websocket" else [])
