"""Who is in the complaints team (the members of the triage channel), and who is a person at
all (an active human member of the workspace), read from Slack and cached.

Membership is asked of Slack at most once per TTL, not on every request. If Slack cannot be
reached, the last answer stands; with no answer at all, nobody counts as a member (confidential
by default), and nobody counts as a person a complaint can be handed to.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from bot.core.clock import Clock

if TYPE_CHECKING:
    from slack_sdk import WebClient

log = logging.getLogger(__name__)
TTL = timedelta(minutes=5)
# A person's member id; a channel (C…, G…, D…), a user group (S…) or a bot's id is none.
MEMBER_ID = re.compile(r"[UW][A-Z0-9]{2,20}")
# A user's record as users.info gives it.
UserRecord = dict[str, Any]


class PersonUnknown(Exception):
    """Slack could not say whether an id is a person (unreachable, or an unexpected answer)."""


class TeamDirectory:
    def __init__(
        self,
        fetch: Callable[[str], Iterable[str]],
        channel: str | None,
        clock: Clock,
        ttl: timedelta = TTL,
        *,
        lookup: Callable[[str], UserRecord | None] | None = None,
    ) -> None:
        self._fetch = fetch
        # users.info for one id: the user's record, or None if Slack knows no such user.
        self._lookup = lookup
        self._people: dict[str, tuple[bool, datetime]] = {}
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

    def is_person(self, user_id: str) -> bool:
        """Whether `user_id` is an active human member of the workspace: someone a complaint's
        details may be sent to by DM. Raises PersonUnknown if Slack cannot say."""
        if not MEMBER_ID.fullmatch(user_id or "") or user_id == "USLACKBOT":
            return False
        if self._lookup is None:
            return True  # no directory to ask (tests of the rules alone): the id's form is all there is
        now = self._clock.now()
        with self._lock:
            known = self._people.get(user_id)
            if known is not None and now - known[1] < self._ttl:
                return known[0]
        try:
            record = self._lookup(user_id)
        except Exception as e:
            log.warning("Could not look up member %s: %s", user_id, e.__class__.__name__)
            raise PersonUnknown(user_id) from None
        active = (
            record is not None
            and not any(record.get(k) for k in ("deleted", "is_bot", "is_app_user"))
            and record.get("id") == user_id
        )
        with self._lock:
            self._people[user_id] = (active, now)
        return active

    def forget(self) -> None:
        """Ask Slack again on the next question (someone joined or left the channel)."""
        with self._lock:
            self._fetched_at = None


def slack_team(client: WebClient, *, channel: str | None, clock: Clock) -> TeamDirectory:
    """The complaints team as Slack tells it: the members of `channel`, and users.info for who is a person."""
    return TeamDirectory(slack_channel_members(client), channel, clock, lookup=slack_user_lookup(client))


def slack_channel_members(client: WebClient) -> Callable[[str], list[str]]:
    """Read a channel's members through the Web API, following Slack's pagination."""

    def fetch(channel: str) -> list[str]:
        members: list[str] = []
        for page in client.conversations_members(channel=channel, limit=1000):
            members += page.get("members", [])
        return members

    return fetch


def slack_user_lookup(client: WebClient) -> Callable[[str], UserRecord | None]:
    """users.info through the Web API: the user's record, or None for an id Slack does not know."""
    from slack_sdk.errors import SlackApiError

    def lookup(user_id: str) -> UserRecord | None:
        try:
            user: UserRecord | None = client.users_info(user=user_id).get("user")
            return user
        except SlackApiError as e:
            if e.response.get("error") in ("user_not_found", "user_not_visible"):
                return None
            raise

    return lookup
