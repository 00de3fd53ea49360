"""A matter's facts for its policy (bot/matters/policy.py), read from the store: the matter itself,
the kinds of disclosure on it, its complaints. One place, so that the sweep, `/matter show`,
`/matter list`, App Home and the digest judge a matter by the same facts."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from bot.core.config import Settings
from bot.core.vocabulary import ClientMood, DisclosureKind
from bot.matters.policy import ClientUpdate, MatterFacts
from storage import matters as matters_store
from storage.models import Matter

KINDS = frozenset(k.value for k in DisclosureKind)


def facts_of(
    m: Matter,
    *,
    settings: Settings,
    disclosed: set[str] | frozenset[str] = frozenset(),
    complaints: tuple[bool, datetime | None] | None = None,
) -> MatterFacts:
    """The facts of matter `m` (set up: it has an opening date), given the kinds of disclosure on
    it and, if it has complaints, whether one is open and when the latest was resolved."""
    assert m.opened_on is not None, "a matter not set up has no client-care policy"
    open_complaint, resolved_at = complaints or (False, None)
    tz: ZoneInfo = settings.tz
    updates = tuple(
        ClientUpdate(on, mood)
        for on, mood in ((m.unhappy_on, ClientMood.UNHAPPY), (m.concerned_on, ClientMood.CONCERNED))
        if on is not None
    )
    return MatterFacts(
        reference=m.matter_ref,
        opened_on=m.opened_on,
        set_up_on=m.set_up_at.astimezone(tz).date() if m.set_up_at is not None else None,
        status=m.status,
        update_cadence_days=m.update_cadence_days,
        last_update_on=m.last_update_on,
        snoozed_until=m.snoozed_until,
        dormant_until=m.dormant_until,
        checklist=settings.checklist_for(m.area),
        disclosed=frozenset(DisclosureKind(k) for k in disclosed if k in KINDS),
        costs_estimate=m.costs_estimate,
        estimate_id=m.estimate_ref,
        costs_to_date=m.costs_to_date,
        costs_changed_at=m.costs_changed_at,
        recent_updates=updates,
        open_complaint=open_complaint,
        complaint_resolved_on=resolved_at.astimezone(tz).date() if resolved_at is not None else None,
    )


def facts_of_many(session: Session, matters: Sequence[Matter], *, settings: Settings) -> dict[int, MatterFacts]:
    """The facts of each matter set up among `matters`, by id, in two queries whatever their number."""
    ready = [m for m in matters if m.set_up and m.opened_on is not None]
    refs = [m.matter_ref for m in ready]
    disclosed = matters_store.disclosed_kinds(session, refs)
    complaints = matters_store.complaint_states(session, refs)
    return {
        m.id: facts_of(
            m,
            settings=settings,
            disclosed=disclosed.get(m.matter_ref, set()),
            complaints=complaints.get(m.matter_ref),
        )
        for m in ready
    }
