"""`/complaint report` from Slack's side: a member of the complaints team gets the figures and one
CSV file in their DM (conversations.open, then the three-step upload), and an `exported` event says
who asked for which return; anyone else gets the usual refusal and nothing is uploaded.

The register (Europe/London, England & Wales, the default scheme's product groups, areas of law):
  CMP-2026-0001  Conveyancing, received Mon 6 Jul 2026, closed Wed 8 Jul 10:00 UTC, upheld:
                 within 3 business days (Tue 7 is the 1st, Wed 8 the 2nd). Redress GBP 75.00 paid
                 Fri 10 Jul 2026.
  CMP-2026-0002  no product, received Wed 1 Jul 2026, still open.
2026H2, 11 rows (the 9 areas of law, no product, the total): Conveyancing 1 opened, 1 closed, 1 within 3 days, 1 upheld, 100.0%, 75.00; no product 1
opened; total 2 / 1 / 1 / 0 / 0 / 1 / 100.0 / 75.00.
"""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime

from sqlalchemy import insert, select

from storage.models import AccessRefusal, Complaint, Event
from tests.e2e import command_answer, validate_message


def seed(ctx) -> None:
    logged = datetime(2026, 7, 6, 9, 0, tzinfo=UTC)
    common = dict(
        received_via="email", category="delay", summary="Seeded.", reporter_id="UREPORTER",
        logged_at=logged, triage_due_at=logged, ref_year=2026,
    )  # fmt: skip
    with ctx.session_factory.begin() as s:
        s.execute(
            insert(Complaint).values(
                reference="CMP-2026-0001", ref_seq=1, client_name="Jane Client", received_on=date(2026, 7, 6),
                status="resolved", resolved_at=datetime(2026, 7, 8, 10, 0, tzinfo=UTC), outcome="upheld",
                product="conveyancing", redress_currency="GBP", redress_paid=7500, redress_paid_on=date(2026, 7, 10),
                **common,
            )
        )  # fmt: skip
        s.execute(
            insert(Complaint).values(
                reference="CMP-2026-0002", ref_seq=2, client_name="John Client", received_on=date(2026, 7, 1),
                status="new", **common,
            )
        )  # fmt: skip


def exported(ctx) -> list[Event]:
    with ctx.session_factory() as s:
        return list(s.execute(select(Event).where(Event.kind == "exported")).scalars())


def test_a_team_member_gets_the_return_in_their_dm_as_one_file(live, slack_double):
    bot, slack, ctx = live
    seed(ctx)
    answer = command_answer(slack, slack_double, "report fca-return 2026H2", user="ULEAD")
    assert "fca-return-2026H2.csv" in answer["text"] and "in your DM" in answer["text"]
    bot.wait_idle()
    uploads = slack_double.wait_for("files.completeUploadExternal", 1)
    assert len(slack_double.calls_to("files.getUploadURLExternal")) == 1 and len(uploads) == 1
    opened = slack_double.calls_to("conversations.open")
    assert [c.params["users"] for c in opened] == ["ULEAD"]
    dm = opened[0].response["channel"]["id"]
    assert uploads[0].params["channel_id"] == dm
    (file_id,) = slack_double.uploads
    rows = list(csv.reader(io.StringIO(slack_double.uploads[file_id].decode())))
    assert rows[0][:3] == ["product_group", "opened", "closed"]
    assert ["Conveyancing", "1", "1", "1", "0", "0", "1", "100.0", "75.00"] in rows
    assert rows[-2] == ["(no product recorded)", "1", "0", "0", "0", "0", "0", "", "0.00"]
    assert rows[-1] == ["Total", "2", "1", "1", "0", "0", "1", "100.0", "75.00"]
    assert slack_double.files[file_id]["filename"] == "fca-return-2026H2.csv"
    figures = [c for c in slack_double.calls_to("chat.postMessage") if c.params["channel"] == "ULEAD"]
    assert len(figures) == 1
    validate_message(figures[0].params["blocks"])
    assert "Redress paid: GBP 75.00" in figures[0].params["text"]
    (event,) = exported(ctx)
    assert event.complaint_id is None and event.disclosure_id is None
    assert event.actor == "ULEAD"
    assert event.data == {
        "what": "fca-return",
        "from": "2026-07-01",
        "to": "2026-12-31",
        "rows": 11,
        "sent_to": "ULEAD",
    }


def test_the_summary_goes_the_same_way(live, slack_double):
    bot, slack, ctx = live
    seed(ctx)
    command_answer(slack, slack_double, "report summary 2026-07-01 2026-07-31", user="UHANDLER1")
    bot.wait_idle()
    slack_double.wait_for("files.completeUploadExternal", 1)
    (file_id,) = slack_double.uploads
    rows = list(csv.reader(io.StringIO(slack_double.uploads[file_id].decode())))
    assert rows[0] == ["figure", "group", "value"]
    assert ["received", "Total", "2"] in rows and ["redress paid", "GBP", "75.00"] in rows
    assert [e.data["what"] for e in exported(ctx)] == ["summary"]


def test_an_outsider_is_refused_and_nothing_is_uploaded(live, slack_double):
    bot, slack, ctx = live
    seed(ctx)
    answer = command_answer(slack, slack_double, "report fca-return 2026H2", user="UREPORTER")
    assert "Sorry, I can't share that" in answer["text"]
    bot.wait_idle()
    assert slack_double.calls_to("files.getUploadURLExternal") == []
    assert [c for c in slack_double.calls_to("chat.postMessage") if c.params["channel"] == "UREPORTER"] == []
    assert exported(ctx) == []
    with ctx.session_factory() as s:
        refusal = s.execute(select(AccessRefusal)).scalar_one()
    assert (refusal.user_id, refusal.action, refusal.target) == ("UREPORTER", "report fca-return", "2026H2")


def test_a_bad_period_gets_a_sentence(live, slack_double):
    _, slack, ctx = live
    answer = command_answer(slack, slack_double, "report fca-return 2026H3", user="ULEAD")
    assert "is not a half year" in answer["text"]
    answer = command_answer(slack, slack_double, "report", user="ULEAD")
    assert "Say which return" in answer["text"]
    assert exported(ctx) == []
