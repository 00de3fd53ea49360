"""Who may see and change which records. Confidential by default.

The complaints team is the set of members of the triage channel (bot/team.py). Anyone in the
workspace may log a complaint or a disclosure. A complaint's details are open to the team, its
handler and its reporter, and so is recording that the acknowledgement was sent (the reporter is
given it to send); acting on it (an update, a snooze, a holding response, a resolution, a
reopening, a change of the client's details, its referral to the ombudsman and the ombudsman's
decision) to the team and its handler; triage and legal holds to the team. A disclosure is open to
the team and to whoever logged it: seeing a complaint does not open the disclosures on its matter.
A matter's details (and closing it) are open to the team, its responsible lawyer and its
supervisor; anyone may open a matter, or set up one that only a complaint or a disclosure has
named. Being on a matter opens none of its complaints or disclosures: those keep their own rules.

This module is the one place that says so. Everything that shows a complaint or a disclosure to
someone (a command's answer, a DM, App Home, a modal) asks a `Viewer` first: `may` and
`may_see_disclosure` for one record, `visible_disclosures` for a sequence, and
`complaints_involving` / `disclosures_logged_by` as the filter of a query for lists. A message to
a channel is read by whoever is in it (`reader_of`).

Anyone else gets the same refusal whether or not the record exists, so a refusal reveals nothing,
not even that a reference is in use; each refusal is logged, in the store and in the log.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING, Final, Literal

from bot.core.errors import NotFound, UserError
from bot.core.vocabulary import EventKind
from storage import access as access_store
from storage import complaints as complaints_store
from storage import disclosures as disclosures_store
from storage import matters as matters_store

if TYPE_CHECKING:
    from bot.core.context import BotContext
    from storage.models import Complaint, Disclosure, Event, Matter

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
    ACKNOWLEDGE = "acknowledge"  # record that the acknowledgement went to the client
    ACT = "act"  # update, snooze, holding response, resolve, reopen, client details, the ombudsman's part
    TEAM = "team"  # triage, legal hold


# What a person may ask to do with a complaint (the name a refusal is logged under).
ComplaintAction = Literal[
    "show",
    "acknowledge",
    "triage",
    "client_update",
    "snooze",
    "holding_response",
    "resolve",
    "reopen",
    "details",
    "refer",
    "ombudsman_decision",
    "hold",
    "release",
]

# What each asks of the asker: the one table of it.
NEEDED: Final[dict[ComplaintAction, Need]] = {
    "show": Need.SEE,
    "acknowledge": Need.ACKNOWLEDGE,
    "triage": Need.TEAM,
    "client_update": Need.ACT,
    "snooze": Need.ACT,
    "holding_response": Need.ACT,
    "resolve": Need.ACT,
    "reopen": Need.ACT,
    # The client's details (product, vulnerability, adjustments), open or resolved: the team and the handler.
    "details": Need.ACT,
    # Recording the ombudsman's part is acting on the complaint: the same people, so the same need.
    "refer": Need.ACT,
    "ombudsman_decision": Need.ACT,
    "hold": Need.TEAM,
    "release": Need.TEAM,
}


@dataclass(frozen=True)
class Viewer:
    user_id: str
    team: bool

    def may(self, need: Need, complaint: Complaint) -> bool:
        if self.team:
            return True
        if need in (Need.SEE, Need.ACKNOWLEDGE):
            return self.user_id in (complaint.handler_id, complaint.reporter_id)
        if need is Need.ACT:
            return self.user_id == complaint.handler_id
        return False

    @property
    def complaints_involving(self) -> str | None:
        """For queries of complaints: keep those this person handles or reported (Need.SEE);
        None keeps every one, for the team."""
        return None if self.team else self.user_id

    @property
    def disclosures_logged_by(self) -> str | None:
        """For queries of disclosures: keep those this person logged; None keeps every one, for the team."""
        return None if self.team else self.user_id

    @property
    def sees_every_disclosure(self) -> bool:
        """Whether a list of a matter's disclosures shown to this person is the whole of it, or only
        their own (then it must be worded so that it says nothing of the others)."""
        return self.disclosures_logged_by is None

    def may_see_disclosure(self, disclosure: Disclosure) -> bool:
        return self.disclosures_logged_by in (None, disclosure.logged_by)

    def visible_disclosures(self, disclosures: Iterable[Disclosure]) -> tuple[Disclosure, ...]:
        return tuple(d for d in disclosures if self.may_see_disclosure(d))

    def may_see_matter(self, matter: Matter) -> bool:
        return self.team or self.user_id in (matter.responsible_id, matter.supervisor_id)

    @property
    def matters_involving(self) -> str | None:
        """For lists of matters: keep those this person is responsible for or supervises; None
        lists every open one (theirs first), for the team."""
        return None if self.team else self.user_id

    def visible_matter_events(self, events: Iterable[Event]) -> tuple[Event, ...]:
        """A matter's own events: the team sees them all; anyone else not which complaint or
        disclosure named it first (that would tell of a record they may not see)."""
        return tuple(e for e in events if self.team or e.kind != EventKind.MATTER_NAMED)


def viewer(ctx: BotContext, user_id: str) -> Viewer:
    return Viewer(user_id=user_id, team=ctx.team.is_member(user_id))


def reader_of(ctx: BotContext, channel: str) -> Viewer:
    """Who reads a message the bot sends to `channel`: the triage channel is the team's; a person
    (a DM, addressed by user id) reads it as themself; any other channel (the digest's) is read as
    by nobody in particular, so it gets nothing that is open only to some."""
    if channel == ctx.settings.triage_channel:
        return Viewer(user_id=channel, team=True)
    if channel[:1] in ("U", "W"):
        return viewer(ctx, channel)
    return Viewer(user_id=channel, team=False)


def refuse(ctx: BotContext, who: Viewer, action: str, target: str | None) -> Refused:
    """Log the refusal (in its own transaction: the request itself changes nothing) and return
    the error to raise."""
    log.warning("Refused %s %s to %s", action, target or "", who.user_id)
    try:
        with ctx.session_factory.begin() as session:
            access_store.record_refusal(session, user_id=who.user_id, action=action, target=target, at=ctx.clock.now())
    except Exception:  # the refusal stands even if the store cannot take its log line
        log.exception("Could not record the refusal of %s to %s", action, who.user_id)
    return Refused()


def team_only(ctx: BotContext, who: Viewer, action: str, target: str | None = None) -> None:
    """What covers the whole register at once (its export, the returns) is the complaints team's alone."""
    if not who.team:
        raise refuse(ctx, who, action, target)


def complaint_for(ctx: BotContext, who: Viewer, reference: str, *, action: ComplaintAction) -> Complaint:
    """The complaint, if `who` may do `action` with it; else a refusal (or, for the team, 'no such complaint')."""
    with ctx.read_session_factory() as session:
        complaint = complaints_store.complaint_by_reference(session, reference)
    if complaint is not None and who.may(NEEDED[action], complaint):
        return complaint
    if complaint is None and who.team:
        raise NotFound(f"There is no complaint {reference}.")
    raise refuse(ctx, who, action, reference)


def disclosure_for(ctx: BotContext, who: Viewer, reference: str, *, action: str) -> Disclosure:
    with ctx.read_session_factory() as session:
        disclosure = disclosures_store.disclosure_by_reference(session, reference)
    if disclosure is not None and who.may_see_disclosure(disclosure):
        return disclosure
    if disclosure is None and who.team:
        raise NotFound(f"There is no disclosure {reference}.")
    raise refuse(ctx, who, action, reference)


def matter_for(ctx: BotContext, who: Viewer, matter_ref: str, *, action: str) -> Matter:
    """The matter, if `who` may see it (and so close it); else a refusal (or, for the team, 'no such matter')."""
    with ctx.read_session_factory() as session:
        matter = matters_store.matter_by_ref(session, matter_ref)
    if matter is not None and who.may_see_matter(matter):
        return matter
    if matter is None and who.team:
        raise NotFound(f"There is no matter {matter_ref}.")
    raise refuse(ctx, who, action, matter_ref)


def may_open_matter(ctx: BotContext, who: Viewer, matter_ref: str) -> None:
    """Anyone may open a new matter or set up one only named so far; that one is already set up is
    told only to those who may see it, so that the refusal says nothing of which references are in use."""
    with ctx.read_session_factory() as session:
        matter = matters_store.matter_by_ref(session, matter_ref)
    if matter is not None and matter.set_up and not who.may_see_matter(matter):
        raise refuse(ctx, who, "matter new", matter_ref)
