"""The matter modals' submissions: the matter opened, or set up; its costs to date."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext

from bot import access
from bot.core import ids
from bot.core.context import BotContext
from bot.matters import messages as matter_messages
from bot.matters import requests as matter_requests
from bot.matters.costs import CostsRecorded
from bot.matters.service import Opened
from handlers.listeners.views.submitting import NOT_CHANGED, NOT_STORED, submit
from handlers.modals.matter import parse_matter
from handlers.modals.matter_costs import costs_recorded_view
from handlers.payload import private_metadata, view_values


def submit_new_matter(ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext) -> None:
    def store(ctx: BotContext, who: access.Viewer) -> Opened:
        data = parse_matter(view_values(view), today=ctx.today(), areas=ctx.settings.product_groups)
        return matter_requests.open_matter(ctx, viewer=who, data=data)

    submit(ack, body, view, context, store=store, error_field=ids.MatterField.MATTER_REF, failure=NOT_STORED)


def submit_matter_costs(ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext) -> None:
    F = ids.MatterCostsField

    def store(ctx: BotContext, who: access.Viewer) -> CostsRecorded:
        return matter_requests.record_costs(
            ctx,
            viewer=who,
            matter_ref_text=str(private_metadata(view).get("matter_ref", "")),
            amount_text=view_values(view).get(F.COSTS_TO_DATE),
        )

    submit(
        ack,
        body,
        view,
        context,
        store=store,
        error_field=F.COSTS_TO_DATE,
        failure=NOT_CHANGED,
        shown=lambda recorded: costs_recorded_view(matter_messages.costs_recorded(recorded)[1]),
    )
