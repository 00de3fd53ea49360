"""A complaint's buttons (Triage, Log client update, Snooze, Holding response, Resolve): each opens its modal."""

from __future__ import annotations

from typing import Any

from slack_bolt import BoltContext
from slack_sdk import WebClient

from bot import access
from handlers.context import bot_of
from handlers.listening import Listener
from handlers.replies import open_complaint_modal


def opener(change: access.ComplaintAction) -> Listener:
    """The listener for a button that opens the modal of `change` on the complaint in its value.
    (Bolt passes a listener's arguments by name: `action` is the button's payload.)"""

    def open_modal(body: dict[str, Any], action: dict[str, Any], client: WebClient, context: BoltContext) -> None:
        open_complaint_modal(
            bot_of(context),
            client,
            trigger_id=body["trigger_id"],
            user_id=body["user"]["id"],
            reference_text=action.get("value"),
            action=change,
        )

    open_modal.__name__ = f"open_{change}_modal"
    return open_modal
