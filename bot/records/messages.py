"""What the records say in Slack: the register shared (its file's name and title, the message that
carries it) and a return's figures."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from bot.core import blockkit

if TYPE_CHECKING:
    from bot.records.returns import Report


def range_words(first: date | None, last: date | None) -> str:
    if first and last:
        return f"received from {first} to {last}"
    if first:
        return f"received on or after {first}"
    if last:
        return f"received on or before {last}"
    return "in the whole register"


def count(n: int, one: str, many: str) -> str:
    return f"{n:,} {one if n == 1 else many}"


def export_comment(*, rows: int, first: date | None, last: date | None, columns: int) -> str:
    """The message the file comes with: what it holds, and that it is confidential."""
    return (
        f":page_facing_up: *The complaints register*: {count(rows, 'complaint', 'complaints')} "
        f"{range_words(first, last)}, {count(columns, 'column', 'columns')}, as CSV "
        "(the columns `complaint-bot export` writes; the README's Export and import describes them).\n"
        ":lock: *Confidential: this file holds client data* (names, matters, what they complained of). "
        "Keep it within the firm, and delete your copy once you are done with it."
    )


def file_title(first: date | None, last: date | None) -> str:
    return f"Complaints register, {range_words(first, last)}"


def file_name(today: date, first: date | None, last: date | None) -> str:
    if first or last:
        return f"complaints-register-{first or 'start'}-to-{last or today}.csv"
    return f"complaints-register-{today}.csv"


def report_message(report: Report) -> tuple[str, list[blockkit.Block]]:
    """The figures, for the asker's DM; the CSV follows as a file."""
    lines = [f"*{report.title}*", *(f"• {line}" for line in report.lines), f"The table follows as {report.file_name}."]
    return blockkit.notice(blockkit.escape_verbatim("\n".join(lines)))
