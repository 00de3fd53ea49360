"""/complaint: new, acknowledged, list, show, holding, resolve, details, reopen, referred,
ombudsman-decision, matter, hold, release, export, report, help."""

from __future__ import annotations

from typing import Any

from slack_bolt import BoltContext, Respond
from slack_sdk import WebClient

from bot import access
from bot.complaints import messages as complaint_messages
from bot.complaints import requests as complaint_requests
from bot.complaints import service as complaints
from bot.complaints.details import details_section
from bot.complaints.inputs import AcknowledgementInput
from bot.complaints.referral import ReferralInput
from bot.core import blockkit
from bot.core.context import BotContext
from bot.core.errors import FieldErrors, UserError
from bot.core.vocabulary import AcknowledgedVia
from bot.disclosures import messages as disclosure_messages
from bot.disclosures import requests as disclosure_requests
from handlers.listeners.commands import exporting
from handlers.listeners.commands.answering import Reply, answer_command, day_arg, page_number, reference_arg
from handlers.listeners.commands.report import answer_report
from handlers.modals.intake import intake_modal
from handlers.replies import open_complaint_modal

# Subcommands that open a complaint's modal, and the change it makes.
MODAL_COMMANDS: dict[str, access.ComplaintAction] = {
    "resolve": "resolve",
    "holding": "holding_response",
    "details": "details",
    "ombudsman-decision": "ombudsman_decision",
}


def complaint_command(command: dict[str, Any], respond: Respond, client: WebClient, context: BoltContext) -> None:
    answer_command(command, respond, client, context, _complaint)


def _complaint(ctx: BotContext, sub: str, args: list[str], command: dict[str, Any], client: WebClient) -> Reply | None:
    who = access.viewer(ctx, command["user_id"])
    if sub == "new":
        client.views_open(trigger_id=command["trigger_id"], view=intake_modal(today=ctx.today()))
        return None
    if sub in MODAL_COMMANDS:
        open_complaint_modal(
            ctx,
            client,
            trigger_id=command["trigger_id"],
            user_id=who.user_id,
            reference_text=reference_arg(args, sub),
            action=MODAL_COMMANDS[sub],
        )
        return None
    if sub == "acknowledged":
        reference_text = reference_arg(args, "acknowledged", example="CMP-2026-0001 email")
        if len(args) == 1:
            open_complaint_modal(
                ctx,
                client,
                trigger_id=command["trigger_id"],
                user_id=who.user_id,
                reference_text=reference_text,
                action="acknowledge",
            )
            return None
        changed = complaint_requests.record_acknowledgement(
            ctx,
            viewer=who,
            reference=reference_text,
            data=AcknowledgementInput(sent_on=ctx.today(), via=_acknowledged_via(args[1:])),
        )
        ctx.deliver(changed.notification_keys)
        return blockkit.notice(
            complaint_messages.acknowledgement_line(changed.complaint, ctx.tz) + " Its reminders stop."
        )
    if sub == "referred":
        return _referred(ctx, who, args)
    if sub == "report":
        return answer_report(ctx, who, args, command)
    if sub == "help":
        return complaint_messages.help_message()
    if sub == "list":
        result = complaints.list_open(ctx=ctx, viewer=who, page=page_number(args))
        return complaint_messages.complaint_list(
            result.items,
            viewer=who.user_id,
            page=result.page,
            pages=result.pages,
            total=result.total,
            tz=ctx.tz,
            only_yours=who.complaints_involving is not None,
            triage_basis=ctx.policy.triage_basis,
        )
    if sub == "reopen":
        changed = complaint_requests.reopen(ctx, viewer=who, reference_text=reference_arg(args, "reopen"))
        ctx.deliver(changed.notification_keys)
        return blockkit.notice(
            f":arrows_counterclockwise: {changed.complaint.reference} is open again; its reminders restart from now."
        )
    if sub == "show":
        record = complaints.timeline(
            ctx=ctx, viewer=who, reference=complaints.parse_reference(reference_arg(args, "show"))
        )
        return complaint_messages.complaint_detail(
            record.complaint,
            record.events,
            tz=ctx.tz,
            disclosures=record.disclosures,
            every_disclosure=record.every_disclosure,
            referral_basis=ctx.settings.rulebook.referral_basis,
            may_act=record.may_act,
            details=details_section(record.complaint, ctx.settings),
            ombudsman=ctx.settings.rulebook.ombudsman.name if ctx.settings.rulebook.ombudsman else None,
        )
    if sub == "export":
        return exporting.export(ctx, who, args, command)
    if sub == "matter":
        matter = disclosure_requests.matter(ctx, viewer=who, matter_ref=" ".join(args))
        return disclosure_messages.matter_timeline(matter, tz=ctx.tz)
    if sub == "hold":
        c = complaint_requests.place_hold(
            ctx,
            viewer=who,
            reference_text=reference_arg(args, "hold", example="CMP-2026-0001 the reason"),
            reason=" ".join(args[1:]),
        )
        return blockkit.notice(
            f":lock: {c.reference} is on legal hold: no retention purge will touch it until "
            f"it is released (`/complaint release {c.reference}`)."
        )
    if sub == "release":
        c = complaint_requests.release_hold(ctx, viewer=who, reference_text=reference_arg(args, "release"))
        return blockkit.notice(
            f":unlock: {c.reference} is released from legal hold; the retention period applies to it again."
        )
    return complaint_messages.help_message(f"I don't know `/complaint {blockkit.escape(sub)}`. Here is what I can do:")


def _referred(ctx: BotContext, who: access.Viewer, args: list[str]) -> Reply:
    """`referred CMP-… [date]`: the referral on that date (today unless given); the reference recorded stays."""
    example = "/complaint referred CMP-2026-0001 2027-02-01"
    reference_text = reference_arg(args, "referred", example="CMP-2026-0001 2027-02-01")
    data = ReferralInput(referred_on=day_arg(args[1:], today=ctx.today(), example=example), reference_given=False)
    try:
        recorded = complaint_requests.record_referral(ctx, viewer=who, reference=reference_text, data=data)
    except FieldErrors as e:
        raise UserError(" ".join(e.errors.values())) from None
    c = recorded.complaint
    on = blockkit.day(data.referred_on)
    if not recorded.changed:
        said = f"was already recorded as made on {on}; nothing changed"
    else:
        said = f"is {'changed' if recorded.edited else 'recorded'}: referred on {on}"
    return blockkit.notice(
        f":scales: {c.reference}'s referral to the ombudsman {said}. To add or change the ombudsman's "
        f"reference, press *Referred to the ombudsman* on `/complaint show {c.reference}`."
    )


def _acknowledged_via(words: list[str]) -> AcknowledgedVia:
    """`email`, `letter`, `phone`, `in-person` (or `in person`) as typed after the reference."""
    via = AcknowledgedVia.parse("_".join(words).lower().replace("-", "_"))
    if via is None:
        choices = ", ".join(f"`{v.value.replace('_', '-')}`" for v in AcknowledgedVia)
        raise UserError(f"Say how it was sent: {choices}, e.g. `/complaint acknowledged CMP-2026-0001 email`.")
    return via
