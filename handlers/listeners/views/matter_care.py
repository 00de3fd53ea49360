"""The client-care modals' submissions: a client update, a snooze, a dormancy, and why an unhappy
client's update is not a complaint. Each stores once per view (a Slack retry finds the first) and
becomes the view of what it recorded."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, BoltContext

from bot import access
from bot.core import ids
from bot.core.context import BotContext
from bot.matters import messages as matter_messages
from bot.matters import requests as matter_requests
from bot.matters.care import CheckInHeld, Hold, NotAComplaint, UpdateLogged
from handlers.listeners.views.submitting import NOT_CHANGED, submit
from handlers.modals.matter_care import (
    DORMANT_TITLE,
    NOT_A_COMPLAINT_TITLE,
    SNOOZE_TITLE,
    UPDATE_TITLE,
    care_recorded_view,
    parse_held_until,
    parse_matter_update,
    parse_not_a_complaint,
)
from handlers.payload import private_metadata, view_values

Submission = Callable[[Ack, dict[str, Any], dict[str, Any], BoltContext], None]


def _matter_ref(view: dict[str, Any]) -> str:
    return str(private_metadata(view).get("matter_ref", ""))


def _shown_as(title: str, answer: Callable[[Any], tuple[str, list[dict[str, Any]]]]) -> Callable[[Any], dict]:
    """What the modal becomes once stored: `answer`'s message of what was recorded, under `title`."""
    return lambda recorded: care_recorded_view(title, answer(recorded)[1])


def submit_matter_update(ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext) -> None:
    def store(ctx: BotContext, who: access.Viewer) -> UpdateLogged:
        return matter_requests.log_update(
            ctx,
            viewer=who,
            matter_ref_text=_matter_ref(view),
            data=parse_matter_update(view_values(view)),
            view_id=view.get("id"),
        )

    F, shown = ids.MatterUpdateField, _shown_as(UPDATE_TITLE, matter_messages.update_logged)
    submit(ack, body, view, context, store=store, error_field=F.TOLD, failure=NOT_CHANGED, shown=shown)


def held_submission(
    how: Hold,
    *,
    until_field: str,
    reason_field: str,
    title: str,
    answer: Callable[[CheckInHeld], tuple[str, list[dict[str, Any]]]],
) -> Submission:
    """The submission of the snooze modal or of the dormancy modal (`how`)."""

    def submit_held(ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext) -> None:
        def store(ctx: BotContext, who: access.Viewer) -> CheckInHeld:
            data = parse_held_until(view_values(view), until_field=until_field, reason_field=reason_field)
            return matter_requests.hold_check_in(
                ctx, viewer=who, matter_ref_text=_matter_ref(view), how=how, data=data, view_id=view.get("id")
            )

        shown = _shown_as(title, answer)
        submit(ack, body, view, context, store=store, error_field=reason_field, failure=NOT_CHANGED, shown=shown)

    submit_held.__name__ = f"submit_matter_{how.value}"
    return submit_held


submit_matter_snooze = held_submission(
    Hold.SNOOZE,
    until_field=ids.MatterSnoozeField.UNTIL,
    reason_field=ids.MatterSnoozeField.REASON,
    title=SNOOZE_TITLE,
    answer=matter_messages.check_in_snoozed,
)
submit_matter_dormant = held_submission(
    Hold.DORMANT,
    until_field=ids.MatterDormantField.UNTIL,
    reason_field=ids.MatterDormantField.REASON,
    title=DORMANT_TITLE,
    answer=matter_messages.matter_dormant,
)


def submit_not_a_complaint(ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext) -> None:
    def store(ctx: BotContext, who: access.Viewer) -> NotAComplaint:
        return matter_requests.not_a_complaint(
            ctx,
            viewer=who,
            update_event_id=private_metadata(view).get("update_event_id"),
            reason=parse_not_a_complaint(view_values(view)),
            view_id=view.get("id"),
        )

    F, shown = ids.MatterNotAComplaintField, _shown_as(NOT_A_COMPLAINT_TITLE, matter_messages.not_a_complaint_recorded)
    submit(ack, body, view, context, store=store, error_field=F.REASON, failure=NOT_CHANGED, shown=shown)
