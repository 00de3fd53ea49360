"""Helpers of the delivery and reminder tests: messages recorded by hand, a notifier as slow as a
bad day at Slack, and the services driven as the handlers drive them, each returning the keys it
recorded."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import select

from bot.complaints import service as complaints
from bot.core.clock import FrozenClock
from bot.outbox.delivery import deliver_due
from bot.outbox.notifier import Posted
from handlers.modals.client_update import parse_client_update
from handlers.modals.intake import parse_intake
from handlers.modals.snooze import parse_snooze
from handlers.modals.triage import parse_triage
from storage import outbox as outbox_store
from storage.models import Complaint, Notification
from tests.fakes import RecordingNotifier, intake_values, triage_values

SEND_TAKES = timedelta(seconds=50)


@dataclass
class SlowNotifier:
    """Records like RecordingNotifier, but each send takes `takes` of the injected clock's time."""

    clock: FrozenClock
    takes: timedelta = SEND_TAKES
    inner: RecordingNotifier = field(default_factory=RecordingNotifier)

    def post(self, *, channel, text, blocks) -> Posted:
        self.clock.advance(self.takes)
        return self.inner.post(channel=channel, text=text, blocks=blocks)

    def update(self, *, channel, ts, text, blocks) -> Posted:
        self.clock.advance(self.takes)
        return self.inner.update(channel=channel, ts=ts, text=text, blocks=blocks)

    def upload(self, *, channel, filename, title, alt_text, content) -> Posted:
        self.clock.advance(self.takes)
        return self.inner.upload(channel=channel, filename=filename, title=title, alt_text=alt_text, content=content)

    @property
    def texts(self) -> list[str]:
        return [s.text for s in self.inner.sent]


def record_plain(ctx, n: int) -> list[str]:
    """`n` messages to the triage channel, due now, recorded in this order; returns their texts."""
    rows = [
        dict(dedupe_key=f"plain:{i:03d}", kind="plain", channel="CTRIAGE01", text=f"message {i:03d}", blocks=None)
        for i in range(n)
    ]
    with ctx.session_factory.begin() as s:
        assert len(outbox_store.record_notifications(s, rows, now=ctx.clock.now())) == n
    return [r["text"] for r in rows]


def rows(ctx, **where) -> list[Notification]:
    with ctx.session_factory() as s:
        return list(s.execute(select(Notification).filter_by(**where).order_by(Notification.id)).scalars())


def row(ctx, **where) -> Notification:
    [only] = rows(ctx, **where)
    return only


def deliver(ctx, notifier=None):
    return deliver_due(session_factory=ctx.session_factory, notifier=notifier or ctx.notifier, clock=ctx.clock)


def log(ctx, deliver_now: bool = True, **overrides) -> str:
    data = parse_intake(intake_values(**overrides), today=ctx.today())
    logged = complaints.log_complaint(
        session_factory=ctx.session_factory,
        data=data,
        reporter_id="UREPORTER",
        now=ctx.clock.now(),
        settings=ctx.settings,
        policy=ctx.policy,
    )
    if deliver_now:
        ctx.deliver(logged.notification_keys)
    return logged.complaint.reference


def triage(ctx, ref, **overrides) -> tuple[str, ...]:
    """Triage without delivering: returns the keys of the messages it recorded."""
    data = parse_triage(triage_values(**overrides), today=ctx.today())
    return complaints.triage_complaint(
        session_factory=ctx.session_factory,
        reference=ref,
        data=data,
        actor="ULEAD",
        now=ctx.clock.now(),
        settings=ctx.settings,
        policy=ctx.policy,
    ).notification_keys


def client_update(ctx, ref):
    data = parse_client_update(
        {"update_date": ctx.today().isoformat(), "update_via": "phone", "told": "Completion is booked for Friday."},
        today=ctx.today(),
    )
    return complaints.log_client_update(
        session_factory=ctx.session_factory,
        reference=ref,
        data=data,
        actor="UHANDLER1",
        now=ctx.clock.now(),
        policy=ctx.policy,
    )


def snooze(ctx, ref, days: str = "3"):
    data = parse_snooze({"snooze_days": days, "reason": "Client abroad"})
    return complaints.snooze(
        session_factory=ctx.session_factory, reference=ref, data=data, actor="UHANDLER1", now=ctx.clock.now()
    )


def complaint_id(ctx, ref) -> int:
    with ctx.session_factory() as s:
        return s.execute(select(Complaint.id).where(Complaint.reference == ref)).scalar_one()
