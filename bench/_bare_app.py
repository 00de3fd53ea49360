"""The yardstick for bench/ack.py: a Bolt app that only acks, served exactly as `complaint-bot serve`.

    SLACK_BOT_TOKEN=… SLACK_SIGNING_SECRET=… SLACK_API_URL=… .venv/bin/python bench/_bare_app.py --port 3001

It listens for the very same commands, shortcuts, views, actions and events as the bot (it runs
the bot's own `handlers.listeners.register` against stand-in `Listeners` that put an ack-only
listener behind each name), verifies signatures the same way, and runs on gunicorn with the bot's own settings
(`bot.gunicorn_app.server_options`). What remains between the two is our code: the middleware,
the listeners and whatever they do before and after `ack()`.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from slack_bolt import Ack, App

from handlers.app import make_web_client


def ack_only(ack: Ack) -> None:
    ack()


def nothing() -> None:
    """Events are acked by Bolt before the listener runs; the bare app then does nothing."""


class AckOnlyListeners:
    """Same interface as `handlers.listening.Listeners`: every name the bot registers gets an ack-only listener."""

    def __init__(self, app: App):
        self.app = app

    def command(self, name: str, fn) -> None:
        self.app.command(name)(ack_only)

    def shortcut(self, callback_id: str, fn) -> None:
        self.app.shortcut(callback_id)(ack_only)

    def view(self, callback_id: str, fn, then=None) -> None:
        self.app.view(callback_id)(ack_only)

    def action(self, action_id: str, fn) -> None:
        self.app.action(action_id)(ack_only)

    def event(self, name: str, fn) -> None:
        self.app.event(name)(nothing)


def create_bare_app() -> App:
    from handlers.listeners import register

    token = os.environ["SLACK_BOT_TOKEN"]
    app = App(
        token=token,
        signing_secret=os.environ["SLACK_SIGNING_SECRET"],
        client=make_web_client(token, os.environ.get("SLACK_API_URL", "https://slack.com/api/")),
        token_verification_enabled=False,  # as the bot: no auth.test at start-up
        logger=logging.getLogger("slack_bolt"),
    )
    register(AckOnlyListeners(app))
    return app


def bare_wsgi():
    """The bare app behind the same WSGI adapter and health check path as the bot's."""
    from slack_bolt.adapter.wsgi import SlackRequestHandler

    from handlers.server import SLACK_PATH

    slack = SlackRequestHandler(create_bare_app(), path=SLACK_PATH)

    def wsgi(environ, start_response):
        if environ.get("PATH_INFO") == "/healthz":
            body = b'{"ok": true}'
            start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
            return [body]
        return slack(environ, start_response)

    return wsgi


def main() -> None:
    from handlers.gunicorn_app import Server, server_options

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()
    Server(server_options(host=args.host, port=args.port, workers=args.workers), bare_wsgi).run()


if __name__ == "__main__":
    main()
