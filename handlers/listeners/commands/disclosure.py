"""/disclosure: new, list, show, help."""

from __future__ import annotations

from typing import Any

from slack_bolt import BoltContext, Respond
from slack_sdk import WebClient

from bot import access
from bot.core import blockkit
from bot.core.context import BotContext
from bot.core.text import whole_number
from bot.disclosures import messages as disclosure_messages
from bot.disclosures import service as disclosures
from handlers.listeners.commands.answering import Reply, answer_command, page_number, reference_arg
from handlers.modals.disclosure import disclosure_modal


def disclosure_command(command: dict[str, Any], respond: Respond, client: WebClient, context: BoltContext) -> None:
    answer_command(command, respond, client, context, _disclosure)


def _disclosure(ctx: BotContext, sub: str, args: list[str], command: dict[str, Any], client: WebClient) -> Reply | None:
    who = access.viewer(ctx, command["user_id"])
    if sub == "new":
        client.views_open(
            trigger_id=command["trigger_id"], view=disclosure_modal(today=ctx.today(), currency=ctx.settings.currency)
        )
        return None
    if sub == "help":
        return disclosure_messages.disclosure_help()
    if sub == "list":
        page = 1
        if args and whole_number(args[-1]) is not None:
            page = page_number(args[-1:])
            args = args[:-1]
        matter = " ".join(args) or None
        result = disclosures.list_disclosures(ctx=ctx, viewer=who, matter_ref=matter, page=page)
        return disclosure_messages.disclosure_list(
            result.items,
            matter_ref=matter,
            page=result.page,
            pages=result.pages,
            total=result.total,
            only_yours=not who.sees_every_disclosure,
        )
    if sub == "show":
        reference = disclosures.parse_reference(
            reference_arg(args, "show", example="DSC-2026-0001", command="disclosure")
        )
        d, events = disclosures.disclosure_record(ctx=ctx, viewer=who, reference=reference)
        return disclosure_messages.disclosure_detail(d, events, tz=ctx.tz, currency=ctx.settings.currency)
    return disclosure_messages.disclosure_help(
        f"I don't know `/disclosure {blockkit.escape(sub)}`. Here is what I can do:"
    )
