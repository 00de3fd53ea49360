"""The bot served as `complaint-bot serve` served it before its front: gunicorn's gthread worker,
8 threads, each thread reading its request itself. bench/slow_clients.py measures it with
`--worker gthread`, to compare.

    SLACK_BOT_TOKEN=… SLACK_SIGNING_SECRET=… TRIAGE_CHANNEL=… DATABASE_URL=… SLACK_API_URL=… \\
        .venv/bin/python bench/_gthread_bot.py --port 3001
"""

from __future__ import annotations

import argparse
import functools
import logging
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from gunicorn.app.base import BaseApplication

from bot.core.config import load_settings
from handlers.gunicorn_app import _bot_app, server_options
from storage.db import make_engine
from storage.migrate import upgrade


class GthreadServer(BaseApplication):
    def __init__(self, options: dict, make_app):
        self.options = options
        self.make_app = make_app
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        return self.make_app()  # the WSGI app itself: no front


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    settings = load_settings("http")
    engine = make_engine(settings.database_url)
    upgrade(engine)
    engine.dispose()
    options = {
        **server_options(host=args.host, port=args.port, workers=args.workers),
        "worker_class": "gthread",
        "threads": 8,
    }
    for key in ("asgi_loop", "asgi_lifespan"):
        options.pop(key, None)
    GthreadServer(options, functools.partial(_bot_app, settings)).run()


if __name__ == "__main__":
    main()
