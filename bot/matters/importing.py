"""`complaint-bot import-matters`: the firm's open matters from its practice-management system's
export (CSV), all or nothing. Read with the register import's cell kinds and reported as it is,
every bad cell as `line N, column C: why` (bot/records/register.py); each good row is set up as
/matter new sets one up (bot/matters/service.py), in one transaction."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session, sessionmaker

from bot.core.config import DEFAULT_CURRENCY_OF_RECORD
from bot.core.lists import Choices
from bot.core.money import Currency
from bot.core.vocabulary import (
    CLIENT_NAME_MAX,
    KEY_DATE_WHAT_MAX,
    MATTER_CADENCE_DAYS,
    MATTER_REF_MAX,
    MAX_CADENCE_DAYS,
)
from bot.matters.inputs import NewMatter
from bot.matters.service import set_up_matter
from bot.records.register import (
    Bad,
    Day,
    Formula,
    Kind,
    Listed,
    Member,
    Reading,
    Rejection,
    Text,
    Whole,
    csv_lines,
    read_cell,
)
from storage import matters as matters_store


@dataclass(frozen=True)
class MatterColumn:
    name: str
    meaning: str
    kind: Kind
    required: bool = False


COLUMNS: tuple[MatterColumn, ...] = (
    MatterColumn(
        "matter_ref", "the matter's reference, as complaints and disclosures give it", Text(MATTER_REF_MAX), True
    ),
    MatterColumn("client_name", "the client's name", Text(CLIENT_NAME_MAX), True),
    MatterColumn("responsible_id", "the responsible lawyer", Member(), True),
    MatterColumn("supervisor_id", "the supervising partner", Member()),
    MatterColumn("area", "the area of law", Listed("PRODUCT_GROUPS"), True),
    MatterColumn("opened_on", "the day the matter opened (not in the future)", Day(), True),
    MatterColumn(
        "update_cadence_days",
        f"how often the client is to hear from us, in days (blank: {MATTER_CADENCE_DAYS})",
        Whole(1, MAX_CADENCE_DAYS),
    ),
    MatterColumn("next_key_date", "the next key date the client was told of", Day()),
    MatterColumn(
        "next_key_date_what", "what happens on the next key date (needs next_key_date)", Text(KEY_DATE_WHAT_MAX)
    ),
)
BY_NAME = {c.name: c for c in COLUMNS}


def describe() -> str:
    """The columns as a Markdown table, for README.md."""
    lines = ["| column | meaning | written as |", "|---|---|---|"]
    for c in COLUMNS:
        required = " **Required.**" if c.required else ""
        lines.append(f"| `{c.name}` | {c.meaning}.{required} | {c.kind.doc} |")
    return "\n".join(lines)


@dataclass
class Parsed:
    rows: list[tuple[int, NewMatter]] = field(default_factory=list)
    rejections: list[Rejection] = field(default_factory=list)


def read_matters(source: Iterable[str], *, reading: Reading) -> Parsed:
    """Read and check the file; never raises for what is in it."""
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
    for line, cells in lines:
        row = _read_row(line, cells, positions, reading, reject, seen)
        if row is not None:
            parsed.rows.append((line, row))
    return parsed


def _read_header(header: list[str], reject: Any) -> list[MatterColumn | None]:
    positions: list[MatterColumn | None] = []
    for index, raw in enumerate(header):
        name = raw.lstrip("\ufeff").strip().lower()
        column = BY_NAME.get(name)
        if name and column is None:
            reject(Rejection(1, name[:40] or f"#{index + 1}", f"unknown column; the columns are: {', '.join(BY_NAME)}"))
        elif column is not None and column in positions:
            reject(Rejection(1, name, "the column is named twice"))
            column = None
        positions.append(column)
    for c in COLUMNS:
        if c.required and c not in positions:
            reject(Rejection(1, c.name, "this required column is missing from the header"))
    return positions


def _read_row(
    line: int,
    cells: list[str],
    positions: Sequence[MatterColumn | None],
    reading: Reading,
    reject: Any,
    seen: dict[str, int],
) -> NewMatter | None:
    values: dict[str, Any] = dict.fromkeys(BY_NAME)
    bad: set[str] = set()

    def fail(column: str, reason: str) -> None:
        bad.add(column)
        reject(Rejection(line, column, reason))

    for index, raw in enumerate(cells):
        column = positions[index] if index < len(positions) else None
        raw = Formula.unguard(raw.strip())
        if column is None:
            if raw:
                fail(f"#{index + 1}", "this cell has no column name in the header; leave it blank or name the column")
            continue
        if not raw:
            continue
        try:
            values[column.name] = read_cell(raw, column.kind, reading)
        except Bad as e:
            fail(column.name, str(e))
    for c in COLUMNS:
        if c.required and values[c.name] is None and c.name not in bad:
            fail(c.name, "this column is required; the cell is blank")
    if values["opened_on"] is not None and values["opened_on"] > reading.today:
        fail("opened_on", f"{values['opened_on'].isoformat()} is in the future")
    if values["next_key_date_what"] is not None and values["next_key_date"] is None:
        fail("next_key_date", "give the date of what next_key_date_what says, or leave both blank")
    ref = values["matter_ref"]
    if ref is not None:
        if ref in seen:
            fail("matter_ref", f"{ref} is also on line {seen[ref]}; a matter is given once")
        else:
            seen[ref] = line
    if bad:
        return None
    return NewMatter(
        matter_ref=ref,
        client_name=values["client_name"],
        responsible_id=values["responsible_id"],
        supervisor_id=values["supervisor_id"],
        area=values["area"],
        opened_on=values["opened_on"],
        update_cadence_days=values["update_cadence_days"] or MATTER_CADENCE_DAYS,
        next_key_date=values["next_key_date"],
        next_key_date_what=values["next_key_date_what"],
    )


@dataclass(frozen=True)
class MattersImport:
    rows: int  # rows that passed (imported, or that would be)
    set_up: int  # of them, matters a complaint or a disclosure had named first
    rejections: tuple[Rejection, ...]
    written: bool

    @property
    def rejected_rows(self) -> int:
        return len({r.line for r in self.rejections})


def import_matters(
    *,
    session_factory: sessionmaker[Session],
    source: Iterable[str],
    file_name: str,
    actor: str,
    now: datetime,
    tz: ZoneInfo,
    areas: Choices,
    dry_run: bool = False,
    currency: Currency = DEFAULT_CURRENCY_OF_RECORD,
) -> MattersImport:
    """Check the file and, unless it is a dry run or a row is rejected, set up every matter in one
    transaction. A matter already set up is a rejected row; one only named so far is set up."""
    parsed = read_matters(source, reading=Reading(now=now, tz=tz, products=areas))
    rejections = list(parsed.rejections)
    named = 0
    with session_factory() as session:
        existing = matters_store.set_up_by_ref(session, [m.matter_ref for _, m in parsed.rows])
        for line, m in parsed.rows:
            if existing.get(m.matter_ref):
                rejections.append(Rejection(line, "matter_ref", f"{m.matter_ref} is already set up in the store"))
        named = sum(1 for _, m in parsed.rows if existing.get(m.matter_ref) is False)
        if parsed.rows and not rejections and not dry_run:
            for _, m in parsed.rows:
                set_up_matter(session, m, actor=actor, now=now, imported_from=file_name, currency=currency)
            session.commit()
    rejections.sort(key=lambda r: r.line)
    rejected = {r.line for r in rejections}
    return MattersImport(
        rows=sum(1 for line, _ in parsed.rows if line not in rejected),
        set_up=named,
        rejections=tuple(rejections),
        written=bool(parsed.rows) and not rejections and not dry_run,
    )
