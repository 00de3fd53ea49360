"""SQLAlchemy 2.0 typed models. The schema itself is made by the Alembic migrations beside this."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy import event as sa_event
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, UOWTransaction, mapped_column, relationship

from storage.types import UTCDateTime


class Base(DeclarativeBase):
    type_annotation_map: ClassVar[dict[Any, Any]] = {datetime: UTCDateTime, dict[str, Any]: JSON}
    # Every model here names its __tablename__, so declarative makes its __table__ a Table (its
    # own annotation says only FromClause, which has no insert or update).
    __table__: ClassVar[Table]


class Complaint(Base):
    __tablename__ = "complaints"
    __table_args__ = (
        Index(
            "ix_complaints_next_reminder_at",
            "next_reminder_at",
            sqlite_where=text("next_reminder_at IS NOT NULL"),
            postgresql_where=text("next_reminder_at IS NOT NULL"),
        ),
        # For the digest and App Home: counts over a week or over open complaints read an index
        # range, not the whole store; the extra columns let the weekly and 90-day counts be
        # answered from the index alone.
        Index("ix_complaints_logged_at", "logged_at", "status", "category"),
        Index("ix_complaints_resolved_at", "resolved_at"),
        Index("ix_complaints_received_on", "received_on", "client_name", "matter_ref"),
        Index("ix_complaints_triage_due_at", "triage_due_at"),
        Index("ix_complaints_final_response_due_on", "final_response_due_on"),
        Index("ix_complaints_next_update_due_at", "next_update_due_at"),
        Index("ix_complaints_status_severity", "status", "severity"),
        Index("ix_complaints_status_received_on", "status", "received_on"),
        Index("ix_complaints_status_handler", "status", "handler_id"),
        Index("ix_complaints_status_reporter", "status", "reporter_id"),
        Index("ix_complaints_status_update_due", "status", "next_update_due_at"),
        Index("ix_complaints_status_triage_due", "status", "triage_due_at"),
        Index("ix_complaints_status_final_due", "status", "final_response_due_on"),
        # /complaint list: open complaints in triage-deadline order, without stepping over resolved ones.
        Index(
            "ix_complaints_open_by_triage_due",
            "triage_due_at",
            sqlite_where=text("status IN ('new', 'triaged')"),
            postgresql_where=text("status IN ('new', 'triaged')"),
        ),
        # What the retention purge reads: resolved, not yet purged, not on hold.
        Index(
            "ix_complaints_purge_due",
            "resolved_at",
            sqlite_where=text("purged_at IS NULL AND legal_hold_at IS NULL"),
            postgresql_where=text("purged_at IS NULL AND legal_hold_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(20), unique=True)
    ref_year: Mapped[int]
    ref_seq: Mapped[int]

    client_name: Mapped[str] = mapped_column(String(200))
    matter_ref: Mapped[str | None] = mapped_column(String(100), index=True)
    received_via: Mapped[str] = mapped_column(String(20))
    received_on: Mapped[date] = mapped_column(Date)
    category: Mapped[str] = mapped_column(String(30))
    summary: Mapped[str] = mapped_column(Text)
    client_request: Mapped[str | None] = mapped_column(Text)
    source_message_url: Mapped[str | None] = mapped_column(String(500))

    reporter_id: Mapped[str] = mapped_column(String(32))
    logged_at: Mapped[datetime]
    # The view id of the modal it came from: a second submission of the same modal finds this row.
    source_view_id: Mapped[str | None] = mapped_column(String(64), unique=True)

    status: Mapped[str] = mapped_column(String(20), index=True)
    triage_due_at: Mapped[datetime]
    triaged_at: Mapped[datetime | None]
    triaged_by: Mapped[str | None] = mapped_column(String(32))
    severity: Mapped[str | None] = mapped_column(String(20))
    handler_id: Mapped[str | None] = mapped_column(String(32), index=True)
    target_date: Mapped[date | None] = mapped_column(Date)
    update_cadence_days: Mapped[int | None]

    # The clocks. next_reminder_at is when the policy next has to look at this complaint: the
    # sweep reads only rows where it has passed, so its cost follows what is due, not the store.
    final_response_due_on: Mapped[date | None] = mapped_column(Date)
    last_client_update_at: Mapped[datetime | None]
    next_update_due_at: Mapped[datetime | None]
    snoozed_until: Mapped[datetime | None]
    next_reminder_at: Mapped[datetime | None]

    resolved_at: Mapped[datetime | None]
    resolved_by: Mapped[str | None] = mapped_column(String(32))
    outcome: Mapped[str | None] = mapped_column(String(20))
    remedy: Mapped[str | None] = mapped_column(Text)
    final_response_sent_on: Mapped[date | None] = mapped_column(Date)
    ombudsman_rights_given: Mapped[bool | None]
    root_cause: Mapped[str | None] = mapped_column(String(30))

    # When the firm acknowledged the complaint to the client, how and who recorded it: blank until
    # someone records that the acknowledgement was sent (an imported register says).
    acknowledged_at: Mapped[datetime | None]
    acknowledged_via: Mapped[str | None] = mapped_column(String(20))
    acknowledged_by: Mapped[str | None] = mapped_column(String(32))
    # The client's own time limits: when the problem happened and when they became aware of it
    # (asked at intake, optional), and the last day to refer to the ombudsman (set at resolution).
    problem_on: Mapped[date | None] = mapped_column(Date)
    aware_on: Mapped[date | None] = mapped_column(Date)
    ombudsman_referral_by: Mapped[date | None] = mapped_column(Date)
    # The holding response: the firm told the client it needs more time (and why, and when).
    holding_response_sent_on: Mapped[date | None] = mapped_column(Date)
    # Resolved as a summary resolution (FCA DISP 1.5) rather than by a final response.
    summary_resolution: Mapped[bool | None]
    # The product or service group (PRODUCT_GROUPS' values), set at triage or later.
    product: Mapped[str | None] = mapped_column(String(40))
    # A client in vulnerable circumstances (FCA Consumer Duty), and the adjustments made for them.
    vulnerable: Mapped[bool | None]
    adjustments: Mapped[str | None] = mapped_column(Text)
    # Redress in whole minor units (pence, cents) of redress_currency: exact, never floating point.
    redress_currency: Mapped[str | None] = mapped_column(String(3))
    redress_offered: Mapped[int | None] = mapped_column(BigInteger)
    redress_paid: Mapped[int | None] = mapped_column(BigInteger)
    redress_paid_on: Mapped[date | None] = mapped_column(Date)
    # The client referred the complaint to the ombudsman: when, its reference, and its decision
    # (OmbudsmanDecision's values), when, and any award (minor units of redress_currency).
    referred_on: Mapped[date | None] = mapped_column(Date)
    ombudsman_reference: Mapped[str | None] = mapped_column(String(64))
    ombudsman_decision: Mapped[str | None] = mapped_column(String(20))
    ombudsman_decided_on: Mapped[date | None] = mapped_column(Date)
    ombudsman_award: Mapped[int | None] = mapped_column(BigInteger)
    # Client updates logged, kept with the complaint so the register needs no count over events.
    client_update_count: Mapped[int] = mapped_column(default=0, server_default="0")
    # A legal hold keeps the record out of every retention purge until it is released.
    legal_hold_at: Mapped[datetime | None]
    legal_hold_by: Mapped[str | None] = mapped_column(String(32))
    legal_hold_reason: Mapped[str | None] = mapped_column(String(500))
    # Set when the retention purge anonymised the record (counts and dates are kept).
    purged_at: Mapped[datetime | None]

    events: Mapped[list[Event]] = relationship(back_populates="complaint", order_by="Event.id", lazy="raise_on_sql")


class Disclosure(Base):
    """What a client was told about scope, costs, risk, time or limits, and whether they acknowledged it."""

    __tablename__ = "disclosures"
    __table_args__ = (
        Index(
            "ix_disclosures_next_reminder_at",
            "next_reminder_at",
            sqlite_where=text("next_reminder_at IS NOT NULL"),
            postgresql_where=text("next_reminder_at IS NOT NULL"),
        ),
        Index("ix_disclosures_matter_kind", "matter_ref", "kind", "disclosed_on"),
        Index("ix_disclosures_logged_at", "logged_at"),
        Index("ix_disclosures_ack_status", "ack_status", "logged_by"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(20), unique=True)
    ref_year: Mapped[int]
    ref_seq: Mapped[int]
    client_name: Mapped[str] = mapped_column(String(200))
    matter_ref: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(30))
    content: Mapped[str] = mapped_column(Text)
    disclosed_on: Mapped[date] = mapped_column(Date)
    disclosed_via: Mapped[str] = mapped_column(String(20))
    ack_status: Mapped[str] = mapped_column(String(20))
    acknowledged_at: Mapped[datetime | None]
    follow_up_on: Mapped[date | None] = mapped_column(Date)
    document_url: Mapped[str | None] = mapped_column(String(500))
    source_message_url: Mapped[str | None] = mapped_column(String(500))
    logged_by: Mapped[str] = mapped_column(String(32), index=True)
    logged_at: Mapped[datetime]
    source_view_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    next_reminder_at: Mapped[datetime | None]
    purged_at: Mapped[datetime | None]
    # A costs estimate's (or revised estimate's) amount, in minor units of the firm's CURRENCY.
    amount: Mapped[int | None] = mapped_column(BigInteger)


class Matter(Base):
    """A client matter: who is responsible for it, how often the client is to hear from us, and
    the next date the client was told of. Complaints and disclosures name it by `matter_ref`."""

    __tablename__ = "matters"
    __table_args__ = (
        Index("ix_matters_status_responsible", "status", "responsible_id"),
        Index("ix_matters_status_supervisor", "status", "supervisor_id"),
        Index(
            "ix_matters_next_reminder_at",
            "next_reminder_at",
            sqlite_where=text("next_reminder_at IS NOT NULL"),
            postgresql_where=text("next_reminder_at IS NOT NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    matter_ref: Mapped[str] = mapped_column(String(100), unique=True)
    client_name: Mapped[str | None] = mapped_column(String(200))
    # Blank only while the matter is not set up (named first by a complaint or a disclosure).
    responsible_id: Mapped[str | None] = mapped_column(String(32))
    supervisor_id: Mapped[str | None] = mapped_column(String(32))
    # The area of law (PRODUCT_GROUPS' values, as a complaint's product).
    area: Mapped[str | None] = mapped_column(String(40))
    opened_on: Mapped[date | None] = mapped_column(Date)
    update_cadence_days: Mapped[int] = mapped_column(default=14, server_default="14")
    next_key_date: Mapped[date | None] = mapped_column(Date)
    next_key_date_what: Mapped[str | None] = mapped_column(String(500))
    status: Mapped[str] = mapped_column(String(20), default="open", server_default="open")
    closed_at: Mapped[datetime | None]
    closed_by: Mapped[str | None] = mapped_column(String(32))
    # False while only a complaint or a disclosure has named it; /matter new sets it up.
    set_up: Mapped[bool] = mapped_column(default=True)
    # When it was set up in the bot (opened, imported, or set up after being named first): its
    # client care counts from then at the earliest.
    set_up_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
    purged_at: Mapped[datetime | None]
    # Client care (bot/matters/policy.py): when the sweep next looks at the matter (None: nothing
    # can fall due until its facts change; every change sets it to now).
    next_reminder_at: Mapped[datetime | None]
    # The date of the last client update, and the latest on which the client seemed unhappy or
    # concerned (the risk reads the last 30 days).
    last_update_on: Mapped[date | None] = mapped_column(Date)
    unhappy_on: Mapped[date | None] = mapped_column(Date)
    concerned_on: Mapped[date | None] = mapped_column(Date)
    # The check-in nudge held back until then, and why; or no update needed until a date.
    snoozed_until: Mapped[datetime | None]
    snooze_reason: Mapped[str | None] = mapped_column(String(500))
    dormant_until: Mapped[date | None] = mapped_column(Date)
    # Minor units of the firm's CURRENCY: the estimate in force (from the costs disclosure
    # `estimate_ref`) and the costs to date; when either last changed.
    costs_estimate: Mapped[int | None] = mapped_column(BigInteger)
    estimate_ref: Mapped[str | None] = mapped_column(String(20))
    costs_to_date: Mapped[int | None] = mapped_column(BigInteger)
    costs_changed_at: Mapped[datetime | None]


class Event(Base):
    """One line of a complaint's, a disclosure's or a matter's timeline: append-only."""

    __tablename__ = "events"

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int | None] = mapped_column(ForeignKey("complaints.id"), index=True)
    disclosure_id: Mapped[int | None] = mapped_column(ForeignKey("disclosures.id"), index=True)
    matter_id: Mapped[int | None] = mapped_column(ForeignKey("matters.id"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    actor: Mapped[str] = mapped_column(String(32))
    at: Mapped[datetime]
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)

    complaint: Mapped[Complaint | None] = relationship(back_populates="events")


class AccessRefusal(Base):
    """A request for a record refused because the asker may not see it: who, when, what."""

    __tablename__ = "access_refusals"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(index=True)
    user_id: Mapped[str] = mapped_column(String(32))
    action: Mapped[str] = mapped_column(String(40))
    target: Mapped[str | None] = mapped_column(String(200))


class AppendOnly(Exception):
    """A timeline event was about to be changed or deleted."""


@sa_event.listens_for(Session, "before_flush")
def _events_are_append_only(session: Session, _context: UOWTransaction, _instances: Sequence[object] | None) -> None:
    """The timeline is evidence: once written an event is never changed or deleted through the
    ORM. The one statement that rewrites events is the retention purge's, in storage/retention.py."""
    for obj in session.deleted:
        if isinstance(obj, Event):
            raise AppendOnly(f"timeline event {obj.id} cannot be deleted")
    for obj in session.dirty:
        if isinstance(obj, Event) and session.is_modified(obj):
            raise AppendOnly(f"timeline event {obj.id} cannot be changed")


class ReferenceCounter(Base):
    """The last number given per prefix and year (CMP-2026-0001, …): one row, bumped atomically."""

    __tablename__ = "reference_counters"

    prefix: Mapped[str] = mapped_column(String(8), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_value: Mapped[int] = mapped_column(Integer)


class Notification(Base):
    """The sent-log and outbox of every message the bot posts.

    A row is written under its dedupe key in the same transaction as whatever made it due; the
    unique key means it can be written once only. Delivery then claims it, sends it and marks it
    sent; a failed send keeps the row pending with a later `next_attempt_at`.
    """

    __tablename__ = "notifications"
    __table_args__ = (
        UniqueConstraint("dedupe_key", name="uq_notifications_dedupe_key"),
        Index(
            "ix_notifications_pending",
            "next_attempt_at",
            sqlite_where=text("sent_at IS NULL AND cancelled_at IS NULL"),
            postgresql_where=text("sent_at IS NULL AND cancelled_at IS NULL"),
        ),
        Index("ix_notifications_kind_created_at", "kind", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    dedupe_key: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(40))
    complaint_id: Mapped[int | None] = mapped_column(ForeignKey("complaints.id"), index=True)
    disclosure_id: Mapped[int | None] = mapped_column(ForeignKey("disclosures.id"), index=True)
    matter_id: Mapped[int | None] = mapped_column(ForeignKey("matters.id"), index=True)
    channel: Mapped[str] = mapped_column(String(32))
    text: Mapped[str] = mapped_column(Text)
    blocks: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)
    # For an edit of an earlier message: the dedupe key of the message to update.
    update_of: Mapped[str | None] = mapped_column(String(200))
    # For a file (the digest chart): its bytes, name and title; `text` is then its alt text.
    file_name: Mapped[str | None] = mapped_column(String(200))
    file_title: Mapped[str | None] = mapped_column(String(200))
    file_content: Mapped[bytes | None] = mapped_column(LargeBinary)
    # Or, for a file too large for a row (a register export), where it waits on the server until
    # sent; delivery removes it once it has gone out or been given up.
    file_path: Mapped[str | None] = mapped_column(String(500))

    created_at: Mapped[datetime]
    next_attempt_at: Mapped[datetime]
    claimed_until: Mapped[datetime | None]
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(String(500))
    sent_at: Mapped[datetime | None]
    # A reminder recorded but made moot before it went out (the complaint was resolved); brought
    # back if the policy finds it due again. Also set, with abandoned_at, on a send given up
    # after an error no retry can cure (that one stays given up).
    cancelled_at: Mapped[datetime | None]
    abandoned_at: Mapped[datetime | None]
    message_channel: Mapped[str | None] = mapped_column(String(32))
    message_ts: Mapped[str | None] = mapped_column(String(32))
