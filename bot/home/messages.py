"""The App Home view: what one person owes, and for the complaints team, the firm's picture
(bot/home/service.py gathers them). Plain data in, Block Kit out; never a Slack client."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from bot.complaints.messages import triage_basis_note
from bot.core import ids
from bot.core.blockkit import Block, button, clip, context, day, escape, fields, plain, section, slack_date, user
from bot.core.vocabulary import Category, DisclosureKind, Status
from bot.digest import service as digest
from bot.digest.messages import digest_sections
from bot.matters.messages import risk_line
from bot.matters.policy import RiskReason
from storage.models import Complaint, Disclosure

if TYPE_CHECKING:
    from bot.home.service import TeamPicture
    from bot.matters.risk import Rated


def home_view(
    *,
    user_id: str,
    mine: tuple[int, Sequence[Complaint]],
    vulnerable: tuple[int, Sequence[Complaint]] | None = None,
    overdue: int,
    awaiting: tuple[int, Sequence[Disclosure]],
    matters: Sequence[Rated] = (),
    team: TeamPicture | None = None,
    week: digest.Digest | None = None,
    tz: ZoneInfo,
    now: datetime,
    deadline_basis: str | None = None,
    triage_basis: str | None = None,
) -> dict[str, Any]:
    """App Home for one person: what they owe, and for the complaints team, the firm's picture.
    `deadline_basis` says where the final-response dates come from (e.g. "8 weeks, DISP 1.6.2R");
    `triage_basis` how triage deadlines are counted when not in clock hours (SlaPolicy.triage_basis).

    `mine` and `awaiting` are (how many, the first few) of their open complaints and of their
    disclosures awaiting acknowledgement; `vulnerable`, for the team, the same of the firm's open
    complaints of clients in vulnerable circumstances; `matters` the open matters they are
    responsible for or supervise, rated at risk first (bot.matters.risk.own_matters); `team` is a
    bot.home.service.TeamPicture or None.
    """
    body: list[Block] = [
        {"type": "header", "text": plain("Complaints")},
        {
            "type": "actions",
            "block_id": "home_actions",
            "elements": [
                button("Log a complaint", ids.ACTION_HOME_NEW_COMPLAINT, "new", "primary"),
                button("Log a disclosure", ids.ACTION_HOME_NEW_DISCLOSURE, "new"),
            ],
        },
        {"type": "divider"},
    ]
    if vulnerable is not None and vulnerable[0]:
        total, complaints = vulnerable
        body.append(section(f"*Clients in vulnerable circumstances:* {total} open complaint(s), whoever handles them"))
        body += [_home_complaint(c, tz=tz, now=now, handler=True) for c in complaints]
        if total > len(complaints):
            body.append(context(f"and {total - len(complaints)} more: `/complaint list`"))
        body.append({"type": "divider"})
    total, complaints = mine
    head = f"*Your open complaints:* {total}" + (f" · :warning: {overdue} client update(s) overdue" if overdue else "")
    body.append(section(head))
    for c in complaints:
        body.append(_home_complaint(c, tz=tz, now=now))
    if complaints and deadline_basis:
        body.append(context(f"Final-response dates are counted from receipt: {deadline_basis}."))
    if triage_basis and any(c.status == Status.NEW for c in complaints):
        body.append(context(triage_basis_note(triage_basis)))
    if total > len(complaints):
        body.append(context(f"and {total - len(complaints)} more: `/complaint list`"))
    if not total:
        body.append(context("Nothing assigned to you. Complaints you handle appear here with their next due date."))
    body.append({"type": "divider"})
    total, items = awaiting
    body.append(section(f"*Your disclosures awaiting the client's acknowledgement:* {total}"))
    for d in items:
        body.append(
            section(
                f"*{d.reference}* · {escape(clip(d.client_name, 80))} · {DisclosureKind(d.kind).label} on {escape(clip(d.matter_ref, 60))}\n"
                f"Disclosed {day(d.disclosed_on)}; follow up {day(d.follow_up_on) if d.follow_up_on else '—'}",
                accessory=button("Client acknowledged", ids.ACTION_DISCLOSURE_ACK, d.reference),
            )
        )
    if total > len(items):
        body.append(context(f"and {total - len(items)} more: `/disclosure list`"))
    if matters:
        body.append({"type": "divider"})
        body += your_matters(matters)
    if team is not None:
        body.append({"type": "divider"})
        body.append(section("*The firm, now* (you see this as a member of the complaints team)"))
        body.append(
            fields(
                [
                    ("Open complaints", str(team.open)),
                    (
                        "Awaiting triage",
                        f"{team.awaiting_triage}"
                        + (f" ({team.triage_overdue} past the deadline)" if team.triage_overdue else ""),
                    ),
                    ("Client updates overdue", str(team.updates_overdue)),
                    ("Final responses due in 7 days", str(team.final_due_total)),
                    ("Open by severity", ", ".join(f"{label} {n}" for label, n in team.by_severity) or "—"),
                    ("Disclosures awaiting acknowledgement", str(team.disclosures_awaiting)),
                ]
            )
        )
        if team.final_due:
            body.append(
                context("Due next: " + ", ".join(f"{ref} {day(on)} ({user(h)})" for ref, on, h in team.final_due))
            )
    if week is not None:
        body.append(section(f"*Last week, as in the digest* ({digest.title(week.week)})"))
        body += digest_sections(week)
    body.append(context(f"Updated {slack_date(now, tz)}."))
    return {"type": "home", "blocks": body[:100]}


# Home shows this many of a person's matters; `/matter list` has them all.
MATTERS_SHOWN = 10


def your_matters(matters: Sequence[Rated]) -> list[Block]:
    """A person's open matters, at risk first (red, amber), each with its risk, every reason and
    the checklist items missing (a reason once the first week is out, else still to do); at most
    MATTERS_SHOWN, then how many more."""
    at_risk = sum(1 for r in matters if r.at_risk)
    head = f"*Your matters:* {len(matters)} open" + (f" · {at_risk} at risk" if at_risk else "")
    body = [section(head)]
    for r in matters[:MATTERS_SHOWN]:
        m = r.matter
        lines = [f"*{escape(m.matter_ref)}* · {escape(clip(m.client_name or '—', 80))}"]
        if r.risk is not None:
            lines.append(risk_line(r.risk))
        said = r.risk is not None and any(c.code is RiskReason.CHECKLIST_MISSING for c in r.risk.causes)
        if r.missing and not said:  # within its first week: not yet a risk, still to do
            lines.append("Checklist still to do: " + ", ".join(k.label.lower() for k in r.missing))
        body.append(section("\n".join(lines)))
    more = len(matters) - MATTERS_SHOWN
    if more > 0:
        body.append(context(f"and {more} more: `/matter list`"))
    else:
        body.append(context("`/matter list`: all your matters; `/matter show M-…`: one in full."))
    return body


def _update_overdue(c: Complaint, now: datetime) -> bool:
    """Past due and not snoozed: the same rule as the counts in storage.reports.updates_overdue."""
    return (
        c.status == Status.TRIAGED
        and c.next_update_due_at is not None
        and c.next_update_due_at < now
        and not (c.snoozed_until and c.snoozed_until > now)
    )


def _vulnerability(c: Complaint) -> str:
    """The mark of a vulnerable client's complaint. Home says only whether adjustments are recorded,
    not what they are: a Home is often on a shared screen, and `/complaint show` has them."""
    if not c.vulnerable:
        return ""
    recorded = "adjustments recorded" if (c.adjustments or "").strip() else "no adjustments recorded"
    return f" · :large_orange_diamond: *vulnerable client* ({recorded})"


def _home_complaint(c: Complaint, *, tz: ZoneInfo, now: datetime, handler: bool = False) -> Block:
    """One open complaint on Home; `handler`: say who handles it (a list of others' complaints)."""
    if c.status == Status.NEW:
        due = f"triage due {slack_date(c.triage_due_at, tz)}"
    elif c.next_update_due_at is None:
        due = "no client update scheduled"
    elif c.snoozed_until and c.snoozed_until > now and c.next_update_due_at < now:
        due = f"client update snoozed until {slack_date(c.snoozed_until, tz)}"
    elif _update_overdue(c, now):
        due = f":warning: client update *overdue* since {slack_date(c.next_update_due_at, tz)}"
    else:
        due = f"next client update {slack_date(c.next_update_due_at, tz)}"
    final = ""
    if c.final_response_due_on:
        past = c.final_response_due_on < now.astimezone(tz).date()
        final = (
            f" · :red_circle: final response *overdue* since {day(c.final_response_due_on)}"
            if past
            else f" · final response by {day(c.final_response_due_on)}"
        )
    handled = (f" · {user(c.handler_id)}" if c.handler_id else " · not yet assigned") if handler else ""
    return section(
        f"*{c.reference}* · {escape(clip(c.client_name, 80))} · {Category(c.category).label}{_vulnerability(c)}"
        f"{handled}\n{due}{final}",
        accessory=button("Log client update", ids.ACTION_LOG_UPDATE, c.reference),
    )
