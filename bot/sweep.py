"""The sweep: one function that, given the time, finds what is due from the stored facts and sends it."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from bot.context import BotContext
from bot.delivery import Delivery

log = logging.getLogger(__name__)


@dataclass
class SweepReport:
    deliveries: list[Delivery] = field(default_factory=list)

    @property
    def sent(self) -> list[Delivery]:
        return [d for d in self.deliveries if d.sent]

    @property
    def failed(self) -> list[Delivery]:
        return [d for d in self.deliveries if not d.sent]


def sweep(ctx: BotContext) -> SweepReport:
    """Send every recorded message that is due, retrying earlier failures whose backoff has passed."""
    report = SweepReport(deliveries=ctx.deliver())
    if report.deliveries:
        log.info("Sweep: %d sent, %d failed", len(report.sent), len(report.failed))
    return report


def pending_preview(ctx: BotContext) -> list[str]:
    """What a sweep now would send, as lines for a person; sends and records nothing."""
    from storage.queries import due_notifications

    with ctx.session_factory() as session:
        return [f"{n.dedupe_key} → {n.channel}: {n.text}" for n in due_notifications(session, now=ctx.clock.now())]
