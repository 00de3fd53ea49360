"""Disclosures from Slack's side: command, shortcut, modal, chase DM and its buttons, lists, matter view."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from bot.core import ids
from bot.reminders.sweep import sweep
from storage.models import Disclosure
from tests.e2e import command_answer, log_one, validate_message, validate_view
from tests.factories import disclosure_values


def open_disclosure_modal(slack, double) -> dict:
    before = len(double.calls_to("views.open"))
    assert slack.command("new", command="/disclosure", user="UFEE").status == 200
    view = double.wait_for("views.open", before + 1)[-1].response["view"]
    assert view["callback_id"] == ids.VIEW_NEW_DISCLOSURE
    validate_view(view)
    return view


def log_disclosure(bot, slack, double, **overrides) -> dict:
    view = open_disclosure_modal(slack, double)
    r = slack.submit(view, disclosure_values(**overrides), user="UFEE")
    assert r.status == 200 and r.body == "", r.body
    bot.wait_idle()
    confirmation = double.calls_to("chat.postMessage")[-1]
    assert confirmation.params["channel"] == "UFEE"
    validate_message(confirmation.params["blocks"])
    return confirmation.params


def answer(slack, double, text, user="UFEE"):
    return str(command_answer_for(slack, double, text, user)["blocks"])


def command_answer_for(slack, double, text, user):
    before = len(double.calls_to("response_url"))
    assert slack.command(text, command="/disclosure", user=user).status == 200
    reply = double.wait_for("response_url", before + 1)[-1].params
    validate_message(reply["blocks"])
    return reply


def test_log_a_disclosure_in_one_modal_and_get_its_reference(live, slack_double):
    bot, slack, ctx = live
    confirmation = log_disclosure(bot, slack, slack_double)
    assert "DSC-2026-0001" in str(confirmation["blocks"]) and "27 Nov 2026" in str(confirmation["blocks"])
    with ctx.session_factory() as s:
        d = s.execute(select(Disclosure)).scalar_one()
    assert d.kind == "costs_estimate" and d.logged_by == "UFEE" and d.ack_status == "pending"


def test_bad_disclosure_input_stays_in_the_modal(live, slack_double):
    bot, slack, ctx = live
    view = open_disclosure_modal(slack, slack_double)
    r = slack.submit(view, disclosure_values(content="", disclosed_on="2027-01-01"), user="UFEE")
    assert set(r.json()["errors"]) == {"content", "disclosed_on"}
    with ctx.session_factory() as s:
        assert s.execute(select(Disclosure)).first() is None


def test_message_shortcut_prefills_what_was_disclosed(live, slack_double):
    bot, slack, ctx = live
    slack.message_shortcut(
        ids.SHORTCUT_LOG_DISCLOSURE_MESSAGE, text="As discussed, fees are capped at £5,000.", user="UFEE"
    )
    view = slack_double.wait_for("views.open")[-1].response["view"]
    validate_view(view)
    content = next(b for b in view["blocks"] if b.get("block_id") == "content")
    assert content["element"]["initial_value"] == "As discussed, fees are capped at £5,000."


def test_chase_dm_buttons_record_acknowledgement_or_chase_again(live, slack_double):
    bot, slack, ctx = live
    log_disclosure(bot, slack, slack_double, follow_up_on="2026-11-25")
    log_disclosure(bot, slack, slack_double, kind="risk", content="Outcome uncertain.", follow_up_on="2026-11-25")
    ctx.clock.set(datetime(2026, 11, 25, 9, 0, tzinfo=UTC))
    assert [d.kind for d in sweep(ctx).sent] == ["disclosure-chase", "disclosure-chase"]
    first, second = [c for c in slack_double.calls_to("chat.postMessage") if "not yet acknowledged" in c.params["text"]]
    validate_message(first.params["blocks"])

    assert slack.click(first.params["blocks"], ids.ACTION_DISCLOSURE_ACK, user="UFEE", channel="DUFEE").status == 200
    bot.wait_idle()
    reply = slack_double.calls_to("response_url")[-1].params
    assert reply["replace_original"] is True and "acknowledgement is recorded" in reply["text"]

    slack.click(second.params["blocks"], ids.ACTION_DISCLOSURE_CHASE, user="UFEE", channel="DUFEE")
    bot.wait_idle()
    assert "remind you again on 2 Dec 2026" in slack_double.calls_to("response_url")[-1].params["text"]
    with ctx.session_factory() as s:
        states = dict(s.execute(select(Disclosure.reference, Disclosure.ack_status)).all())
    assert states == {"DSC-2026-0001": "acknowledged", "DSC-2026-0002": "pending"}

    # clicking an old button again answers clearly instead of failing
    slack.click(first.params["blocks"], ids.ACTION_DISCLOSURE_ACK, user="UFEE", channel="DUFEE")
    bot.wait_idle()
    assert "not awaiting acknowledgement" in slack_double.calls_to("response_url")[-1].params["text"]

    ctx.clock.set(datetime(2026, 12, 2, 9, 0, tzinfo=UTC))
    assert [d.kind for d in sweep(ctx).sent] == ["disclosure-chase"]


def test_list_show_and_help(live, slack_double):
    bot, slack, ctx = live
    log_disclosure(bot, slack, slack_double)
    log_disclosure(bot, slack, slack_double, matter_ref="M-2002", kind="timeline", content="Six months.")
    listing = answer(slack, slack_double, "list M-2002")
    assert "DSC-2026-0002" in listing and "DSC-2026-0001" not in listing
    assert "DSC-2026-0001" in answer(slack, slack_double, "list")
    shown = answer(slack, slack_double, "show dsc-2026-1")
    assert "Estimated fees" in shown and "Timeline" in shown
    assert "There is no disclosure DSC-2026-0077" in answer(slack, slack_double, "show DSC-2026-0077", user="ULEAD")
    assert "can't share that" in answer(slack, slack_double, "show DSC-2026-0077")
    assert "/disclosure new" in answer(slack, slack_double, "")
    assert "I don't know `/disclosure nope`" in answer(slack, slack_double, "nope")


def test_complaint_views_show_what_the_client_had_been_told(live, slack_double):
    bot, slack, ctx = live
    log_disclosure(bot, slack, slack_double, disclosed_on="2026-11-02")
    log_one(slack, slack_double, category="costs")
    bot.wait_idle()
    alert = next(p for p in slack_double.calls_to("chat.postMessage") if p.params["channel"] == "CTRIAGE01")
    assert "Disclosures on record for M-1001" in str(alert.params["blocks"])
    assert "no costs estimate" not in str(alert.params["blocks"])

    shown = str(command_answer(slack, slack_double, "show CMP-2026-0001", user="ULEAD")["blocks"])
    assert "What the client had been told on M-1001" in shown and "DSC-2026-0001" in shown
    # The reporter sees the complaint, not the disclosure UFEE logged on its matter.
    reported = str(command_answer(slack, slack_double, "show CMP-2026-0001")["blocks"])
    assert "CMP-2026-0001" in reported and "DSC-2026-0001" not in reported
    assert "Disclosures you logged on M-1001" in reported and "What the client had been told" not in reported
    matter = str(command_answer(slack, slack_double, "matter M-1001", user="ULEAD")["blocks"])
    assert matter.index("DSC-2026-0001") < matter.index("CMP-2026-0001")
    assert "Nothing is on record for matter M-404" in str(
        command_answer(slack, slack_double, "matter M-404", user="ULEAD")["blocks"]
    )
