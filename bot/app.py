"""The Bolt app factory and the registry of every listener it has."""

from __future__ import annotations

import logging
from concurrent.futures import Executor
from dataclasses import dataclass, field

from slack_bolt import App, BoltContext
from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import ConnectionErrorRetryHandler, RateLimitErrorRetryHandler

from bot.context import BotContext
from bot.team import TeamDirectory, slack_channel_members

log = logging.getLogger(__name__)


@dataclass
class Registry:
    """What the app listens for, by Slack surface; `complaint-bot check` compares it with the manifest."""

    app: App
    commands: set[str] = field(default_factory=set)
    shortcuts: set[str] = field(default_factory=set)
    views: set[str] = field(default_factory=set)
    actions: set[str] = field(default_factory=set)
    events: set[str] = field(default_factory=set)

    def command(self, name: str, fn) -> None:
        self.app.command(name)(fn)
        self.commands.add(name)

    def shortcut(self, callback_id: str, fn) -> None:
        self.app.shortcut(callback_id)(fn)
        self.shortcuts.add(callback_id)

    def view(self, callback_id: str, fn) -> None:
        self.app.view(callback_id)(fn)
        self.views.add(callback_id)

    def action(self, action_id: str, fn) -> None:
        self.app.action(action_id)(fn)
        self.actions.add(action_id)

    def event(self, name: str, fn) -> None:
        self.app.event(name)(fn)
        self.events.add(name)


def make_web_client(token: str | None, base_url: str) -> WebClient:
    """The Web API client for listeners (slack_sdk retries connection errors and one 429 itself)."""
    return WebClient(
        token=token,
        base_url=base_url,
        retry_handlers=[ConnectionErrorRetryHandler(), RateLimitErrorRetryHandler(max_retry_count=1)],
    )


def bot_of(context: BoltContext) -> BotContext:
    return context["bot"]


def create_app(
    ctx: BotContext, *, client: WebClient | None = None, listener_executor: Executor | None = None
) -> tuple[App, Registry]:
    from handlers import register

    settings = ctx.settings
    app = App(
        token=settings.slack_bot_token,
        signing_secret=settings.slack_signing_secret or "socket-mode-does-not-sign",
        client=client or make_web_client(settings.slack_bot_token, settings.slack_api_url),
        # The token is checked once by `check`/start-up with a clear message, not on every import.
        token_verification_enabled=False,
        logger=logging.getLogger("slack_bolt"),
        listener_executor=listener_executor,
    )

    if ctx.team is None:
        ctx.team = TeamDirectory(slack_channel_members(app.client), settings.triage_channel, ctx.clock)

    @app.middleware
    def _inject(context: BoltContext, next):
        context["bot"] = ctx
        return next()

    @app.error
    def _on_error(error, body, logger):
        logger.exception("Listener failed for %s: %s", (body or {}).get("type"), error)

    registry = Registry(app)
    register(registry)
    return app, registry
