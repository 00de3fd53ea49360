"""The SLA policy: given a complaint's facts, when each duty falls due. Pure: no Slack, no SQL."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta


@dataclass(frozen=True)
class SlaPolicy:
    triage_within: timedelta = timedelta(hours=24)
    # The acknowledgement tells the client when they will next hear from the firm.
    first_contact_days: int = 2
    final_response_weeks: int = 8

    def triage_due_at(self, logged_at: datetime) -> datetime:
        return logged_at + self.triage_within

    def first_contact_by(self, logged_on: date) -> date:
        return logged_on + timedelta(days=self.first_contact_days)

    def final_response_due_on(self, received_on: date) -> date:
        return received_on + timedelta(weeks=self.final_response_weeks)
