"""The small interface through which the bot posts to Slack, and its Web API implementation.

Services and the sweep never import Slack: they record messages; delivery hands them to a
Notifier. Tests and the dry run use other Notifiers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError


@dataclass(frozen=True)
class Posted:
    channel: str
    ts: str


class SendFailed(Exception):
    """A send that did not go through. `retry_after` is Slack's own hint in seconds, if it gave one."""

    def __init__(self, reason: str, *, retry_after: float | None = None):
        super().__init__(reason)
        self.reason = reason
        self.retry_after = retry_after


class Notifier(Protocol):
    def post(self, *, channel: str, text: str, blocks: list[dict[str, Any]] | None) -> Posted: ...

    def update(self, *, channel: str, ts: str, text: str, blocks: list[dict[str, Any]] | None) -> Posted: ...


class SlackNotifier:
    def __init__(self, client: WebClient):
        self.client = client

    def post(self, *, channel: str, text: str, blocks: list[dict[str, Any]] | None) -> Posted:
        response = self._call(self.client.chat_postMessage, channel=channel, text=text, blocks=blocks, unfurl_links=False)
        return Posted(channel=response["channel"], ts=response["ts"])

    def update(self, *, channel: str, ts: str, text: str, blocks: list[dict[str, Any]] | None) -> Posted:
        response = self._call(self.client.chat_update, channel=channel, ts=ts, text=text, blocks=blocks)
        return Posted(channel=response["channel"], ts=response["ts"])

    @staticmethod
    def _call(method, **kwargs):
        try:
            return method(**kwargs)
        except SlackApiError as e:
            status = e.response.status_code
            retry_after = None
            if status == 429:
                header = e.response.headers.get("Retry-After") or e.response.headers.get("retry-after")
                retry_after = float(header[0] if isinstance(header, list) else header or 1)
            error = e.response.data.get("error") if isinstance(e.response.data, dict) else None
            raise SendFailed(f"Slack answered {status}: {error or 'error'}", retry_after=retry_after) from e
        except (SlackClientError, OSError) as e:
            raise SendFailed(f"Slack could not be reached: {e}") from e
