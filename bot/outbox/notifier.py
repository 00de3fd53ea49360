"""The small interface through which the bot posts to Slack, and its Web API implementation.

Services and the sweep never import Slack: they record messages; delivery hands them to a
Notifier. Tests and the dry run use other Notifiers.
"""

from __future__ import annotations

import os
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.web import SlackResponse


@dataclass(frozen=True)
class Posted:
    channel: str
    ts: str


# Slack errors that no retry can cure: the message itself is wrong, or the message to edit is gone.
# Anything else (Slack down, rate limits, a channel the bot is not yet invited to, a revoked
# token) may be fixed on Slack's side or by an admin, so it is retried.
PERMANENT_ERRORS = frozenset(
    {
        "invalid_blocks",
        "invalid_blocks_format",
        "invalid_arguments",
        "msg_too_long",
        "no_text",
        "message_not_found",
        "cant_update_message",
        "edit_window_closed",
    }
)


class SendFailed(Exception):
    """A send that did not go through. `retry_after` is Slack's own hint in seconds, if it gave one;
    `permanent` means retrying would fail the same way."""

    def __init__(self, reason: str, *, retry_after: float | None = None, permanent: bool = False):
        super().__init__(reason)
        self.reason = reason
        self.retry_after = retry_after
        self.permanent = permanent


class Notifier(Protocol):
    def post(self, *, channel: str, text: str, blocks: list[dict[str, Any]] | None) -> Posted: ...

    def update(self, *, channel: str, ts: str, text: str, blocks: list[dict[str, Any]] | None) -> Posted: ...

    def upload(self, *, channel: str, filename: str, title: str, alt_text: str, content: bytes) -> Posted: ...

    def share_file(self, *, channel: str, path: str, filename: str, title: str, comment: str) -> Posted: ...


class SlackNotifier:
    def __init__(self, client: WebClient):
        self.client = client

    def post(self, *, channel: str, text: str, blocks: list[dict[str, Any]] | None) -> Posted:
        response = self._call(
            self.client.chat_postMessage, channel=channel, text=text, blocks=blocks, unfurl_links=False
        )
        return Posted(channel=response["channel"], ts=response["ts"])

    def update(self, *, channel: str, ts: str, text: str, blocks: list[dict[str, Any]] | None) -> Posted:
        response = self._call(self.client.chat_update, channel=channel, ts=ts, text=text, blocks=blocks)
        return Posted(channel=response["channel"], ts=response["ts"])

    def upload(self, *, channel: str, filename: str, title: str, alt_text: str, content: bytes) -> Posted:
        """Share a file in `channel` (Slack's three-step external upload); `ts` is then the file id.
        A file for a person goes to their DM with the bot (see _conversation)."""
        channel = self._conversation(channel)
        response = self._call(
            self.client.files_upload_v2,
            channel=channel,
            filename=filename,
            title=title,
            alt_txt=alt_text,
            content=content,
        )
        file = response.get("file") or (response.get("files") or [{}])[0]
        return Posted(channel=channel, ts=file.get("id", ""))

    def _conversation(self, channel: str) -> str:
        """The conversation a file for `channel` is shared in: a person's id (U…, W…) becomes their DM
        with the bot, which conversations.open names, for files.completeUploadExternal shares to a
        conversation, not to a user."""
        if channel[:1] in ("U", "W"):
            opened = self._call(self.client.conversations_open, users=channel)
            return str(opened["channel"]["id"])
        return channel

    def share_file(self, *, channel: str, path: str, filename: str, title: str, comment: str) -> Posted:
        """Share the file at `path` as one message, `comment` its text, in the three steps of
        files_upload_v2 (get an upload URL, send the bytes, complete the upload in the channel).
        Not files_upload_v2 itself: it reads the whole file into memory, and a register may be a
        large one; here the file is sent from disk a block at a time. A file for a person goes to their
        DM with the bot (see _conversation)."""
        channel = self._conversation(channel)
        size = os.path.getsize(path)
        started = self._call(self.client.files_getUploadURLExternal, filename=filename, length=size)
        self._send_file(str(started["upload_url"]), path, size)
        response = self._call(
            self.client.files_completeUploadExternal,
            files=[{"id": started["file_id"], "title": title}],
            channel_id=channel,
            initial_comment=comment,
        )
        file = (response.get("files") or [{}])[0]
        return Posted(channel=channel, ts=file.get("id", started["file_id"]))

    def _send_file(self, url: str, path: str, size: int) -> None:
        """POST the file to its upload URL from disk (http.client sends a file object in blocks)."""
        with open(path, "rb") as body:
            request = urllib.request.Request(
                url,
                data=body,
                method="POST",
                headers={"Content-Length": str(size), "Content-Type": "application/octet-stream"},
            )
            try:
                with urllib.request.urlopen(request, context=self.client.ssl, timeout=self.client.timeout) as answer:
                    answer.read()
            except urllib.error.HTTPError as e:
                hint = e.headers.get("Retry-After") if e.code == 429 else None
                retry_after = float(hint or 1) if e.code == 429 else None
                raise SendFailed(f"Slack answered {e.code} to the file's upload", retry_after=retry_after) from e
            except OSError as e:  # URLError and timeouts among them
                raise SendFailed(f"Slack could not be reached: {e}") from e

    @staticmethod
    def _call(method: Callable[..., SlackResponse], **kwargs: Any) -> SlackResponse:
        try:
            return method(**kwargs)
        except SlackApiError as e:
            status = e.response.status_code
            retry_after = None
            if status == 429:
                header = e.response.headers.get("Retry-After") or e.response.headers.get("retry-after")
                retry_after = float(header[0] if isinstance(header, list) else header or 1)
            error = e.response.data.get("error") if isinstance(e.response.data, dict) else None
            raise SendFailed(
                f"Slack answered {status}: {error or 'error'}",
                retry_after=retry_after,
                permanent=error in PERMANENT_ERRORS,
            ) from e
        except (SlackClientError, OSError) as e:
            raise SendFailed(f"Slack could not be reached: {e}") from e
