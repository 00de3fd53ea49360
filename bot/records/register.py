"""The complaints register: the one list of columns that export and import share, and the rules.

A firm hands its register to a regulator (export) and moves the spreadsheet it kept before the bot
into the store (import). Both use `COLUMNS` below, so a column is described once: its name, what it
means, how it is written and how it is read. An exported CSV is an importable one, and importing
it into an empty store and exporting again gives the same bytes.

Reading never trusts the file: every cell of every row is checked, and every problem is reported
as `line N, column X: reason` (the header is line 1), so a person fixes the whole file in one
pass. An import is all or nothing: one rejected row and nothing is written. Text is held to the
rule modal fields are held to (bot/core/text.py), so whatever the bot stored imports again.
A CSV cell that a spreadsheet would run as a formula is written with a leading single quote and
read back without it (`Formula` below).
SQL is in storage/register.py; the command line in handlers/cli.py.
"""

from __future__ import annotations

import csv
import json
import os
import re
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any, Literal, TextIO
from zoneinfo import ZoneInfo

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from bot.complaints.limits import misdated
from bot.core import references
from bot.core.config import DEFAULT_CURRENCY_OF_RECORD, DEFAULT_ROOT_CAUSE_CHOICES
from bot.core.errors import NotFound, UserError
from bot.core.lists import Choices
from bot.core.money import DEFAULT_CURRENCY, Currency
from bot.core.text import Refusal, Why, refusal
from bot.core.vocabulary import (
    ADJUSTMENTS_MAX,
    CLIENT_NAME_MAX,
    CLIENT_REQUEST_MAX,
    DEFAULT_CADENCE_DAYS,
    MATTER_REF_MAX,
    MAX_CADENCE_DAYS,
    OMBUDSMAN_REFERENCE_MAX,
    REMEDY_MAX,
    SUMMARY_MAX,
    AcknowledgedVia,
    AckStatus,
    Category,
    DisclosedVia,
    DisclosureKind,
    EventKind,
    LabelledEnum,
    OmbudsmanDecision,
    Outcome,
    ReceivedVia,
    Severity,
    Status,
)
from bot.reminders.policy import SlaPolicy
from bot.rulebooks.schemes import DEFAULT_RULEBOOK, Rulebook
from storage import complaints as complaints_store
from storage import disclosures as disclosures_store
from storage import events as events_store
from storage import register as store

Format = Literal["csv", "json"]
FORMATS: tuple[Format, ...] = ("csv", "json")
PREFIX = references.COMPLAINT
# A blank logged_at, or a time column holding a date alone, is read as this hour of the firm's day.
DEFAULT_HOUR = 9
EARLIEST_YEAR = 1900
CLIENT_UPDATES_MAX = 100_000
# Complaints inserted per executemany: bounds the parameters held at once, not the transaction.
INSERT_BATCH = 5000
LEGAL_HOLD_REASON = "Held in the imported register."
ACTOR_MAX = 32  # events.actor and complaints.reporter_id
_SLACK_MEMBER = re.compile(r"^[UW][A-Z0-9]{2,31}$")
_CLI_ACTOR = re.compile(r"^cli:[A-Za-z0-9._-]{1,28}$")
_DAY = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
_MOMENT = re.compile(
    r"^[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,6})?)?(Z|[+-][0-9]{2}:[0-9]{2})?$"
)
_WHOLE = re.compile(r"^[0-9]{1,9}$")
# Root causes of registers kept before ROOT_CAUSES: the old list was the categories. Read as
# migration 0007 moved the stored ones; the others (communication, delay, advice, and "other",
# retired) are read as they are.
LEGACY_ROOT_CAUSES = {
    "costs": "costs_information",
    "conduct": "staff_conduct",
    "confidentiality": "system_or_data",
    **{c.value: c.value for c in Category if c.value not in ("costs", "conduct", "confidentiality")},
}
# What a spreadsheet runs as a formula when a cell begins with it (OWASP, "CSV Injection"), and a
# cell written with one more leading quote than it had, so that no text is ever changed (`Formula`).
_FORMULA_START = frozenset("=+-@\t\r")
_QUOTED_FORMULA = re.compile(r"'+[=+\-@\t\r]")


class RegisterError(UserError):
    """A register the command cannot read or write as asked; `str()` says why, for a person."""


class Bad(ValueError):
    """One cell that cannot be read: the reason, said of the cell."""


@dataclass(frozen=True)
class Rejection:
    """One problem with one cell of the file (or with a column of its header, on line 1)."""

    line: int
    column: str
    reason: str

    def __str__(self) -> str:
        return f"line {self.line}, column {self.column}: {self.reason}"


DEFAULT_PRODUCTS = Choices.of(DEFAULT_RULEBOOK.product_groups)


@dataclass(frozen=True)
class Reading:
    """What reading a cell may depend on: the firm's zone, now (nothing is received in the future),
    and the firm's lists and currency (PRODUCT_GROUPS, ROOT_CAUSES, CURRENCY)."""

    now: datetime
    tz: ZoneInfo
    products: Choices = DEFAULT_PRODUCTS
    root_causes: Choices = DEFAULT_ROOT_CAUSE_CHOICES
    currency: Currency = DEFAULT_CURRENCY_OF_RECORD

    @property
    def today(self) -> date:
        return self.now.astimezone(self.tz).date()

    def at_default_hour(self, day: date) -> datetime:
        return _at_default_hour(day, self.tz)


def _at_default_hour(day: date, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, time(DEFAULT_HOUR), tzinfo=tz).astimezone(UTC)


# --- how cells are written and read --------------------------------------------------------------


class Formula:
    """The CSV export's guard against formulas, and its undoing on import.

    A cell that begins with = + - @, a tab or a carriage return is a formula to Excel and its kin
    (`=HYPERLINK("https://…?"&B2)` sends the row away when clicked). Such a cell is written with a
    single quote before it, so a spreadsheet shows it as text. So that the guard can be undone
    without ever changing text, a cell that is quotes and then one of those characters also gets
    one more quote; reading takes one quote off any cell that is one or more quotes and then one of
    them. Export, import, export gives the same bytes, and the text stored is the text written.
    """

    @staticmethod
    def guard(cell: str) -> str:
        first = cell[:1]
        if first in _FORMULA_START or (first == "'" and _QUOTED_FORMULA.match(cell)):
            return "'" + cell
        return cell

    @staticmethod
    def unguard(cell: str) -> str:
        return cell[1:] if cell[:1] == "'" and _QUOTED_FORMULA.match(cell) else cell


class Kind:
    """How one kind of value is written to a CSV cell and to JSON, and read back from a cell."""

    doc: str = ""
    # The most characters a cell may hold (the text rule checks it with the characters).
    limit: int | None = None
    # Whether its CSV cells go through Formula.guard: False only for kinds whose cells the bot
    # writes itself in a fixed shape (a date, a number, a choice), which cannot begin with a formula.
    guarded: bool = True

    def cell(self, value: Any) -> str:
        return "" if value is None else str(value)

    def json(self, value: Any) -> Any:
        return value

    def read(self, raw: str, reading: Reading) -> Any:
        """`raw` is stripped and not blank; raise Bad with a reason."""
        return raw


@dataclass(frozen=True)
class Text(Kind):
    limit: int | None = None

    @property
    def doc(self) -> str:  # type: ignore[override]
        return f"text, at most {self.limit:,} characters" if self.limit else "text"

    def read(self, raw: str, reading: Reading) -> str:
        return raw  # its characters and length were checked before, as every cell's are


class Day(Kind):
    doc = "date, YYYY-MM-DD"
    guarded = False

    def cell(self, value: date | None) -> str:
        return "" if value is None else value.isoformat()

    def json(self, value: date | None) -> str | None:
        return None if value is None else value.isoformat()

    def read(self, raw: str, reading: Reading) -> date:
        try:
            if not _DAY.match(raw):
                raise ValueError
            value = date.fromisoformat(raw)
        except ValueError:
            raise Bad(f"“{_clip(raw)}” is not a date; write it as YYYY-MM-DD, e.g. 2026-11-23") from None
        if value.year < EARLIEST_YEAR:
            raise Bad(f"{raw} is before {EARLIEST_YEAR}")
        return value


class Moment(Kind):
    # How other forms are read (an offset, none, a date alone) is said once, in README.md.
    doc = "time, ISO 8601 in UTC, e.g. 2026-11-23T09:30:00Z"
    guarded = False

    def cell(self, value: datetime | None) -> str:
        return "" if value is None else _utc_text(value)

    def json(self, value: datetime | None) -> str | None:
        return None if value is None else _utc_text(value)

    def read(self, raw: str, reading: Reading) -> datetime:
        text = raw.upper()
        try:
            if _DAY.match(text):
                value = reading.at_default_hour(date.fromisoformat(text))
            elif _MOMENT.match(text):
                value = datetime.fromisoformat(text)
                value = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
            else:
                raise ValueError
        except (ValueError, OverflowError):
            raise Bad(
                f"“{_clip(raw)}” is not a time; write it as 2026-11-23T09:30:00Z (UTC) or as a date, 2026-11-23"
            ) from None
        if value.year < EARLIEST_YEAR:
            raise Bad(f"{raw} is before {EARLIEST_YEAR}")
        return value


@dataclass(frozen=True)
class Choice(Kind):
    enum: type[LabelledEnum]
    guarded = False

    @property
    def doc(self) -> str:  # type: ignore[override]
        return "one of " + ", ".join(m.value for m in self.enum)

    def read(self, raw: str, reading: Reading) -> str:
        member = self.enum.parse(raw.lower())
        if member is None:
            raise Bad(f"“{_clip(raw)}” is not one of: {', '.join(m.value for m in self.enum)}")
        return member.value


@dataclass(frozen=True)
class Whole(Kind):
    low: int
    high: int
    guarded = False

    @property
    def doc(self) -> str:  # type: ignore[override]
        return f"whole number from {self.low} to {self.high:,}"

    def read(self, raw: str, reading: Reading) -> int:
        if not _WHOLE.match(raw) or not self.low <= int(raw) <= self.high:
            raise Bad(f"“{_clip(raw)}” is not a whole number from {self.low} to {self.high:,}")
        return int(raw)


class YesNo(Kind):
    doc = "yes, no, or blank (not recorded)"
    guarded = False

    def cell(self, value: bool | None) -> str:
        return "" if value is None else ("yes" if value else "no")

    def read(self, raw: str, reading: Reading) -> bool:
        if raw.lower() not in ("yes", "no"):
            raise Bad(f"“{_clip(raw)}” is not yes or no (or leave it blank)")
        return raw.lower() == "yes"


class Flag(Kind):
    doc = "yes, or blank for no"
    guarded = False

    def cell(self, value: bool) -> str:
        return "yes" if value else ""

    def json(self, value: bool) -> bool:
        return bool(value)

    def read(self, raw: str, reading: Reading) -> bool:
        if raw.lower() not in ("yes", "no"):
            raise Bad(f"“{_clip(raw)}” is not yes (or leave it blank)")
        return raw.lower() == "yes"


class Reference(Kind):
    doc = "CMP-YYYY-NNNN; blank for a new one"
    guarded = False

    def read(self, raw: str, reading: Reading) -> str:
        try:
            return references.parse_reference(PREFIX, raw)
        except UserError:
            raise Bad(f"“{_clip(raw)}” is not a complaint reference; they look like CMP-2026-0001") from None


@dataclass(frozen=True)
class Member(Kind):
    """A Slack member id; the reporter may also be `cli:<name>`, a person who imported a register."""

    cli_too: bool = False

    @property
    def doc(self) -> str:  # type: ignore[override]
        return "Slack member id (U… or W…)" + (", or cli:NAME (an earlier import)" if self.cli_too else "")

    def read(self, raw: str, reading: Reading) -> str:
        if _SLACK_MEMBER.match(raw) or (self.cli_too and _CLI_ACTOR.match(raw)):
            return raw
        raise Bad(f"“{_clip(raw)}” is not a Slack member id (U… or W…, from the person's profile → Copy member ID)")


@dataclass(frozen=True)
class Listed(Kind):
    """A value of one of the firm's lists: PRODUCT_GROUPS (`products`) or ROOT_CAUSES."""

    setting: Literal["PRODUCT_GROUPS", "ROOT_CAUSES"]
    guarded = False

    @property
    def doc(self) -> str:  # type: ignore[override]
        if self.setting == "PRODUCT_GROUPS":
            return "one of PRODUCT_GROUPS' values (by default the complaints scheme's groups)"
        moved = ", ".join(f"{old} as {new}" for old, new in LEGACY_ROOT_CAUSES.items() if old != new)
        return (
            f"one of ROOT_CAUSES' values (by default {', '.join(DEFAULT_ROOT_CAUSE_CHOICES.values)}); "
            f"the old categories are read too ({moved}; other as it is)"
        )

    def read(self, raw: str, reading: Reading) -> str:
        value = raw.lower()
        choices = reading.products if self.setting == "PRODUCT_GROUPS" else reading.root_causes
        if value in choices:
            return value
        if self.setting == "ROOT_CAUSES" and value in LEGACY_ROOT_CAUSES:
            return LEGACY_ROOT_CAUSES[value]
        raise Bad(f"“{_clip(raw)}” is not one of {self.setting}: {', '.join(choices.values)}")


class CurrencyCode(Kind):
    doc = "ISO 4217 currency code of the amounts, e.g. GBP (blank on import with an amount: CURRENCY)"
    guarded = False

    def read(self, raw: str, reading: Reading) -> str:
        try:
            return Currency.of(raw).code
        except ValueError as e:
            raise Bad(str(e)) from None


class Amount(Kind):
    """Money, written as Currency.plain writes it in the row's redress_currency ("1250.50") and read
    back exactly into whole minor units (the row's currency is known only once the row is read:
    `_read_amounts`)."""

    doc = "amount in redress_currency, e.g. 1250.50 (no code, no commas), read exactly"
    guarded = False

    def read(self, raw: str, reading: Reading) -> str:
        return raw  # turned into minor units by _read_amounts, in the row's currency


def _amount(name: str) -> Getter:
    def get(row: Any, tz: ZoneInfo) -> str | None:
        minor = getattr(row, name)
        if minor is None:
            return None
        return Currency.of(row.redress_currency or DEFAULT_CURRENCY).plain(minor)

    return get


class FirmAmount(Kind):
    """Money in the firm's CURRENCY (a costs estimate's amount: the disclosure holds no currency of
    its own), written as Currency.plain writes it."""

    doc = "amount in the firm's CURRENCY, e.g. 1250.50 (no code, no commas)"
    guarded = False


def _firm_amount(name: str, currency: Currency) -> Getter:
    def get(row: Any, tz: ZoneInfo) -> str | None:
        minor = getattr(row, name)
        return None if minor is None else currency.plain(minor)

    return get


class Computed(Kind):
    doc = "whole number of days; ignored on import"


# --- the columns ---------------------------------------------------------------------------------

Getter = Callable[[Any, ZoneInfo], Any]


@dataclass(frozen=True)
class Column:
    """A register column: its name, what it means, how it is written and read, where it is stored."""

    name: str
    meaning: str
    kind: Kind
    # The store column it comes from (None: computed by `get`).
    store: str | None
    required: bool = False
    imported: bool = True
    get: Getter | None = None
    # For a computed column: the store columns `get` reads.
    needs: tuple[str, ...] = ()


def _days_to_resolve(row: Any, tz: ZoneInfo) -> int | None:
    if row.resolved_at is None:
        return None
    days: int = (row.resolved_at.astimezone(tz).date() - row.received_on).days
    return days


def _legal_hold(row: Any, tz: ZoneInfo) -> bool:
    return row.legal_hold_at is not None


COLUMNS: tuple[Column, ...] = (
    Column(
        "reference", "the complaint's reference; kept on import, a new one given when blank", Reference(), "reference"
    ),
    Column(
        "status",
        "new (awaiting triage), triaged (in hand) or resolved; derived on import, where a given one must agree",
        Choice(Status),
        "status",
    ),
    Column("received_on", "the day the firm received the complaint", Day(), "received_on", required=True),
    Column("received_via", "how it was received (blank on import: other)", Choice(ReceivedVia), "received_via"),
    Column(
        "problem_on",
        "when the problem complained of happened, if the client said; not after received_on",
        Day(),
        "problem_on",
    ),
    Column(
        "aware_on",
        "when the client became aware of the problem, if known; not before problem_on nor after received_on",
        Day(),
        "aware_on",
    ),
    Column(
        "acknowledged_at",
        "when the firm's acknowledgement was sent to the client; blank until someone records it as sent",
        Moment(),
        "acknowledged_at",
    ),
    Column(
        "acknowledged_via",
        "how the acknowledgement was sent",
        Choice(AcknowledgedVia),
        "acknowledged_via",
    ),
    Column("client_name", "the client who complained", Text(CLIENT_NAME_MAX), "client_name", required=True),
    Column("matter_ref", "the matter it is about", Text(MATTER_REF_MAX), "matter_ref"),
    Column("category", "what it is about", Choice(Category), "category", required=True),
    Column("product", "the product or service group it is about", Listed("PRODUCT_GROUPS"), "product"),
    Column("summary", "the complaint in brief", Text(SUMMARY_MAX), "summary", required=True),
    Column("client_request", "what the client asks for", Text(CLIENT_REQUEST_MAX), "client_request"),
    Column(
        "vulnerable",
        "whether the client is in vulnerable circumstances (blank: not recorded)",
        YesNo(),
        "vulnerable",
    ),
    Column("adjustments", "the adjustments made for the client", Text(ADJUSTMENTS_MAX), "adjustments"),
    Column("reporter", "who logged it (blank on import: the person importing)", Member(cli_too=True), "reporter_id"),
    Column(
        "logged_at",
        f"when it was logged (blank on import: received_on at {DEFAULT_HOUR:02d}:00 firm time); "
        "the triage deadline runs from it",
        Moment(),
        "logged_at",
    ),
    Column("triaged_at", "when it was triaged", Moment(), "triaged_at"),
    Column("severity", "assessed at triage", Choice(Severity), "severity"),
    Column("handler", "who handles it", Member(), "handler_id"),
    Column("target_date", "the date the client was told to expect an answer", Day(), "target_date"),
    Column(
        "update_cadence_days",
        "days between client updates (blank on import for a triaged complaint: the default for its severity)",
        Whole(1, MAX_CADENCE_DAYS),
        "update_cadence_days",
    ),
    Column(
        "client_updates",
        "how many client updates were logged (blank on import: 0)",
        Whole(0, CLIENT_UPDATES_MAX),
        "client_update_count",
    ),
    Column(
        "last_client_update_at",
        "when the client was last updated; the update clock runs from it",
        Moment(),
        "last_client_update_at",
    ),
    Column(
        "final_response_due_on",
        "the final-response deadline (blank on import: from the firm's policy)",
        Day(),
        "final_response_due_on",
    ),
    Column(
        "holding_response_sent_on",
        "when a holding response (the firm needs more time: why, and when it expects to answer) was sent",
        Day(),
        "holding_response_sent_on",
    ),
    Column("final_response_sent_on", "when the final response was sent", Day(), "final_response_sent_on"),
    Column("resolved_at", "when it was resolved; given with outcome", Moment(), "resolved_at"),
    Column("outcome", "the outcome; given with resolved_at", Choice(Outcome), "outcome"),
    Column("remedy", "what the firm offered", Text(REMEDY_MAX), "remedy"),
    Column(
        "redress_currency",
        "the currency of the redress and of the ombudsman's award",
        CurrencyCode(),
        "redress_currency",
    ),
    *(
        Column(name, meaning, Amount(), None, get=_amount(name), needs=(name, "redress_currency"))
        for name, meaning in (
            ("redress_offered", "the money the firm offered the client"),
            ("redress_paid", "the money the firm paid the client; kept when the complaint is reopened"),
        )
    ),
    Column(
        "redress_paid_on",
        "when the redress was paid; given with redress_paid, not before received_on",
        Day(),
        "redress_paid_on",
    ),
    Column("root_cause", "what really went wrong", Listed("ROOT_CAUSES"), "root_cause"),
    Column(
        "ombudsman_rights_given",
        "whether the final response told the client about the Legal Ombudsman "
        "(available, contact details, the 6-month limit)",
        YesNo(),
        "ombudsman_rights_given",
    ),
    Column(
        "ombudsman_referral_by",
        "the last day the client can normally refer the complaint to the ombudsman (blank on import for a "
        "resolved complaint with final_response_sent_on: from the complaints scheme)",
        Day(),
        "ombudsman_referral_by",
    ),
    Column(
        "summary_resolution",
        "under an FCA scheme, yes if resolved by summary resolution (DISP 1.5) and no if by a final response; "
        "blank under other schemes and in registers kept before it",
        YesNo(),
        "summary_resolution",
    ),
    Column(
        "referred_on",
        "when the client referred the complaint to the ombudsman; not before received_on",
        Day(),
        "referred_on",
    ),
    Column(
        "ombudsman_reference",
        "the ombudsman's reference for the case",
        Text(OMBUDSMAN_REFERENCE_MAX),
        "ombudsman_reference",
    ),
    Column(
        "ombudsman_decision",
        "what the ombudsman decided; given with referred_on",
        Choice(OmbudsmanDecision),
        "ombudsman_decision",
    ),
    Column(
        "ombudsman_decided_on",
        "when the ombudsman decided; given with ombudsman_decision, not before referred_on",
        Day(),
        "ombudsman_decided_on",
    ),
    Column(
        "ombudsman_award",
        "the money the ombudsman awarded the client; given with ombudsman_decision",
        Amount(),
        None,
        get=_amount("ombudsman_award"),
        needs=("ombudsman_award", "redress_currency"),
    ),
    Column(
        "days_to_resolve",
        "days from received_on to the resolution date in the firm's time zone",
        Computed(),
        None,
        imported=False,
        get=_days_to_resolve,
        needs=("resolved_at", "received_on"),
    ),
    Column(
        "legal_hold",
        "yes if the record is on legal hold, out of every retention purge (yes on import: "
        "held by the person importing)",
        Flag(),
        None,
        get=_legal_hold,
        needs=("legal_hold_at",),
    ),
)


def disclosure_columns(currency: Currency = DEFAULT_CURRENCY_OF_RECORD) -> tuple[Column, ...]:
    """The disclosures register's columns, a costs estimate's amount written in `currency` (the
    firm's CURRENCY, which the amounts are recorded in)."""
    amount = Column(
        "amount",
        "a costs estimate's (or revised estimate's) amount",
        FirmAmount(),
        None,
        get=_firm_amount("amount", currency),
        needs=("amount",),
    )
    return (*DISCLOSURE_COLUMNS[:5], amount, *DISCLOSURE_COLUMNS[5:])


# Less the amount, whose currency is the firm's (`disclosure_columns`).
DISCLOSURE_COLUMNS: tuple[Column, ...] = (
    Column("reference", "the disclosure's reference", Text(), "reference"),
    Column("client_name", "the client told", Text(), "client_name"),
    Column("matter_ref", "the matter", Text(), "matter_ref"),
    Column("kind", "what was disclosed", Choice(DisclosureKind), "kind"),
    Column("content", "what the client was told", Text(), "content"),
    Column("disclosed_on", "when", Day(), "disclosed_on"),
    Column("disclosed_via", "how", Choice(DisclosedVia), "disclosed_via"),
    Column("ack_status", "whether the client acknowledged it", Choice(AckStatus), "ack_status"),
    Column("acknowledged_at", "when the acknowledgement was recorded", Moment(), "acknowledged_at"),
    Column("follow_up_on", "when to chase the acknowledgement", Day(), "follow_up_on"),
    Column("document_url", "a link to the document", Text(), "document_url"),
    Column("logged_by", "who logged it", Text(), "logged_by"),
    Column("logged_at", "when it was logged", Moment(), "logged_at"),
)

BY_NAME = {c.name: c for c in COLUMNS}
REQUIRED = tuple(c.name for c in COLUMNS if c.required)
# Given only for a resolved complaint: reopening one clears them.
RESOLUTION_ONLY = (
    "final_response_sent_on",
    "remedy",
    "root_cause",
    "ombudsman_rights_given",
    "ombudsman_referral_by",
    "summary_resolution",
)


def store_columns(columns: Sequence[Column]) -> list[str]:
    """The store columns the export reads for `columns` (computed ones included)."""
    needed: list[str] = []
    for c in columns:
        for name in (c.store,) if c.store else c.needs:
            if name not in needed:
                needed.append(name)
    return needed


def describe(columns: Sequence[Column] = COLUMNS) -> str:
    """The column set as a Markdown table: what README.md shows (a test keeps the two the same)."""
    lines = ["| column | meaning | written and read as |", "|---|---|---|"]
    for c in columns:
        required = " **Required on import.**" if c.required else ""
        lines.append(f"| `{c.name}` | {c.meaning}.{required} | {c.kind.doc} |")
    return "\n".join(lines)


# --- writing --------------------------------------------------------------------------------------


def _utc_text(value: datetime) -> str:
    return value.astimezone(UTC).replace(tzinfo=None).isoformat() + "Z"


def _clip(raw: str, limit: int = 40) -> str:
    return raw if len(raw) <= limit else raw[: limit - 1] + "…"


def _readers(
    columns: Sequence[Column], tz: ZoneInfo, convert: str, names: Sequence[str] | None
) -> list[Callable[[Any], Any]]:
    """Per column, a function from a row to its written value. With `names` (the store columns of
    a Core row, in order) a stored value is read by position: the export's inner loop runs a
    million times, and this halves it."""
    readers: list[Callable[[Any], Any]] = []
    for c in columns:
        write = getattr(c.kind, convert)
        if c.get is not None:
            readers.append(_computed_reader(c.get, write, tz))
        elif c.store is None:
            raise ValueError(f"register column {c.name} has neither a store column nor a getter")
        elif names is not None:
            readers.append(_positional_reader(list(names).index(c.store), write))
        else:
            readers.append(_attribute_reader(c.store, write))
    return readers


Writer = Callable[[Any], Any]


def _computed_reader(get: Getter, write: Writer, tz: ZoneInfo) -> Callable[[Any], Any]:
    def read(row: Any) -> Any:
        return write(get(row, tz))

    return read


def _positional_reader(position: int, write: Writer) -> Callable[[Any], Any]:
    def read(row: Any) -> Any:
        return write(row[position])

    return read


def _attribute_reader(name: str, write: Writer) -> Callable[[Any], Any]:
    def read(row: Any) -> Any:
        return write(getattr(row, name))

    return read


def as_json(columns: Sequence[Column], row: Any, tz: ZoneInfo) -> dict[str, Any]:
    return {c.name: read(row) for c, read in zip(columns, _readers(columns, tz, "json", None), strict=False)}


def write_csv(
    out: TextIO, columns: Sequence[Column], rows: Iterable[Any], tz: ZoneInfo, names: Sequence[str] | None = None
) -> int:
    """A header row, then one row per record, written as they come; the number of records."""
    writer = csv.writer(out)
    writer.writerow([c.name for c in columns])
    readers = [
        read if not c.kind.guarded else lambda row, read=read: Formula.guard(read(row))
        for c, read in zip(columns, _readers(columns, tz, "cell", names), strict=False)
    ]
    count = 0
    for row in rows:
        writer.writerow([read(row) for read in readers])
        count += 1
    return count


def write_json(
    out: TextIO, columns: Sequence[Column], rows: Iterable[Any], tz: ZoneInfo, names: Sequence[str] | None = None
) -> int:
    """A JSON array written object by object, so no list of all records is ever built."""
    readers = list(zip([c.name for c in columns], _readers(columns, tz, "json", names), strict=False))
    count = 0
    for row in rows:
        out.write("[\n" if count == 0 else ",\n")
        out.write(json.dumps({name: read(row) for name, read in readers}, ensure_ascii=False))
        count += 1
    out.write("[]\n" if count == 0 else "\n]\n")
    return count


@contextmanager
def output(path: Path | None, stdout: TextIO) -> Iterator[TextIO]:
    """Where an export goes: `stdout`, or a file that appears whole or not at all.

    The file is written beside its final name under a temporary one and renamed only once the
    export has finished (and been recorded): a failure half-way leaves no half-written register.
    Made by mkstemp, the file is readable by its owner only, which suits a file of client data.
    """
    if path is None:
        yield stdout
        stdout.flush()
        return
    folder = path.parent
    if path.is_dir():
        raise RegisterError(f"Cannot write {path}: it is a folder; give a file name, e.g. {path / 'register.csv'}.")
    if not folder.is_dir():
        raise RegisterError(f"Cannot write {path}: the folder {folder} does not exist.")
    try:
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".part")
    except OSError as e:
        raise RegisterError(f"Cannot write {path}: {e.strerror or e}.") from None
    try:
        with open(fd, "w", encoding="utf-8", newline="") as out:
            yield out
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def cli_actor(user_name: str) -> str:
    """`cli:<name>`: who ran a command, as the timeline records it."""
    name = re.sub(r"[^A-Za-z0-9._-]", "_", user_name or "")[: ACTOR_MAX - 4] or "unknown"
    return f"cli:{name}"


# --- export ---------------------------------------------------------------------------------------


def export_register(
    *,
    engine: Engine,
    session_factory: sessionmaker[Session],
    out: TextIO,
    fmt: Format,
    actor: str,
    now: datetime,
    tz: ZoneInfo,
    received_from: date | None = None,
    received_to: date | None = None,
    disclosures: bool = False,
    then: Callable[[Session, int], None] | None = None,
    currency: Currency = DEFAULT_CURRENCY_OF_RECORD,
) -> int:
    """Stream the register (or, with `disclosures`, the disclosures) to `out`; record the export.

    The export is an event of the register as a whole (no complaint), written once the rows are
    out: who, which format, which range, how many rows. One event, not one per complaint: a
    million rows exported cost one insert. `then(session, rows)` runs in the event's transaction,
    so what follows from the export (sharing it in Slack) is recorded with it or not at all.
    """
    if received_from and received_to and received_from > received_to:
        raise RegisterError(f"--from {received_from} is after --to {received_to}; nothing could be in that range.")
    columns = disclosure_columns(currency) if disclosures else COLUMNS
    write = write_csv if fmt == "csv" else write_json
    names = store_columns(columns)
    with store.reading(engine) as conn:
        if disclosures:
            rows = store.stream_disclosures(conn, columns=names, disclosed_from=received_from, disclosed_to=received_to)
        else:
            rows = store.stream_complaints(conn, columns=names, received_from=received_from, received_to=received_to)
        with closing(rows):  # closed before its connection, also when writing fails half-way
            count = write(out, columns, rows, tz, names)
    with session_factory.begin() as session:
        events_store.add_event(
            session,
            kind=EventKind.EXPORTED,
            actor=actor,
            at=now,
            data={
                "format": fmt,
                "what": "disclosures" if disclosures else "complaints",
                "from": received_from.isoformat() if received_from else None,
                "to": received_to.isoformat() if received_to else None,
                "rows": count,
            },
        )
        if then is not None:
            then(session, count)
    return count


def export_complaint(
    *,
    session_factory: sessionmaker[Session],
    reference: str,
    out: TextIO,
    actor: str,
    now: datetime,
    tz: ZoneInfo,
    currency: Currency = DEFAULT_CURRENCY_OF_RECORD,
) -> dict[str, Any]:
    """One complaint as JSON: its register fields, its whole timeline and the disclosures on its matter.

    The export's own event is written first, in the same transaction, so the timeline handed out
    ends with it; if writing fails the transaction is rolled back and no export is recorded.
    """
    with session_factory.begin() as session:
        complaint = complaints_store.complaint_by_reference(session, reference)
        if complaint is None:
            raise NotFound(f"There is no complaint {reference}.")
        events_store.add_event(
            session, complaint_id=complaint.id, kind=EventKind.EXPORTED, actor=actor, at=now, data={"format": "json"}
        )
        events = complaints_store.events_of(session, complaint.id)
        on_matter = (
            disclosures_store.disclosures_on_matter(session, complaint.matter_ref, limit=100_000)
            if complaint.matter_ref
            else ()
        )
        document = {
            "complaint": as_json(COLUMNS, complaint, tz),
            "timeline": [{"at": _utc_text(e.at), "kind": e.kind, "actor": e.actor, "data": e.data} for e in events],
            "disclosures": [as_json(disclosure_columns(currency), d, tz) for d in on_matter],
        }
        json.dump(document, out, ensure_ascii=False, indent=2)
        out.write("\n")
    return document


# --- reading a register ---------------------------------------------------------------------------


@dataclass
class Row:
    """A row that passed every check: its line and its values by column name (None when blank)."""

    line: int
    values: dict[str, Any]


@dataclass
class Parsed:
    rows: list[Row] = field(default_factory=list)
    rejections: list[Rejection] = field(default_factory=list)


def read_register(source: Iterable[str], *, reading: Reading) -> Parsed:
    """Read and check a CSV register; never raises for what is in the file.

    `source` yields the file's lines as text (a file opened with newline="", or `io.StringIO`).
    Bytes that were not UTF-8 should arrive as lone surrogates (errors="surrogateescape"); the
    cells holding them are rejected.
    """
    parsed = Parsed()
    reject = parsed.rejections.append
    lines = csv_lines(source, reject)
    first = next(lines, None)
    if first is None:  # the header was not valid CSV
        return parsed
    positions = _read_header(first[1], reject)
    if parsed.rejections:
        return parsed
    seen: dict[str, int] = {}
    for row_line, cells_ in lines:
        row = _read_row(row_line, cells_, positions, reading, reject, seen)
        if row is not None:
            parsed.rows.append(row)
    return parsed


def csv_lines(source: Iterable[str], reject: Callable[[Rejection], None]) -> Iterator[tuple[int, list[str]]]:
    """A CSV file as (line, cells): its header first (line 1), then each row that is not blank (a
    spreadsheet's empty rows are skipped). A line that is not valid CSV is rejected and ends it."""
    reader = csv.reader(source, strict=True)
    try:
        header = next(reader, None)
    except csv.Error as e:
        reject(Rejection(1, "*", f"the header line is not valid CSV ({e})"))
        return
    yield 1, header or []
    line = reader.line_num + 1
    while True:
        try:
            cells = next(reader, None)
        except csv.Error as e:
            reject(Rejection(reader.line_num, "*", f"this is not valid CSV ({e}); nothing after it was read"))
            return
        if cells is None:
            return
        row_line, line = line, reader.line_num + 1
        if any(cell.strip() for cell in cells):
            yield row_line, cells


def read_cell(raw: str, kind: Kind, reading: Reading) -> Any:
    """One cell that is not blank, as its kind reads it; Bad if the text rule refuses it or its
    kind cannot read it."""
    refused = refusal(raw, limit=kind.limit)
    if refused is not None:
        raise Bad(_refused_reason(refused))
    return kind.read(raw, reading)


def _read_header(header: list[str], reject: Callable[[Rejection], None]) -> list[Column | None]:
    """Each position's column (None: a column with no name, whose cells must be blank)."""
    positions: list[Column | None] = []
    found: set[str] = set()
    for index, raw in enumerate(header):
        name = raw.lstrip("\ufeff").strip().lower()
        refused = refusal(name)
        if refused is not None:
            reject(Rejection(1, f"#{index + 1}", f"the column name {_refused_reason(refused)}"))
            positions.append(None)
        elif not name:
            positions.append(None)
        elif name not in BY_NAME:
            reject(Rejection(1, _clip(name), f"unknown column; the columns are: {', '.join(BY_NAME)}"))
            positions.append(None)
        elif name in found:
            reject(Rejection(1, name, "the column is named twice"))
            positions.append(None)
        else:
            found.add(name)
            positions.append(BY_NAME[name])
    for name in REQUIRED:
        if name not in found:
            reject(Rejection(1, name, "this required column is missing from the header"))
    return positions


def _read_row(
    line: int,
    raw_cells: list[str],
    positions: list[Column | None],
    reading: Reading,
    reject: Callable[[Rejection], None],
    seen: dict[str, int],
) -> Row | None:
    values: dict[str, Any] = {c.name: None for c in COLUMNS}
    bad: set[str] = set()

    def fail(column: str, reason: str) -> None:
        bad.add(column)
        reject(Rejection(line, column, reason))

    for index, raw in enumerate(raw_cells):
        column = positions[index] if index < len(positions) else None
        raw = Formula.unguard(raw.strip())
        if column is None:
            if raw:
                fail(f"#{index + 1}", "this cell has no column name in the header; leave it blank or name the column")
            continue
        if not raw or not column.imported:
            continue
        try:
            values[column.name] = read_cell(raw, column.kind, reading)
        except Bad as e:
            fail(column.name, str(e))

    for problem in _read_amounts(values, bad, reading):
        fail(*problem)
    for problem in _row_problems(values, bad, reading):
        fail(*problem)
    reference = values["reference"]
    if reference is not None and "reference" not in bad:
        if reference in seen:
            fail("reference", f"{reference} is also on line {seen[reference]}; a reference is given once")
        else:
            seen[reference] = line
    return None if bad else Row(line, values)


def _refused_reason(refused: Refusal) -> str:
    """What the import says of a cell the text rule refuses."""
    if refused.why == Why.TOO_LONG:
        return f"is {refused.length:,} characters long; the most is {refused.limit:,}"
    if refused.why == Why.SURROGATE:
        # In a file read with errors="surrogateescape", a lone surrogate is a byte that was not UTF-8.
        return "is not UTF-8 text; save the file as CSV UTF-8"
    return f"contains {refused.what} that cannot be stored; remove it"


def derived_status(values: dict[str, Any]) -> Status:
    """What the facts make a complaint: resolved once resolved; in hand once it has a handler and a severity."""
    if values["resolved_at"] is not None:
        return Status.RESOLVED
    if values["handler"] is not None and values["severity"] is not None:
        return Status.TRIAGED
    return Status.NEW


AMOUNTS = tuple(c.name for c in COLUMNS if isinstance(c.kind, Amount))


def _read_amounts(values: dict[str, Any], bad: set[str], reading: Reading) -> Iterator[tuple[str, str]]:
    """The amounts in minor units of the row's redress_currency (blank: the firm's CURRENCY); the
    currency is stored with them."""
    if "redress_currency" in bad:
        for name in AMOUNTS:
            values[name] = None  # unreadable without their currency; the currency's cell says why
        return
    currency = Currency.of(values["redress_currency"]) if values["redress_currency"] else reading.currency
    for name in AMOUNTS:
        if values[name] is None:
            continue
        raw = values[name]
        try:
            values[name] = currency.parse(raw)
        except ValueError as e:
            values[name] = None
            bad.add(name)
            reason = str(e)
            yield name, f"“{_clip(raw)}”: {reason[0].lower()}{reason[1:]}"
    if values["redress_currency"] is None and any(values[name] is not None for name in AMOUNTS):
        values["redress_currency"] = currency.code


def _row_problems(values: dict[str, Any], bad: set[str], reading: Reading) -> Iterator[tuple[str, str]]:
    """The rules across cells; a rule about a cell that could not be read is left out."""

    def given(name: str) -> bool:
        return values[name] is not None

    def blank(name: str) -> bool:
        return values[name] is None and name not in bad

    for name in REQUIRED:
        if blank(name):
            yield name, "is required"
    today = reading.today
    for name in (
        "received_on",
        "holding_response_sent_on",
        "final_response_sent_on",
        "redress_paid_on",
        "referred_on",
        "ombudsman_decided_on",
    ):
        if given(name) and values[name] > today:
            yield name, f"{values[name]} is in the future (today is {today} in the firm's time zone)"
    for c in COLUMNS:
        if isinstance(c.kind, Moment) and given(c.name) and values[c.name] > reading.now:
            yield c.name, f"{_utc_text(values[c.name])} is in the future"
    received = values["received_on"]
    if received is not None:
        for name in ("logged_at", "resolved_at"):
            if given(name) and values[name].astimezone(reading.tz).date() < received:
                yield name, f"is before received_on ({received})"
        for name in ("redress_paid_on", "referred_on"):
            if given(name) and values[name] < received:
                yield name, f"{values[name]} is before received_on ({received})"
    for name, needs in (
        ("redress_paid_on", "redress_paid"),
        ("ombudsman_decision", "referred_on"),
        ("ombudsman_decided_on", "ombudsman_decision"),
        ("ombudsman_decision", "ombudsman_decided_on"),
        ("ombudsman_award", "ombudsman_decision"),
    ):
        if given(name) and blank(needs):
            yield needs, f"is required when {name} is given"
    if (
        given("referred_on")
        and given("ombudsman_decided_on")
        and values["ombudsman_decided_on"] < values["referred_on"]
    ):
        yield (
            "ombudsman_decided_on",
            f"{values['ombudsman_decided_on']} is before referred_on ({values['referred_on']})",
        )
    if not {"received_on", "problem_on", "aware_on"} & bad:
        for wrong in misdated(received_on=received, problem_on=values["problem_on"], aware_on=values["aware_on"]):
            yield wrong.field, f"{values[wrong.field]} is {_MISDATED[wrong.against]} ({wrong.limit})"
    if given("resolved_at") and blank("outcome"):
        yield "outcome", "is required for a resolved complaint (resolved_at is given)"
    if given("outcome") and blank("resolved_at"):
        yield "resolved_at", "is required when an outcome is given"
    is_open = blank("resolved_at") and blank("outcome")
    if is_open:
        for name in RESOLUTION_ONLY:
            if given(name):
                yield name, "only a resolved complaint has one; give resolved_at and outcome, or leave it blank"
        if given("handler") != given("severity") and not {"handler", "severity"} & bad:
            missing = "severity" if given("handler") else "handler"
            yield missing, "an open complaint that has been triaged needs both a handler and a severity"
    if given("status") and not {"resolved_at", "outcome", "handler", "severity"} & bad:
        derived = derived_status(values)
        if values["status"] != derived.value:
            yield "status", f"says {values['status']} but the row is {derived.value}: {_why(derived)}"


_MISDATED = {"received_on": "after received_on", "problem_on": "before problem_on"}


def _why(status: Status) -> str:
    if status == Status.RESOLVED:
        return "it has resolved_at"
    if status == Status.TRIAGED:
        return "it has a handler and a severity and no resolved_at"
    return "with no resolved_at, and no handler and severity, it awaits triage"


# --- import ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportReport:
    rows: int  # rows that passed (imported, or that would be)
    new_references: int
    rejections: tuple[Rejection, ...]
    written: bool

    @property
    def rejected_rows(self) -> int:
        return len({r.line for r in self.rejections})


def import_register(
    *,
    session_factory: sessionmaker[Session],
    source: Iterable[str],
    file_name: str,
    actor: str,
    now: datetime,
    tz: ZoneInfo,
    policy: SlaPolicy,
    rulebook: Rulebook,
    dry_run: bool = False,
    root_causes: Choices = DEFAULT_ROOT_CAUSE_CHOICES,
    products: Choices | None = None,
    currency: Currency = DEFAULT_CURRENCY_OF_RECORD,
) -> ImportReport:
    """Check a register and, unless it is a dry run or a row is rejected, insert it in one transaction.

    Validation is plain Python over the whole file; the store is asked only which references it
    already has. Then everything goes in with bulk inserts: counters raised past the references
    kept, new references taken in one block per year, the complaints, one `imported` event each.
    `rulebook` gives a resolved complaint's ombudsman referral date where the file has none.
    `root_causes`, `products` (None: the rulebook's groups) and `currency` are the firm's settings.
    """
    reading = Reading(
        now=now,
        tz=tz,
        products=products or Choices.of(rulebook.product_groups),
        root_causes=root_causes,
        currency=currency,
    )
    parsed = read_register(source, reading=reading)
    rejections = list(parsed.rejections)
    kept = [row.values["reference"] for row in parsed.rows if row.values["reference"] is not None]
    # One transaction from the check to the last insert: a reference cannot be taken in between.
    # Leaving the session without commit (a dry run, a rejected row, an error) writes nothing.
    with session_factory() as session:
        if parsed.rows:
            taken = store.existing_references(session, kept)
            for row in parsed.rows:
                if row.values["reference"] in taken:
                    rejections.append(
                        Rejection(row.line, "reference", f"{row.values['reference']} is already in the store")
                    )
            if not rejections and not dry_run:
                _insert(
                    session,
                    parsed.rows,
                    file_name=file_name,
                    actor=actor,
                    now=now,
                    tz=tz,
                    policy=policy,
                    rulebook=rulebook,
                )
                session.commit()
    rejections.sort(key=lambda r: r.line)
    written = bool(parsed.rows) and not rejections and not dry_run
    rejected = {r.line for r in rejections}
    fine = [row for row in parsed.rows if row.line not in rejected]
    return ImportReport(
        rows=len(fine),
        new_references=sum(row.values["reference"] is None for row in fine),
        rejections=tuple(rejections),
        written=written,
    )


def _insert(
    session: Session,
    rows: list[Row],
    *,
    file_name: str,
    actor: str,
    now: datetime,
    tz: ZoneInfo,
    policy: SlaPolicy,
    rulebook: Rulebook,
) -> None:
    """Counters and references first, then the rows a batch at a time (the same transaction), so
    memory holds one batch of insert parameters, not the whole file's."""
    highest: dict[int, int] = {}
    wanted: dict[int, int] = {}
    for row in rows:
        if row.values["reference"] is not None:
            year, number = references.split_reference(row.values["reference"])
            highest[year] = max(highest.get(year, 0), number)
        else:
            year = _logged_at(row.values, tz).astimezone(tz).year
            wanted[year] = wanted.get(year, 0) + 1
    # Kept references first: the numbers given after them start above them.
    store.raise_counters(session, prefix=PREFIX, at_least=highest)
    following = {
        year: store.reserve_numbers(session, prefix=PREFIX, year=year, count=count)
        for year, count in sorted(wanted.items())
    }
    for start in range(0, len(rows), INSERT_BATCH):
        batch = rows[start : start + INSERT_BATCH]
        records = [_record(row.values, actor=actor, now=now, tz=tz, policy=policy, rulebook=rulebook) for row in batch]
        for record in records:
            if record["reference"] is None:
                year = record["logged_at"].astimezone(tz).year
                record["reference"] = references.format_reference(PREFIX, year, following[year])
                following[year] += 1
            record["ref_year"], record["ref_seq"] = references.split_reference(record["reference"])
        ids = store.insert_complaints(session, records)
        store.insert_events(
            session,
            [
                {
                    "complaint_id": ids[record["reference"]],
                    "disclosure_id": None,
                    "kind": EventKind.IMPORTED.value,
                    "actor": actor,
                    "at": now,
                    "data": {
                        "file": file_name,
                        "line": row.line,
                        "reference": record["reference"],
                        "reference_kept": row.values["reference"] is not None,
                    },
                }
                for record, row in zip(records, batch, strict=False)
            ],
        )


def _logged_at(v: dict[str, Any], tz: ZoneInfo) -> datetime:
    return v["logged_at"] or _at_default_hour(v["received_on"], tz)


def _record(
    v: dict[str, Any], *, actor: str, now: datetime, tz: ZoneInfo, policy: SlaPolicy, rulebook: Rulebook
) -> dict[str, Any]:
    """A row of the complaints table from a checked register row: the clocks from the policy, the
    referral date from the rulebook (as resolving sets it) when the file has none."""
    status = derived_status(v)
    logged_at = _logged_at(v, tz)
    cadence = v["update_cadence_days"]
    if status == Status.TRIAGED and cadence is None:
        cadence = DEFAULT_CADENCE_DAYS[Severity(v["severity"])]
    next_update_due_at = None
    if status == Status.TRIAGED and cadence:
        # As triage does: from the last client update, or from triage, or (neither known) from now.
        next_update_due_at = policy.next_update_due_at(v["last_client_update_at"] or v["triaged_at"] or now, cadence)
    held = bool(v["legal_hold"])
    referral_by = v["ombudsman_referral_by"]
    if referral_by is None and status == Status.RESOLVED and v["final_response_sent_on"] is not None:
        referral_by = rulebook.referral_by(v["final_response_sent_on"])
    return {
        "reference": v["reference"],
        "ref_year": None,
        "ref_seq": None,
        "client_name": v["client_name"],
        "matter_ref": v["matter_ref"],
        "received_via": v["received_via"] or ReceivedVia.OTHER.value,
        "received_on": v["received_on"],
        "problem_on": v["problem_on"],
        "aware_on": v["aware_on"],
        "category": v["category"],
        "summary": v["summary"],
        "client_request": v["client_request"],
        "source_message_url": None,
        "reporter_id": v["reporter"] or actor,
        "logged_at": logged_at,
        "source_view_id": None,
        "status": status.value,
        "triage_due_at": policy.triage_due_at(logged_at),
        "triaged_at": v["triaged_at"],
        "triaged_by": None,
        "severity": v["severity"],
        "handler_id": v["handler"],
        "target_date": v["target_date"],
        "update_cadence_days": cadence,
        "final_response_due_on": v["final_response_due_on"] or policy.final_response_due_on(v["received_on"]),
        "last_client_update_at": v["last_client_update_at"],
        "next_update_due_at": next_update_due_at,
        "snoozed_until": None,
        # Open: the next sweep asks the policy what is due (an overdue triage escalates once, not per day missed).
        "next_reminder_at": None if status == Status.RESOLVED else now,
        "resolved_at": v["resolved_at"],
        "resolved_by": None,
        "outcome": v["outcome"],
        "remedy": v["remedy"],
        "holding_response_sent_on": v["holding_response_sent_on"],
        "final_response_sent_on": v["final_response_sent_on"],
        "ombudsman_rights_given": v["ombudsman_rights_given"],
        "ombudsman_referral_by": referral_by,
        "summary_resolution": v["summary_resolution"],
        "root_cause": v["root_cause"],
        "product": v["product"],
        "vulnerable": v["vulnerable"],
        "adjustments": v["adjustments"],
        "redress_currency": v["redress_currency"],
        "redress_offered": v["redress_offered"],
        "redress_paid": v["redress_paid"],
        "redress_paid_on": v["redress_paid_on"],
        "referred_on": v["referred_on"],
        "ombudsman_reference": v["ombudsman_reference"],
        "ombudsman_decision": v["ombudsman_decision"],
        "ombudsman_decided_on": v["ombudsman_decided_on"],
        "ombudsman_award": v["ombudsman_award"],
        "acknowledged_at": v["acknowledged_at"],
        "acknowledged_via": v["acknowledged_via"],
        "client_update_count": v["client_updates"] or 0,
        "legal_hold_at": now if held else None,
        "legal_hold_by": actor if held else None,
        "legal_hold_reason": LEGAL_HOLD_REASON if held else None,
        "purged_at": None,
    }
