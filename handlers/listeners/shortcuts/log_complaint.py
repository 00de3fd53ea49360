"""Log a complaint: from a message (the modal prefilled with its text and link) or from anywhere."""

from __future__ import annotations

from typing import Any

from slack_bolt import BoltContext
from slack_sdk import WebClient

from handlers.context import bot_of
from handlers.listeners.shortcuts.permalink import permalink
from handlers.modals.intake import intake_modal
from handlers.payload import message_text


def log_from_message(body: dict[str, Any], client: WebClient, context: BoltContext) -> None:
    view = intake_modal(today=bot_of(context).today(), summary=message_text(body), source_url=permalink(client, body))
    client.views_open(trigger_id=body["trigger_id"], view=view)


def log_from_anywhere(body: dict[str, Any], client: WebClient, context: BoltContext) -> None:
    client.views_open(trigger_id=body["trigger_id"], view=intake_modal(today=bot_of(context).today()))
