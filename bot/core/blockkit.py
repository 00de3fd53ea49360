"""Block Kit primitives every surface shares: text objects, people's text escaped, sections, fields,
buttons, options, dates, mentions and the timeline's sections. Plain data in, Slack JSON (dicts) out;
no Slack calls and no database here."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.core.vocabulary import LabelledEnum

Block = dict[str, Any]
SECTION_TEXT_MAX = 3000


def plain(text: str, limit: int | None = None) -> dict[str, Any]:
    return {"type": "plain_text", "text": clip(text, limit) if limit else text, "emoji": True}


def mrkdwn(text: str) -> dict[str, Any]:
    return {"type": "mrkdwn", "text": clip(text, SECTION_TEXT_MAX)}


def clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


# Bidirectional embeddings, overrides and isolates: in a name they reorder the text around it.
BIDI_CONTROLS = dict.fromkeys([*range(0x202A, 0x202F), *range(0x2066, 0x206A)])


# mrkdwn's emphasis and code marks. mrkdwn has no escape character, so each mark in people's text
# gets a zero-width space on both sides: whether Slack takes that space for a letter or for a gap,
# a mark with it on both sides can neither open nor close emphasis, and it looks as typed.
_MARKS = {ord(mark): f"\u200b{mark}\u200b" for mark in "*_~`"}


def escape(text: str) -> str:
    """People's text (a client's name, a summary) for mrkdwn, shown as typed: it cannot form links
    or mentions, restyle the message, or reorder it."""
    return escape_verbatim(text).translate(_MARKS)


def escape_verbatim(text: str) -> str:
    """Text whose marks are meant (our own sentences), or that sits in a code block, where marks do
    nothing and what is shown is copied: no links, mentions or reordering, every mark kept."""
    return text.translate(BIDI_CONTROLS).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def section(text: str, **extra: Any) -> Block:
    return {"type": "section", "text": mrkdwn(text), **extra}


def fields(pairs: Iterable[tuple[str, str]]) -> Block:
    items = [mrkdwn(f"*{label}*\n{value}") for label, value in pairs][:10]
    return {"type": "section", "fields": items}


def context(text: str) -> Block:
    return {"type": "context", "elements": [mrkdwn(text)]}


def button(text: str, action_id: str, value: str, style: str | None = None) -> dict[str, Any]:
    b: dict[str, Any] = {"type": "button", "text": plain(text, 75), "action_id": action_id, "value": value}
    if style:
        b["style"] = style
    return b


def option(value: str, label: str) -> dict[str, Any]:
    return {"text": plain(label, 75), "value": value}


def options_of(enum: type[LabelledEnum]) -> list[dict[str, Any]]:
    return [option(v, label) for v, label in enum.options()]


def slack_date(moment: datetime, tz: ZoneInfo, fmt: str = "{date_short_pretty} {time}") -> str:
    """A time every reader sees in their own zone; the fallback is in the firm's zone."""
    fallback = moment.astimezone(tz).strftime("%d %b %Y %H:%M %Z")
    return f"<!date^{int(moment.timestamp())}^{fmt}|{fallback}>"


def day(value: date) -> str:
    return value.strftime("%d %b %Y").lstrip("0")


def deadline(value: date | datetime | None, basis: str | None, *, tz: ZoneInfo | None = None) -> str:
    """A deadline as messages state it, naming how it was counted: "11 Dec 2026 (15 business days,
    DISP 1.6.2AR, England & Wales bank holidays)"; "—" when there is none. A moment (a datetime,
    such as the triage deadline) is shown in each reader's zone, its fallback in `tz`, the firm's."""
    if value is None:
        return "—"
    if isinstance(value, datetime):
        if tz is None:
            raise ValueError("a deadline at a moment needs the firm's time zone for its fallback")
        shown = slack_date(value, tz)
    else:
        shown = day(value)
    return f"{shown} ({basis})" if basis else shown


def user(user_id: str | None) -> str:
    return f"<@{user_id}>" if user_id else "nobody yet"


def mention(lead: str | None) -> str:
    if not lead:
        return ""
    return f"<!subteam^{lead}> " if lead.startswith("S") else f"<@{lead}> "


def timeline_sections(lines: list[str]) -> list[Block]:
    """The timeline in as few sections as fit Slack's 3,000 characters each."""
    out: list[Block] = []
    chunk = "*Timeline*"
    for line in lines:
        if len(chunk) + 1 + len(line) > SECTION_TEXT_MAX:
            out.append(section(chunk))
            chunk = ""
        chunk = f"{chunk}\n{line}" if chunk else line
    out.append(section(chunk))
    return out


def notice(text: str) -> tuple[str, list[Block]]:
    return text, [section(text)]


def error_message(text: str) -> tuple[str, list[Block]]:
    return text, [section(f":warning: {escape_verbatim(text)}")]
