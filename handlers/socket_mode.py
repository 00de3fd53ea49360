"""`complaint-bot run`: the bot in Socket Mode on slack_sdk's built-in client.

Reconnecting: the built-in client notices a connection dropped without a close frame only when it
pings it (the ping fails, or no pong comes within 4 pings); its monitor, every `ping_interval`,
then opens a new one. So a drop is repaired within about 2 × PING_INTERVAL_S; a close frame or
Slack's `disconnect` message reconnects at once.

Starting: `apps.connections.open` and the WebSocket handshake are retried (with backoff, the method
is rate-limited) until CONNECT_WITHIN_S; then `run` gives up with a sentence, not a silent retry for
ever. A token Slack refuses is not retried. The sweep scheduler starts only once connected.
"""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Callable

from apscheduler.schedulers.base import BaseScheduler
from slack_bolt import App
from slack_bolt.adapter.socket_mode import SocketModeHandler
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.socket_mode.builtin import SocketModeClient

from bot.core.config import SettingsError
from bot.core.context import BotContext
from handlers import stopping
from handlers.stopping import Signals

log = logging.getLogger(__name__)

PING_INTERVAL_S = 0.25
CONNECT_WITHIN_S = 60.0
FIRST_RETRY_S = 1.0
MAX_RETRY_S = 10.0
EXIT_NOT_CONNECTED = 3
# apps.connections.open errors a retry may cure; any other is the app token or the app's settings.
PASSING_ERRORS = frozenset({"ratelimited", "internal_error", "fatal_error", "service_unavailable", "request_timeout"})


def run(
    ctx: BotContext,
    app: App,
    *,
    app_token: str | None,
    signals: Signals,
    start_scheduler: Callable[[BotContext], BaseScheduler],
    connect_within_s: float = CONNECT_WITHIN_S,
) -> int:
    handler = SocketModeHandler(
        app,
        app_token,
        logger=logging.getLogger("slack_sdk.socket_mode"),
        ping_interval=PING_INTERVAL_S,
        auto_reconnect_enabled=False,  # until the first connection: _connect paces the retries
    )
    client: SocketModeClient = handler.client
    errors: list[Exception] = []
    client.on_error_listeners.append(errors.append)
    scheduler: BaseScheduler | None = None
    try:
        if not _connect(client, signals, within_s=connect_within_s, errors=errors):
            if signals.received is None:
                last = f" (last error: {errors[-1].__class__.__name__}: {errors[-1]})" if errors else ""
                print(
                    f"Could not connect to Slack in Socket Mode within {connect_within_s:g} s{last}: check the "
                    f"network (and HTTPS_PROXY if there is a proxy), SLACK_API_URL ({ctx.settings.slack_api_url}), "
                    "and that Socket Mode is on in the app's settings. Nothing was sent.",
                    file=sys.stderr,
                )
                return EXIT_NOT_CONNECTED
        else:
            client.default_auto_reconnect_enabled = client.auto_reconnect_enabled = True
            scheduler = start_scheduler(ctx)
            log.info("Connected to Slack in Socket Mode")
            signals.wait()
    finally:
        stopping.stop_taking_work(ctx, scheduler)
        handler.close()  # the connection, its threads; the acks being sent finish first
    if stopping.finish(ctx, reason=signals.received or "not connected", deadline=signals.deadline, scheduler=scheduler):
        stopping.leave(0)
    return 0


def _connect(client: SocketModeClient, signals: Signals, *, within_s: float, errors: list[Exception]) -> bool:
    """Connected before the deadline (True), or stopped or out of time (False)."""
    deadline = time.monotonic() + within_s
    delay = FIRST_RETRY_S
    while signals.received is None:
        try:
            client.connect_to_new_endpoint()
        except SlackApiError as e:
            error = e.response.get("error") if isinstance(e.response.data, dict) else None
            if error not in PASSING_ERRORS and e.response.status_code < 500:
                raise SettingsError(
                    [
                        f"Slack refused the Socket Mode connection ({error}): SLACK_APP_TOKEN must be an app-level "
                        "token with the connections:write scope, and Socket Mode must be on in the app's settings."
                    ]
                ) from None
            errors.append(e)
        except (SlackClientError, OSError) as e:  # Slack not reached: the network, a proxy, a URL
            errors.append(e)
        if client.is_connected():
            return True
        left = deadline - time.monotonic()
        if left <= 0 or signals.wait(min(delay, left)):
            return False
        log.warning("Not connected to Slack in Socket Mode yet; trying again (giving up in %.0f s)", left)
        delay = min(delay * 2, MAX_RETRY_S)
    return False
