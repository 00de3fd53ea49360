"""The Bolt app factory: the app with every listener, its context and its error answer."""

from __future__ import annotations

import logging
from concurrent.futures import Executor
from typing import Any

from slack_bolt import App, BoltRequest, BoltResponse
from slack_bolt.error import BoltUnhandledRequestError
from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import ConnectionErrorRetryHandler, RateLimitErrorRetryHandler

from bot.core.context import BotContext
from handlers import listeners as surfaces
from handlers.context import inject
from handlers.lanes import Lanes
from handlers.listening import Listeners, Listening

log = logging.getLogger(__name__)
# The work behind the acks (Bolt's lazy listeners): threads per lane, as many as Bolt's own default.
WORK_THREADS = 5


def _listener_key(body: dict[str, Any]) -> str:
    """What a listener would have matched on: ids of ours, never client text."""
    if "command" in body:
        return str(body.get("command"))[:40]
    view = body.get("view")
    view = view if isinstance(view, dict) else {}
    actions = body.get("actions")
    actions = actions if isinstance(actions, list) else []
    action = actions[0] if actions and isinstance(actions[0], dict) else {}
    event = body.get("event")
    event = event if isinstance(event, dict) else {}
    key = body.get("callback_id") or view.get("callback_id") or action.get("action_id") or event.get("type")
    return str(key)[:80] if key else "no id"


def make_web_client(token: str | None, base_url: str) -> WebClient:
    """The Web API client for listeners (slack_sdk retries connection errors and one 429 itself)."""
    return _listeners_client(WebClient(token=token), base_url)


def _listeners_client(client: WebClient, base_url: str) -> WebClient:
    client.base_url = base_url if base_url.endswith("/") else base_url + "/"
    client.retry_handlers = [ConnectionErrorRetryHandler(), RateLimitErrorRetryHandler(max_retry_count=1)]
    return client


def create_app(
    ctx: BotContext, *, client: WebClient | None = None, listener_executor: Executor | None = None
) -> tuple[App, Listening]:
    """The app with every listener, and the record of what it listens for. The work behind the acks
    runs on `listener_executor` (the tests track it to know when the bot is idle), else on two pools
    of its own (handlers/lanes.py)."""
    lanes = Lanes(WORK_THREADS) if listener_executor is None else None
    work = listener_executor or lanes
    assert work is not None
    settings = ctx.settings
    app = App(
        # One of the two, never both: Bolt warns when it is given a client and a token (its
        # argument, or SLACK_BOT_TOKEN in the environment). A client comes from the tests only.
        **({"client": client} if client is not None else {"token": settings.slack_bot_token}),
        signing_secret=settings.slack_signing_secret or "socket-mode-does-not-sign",
        # The token is checked once by `check`/start-up with a clear message, not on every import.
        token_verification_enabled=False,
        # handlers/server.py verifies each request's signature on its raw bytes before anything parses
        # it; Bolt's own check parses first and logs the whole body of a request that fails.
        request_verification_enabled=False,
        # A request no listener takes goes to _on_error, which answers 400 in one line.
        raise_error_for_unhandled_request=True,
        logger=logging.getLogger("slack_bolt"),
        # Slack is answered when a listener's ack function returns; its lazy listeners run after,
        # on `work` (handlers/listening.py).
        process_before_response=True,
        listener_executor=work,
    )
    if client is None:  # Bolt's own client, with our base URL and retries (as make_web_client's)
        _listeners_client(app.client, settings.slack_api_url)
    app.middleware(inject(ctx))
    if lanes is not None:
        app.middleware(lanes.mark)

    @app.error
    def _on_error(error: Exception, request: BoltRequest, logger: logging.Logger) -> BoltResponse | None:
        body = request.body or {}
        if isinstance(error, BoltUnhandledRequestError):
            log.warning("No listener takes this %s request (%s)", body.get("type") or "command", _listener_key(body))
            return BoltResponse(status=400, body="")
        # The error, not the request: its body holds client text.
        logger.exception("Listener failed for %s: %s", body.get("type") or "command", error.__class__.__name__)
        return None

    listeners = Listeners(app)
    surfaces.register(listeners)
    return app, listeners.listening
