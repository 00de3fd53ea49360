"""Sharing the register in Slack (`/complaint export [from] [to]`): the complaints team's alone.

The register is the one `complaint-bot export` writes (bot/records/register.py: the same columns,
the same CSV, the same `exported` event), streamed to a file on the server, never held whole in
memory. The file is then shared with the person who asked, in their DM, as one message with one
file, through the outbox: the outbox row names the file by its path (not its bytes, which for a
large register no row should hold) under a dedupe key made of who asked and the request, so the
same request is shared once however many sweeps retry it. Delivery removes the file once sent or
given up; a file gone before then (the bot moved to a fresh machine) is answered with a sentence
saying so, in the same DM.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from bot import access
from bot.core.errors import UserError
from bot.records import messages, register
from storage import outbox as outbox_store

if TYPE_CHECKING:
    from bot.core.context import BotContext

KIND = "register-export"
FOLDER_NAME = "complaint-bot-exports"
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
USAGE = "`/complaint export` (the whole register) or `/complaint export 2026-01-01 2026-06-30` (received in that range)"


@dataclass(frozen=True)
class Range:
    """The days received, both inclusive; None for no bound."""

    first: date | None = None
    last: date | None = None


@dataclass(frozen=True)
class Shared:
    key: str
    # The rows exported; None when this request had been shared before (nothing was exported again).
    rows: int | None
    range: Range


def parse_range(args: list[str]) -> Range:
    """`[from] [to]` as typed after `/complaint export`, or a sentence saying what is wrong."""
    if len(args) > 2:
        raise UserError(f"Give at most two dates: {USAGE}.")
    days = [_day(text) for text in args]
    wanted = Range(*days)
    if wanted.first and wanted.last and wanted.first > wanted.last:
        raise UserError(
            f"The first day, {wanted.first}, is after the last, {wanted.last}: nothing could be received in that range."
        )
    return wanted


def _day(text: str) -> date:
    try:
        # The register's own reading of a date (Day ignores the moment and zone it is given).
        day: date = register.Day().read(text, register.Reading(now=_EPOCH, tz=ZoneInfo("UTC")))
    except register.Bad as e:
        raise UserError(f"{e}. {USAGE}.") from None
    return day


def export_key(user_id: str, request_id: str) -> str:
    """One key per request: the same request (a retried delivery, a second sweep) is shared once."""
    return f"{KIND}:{user_id}:{hashlib.sha256(request_id.encode()).hexdigest()[:32]}"


def exports_folder() -> Path:
    """Where exports wait to be sent: the system's temporary folder, readable by the bot's user only."""
    folder = Path(tempfile.gettempdir()) / FOLDER_NAME
    folder.mkdir(mode=0o700, exist_ok=True)
    return folder


def share_register(ctx: BotContext, *, viewer: access.Viewer, wanted: Range, request_id: str) -> Shared:
    """Export the register to a file and record it for the asker's DM, in the export event's
    transaction; the caller delivers it (ctx.deliver([key])). The team only; anyone else is refused."""
    access.team_only(ctx, viewer, "export")
    key = export_key(viewer.user_id, request_id)
    with ctx.read_session_factory() as session:
        if outbox_store.recorded_keys(session, [key]):
            return Shared(key, None, wanted)
    now = ctx.clock.now()
    fd, path = tempfile.mkstemp(dir=exports_folder(), prefix="register-", suffix=".csv")
    recorded: set[str] = set()
    try:
        with open(fd, "w", encoding="utf-8", newline="") as out:

            def record(session: Session, rows: int) -> None:
                out.flush()
                os.fsync(out.fileno())  # on disk before the row that names it is committed
                text = messages.export_comment(
                    rows=rows, first=wanted.first, last=wanted.last, columns=len(register.COLUMNS)
                )
                row = dict(
                    dedupe_key=key,
                    kind=KIND,
                    channel=viewer.user_id,
                    text=text,
                    file_name=messages.file_name(now.astimezone(ctx.tz).date(), wanted.first, wanted.last),
                    file_title=messages.file_title(wanted.first, wanted.last),
                    file_path=path,
                )
                recorded.update(outbox_store.record_notifications(session, [row], now=now))

            rows = register.export_register(
                engine=ctx.engine,
                session_factory=ctx.session_factory,
                out=out,
                fmt="csv",
                actor=viewer.user_id,
                now=now,
                tz=ctx.tz,
                received_from=wanted.first,
                received_to=wanted.last,
                then=record,
            )
    finally:
        if key not in recorded:  # failed, or the same request recorded by another process first
            Path(path).unlink(missing_ok=True)
    return Shared(key, rows if recorded else None, wanted)
