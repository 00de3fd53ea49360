"""Settings, read once from the environment (and `.env`) into one validated object.

A missing or malformed setting is reported together with every other problem, so a person
setting the bot up fixes them in one pass instead of one restart at a time.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, Mapping
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

Mode = Literal["socket", "http", "sweep", "cli"]

DEFAULT_SLACK_API_URL = "https://slack.com/api/"
DEFAULT_DATABASE_URL = "sqlite:///complaints.db"

_CHANNEL_ID = re.compile(r"^[CG][A-Z0-9]{2,}$")
_USER_OR_GROUP_ID = re.compile(r"^(U|W|S)[A-Z0-9]{2,}$")


class SettingsError(Exception):
    """Raised with every problem found in the settings; `str()` is the message for a person."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        lines = ["The bot cannot start until these settings are fixed (in the environment or .env):"]
        lines += [f"  - {p}" for p in problems]
        lines.append("See the settings table in README.md; .env.example has a template.")
        super().__init__("\n".join(lines))


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

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.firm_timezone)


def _required_for(mode: Mode) -> dict[str, str]:
    """Settings a mode cannot run without, with the hint that tells a person where to find them."""
    need = {"SLACK_BOT_TOKEN": "the Bot User OAuth Token (xoxb-…) from the app's OAuth & Permissions page"}
    if mode in ("socket", "http"):
        need["TRIAGE_CHANNEL"] = "the id (C… or G…) of the private channel where triage alerts go"
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
        if dotenv_path is not None and Path(dotenv_path).is_file():
            from dotenv import load_dotenv

            load_dotenv(dotenv_path, override=False)
        environ = os.environ
    env = {k: v.strip() for k, v in environ.items() if isinstance(v, str)}

    def get(name: str) -> str | None:
        value = env.get(name, "")
        return value or None

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

    database_url = get("DATABASE_URL") or DEFAULT_DATABASE_URL
    try:
        backend = make_url(database_url).get_backend_name()
        if backend not in ("sqlite", "postgresql"):
            problems.append(f"DATABASE_URL must be a sqlite:/// or postgresql+psycopg:// URL; got a {backend} URL.")
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
    if not port_text.isdigit() or not 1 <= int(port_text) <= 65535:
        problems.append(f"PORT must be a whole number from 1 to 65535; got {port_text!r}.")
    else:
        port = int(port_text)

    template = get("ACKNOWLEDGEMENT_TEMPLATE")
    if template and not Path(template).is_file():
        problems.append(f"ACKNOWLEDGEMENT_TEMPLATE must be the path of a text file; {template!r} does not exist.")

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
        acknowledgement_template=template,
    )
