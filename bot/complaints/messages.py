"""What the complaints service says in Slack: the reporter's confirmation, the triage alert, the
handler's assignment, the open list, a complaint with its timeline, and /complaint's help.
Plain data in, Block Kit out; never a Slack client."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from bot.complaints.details import describe_details_changed, resolved_extras
from bot.core import ids
from bot.core.blockkit import (
    SECTION_TEXT_MAX,
    Block,
    button,
    clip,
    context,
    day,
    deadline,
    escape,
    escape_verbatim,
    fields,
    section,
    slack_date,
    timeline_sections,
    user,
)
from bot.core.money import Currency
from bot.core.vocabulary import (
    AcknowledgedVia,
    AckStatus,
    Category,
    DisclosureKind,
    OmbudsmanDecision,
    Outcome,
    ReceivedVia,
    Severity,
    Status,
    WrittenVia,
)
from bot.templates import Letter
from storage.models import Complaint, Disclosure, Event


def complaint_fields(c: Complaint, tz: ZoneInfo) -> Block:
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


def summary_section(c: Complaint) -> Block:
    return section(f"*Summary*\n{escape(clip(c.summary, 2800))}")


def reporter_confirmation(
    c: Complaint,
    *,
    tz: ZoneInfo,
    acknowledgement: str,
    deadline_basis: str | None = None,
    triage_basis: str | None = None,
) -> tuple[str, list[Block]]:
    """`deadline_basis` names where the final-response date comes from (e.g. "8 weeks, DISP 1.6.2R");
    `triage_basis` how the triage deadline is counted when not in clock hours (SlaPolicy.triage_basis)."""
    triage_by = deadline(c.triage_due_at, triage_basis, tz=tz)
    text = f"Complaint {c.reference} is logged. Triage is due by {triage_by}."
    final = ""
    if c.final_response_due_on:
        final = f"• The final response is due by {deadline(c.final_response_due_on, deadline_basis)}.\n"
    blocks = [
        section(f":white_check_mark: *{c.reference}* is logged for {escape(c.client_name)}."),
        section(
            "*What happens next*\n"
            f"• The complaints team assesses it by {triage_by} and names a handler.\n"
            "• The handler keeps the client updated until it is resolved.\n"
            f"{final}"
            "• Send the client the acknowledgement below today, keep a copy on the matter file, and "
            "press *Acknowledgement sent* once it has gone."
        ),
        section(f"*Acknowledgement for the client*\n```{escape_verbatim(clip(acknowledgement, 2800))}```"),
    ]
    if c.acknowledged_at is None:
        blocks.append(acknowledgement_actions(c.reference))
    else:
        blocks.append(context(acknowledgement_line(c, tz)))
    return text, blocks


def acknowledgement_actions(reference: str) -> Block:
    """The button that records the acknowledgement as sent, on the reporter's confirmation and its reminders."""
    return {
        "type": "actions",
        "elements": [button("Acknowledgement sent", ids.ACTION_ACKNOWLEDGEMENT_SENT, reference, "primary")],
    }


def acknowledgement_line(c: Complaint, tz: ZoneInfo) -> str:
    if c.acknowledged_at is None:
        return "Acknowledgement: not recorded as sent."
    via = AcknowledgedVia.parse(c.acknowledged_via)
    how = f" {via.phrase}" if via else ""
    by = f", recorded by {user(c.acknowledged_by)}" if c.acknowledged_by else ""
    return f":envelope_with_arrow: Acknowledgement sent{how} on {day(c.acknowledged_at.astimezone(tz).date())}{by}."


def triage_alert(
    c: Complaint, *, tz: ZoneInfo, disclosure_note: str | None = None, triage_basis: str | None = None
) -> tuple[str, list[Block]]:
    """`triage_basis`: how the triage deadline is counted when not in clock hours (SlaPolicy.triage_basis)."""
    if c.status == Status.NEW:
        headline = (
            f":rotating_light: New complaint *{c.reference}*, triage due by "
            f"{deadline(c.triage_due_at, triage_basis, tz=tz)}"
        )
    elif c.status == Status.RESOLVED:
        assert c.outcome is not None  # a resolved complaint has its outcome
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
        blocks.append(triage_actions(c.reference, label))
    text = f"Complaint {c.reference} ({Category(c.category).label}): {Status(c.status).label.lower()}"
    return text, blocks


def triage_basis_note(triage_basis: str) -> str:
    """Beside a list of triage deadlines, the count they follow (each line would repeat it)."""
    return f"Triage deadlines are counted in {triage_basis}."


def triage_actions(reference: str, label: str = "Triage") -> Block:
    """The button that opens the triage modal, on the triage alert and on the triage reminders."""
    return {"type": "actions", "elements": [button(label, ids.ACTION_TRIAGE, reference, "primary")]}


def holding_button(reference: str) -> dict[str, Any]:
    """The button that opens the holding-response modal: on the final-response warnings and the
    complaint's details while it is open."""
    return button("Holding response", ids.ACTION_HOLDING_RESPONSE, reference)


def details_button(reference: str) -> dict[str, Any]:
    """The button that opens the Client details modal (product, vulnerability, adjustments)."""
    return button("Client details", ids.ACTION_CLIENT_DETAILS, reference)


def handler_assigned(c: Complaint, *, tz: ZoneInfo) -> tuple[str, list[Block]]:
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


def complaint_list(
    items: Sequence[Complaint],
    *,
    viewer: str,
    page: int,
    pages: int,
    total: int,
    tz: ZoneInfo,
    only_yours: bool = False,
    triage_basis: str | None = None,
) -> tuple[str, list[Block]]:
    """With `only_yours`, the list is the complaints the reader reported or handles, worded as such.
    `triage_basis`: how triage deadlines are counted when not in clock hours (SlaPolicy.triage_basis)."""
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
    if triage_basis and any(c.status == Status.NEW for c in items):
        blocks.append(context(triage_basis_note(triage_basis)))
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
    "first-contact-due": "reminder sent: first contact with the client due",
    "acknowledgement-due": "reminder sent: acknowledgement not recorded as sent",
    "acknowledgement-overdue": "escalated: acknowledgement still not recorded as sent",
    "logged-update": "confirmation updated",
    "holding-response": "holding response text sent to whoever recorded it",
    "disclosure-logged": "confirmation sent",
    "disclosure-chase": "reminder sent: acknowledgement not yet received",
}


def describe_event(e: Event) -> str:
    d = e.data or {}
    if e.kind == "logged":
        dates = "".join(
            f"; {words} {d[key]}"
            for key, words in (("problem_on", "problem happened"), ("aware_on", "client aware"))
            if d.get(key)
        )
        return (
            f"logged by {user(e.actor)} (received {d.get('received_on', '?')} by {d.get('received_via', '?')}{dates})"
        )
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
        sent = "summary resolution communication" if d.get("summary_resolution") else "final response"
        letter = d.get("letter") or {}
        version = (
            f" (letter {escape(str(letter.get('template')))}, version {escape(str(letter.get('version')))})"
            if letter
            else ""
        )
        referral = f", ombudsman referral by {d['ombudsman_referral_by']}" if d.get("ombudsman_referral_by") else ""
        return f"resolved by {user(e.actor)}: {outcome.label.lower() if outcome else d.get('outcome')}, {sent} sent {d.get('final_response_sent_on')}{referral}{resolved_extras(d)}{version}"
    if e.kind == "details_changed":
        return describe_details_changed(d, user(e.actor))
    if e.kind == "reopened":
        return f"reopened by {user(e.actor)}"
    if e.kind == "holding_response":
        via = WrittenVia.parse(d.get("via"))
        moved = (
            f"; deadline moved from {d.get('previous_due_on')} to {d.get('due_on')}"
            if d.get("due_on") != d.get("previous_due_on")
            else ""
        )
        return (
            f"holding response recorded by {user(e.actor)}: sent {d.get('sent_on')} by "
            f"{via.label.lower() if via else d.get('via')}, final response expected {d.get('expected_on')}{moved} "
            f"(template {escape(str(d.get('template')))}, version {escape(str(d.get('version')))})"
        )
    if e.kind in ("referred", "ombudsman_decided"):
        return describe_ombudsman_event(e)
    if e.kind == "disclosed":
        kind = DisclosureKind.parse(d.get("kind"))
        return f"logged by {user(e.actor)}: {kind.label.lower() if kind else d.get('kind')} disclosed on {d.get('disclosed_on')} by {d.get('via')}"
    if e.kind == "acknowledgement_sent":
        sent_via = AcknowledgedVia.parse(d.get("via"))
        return (
            f"acknowledgement sent to the client on {d.get('sent_on')}"
            f"{' ' + sent_via.phrase if sent_via else ''}, recorded by {user(e.actor)}"
        )
    if e.kind == "acknowledged":
        return f"client's acknowledgement recorded by {user(e.actor)}"
    if e.kind == "chased":
        return f"chase postponed by {user(e.actor)} to {d.get('follow_up_on')}"
    if e.kind in ("notification_sent", "escalated"):
        return SENT_LABELS.get(d.get("kind", ""), f"message sent ({d.get('kind')})")
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


def client_limits(c: Complaint, referral_basis: str | None = None) -> str | None:
    """The client's own dates and the last day to refer to the ombudsman, those that are set."""
    dates = [
        f"{words} {day(value)}"
        for words, value in (("problem happened", c.problem_on), ("client aware", c.aware_on))
        if value is not None
    ]
    lines = []
    if dates:
        first = " · ".join(dates)
        lines.append(first[0].upper() + first[1:])
    if c.ombudsman_referral_by is not None:
        lines.append(f"Ombudsman referral by {deadline(c.ombudsman_referral_by, referral_basis)}")
    return "\n".join(lines) or None


def complaint_detail(
    c: Complaint,
    events: Sequence[Event],
    *,
    tz: ZoneInfo,
    disclosures: Sequence[Disclosure] = (),
    every_disclosure: bool = True,
    referral_basis: str | None = None,
    may_act: bool = False,
    details: Block | None = None,
    ombudsman: str | None = None,
) -> tuple[str, list[Block]]:
    """`disclosures` are those on the matter the reader may see; with `every_disclosure` False they
    are only the reader's own, and the section says so in the same words whatever else exists.
    `referral_basis` names how the ombudsman referral date is counted (the rulebook's). With
    `may_act` (the reader may act on it) an open complaint offers its holding-response button, and
    any complaint its Client details button. `details`: the product, the client's circumstances,
    the redress and the root cause (bot/complaints/details.details_section). Under a scheme with
    an `ombudsman` (its name) a resolved one offers its referral, a referred one its decision."""
    blocks: list[Block] = [
        section(f"*{c.reference}* · {Status(c.status).label}"),
        complaint_fields(c, tz),
        summary_section(c),
    ]
    if details is not None:
        blocks.append(details)
    limits = client_limits(c, referral_basis)
    if limits:
        blocks.append(section(limits))
    if c.client_request:
        blocks.append(section(f"*The client asks for*\n{escape(clip(c.client_request, 2800))}"))
    if c.source_message_url:
        blocks.append(context(f"Logged from <{c.source_message_url}|a message>"))
    blocks.append(context(acknowledgement_line(c, tz)))
    if c.legal_hold_at:
        blocks.append(
            context(
                f":lock: On legal hold since {slack_date(c.legal_hold_at, tz)} ({user(c.legal_hold_by)}): "
                f"{escape(clip(c.legal_hold_reason or '', 300))}"
            )
        )
    if c.purged_at:
        blocks.append(context(f"Personal details removed after the retention period on {slack_date(c.purged_at, tz)}."))
    if c.summary_resolution:
        sent = f", communication sent on {day(c.final_response_sent_on)}" if c.final_response_sent_on else ""
        blocks.append(section(f":page_facing_up: *Resolved by summary resolution* (FCA DISP 1.5){sent}."))
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
    if may_act:
        buttons = [holding_button(c.reference)] if c.status != Status.RESOLVED else []
        blocks.append({"type": "actions", "elements": [*buttons, details_button(c.reference)]})
    blocks += referral_blocks(c, ombudsman=ombudsman, may_act=may_act)
    blocks.append({"type": "divider"})
    lines = [f"• {slack_date(e.at, tz)}: {describe_event(e)}" for e in events]
    blocks += timeline_sections(lines)
    return f"Complaint {c.reference}", blocks[:50]


def _award(minor: int | None, code: str | None) -> str:
    if minor is None:
        return "no award"
    try:
        return f"award {Currency.of(code or '').format(minor)}"
    except ValueError:  # a record without its currency (or with one the bot does not know)
        return f"award {minor:,} in minor units of {escape(code or 'an unrecorded currency')}"


def referral_blocks(c: Complaint, *, ombudsman: str | None, may_act: bool) -> list[Block]:
    """The referral to the ombudsman and its decision as recorded, and (to whoever may act, under a
    scheme with an `ombudsman`) the buttons that record or change them."""
    blocks: list[Block] = []
    if c.referred_on is not None:
        ref = f" (the ombudsman's reference {escape(c.ombudsman_reference)})" if c.ombudsman_reference else ""
        lines = [f":scales: *Referred to the ombudsman* on {day(c.referred_on)}{ref}."]
        if c.ombudsman_decision is not None and c.ombudsman_decided_on is not None:
            decision = OmbudsmanDecision.parse(c.ombudsman_decision)
            label = decision.label.lower() if decision else escape(c.ombudsman_decision)
            lines.append(
                f"*Ombudsman's decision:* {label} on {day(c.ombudsman_decided_on)}, "
                f"{_award(c.ombudsman_award, c.redress_currency)}."
            )
        blocks.append(section("\n".join(lines)))
    buttons = []
    if may_act and ombudsman is not None:
        if c.status == Status.RESOLVED:
            buttons.append(button("Referred to the ombudsman", ids.ACTION_REFERRAL, c.reference))
        if c.referred_on is not None:
            buttons.append(button("Ombudsman decision", ids.ACTION_OMBUDSMAN_DECISION, c.reference))
    if buttons:
        blocks.append({"type": "actions", "elements": buttons})
    return blocks


def describe_ombudsman_event(e: Event) -> str:
    """A referral or an ombudsman's decision on the timeline, and what it replaced if a change."""
    d = e.data or {}
    before = d.get("previous")
    changed = "changed" if before else "recorded"
    if e.kind == "referred":
        ref = (
            f", the ombudsman's reference {escape(str(d['ombudsman_reference']))}"
            if d.get("ombudsman_reference")
            else ""
        )
        was = (
            f" (was {before.get('referred_on')}{', ' + escape(str(before['ombudsman_reference'])) if before.get('ombudsman_reference') else ''})"
            if before
            else ""
        )
        return f"referral to the ombudsman {changed} by {user(e.actor)}: referred on {d.get('referred_on')}{ref}{was}"
    decision = OmbudsmanDecision.parse(d.get("decision"))
    label = decision.label.lower() if decision else d.get("decision")
    was = f" (was {before.get('decision')} on {before.get('decided_on')})" if before else ""
    return (
        f"ombudsman's decision {changed} by {user(e.actor)}: {label} on {d.get('decided_on')}, "
        f"{_award(d.get('award'), d.get('currency'))}{was}"
    )


# A code block's fences and some room: what is left of a section for the letter's text.
LETTER_CHUNK = SECTION_TEXT_MAX - 100


def resolution_letter(c: Complaint, letter: Letter) -> tuple[str, list[Block]]:
    """The letter a resolution filled, for the resolver to copy and send: the bot sends nothing to
    the client. In code blocks, so it is copied as written, a section per 2,900 characters."""
    what = "summary resolution communication" if c.summary_resolution else "final response"
    assert c.outcome is not None  # a resolved complaint has its outcome
    blocks: list[Block] = [
        section(f":white_check_mark: *{c.reference}* is resolved: {Outcome(c.outcome).label.lower()}."),
        section(
            f"*The {what} for {escape(c.client_name)}*\n"
            "Nothing has been sent to the client. Copy the letter below onto the firm's letterhead, check it, "
            "sign it and send it, and keep a copy on the matter file."
        ),
        *[section(f"```{chunk}```") for chunk in _letter_chunks(letter.text)],
        context(
            f"From the template {escape(letter.template)}, version {letter.version}; "
            "the letter is kept on the complaint's timeline."
        ),
    ]
    # The modal's title (24 characters at most) and the text a notification would fall back to.
    return ("Summary resolution" if c.summary_resolution else "Final response"), blocks


def _letter_chunks(text: str) -> list[str]:
    """`text` escaped for a code block, in pieces that fit a section: cut between paragraphs, or
    within a paragraph too long for one, between words (or within a word longer than a section)."""
    pieces: list[str] = []
    for paragraph in text.split("\n\n"):
        piece = ""
        for word in _short_words(paragraph):
            joined = f"{piece} {word}" if piece else word
            if piece and len(escape_verbatim(joined)) > LETTER_CHUNK:
                pieces.append(escape_verbatim(piece))
                joined = word
            piece = joined
        pieces.append(escape_verbatim(piece))
    chunks = [pieces[0]]
    for piece in pieces[1:]:
        joined = f"{chunks[-1]}\n\n{piece}"
        if len(joined) <= LETTER_CHUNK:
            chunks[-1] = joined
        else:
            chunks.append(piece)
    return chunks


def _short_words(paragraph: str) -> list[str]:
    """The paragraph's words (split on spaces, so its line breaks stay), a word that could not fit a
    section even escaped (each character at most 5) cut in slices that do."""
    most = LETTER_CHUNK // 5
    return [word[i : i + most] for word in paragraph.split(" ") for i in range(0, max(len(word), 1), most)]


def holding_response_recorded(
    c: Complaint,
    *,
    letter: str,
    sent_on: date | None,
    via: WrittenVia | None,
    previous_due_on: date | None,
    due_on: date | None,
    deadline_basis: str,
    can_extend: bool,
    rule: str,
) -> tuple[str, list[Block]]:
    """The holding response as recorded, for whoever recorded it: when and how it went, what became
    of the deadline, and the letter's text to send and keep (the bot sends nothing to the client).
    `can_extend`: the scheme lets a holding reply move the deadline (payment services, `rule`)."""
    how = f" by {via.label.lower()}" if via else ""
    sent = day(sent_on) if sent_on else "—"
    headline = (
        f":envelope_with_arrow: *{c.reference}*: holding response to {escape(clip(c.client_name, 80))} "
        f"recorded as sent on {sent}{how}."
    )
    if due_on != previous_due_on:
        fate = (
            f"The final-response deadline moves from {day(previous_due_on) if previous_due_on else '—'} "
            f"to *{deadline(due_on, deadline_basis)}*."
        )
    elif can_extend and previous_due_on is not None and sent_on is not None and sent_on > previous_due_on:
        fate = (
            f"The final-response deadline stays *{deadline(due_on, deadline_basis)}*: a holding reply sent "
            f"after it cannot extend it ({rule})."
        )
    elif can_extend:
        fate = f"The final-response deadline stays *{deadline(due_on, deadline_basis)}*."
    else:
        fate = (
            f"The final-response deadline stays *{deadline(due_on, deadline_basis)}*: under this scheme a "
            "holding response does not move it."
        )
    blocks: list[Block] = [
        section(headline),
        section(fate),
        section(
            "I have not sent anything to the client. If the letter has not gone yet, send the text below "
            "today, and keep a copy on the matter file."
        ),
        *(section(f"```{chunk}```") for chunk in _letter_chunks(letter)[:10]),
    ]
    return f"Holding response on {c.reference} recorded.", blocks


HELP_TEXT = (
    "*Complaints*\n"
    "• `/complaint new`: log a client complaint (or use *Log as complaint* on any message)\n"
    "• `/complaint acknowledged CMP-2026-0001 [email|letter|phone|in-person]`: record that the "
    "acknowledgement was sent to the client\n"
    "• `/complaint list [page]`: open complaints, yours first\n"
    "• `/complaint show CMP-2026-0001`: details and timeline\n"
    "• `/complaint holding CMP-2026-0001`: record a holding response (more time needed) and get its letter\n"
    "• `/complaint resolve CMP-2026-0001`: record the final response and outcome\n"
    "• `/complaint details CMP-2026-0001`: the client's details: product, vulnerable circumstances, adjustments\n"
    "• `/complaint reopen CMP-2026-0001`: reopen a resolved complaint; its clocks restart\n"
    "• `/complaint referred CMP-2026-0001 [2027-02-01]`: record that the client referred a resolved complaint "
    "to the ombudsman (today unless dated)\n"
    "• `/complaint ombudsman-decision CMP-2026-0001`: record the ombudsman's decision and any award\n"
    "• `/complaint matter M-1001`: a matter's complaints and disclosures on one timeline\n"
    "• `/complaint hold CMP-2026-0001 reason`: legal hold, kept out of the retention purge (complaints team)\n"
    "• `/complaint release CMP-2026-0001`: end a legal hold (complaints team)\n"
    "• `/complaint export [from] [to]`: the register as CSV in your DM, all or received in a range (complaints team)\n"
    "• `/complaint report fca-return 2026H1` or `/complaint report summary 2026-01-01 2026-03-31`: a return, "
    "its CSV to your DM (complaints team)\n"
    "• `/complaint help`: this message\n"
    "_Details are open to the complaints team and to each complaint's handler and reporter._"
)


def help_message(prefix: str | None = None) -> tuple[str, list[Block]]:
    blocks = []
    if prefix:
        blocks.append(section(prefix))
    blocks.append(section(HELP_TEXT))
    return (prefix or "How to use /complaint"), blocks
