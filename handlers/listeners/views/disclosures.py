"""The disclosure modal's submission: what the client was told, on the register."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext

from bot import access
from bot.core import ids
from bot.core.context import BotContext
from bot.disclosures import requests as disclosure_requests
from bot.disclosures.service import Logged
from handlers.listeners.views.submitting import NOT_STORED, submit
from handlers.modals.disclosure import parse_disclosure
from handlers.payload import source_link, view_values


def submit_new_disclosure(ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext) -> None:
    def store(ctx: BotContext, who: access.Viewer) -> Logged:
        data = parse_disclosure(
            view_values(view),
            today=ctx.today(),
            source_message_url=source_link(view, body),
            currency=ctx.settings.currency,
        )
        return disclosure_requests.log_disclosure(ctx, viewer=who, data=data, view_id=view.get("id"))

    submit(ack, body, view, context, store=store, error_field=ids.DisclosureField.CONTENT, failure=NOT_STORED)
