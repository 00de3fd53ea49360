"""Modal submissions: validate, store, then close the modal; messages go out after the ack."""

from __future__ import annotations

import logging

from slack_bolt import Ack, BoltContext

from bot import access
from bot.complaints import service as complaints
from bot.core import ids
from bot.core.errors import FieldErrors, UserError
from bot.disclosures import service as disclosures
from handlers.app import bot_of
from handlers.home import publish_home
from handlers.modals.client_update import parse_client_update
from handlers.modals.disclosure import parse_disclosure
from handlers.modals.intake import parse_intake
from handlers.modals.resolve import parse_resolution
from handlers.modals.snooze import parse_snooze
from handlers.modals.triage import parse_triage
from handlers.payload import private_metadata, source_link, view_values

log = logging.getLogger(__name__)


def register(registry) -> None:
    registry.view(ids.VIEW_NEW_COMPLAINT, submit_new_complaint)
    registry.view(ids.VIEW_TRIAGE, submit_triage)
    registry.view(ids.VIEW_CLIENT_UPDATE, submit_client_update)
    registry.view(ids.VIEW_SNOOZE, submit_snooze)
    registry.view(ids.VIEW_RESOLVE, submit_resolve)
    registry.view(ids.VIEW_NEW_DISCLOSURE, submit_new_disclosure)


def _submit_new(ack: Ack, body: dict, view: dict, context: BoltContext, *, parse, store, error_field: str) -> None:
    """A new record from a modal: field errors stay in the modal; it is stored before the modal closes,
    so if the store fails the person keeps what they typed; its messages go out after the ack."""
    ctx = bot_of(context)
    try:
        data = parse(view_values(view), today=ctx.today(), source_message_url=source_link(view, body))
    except FieldErrors as e:
        ack(response_action="errors", errors=e.errors)
        return
    try:
        logged = store(ctx, data, body["user"]["id"], view.get("id"))
    except Exception:
        log.exception("Storing a %s failed", view.get("callback_id"))
        ack(
            response_action="errors",
            errors={error_field: "It could not be saved just now; nothing was stored. Please submit again."},
        )
        return
    ack()
    ctx.deliver(logged.notification_keys)
    publish_home(ctx, context.client, body["user"]["id"])


def submit_new_complaint(ack: Ack, body: dict, view: dict, context: BoltContext) -> None:
    def store(ctx, data, user_id, view_id):
        return complaints.log_complaint(
            session_factory=ctx.session_factory,
            data=data,
            reporter_id=user_id,
            view_id=view_id,
            now=ctx.clock.now(),
            settings=ctx.settings,
            policy=ctx.policy,
        )

    _submit_new(ack, body, view, context, parse=parse_intake, store=store, error_field=ids.IntakeField.SUMMARY)


def submit_new_disclosure(ack: Ack, body: dict, view: dict, context: BoltContext) -> None:
    def store(ctx, data, user_id, view_id):
        return disclosures.log_disclosure(
            session_factory=ctx.session_factory,
            data=data,
            logged_by=user_id,
            view_id=view_id,
            now=ctx.clock.now(),
            settings=ctx.settings,
            policy=ctx.policy,
        )

    _submit_new(
        ack,
        body,
        view,
        context,
        parse=parse_disclosure,
        store=store,
        error_field=ids.DisclosureField.CONTENT,
    )


def _submit(
    ack: Ack, body: dict, view: dict, context: BoltContext, *, first_field: str, need: access.Need, change
) -> None:
    """Run `change(ctx, values, reference, actor)` if the person may; field errors and refusals
    stay in the modal."""
    ctx = bot_of(context)
    reference = private_metadata(view).get("reference", "")
    try:
        who = access.viewer(ctx, body["user"]["id"])
        access.complaint_for(
            ctx, who, complaints.parse_reference(reference), need=need, action=view.get("callback_id", "submit")
        )
        result = change(ctx, view_values(view), reference, who.user_id)
    except FieldErrors as e:
        ack(response_action="errors", errors=e.errors)
        return
    except UserError as e:
        ack(response_action="errors", errors={first_field: str(e)})
        return
    except Exception:
        log.exception("Saving %s for %s failed", view.get("callback_id"), reference)
        ack(
            response_action="errors",
            errors={first_field: "It could not be saved just now; nothing was changed. Please submit again."},
        )
        return
    ack()
    ctx.deliver(result.notification_keys)
    publish_home(ctx, context.client, body["user"]["id"])


def submit_triage(ack: Ack, body: dict, view: dict, context: BoltContext) -> None:
    def change(ctx, values, reference, actor):
        return complaints.triage_complaint(
            session_factory=ctx.session_factory,
            reference=reference,
            data=parse_triage(values, today=ctx.today()),
            actor=actor,
            now=ctx.clock.now(),
            settings=ctx.settings,
            policy=ctx.policy,
            people=ctx.team.is_person,
        )

    _submit(ack, body, view, context, first_field=ids.TriageField.SEVERITY, need=access.Need.TEAM, change=change)


def submit_client_update(ack: Ack, body: dict, view: dict, context: BoltContext) -> None:
    def change(ctx, values, reference, actor):
        return complaints.log_client_update(
            session_factory=ctx.session_factory,
            reference=reference,
            data=parse_client_update(values, today=ctx.today()),
            actor=actor,
            now=ctx.clock.now(),
            policy=ctx.policy,
        )

    _submit(ack, body, view, context, first_field=ids.UpdateField.TOLD, need=access.Need.ACT, change=change)


def submit_snooze(ack: Ack, body: dict, view: dict, context: BoltContext) -> None:
    def change(ctx, values, reference, actor):
        return complaints.snooze(
            session_factory=ctx.session_factory,
            reference=reference,
            data=parse_snooze(values),
            actor=actor,
            now=ctx.clock.now(),
        )

    _submit(ack, body, view, context, first_field=ids.SnoozeField.REASON, need=access.Need.ACT, change=change)


def submit_resolve(ack: Ack, body: dict, view: dict, context: BoltContext) -> None:
    def change(ctx, values, reference, actor):
        return complaints.resolve(
            session_factory=ctx.session_factory,
            reference=reference,
            data=parse_resolution(values, today=ctx.today()),
            actor=actor,
            now=ctx.clock.now(),
            settings=ctx.settings,
        )

    _submit(ack, body, view, context, first_field=ids.ResolveField.OUTCOME, need=access.Need.ACT, change=change)
