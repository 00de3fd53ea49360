"""/matter: new, show, list, costs, update, close, help."""

from __future__ import annotations

from typing import Any

from slack_bolt import BoltContext, Respond
from slack_sdk import WebClient

from bot import access
from bot.core import blockkit
from bot.core.context import BotContext
from bot.matters import messages as matter_messages
from bot.matters import requests as matter_requests
from bot.matters import service as matters
from handlers.listeners.commands.answering import Reply, answer_command, page_number
from handlers.modals.matter import matter_modal
from handlers.modals.matter_care import matter_update_modal


def matter_command(command: dict[str, Any], respond: Respond, client: WebClient, context: BoltContext) -> None:
    answer_command(command, respond, client, context, _matter)


def _matter(ctx: BotContext, sub: str, args: list[str], command: dict[str, Any], client: WebClient) -> Reply | None:
    who = access.viewer(ctx, command["user_id"])
    if sub == "new":
        areas = ctx.settings.product_groups
        client.views_open(trigger_id=command["trigger_id"], view=matter_modal(today=ctx.today(), areas=areas))
        return None
    if sub == "help":
        return matter_messages.matter_help()
    if sub == "show":
        view = matter_requests.show(ctx, viewer=who, matter_ref_text=" ".join(args))
        return matter_messages.matter_detail(view, tz=ctx.tz, areas=ctx.settings.product_groups)
    if sub == "list":
        result = matters.list_matters(ctx=ctx, viewer=who, page=page_number(args))
        return matter_messages.matter_list(
            result.items,
            viewer_id=who.user_id,
            page=result.page,
            pages=result.pages,
            total=result.total,
            everyone=who.matters_involving is None,
        )
    if sub == "costs":
        recorded = matter_requests.record_costs(
            ctx, viewer=who, matter_ref_text=args[0] if args else None, amount_text=" ".join(args[1:])
        )
        return matter_messages.costs_recorded(recorded)
    if sub == "update":
        matter = matter_requests.care_form(ctx, viewer=who, matter_ref_text=" ".join(args), action="matter update")
        client.views_open(trigger_id=command["trigger_id"], view=matter_update_modal(matter, today=ctx.today()))
        return None
    if sub == "close":
        return matter_messages.matter_closed(matter_requests.close(ctx, viewer=who, matter_ref_text=" ".join(args)))
    return matter_messages.matter_help(f"I don't know `/matter {blockkit.escape(sub)}`. Here is what I can do:")
