"""Summary resolution over HTTP, under the Financial Ombudsman Service scheme: offered in the resolve
modal until close of business on the third business day after receipt, refused when a modal opened
before then is submitted after, gone from a modal opened after; its communication shown to copy,
/complaint show saying so, and the weekly digest counting it apart."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from bot.core import ids
from bot.reminders.sweep import sweep
from storage.models import Complaint, Event
from tests.conftest import serve_live
from tests.e2e import command_answer, log_one, validate_message, validate_view

DIGEST_CHANNEL = "CDIGEST01"
# Both complaints are received Fri 20 Nov 2026 (the intake values) and logged Mon 23 Nov 09:30.
# Business days after receipt: Mon 23 (1), Tue 24 (2), Wed 25 Nov 2026 (3); close of business is
# 17:30 London time, which is 17:30 UTC in November.
DAY_THREE_17_29 = datetime(2026, 11, 25, 17, 29, tzinfo=UTC)
DAY_THREE_17_31 = datetime(2026, 11, 25, 17, 31, tzinfo=UTC)
# The digest of week 2026-W48 (Mon 23 – Sun 29 Nov) is posted on Mon 30 Nov at 09:00.
DIGEST_TIME = datetime(2026, 11, 30, 9, 30, tzinfo=UTC)
FINAL = {"outcome": "upheld", "root_cause": "communication", "final_response_sent_on": "2026-11-25"}


@pytest.fixture
def fca_live(db_url, engine, session_factory, clock, slack_double):
    with serve_live(
        db_url,
        engine,
        session_factory,
        clock,
        slack_double,
        complaints_scheme="financial-ombudsman",
        digest_channel=DIGEST_CHANNEL,
    ) as served:
        yield served


def open_resolve(slack, slack_double, reference: str) -> dict:
    opened = len(slack_double.calls_to("views.open"))
    assert slack.command(f"resolve {reference}", user="ULEAD").status == 200
    view = slack_double.wait_for("views.open", opened + 1)[-1].response["view"]
    assert view["callback_id"] == ids.VIEW_RESOLVE
    validate_view(view)
    return view


def summary_offered(view: dict) -> dict | None:
    return next((b for b in view["blocks"] if b.get("block_id") == ids.ResolveField.SUMMARY), None)


def stored(ctx, reference: str) -> Complaint:
    with ctx.session_factory() as s:
        return s.execute(select(Complaint).where(Complaint.reference == reference)).scalar_one()


def resolved_event(ctx, reference: str) -> Event:
    with ctx.session_factory() as s:
        return s.execute(
            select(Event).join(Complaint).where(Complaint.reference == reference, Event.kind == "resolved")
        ).scalar_one()


def test_summary_resolution_on_the_third_business_day_and_not_after(fca_live, slack_double):
    bot, slack, ctx = fca_live
    log_one(slack, slack_double)
    log_one(slack, slack_double)
    bot.wait_idle()

    # Day three, 17:29: both modals offer it.
    ctx.clock.set(DAY_THREE_17_29)
    first, second = (
        open_resolve(slack, slack_double, "CMP-2026-0001"),
        open_resolve(slack, slack_double, "CMP-2026-0002"),
    )
    offered = summary_offered(first)
    assert offered is not None and summary_offered(second) is not None
    assert offered["element"]["options"][0]["text"]["text"] == "Summary resolution (DISP 1.5)"
    assert "Open until 17:30 on Wed 25 Nov 2026" in offered["hint"]["text"]

    # Resolved so: no ombudsman points asked for, and its own communication to send.
    r = slack.submit(first, {**FINAL, "summary_resolution": "summary"}, user="ULEAD")
    answer = r.json()
    assert answer["response_action"] == "update"
    shown = answer["view"]
    validate_view(shown)
    assert shown["title"]["text"] == "Summary resolution"
    text = str(shown["blocks"])
    assert "The summary resolution communication for Jane Client" in text
    assert "we now consider your complaint to have been resolved" in text
    assert "you may be able to refer it to the Financial Ombudsman Service" in text
    assert "Exchange Tower, London E14 9SR; telephone 0800 023 4567" in text
    assert "on its website: www.financial-ombudsman.org.uk" in text
    assert "within six months of the date of this letter, that is by 25 May 2027" in text
    assert "final response" not in text.replace("Final response sent", "")
    bot.wait_idle()
    c = stored(ctx, "CMP-2026-0001")
    assert c.status == "resolved" and c.summary_resolution is True and c.ombudsman_rights_given is None
    kept = resolved_event(ctx, "CMP-2026-0001").data
    assert kept["summary_resolution"] is True
    assert kept["letter"]["template"] == "summary-resolution.txt" and len(kept["letter"]["version"]) == 12
    assert "we now consider your complaint to have been resolved" in kept["letter"]["text"]

    # 17:31: the modal opened at 17:29 is submitted too late, and says why; nothing is stored.
    ctx.clock.set(DAY_THREE_17_31)
    late = slack.submit(second, {**FINAL, "summary_resolution": "summary"}, user="ULEAD").json()
    assert late["response_action"] == "errors" and set(late["errors"]) == {ids.ResolveField.SUMMARY}
    assert "closed at 17:30 on Wed 25 Nov 2026" in late["errors"][ids.ResolveField.SUMMARY]
    assert stored(ctx, "CMP-2026-0002").status == "new"
    # A modal opened now no longer offers it, and a final response needs the ombudsman's points.
    fresh = open_resolve(slack, slack_double, "CMP-2026-0002")
    assert summary_offered(fresh) is None
    assert ids.ResolveField.OMBUDSMAN in slack.submit(fresh, FINAL, user="ULEAD").json()["errors"]
    done = slack.submit(fresh, {**FINAL, "ombudsman": "available,contact,six_months"}, user="ULEAD").json()
    assert done["response_action"] == "update" and done["view"]["title"]["text"] == "Final response"
    bot.wait_idle()
    c = stored(ctx, "CMP-2026-0002")
    assert c.status == "resolved" and c.summary_resolution is False and c.ombudsman_rights_given is True
    assert resolved_event(ctx, "CMP-2026-0002").data["letter"]["template"] == "final-response.txt"

    # /complaint show says which was which.
    show = str(command_answer(slack, slack_double, "show CMP-2026-0001", user="ULEAD")["blocks"])
    assert "Resolved by summary resolution" in show and "summary resolution communication sent 2026-11-25" in show
    other = str(command_answer(slack, slack_double, "show CMP-2026-0002", user="ULEAD")["blocks"])
    assert "Resolved by summary resolution" not in other and "final response sent 2026-11-25" in other

    # The digest of that week: two resolved, one of them by summary resolution.
    ctx.clock.set(DIGEST_TIME)
    posted = len(slack_double.calls_to("chat.postMessage"))
    sweep(ctx)
    digests = [
        c
        for c in slack_double.calls_to("chat.postMessage")[posted:]
        if c.params["channel"] == DIGEST_CHANNEL and str(c.params.get("text", "")).startswith("Complaints digest")
    ]
    assert len(digests) == 1
    validate_message(digests[0].params["blocks"])
    assert "Resolved: 2 (+2 on last week; 4-week average 0.0), of which 1 by summary resolution" in str(
        digests[0].params["blocks"]
    )
