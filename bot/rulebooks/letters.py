"""The letters to the client and what they say of the scheme: the values their templates
(bot/templates/) are filled with."""

from __future__ import annotations

from datetime import date

from bot.core.blockkit import day
from bot.reminders.policy import SlaPolicy
from bot.rulebooks.schemes import Rulebook
from bot.templates import (
    Letter,
    render_final_response,
    render_holding_response,
    render_ombudsman_paragraph,
    render_summary_resolution,
)


def scheme_values(book: Rulebook, policy: SlaPolicy) -> dict[str, str]:
    """The $names a letter may use about the scheme; the limit is the one in force (a firm's clock
    setting overrides the scheme's)."""
    o = book.ombudsman
    values = {
        "final_response_limit": policy.final_response_limit,
        "extended_limit": f"{book.extended_business_days} business days" if book.extended_business_days else "",
        "ombudsman_name": o.name if o else "",
        "ombudsman_contact": o.contact if o else "",
        "ombudsman_website": o.website if o else "",
        "other_limits": o.other_limits if o else "",
    }
    values["ombudsman_paragraph"] = render_ombudsman_paragraph(book.key, **values)
    return values


def resolution_letter(
    book: Rulebook,
    policy: SlaPolicy,
    *,
    summary_resolution: bool,
    final_response_template: str | None,
    summary_resolution_template: str | None,
    client_name: str,
    reference: str,
    received_on: date,
    sent_on: date,
    outcome: str,
    remedy: str | None,
    firm_name: str,
) -> Letter:
    """The letter that closes a complaint: the summary resolution communication, or the final
    response (its outcome in words, its remedy, and what the scheme's ombudsman paragraph for a
    final response says), dated the day it is sent, with the last day to refer to the ombudsman."""
    referral_by = book.referral_by(sent_on)
    values = {
        **scheme_values(book, policy),
        "client_name": client_name,
        "reference": reference,
        "received_on": day(received_on),
        "sent_on": day(sent_on),
        "remedy": remedy or "",
        "referral_by": day(referral_by) if referral_by else "",
        "firm_name": firm_name,
    }
    if summary_resolution:
        # The acknowledgement's ombudsman paragraph speaks of a final response still to come.
        del values["ombudsman_paragraph"]
        return render_summary_resolution(summary_resolution_template, **values)
    return render_final_response(final_response_template, scheme=book.key, outcome=outcome, **values)


def holding_letter(
    book: Rulebook,
    policy: SlaPolicy,
    *,
    template: str | None,
    client_name: str,
    reference: str,
    received_on: date,
    reason: str,
    expected_on: date,
    limit_ends_on: date,
    firm_name: str,
) -> Letter:
    """The holding response: why the firm needs more time, when it expects to send its final
    response, the day the scheme's limit ends, and what the scheme's paragraph says of the
    client's ombudsman rights now."""
    values = {
        **scheme_values(book, policy),
        "client_name": client_name,
        "reference": reference,
        "received_on": day(received_on),
        "reason": reason,
        "expected_by": day(expected_on),
        "limit_ends_on": day(limit_ends_on),
        "firm_name": firm_name,
    }
    return render_holding_response(template, scheme=book.key, **values)
