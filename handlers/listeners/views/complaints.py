"""The complaint modals' submissions: new complaint, triage, client update, snooze, holding response,
resolution, client details, the referral to the ombudsman and its decision."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext

from bot import access
from bot.complaints import messages as complaint_messages
from bot.complaints import requests as complaint_requests
from bot.complaints.details import DetailsChanged
from bot.complaints.holding import HoldingRecorded
from bot.complaints.referral import Recorded
from bot.complaints.service import Changed, Logged, Triaged
from bot.core import ids
from bot.core.context import BotContext
from bot.matters import requests as matter_requests
from handlers.listeners.views.submitting import NOT_CHANGED, NOT_STORED, submit
from handlers.modals.acknowledgement import parse_acknowledgement
from handlers.modals.client_update import parse_client_update
from handlers.modals.details import parse_client_details
from handlers.modals.holding import holding_recorded_view, parse_holding
from handlers.modals.intake import parse_intake
from handlers.modals.referral import parse_decision, parse_referral
from handlers.modals.resolve import letter_modal, parse_resolution
from handlers.modals.snooze import parse_snooze
from handlers.modals.triage import parse_triage
from handlers.payload import private_metadata, source_link, view_values


def _reference(view: dict[str, Any]) -> str:
    return str(private_metadata(view).get("reference", ""))


def submit_new_complaint(ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext) -> None:
    def store(ctx: BotContext, who: access.Viewer) -> Logged:
        data = parse_intake(view_values(view), today=ctx.today(), source_message_url=source_link(view, body))
        # Opened by a matter's complaint prompt: logging it answers the prompt.
        update_event_id = private_metadata(view).get("update_event_id")
        if update_event_id is not None:
            return matter_requests.log_as_complaint(
                ctx, viewer=who, data=data, view_id=view.get("id"), update_event_id=update_event_id
            )
        return complaint_requests.log_complaint(ctx, viewer=who, data=data, view_id=view.get("id"))

    submit(ack, body, view, context, store=store, error_field=ids.IntakeField.SUMMARY, failure=NOT_STORED)


def submit_triage(ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext) -> None:
    def store(ctx: BotContext, who: access.Viewer) -> Triaged:
        data = parse_triage(view_values(view), today=ctx.today(), products=ctx.settings.product_groups)
        return complaint_requests.triage(ctx, viewer=who, reference=_reference(view), data=data)

    submit(ack, body, view, context, store=store, error_field=ids.TriageField.SEVERITY, failure=NOT_CHANGED)


def submit_client_update(ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext) -> None:
    def store(ctx: BotContext, who: access.Viewer) -> Changed:
        data = parse_client_update(view_values(view), today=ctx.today())
        return complaint_requests.log_client_update(ctx, viewer=who, reference=_reference(view), data=data)

    submit(ack, body, view, context, store=store, error_field=ids.UpdateField.TOLD, failure=NOT_CHANGED)


def submit_snooze(ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext) -> None:
    def store(ctx: BotContext, who: access.Viewer) -> Changed:
        data = parse_snooze(view_values(view))
        return complaint_requests.snooze(ctx, viewer=who, reference=_reference(view), data=data)

    submit(ack, body, view, context, store=store, error_field=ids.SnoozeField.REASON, failure=NOT_CHANGED)


def submit_holding_response(ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext) -> None:
    def store(ctx: BotContext, who: access.Viewer) -> HoldingRecorded:
        data = parse_holding(view_values(view), today=ctx.today())
        return complaint_requests.record_holding_response(
            ctx, viewer=who, reference=_reference(view), data=data, view_id=view.get("id")
        )

    def answer(recorded: HoldingRecorded) -> dict[str, Any]:
        return holding_recorded_view(recorded.message[1])

    submit(
        ack,
        body,
        view,
        context,
        store=store,
        error_field=ids.HoldingField.REASON,
        failure=NOT_CHANGED,
        shown=answer,
    )


def submit_resolve(ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext) -> None:
    def store(ctx: BotContext, who: access.Viewer) -> Changed:
        settings = ctx.settings
        data = parse_resolution(
            view_values(view),
            today=ctx.today(),
            rulebook=settings.rulebook,
            root_causes=settings.root_causes,
            currency=settings.currency,
        )
        return complaint_requests.resolve(ctx, viewer=who, reference=_reference(view), data=data)

    submit(
        ack,
        body,
        view,
        context,
        store=store,
        error_field=ids.ResolveField.OUTCOME,
        failure=NOT_CHANGED,
        shown=_letter_view,
    )


def _letter_view(result: Changed) -> dict[str, Any] | None:
    """The resolve modal, once stored, becomes the letter for the resolver to send."""
    if result.letter is None:
        return None
    return letter_modal(*complaint_messages.resolution_letter(result.complaint, result.letter))


def submit_acknowledgement(ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext) -> None:
    def store(ctx: BotContext, who: access.Viewer) -> Changed:
        data = parse_acknowledgement(view_values(view), today=ctx.today())
        return complaint_requests.record_acknowledgement(ctx, viewer=who, reference=_reference(view), data=data)

    submit(ack, body, view, context, store=store, error_field=ids.AcknowledgementField.VIA, failure=NOT_CHANGED)


def submit_client_details(ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext) -> None:
    def store(ctx: BotContext, who: access.Viewer) -> DetailsChanged:
        data = parse_client_details(view_values(view), products=ctx.settings.product_groups)
        return complaint_requests.change_details(ctx, viewer=who, reference=_reference(view), data=data)

    submit(ack, body, view, context, store=store, error_field=ids.DetailsField.PRODUCT, failure=NOT_CHANGED)


def submit_referral(ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext) -> None:
    def store(ctx: BotContext, who: access.Viewer) -> Recorded:
        data = parse_referral(view_values(view))
        return complaint_requests.record_referral(ctx, viewer=who, reference=_reference(view), data=data)

    submit(ack, body, view, context, store=store, error_field=ids.ReferralField.REFERRED_ON, failure=NOT_CHANGED)


def submit_ombudsman_decision(ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext) -> None:
    def store(ctx: BotContext, who: access.Viewer) -> Recorded:
        data = parse_decision(view_values(view), currency=ctx.settings.currency)
        return complaint_requests.record_ombudsman_decision(ctx, viewer=who, reference=_reference(view), data=data)

    submit(ack, body, view, context, store=store, error_field=ids.OmbudsmanDecisionField.DECISION, failure=NOT_CHANGED)
