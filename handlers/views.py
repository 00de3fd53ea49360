"""Modal submissions: validate, store, then close the modal; messages go out after the ack."""

from __future__ import annotations

import logging

from slack_bolt import Ack, BoltContext

from bot import complaints, ids
from bot.app import bot_of
from bot.errors import FieldErrors, UserError
from handlers.payload import private_metadata, view_values

log = logging.getLogger(__name__)


def register(registry) -> None:
    registry.view(ids.VIEW_NEW_COMPLAINT, submit_new_complaint)
    registry.view(ids.VIEW_TRIAGE, submit_triage)


def submit_new_complaint(ack: Ack, body: dict, view: dict, context: BoltContext) -> None:
    ctx = bot_of(context)
    meta = private_metadata(view)
    try:
        data = complaints.parse_intake(view_values(view), today=ctx.today(), source_message_url=meta.get("source_url"))
    except FieldErrors as e:
        ack(response_action="errors", errors=e.errors)
        return
    # Stored before the modal closes: if the store fails, the person keeps what they typed.
    try:
        logged = complaints.log_complaint(
            session_factory=ctx.session_factory,
            data=data,
            reporter_id=body["user"]["id"],
            view_id=view.get("id"),
            now=ctx.clock.now(),
            settings=ctx.settings,
            policy=ctx.policy,
        )
    except Exception:
        log.exception("Storing a complaint failed")
        ack(response_action="errors", errors={ids.IntakeField.SUMMARY: "It could not be saved just now; nothing was stored. Please submit again."})
        return
    ack()
    ctx.deliver(logged.notification_keys)


def submit_triage(ack: Ack, body: dict, view: dict, context: BoltContext) -> None:
    ctx = bot_of(context)
    reference = private_metadata(view).get("reference", "")
    try:
        data = complaints.parse_triage(view_values(view), today=ctx.today())
        result = complaints.triage_complaint(
            session_factory=ctx.session_factory,
            reference=reference,
            data=data,
            actor=body["user"]["id"],
            now=ctx.clock.now(),
            settings=ctx.settings,
        )
    except FieldErrors as e:
        ack(response_action="errors", errors=e.errors)
        return
    except UserError as e:
        ack(response_action="errors", errors={ids.TriageField.SEVERITY: str(e)})
        return
    ack()
    ctx.deliver(result.notification_keys)
