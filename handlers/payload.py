"""Turning Slack payloads into plain values: the only place that knows their shapes."""

from __future__ import annotations

import json
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
    """A link to the message a message shortcut was used on."""
    channel = (body.get("channel") or {}).get("id")
    ts = (body.get("message") or {}).get("ts")
    domain = (body.get("team") or {}).get("domain")
    if not (channel and ts):
        return None
    host = f"https://{domain}.slack.com" if domain else "https://slack.com"
    return f"{host}/archives/{channel}/p{ts.replace('.', '')}"


def message_text(body: dict[str, Any]) -> str | None:
    """The text of the message a shortcut was used on, as the person wrote it.

    Slack sends message text escaped (&amp; &lt; &gt;); the modal shows plain text, and the bot
    escapes it again wherever it renders it.
    """
    text = (body.get("message") or {}).get("text") or ""
    text = text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    return text or None
