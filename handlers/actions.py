"""Buttons: each opens a modal for the complaint named in the button's value."""

from __future__ import annotations

from collections.abc import Callable

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient

from bot import access
from bot.complaints import service as complaints
from bot.core import blockkit, ids
from bot.core.context import BotContext
from bot.core.errors import UserError
from bot.disclosures import service as disclosures
from handlers.app import bot_of
from handlers.home import publish_home
from handlers.modals.client_update import client_update_modal
from handlers.modals.elements import notice_modal
from handlers.modals.resolve import resolve_modal
from handlers.modals.snooze import snooze_modal
from handlers.modals.triage import triage_modal


def register(registry) -> None:
    registry.action(ids.ACTION_TRIAGE, opener(triage_view))
    registry.action(ids.ACTION_LOG_UPDATE, opener(client_update_view))
    registry.action(ids.ACTION_SNOOZE, opener(snooze_view))
    registry.action(ids.ACTION_RESOLVE, opener(resolve_view))
    registry.action(ids.ACTION_DISCLOSURE_ACK, disclosure_acknowledged)
    registry.action(ids.ACTION_DISCLOSURE_CHASE, disclosure_chase_again)


def open_complaint_modal(
    ctx: BotContext,
    client: WebClient,
    trigger_id: str,
    who: access.Viewer,
    reference_text: str | None,
    build: Callable[[BotContext, object], dict],
) -> None:
    """Open the modal `build` makes for a complaint, if `who` may use it; else a notice saying why not."""
    try:
        reference = complaints.parse_reference(reference_text)
        complaint = access.complaint_for(
            ctx, who, reference, need=NEEDS[build], action=build.__name__.removesuffix("_view")
        )
        view = build(ctx, complaint)
    except UserError as e:
        view = notice_modal("Complaint", str(e))
    client.views_open(trigger_id=trigger_id, view=view)


def triage_view(ctx: BotContext, c) -> dict:
    return triage_modal(c, tz=ctx.tz, today=ctx.today())


def client_update_view(ctx: BotContext, c) -> dict:
    complaints.require_open(c, "logging an update")
    return client_update_modal(c, today=ctx.today())


def snooze_view(ctx: BotContext, c) -> dict:
    complaints.require_open(c, "snoozing it")
    return snooze_modal(c)


def resolve_view(ctx: BotContext, c) -> dict:
    complaints.require_open(c, "resolving it again")
    return resolve_modal(c, today=ctx.today())


# Triage is the complaints team's; the rest are the handler's too.
NEEDS = {
    triage_view: access.Need.TEAM,
    client_update_view: access.Need.ACT,
    snooze_view: access.Need.ACT,
    resolve_view: access.Need.ACT,
}


def opener(build: Callable[[BotContext, object], dict]):
    """The listener for a button that opens the modal `build` makes for the complaint in its value."""

    def open_modal(ack: Ack, body: dict, action: dict, client: WebClient, context: BoltContext) -> None:
        ack()
        ctx = bot_of(context)
        open_complaint_modal(
            ctx, client, body["trigger_id"], access.viewer(ctx, body["user"]["id"]), action.get("value"), build
        )

    open_modal.__name__ = f"open_{build.__name__}"
    return open_modal


def _answer(ctx: BotContext, body: dict, respond: Respond, context: BoltContext, text: str, answer: list) -> None:
    """A button in a message is answered in place; one in App Home refreshes the Home."""
    if (body.get("view") or {}).get("type") == "home":
        publish_home(ctx, context.client, body["user"]["id"])
    else:
        respond(text=text, blocks=answer, replace_original=True)


def disclosure_acknowledged(ack: Ack, body: dict, action: dict, respond: Respond, context: BoltContext) -> None:
    ack()
    ctx = bot_of(context)
    try:
        reference = disclosures.parse_reference(action.get("value"))
        access.disclosure_for(ctx, access.viewer(ctx, body["user"]["id"]), reference, action="disclosure acknowledge")
        disclosures.acknowledge(
            session_factory=ctx.session_factory, reference=reference, actor=body["user"]["id"], now=ctx.clock.now()
        )
        text, answer = blockkit.notice(
            f":white_check_mark: {reference}: the client's acknowledgement is recorded. No more reminders."
        )
    except UserError as e:
        text, answer = blockkit.error_message(str(e))
    _answer(ctx, body, respond, context, text, answer)


def disclosure_chase_again(ack: Ack, body: dict, action: dict, respond: Respond, context: BoltContext) -> None:
    ack()
    ctx = bot_of(context)
    try:
        reference = disclosures.parse_reference(action.get("value"))
        access.disclosure_for(ctx, access.viewer(ctx, body["user"]["id"]), reference, action="disclosure chase")
        d = disclosures.chase_again(
            session_factory=ctx.session_factory,
            reference=reference,
            actor=body["user"]["id"],
            now=ctx.clock.now(),
            policy=ctx.policy,
        )
        text, answer = blockkit.notice(
            f":repeat: {reference}: I will remind you again on {blockkit.day(d.follow_up_on)}."
        )
    except UserError as e:
        text, answer = blockkit.error_message(str(e))
    _answer(ctx, body, respond, context, text, answer)
