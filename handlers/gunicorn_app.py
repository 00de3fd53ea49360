"""`complaint-bot serve`: the WSGI app on gunicorn behind the front, one context and sweep scheduler
per worker."""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from typing import Any

from gunicorn.app.base import BaseApplication
from gunicorn.workers.gasgi import ASGIWorker

from bot.core.config import Settings
from handlers import logs, stopping
from handlers.front import READ_TIMEOUT_S, THREADS, Front

# The bot this worker process serves, once built (after the fork): what Worker stops.
_serving: list[stopping.Stoppable] = []


class Server(BaseApplication):
    """gunicorn run from code: `options` are its settings; `make_app` builds the WSGI app in each
    worker, after the fork (engines and threads must not cross a fork), and the worker serves it
    behind `handlers.front.Front`, which reads each request whole before a thread takes it."""

    def __init__(self, options: dict, make_app: Callable[[], Any], *, read_timeout_s: float = READ_TIMEOUT_S):
        self.options = options
        self.make_app = make_app
        self.read_timeout_s = read_timeout_s
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        return Front(
            self.make_app(), threads=THREADS, read_timeout_s=self.read_timeout_s, multiprocess=self.cfg.workers > 1
        )


def _bot_app(settings: Settings):
    from bot.reminders.scheduler import start_scheduler
    from handlers.app import create_app
    from handlers.runtime import build_context
    from handlers.server import WsgiApp

    ctx = build_context(settings)
    app, _ = create_app(ctx)
    _serving.append(stopping.Stoppable(ctx, start_scheduler(ctx)))
    return WsgiApp(app, ctx)


class Worker(ASGIWorker):
    """gunicorn's asyncio worker, which also stops the bot's work (handlers/stopping.py). At the
    signal: no new claim or sweep, while gunicorn lets the requests in flight finish (SIGTERM) or
    drops them (SIGINT, SIGQUIT: its quick stop); then the sends on the wire get what is left of the
    stop, the claimed rest is handed back, and the worker says so in one line."""

    _stop_reason = "the server stopped"
    _stop_at: float | None = None

    def _begin_stop(self, reason: str) -> None:
        if self._stop_at is None:
            self._stop_reason, self._stop_at = reason, time.monotonic()
            for bot in _serving:
                stopping.stop_taking_work(bot.ctx, bot.scheduler)

    def handle_exit_signal(self) -> None:
        self._begin_stop("SIGTERM")
        super().handle_exit_signal()

    def handle_quit_signal(self) -> None:
        self._begin_stop("SIGINT or SIGQUIT (quick stop)")
        super().handle_quit_signal()

    def run(self) -> None:
        try:
            super().run()
        finally:
            self._begin_stop(self._stop_reason)
            assert self._stop_at is not None
            deadline = self._stop_at + stopping.STOP_WITHIN_S - stopping.MARGIN_S
            on_the_wire = sum(
                stopping.finish(bot.ctx, reason=self._stop_reason, deadline=deadline, scheduler=bot.scheduler)
                for bot in _serving
            )
            if on_the_wire:
                stopping.leave(0)


def server_options(*, host: str, port: int, workers: int, log_level: str = "INFO", log_format: str = "text") -> dict:
    """gunicorn's settings for `serve`; bench/_bare_app.py serves its bare app with the same ones.

    The asyncio worker (ours: gunicorn's, stopping the bot's work too) holds a connection in a coroutine until its request has arrived whole, so
    slow clients cost no thread (the front's pool has THREADS per worker). The front has no startup
    or shutdown of its own, hence no ASGI lifespan. gunicorn's error and access lines go through
    the bot's logging set-up (handlers/logs.py), in its format."""
    return {
        "logconfig_dict": logs.config_dict(level=log_level, fmt=log_format),
        "loglevel": log_level.lower(),
        "access_log_format": logs.ACCESS_LOG_FORMAT,
        "bind": f"{host}:{port}",
        "workers": workers,
        "worker_class": Worker,
        "asgi_loop": "asyncio",
        "asgi_lifespan": "off",
        "timeout": 30,
        # gunicorn kills a worker still running this long after the signal: within the 10 s of a stop.
        "graceful_timeout": int(stopping.STOP_WITHIN_S) - 1,
        # No control socket: gunicorn's default ($XDG_RUNTIME_DIR/gunicorn.ctl, else
        # ~/.gunicorn/gunicorn.ctl) is one path for every `serve` of a user, so a second one took it
        # over and stopping either removed it for both. Nothing here uses gunicornc.
        "control_socket_disable": True,
        "accesslog": "-",
        "preload_app": False,
    }


def serve(settings: Settings, *, host: str, port: int, workers: int, read_timeout_s: float = READ_TIMEOUT_S) -> int:
    Server(
        server_options(
            host=host, port=port, workers=workers, log_level=settings.log_level, log_format=settings.log_format
        ),
        functools.partial(_bot_app, settings),
        read_timeout_s=read_timeout_s,
    ).run()
    return 0
