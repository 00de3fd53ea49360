"""A matter's client-care buttons: **Log client update**, **Snooze** and **No update needed**
(each opens its modal: from a check-in nudge, or pushed over the update modal that offers the
other two), and the complaint prompt's **Log as complaint** (the intake modal prefilled from the
update) and **Not a complaint** (a modal asking why it is not one)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from slack_bolt import BoltContext
from slack_sdk import WebClient

from bot import access
from bot.core import blockkit
from bot.core.context import BotContext
from bot.core.errors import UserError
from bot.core.vocabulary import RECEIVED_VIA_OF_UPDATE, SUMMARY_MAX
from bot.matters import messages as matter_messages
from bot.matters import requests as matter_requests
from bot.matters.care import AlreadyAnswered, Prompted
from handlers.context import bot_of
from handlers.modals.elements import notice_modal, result_modal
from handlers.modals.intake import intake_modal
from handlers.modals.matter_care import (
    DORMANT_TITLE,
    NOT_A_COMPLAINT_TITLE,
    SNOOZE_TITLE,
    UPDATE_TITLE,
    matter_dormant_modal,
    matter_snooze_modal,
    matter_update_modal,
    not_a_complaint_modal,
)

if TYPE_CHECKING:
    from storage.models import Matter

Listener = Callable[[dict[str, Any], dict[str, Any], WebClient, BoltContext], None]


def _show(body: dict[str, Any], client: WebClient, view: dict[str, Any]) -> None:
    """Open `view`, or push it over the modal the button was clicked in."""
    if (body.get("view") or {}).get("type") == "modal":
        client.views_push(trigger_id=body["trigger_id"], view=view)
    else:
        client.views_open(trigger_id=body["trigger_id"], view=view)


def care_opener(action_name: str, title: str, make: Callable[[BotContext, Matter], dict[str, Any]]) -> Listener:
    """A button whose value is a matter reference, opening one of its client-care modals."""

    def open_it(body: dict[str, Any], action: dict[str, Any], client: WebClient, context: BoltContext) -> None:
        ctx = bot_of(context)
        try:
            matter = matter_requests.care_form(
                ctx,
                viewer=access.viewer(ctx, body["user"]["id"]),
                matter_ref_text=action.get("value"),
                action=action_name,
            )
            view = make(ctx, matter)
        except UserError as e:
            view = notice_modal(title, str(e))
        _show(body, client, view)

    open_it.__name__ = f"open_{action_name.replace(' ', '_')}"
    return open_it


open_matter_update = care_opener(
    "matter update", UPDATE_TITLE, lambda ctx, m: matter_update_modal(m, today=ctx.today())
)
open_matter_snooze = care_opener(
    "matter snooze", SNOOZE_TITLE, lambda ctx, m: matter_snooze_modal(m, today=ctx.today())
)
open_matter_dormant = care_opener("matter dormant", DORMANT_TITLE, lambda ctx, m: matter_dormant_modal(m))


def prompt_opener(action_name: str, title: str, make: Callable[[BotContext, Prompted], dict[str, Any]]) -> Listener:
    """A complaint prompt's button (its value: the client update's event id), opening the modal that
    answers it: if the update is already answered, what was answered, by whom and when; a refusal
    (an outsider: the one sentence /matter show gives) in a notice."""

    def open_it(body: dict[str, Any], action: dict[str, Any], client: WebClient, context: BoltContext) -> None:
        ctx = bot_of(context)
        try:
            p = matter_requests.complaint_prompt(
                ctx, viewer=access.viewer(ctx, body["user"]["id"]), value=action.get("value"), action=action_name
            )
            view = make(ctx, p)
        except AlreadyAnswered as e:
            view = result_modal(title, matter_messages.already_answered(e.prompted, tz=ctx.tz)[1])
        except UserError as e:
            view = notice_modal(title, str(e))
        client.views_open(trigger_id=body["trigger_id"], view=view)

    open_it.__name__ = f"open_{action_name.replace(' ', '_')}"
    return open_it


def _intake_from_update(ctx: BotContext, p: Prompted) -> dict[str, Any]:
    return intake_modal(
        today=ctx.today(),
        summary=matter_messages.complaint_summary_from_update(p.on, p.told, limit=SUMMARY_MAX),
        client_name=p.client_name,
        matter_ref=p.matter_ref,
        received_on=p.on,
        received_via=RECEIVED_VIA_OF_UPDATE[p.via],
        note=f"From the client update of {blockkit.day(p.on)} on {p.matter_ref}: check the summary says "
        "what the client was dissatisfied with.",
        metadata={"update_event_id": p.update_event_id},
    )


open_log_as_complaint = prompt_opener("matter log as complaint", "Log a complaint", _intake_from_update)
open_not_a_complaint = prompt_opener(
    "matter not a complaint", NOT_A_COMPLAINT_TITLE, lambda ctx, p: not_a_complaint_modal(p)
)
