"""App Home: published when a person opens it and after they act; its buttons open the intake modals."""

from __future__ import annotations

import logging

from slack_bolt import Ack, BoltContext
from slack_sdk import WebClient

from bot.core import ids
from bot.core.context import BotContext
from bot.home import service as home
from handlers.app import bot_of
from handlers.modals.disclosure import disclosure_modal
from handlers.modals.intake import intake_modal

log = logging.getLogger(__name__)


def register(registry) -> None:
    registry.event(ids.EVENT_APP_HOME_OPENED, home_opened)
    registry.action(ids.ACTION_HOME_NEW_COMPLAINT, open_new_complaint)
    registry.action(ids.ACTION_HOME_NEW_DISCLOSURE, open_new_disclosure)


def publish_home(ctx: BotContext, client: WebClient, user_id: str) -> None:
    """Publish `user_id`'s Home as it stands now. A failure is logged: the Home is a view of the
    store, so the next opening shows the truth."""
    try:
        view = home.home_view(ctx, user_id)
        client.views_publish(user_id=user_id, view=view)
    except Exception:
        log.exception("Publishing the App Home of %s failed", user_id)


def home_opened(event: dict, client: WebClient, context: BoltContext) -> None:
    if event.get("tab", "home") != "home":
        return
    publish_home(bot_of(context), client, event["user"])


def open_new_complaint(ack: Ack, body: dict, client: WebClient, context: BoltContext) -> None:
    ack()
    client.views_open(trigger_id=body["trigger_id"], view=intake_modal(today=bot_of(context).today()))


def open_new_disclosure(ack: Ack, body: dict, client: WebClient, context: BoltContext) -> None:
    ack()
    client.views_open(trigger_id=body["trigger_id"], view=disclosure_modal(today=bot_of(context).today()))
