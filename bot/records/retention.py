"""Retention and legal hold: the rules. SQL in storage/retention.py; never Slack.

Records are evidence for as long as the firm's rules say (RETENTION_YEARS after a complaint is
resolved), then their personal details are disposed of. The purge anonymises rather than deletes:
counts, dates, categories and outcomes stay, so the statistics and the timeline's shape survive.
A legal hold keeps a complaint (and the disclosures on its matter) out of every purge until released.
A closed matter goes RETENTION_YEARS after it was closed, once nothing naming it is kept.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, tzinfo
from typing import Any

from sqlalchemy import Row
from sqlalchemy.orm import Session, sessionmaker

from bot.complaints.service import complaint_for_update, parse_reference
from bot.core import blockkit
from bot.core.config import Settings
from bot.core.errors import UserError
from bot.core.text import refusal
from bot.core.vocabulary import EventKind
from bot.matters.naming import opened_key
from storage import retention as store
from storage.models import Complaint, Event

REMOVED = "[removed after the retention period]"
LEGAL_HOLD_REASON_MAX = 500  # the column's length
PURGE_ACTOR = "retention"
BATCH = 500
# Keys of event data that hold what people typed, or a link to it; the purge replaces their values.
# Every other key (kinds, dates, ids, counts, outcomes) stays, so the timeline still says what
# happened and when. A new service writing free text into an event adds its key here.
FREE_TEXT_KEYS = frozenset(
    {
        "note",
        "told",
        "next_step",
        "reason",
        "remedy",
        "summary",
        "client_name",
        "client_request",
        "content",
        "document_url",
        "source_message_url",
        "text",
    }
)


# --- legal hold ------------------------------------------------------------------------------------


class AlreadyHeld(UserError):
    """Carries the hold already in place, for a caller that wants to show it its own way."""

    def __init__(self, complaint: Complaint, tz: tzinfo):
        self.since: datetime = complaint.legal_hold_at  # type: ignore[assignment]
        self.by: str | None = complaint.legal_hold_by
        self.reason: str | None = complaint.legal_hold_reason
        super().__init__(
            f"{complaint.reference} has been on legal hold since {blockkit.day(self.since.astimezone(tz).date())} "
            f"({self.reason}); `/complaint show {complaint.reference}` says who placed it."
        )


def _hold_reason(reason: str | None) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise UserError(
            "Say why the complaint is held, e.g. `/complaint hold CMP-2026-0001 claim issued, keep all records`."
        )
    if len(reason) > LEGAL_HOLD_REASON_MAX:
        raise UserError(f"Keep the reason for the hold to {LEGAL_HOLD_REASON_MAX} characters; it has {len(reason)}.")
    refused = refusal(reason)
    if refused is not None:
        raise UserError(
            f"The reason for the hold contains {refused.what} that cannot be stored; remove it and send the "
            "command again."
        )
    return reason


def place_hold(
    *,
    session_factory: sessionmaker[Session],
    reference: str,
    actor: str,
    reason: str | None,
    now: datetime,
    tz: tzinfo = UTC,
) -> Complaint:
    """Keep a complaint out of every purge until released; `tz` only formats dates in the refusals."""
    reason = _hold_reason(reason)
    reference = parse_reference(reference)
    with session_factory.begin() as session:
        # Locked: a purge running now either purged it first (refused below) or skips it after.
        complaint = complaint_for_update(session, reference=reference)
        if complaint.purged_at is not None:
            raise UserError(
                f"{reference}'s personal details were removed on {blockkit.day(complaint.purged_at.astimezone(tz).date())} "
                "after the retention period; a legal hold cannot bring them back."
            )
        if complaint.legal_hold_at is not None:
            raise AlreadyHeld(complaint, tz)
        complaint.legal_hold_at = now
        complaint.legal_hold_by = actor
        complaint.legal_hold_reason = reason
        session.add(
            Event(complaint_id=complaint.id, kind=EventKind.HELD.value, actor=actor, at=now, data={"reason": reason})
        )
    return complaint


def release_hold(*, session_factory: sessionmaker[Session], reference: str, actor: str, now: datetime) -> Complaint:
    """End a legal hold; the next purge treats the complaint like any other (it may be past due)."""
    reference = parse_reference(reference)
    with session_factory.begin() as session:
        complaint = complaint_for_update(session, reference=reference)
        if complaint.legal_hold_at is None:
            raise UserError(f"{reference} is not on legal hold, so there is nothing to release.")
        ended = {
            "at": complaint.legal_hold_at.isoformat(),
            "by": complaint.legal_hold_by,
            "reason": complaint.legal_hold_reason,
        }
        complaint.legal_hold_at = None
        complaint.legal_hold_by = None
        complaint.legal_hold_reason = None
        session.add(
            Event(complaint_id=complaint.id, kind=EventKind.RELEASED.value, actor=actor, at=now, data={"hold": ended})
        )
    return complaint


# --- what is due -----------------------------------------------------------------------------------


def _cutoff_day(now: datetime, tz: tzinfo, years: int) -> date:
    today = now.astimezone(tz).date()
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February, in a year without one
        return today.replace(year=today.year - years, day=28)


def purge_cutoff(now: datetime, tz: tzinfo, years: int) -> datetime:
    """Records resolved before this (UTC-aware) are due: the start of today's date `years` ago in the
    firm's time zone, so a record goes on the night its anniversary has fully passed there."""
    return datetime.combine(_cutoff_day(now, tz, years), time.min, tzinfo=tz).astimezone(UTC)


@dataclass(frozen=True)
class Due:
    """A record due for disposal: a complaint (with resolved_at), a disclosure (with disclosed_on)
    or a matter (with closed_at)."""

    reference: str
    resolved_at: datetime | None = None
    disclosed_on: date | None = None
    closed_at: datetime | None = None

    def day(self, tz: tzinfo) -> date:
        """The day retention counts from, in the firm's time zone."""
        at = self.resolved_at or self.closed_at
        return at.astimezone(tz).date() if at else self.disclosed_on  # type: ignore[return-value]

    @property
    def what(self) -> str:
        return "resolved" if self.resolved_at else "closed" if self.closed_at else "disclosed"


def _cutoffs(now: datetime, settings: Settings) -> tuple[datetime, date]:
    return purge_cutoff(now, settings.tz, settings.retention_years), _cutoff_day(
        now, settings.tz, settings.retention_years
    )


def due_for_purge(*, session: Session, now: datetime, settings: Settings) -> list[Due]:
    """What `purge` at `now` would dispose of, complaints first, then disclosures, then matters; reads only."""
    cutoff, cutoff_day = _cutoffs(now, settings)
    return (
        [Due(r.reference, resolved_at=r.resolved_at) for r in store.complaints_due(session, cutoff=cutoff)]
        + [
            Due(r.reference, disclosed_on=r.disclosed_on)
            for r in store.disclosures_due(session, cutoff=cutoff, cutoff_day=cutoff_day)
        ]
        + [
            Due(r.reference, closed_at=r.closed_at)
            for r in store.matters_due(session, cutoff=cutoff, cutoff_day=cutoff_day)
        ]
    )


def held_back(*, session: Session, now: datetime, settings: Settings) -> int:
    """How many records past the retention period a legal hold keeps."""
    cutoff, cutoff_day = _cutoffs(now, settings)
    return store.held_back(session, cutoff=cutoff, cutoff_day=cutoff_day)


# --- the purge --------------------------------------------------------------------------------------


@dataclass
class PurgeReport:
    references: list[str] = field(default_factory=list)
    held_back: int = 0

    @property
    def count(self) -> int:
        return len(self.references)


def scrub(value: Any) -> Any:
    """Event data with the free text replaced, at any depth (a released hold carries its reason)."""
    if isinstance(value, dict):
        return {k: (REMOVED if k in FREE_TEXT_KEYS and v is not None else scrub(v)) for k, v in value.items()}
    if isinstance(value, list):
        return [scrub(v) for v in value]
    return value


def _scrub_timeline(
    session: Session,
    *,
    complaint_ids: Sequence[int] = (),
    disclosure_ids: Sequence[int] = (),
    matter_ids: Sequence[int] = (),
) -> None:
    rows = store.event_data(session, complaint_ids=complaint_ids, disclosure_ids=disclosure_ids, matter_ids=matter_ids)
    store.rewrite_event_data(session, [(r.id, new) for r in rows if (new := scrub(r.data)) != r.data])


def purge(
    *, session_factory: sessionmaker[Session], now: datetime, settings: Settings, batch: int = BATCH
) -> PurgeReport:
    """Anonymise every record past the retention period and not on hold, `batch` at a time.

    Each batch is one transaction: the records, their timelines, their messages and the purged
    events are all written or none is. A purge interrupted and run again carries on where it
    stopped; two at once share the work (see storage/retention.py), so each record is purged once.
    Complaints go first, then disclosures, then matters: a matter whose last complaint goes tonight
    frees its disclosures, and itself, tonight.
    """
    cutoff, cutoff_day = _cutoffs(now, settings)
    years = settings.retention_years
    report = PurgeReport()
    # Complaints first: a matter whose last kept complaint goes tonight frees its disclosures tonight.
    report.references += _purge_batches(
        session_factory,
        lambda session: store.claim_complaints(session, cutoff=cutoff, now=now, limit=batch, placeholder=REMOVED),
        owner="complaint_id",
        dated=lambda r: {"resolved_at": r.resolved_at.isoformat()},
        years=years,
        now=now,
    )
    report.references += _purge_batches(
        session_factory,
        lambda session: store.claim_disclosures(
            session, cutoff=cutoff, cutoff_day=cutoff_day, now=now, limit=batch, placeholder=REMOVED
        ),
        owner="disclosure_id",
        dated=lambda r: {"disclosed_on": r.disclosed_on.isoformat()},
        years=years,
        now=now,
    )
    report.references += _purge_batches(
        session_factory,
        lambda session: store.claim_matters(
            session, cutoff=cutoff, cutoff_day=cutoff_day, now=now, limit=batch, placeholder=REMOVED
        ),
        owner="matter_id",
        dated=lambda r: {"closed_at": r.closed_at.isoformat()},
        years=years,
        now=now,
        # A matter's messages carry its id, but the confirmation of its opening is known by its key.
        message_keys=lambda claimed: [opened_key(r.reference) for r in claimed],
    )
    with session_factory() as session:
        report.held_back = store.held_back(session, cutoff=cutoff, cutoff_day=cutoff_day)
    return report


def _purged_event(
    now: datetime,
    *,
    data: dict[str, Any],
    complaint_id: int | None = None,
    disclosure_id: int | None = None,
    matter_id: int | None = None,
) -> dict[str, Any]:
    return {
        "complaint_id": complaint_id,
        "disclosure_id": disclosure_id,
        "matter_id": matter_id,
        "kind": EventKind.PURGED.value,
        "actor": PURGE_ACTOR,
        "at": now,
        "data": data,
    }


def _purge_batches(
    session_factory: sessionmaker[Session],
    claim: Callable[[Session], Sequence[Row[*tuple[Any, ...]]]],
    *,
    owner: str,
    dated: Callable[[Row[*tuple[Any, ...]]], dict[str, str]],
    years: int,
    now: datetime,
    message_keys: Callable[[Sequence[Row[*tuple[Any, ...]]]], list[str]] | None = None,
) -> list[str]:
    """Claim and purge one kind of record a batch at a time (one transaction each); their references."""
    references: list[str] = []
    while True:
        with session_factory.begin() as session:
            claimed = claim(session)
            if not claimed:
                return references
            ids = [r.id for r in claimed]
            _scrub_timeline(session, **{f"{owner}s": ids})
            messages: dict[str, Any] = {f"{owner}s": ids}
            if message_keys:
                messages["dedupe_keys"] = message_keys(claimed)
            store.scrub_notifications(session, placeholder=REMOVED, now=now, **messages)
            store.add_events(
                session,
                [_purged_event(now, **{owner: r.id}, data={"retention_years": years, **dated(r)}) for r in claimed],
            )
        references += [r.reference for r in claimed]
