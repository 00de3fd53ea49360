"""The reminders and escalations the sweep records: a complaint's clocks, a disclosure's chase, the
costs-estimate review line. Plain data in, Block Kit out; never a Slack client."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from bot.complaints.messages import acknowledgement_actions, holding_button, triage_actions
from bot.core import ids
from bot.core.blockkit import Block, button, clip, context, day, deadline, escape, mention, section, slack_date, user
from bot.core.vocabulary import Category, DisclosureKind
from storage.models import Complaint, Disclosure


def handler_buttons(reference: str) -> Block:
    return {
        "type": "actions",
        "elements": [
            button("Log client update", ids.ACTION_LOG_UPDATE, reference, "primary"),
            button("Snooze", ids.ACTION_SNOOZE, reference),
            button("Resolve", ids.ACTION_RESOLVE, reference),
        ],
    }


def reminder_message(
    kind: str,
    c: Complaint,
    *,
    tz: ZoneInfo,
    lead: str | None,
    days_left: int | None = None,
    stale_costs_on: date | None = None,
    deadline_basis: str | None = None,
    ombudsman: str | None = None,
    first_contact_by: date | None = None,
    triage_basis: str | None = None,
) -> tuple[str, list[Block]]:
    """The message for one reminder or escalation (kinds from bot.reminders.policy.ReminderKind).

    `deadline_basis` says where the final-response date comes from (e.g. "8 weeks, DISP 1.6.2R");
    `ombudsman` is the scheme's ombudsman the client may go to once it has passed (None: no scheme);
    `triage_basis` how the triage deadline is counted when not in clock hours (SlaPolicy.triage_basis).
    """
    ref, client = c.reference, escape(clip(c.client_name, 80))
    final_by = deadline(c.final_response_due_on, None)
    triage_by = deadline(c.triage_due_at, triage_basis, tz=tz)
    actions: Block | None = None
    if kind == "acknowledgement-due":
        line = (
            f":envelope: The acknowledgement of *{ref}* ({client}) is not recorded as sent. Send it to the client "
            "today (the text is in the confirmation I sent you when it was logged) and press *Acknowledgement sent*."
        )
        actions = acknowledgement_actions(ref)
    elif kind == "acknowledgement-overdue":
        line = (
            f":envelope: {mention(lead)}The acknowledgement of *{ref}* ({client}), logged by {user(c.reporter_id)} "
            f"on {day(c.logged_at.astimezone(tz).date())}, is still not recorded as sent."
        )
        actions = acknowledgement_actions(ref)
    elif kind == "first-contact-due":
        promised = day(first_contact_by) if first_contact_by else "today"
        line = (
            f":telephone_receiver: First contact with the client on *{ref}* ({client}) is due: the "
            f"acknowledgement promised it by {promised}, and no client contact is logged yet."
        )
        actions = handler_buttons(ref) if c.handler_id else triage_actions(ref)
    elif kind == "triage-warning":
        line = f":hourglass_flowing_sand: *{ref}* ({client}) still needs triage: due by {triage_by}."
        actions = triage_actions(ref)
    elif kind == "triage-breach":
        line = f":rotating_light: {mention(lead)}*{ref}* ({client}) was not triaged within the deadline of {triage_by}."
        actions = triage_actions(ref)
    elif kind == "update-due":
        assert c.next_update_due_at is not None  # an update is due only when one is scheduled
        line = f":bell: A client update is due on *{ref}* ({client}): due {slack_date(c.next_update_due_at, tz)}."
        actions = handler_buttons(ref)
    elif kind == "update-overdue":
        assert c.next_update_due_at is not None
        line = (
            f":warning: {mention(lead)}The client update on *{ref}* ({client}) is overdue since "
            f"{slack_date(c.next_update_due_at, tz)}. Handler: {user(c.handler_id)}."
        )
    elif kind == "final-warning":
        if days_left is not None and days_left < 0:
            line = f":calendar: The final response on *{ref}* ({client}) was due by *{final_by}* and is not recorded."
        else:
            soon: dict[int | None, str] = {0: "today", 1: "tomorrow"}
            when = soon.get(days_left, f"in {days_left} days")
            line = f":calendar: The final response on *{ref}* ({client}) is due by *{final_by}*, {when}."
        actions = handler_buttons(ref) if c.handler_id else triage_actions(ref)
        # Not ready to answer by then: the holding response says why, when, and what the client may do.
        actions = {**actions, "elements": [*actions["elements"], holding_button(ref)]}
    elif kind == "final-breach":
        line = (
            f":red_circle: {mention(lead)}The final-response deadline on *{ref}* ({client}) passed on *{final_by}* "
            f"with no final response recorded. Handler: {user(c.handler_id)}."
            + (f" The client may now refer the complaint to the {ombudsman}." if ombudsman else "")
        )
    else:
        raise ValueError(f"unknown reminder kind {kind}")
    body: list[Block] = [
        section(line),
        context(
            f"{Category(c.category).label} · received {day(c.received_on)} · final response due "
            f"{deadline(c.final_response_due_on, deadline_basis)}"
        ),
    ]
    if stale_costs_on and c.matter_ref:
        body.append(section(costs_review_line(c.matter_ref, stale_costs_on)))
    if actions:
        body.append(actions)
    return _strip_marks(line), body


def _strip_marks(line: str) -> str:
    return line.replace("*", "")


def disclosure_chase(d: Disclosure, *, stale_costs_on: date | None = None) -> tuple[str, list[Block]]:
    line = (
        f":hourglass: {escape(d.client_name)} has not yet acknowledged *{d.reference}* "
        f"({DisclosureKind(d.kind).label.lower()} on {escape(d.matter_ref)}, disclosed {day(d.disclosed_on)})."
    )
    body: list[Block] = [section(line), section(f"*What was disclosed*\n{escape(clip(d.content, 2800))}")]
    if stale_costs_on:
        body.append(section(costs_review_line(d.matter_ref, stale_costs_on)))
    body.append(
        {
            "type": "actions",
            "elements": [
                button("Client acknowledged", ids.ACTION_DISCLOSURE_ACK, d.reference, "primary"),
                button("Chase again in 7 days", ids.ACTION_DISCLOSURE_CHASE, d.reference),
            ],
        }
    )
    return _strip_marks(line), body


def costs_review_line(matter_ref: str, latest: date) -> str:
    return (
        f":moneybag: The latest costs estimate on {escape(matter_ref)} is from {day(latest)}: review it and "
        "tell the client if it has changed. A client should never be surprised by the bill."
    )
