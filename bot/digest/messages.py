"""The weekly digest as a Slack message: its sections (bot/digest/service.py counts them and words
them) in Block Kit. Plain data in, Block Kit out; never a Slack client."""

from __future__ import annotations

from collections.abc import Sequence
from zoneinfo import ZoneInfo

from bot.core.blockkit import Block, context, escape, plain, section, slack_date, user
from bot.digest import service as digest


def _section_of(title: str, lines: Sequence[str]) -> Block:
    body = "\n".join(f"• {line}" for line in lines)
    return section(f"*{title}*" + (f"\n{body}" if body else ""))


def digest_sections(d: digest.Digest) -> list[Block]:
    return [
        _section_of(s.title, s.lines)
        for s in digest.sections(d, user=lambda u: user(u) if u else "unassigned", esc=escape)
    ]


def digest_message(d: digest.Digest, *, tz: ZoneInfo) -> tuple[str, list[Block]]:
    """The weekly digest (bot.digest.service.Digest) for the digest channel."""
    heading = digest.title(d.week)
    body: list[Block] = [{"type": "header", "text": plain(heading, 150)}]
    body += digest_sections(d)
    names = "Client names are shown (DIGEST_SHOW_NAMES)." if d.show_names else "Client names are not shown here."
    body.append(
        context(
            f"Weeks run Monday to Sunday, firm time; open and overdue counts are as of "
            f"{slack_date(d.as_of, tz)}. {names}"
        )
    )
    return heading, body
