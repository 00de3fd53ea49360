"""The client-care modals' submissions: a client update, a snooze, a dormancy. Each stores once per
view (a Slack retry finds the first) and becomes the view of what it recorded."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext

from bot import access
from bot.core import ids
from bot.core.context import BotContext
from bot.matters import messages as matter_messages
from bot.matters import requests as matter_requests
from bot.matters.care import CheckInHeld, UpdateLogged
from handlers.listeners.views.submitting import NOT_CHANGED, submit
from handlers.modals.matter_care import (
    DORMANT_TITLE,
    SNOOZE_TITLE,
    UPDATE_TITLE,
    care_recorded_view,
    parse_held_until,
    parse_matter_update,
)
from handlers.payload import private_metadata, view_values


def _matter_ref(view: dict[str, Any]) -> str:
    return str(private_metadata(view).get("matter_ref", ""))


def submit_matter_update(ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext) -> None:
    def store(ctx: BotContext, who: access.Viewer) -> UpdateLogged:
        return matter_requests.log_update(
            ctx,
            viewer=who,
            matter_ref_text=_matter_ref(view),
            data=parse_matter_update(view_values(view)),
            view_id=view.get("id"),
        )

    submit(
        ack,
        body,
        view,
        context,
        store=store,
        error_field=ids.MatterUpdateField.TOLD,
        failure=NOT_CHANGED,
        shown=lambda r: care_recorded_view(UPDATE_TITLE, matter_messages.update_logged(r)[1]),
    )


def submit_matter_snooze(ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext) -> None:
    F = ids.MatterSnoozeField

    def store(ctx: BotContext, who: access.Viewer) -> CheckInHeld:
        data = parse_held_until(view_values(view), until_field=F.UNTIL, reason_field=F.REASON)
        return matter_requests.snooze(
            ctx, viewer=who, matter_ref_text=_matter_ref(view), data=data, view_id=view.get("id")
        )

    submit(
        ack,
        body,
        view,
        context,
        store=store,
        error_field=F.REASON,
        failure=NOT_CHANGED,
        shown=lambda r: care_recorded_view(SNOOZE_TITLE, matter_messages.check_in_snoozed(r)[1]),
    )


def submit_matter_dormant(ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext) -> None:
    F = ids.MatterDormantField

    def store(ctx: BotContext, who: access.Viewer) -> CheckInHeld:
        data = parse_held_until(view_values(view), until_field=F.UNTIL, reason_field=F.REASON)
        return matter_requests.mark_dormant(
            ctx, viewer=who, matter_ref_text=_matter_ref(view), data=data, view_id=view.get("id")
        )

    submit(
        ack,
        body,
        view,
        context,
        store=store,
        error_field=F.REASON,
        failure=NOT_CHANGED,
        shown=lambda r: care_recorded_view(DORMANT_TITLE, matter_messages.matter_dormant(r)[1]),
    )
