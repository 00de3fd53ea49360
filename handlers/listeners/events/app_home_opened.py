"""A person opened the bot's App Home: publish it as the store stands now."""

from __future__ import annotations

from typing import Any

from slack_bolt import BoltContext
from slack_sdk import WebClient

from handlers.context import bot_of
from handlers.replies import publish_home


def home_opened(event: dict[str, Any], client: WebClient, context: BoltContext) -> None:
    if event.get("tab", "home") != "home":
        return
    publish_home(bot_of(context), client, event["user"])
