"""What the complaints service takes: a new complaint, a triage, a client update, a snooze, a holding
response, a resolution.
Plain values, already checked (handlers/modals/ reads them from the modals)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.complaints.details import ClientDetails
from bot.core.vocabulary import (
    AcknowledgedVia,
    Category,
    OmbudsmanPoint,
    Outcome,
    ReceivedVia,
    Severity,
    UpdateVia,
    WrittenVia,
)


@dataclass(frozen=True)
class NewComplaint:
    client_name: str
    received_via: ReceivedVia
    received_on: date
    category: Category
    summary: str
    matter_ref: str | None = None
    client_request: str | None = None
    source_message_url: str | None = None
    # The client's own dates, when known: an ombudsman's time limits can run from them.
    problem_on: date | None = None
    aware_on: date | None = None


@dataclass(frozen=True)
class AcknowledgementInput:
    sent_on: date
    via: AcknowledgedVia


@dataclass(frozen=True)
class TriageInput:
    severity: Severity
    handler_id: str
    target_date: date
    update_cadence_days: int
    note: str | None = None
    # The client's details as the triage modal holds them (None: the modal did not ask).
    details: ClientDetails | None = None


@dataclass(frozen=True)
class ClientUpdateInput:
    given_on: date
    via: UpdateVia
    told: str
    next_step: str | None = None


@dataclass(frozen=True)
class SnoozeInput:
    days: int
    reason: str


@dataclass(frozen=True)
class ResolutionInput:
    outcome: Outcome
    final_response_sent_on: date
    ombudsman_points: frozenset[OmbudsmanPoint]
    # One of ROOT_CAUSES' values (Settings.root_causes).
    root_cause: str
    remedy: str | None = None
    # Redress in whole minor units of the firm's CURRENCY; paid_on is given with a payment.
    redress_offered: int | None = None
    redress_paid: int | None = None
    redress_paid_on: date | None = None
    # False under a scheme with no ombudsman: then there were no points to give.
    ombudsman_points_asked: bool = True
    # Resolved by summary resolution (FCA DISP 1.5): the client gets the summary resolution
    # communication, with its own content, instead of a final response.
    summary_resolution: bool = False

    @property
    def ombudsman_rights_given(self) -> bool | None:
        """Whether the final response told the client all the ombudsman's points (None: no scheme,
        or a summary resolution with none ticked: there was no final response to tell them in)."""
        if not self.ombudsman_points_asked or (self.summary_resolution and not self.ombudsman_points):
            return None
        return self.ombudsman_points == frozenset(OmbudsmanPoint)


@dataclass(frozen=True)
class HoldingResponseInput:
    """The firm told the client it needs more time: why, when it expects to answer, when and how sent."""

    reason: str
    expected_on: date
    sent_on: date
    via: WrittenVia
