"""A matter's state as people read it: its risk level with the reasons, its checklist met or
missing, its next client update; and matters rated together, for `/matter list`, App Home and the
weekly digest. The rules are bot/matters/policy.py's; the facts bot/matters/facts.py's. Never Slack."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy.orm import Session

from bot.core.config import Settings
from bot.core.money import Currency
from bot.core.vocabulary import ClientMood, DisclosureKind, EventKind, MatterStatus
from bot.matters.facts import facts_of, facts_of_many
from bot.matters.policy import MET_BY, MatterFacts, MatterPolicy, Risk, RiskLevel, RiskReason
from storage import matters as matters_store
from storage.models import Event, Matter

# Red first, then amber, then green; a matter not set up has no level and comes last.
LEVEL_ORDER = {RiskLevel.RED: 0, RiskLevel.AMBER: 1, RiskLevel.GREEN: 2}
NOT_RATED = len(LEVEL_ORDER)
# A person's own open matters are rated whole (a caseload); past this many, the rest are not shown.
OWN_MATTERS_MAX = 1000
# The team's /matter list rates this many of the others, those most likely at risk, for each page.
OTHERS_SCAN = 500
BATCH = 500


@dataclass(frozen=True)
class ChecklistItem:
    kind: DisclosureKind
    # The disclosure that meets it: its kind (a revised estimate meets the estimate) and its day.
    met_by: DisclosureKind | None = None
    met_on: date | None = None


@dataclass(frozen=True)
class MatterCare:
    """What `/matter show` says of an open matter's client care."""

    risk: Risk
    checklist: tuple[ChecklistItem, ...]
    update_due_on: date
    currency: Currency
    costs_estimate: int | None = None
    costs_to_date: int | None = None
    percent: int | None = None
    snoozed_until: datetime | None = None
    snooze_reason: str | None = None
    dormant_until: date | None = None
    last_update_on: date | None = None
    last_mood: ClientMood | None = None


def checklist_items(f: MatterFacts, first_on: dict[str, date]) -> tuple[ChecklistItem, ...]:
    """Each item of the matter's checklist, met by the earliest disclosure of a kind that meets it."""
    items = []
    for kind in f.checklist:
        met = sorted((on, k) for k in MET_BY[kind] if (on := first_on.get(k.value)) is not None)
        items.append(ChecklistItem(kind, met[0][1], met[0][0]) if met else ChecklistItem(kind))
    return tuple(items)


def last_update(events: Iterable[Event]) -> tuple[date | None, ClientMood | None]:
    """The day and the client's mood at the latest client update on the timeline: the latest by
    the day it was given (an update logged late for an earlier day is not the latest), then as
    logged."""
    latest: tuple[date, int, ClientMood | None] | None = None
    for e in events:
        if e.kind != EventKind.MATTER_CLIENT_UPDATE:
            continue
        d = e.data or {}
        try:
            on = date.fromisoformat(str(d.get("on")))
        except ValueError:
            continue
        if latest is None or (on, e.id) > latest[:2]:
            latest = (on, e.id, ClientMood.parse(d.get("mood")))
    if latest is None:
        return None, None
    return latest[0], latest[2]


def care_of(
    session: Session,
    matter: Matter,
    *,
    events: Sequence[Event],
    settings: Settings,
    policy: MatterPolicy,
    now: datetime,
) -> MatterCare | None:
    """The client care of an open matter that is set up (None for any other), from its facts."""
    if not matter.set_up or matter.opened_on is None or matter.status != MatterStatus.OPEN:
        return None
    first_on = matters_store.first_disclosed(session, matter.matter_ref)
    complaints = matters_store.complaint_states(session, [matter.matter_ref]).get(matter.matter_ref)
    f = facts_of(matter, settings=settings, disclosed=set(first_on), complaints=complaints)
    today = policy.firm.local_date(now)
    on, mood = last_update(events)
    return MatterCare(
        risk=policy.risk(f, today),
        checklist=checklist_items(f, first_on),
        update_due_on=policy.update_due_on(f),
        currency=settings.currency,
        costs_estimate=matter.costs_estimate,
        costs_to_date=matter.costs_to_date,
        percent=policy.percent_spent(f),
        snoozed_until=matter.snoozed_until if matter.snoozed_until and matter.snoozed_until > now else None,
        snooze_reason=matter.snooze_reason if matter.snoozed_until and matter.snoozed_until > now else None,
        dormant_until=matter.dormant_until if matter.dormant_until and matter.dormant_until >= today else None,
        last_update_on=on or matter.last_update_on,
        last_mood=mood,
    )


# --- matters rated together ----------------------------------------------------------------------


@dataclass(frozen=True)
class Rated:
    """A matter with its risk (None: not set up, so not rated) and its missing checklist items."""

    matter: Matter
    risk: Risk | None = None
    missing: tuple[DisclosureKind, ...] = ()

    @property
    def at_risk(self) -> bool:
        return self.risk is not None and self.risk.level is not RiskLevel.GREEN


def _order(rank: int, r: Risk | None, matter_ref: str) -> tuple[int, int, str]:
    return rank, LEVEL_ORDER[r.level] if r is not None else NOT_RATED, matter_ref


def rate(
    session: Session, matters: Sequence[Matter], *, settings: Settings, policy: MatterPolicy, today: date
) -> list[Rated]:
    """`matters` rated, red first, then amber, green and those not set up (each by reference); the
    facts of any number in two queries."""
    facts = facts_of_many(session, matters, settings=settings)
    rated = []
    for m in matters:
        f = facts.get(m.id)
        rated.append(Rated(m, policy.risk(f, today), f.missing) if f is not None else Rated(m))
    rated.sort(key=lambda r: _order(0, r.risk, r.matter.matter_ref))
    return rated


def own_matters(
    session: Session, *, user_id: str, settings: Settings, policy: MatterPolicy, today: date
) -> list[Rated]:
    """The open matters `user_id` is responsible for or supervises, rated, at risk first."""
    mine = matters_store.open_involving(session, involving=user_id, limit=OWN_MATTERS_MAX)
    return rate(session, mine, settings=settings, policy=policy, today=today)


def ranked_page(
    session: Session,
    *,
    user_id: str,
    everyone: bool,
    settings: Settings,
    policy: MatterPolicy,
    today: date,
    offset: int,
    limit: int,
    scan: int = OTHERS_SCAN,
) -> tuple[list[Rated], int]:
    """One page of `/matter list` and how many there are in all: `user_id`'s own open matters
    first, red, amber, green (all of them rated: a caseload); then, for the team (`everyone`),
    every other open one.

    The others are not all rated for every page: the store reads them in the order most likely at
    risk (storage.matters.open_not_of_likely_at_risk_first: signs SQL can see, then the longest
    without a client update), the first `scan` of that order are rated and ranked red, amber,
    green, and any beyond are listed in that order, each rated as its page is shown. A page costs
    the person's own matters, at most `scan` others and the page, whatever the store holds
    (bench/matters_list.py)."""
    mine = own_matters(session, user_id=user_id, settings=settings, policy=policy, today=today)
    if not everyone:
        return mine[offset : offset + limit], len(mine)
    page = mine[offset : offset + limit]
    total = len(mine) + matters_store.count_open_not_of(session, user_id=user_id)
    start = max(offset - len(mine), 0)  # where the page's others begin, in the others' order
    wanted = limit - len(page)
    if wanted <= 0 or start >= total - len(mine):
        return page, total
    recent, costs_percent = today - policy.mood_window, min(policy.costs_thresholds)

    def others(offset: int, limit: int) -> Sequence[Matter]:
        return matters_store.open_not_of_likely_at_risk_first(
            session, user_id=user_id, recent=recent, costs_percent=costs_percent, offset=offset, limit=limit
        )

    if start < scan:
        head = others(0, scan)
        page += rate(session, head, settings=settings, policy=policy, today=today)[start : start + wanted]
        start, wanted = max(start, len(head)), limit - len(page)
        if wanted <= 0 or len(head) < scan:
            return page, total
    tail = others(start, wanted)
    rated = {r.matter.id: r for r in rate(session, tail, settings=settings, policy=policy, today=today)}
    return page + [rated[m.id] for m in tail], total


def _forget(session: Session, matters: Sequence[Matter]) -> None:
    for m in matters:
        session.expunge(m)


@dataclass(frozen=True)
class MattersAtRisk:
    """The weekly digest's picture of the open matters that are set up."""

    open: int = 0
    red: int = 0
    amber: int = 0
    # How many matters each reason applies to, in RiskReason's order, those with none left out.
    by_reason: list[tuple[RiskReason, int]] = field(default_factory=list)
    # Open matters with every checklist item met.
    checklist_met: int = 0
    # The references of the matters at risk, red first (shown only with DIGEST_SHOW_NAMES).
    at_risk_refs: list[str] = field(default_factory=list)

    @property
    def checklist_percent(self) -> int:
        return 100 * self.checklist_met // self.open if self.open else 0


def matters_at_risk(
    session: Session, *, settings: Settings, policy: MatterPolicy, today: date, batch: int = BATCH, refs_kept: int = 10
) -> MattersAtRisk:
    """Every open matter that is set up rated, `batch` at a time: counts by level and by reason,
    and how many have every checklist item met."""
    total = red = amber = met = 0
    reasons: dict[RiskReason, int] = {}
    at_risk: list[tuple[int, str]] = []
    for rows in matters_store.set_up_open_matters_batches(session, batch=batch):
        for r in rate(session, rows, settings=settings, policy=policy, today=today):
            if r.risk is None:
                continue
            total += 1
            met += not r.missing
            red += r.risk.level is RiskLevel.RED
            amber += r.risk.level is RiskLevel.AMBER
            for code in {c.code for c in r.risk.causes}:
                reasons[code] = reasons.get(code, 0) + 1
            if r.at_risk:
                at_risk.append((LEVEL_ORDER[r.risk.level], r.matter.matter_ref))
        _forget(session, rows)
    at_risk.sort()
    return MattersAtRisk(
        open=total,
        red=red,
        amber=amber,
        by_reason=[(code, reasons[code]) for code in RiskReason if reasons.get(code)],
        checklist_met=met,
        at_risk_refs=[ref for _, ref in at_risk[:refs_kept]],
    )
