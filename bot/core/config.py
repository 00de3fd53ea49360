"""Settings, read once from the environment (and `.env`) into one validated object.

A missing or malformed setting is reported together with every other problem, so a person
setting the bot up fixes them in one pass instead of one restart at a time.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, time, timedelta
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from bot.core import home
from bot.core.lists import DEFAULT_ROOT_CAUSES, Choices
from bot.core.money import DEFAULT_CURRENCY, Currency
from bot.core.text import whole_number
from bot.core.vocabulary import DisclosureKind
from bot.matters.policy import Checklists, checklist_for, parse_checklists
from bot.reminders.policy import SlaPolicy, TriageClock
from bot.rulebooks.calendar import BusinessCalendar, CalendarUnknown
from bot.rulebooks.schemes import DEFAULT_SCHEME, RULEBOOKS, Rulebook

Mode = Literal["socket", "http", "sweep", "preview", "digest", "cli"]

DEFAULT_SLACK_API_URL = "https://slack.com/api/"
# A relative SQLite file is taken in COMPLAINTS_HOME (bot/core/home.py), never the current folder.
DEFAULT_DATABASE_URL = f"sqlite:///{home.DATABASE_FILE}"
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")
LOG_FORMATS = ("text", "json")

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_CHANNEL_ID = re.compile(r"^[CG][A-Z0-9]{2,}$")
_USER_OR_GROUP_ID = re.compile(r"^(U|W|S)[A-Z0-9]{2,}$")
_WORKING_HOURS = re.compile(r"^(\d{2}):(\d{2})\s*-\s*(\d{2}):(\d{2})$")
DEFAULT_WORKING_HOURS = (time(9, 0), time(17, 30))
# A token's prefix alone (.env.example's placeholders), or with the hints' "…": not a setting at all.
_PLACEHOLDER = re.compile(r"^(xoxb|xapp)-(…|\.\.\.)?$")


def is_placeholder(value: str) -> bool:
    return bool(_PLACEHOLDER.match(value.strip()))


class SettingsError(Exception):
    """Raised with every problem found in the settings; `str()` is the message for a person."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        lines = ["The bot cannot start until these settings are fixed (in the environment or .env):"]
        lines += [f"  - {p}" for p in problems]
        lines.append("See the settings table in README.md; .env.example has a template.")
        super().__init__("\n".join(lines))


DEFAULT_ROOT_CAUSE_CHOICES = Choices.of(DEFAULT_ROOT_CAUSES)
DEFAULT_CURRENCY_OF_RECORD = Currency.of(DEFAULT_CURRENCY)


@dataclass(frozen=True)
class Settings:
    slack_bot_token: str | None = None
    slack_signing_secret: str | None = None
    slack_app_token: str | None = None
    slack_api_url: str = DEFAULT_SLACK_API_URL
    database_url: str = DEFAULT_DATABASE_URL
    triage_channel: str | None = None
    digest_channel: str | None = None
    complaints_lead: str | None = None
    firm_timezone: str = "Europe/London"
    port: int = 3000
    firm_name: str = "The complaints team"
    acknowledgement_template: str | None = None
    # The firm's own wording of the final response and of the summary resolution communication.
    final_response_template: str | None = None
    summary_resolution_template: str | None = None
    holding_response_template: str | None = None
    triage_hours: int = 24
    triage_warning_hours: int = 20
    # How the triage hours are counted, and the firm's working day (opening, closing) they count in.
    triage_clock: TriageClock = TriageClock.CLOCK_HOURS
    working_hours: tuple[time, time] = DEFAULT_WORKING_HOURS
    first_contact_working_days: int = 2
    # The rulebook (bot/rulebooks/schemes.py) and the business-day calendar (None: the scheme's).
    complaints_scheme: str = DEFAULT_SCHEME
    holiday_calendar: str | None = None
    # Either overrides the scheme's final-response limit (None: the scheme's).
    final_response_weeks: int | None = None
    final_response_business_days: int | None = None
    final_response_warning_days: tuple[int, ...] = (14, 7)
    update_escalation_days: int = 2
    reminder_hour: int = 9
    costs_review_days: int = 90
    holidays: tuple[date, ...] = ()
    digest_weekday: int = 0  # Monday
    digest_hour: int = 9
    digest_show_names: bool = False
    retention_years: int = 6
    log_level: str = "INFO"
    log_format: str = "text"
    # The firm's lists (bot/core/lists.py): product or service groups (None: the scheme's) and
    # root causes; and the currency redress is recorded in.
    product_groups_setting: Choices | None = None
    root_causes: Choices = DEFAULT_ROOT_CAUSE_CHOICES
    currency: Currency = DEFAULT_CURRENCY_OF_RECORD
    # MATTER_CHECKLISTS: per area of law, what its clients must be told at the outset.
    matter_checklists: Checklists = ()

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.firm_timezone)

    @property
    def rulebook(self) -> Rulebook:
        return RULEBOOKS[self.complaints_scheme]

    @property
    def product_groups(self) -> Choices:
        """PRODUCT_GROUPS, or the scheme's (the FCA return's groupings, or areas of law)."""
        return self.product_groups_setting or Choices.of(self.rulebook.product_groups)

    def checklist_for(self, area: str | None) -> tuple[DisclosureKind, ...]:
        """What a client of a matter in `area` must be told in writing at the outset."""
        return checklist_for(self.matter_checklists, area)

    def calendar(self) -> BusinessCalendar:
        """The business days the firm counts: HOLIDAY_CALENDAR's (or the scheme's) and HOLIDAYS."""
        return BusinessCalendar.named(
            self.holiday_calendar or self.rulebook.default_calendar, closures=frozenset(self.holidays)
        )

    def policy(self) -> SlaPolicy:
        book = self.rulebook
        if self.final_response_business_days or self.final_response_weeks:
            weeks, business_days = self.final_response_weeks or 8, self.final_response_business_days
            rule = "the firm's setting"
        else:
            weeks, business_days = book.final_response_weeks or 8, book.final_response_business_days
            rule = book.final_response_rule
        return SlaPolicy(
            tz=self.tz,
            triage_within=timedelta(hours=self.triage_hours),
            triage_warning_after=timedelta(hours=self.triage_warning_hours),
            triage_clock=self.triage_clock,
            working_day_start=self.working_hours[0],
            working_day_end=self.working_hours[1],
            final_response_weeks=weeks,
            final_response_business_days=business_days,
            final_response_rule=rule,
            calendar=self.calendar(),
            first_contact_working_days=self.first_contact_working_days,
            final_warning_days=self.final_response_warning_days,
            update_escalation_after=timedelta(days=self.update_escalation_days),
            working_hour=self.reminder_hour,
            costs_review_after=timedelta(days=self.costs_review_days),
        )


def _working_hours(text: str) -> tuple[time, time] | None:
    """WORKING_HOURS' opening and closing ("09:00-17:30"); None unless both are times of day."""
    match = _WORKING_HOURS.match(text)
    if match is None:
        return None
    h1, m1, h2, m2 = (int(g) for g in match.groups())
    if not (h1 < 24 and h2 < 24 and m1 < 60 and m2 < 60):
        return None
    return time(h1, m1), time(h2, m2)


def log_settings(environ: Mapping[str, str]) -> tuple[str, str, list[str]]:
    """LOG_LEVEL and LOG_FORMAT (each its default when unset or wrong) and what is wrong with them:
    the logging set-up reads them before the other settings, so a command's first lines are in
    the firm's format already."""
    level = (environ.get("LOG_LEVEL") or "").strip().upper() or "INFO"
    fmt = (environ.get("LOG_FORMAT") or "").strip().lower() or "text"
    problems = []
    if level not in LOG_LEVELS:
        problems.append(f"LOG_LEVEL must be one of {', '.join(LOG_LEVELS)}; got {environ.get('LOG_LEVEL')!r}.")
        level = "INFO"
    if fmt not in LOG_FORMATS:
        problems.append(f"LOG_FORMAT must be text or json (one JSON object a line); got {environ.get('LOG_FORMAT')!r}.")
        fmt = "text"
    return level, fmt, problems


def _required_for(mode: Mode) -> dict[str, str]:
    """Settings a mode cannot run without, with the hint that tells a person where to find them."""
    need = {}
    if mode != "preview":  # a dry run sends nothing
        need["SLACK_BOT_TOKEN"] = "the Bot User OAuth Token (xoxb-…) from the app's OAuth & Permissions page"
    if mode in ("socket", "http", "sweep", "preview"):  # escalations have nowhere to go without it
        need["TRIAGE_CHANNEL"] = "the id (C… or G…) of the private channel where triage alerts go"
    if mode == "digest":
        need["DIGEST_CHANNEL"] = "the id (C…) of the channel where the weekly digest goes"
    if mode == "socket":
        need["SLACK_APP_TOKEN"] = "an app-level token (xapp-…) with connections:write, from Basic Information"
    if mode == "http":
        need["SLACK_SIGNING_SECRET"] = "the Signing Secret from the app's Basic Information page"
    return need


def load_settings(
    mode: Mode,
    environ: Mapping[str, str] | None = None,
    *,
    dotenv_path: str | Path | None = ".env",
) -> Settings:
    """Read and validate settings for `mode`; raise SettingsError naming every problem."""
    if environ is None:
        environ = home.load_dotenv(dotenv_path) if dotenv_path is not None else os.environ
    env = {k: v.strip() for k, v in environ.items() if isinstance(v, str)}

    def get(name: str) -> str | None:
        value = env.get(name, "")
        return None if is_placeholder(value) else value or None

    problems: list[str] = []
    if mode != "cli":
        for name, hint in _required_for(mode).items():
            if get(name) is None:
                problems.append(f"{name} is missing: set it to {hint}.")

    bot_token = get("SLACK_BOT_TOKEN")
    if bot_token and not bot_token.startswith("xoxb-"):
        problems.append("SLACK_BOT_TOKEN must be a bot token starting with 'xoxb-'.")
    app_token = get("SLACK_APP_TOKEN")
    if app_token and not app_token.startswith("xapp-"):
        problems.append("SLACK_APP_TOKEN must be an app-level token starting with 'xapp-'.")

    api_url = get("SLACK_API_URL") or DEFAULT_SLACK_API_URL
    if not re.match(r"^https?://[^/\s]+(/\S*)?$", api_url):
        problems.append(f"SLACK_API_URL must be an http(s) URL such as {DEFAULT_SLACK_API_URL}; got {api_url!r}.")
    elif not api_url.endswith("/"):
        api_url += "/"

    home_problem = home.problem(env)
    if home_problem:
        problems.append(home_problem)
    database_url = get("DATABASE_URL") or DEFAULT_DATABASE_URL
    try:
        backend = make_url(database_url).get_backend_name()
        if backend not in ("sqlite", "postgresql"):
            problems.append(f"DATABASE_URL must be a sqlite:/// or postgresql+psycopg:// URL; got a {backend} URL.")
        database_url = home.database_url(database_url, env)
    except ArgumentError:
        problems.append(
            "DATABASE_URL is not a database URL: use e.g. sqlite:///complaints.db "
            "or postgresql+psycopg://user@host:5432/dbname."
        )

    for name in ("TRIAGE_CHANNEL", "DIGEST_CHANNEL"):
        value = get(name)
        if value and not _CHANNEL_ID.match(value):
            problems.append(
                f"{name} must be a channel id such as C0123ABCD (not a #name); "
                f"in Slack: channel details → About → Channel ID. Got {value!r}."
            )
    lead = get("COMPLAINTS_LEAD")
    if lead and not _USER_OR_GROUP_ID.match(lead):
        problems.append(f"COMPLAINTS_LEAD must be a user id (U…) or user group id (S…); got {lead!r}.")

    tz_name = get("FIRM_TIMEZONE") or "Europe/London"
    try:
        ZoneInfo(tz_name)
    except (ZoneInfoNotFoundError, ValueError):
        problems.append(f"FIRM_TIMEZONE must be an IANA time zone such as Europe/London; got {tz_name!r}.")

    port_text = get("PORT") or "3000"
    port = 3000
    port_number = whole_number(port_text)
    if port_number is None or not 1 <= port_number <= 65535:
        problems.append(f"PORT must be a whole number from 1 to 65535; got {port_text!r}.")
    else:
        port = port_number

    def whole(name: str, default: int, low: int, high: int, meaning: str) -> int:
        raw = get(name)
        if raw is None:
            return default
        number = whole_number(raw)
        if number is None or not low <= number <= high:
            problems.append(f"{name} must be a whole number from {low} to {high} ({meaning}); got {raw!r}.")
            return default
        return number

    triage_hours = whole("TRIAGE_HOURS", 24, 1, 720, "hours to assess a complaint")
    triage_warning_hours = whole("TRIAGE_WARNING_HOURS", 20, 1, 720, "hours after logging to warn")
    if triage_warning_hours >= triage_hours:
        problems.append(
            f"TRIAGE_WARNING_HOURS ({triage_warning_hours}) must be less than TRIAGE_HOURS ({triage_hours})."
        )
    triage_clock = TriageClock.CLOCK_HOURS
    raw_clock = get("TRIAGE_CLOCK")
    if raw_clock is not None and raw_clock.lower() not in {c.value for c in TriageClock}:
        problems.append(
            f"TRIAGE_CLOCK must be {' or '.join(TriageClock)} (how the triage hours are counted); got {raw_clock!r}."
        )
    elif raw_clock is not None:
        triage_clock = TriageClock(raw_clock.lower())
    working_hours = DEFAULT_WORKING_HOURS
    raw_hours = get("WORKING_HOURS")
    if raw_hours is not None:
        parsed = _working_hours(raw_hours)
        if parsed is None:
            problems.append(
                "WORKING_HOURS must be the firm's working day as HH:MM-HH:MM on the 24-hour clock, "
                f"e.g. 09:00-17:30; got {raw_hours!r}."
            )
        elif parsed[0] >= parsed[1]:
            problems.append(f"WORKING_HOURS must open before it closes, e.g. 09:00-17:30; got {raw_hours!r}.")
        else:
            working_hours = parsed
    first_contact = whole(
        "FIRST_CONTACT_WORKING_DAYS",
        2,
        1,
        30,
        "working days from logging to the handler's first contact with the client",
    )
    scheme = (get("COMPLAINTS_SCHEME") or DEFAULT_SCHEME).strip().lower()
    if scheme not in RULEBOOKS:
        problems.append(f"COMPLAINTS_SCHEME must be one of {', '.join(RULEBOOKS)}; got {get('COMPLAINTS_SCHEME')!r}.")
        scheme = DEFAULT_SCHEME
    calendar_key = get("HOLIDAY_CALENDAR")
    if calendar_key is not None:
        try:
            BusinessCalendar.named(calendar_key)
        except CalendarUnknown as e:
            problems.append(f"HOLIDAY_CALENDAR: {e}")
    final_weeks = whole("FINAL_RESPONSE_WEEKS", 0, 1, 52, "weeks from receipt to the final response") or None
    business_days = (
        whole(
            "FINAL_RESPONSE_BUSINESS_DAYS",
            0,
            1,
            365,
            "business days from receipt to the final response, instead of weeks",
        )
        or None
    )
    escalation_days = whole("UPDATE_ESCALATION_DAYS", 2, 1, 30, "days a client update may be overdue before escalation")
    reminder_hour = whole("REMINDER_HOUR", 9, 0, 23, "hour of the firm's day for date-based reminders")
    costs_review_days = whole(
        "COSTS_REVIEW_DAYS", 90, 1, 3650, "days after which a costs estimate is flagged for review"
    )
    warning_days: tuple[int, ...] = (14, 7)
    raw_warnings = get("FINAL_RESPONSE_WARNING_DAYS")
    if raw_warnings is not None:
        parts = [p.strip() for p in raw_warnings.split(",") if p.strip()]
        if not parts or not all(1 <= (whole_number(p) or 0) <= 365 for p in parts):
            problems.append(
                f"FINAL_RESPONSE_WARNING_DAYS must be days before the deadline, comma-separated, e.g. 14,7; got {raw_warnings!r}."
            )
        else:
            warning_days = tuple(sorted({int(p) for p in parts}, reverse=True))
    holidays: list[date] = []
    for part in [p.strip() for p in (get("HOLIDAYS") or "").split(",") if p.strip()]:
        try:
            holidays.append(date.fromisoformat(part))
        except ValueError:
            problems.append(f"HOLIDAYS must be dates as YYYY-MM-DD, comma-separated; {part!r} is not one.")

    digest_day = (get("DIGEST_DAY") or "monday").lower()
    digest_weekday = WEEKDAYS.index(digest_day) if digest_day in WEEKDAYS else 0
    if digest_day not in WEEKDAYS:
        problems.append(f"DIGEST_DAY must be a day of the week such as monday; got {get('DIGEST_DAY')!r}.")
    digest_hour = whole("DIGEST_HOUR", 9, 0, 23, "hour of the firm's day when the weekly digest is posted")
    show_names = (get("DIGEST_SHOW_NAMES") or "false").lower()
    if show_names not in ("true", "false"):
        problems.append(f"DIGEST_SHOW_NAMES must be true or false; got {get('DIGEST_SHOW_NAMES')!r}.")

    retention_years = whole(
        "RETENTION_YEARS", 6, 1, 100, "years a resolved complaint is kept before its personal details are removed"
    )

    templates: dict[str, str | None] = {}
    for name in (
        "ACKNOWLEDGEMENT_TEMPLATE",
        "FINAL_RESPONSE_TEMPLATE",
        "SUMMARY_RESOLUTION_TEMPLATE",
        "HOLDING_RESPONSE_TEMPLATE",
    ):
        template = templates[name] = home.path(get(name), env)
        if template and not Path(template).is_file():
            problems.append(f"{name} must be the path of a text file; {template!r} does not exist.")

    lists: dict[str, Choices | None] = {}
    for name in ("PRODUCT_GROUPS", "ROOT_CAUSES"):
        raw_list = get(name)
        lists[name] = None
        if raw_list is not None:
            try:
                lists[name] = Choices.parse(raw_list, name)
            except ValueError as e:
                problems.append(str(e))
    checklists: Checklists = ()
    raw_checklists = get("MATTER_CHECKLISTS")
    if raw_checklists is not None and scheme in RULEBOOKS:
        areas = lists["PRODUCT_GROUPS"] or Choices.of(RULEBOOKS[scheme].product_groups)
        try:
            checklists = parse_checklists(raw_checklists, areas)
        except ValueError as e:
            problems.append(str(e))
    currency = DEFAULT_CURRENCY_OF_RECORD
    raw_currency = get("CURRENCY")
    if raw_currency is not None:
        try:
            currency = Currency.of(raw_currency)
        except ValueError as e:
            problems.append(f"CURRENCY: {e}.")

    log_level, log_format, log_problems = log_settings(env)
    problems += log_problems

    if problems:
        raise SettingsError(problems)
    return Settings(
        slack_bot_token=bot_token,
        slack_signing_secret=get("SLACK_SIGNING_SECRET"),
        slack_app_token=app_token,
        slack_api_url=api_url,
        database_url=database_url,
        triage_channel=get("TRIAGE_CHANNEL"),
        digest_channel=get("DIGEST_CHANNEL"),
        complaints_lead=lead,
        firm_timezone=tz_name,
        port=port,
        firm_name=get("FIRM_NAME") or "The complaints team",
        acknowledgement_template=templates["ACKNOWLEDGEMENT_TEMPLATE"],
        final_response_template=templates["FINAL_RESPONSE_TEMPLATE"],
        summary_resolution_template=templates["SUMMARY_RESOLUTION_TEMPLATE"],
        holding_response_template=templates["HOLDING_RESPONSE_TEMPLATE"],
        triage_hours=triage_hours,
        triage_warning_hours=triage_warning_hours,
        triage_clock=triage_clock,
        working_hours=working_hours,
        first_contact_working_days=first_contact,
        complaints_scheme=scheme,
        holiday_calendar=calendar_key.strip() if calendar_key else None,
        final_response_weeks=final_weeks,
        final_response_business_days=business_days,
        final_response_warning_days=warning_days,
        update_escalation_days=escalation_days,
        reminder_hour=reminder_hour,
        costs_review_days=costs_review_days,
        holidays=tuple(holidays),
        digest_weekday=digest_weekday,
        digest_hour=digest_hour,
        digest_show_names=show_names == "true",
        retention_years=retention_years,
        log_level=log_level,
        log_format=log_format,
        product_groups_setting=lists["PRODUCT_GROUPS"],
        root_causes=lists["ROOT_CAUSES"] or DEFAULT_ROOT_CAUSE_CHOICES,
        currency=currency,
        matter_checklists=checklists,
    )
