"""The matters service: opening a matter (or setting up one a complaint or a disclosure named
first), closing it, and reading it with its timeline. Never Slack."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from bot import access
from bot.core.config import DEFAULT_CURRENCY_OF_RECORD, Settings
from bot.core.errors import NotFound, UserError
from bot.core.money import Currency
from bot.core.paging import PAGE_SIZE, Page, paginate
from bot.core.vocabulary import EventKind, MatterStatus
from bot.disclosures.service import MatterRecord, matter_part
from bot.matters import messages
from bot.matters.costs import estimate_on_set_up
from bot.matters.inputs import NewMatter
from bot.matters.naming import opened_key
from bot.matters.policy import MATTER_REMINDER_KINDS, MatterPolicy
from bot.matters.risk import MatterCare, care_of, ranked_page
from storage import matters as matters_store
from storage import outbox as outbox_store
from storage.models import Event, Matter

if TYPE_CHECKING:
    from bot.core.context import BotContext


def parse_matter_ref(text: str | None, *, sub: str) -> str:
    ref = (text or "").strip()
    if not ref:
        raise UserError(f"Say which matter: `/matter {sub} M-1001`.")
    return ref


@dataclass(frozen=True)
class Opened:
    matter: Matter
    # True when it had been named first by a complaint or a disclosure, and is now set up.
    was_named: bool
    notification_keys: tuple[str, ...] = ()


def open_matter(
    *,
    session_factory: sessionmaker[Session],
    data: NewMatter,
    actor: str,
    now: datetime,
    currency: Currency = DEFAULT_CURRENCY_OF_RECORD,
) -> Opened:
    """Open the matter, or set up the one a complaint or a disclosure named first; its event and
    the confirmation to `actor` in the same transaction. One already set up is not changed."""
    try:
        with session_factory.begin() as session:
            return _open(session, data, actor, now, currency)
    except IntegrityError:  # opened by someone else at the same moment
        raise _already_open(data.matter_ref) from None


def _already_open(matter_ref: str) -> UserError:
    return UserError(f"Matter {matter_ref} is already open: `/matter show {matter_ref}`.")


def _open(session: Session, data: NewMatter, actor: str, now: datetime, currency: Currency) -> Opened:
    matter, was_named = set_up_matter(session, data, actor=actor, now=now, currency=currency)
    text, body = messages.matter_confirmation(matter, was_named=was_named)
    key = opened_key(matter.matter_ref)
    outbox_store.record_notification(
        session, dedupe_key=key, kind="matter-opened", channel=actor, text=text, blocks=body, now=now
    )
    return Opened(matter, was_named=was_named, notification_keys=(key,))


def set_up_matter(
    session: Session,
    data: NewMatter,
    *,
    actor: str,
    now: datetime,
    imported_from: str | None = None,
    currency: Currency = DEFAULT_CURRENCY_OF_RECORD,
) -> tuple[Matter, bool]:
    """Open the matter, or fill in the one named first (then the bool is True), with its event.
    The one way a matter is set up, from the modal or from an import (`imported_from`, the file).
    One named first by a costs estimate with an amount (in `currency`, the firm's) holds its
    estimate from now on."""
    matter = matters_store.matter_by_ref(session, data.matter_ref, for_update=True)
    if matter is not None and matter.set_up:
        raise _already_open(data.matter_ref)
    was_named = matter is not None
    if matter is None:
        matter = Matter(matter_ref=data.matter_ref, created_at=now, status=MatterStatus.OPEN.value)
        session.add(matter)
    matter.client_name = data.client_name
    matter.responsible_id = data.responsible_id
    matter.supervisor_id = data.supervisor_id
    matter.area = data.area
    matter.opened_on = data.opened_on
    matter.update_cadence_days = data.update_cadence_days
    matter.next_key_date = data.next_key_date
    matter.next_key_date_what = data.next_key_date_what
    matter.set_up = True
    matter.set_up_at = now
    matter.next_reminder_at = now
    session.flush()
    event_data = {
        "responsible_id": data.responsible_id,
        "supervisor_id": data.supervisor_id,
        "area": data.area,
        "opened_on": data.opened_on.isoformat(),
        "update_cadence_days": data.update_cadence_days,
        "next_key_date": data.next_key_date.isoformat() if data.next_key_date else None,
        "set_up_after_named": was_named,
    }
    if imported_from is not None:
        event_data["imported_from"] = imported_from
    session.add(Event(matter_id=matter.id, kind=EventKind.MATTER_OPENED, actor=actor, at=now, data=event_data))
    if was_named:
        estimate_on_set_up(session, matter=matter, currency=currency, actor=actor, now=now)
    return matter, was_named


def close_matter(*, session_factory: sessionmaker[Session], matter_ref: str, actor: str, now: datetime) -> Matter:
    with session_factory.begin() as session:
        matter = matters_store.matter_by_ref(session, matter_ref, for_update=True)
        if matter is None:
            raise NotFound(f"There is no matter {matter_ref}.")
        if matter.status == MatterStatus.CLOSED:
            raise UserError(f"Matter {matter_ref} is already closed.")
        matter.status = MatterStatus.CLOSED.value
        matter.closed_at = now
        matter.closed_by = actor
        matter.next_reminder_at = None
        # A closed matter is owed nothing: what was recorded for it and not yet sent is not sent.
        outbox_store.cancel_unsent(session, kinds=MATTER_REMINDER_KINDS, now=now, matter_id=matter.id)
        session.add(Event(matter_id=matter.id, kind=EventKind.MATTER_CLOSED, actor=actor, at=now, data={}))
    return matter


# --- reading -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class MatterView:
    matter: Matter
    events: Sequence[Event]
    # Its complaints and disclosures, as the viewer may see them (bot/disclosures' matter record).
    record: MatterRecord
    # Its risk, checklist and next client update: an open matter that is set up only.
    care: MatterCare | None = None


def matter_view(
    *,
    session: Session,
    matter_ref: str,
    viewer: access.Viewer,
    settings: Settings,
    policy: MatterPolicy,
    now: datetime,
) -> MatterView:
    """The matter, its own events and its complaints and disclosures, as `viewer` may see them
    (access to the matter itself is decided before: bot/matters/requests.py), and its client care
    (bot/matters/risk.py), judged on all its records."""
    matter = matters_store.matter_by_ref(session, matter_ref)
    if matter is None:
        raise NotFound(f"There is no matter {matter_ref}.")
    events = viewer.visible_matter_events(matters_store.events_of_matter(session, matter.id))
    care = care_of(session, matter, events=events, settings=settings, policy=policy, now=now)
    return MatterView(matter, events, matter_part(session=session, matter_ref=matter_ref, viewer=viewer), care)


def list_matters(*, ctx: BotContext, viewer: access.Viewer, page: int = 1, page_size: int = PAGE_SIZE) -> Page:
    """Open matters, each a bot.matters.risk.Rated: the viewer's own (responsible or supervising)
    first; the team then sees every other; each group red, amber, green (bot/matters/risk.py)."""
    with ctx.read_session_factory() as session:
        return paginate(
            lambda offset, limit: ranked_page(
                session,
                user_id=viewer.user_id,
                everyone=viewer.matters_involving is None,
                settings=ctx.settings,
                policy=ctx.matter_policy,
                today=ctx.today(),
                offset=offset,
                limit=limit,
            ),
            page,
            what="matters",
            page_size=page_size,
        )
