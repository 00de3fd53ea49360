"""/complaint: ack at once, then answer through the command's response_url."""

from __future__ import annotations

import logging

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient

from bot import access
from bot.complaints import messages as complaint_messages
from bot.complaints import service as complaints
from bot.core import blockkit, ids
from bot.core.errors import UserError
from bot.disclosures import messages as disclosure_messages
from bot.disclosures import service as disclosures
from bot.records import retention
from handlers.actions import open_complaint_modal, resolve_view
from handlers.app import bot_of
from handlers.modals.disclosure import disclosure_modal
from handlers.modals.intake import intake_modal

log = logging.getLogger(__name__)
UNEXPECTED = "Something went wrong on our side and nothing was changed. Please try again in a minute."


def register(registry) -> None:
    registry.command(ids.COMPLAINT_COMMAND, complaint_command)
    registry.command(ids.DISCLOSURE_COMMAND, disclosure_command)


def _run(command: dict, respond: Respond, client: WebClient, context: BoltContext, answer) -> None:
    """Split `/command sub args…`, let `answer` do it, and reply privately: its answer, a clear
    error for bad input, or a plain apology if something failed on our side. `answer` returns
    None when it opened a modal instead."""
    words = (command.get("text") or "").split()
    sub = words[0].lower() if words else "help"
    try:
        reply = answer(bot_of(context), sub, words[1:], command, client)
        if reply is None:
            return
        text, body = reply
    except UserError as e:
        text, body = blockkit.error_message(str(e))
    except Exception:
        log.exception("%s %s failed", command.get("command"), sub)
        text, body = blockkit.error_message(UNEXPECTED)
    respond(text=text, blocks=body, response_type="ephemeral", replace_original=False)


def complaint_command(ack: Ack, command: dict, respond: Respond, client: WebClient, context: BoltContext) -> None:
    ack()
    _run(command, respond, client, context, _complaint)


def disclosure_command(ack: Ack, command: dict, respond: Respond, client: WebClient, context: BoltContext) -> None:
    ack()
    _run(command, respond, client, context, _disclosure)


def _complaint(ctx, sub: str, args: list[str], command: dict, client: WebClient):
    who = access.viewer(ctx, command["user_id"])
    if sub == "new":
        client.views_open(trigger_id=command["trigger_id"], view=intake_modal(today=ctx.today()))
        return None
    if sub == "resolve":
        open_complaint_modal(ctx, client, command["trigger_id"], who, _reference_arg(args, "resolve"), resolve_view)
        return None
    if sub == "help":
        text, body = complaint_messages.help_message()
    elif sub == "list":
        result = complaints.list_open(ctx=ctx, viewer=who, page=_page_number(args))
        text, body = complaint_messages.complaint_list(
            result.items,
            viewer=who.user_id,
            page=result.page,
            pages=result.pages,
            total=result.total,
            tz=ctx.tz,
            only_yours=who.complaints_involving is not None,
        )
    elif sub == "reopen":
        reference = complaints.parse_reference(_reference_arg(args, "reopen"))
        access.complaint_for(ctx, who, reference, need=access.Need.ACT, action="reopen")
        result = complaints.reopen(
            session_factory=ctx.session_factory,
            reference=reference,
            actor=who.user_id,
            now=ctx.clock.now(),
            settings=ctx.settings,
            policy=ctx.policy,
        )
        ctx.deliver(result.notification_keys)
        text, body = blockkit.notice(
            f":arrows_counterclockwise: {reference} is open again; its reminders restart from now."
        )
    elif sub == "show":
        record = complaints.timeline(
            ctx=ctx, viewer=who, reference=complaints.parse_reference(_reference_arg(args, "show"))
        )
        text, body = complaint_messages.complaint_detail(
            record.complaint,
            record.events,
            tz=ctx.tz,
            disclosures=record.disclosures,
            every_disclosure=record.every_disclosure,
        )
    elif sub == "matter":
        text, body = disclosure_messages.matter_timeline(access.matter_for(ctx, who, " ".join(args)), tz=ctx.tz)
    elif sub == "hold":
        reference = complaints.parse_reference(_reference_arg(args, "hold", example="CMP-2026-0001 the reason"))
        access.complaint_for(ctx, who, reference, need=access.Need.TEAM, action="hold")
        c = retention.place_hold(
            session_factory=ctx.session_factory,
            reference=reference,
            actor=who.user_id,
            reason=" ".join(args[1:]),
            now=ctx.clock.now(),
            tz=ctx.tz,
        )
        text, body = blockkit.notice(
            f":lock: {c.reference} is on legal hold: no retention purge will touch it until "
            f"it is released (`/complaint release {c.reference}`)."
        )
    elif sub == "release":
        reference = complaints.parse_reference(_reference_arg(args, "release"))
        access.complaint_for(ctx, who, reference, need=access.Need.TEAM, action="release")
        c = retention.release_hold(
            session_factory=ctx.session_factory, reference=reference, actor=who.user_id, now=ctx.clock.now()
        )
        text, body = blockkit.notice(
            f":unlock: {c.reference} is released from legal hold; the retention period applies to it again."
        )
    else:
        text, body = complaint_messages.help_message(
            f"I don't know `/complaint {blockkit.escape(sub)}`. Here is what I can do:"
        )
    return text, body


def _reference_arg(args: list[str], sub: str, *, example: str = "CMP-2026-0001", command: str = "complaint") -> str:
    if not args:
        raise UserError(f"Say which {command}: `/{command} {sub} {example}`.")
    return args[0]


def _page_number(args: list[str]) -> int:
    if not args:
        return 1
    if not args[0].isdigit() or int(args[0]) < 1:
        raise UserError(f"“{args[0]}” is not a page number: `/complaint list 2`.")
    return int(args[0])


def _disclosure(ctx, sub: str, args: list[str], command: dict, client: WebClient):
    who = access.viewer(ctx, command["user_id"])
    if sub == "new":
        client.views_open(trigger_id=command["trigger_id"], view=disclosure_modal(today=ctx.today()))
        return None
    if sub == "help":
        text, body = disclosure_messages.disclosure_help()
    elif sub == "list":
        page = 1
        if args and args[-1].isdigit():
            page = _page_number(args[-1:])
            args = args[:-1]
        matter = " ".join(args) or None
        result = disclosures.list_disclosures(ctx=ctx, viewer=who, matter_ref=matter, page=page)
        text, body = disclosure_messages.disclosure_list(
            result.items,
            matter_ref=matter,
            page=result.page,
            pages=result.pages,
            total=result.total,
            only_yours=not who.sees_every_disclosure,
        )
    elif sub == "show":
        reference = disclosures.parse_reference(
            _reference_arg(args, "show", example="DSC-2026-0001", command="disclosure")
        )
        d, events = disclosures.disclosure_record(ctx=ctx, viewer=who, reference=reference)
        text, body = disclosure_messages.disclosure_detail(d, events, tz=ctx.tz)
    else:
        text, body = disclosure_messages.disclosure_help(
            f"I don't know `/disclosure {blockkit.escape(sub)}`. Here is what I can do:"
        )
    return text, body
