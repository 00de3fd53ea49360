"""Who is in the complaints team: the members of the triage channel, read from Slack and cached.

Membership is asked of Slack at most once per TTL, not on every request. If Slack cannot be
reached, the last answer stands; with no answer at all, nobody counts as a member (confidential
by default).
"""

from __future__ import annotations

import logging
import threading
from datetime import datetime, timedelta
from typing import Callable, Iterable

from bot.clock import Clock

log = logging.getLogger(__name__)
TTL = timedelta(minutes=5)


class TeamDirectory:
    def __init__(self, fetch: Callable[[str], Iterable[str]], channel: str | None, clock: Clock, ttl: timedelta = TTL):
        self._fetch = fetch
        self.channel = channel
        self._clock = clock
        self._ttl = ttl
        self._members: frozenset[str] | None = None
        self._fetched_at: datetime | None = None
        self._lock = threading.Lock()

    def members(self) -> frozenset[str]:
        if self.channel is None:
            return frozenset()
        with self._lock:
            now = self._clock.now()
            if self._fetched_at is None or now - self._fetched_at >= self._ttl:
                try:
                    self._members = frozenset(self._fetch(self.channel))
                except Exception as e:  # Slack down or the bot not in the channel: keep what we knew
                    log.warning("Could not read the members of %s: %s", self.channel, e)
                self._fetched_at = now
            return self._members or frozenset()

    def is_member(self, user_id: str | None) -> bool:
        return bool(user_id) and user_id in self.members()

    def forget(self) -> None:
        """Ask Slack again on the next question (someone joined or left the channel)."""
        with self._lock:
            self._fetched_at = None


def slack_channel_members(client) -> Callable[[str], list[str]]:
    """Read a channel's members through the Web API, following Slack's pagination."""
    def fetch(channel: str) -> list[str]:
        members: list[str] = []
        for page in client.conversations_members(channel=channel, limit=1000):
            members += page.get("members", [])
        return members
    return fetch
