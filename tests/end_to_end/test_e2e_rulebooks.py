"""Each complaints scheme from Slack's side: what the reporter is given to send the client, the
deadline and the rule it comes from, and what resolving asks for."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.core import ids
from storage.models import Complaint, Event
from tests.conftest import serve_live
from tests.e2e import log_one, validate_view

# Received Fri 20 Nov 2026 (the intake values' date). 8 weeks: + 56 days = Fri 15 Jan 2027.
# 15 business days on England & Wales bank holidays (none fall before Christmas): Mon 23 Nov (1) …
# Fri 27 (5), Mon 30 (6) … Fri 4 Dec (10), Mon 7 (11) … Fri 11 Dec 2026 (15).
SCHEMES = {
    "legal-ombudsman": ("15 Jan 2027", "8 weeks, Legal Ombudsman Scheme Rules", "Legal Ombudsman"),
    "financial-ombudsman": ("15 Jan 2027", "8 weeks, DISP 1.6.2R", "Financial Ombudsman Service"),
    "financial-ombudsman-payments": (
        "11 Dec 2026",
        "15 business days, DISP 1.6.2AR, England & Wales bank holidays",
        "Financial Ombudsman Service",
    ),
    "none": ("15 Jan 2027", "8 weeks, the firm's complaints procedure", None),
}
CONTACTS = {
    "Legal Ombudsman": "PO Box 6167, Slough SL1 0EH; telephone 0300 555 0333",
    "Financial Ombudsman Service": "Exchange Tower, London E14 9SR; telephone 0800 023 4567",
}


@pytest.fixture(params=sorted(SCHEMES))
def scheme_live(request, db_url, engine, session_factory, clock, slack_double):
    with serve_live(db_url, engine, session_factory, clock, slack_double, complaints_scheme=request.param) as served:
        yield request.param, served


def stored(ctx) -> Complaint:
    with ctx.session_factory() as s:
        return s.execute(select(Complaint)).scalar_one()


def test_the_acknowledgement_and_the_deadline_follow_the_scheme(scheme_live, slack_double):
    scheme, (bot, slack, ctx) = scheme_live
    due, basis, ombudsman = SCHEMES[scheme]
    _, posts = log_one(slack, slack_double)
    bot.wait_idle()
    confirmation = next(p for p in posts if p.params["channel"] == "UREPORTER")
    blocks = str(confirmation.params["blocks"])
    assert f"The final response is due by {due} ({basis})." in blocks
    assert f"we will send you our final response by {due} at the latest" in blocks
    # Logged Mon 23 Nov 2026: first contact 2 working days on, Wed 25 Nov 2026.
    assert "will contact you by 25 Nov 2026" in blocks
    if ombudsman is None:
        assert "Ombudsman" not in blocks and "ombudsman" not in blocks
        assert "we will explain what further steps are open to you" in blocks
    else:
        assert f"the {ombudsman}" in blocks and CONTACTS[ombudsman] in blocks
        assert "within six months of our final response" in blocks
        other = "Legal Ombudsman" if ombudsman != "Legal Ombudsman" else "Financial Ombudsman"
        assert other not in blocks
    if scheme == "financial-ombudsman-payments":
        assert "within 15 business days of receiving your complaint" in blocks
        assert "no later than 35 business days after we received your complaint" in blocks
    else:
        assert "8 weeks" in blocks and "business days" not in blocks.replace(basis, "")


def open_resolve(slack, slack_double, reference: str = "CMP-2026-0001") -> dict:
    opened = len(slack_double.calls_to("views.open"))
    assert slack.command(f"resolve {reference}", user="ULEAD").status == 200
    view = slack_double.wait_for("views.open", opened + 1)[-1].response["view"]
    assert view["callback_id"] == ids.VIEW_RESOLVE
    validate_view(view)
    return view


def inputs(view: dict) -> dict[str, dict]:
    return {b["block_id"]: b for b in view["blocks"] if b["type"] == "input"}


def letter_shown(view: dict) -> str:
    """The letter's text as the resolver copies it from the view the modal became."""
    parts = [
        b["text"]["text"].removeprefix("```").removesuffix("```")
        for b in view["blocks"]
        if b["type"] == "section" and b["text"]["text"].startswith("```")
    ]
    return "\n\n".join(parts).replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def resolved_event(ctx) -> Event:
    with ctx.session_factory() as s:
        return s.execute(select(Event).where(Event.kind == "resolved")).scalar_one()


def test_what_resolving_asks_for_follows_the_scheme_and_the_letter_it_shows(scheme_live, slack_double):
    scheme, (bot, slack, ctx) = scheme_live
    due, basis, ombudsman = SCHEMES[scheme]
    has_summary = scheme.startswith("financial-ombudsman")
    log_one(slack, slack_double)
    bot.wait_idle()
    view = open_resolve(slack, slack_double)
    assert f"final response due {due} ({basis})" in view["blocks"][0]["text"]["text"]
    asked = inputs(view)
    # The ombudsman's three points where the scheme has an ombudsman; summary resolution under the
    # FCA schemes while it is open (received Fri 20 Nov 2026: until Wed 25 Nov, 17:30; now Mon 23 Nov).
    assert (ids.ResolveField.OMBUDSMAN in asked) is (ombudsman is not None)
    assert (ids.ResolveField.SUMMARY in asked) is has_summary
    if has_summary:
        assert "Open until 17:30 on Wed 25 Nov 2026" in asked[ids.ResolveField.SUMMARY]["hint"]["text"]
    values = {
        "outcome": "partly_upheld",
        "remedy": "Fee reduced by £250 & an apology",
        "final_response_sent_on": ctx.today().isoformat(),
        "root_cause": "delay",
    }
    if ombudsman is None:
        # No ombudsman scheme: nothing to tick, and the complaint resolves without it.
        r = slack.submit(view, values, user="ULEAD")
    else:
        assert ombudsman in asked[ids.ResolveField.OMBUDSMAN]["hint"]["text"]
        errors = slack.submit(view, values, user="ULEAD").json()["errors"]
        assert ombudsman in errors[ids.ResolveField.OMBUDSMAN]
        assert stored(ctx).status == "new"
        r = slack.submit(view, {**values, "ombudsman": "available,contact,six_months"}, user="ULEAD")
    answer = r.json()
    assert answer["response_action"] == "update"
    shown = answer["view"]
    validate_view(shown)
    assert shown["title"]["text"] == "Final response" and "submit" not in shown
    assert "Nothing has been sent to the client" in str(shown["blocks"])
    bot.wait_idle()
    c = stored(ctx)
    assert c.status == "resolved"
    assert c.ombudsman_rights_given is (None if ombudsman is None else True)
    assert c.summary_resolution is (False if has_summary else None)

    letter = letter_shown(shown)
    # Sent Mon 23 Nov 2026: six months on is Sun 23 May 2027.
    assert letter.startswith("23 Nov 2026\n\nDear Jane Client,") and "Example & Co LLP" in letter
    assert "we uphold it in part" in letter and "we offer you the following: Fee reduced by £250 & an apology" in letter
    if ombudsman is None:
        assert "mbudsman" not in letter and "six months" not in letter
        assert "we will explain what further steps may be open to you" in letter
    else:
        assert CONTACTS[ombudsman] in letter
        assert "within six months of the date of this letter, that is by 23 May 2027" in letter
        other = "Legal Ombudsman" if ombudsman != "Legal Ombudsman" else "Financial Ombudsman"
        assert other not in letter
        if has_summary:
            assert "you may now refer your complaint to the Financial Ombudsman Service" in letter
        else:
            assert "the Legal Ombudsman is available to you" in letter
    # The record keeps which template and wording were sent, and the text itself.
    kept = resolved_event(ctx).data["letter"]
    assert kept["template"] == "final-response.txt" and kept["text"] == letter
    assert len(kept["version"]) == 12 and f"version {kept['version']}" in str(shown["blocks"])
