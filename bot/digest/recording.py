"""Recording the weekly digest for sending: the message and its chart as outbox rows under the
week's dedupe keys, once, for the sweep and the CLI. The outbox sends them."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from bot.digest import messages
from bot.digest import service as digest
from bot.digest.service import Week
from storage import outbox as outbox_store

if TYPE_CHECKING:
    from bot.core.context import BotContext


def notifications(ctx: BotContext, session: Session, week: Week, now: datetime, channel: str) -> list[dict[str, Any]]:
    """The digest of `week` as outbox rows: the message, and the chart when there is one to draw."""
    d = digest.compute_for(ctx, session, week, now=now, show_names=ctx.settings.digest_show_names)
    text, body = messages.digest_message(d, tz=ctx.tz)
    rows: list[dict[str, Any]] = [
        dict(dedupe_key=digest.digest_key(week), kind="digest", channel=channel, text=text, blocks=body)
    ]
    if d.has_chart:
        rows.append(
            dict(
                dedupe_key=digest.chart_key(week),
                kind="digest-chart",
                channel=channel,
                text=digest.chart_alt_text(d),
                file_name=f"complaints-{week.label}.png",
                file_title=f"Complaints per week to {week.label}",
                file_content=digest.render_chart(d),
            )
        )
    return rows


def record_due(ctx: BotContext, now: datetime) -> list[str]:
    """Record the digest the sweep posts now (digest.due_from_sweep), once; returns the new keys."""
    if ctx.settings.digest_channel is None:
        return []
    with ctx.session_factory() as session:
        week = digest.due_from_sweep(ctx, session, now)
    return [] if week is None else record(ctx, week, now)


def record(ctx: BotContext, week: Week, now: datetime) -> list[str]:
    """Record the digest of `week` for sending, unless it was recorded before; returns the new keys.

    Counting is skipped when the key is already there (the usual case: one indexed lookup per
    sweep). Two processes that both count insert under the same keys, so one of them wins.
    """
    channel = ctx.settings.digest_channel
    if channel is None:
        return []
    with ctx.session_factory() as session:
        if outbox_store.recorded_keys(session, [digest.digest_key(week)]):
            return []
        rows = notifications(ctx, session, week, now, channel)
    with ctx.session_factory.begin() as session:
        new = outbox_store.record_notifications(session, rows, now=now)
    return [r["dedupe_key"] for r in rows if r["dedupe_key"] in new]
