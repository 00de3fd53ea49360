"""HTTP mode: a WSGI app with Slack's endpoint at /slack/events and a health check at /healthz."""

from __future__ import annotations

import json
import logging

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from sqlalchemy import text

from bot.context import BotContext

log = logging.getLogger(__name__)
SLACK_PATH = "/slack/events"


class WsgiApp:
    def __init__(self, app: App, ctx: BotContext):
        self.slack = SlackRequestHandler(app, path=SLACK_PATH)
        self.ctx = ctx

    def __call__(self, environ, start_response):
        if environ.get("PATH_INFO") == "/healthz":
            return self._health(start_response)
        return self.slack(environ, start_response)

    def _health(self, start_response):
        try:
            with self.ctx.engine.connect() as conn:
                conn.execute(text("SELECT 1"))
            status, body = "200 OK", {"ok": True, "database": "reachable"}
        except Exception as e:  # report, do not crash the probe
            log.warning("Health check: database unreachable: %s", e)
            status, body = "503 Service Unavailable", {"ok": False, "database": "unreachable"}
        payload = json.dumps(body).encode()
        start_response(status, [("Content-Type", "application/json"), ("Content-Length", str(len(payload)))])
        return [payload]
