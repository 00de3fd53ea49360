"""What every listener and job shares: settings, the store, the clock, the policy, the team, the notifier."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from bot.core.clock import Clock, SystemClock
from bot.core.config import Settings
from bot.matters.policy import MatterPolicy
from bot.outbox.delivery import Delivery, deliver_due
from bot.outbox.draining import Drain
from bot.outbox.notifier import Notifier
from bot.reminders.policy import SlaPolicy
from bot.team import TeamDirectory
from storage.db import make_read_session_factory, make_session_factory

if TYPE_CHECKING:
    from bot.digest.service import Digest


@dataclass
class BotContext:
    """Complete once made: make_context derives from the settings and the engine whatever is not given."""

    settings: Settings
    engine: Engine
    session_factory: sessionmaker[Session]
    # For reading only (bot/home/service.py, the lists and details).
    read_session_factory: sessionmaker[Session]
    notifier: Notifier
    clock: Clock
    policy: SlaPolicy
    # The complaints team (members of the triage channel): who may see what, and who is a person.
    team: TeamDirectory
    # Last week's digest as the team's App Home shows it, counted at most every few minutes
    # (bot/home/service.py), by (week, whether it shows names).
    home_digest: dict[tuple[str, bool], Digest] = field(default_factory=dict, repr=False)
    # Stopped when the process stops (handlers/stopping.py): nothing more is claimed for sending.
    drain: Drain = field(default_factory=Drain, repr=False)

    @property
    def tz(self) -> ZoneInfo:
        return self.settings.tz

    @property
    def matter_policy(self) -> MatterPolicy:
        """The client-care policy of matters, on the firm's clock, calendar and reminder hour."""
        return MatterPolicy(firm=self.policy)

    def today(self) -> date:
        """Today's date in the firm's time zone."""
        return self.clock.now().astimezone(self.tz).date()

    def deliver(self, keys: Sequence[str] | None = None) -> list[Delivery]:
        """Send recorded messages now; whatever fails is left for the sweep to retry."""
        if keys is not None and not keys:
            return []
        return deliver_due(
            session_factory=self.session_factory, notifier=self.notifier, clock=self.clock, keys=keys, drain=self.drain
        )


def make_context(
    *,
    settings: Settings,
    engine: Engine,
    notifier: Notifier,
    team: TeamDirectory,
    clock: Clock | None = None,
    session_factory: sessionmaker[Session] | None = None,
    policy: SlaPolicy | None = None,
) -> BotContext:
    """A complete context: the sessions made from the engine, the policy the settings describe and
    the system clock, unless given."""
    return BotContext(
        settings=settings,
        engine=engine,
        session_factory=make_session_factory(engine) if session_factory is None else session_factory,
        read_session_factory=make_read_session_factory(engine),
        notifier=notifier,
        clock=SystemClock() if clock is None else clock,
        policy=settings.policy() if policy is None else policy,
        team=team,
    )
