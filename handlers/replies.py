"""The Slack calls several listeners make: a person's App Home published, a complaint's modal opened."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from slack_sdk import WebClient

from bot import access
from bot.complaints import requests as complaint_requests
from bot.core.context import BotContext
from bot.core.errors import UserError
from bot.home import service as home
from bot.rulebooks import holding
from bot.rulebooks.summary import summary_resolution_open, summary_resolution_until
from handlers.modals.acknowledgement import acknowledgement_modal
from handlers.modals.client_update import client_update_modal
from handlers.modals.details import client_details_modal
from handlers.modals.elements import notice_modal
from handlers.modals.holding import holding_modal
from handlers.modals.referral import decision_modal, referral_modal
from handlers.modals.resolve import resolve_modal
from handlers.modals.snooze import snooze_modal
from handlers.modals.triage import triage_modal

if TYPE_CHECKING:
    from storage.models import Complaint

log = logging.getLogger(__name__)

View = dict[str, Any]

# The modal each change of a complaint is made in.
MODALS: dict[access.ComplaintAction, Callable[[BotContext, Complaint], View]] = {
    "acknowledge": lambda ctx, c: acknowledgement_modal(c, today=ctx.today()),
    "triage": lambda ctx, c: triage_modal(c, tz=ctx.tz, today=ctx.today(), products=ctx.settings.product_groups),
    "client_update": lambda ctx, c: client_update_modal(c, today=ctx.today()),
    "snooze": lambda ctx, c: snooze_modal(c),
    "holding_response": lambda ctx, c: holding_modal(
        c,
        today=ctx.today(),
        rulebook=ctx.settings.rulebook,
        latest=holding.latest_expected_on(ctx.settings.rulebook, ctx.policy, c.received_on),
        deadline_basis=holding.final_response_basis(ctx.settings.rulebook, ctx.policy, c),
    ),
    "resolve": lambda ctx, c: resolve_modal(
        c,
        today=ctx.today(),
        rulebook=ctx.settings.rulebook,
        deadline_basis=holding.final_response_basis(ctx.settings.rulebook, ctx.policy, c),
        summary_until=_summary_until(ctx, c),
        root_causes=ctx.settings.root_causes,
        currency=ctx.settings.currency,
    ),
    "details": lambda ctx, c: client_details_modal(c, products=ctx.settings.product_groups),
    # complaint_to_change has checked the scheme has an ombudsman.
    "refer": lambda ctx, c: referral_modal(c, today=ctx.today(), ombudsman=_ombudsman(ctx)),
    "ombudsman_decision": lambda ctx, c: decision_modal(
        c, today=ctx.today(), ombudsman=_ombudsman(ctx), currency=ctx.settings.currency
    ),
}


def _ombudsman(ctx: BotContext) -> str:
    ombudsman = ctx.settings.rulebook.ombudsman
    return ombudsman.name if ombudsman else ""


def _summary_until(ctx: BotContext, c: Complaint) -> datetime | None:
    """Until when (firm time) `c` can be resolved by summary resolution, if it still can now."""
    book, policy = ctx.settings.rulebook, ctx.policy
    if not summary_resolution_open(book, policy, c.received_on, ctx.clock.now()):
        return None
    until = summary_resolution_until(book, policy, c.received_on)
    return until.astimezone(ctx.tz) if until else None


def publish_home(ctx: BotContext, client: WebClient, user_id: str) -> None:
    """Publish `user_id`'s Home as it stands now. A failure is logged: the Home is a view of the
    store, so the next opening shows the truth."""
    try:
        view = home.home_view(ctx, user_id)
        client.views_publish(user_id=user_id, view=view)
    except Exception:
        log.exception("Publishing the App Home of %s failed", user_id)


def open_complaint_modal(
    ctx: BotContext,
    client: WebClient,
    *,
    trigger_id: str,
    user_id: str,
    reference_text: str | None,
    action: access.ComplaintAction,
) -> None:
    """Open the modal for `action` on the complaint named, if the person may; else a notice saying why not."""
    try:
        complaint = complaint_requests.complaint_to_change(
            ctx, viewer=access.viewer(ctx, user_id), reference_text=reference_text, action=action
        )
        view = MODALS[action](ctx, complaint)
    except UserError as e:
        view = notice_modal("Complaint", str(e))
    client.views_open(trigger_id=trigger_id, view=view)
