"""Values taken from payloads are checked, client text is shown as typed, and the store's files are
private: each driven from outside over real HTTP where Slack is involved."""

from __future__ import annotations

import json
import os
import re
import stat

import pytest
from sqlalchemy import select, text

from bot.core import blockkit, ids
from storage.db import make_engine
from storage.migrate import upgrade
from storage.models import Complaint
from tests.e2e import command_answer, log_one, validate_message, validate_view
from tests.fakes import intake_values, triage_values

PERMALINK = "https://examplefirm.slack.com/archives/CCLIENTS/p1763890000000200"


# --- the source message's link ----------------------------------------------------------------


def test_a_message_shortcut_links_slacks_own_permalink(live, slack_double):
    bot, slack, ctx = live
    slack.message_shortcut(
        ids.SHORTCUT_LOG_COMPLAINT_MESSAGE, text="Nobody replied.", channel="CCLIENTS", ts="1763890000.000200"
    )
    asked = slack_double.wait_for("chat.getPermalink")[-1]
    assert asked.params["channel"] == "CCLIENTS" and asked.params["message_ts"] == "1763890000.000200"
    view = slack_double.wait_for("views.open")[-1].response["view"]
    validate_view(view)
    assert json.loads(view["private_metadata"])["source_url"] == PERMALINK
    assert slack.submit(view, intake_values(), user="UREPORTER").status == 200
    slack_double.wait_for("chat.postMessage", 2)
    with ctx.session_factory() as s:
        assert s.execute(select(Complaint.source_message_url)).scalar_one() == PERMALINK


@pytest.mark.parametrize(
    "forged",
    [
        "https://attacker.example/archives/C1/p1763890000000200",
        "https://otherfirm.slack.com/archives/CCLIENTS/p1763890000000200",  # another workspace
        "javascript:alert(1)",
        "https://examplefirm.slack.com.attacker.example/archives/CCLIENTS/p1763890000000200",
        "https://examplefirm.slack.com/archives/CCLIENTS/p1763890000000200|click here>",
        ["https://examplefirm.slack.com/archives/CCLIENTS/p1763890000000200"],
    ],
)
def test_a_forged_source_link_is_dropped(live, slack_double, forged):
    bot, slack, ctx = live
    slack.command("new")
    view = slack_double.wait_for("views.open")[-1].response["view"]
    forged_view = {**view, "private_metadata": json.dumps({"source_url": forged})}
    assert slack.submit(forged_view, intake_values(), user="UREPORTER").status == 200
    slack_double.wait_for("chat.postMessage", 2)
    bot.wait_idle()
    with ctx.session_factory() as s:
        assert s.execute(select(Complaint.source_message_url)).scalar_one() is None
    shown = command_answer(slack, slack_double, "show CMP-2026-0001", user="ULEAD")
    assert "a message>" not in json.dumps(shown["blocks"])


def test_a_permalink_of_a_thread_reply_is_kept(live, slack_double):
    bot, slack, ctx = live
    slack.command("new")
    view = slack_double.wait_for("views.open")[-1].response["view"]
    reply = PERMALINK + "?thread_ts=1763889000.000100&cid=CCLIENTS"
    assert (
        slack.submit(
            {**view, "private_metadata": json.dumps({"source_url": reply})}, intake_values(), user="UREPORTER"
        ).status
        == 200
    )
    slack_double.wait_for("chat.postMessage", 2)
    with ctx.session_factory() as s:
        assert s.execute(select(Complaint.source_message_url)).scalar_one() == reply


# --- the handler named at triage ----------------------------------------------------------------


def _triage_modal(slack, slack_double):
    _, posts = log_one(slack, slack_double)
    alert = next(p for p in posts if p.params["channel"] == "CTRIAGE01")
    slack.click(alert.params["blocks"], ids.ACTION_TRIAGE, user="ULEAD")
    return slack_double.wait_for("views.open", 2)[-1].response["view"]


@pytest.mark.parametrize(
    "handler, record",
    [
        ("CSECRET01", None),  # a channel: its members would read the client's details
        ("GPRIVATE1", None),
        ("S0TEAM001", None),  # a user group
        ("UGONE0001", {"deleted": True}),
        ("UBOT00001", {"is_bot": True}),
        ("UAPP00001", {"is_app_user": True}),
    ],
)
def test_a_triage_naming_no_active_person_is_refused_in_the_modal(live, slack_double, handler, record):
    bot, slack, ctx = live
    if record is not None:
        slack_double.users[handler] = record
    modal = _triage_modal(slack, slack_double)
    posts_before = len(slack_double.calls_to("chat.postMessage"))
    r = slack.submit(modal, triage_values(handler=handler), user="ULEAD")
    assert r.status == 200
    assert set(r.json()["errors"]) == {ids.TriageField.HANDLER}
    assert "must be an active member" in r.json()["errors"][ids.TriageField.HANDLER]
    bot.wait_idle()
    assert len(slack_double.calls_to("chat.postMessage")) == posts_before
    assert not [c for c in slack_double.calls if c.params.get("channel") == handler]
    with ctx.session_factory() as s:
        c = s.execute(select(Complaint)).scalar_one()
        assert (c.status, c.handler_id) == ("new", None)


def test_an_active_person_is_looked_up_once_and_told_by_dm(live, slack_double):
    bot, slack, ctx = live
    modal = _triage_modal(slack, slack_double)
    assert slack.submit(modal, triage_values(handler="UHANDLER1"), user="ULEAD").json() is None
    bot.wait_idle()
    assert [c.params["user"] for c in slack_double.calls_to("users.info")] == ["UHANDLER1"]
    dm = [c for c in slack_double.calls_to("chat.postMessage") if c.params["channel"] == "UHANDLER1"]
    assert len(dm) == 1 and "yours to handle" in dm[0].params["text"]
    # Re-triaged within the cache's five minutes: Slack is not asked again.
    with ctx.session_factory() as s:
        assert s.execute(select(Complaint.handler_id)).scalar_one() == "UHANDLER1"
    alert = next(p for p in slack_double.calls_to("chat.postMessage") if p.params["channel"] == "CTRIAGE01")
    slack.click(alert.params["blocks"], ids.ACTION_TRIAGE, user="ULEAD")
    again = slack_double.wait_for("views.open", 3)[-1].response["view"]
    assert slack.submit(again, triage_values(handler="UHANDLER1", severity="low"), user="ULEAD").json() is None
    bot.wait_idle()
    assert len(slack_double.calls_to("users.info")) == 1


# --- client text as typed -------------------------------------------------------------------------

RESTYLING_NAME = "*Acme* _Holdings_ ~Ltd~ `x` \u202eevil\u202c \u2066iso\u2069"


def test_client_text_is_shown_as_typed_wherever_the_bot_renders_it(live, slack_double):
    bot, slack, ctx = live
    _, posts = log_one(
        slack, slack_double, client_name=RESTYLING_NAME, summary="It was *never* _sent_ \u202bback\u202c"
    )
    shown = command_answer(slack, slack_double, "show CMP-2026-0001", user="ULEAD")
    alert = next(p for p in posts if p.params["channel"] == "CTRIAGE01")
    slack.click(alert.params["blocks"], ids.ACTION_TRIAGE, user="ULEAD")
    modal = slack_double.wait_for("views.open", 2)[-1].response["view"]
    validate_view(modal)
    rendered = [json.dumps(p.params["blocks"], ensure_ascii=False) for p in posts]
    rendered += [json.dumps(shown["blocks"], ensure_ascii=False), json.dumps(modal["blocks"], ensure_ascii=False)]
    for r in rendered:
        for bidi in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069":
            assert bidi not in r
        # Every mark in the client's text sits between zero-width spaces, so none can pair; in the
        # acknowledgement's code block marks do nothing, and the text is copied to the client as is.
        outside_code = re.sub(r"```.*?```", "", r)
        for raw in ("*Acme*", "_Holdings_", "~Ltd~", "`x`", "*never*", "_sent_"):
            assert raw not in outside_code
    for p in posts:
        validate_message(p.params["blocks"])
    assert "\u200b*\u200bAcme\u200b*\u200b" in rendered[-1]
    acknowledgement = re.search(r"```(.*?)```", rendered[0] + rendered[1]).group(1)
    assert "*Acme* _Holdings_ ~Ltd~ `x` evil iso" in acknowledgement


def test_escape_keeps_the_text_and_only_the_text():
    # Zero-width spaces aside, the text reads as typed, and links and mentions cannot form.
    shown = blockkit.escape("<!channel> *Bold* & \u202eflip")
    assert shown.replace("\u200b", "") == "&lt;!channel&gt; *Bold* &amp; flip"
    assert blockkit.escape("plain text, nothing to do") == "plain text, nothing to do"
    # Our own sentences keep their marks (a code span in an error), and lose only what is unsafe.
    assert blockkit.escape_verbatim("Use `/complaint show` <@U1>") == "Use `/complaint show` &lt;@U1&gt;"


# --- the store's files ---------------------------------------------------------------------------


def test_the_sqlite_store_and_its_wal_and_shm_files_are_private(tmp_path):
    old = os.umask(0o022)
    try:
        path = tmp_path / "data" / "complaints.db"
        engine = make_engine(f"sqlite:///{path}")
        upgrade(engine)
        with engine.begin() as conn:
            conn.execute(text("SELECT 1"))
        with engine.connect() as conn:  # a reader beside the writer keeps the -wal and -shm files
            conn.execute(text("SELECT count(*) FROM complaints"))
            files = [path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")]
            for f in files:
                assert f.exists(), f
                assert stat.S_IMODE(f.stat().st_mode) == 0o600, (f, oct(f.stat().st_mode))
        engine.dispose()
    finally:
        os.umask(old)


def test_a_store_created_readable_by_others_is_made_private(tmp_path):
    path = tmp_path / "complaints.db"
    path.touch()
    path.chmod(0o644)
    make_engine(f"sqlite:///{path}").dispose()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
