"""The disclosures service: what each client was told, and chasing their acknowledgement. Never Slack."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session, sessionmaker

from bot import access
from bot.core import references
from bot.core.config import Settings
from bot.core.errors import NotFound, UserError
from bot.core.paging import PAGE_SIZE, Page, paginate
from bot.core.submissions import store_once
from bot.core.vocabulary import AckStatus, DisclosureKind, EventKind
from bot.disclosures import messages
from bot.disclosures.inputs import NewDisclosure
from bot.matters.costs import estimate_from_disclosure
from bot.matters.naming import name_matter
from bot.reminders.policy import ReminderKind, SlaPolicy
from storage import complaints as complaints_store
from storage import disclosures as disclosures_store
from storage import outbox as outbox_store
from storage import references as references_store
from storage.models import Complaint, Disclosure, Event

if TYPE_CHECKING:
    from bot.core.context import BotContext

CHASE_AGAIN_DAYS = 7


def parse_reference(text: str | None) -> str:
    return references.parse_reference(references.DISCLOSURE, text)


@dataclass(frozen=True)
class Logged:
    disclosure: Disclosure
    created: bool
    notification_keys: tuple[str, ...] = ()


def log_disclosure(
    *,
    session_factory: sessionmaker[Session],
    data: NewDisclosure,
    logged_by: str,
    now: datetime,
    settings: Settings,
    policy: SlaPolicy,
    view_id: str | None = None,
) -> Logged:
    """Store a disclosure with its reference, its event and a confirmation, in one transaction.

    The same modal submitted twice (same `view_id`) stores one disclosure.
    """
    return store_once(
        session_factory,
        view_id=view_id,
        find=disclosures_store.disclosure_by_view_id,
        insert=lambda session: _insert(session, data, logged_by, now, settings, policy, view_id),
        stored_before=lambda d: Logged(d, created=False),
    )


def _insert(
    session: Session,
    data: NewDisclosure,
    logged_by: str,
    now: datetime,
    settings: Settings,
    policy: SlaPolicy,
    view_id: str | None,
) -> Logged:
    today = policy.local_date(now)
    year = now.astimezone(settings.tz).year
    number = references_store.next_reference_number(session, prefix=references.DISCLOSURE, year=year)
    pending = data.ack_status == AckStatus.PENDING
    disclosure = Disclosure(
        reference=references.format_reference(references.DISCLOSURE, year, number),
        ref_year=year,
        ref_seq=number,
        client_name=data.client_name,
        matter_ref=data.matter_ref,
        kind=data.kind.value,
        content=data.content,
        disclosed_on=data.disclosed_on,
        disclosed_via=data.via.value,
        ack_status=data.ack_status.value,
        acknowledged_at=now if data.ack_status == AckStatus.ACKNOWLEDGED else None,
        follow_up_on=(data.follow_up_on or policy.disclosure_follow_up_on(data.disclosed_on, today))
        if pending
        else None,
        document_url=data.document_url,
        source_message_url=data.source_message_url,
        logged_by=logged_by,
        logged_at=now,
        source_view_id=view_id,
        next_reminder_at=now if pending else None,
        amount=data.amount,
    )
    session.add(disclosure)
    session.flush()
    session.add(
        Event(
            disclosure_id=disclosure.id,
            kind=EventKind.DISCLOSED,
            actor=logged_by,
            at=now,
            data={
                "reference": disclosure.reference,
                "kind": data.kind.value,
                "matter_ref": data.matter_ref,
                "disclosed_on": data.disclosed_on.isoformat(),
                "via": data.via.value,
                "ack_status": data.ack_status.value,
                "amount": data.amount,
            },
        )
    )
    name_matter(
        session,
        matter_ref=data.matter_ref,
        named_by=disclosure.reference,
        actor=logged_by,
        now=now,
    )
    estimate_from_disclosure(session, disclosure=disclosure, currency=settings.currency, actor=logged_by, now=now)
    text, body = messages.disclosure_confirmation(disclosure, currency=settings.currency)
    key = f"disclosure-logged:{disclosure.reference}"
    outbox_store.record_notification(
        session,
        dedupe_key=key,
        kind="disclosure-logged",
        channel=logged_by,
        text=text,
        blocks=body,
        now=now,
        disclosure_id=disclosure.id,
    )
    return Logged(disclosure, created=True, notification_keys=(key,))


def _get_for_update(session: Session, reference: str) -> Disclosure:
    d = disclosures_store.disclosure_by_reference(session, reference, for_update=True)
    if d is None:
        raise NotFound(f"There is no disclosure {reference}.")
    return d


def acknowledge(*, session_factory: sessionmaker[Session], reference: str, actor: str, now: datetime) -> Disclosure:
    """The client has acknowledged it: chasing stops."""
    with session_factory.begin() as session:
        d = _get_for_update(session, reference)
        if d.ack_status != AckStatus.PENDING:
            raise UserError(f"{reference} is not awaiting acknowledgement ({AckStatus(d.ack_status).label.lower()}).")
        d.ack_status = AckStatus.ACKNOWLEDGED.value
        d.acknowledged_at = now
        d.next_reminder_at = None
        outbox_store.cancel_unsent(
            session, complaint_id=None, disclosure_id=d.id, kinds=[ReminderKind.DISCLOSURE_CHASE.value], now=now
        )
        session.add(Event(disclosure_id=d.id, kind=EventKind.ACKNOWLEDGED, actor=actor, at=now, data={}))
    return d


def chase_again(
    *,
    session_factory: sessionmaker[Session],
    reference: str,
    actor: str,
    now: datetime,
    policy: SlaPolicy,
    days: int = CHASE_AGAIN_DAYS,
) -> Disclosure:
    """Ask again later: the follow-up moves on `days`, which is a new reminder (a new key)."""
    with session_factory.begin() as session:
        d = _get_for_update(session, reference)
        if d.ack_status != AckStatus.PENDING:
            raise UserError(f"{reference} is not awaiting acknowledgement, so there is nothing to chase.")
        d.follow_up_on = policy.local_date(now) + timedelta(days=days)
        d.next_reminder_at = now
        session.add(
            Event(
                disclosure_id=d.id,
                kind=EventKind.CHASED,
                actor=actor,
                at=now,
                data={"follow_up_on": d.follow_up_on.isoformat()},
            )
        )
    return d


# --- reading -----------------------------------------------------------------------------------
# Every read takes the viewer and keeps to what bot.access lets them see.


def get_disclosure(*, session: Session, reference: str) -> tuple[Disclosure, Sequence[Event]]:
    d = disclosures_store.disclosure_by_reference(session, reference)
    if d is None:
        raise NotFound(f"There is no disclosure {reference}.")
    return d, disclosures_store.events_of_disclosure(session, d.id)


def disclosure_record(*, ctx: BotContext, viewer: access.Viewer, reference: str) -> tuple[Disclosure, Sequence[Event]]:
    """A disclosure and its timeline, if `viewer` may see it; else the refusal (logged)."""
    access.disclosure_for(ctx, viewer, reference, action="disclosure show")
    with ctx.read_session_factory() as session:
        return get_disclosure(session=session, reference=reference)


def list_disclosures(
    *, ctx: BotContext, viewer: access.Viewer, matter_ref: str | None, page: int = 1, page_size: int = PAGE_SIZE
) -> Page:
    """Disclosures, newest first, for a matter or all: every one for the team, the viewer's own for anyone else."""
    with ctx.read_session_factory() as session:
        return paginate(
            lambda offset, limit: disclosures_store.disclosures_page(
                session, matter_ref=matter_ref, offset=offset, limit=limit, logged_by=viewer.disclosures_logged_by
            ),
            page,
            what="disclosures",
            page_size=page_size,
        )


@dataclass(frozen=True)
class MatterRecord:
    matter_ref: str
    complaints: Sequence[Complaint]
    disclosures: Sequence[Disclosure]
    # False when it is only the viewer's part of the matter (what they may see).
    complete: bool = True


def matter_record(*, session: Session, matter_ref: str, viewer: access.Viewer) -> MatterRecord:
    """A matter's complaints and disclosures as `viewer` may see them (`matter_part`). Raises
    NotFound when nothing is left."""
    matter_ref = matter_ref.strip()
    if not matter_ref:
        raise UserError("Say which matter: `/complaint matter M-1001`.")
    record = matter_part(session=session, matter_ref=matter_ref, viewer=viewer)
    if not record.complaints and not record.disclosures:
        raise NotFound(f"Nothing is on record for matter {matter_ref}: no complaints and no disclosures.")
    return record


def matter_part(*, session: Session, matter_ref: str, viewer: access.Viewer) -> MatterRecord:
    """A matter's complaints and disclosures as `viewer` may see them: all of them for the team; for
    anyone else, the complaints they handle or reported and the disclosures they logged."""
    on_matter = complaints_store.complaints_on_matter(session, matter_ref, involving=viewer.complaints_involving)
    told = disclosures_store.disclosures_on_matter(session, matter_ref, logged_by=viewer.disclosures_logged_by)
    return MatterRecord(
        matter_ref,
        [c for c in on_matter if viewer.may(access.Need.SEE, c)],
        viewer.visible_disclosures(told),
        complete=viewer.team,
    )


def stale_costs_on(
    session: Session, matter_ref: str | None, *, viewer: access.Viewer, today: date, policy: SlaPolicy
) -> date | None:
    """The date of the latest costs estimate on the matter that `viewer` may see, if it is old
    enough to need review. Over the disclosures they may see only: the date of one they may not
    see would tell them it exists."""
    if not matter_ref:
        return None
    latest = disclosures_store.latest_disclosure_by_kind(session, matter_ref, logged_by=viewer.disclosures_logged_by)
    dates = [
        latest[k.value] for k in (DisclosureKind.COSTS_ESTIMATE, DisclosureKind.COSTS_REVISED) if k.value in latest
    ]
    newest = max(dates) if dates else None
    return newest if policy.costs_estimate_stale(newest, today) else None
