"""The rulebook in force, as `complaint-bot check` prints it: scheme, clocks, calendar, holidays."""

from __future__ import annotations

from datetime import date, timedelta

from bot.core.config import Settings
from bot.reminders.policy import SlaPolicy


def rulebook_lines(settings: Settings, policy: SlaPolicy, today: date) -> list[str]:
    """Lines for a person: what the bot holds the firm to, and the closed days of the coming year."""
    book = settings.rulebook
    lines = [
        f"scheme         {book.key}: {book.title}",
        f"final response {policy.final_response_basis}",
        f"triage         {policy.triage_clock}: within {policy.triage_basis or _clock_hours(policy)}",
    ]
    if book.extended_business_days:
        lines.append(
            f"               up to {book.extended_business_days} business days when a holding reply gave "
            f"the reasons and the date ({book.final_response_rule})"
        )
    if book.summary_resolution:
        lines.append("summary        resolution by close of the third business day after receipt (DISP 1.5)")
    if book.ombudsman is None:
        lines.append("ombudsman      none: resolving needs no ombudsman points")
    else:
        o = book.ombudsman
        lines.append(f"ombudsman      {o.contact}")
        lines.append(
            f"               the client must normally refer within {o.referral_months} months of the final "
            f"response, and "
            f"{o.other_limits} ({o.limits_rule})"
        )
    calendar = policy.calendar
    lines.append(f"calendar       {calendar.key}: {calendar.description}")
    closed = list(calendar.holidays_between(today, today + timedelta(days=365)))
    lines += [f"               {day:%a %-d %b %Y}  {name}" for day, name in closed]
    if not closed:
        lines.append("               no weekday is closed in the coming 12 months")
    return lines


def _clock_hours(policy: SlaPolicy) -> str:
    return f"{policy.triage_within.total_seconds() / 3600:g} hours of logging, nights and weekends included"
