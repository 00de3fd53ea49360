"""App Home from Slack's side (signed events and clicks over HTTP, views.publish to the double), and
the TeamDirectory that decides who sees the firm's counts."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from slack_sdk import WebClient
from sqlalchemy import select

from bot.complaints import service as complaints
from bot.core import ids
from bot.core.clock import FrozenClock
from bot.disclosures import service as disclosures
from bot.team import TTL, TeamDirectory, slack_channel_members
from handlers.modals.disclosure import parse_disclosure
from handlers.modals.intake import parse_intake
from handlers.modals.triage import parse_triage
from storage.models import Disclosure, Event
from tests.conftest import T0
from tests.e2e import find_element, validate_view
from tests.factories import disclosure_values, home_opened, open_home, published
from tests.fakes import intake_values, triage_values


@pytest.fixture(autouse=True)
def every_view_is_valid(slack_double):
    """After each test: every view the bot sent (published, opened), failed or not, is valid Block Kit."""
    yield
    for method in ("views.publish", "views.open", "views.update", "views.push"):
        for call in slack_double.calls_to(method):
            validate_view(call.params["view"])


# --- steps --------------------------------------------------------------------------------------


def text_of(view: dict) -> str:
    return json.dumps(view["blocks"], ensure_ascii=False)


def field(view: dict, label: str) -> str:
    """The value of the firm section's field `label`."""
    for b in view["blocks"]:
        for f in b.get("fields", []):
            head, _, value = f["text"].partition("\n")
            if head == f"*{label}*":
                return value
    raise AssertionError(f"no field {label!r} in the Home")


def date_token(moment) -> str:
    return f"<!date^{int(moment.timestamp())}^"


def log_complaint(ctx, client: str) -> str:
    data = parse_intake(intake_values(client_name=client), today=ctx.today())
    logged = complaints.log_complaint(
        session_factory=ctx.session_factory,
        data=data,
        reporter_id="UREPORTER",
        now=ctx.clock.now(),
        settings=ctx.settings,
        policy=ctx.policy,
    )
    return logged.complaint.reference


def triage(ctx, reference: str, *, handler: str, severity: str) -> None:
    data = parse_triage(triage_values(handler=handler, severity=severity), today=ctx.today())
    complaints.triage_complaint(
        session_factory=ctx.session_factory,
        reference=reference,
        data=data,
        actor="ULEAD",
        now=ctx.clock.now(),
        settings=ctx.settings,
        policy=ctx.policy,
    )


def log_disclosure(ctx, by: str, **overrides) -> str:
    data = parse_disclosure(disclosure_values(**overrides), today=ctx.today())
    logged = disclosures.log_disclosure(
        session_factory=ctx.session_factory,
        data=data,
        logged_by=by,
        now=ctx.clock.now(),
        settings=ctx.settings,
        policy=ctx.policy,
    )
    return logged.disclosure.reference


def seed(ctx) -> dict[str, str]:
    """At T0 (Mon 23 Nov 09:30): A (high, every 5 days) and B (critical, every 2 days) for UHANDLER1,
    C (medium) for UHANDLER2; disclosures by UHANDLER1 (one pending, one acknowledged) and by UFEE
    (pending). A day later E is logged and never triaged. The Home is read at T0 + 3 days."""
    refs = {
        "A": log_complaint(ctx, "Alice Able"),
        "B": log_complaint(ctx, "Bob Baker"),
        "C": log_complaint(ctx, "Cara Cole"),
    }
    triage(ctx, refs["A"], handler="UHANDLER1", severity="high")
    triage(ctx, refs["B"], handler="UHANDLER1", severity="critical")
    triage(ctx, refs["C"], handler="UHANDLER2", severity="medium")
    refs["D1"] = log_disclosure(ctx, "UHANDLER1", client_name="Dora Dean", matter_ref="M-7001")
    refs["D2"] = log_disclosure(ctx, "UHANDLER1", client_name="Dan Dale", ack_status="acknowledged")
    refs["D3"] = log_disclosure(ctx, "UFEE", client_name="Fay Fee")
    ctx.clock.advance(days=1)
    refs["E"] = log_complaint(ctx, "Ed Eve")
    ctx.clock.advance(days=2)
    return refs


# --- 7. App Home end to end -------------------------------------------------------------------------


def test_a_handler_sees_their_complaints_next_due_and_overdue_and_their_disclosures(live, slack_double):
    bot, slack, ctx = live
    refs = seed(ctx)
    view = open_home(bot, slack, slack_double, "UHANDLER1")
    body = text_of(view)
    sections = [b["text"]["text"] for b in view["blocks"] if b["type"] == "section" and "text" in b]

    assert "*Your open complaints:* 2 · :warning: 1 client update(s) overdue" in sections
    b_line = next(s for s in sections if s.startswith(f"*{refs['B']}*"))
    a_line = next(s for s in sections if s.startswith(f"*{refs['A']}*"))
    assert sections.index(b_line) < sections.index(a_line)  # the overdue one first
    assert (
        "Bob Baker" in b_line
        and ":warning: client update *overdue* since " + date_token(T0 + timedelta(days=2)) in b_line
    )
    assert "next client update " + date_token(T0 + timedelta(days=5)) in a_line and "overdue" not in a_line
    assert "final response by 15 Jan 2027" in a_line  # received 20 Nov + 8 weeks
    assert refs["C"] not in body and refs["E"] not in body  # someone else's, and not yet anyone's

    assert "*Your disclosures awaiting the client's acknowledgement:* 1" in sections
    assert refs["D1"] in body and "Dora Dean" in body
    assert refs["D2"] not in body and refs["D3"] not in body  # acknowledged; logged by someone else
    ack = find_element(view["blocks"], ids.ACTION_DISCLOSURE_ACK)
    assert ack["value"] == refs["D1"]
    assert find_element(view["blocks"], ids.ACTION_LOG_UPDATE)["value"] == refs["B"]


def test_the_complaints_team_sees_the_firms_counts_and_nobody_else_does(live, slack_double):
    bot, slack, ctx = live
    refs = seed(ctx)
    lead = open_home(bot, slack, slack_double, "ULEAD")
    assert "The firm, now" in text_of(lead)
    assert field(lead, "Open complaints") == "4"  # A B C E
    assert field(lead, "Awaiting triage") == "1 (1 past the deadline)"  # E, due a day after it was logged
    assert field(lead, "Client updates overdue") == "1"  # B
    assert field(lead, "Final responses due in 7 days") == "0"  # all due 15 Jan 2027
    assert field(lead, "Open by severity") == "Critical 1, High 1, Medium 1"
    assert field(lead, "Disclosures awaiting acknowledgement") == "2"  # D1 D3
    assert "*Your open complaints:* 0" in text_of(lead) and "Nothing assigned to you" in text_of(lead)
    # and last week as the digest tells it: all was logged from 23 Nov on, so W47 (16-22 Nov) had
    # nothing new, while two disclosures await acknowledgement now
    assert "*Last week, as in the digest* (Complaints digest, week 2026-W47" in text_of(lead)
    assert "• New complaints: 0 (0 on last week; 4-week average 0.0)" in text_of(lead)
    assert "• Awaiting the client's acknowledgement: 2" in text_of(lead)

    # a handler outside the triage channel sees their own work, not the firm's
    other = open_home(bot, slack, slack_double, "UHANDLER2")
    assert refs["C"] in text_of(other) and "Cara Cole" in text_of(other)
    assert "The firm, now" not in text_of(other) and "Open complaints" not in text_of(other)
    outsider = open_home(bot, slack, slack_double, "UOUTSIDER")
    assert "The firm, now" not in text_of(outsider) and "Open complaints" not in text_of(outsider)
    assert "as in the digest" not in text_of(outsider) and "as in the digest" not in text_of(other)
    assert "*Your open complaints:* 0" in text_of(outsider)
    for ref in refs.values():
        assert ref not in text_of(outsider)
    assert "The firm, now" in text_of(open_home(bot, slack, slack_double, "UHANDLER1"))  # a member too

    # four Homes within five minutes: Slack was asked who is in the channel once
    assert len(slack_double.calls_to("conversations.members")) == 1
    assert slack_double.calls_to("conversations.members")[0].params["channel"] == "CTRIAGE01"


def test_the_messages_tab_publishes_nothing(live, slack_double):
    bot, slack, ctx = live
    seed(ctx)
    r = home_opened(slack, "ULEAD", tab="messages")
    assert r.status == 200
    bot.wait_idle()
    assert slack_double.calls_to("views.publish") == []
    open_home(bot, slack, slack_double, "ULEAD")  # the same user's Home tab still works
    assert len(slack_double.calls_to("views.publish")) == 1


@pytest.mark.parametrize(
    "action, callback",
    [
        (ids.ACTION_HOME_NEW_COMPLAINT, ids.VIEW_NEW_COMPLAINT),
        (ids.ACTION_HOME_NEW_DISCLOSURE, ids.VIEW_NEW_DISCLOSURE),
    ],
)
def test_home_buttons_open_the_intake_modals(live, slack_double, action, callback):
    bot, slack, ctx = live
    view = open_home(bot, slack, slack_double, "UOUTSIDER")
    before = len(slack_double.calls_to("views.open"))
    assert slack.click(view["blocks"], action, user="UOUTSIDER", view=view).status == 200
    bot.wait_idle()
    [opened] = slack_double.wait_for("views.open", before + 1)[before:]
    modal = opened.response["view"]
    assert modal["callback_id"] == callback
    validate_view(modal)
    assert next(b for b in modal["blocks"] if b.get("block_id") == "client_name")["type"] == "input"


def test_client_acknowledged_on_the_home_records_it_and_republishes_the_home(live, slack_double):
    bot, slack, ctx = live
    refs = seed(ctx)
    view = open_home(bot, slack, slack_double, "UHANDLER1")
    before = len(slack_double.calls_to("views.publish"))
    assert slack.click(view["blocks"], ids.ACTION_DISCLOSURE_ACK, user="UHANDLER1", view=view).status == 200
    bot.wait_idle()

    [again] = published(slack_double, before)
    assert again.params["user_id"] == "UHANDLER1"
    fresh = again.params["view"]
    assert "*Your disclosures awaiting the client's acknowledgement:* 0" in text_of(fresh)
    assert refs["D1"] not in text_of(fresh)
    assert slack_double.calls_to("response_url") == []  # a Home has no message to answer in
    with ctx.session_factory() as s:
        d = s.execute(select(Disclosure).where(Disclosure.reference == refs["D1"])).scalar_one()
        assert d.ack_status == "acknowledged" and d.acknowledged_at == ctx.clock.now() and d.next_reminder_at is None
        [event] = s.execute(select(Event).where(Event.disclosure_id == d.id, Event.kind == "acknowledged")).scalars()
        assert event.actor == "UHANDLER1"


def test_a_client_update_from_the_home_republishes_the_actors_home(live, slack_double):
    bot, slack, ctx = live
    refs = seed(ctx)
    view = open_home(bot, slack, slack_double, "UHANDLER1")
    assert ":warning: 1 client update(s) overdue" in text_of(view)
    opens = len(slack_double.calls_to("views.open"))
    slack.click(view["blocks"], ids.ACTION_LOG_UPDATE, user="UHANDLER1", view=view)  # the first: B, overdue
    modal = slack_double.wait_for("views.open", opens + 1)[-1].response["view"]
    assert modal["callback_id"] == ids.VIEW_CLIENT_UPDATE and json.loads(modal["private_metadata"]) == {
        "reference": refs["B"]
    }
    validate_view(modal)

    before = len(slack_double.calls_to("views.publish"))
    r = slack.submit(
        modal,
        {"update_date": ctx.today().isoformat(), "update_via": "phone", "told": "Completion moved to Friday."},
        user="UHANDLER1",
    )
    assert r.status == 200 and r.body == ""
    bot.wait_idle()
    [again] = published(slack_double, before)
    assert again.params["user_id"] == "UHANDLER1"
    fresh = again.params["view"]
    assert "*Your open complaints:* 2" in text_of(fresh)
    assert "client update(s) overdue" not in text_of(fresh) and "*overdue*" not in text_of(fresh)
    assert field(fresh, "Client updates overdue") == "0"
    assert "next client update " + date_token(ctx.clock.now() + timedelta(days=2)) in text_of(fresh)  # B, every 2 days
    with ctx.session_factory() as s:
        assert s.execute(select(Event.actor).where(Event.kind == "client_update")).scalars().all() == ["UHANDLER1"]


def test_a_home_that_slack_rejects_is_logged_and_the_next_opening_shows_it(live, slack_double):
    bot, slack, ctx = live
    seed(ctx)
    slack_double.fail(status=500, count=1, methods={"views.publish"})
    assert home_opened(slack, "ULEAD").status == 200
    bot.wait_idle()
    assert [c.failed for c in slack_double.calls_to("views.publish")] == [True]
    view = open_home(bot, slack, slack_double, "ULEAD")
    assert field(view, "Open complaints") == "4"


# --- 8. TeamDirectory --------------------------------------------------------------------------------


@pytest.fixture
def directory(slack_double):
    """A TeamDirectory over the Slack double's Web API, on a clock the test moves."""
    clock = FrozenClock(T0)
    client = WebClient(token="xoxb-test-token", base_url=slack_double.url, retry_handlers=[])
    return TeamDirectory(slack_channel_members(client), "CTRIAGE01", clock), clock


def asked(double) -> int:
    return len(double.calls_to("conversations.members"))


def test_team_is_cached_for_five_minutes(directory, slack_double):
    team, clock = directory
    assert timedelta(minutes=5) == TTL
    assert team.members() == {"ULEAD", "UHANDLER1"} and asked(slack_double) == 1
    assert team.is_member("ULEAD") and team.is_member("UHANDLER1")
    assert not team.is_member("UOUTSIDER") and not team.is_member(None) and not team.is_member("")
    slack_double.members["CTRIAGE01"] = ["ULEAD", "UNEWCOMER"]  # someone joined, someone left
    clock.advance(minutes=4, seconds=59)
    assert team.is_member("UHANDLER1") and not team.is_member("UNEWCOMER")
    assert asked(slack_double) == 1
    clock.advance(seconds=1)  # five minutes since Slack was asked
    assert team.is_member("UNEWCOMER") and not team.is_member("UHANDLER1")
    assert asked(slack_double) == 2
    assert team.is_member("ULEAD") and asked(slack_double) == 2
    team.forget()
    assert team.is_member("ULEAD") and asked(slack_double) == 3


def test_team_keeps_the_last_known_members_when_slack_fails(directory, slack_double):
    team, clock = directory
    assert team.is_member("UHANDLER1") and asked(slack_double) == 1
    slack_double.members["CTRIAGE01"] = ["ULEAD"]
    slack_double.fail(status=500, count=1, methods={"conversations.members"})
    clock.advance(minutes=5)
    assert team.members() == {"ULEAD", "UHANDLER1"}  # Slack failed: the last answer stands
    assert [c.failed for c in slack_double.calls_to("conversations.members")] == [False, True]
    clock.advance(minutes=4)
    assert team.is_member("UHANDLER1") and asked(slack_double) == 2  # not asked again straight away
    clock.advance(minutes=1)
    assert not team.is_member("UHANDLER1") and team.is_member("ULEAD")  # Slack answers again
    assert asked(slack_double) == 3


def test_with_no_answer_ever_nobody_is_a_member(directory, slack_double):
    team, clock = directory
    slack_double.fail(status=500, count=1, methods={"conversations.members"})
    assert team.members() == frozenset() and not team.is_member("ULEAD")
    clock.advance(minutes=5)
    assert team.is_member("ULEAD")  # once Slack answers

    gone = TeamDirectory(team._fetch, "CGONE0001", clock)  # a channel the bot cannot read
    assert not gone.is_member("ULEAD") and gone.members() == frozenset()
    assert slack_double.calls_to("conversations.members")[-1].error == "channel_not_found"
    nobody = TeamDirectory(team._fetch, None, clock)  # no triage channel set: nobody, and Slack is not asked
    calls = asked(slack_double)
    assert not nobody.is_member("ULEAD") and asked(slack_double) == calls


def test_the_teams_home_counts_last_weeks_digest_once_in_five_minutes(ctx, monkeypatch):
    from bot.digest import service as digest
    from bot.home import service as home

    counted = []
    real = digest.compute
    monkeypatch.setattr(digest, "compute", lambda *a, **k: counted.append(k["now"]) or real(*a, **k))
    ctx.team = TeamDirectory(lambda channel: ["ULEAD"], "CTRIAGE01", ctx.clock)
    home.home_view(ctx, "ULEAD")
    ctx.clock.advance(minutes=4)
    home.home_view(ctx, "ULEAD")
    assert len(counted) == 1
    ctx.clock.advance(minutes=1)
    home.home_view(ctx, "ULEAD")
    assert counted == [ctx.clock.now() - timedelta(minutes=5), ctx.clock.now()]
    # Nobody outside the team causes a count.
    home.home_view(ctx, "UOUTSIDER")
    assert len(counted) == 2
