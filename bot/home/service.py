"""App Home: what one person owes, and for the complaints team, the firm's picture now."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from bot import access
from bot.core.context import BotContext
from bot.core.vocabulary import Severity
from bot.digest import service as digest
from bot.home import messages
from bot.matters.risk import own_matters
from bot.rulebooks import holding
from storage import reports


@dataclass(frozen=True)
class TeamPicture:
    open: int
    awaiting_triage: int
    triage_overdue: int
    updates_overdue: int
    by_severity: list[tuple[str, int]]
    final_due_total: int
    final_due: list[tuple[str, date, str | None]]
    disclosures_awaiting: int


def team_picture(session: Session, *, now: datetime, today: date) -> TeamPicture:
    counts = reports.open_by_status_and_severity(session)
    by_status: dict[str, int] = {}
    severity: dict[str | None, int] = {}
    for (status, sev), n in counts.items():
        by_status[status] = by_status.get(status, 0) + n
        severity[sev] = severity.get(sev, 0) + n
    final_total, final_rows = reports.final_responses_due(session, today, today + timedelta(days=6), limit=5)
    return TeamPicture(
        open=sum(by_status.values()),
        awaiting_triage=by_status.get("new", 0),
        triage_overdue=reports.triage_overdue(session, now),
        updates_overdue=reports.updates_overdue(session, now),
        by_severity=[(s.label, severity[s.value]) for s in Severity if severity.get(s.value)],
        final_due_total=final_total,
        final_due=[(r.reference, r.final_response_due_on, r.handler_id) for r in final_rows],
        disclosures_awaiting=reports.disclosures_awaiting(session),
    )


# The team's Home shows last week's digest. Counting it reads the whole store's week (0.7 s at 1M
# complaints), so it is counted once per process every few minutes, not at every opening; it says
# the time it was counted ("as of"), and the counts that move by the minute sit above it, fresh.
DIGEST_FRESH_FOR = timedelta(minutes=5)


def _last_week(ctx: BotContext, session: Session, now: datetime) -> digest.Digest:
    key = (digest.last_full_week(now, ctx.tz).label, ctx.settings.digest_show_names)
    cached = ctx.home_digest.get(key)
    if cached is not None and timedelta(0) <= now - cached.as_of < DIGEST_FRESH_FOR:
        return cached
    # Without the matters at risk: rating every open matter is the weekly digest's cost, not one for
    # every few minutes; the team's `/matter list` ranks them by risk.
    week = digest.last_full_week(now, ctx.tz)
    counted = digest.compute_for(ctx, session, week, now=now, show_names=key[1], with_matters=False)
    ctx.home_digest.clear()  # one week at a time
    ctx.home_digest[key] = counted
    return counted


def home_view(ctx: BotContext, user_id: str) -> dict[str, Any]:
    """`user_id`'s Home: the open complaints they handle, the disclosures they logged and the open
    matters they are responsible for or supervise (all theirs to see), and for the team only, the
    open complaints of vulnerable clients and the firm's counts. Whether they are in the team is
    bot.access's answer, never the caller's."""
    who = access.viewer(ctx, user_id)
    now = ctx.clock.now()
    with ctx.read_session_factory() as session:
        mine = reports.open_for_handler(session, user_id)
        overdue = reports.updates_overdue(session, now, handler_id=user_id)
        awaiting = reports.awaiting_acknowledgement(session, user_id)
        # Their own open matters, rated whole: a caseload, not the firm's (bot/matters/risk.py).
        matters = own_matters(
            session, user_id=user_id, settings=ctx.settings, policy=ctx.matter_policy, today=ctx.today()
        )
        team = week = vulnerable = None
        if who.team:
            # The team sees every open complaint of a vulnerable client, whoever handles it.
            vulnerable = reports.open_of_vulnerable_clients(session)
            team = team_picture(session, now=now, today=ctx.today())
            week = _last_week(ctx, session, now)
        return messages.home_view(
            user_id=user_id,
            mine=mine,
            vulnerable=vulnerable,
            overdue=overdue,
            awaiting=awaiting,
            matters=matters,
            team=team,
            week=week,
            tz=ctx.tz,
            now=now,
            deadline_basis=holding.counting_basis(ctx.settings.rulebook, ctx.policy),
            triage_basis=ctx.policy.triage_basis,
        )
