"""The client's details on a complaint: its product or service group (PRODUCT_GROUPS), whether the
client is in vulnerable circumstances and the adjustments made for them. Set at triage or later
(the Client details modal, open or resolved), by the team or the handler. Each change is a
`details_changed` event naming what changed; a submission that changes nothing writes nothing.
Plain values in, results out; never Slack."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from bot.core.blockkit import Block, clip, day, escape, section
from bot.core.config import Settings
from bot.core.errors import NotFound, UserError
from bot.core.lists import Choices
from bot.core.money import Currency
from bot.core.vocabulary import EventKind
from storage import complaints as complaints_store
from storage.models import Complaint, Event

# What the timeline says of each detail when it changed.
WORDS = {"product": "product", "vulnerable": "vulnerable circumstances", "adjustments": "adjustments"}
NO_ADJUSTMENTS = "none recorded"


@dataclass(frozen=True)
class ClientDetails:
    """What the modal holds: None is "not recorded" (a product not chosen, vulnerability not assessed)."""

    product: str | None
    vulnerable: bool | None
    adjustments: str | None


@dataclass(frozen=True)
class DetailsChanged:
    complaint: Complaint
    # The names of the details that changed (empty: nothing did, and nothing was written).
    changed: tuple[str, ...]
    notification_keys: tuple[str, ...] = ()


def apply_details(
    session: Session, complaint: Complaint, data: ClientDetails, *, actor: str, now: datetime, products: Choices
) -> Event | None:
    """Set the details on `complaint` (locked by the caller) and add the event saying what changed;
    None, and nothing written, when nothing did. The event keeps the values before and after, the
    adjustments' text too (as other events keep what the client was told), and the product's label
    as it was when chosen (the timeline shows it)."""
    before = {"product": complaint.product, "vulnerable": complaint.vulnerable, "adjustments": complaint.adjustments}
    after = {"product": data.product, "vulnerable": data.vulnerable, "adjustments": data.adjustments}
    changed = [name for name in before if before[name] != after[name]]
    if not changed:
        return None
    complaint.product = data.product
    complaint.vulnerable = data.vulnerable
    complaint.adjustments = data.adjustments
    event = Event(
        complaint_id=complaint.id,
        kind=EventKind.DETAILS_CHANGED,
        actor=actor,
        at=now,
        data={
            "changed": changed,
            "before": before,
            "after": after,
            "product_label": products.label(data.product) if data.product else None,
        },
    )
    session.add(event)
    return event


def change_details(
    *,
    session_factory: sessionmaker[Session],
    reference: str,
    data: ClientDetails,
    actor: str,
    now: datetime,
    products: Choices,
) -> DetailsChanged:
    """Change the client's details on an open or resolved complaint, in one transaction."""
    with session_factory.begin() as session:
        complaint = complaints_store.complaint_by_reference(session, reference, for_update=True)
        if complaint is None:
            raise NotFound(f"There is no complaint {reference}.")
        if complaint.purged_at is not None:
            raise UserError(f"{reference} is past its retention period and its details were removed.")
        event = apply_details(session, complaint, data, actor=actor, now=now, products=products)
        changed = tuple(event.data["changed"]) if event is not None else ()
    return DetailsChanged(complaint, changed)


# --- what is shown ----------------------------------------------------------------------------------


def vulnerable_text(c: Complaint) -> str:
    if c.vulnerable is None:
        return "not recorded"
    if not c.vulnerable:
        return "no"
    return "yes; adjustments: " + (escape(clip(c.adjustments, 1500)) if c.adjustments else NO_ADJUSTMENTS)


def details_section(c: Complaint, settings: Settings) -> Block:
    """The product, the client's circumstances, the redress and the root cause, as `/complaint show`
    shows them (to those who may see the complaint)."""
    lines = [
        f"*Product or service*: {escape(settings.product_groups.label(c.product)) if c.product else 'not recorded'}",
        f"*Vulnerable circumstances*: {vulnerable_text(c)}",
    ]
    lines += redress_lines(c, settings.currency)
    if c.root_cause:
        lines.append(f"*Root cause*: {escape(settings.root_causes.label(c.root_cause))}")
    return section("\n".join(lines))


def redress_lines(c: Complaint, currency: Currency) -> list[str]:
    shown = _currency_of(c.redress_currency, currency)
    lines = []
    if c.redress_offered is not None:
        lines.append(f"*Redress offered*: {shown.format(c.redress_offered)}")
    if c.redress_paid is not None:
        paid_on = f" on {day(c.redress_paid_on)}" if c.redress_paid_on else ""
        lines.append(f"*Redress paid*: {shown.format(c.redress_paid)}{paid_on}")
    return lines


def _currency_of(code: str | None, default: Currency) -> Currency:
    """The currency an amount was recorded in (the firm's, if the record does not say)."""
    try:
        return Currency.of(code) if code else default
    except ValueError:
        return default


def describe_details_changed(data: dict[str, Any], who: str) -> str:
    """The timeline's line for a `details_changed` event: what changed (of the adjustments, that
    they changed: their text is on the complaint, for those who may see it)."""
    after = data.get("after") or {}
    parts = []
    for name in data.get("changed") or ():
        if name == "product":
            label = data.get("product_label") or after.get("product")
            parts.append(f"product {escape(str(label))}" if label else "product cleared")
        elif name == "vulnerable":
            value = after.get("vulnerable")
            parts.append(f"vulnerable circumstances {'not recorded' if value is None else ('yes' if value else 'no')}")
        elif name in WORDS:
            parts.append(f"{WORDS[name]} changed")
    return f"client details changed by {who}: " + (", ".join(parts) or "nothing")


def resolved_extras(data: dict[str, Any]) -> str:
    """What a `resolved` event adds to its timeline line: the root cause and any redress."""
    parts = []
    if data.get("root_cause"):
        parts.append(f"root cause {escape(str(data.get('root_cause_label') or data['root_cause'])).lower()}")
    code = data.get("redress_currency")
    if code:
        try:
            currency = Currency.of(code)
        except ValueError:
            return "".join(f", {p}" for p in parts)
        if data.get("redress_offered") is not None:
            parts.append(f"redress offered {currency.format(data['redress_offered'])}")
        if data.get("redress_paid") is not None:
            paid_on = f" on {data['redress_paid_on']}" if data.get("redress_paid_on") else ""
            parts.append(f"paid {currency.format(data['redress_paid'])}{paid_on}")
    return "".join(f", {p}" for p in parts)
