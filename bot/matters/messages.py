"""What the matters service says in Slack: the confirmation, a matter with its one timeline (its
own events, its disclosures and its complaints), the list, the closing, the costs to date and
/matter's help. Plain data in, Block Kit out; never a Slack client."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from bot.core import ids
from bot.core.blockkit import (
    Block,
    button,
    clip,
    context,
    day,
    escape,
    fields,
    section,
    slack_date,
    timeline_sections,
    user,
)
from bot.core.lists import Choices
from bot.core.money import Currency
from bot.core.vocabulary import ClientMood, DisclosureKind, EventKind, MatterStatus, UpdateVia
from bot.disclosures.messages import TimelineEntry, matter_timeline_lines
from bot.matters.inputs import DisclosureToLog
from bot.matters.policy import Risk, RiskLevel
from storage.models import Event, Matter

if TYPE_CHECKING:
    from bot.matters.care import CheckInHeld, NotAComplaint, Prompted, UpdateLogged
    from bot.matters.costs import CostsRecorded
    from bot.matters.policy import MatterReminder
    from bot.matters.risk import ChecklistItem, MatterCare, Rated
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
    if e.kind == EventKind.MATTER_CLIENT_UPDATE:
        return _client_update_line(e, d)
    if e.kind == EventKind.MATTER_SNOOZED:
        return f"client update nudge snoozed by {user(e.actor)} until {_on(d.get('until'))}{_because(d.get('reason'))}"
    if e.kind == EventKind.MATTER_DORMANT:
        until = _on(d.get("until"))
        return f"marked dormant by {user(e.actor)}: no client update needed until {until}{_because(d.get('reason'))}"
    if e.kind == EventKind.MATTER_COSTS:
        was = f" (was {_money(d.get('previous'), d.get('currency'))})" if d.get("previous") is not None else ""
        return f"costs to date recorded by {user(e.actor)}: {_money(d.get('costs_to_date'), d.get('currency'))}{was}"
    if e.kind == EventKind.MATTER_ESTIMATE:
        # Not the disclosure's reference: being on a matter does not open its disclosures.
        kind = DisclosureKind.parse(d.get("kind"))
        what = kind.label.lower() if kind else "costs estimate"
        amount = _money(d.get("amount"), d.get("currency"))
        return f"costs estimate in force: {amount} ({what}, logged by {user(e.actor)})"
    if e.kind == EventKind.MATTER_COMPLAINT_ANSWERED:
        if d.get("answer") == "complaint":
            # Not the complaint's reference: being on a matter does not open its complaints (the
            # timeline shows the complaint itself to those who may see it).
            return f"{user(e.actor)} answered that the client's unhappiness is a complaint, and logged it"
        return f"{user(e.actor)} answered that the client's unhappiness is not a complaint{_because(d.get('reason'))}"
    return f"{escape(e.kind)} by {user(e.actor)}"


EVENT_TEXT_MAX = 300


def _text(value: object, limit: int = EVENT_TEXT_MAX) -> str:
    """People's text on one line, clipped and escaped."""
    return escape(clip(" ".join(str(value).split()), limit))


def _because(reason: object) -> str:
    return f" ({_text(reason)})" if reason else ""


def _on(value: object) -> str:
    """A date or a moment stored as ISO text, as a day; anything else as typed."""
    if not value:
        return "—"
    try:
        return day(datetime.fromisoformat(str(value)).date())
    except ValueError:
        return _text(value, 40)


def _money(amount: object, code: object) -> str:
    if not isinstance(amount, int):
        return "—"
    try:
        return Currency.of(str(code)).format(amount)
    except ValueError:
        return f"{amount:,}"


def _client_update_line(e: Event, d: dict[str, object]) -> str:
    via = UpdateVia.parse(d.get("via"))
    mood = ClientMood.parse(d.get("mood"))
    line = f"client update by {user(e.actor)} on {_on(d.get('on'))}"
    if via is not None:
        line += f" ({via.label.lower()})"
    elif d.get("via"):
        line += f" ({_text(d['via'], 40)})"
    if mood is not None:
        line += f": client *{mood.label.lower()}*"
    if d.get("told"):
        line += f"\n  told: {_text(d['told'])}"
    if d.get("next_step"):
        line += f"\n  next step: {_text(d['next_step'])}"
    return line


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
    if view.care is not None:
        body += care_blocks(view.care, tz=tz)
    if not record.complete:
        body.append(context("The complaints and disclosures below are yours; the complaints team sees every one."))
    body += timeline_sections(matter_timeline_lines(record, own))
    return f"Matter {m.matter_ref}", body[:50]


RISK_EMOJI = {
    RiskLevel.GREEN: ":large_green_circle:",
    RiskLevel.AMBER: ":large_orange_circle:",
    RiskLevel.RED: ":red_circle:",
}


def risk_line(risk: Risk) -> str:
    """The level with its emoji and every reason beside it (our own sentences, never a bare score)."""
    said = f"{RISK_EMOJI[risk.level]} *{risk.level.value.capitalize()}*"
    return f"{said}: {'; '.join(risk.reasons)}" if risk.reasons else f"{said}: nothing is overdue or at risk"


def checklist_line(item: ChecklistItem) -> str:
    if item.met_by is None or item.met_on is None:
        return f":white_large_square: {item.kind.label}: *missing*"
    by = "" if item.met_by is item.kind else f" by a {item.met_by.label.lower()}"
    return f":white_check_mark: {item.kind.label}: met{by}, disclosed {day(item.met_on)}"


def care_blocks(care: MatterCare, *, tz: ZoneInfo) -> list[Block]:
    """An open matter's client care on `/matter show`: risk, checklist, costs, the next update."""
    body = [section(f"*Risk* {risk_line(care.risk)}")]
    met = sum(1 for i in care.checklist if i.met_by is not None)
    items = "\n".join(checklist_line(i) for i in care.checklist)
    body.append(section(f"*Checklist* ({met} of {len(care.checklist)} met)\n{items}"))
    lines = []
    if care.costs_estimate is not None or care.costs_to_date is not None:
        money = care.currency.format
        estimate = money(care.costs_estimate) if care.costs_estimate is not None else "no estimate with an amount"
        to_date = money(care.costs_to_date) if care.costs_to_date is not None else "not recorded"
        share = f" ({care.percent}% of the estimate)" if care.percent is not None else ""
        lines.append(f"*Costs*: estimate {estimate}; costs to date {to_date}{share}")
    lines.append(f"*Next client update due*: {day(care.update_due_on)}")
    if care.snoozed_until is not None:
        reason = f" ({escape(clip(care.snooze_reason, 200))})" if care.snooze_reason else ""
        lines.append(f"*Nudge snoozed* until {slack_date(care.snoozed_until, tz)}{reason}")
    if care.dormant_until is not None:
        lines.append(f"*Dormant*: no client update needed until {day(care.dormant_until)}")
    if care.last_update_on is not None:
        mood = f"; the client seemed {care.last_mood.label.lower()}" if care.last_mood is not None else ""
        lines.append(f"*Last client update*: {day(care.last_update_on)}{mood}")
    else:
        lines.append("*Last client update*: none logged yet")
    body.append(section("\n".join(lines)))
    return body


def matter_list(
    items: Sequence[Rated], *, viewer_id: str, page: int, pages: int, total: int, everyone: bool
) -> tuple[str, list[Block]]:
    """A page of /matter list (bot.matters.risk.ranked_page): each matter with its risk emoji and
    its first reason; `/matter show` gives them all."""
    title = "Open matters" if everyone else "Your open matters"
    body = [section(f"*{title}* ({total}): yours first, then by risk")]
    if not items:
        body.append(section("None." if everyone else "None: you are neither responsible for nor supervising any."))
    for r in items:
        m = r.matter
        role = ""
        if m.responsible_id == viewer_id:
            role = " · you are responsible"
        elif m.supervisor_id == viewer_id:
            role = " · you supervise"
        flag = f" · _{NOT_SET_UP}_" if not m.set_up else ""
        body.append(
            section(
                f"*{escape(m.matter_ref)}* · {escape(clip(m.client_name or '—', 60))}{role}{flag}\n"
                f"Responsible {user(m.responsible_id)}" + (f"\n{first_reason(r.risk)}" if r.risk is not None else "")
            )
        )
    if page < pages:
        body.append(context(f"More: `/matter list {page + 1}`"))
    return f"{title}, page {page} of {pages}", body


def first_reason(risk: Risk) -> str:
    """The level's emoji and its first reason, with how many more `/matter show` gives."""
    said = f"{RISK_EMOJI[risk.level]} {risk.level.value.capitalize()}"
    if not risk.reasons:
        return said
    more = f" (and {len(risk.reasons) - 1} more)" if len(risk.reasons) > 1 else ""
    return f"{said}: {risk.reasons[0]}{more}"


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
    text = (
        f"Matter {m.matter_ref}: the client has still to be told in writing {n} {things} "
        "every client is told at the outset."
    )
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


def _since(m: Matter, counts_from: date) -> str:
    """What the cadence of the next update counts from (the policy's `update_counts_from`), named."""
    if counts_from == m.last_update_on:
        return f"the last update, of {day(counts_from)}"
    if counts_from == m.dormant_until:
        return f"the end of its dormancy on {day(counts_from)}"
    if counts_from == m.opened_on:
        return f"its opening on {day(counts_from)}"
    return f"its setting up here on {day(counts_from)}"


def check_in_nudge(m: Matter, r: MatterReminder, *, overdue_on: date, counts_from: date) -> tuple[str, list[Block]]:
    """To the responsible lawyer, the morning a client update falls due: log it, snooze the reminder
    with a reason, or say no update is needed while the matter is dormant."""
    assert r.update_due_on is not None
    text = f"A client update on matter {m.matter_ref} is due ({day(r.update_due_on)})."
    body: list[Block] = [
        section(
            f":speech_balloon: A client update on {_matter_line(m)} is due: {day(r.update_due_on)}, "
            f"{m.update_cadence_days} day(s) after {_since(m, counts_from)}."
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


def check_in_overdue(
    m: Matter, r: MatterReminder, *, today: date, to_team: bool, snoozed_until: date | None = None
) -> tuple[str, list[Block]]:
    """To the supervising partner (or, where the matter has none, the complaints team): the client
    update is a whole cadence overdue, and whether the lawyer's reminder is snoozed (a snooze does
    not hold this back). The team's channel is not told the client's name, nor why it was snoozed."""
    assert r.update_due_on is not None
    late = (today - r.update_due_on).days
    text = f"The client update on matter {m.matter_ref} is {late} day(s) overdue."
    what = f"*{escape(m.matter_ref)}*" if to_team else _matter_line(m)
    body: list[Block] = [
        section(
            f":warning: The client update on {what} was due on {day(r.update_due_on)} and is "
            f"*{late} day(s) overdue*, a whole {m.update_cadence_days}-day cadence. "
            f"Responsible: {user(m.responsible_id)}."
        ),
    ]
    if snoozed_until is not None:
        why = f": {escape(clip(m.snooze_reason, 300))}" if m.snooze_reason and not to_team else ""
        body.append(section(f"The responsible lawyer snoozed the reminder until {day(snoozed_until)}{why}."))
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
    "• `/matter show M-1001`: details, its risk and checklist, and its events, disclosures and "
    "complaints on one timeline\n"
    "• `/matter list [page]`: open matters, yours first, then by risk (red, amber, green)\n"
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


# The Legal Ombudsman's scheme rules and the FCA's glossary define a complaint alike: an oral or
# written expression of dissatisfaction, justified or not, alleging that the complainant has suffered
# (or may suffer) loss, distress or inconvenience.
COMPLAINT_DEFINITION = (
    "Any oral or written expression of dissatisfaction, justified or not, saying the client has suffered "
    "or may suffer loss, distress or inconvenience, is a complaint (the Legal Ombudsman's and the FCA's "
    "definitions)"
)


def complaint_summary_from_update(on: date, told: str, *, limit: int) -> str:
    """The summary **Log as complaint** prefills: what the record holds, said as such, for the
    lawyer to rewrite as what the client was dissatisfied with."""
    text = f"At the client update of {day(on)} the client seemed unhappy. What we told them: {told}"
    return clip(text, limit)


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


def not_a_complaint_recorded(r: NotAComplaint) -> tuple[str, list[Block]]:
    """**Not a complaint** recorded: on which update, and the reason as it is kept."""
    p = r.prompted
    text = f"Recorded: the update of {day(p.on)} on {p.matter_ref} is not a complaint."
    return text, [
        section(
            f":white_check_mark: Recorded: the update of {day(p.on)} on *{escape(p.matter_ref)}* is not a complaint."
        ),
        section(f"*Why it is not a complaint*\n{escape(r.reason)}"),
        context("The reason is on the matter's timeline: `/matter show " + escape(p.matter_ref) + "`."),
    ]
