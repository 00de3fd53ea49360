"""A disclosure's buttons in its chase: the client has acknowledged it, or chase again later."""

from __future__ import annotations

from typing import Any

from slack_bolt import BoltContext, Respond

from bot import access
from bot.core import blockkit
from bot.core.context import BotContext
from bot.core.errors import UserError
from bot.disclosures import requests as disclosure_requests
from handlers.context import bot_of
from handlers.replies import publish_home


def _answer(
    ctx: BotContext,
    body: dict[str, Any],
    respond: Respond,
    context: BoltContext,
    reply: tuple[str, list[blockkit.Block]],
) -> None:
    """A button in a message is answered in place; one in App Home refreshes the Home."""
    if (body.get("view") or {}).get("type") == "home":
        publish_home(ctx, context.client, body["user"]["id"])
    else:
        text, blocks = reply
        respond(text=text, blocks=blocks, replace_original=True)


def disclosure_acknowledged(
    body: dict[str, Any], action: dict[str, Any], respond: Respond, context: BoltContext
) -> None:
    ctx = bot_of(context)
    try:
        d = disclosure_requests.acknowledge(
            ctx, viewer=access.viewer(ctx, body["user"]["id"]), reference_text=action.get("value")
        )
        reply = blockkit.notice(
            f":white_check_mark: {d.reference}: the client's acknowledgement is recorded. No more reminders."
        )
    except UserError as e:
        reply = blockkit.error_message(str(e))
    _answer(ctx, body, respond, context, reply)


def disclosure_chase_again(
    body: dict[str, Any], action: dict[str, Any], respond: Respond, context: BoltContext
) -> None:
    ctx = bot_of(context)
    try:
        d = disclosure_requests.chase_again(
            ctx, viewer=access.viewer(ctx, body["user"]["id"]), reference_text=action.get("value")
        )
        assert d.follow_up_on is not None  # chase_again has just set it
        reply = blockkit.notice(f":repeat: {d.reference}: I will remind you again on {blockkit.day(d.follow_up_on)}.")
    except UserError as e:
        reply = blockkit.error_message(str(e))
    _answer(ctx, body, respond, context, reply)
