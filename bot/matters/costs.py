"""A matter's costs: the estimate in force and the costs to date, which the client-care policy
holds against each other (bot/matters/policy.py: a revised estimate is due at 75% and 100%).

The estimate in force is the amount of the latest costs disclosure with an amount on the matter
(a costs estimate or a revised one; the latest by day disclosed, then as logged): the disclosures
service calls `estimate_from_disclosure` in the disclosure's own transaction, and setting up a
matter that such a disclosure named first calls `estimate_on_set_up`. Like bot/matters/naming.py, this module reads neither the
disclosures service nor the matters service, so the disclosures service can call it without a
cycle. A revised estimate is a new estimate (a new `estimate_ref`), so the policy counts its
thresholds afresh. The costs to date are recorded from `/matter costs` or its button.

Every change writes its event and has the sweep look at the matter again (`next_reminder_at`),
and `costs_changed_at` says when the figures last moved: the costs nudge is due from then.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session, sessionmaker

from bot.core.config import Settings
from bot.core.errors import NotFound, UserError
from bot.core.money import Currency
from bot.core.vocabulary import COSTS_DISCLOSURES, DisclosureKind, EventKind, MatterStatus
from bot.matters.care import require_in_care
from bot.matters.facts import facts_of
from bot.matters.policy import MatterPolicy, MatterReminderKind
from storage import disclosures as disclosures_store
from storage import matters as matters_store
from storage.models import Disclosure, Event, Matter

COSTS_KINDS = tuple(k.value for k in COSTS_DISCLOSURES)


def estimate_from_disclosure(
    session: Session, *, disclosure: Disclosure, currency: Currency, actor: str, now: datetime
) -> bool:
    """Make the costs disclosure `disclosure` (stored), if it has an amount, the estimate in force
    on its matter; True if it did. Only an open matter that is set up has an estimate (one only
    named so far has nobody to warn: `estimate_on_set_up`). A disclosure dated before the estimate
    in force (logged late) is on record but does not replace it."""
    if disclosure.amount is None or DisclosureKind(disclosure.kind) not in COSTS_DISCLOSURES:
        return False
    matter = matters_store.matter_by_ref(session, disclosure.matter_ref, for_update=True)
    if matter is None or not matter.set_up or matter.status == MatterStatus.CLOSED:
        return False
    latest = disclosures_store.latest_with_amount(session, matter.matter_ref, kinds=COSTS_KINDS)
    if latest is None or latest.id != disclosure.id:
        return False
    _put_in_force(session, matter, latest, currency=currency, actor=actor, now=now)
    return True


def estimate_on_set_up(session: Session, *, matter: Matter, currency: Currency, actor: str, now: datetime) -> bool:
    """The matter, just set up after a complaint or a disclosure named it: the latest costs
    disclosure with an amount already on it, if any, is its estimate in force; True if there was one."""
    latest = disclosures_store.latest_with_amount(session, matter.matter_ref, kinds=COSTS_KINDS)
    if latest is None:
        return False
    _put_in_force(session, matter, latest, currency=currency, actor=actor, now=now)
    return True


def _put_in_force(
    session: Session, matter: Matter, disclosure: Disclosure, *, currency: Currency, actor: str, now: datetime
) -> None:
    assert disclosure.amount is not None
    matter.costs_estimate = disclosure.amount
    matter.estimate_ref = disclosure.reference
    matter.costs_changed_at = now
    matter.next_reminder_at = now
    session.add(
        Event(
            matter_id=matter.id,
            kind=EventKind.MATTER_ESTIMATE,
            actor=actor,
            at=now,
            data={
                "amount": disclosure.amount,
                "disclosure": disclosure.reference,
                "kind": disclosure.kind,
                "currency": currency.code,
            },
        )
    )


def parse_costs(text: str | None, *, currency: Currency) -> int:
    """The costs to date as typed ("12500", "12,500.50"), in whole minor units of `currency`;
    UserError with a sentence when it is missing, negative or not an amount."""
    if not (text or "").strip():
        raise UserError(f"Say the costs to date in {currency.code}, e.g. `/matter costs M-1001 {currency.example}`.")
    try:
        return currency.parse(text or "")
    except ValueError as e:
        raise UserError(str(e)) from None


def check_costs_open(matter: Matter) -> None:
    """Costs are recorded on an open matter that is set up; else a UserError saying why not."""
    require_in_care(matter, closed="its costs are no longer recorded", then="its costs can be recorded")


@dataclass(frozen=True)
class CostsRecorded:
    matter_ref: str
    costs_to_date: int
    previous: int | None
    currency: Currency
    # The estimate in force (minor units), if any.
    estimate: int | None = None
    # The costs to date as a whole percentage of the estimate (MatterPolicy.percent_spent).
    percent: int | None = None
    # The threshold (75, 100) the costs have reached: a revised estimate is due. None: not yet.
    revise_at: int | None = None
    # The next threshold the costs have not reached yet, if any.
    next_threshold: int | None = None
    notification_keys: tuple[str, ...] = ()


def record_costs(
    *,
    session_factory: sessionmaker[Session],
    matter_ref: str,
    costs_to_date: int,
    actor: str,
    now: datetime,
    settings: Settings,
    policy: MatterPolicy,
) -> CostsRecorded:
    """Record the matter's costs to date, with its event, and say how far into the estimate they are."""
    currency = settings.currency
    with session_factory.begin() as session:
        matter = matters_store.matter_by_ref(session, matter_ref, for_update=True)
        if matter is None:
            raise NotFound(f"There is no matter {matter_ref}.")
        check_costs_open(matter)
        previous = matter.costs_to_date
        matter.costs_to_date = costs_to_date
        matter.costs_changed_at = now
        matter.next_reminder_at = now
        session.add(
            Event(
                matter_id=matter.id,
                kind=EventKind.MATTER_COSTS,
                actor=actor,
                at=now,
                data={"costs_to_date": costs_to_date, "previous": previous, "currency": currency.code},
            )
        )
        facts = facts_of(matter, settings=settings)
        due = [r for r in policy.due(facts, now) if r.kind == MatterReminderKind.COSTS_THRESHOLD]
        percent = policy.percent_spent(facts)
        ahead = [t for t in sorted(policy.costs_thresholds) if percent is not None and t > percent]
        return CostsRecorded(
            matter_ref=matter.matter_ref,
            costs_to_date=costs_to_date,
            previous=previous,
            currency=currency,
            estimate=matter.costs_estimate,
            percent=percent,
            revise_at=due[0].threshold if due else None,
            next_threshold=ahead[0] if ahead else None,
        )
