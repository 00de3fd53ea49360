"""Putting the pieces together for a process: its context from its settings."""

from __future__ import annotations

from slack_sdk import WebClient

from bot.core.clock import Clock, SystemClock
from bot.core.config import Settings
from bot.core.context import BotContext, make_context
from bot.outbox.delivery import SEND_TIMEOUT
from bot.outbox.notifier import SlackNotifier
from bot.team import slack_team
from storage.db import make_engine


def build_context(settings: Settings, *, clock: Clock | None = None) -> BotContext:
    engine = make_engine(settings.database_url)
    # Delivery must not wait inside a send: a failed send is retried by a later sweep.
    notifier = SlackNotifier(
        WebClient(
            token=settings.slack_bot_token,
            base_url=settings.slack_api_url,
            retry_handlers=[],
            timeout=int(SEND_TIMEOUT.total_seconds()),
        )
    )
    clock = clock or SystemClock()
    # The complaints team, for a sweep from the command line as for the bot: what a DM may say
    # depends on whether its reader is in the team.
    directory = WebClient(token=settings.slack_bot_token, base_url=settings.slack_api_url, timeout=10)
    team = slack_team(directory, channel=settings.triage_channel, clock=clock)
    return make_context(settings=settings, engine=engine, notifier=notifier, team=team, clock=clock)
