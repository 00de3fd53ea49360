"""What the matters service takes: a new matter (plain values, already checked:
handlers/modals/matter.py reads them from the modal), what a **Log disclosure** button names, and
a client update, a snooze or a dormancy (handlers/modals/matter_care.py reads those)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.core.errors import UserError
from bot.core.vocabulary import MATTER_CADENCE_DAYS, ClientMood, DisclosureKind, UpdateVia


@dataclass(frozen=True)
class NewMatter:
    matter_ref: str
    client_name: str
    responsible_id: str
    area: str
    opened_on: date
    supervisor_id: str | None = None
    update_cadence_days: int = MATTER_CADENCE_DAYS
    next_key_date: date | None = None
    next_key_date_what: str | None = None


@dataclass(frozen=True)
class DisclosureToLog:
    """A matter's **Log disclosure** button: the disclosure modal prefilled with the matter, its
    client and this kind. Its value is `M-1001|costs_revised`."""

    matter_ref: str
    kind: DisclosureKind

    @property
    def value(self) -> str:
        return f"{self.matter_ref}|{self.kind.value}"

    @classmethod
    def parse(cls, value: str | None) -> DisclosureToLog:
        """The button's value read back; UserError with a sentence for any other (stale, forged)."""
        matter_ref, sep, kind_text = (value or "").partition("|")
        if not sep or not matter_ref.strip():
            raise UserError("This button names no matter; use `/disclosure new` to log the disclosure.")
        kind = DisclosureKind.parse(kind_text.strip())
        if kind is None:
            raise UserError(f"“{kind_text.strip()}” is not a kind of disclosure; use `/disclosure new` to log it.")
        return cls(matter_ref.strip(), kind)


@dataclass(frozen=True)
class ClientUpdateToLog:
    """A client update on a matter: when, how, what the client was told, the next step, and how
    the client seemed."""

    on: date
    via: UpdateVia
    told: str
    mood: ClientMood
    next_step: str | None = None


@dataclass(frozen=True)
class HeldUntil:
    """The check-in held back until a date, with the reason: a snooze, or the matter dormant."""

    until: date
    reason: str
