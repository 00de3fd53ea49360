"""Log a disclosure from a message: the modal prefilled with what the client was told and its link."""

from __future__ import annotations

from typing import Any

from slack_bolt import BoltContext
from slack_sdk import WebClient

from handlers.context import bot_of
from handlers.listeners.shortcuts.permalink import permalink
from handlers.modals.disclosure import disclosure_modal
from handlers.payload import message_text


def log_disclosure_from_message(body: dict[str, Any], client: WebClient, context: BoltContext) -> None:
    ctx = bot_of(context)
    view = disclosure_modal(
        today=ctx.today(),
        content=message_text(body),
        source_url=permalink(client, body),
        currency=ctx.settings.currency,
    )
    client.views_open(trigger_id=body["trigger_id"], view=view)
