"""Resolving fills the letter for the client and keeps it on the resolved event; under an FCA
scheme a complaint may be resolved by summary resolution until close of business on the third
business day after receipt, and the service checks that again when it stores it."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.complaints import messages
from bot.core.context import make_context
from bot.core.errors import FieldErrors
from bot.core.vocabulary import EventKind
from bot.templates import DEFAULT_FINAL_RESPONSE, DEFAULT_SUMMARY_RESOLUTION
from handlers.modals.resolve import parse_resolution
from tests.conftest import make_settings
from tests.e2e import validate_message
from tests.factories import events, log, reopen, resolution_values, resolve, stored
from tests.fakes import RecordingNotifier, no_team

# The intake values' complaint is received Fri 20 Nov 2026; business days Mon 23 (1), Tue 24 (2),
# Wed 25 Nov 2026 (3): summary resolution is open until 17:30 that day (GMT, so 17:30 UTC).
DAY_THREE_17_29 = datetime(2026, 11, 25, 17, 29, tzinfo=UTC)
DAY_THREE_17_31 = datetime(2026, 11, 25, 17, 31, tzinfo=UTC)


def context_for(scheme, db_url, engine, session_factory, clock, **settings):
    return make_context(
        settings=make_settings(db_url, complaints_scheme=scheme, **settings),
        engine=engine,
        session_factory=session_factory,
        notifier=RecordingNotifier(),
        clock=clock,
        team=no_team(),
    )


@pytest.fixture
def fca(db_url, engine, session_factory, clock):
    return context_for("financial-ombudsman", db_url, engine, session_factory, clock)


def test_a_summary_resolution_on_the_third_business_day_sends_its_own_communication(fca):
    ref = log(fca).reference
    fca.clock.set(DAY_THREE_17_29)
    result = resolve(fca, ref, summary_resolution="summary", ombudsman=None, final_response_sent_on="2026-11-25")
    c = stored(fca, ref)
    assert c.status == "resolved" and c.summary_resolution is True
    # No final response, so no ombudsman points to tick: none recorded either way.
    assert c.ombudsman_rights_given is None
    assert result.letter is not None and result.letter.template == DEFAULT_SUMMARY_RESOLUTION.name
    assert "we now consider your complaint to have been resolved" in result.letter.text
    resolved = events(fca, ref)[-1]
    assert resolved.kind == EventKind.RESOLVED
    assert resolved.data["summary_resolution"] is True
    assert resolved.data["letter"] == result.letter.as_record()
    assert set(resolved.data["letter"]) == {"template", "version", "text"}


def test_after_the_cut_off_a_summary_resolution_is_refused_and_nothing_is_stored(fca):
    ref = log(fca).reference
    before = len(events(fca, ref))
    fca.clock.set(DAY_THREE_17_31)
    with pytest.raises(FieldErrors) as e:
        resolve(fca, ref, summary_resolution="summary", ombudsman=None)
    assert set(e.value.errors) == {"summary_resolution"}
    assert "closed at 17:30 on Wed 25 Nov 2026" in e.value.errors["summary_resolution"]
    assert "send a final response" in e.value.errors["summary_resolution"]
    c = stored(fca, ref)
    assert c.status == "new" and c.summary_resolution is None and len(events(fca, ref)) == before
    # A final response, with the ombudsman's points, still resolves it.
    result = resolve(fca, ref)
    assert stored(fca, ref).summary_resolution is False and stored(fca, ref).ombudsman_rights_given is True
    assert result.letter.template == DEFAULT_FINAL_RESPONSE.name
    assert "you may now refer your complaint to the Financial Ombudsman Service" in result.letter.text


def test_summary_resolution_frees_only_the_ombudsman_points_not_the_rest():
    from bot.rulebooks.schemes import RULEBOOKS

    today = DAY_THREE_17_29.date()
    book = RULEBOOKS["financial-ombudsman"]
    data = parse_resolution(
        resolution_values(summary_resolution="summary", ombudsman=None, final_response_sent_on=today.isoformat()),
        today=today,
        rulebook=book,
    )
    assert data.summary_resolution and data.ombudsman_rights_given is None
    with pytest.raises(FieldErrors) as e:
        parse_resolution(
            resolution_values(ombudsman=None, final_response_sent_on=today.isoformat()), today=today, rulebook=book
        )
    assert set(e.value.errors) == {"ombudsman"}
    # A scheme without summary resolution ignores the field: the points are still needed.
    with pytest.raises(FieldErrors):
        parse_resolution(
            resolution_values(summary_resolution="summary", ombudsman=None, final_response_sent_on=today.isoformat()),
            today=today,
            rulebook=RULEBOOKS["legal-ombudsman"],
        )


@pytest.mark.parametrize(
    "scheme, recorded", [("legal-ombudsman", None), ("none", None), ("financial-ombudsman-payments", False)]
)
def test_a_final_response_records_summary_resolution_only_where_the_scheme_has_it(
    scheme, recorded, db_url, engine, session_factory, clock
):
    ctx = context_for(scheme, db_url, engine, session_factory, clock)
    ref = log(ctx).reference
    result = resolve(ctx, ref, ombudsman=None if scheme == "none" else resolution_values()["ombudsman"])
    assert stored(ctx, ref).summary_resolution is recorded
    assert events(ctx, ref)[-1].data["summary_resolution"] is recorded
    assert events(ctx, ref)[-1].data["letter"]["text"] == result.letter.text
    assert "Dear Jane Client," in result.letter.text and "Example & Co LLP" in result.letter.text


def test_a_stale_summary_field_under_a_scheme_without_it_is_refused(db_url, engine, session_factory, clock):
    """The parser ignores the field there; a caller that asks for it anyway gets the service's refusal."""
    from dataclasses import replace

    from bot.complaints import service as complaints

    ctx = context_for("legal-ombudsman", db_url, engine, session_factory, clock)
    ref = log(ctx).reference
    data = replace(parse_resolution(resolution_values(), today=ctx.today()), summary_resolution=True)
    with pytest.raises(FieldErrors) as e:
        complaints.resolve(
            session_factory=ctx.session_factory,
            reference=ref,
            data=data,
            actor="UHANDLER1",
            now=ctx.clock.now(),
            settings=ctx.settings,
            policy=ctx.policy,
        )
    assert "for FCA complaints schemes" in e.value.errors["summary_resolution"]
    assert stored(ctx, ref).status == "new"


def test_reopening_clears_the_summary_resolution(fca):
    ref = log(fca).reference
    fca.clock.set(DAY_THREE_17_29)
    resolve(fca, ref, summary_resolution="summary", ombudsman=None)
    reopen(fca, ref)
    c = stored(fca, ref)
    assert c.status == "new" and c.summary_resolution is None
    assert events(fca, ref)[-1].data["previous"]["summary_resolution"] is True


def test_the_firms_own_final_response_template_is_used_and_named(db_url, engine, session_factory, clock, tmp_path):
    own = tmp_path / "final.txt"
    own.write_text("Dear $client_name, about $reference: $outcome_statement\n\n$firm_name\n")
    ctx = context_for("legal-ombudsman", db_url, engine, session_factory, clock, final_response_template=str(own))
    ref = log(ctx).reference
    letter = resolve(ctx, ref).letter
    assert letter.template == str(own)
    assert letter.text.startswith(f"Dear Jane Client, about {ref}: Having considered your complaint carefully")
    assert events(ctx, ref)[-1].data["letter"]["template"] == str(own)


def test_the_letter_is_shown_to_copy_and_complaint_show_says_how_it_was_resolved(fca):
    ref = log(fca).reference
    fca.clock.set(DAY_THREE_17_29)
    result = resolve(
        fca,
        ref,
        summary_resolution="summary",
        ombudsman=None,
        remedy="Refund of £80 & an apology",
        final_response_sent_on="2026-11-25",
    )
    title, blocks = messages.resolution_letter(result.complaint, result.letter)
    validate_message(blocks)
    shown = str(blocks)
    assert title == "Summary resolution"
    assert "Nothing has been sent to the client" in shown
    assert "Refund of £80 &amp; an apology" in shown  # escaped for Slack, shown as typed
    assert f"version {result.letter.version}" in shown
    c = stored(fca, ref)
    _, detail = messages.complaint_detail(c, events(fca, ref), tz=fca.tz)
    validate_message(detail)
    text = str(detail)
    assert "Resolved by summary resolution" in text and "communication sent on 25 Nov 2026" in text
    assert "summary resolution communication sent 2026-11-25" in text
    assert f"version {result.letter.version}" in text


def test_a_long_letter_is_shown_whole_across_sections(db_url, engine, session_factory, clock):
    ctx = context_for("legal-ombudsman", db_url, engine, session_factory, clock)
    ref = log(ctx).reference
    remedy = "A refund & a credit. " * 140  # 2,940 characters, more once escaped
    result = resolve(ctx, ref, remedy=remedy)
    _, blocks = messages.resolution_letter(result.complaint, result.letter)
    validate_message(blocks)
    letter_sections = [
        b["text"]["text"] for b in blocks if b["type"] == "section" and b["text"]["text"].startswith("```")
    ]
    assert len(letter_sections) >= 2 and all(len(t) <= 3000 for t in letter_sections)
    shown = "".join(t.strip("`") for t in letter_sections).replace("&amp;", "&")
    assert "".join(shown.split()) == "".join(result.letter.text.split())
