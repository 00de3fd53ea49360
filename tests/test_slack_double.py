"""Tests of the Slack Web API test double, driven by a real slack_sdk WebClient."""

from __future__ import annotations

import json
import threading
import urllib.request

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from tests.slack_double import Call, SlackDouble

SECTION = {"type": "section", "text": {"type": "mrkdwn", "text": "*New complaint* from Ann"}}


def modal(title: str = "Log complaint") -> dict:
    return {
        "type": "modal",
        "callback_id": "complaint_modal",
        "title": {"type": "plain_text", "text": title},
        "submit": {"type": "plain_text", "text": "Submit"},
        "close": {"type": "plain_text", "text": "Cancel"},
        "private_metadata": "C1",
        "blocks": [
            {
                "type": "input",
                "block_id": "summary",
                "label": {"type": "plain_text", "text": "Summary"},
                "element": {"type": "plain_text_input", "action_id": "value", "multiline": True},
            },
            {
                "type": "input",
                "block_id": "severity",
                "label": {"type": "plain_text", "text": "Severity"},
                "element": {
                    "type": "static_select",
                    "action_id": "value",
                    "options": [
                        {"text": {"type": "plain_text", "text": "Low"}, "value": "low"},
                        {"text": {"type": "plain_text", "text": "High"}, "value": "high"},
                    ],
                },
            },
        ],
    }


@pytest.fixture
def double():
    with SlackDouble(
        members={"C1": ["U1", "U2", "UBOT"]},
        users={"U1": {"name": "ann", "real_name": "Ann Smith", "tz": "Europe/London"}},
    ) as d:
        yield d


@pytest.fixture
def client(double):
    # retry_handlers=[]: slack_sdk must not retry on its own, so injected failures surface directly
    return WebClient(token="xoxb-test", base_url=double.url, retry_handlers=[], timeout=5)


def error_of(excinfo: pytest.ExceptionInfo[SlackApiError]) -> str | None:
    data = excinfo.value.response.data
    return data.get("error") if isinstance(data, dict) else None


# ---------------------------------------------------------------- basics


def test_url_shape_and_auth_test(double, client):
    assert double.url.startswith("http://127.0.0.1:") and double.url.endswith("/api/")
    resp = client.auth_test()
    assert resp["user_id"] == "UBOT" and resp["bot_id"] == "B0001" and resp["team_id"] == "T0001"
    assert resp["user"] == "complaintbot"
    [call] = double.calls
    assert call.method == "auth.test" and call.token == "xoxb-test" and not call.failed


def test_post_message_returns_ts_and_records_decoded_blocks(double, client):
    first = client.chat_postMessage(channel="C1", text="New complaint", blocks=[SECTION])
    second = client.chat_postMessage(channel="C1", text="another")
    assert first["ok"] and first["channel"] == "C1"
    assert first["ts"] and float(second["ts"]) > float(first["ts"])
    assert first["message"]["ts"] == first["ts"] and first["message"]["blocks"] == [SECTION]

    calls = double.calls_to("chat.postMessage")
    assert [c.params["text"] for c in calls] == ["New complaint", "another"]
    assert calls[0].params["blocks"] == [SECTION]  # a list, not a JSON string
    assert calls[0].token == "xoxb-test"
    assert double.invalid == []


def test_post_message_form_encoded_blocks_are_decoded(double, client):
    # the form-urlencoded path: blocks arrive as a JSON string and must be decoded
    resp = client.api_call("chat.postMessage", data={"channel": "C1", "text": "t", "blocks": json.dumps([SECTION])})
    assert resp["ok"]
    [call] = double.calls_to("chat.postMessage")
    assert call.params["blocks"] == [SECTION]


def test_post_message_to_user_answers_dm_channel(double, client):
    resp = client.chat_postMessage(channel="U1", text="hello")
    assert resp["channel"] == "D1"
    opened = client.conversations_open(users="U1")
    assert opened["channel"]["id"] == resp["channel"]


@pytest.mark.parametrize(
    "bad_block, fragment",
    [
        ({"type": "section"}, "text or fields"),
        ({"type": "no_such_block", "text": "x"}, "no_such_block"),
        (
            {"type": "input", "label": {"type": "plain_text", "text": "L"}, "element": {"type": "bogus"}},
            "element",
        ),
        ({"type": "header", "text": {"type": "plain_text", "text": "x" * 151}}, "150"),
    ],
)
def test_invalid_blocks_rejected_and_recorded(double, client, bad_block, fragment):
    with pytest.raises(SlackApiError) as excinfo:
        client.chat_postMessage(channel="C1", text="t", blocks=[SECTION, bad_block])
    assert error_of(excinfo) == "invalid_blocks"
    assert len(double.invalid) >= 1
    assert all(entry.startswith("chat.postMessage:") for entry in double.invalid)
    assert fragment in " ".join(double.invalid)
    [call] = double.calls_to("chat.postMessage")
    assert not call.ok and not call.failed and call.error == "invalid_blocks"


def test_too_many_blocks_and_too_long_text(double, client):
    with pytest.raises(SlackApiError) as excinfo:
        client.chat_postMessage(channel="C1", text="t", blocks=[{"type": "divider"}] * 51)
    assert error_of(excinfo) == "invalid_blocks"
    with pytest.raises(SlackApiError) as excinfo:
        client.chat_postMessage(channel="C1", text="x" * 40_001)
    assert error_of(excinfo) == "msg_too_long"
    assert len(double.invalid) == 2
    # 50 blocks are fine
    assert client.chat_postMessage(channel="C1", text="t", blocks=[{"type": "divider"}] * 50)["ok"]


def test_duplicate_block_ids_rejected(double, client):
    blocks = [dict(SECTION, block_id="a"), dict(SECTION, block_id="a")]
    with pytest.raises(SlackApiError) as excinfo:
        client.chat_postMessage(channel="C1", text="t", blocks=blocks)
    assert error_of(excinfo) == "invalid_blocks"
    assert "duplicate block_id" in double.invalid[0]


def test_update_and_ephemeral(double, client):
    posted = client.chat_postMessage(channel="C1", text="v1")
    updated = client.chat_update(channel="C1", ts=posted["ts"], text="v2", blocks=[SECTION])
    assert updated["ts"] == posted["ts"] and updated["text"] == "v2" and updated["channel"] == "C1"
    eph = client.chat_postEphemeral(channel="C1", user="U1", text="only you")
    assert eph["message_ts"]
    with pytest.raises(SlackApiError) as excinfo:
        client.chat_update(channel="C1", ts=posted["ts"], text="t", blocks=[{"type": "section"}])
    assert error_of(excinfo) == "invalid_blocks"
    with pytest.raises(SlackApiError) as excinfo:
        client.api_call("chat.postEphemeral", json={"channel": "C1", "text": "no user"})
    assert error_of(excinfo) == "invalid_arguments"


def test_missing_arguments_unknown_method_and_no_token(double, client):
    with pytest.raises(SlackApiError) as excinfo:
        client.api_call("chat.update", json={"channel": "C1"})
    assert error_of(excinfo) == "invalid_arguments"
    with pytest.raises(SlackApiError) as excinfo:
        client.api_call("reactions.add", json={"channel": "C1", "name": "eyes", "timestamp": "1.2"})
    assert error_of(excinfo) == "unknown_method"
    anonymous = WebClient(base_url=double.url, retry_handlers=[])
    with pytest.raises(SlackApiError) as excinfo:
        anonymous.chat_postMessage(channel="C1", text="hi")
    assert error_of(excinfo) == "not_authed"
    assert [c.method for c in double.calls] == ["chat.update", "reactions.add", "chat.postMessage"]
    assert double.calls[-1].token is None


# ---------------------------------------------------------------- views


def test_valid_modal_opens_and_too_long_title_is_rejected(double, client):
    resp = client.views_open(trigger_id="123.456.abc", view=modal())
    view = resp["view"]
    assert view["id"].startswith("V") and view["hash"]
    assert view["state"] == {"values": {}}
    assert view["callback_id"] == "complaint_modal" and view["private_metadata"] == "C1"
    [call] = double.calls_to("views.open")
    assert call.params["view"]["blocks"][0]["block_id"] == "summary"

    with pytest.raises(SlackApiError) as excinfo:
        client.views_open(trigger_id="123.456.abc", view=modal(title="A" * 25))
    assert error_of(excinfo) == "invalid_blocks"
    assert any("views.open" in e and "title" in e for e in double.invalid)


def test_view_with_invalid_nested_block_rejected(double, client):
    view = modal()
    view["blocks"].append({"type": "section"})
    with pytest.raises(SlackApiError) as excinfo:
        client.views_push(trigger_id="1.2.3", view=view)
    assert error_of(excinfo) == "invalid_blocks"
    assert "text or fields" in " ".join(double.invalid)


def test_views_update_keeps_id_and_publish_home(double, client):
    opened = client.views_open(trigger_id="1.2.3", view=modal())["view"]
    updated = client.views_update(view_id=opened["id"], view=modal(title="Thanks"))["view"]
    assert updated["id"] == opened["id"] and updated["title"]["text"] == "Thanks"
    with_ext = client.views_open(trigger_id="1.2.3", view=dict(modal(), external_id="ext-1"))["view"]
    by_ext = client.views_update(external_id="ext-1", view=dict(modal(), external_id="ext-1"))["view"]
    assert by_ext["id"] == with_ext["id"]

    home = {"type": "home", "blocks": [SECTION]}
    published = client.views_publish(user_id="U1", view=home)["view"]
    assert published["id"].startswith("V") and published["type"] == "home"
    with pytest.raises(SlackApiError):
        client.views_publish(user_id="U1", view=modal())  # not a home view
    with pytest.raises(SlackApiError) as excinfo:
        client.api_call("views.update", json={"view": modal()})
    assert error_of(excinfo) == "invalid_arguments"


# ---------------------------------------------------------------- failure injection


def test_rate_limit_then_success(double, client):
    double.fail(status=429, retry_after=1, count=1)
    with pytest.raises(SlackApiError) as excinfo:
        client.chat_postMessage(channel="C1", text="hi")
    resp = excinfo.value.response
    assert resp.status_code == 429
    assert {k.lower(): v for k, v in resp.headers.items()}["retry-after"] == "1"
    assert resp.data == {"ok": False, "error": "ratelimited"}

    assert client.chat_postMessage(channel="C1", text="hi")["ok"]
    calls = double.calls_to("chat.postMessage")
    assert [c.failed for c in calls] == [True, False]  # the client did not retry on its own
    assert calls[0].status == 429 and calls[1].ok


def test_server_errors_twice_then_success(double, client):
    double.fail(status=500, count=2)
    for _ in range(2):
        with pytest.raises(SlackApiError) as excinfo:
            client.chat_postMessage(channel="C1", text="hi")
        assert excinfo.value.response.status_code == 500
    assert client.chat_postMessage(channel="C1", text="hi")["ok"]
    assert [c.failed for c in double.calls_to("chat.postMessage")] == [True, True, False]


def test_failure_limited_to_methods_and_slack_level_error(double, client):
    double.fail(status=200, error="channel_not_found", count=1, methods={"chat.postMessage"})
    assert client.auth_test()["ok"]  # not affected
    with pytest.raises(SlackApiError) as excinfo:
        client.chat_postMessage(channel="C404", text="hi")
    assert excinfo.value.response.status_code == 200
    assert error_of(excinfo) == "channel_not_found"
    assert double.calls_to("chat.postMessage")[0].failed
    assert client.chat_postMessage(channel="C1", text="hi")["ok"]


def test_injected_failure_precedes_validation(double, client):
    double.fail(status=503, count=1)
    with pytest.raises(SlackApiError) as excinfo:
        client.chat_postMessage(channel="C1", text="t", blocks=[{"type": "section"}])
    assert excinfo.value.response.status_code == 503
    assert double.invalid == []


def test_reset_clears_calls_invalid_and_failures(double, client):
    double.fail(status=500, count=5)
    with pytest.raises(SlackApiError):
        client.chat_postMessage(channel="C1", text="t")
    double.invalid.append("x")
    double.reset()
    assert double.calls == [] and double.invalid == []
    assert client.chat_postMessage(channel="C1", text="t")["ok"]


# ---------------------------------------------------------------- files, members, users


def test_files_upload_v2_end_to_end(double, client):
    resp = client.files_upload_v2(
        channel="C1",
        content=b"png-bytes",
        filename="chart.png",
        title="Chart",
        alt_txt="alt",
        initial_comment="Weekly complaints",
    )
    assert resp["ok"]
    file_id = resp["file"]["id"]
    assert file_id.startswith("F") and resp["file"]["title"] == "Chart"
    assert double.uploads[file_id] == b"png-bytes"

    [get_url] = double.calls_to("files.getUploadURLExternal")
    assert get_url.params["filename"] == "chart.png" and int(get_url.params["length"]) == len(b"png-bytes")
    assert get_url.params["alt_txt"] == "alt"
    [upload] = double.calls_to("upload")
    assert upload.params == {"file_id": file_id, "length": 9}
    [complete] = double.calls_to("files.completeUploadExternal")
    assert complete.params["channel_id"] == "C1"
    assert complete.params["initial_comment"] == "Weekly complaints"
    assert complete.params["files"] == [{"id": file_id, "title": "Chart"}]
    assert double.files[file_id]["alt_txt"] == "alt" and double.files[file_id]["channel_id"] == "C1"


def test_upload_multipart_body_is_unwrapped(double, client):
    got = client.files_getUploadURLExternal(filename="a.txt", length=3)
    boundary = "XyZ"
    body = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\n'
        f"Content-Type: text/plain\r\n\r\nabc\r\n--{boundary}--\r\n"
    ).encode()
    req = urllib.request.Request(
        got["upload_url"],
        data=body,
        method="POST",
        headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
    )
    with urllib.request.urlopen(req, timeout=5) as r:
        assert r.status == 200
    assert double.uploads[got["file_id"]] == b"abc"


def test_complete_upload_without_bytes_fails(double, client):
    got = client.files_getUploadURLExternal(filename="a.txt", length=3)
    with pytest.raises(SlackApiError) as excinfo:
        client.files_completeUploadExternal(files=[{"id": got["file_id"], "title": "A"}], channel_id="C1")
    assert error_of(excinfo) == "file_not_found"


def test_conversations_members(double, client):
    resp = client.conversations_members(channel="C1")
    assert resp["members"] == ["U1", "U2", "UBOT"]
    assert resp["response_metadata"]["next_cursor"] == ""
    with pytest.raises(SlackApiError) as excinfo:
        client.conversations_members(channel="C999")
    assert error_of(excinfo) == "channel_not_found"


def test_users_info_configured_and_default(double, client):
    ann = client.users_info(user="U1")["user"]
    assert (ann["id"], ann["name"], ann["real_name"], ann["tz"]) == ("U1", "ann", "Ann Smith", "Europe/London")
    assert ann["profile"]["real_name"] == "Ann Smith"
    other = client.users_info(user="U77")["user"]
    assert other["id"] == "U77" and other["name"] and other["real_name"] and other["tz"]
    assert "display_name" in other["profile"]


# ---------------------------------------------------------------- wait_for


def test_wait_for_call_from_another_thread(double, client):
    go = threading.Event()

    def bot():
        go.wait(5)
        client.chat_postMessage(channel="C1", text="from the bot thread")

    t = threading.Thread(target=bot, daemon=True)
    t.start()
    go.set()
    [call] = double.wait_for("chat.postMessage", timeout=5)
    assert isinstance(call, Call) and call.params["text"] == "from the bot thread"
    t.join(5)


def test_wait_for_ignores_failed_calls_and_times_out_naming_what_was_seen(double, client):
    double.fail(status=500, count=1)
    with pytest.raises(SlackApiError):
        client.chat_postMessage(channel="C1", text="t")
    client.auth_test()
    with pytest.raises(AssertionError) as excinfo:
        double.wait_for("chat.postMessage", timeout=0.2)
    message = str(excinfo.value)
    assert "chat.postMessage" in message and "auth.test" in message and "500" in message


def test_wait_for_count(double, client):
    for i in range(3):
        client.chat_postMessage(channel="C1", text=str(i))
    assert len(double.wait_for("chat.postMessage", count=3, timeout=1)) == 3


def test_restart_stop_is_idempotent():
    d = SlackDouble().start()
    url = d.url
    assert WebClient(token="xoxb-test", base_url=url).auth_test()["ok"]
    d.stop()
    d.stop()


def test_response_url_messages_are_recorded_and_validated():
    with SlackDouble() as double:
        good = {"text": "hi", "blocks": [SECTION], "response_type": "ephemeral"}
        req = urllib.request.Request(
            double.response_url_base + "commands/1",
            data=json.dumps(good).encode(),
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        with urllib.request.urlopen(req) as r:
            assert json.loads(r.read())["ok"] is True
        bad = {"text": "x", "blocks": [{"type": "section"}]}
        req = urllib.request.Request(
            double.response_url_base + "commands/2",
            data=json.dumps(bad).encode(),
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        with urllib.request.urlopen(req) as r:
            assert json.loads(r.read())["error"] == "invalid_blocks"
        calls = double.calls_to("response_url")
        assert [c.ok for c in calls] == [True, False]
        assert calls[0].params["blocks"][0]["text"]["text"] == "*New complaint* from Ann"
        assert len(double.invalid) == 1


# ---------------------------------------------------------------- what `complaint-bot check` asks


def test_auth_test_lists_the_scopes_granted_in_its_header(double, client):
    assert client.auth_test().headers["x-oauth-scopes"].split(",") == double.scopes
    double.scopes.remove("files:write")
    assert "files:write" not in client.auth_test().headers["x-oauth-scopes"].split(",")


def test_apps_connections_open_takes_an_app_token_only(double):
    assert WebClient(base_url=double.url).apps_connections_open(app_token="xapp-1-A")["url"].startswith("wss://")
    with pytest.raises(SlackApiError) as excinfo:
        WebClient(base_url=double.url).apps_connections_open(app_token="xoxb-test")
    assert error_of(excinfo) == "not_allowed_token_type"


def test_conversations_info_says_whether_the_bot_is_a_member(double, client):
    assert client.conversations_info(channel="C1")["channel"]["is_member"] is True
    double.not_member["C2"] = ""
    assert client.conversations_info(channel="C2")["channel"]["is_member"] is False
    double.not_member["G3"] = "channel_not_found"
    with pytest.raises(SlackApiError) as excinfo:
        client.conversations_info(channel="G3")
    assert error_of(excinfo) == "channel_not_found"


def test_users_info_answers_user_not_found_for_unknown_users(double, client):
    double.unknown_users.add("UGONE")
    with pytest.raises(SlackApiError) as excinfo:
        client.users_info(user="UGONE")
    assert error_of(excinfo) == "user_not_found"
