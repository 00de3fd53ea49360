"""The vocabulary of complaints: enums with the labels people see. One place per list."""

from __future__ import annotations

from enum import StrEnum
from typing import Self, overload


class LabelledEnum(StrEnum):
    """A string enum whose members carry the label shown in Slack.

    A member is declared as `COSTS = ("costs", "Costs / billing")`: the value stored and sent in
    payloads, then the label people read.
    """

    _value_: str
    label: str

    # `Category("costs")` looks up the member whose value is "costs" (Enum's lookup, which never
    # calls __new__); only a member's declaration calls __new__, with its value and label.
    @overload
    def __new__(cls, value: str) -> Self: ...
    @overload
    def __new__(cls, value: str, label: str) -> Self: ...
    def __new__(cls, value: str, label: str | None = None) -> Self:
        if label is None:
            raise TypeError(f"{cls.__name__} member {value!r} is declared without a label")
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label
        return member

    @classmethod
    def options(cls) -> list[tuple[str, str]]:
        return [(m.value, m.label) for m in cls]

    @classmethod
    def parse(cls, value: object) -> Self | None:
        """The member whose value is `value`, or None for anything else (a stale or forged payload)."""
        if not isinstance(value, str):
            return None
        try:
            return cls(value)
        except ValueError:
            return None


class Category(LabelledEnum):
    """Complaint categories, after the Legal Ombudsman's most common ones."""

    COSTS = ("costs", "Costs / billing")
    DELAY = ("delay", "Delay")
    COMMUNICATION = ("communication", "Communication")
    ADVICE = ("advice", "Quality of advice")
    CONDUCT = ("conduct", "Conduct / service")
    CONFIDENTIALITY = ("confidentiality", "Confidentiality / data")
    OTHER = ("other", "Other")


class ReceivedVia(LabelledEnum):
    EMAIL = ("email", "Email")
    PHONE = ("phone", "Phone")
    LETTER = ("letter", "Letter")
    IN_PERSON = ("in_person", "In person")
    OTHER = ("other", "Other")


class Severity(LabelledEnum):
    CRITICAL = ("critical", "Critical")
    HIGH = ("high", "High")
    MEDIUM = ("medium", "Medium")
    LOW = ("low", "Low")


# Days between client updates when triage does not say otherwise.
DEFAULT_CADENCE_DAYS: dict[Severity, int] = {
    Severity.CRITICAL: 2,
    Severity.HIGH: 5,
    Severity.MEDIUM: 7,
    Severity.LOW: 14,
}


class MatterStatus(LabelledEnum):
    OPEN = ("open", "Open")
    CLOSED = ("closed", "Closed")


class Status(LabelledEnum):
    NEW = ("new", "Awaiting triage")
    TRIAGED = ("triaged", "In hand")
    RESOLVED = ("resolved", "Resolved")


class UpdateVia(LabelledEnum):
    EMAIL = ("email", "Email")
    PHONE = ("phone", "Phone")
    LETTER = ("letter", "Letter")
    MEETING = ("meeting", "Meeting")


# A complaint voiced at a client update was received the way the update was given.
RECEIVED_VIA_OF_UPDATE: dict[UpdateVia, ReceivedVia] = {
    UpdateVia.EMAIL: ReceivedVia.EMAIL,
    UpdateVia.PHONE: ReceivedVia.PHONE,
    UpdateVia.LETTER: ReceivedVia.LETTER,
    UpdateVia.MEETING: ReceivedVia.IN_PERSON,
}


class AcknowledgedVia(LabelledEnum):
    """How the acknowledgement reached the client."""

    EMAIL = ("email", "Email")
    LETTER = ("letter", "Letter")
    PHONE = ("phone", "Phone")
    IN_PERSON = ("in_person", "In person")

    @property
    def phrase(self) -> str:
        """As a sentence says it: "sent by email", "sent in person"."""
        return "in person" if self is AcknowledgedVia.IN_PERSON else f"by {self.label.lower()}"


class Outcome(LabelledEnum):
    UPHELD = ("upheld", "Upheld")
    PARTLY_UPHELD = ("partly_upheld", "Partly upheld")
    NOT_UPHELD = ("not_upheld", "Not upheld")
    WITHDRAWN = ("withdrawn", "Withdrawn by the client")


class OmbudsmanDecision(LabelledEnum):
    """What the ombudsman decided on a complaint the client referred to it."""

    UPHELD = ("upheld", "Upheld")
    PARTLY_UPHELD = ("partly_upheld", "Partly upheld")
    NOT_UPHELD = ("not_upheld", "Not upheld")
    SETTLED = ("settled", "Settled")


class OmbudsmanPoint(LabelledEnum):
    """What a final response must say for the ombudsman's 6-month limit to bind (Scheme Rules 4.5)."""

    AVAILABLE = ("available", "Told the client the ombudsman is available to them")
    CONTACT = ("contact", "Gave the ombudsman's full contact details")
    SIX_MONTHS = ("six_months", "Warned that they must refer within 6 months")


class WrittenVia(LabelledEnum):
    """How a letter to the client went: a holding response must be in writing."""

    EMAIL = ("email", "Email")
    LETTER = ("letter", "Letter")
    PORTAL = ("portal", "Client portal")


SNOOZE_DAYS = (1, 3)


class DisclosureKind(LabelledEnum):
    """What a firm tells a client to prevent complaints: scope, costs, risk, time, limits."""

    ENGAGEMENT = ("engagement", "Engagement and scope")
    COSTS_ESTIMATE = ("costs_estimate", "Costs estimate")
    COSTS_REVISED = ("costs_revised", "Costs estimate revised")
    RISK = ("risk", "Risk of outcome")
    TIMELINE = ("timeline", "Timeline")
    LIMITS = ("limits", "Limits of advice")
    CONFLICT = ("conflict", "Conflict of interest")
    COMPLAINTS_PROCEDURE = ("complaints_procedure", "Complaints procedure and ombudsman rights")


COSTS_DISCLOSURES = frozenset({DisclosureKind.COSTS_ESTIMATE, DisclosureKind.COSTS_REVISED})

# For a complaint of this category, the disclosures that show what the client had been told.
RELEVANT_DISCLOSURES: dict[str, frozenset[DisclosureKind]] = {
    "costs": COSTS_DISCLOSURES,
    "delay": frozenset({DisclosureKind.TIMELINE}),
    "advice": frozenset({DisclosureKind.RISK, DisclosureKind.LIMITS, DisclosureKind.ENGAGEMENT}),
    "conduct": frozenset({DisclosureKind.ENGAGEMENT}),
}


class ClientMood(LabelledEnum):
    """How the client seemed at a client update on a matter (its risk level reads the last 30 days)."""

    SATISFIED = ("satisfied", "Satisfied")
    HAS_QUESTIONS = ("has_questions", "Has questions")
    CONCERNED = ("concerned", "Concerned")
    UNHAPPY = ("unhappy", "Unhappy")


class DisclosedVia(LabelledEnum):
    MEETING = ("meeting", "Meeting")
    CALL = ("call", "Call")
    EMAIL = ("email", "Email")
    LETTER = ("letter", "Letter")
    PORTAL = ("portal", "Client portal")


class AckStatus(LabelledEnum):
    ACKNOWLEDGED = ("acknowledged", "Yes, acknowledged")
    PENDING = ("pending", "Not yet")
    NOT_NEEDED = ("not_needed", "Not needed")


DISCLOSURE_FOLLOW_UP_DAYS = 7
DISCLOSURE_TEXT_MAX = 3000


class EventKind(StrEnum):
    LOGGED = "logged"
    TRIAGED = "triaged"
    REASSIGNED = "reassigned"
    CLIENT_UPDATE = "client_update"
    SNOOZED = "snoozed"
    RESOLVED = "resolved"
    REOPENED = "reopened"
    HOLDING_RESPONSE = "holding_response"
    NOTIFICATION_SENT = "notification_sent"
    ESCALATED = "escalated"
    HELD = "held"
    RELEASED = "released"
    EXPORTED = "exported"
    IMPORTED = "imported"
    PURGED = "purged"
    DISCLOSED = "disclosed"
    # A disclosure's: the client acknowledged what they were told.
    ACKNOWLEDGED = "acknowledged"
    # A complaint's: the firm's acknowledgement was sent to the client.
    ACKNOWLEDGEMENT_SENT = "acknowledgement_sent"
    CHASED = "chased"
    # A complaint's client circumstances or product group changed (vulnerable, adjustments, product).
    DETAILS_CHANGED = "details_changed"
    # The client referred the complaint to the ombudsman; later, the ombudsman's decision.
    REFERRED = "referred"
    OMBUDSMAN_DECIDED = "ombudsman_decided"
    # A matter's: opened (or set up, when a complaint or a disclosure had named it first), named
    # for the first time by a complaint or a disclosure, closed.
    MATTER_OPENED = "matter_opened"
    MATTER_NAMED = "matter_named"
    MATTER_CLOSED = "matter_closed"
    # A matter's client care: a client update logged; the check-in nudge snoozed; no update needed
    # until a date; the costs to date recorded; the costs estimate in force set by a disclosure;
    # the lawyer's answer to "is it a complaint?" after an unhappy update.
    MATTER_CLIENT_UPDATE = "matter_client_update"
    MATTER_SNOOZED = "matter_snoozed"
    MATTER_DORMANT = "matter_dormant"
    MATTER_COSTS = "matter_costs"
    MATTER_ESTIMATE = "matter_estimate"
    MATTER_COMPLAINT_ANSWERED = "matter_complaint_answered"


SUMMARY_MAX = 3000
CLIENT_NAME_MAX = 200
MATTER_REF_MAX = 100
CLIENT_REQUEST_MAX = 3000
NOTE_MAX = 3000
MAX_CADENCE_DAYS = 90
MATTER_CADENCE_DAYS = 14  # how often a matter's client hears from us unless its lawyer says otherwise
KEY_DATE_WHAT_MAX = 500
REMEDY_MAX = 3000
SNOOZE_REASON_MAX = 500
# Why an unhappy client's words were judged not a complaint: for whoever reviews the judgement later.
NOT_A_COMPLAINT_REASON_MAX = 1000
# The reason for the delay goes into the letter as written; this keeps the letter to one message.
HOLDING_REASON_MAX = 1000
ADJUSTMENTS_MAX = 3000
OMBUDSMAN_REFERENCE_MAX = 64
