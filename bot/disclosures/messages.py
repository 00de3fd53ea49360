"""What the disclosures service says in Slack: the confirmation, a disclosure with its timeline, the
list, a matter's timeline, the note on a triage alert of what the client was told, and /disclosure's
help. Plain data in, Block Kit out; never a Slack client."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from bot.complaints.messages import describe_event
from bot.core.blockkit import Block, clip, context, day, escape, fields, section, slack_date, timeline_sections, user
from bot.core.money import Currency
from bot.core.vocabulary import RELEVANT_DISCLOSURES, AckStatus, Category, DisclosedVia, DisclosureKind, Status
from storage.models import Disclosure, Event

if TYPE_CHECKING:
    from bot.disclosures.service import MatterRecord


def disclosure_fields(d: Disclosure, *, currency: Currency) -> Block:
    """The disclosure's particulars; a costs estimate's amount (minor units of the firm's
    CURRENCY, `currency`) among them when it has one."""
    ack = AckStatus(d.ack_status).label
    if d.ack_status == AckStatus.PENDING and d.follow_up_on:
        ack += f" (chase on {day(d.follow_up_on)})"
    pairs = [
        ("Client", escape(d.client_name)),
        ("Matter", escape(d.matter_ref)),
        ("Kind", DisclosureKind(d.kind).label),
        ("Disclosed", f"{day(d.disclosed_on)} by {DisclosedVia(d.disclosed_via).label.lower()}"),
        ("Acknowledged", ack),
        ("Logged by", user(d.logged_by)),
    ]
    if d.amount is not None:
        pairs.append(("Estimate", currency.format(d.amount)))
    return fields(pairs)


def disclosure_confirmation(d: Disclosure, *, currency: Currency) -> tuple[str, list[Block]]:
    text = f"Disclosure {d.reference} is logged."
    body = [
        section(f":memo: *{d.reference}* is logged: what {escape(d.client_name)} was told is on record."),
        disclosure_fields(d, currency=currency),
    ]
    if d.ack_status == AckStatus.PENDING:
        assert d.follow_up_on is not None  # a pending disclosure has its chase date
        body.append(
            context(f"I will remind you on {day(d.follow_up_on)} if the client has not acknowledged it by then.")
        )
    return text, body


def disclosure_note(matter_ref: str | None, category: str, on_record: dict[str, date]) -> str:
    """For a triage alert: what the client had been told on the matter, and what is missing."""
    if not matter_ref:
        return "_No matter reference, so disclosures on record cannot be checked._"
    if on_record:
        kinds = ", ".join(
            f"{DisclosureKind(k).label} ({day(v)})" for k, v in sorted(on_record.items(), key=lambda kv: kv[1])
        )
        note = f"*Disclosures on record for {escape(matter_ref)}:* {kinds}"
    else:
        note = f"*No disclosures on record for {escape(matter_ref)}.*"
    relevant = RELEVANT_DISCLOSURES.get(category, frozenset())
    if relevant and not relevant & {DisclosureKind(k) for k in on_record}:
        wanted = " or ".join(k.label.lower() for k in sorted(relevant, key=lambda k: k.label))
        note += f"\n:warning: This is a {Category(category).label.lower()} complaint and there is no {wanted} disclosure on record."
    return note


def disclosure_detail(
    d: Disclosure, events: Sequence[Event], *, tz: ZoneInfo, currency: Currency
) -> tuple[str, list[Block]]:
    body: list[Block] = [
        section(f"*{d.reference}*"),
        disclosure_fields(d, currency=currency),
        section(f"*What was disclosed*\n{escape(clip(d.content, 2800))}"),
    ]
    if d.document_url:
        body.append(context(f"<{d.document_url}|The document>"))
    body.append({"type": "divider"})
    body += timeline_sections([f"• {slack_date(e.at, tz)}: {describe_event(e)}" for e in events])
    return f"Disclosure {d.reference}", body[:50]


def disclosure_list(
    items: Sequence[Disclosure], *, matter_ref: str | None, page: int, pages: int, total: int, only_yours: bool = False
) -> tuple[str, list[Block]]:
    """With `only_yours`, the list is the reader's own disclosures and is worded as such."""
    where = f" on {escape(matter_ref)}" if matter_ref else ""
    if total == 0:
        if only_yours:
            return f"You have logged no disclosures{where}.", [section(f"You have logged no disclosures{where}.")]
        return f"No disclosures{where}.", [section(f"No disclosures{where} are on record.")]
    title = f"Disclosures you logged{where}" if only_yours else f"Disclosures{where}"
    body: list[Block] = [section(f"*{title}* ({total}), page {page} of {pages}")]
    for d in items:
        body.append(
            section(
                f"*{d.reference}* · {escape(d.matter_ref)} · {escape(clip(d.client_name, 60))}\n"
                f"{DisclosureKind(d.kind).label}, {day(d.disclosed_on)} · {AckStatus(d.ack_status).label}"
            )
        )
    if page < pages:
        more = f"{escape(matter_ref)} " if matter_ref else ""
        body.append(context(f"More: `/disclosure list {more}{page + 1}`"))
    return f"{title}, page {page} of {pages}", body


def matter_timeline(record: MatterRecord, *, tz: ZoneInfo) -> tuple[str, list[Block]]:
    """A matter's complaints and disclosures on one timeline, oldest first."""
    part = "" if record.complete else ", your part of it"
    body = [
        section(
            f"*Matter {escape(record.matter_ref)}*{part}: {len(record.complaints)} complaint(s), "
            f"{len(record.disclosures)} disclosure(s)"
        )
    ]
    body += timeline_sections(matter_timeline_lines(record))
    return f"Matter {record.matter_ref}", body[:50]


# A line of a matter's timeline: its day, its order within the day, its text.
TimelineEntry = tuple[date, int, str]


def matter_timeline_lines(record: MatterRecord, more: Sequence[TimelineEntry] = ()) -> list[str]:
    """The lines of a matter's timeline, oldest first: its disclosures, its complaints and `more`
    (the matter's own events, for /matter show)."""
    entries: list[TimelineEntry] = [
        (
            d.disclosed_on,
            0,
            f"• {day(d.disclosed_on)}: told the client — {DisclosureKind(d.kind).label.lower()} "
            f"(*{d.reference}*, {AckStatus(d.ack_status).label.lower()}): {escape(clip(d.content, 160))}",
        )
        for d in record.disclosures
    ]
    entries += [
        (
            c.received_on,
            1,
            f"• {day(c.received_on)}: :warning: complaint *{c.reference}* "
            f"({Category(c.category).label.lower()}, {Status(c.status).label.lower()}): {escape(clip(c.summary, 160))}",
        )
        for c in record.complaints
    ]
    entries += more
    return [line for _, _, line in sorted(entries, key=lambda e: (e[0], e[1]))]


DISCLOSURE_HELP = (
    "*Disclosures*: what a client was told about scope, costs, risk, time and the limits of advice\n"
    "• `/disclosure new`: record one (or use *Log as disclosure* on a message)\n"
    "• `/disclosure list [matter] [page]`: newest first, for one matter or all\n"
    "• `/disclosure show DSC-2026-0001`: details and timeline\n"
    "• `/disclosure help`: this message"
)


def disclosure_help(prefix: str | None = None) -> tuple[str, list[Block]]:
    body = [section(prefix)] if prefix else []
    body.append(section(DISCLOSURE_HELP))
    return (prefix or "How to use /disclosure"), body
