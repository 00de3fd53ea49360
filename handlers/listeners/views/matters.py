"""The matter modal's submission: the matter opened, or set up."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext

from bot import access
from bot.core import ids
from bot.core.context import BotContext
from bot.matters import requests as matter_requests
from bot.matters.service import Opened
from handlers.listeners.views.submitting import NOT_STORED, submit
from handlers.modals.matter import parse_matter
from handlers.payload import view_values


def submit_new_matter(ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext) -> None:
    def store(ctx: BotContext, who: access.Viewer) -> Opened:
        data = parse_matter(view_values(view), today=ctx.today(), areas=ctx.settings.product_groups)
        return matter_requests.open_matter(ctx, viewer=who, data=data)

    submit(ack, body, view, context, store=store, error_field=ids.MatterField.MATTER_REF, failure=NOT_STORED)
