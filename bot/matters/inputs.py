"""What the matters service takes: a new matter. Plain values, already checked
(handlers/modals/matter.py reads them from the modal)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.core.vocabulary import MATTER_CADENCE_DAYS


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
