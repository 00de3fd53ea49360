"""Test doubles for the bot's own interfaces, and factories for test data."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from bot.core.clock import SystemClock
from bot.core.vocabulary import Category, ReceivedVia
from bot.outbox.notifier import Posted, SendFailed
from bot.team import TeamDirectory


@dataclass
class Sent:
    op: str
    channel: str
    text: str
    blocks: list[dict[str, Any]] | None
    ts: str
    file: dict[str, Any] | None = None  # for an upload: filename, title and content


@dataclass
class RecordingNotifier:
    """Keeps every message instead of sending it; can be told to fail the next sends."""

    sent: list[Sent] = field(default_factory=list)
    failures: list[SendFailed] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def fail_next(self, *failures: SendFailed) -> None:
        self.failures.extend(failures)

    def _send(
        self, op: str, channel: str, text: str, blocks, ts: str | None = None, file: dict | None = None
    ) -> Posted:
        with self._lock:
            if self.failures:
                raise self.failures.pop(0)
            ts = ts or f"1700000000.{len(self.sent) + 1:06d}"
            self.sent.append(Sent(op, channel, text, blocks, ts, file))
            return Posted(channel=channel, ts=ts)

    def post(self, *, channel, text, blocks) -> Posted:
        return self._send("post", channel, text, blocks)

    def update(self, *, channel, ts, text, blocks) -> Posted:
        return self._send("update", channel, text, blocks, ts)

    def upload(self, *, channel, filename, title, alt_text, content) -> Posted:
        return self._send(
            "upload",
            channel,
            alt_text,
            None,
            f"F{len(self.sent) + 1:08d}",
            {"filename": filename, "title": title, "content": content},
        )

    def share_file(self, *, channel, path, filename, title, comment) -> Posted:
        with open(path, "rb") as f:
            content = f.read()
        return self._send(
            "upload",
            channel,
            comment,
            None,
            f"F{len(self.sent) + 1:08d}",
            {"filename": filename, "title": title, "content": content},
        )

    def to(self, channel: str) -> list[Sent]:
        return [s for s in self.sent if s.channel == channel]


def intake_values(**overrides: str | None) -> dict[str, str | None]:
    """Values of a valid intake modal, as handlers.payload.view_values returns them."""
    values: dict[str, str | None] = {
        "client_name": "Jane Client",
        "matter_ref": "M-1001",
        "received_via": ReceivedVia.EMAIL.value,
        "received_on": date(2026, 11, 20).isoformat(),
        "problem_on": None,
        "aware_on": None,
        "category": Category.DELAY.value,
        "summary": "No reply to three emails about the completion date.",
        "client_request": "A date for completion and an apology.",
    }
    values.update(overrides)
    return values


def triage_values(**overrides: str | None) -> dict[str, str | None]:
    values: dict[str, str | None] = {
        "severity": "high",
        "handler": "UHANDLER1",
        "target_date": date(2026, 12, 18).isoformat(),
        "update_cadence_days": None,
        "note": "Client is upset; call first.",
    }
    values.update(overrides)
    return values


def no_team() -> TeamDirectory:
    """No complaints team to ask (no triage channel to read): nobody is a member, and any member id
    is taken for a person."""
    return TeamDirectory(lambda channel: [], None, SystemClock())
