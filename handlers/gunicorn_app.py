"""`complaint-bot serve`: the WSGI app on gunicorn behind the front, one context and sweep scheduler
per worker."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from gunicorn.app.base import BaseApplication

from bot.core.config import Settings
from handlers import logs
from handlers.front import READ_TIMEOUT_S, THREADS, Front


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
    start_scheduler(ctx)
    return WsgiApp(app, ctx)


def server_options(*, host: str, port: int, workers: int, log_level: str = "INFO", log_format: str = "text") -> dict:
    """gunicorn's settings for `serve`; bench/_bare_app.py serves its bare app with the same ones.

    The asyncio worker holds a connection in a coroutine until its request has arrived whole, so
    slow clients cost no thread (the front's pool has THREADS per worker). The front has no startup
    or shutdown of its own, hence no ASGI lifespan. gunicorn's error and access lines go through
    the bot's logging set-up (handlers/logs.py), in its format."""
    return {
        "logconfig_dict": logs.config_dict(level=log_level, fmt=log_format),
        "loglevel": log_level.lower(),
        "access_log_format": logs.ACCESS_LOG_FORMAT,
        "bind": f"{host}:{port}",
        "workers": workers,
        "worker_class": "asgi",
        "asgi_loop": "asyncio",
        "asgi_lifespan": "off",
        "timeout": 30,
        "graceful_timeout": 10,
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
