"""What every listener and job shares: settings, the store, the clock, the policy, the notifier."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from bot.core.clock import Clock, SystemClock
from bot.core.config import Settings
from bot.outbox.delivery import Delivery, deliver_due
from bot.outbox.notifier import Notifier
from bot.reminders.policy import SlaPolicy
from bot.team import TeamDirectory
from storage.db import make_read_session_factory


@dataclass
class BotContext:
    settings: Settings
    engine: Engine
    session_factory: sessionmaker[Session]
    notifier: Notifier
    clock: Clock = field(default_factory=SystemClock)
    policy: SlaPolicy | None = None  # by default, the one the settings describe
    # The complaints team (members of the triage channel); create_app makes one from its Web API client.
    team: TeamDirectory | None = None
    # For reading only (bot/home/service.py, the lists and details): made from the engine when not given.
    read_session_factory: sessionmaker[Session] | None = None
    # Last week's digest as the team's App Home shows it, counted at most every few minutes (bot/home/service.py).
    home_digest: dict = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        if self.policy is None:
            self.policy = self.settings.policy()
        if self.read_session_factory is None:
            self.read_session_factory = make_read_session_factory(self.engine)

    @property
    def tz(self) -> ZoneInfo:
        return self.settings.tz

    def today(self):
        """Today's date in the firm's time zone."""
        return self.clock.now().astimezone(self.tz).date()

    def deliver(self, keys: Sequence[str] | None = None) -> list[Delivery]:
        """Send recorded messages now; whatever fails is left for the sweep to retry."""
        if keys is not None and not keys:
            return []
        return deliver_due(session_factory=self.session_factory, notifier=self.notifier, clock=self.clock, keys=keys)
