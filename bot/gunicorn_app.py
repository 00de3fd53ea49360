"""`complaint-bot serve`: the WSGI app on gunicorn, one context and sweep scheduler per worker."""

from __future__ import annotations

import functools
from typing import Any, Callable

from gunicorn.app.base import BaseApplication

from bot.config import Settings


class Server(BaseApplication):
    """gunicorn run from code: `options` are its settings; `make_app` builds the WSGI app in each
    worker, after the fork (engines and threads must not cross a fork)."""

    def __init__(self, options: dict, make_app: Callable[[], Any]):
        self.options = options
        self.make_app = make_app
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        return self.make_app()


def _bot_app(settings: Settings):
    from bot.app import create_app
    from bot.runtime import build_context
    from bot.scheduler import start_scheduler
    from bot.server import WsgiApp

    ctx = build_context(settings)
    app, _ = create_app(ctx)
    start_scheduler(ctx)
    return WsgiApp(app, ctx)


def server_options(*, host: str, port: int, workers: int) -> dict:
    """gunicorn's settings for `serve`; bench/_bare_app.py serves its bare app with the same ones."""
    return {
        "bind": f"{host}:{port}",
        "workers": workers,
        "worker_class": "gthread",
        "threads": 8,
        "timeout": 30,
        "graceful_timeout": 10,
        "accesslog": "-",
        "preload_app": False,
    }


def serve(settings: Settings, *, host: str, port: int, workers: int) -> int:
    Server(server_options(host=host, port=port, workers=workers), functools.partial(_bot_app, settings)).run()
    return 0
