"""The sweep: one function that, given the time, finds what is due from the stored facts and sends it.

Two phases. *Record*: for each complaint whose `next_reminder_at` has passed, ask the policy what
is due, record each message under its dedupe key (a key recorded before is skipped by the unique
constraint) and move `next_reminder_at` on, all in one transaction. *Deliver*: send every recorded,
unsent message whose attempt is due. A crash between the phases loses nothing: the next sweep
delivers what was recorded. Two sweeps at once record each key once.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime

from bot import blocks
from bot.context import BotContext
from bot.delivery import Delivery
from bot.policy import ComplaintFacts, Reminder
from storage import queries
from storage.models import Complaint

log = logging.getLogger(__name__)
BATCH = 500


@dataclass
class SweepReport:
    recorded: list[str] = field(default_factory=list)
    deliveries: list[Delivery] = field(default_factory=list)

    @property
    def sent(self) -> list[Delivery]:
        return [d for d in self.deliveries if d.sent]

    @property
    def failed(self) -> list[Delivery]:
        return [d for d in self.deliveries if not d.sent]


def sweep(ctx: BotContext) -> SweepReport:
    """Record what has fallen due, then send everything recorded and due."""
    report = SweepReport(recorded=record_due(ctx))
    while True:
        batch = ctx.deliver()
        report.deliveries += batch
        if not any(d.sent for d in batch):
            break
    if report.recorded or report.deliveries:
        log.info("Sweep: %d recorded, %d sent, %d failed", len(report.recorded), len(report.sent), len(report.failed))
    return report


def record_due(ctx: BotContext, now: datetime | None = None) -> list[str]:
    """Record every reminder due at `now`; returns the keys recorded by this call."""
    now = now or ctx.clock.now()
    recorded: list[str] = []
    while True:
        with ctx.session_factory.begin() as session:
            complaints = queries.complaints_to_review(session, now=now, limit=BATCH)
            rows = []
            for c in complaints:
                facts = ComplaintFacts.of(c)
                rows += [row for r in ctx.policy.due(facts, now) if (row := _message(ctx, c, r)) is not None]
                c.next_reminder_at = ctx.policy.next_check_at(facts, now)
            new = queries.record_notifications(session, rows, now=now)
            recorded += [r["dedupe_key"] for r in rows if r["dedupe_key"] in new]
        if len(complaints) < BATCH:
            return recorded


def _channel(ctx: BotContext, c: Complaint, reminder: Reminder) -> str | None:
    return ctx.settings.triage_channel if reminder.to_channel or not c.handler_id else c.handler_id


def _message(ctx: BotContext, c: Complaint, reminder: Reminder) -> dict | None:
    channel = _channel(ctx, c, reminder)
    if channel is None:
        return None
    text, body = blocks.reminder_message(reminder.kind, c, tz=ctx.tz, lead=ctx.settings.complaints_lead, days_left=reminder.days_left)
    return dict(dedupe_key=reminder.key, kind=reminder.kind.value, channel=channel, text=text, blocks=body, complaint_id=c.id)


def preview(ctx: BotContext) -> list[str]:
    """What a sweep now would send, as lines for a person. Reads only: records and sends nothing."""
    now = ctx.clock.now()
    lines: list[str] = []
    with ctx.session_factory() as session:
        for n in queries.due_notifications(session, now=now):
            retry = f" (retry {n.attempts + 1}; last error: {n.last_error})" if n.attempts else ""
            lines.append(f"{n.dedupe_key} → {n.channel}: {n.text}{retry}")
        offset = 0
        while True:
            complaints = queries.complaints_to_review(session, now=now, offset=offset, limit=BATCH, lock=False)
            for c in complaints:
                due = ctx.policy.due(ComplaintFacts.of(c), now)
                known = queries.recorded_keys(session, [r.key for r in due])
                for r in due:
                    message = _message(ctx, c, r)
                    if r.key not in known and message is not None:
                        lines.append(f"{r.key} → {message['channel']}: {message['text']}")
            if len(complaints) < BATCH:
                return lines
            offset += BATCH
