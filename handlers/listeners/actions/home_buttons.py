"""App Home's buttons: each opens an intake modal."""

from __future__ import annotations

from typing import Any

from slack_bolt import BoltContext
from slack_sdk import WebClient

from handlers.context import bot_of
from handlers.modals.disclosure import disclosure_modal
from handlers.modals.intake import intake_modal


def open_new_complaint(body: dict[str, Any], client: WebClient, context: BoltContext) -> None:
    client.views_open(trigger_id=body["trigger_id"], view=intake_modal(today=bot_of(context).today()))


def open_new_disclosure(body: dict[str, Any], client: WebClient, context: BoltContext) -> None:
    ctx = bot_of(context)
    view = disclosure_modal(today=ctx.today(), currency=ctx.settings.currency)
    client.views_open(trigger_id=body["trigger_id"], view=view)
