"""What the matters service says in Slack: the confirmation, a matter with its one timeline (its
own events, its disclosures and its complaints), the list, the closing, the costs to date and
/matter's help. Plain data in, Block Kit out; never a Slack client."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from bot.core import ids
from bot.core.blockkit import Block, button, clip, context, day, escape, fields, section, timeline_sections, user
from bot.core.lists import Choices
from bot.core.vocabulary import ClientMood, DisclosureKind, EventKind, MatterStatus
from bot.disclosures.messages import TimelineEntry, matter_timeline_lines
from bot.matters.inputs import DisclosureToLog
from storage.models import Event, Matter

if TYPE_CHECKING:
    from bot.core.money import Currency
    from bot.matters.care import CheckInHeld, Prompted, UpdateLogged
    from bot.matters.costs import CostsRecorded
    from bot.matters.policy import MatterReminder
    from bot.matters.service import MatterView

NOT_SET_UP = "not set up"


def matter_fields(m: Matter, *, areas: Choices | None = None) -> Block:
    key_date = "—"
    if m.next_key_date:
        key_date = day(m.next_key_date)
        if m.next_key_date_what:
            key_date += f": {escape(clip(m.next_key_date_what, 200))}"
    area = (areas.label(m.area) if areas is not None else m.area) or "—"
    status = MatterStatus(m.status).label if m.set_up else f"{MatterStatus(m.status).label}, {NOT_SET_UP}"
    return fields(
        [
            ("Client", escape(m.client_name or "—")),
            ("Status", status),
            ("Responsible", user(m.responsible_id)),
            ("Supervising", user(m.supervisor_id) if m.supervisor_id else "—"),
            ("Area of law", escape(area)),
            ("Opened", day(m.opened_on) if m.opened_on else "—"),
            ("Client update every", f"{m.update_cadence_days} day(s)"),
            ("Next key date", key_date),
        ]
    )


def matter_confirmation(m: Matter, *, was_named: bool) -> tuple[str, list[Block]]:
    done = "is set up" if was_named else "is open"
    text = f"Matter {m.matter_ref} {done}."
    body = [section(f":briefcase: *{escape(m.matter_ref)}* {done}."), matter_fields(m)]
    if was_named:
        body.append(context("A complaint or a disclosure had named it first; their records are on its timeline."))
    body.append(context(f"`/matter show {escape(m.matter_ref)}`: the matter and its timeline."))
    return text, body


def describe_matter_event(e: Event) -> str:
    d = e.data or {}
    if e.kind == EventKind.MATTER_OPENED:
        how = "set up" if d.get("set_up_after_named") else "opened"
        by = user(e.actor) if e.actor[:1] in ("U", "W") else escape(e.actor)
        source = f" (imported from {escape(str(d['imported_from']))})" if d.get("imported_from") else ""
        return f"matter {how} by {by}{source}: responsible {user(d.get('responsible_id'))}"
    if e.kind == EventKind.MATTER_NAMED:
        return f"matter first named by *{escape(str(d.get('by')))}*, not set up"
    if e.kind == EventKind.MATTER_CLOSED:
        return f"matter closed by {user(e.actor)}"
    return f"{escape(e.kind)} by {user(e.actor)}"


def matter_detail(view: MatterView, *, tz: ZoneInfo, areas: Choices) -> tuple[str, list[Block]]:
    m, record = view.matter, view.record
    own: list[TimelineEntry] = [
        (e.at.astimezone(tz).date(), 2, f"• {day(e.at.astimezone(tz).date())}: {describe_matter_event(e)}")
        for e in view.events
    ]
    heading = f"*Matter {escape(m.matter_ref)}*"
    if not m.set_up:
        heading += f" ({NOT_SET_UP}: only a complaint or a disclosure has named it; `/matter new` sets it up)"
    body = [section(heading), matter_fields(m, areas=areas)]
    if not record.complete:
        body.append(context("The complaints and disclosures below are yours; the complaints team sees every one."))
    body += timeline_sections(matter_timeline_lines(record, own))
    return f"Matter {m.matter_ref}", body[:50]


def matter_list(
    items: Sequence[Matter], *, viewer_id: str, page: int, pages: int, total: int, everyone: bool
) -> tuple[str, list[Block]]:
    title = "Open matters" if everyone else "Your open matters"
    body = [section(f"*{title}* ({total})")]
    if not items:
        body.append(section("None." if everyone else "None: you are neither responsible for nor supervising any."))
    for m in items:
        role = ""
        if m.responsible_id == viewer_id:
            role = " · you are responsible"
        elif m.supervisor_id == viewer_id:
            role = " · you supervise"
        flag = f" · _{NOT_SET_UP}_" if not m.set_up else ""
        body.append(
            section(
                f"*{escape(m.matter_ref)}* · {escape(clip(m.client_name or '—', 60))}{role}{flag}\n"
                f"Responsible {user(m.responsible_id)}"
            )
        )
    if page < pages:
        body.append(context(f"More: `/matter list {page + 1}`"))
    return f"{title}, page {page} of {pages}", body


def matter_closed(m: Matter) -> tuple[str, list[Block]]:
    text = f"Matter {m.matter_ref} is closed."
    return text, [section(f":white_check_mark: {escape(text)}")]


def costs_recorded(r: CostsRecorded) -> tuple[str, list[Block]]:
    """The costs to date recorded: against the estimate, and whether a revised one is due."""
    money = r.currency.format
    text = f"Costs to date on {r.matter_ref}: {money(r.costs_to_date)}."
    was = f" (was {money(r.previous)})" if r.previous is not None else ""
    body = [section(f":moneybag: Costs to date on *{escape(r.matter_ref)}*: *{money(r.costs_to_date)}*{was}.")]
    if r.estimate is None or r.percent is None:
        body.append(
            context(
                "No costs estimate with an amount is on record for this matter: log the costs estimate "
                "(`/disclosure new`, with its amount) so the costs can be held to it."
            )
        )
        return text, body
    text += f" That is {r.percent}% of the estimate."
    # Not the estimate's disclosure reference: being on a matter does not open its disclosures.
    body.append(section(f"That is *{r.percent}%* of the estimate of {money(r.estimate)}."))
    if r.revise_at is None:
        if r.next_threshold is not None:
            body.append(context(f"A revised estimate is due when the costs reach {r.next_threshold}% of it."))
        return text, body
    text += " A revised estimate is due."
    body.append(
        section(
            f":warning: The costs have reached {r.revise_at}% of the estimate: send the client a revised "
            "estimate, and log it with its amount."
        )
    )
    wanted = DisclosureToLog(r.matter_ref, DisclosureKind.COSTS_REVISED)
    body.append(
        {
            "type": "actions",
            "elements": [button("Log revised estimate", ids.ACTION_MATTER_LOG_DISCLOSURE, wanted.value, "primary")],
        }
    )
    return text, body


# --- nudges (the sweep's: bot/matters/reminders.py) ----------------------------------------------


def _matter_line(m: Matter) -> str:
    return f"*{escape(m.matter_ref)}* · {escape(clip(m.client_name or '—', 80))}"


def checklist_nudge(m: Matter, r: MatterReminder) -> tuple[str, list[Block]]:
    """To the responsible lawyer: what the client has still to be told in writing, each item with its
    **Log disclosure** (the disclosure modal prefilled with the matter and that kind)."""
    n = len(r.missing)
    things = "thing" if n == 1 else "things"
    text = f"Matter {m.matter_ref}: the client has still to be told in writing {n} {things} every client is told at the outset."
    opened = f", opened {day(m.opened_on)}" if m.opened_on else ""
    body: list[Block] = [
        section(f":clipboard: {_matter_line(m)}{opened}. The client has still to be told in writing:"),
    ]
    for kind in r.missing:
        wanted = DisclosureToLog(m.matter_ref, kind)
        body.append(
            section(
                f"• {escape(kind.label)}",
                accessory=button("Log disclosure", ids.ACTION_MATTER_LOG_DISCLOSURE, wanted.value),
            )
        )
    body.append(
        context(
            "Each item is met by a disclosure of its kind on the matter. This reminder comes once a week "
            "while an item is missing."
        )
    )
    return text, body


def _since(m: Matter) -> str:
    if m.last_update_on is not None:
        return f"the last update, of {day(m.last_update_on)}"
    if m.dormant_until is not None and (m.opened_on is None or m.dormant_until > m.opened_on):
        return f"the end of its dormancy on {day(m.dormant_until)}"
    return f"its opening on {day(m.opened_on)}" if m.opened_on else "its opening"


def check_in_nudge(m: Matter, r: MatterReminder, *, overdue_on: date) -> tuple[str, list[Block]]:
    """To the responsible lawyer, the morning a client update falls due: log it, snooze the reminder
    with a reason, or say no update is needed while the matter is dormant."""
    assert r.update_due_on is not None
    text = f"A client update on matter {m.matter_ref} is due ({day(r.update_due_on)})."
    body: list[Block] = [
        section(
            f":speech_balloon: A client update on {_matter_line(m)} is due: {day(r.update_due_on)}, "
            f"{m.update_cadence_days} day(s) after {_since(m)}."
        ),
        {
            "type": "actions",
            "elements": [
                button("Log client update", ids.ACTION_MATTER_LOG_UPDATE, m.matter_ref, "primary"),
                button("Snooze", ids.ACTION_MATTER_SNOOZE, m.matter_ref),
                button("No update needed: dormant", ids.ACTION_MATTER_DORMANT, m.matter_ref),
            ],
        },
        context(
            f"Still not updated by {day(overdue_on)}, "
            + ("the supervising partner is told." if m.supervisor_id else "the complaints team is told.")
        ),
    ]
    return text, body


def check_in_overdue(m: Matter, r: MatterReminder, *, today: date, to_team: bool) -> tuple[str, list[Block]]:
    """To the supervising partner (or, where the matter has none, the complaints team): the client
    update is a whole cadence overdue. The team's channel is not told the client's name."""
    assert r.update_due_on is not None
    late = (today - r.update_due_on).days
    text = f"The client update on matter {m.matter_ref} is {late} day(s) overdue."
    what = f"*{escape(m.matter_ref)}*" if to_team else _matter_line(m)
    body: list[Block] = [
        section(
            f":warning: The client update on {what} was due on {day(r.update_due_on)} and is "
            f"*{late} day(s) overdue*, more than its {m.update_cadence_days}-day cadence. "
            f"Responsible: {user(m.responsible_id)}."
        ),
    ]
    if to_team:
        body.append(context("The matter has no supervising partner, so the complaints team is told."))
    else:
        body.append(
            context("You are its supervising partner. `/matter show " + escape(m.matter_ref) + "` for its timeline.")
        )
    return text, body


def costs_nudge(m: Matter, r: MatterReminder, *, currency: Currency) -> tuple[str, list[Block]]:
    """To the responsible lawyer, once per threshold per estimate: send the client a revised
    estimate before the costs run over it."""
    reached = "reached the estimate" if (r.threshold or 0) >= 100 else f"reached {r.threshold}% of the estimate"
    text = f"Costs to date on matter {m.matter_ref} have {reached}: a revised estimate is due."
    figures = ""
    if m.costs_to_date is not None and m.costs_estimate:
        figures = f" ({currency.format(m.costs_to_date)} of {currency.format(m.costs_estimate)}, {r.percent}%)"
    wanted = DisclosureToLog(m.matter_ref, DisclosureKind.COSTS_REVISED)
    body: list[Block] = [
        section(
            f":moneybag: Costs to date on {_matter_line(m)} have {reached}{figures}. Send the client a "
            "revised estimate before the costs run over it, and log it with its amount."
        ),
        {
            "type": "actions",
            "elements": [
                button("Log revised estimate", ids.ACTION_MATTER_LOG_DISCLOSURE, wanted.value, "primary"),
                button("Record costs to date", ids.ACTION_MATTER_COSTS, m.matter_ref),
            ],
        },
        context("A revised estimate with its amount becomes the estimate the costs are held to."),
    ]
    return text, body


MATTER_HELP = (
    "*Matters*: the client matters complaints and disclosures name\n"
    "• `/matter new`: open one (or set up one a complaint or a disclosure named first)\n"
    "• `/matter show M-1001`: details, and its events, disclosures and complaints on one timeline\n"
    "• `/matter list [page]`: open matters, yours first\n"
    "• `/matter costs M-1001 12500`: record its costs to date, held to its costs estimate\n"
    "• `/matter update M-1001`: log a client update (or snooze the check-in, or mark the matter dormant)\n"
    "• `/matter close M-1001`: close it\n"
    "• `/matter help`: this message"
)


def matter_help(prefix: str | None = None) -> tuple[str, list[Block]]:
    body = [section(prefix)] if prefix else []
    body.append(section(MATTER_HELP))
    return (prefix or "How to use /matter"), body


# --- client updates


def update_logged(r: UpdateLogged) -> tuple[str, list[Block]]:
    """A client update logged: when and how, how the client seemed, and when the next is due."""
    text = f"Client update on {r.matter_ref} logged. The next update is due on {day(r.next_due_on)}."
    how = f"{day(r.on)}, {r.via.label.lower()}; the client seemed {r.mood.label.lower()}"
    body = [
        section(f":speech_balloon: Client update on *{escape(r.matter_ref)}* logged ({how})."),
        section(f"The next update is due on *{day(r.next_due_on)}*."),
    ]
    if r.mood is ClientMood.UNHAPPY:
        body.append(context("The client seemed unhappy: I have sent you a message asking whether it is a complaint."))
    return text, body


def check_in_snoozed(r: CheckInHeld) -> tuple[str, list[Block]]:
    text = f"The check-in on {r.matter_ref} is snoozed until {day(r.until)}."
    body = [
        section(f":zzz: The check-in nudge on *{escape(r.matter_ref)}* waits until *{day(r.until)}*."),
        context(f"The client update is due on {day(r.next_due_on)}; logging one ends the snooze."),
    ]
    return text, body


def matter_dormant(r: CheckInHeld) -> tuple[str, list[Block]]:
    text = f"No update needed on {r.matter_ref} until {day(r.until)}: the matter is dormant."
    body = [
        section(f":sleeping: No update needed on *{escape(r.matter_ref)}*: dormant until *{day(r.until)}*."),
        context(f"The next client update is due on {day(r.next_due_on)}, a cadence after that."),
    ]
    return text, body


COMPLAINT_DEFINITION = (
    "Any expression of dissatisfaction, oral or written, justified or not, is a complaint (FCA definition)"
)


def complaint_prompt(matter_ref: str, *, on: date, update_event_id: int) -> tuple[str, list[Block]]:
    """To the lawyer who logged an update that found the client unhappy: is it a complaint?"""
    asked = (
        f"The client seemed unhappy at the update of {day(on)} on {matter_ref}. {COMPLAINT_DEFINITION}: is this one?"
    )
    value = str(update_event_id)
    body: list[Block] = [
        section(
            f":warning: The client seemed unhappy at the update of {day(on)} on *{escape(matter_ref)}*. "
            f"{COMPLAINT_DEFINITION}: is this one?"
        ),
        {
            "type": "actions",
            "elements": [
                button("Log as complaint", ids.ACTION_MATTER_LOG_AS_COMPLAINT, value, "primary"),
                button("Not a complaint", ids.ACTION_MATTER_NOT_A_COMPLAINT, value),
            ],
        },
    ]
    return asked, body


ANSWERED = {"complaint": "logged as a complaint", "not_a_complaint": "not a complaint"}


def already_answered(p: Prompted, *, tz: ZoneInfo) -> tuple[str, list[Block]]:
    """Only the first answer to a complaint prompt counts: what it was, by whom and when."""
    assert p.answered is not None
    a = p.answered
    said = f"{ANSWERED[a.answer]}, by {user(a.actor)} on {day(a.at.astimezone(tz).date())}"
    text = f"The update of {day(p.on)} on {p.matter_ref} was already answered: {said}."
    return text, [
        section(
            f":information_source: The update of {day(p.on)} on *{escape(p.matter_ref)}* was already answered: {said}."
        )
    ]


def not_a_complaint_recorded(p: Prompted) -> tuple[str, list[Block]]:
    text = f"Recorded: the update of {day(p.on)} on {p.matter_ref} is not a complaint."
    return text, [
        section(
            f":white_check_mark: Recorded: the update of {day(p.on)} on *{escape(p.matter_ref)}* is not a complaint."
        )
    ]
