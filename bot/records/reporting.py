"""Asking for a return, from Slack or the command line: who may, what is recorded, where it goes.

Only the complaints team may ask (the figures are of the whole register). From Slack the return
goes to the asker's DM through the outbox: a message with the figures and the CSV as one file.
Either way the asking is an `exported` event, written with the outbox rows in one transaction: the
return is of no one complaint, so the event has neither a complaint nor a disclosure (as the
register's export has), and says who asked, which return, for which period and how many rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from bot import access
from bot.core.errors import UserError
from bot.core.vocabulary import EventKind
from bot.records import messages, returns
from bot.records.returns import Period, Report
from storage import events as events_store
from storage import outbox as outbox_store

if TYPE_CHECKING:
    from bot.core.context import BotContext

USAGE = (
    "Say which return: `/complaint report fca-return 2026H1` (the FCA complaints return for a half year) "
    "or `/complaint report summary 2026-01-01 2026-03-31` (a summary between two days)."
)


@dataclass(frozen=True)
class Asked:
    report: Report
    notification_keys: tuple[str, ...]


def period_of(kind: str, words: list[str]) -> Period:
    """The period as typed after `/complaint report <kind>`."""
    if kind == returns.FCA_RETURN:
        if len(words) != 1:
            raise UserError("Say which half year: `/complaint report fca-return 2026H1`.")
        return Period.half(words[0])
    return returns.parse_dates(words)


def build(ctx: BotContext, session: Session, kind: str, period: Period) -> Report:
    settings = ctx.settings
    if kind == returns.FCA_RETURN:
        return returns.fca_return(
            session, period=period, policy=ctx.policy, products=settings.product_groups, currency=settings.currency
        )
    return returns.summary(
        session,
        period=period,
        policy=ctx.policy,
        products=settings.product_groups,
        root_causes=settings.root_causes,
        currency=settings.currency,
    )


def record_exported(session: Session, report: Report, *, actor: str, at: datetime, to: str | None) -> None:
    """The `exported` event of a return: who, which, the period, the rows, and where it went."""
    events_store.add_event(
        session,
        kind=EventKind.EXPORTED,
        actor=actor,
        at=at,
        data={
            "what": report.kind,
            "from": report.period.first.isoformat(),
            "to": report.period.last.isoformat(),
            "rows": len(report.rows),
            "sent_to": to,
        },
    )


def ask_in_slack(ctx: BotContext, *, viewer: access.Viewer, words: list[str], request_id: str) -> Asked:
    """A return asked for with `/complaint report …`: built, recorded for the asker's DM (the
    figures, then the CSV as one file) with its `exported` event; the keys to deliver."""
    if not words or words[0].lower() not in returns.KINDS:
        raise UserError(USAGE)
    kind = words[0].lower()
    period = period_of(kind, words[1:])
    access.team_only(ctx, viewer, f"report {kind}", period.label)
    now = ctx.clock.now()
    with ctx.read_session_factory() as session:
        report = build(ctx, session, kind, period)
    # One request, one DM: the request's own id keeps a repeated delivery of it from sending twice.
    text, body = messages.report_message(report)
    key = f"report:{kind}:{period.label}:{viewer.user_id}:{request_id}"
    rows: list[dict[str, Any]] = [
        dict(dedupe_key=key, kind="report", channel=viewer.user_id, text=text, blocks=body),
        dict(
            dedupe_key=f"{key}:csv",
            kind="report-file",
            channel=viewer.user_id,
            text=f"{report.title}, as CSV",
            file_name=report.file_name,
            file_title=report.title,
            file_content=report.csv_bytes(),
        ),
    ]
    with ctx.session_factory.begin() as session:
        new = outbox_store.record_notifications(session, rows, now=now)
        if new:
            record_exported(session, report, actor=viewer.user_id, at=now, to=viewer.user_id)
    return Asked(report, tuple(r["dedupe_key"] for r in rows if r["dedupe_key"] in new))
