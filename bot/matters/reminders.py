"""What the sweep records for matters whose next reminder time has passed: each nudge the client-care
policy (bot/matters/policy.py) finds due, as an outbox row under its dedupe key, and when to look
at the matter again. The facts of a batch are read in two queries whatever its size.

Who is told: the responsible lawyer, by DM, of the checklist, a check-in and the costs; the
supervising partner of a check-in a whole cadence overdue, or the complaints team (the triage
channel) where the matter has none.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from bot.matters import messages
from bot.matters.facts import facts_of_many
from bot.matters.policy import MatterFacts, MatterReminder, MatterReminderKind
from storage.models import Matter
from storage.outbox import OutboxRow

if TYPE_CHECKING:
    from bot.core.context import BotContext


def matter_messages(
    ctx: BotContext, session: Session, matters: Sequence[Matter], now: datetime
) -> list[tuple[list[OutboxRow], datetime | None]]:
    """For each of `matters`, in order: the rows due at `now` and when next to look (None: not
    until its facts change). A matter not set up, or closed, is owed nothing."""
    facts = facts_of_many(session, matters, settings=ctx.settings)
    policy = ctx.matter_policy
    out: list[tuple[list[OutboxRow], datetime | None]] = []
    for m in matters:
        f = facts.get(m.id)
        if f is None:
            out.append(([], None))
            continue
        rows = [row for r in policy.due(f, now) if (row := _row(ctx, m, f, r, now)) is not None]
        out.append((rows, policy.next_due_at(f, now)))
    return out


def _row(ctx: BotContext, m: Matter, f: MatterFacts, r: MatterReminder, now: datetime) -> OutboxRow | None:
    policy = ctx.matter_policy
    if r.kind == MatterReminderKind.CHECK_IN_OVERDUE:
        channel = m.supervisor_id or ctx.settings.triage_channel
        snoozed = m.snoozed_until if m.snoozed_until is not None and m.snoozed_until > now else None
        text, body = messages.check_in_overdue(
            m,
            r,
            today=policy.firm.local_date(now),
            to_team=m.supervisor_id is None,
            snoozed_until=policy.firm.local_date(snoozed) if snoozed is not None else None,
        )
    else:
        channel = m.responsible_id
        if r.kind == MatterReminderKind.CHECKLIST_MISSING:
            text, body = messages.checklist_nudge(m, r)
        elif r.kind == MatterReminderKind.CHECK_IN_DUE:
            assert r.update_due_on is not None
            overdue_on = policy.firm.local_date(policy.overdue_morning(r.update_due_on, m.update_cadence_days))
            counts_from = policy.update_counts_from(f)
            text, body = messages.check_in_nudge(m, r, overdue_on=overdue_on, counts_from=counts_from)
        else:
            text, body = messages.costs_nudge(m, r, currency=ctx.settings.currency)
    if channel is None:
        return None
    return dict(dedupe_key=r.key, kind=r.kind.value, channel=channel, text=text, blocks=body, matter_id=m.id)
