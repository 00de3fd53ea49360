"""Turning Slack payloads into plain values: the only place that knows their shapes."""

from __future__ import annotations

import json
import re
from typing import Any


def view_values(view: dict[str, Any]) -> dict[str, str | None]:
    """The submitted value of every input, keyed by block id, as text (dates as YYYY-MM-DD)."""
    out: dict[str, str | None] = {}
    for block_id, actions in (view.get("state") or {}).get("values", {}).items():
        for element in actions.values():
            out[block_id] = _value_of(element)
    return out


def _value_of(element: dict[str, Any]) -> str | None:
    kind = element.get("type")
    if kind in ("static_select", "radio_buttons", "external_select"):
        selected = element.get("selected_option")
        return selected.get("value") if selected else None
    if kind == "datepicker":
        return element.get("selected_date")
    if kind == "users_select":
        return element.get("selected_user")
    if kind == "conversations_select":
        return element.get("selected_conversation")
    if kind == "checkboxes":
        return ",".join(o.get("value", "") for o in element.get("selected_options") or []) or None
    return element.get("value")


def private_metadata(view: dict[str, Any]) -> dict[str, Any]:
    raw = view.get("private_metadata") or ""
    try:
        data = json.loads(raw) if raw else {}
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def message_link(body: dict[str, Any]) -> str | None:
    """A link to the message a message shortcut was used on, built as Slack builds its permalinks
    (used when chat.getPermalink cannot answer)."""
    channel = (body.get("channel") or {}).get("id")
    ts = (body.get("message") or {}).get("ts")
    domain = (body.get("team") or {}).get("domain")
    if not (channel and ts and domain):
        return None
    return workspace_permalink(f"https://{domain}.slack.com/archives/{channel}/p{ts.replace('.', '')}", domain)


# What chat.getPermalink returns: a message of this workspace, optionally in a thread.
_PERMALINK = re.compile(
    r"https://(?P<domain>[a-z0-9][a-z0-9-]{0,62})(?:\.enterprise)?\.slack\.com/archives/[CDG][A-Z0-9]{2,20}/p\d{16}"
    r"(?:\?thread_ts=\d{10}\.\d{6}(?:&cid=[CDG][A-Z0-9]{2,20})?)?"
)


def workspace_permalink(url: Any, domain: Any) -> str | None:
    """`url` if it is a permalink to a message of the workspace `domain`, else None (dropped)."""
    if not (isinstance(url, str) and isinstance(domain, str)):
        return None
    match = _PERMALINK.fullmatch(url)
    return url if match and match["domain"] == domain.lower() else None


def source_link(view: dict[str, Any], body: dict[str, Any]) -> str | None:
    """The link to the source message a modal was opened from, as the bot put it in the modal's
    metadata, if it still is a permalink of the submitting workspace; anything else is dropped."""
    return workspace_permalink(private_metadata(view).get("source_url"), (body.get("team") or {}).get("domain"))


def message_text(body: dict[str, Any]) -> str | None:
    """The text of the message a shortcut was used on, as the person wrote it.

    Slack sends message text escaped (&amp; &lt; &gt;); the modal shows plain text, and the bot
    escapes it again wherever it renders it.
    """
    text = (body.get("message") or {}).get("text") or ""
    text = text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    return text or None


# --- payloads Slack would never send ---------------------------------------------------------------
# A signed request can still carry a payload of a shape Slack never sends (a list where text goes,
# no actions, a view without its id). The listeners read these fields; anything else is refused
# before them with 400 and one warning, so nothing is half-done and no traceback is logged.


def malformed(body: Any) -> str | None:
    """Why `body` is not a payload Slack sends to one of our listeners, or None if it is one."""
    if not isinstance(body, dict):
        return "the payload is not an object"
    if "command" in body:
        return _strings(body, "command", "user_id", "trigger_id", "response_url") or _optional_strings(body, "text")
    kind = body.get("type")
    if kind == "block_actions":
        return (
            _user(body)
            or _optional_strings(body, "trigger_id", "response_url")
            or _optional_dicts(body, "view", "container")
            or _actions(body.get("actions"))
        )
    if kind in ("shortcut", "message_action"):
        problem = (
            _user(body)
            or _strings(body, "callback_id", "trigger_id")
            or _optional_dicts(body, "team", "channel", "message")
        )
        if problem is None and kind == "message_action":
            problem = (
                _optional_strings(body.get("team") or {}, "domain")
                or _optional_strings(body.get("channel") or {}, "id")
                or _optional_strings(body.get("message") or {}, "text", "ts")
            )
        return problem
    if kind == "view_submission":
        return _user(body) or _view(body.get("view"))
    if kind == "view_closed":
        return _user(body) or _dicts(body, "view") or _strings(body["view"], "type")
    if kind == "event_callback":
        event = body.get("event")
        if not isinstance(event, dict):
            return "the event is not an object"
        return _strings(event, "type") or _optional_strings(event, "user", "tab", "channel")
    if kind in ("url_verification", "app_rate_limited"):
        return None
    return "the payload is of no type Slack sends here"


def _strings(d: dict, *keys: str) -> str | None:
    for key in keys:
        if not isinstance(d.get(key), str):
            return f"{key} is missing or not text"
    return None


def _optional_strings(d: dict, *keys: str) -> str | None:
    for key in keys:
        if d.get(key) is not None and not isinstance(d[key], str):
            return f"{key} is not text"
    return None


def _dicts(d: dict, *keys: str) -> str | None:
    for key in keys:
        if not isinstance(d.get(key), dict):
            return f"{key} is missing or not an object"
    return None


def _optional_dicts(d: dict, *keys: str) -> str | None:
    for key in keys:
        if d.get(key) is not None and not isinstance(d[key], dict):
            return f"{key} is not an object"
    return None


def _user(body: dict) -> str | None:
    return _dicts(body, "user") or _strings(body["user"], "id")


def _actions(actions: Any) -> str | None:
    if not isinstance(actions, list) or not actions:
        return "actions is not a list of actions"
    for action in actions:
        if not isinstance(action, dict):
            return "an action is not an object"
        problem = _strings(action, "action_id") or _optional_strings(action, "value", "block_id", "type")
        if problem:
            return problem
    return None


_ELEMENT_STRINGS = ("type", "value", "selected_date", "selected_user", "selected_conversation")


def _view(view: Any) -> str | None:
    if not isinstance(view, dict):
        return "the view is not an object"
    problem = _strings(view, "callback_id", "id", "type") or _optional_strings(view, "private_metadata")
    if problem:
        return problem
    state = view.get("state")
    if state is None:
        return None
    if not isinstance(state, dict) or not isinstance(state.get("values", {}), dict):
        return "the view's state is not an object of values"
    for block in state.get("values", {}).values():
        if not isinstance(block, dict):
            return "a block of the view's state is not an object"
        for element in block.values():
            if not isinstance(element, dict):
                return "an input of the view's state is not an object"
            problem = _optional_strings(element, *_ELEMENT_STRINGS) or _optional_dicts(element, "selected_option")
            if problem:
                return problem
            chosen = element.get("selected_option")
            if chosen is not None and _optional_strings(chosen, "value"):
                return "a chosen option's value is not text"
            many = element.get("selected_options")
            if many is not None and (
                not isinstance(many, list)
                or any(not isinstance(o, dict) or _optional_strings(o, "value") for o in many)
            ):
                return "the chosen options are not a list of options"
    return None
