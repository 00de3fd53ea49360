"""The link to the message a shortcut was used on."""

from __future__ import annotations

import logging
from typing import Any

from slack_sdk import WebClient

from handlers.payload import message_link, workspace_permalink

log = logging.getLogger(__name__)


def permalink(client: WebClient, body: dict[str, Any]) -> str | None:
    """Slack's own permalink of the message the shortcut was used on (built by hand if Slack cannot say)."""
    channel = (body.get("channel") or {}).get("id")
    ts = (body.get("message") or {}).get("ts")
    if channel and ts:
        try:
            answer = client.chat_getPermalink(channel=channel, message_ts=ts)
            link = workspace_permalink(answer.get("permalink"), (body.get("team") or {}).get("domain"))
            if link:
                return link
        except Exception as e:  # the modal opens all the same, with the link built by hand
            log.warning("chat.getPermalink failed (%s); building the message link", e.__class__.__name__)
    return message_link(body)
