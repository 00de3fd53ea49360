"""End-to-end harness: the bot's WSGI app served over real HTTP, and Slack's side of the conversation.

`SlackSide` sends what Slack sends (signed slash commands, shortcuts, button clicks, view
submissions built from the view the bot really opened); the bot's Web API calls go to the
`SlackDouble` on loopback.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import re
import ssl
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from socketserver import ThreadingMixIn
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

from bot.core import ids
from bot.core.blockkit import button
from bot.core.context import BotContext
from bot.reminders.sweep import sweep
from handlers.app import create_app, make_web_client
from handlers.server import WsgiApp
from tests.fakes import intake_values as _intake_values


class _ThreadingWSGIServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, *args) -> None:
        pass


class TrackingExecutor(ThreadPoolExecutor):
    """Runs Bolt's listeners and can say when all of them have finished.

    The bot acks before its listener is done (it goes on to store and send); a test that then
    moves the clock must first let that work finish, as time would in a real deployment.
    """

    def __init__(self) -> None:
        super().__init__(max_workers=5)
        self._busy = 0
        self._idle = threading.Condition()

    def submit(self, fn, /, *args, **kwargs):
        with self._idle:
            self._busy += 1

        def run():
            try:
                return fn(*args, **kwargs)
            finally:
                with self._idle:
                    self._busy -= 1
                    self._idle.notify_all()

        return super().submit(run)

    def wait_idle(self, timeout: float = 10) -> None:
        with self._idle:
            assert self._idle.wait_for(lambda: self._busy == 0, timeout), "the bot's listeners did not finish"


class BotServer:
    """The bot's HTTP endpoint on 127.0.0.1, in this process, so the test's clock drives it."""

    def __init__(self, ctx: BotContext, slack_api_url: str):
        client = make_web_client(ctx.settings.slack_bot_token, slack_api_url)
        self.listeners = TrackingExecutor()
        self.app, self.listening = create_app(ctx, client=client, listener_executor=self.listeners)
        self.server = make_server(
            "127.0.0.1", 0, WsgiApp(self.app, ctx), server_class=_ThreadingWSGIServer, handler_class=_QuietHandler
        )
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> BotServer:
        self.thread.start()
        return self

    def wait_idle(self) -> None:
        self.listeners.wait_idle()

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.listeners.shutdown(wait=True)


@dataclass
class Response:
    status: int
    body: str

    def json(self) -> Any:
        return json.loads(self.body) if self.body else None


class SlackSide:
    """Plays Slack: signs and posts requests to the bot as Slack's servers would."""

    _ids = itertools.count(1)

    def __init__(
        self, bot_url: str, signing_secret: str, response_url_base: str, ssl_context: ssl.SSLContext | None = None
    ):
        self.events_url = f"{bot_url}/slack/events"
        self.signing_secret = signing_secret
        self.response_url_base = response_url_base
        self.ssl_context = ssl_context  # for an https:// bot_url whose certificate is the test's own

    # --- transport ---

    def sign(self, body: str, timestamp: int) -> str:
        base = f"v0:{timestamp}:{body}".encode()
        return "v0=" + hmac.new(self.signing_secret.encode(), base, hashlib.sha256).hexdigest()

    def post_raw(
        self,
        body: str,
        *,
        timestamp: int | None = None,
        signature: str | None = None,
        content_type: str = "application/x-www-form-urlencoded",
        headers: dict | None = None,
    ) -> Response:
        ts = int(time.time()) if timestamp is None else timestamp
        request = urllib.request.Request(
            self.events_url,
            data=body.encode(),
            method="POST",
            headers={
                "Content-Type": content_type,
                "X-Slack-Request-Timestamp": str(ts),
                "X-Slack-Signature": signature if signature is not None else self.sign(body, ts),
                **(headers or {}),
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=10, context=self.ssl_context) as r:
                return Response(r.status, r.read().decode())
        except urllib.error.HTTPError as e:
            return Response(e.code, e.read().decode())

    def post_payload(self, payload: dict) -> Response:
        return self.post_raw(urllib.parse.urlencode({"payload": json.dumps(payload)}))

    # --- what people do in Slack ---

    def trigger_id(self) -> str:
        return f"trigger-{next(self._ids)}"

    def command(
        self,
        text: str,
        *,
        user: str = "UREPORTER",
        channel: str = "CGENERAL",
        command: str = "/complaint",
        trigger_id: str | None = None,
    ) -> Response:
        n = next(self._ids)
        body = urllib.parse.urlencode(
            {
                "token": "legacy",
                "team_id": "T0001",
                "team_domain": "examplefirm",
                "channel_id": channel,
                "channel_name": "general",
                "user_id": user,
                "user_name": user.lower(),
                "command": command,
                "text": text,
                "api_app_id": "A0001",
                "response_url": f"{self.response_url_base}commands/{n}",
                "trigger_id": trigger_id or self.trigger_id(),
            }
        )
        return self.post_raw(body)

    def message_shortcut(
        self,
        callback_id: str,
        *,
        text: str,
        user: str = "UREPORTER",
        channel: str = "CGENERAL",
        ts: str = "1763890000.000200",
    ) -> Response:
        return self.post_payload(
            {
                "type": "message_action",
                "callback_id": callback_id,
                "trigger_id": self.trigger_id(),
                "user": {"id": user, "username": user.lower(), "team_id": "T0001"},
                "team": {"id": "T0001", "domain": "examplefirm"},
                "channel": {"id": channel, "name": "general"},
                "message": {"type": "message", "user": "UCLIENTCONTACT", "text": text, "ts": ts},
                "message_ts": ts,
                "response_url": f"{self.response_url_base}shortcuts/{next(self._ids)}",
                "api_app_id": "A0001",
                "token": "legacy",
            }
        )

    def global_shortcut(self, callback_id: str, *, user: str = "UREPORTER") -> Response:
        return self.post_payload(
            {
                "type": "shortcut",
                "callback_id": callback_id,
                "trigger_id": self.trigger_id(),
                "user": {"id": user, "username": user.lower(), "team_id": "T0001"},
                "team": {"id": "T0001", "domain": "examplefirm"},
                "api_app_id": "A0001",
                "token": "legacy",
            }
        )

    def click(
        self,
        message_blocks: list[dict],
        action_id: str,
        *,
        user: str,
        channel: str = "CTRIAGE01",
        ts: str = "1.0",
        view: dict | None = None,
    ) -> Response:
        """Click the button `action_id` found in `message_blocks` (so a missing button fails the test)."""
        button = find_element(message_blocks, action_id)
        payload = {
            "type": "block_actions",
            "trigger_id": self.trigger_id(),
            "user": {"id": user, "username": user.lower(), "team_id": "T0001"},
            "team": {"id": "T0001", "domain": "examplefirm"},
            "api_app_id": "A0001",
            "token": "legacy",
            "container": {"type": "message", "message_ts": ts, "channel_id": channel},
            "channel": {"id": channel},
            "message": {"ts": ts, "blocks": message_blocks},
            "response_url": f"{self.response_url_base}actions/{next(self._ids)}",
            "actions": [
                {
                    "type": button["type"],
                    "action_id": action_id,
                    "block_id": button.get("_block_id", "b"),
                    "value": button.get("value"),
                    "action_ts": f"{time.time():.6f}",
                }
            ],
        }
        if view is not None:
            payload["view"] = view
            payload["container"] = {"type": "view", "view_id": view.get("id")}
        return self.post_payload(payload)

    def submit(self, view: dict, values: dict[str, str | None], *, user: str) -> Response:
        """Submit the modal `view` (as the bot opened it) with `values` keyed by block id."""
        return self.post_payload(
            {
                "type": "view_submission",
                "team": {"id": "T0001", "domain": "examplefirm"},
                "user": {"id": user, "username": user.lower(), "team_id": "T0001"},
                "api_app_id": "A0001",
                "token": "legacy",
                "trigger_id": self.trigger_id(),
                "view": {**view, "state": {"values": state_for(view, values)}},
                "response_urls": [],
            }
        )


def find_element(blocks: list[dict], action_id: str) -> dict:
    for block in blocks:
        for element in block.get("elements", []) + ([block["accessory"]] if "accessory" in block else []):
            if element.get("action_id") == action_id:
                return {**element, "_block_id": block.get("block_id", "b")}
    raise AssertionError(f"no element with action_id {action_id!r} in the message")


def state_for(view: dict, values: dict[str, str | None]) -> dict:
    """The `state.values` Slack would send for a modal whose inputs hold `values`."""
    unknown = set(values) - {b.get("block_id") for b in view["blocks"]}
    assert not unknown, f"the modal has no inputs {unknown}"
    state: dict[str, dict] = {}
    for block in view["blocks"]:
        if block.get("type") != "input":
            continue
        element = block["element"]
        kind = element["type"]
        value = values.get(block["block_id"])
        if kind in ("static_select", "radio_buttons"):
            chosen = None
            if value is not None:
                match = [o for o in element["options"] if o["value"] == value]
                chosen = match[0] if match else {"text": {"type": "plain_text", "text": value}, "value": value}
            entry = {"type": kind, "selected_option": chosen}
        elif kind == "datepicker":
            entry = {"type": kind, "selected_date": value}
        elif kind == "users_select":
            entry = {"type": kind, "selected_user": value}
        elif kind == "checkboxes":
            wanted = [v for v in (value or "").split(",") if v]
            chosen_options = [o for o in element["options"] if o["value"] in wanted]
            assert len(chosen_options) == len(wanted), f"no checkbox for some of {wanted}"
            entry = {"type": kind, "selected_options": chosen_options}
        else:
            entry = {"type": kind, "value": value}
        state[block["block_id"]] = {element["action_id"]: entry}
    return state


# --- steps and checks shared by the end-to-end tests ---------------------------------------


def validate_view(view: dict) -> None:
    clean = {
        k: v
        for k, v in view.items()
        if k
        not in (
            "id",
            "hash",
            "state",
            "team_id",
            "app_id",
            "bot_id",
            "root_view_id",
            "previous_view_id",
            "app_installed_team_id",
        )
    }
    View(**clean).validate_json()
    for b in view["blocks"]:
        parsed = Block.parse(b)
        assert parsed is not None, b
        parsed.validate_json()


def validate_message(blocks: list[dict]) -> None:
    for b in blocks:
        parsed = Block.parse(b)
        assert parsed is not None, b
        parsed.validate_json()


def open_intake(slack: SlackSide, double) -> dict:
    before = len(double.calls_to("views.open"))
    r = slack.command("new")
    assert r.status == 200 and r.body == ""
    view = double.wait_for("views.open", before + 1)[-1].response["view"]
    assert view["callback_id"] == ids.VIEW_NEW_COMPLAINT
    validate_view(view)
    return view


def log_one(slack, double, **overrides) -> tuple[dict, list]:
    """Log a complaint through the modal; returns the view and the two messages it caused."""
    before = len(double.calls_to("chat.postMessage"))
    view = open_intake(slack, double)
    r = slack.submit(view, _intake_values(**overrides), user="UREPORTER")
    assert r.status == 200 and r.body == "", r.body
    posts = double.wait_for("chat.postMessage", before + 2)[before:]
    return view, posts


def open_intake_modal(slack: SlackSide, double, *, user: str, timeout: float = 10) -> dict:
    """/complaint new, and the modal the bot opened for this very trigger: safe to run from many
    threads at once against one double (open_intake takes the latest views.open)."""
    trigger = slack.trigger_id()
    since = len(double.calls)
    r = slack.command("new", user=user, trigger_id=trigger)
    assert r.status == 200 and r.body == "", (r.status, r.body)

    def views_open_for_this_trigger(calls: list) -> dict | None:
        return next(
            (
                c.response["view"]
                for c in calls
                if c.method == "views.open" and c.ok and c.params.get("trigger_id") == trigger
            ),
            None,
        )

    view = double.wait_until(views_open_for_this_trigger, timeout, since=since)
    assert view["callback_id"] == ids.VIEW_NEW_COMPLAINT
    return view


_POSTED_COMPLAINT = re.compile(r"^Complaint (CMP-\d{4}-\d+)\b")


def posts_by_reference(double) -> dict[str, list[str]]:
    """The channels of every successful chat.postMessage about a complaint (the reporter's
    confirmation and the triage alert both start "Complaint CMP-…"), by reference."""
    out: dict[str, list[str]] = {}
    for c in double.calls_to("chat.postMessage"):
        match = _POSTED_COMPLAINT.match(str(c.params.get("text") or ""))
        if c.ok and match:
            out.setdefault(match.group(1), []).append(str(c.params["channel"]))
    return out


def command_answer(slack, double, text: str, user: str = "UREPORTER") -> dict:
    before = len(double.calls_to("response_url"))
    r = slack.command(text, user=user)
    assert r.status == 200
    answer = double.wait_for("response_url", before + 1)[-1].params
    assert answer["response_type"] == "ephemeral"
    validate_message(answer["blocks"])
    return answer


# --- matters ---------------------------------------------------------------------------------

# ULEAD is in the complaints team (the triage channel's members); the others are not.
LAWYER, PARTNER, OUTSIDER, LEAD = "ULAWYER", "UPARTNER", "UOUTSIDER", "ULEAD"


def matter_values(**overrides):
    values = {
        "matter_ref": "M-1001",
        "client_name": "Jane Client",
        "responsible_id": LAWYER,
        "supervisor_id": PARTNER,
        "area": "conveyancing",
        "opened_on": "2026-11-20",
        "update_cadence_days": "14",
        "next_key_date": "2026-12-15",
        "next_key_date_what": "exchange of contracts",
    }
    values.update(overrides)
    return values


def open_matter_modal(slack, double, user=LAWYER) -> dict:
    before = len(double.calls_to("views.open"))
    assert slack.command("new", command="/matter", user=user).status == 200
    view = double.wait_for("views.open", before + 1)[-1].response["view"]
    assert view["callback_id"] == ids.VIEW_NEW_MATTER
    validate_view(view)
    return view


def open_matter(bot, slack, double, user=LAWYER, **overrides) -> dict:
    """/matter new submitted with `matter_values`; the confirmation DM's parameters."""
    view = open_matter_modal(slack, double, user)
    r = slack.submit(view, matter_values(**overrides), user=user)
    assert r.status == 200 and r.body == "", r.body
    bot.wait_idle()
    confirmation = double.calls_to("chat.postMessage")[-1]
    assert confirmation.params["channel"] == user
    validate_message(confirmation.params["blocks"])
    return confirmation.params


def matter_answer(slack, double, text, user=LAWYER) -> str:
    """What /matter `text` answers `user`, checked valid Block Kit, as one string to search."""
    before = len(double.calls_to("response_url"))
    assert slack.command(text, command="/matter", user=user).status == 200
    reply = double.wait_for("response_url", before + 1)[-1].params
    validate_message(reply["blocks"])
    return str(reply["blocks"])


def opened_view(double, before: int, method: str = "views.open") -> dict:
    """The view the bot opened (or pushed) after `before` such calls, checked valid Block Kit."""
    view = double.wait_for(method, before + 1)[-1].response["view"]
    validate_view(view)
    return view


def click_open(
    slack,
    double,
    blocks: list[dict],
    action_id: str,
    user: str,
    *,
    view: dict | None = None,
    method: str = "views.open",
) -> dict:
    """Click the button `action_id` in `blocks` (a DM to `user`, or the modal `view`); the view it opened."""
    before = len(double.calls_to(method))
    assert slack.click(blocks, action_id, user=user, channel=user, view=view).status == 200
    return opened_view(double, before, method)


def inputs_of(view: dict) -> dict[str, dict]:
    """A modal's input elements, by block id."""
    return {b["block_id"]: b["element"] for b in view["blocks"] if b["type"] == "input"}


def check_in_buttons(matter_ref: str) -> list[dict]:
    """The buttons of the sweep's check-in nudge (bot/matters/messages.check_in_nudge), alone."""
    return [
        {
            "type": "actions",
            "elements": [
                button("Log client update", ids.ACTION_MATTER_LOG_UPDATE, matter_ref),
                button("Snooze", ids.ACTION_MATTER_SNOOZE, matter_ref),
                button("No update needed: dormant", ids.ACTION_MATTER_DORMANT, matter_ref),
            ],
        }
    ]


def matter_update_values(**overrides: str | None) -> dict[str, str | None]:
    """Values of a valid Log client update modal (on a matter)."""
    values: dict[str, str | None] = {
        "update_date": "2026-11-23",  # the live bot's today (its clock stands at Mon 23 Nov 2026)
        "update_via": "phone",
        "told": "Searches are back; exchange is likely next week.",
        "next_step": "Send the contract for signature.",
        "client_mood": "satisfied",
    }
    values.update(overrides)
    return values


def swept_posts(ctx, double, when, channel: str) -> list[dict]:
    """Move the clock to `when`, sweep; the messages then posted to `channel`, each valid Block Kit."""
    ctx.clock.set(when)
    before = len(double.calls_to("chat.postMessage"))
    sweep(ctx)
    posts = [c.params for c in double.calls_to("chat.postMessage")[before:] if c.params["channel"] == channel]
    for p in posts:
        validate_message(p["blocks"])
    return posts


def log_disclosure_by_modal(bot, slack, double, values: dict, user=LAWYER) -> list[dict]:
    """/disclosure new submitted with `values` (tests.factories.disclosure_values); the blocks of
    the confirmation DM, checked valid Block Kit."""
    before = len(double.calls_to("views.open"))
    assert slack.command("new", command="/disclosure", user=user).status == 200
    view = opened_view(double, before)
    assert view["callback_id"] == ids.VIEW_NEW_DISCLOSURE
    r = slack.submit(view, values, user=user)
    assert r.status == 200 and r.body == "", r.body
    bot.wait_idle()
    confirmation = double.calls_to("chat.postMessage")[-1]
    assert confirmation.params["channel"] == user
    validate_message(confirmation.params["blocks"])
    return confirmation.params["blocks"]
