"""Who may see what, from Slack's side: an outsider, the reporter, the handler and a member of the
complaints team (the triage channel's members in the Slack double: ULEAD and UHANDLER1).

UHANDLER2 handles the complaint but is not in the team; UREPORTER logged it; UOUTSIDER is anyone
else in the workspace.
"""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import func, select

from bot import access
from bot.complaints import service as complaints
from bot.core import blockkit, ids
from bot.core.vocabulary import AckStatus, DisclosedVia, DisclosureKind
from bot.disclosures import service as disclosures
from bot.disclosures.inputs import NewDisclosure
from handlers.modals.client_update import client_update_modal
from handlers.modals.intake import parse_intake
from handlers.modals.resolve import parse_resolution, resolve_modal
from handlers.modals.triage import parse_triage
from storage.models import AccessRefusal, Complaint, Event
from tests.e2e import command_answer, validate_view
from tests.factories import resolution_values, update_values
from tests.fakes import intake_values, triage_values

REF = "CMP-2026-0001"
OTHER_REF = "CMP-2026-0002"
MISSING_REF = "CMP-2026-0099"
NAME = "Jane Client"


def _log(ctx, reporter: str, **overrides) -> Complaint:
    data = parse_intake(intake_values(**overrides), today=ctx.today())
    return complaints.log_complaint(
        session_factory=ctx.session_factory,
        data=data,
        reporter_id=reporter,
        now=ctx.clock.now(),
        settings=ctx.settings,
        policy=ctx.policy,
    ).complaint


def _triage(ctx, reference: str, handler: str) -> None:
    data = parse_triage(triage_values(handler=handler), today=ctx.today())
    complaints.triage_complaint(
        session_factory=ctx.session_factory,
        reference=reference,
        data=data,
        actor="ULEAD",
        now=ctx.clock.now(),
        settings=ctx.settings,
        policy=ctx.policy,
    )


def _disclose(ctx, logged_by: str, matter: str = "M-1001") -> str:
    data = NewDisclosure(
        client_name=NAME,
        matter_ref=matter,
        kind=DisclosureKind.COSTS_ESTIMATE,
        content="Estimate £12,000 plus VAT.",
        disclosed_on=date(2026, 11, 20),
        via=DisclosedVia.EMAIL,
        ack_status=AckStatus.PENDING,
        follow_up_on=date(2026, 11, 27),
    )
    return disclosures.log_disclosure(
        session_factory=ctx.session_factory,
        data=data,
        logged_by=logged_by,
        now=ctx.clock.now(),
        settings=ctx.settings,
        policy=ctx.policy,
    ).disclosure.reference


@pytest.fixture
def world(live):
    """CMP-2026-0001 (reported by UREPORTER, handled by UHANDLER2, matter M-1001), CMP-2026-0002
    (reported by UOTHER, not triaged, same matter), and a disclosure on M-1001 logged by UFEE."""
    bot, slack, ctx = live
    _log(ctx, "UREPORTER")
    _triage(ctx, REF, "UHANDLER2")
    _log(ctx, "UOTHER", client_name="Other Client", summary="Bill twice the estimate.")
    dsc = _disclose(ctx, "UFEE")
    return bot, slack, ctx, dsc


def _refusals(ctx) -> list[tuple[str, str, str]]:
    with ctx.session_factory() as s:
        return [
            (r.user_id, r.action, r.target)
            for r in s.execute(select(AccessRefusal).order_by(AccessRefusal.id)).scalars()
        ]


def _said(answer: dict) -> str:
    return json.dumps(answer.get("blocks"), ensure_ascii=False) + answer.get("text", "")


def _is_refusal(answer: dict) -> bool:
    return access.REFUSAL in _said(answer)


# --- /complaint show --------------------------------------------------------------------------------


def test_an_outsider_learns_nothing_not_even_whether_the_reference_exists(world, slack_double):
    bot, slack, ctx, _ = world
    real = command_answer(slack, slack_double, f"show {REF}", user="UOUTSIDER")
    missing = command_answer(slack, slack_double, f"show {MISSING_REF}", user="UOUTSIDER")
    assert _is_refusal(real)
    # Word for word the same answer whether or not the complaint exists.
    assert (real["text"], real["blocks"]) == (missing["text"], missing["blocks"])
    assert REF not in _said(real) and NAME not in _said(real)
    assert _refusals(ctx) == [("UOUTSIDER", "show", REF), ("UOUTSIDER", "show", MISSING_REF)]


@pytest.mark.parametrize("user", ["UREPORTER", "UHANDLER2", "ULEAD"])
def test_the_reporter_the_handler_and_the_team_see_the_details_and_timeline(world, slack_double, user):
    bot, slack, ctx, _ = world
    answer = command_answer(slack, slack_double, f"show {REF}", user=user)
    said = _said(answer)
    assert not _is_refusal(answer)
    assert REF in said and NAME in said and "Timeline" in said and "triaged by <@ULEAD>" in said
    assert _refusals(ctx) == []


def test_someone_elses_complaint_is_refused_to_a_reporter_and_a_handler_outside_the_team(world, slack_double):
    bot, slack, ctx, _ = world
    for user in ("UREPORTER", "UHANDLER2"):
        answer = command_answer(slack, slack_double, f"show {OTHER_REF}", user=user)
        assert _is_refusal(answer) and "Other Client" not in _said(answer)
    assert [r[0] for r in _refusals(ctx)] == ["UREPORTER", "UHANDLER2"]


def test_the_team_is_told_plainly_when_a_reference_does_not_exist(world, slack_double):
    bot, slack, ctx, _ = world
    answer = command_answer(slack, slack_double, f"show {MISSING_REF}", user="UHANDLER1")
    assert f"There is no complaint {MISSING_REF}" in _said(answer)
    assert _refusals(ctx) == []


# --- /complaint list and matter -------------------------------------------------------------------


def test_list_shows_the_team_everything_and_anyone_else_only_their_own(world, slack_double):
    bot, slack, ctx, _ = world
    team = _said(command_answer(slack, slack_double, "list", user="ULEAD"))
    assert REF in team and OTHER_REF in team
    reporter = _said(command_answer(slack, slack_double, "list", user="UREPORTER"))
    assert REF in reporter and OTHER_REF not in reporter and "Other Client" not in reporter
    handler = _said(command_answer(slack, slack_double, "list", user="UHANDLER2"))
    assert REF in handler and OTHER_REF not in handler
    outsider = _said(command_answer(slack, slack_double, "list", user="UOUTSIDER"))
    assert "CMP-" not in outsider and NAME not in outsider and "Other Client" not in outsider


def test_matter_shows_an_outsider_nothing_and_others_only_their_part(world, slack_double):
    bot, slack, ctx, dsc = world
    real = command_answer(slack, slack_double, "matter M-1001", user="UOUTSIDER")
    missing = command_answer(slack, slack_double, "matter M-9999", user="UOUTSIDER")
    assert _is_refusal(real) and (real["blocks"], real["text"]) == (missing["blocks"], missing["text"])
    reporter = _said(command_answer(slack, slack_double, "matter M-1001", user="UREPORTER"))
    assert REF in reporter and OTHER_REF not in reporter and dsc not in reporter
    fee_earner = _said(command_answer(slack, slack_double, "matter M-1001", user="UFEE"))
    assert dsc in fee_earner and REF not in fee_earner
    team = _said(command_answer(slack, slack_double, "matter M-1001", user="ULEAD"))
    assert REF in team and OTHER_REF in team and dsc in team
    assert [(u, a) for u, a, _ in _refusals(ctx)] == [("UOUTSIDER", "matter"), ("UOUTSIDER", "matter")]


# --- buttons and modals ----------------------------------------------------------------------------


def _click(slack, double, action_id: str, reference: str, user: str) -> dict:
    """Press a button carrying `reference` (as in a DM or the triage alert); returns the modal opened."""
    before = len(double.calls_to("views.open"))
    message = [{"type": "actions", "block_id": "b", "elements": [blockkit.button("Go", action_id, reference)]}]
    r = slack.click(message, action_id, user=user, channel=user)
    assert r.status == 200
    view = double.wait_for("views.open", before + 1)[-1].response["view"]
    validate_view(view)
    return view


@pytest.mark.parametrize(
    "action_id",
    [ids.ACTION_LOG_UPDATE, ids.ACTION_SNOOZE, ids.ACTION_HOLDING_RESPONSE, ids.ACTION_RESOLVE, ids.ACTION_TRIAGE],
)
def test_an_outsider_pressing_a_complaint_button_gets_the_refusal_not_the_modal(world, slack_double, action_id):
    bot, slack, ctx, _ = world
    view = _click(slack, slack_double, action_id, REF, "UOUTSIDER")
    assert access.REFUSAL in json.dumps(view) and NAME not in json.dumps(view)
    assert view.get("submit") is None  # a notice, nothing to submit
    assert len(_refusals(ctx)) == 1


def test_the_handler_may_act_on_the_complaint_but_not_triage_it_and_the_reporter_may_only_read(world, slack_double):
    bot, slack, ctx, _ = world
    assert _click(slack, slack_double, ids.ACTION_LOG_UPDATE, REF, "UHANDLER2")["callback_id"] == ids.VIEW_CLIENT_UPDATE
    assert _click(slack, slack_double, ids.ACTION_RESOLVE, REF, "UHANDLER2")["callback_id"] == ids.VIEW_RESOLVE
    holding = _click(slack, slack_double, ids.ACTION_HOLDING_RESPONSE, REF, "UHANDLER2")
    assert holding["callback_id"] == ids.VIEW_HOLDING_RESPONSE
    assert access.REFUSAL in json.dumps(_click(slack, slack_double, ids.ACTION_HOLDING_RESPONSE, REF, "UREPORTER"))
    assert access.REFUSAL in json.dumps(_click(slack, slack_double, ids.ACTION_TRIAGE, REF, "UHANDLER2"))
    assert access.REFUSAL in json.dumps(_click(slack, slack_double, ids.ACTION_LOG_UPDATE, REF, "UREPORTER"))
    assert _click(slack, slack_double, ids.ACTION_TRIAGE, REF, "UHANDLER1")["callback_id"] == ids.VIEW_TRIAGE


def _complaint(ctx, reference: str) -> Complaint:
    with ctx.session_factory() as s:
        return s.execute(select(Complaint).where(Complaint.reference == reference)).scalar_one()


def _events(ctx) -> int:
    with ctx.session_factory() as s:
        return s.execute(select(func.count()).select_from(Event)).scalar_one()


def test_a_forged_submission_by_someone_not_allowed_changes_nothing(world, slack_double):
    bot, slack, ctx, _ = world
    c = _complaint(ctx, REF)
    events = _events(ctx)
    resolve = resolve_modal(c, today=ctx.today())
    for user in ("UOUTSIDER", "UREPORTER"):
        r = slack.submit({**resolve, "id": "V-forged"}, resolution_values(), user=user)
        answer = r.json()
        assert answer["response_action"] == "errors" and access.REFUSAL in json.dumps(answer)
    update = client_update_modal(c, today=ctx.today())
    answer = slack.submit({**update, "id": "V-forged2"}, update_values(), user="UOUTSIDER").json()
    assert access.REFUSAL in json.dumps(answer)
    after = _complaint(ctx, REF)
    assert after.status == "triaged" and after.client_update_count == 0 and _events(ctx) == events
    assert len(_refusals(ctx)) == 3
    # The handler's own submission goes through.
    r = slack.submit({**resolve, "id": "V-real"}, resolution_values(), user="UHANDLER2")
    assert r.status == 200 and r.json()["response_action"] == "update"
    assert _complaint(ctx, REF).status == "resolved"


def test_reopen_is_for_the_handler_and_the_team(world, slack_double):
    bot, slack, ctx, _ = world
    data = parse_resolution(resolution_values(), today=ctx.today())
    complaints.resolve(
        session_factory=ctx.session_factory,
        reference=REF,
        data=data,
        actor="UHANDLER2",
        now=ctx.clock.now(),
        settings=ctx.settings,
    )
    assert _is_refusal(command_answer(slack, slack_double, f"reopen {REF}", user="UREPORTER"))
    assert _complaint(ctx, REF).status == "resolved"
    assert "open again" in _said(command_answer(slack, slack_double, f"reopen {REF}", user="UHANDLER2"))
    assert _complaint(ctx, REF).status == "triaged"


# --- legal hold ---------------------------------------------------------------------------------


def test_only_the_team_places_and_releases_a_legal_hold(world, slack_double):
    bot, slack, ctx, _ = world
    for user in ("UOUTSIDER", "UHANDLER2", "UREPORTER"):
        assert _is_refusal(command_answer(slack, slack_double, f"hold {REF} Claim threatened", user=user))
    assert _complaint(ctx, REF).legal_hold_at is None
    answer = command_answer(slack, slack_double, f"hold {REF} Claim threatened by the client", user="ULEAD")
    assert "legal hold" in _said(answer) and not _is_refusal(answer)
    held = _complaint(ctx, REF)
    assert held.legal_hold_by == "ULEAD" and held.legal_hold_reason == "Claim threatened by the client"
    shown = _said(command_answer(slack, slack_double, f"show {REF}", user="ULEAD"))
    assert "On legal hold" in shown and "legal hold placed by <@ULEAD>" in shown
    assert _is_refusal(command_answer(slack, slack_double, f"release {REF}", user="UHANDLER2"))
    assert "released" in _said(command_answer(slack, slack_double, f"release {REF}", user="UHANDLER1"))
    assert _complaint(ctx, REF).legal_hold_at is None
    assert [u for u, a, _ in _refusals(ctx)] == ["UOUTSIDER", "UHANDLER2", "UREPORTER", "UHANDLER2"]


def test_a_hold_without_a_reason_is_a_clear_error(world, slack_double):
    bot, slack, ctx, _ = world
    answer = command_answer(slack, slack_double, f"hold {REF}", user="ULEAD")
    assert not _is_refusal(answer) and "Say why the complaint is held" in _said(answer)
    assert _complaint(ctx, REF).legal_hold_at is None


# --- disclosures ------------------------------------------------------------------------------------


def test_a_disclosure_is_open_to_whoever_logged_it_and_the_team_only(world, slack_double):
    bot, slack, ctx, dsc = world
    for user in ("UOUTSIDER", "UREPORTER"):
        before = len(slack_double.calls_to("response_url"))
        slack.command(f"show {dsc}", user=user, command="/disclosure")
        refused = slack_double.wait_for("response_url", before + 1)[-1].params
        assert _is_refusal(refused) and "12,000" not in _said(refused)
    for user in ("UFEE", "ULEAD"):
        before = len(slack_double.calls_to("response_url"))
        slack.command(f"show {dsc}", user=user, command="/disclosure")
        shown = slack_double.wait_for("response_url", before + 1)[-1].params
        assert "12,000" in _said(shown)
    before = len(slack_double.calls_to("response_url"))
    slack.command("list", user="UOUTSIDER", command="/disclosure")
    listed = slack_double.wait_for("response_url", before + 1)[-1].params
    assert dsc not in _said(listed)


def test_an_outsider_cannot_acknowledge_someone_elses_disclosure(world, slack_double):
    bot, slack, ctx, dsc = world
    message = [
        {"type": "actions", "block_id": "b", "elements": [blockkit.button("Ack", ids.ACTION_DISCLOSURE_ACK, dsc)]}
    ]
    before = len(slack_double.calls_to("response_url"))
    slack.click(message, ids.ACTION_DISCLOSURE_ACK, user="UOUTSIDER", channel="UOUTSIDER")
    answer = slack_double.wait_for("response_url", before + 1)[-1].params
    assert _is_refusal(answer)
    with ctx.session_factory() as s:
        d, _ = disclosures.get_disclosure(session=s, reference=dsc)
    assert d.ack_status == AckStatus.PENDING


# --- the team is who is in the triage channel ----------------------------------------------------


def test_with_no_triage_channel_nobody_is_in_the_team(ctx):
    from bot.team import TeamDirectory

    ctx.team = TeamDirectory(lambda channel: ["ULEAD"], None, ctx.clock)
    assert access.viewer(ctx, "ULEAD") == access.Viewer("ULEAD", team=False)
    ctx.team = TeamDirectory(lambda channel: ["ULEAD"], "CTRIAGE01", ctx.clock)
    assert access.viewer(ctx, "ULEAD").team and not access.viewer(ctx, "UOUTSIDER").team


def test_a_process_built_from_settings_knows_the_team_and_the_people(db_url, slack_double):
    """`complaint-bot sweep` from cron builds its context from settings alone: it still asks Slack
    who is in the team (what a DM may say depends on it) and who is a person."""
    from handlers.runtime import build_context
    from tests.conftest import make_settings

    slack_double.users["UGONE0001"] = {"deleted": True}
    ctx = build_context(make_settings(db_url, slack_api_url=slack_double.url))
    try:
        assert ctx.team.is_member("ULEAD") and ctx.team.is_member("UHANDLER1")
        assert not ctx.team.is_member("UOUTSIDER")
        assert access.viewer(ctx, "ULEAD").team and not access.viewer(ctx, "UOUTSIDER").team
        assert ctx.team.is_person("UHANDLER1") and not ctx.team.is_person("UGONE0001")
        assert [c.params["channel"] for c in slack_double.calls_to("conversations.members")] == ["CTRIAGE01"]
    finally:
        ctx.engine.dispose()
