"""Shortcuts that open the intake modal: from a message (prefilled) or from anywhere."""

from __future__ import annotations

from slack_bolt import Ack, BoltContext
from slack_sdk import WebClient

from bot import blocks, ids
from bot.app import bot_of
from handlers.payload import message_link, message_text


def register(registry) -> None:
    registry.shortcut(ids.SHORTCUT_LOG_COMPLAINT_MESSAGE, log_from_message)
    registry.shortcut(ids.SHORTCUT_LOG_COMPLAINT_GLOBAL, log_from_anywhere)
    registry.shortcut(ids.SHORTCUT_LOG_DISCLOSURE_MESSAGE, log_disclosure_from_message)


def log_from_message(ack: Ack, body: dict, client: WebClient, context: BoltContext) -> None:
    ack()
    ctx = bot_of(context)
    view = blocks.intake_modal(today=ctx.today(), summary=message_text(body), source_url=message_link(body))
    client.views_open(trigger_id=body["trigger_id"], view=view)


def log_from_anywhere(ack: Ack, body: dict, client: WebClient, context: BoltContext) -> None:
    ack()
    client.views_open(trigger_id=body["trigger_id"], view=blocks.intake_modal(today=bot_of(context).today()))


def log_disclosure_from_message(ack: Ack, body: dict, client: WebClient, context: BoltContext) -> None:
    ack()
    ctx = bot_of(context)
    view = blocks.disclosure_modal(today=ctx.today(), content=message_text(body), source_url=message_link(body))
    client.views_open(trigger_id=body["trigger_id"], view=view)
