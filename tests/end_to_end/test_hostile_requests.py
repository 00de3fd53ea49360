"""Requests from outside, over real HTTP: unsigned, stale, malformed, oversized, and signed payloads
Slack would never send. None gets a 5xx, none stores anything, and the log holds neither a
traceback nor any request body."""

from __future__ import annotations

import http.client
import json
import logging
import time
import urllib.parse

import pytest
from sqlalchemy import func, select

from bot.core import ids
from handlers.server import MAX_BODY_BYTES
from storage.models import AccessRefusal, Complaint, Disclosure, Event, Notification
from tests.e2e import log_one, validate_view
from tests.fakes import intake_values

# Client text that must never reach the log.
SECRET_NAME = "Zebedee Quartermaine"
SECRET_SUMMARY = "Settlement figure of 84,317 pounds was disclosed to the other side"


def _counts(ctx) -> tuple[int, ...]:
    with ctx.session_factory() as s:
        return tuple(
            s.execute(select(func.count()).select_from(m)).scalar_one()
            for m in (Complaint, Disclosure, Event, Notification, AccessRefusal)
        )


def _send(
    bot_url: str, body: bytes, headers: list[tuple[str, str]], *, declared_length: int | None = None
) -> tuple[int, str]:
    """POST `body` to /slack/events with exactly `headers` (repeats kept); the status and text."""
    host = urllib.parse.urlsplit(bot_url)
    conn = http.client.HTTPConnection(host.hostname, host.port, timeout=15)
    try:
        conn.putrequest("POST", "/slack/events", skip_accept_encoding=True)
        conn.putheader("Content-Length", str(len(body) if declared_length is None else declared_length))
        for name, value in headers:
            conn.putheader(name, value)
        conn.endheaders()
        conn.send(body)
        answer = conn.getresponse()
        return answer.status, answer.read().decode(errors="replace")
    finally:
        conn.close()


def _signed_headers(
    slack, body: bytes, *, content_type: str = "application/x-www-form-urlencoded"
) -> list[tuple[str, str]]:
    ts = int(time.time())
    return [
        ("Content-Type", content_type),
        ("X-Slack-Request-Timestamp", str(ts)),
        ("X-Slack-Signature", slack.sign(body.decode(), ts)),
    ]


def _form(payload) -> bytes:
    return urllib.parse.urlencode({"payload": json.dumps(payload)}).encode()


def _assert_clean_log(caplog) -> None:
    tracebacks = [r for r in caplog.records if r.exc_info]
    assert not tracebacks, [r.getMessage() for r in tracebacks]
    assert SECRET_NAME not in caplog.text and SECRET_SUMMARY not in caplog.text
    assert urllib.parse.quote_plus(SECRET_NAME) not in caplog.text


def _hostile_payload() -> dict:
    return {
        "type": "view_submission",
        "user": {"id": "UOUTSIDER"},
        "team": {"id": "T0001", "domain": "examplefirm"},
        "view": {
            "id": "V1",
            "type": "modal",
            "callback_id": ids.VIEW_NEW_COMPLAINT,
            "state": {
                "values": {
                    "client_name": {"client_name": {"type": "plain_text_input", "value": SECRET_NAME}},
                    "summary": {"summary": {"type": "plain_text_input", "value": SECRET_SUMMARY}},
                }
            },
        },
    }


def test_unsigned_stale_and_malformed_requests_get_4xx_and_one_log_line(live, caplog):
    bot, slack, ctx = live
    caplog.set_level(logging.DEBUG)  # not even a debug line may carry the body
    before = _counts(ctx)
    good = _form(_hostile_payload())
    stale_ts = int(time.time()) - 6 * 60
    cases = {
        # name: (body, headers, the statuses that are right)
        "no signature": (
            good,
            [
                ("Content-Type", "application/x-www-form-urlencoded"),
                ("X-Slack-Request-Timestamp", str(int(time.time()))),
            ],
            {401},
        ),
        "forged signature": (
            good,
            [
                ("Content-Type", "application/x-www-form-urlencoded"),
                ("X-Slack-Request-Timestamp", str(int(time.time()))),
                ("X-Slack-Signature", "v0=" + "0" * 64),
            ],
            {401},
        ),
        "delivered six minutes late": (
            good,
            [
                ("Content-Type", "application/x-www-form-urlencoded"),
                ("X-Slack-Request-Timestamp", str(stale_ts)),
                ("X-Slack-Signature", slack.sign(good.decode(), stale_ts)),
            ],
            {401},
        ),
        "timestamp not a number": (
            good,
            [("X-Slack-Request-Timestamp", "soon"), ("X-Slack-Signature", "v0=abc")],
            {401},
        ),
        "timestamp repeated": (
            good,
            [
                ("X-Slack-Request-Timestamp", "1700000000"),
                ("X-Slack-Request-Timestamp", "1700000000"),
                ("X-Slack-Signature", "v0=abc"),
            ],
            {401},
        ),
        "invalid JSON in payload, unsigned": (
            b"payload=%7Bnot+json",
            [("X-Slack-Request-Timestamp", "1"), ("X-Slack-Signature", "v0=x")],
            {401},
        ),
        "a JSON list as the body, unsigned": (
            b"[1, 2, 3]",
            [("Content-Type", "application/json"), ("X-Slack-Request-Timestamp", "1"), ("X-Slack-Signature", "v0=x")],
            {401},
        ),
        "not UTF-8, unsigned": (
            b"payload=\xff\xfe\xfa",
            [("X-Slack-Request-Timestamp", "1"), ("X-Slack-Signature", "v0=x")],
            {401},
        ),
    }
    for name, (body, headers, allowed) in cases.items():
        status, _ = _send(bot.url, body, headers)
        assert status in allowed, (name, status)
    refusals = [r for r in caplog.records if r.getMessage().startswith("Refused a request to /slack/events")]
    assert len(refusals) == len(cases)  # one line each
    bot.wait_idle()
    assert _counts(ctx) == before
    _assert_clean_log(caplog)


def test_signed_but_unparseable_bodies_get_400(live, caplog):
    bot, slack, ctx = live
    caplog.set_level(logging.DEBUG)
    before = _counts(ctx)
    form = _form(_hostile_payload())
    bodies = {
        "invalid JSON in payload": (b"payload=%7B%22type%22%3A+", "application/x-www-form-urlencoded"),
        "a JSON list as the body": (b'[{"type": "event_callback"}]', "application/json"),
        "a form body sent as application/json": (form, "application/json"),
        "a JSON string as the payload": (
            urllib.parse.urlencode({"payload": '"just text"'}).encode(),
            "application/x-www-form-urlencoded",
        ),
    }
    for name, (body, content_type) in bodies.items():
        status, _ = _send(bot.url, body, _signed_headers(slack, body, content_type=content_type))
        assert status == 400, (name, status)
    # Bytes that are not UTF-8 cannot carry Slack's signature (it signs text): refused all the same.
    raw = b"payload=\xff\xfe" + SECRET_NAME.encode()
    ts = str(int(time.time()))
    status, _ = _send(bot.url, raw, [("X-Slack-Request-Timestamp", ts), ("X-Slack-Signature", "v0=" + "1" * 64)])
    assert status in (400, 401)
    bot.wait_idle()
    assert _counts(ctx) == before
    _assert_clean_log(caplog)


def test_a_body_larger_than_any_slack_request_is_refused_before_it_is_read(live, caplog):
    bot, slack, ctx = live
    before = _counts(ctx)
    # Five megabytes promised, a few bytes sent: the answer comes without the rest being read.
    status, _ = _send(bot.url, b"payload=", _signed_headers(slack, b"payload="), declared_length=5 * 1024 * 1024)
    assert status == 413
    # One byte over the limit is over it; the limit itself is not (a small body that says so is
    # read, and then fails its signature).
    status, _ = _send(bot.url, b"payload=", _signed_headers(slack, b"payload="), declared_length=MAX_BODY_BYTES + 1)
    assert status == 413
    at_limit = b"payload=" + b"x" * (MAX_BODY_BYTES - len(b"payload="))
    status, _ = _send(bot.url, at_limit, _signed_headers(slack, b"payload="))
    assert status == 401
    assert _counts(ctx) == before
    _assert_clean_log(caplog)
    assert "5,242,880 bytes" in caplog.text  # the size is logged, not the body
    assert "x" * 100 not in caplog.text


SIGNED_NONSENSE = {
    "no actions": {"type": "block_actions", "user": {"id": "ULEAD"}, "trigger_id": "t", "actions": []},
    "actions not a list": {"type": "block_actions", "user": {"id": "ULEAD"}, "trigger_id": "t", "actions": {"a": 1}},
    "a list where a button's value goes": {
        "type": "block_actions",
        "user": {"id": "ULEAD"},
        "trigger_id": "t",
        "response_url": "http://127.0.0.1:9/x",
        "actions": [{"action_id": ids.ACTION_DISCLOSURE_ACK, "value": ["DSC-2026-0001"]}],
    },
    "the user as text": {
        "type": "block_actions",
        "user": "ULEAD",
        "trigger_id": "t",
        "actions": [{"action_id": ids.ACTION_TRIAGE, "value": "CMP-2026-0001"}],
    },
    "a view without an id": {
        "type": "view_submission",
        "user": {"id": "ULEAD"},
        "view": {"callback_id": ids.VIEW_NEW_COMPLAINT},
    },
    "a view as a list": {"type": "view_submission", "user": {"id": "ULEAD"}, "view": [1, 2]},
    "a list where the summary goes": {
        "type": "view_submission",
        "user": {"id": "ULEAD"},
        "view": {
            "id": "V9",
            "type": "modal",
            "callback_id": ids.VIEW_NEW_COMPLAINT,
            "state": {"values": {"summary": {"summary": {"type": "plain_text_input", "value": [SECRET_SUMMARY]}}}},
        },
    },
    "an unknown callback id": {
        "type": "view_submission",
        "user": {"id": "ULEAD"},
        "view": {"id": "V9", "type": "modal", "callback_id": "complaint_delete_everything", "state": {"values": {}}},
    },
    "an unknown shortcut": {
        "type": "shortcut",
        "user": {"id": "ULEAD"},
        "callback_id": "export_all",
        "trigger_id": "t",
    },
    "an unknown button": {
        "type": "block_actions",
        "user": {"id": "ULEAD"},
        "trigger_id": "t",
        "actions": [{"action_id": "complaint_delete", "value": "CMP-2026-0001"}],
    },
    "an event that is text": {"type": "event_callback", "event": "app_home_opened"},
    "a payload of no known type": {"type": "dialog_submission", "user": {"id": "ULEAD"}},
}


@pytest.mark.parametrize("name", sorted(SIGNED_NONSENSE))
def test_signed_payloads_slack_never_sends_get_200_or_400_and_store_nothing(live, slack_double, caplog, name):
    bot, slack, ctx = live
    log_one(slack, slack_double)
    bot.wait_idle()
    before, calls = _counts(ctx), len(slack_double.calls)
    r = slack.post_payload(SIGNED_NONSENSE[name])
    assert r.status in (200, 400), (name, r.status, r.body)
    bot.wait_idle()
    assert _counts(ctx) == before
    assert [c.method for c in slack_double.calls[calls:]] == []  # nothing sent to Slack either
    assert any(r.levelno == logging.WARNING for r in caplog.records)
    _assert_clean_log(caplog)


def test_a_signed_command_whose_text_is_a_list_is_refused(live, slack_double, caplog):
    bot, slack, ctx = live
    body = json.dumps(
        {
            "command": "/complaint",
            "text": ["show", "CMP-2026-0001"],
            "user_id": "ULEAD",
            "trigger_id": "t",
            "response_url": slack.response_url_base + "c/1",
        }
    ).encode()
    status, _ = _send(bot.url, body, _signed_headers(slack, body, content_type="application/json"))
    assert status == 400
    bot.wait_idle()
    assert slack_double.calls_to("response_url") == []
    _assert_clean_log(caplog)


def test_a_view_submission_without_state_gets_field_errors_not_a_failure(live, slack_double, caplog):
    bot, slack, ctx = live
    before = _counts(ctx)
    r = slack.post_payload(
        {
            "type": "view_submission",
            "user": {"id": "ULEAD"},
            "team": {"id": "T0001"},
            "view": {"id": "V9", "type": "modal", "callback_id": ids.VIEW_NEW_COMPLAINT},
        }
    )
    assert r.status == 200
    assert r.json()["response_action"] == "errors"
    assert _counts(ctx) == before
    _assert_clean_log(caplog)


def test_client_text_stays_out_of_the_log_through_a_whole_complaint(live, slack_double, caplog):
    """At the default level, from intake to triage to /complaint show: the log names references,
    never the client or what they said."""
    bot, slack, ctx = live
    caplog.set_level(logging.INFO)
    view, posts = log_one(slack, slack_double, client_name=SECRET_NAME, summary=SECRET_SUMMARY)
    alert = next(p for p in posts if p.params["channel"] == "CTRIAGE01")
    slack.click(alert.params["blocks"], ids.ACTION_TRIAGE, user="ULEAD")
    triage = slack_double.wait_for("views.open", 2)[-1].response["view"]
    validate_view(triage)
    # A rotated signing secret: Slack's request fails the check, and its body is not logged.
    stale = _form(_hostile_payload())
    assert (
        _send(
            bot.url,
            stale,
            [("X-Slack-Request-Timestamp", str(int(time.time()))), ("X-Slack-Signature", "v0=" + "f" * 64)],
        )[0]
        == 401
    )
    slack.command("show CMP-2026-0001", user="ULEAD")
    slack_double.wait_for("response_url", 1)
    bot.wait_idle()
    with ctx.session_factory() as s:
        assert s.execute(select(Complaint.client_name)).scalar_one() == SECRET_NAME
    _assert_clean_log(caplog)
    assert intake_values()["client_name"] not in caplog.text
