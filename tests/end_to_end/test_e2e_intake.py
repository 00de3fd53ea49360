"""Logging and triaging a complaint from Slack's side: signed HTTP in, Web API calls out to the double."""

from __future__ import annotations

import time

from sqlalchemy import func, select

from bot.core import ids
from storage.models import Complaint, Event
from tests.e2e import BotServer, SlackSide, command_answer, log_one, open_intake, validate_message, validate_view
from tests.fakes import intake_values, triage_values


def complaints_in(session_factory) -> list[Complaint]:
    with session_factory() as s:
        return list(s.execute(select(Complaint).order_by(Complaint.id)).scalars())


def test_complaint_new_logs_a_complaint_dm_and_triage_alert(live, slack_double):
    bot, slack, ctx = live
    view, posts = log_one(slack, slack_double)
    [c] = complaints_in(ctx.session_factory)
    assert c.reference == "CMP-2026-0001" and c.client_name == "Jane Client" and c.reporter_id == "UREPORTER"
    by_channel = {p.params["channel"]: p.params for p in posts}
    assert set(by_channel) == {"UREPORTER", "CTRIAGE01"}
    dm, alert = by_channel["UREPORTER"], by_channel["CTRIAGE01"]
    validate_message(dm["blocks"])
    validate_message(alert["blocks"])
    dm_text = str(dm["blocks"])
    assert "CMP-2026-0001" in dm_text and "Legal Ombudsman" in dm_text
    alert_text = str(alert["blocks"])
    # the triage deadline is shown in each reader's own time zone: 24 h after logging
    assert f"<!date^{int(ctx.clock.now().timestamp()) + 86400}^" in alert_text
    assert "Jane Client" in alert_text and "Delay" in alert_text


def test_bad_input_is_shown_in_the_modal_and_nothing_is_stored(live, slack_double):
    bot, slack, ctx = live
    view = open_intake(slack, slack_double)
    r = slack.submit(view, intake_values(client_name="", received_on="2030-01-01"), user="UREPORTER")
    assert r.status == 200
    answer = r.json()
    assert answer["response_action"] == "errors"
    assert set(answer["errors"]) == {"client_name", "received_on"}
    assert complaints_in(ctx.session_factory) == []
    assert slack_double.calls_to("chat.postMessage") == []


def test_same_modal_submitted_twice_creates_one_complaint_and_one_set_of_messages(live, slack_double):
    bot, slack, ctx = live
    view, _ = log_one(slack, slack_double)
    r = slack.submit(view, intake_values(), user="UREPORTER")
    assert r.status == 200
    bot.wait_idle()
    assert len(complaints_in(ctx.session_factory)) == 1
    assert len(slack_double.calls_to("chat.postMessage")) == 2


def test_triage_button_modal_updates_alert_and_tells_the_handler(live, slack_double):
    bot, slack, ctx = live
    _, posts = log_one(slack, slack_double)
    alert = next(p for p in posts if p.params["channel"] == "CTRIAGE01")
    r = slack.click(alert.params["blocks"], ids.ACTION_TRIAGE, user="ULEAD", ts=alert.response["ts"])
    assert r.status == 200
    triage_view = slack_double.wait_for("views.open", 2)[-1].response["view"]
    assert triage_view["callback_id"] == ids.VIEW_TRIAGE
    validate_view(triage_view)

    r = slack.submit(triage_view, triage_values(handler="UHANDLER1", severity="critical"), user="ULEAD")
    assert r.status == 200 and r.body == ""
    [update] = slack_double.wait_for("chat.update")
    assert update.params["channel"] == "CTRIAGE01" and update.params["ts"] == alert.response["ts"]
    validate_message(update.params["blocks"])
    assert "<@ULEAD>" in str(update.params["blocks"]) and "<@UHANDLER1>" in str(update.params["blocks"])
    handler_dm = slack_double.wait_for("chat.postMessage", 3)[-1]
    assert handler_dm.params["channel"] == "UHANDLER1"
    validate_message(handler_dm.params["blocks"])
    [c] = complaints_in(ctx.session_factory)
    assert c.severity == "critical" and c.handler_id == "UHANDLER1" and c.update_cadence_days == 2


def test_triage_modal_rejects_a_past_target_date(live, slack_double):
    bot, slack, ctx = live
    _, posts = log_one(slack, slack_double)
    alert = next(p for p in posts if p.params["channel"] == "CTRIAGE01")
    slack.click(alert.params["blocks"], ids.ACTION_TRIAGE, user="ULEAD")
    triage_view = slack_double.wait_for("views.open", 2)[-1].response["view"]
    r = slack.submit(triage_view, triage_values(target_date="2026-01-01"), user="ULEAD")
    assert r.json()["errors"] == {"target_date": "The target date cannot be in the past."}
    assert complaints_in(ctx.session_factory)[0].status == "new"


def test_message_shortcut_prefills_summary_and_links_the_message(live, slack_double):
    bot, slack, ctx = live
    r = slack.message_shortcut(
        ids.SHORTCUT_LOG_COMPLAINT_MESSAGE,
        text="Why has nobody replied to me in 3 weeks?",
        channel="CCLIENTS",
        ts="1763890000.000200",
    )
    assert r.status == 200
    view = slack_double.wait_for("views.open")[-1].response["view"]
    validate_view(view)
    summary = next(b for b in view["blocks"] if b.get("block_id") == "summary")
    assert summary["element"]["initial_value"] == "Why has nobody replied to me in 3 weeks?"
    link = "https://examplefirm.slack.com/archives/CCLIENTS/p1763890000000200"
    assert link in str(view["blocks"])
    slack.submit(view, intake_values(summary="Why has nobody replied to me in 3 weeks?"), user="UREPORTER")
    slack_double.wait_for("chat.postMessage", 2)
    assert complaints_in(ctx.session_factory)[0].source_message_url == link


def test_global_shortcut_opens_the_intake_modal(live, slack_double):
    bot, slack, ctx = live
    assert slack.global_shortcut(ids.SHORTCUT_LOG_COMPLAINT_GLOBAL).status == 200
    view = slack_double.wait_for("views.open")[-1].response["view"]
    assert view["callback_id"] == ids.VIEW_NEW_COMPLAINT


def test_help_list_show_and_unknown_subcommands_answer_helpfully(live, slack_double):
    bot, slack, ctx = live
    log_one(slack, slack_double)
    assert "/complaint new" in str(command_answer(slack, slack_double, "")["blocks"])
    assert "/complaint show" in str(command_answer(slack, slack_double, "help")["blocks"])
    listing = str(command_answer(slack, slack_double, "list")["blocks"])
    assert "CMP-2026-0001" in listing and "yours" in listing
    shown = str(command_answer(slack, slack_double, "show cmp-2026-1")["blocks"])
    assert "CMP-2026-0001" in shown and "Timeline" in shown and "logged by <@UREPORTER>" in shown
    assert "I don't know `/complaint frobnicate`" in str(command_answer(slack, slack_double, "frobnicate")["blocks"])
    # The complaints team is told a reference is unused; anyone else gets the same refusal either way.
    assert "There is no complaint CMP-2026-0042" in str(
        command_answer(slack, slack_double, "show CMP-2026-0042", user="ULEAD")["blocks"]
    )
    assert "can't share that" in str(command_answer(slack, slack_double, "show CMP-2026-0042")["blocks"])
    assert "not a complaint reference" in str(command_answer(slack, slack_double, "show 42")["blocks"])
    assert "Say which complaint" in str(command_answer(slack, slack_double, "show")["blocks"])
    assert "not a page number" in str(command_answer(slack, slack_double, "list two")["blocks"])


def test_forged_and_stale_requests_are_refused_with_401(live, slack_double):
    bot, slack, ctx = live
    body = "command=%2Fcomplaint&text=new&user_id=UX&trigger_id=t"
    assert slack.post_raw(body, signature="v0=" + "0" * 64).status == 401
    assert slack.post_raw(body, signature=slack.sign(body, int(time.time())) + "00").status == 401
    stale = int(time.time()) - 6 * 60
    assert slack.post_raw(body, timestamp=stale, signature=slack.sign(body, stale)).status == 401
    assert slack_double.calls_to("views.open") == []
    # a fresh, correctly signed request is accepted
    assert slack.command("help").status == 200


def test_health_check_reports_the_database(live):
    import json
    import urllib.request

    bot, slack, ctx = live
    with urllib.request.urlopen(f"{bot.url}/healthz") as r:
        assert r.status == 200 and json.loads(r.read()) == {"ok": True, "database": "reachable"}


def test_a_restarted_bot_still_has_the_complaint(live, slack_double):
    bot, slack, ctx = live
    log_one(slack, slack_double)
    bot.__exit__(None, None, None)
    with BotServer(ctx, slack_double.url) as second:
        slack2 = SlackSide(second.url, ctx.settings.slack_signing_secret, slack_double.response_url_base)
        shown = command_answer(slack2, slack_double, "show CMP-2026-0001")
        assert "Jane Client" in str(shown["blocks"])
    with ctx.session_factory() as s:
        assert s.execute(select(func.count()).select_from(Event)).scalar_one() >= 1
