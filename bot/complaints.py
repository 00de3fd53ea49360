"""The complaints service: log, triage, list, show. Plain values in, results out; never Slack."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Mapping, Sequence

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from bot import blocks
from bot.config import Settings
from bot.domain import (
    CLIENT_NAME_MAX,
    CLIENT_REQUEST_MAX,
    DEFAULT_CADENCE_DAYS,
    MATTER_REF_MAX,
    MAX_CADENCE_DAYS,
    NOTE_MAX,
    SUMMARY_MAX,
    Category,
    EventKind,
    ReceivedVia,
    Severity,
    Status,
)
from bot.errors import FieldErrors, NotFound, UserError
from bot.ids import IntakeField, TriageField
from bot.policy import SlaPolicy
from bot.templates import render_acknowledgement
from storage import queries
from storage.models import Complaint, Event

REFERENCE_PREFIX = "CMP"
_REFERENCE = re.compile(r"^CMP-(\d{4})-(\d{1,6})$", re.IGNORECASE)
PAGE_SIZE = 10

Values = Mapping[str, str | None]


# --- input -----------------------------------------------------------------------------------


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


@dataclass(frozen=True)
class TriageInput:
    severity: Severity
    handler_id: str
    target_date: date
    update_cadence_days: int
    note: str | None = None


def _text(values: Values, key: str) -> str | None:
    value = values.get(key)
    if value is None:
        return None
    value = value.strip()
    return value or None


def _date(values: Values, key: str, errors: dict[str, str]) -> date | None:
    raw = _text(values, key)
    if raw is None:
        errors[key] = "Choose a date."
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        errors[key] = "That is not a date; use the date picker."
        return None


def _bounded(values: Values, key: str, limit: int, errors: dict[str, str], *, label: str, required: bool) -> str | None:
    value = _text(values, key)
    if value is None:
        if required:
            errors[key] = f"Enter the {label}."
        return None
    if len(value) > limit:
        errors[key] = f"Keep the {label} to {limit:,} characters (it has {len(value):,})."
    return value


def parse_intake(values: Values, *, today: date, source_message_url: str | None = None) -> NewComplaint:
    """Validate the intake modal's values; raise FieldErrors keyed by block id."""
    F = IntakeField
    errors: dict[str, str] = {}
    client_name = _bounded(values, F.CLIENT_NAME, CLIENT_NAME_MAX, errors, label="client's name", required=True)
    matter_ref = _bounded(values, F.MATTER_REF, MATTER_REF_MAX, errors, label="matter reference", required=False)
    summary = _bounded(values, F.SUMMARY, SUMMARY_MAX, errors, label="summary", required=True)
    client_request = _bounded(values, F.CLIENT_REQUEST, CLIENT_REQUEST_MAX, errors, label="client's request", required=False)

    received_via = ReceivedVia.parse(_text(values, F.RECEIVED_VIA))
    if received_via is None:
        errors[F.RECEIVED_VIA] = "Choose how the complaint was received."
    category = Category.parse(_text(values, F.CATEGORY))
    if category is None:
        errors[F.CATEGORY] = "Choose a category."
    received_on = _date(values, F.RECEIVED_ON, errors)
    if received_on is not None and received_on > today:
        errors[F.RECEIVED_ON] = "The date received cannot be in the future."

    if errors:
        raise FieldErrors(errors)
    return NewComplaint(
        client_name=client_name,  # type: ignore[arg-type]
        matter_ref=matter_ref,
        received_via=received_via,  # type: ignore[arg-type]
        received_on=received_on,  # type: ignore[arg-type]
        category=category,  # type: ignore[arg-type]
        summary=summary,  # type: ignore[arg-type]
        client_request=client_request,
        source_message_url=source_message_url,
    )


def parse_triage(values: Values, *, today: date) -> TriageInput:
    F = TriageField
    errors: dict[str, str] = {}
    severity = Severity.parse(_text(values, F.SEVERITY))
    if severity is None:
        errors[F.SEVERITY] = "Choose a severity."
    handler_id = _text(values, F.HANDLER)
    if handler_id is None:
        errors[F.HANDLER] = "Choose who will handle the complaint."
    target = _date(values, F.TARGET_DATE, errors)
    if target is not None and target < today:
        errors[F.TARGET_DATE] = "The target date cannot be in the past."
    cadence_raw = _text(values, F.CADENCE)
    cadence: int | None = None
    if cadence_raw is not None:
        if not cadence_raw.isdigit() or not 1 <= int(cadence_raw) <= MAX_CADENCE_DAYS:
            errors[F.CADENCE] = f"Enter a whole number of days from 1 to {MAX_CADENCE_DAYS}, or leave it empty."
        else:
            cadence = int(cadence_raw)
    note = _bounded(values, F.NOTE, NOTE_MAX, errors, label="note", required=False)
    if errors:
        raise FieldErrors(errors)
    assert severity is not None and handler_id is not None and target is not None
    return TriageInput(
        severity=severity,
        handler_id=handler_id,
        target_date=target,
        update_cadence_days=cadence or DEFAULT_CADENCE_DAYS[severity],
        note=note,
    )


def parse_reference(text: str | None) -> str:
    """`cmp-2026-7` → `CMP-2026-0007`; a clear error for anything else."""
    match = _REFERENCE.match((text or "").strip())
    if not match:
        raise UserError(f"“{(text or '').strip()}” is not a complaint reference; they look like CMP-2026-0001.")
    return f"{REFERENCE_PREFIX}-{match.group(1)}-{int(match.group(2)):04d}"


def format_reference(year: int, number: int) -> str:
    return f"{REFERENCE_PREFIX}-{year}-{number:04d}"


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
) -> Logged:
    """Store a complaint with its reference, its first event and its two messages, in one transaction.

    A second submission of the same modal (same `view_id`), sequential or concurrent, returns
    the complaint the first one stored and records nothing new.
    """
    if view_id:
        with session_factory() as session:
            existing = queries.complaint_by_view_id(session, view_id)
        if existing is not None:
            return Logged(existing, created=False, notification_keys=())
    try:
        with session_factory.begin() as session:
            return _insert_complaint(session, data, reporter_id, now, settings, policy, view_id)
    except IntegrityError:
        if not view_id:
            raise
        with session_factory() as session:
            existing = queries.complaint_by_view_id(session, view_id)
        if existing is None:
            raise
        return Logged(existing, created=False, notification_keys=())


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
    number = queries.next_reference_number(session, prefix=REFERENCE_PREFIX, year=year)
    complaint = Complaint(
        reference=format_reference(year, number),
        ref_year=year,
        ref_seq=number,
        client_name=data.client_name,
        matter_ref=data.matter_ref,
        received_via=data.received_via.value,
        received_on=data.received_on,
        category=data.category.value,
        summary=data.summary,
        client_request=data.client_request,
        source_message_url=data.source_message_url,
        reporter_id=reporter_id,
        logged_at=now,
        source_view_id=view_id,
        status=Status.NEW.value,
        triage_due_at=policy.triage_due_at(now),
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
            },
        )
    )
    acknowledgement = render_acknowledgement(
        settings.acknowledgement_template,
        client_name=data.client_name,
        reference=complaint.reference,
        received_on=blocks.day(data.received_on),
        first_contact_by=blocks.day(policy.first_contact_by(now.astimezone(tz).date())),
        final_response_by=blocks.day(policy.final_response_due_on(data.received_on)),
        firm_name=settings.firm_name,
    )
    keys = []
    text, body = blocks.reporter_confirmation(complaint, tz=tz, acknowledgement=acknowledgement)
    keys.append(_record(session, f"logged:{complaint.reference}", "logged", reporter_id, text, body, now, complaint))
    if settings.triage_channel:
        text, body = blocks.triage_alert(complaint, tz=tz)
        keys.append(_record(session, triage_alert_key(complaint.reference), "triage-alert", settings.triage_channel, text, body, now, complaint))
    return Logged(complaint, created=True, notification_keys=tuple(keys))


def triage_alert_key(reference: str) -> str:
    return f"triage-alert:{reference}"


def _record(session: Session, key: str, kind: str, channel: str, text: str, body, now: datetime, complaint: Complaint, update_of: str | None = None) -> str:
    queries.record_notification(
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
) -> Triaged:
    """Set severity, handler, target date and cadence; update the alert and tell the handler."""
    with session_factory.begin() as session:
        complaint = _get_for_update(session, reference)
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
        session.flush()

        tz = settings.tz
        keys = []
        if settings.triage_channel:
            text, body = blocks.triage_alert(complaint, tz=tz)
            keys.append(
                _record(session, f"triage-alert-update:{reference}:{event.id}", "triage-alert-update",
                        settings.triage_channel, text, body, now, complaint, update_of=triage_alert_key(reference))
            )
        if previous_handler != data.handler_id:
            text, body = blocks.handler_assigned(complaint, tz=tz)
            keys.append(_record(session, f"assigned:{reference}:{event.id}", "assigned", data.handler_id, text, body, now, complaint))
    return Triaged(complaint, tuple(keys))


def _get_for_update(session: Session, reference: str) -> Complaint:
    complaint = queries.complaint_by_reference(session, reference, for_update=True)
    if complaint is None:
        raise NotFound(f"There is no complaint {reference}.")
    return complaint


# --- reading -------------------------------------------------------------------------------------


def get_complaint(*, session: Session, reference: str) -> Complaint:
    complaint = queries.complaint_by_reference(session, reference)
    if complaint is None:
        raise NotFound(f"There is no complaint {reference}.")
    return complaint


@dataclass(frozen=True)
class Page:
    items: Sequence[Complaint]
    page: int
    pages: int
    total: int


def list_open(*, session: Session, viewer: str, page: int = 1, page_size: int = PAGE_SIZE) -> Page:
    page = max(page, 1)
    items, total = queries.open_complaints_page(session, viewer=viewer, offset=(page - 1) * page_size, limit=page_size)
    pages = max(math.ceil(total / page_size), 1)
    if page > pages and total:
        raise UserError(f"There are only {pages} page(s) of open complaints.")
    return Page(items, page, pages, total)


def timeline(*, session: Session, reference: str) -> tuple[Complaint, Sequence[Event]]:
    complaint = get_complaint(session=session, reference=reference)
    return complaint, queries.events_of(session, complaint.id)
