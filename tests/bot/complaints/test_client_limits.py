"""The client's own limits: the dates intake asks for, the ombudsman referral date resolving sets,
and how /complaint show and the timeline state them."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime

from bot.complaints import messages as complaint_messages
from bot.complaints import service as complaints
from handlers.modals.resolve import parse_resolution
from tests.e2e import validate_message
from tests.factories import events, log, reopen, resolution_values, resolve, stored

LEO_BASIS = "6 months from the final response, Legal Ombudsman Scheme Rule 4.5; rule 4.7 lets the ombudsman extend them"


def shown(ctx, ref: str, *, referral_basis: str | None = None) -> str:
    _, body = complaint_messages.complaint_detail(
        stored(ctx, ref), events(ctx, ref), tz=ctx.tz, referral_basis=referral_basis
    )
    validate_message(body)
    return str(body)


def test_intake_stores_the_clients_dates_and_writes_them_in_the_logged_event(ctx):
    ref = log(ctx, problem_on="2026-03-03", aware_on="2026-04-10").reference
    c = stored(ctx, ref)
    assert (c.problem_on, c.aware_on) == (date(2026, 3, 3), date(2026, 4, 10))
    [logged] = [e for e in events(ctx, ref) if e.kind == "logged"]
    assert logged.data["problem_on"] == "2026-03-03" and logged.data["aware_on"] == "2026-04-10"
    text = shown(ctx, ref)
    assert "Problem happened 3 Mar 2026 · client aware 10 Apr 2026" in text
    assert "(received 2026-11-20 by email; problem happened 2026-03-03; client aware 2026-04-10)" in text
    assert "Ombudsman referral by" not in text  # not resolved yet


def test_without_the_dates_nothing_is_said_of_them(ctx):
    ref = log(ctx).reference
    c = stored(ctx, ref)
    assert (c.problem_on, c.aware_on, c.ombudsman_referral_by) == (None, None, None)
    [logged] = [e for e in events(ctx, ref) if e.kind == "logged"]
    assert logged.data["problem_on"] is None and logged.data["aware_on"] is None
    text = shown(ctx, ref)
    assert "roblem happened" not in text and "lient aware" not in text
    assert "(received 2026-11-20 by email)" in text


def test_only_the_date_given_is_shown(ctx):
    ref = log(ctx, aware_on="2026-04-10").reference
    text = shown(ctx, ref)
    assert "Client aware 10 Apr 2026" in text and "roblem happened" not in text


def test_resolving_sets_the_referral_date_from_the_rulebook_and_reopening_clears_it(ctx):
    # Legal Ombudsman (the default scheme): final response sent Mon 23 Nov 2026 + 6 months = Sun 23 May 2027.
    ref = log(ctx).reference
    resolve(ctx, ref)
    c = stored(ctx, ref)
    assert c.final_response_sent_on == date(2026, 11, 23) and c.ombudsman_referral_by == date(2027, 5, 23)
    [resolved] = [e for e in events(ctx, ref) if e.kind == "resolved"]
    assert resolved.data["ombudsman_referral_by"] == "2027-05-23"
    text = shown(ctx, ref, referral_basis=ctx.settings.rulebook.referral_basis)
    assert f"Ombudsman referral by 23 May 2027 ({LEO_BASIS})" in text
    assert "final response sent 2026-11-23, ombudsman referral by 2027-05-23" in text

    reopen(ctx, ref)
    assert stored(ctx, ref).ombudsman_referral_by is None
    text = shown(ctx, ref, referral_basis=ctx.settings.rulebook.referral_basis)
    assert "Ombudsman referral by 23 May" not in text
    # The resolution stays on the timeline, with the date it set.
    assert "ombudsman referral by 2027-05-23" in text


def test_a_response_on_a_months_last_days_refers_by_the_last_day_six_months_on(ctx):
    # Sent Mon 31 Aug 2026: 31 Feb 2027 does not exist, so the month's last day, Sun 28 Feb 2027.
    ctx.clock.set(datetime(2026, 9, 1, 9, 0, tzinfo=UTC))
    ref = log(ctx, received_on="2026-08-03").reference
    resolve(ctx, ref, final_response_sent_on="2026-08-31")
    assert stored(ctx, ref).ombudsman_referral_by == date(2027, 2, 28)


def test_with_no_ombudsman_resolving_sets_no_referral_date(ctx):
    none = dataclasses.replace(ctx.settings, complaints_scheme="none")
    assert none.rulebook.referral_basis is None
    ref = log(ctx).reference
    complaints.resolve(
        session_factory=ctx.session_factory,
        reference=ref,
        data=parse_resolution(resolution_values(ombudsman=None), today=ctx.today(), rulebook=none.rulebook),
        actor="UHANDLER1",
        now=ctx.clock.now(),
        settings=none,
    )
    c = stored(ctx, ref)
    assert c.status == "resolved" and c.ombudsman_referral_by is None
    [resolved] = [e for e in events(ctx, ref) if e.kind == "resolved"]
    assert resolved.data["ombudsman_referral_by"] is None
    text = shown(ctx, ref)
    assert "eferral" not in text
