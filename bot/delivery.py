"""Sending recorded messages: claim, send, mark sent; a failure is retried later with backoff."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta
from typing import Sequence

from sqlalchemy.orm import Session, sessionmaker

from bot.clock import Clock
from bot.domain import EventKind
from bot.notifier import Notifier, SendFailed
from storage import queries
from storage.models import Event, Notification

log = logging.getLogger(__name__)

# How long a claimed message stays reserved for the process sending it. Longer than any send
# takes; short enough that a message claimed by a process that died goes out on a later sweep.
LEASE = timedelta(minutes=2)
FIRST_RETRY = timedelta(seconds=30)
MAX_RETRY = timedelta(minutes=30)
BOT_ACTOR = "bot"


@dataclass(frozen=True)
class Delivery:
    dedupe_key: str
    kind: str
    channel: str
    sent: bool
    error: str | None = None


def retry_delay(attempts: int, retry_after: float | None = None) -> timedelta:
    """Exponential backoff from 30 s up to 30 min; never sooner than Slack's Retry-After."""
    delay = min(FIRST_RETRY * (2 ** max(attempts - 1, 0)), MAX_RETRY)
    if retry_after:
        delay = max(delay, timedelta(seconds=retry_after))
    return delay


def deliver_due(
    *,
    session_factory: sessionmaker[Session],
    notifier: Notifier,
    clock: Clock,
    keys: Sequence[str] | None = None,
    limit: int = 200,
) -> list[Delivery]:
    """Send every recorded message that is due (or just those under `keys`), each at most once."""
    with session_factory() as session:
        due = queries.due_notification_ids(session, now=clock.now(), keys=keys, limit=limit)
    return [d for d in (_deliver_one(session_factory, notifier, clock, i) for i in due) if d is not None]


def _deliver_one(session_factory: sessionmaker[Session], notifier: Notifier, clock: Clock, notification_id: int) -> Delivery | None:
    now = clock.now()
    with session_factory.begin() as session:
        n = queries.claim_notification(session, notification_id, now=now, lease_until=now + LEASE)
        if n is None:
            return None
        session.expunge(n)
        target = queries.sent_message_of(session, n.update_of) if n.update_of else None
        target_where = (target.message_channel, target.message_ts) if target else None

    try:
        if n.update_of:
            if target_where is None:
                raise SendFailed("the message to update has not been sent yet")
            posted = notifier.update(channel=target_where[0], ts=target_where[1], text=n.text, blocks=n.blocks)
        else:
            posted = notifier.post(channel=n.channel, text=n.text, blocks=n.blocks)
    except SendFailed as failure:
        _mark_failed(session_factory, n, clock, failure)
        return Delivery(n.dedupe_key, n.kind, n.channel, sent=False, error=failure.reason)

    with session_factory.begin() as session:
        row = session.get(Notification, n.id)
        assert row is not None
        sent_at = clock.now()
        row.sent_at = sent_at
        row.claimed_until = None
        row.last_error = None
        row.message_channel = posted.channel
        row.message_ts = posted.ts
        if n.complaint_id is not None:
            session.add(
                Event(
                    complaint_id=n.complaint_id,
                    kind=EventKind.NOTIFICATION_SENT,
                    actor=BOT_ACTOR,
                    at=sent_at,
                    data={"kind": n.kind, "to": n.channel, "key": n.dedupe_key},
                )
            )
    return Delivery(n.dedupe_key, n.kind, n.channel, sent=True)


def _mark_failed(session_factory: sessionmaker[Session], n: Notification, clock: Clock, failure: SendFailed) -> None:
    log.warning("Sending %s failed (attempt %d): %s", n.dedupe_key, n.attempts, failure.reason)
    with session_factory.begin() as session:
        row = session.get(Notification, n.id)
        assert row is not None
        row.claimed_until = None
        row.last_error = failure.reason[:500]
        row.next_attempt_at = clock.now() + retry_delay(row.attempts, failure.retry_after)
