"""A matter's buttons in its nudges: **Costs to date** and **Log disclosure**, each opening its
modal (the disclosure's prefilled with the matter, its client and the kind), or a notice saying
why not."""

from __future__ import annotations

from typing import Any

from slack_bolt import BoltContext
from slack_sdk import WebClient

from bot import access
from bot.core.errors import UserError
from bot.matters import requests as matter_requests
from handlers.context import bot_of
from handlers.modals.disclosure import disclosure_modal
from handlers.modals.elements import notice_modal
from handlers.modals.matter_costs import matter_costs_modal


def open_matter_costs(body: dict[str, Any], action: dict[str, Any], client: WebClient, context: BoltContext) -> None:
    ctx = bot_of(context)
    try:
        matter = matter_requests.costs_form(
            ctx, viewer=access.viewer(ctx, body["user"]["id"]), matter_ref_text=action.get("value")
        )
        view = matter_costs_modal(matter, currency=ctx.settings.currency)
    except UserError as e:
        view = notice_modal("Matter", str(e))
    client.views_open(trigger_id=body["trigger_id"], view=view)


def open_log_disclosure(body: dict[str, Any], action: dict[str, Any], client: WebClient, context: BoltContext) -> None:
    ctx = bot_of(context)
    try:
        matter, wanted = matter_requests.disclosure_form(
            ctx, viewer=access.viewer(ctx, body["user"]["id"]), value=action.get("value")
        )
        view = disclosure_modal(
            today=ctx.today(),
            matter_ref=matter.matter_ref,
            client_name=matter.client_name,
            kind=wanted.kind,
            currency=ctx.settings.currency,
        )
    except UserError as e:
        view = notice_modal("Log a disclosure", str(e))
    client.views_open(trigger_id=body["trigger_id"], view=view)
