"""Sending recorded messages: claim, send, mark sent; a failure is retried later with backoff."""

from __future__ import annotations

import functools
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from bot.core.clock import Clock
from bot.core.vocabulary import EventKind
from bot.outbox.draining import Drain
from bot.outbox.notifier import Notifier, Posted, SendFailed
from bot.reminders.policy import ESCALATIONS
from storage import events as events_store
from storage import outbox as outbox_store
from storage.outbox import Claimed

log = logging.getLogger(__name__)

# How long a claimed message stays reserved for the process sending it: short enough that a
# message claimed by a process that died goes out on a later sweep. A send never starts unless
# it can finish (SEND_TIMEOUT, the Web API client's timeout) before the claim runs out, so a claim
# cannot expire under a send in progress and let another process send the same message.
LEASE = timedelta(minutes=2)
SEND_TIMEOUT = timedelta(seconds=15)
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
    delay: timedelta = min(FIRST_RETRY * (2 ** min(max(attempts - 1, 0), 16)), MAX_RETRY)  # 2**16 × 30 s: past the cap
    if retry_after:
        delay = max(delay, timedelta(seconds=retry_after))
    return delay


CLAIM_BATCH = 20


def deliver_due(
    *,
    session_factory: sessionmaker[Session],
    notifier: Notifier,
    clock: Clock,
    keys: Sequence[str] | None = None,
    limit: int = 200,
    drain: Drain | None = None,
) -> list[Delivery]:
    """Send every recorded message that is due (or just those under `keys`), each at most once.

    Messages are claimed a few at a time (one UPDATE … RETURNING) and each is marked sent in its
    own transaction straight after its send: a crash re-sends at most nothing that was marked,
    and a claim never has to outlive more than a handful of sends. Once `drain` is stopping, nothing
    more is claimed and what this call claimed but has not sent is handed back at once.
    """
    drain = drain or Drain()
    if drain.stopping:
        return []
    with session_factory() as session:
        due = outbox_store.due_notification_ids(session, now=clock.now(), keys=keys, limit=limit)
    deliveries: list[Delivery] = []
    for start in range(0, len(due), CLAIM_BATCH):
        if drain.stopping:
            return deliveries
        now = clock.now()
        lease_until = now + LEASE
        with session_factory.begin() as session:
            claimed = outbox_store.claim_notifications(
                session, due[start : start + CLAIM_BATCH], now=now, lease_until=lease_until
            )
        drain.track(
            [m.id for m in claimed],
            functools.partial(_release, session_factory=session_factory, lease_until=lease_until),
        )
        try:
            for i, n in enumerate(claimed):
                # A file goes up in three Web API calls, each with its own timeout.
                budget = SEND_TIMEOUT * (3 if n.file_content is not None or n.file_path is not None else 1)
                if clock.now() + budget > lease_until:
                    # Slack is slow today: hand the rest back rather than risk outliving the claim.
                    _release([m.id for m in claimed[i:]], session_factory, lease_until=lease_until)
                    return deliveries
                if not drain.begin_send(n.id):  # the process is stopping
                    drain.hand_back()
                    return deliveries
                try:
                    deliveries.append(_send(session_factory, notifier, clock, n))
                finally:
                    drain.end_send()
        finally:
            drain.untrack([m.id for m in claimed])
    return deliveries


def _release(ids: Sequence[int], session_factory: sessionmaker[Session], *, lease_until: datetime) -> None:
    with session_factory.begin() as session:
        outbox_store.release_claims(session, ids, lease_until=lease_until)


def _send(session_factory: sessionmaker[Session], notifier: Notifier, clock: Clock, n: Claimed) -> Delivery:
    try:
        if n.update_of:
            with session_factory() as session:
                where = outbox_store.message_location(session, n.update_of)
                gone = where is None and outbox_store.was_abandoned(session, n.update_of)
            if gone:
                raise SendFailed("the message to update was never sent and will not be", permanent=True)
            if where is None:
                raise SendFailed("the message to update has not been sent yet")
            posted = notifier.update(channel=where[0], ts=where[1], text=n.text, blocks=n.blocks)
        elif n.file_content is not None:
            posted = notifier.upload(
                channel=n.channel,
                filename=n.file_name or "file",
                title=n.file_title or n.text,
                alt_text=n.text,
                content=n.file_content,
            )
        elif n.file_path is not None:
            posted = _share_file(notifier, n)
        else:
            posted = notifier.post(channel=n.channel, text=n.text, blocks=n.blocks)
    except SendFailed as failure:
        if failure.permanent:
            log.error("Gave up sending %s: %s", n.dedupe_key, failure.reason)
            retry_at = None
        else:
            log.warning("Sending %s failed (attempt %d): %s", n.dedupe_key, n.attempts, failure.reason)
            retry_at = clock.now() + retry_delay(n.attempts, failure.retry_after)
        with session_factory.begin() as session:
            outbox_store.mark_failed(session, n.id, error=failure.reason, retry_at=retry_at, now=clock.now())
        if retry_at is None:
            _remove_file(n)
        return Delivery(n.dedupe_key, n.kind, n.channel, sent=False, error=failure.reason)

    sent_at = clock.now()
    with session_factory.begin() as session:
        outbox_store.mark_sent(session, n.id, now=sent_at, channel=posted.channel, ts=posted.ts)
        if n.complaint_id is not None or n.disclosure_id is not None:
            events_store.add_event(
                session,
                complaint_id=n.complaint_id,
                disclosure_id=n.disclosure_id,
                kind=EventKind.ESCALATED if n.kind in ESCALATIONS else EventKind.NOTIFICATION_SENT,
                actor=BOT_ACTOR,
                at=sent_at,
                data={"kind": n.kind, "to": n.channel, "key": n.dedupe_key},
            )
    _remove_file(n)
    return Delivery(n.dedupe_key, n.kind, n.channel, sent=True)


def file_lost(file_name: str) -> str:
    """What the person is told when a file waiting to be shared is no longer on the server."""
    return (
        f":warning: {file_name} could not be shared: the file was no longer on the server (it is kept "
        "only until it is sent, and the bot was moved or restarted before then). Nothing was shared; "
        "please ask for it again."
    )


def _share_file(notifier: Notifier, n: Claimed) -> Posted:
    """A file kept on the server until sent (outbox rows whose file is too large for the row). If it
    is gone, the person is told so in its place and the message is given up: no retry brings it back."""
    assert n.file_path is not None
    name = n.file_name or "file"
    if not Path(n.file_path).is_file():
        notifier.post(channel=n.channel, text=file_lost(name), blocks=None)
        raise SendFailed("the file to share was no longer on the server", permanent=True)
    return notifier.share_file(
        channel=n.channel, path=n.file_path, filename=name, title=n.file_title or name, comment=n.text
    )


def _remove_file(n: Claimed) -> None:
    """A file kept for sending is removed once it has gone out or been given up."""
    if n.file_path is not None:
        Path(n.file_path).unlink(missing_ok=True)
