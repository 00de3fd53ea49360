"""The holding response: the firm tells the client it needs more time, why, and when it expects to
answer (DISP 1.6.2R(2), 1.6.2AR(2); good practice under the Legal Ombudsman). The bot fills the
letter, records that it was sent and, where the rulebook allows, moves the deadline; it never sends
anything to the client itself. Plain values in, results out; never Slack."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime

from sqlalchemy.orm import Session, sessionmaker

from bot.complaints import messages
from bot.complaints.inputs import HoldingResponseInput
from bot.complaints.service import complaint_for_update, require_open
from bot.core import blockkit
from bot.core.config import Settings
from bot.core.errors import FieldErrors
from bot.core.ids import HoldingField
from bot.core.submissions import stored_by_view
from bot.core.vocabulary import EventKind, WrittenVia
from bot.reminders.policy import ReminderKind, SlaPolicy
from bot.rulebooks import holding as rules
from bot.rulebooks.letters import holding_letter
from storage import complaints as complaints_store
from storage import outbox as outbox_store
from storage.models import Complaint, Event

# Reminders that state the final-response date: those recorded and unsent name the old one.
FINAL_REMINDERS = [ReminderKind.FINAL_WARNING.value, ReminderKind.FINAL_BREACH.value]
DOING = "recording a holding response"


@dataclass(frozen=True)
class HoldingRecorded:
    complaint: Complaint
    # The letter's text, for the person to send (the bot does not send it).
    letter: str
    # The final-response date before and after (the same unless the rulebook moved it).
    previous_due_on: date | None
    due_on: date | None
    # What the person who recorded it is shown, in the modal and by DM: the letter and the deadline.
    message: tuple[str, list[blockkit.Block]]
    created: bool = True
    notification_keys: tuple[str, ...] = ()


def record_holding_response(
    *,
    session_factory: sessionmaker[Session],
    reference: str,
    data: HoldingResponseInput,
    actor: str,
    now: datetime,
    settings: Settings,
    policy: SlaPolicy,
    view_id: str | None = None,
) -> HoldingRecorded:
    """Record the holding response, its event (reason, dates, template, version and text) and a DM
    of the letter to `actor`, in one transaction; under payment services a timely one moves the
    deadline to the date it names, and the reminders are planned again.

    A second submission of the same modal (`view_id`) returns what the first recorded and records
    nothing: the complaint's row is locked first, so two at once run one after the other and the
    second finds the first's event.
    """
    book = settings.rulebook
    with session_factory.begin() as session:
        complaint = complaint_for_update(session, reference=reference)
        holding_events = (
            e for e in complaints_store.events_of(session, complaint.id) if e.kind == EventKind.HOLDING_RESPONSE
        )
        before = stored_by_view(holding_events, view_id)
        if before is not None:
            return _result(complaint, before, settings, policy, created=False)
        require_open(complaint, DOING)
        latest = rules.latest_expected_on(book, policy, complaint.received_on)
        if latest is not None and data.expected_on > latest:
            raise FieldErrors(
                {
                    HoldingField.EXPECTED_ON: (
                        f"The final response must reach the client within {book.extended_business_days} business "
                        f"days of receipt ({book.final_response_rule}): the last allowed date is {blockkit.day(latest)}."
                    )
                }
            )
        previous = complaint.final_response_due_on
        moved = rules.moved_due_on(book, due_on=previous, sent_on=data.sent_on, expected_on=data.expected_on)
        letter = holding_letter(
            book,
            policy,
            template=settings.holding_response_template,
            client_name=complaint.client_name,
            reference=complaint.reference,
            received_on=complaint.received_on,
            reason=data.reason,
            expected_on=data.expected_on,
            limit_ends_on=previous or policy.final_response_due_on(complaint.received_on),
            firm_name=settings.firm_name,
        )
        complaint.holding_response_sent_on = data.sent_on
        if moved is not None:
            complaint.final_response_due_on = moved
            outbox_store.cancel_unsent(session, complaint_id=complaint.id, kinds=FINAL_REMINDERS, now=now)
        # The sweep looks again now: the reminders follow the deadline as it stands.
        complaint.next_reminder_at = now
        event = Event(
            complaint_id=complaint.id,
            kind=EventKind.HOLDING_RESPONSE,
            actor=actor,
            at=now,
            data={
                "reason": data.reason,
                "expected_on": data.expected_on.isoformat(),
                "sent_on": data.sent_on.isoformat(),
                "via": data.via.value,
                "template": letter.template,
                "version": letter.version,
                "letter": letter.text,
                "previous_due_on": previous.isoformat() if previous else None,
                "due_on": complaint.final_response_due_on.isoformat() if complaint.final_response_due_on else None,
                "view_id": view_id,
            },
        )
        session.add(event)
        session.flush()
        result = _result(complaint, event, settings, policy, created=True)
        key = f"holding-response:{complaint.reference}:{event.id}"
        text, body = result.message
        outbox_store.record_notification(
            session,
            dedupe_key=key,
            kind="holding-response",
            channel=actor,
            text=text,
            blocks=body,
            now=now,
            complaint_id=complaint.id,
        )
    return replace(result, notification_keys=(key,))


def _result(
    complaint: Complaint, event: Event, settings: Settings, policy: SlaPolicy, *, created: bool
) -> HoldingRecorded:
    """What was recorded, read back from its event (the same whether just now or by an earlier submission)."""
    d = event.data

    def day_of(key: str) -> date | None:
        return date.fromisoformat(d[key]) if d.get(key) else None

    previous, due_on = day_of("previous_due_on"), day_of("due_on")
    book = settings.rulebook
    message = messages.holding_response_recorded(
        complaint,
        letter=d["letter"],
        sent_on=day_of("sent_on"),
        via=WrittenVia.parse(d.get("via")),
        previous_due_on=previous,
        due_on=due_on,
        deadline_basis=rules.final_response_basis(book, policy, complaint),
        can_extend=book.extended_business_days is not None,
        rule=book.final_response_rule,
    )
    return HoldingRecorded(complaint, d["letter"], previous, due_on, message, created=created)
