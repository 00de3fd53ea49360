"""What the letters say of the scheme: the values their templates (bot/templates/) are filled with."""

from __future__ import annotations

from bot.reminders.policy import SlaPolicy
from bot.rulebooks.schemes import Rulebook
from bot.templates import render_ombudsman_paragraph


def scheme_values(book: Rulebook, policy: SlaPolicy) -> dict[str, str]:
    """The $names a letter may use about the scheme; the limit is the one in force (a firm's clock
    setting overrides the scheme's)."""
    o = book.ombudsman
    values = {
        "final_response_limit": policy.final_response_limit,
        "extended_limit": f"{book.extended_business_days} business days" if book.extended_business_days else "",
        "ombudsman_name": o.name if o else "",
        "ombudsman_contact": o.contact if o else "",
        "other_limits": o.other_limits if o else "",
    }
    values["ombudsman_paragraph"] = render_ombudsman_paragraph(book.key, **values)
    return values
