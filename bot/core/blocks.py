"""Block Kit builders: plain data in, Slack JSON (dicts) out. No Slack calls and no database here."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.core import ids
from bot.core.vocabulary import (
    CLIENT_NAME_MAX,
    CLIENT_REQUEST_MAX,
    DISCLOSURE_TEXT_MAX,
    MATTER_REF_MAX,
    MAX_CADENCE_DAYS,
    NOTE_MAX,
    RELEVANT_DISCLOSURES,
    REMEDY_MAX,
    SNOOZE_DAYS,
    SNOOZE_REASON_MAX,
    SUMMARY_MAX,
    AckStatus,
    Category,
    DisclosedVia,
    DisclosureKind,
    LabelledEnum,
    OmbudsmanPoint,
    Outcome,
    ReceivedVia,
    Severity,
    Status,
    UpdateVia,
)

Block = dict[str, Any]
SECTION_TEXT_MAX = 3000


# --- small pieces ---------------------------------------------------------------------------


def plain(text: str, limit: int | None = None) -> dict:
    return {"type": "plain_text", "text": clip(text, limit) if limit else text, "emoji": True}


def mrkdwn(text: str) -> dict:
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


def button(text: str, action_id: str, value: str, style: str | None = None) -> dict:
    b = {"type": "button", "text": plain(text, 75), "action_id": action_id, "value": value}
    if style:
        b["style"] = style
    return b


def option(value: str, label: str) -> dict:
    return {"text": plain(label, 75), "value": value}


def options_of(enum: type[LabelledEnum]) -> list[dict]:
    return [option(v, label) for v, label in enum.options()]


def slack_date(moment: datetime, tz: ZoneInfo, fmt: str = "{date_short_pretty} {time}") -> str:
    """A time every reader sees in their own zone; the fallback is in the firm's zone."""
    fallback = moment.astimezone(tz).strftime("%d %b %Y %H:%M %Z")
    return f"<!date^{int(moment.timestamp())}^{fmt}|{fallback}>"


def day(value: date) -> str:
    return value.strftime("%d %b %Y").lstrip("0")


def user(user_id: str | None) -> str:
    return f"<@{user_id}>" if user_id else "nobody yet"


def _input(block_id: str, label: str, element: dict, *, optional: bool = False, hint: str | None = None) -> Block:
    element = {**element, "action_id": block_id}
    block: Block = {"type": "input", "block_id": block_id, "label": plain(label), "element": element}
    if optional:
        block["optional"] = True
    if hint:
        block["hint"] = plain(hint)
    return block


def _text_input(
    max_length: int, *, multiline: bool = False, initial: str | None = None, placeholder: str | None = None
) -> dict:
    el: dict = {"type": "plain_text_input", "max_length": max_length}
    if multiline:
        el["multiline"] = True
    if initial:
        el["initial_value"] = clip(initial, max_length)
    if placeholder:
        el["placeholder"] = plain(placeholder, 150)
    return el


def _select(enum: type[LabelledEnum], initial: str | None = None, placeholder: str = "Choose…") -> dict:
    el: dict = {"type": "static_select", "options": options_of(enum), "placeholder": plain(placeholder)}
    if initial is not None:
        el["initial_option"] = option(initial, enum(initial).label)
    return el


def modal(callback_id: str, title: str, blocks: list[Block], *, submit: str, metadata: dict | None = None) -> dict:
    view = {
        "type": "modal",
        "callback_id": callback_id,
        "title": plain(title, 24),
        "submit": plain(submit, 24),
        "close": plain("Cancel", 24),
        "blocks": blocks,
    }
    if metadata:
        view["private_metadata"] = json.dumps(metadata)
    return view


def notice_modal(title: str, text: str) -> dict:
    """A modal that only tells something (no inputs, so no submit button)."""
    return {
        "type": "modal",
        "title": plain(title, 24),
        "close": plain("Close", 24),
        "blocks": [section(f":warning: {escape_verbatim(text)}")],
    }


# --- intake -----------------------------------------------------------------------------------


def intake_modal(*, today: date, summary: str | None = None, source_url: str | None = None) -> dict:
    F = ids.IntakeField
    blocks: list[Block] = []
    if source_url:
        blocks.append(context(f"From <{source_url}|this message>. The summary is prefilled with its text."))
    blocks += [
        _input(F.CLIENT_NAME, "Client name", _text_input(CLIENT_NAME_MAX)),
        _input(
            F.MATTER_REF, "Matter reference", _text_input(MATTER_REF_MAX, placeholder="e.g. M-10423"), optional=True
        ),
        _input(F.RECEIVED_VIA, "How it was received", _select(ReceivedVia, ReceivedVia.EMAIL.value)),
        _input(F.RECEIVED_ON, "Date received", {"type": "datepicker", "initial_date": today.isoformat()}),
        _input(F.CATEGORY, "Category", _select(Category)),
        _input(
            F.SUMMARY,
            "Summary of the complaint",
            _text_input(SUMMARY_MAX, multiline=True, initial=summary),
            hint="What the client says went wrong, in their terms where possible.",
        ),
        _input(
            F.CLIENT_REQUEST,
            "What the client is asking for",
            _text_input(CLIENT_REQUEST_MAX, multiline=True),
            optional=True,
        ),
    ]
    metadata = {"source_url": source_url} if source_url else None
    return modal(ids.VIEW_NEW_COMPLAINT, "Log a complaint", blocks, submit="Log complaint", metadata=metadata)


def complaint_fields(c, tz: ZoneInfo) -> Block:
    pairs = [
        ("Client", escape(c.client_name)),
        ("Matter", escape(c.matter_ref) if c.matter_ref else "—"),
        ("Category", Category(c.category).label),
        ("Received", f"{day(c.received_on)} by {ReceivedVia(c.received_via).label.lower()}"),
    ]
    if c.severity:
        pairs.append(("Severity", Severity(c.severity).label))
    pairs.append(("Handler", user(c.handler_id)))
    return fields(pairs)


def summary_section(c) -> Block:
    return section(f"*Summary*\n{escape(clip(c.summary, 2800))}")


def reporter_confirmation(c, *, tz: ZoneInfo, acknowledgement: str) -> tuple[str, list[Block]]:
    text = f"Complaint {c.reference} is logged. Triage is due by {slack_date(c.triage_due_at, tz)}."
    blocks = [
        section(f":white_check_mark: *{c.reference}* is logged for {escape(c.client_name)}."),
        section(
            "*What happens next*\n"
            f"• The complaints team assesses it by {slack_date(c.triage_due_at, tz)} and names a handler.\n"
            "• The handler keeps the client updated until it is resolved.\n"
            "• Send the client the acknowledgement below today, and keep a copy on the matter file."
        ),
        section(f"*Acknowledgement for the client*\n```{escape_verbatim(clip(acknowledgement, 2800))}```"),
    ]
    return text, blocks


def triage_alert(c, *, tz: ZoneInfo, disclosure_note: str | None = None) -> tuple[str, list[Block]]:
    if c.status == Status.NEW:
        headline = f":rotating_light: New complaint *{c.reference}*, triage due by {slack_date(c.triage_due_at, tz)}"
    elif c.status == Status.RESOLVED:
        headline = (
            f":checkered_flag: *{c.reference}* resolved by {user(c.resolved_by)}: {Outcome(c.outcome).label.lower()}"
        )
    else:
        headline = (
            f":white_check_mark: *{c.reference}* triaged by {user(c.triaged_by)}: handled by {user(c.handler_id)}"
        )
    blocks: list[Block] = [section(headline), complaint_fields(c, tz), summary_section(c)]
    if disclosure_note:
        blocks.append(section(disclosure_note))
    blocks.append(context(f"Logged by {user(c.reporter_id)} at {slack_date(c.logged_at, tz)}"))
    label = "Triage" if c.status == Status.NEW else "Re-triage"
    if c.status != Status.RESOLVED:
        blocks.append({"type": "actions", "elements": [button(label, ids.ACTION_TRIAGE, c.reference, "primary")]})
    text = f"Complaint {c.reference} ({Category(c.category).label}): {Status(c.status).label.lower()}"
    return text, blocks


# --- triage -----------------------------------------------------------------------------------


def triage_modal(c, *, tz: ZoneInfo, today: date) -> dict:
    F = ids.TriageField
    handler_el: dict = {"type": "users_select", "placeholder": plain("Choose the handler")}
    if c.handler_id:
        handler_el["initial_user"] = c.handler_id
    target_el: dict = {"type": "datepicker"}
    if c.target_date:
        target_el["initial_date"] = c.target_date.isoformat()
    cadence_el: dict = {
        "type": "number_input",
        "is_decimal_allowed": False,
        "min_value": "1",
        "max_value": str(MAX_CADENCE_DAYS),
    }
    if c.update_cadence_days:
        cadence_el["initial_value"] = str(c.update_cadence_days)
    blocks = [
        section(f"*{c.reference}* · {escape(c.client_name)} · {Category(c.category).label}"),
        summary_section(c),
        {"type": "divider"},
        _input(F.SEVERITY, "Severity", _select(Severity, c.severity)),
        _input(F.HANDLER, "Handler", handler_el),
        _input(F.TARGET_DATE, "Target resolution date", target_el),
        _input(
            F.CADENCE,
            "Client update every (days)",
            cadence_el,
            optional=True,
            hint="Leave empty for the default by severity: critical 2, high 5, medium 7, low 14.",
        ),
        _input(F.NOTE, "Triage note", _text_input(NOTE_MAX, multiline=True), optional=True),
    ]
    return modal(
        ids.VIEW_TRIAGE, f"Triage {c.reference}", blocks, submit="Save triage", metadata={"reference": c.reference}
    )


def handler_assigned(c, *, tz: ZoneInfo) -> tuple[str, list[Block]]:
    text = f"Complaint {c.reference} is yours to handle."
    blocks = [
        section(f":briefcase: Complaint *{c.reference}* is yours to handle, assigned by {user(c.triaged_by)}."),
        complaint_fields(c, tz),
        summary_section(c),
        section(
            f"*Target resolution:* {day(c.target_date) if c.target_date else '—'}\n"
            f"*Update the client every:* {c.update_cadence_days} days"
        ),
    ]
    return text, blocks


# --- the clocks: reminders and their modals ----------------------------------------------------------


def handler_buttons(reference: str) -> Block:
    return {
        "type": "actions",
        "elements": [
            button("Log client update", ids.ACTION_LOG_UPDATE, reference, "primary"),
            button("Snooze", ids.ACTION_SNOOZE, reference),
            button("Resolve", ids.ACTION_RESOLVE, reference),
        ],
    }


def mention(lead: str | None) -> str:
    if not lead:
        return ""
    return f"<!subteam^{lead}> " if lead.startswith("S") else f"<@{lead}> "


def reminder_message(
    kind: str, c, *, tz: ZoneInfo, lead: str | None, days_left: int | None = None, stale_costs_on: date | None = None
) -> tuple[str, list[Block]]:
    """The message for one reminder or escalation (kinds from bot.policy.ReminderKind)."""
    ref, client = c.reference, escape(clip(c.client_name, 80))
    final_by = day(c.final_response_due_on) if c.final_response_due_on else "—"
    actions: Block | None = None
    if kind == "triage-warning":
        line = (
            f":hourglass_flowing_sand: *{ref}* ({client}) still needs triage: due by {slack_date(c.triage_due_at, tz)}."
        )
        actions = {"type": "actions", "elements": [button("Triage", ids.ACTION_TRIAGE, ref, "primary")]}
    elif kind == "triage-breach":
        line = f":rotating_light: {mention(lead)}*{ref}* ({client}) was not triaged within the deadline of {slack_date(c.triage_due_at, tz)}."
        actions = {"type": "actions", "elements": [button("Triage", ids.ACTION_TRIAGE, ref, "primary")]}
    elif kind == "update-due":
        line = f":bell: A client update is due on *{ref}* ({client}): due {slack_date(c.next_update_due_at, tz)}."
        actions = handler_buttons(ref)
    elif kind == "update-overdue":
        line = (
            f":warning: {mention(lead)}The client update on *{ref}* ({client}) is overdue since "
            f"{slack_date(c.next_update_due_at, tz)}. Handler: {user(c.handler_id)}."
        )
    elif kind == "final-warning":
        if days_left is not None and days_left < 0:
            line = f":calendar: The final response on *{ref}* ({client}) was due by *{final_by}* and is not recorded."
        else:
            when = {0: "today", 1: "tomorrow"}.get(days_left, f"in {days_left} days")
            line = f":calendar: The final response on *{ref}* ({client}) is due by *{final_by}*, {when}."
        actions = (
            handler_buttons(ref)
            if c.handler_id
            else {"type": "actions", "elements": [button("Triage", ids.ACTION_TRIAGE, ref, "primary")]}
        )
    elif kind == "final-breach":
        line = (
            f":red_circle: {mention(lead)}The final-response deadline on *{ref}* ({client}) passed on *{final_by}* "
            f"with no final response recorded. Handler: {user(c.handler_id)}. The client may now go to the ombudsman."
        )
    else:
        raise ValueError(f"unknown reminder kind {kind}")
    body: list[Block] = [
        section(line),
        context(f"{Category(c.category).label} · received {day(c.received_on)} · final response due {final_by}"),
    ]
    if stale_costs_on and c.matter_ref:
        body.append(section(costs_review_line(c.matter_ref, stale_costs_on)))
    if actions:
        body.append(actions)
    return _strip_marks(line), body


def _strip_marks(line: str) -> str:
    return line.replace("*", "")


def client_update_modal(c, *, today: date) -> dict:
    F = ids.UpdateField
    blocks = [
        section(f"*{c.reference}* · {escape(c.client_name)}"),
        _input(F.DATE, "Date of the update", {"type": "datepicker", "initial_date": today.isoformat()}),
        _input(F.VIA, "How", _select(UpdateVia, UpdateVia.EMAIL.value)),
        _input(F.TOLD, "What the client was told", _text_input(NOTE_MAX, multiline=True)),
        _input(F.NEXT_STEP, "Next step", _text_input(NOTE_MAX, multiline=True), optional=True),
    ]
    return modal(
        ids.VIEW_CLIENT_UPDATE, "Log client update", blocks, submit="Save update", metadata={"reference": c.reference}
    )


def snooze_modal(c) -> dict:
    F = ids.SnoozeField
    choices = {
        "type": "static_select",
        "options": [option(str(d), f"{d} day{'s' if d > 1 else ''}") for d in SNOOZE_DAYS],
    }
    choices["initial_option"] = choices["options"][0]
    blocks = [
        section(
            f"*{c.reference}* · {escape(c.client_name)}\nThe update reminder, and its escalation, wait until then."
        ),
        _input(F.DAYS, "Snooze for", choices),
        _input(F.REASON, "Why", _text_input(SNOOZE_REASON_MAX, placeholder="e.g. waiting for the client's documents")),
    ]
    return modal(ids.VIEW_SNOOZE, "Snooze reminder", blocks, submit="Snooze", metadata={"reference": c.reference})


def resolve_modal(c, *, today: date) -> dict:
    F = ids.ResolveField
    checkboxes = {"type": "checkboxes", "options": [option(v, label) for v, label in OmbudsmanPoint.options()]}
    blocks = [
        section(
            f"*{c.reference}* · {escape(c.client_name)} · final response due {day(c.final_response_due_on) if c.final_response_due_on else '—'}"
        ),
        _input(F.OUTCOME, "Outcome", _select(Outcome)),
        _input(F.REMEDY, "Remedy offered", _text_input(REMEDY_MAX, multiline=True), optional=True),
        _input(F.SENT_ON, "Final response sent on", {"type": "datepicker", "initial_date": today.isoformat()}),
        _input(
            F.OMBUDSMAN,
            "The final response",
            checkboxes,
            optional=True,
            hint="All three are needed for the ombudsman's 6-month time limit to apply (not needed if withdrawn).",
        ),
        _input(F.ROOT_CAUSE, "Root cause", _select(Category, c.category)),
    ]
    return modal(
        ids.VIEW_RESOLVE, f"Resolve {c.reference}", blocks, submit="Resolve", metadata={"reference": c.reference}
    )


# --- commands ----------------------------------------------------------------------------------

HELP_TEXT = (
    "*Complaints*\n"
    "• `/complaint new`: log a client complaint (or use *Log as complaint* on any message)\n"
    "• `/complaint list [page]`: open complaints, yours first\n"
    "• `/complaint show CMP-2026-0001`: details and timeline\n"
    "• `/complaint resolve CMP-2026-0001`: record the final response and outcome\n"
    "• `/complaint reopen CMP-2026-0001`: reopen a resolved complaint; its clocks restart\n"
    "• `/complaint matter M-1001`: a matter's complaints and disclosures on one timeline\n"
    "• `/complaint hold CMP-2026-0001 reason`: legal hold, kept out of the retention purge (complaints team)\n"
    "• `/complaint release CMP-2026-0001`: end a legal hold (complaints team)\n"
    "• `/complaint help`: this message\n"
    "_Details are open to the complaints team and to each complaint's handler and reporter._"
)


def help_message(prefix: str | None = None) -> tuple[str, list[Block]]:
    blocks = []
    if prefix:
        blocks.append(section(prefix))
    blocks.append(section(HELP_TEXT))
    return (prefix or "How to use /complaint"), blocks


def notice(text: str) -> tuple[str, list[Block]]:
    return text, [section(text)]


DISCLOSURE_HELP = (
    "*Disclosures*: what a client was told about scope, costs, risk, time and the limits of advice\n"
    "• `/disclosure new`: record one (or use *Log as disclosure* on a message)\n"
    "• `/disclosure list [matter] [page]`: newest first, for one matter or all\n"
    "• `/disclosure show DSC-2026-0001`: details and timeline\n"
    "• `/disclosure help`: this message"
)


def disclosure_help(prefix: str | None = None) -> tuple[str, list[Block]]:
    body = [section(prefix)] if prefix else []
    body.append(section(DISCLOSURE_HELP))
    return (prefix or "How to use /disclosure"), body


def error_message(text: str) -> tuple[str, list[Block]]:
    return text, [section(f":warning: {escape_verbatim(text)}")]


def complaint_list(
    items: Sequence, *, viewer: str, page: int, pages: int, total: int, tz: ZoneInfo, only_yours: bool = False
) -> tuple[str, list[Block]]:
    """With `only_yours`, the list is the complaints the reader reported or handles, worded as such."""
    if total == 0:
        if only_yours:
            return "No open complaints of yours.", [section("No complaint you reported or handle is open.")]
        return "No open complaints.", [section(":tada: No open complaints.")]
    title = "Your open complaints" if only_yours else "Open complaints"
    blocks: list[Block] = [section(f"*{title}* ({total}), page {page} of {pages}")]
    for c in items:
        mine = " · *yours*" if viewer in (c.handler_id, c.reporter_id) else ""
        if c.status == Status.NEW:
            due = f"triage due {slack_date(c.triage_due_at, tz)}"
        else:
            due = f"handler {user(c.handler_id)}, target {day(c.target_date) if c.target_date else '—'}"
        blocks.append(
            section(
                f"*{c.reference}* · {escape(clip(c.client_name, 80))} · {Category(c.category).label}{mine}\n"
                f"{Status(c.status).label}: {due}"
            )
        )
    if page < pages:
        blocks.append(context(f"More: `/complaint list {page + 1}`"))
    return f"{title}, page {page} of {pages}", blocks


EVENT_LABELS = {
    "logged": "Logged",
    "triaged": "Triaged",
    "reassigned": "Reassigned",
    "notification_sent": "Message sent",
}

SENT_LABELS = {
    "logged": "confirmation sent to the reporter",
    "triage-alert": "triage alert posted",
    "triage-alert-update": "triage alert updated",
    "assigned": "handler told",
    "triage-warning": "reminder sent: triage due soon",
    "triage-breach": "escalated: triage deadline missed",
    "update-due": "reminder sent: client update due",
    "update-overdue": "escalated: client update overdue",
    "final-warning": "reminder sent: final response due soon",
    "final-breach": "escalated: final-response deadline passed",
    "disclosure-logged": "confirmation sent",
    "disclosure-chase": "reminder sent: acknowledgement not yet received",
}


def describe_event(e) -> str:
    d = e.data or {}
    if e.kind == "logged":
        return f"logged by {user(e.actor)} (received {d.get('received_on', '?')} by {d.get('received_via', '?')})"
    if e.kind in ("triaged", "reassigned"):
        parts = [f"severity {d.get('severity')}", f"handler {user(d.get('handler_id'))}"]
        if d.get("previous_handler_id"):
            parts.append(f"was {user(d['previous_handler_id'])}")
        if d.get("note"):
            parts.append(f"note: {escape(clip(d['note'], 300))}")
        return f"{EVENT_LABELS[e.kind].lower()} by {user(e.actor)}: " + ", ".join(parts)
    if e.kind == "client_update":
        return f"client updated by {user(e.actor)} ({d.get('via')}, {d.get('given_on')}): {escape(clip(d.get('told') or '', 300))}"
    if e.kind == "snoozed":
        return f"update reminder snoozed {d.get('days')} day(s) by {user(e.actor)}: {escape(clip(d.get('reason') or '', 200))}"
    if e.kind == "resolved":
        outcome = Outcome.parse(d.get("outcome"))
        return f"resolved by {user(e.actor)}: {outcome.label.lower() if outcome else d.get('outcome')}, final response sent {d.get('final_response_sent_on')}"
    if e.kind == "reopened":
        return f"reopened by {user(e.actor)}"
    if e.kind == "disclosed":
        kind = DisclosureKind.parse(d.get("kind"))
        return f"logged by {user(e.actor)}: {kind.label.lower() if kind else d.get('kind')} disclosed on {d.get('disclosed_on')} by {d.get('via')}"
    if e.kind == "acknowledged":
        return f"client's acknowledgement recorded by {user(e.actor)}"
    if e.kind == "chased":
        return f"chase postponed by {user(e.actor)} to {d.get('follow_up_on')}"
    if e.kind in ("notification_sent", "escalated"):
        return SENT_LABELS.get(d.get("kind"), f"message sent ({d.get('kind')})")
    if e.kind == "held":
        return f"legal hold placed by {user(e.actor)}: {escape(clip(d.get('reason') or '', 300))}"
    if e.kind == "released":
        return f"legal hold released by {user(e.actor)}"
    if e.kind == "exported":
        return f"exported by {escape(e.actor)} ({d.get('format')})"
    if e.kind == "imported":
        return (
            f"imported from a register by {escape(e.actor)} ({escape(str(d.get('file') or ''))}, line {d.get('line')})"
        )
    if e.kind == "purged":
        return f"personal details removed after the retention period ({d.get('retention_years')} years)"
    return f"{e.kind.replace('_', ' ')} by {user(e.actor)}"


def complaint_detail(
    c, events: Sequence, *, tz: ZoneInfo, disclosures: Sequence = (), every_disclosure: bool = True
) -> tuple[str, list[Block]]:
    """`disclosures` are those on the matter the reader may see; with `every_disclosure` False they
    are only the reader's own, and the section says so in the same words whatever else exists."""
    blocks: list[Block] = [
        section(f"*{c.reference}* · {Status(c.status).label}"),
        complaint_fields(c, tz),
        summary_section(c),
    ]
    if c.client_request:
        blocks.append(section(f"*The client asks for*\n{escape(clip(c.client_request, 2800))}"))
    if c.source_message_url:
        blocks.append(context(f"Logged from <{c.source_message_url}|a message>"))
    if c.legal_hold_at:
        blocks.append(
            context(
                f":lock: On legal hold since {slack_date(c.legal_hold_at, tz)} ({user(c.legal_hold_by)}): "
                f"{escape(clip(c.legal_hold_reason or '', 300))}"
            )
        )
    if c.purged_at:
        blocks.append(context(f"Personal details removed after the retention period on {slack_date(c.purged_at, tz)}."))
    if c.matter_ref:
        told = [
            f"• {day(d.disclosed_on)}: {DisclosureKind(d.kind).label.lower()} (*{d.reference}*, "
            f"{AckStatus(d.ack_status).label.lower()})"
            for d in disclosures
        ]
        if every_disclosure:
            heading = f"*What the client had been told on {escape(c.matter_ref)}*"
            none = "No disclosures on record."
        else:
            heading = f"*Disclosures you logged on {escape(c.matter_ref)}*"
            none = "None. The complaints team sees every disclosure on a matter."
        blocks.append(section(heading + "\n" + ("\n".join(told[-20:]) if told else none)))
    blocks.append({"type": "divider"})
    lines = [f"• {slack_date(e.at, tz)}: {describe_event(e)}" for e in events]
    blocks += _timeline_sections(lines)
    return f"Complaint {c.reference}", blocks[:50]


def _timeline_sections(lines: list[str]) -> list[Block]:
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


# --- disclosures ---------------------------------------------------------------------------------


def disclosure_modal(*, today: date, content: str | None = None, source_url: str | None = None) -> dict:
    F = ids.DisclosureField
    blocks: list[Block] = []
    if source_url:
        blocks.append(context(f"From <{source_url}|this message>. What was disclosed is prefilled with its text."))
    blocks += [
        _input(F.CLIENT_NAME, "Client name", _text_input(CLIENT_NAME_MAX)),
        _input(F.MATTER_REF, "Matter reference", _text_input(MATTER_REF_MAX, placeholder="e.g. M-10423")),
        _input(F.KIND, "Kind of disclosure", _select(DisclosureKind)),
        _input(
            F.CONTENT,
            "What was disclosed",
            _text_input(DISCLOSURE_TEXT_MAX, multiline=True, initial=content),
            hint="In the words used with the client: figures, risks, what is and is not included.",
        ),
        _input(F.DISCLOSED_ON, "Date disclosed", {"type": "datepicker", "initial_date": today.isoformat()}),
        _input(F.VIA, "How", _select(DisclosedVia, DisclosedVia.EMAIL.value)),
        _input(F.ACK, "Has the client acknowledged it?", _select(AckStatus, AckStatus.PENDING.value)),
        _input(
            F.FOLLOW_UP,
            "Chase acknowledgement on",
            {"type": "datepicker"},
            optional=True,
            hint="Leave empty to be reminded a week after the disclosure.",
        ),
        _input(F.DOCUMENT, "Link to the document", {"type": "url_text_input"}, optional=True),
    ]
    metadata = {"source_url": source_url} if source_url else None
    return modal(ids.VIEW_NEW_DISCLOSURE, "Log a disclosure", blocks, submit="Log disclosure", metadata=metadata)


def disclosure_fields(d) -> Block:
    ack = AckStatus(d.ack_status).label
    if d.ack_status == AckStatus.PENDING and d.follow_up_on:
        ack += f" (chase on {day(d.follow_up_on)})"
    return fields(
        [
            ("Client", escape(d.client_name)),
            ("Matter", escape(d.matter_ref)),
            ("Kind", DisclosureKind(d.kind).label),
            ("Disclosed", f"{day(d.disclosed_on)} by {DisclosedVia(d.disclosed_via).label.lower()}"),
            ("Acknowledged", ack),
            ("Logged by", user(d.logged_by)),
        ]
    )


def disclosure_confirmation(d) -> tuple[str, list[Block]]:
    text = f"Disclosure {d.reference} is logged."
    body = [
        section(f":memo: *{d.reference}* is logged: what {escape(d.client_name)} was told is on record."),
        disclosure_fields(d),
    ]
    if d.ack_status == AckStatus.PENDING:
        body.append(
            context(f"I will remind you on {day(d.follow_up_on)} if the client has not acknowledged it by then.")
        )
    return text, body


def disclosure_chase(d, *, stale_costs_on: date | None = None) -> tuple[str, list[Block]]:
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


def disclosure_note(matter_ref: str | None, category: str, on_record: dict[str, date]) -> str:
    """For a triage alert: what the client had been told on the matter, and what is missing."""
    if not matter_ref:
        return "_No matter reference, so disclosures on record cannot be checked._"
    if on_record:
        kinds = ", ".join(
            f"{DisclosureKind(k).label} ({day(v)})" for k, v in sorted(on_record.items(), key=lambda kv: kv[1])
        )
        note = f"*Disclosures on record for {escape(matter_ref)}:* {kinds}"
    else:
        note = f"*No disclosures on record for {escape(matter_ref)}.*"
    relevant = RELEVANT_DISCLOSURES.get(category, frozenset())
    if relevant and not relevant & {DisclosureKind(k) for k in on_record}:
        wanted = " or ".join(k.label.lower() for k in sorted(relevant, key=lambda k: k.label))
        note += f"\n:warning: This is a {Category(category).label.lower()} complaint and there is no {wanted} disclosure on record."
    return note


def disclosure_detail(d, events: Sequence, *, tz: ZoneInfo) -> tuple[str, list[Block]]:
    body: list[Block] = [
        section(f"*{d.reference}*"),
        disclosure_fields(d),
        section(f"*What was disclosed*\n{escape(clip(d.content, 2800))}"),
    ]
    if d.document_url:
        body.append(context(f"<{d.document_url}|The document>"))
    body.append({"type": "divider"})
    body += _timeline_sections([f"• {slack_date(e.at, tz)}: {describe_event(e)}" for e in events])
    return f"Disclosure {d.reference}", body[:50]


def disclosure_list(
    items: Sequence, *, matter_ref: str | None, page: int, pages: int, total: int, only_yours: bool = False
) -> tuple[str, list[Block]]:
    """With `only_yours`, the list is the reader's own disclosures and is worded as such."""
    where = f" on {escape(matter_ref)}" if matter_ref else ""
    if total == 0:
        if only_yours:
            return f"You have logged no disclosures{where}.", [section(f"You have logged no disclosures{where}.")]
        return f"No disclosures{where}.", [section(f"No disclosures{where} are on record.")]
    title = f"Disclosures you logged{where}" if only_yours else f"Disclosures{where}"
    body: list[Block] = [section(f"*{title}* ({total}), page {page} of {pages}")]
    for d in items:
        body.append(
            section(
                f"*{d.reference}* · {escape(d.matter_ref)} · {escape(clip(d.client_name, 60))}\n"
                f"{DisclosureKind(d.kind).label}, {day(d.disclosed_on)} · {AckStatus(d.ack_status).label}"
            )
        )
    if page < pages:
        more = f"{escape(matter_ref)} " if matter_ref else ""
        body.append(context(f"More: `/disclosure list {more}{page + 1}`"))
    return f"{title}, page {page} of {pages}", body


def matter_timeline(record, *, tz: ZoneInfo) -> tuple[str, list[Block]]:
    """A matter's complaints and disclosures on one timeline, oldest first."""
    entries = [
        (
            d.disclosed_on,
            0,
            f"• {day(d.disclosed_on)}: told the client — {DisclosureKind(d.kind).label.lower()} "
            f"(*{d.reference}*, {AckStatus(d.ack_status).label.lower()}): {escape(clip(d.content, 160))}",
        )
        for d in record.disclosures
    ]
    entries += [
        (
            c.received_on,
            1,
            f"• {day(c.received_on)}: :warning: complaint *{c.reference}* "
            f"({Category(c.category).label.lower()}, {Status(c.status).label.lower()}): {escape(clip(c.summary, 160))}",
        )
        for c in record.complaints
    ]
    lines = [line for _, _, line in sorted(entries, key=lambda e: (e[0], e[1]))]
    part = "" if record.complete else ", your part of it"
    body = [
        section(
            f"*Matter {escape(record.matter_ref)}*{part}: {len(record.complaints)} complaint(s), "
            f"{len(record.disclosures)} disclosure(s)"
        )
    ]
    body += _timeline_sections(lines)
    return f"Matter {record.matter_ref}", body[:50]


# --- the weekly digest and App Home ------------------------------------------------------------------


def _section_of(title: str, lines: Sequence[str]) -> Block:
    body = "\n".join(f"• {line}" for line in lines)
    return section(f"*{title}*" + (f"\n{body}" if body else ""))


def _digest_sections(d) -> list[Block]:
    from bot.digest import service as digest

    return [
        _section_of(s.title, s.lines)
        for s in digest.sections(d, user=lambda u: user(u) if u else "unassigned", esc=escape)
    ]


def digest_message(d, *, tz: ZoneInfo) -> tuple[str, list[Block]]:
    """The weekly digest (bot.digest.Digest) for the digest channel."""
    from bot.digest import service as digest

    heading = digest.title(d.week)
    body: list[Block] = [{"type": "header", "text": plain(heading, 150)}]
    body += _digest_sections(d)
    names = "Client names are shown (DIGEST_SHOW_NAMES)." if d.show_names else "Client names are not shown here."
    body.append(
        context(
            f"Weeks run Monday to Sunday, firm time; open and overdue counts are as of "
            f"{slack_date(d.as_of, tz)}. {names}"
        )
    )
    return heading, body


def home_view(*, user_id: str, mine, overdue: int, awaiting, team=None, week=None, tz: ZoneInfo, now: datetime) -> dict:
    """App Home for one person: what they owe, and for the complaints team, the firm's picture.

    `mine` and `awaiting` are (how many, the first few) of their open complaints and of their
    disclosures awaiting acknowledgement; `team` is a bot.home.TeamPicture or None.
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
    total, complaints = mine
    head = f"*Your open complaints:* {total}" + (f" · :warning: {overdue} client update(s) overdue" if overdue else "")
    body.append(section(head))
    for c in complaints:
        body.append(_home_complaint(c, tz=tz, now=now))
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
        from bot.digest import service as digest

        body.append(section(f"*Last week, as in the digest* ({digest.title(week.week)})"))
        body += _digest_sections(week)
    body.append(context(f"Updated {slack_date(now, tz)}."))
    return {"type": "home", "blocks": body[:100]}


def _update_overdue(c, now: datetime) -> bool:
    """Past due and not snoozed: the same rule as the counts in storage.reports.updates_overdue."""
    return (
        c.status == Status.TRIAGED
        and c.next_update_due_at is not None
        and c.next_update_due_at < now
        and not (c.snoozed_until and c.snoozed_until > now)
    )


def _home_complaint(c, *, tz: ZoneInfo, now: datetime) -> Block:
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
    return section(
        f"*{c.reference}* · {escape(clip(c.client_name, 80))} · {Category(c.category).label}\n{due}{final}",
        accessory=button("Log client update", ids.ACTION_LOG_UPDATE, c.reference),
    )
