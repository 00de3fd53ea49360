"""Matters from Slack's side: /matter new → show, list (mine first), close, an outsider refused
everywhere with nothing written, and every view and message valid Block Kit."""

from __future__ import annotations

from sqlalchemy import func, select

from storage.models import AccessRefusal, Event, Matter
from tests.e2e import LAWYER, LEAD, OUTSIDER, PARTNER, log_one, matter_values, open_matter, open_matter_modal
from tests.e2e import matter_answer as answer


def test_open_a_matter_then_show_it(live, slack_double):
    bot, slack, ctx = live
    confirmation = open_matter(bot, slack, slack_double)
    assert "M-1001" in confirmation["text"] and "is open" in confirmation["text"]
    with ctx.session_factory() as s:
        m = s.execute(select(Matter)).scalar_one()
        kinds = s.execute(select(Event.kind).where(Event.matter_id == m.id)).scalars().all()
    assert (m.responsible_id, m.supervisor_id, m.area, m.update_cadence_days, m.set_up, m.status) == (
        LAWYER,
        PARTNER,
        "conveyancing",
        14,
        True,
        "open",
    )
    assert kinds == ["matter_opened"]
    for viewer in (LAWYER, PARTNER, LEAD):
        shown = answer(slack, slack_double, "show M-1001", user=viewer)
        assert "Jane Client" in shown and "Conveyancing" in shown and "exchange of contracts" in shown
        assert "matter opened by" in shown and "Timeline" in shown


def test_bad_matter_input_stays_in_the_modal(live, slack_double):
    bot, slack, ctx = live
    view = open_matter_modal(slack, slack_double)
    values = matter_values(client_name="", opened_on="2027-01-01", update_cadence_days="0", next_key_date=None)
    r = slack.submit(view, values, user=LAWYER)
    assert set(r.json()["errors"]) == {"client_name", "opened_on", "update_cadence_days", "next_key_date"}
    with ctx.session_factory() as s:
        assert s.execute(select(Matter)).first() is None


def test_a_matter_already_open_is_not_opened_twice(live, slack_double):
    bot, slack, ctx = live
    open_matter(bot, slack, slack_double)
    view = open_matter_modal(slack, slack_double, PARTNER)
    r = slack.submit(view, matter_values(client_name="Someone Else"), user=PARTNER)
    assert "already open" in r.json()["errors"]["matter_ref"]
    with ctx.session_factory() as s:
        assert s.execute(select(Matter.client_name)).scalar_one() == "Jane Client"


def test_list_shows_mine_first_and_the_team_every_open_matter(live, slack_double):
    bot, slack, ctx = live
    open_matter(bot, slack, slack_double, matter_ref="M-0001", responsible_id="UOTHER", supervisor_id=None)
    open_matter(bot, slack, slack_double, matter_ref="M-0002", supervisor_id=LEAD)
    open_matter(bot, slack, slack_double, matter_ref="M-0003", supervisor_id=None)

    mine = answer(slack, slack_double, "list", user=LAWYER)
    assert "M-0002" in mine and "M-0003" in mine and "M-0001" not in mine and "Your open matters" in mine
    supervised = answer(slack, slack_double, "list", user=PARTNER)
    assert "M-0002" not in supervised and "M-0003" not in supervised and "neither responsible" in supervised
    team = answer(slack, slack_double, "list", user=LEAD)
    # The lead supervises M-0002: it comes first, then every other open matter by reference.
    assert team.index("M-0002") < team.index("M-0001") < team.index("M-0003") and "you supervise" in team


def test_close_a_matter(live, slack_double):
    bot, slack, ctx = live
    open_matter(bot, slack, slack_double)
    assert "Matter M-1001 is closed" in answer(slack, slack_double, "close M-1001", user=PARTNER)
    assert "already closed" in answer(slack, slack_double, "close M-1001")
    assert "M-1001" not in answer(slack, slack_double, "list")
    with ctx.session_factory() as s:
        m = s.execute(select(Matter)).scalar_one()
        kinds = s.execute(select(Event.kind).where(Event.matter_id == m.id).order_by(Event.id)).scalars().all()
    assert (m.status, m.closed_by, m.closed_at) == ("closed", PARTNER, ctx.clock.now())
    assert kinds == ["matter_opened", "matter_closed"]
    assert "matter closed by" in answer(slack, slack_double, "show M-1001", user=LEAD)


def test_an_outsider_is_refused_everywhere_and_nothing_is_written(live, slack_double):
    bot, slack, ctx = live
    open_matter(bot, slack, slack_double)
    with ctx.session_factory() as s:
        events_before = s.execute(select(func.count()).select_from(Event)).scalar_one()
    refusals = [
        answer(slack, slack_double, "show M-1001", user=OUTSIDER),
        answer(slack, slack_double, "close M-1001", user=OUTSIDER),
        # a reference not in use is refused in the same words: a refusal says nothing
        answer(slack, slack_double, "show M-9999", user=OUTSIDER),
    ]
    assert all("can't share that" in r for r in refusals)
    assert "Jane Client" not in str(refusals)
    assert "M-1001" not in answer(slack, slack_double, "list", user=OUTSIDER)
    # Opening a matter already set up, in someone else's name: the refusal, not "already open".
    view = open_matter_modal(slack, slack_double, OUTSIDER)
    r = slack.submit(view, matter_values(responsible_id=OUTSIDER), user=OUTSIDER)
    assert "can't share that" in r.json()["errors"]["matter_ref"]
    with ctx.session_factory() as s:
        m = s.execute(select(Matter)).scalar_one()
        assert (m.status, m.responsible_id, m.client_name) == ("open", LAWYER, "Jane Client")
        assert s.execute(select(func.count()).select_from(Event)).scalar_one() == events_before
        logged = s.execute(select(AccessRefusal.action, AccessRefusal.target).order_by(AccessRefusal.id)).all()
    assert logged == [
        ("matter show", "M-1001"),
        ("matter close", "M-1001"),
        ("matter show", "M-9999"),
        ("matter new", "M-1001"),
    ]
    assert "There is no matter M-9999" in answer(slack, slack_double, "show M-9999", user=LEAD)


def test_help_and_unknown(live, slack_double):
    bot, slack, ctx = live
    assert "/matter new" in answer(slack, slack_double, "")
    assert "I don't know `/matter nope`" in answer(slack, slack_double, "nope")
    assert "Say which matter" in answer(slack, slack_double, "show")


def test_a_complaint_naming_a_new_matter_makes_it_not_set_up_until_opened(live, slack_double):
    bot, slack, ctx = live
    log_one(slack, slack_double, matter_ref="M-5005")
    bot.wait_idle()
    shown = answer(slack, slack_double, "show M-5005", user=LEAD)
    assert "not set up" in shown and "CMP-2026-0001" in shown and "first named by" in shown
    assert "not set up" in answer(slack, slack_double, "list", user=LEAD)
    # Nobody is on it yet: open to the team only.
    assert "can't share that" in answer(slack, slack_double, "show M-5005", user=LAWYER)

    confirmation = open_matter(bot, slack, slack_double, matter_ref="M-5005")
    assert "is set up" in confirmation["text"]
    mine = answer(slack, slack_double, "show M-5005", user=LAWYER)
    # The lawyer sees the matter, not the complaint (they neither reported nor handle it).
    assert "matter set up by" in mine and "not set up" not in mine
    assert "CMP-2026-0001" not in mine and "first named by" not in mine
    with ctx.session_factory() as s:
        m = s.execute(select(Matter)).scalar_one()
    assert (m.matter_ref, m.set_up, m.responsible_id) == ("M-5005", True, LAWYER)
