"""The returns a firm makes of its complaints: the FCA complaints return (DISP 1.10, in the shape
of DISP 1 Annex 1R) and a summary any firm can use, over a period.

Each is a plain `Report`: a title, a table (columns and rows of text), the figures as lines of text
for a message, and its CSV. The counting is the database's (storage/returns.py); this module says
what each figure means, works out the business-day cut-offs from the firm's calendar, and lays
the figures out. The definitions are in README.md, "Returns".
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import TextIO

from sqlalchemy.orm import Session

from bot.core.errors import UserError
from bot.core.lists import Choices
from bot.core.money import Currency
from bot.core.vocabulary import Category, OmbudsmanDecision, Outcome
from bot.reminders.policy import SlaPolicy
from bot.rulebooks.summary import third_business_day_close
from storage import returns as store
from storage.models import Complaint

FCA_RETURN = "fca-return"
SUMMARY = "summary"
KINDS = (FCA_RETURN, SUMMARY)
# DISP 1 Annex 1R: closed "within 8 weeks" of receipt.
EIGHT_WEEKS = timedelta(weeks=8)
NO_PRODUCT = "(no product recorded)"
NOT_RECORDED = "(not recorded)"
TOTAL = "Total"
_HALF = re.compile(r"^([0-9]{4})[Hh]([12])$")
# The longest period a return covers: a year and a day, so a leap year fits.
LONGEST_DAYS = 366

FCA_COLUMNS = (
    "product_group",
    "opened",
    "closed",
    "closed_within_3_business_days",
    "closed_after_3_business_days_within_8_weeks",
    "closed_after_8_weeks",
    "upheld",
    "upheld_percent",
    "redress_paid",
)
SUMMARY_COLUMNS = ("figure", "group", "value")


@dataclass(frozen=True)
class Period:
    """Days `first` to `last`, both included, in the firm's time zone."""

    first: date
    last: date
    label: str

    @classmethod
    def half(cls, text: str) -> Period:
        """`2026H1` (1 Jan to 30 Jun) or `2026H2` (1 Jul to 31 Dec)."""
        match = _HALF.match(text.strip())
        if match is None:
            raise UserError(f"“{text}” is not a half year: write it as 2026H1 (January to June) or 2026H2.")
        year, half = int(match.group(1)), match.group(2)
        if half == "1":
            return cls(date(year, 1, 1), date(year, 6, 30), f"{year}H1")
        return cls(date(year, 7, 1), date(year, 12, 31), f"{year}H2")

    @classmethod
    def between(cls, first: date, last: date) -> Period:
        if first > last:
            raise UserError(f"{first} is after {last}: nothing could be in that period.")
        if (last - first).days >= LONGEST_DAYS:
            raise UserError(f"A return covers at most {LONGEST_DAYS} days; {first} to {last} is longer.")
        return cls(first, last, f"{first.isoformat()}_{last.isoformat()}")

    @property
    def words(self) -> str:
        return f"{self.first:%-d %b %Y} to {self.last:%-d %b %Y}"

    def start(self, policy: SlaPolicy) -> datetime:
        return _midnight(self.first, policy)

    def end(self, policy: SlaPolicy) -> datetime:
        """The moment after the period: midnight at the start of the day after `last`."""
        return _midnight(self.last + timedelta(days=1), policy)


def _midnight(day: date, policy: SlaPolicy) -> datetime:
    return datetime.combine(day, time(0), tzinfo=policy.tz).astimezone(UTC)


def parse_dates(words: Sequence[str]) -> Period:
    """`2026-01-01 2026-03-31`, as typed after `/complaint report summary`."""
    if len(words) != 2:
        raise UserError("Say the first and last day: `/complaint report summary 2026-01-01 2026-03-31`.")
    days = []
    for word in words:
        try:
            if len(word) != 10:
                raise ValueError
            days.append(date.fromisoformat(word))
        except ValueError:
            raise UserError(f"“{word}” is not a date; write it as YYYY-MM-DD, e.g. 2026-01-01.") from None
    return Period.between(days[0], days[1])


@dataclass(frozen=True)
class Report:
    kind: str
    title: str
    period: Period
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    # The figures as sentences, for a message.
    lines: tuple[str, ...]

    @property
    def file_name(self) -> str:
        return f"{self.kind}-{self.period.label}.csv"

    def table(self) -> str:
        """The rows as an aligned text table, the header first."""
        body = [self.columns, *self.rows]
        widths = [max(len(row[i]) for row in body) for i in range(len(self.columns))]
        lines = [
            "  ".join(
                cell.ljust(w) if i == 0 else cell.rjust(w) for i, (cell, w) in enumerate(zip(row, widths, strict=True))
            )
            for row in body
        ]
        return "\n".join(line.rstrip() for line in lines) + "\n"

    def write_csv(self, out: TextIO) -> int:
        """The header and the rows; returns how many rows (the header not counted)."""
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(self.columns)
        writer.writerows(self.rows)
        return len(self.rows)

    def csv_bytes(self) -> bytes:
        out = io.StringIO()
        self.write_csv(out)
        return out.getvalue().encode("utf-8")


def cutoffs(period: Period, policy: SlaPolicy) -> list[store.Cutoff]:
    """The cut-offs of each received day the period's closures can fall within: from the earliest
    day whose three-business-day or eight-week cut-off is not before the period's start (earlier
    ones were all closed after eight weeks) to the period's last day. About 240 for a half year."""

    def cutoff(day: date) -> store.Cutoff:
        return store.Cutoff(
            day, third_business_day_close(policy, day), _midnight(day + EIGHT_WEEKS + timedelta(days=1), policy)
        )

    start = period.start(policy)
    first = period.first
    while True:
        before = cutoff(first - timedelta(days=1))
        if before.three_days_until < start and before.eight_weeks_from <= start:
            break
        first -= timedelta(days=1)
    return [cutoff(first + timedelta(days=n)) for n in range((period.last - first).days + 1)]


def _percent(part: int, whole: int) -> str:
    return "" if whole == 0 else f"{100 * part / whole:.1f}"


def fca_return(session: Session, *, period: Period, policy: SlaPolicy, products: Choices, currency: Currency) -> Report:
    """The FCA complaints return's figures by product group, a row for complaints with no product
    recorded, and the total."""
    start, end = period.start(policy), period.end(policy)
    product = Complaint.product
    opened = store.received_by(session, product, first=period.first, last=period.last)
    closed = store.closed_by(session, product, start=start, end=end, cutoffs=cutoffs(period, policy))
    paid = store.redress_paid_by(session, product, first=period.first, last=period.last)
    in_currency = {key: total for (key, cur), total in paid.items() if cur in ("", currency.code)}
    elsewhere = {cur: 0 for (_, cur) in paid if cur not in ("", currency.code)}
    for (_, cur), total in paid.items():
        if cur in elsewhere:
            elsewhere[cur] += total
    stored = set(opened) | set(closed) | set(in_currency)
    keys = [*products.values, *sorted(k for k in stored if k and k not in products), ""]
    none = store.Closed(0, 0, 0, 0, 0)
    rows = []
    totals = [0] * 6
    for key in keys:
        c = closed.get(key, none)
        figures = [
            opened.get(key, 0),
            c.closed,
            c.within_three_days,
            c.within_eight_weeks,
            c.after_eight_weeks,
            c.upheld,
        ]
        totals = [a + b for a, b in zip(totals, figures, strict=True)]
        name = products.label(key) if key else NO_PRODUCT
        rows.append(_fca_row(name, figures, in_currency.get(key, 0), currency))
    total_paid = sum(in_currency.values())
    rows.append(_fca_row(TOTAL, totals, total_paid, currency))
    opened_n, closed_n, three, eight, after, upheld = totals
    lines = [
        f"Opened: {opened_n}",
        f"Closed: {closed_n} (within 3 business days {three}; after 3 business days and within 8 weeks {eight}; "
        f"after 8 weeks {after})",
        f"Upheld: {upheld}" + (f" ({_percent(upheld, closed_n)}% of those closed)" if closed_n else ""),
        f"Redress paid: {currency.format(total_paid)}",
        *(
            f"Also paid in {cur}, not in the table: {Currency.of(cur).format(n)}"
            for cur, n in sorted(elsewhere.items())
        ),
    ]
    return Report(
        kind=FCA_RETURN,
        title=f"FCA complaints return (DISP 1 Annex 1R), {period.words}",
        period=period,
        columns=FCA_COLUMNS,
        rows=tuple(rows),
        lines=tuple(lines),
    )


def _fca_row(name: str, figures: list[int], paid: int, currency: Currency) -> tuple[str, ...]:
    return (name, *(str(n) for n in figures), _percent(figures[5], figures[1]), currency.plain(paid))


def summary(
    session: Session,
    *,
    period: Period,
    policy: SlaPolicy,
    products: Choices,
    root_causes: Choices,
    currency: Currency,
) -> Report:
    """Counts by category and product (received in the period), by outcome and root cause (closed
    in it), how long closing took, redress offered (on those closed) and paid (in the period),
    referrals to the ombudsman and its decisions (made in the period)."""
    start, end = period.start(policy), period.end(policy)
    rows: list[tuple[str, str, str]] = []

    def counts(figure: str, found: dict[str, int], labels: list[tuple[str, str]]) -> None:
        known = [v for v, _ in labels]
        for value, label in [*labels, *((k, k) for k in sorted(found) if k and k not in known)]:
            rows.append((figure, label, str(found.get(value, 0))))
        if found.get(""):
            rows.append((figure, NOT_RECORDED, str(found[""])))

    received = store.received_by(session, Complaint.category, first=period.first, last=period.last)
    rows.append(("received", TOTAL, str(sum(received.values()))))
    counts("received by category", received, [(c.value, c.label) for c in Category])
    by_product = store.received_by(session, Complaint.product, first=period.first, last=period.last)
    counts("received by product", by_product, products.options())
    closed = store.closed_by(session, Complaint.outcome, start=start, end=end, cutoffs=cutoffs(period, policy))
    closed_n = sum(c.closed for c in closed.values())
    rows.append(("closed", TOTAL, str(closed_n)))
    counts("closed by outcome", {k: c.closed for k, c in closed.items()}, [(o.value, o.label) for o in Outcome])
    counts(
        "closed by root cause",
        store.closed_count_by(session, Complaint.root_cause, start=start, end=end),
        root_causes.options(),
    )
    buckets = [
        ("within 3 business days", sum(c.within_three_days for c in closed.values())),
        ("after 3 business days, within 8 weeks", sum(c.within_eight_weeks for c in closed.values())),
        ("after 8 weeks", sum(c.after_eight_weeks for c in closed.values())),
    ]
    rows.extend(("closed", name, str(n)) for name, n in buckets)
    n, days = store.days_to_close(session, start=start, end=end)
    mean = f"{days / n:.1f}" if n else ""
    rows.append(("days to close", "mean", mean))
    offered = _merged(store.redress_offered(session, start=start, end=end), currency)
    paid_by = store.redress_paid_by(session, Complaint.product, first=period.first, last=period.last)
    paid = _merged({cur: 0 for _, cur in paid_by}, currency)
    for (_, cur), total in paid_by.items():
        paid[cur or currency.code] += total
    for figure, amounts in (("redress offered", offered), ("redress paid", paid)):
        for cur, total in sorted((amounts or {currency.code: 0}).items()):
            rows.append((figure, cur, Currency.of(cur).plain(total)))
    referred = store.referrals(session, first=period.first, last=period.last)
    rows.append(("referred to the ombudsman", TOTAL, str(referred)))
    decisions = store.ombudsman_decisions(session, first=period.first, last=period.last)
    counts(
        "ombudsman decisions",
        {k: d[0] for k, d in decisions.items()},
        [(d.value, d.label) for d in OmbudsmanDecision],
    )
    awarded = sum(d[1] for d in decisions.values())
    rows.append(("ombudsman awards", currency.code, currency.plain(awarded)))
    lines = [
        f"Received: {sum(received.values())}",
        f"Closed: {closed_n}" + "".join(f"; {name} {k}" for name, k in buckets),
        f"Mean days to close: {mean or 'none closed'}",
        "Redress offered: " + _amounts(offered, currency),
        "Redress paid: " + _amounts(paid, currency),
        f"Referred to the ombudsman: {referred}; decisions made: {sum(d[0] for d in decisions.values())}",
    ]
    return Report(
        kind=SUMMARY,
        title=f"Complaints summary, {period.words}",
        period=period,
        columns=SUMMARY_COLUMNS,
        rows=tuple(rows),
        lines=tuple(lines),
    )


def _merged(by_currency: dict[str, int], currency: Currency) -> dict[str, int]:
    """Amounts per currency code, those stored with none under the firm's currency."""
    merged: dict[str, int] = {}
    for cur, total in by_currency.items():
        merged[cur or currency.code] = merged.get(cur or currency.code, 0) + total
    return merged


def _amounts(merged: dict[str, int], currency: Currency) -> str:
    if not merged:
        return currency.format(0)
    return ", ".join(Currency.of(cur).format(n) for cur, n in sorted(merged.items()))
