"""The sweep: one function that, given the time, finds what is due from the stored facts and sends it.

Two phases. *Record*: for each complaint, disclosure and matter whose `next_reminder_at` has
passed, ask its policy what is due, record each message under its dedupe key (a key recorded
before is skipped by the unique constraint) and move `next_reminder_at` on, all in one
transaction. *Deliver*: send every recorded,
unsent message whose attempt is due. A crash between the phases loses nothing: the next sweep
delivers what was recorded. Two sweeps at once record each key once.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from bot import access
from bot.core.context import BotContext
from bot.digest import recording as digest_recording
from bot.digest import service as digest
from bot.disclosures import service as disclosures
from bot.matters.reminders import matter_messages
from bot.outbox.delivery import Delivery
from bot.reminders import messages
from bot.reminders.policy import ComplaintFacts, DisclosureFacts, Reminder, ReminderKind
from bot.rulebooks import holding
from storage import outbox as outbox_store
from storage import reminders as reminders_store
from storage.models import Complaint, Disclosure, Matter
from storage.outbox import OutboxRow
from storage.reminders import Reviewed

log = logging.getLogger(__name__)
BATCH = 500

# What is due for one complaint, disclosure or matter: the rows to record, and when to look again.
Due = tuple[list[OutboxRow], datetime | None]
MessagesOf = Callable[[BotContext, Session, Reviewed, datetime], Due]
# The same for a batch of them, in order (matters read their facts for the whole batch at once).
BatchMessagesOf = Callable[[BotContext, Session, Sequence[Reviewed], datetime], list[Due]]


def each(messages_of: MessagesOf[Reviewed]) -> BatchMessagesOf[Reviewed]:
    """A batch's messages, asked of one row at a time."""

    def of_batch(ctx: BotContext, session: Session, items: Sequence[Reviewed], now: datetime) -> list[Due]:
        return [messages_of(ctx, session, item, now) for item in items]

    return of_batch


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
    """Record every reminder due at `now`, for complaints, disclosures and matters, and the weekly
    digest once its hour has passed; returns the new keys."""
    now = now or ctx.clock.now()
    # Who is in the team decides what each DM may say; ask Slack now (the answer is cached),
    # not while rows are locked.
    ctx.team.members()
    recorded: list[str] = []
    for model, messages_of in _REVIEWED:
        recorded += _record_batches(ctx, now, model, messages_of)
    try:
        recorded += digest_recording.record_due(ctx, now)
    except Exception:
        # Reminders must not wait on the digest: it is not recorded, so the next sweep tries again.
        log.exception("Preparing the weekly digest failed; the next sweep tries again")
    return recorded


def _record_batches(
    ctx: BotContext, now: datetime, model: type[Reviewed], messages_of: BatchMessagesOf[Reviewed]
) -> list[str]:
    """Review, in batches, the rows whose next reminder time has passed (see module docstring)."""
    recorded: list[str] = []
    while True:
        with ctx.session_factory.begin() as session:
            items = reminders_store.due_for_review(session, model, now=now, limit=BATCH)
            rows: list[OutboxRow] = []
            for item, (found, next_at) in zip(items, messages_of(ctx, session, items, now), strict=True):
                item.next_reminder_at = next_at
                rows += found
            new = outbox_store.record_notifications(session, rows, now=now)
            recorded += [r["dedupe_key"] for r in rows if r["dedupe_key"] in new]
        if len(items) < BATCH:
            return recorded


def _complaint_messages(
    ctx: BotContext, session: Session, c: Complaint, now: datetime
) -> tuple[list[OutboxRow], datetime | None]:
    facts = ComplaintFacts.of(c)
    rows = [row for r in ctx.policy.due(facts, now) if (row := _complaint_message(ctx, session, c, r, now)) is not None]
    return rows, ctx.policy.next_check_at(facts, now)


def _disclosure_messages(
    ctx: BotContext, session: Session, d: Disclosure, now: datetime
) -> tuple[list[OutboxRow], datetime | None]:
    facts = DisclosureFacts.of(d)
    rows = [_disclosure_message(ctx, session, d, r, now) for r in ctx.policy.disclosure_due(facts, now)]
    return rows, ctx.policy.disclosure_next_check_at(facts, now)


def _complaint_message(
    ctx: BotContext, session: Session, c: Complaint, reminder: Reminder, now: datetime
) -> OutboxRow | None:
    if reminder.to_reporter:
        channel: str | None = c.reporter_id
    elif reminder.to_channel or not c.handler_id:
        channel = ctx.settings.triage_channel
    else:
        channel = c.handler_id
    if channel is None:
        return None
    stale = None
    if reminder.kind == ReminderKind.UPDATE_DUE:
        stale = disclosures.stale_costs_on(
            session,
            c.matter_ref,
            viewer=access.reader_of(ctx, channel),
            today=ctx.policy.local_date(now),
            policy=ctx.policy,
        )
    text, body = messages.reminder_message(
        reminder.kind,
        c,
        tz=ctx.tz,
        lead=ctx.settings.complaints_lead,
        days_left=reminder.days_left,
        stale_costs_on=stale,
        deadline_basis=holding.final_response_basis(ctx.settings.rulebook, ctx.policy, c),
        ombudsman=ombudsman.name if (ombudsman := ctx.settings.rulebook.ombudsman) else None,
        first_contact_by=ctx.policy.first_contact_by(ctx.policy.local_date(c.logged_at)),
        triage_basis=ctx.policy.triage_basis,
    )
    return dict(
        dedupe_key=reminder.key, kind=reminder.kind.value, channel=channel, text=text, blocks=body, complaint_id=c.id
    )


def _disclosure_message(
    ctx: BotContext, session: Session, d: Disclosure, reminder: Reminder, now: datetime
) -> OutboxRow:
    stale = disclosures.stale_costs_on(
        session,
        d.matter_ref,
        viewer=access.reader_of(ctx, d.logged_by),
        today=ctx.policy.local_date(now),
        policy=ctx.policy,
    )
    text, body = messages.disclosure_chase(d, stale_costs_on=stale)
    return dict(
        dedupe_key=reminder.key,
        kind=reminder.kind.value,
        channel=d.logged_by,
        text=text,
        blocks=body,
        disclosure_id=d.id,
    )


def preview(ctx: BotContext) -> list[str]:
    """What a sweep now would send, as lines for a person. Reads only: records and sends nothing."""
    now = ctx.clock.now()
    lines: list[str] = []
    with ctx.session_factory() as session:
        for n in outbox_store.due_notifications(session, now=now):
            retry = f" (retry {n.attempts + 1}; last error: {n.last_error})" if n.attempts else ""
            lines.append(f"{n.dedupe_key} → {n.channel}: {n.text}{retry}")
        for model, messages_of in _REVIEWED:
            lines += _preview_due(ctx, session, now, model, messages_of)
        week = digest.due_from_sweep(ctx, session, now) if ctx.settings.digest_channel else None
        if week is not None and not outbox_store.recorded_keys(session, [digest.digest_key(week)]):
            lines.append(f"{digest.digest_key(week)} → {ctx.settings.digest_channel}: {digest.title(week)}")
        session.rollback()  # nothing read here is written back
    return lines


def _preview_due(
    ctx: BotContext, session: Session, now: datetime, model: type[Reviewed], messages_of: BatchMessagesOf[Reviewed]
) -> list[str]:
    """The lines `preview` shows for one kind of row: what is due and not yet recorded."""
    lines: list[str] = []
    offset = 0
    while True:
        items = reminders_store.due_for_review(session, model, now=now, offset=offset, limit=BATCH, lock=False)
        for rows, _ in messages_of(ctx, session, items, now):
            known = outbox_store.recorded_keys(session, [r["dedupe_key"] for r in rows], revivable=False)
            lines += [f"{r['dedupe_key']} → {r['channel']}: {r['text']}" for r in rows if r["dedupe_key"] not in known]
        if len(items) < BATCH:
            return lines
        offset += BATCH


# What the sweep reviews, in this order, each with what is due for a batch of it.
_REVIEWED: tuple[tuple[type[Any], BatchMessagesOf[Any]], ...] = (
    (Complaint, each(_complaint_messages)),
    (Disclosure, each(_disclosure_messages)),
    (Matter, matter_messages),
)
