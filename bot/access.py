"""Who may see and change which records. Confidential by default.

The complaints team is the set of members of the triage channel (bot/team.py). Anyone in the
workspace may log a complaint or a disclosure. A complaint's details are open to the team, its
handler and its reporter; acting on it (an update, a snooze, a resolution, a reopening) to the
team and its handler; triage and legal holds to the team. A disclosure is open to the team and to
whoever logged it.

Anyone else gets the same refusal whether or not the record exists, so a refusal reveals nothing,
not even that a reference is in use; each refusal is logged, in the store and in the log.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING

from bot.errors import NotFound, UserError
from storage import queries

if TYPE_CHECKING:
    from bot.context import BotContext
    from storage.models import Complaint, Disclosure

log = logging.getLogger(__name__)

REFUSAL = (
    "Sorry, I can't share that. Complaint and disclosure records are open only to the complaints "
    "team and to the people named on them. If you need access, ask your complaints lead."
)


class Refused(UserError):
    """The asker may not see or do this; the sentence is the same whatever the reason."""

    def __init__(self) -> None:
        super().__init__(REFUSAL)


class Need(Enum):
    SEE = "see"  # read the details
    ACT = "act"  # update, snooze, resolve, reopen
    TEAM = "team"  # triage, legal hold


@dataclass(frozen=True)
class Viewer:
    user_id: str
    team: bool

    def may(self, need: Need, complaint: "Complaint") -> bool:
        if self.team:
            return True
        if need is Need.SEE:
            return self.user_id in (complaint.handler_id, complaint.reporter_id)
        if need is Need.ACT:
            return self.user_id == complaint.handler_id
        return False

    def may_see_disclosure(self, disclosure: "Disclosure") -> bool:
        return self.team or self.user_id == disclosure.logged_by

    @property
    def involving(self) -> str | None:
        """For lists: whose records to keep (None: all of them, for the team)."""
        return None if self.team else self.user_id


def viewer(ctx: "BotContext", user_id: str) -> Viewer:
    return Viewer(user_id=user_id, team=ctx.team is not None and ctx.team.is_member(user_id))


def refuse(ctx: "BotContext", who: Viewer, action: str, target: str | None) -> Refused:
    """Log the refusal (in its own transaction: the request itself changes nothing) and return
    the error to raise."""
    log.warning("Refused %s %s to %s", action, target or "", who.user_id)
    try:
        with ctx.session_factory.begin() as session:
            queries.record_refusal(session, user_id=who.user_id, action=action, target=target, at=ctx.clock.now())
    except Exception:  # the refusal stands even if the store cannot take its log line
        log.exception("Could not record the refusal of %s to %s", action, who.user_id)
    return Refused()


def complaint_for(ctx: "BotContext", who: Viewer, reference: str, *, need: Need, action: str) -> "Complaint":
    """The complaint, if `who` may do `need` with it; else a refusal (or, for the team, 'no such complaint')."""
    with ctx.read_session_factory() as session:
        complaint = queries.complaint_by_reference(session, reference)
    if complaint is not None and who.may(need, complaint):
        return complaint
    if complaint is None and who.team:
        raise NotFound(f"There is no complaint {reference}.")
    raise refuse(ctx, who, action, reference)


def matter_for(ctx: "BotContext", who: Viewer, matter_ref: str):
    """The matter's record as `who` may see it: all of it for the team, their own part for anyone
    else. Nothing of theirs on it is refused like a matter that does not exist, so it says nothing."""
    from bot import disclosures

    try:
        with ctx.read_session_factory() as session:
            return disclosures.matter_record(session=session, matter_ref=matter_ref, involving=who.involving)
    except NotFound:
        if who.team:
            raise
        raise refuse(ctx, who, "matter", matter_ref) from None


def disclosure_for(ctx: "BotContext", who: Viewer, reference: str, *, action: str) -> "Disclosure":
    with ctx.read_session_factory() as session:
        disclosure = queries.disclosure_by_reference(session, reference)
    if disclosure is not None and who.may_see_disclosure(disclosure):
        return disclosure
    if disclosure is None and who.team:
        raise NotFound(f"There is no disclosure {reference}.")
    raise refuse(ctx, who, action, reference)
