"""The referral to the ombudsman, after the firm's final response, and the ombudsman's decision on
it. The bot records what the firm is told (the client referred on this date, the ombudsman's
reference; later its decision and any award); it refers nothing itself. Plain values in, results
out; never Slack.

Recording either again is a change of it, not a refusal: the ombudsman's reference often comes after
the referral is known, and a date typed wrong must be put right. Each change is its own event, with
what it replaced, so the timeline keeps every version; a submission that changes nothing records
nothing (so a modal submitted twice is recorded once).

Reopening a complaint keeps its referral and decision: the client did refer it, and the ombudsman's
decision stands whatever the firm does next.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from bot.complaints.service import complaint_for_update
from bot.core.blockkit import day
from bot.core.config import Settings
from bot.core.errors import FieldErrors, UserError
from bot.core.ids import OmbudsmanDecisionField, ReferralField
from bot.core.vocabulary import EventKind, OmbudsmanDecision, Status
from bot.rulebooks.schemes import Ombudsman, Rulebook
from storage.models import Complaint, Event


@dataclass(frozen=True)
class ReferralInput:
    referred_on: date
    ombudsman_reference: str | None = None
    # False when only the date was given (the command): the reference recorded, if any, stays.
    reference_given: bool = True


@dataclass(frozen=True)
class DecisionInput:
    decision: OmbudsmanDecision
    decided_on: date
    # Whole minor units of the firm's currency (Settings.currency); None: no award.
    award: int | None = None


@dataclass(frozen=True)
class Recorded:
    complaint: Complaint
    # False when the submission matched what was already recorded: no event was written.
    changed: bool
    # Whether it replaced an earlier referral (or decision).
    edited: bool = False
    notification_keys: tuple[str, ...] = ()


def ombudsman_of(book: Rulebook) -> Ombudsman:
    """The scheme's ombudsman; a UserError under a scheme with none (nothing to refer to)."""
    if book.ombudsman is None:
        raise UserError(
            f"The firm's complaints scheme ({book.title}) has no ombudsman, so there is no referral "
            "or ombudsman decision to record."
        )
    return book.ombudsman


def require_referable(complaint: Complaint, book: Rulebook) -> None:
    """A referral is recorded on a resolved complaint, under a scheme with an ombudsman."""
    ombudsman_of(book)
    if complaint.status != Status.RESOLVED:
        ref = complaint.reference
        raise UserError(
            f"{ref} is still open; resolve it (`/complaint resolve {ref}`) before recording its referral "
            "to the ombudsman: the referral follows the final response."
        )


def require_referred(complaint: Complaint, book: Rulebook) -> None:
    """The ombudsman's decision is recorded on a complaint recorded as referred (open again or not)."""
    ombudsman_of(book)
    if complaint.referred_on is None:
        ref = complaint.reference
        raise UserError(
            f"{ref} is not recorded as referred to the ombudsman; record the referral first "
            f"(`/complaint referred {ref}`)."
        )


def responded_on(complaint: Complaint, settings: Settings) -> date | None:
    """The day the firm's final response went (or, for a record without it, the day it was resolved)."""
    if complaint.final_response_sent_on is not None:
        return complaint.final_response_sent_on
    if complaint.resolved_at is not None:
        return complaint.resolved_at.astimezone(settings.tz).date()
    return None


def record_referral(
    *,
    session_factory: sessionmaker[Session],
    reference: str,
    data: ReferralInput,
    actor: str,
    now: datetime,
    settings: Settings,
) -> Recorded:
    """Record that the client referred the complaint to the ombudsman on `data.referred_on` (not
    before the final response, not in the future, not after a decision already recorded), and its
    event, in one transaction."""
    with session_factory.begin() as session:
        complaint = complaint_for_update(session, reference=reference)
        require_referable(complaint, settings.rulebook)
        F = ReferralField
        on = data.referred_on
        errors: dict[str, str] = {}
        responded = responded_on(complaint, settings)
        if on > now.astimezone(settings.tz).date():
            errors[F.REFERRED_ON] = "The referral cannot be in the future."
        elif responded is not None and on < responded:
            errors[F.REFERRED_ON] = f"The final response went on {day(responded)}: the referral cannot be before it."
        elif complaint.ombudsman_decided_on is not None and on > complaint.ombudsman_decided_on:
            errors[F.REFERRED_ON] = (
                f"The ombudsman's decision is recorded on {day(complaint.ombudsman_decided_on)}: "
                "the referral cannot be after it."
            )
        if errors:
            raise FieldErrors(errors)
        previous = {"referred_on": _iso(complaint.referred_on), "ombudsman_reference": complaint.ombudsman_reference}
        reference_after = data.ombudsman_reference if data.reference_given else complaint.ombudsman_reference
        after = {"referred_on": on.isoformat(), "ombudsman_reference": reference_after}
        if previous == after:
            return Recorded(complaint, changed=False, edited=True)
        edited = complaint.referred_on is not None
        complaint.referred_on = on
        complaint.ombudsman_reference = reference_after
        _event(session, complaint, EventKind.REFERRED, actor, now, after, previous if edited else None)
    return Recorded(complaint, changed=True, edited=edited)


def record_decision(
    *,
    session_factory: sessionmaker[Session],
    reference: str,
    data: DecisionInput,
    actor: str,
    now: datetime,
    settings: Settings,
) -> Recorded:
    """Record the ombudsman's decision (not before the referral, not in the future) and any award,
    in the firm's currency, and its event, in one transaction."""
    currency = settings.currency
    with session_factory.begin() as session:
        complaint = complaint_for_update(session, reference=reference)
        require_referred(complaint, settings.rulebook)
        F = OmbudsmanDecisionField
        on = data.decided_on
        errors: dict[str, str] = {}
        assert complaint.referred_on is not None  # require_referred
        if on > now.astimezone(settings.tz).date():
            errors[F.DECIDED_ON] = "The decision cannot be in the future."
        elif on < complaint.referred_on:
            errors[F.DECIDED_ON] = (
                f"The complaint was referred on {day(complaint.referred_on)}: the decision cannot be before it."
            )
        if data.award is not None and complaint.redress_currency not in (None, currency.code):
            errors[F.AWARD] = (
                f"This complaint's redress is recorded in {complaint.redress_currency}, not {currency.code}: "
                "an award in another currency cannot be recorded beside it."
            )
        if errors:
            raise FieldErrors(errors)
        previous = {
            "decision": complaint.ombudsman_decision,
            "decided_on": _iso(complaint.ombudsman_decided_on),
            "award": complaint.ombudsman_award,
        }
        after = {"decision": data.decision.value, "decided_on": on.isoformat(), "award": data.award}
        if previous == after:
            return Recorded(complaint, changed=False, edited=True)
        edited = complaint.ombudsman_decision is not None
        complaint.ombudsman_decision = data.decision.value
        complaint.ombudsman_decided_on = on
        complaint.ombudsman_award = data.award
        if data.award is not None and complaint.redress_currency is None:
            complaint.redress_currency = currency.code
        recorded = {**after, "currency": complaint.redress_currency if data.award is not None else None}
        _event(session, complaint, EventKind.OMBUDSMAN_DECIDED, actor, now, recorded, previous if edited else None)
    return Recorded(complaint, changed=True, edited=edited)


def _event(
    session: Session,
    complaint: Complaint,
    kind: EventKind,
    actor: str,
    now: datetime,
    data: dict[str, Any],
    previous: dict[str, Any] | None,
) -> None:
    session.add(Event(complaint_id=complaint.id, kind=kind, actor=actor, at=now, data={**data, "previous": previous}))
    session.flush()


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None
