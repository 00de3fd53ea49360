"""The Bolt app factory and the registry of every listener it has."""

from __future__ import annotations

import functools
import inspect
import logging
import threading
from collections.abc import Callable
from concurrent.futures import Executor, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from slack_bolt import Ack, App, BoltContext, BoltRequest, BoltResponse
from slack_bolt.error import BoltUnhandledRequestError
from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import ConnectionErrorRetryHandler, RateLimitErrorRetryHandler

from bot.core.context import BotContext

log = logging.getLogger(__name__)
# View submissions run here: each stores before it acks, and its messages go out after.
VIEW_THREADS = 8
# The work behind the acks of commands, shortcuts, buttons and events (as many as Bolt's own default).
WORK_THREADS = 5


@dataclass
class Registry:
    """What the app listens for, by Slack surface; `complaint-bot check` compares it with the manifest.

    Given pools, the registry decides when Slack gets its answer, for an app made with
    `process_before_response=True` (the answer goes out when the listener Bolt runs returns).
    Commands, shortcuts, buttons and events are acked at once on the request's own thread, and
    their listener then runs on `work_pool` (its own ack() does nothing). A view submission, which
    answers in its ack (field errors, or closing the modal once stored), runs on `view_pool`, and the
    answer goes out the moment it acks, its messages following on that pool.

    Why not as Bolt runs listeners by default: a listener, ack and work alike, on one small pool,
    the request's thread polling every 10 ms for the ack. A listener that acks first still holds
    its thread for its work, so under load the next request's ack waited behind others' work.
    """

    app: App
    # No pools: listeners run as Bolt runs them.
    view_pool: Executor | None = None
    work_pool: Executor | None = None
    commands: set[str] = field(default_factory=set)
    shortcuts: set[str] = field(default_factory=set)
    views: set[str] = field(default_factory=set)
    actions: set[str] = field(default_factory=set)
    events: set[str] = field(default_factory=set)

    def command(self, name: str, fn) -> None:
        self.app.command(name)(self._acked_first(fn))
        self.commands.add(name)

    def shortcut(self, callback_id: str, fn) -> None:
        self.app.shortcut(callback_id)(self._acked_first(fn))
        self.shortcuts.add(callback_id)

    def view(self, callback_id: str, fn) -> None:
        self.app.view(callback_id)(self._answered_on_ack(fn))
        self.views.add(callback_id)

    def action(self, action_id: str, fn) -> None:
        self.app.action(action_id)(self._acked_first(fn))
        self.actions.add(action_id)

    def event(self, name: str, fn) -> None:
        self.app.event(name)(self._acked_first(fn))
        self.events.add(name)

    # Bolt reads the argument names of the unwrapped `fn` (functools.wraps) and passes them by name.

    def _acked_first(self, fn: Callable[..., None]) -> Callable[..., None]:
        """The listener Bolt runs in `fn`'s place: ack, then hand `fn` to the work pool."""
        work = self.work_pool
        if work is None:
            return fn

        @functools.wraps(fn)
        def listener(**kwargs: Any) -> None:
            ack = kwargs.get("ack")
            if ack is not None:  # an event's listener may take no ack: Bolt acks it on return
                ack()
                kwargs["ack"] = Ack()  # the request is answered: fn's own ack() changes nothing
            work.submit(_run_logged, fn, kwargs)

        return listener

    def _answered_on_ack(self, fn: Callable[..., None]) -> Callable[..., None]:
        """The listener Bolt runs in `fn`'s place: run `fn` on the views pool and return as soon
        as it has acked (or failed before acking, which Bolt then answers as a failure)."""
        pool = self.view_pool
        if pool is None or "ack" not in inspect.getfullargspec(fn).args:
            return fn

        @functools.wraps(fn)
        def listener(**kwargs: Any) -> None:
            ack: Ack = kwargs["ack"]
            acked = threading.Event()
            failed: list[BaseException] = []

            def ack_and_tell(*args: Any, **ack_kwargs: Any):
                try:
                    return ack(*args, **ack_kwargs)
                finally:
                    acked.set()

            def run() -> None:
                try:
                    fn(**{**kwargs, "ack": ack_and_tell})
                except Exception as e:
                    if acked.is_set():  # after the answer: log it, as Bolt logs a listener's failure
                        log.exception("Listener %s failed after its ack: %s", fn.__name__, e.__class__.__name__)
                    else:
                        failed.append(e)
                finally:
                    acked.set()

            pool.submit(run)
            acked.wait()
            if failed:
                raise failed[0]

        return listener


def _run_logged(fn: Callable[..., None], kwargs: dict[str, Any]) -> None:
    """Run a listener's work; a failure is logged, as Bolt logs one of its own listeners."""
    try:
        fn(**kwargs)
    except Exception as e:
        body = kwargs.get("body") or {}
        log.exception("Listener %s failed for %s: %s", fn.__name__, body.get("type"), e.__class__.__name__)


def _listener_key(body: dict) -> str:
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
    """The app with every listener. Given a `listener_executor` (the tests track it to know when
    the bot is idle), view submissions and the other listeners' work share it; otherwise each has
    a pool of its own (see Registry)."""
    from handlers import register

    if listener_executor is None:
        views: Executor = ThreadPoolExecutor(max_workers=VIEW_THREADS, thread_name_prefix="listener-views")
        work: Executor = ThreadPoolExecutor(max_workers=WORK_THREADS, thread_name_prefix="listener-work")
    else:
        views = work = listener_executor

    settings = ctx.settings
    app = App(
        token=settings.slack_bot_token,
        signing_secret=settings.slack_signing_secret or "socket-mode-does-not-sign",
        client=client or make_web_client(settings.slack_bot_token, settings.slack_api_url),
        # The token is checked once by `check`/start-up with a clear message, not on every import.
        token_verification_enabled=False,
        # handlers/server.py verifies each request's signature on its raw bytes before anything parses
        # it; Bolt's own check parses first and logs the whole body of a request that fails.
        request_verification_enabled=False,
        # A request no listener takes goes to _on_error, which answers 400 in one line.
        raise_error_for_unhandled_request=True,
        logger=logging.getLogger("slack_bolt"),
        # The registry answers Slack as soon as each listener has acked, and runs the rest on its pools.
        process_before_response=True,
        listener_executor=work,
    )

    @app.middleware
    def _inject(context: BoltContext, next):
        context["bot"] = ctx
        return next()

    @app.error
    def _on_error(error: Exception, request: BoltRequest, logger):
        body = request.body or {}
        if isinstance(error, BoltUnhandledRequestError):
            log.warning("No listener takes this %s request (%s)", body.get("type") or "command", _listener_key(body))
            return BoltResponse(status=400, body="")
        # The error, not the request: its body holds client text.
        logger.exception("Listener failed for %s: %s", body.get("type") or "command", error.__class__.__name__)
        return None

    registry = Registry(app, view_pool=views, work_pool=work)
    register(registry)
    return app, registry
