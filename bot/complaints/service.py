"""The complaints service: log, triage, list, show. Plain values in, results out; never Slack."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session, sessionmaker

from bot import access
from bot.complaints import messages
from bot.complaints.details import apply_details
from bot.complaints.inputs import (
    AcknowledgementInput,
    ClientUpdateInput,
    NewComplaint,
    ResolutionInput,
    SnoozeInput,
    TriageInput,
)
from bot.core import blockkit, references
from bot.core.blockkit import Block
from bot.core.config import Settings
from bot.core.errors import FieldErrors, NotFound, UserError
from bot.core.ids import AcknowledgementField, ResolveField, TriageField
from bot.core.paging import PAGE_SIZE, Page, paginate
from bot.core.submissions import store_once
from bot.core.vocabulary import EventKind, Status
from bot.disclosures import messages as disclosure_messages
from bot.matters.naming import name_matter
from bot.reminders.policy import ReminderKind, SlaPolicy
from bot.rulebooks.letters import resolution_letter, scheme_values
from bot.rulebooks.summary import summary_resolution_open, summary_resolution_until
from bot.team import MEMBER_ID, PersonUnknown
from bot.templates import Letter, render_acknowledgement
from storage import complaints as complaints_store
from storage import disclosures as disclosures_store
from storage import outbox as outbox_store
from storage import references as references_store
from storage.models import Complaint, Disclosure, Event

if TYPE_CHECKING:
    from bot.core.context import BotContext

REFERENCE_PREFIX = references.COMPLAINT
UPDATE_REMINDERS = [ReminderKind.UPDATE_DUE.value, ReminderKind.UPDATE_OVERDUE.value]
# A client contact logged makes these moot too.
CONTACT_REMINDERS = [*UPDATE_REMINDERS, ReminderKind.FIRST_CONTACT_DUE.value]
# The acknowledgement recorded as sent makes these moot.
ACKNOWLEDGEMENT_REMINDERS = [ReminderKind.ACKNOWLEDGEMENT_DUE.value, ReminderKind.ACKNOWLEDGEMENT_OVERDUE.value]


def parse_reference(text: str | None) -> str:
    return references.parse_reference(references.COMPLAINT, text)


def format_reference(year: int, number: int) -> str:
    return references.format_reference(references.COMPLAINT, year, number)


# --- logging ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Logged:
    complaint: Complaint
    created: bool
    notification_keys: tuple[str, ...]


def log_complaint(
    *,
    session_factory: sessionmaker[Session],
    data: NewComplaint,
    reporter_id: str,
    now: datetime,
    settings: Settings,
    policy: SlaPolicy,
    view_id: str | None = None,
    and_then: Callable[[Session, Complaint], None] | None = None,
) -> Logged:
    """Store a complaint with its reference, its first event and its two messages, in one transaction;
    `and_then` records, in the same transaction, what logging it answers (a matter's complaint
    prompt); if it raises, nothing is stored.

    A second submission of the same modal (same `view_id`), sequential or concurrent, returns
    the complaint the first one stored and records nothing new.
    """

    def insert(session: Session) -> Logged:
        logged = _insert_complaint(session, data, reporter_id, now, settings, policy, view_id)
        if and_then is not None:
            and_then(session, logged.complaint)
        return logged

    return store_once(
        session_factory,
        view_id=view_id,
        find=complaints_store.complaint_by_view_id,
        insert=insert,
        stored_before=lambda c: Logged(c, created=False, notification_keys=()),
    )


def _insert_complaint(
    session: Session,
    data: NewComplaint,
    reporter_id: str,
    now: datetime,
    settings: Settings,
    policy: SlaPolicy,
    view_id: str | None,
) -> Logged:
    tz = settings.tz
    year = now.astimezone(tz).year
    number = references_store.next_reference_number(session, prefix=REFERENCE_PREFIX, year=year)
    final_response_due_on = policy.final_response_due_on(data.received_on)
    complaint = Complaint(
        reference=format_reference(year, number),
        ref_year=year,
        ref_seq=number,
        client_name=data.client_name,
        matter_ref=data.matter_ref,
        received_via=data.received_via.value,
        received_on=data.received_on,
        problem_on=data.problem_on,
        aware_on=data.aware_on,
        category=data.category.value,
        summary=data.summary,
        client_request=data.client_request,
        source_message_url=data.source_message_url,
        reporter_id=reporter_id,
        logged_at=now,
        source_view_id=view_id,
        status=Status.NEW.value,
        triage_due_at=policy.triage_due_at(now),
        final_response_due_on=final_response_due_on,
        next_reminder_at=now,
    )
    session.add(complaint)
    session.flush()
    session.add(
        Event(
            complaint_id=complaint.id,
            kind=EventKind.LOGGED,
            actor=reporter_id,
            at=now,
            data={
                "reference": complaint.reference,
                "received_on": data.received_on.isoformat(),
                "received_via": data.received_via.value,
                "category": data.category.value,
                "problem_on": _iso(data.problem_on),
                "aware_on": _iso(data.aware_on),
            },
        )
    )
    name_matter(
        session,
        matter_ref=data.matter_ref,
        named_by=complaint.reference,
        actor=reporter_id,
        now=now,
    )
    keys = []
    text, body = _reporter_confirmation(complaint, settings, policy)
    keys.append(
        _record(session, confirmation_key(complaint.reference), "logged", reporter_id, text, body, now, complaint)
    )
    if settings.triage_channel:
        text, body = messages.triage_alert(
            complaint,
            tz=tz,
            disclosure_note=_disclosure_note(session, complaint),
            triage_basis=policy.triage_basis,
        )
        keys.append(
            _record(
                session,
                triage_alert_key(complaint.reference),
                "triage-alert",
                settings.triage_channel,
                text,
                body,
                now,
                complaint,
            )
        )
    return Logged(complaint, created=True, notification_keys=tuple(keys))


def confirmation_key(reference: str) -> str:
    return f"logged:{reference}"


def _reporter_confirmation(complaint: Complaint, settings: Settings, policy: SlaPolicy) -> tuple[str, list[Block]]:
    """The reporter's DM: what happens next and the acknowledgement to send, worded from the stored
    complaint alone, so that it reads the same when it is edited later."""
    acknowledgement = render_acknowledgement(
        settings.acknowledgement_template,
        client_name=complaint.client_name,
        reference=complaint.reference,
        received_on=blockkit.day(complaint.received_on),
        first_contact_by=blockkit.day(policy.first_contact_by(policy.local_date(complaint.logged_at))),
        final_response_by=blockkit.day(
            complaint.final_response_due_on or policy.final_response_due_on(complaint.received_on)
        ),
        firm_name=settings.firm_name,
        **scheme_values(settings.rulebook, policy),
    )
    return messages.reporter_confirmation(
        complaint,
        tz=settings.tz,
        acknowledgement=acknowledgement,
        deadline_basis=policy.final_response_basis,
        triage_basis=policy.triage_basis,
    )


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _disclosure_note(session: Session, complaint: Complaint) -> str:
    on_record = (
        disclosures_store.latest_disclosure_by_kind(session, complaint.matter_ref) if complaint.matter_ref else {}
    )
    return disclosure_messages.disclosure_note(complaint.matter_ref, complaint.category, on_record)


def triage_alert_key(reference: str) -> str:
    return f"triage-alert:{reference}"


def _record(
    session: Session,
    key: str,
    kind: str,
    channel: str,
    text: str,
    body: list[Block],
    now: datetime,
    complaint: Complaint,
    update_of: str | None = None,
) -> str:
    outbox_store.record_notification(
        session,
        dedupe_key=key,
        kind=kind,
        channel=channel,
        text=text,
        blocks=body,
        now=now,
        complaint_id=complaint.id,
        update_of=update_of,
    )
    return key


# --- triage ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Triaged:
    complaint: Complaint
    notification_keys: tuple[str, ...]


def triage_complaint(
    *,
    session_factory: sessionmaker[Session],
    reference: str,
    data: TriageInput,
    actor: str,
    now: datetime,
    settings: Settings,
    policy: SlaPolicy,
    people: Callable[[str], bool] | None = None,
) -> Triaged:
    """Set severity, handler, target date and cadence; update the alert and tell the handler.

    The handler is told by DM with the complaint's details, so it must be a person: an active
    human member of the workspace (`people`, bot.team.TeamDirectory.is_person), never a channel.
    """
    _require_person(data.handler_id, people)
    with session_factory.begin() as session:
        complaint = complaint_for_update(session, reference=reference)
        if complaint.status == Status.RESOLVED:
            raise UserError(f"{reference} is resolved; reopen it before triaging it again.")
        previous_handler = complaint.handler_id
        first_triage = complaint.status == Status.NEW
        complaint.severity = data.severity.value
        complaint.handler_id = data.handler_id
        complaint.target_date = data.target_date
        complaint.update_cadence_days = data.update_cadence_days
        complaint.triaged_by = actor
        if first_triage:
            complaint.triaged_at = now
        complaint.status = Status.TRIAGED.value
        # The update clock runs from the last client update, or from triage if there was none.
        since = complaint.last_client_update_at or complaint.triaged_at or now
        complaint.next_update_due_at = policy.next_update_due_at(since, data.update_cadence_days)
        complaint.next_reminder_at = now
        # A triage reminder still waiting to be sent is no longer true.
        outbox_store.cancel_unsent(
            session,
            complaint_id=complaint.id,
            now=now,
            kinds=[ReminderKind.TRIAGE_WARNING.value, ReminderKind.TRIAGE_BREACH.value],
        )
        kind = EventKind.TRIAGED if first_triage or previous_handler == data.handler_id else EventKind.REASSIGNED
        event = Event(
            complaint_id=complaint.id,
            kind=kind,
            actor=actor,
            at=now,
            data={
                "severity": data.severity.value,
                "handler_id": data.handler_id,
                "previous_handler_id": previous_handler if previous_handler != data.handler_id else None,
                "target_date": data.target_date.isoformat(),
                "update_cadence_days": data.update_cadence_days,
                "note": data.note,
            },
        )
        session.add(event)
        if data.details is not None:
            apply_details(session, complaint, data.details, actor=actor, now=now, products=settings.product_groups)
        session.flush()

        tz = settings.tz
        keys = _refresh_alert(session, complaint, event, settings, now, triage_basis=policy.triage_basis)
        if previous_handler != data.handler_id:
            text, body = messages.handler_assigned(complaint, tz=tz)
            keys.append(
                _record(
                    session, f"assigned:{reference}:{event.id}", "assigned", data.handler_id, text, body, now, complaint
                )
            )
    return Triaged(complaint, tuple(keys))


def _require_person(user_id: str, people: Callable[[str], bool] | None) -> None:
    try:
        person = people(user_id) if people is not None else bool(MEMBER_ID.fullmatch(user_id))
    except PersonUnknown:
        raise FieldErrors(
            {
                TriageField.HANDLER: "I could not check the handler with Slack just now, so nothing was "
                "changed. Please submit again."
            }
        ) from None
    if not person:
        raise FieldErrors(
            {
                TriageField.HANDLER: "Choose a person: the handler must be an active member of the "
                "workspace, not a channel, an app or a deactivated account."
            }
        )


def _refresh_alert(
    session: Session,
    complaint: Complaint,
    event: Event,
    settings: Settings,
    now: datetime,
    *,
    triage_basis: str | None,
) -> list[str]:
    """Record an edit of the triage alert so the channel shows the complaint as it now stands."""
    if not settings.triage_channel:
        return []
    # An edit not yet sent shows an older state: this one replaces it, so it must not go out after.
    outbox_store.cancel_unsent(session, complaint_id=complaint.id, kinds=["triage-alert-update"], now=now)
    text, body = messages.triage_alert(
        complaint, tz=settings.tz, disclosure_note=_disclosure_note(session, complaint), triage_basis=triage_basis
    )
    key = f"triage-alert-update:{complaint.reference}:{event.id}"
    return [
        _record(
            session,
            key,
            "triage-alert-update",
            settings.triage_channel,
            text,
            body,
            now,
            complaint,
            update_of=triage_alert_key(complaint.reference),
        )
    ]


def complaint_for_update(session: Session, *, reference: str) -> Complaint:
    """The complaint under `reference`, locked for the caller's transaction; NotFound if there is none.

    For services that change a complaint (this one, the retention service's legal hold)."""
    complaint = complaints_store.complaint_by_reference(session, reference, for_update=True)
    if complaint is None:
        raise NotFound(f"There is no complaint {reference}.")
    return complaint


# --- the clocks: client updates, snooze, resolve, reopen ----------------------------------------------


@dataclass(frozen=True)
class Changed:
    complaint: Complaint
    notification_keys: tuple[str, ...] = ()
    # Resolving: the letter filled for the resolver to send the client (the bot sends it nowhere).
    letter: Letter | None = None


def require_open(complaint: Complaint, doing: str) -> None:
    if complaint.status == Status.RESOLVED:
        ref = complaint.reference
        raise UserError(f"{ref} is resolved; reopen it (`/complaint reopen {ref}`) before {doing}.")


def _open_complaint(session: Session, reference: str, doing: str) -> Complaint:
    complaint = complaint_for_update(session, reference=reference)
    require_open(complaint, doing)
    return complaint


def log_client_update(
    *,
    session_factory: sessionmaker[Session],
    reference: str,
    data: ClientUpdateInput,
    actor: str,
    now: datetime,
    policy: SlaPolicy,
) -> Changed:
    """Record what the client was told; the update clock restarts from it."""
    with session_factory.begin() as session:
        complaint = _open_complaint(session, reference, "logging an update")
        given_at = _moment_on(data.given_on, now, policy)
        if complaint.last_client_update_at is None or given_at > complaint.last_client_update_at:
            complaint.last_client_update_at = given_at
        if complaint.update_cadence_days:
            complaint.next_update_due_at = policy.next_update_due_at(
                complaint.last_client_update_at, complaint.update_cadence_days
            )
        complaint.snoozed_until = None
        complaint.next_reminder_at = now
        complaint.client_update_count += 1
        outbox_store.cancel_unsent(session, complaint_id=complaint.id, kinds=CONTACT_REMINDERS, now=now)
        session.add(
            Event(
                complaint_id=complaint.id,
                kind=EventKind.CLIENT_UPDATE,
                actor=actor,
                at=now,
                data={
                    "given_on": data.given_on.isoformat(),
                    "via": data.via.value,
                    "told": data.told,
                    "next_step": data.next_step,
                    "next_update_due_at": complaint.next_update_due_at.isoformat()
                    if complaint.next_update_due_at
                    else None,
                },
            )
        )
    return Changed(complaint)


def _moment_on(day: date, now: datetime, policy: SlaPolicy) -> datetime:
    """When something done on `day` is taken to have happened: now if `day` is today, else that day
    at this hour of the firm's day."""
    local_now = now.astimezone(policy.tz)
    if day == local_now.date():
        return now
    return datetime.combine(day, local_now.timetz()).astimezone(now.tzinfo)


def record_acknowledgement(
    *,
    session_factory: sessionmaker[Session],
    reference: str,
    data: AcknowledgementInput,
    actor: str,
    now: datetime,
    settings: Settings,
    policy: SlaPolicy,
) -> Changed:
    """Record that the acknowledgement went to the client, how and when: its reminders stop, and
    the reporter's confirmation is edited to say so in place of its button. Recorded once."""
    with session_factory.begin() as session:
        complaint = complaint_for_update(session, reference=reference)
        if complaint.acknowledged_at is not None:
            raise UserError(
                f"The acknowledgement of {reference} is already on record. "
                + messages.acknowledgement_line(complaint, settings.tz).removeprefix(":envelope_with_arrow: ")
            )
        if complaint.purged_at is not None:
            raise UserError(f"{reference} is past its retention period and its details were removed.")
        if data.sent_on < complaint.received_on:
            raise FieldErrors(
                {
                    AcknowledgementField.DATE: f"The complaint was received on {blockkit.day(complaint.received_on)}: "
                    "the acknowledgement cannot have been sent before that."
                }
            )
        complaint.acknowledged_at = _moment_on(data.sent_on, now, policy)
        complaint.acknowledged_via = data.via.value
        complaint.acknowledged_by = actor
        if complaint.status != Status.RESOLVED:
            complaint.next_reminder_at = now
        outbox_store.cancel_unsent(session, complaint_id=complaint.id, kinds=ACKNOWLEDGEMENT_REMINDERS, now=now)
        event = Event(
            complaint_id=complaint.id,
            kind=EventKind.ACKNOWLEDGEMENT_SENT,
            actor=actor,
            at=now,
            data={"sent_on": data.sent_on.isoformat(), "via": data.via.value},
        )
        session.add(event)
        session.flush()
        text, body = _reporter_confirmation(complaint, settings, policy)
        # An edit not yet sent would show the button again after this one: this replaces it.
        outbox_store.cancel_unsent(session, complaint_id=complaint.id, kinds=["logged-update"], now=now)
        key = _record(
            session,
            f"logged-update:{reference}:{event.id}",
            "logged-update",
            complaint.reporter_id,
            text,
            body,
            now,
            complaint,
            update_of=confirmation_key(reference),
        )
    return Changed(complaint, (key,))


def snooze(
    *,
    session_factory: sessionmaker[Session],
    reference: str,
    data: SnoozeInput,
    actor: str,
    now: datetime,
) -> Changed:
    """Postpone the client-update nudge (and its escalation) by 1 or 3 days, with a reason."""
    with session_factory.begin() as session:
        complaint = _open_complaint(session, reference, "snoozing it")
        if complaint.status != Status.TRIAGED:
            raise UserError(f"{reference} has not been triaged yet, so there is no update reminder to snooze.")
        complaint.snoozed_until = now + timedelta(days=data.days)
        complaint.next_reminder_at = now
        outbox_store.cancel_unsent(session, complaint_id=complaint.id, kinds=UPDATE_REMINDERS, now=now)
        session.add(
            Event(
                complaint_id=complaint.id,
                kind=EventKind.SNOOZED,
                actor=actor,
                at=now,
                data={
                    "days": data.days,
                    "reason": data.reason,
                    "until": complaint.snoozed_until.isoformat(),
                },
            )
        )
    return Changed(complaint)


def resolve(
    *,
    session_factory: sessionmaker[Session],
    reference: str,
    data: ResolutionInput,
    actor: str,
    now: datetime,
    settings: Settings,
    policy: SlaPolicy | None = None,
) -> Changed:
    """Record the final response (or, under an FCA scheme while it is open, the summary resolution)
    and outcome; every clock stops and pending reminders are cancelled. The letter for the client is
    filled from its template and kept on the resolved event, with the template and its version."""
    book = settings.rulebook
    policy = policy or settings.policy()
    with session_factory.begin() as session:
        complaint = _open_complaint(session, reference, "resolving it again")
        if data.summary_resolution:
            _require_summary_resolution_open(complaint, settings, policy, now)
        if data.redress_paid_on is not None and data.redress_paid_on < complaint.received_on:
            raise FieldErrors(
                {
                    ResolveField.REDRESS_PAID_ON: f"The complaint was received on {blockkit.day(complaint.received_on)}: "
                    "redress for it cannot have been paid before that."
                }
            )
        letter = resolution_letter(
            book,
            policy,
            summary_resolution=data.summary_resolution,
            final_response_template=settings.final_response_template,
            summary_resolution_template=settings.summary_resolution_template,
            client_name=complaint.client_name,
            reference=complaint.reference,
            received_on=complaint.received_on,
            sent_on=data.final_response_sent_on,
            outcome=data.outcome.value,
            remedy=data.remedy,
            firm_name=settings.firm_name,
        )
        complaint.status = Status.RESOLVED.value
        complaint.resolved_at = now
        complaint.resolved_by = actor
        complaint.outcome = data.outcome.value
        complaint.remedy = data.remedy
        complaint.final_response_sent_on = data.final_response_sent_on
        complaint.ombudsman_rights_given = data.ombudsman_rights_given
        # None under a scheme without summary resolution: the question does not arise there.
        complaint.summary_resolution = data.summary_resolution if book.summary_resolution else None
        complaint.root_cause = data.root_cause
        # Redress as recorded now: kept if the complaint is reopened (money paid stays paid).
        complaint.redress_offered = data.redress_offered
        complaint.redress_paid = data.redress_paid
        complaint.redress_paid_on = data.redress_paid_on
        redressed = data.redress_offered is not None or data.redress_paid is not None
        complaint.redress_currency = settings.currency.code if redressed else None
        complaint.ombudsman_referral_by = settings.rulebook.referral_by(data.final_response_sent_on)
        complaint.next_reminder_at = None
        complaint.snoozed_until = None
        outbox_store.cancel_unsent(session, complaint_id=complaint.id, kinds=[k.value for k in ReminderKind], now=now)
        event = Event(
            complaint_id=complaint.id,
            kind=EventKind.RESOLVED,
            actor=actor,
            at=now,
            data={
                "outcome": data.outcome.value,
                "remedy": data.remedy,
                "final_response_sent_on": data.final_response_sent_on.isoformat(),
                "ombudsman_points": sorted(p.value for p in data.ombudsman_points),
                "root_cause": data.root_cause,
                "root_cause_label": settings.root_causes.label(data.root_cause),
                "redress_currency": complaint.redress_currency,
                "redress_offered": data.redress_offered,
                "redress_paid": data.redress_paid,
                "redress_paid_on": _iso(data.redress_paid_on),
                "ombudsman_referral_by": _iso(complaint.ombudsman_referral_by),
                "summary_resolution": complaint.summary_resolution,
                "letter": letter.as_record(),
            },
        )
        session.add(event)
        session.flush()
        # A resolved complaint's alert states no triage deadline, so it names no basis.
        keys = _refresh_alert(session, complaint, event, settings, now, triage_basis=None)
    return Changed(complaint, tuple(keys), letter=letter)


def _require_summary_resolution_open(
    complaint: Complaint, settings: Settings, policy: SlaPolicy, now: datetime
) -> None:
    """Refuse a summary resolution the scheme does not have, or whose time has passed (a modal
    opened before the cut-off and submitted after it)."""
    book = settings.rulebook
    if summary_resolution_open(book, policy, complaint.received_on, now):
        return
    until = summary_resolution_until(book, policy, complaint.received_on)
    if until is None:
        why = f"Summary resolution is for FCA complaints schemes; under the {book.title} send a final response."
    else:
        local = until.astimezone(policy.tz)
        why = (
            f"Summary resolution closed at {local:%H:%M} on {local:%a %-d %b %Y}, close of business on the third "
            "business day after receipt. Untick it and send a final response."
        )
    raise FieldErrors({ResolveField.SUMMARY: why})


def reopen(
    *,
    session_factory: sessionmaker[Session],
    reference: str,
    actor: str,
    now: datetime,
    settings: Settings,
    policy: SlaPolicy,
) -> Changed:
    """Undo a resolution: the clocks restart from now (the final-response deadline stays as it was)."""
    with session_factory.begin() as session:
        complaint = complaint_for_update(session, reference=reference)
        if complaint.status != Status.RESOLVED:
            raise UserError(f"{reference} is not resolved, so there is nothing to reopen.")
        if complaint.purged_at is not None:
            raise UserError(
                f"{reference} is past its retention period and its details were removed; it cannot be reopened. "
                "Log the client's new complaint with `/complaint new`."
            )
        previous = {
            "outcome": complaint.outcome,
            "resolved_at": complaint.resolved_at.isoformat() if complaint.resolved_at else None,
            "summary_resolution": complaint.summary_resolution,
        }
        complaint.status = (Status.TRIAGED if complaint.handler_id else Status.NEW).value
        # The resolution stays on the timeline (the resolved event); the record shows an open complaint.
        complaint.resolved_at = None
        complaint.resolved_by = None
        complaint.outcome = None
        complaint.remedy = None
        complaint.final_response_sent_on = None
        complaint.ombudsman_rights_given = None
        complaint.summary_resolution = None
        complaint.root_cause = None
        complaint.ombudsman_referral_by = None
        # Redress stays as recorded: money offered or paid is a fact of the complaint, not of this
        # resolution; resolving again shows it and records what is then submitted.
        if complaint.update_cadence_days:
            complaint.next_update_due_at = policy.next_update_due_at(now, complaint.update_cadence_days)
        complaint.next_reminder_at = now
        event = Event(
            complaint_id=complaint.id, kind=EventKind.REOPENED, actor=actor, at=now, data={"previous": previous}
        )
        session.add(event)
        session.flush()
        keys = _refresh_alert(session, complaint, event, settings, now, triage_basis=policy.triage_basis)
    return Changed(complaint, tuple(keys))


# --- reading -------------------------------------------------------------------------------------
# Every read takes the viewer and keeps to what bot.access lets them see.


def get_complaint(*, session: Session, reference: str) -> Complaint:
    complaint = complaints_store.complaint_by_reference(session, reference)
    if complaint is None:
        raise NotFound(f"There is no complaint {reference}.")
    return complaint


def list_open(*, ctx: BotContext, viewer: access.Viewer, page: int = 1, page_size: int = PAGE_SIZE) -> Page:
    """Open complaints, the viewer's own (handled or reported) first; for anyone outside the team,
    only their own."""
    involving = viewer.complaints_involving
    with ctx.read_session_factory() as session:
        return paginate(
            lambda offset, limit: complaints_store.open_complaints_page(
                session, viewer=viewer.user_id, offset=offset, limit=limit, own_only=involving is not None
            ),
            page,
            what="open complaints",
            page_size=page_size,
        )


@dataclass(frozen=True)
class Timeline:
    complaint: Complaint
    events: Sequence[Event]
    # What the client had been told on the same matter, as far as the viewer may see it.
    disclosures: Sequence[Disclosure]
    # False when `disclosures` are only the viewer's own: then they are no picture of the matter.
    every_disclosure: bool = True
    # Whether the viewer may act on the complaint (its buttons are offered only then).
    may_act: bool = False


def timeline(*, ctx: BotContext, viewer: access.Viewer, reference: str) -> Timeline:
    """A complaint, its timeline and the disclosures on its matter that `viewer` may see; the
    refusal (logged) if they may not see the complaint. Seeing a complaint does not open the
    matter's disclosures: the team sees them all, anyone else only those they logged."""
    seen = access.complaint_for(ctx, viewer, reference, action="show")
    with ctx.read_session_factory() as session:
        complaint = get_complaint(session=session, reference=reference)
        told = (
            disclosures_store.disclosures_on_matter(
                session, complaint.matter_ref, logged_by=viewer.disclosures_logged_by
            )
            if complaint.matter_ref
            else ()
        )
        return Timeline(
            complaint,
            complaints_store.events_of(session, complaint.id),
            viewer.visible_disclosures(told),
            every_disclosure=viewer.sees_every_disclosure,
            may_act=viewer.may(access.Need.ACT, seen),
        )
