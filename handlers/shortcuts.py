"""Shortcuts that open the intake modal: from a message (prefilled) or from anywhere."""

from __future__ import annotations

import logging

from slack_bolt import Ack, BoltContext
from slack_sdk import WebClient

from bot.core import ids
from handlers.app import bot_of
from handlers.modals.disclosure import disclosure_modal
from handlers.modals.intake import intake_modal
from handlers.payload import message_link, message_text, workspace_permalink

log = logging.getLogger(__name__)


def register(registry) -> None:
    registry.shortcut(ids.SHORTCUT_LOG_COMPLAINT_MESSAGE, log_from_message)
    registry.shortcut(ids.SHORTCUT_LOG_COMPLAINT_GLOBAL, log_from_anywhere)
    registry.shortcut(ids.SHORTCUT_LOG_DISCLOSURE_MESSAGE, log_disclosure_from_message)


def log_from_message(ack: Ack, body: dict, client: WebClient, context: BoltContext) -> None:
    ack()
    ctx = bot_of(context)
    view = intake_modal(today=ctx.today(), summary=message_text(body), source_url=permalink(client, body))
    client.views_open(trigger_id=body["trigger_id"], view=view)


def log_from_anywhere(ack: Ack, body: dict, client: WebClient, context: BoltContext) -> None:
    ack()
    client.views_open(trigger_id=body["trigger_id"], view=intake_modal(today=bot_of(context).today()))


def log_disclosure_from_message(ack: Ack, body: dict, client: WebClient, context: BoltContext) -> None:
    ack()
    ctx = bot_of(context)
    view = disclosure_modal(today=ctx.today(), content=message_text(body), source_url=permalink(client, body))
    client.views_open(trigger_id=body["trigger_id"], view=view)


def permalink(client: WebClient, body: dict) -> str | None:
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
