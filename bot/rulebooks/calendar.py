"""Business days: weekdays that are neither a public holiday of the firm's calendar nor one of its
own closure days. The public holidays come from the `holidays` package (maintained, with each
year's substitute days), so no one has to type next year's bank holidays in.

This is the one place business days are counted: the final-response deadline, the warnings before
it, and anything else counted in business days or in working hours ask a `BusinessCalendar`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import holidays

DAY = timedelta(days=1)

# Named calendars: (country, subdivision, how a person reads it). England and Wales share their
# bank holidays; the package files them under England.
NAMED: dict[str, tuple[str, str | None, str]] = {
    "england-and-wales": ("GB", "ENG", "England & Wales bank holidays"),
    "scotland": ("GB", "SCT", "Scotland bank holidays"),
    "northern-ireland": ("GB", "NIR", "Northern Ireland bank holidays"),
}
NONE = "none"


class CalendarUnknown(ValueError):
    """A HOLIDAY_CALENDAR the package does not know; the message says what would be accepted."""


def _by_code(key: str) -> tuple[str, str | None, str]:
    """A country code of the holidays package, optionally with a subdivision: US, US-NY, IE."""
    country, _, subdiv = key.upper().partition("-")
    supported = holidays.list_supported_countries()
    if country not in supported:
        raise CalendarUnknown(
            f"{key!r} is not a calendar the holidays package knows: use england-and-wales, scotland, "
            "northern-ireland, none, or a country code such as US or IE, optionally with a subdivision "
            "such as US-NY."
        )
    if subdiv and subdiv not in supported[country]:
        raise CalendarUnknown(
            f"{key!r}: {country} has no subdivision {subdiv!r} in the holidays package; "
            f"it knows {', '.join(supported[country][:20])}{'…' if len(supported[country]) > 20 else ''}."
        )
    label = f"{country}-{subdiv} public holidays" if subdiv else f"{country} public holidays"
    return country, subdiv or None, label


@dataclass(frozen=True)
class BusinessCalendar:
    """Which days count as business days. Immutable; safe to share between threads."""

    key: str = NONE
    # The firm's own closure days (HOLIDAYS), on top of the public ones.
    closures: frozenset[date] = frozenset()
    label: str = "weekends only"
    _public: holidays.HolidayBase | None = field(default=None, compare=False, repr=False)

    @classmethod
    def named(cls, key: str, closures: frozenset[date] = frozenset()) -> BusinessCalendar:
        """The calendar `key` names (see NAMED, `none`, or a code of the holidays package)."""
        lowered = key.strip().lower()
        if lowered == NONE:
            return cls(NONE, closures, "weekends only")
        if lowered in NAMED:
            canonical = lowered
            country, subdiv, label = NAMED[lowered]
        else:
            canonical = key.strip().upper()
            country, subdiv, label = _by_code(key.strip())
        return cls(canonical, closures, label, holidays.country_holidays(country, subdiv=subdiv))

    @property
    def description(self) -> str:
        """What the calendar skips, as a deadline's explanation names it."""
        if not self.closures:
            return self.label
        days = "day" if len(self.closures) == 1 else "days"
        return f"{self.label} and {len(self.closures)} firm closure {days}"

    def holiday_name(self, day: date) -> str | None:
        """Why `day` is not a business day although a weekday (None: it is one, or a weekend)."""
        if day in self.closures:
            return "Firm closed"
        if self._public is not None:
            name = self._public.get(day)
            if name:
                return str(name)
        return None

    def is_business_day(self, day: date) -> bool:
        return day.weekday() < 5 and self.holiday_name(day) is None

    def add_business_days(self, start: date, days: int) -> date:
        """The `days`-th business day after `start` (`start` itself never counts)."""
        current, left = start, days
        while left > 0:
            current += DAY
            if self.is_business_day(current):
                left -= 1
        return current

    def add_working_hours(
        self, start: datetime, hours: timedelta, *, opens: time, closes: time, tz: ZoneInfo
    ) -> datetime:
        """The moment `hours` of working time have passed since `start` (aware; UTC out).

        Working time is `opens` to `closes` on the firm's wall clock (`tz`) on each business day. A
        start outside it counts from the next opening; hours that run out exactly at a closing
        end there (17:30, not the next morning). Each day's span is measured between its own UTC
        instants, so a working day the clocks change in counts the hours that really pass.
        """
        if not opens < closes:
            raise ValueError(f"working hours must open before they close; got {opens}-{closes}")
        if hours < timedelta(0):
            raise ValueError("hours must not be negative")
        start = start.astimezone(UTC)
        left = hours
        day = start.astimezone(tz).date()
        while True:
            if self.is_business_day(day):
                opening = datetime.combine(day, opens, tzinfo=tz).astimezone(UTC)
                closing = datetime.combine(day, closes, tzinfo=tz).astimezone(UTC)
                counted_from = max(opening, start)
                if counted_from < closing:
                    if left <= closing - counted_from:
                        return counted_from + left
                    left -= closing - counted_from
            day += DAY

    def business_day_before(self, day: date) -> date:
        """The last business day before `day`."""
        current = day - DAY
        while not self.is_business_day(current):
            current -= DAY
        return current

    def on_or_before(self, day: date) -> date:
        """`day` if it is a business day, else the last business day before it."""
        return day if self.is_business_day(day) else self.business_day_before(day)

    def on_or_after(self, day: date) -> date:
        """`day` if it is a business day, else the first business day after it."""
        return self.add_business_days(day - DAY, 1)

    def holidays_between(self, first: date, last: date) -> Iterator[tuple[date, str]]:
        """The weekdays from `first` to `last` (both included) that are not business days, and why."""
        day = first
        while day <= last:
            name = self.holiday_name(day)
            if name is not None and day.weekday() < 5:
                yield day, name
            day += DAY
