"""`/complaint export [from] [to]` from Slack's side: a team member gets the register in their DM
as one message with one file (the very CSV `complaint-bot export` writes for the same range), the
export is recorded once, a later sweep sends nothing more, a failed upload goes out once on a later
sweep, a file lost before sending is answered with a sentence; an outsider is refused and nothing
is written or uploaded; bad dates get a sentence. The register is written to its file as it streams
from the store."""

from __future__ import annotations

import io
import os
from datetime import UTC, date, datetime, timedelta

import pytest
from slack_sdk.models.blocks import MarkdownTextObject, SectionBlock
from sqlalchemy import func, insert, select

from bot.records import register, sharing
from bot.reminders.sweep import sweep
from storage import register as register_store
from storage.models import AccessRefusal, Complaint, Event, Notification
from tests.e2e import command_answer
from tests.factories import log

RECEIVED = ["2026-11-01", "2026-11-10", "2026-11-20"]


@pytest.fixture(autouse=True)
def own_temporary_folder(tmp_path, monkeypatch):
    """The exports wait in a folder of the test's own."""
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    return tmp_path / sharing.FOLDER_NAME


def seed(ctx) -> None:
    for day in RECEIVED:
        log(ctx, received_on=day, client_name=f"Client of {day}")


def cli_csv(ctx, first: date | None, last: date | None) -> bytes:
    """What `complaint-bot export --from --to` writes (its command calls export_register so)."""
    out = io.StringIO(newline="")
    register.export_register(
        engine=ctx.engine,
        session_factory=ctx.session_factory,
        out=out,
        fmt="csv",
        actor="cli:test",
        now=ctx.clock.now(),
        tz=ctx.tz,
        received_from=first,
        received_to=last,
    )
    return out.getvalue().encode("utf-8")


def exported_events(ctx) -> list[Event]:
    with ctx.session_factory() as s:
        return list(s.execute(select(Event).where(Event.kind == "exported").order_by(Event.id)).scalars())


def shared_in_dm(double) -> list:
    return [c for c in double.calls_to("files.completeUploadExternal") if c.ok]


@pytest.mark.parametrize(
    ("text", "first", "last", "rows", "words"),
    [
        ("export", None, None, 3, "in the whole register"),
        (
            "export 2026-11-05 2026-11-20",
            date(2026, 11, 5),
            date(2026, 11, 20),
            2,
            "received from 2026-11-05 to 2026-11-20",
        ),
        ("export 2026-11-10", date(2026, 11, 10), None, 2, "received on or after 2026-11-10"),
    ],
)
def test_a_team_member_gets_the_register_once_in_their_dm(
    live, slack_double, own_temporary_folder, text, first, last, rows, words
):
    bot, slack, ctx = live
    seed(ctx)
    answer = command_answer(slack, slack_double, text, user="ULEAD")
    bot.wait_idle()
    assert f"{rows} complaints {words}" in answer["text"]

    [shared] = shared_in_dm(slack_double)
    assert shared.params["channel_id"] == "DLEAD"  # the asker's DM with the bot
    [file] = shared.params["files"]
    assert slack_double.uploads[file["id"]] == cli_csv(ctx, first, last)
    comment = shared.params["initial_comment"]
    SectionBlock(text=MarkdownTextObject(text=comment)).validate_json()
    assert f"{rows} complaints {words}" in comment
    assert f"{len(register.COLUMNS)} columns" in comment
    assert "Confidential: this file holds client data" in comment

    slack_event = exported_events(ctx)[0]  # the CLI's own export for the comparison is the second
    assert (slack_event.complaint_id, slack_event.actor, slack_event.data) == (
        None,
        "ULEAD",
        {"format": "csv", "what": "complaints", "from": first and str(first), "to": last and str(last), "rows": rows},
    )
    assert list(own_temporary_folder.iterdir()) == []  # removed once sent

    ctx.clock.advance(timedelta(hours=1))
    sweep(ctx)
    bot.wait_idle()
    assert len(shared_in_dm(slack_double)) == 1
    assert len(slack_double.calls_to("files.getUploadURLExternal")) == 1


def export_while_uploads_fail(live, slack_double):
    """A team member's export whose first upload fails (Slack down): it waits for a later sweep."""
    bot, slack, ctx = live
    seed(ctx)
    slack_double.fail(status=500, count=1, methods={"upload"})
    command_answer(slack, slack_double, "export", user="ULEAD")
    bot.wait_idle()
    return ctx


def test_an_upload_that_fails_goes_out_once_on_a_later_sweep(live, slack_double, own_temporary_folder):
    ctx = export_while_uploads_fail(live, slack_double)
    assert shared_in_dm(slack_double) == []
    assert len(list(own_temporary_folder.iterdir())) == 1  # kept until sent

    for _ in range(3):
        ctx.clock.advance(timedelta(hours=1))
        sweep(ctx)
    [shared] = shared_in_dm(slack_double)
    assert slack_double.uploads[shared.params["files"][0]["id"]] == cli_csv(ctx, None, None)
    assert list(own_temporary_folder.iterdir()) == []
    assert len(exported_events(ctx)) == 2  # the Slack export, then the comparison's


def test_a_file_lost_before_it_was_sent_is_answered_with_a_sentence(live, slack_double, own_temporary_folder):
    ctx = export_while_uploads_fail(live, slack_double)
    for waiting in own_temporary_folder.iterdir():  # as on a fresh machine after a restart
        waiting.unlink()

    ctx.clock.advance(timedelta(hours=1))
    sweep(ctx)
    ctx.clock.advance(timedelta(hours=1))
    sweep(ctx)
    assert shared_in_dm(slack_double) == []
    [told] = [c for c in slack_double.calls_to("chat.postMessage") if c.ok and c.params["channel"] == "ULEAD"]
    assert "could not be shared: the file was no longer on the server" in told.params["text"]
    assert "ask for it again" in told.params["text"]
    with ctx.session_factory() as s:
        row = s.execute(select(Notification).where(Notification.kind == sharing.KIND)).scalar_one()
    assert row.sent_at is None and row.abandoned_at is not None


def test_an_outsider_is_refused_and_nothing_is_exported(live, slack_double, own_temporary_folder):
    bot, slack, ctx = live
    seed(ctx)
    answer = command_answer(slack, slack_double, "export", user="UREPORTER")
    bot.wait_idle()
    assert "open only to the complaints team" in answer["text"]
    assert slack_double.calls_to("files.getUploadURLExternal") == []
    assert exported_events(ctx) == []
    with ctx.session_factory() as s:
        assert (
            s.execute(
                select(func.count()).select_from(Notification).where(Notification.kind == sharing.KIND)
            ).scalar_one()
            == 0
        )
        refusal = s.execute(select(AccessRefusal)).scalar_one()
    assert (refusal.user_id, refusal.action) == ("UREPORTER", "export")
    assert not own_temporary_folder.exists() or list(own_temporary_folder.iterdir()) == []


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("export 2026-13-01", "“2026-13-01” is not a date; write it as YYYY-MM-DD"),
        ("export last-week", "“last-week” is not a date"),
        ("export 2026-11-20 2026-11-01", "The first day, 2026-11-20, is after the last, 2026-11-01"),
        ("export 2026-11-01 2026-11-02 2026-11-03", "Give at most two dates"),
    ],
)
def test_bad_dates_are_answered_with_a_sentence(live, slack_double, text, says):
    bot, slack, ctx = live
    seed(ctx)
    answer = command_answer(slack, slack_double, text, user="ULEAD")
    bot.wait_idle()
    assert says in answer["text"]
    assert slack_double.calls_to("files.getUploadURLExternal") == []
    assert exported_events(ctx) == []


def test_a_large_register_is_written_to_its_file_as_it_streams(live, slack_double, own_temporary_folder, monkeypatch):
    """20,000 complaints: the rows come from the store a fetch at a time and reach the file on disk
    as they come (the file grows while the register is still being read), never a list of them all."""
    bot, slack, ctx = live
    n = 20_000
    bulk_seed(ctx, n)
    monkeypatch.setattr(register_store, "FETCH", 500)
    sizes: list[int] = []
    streamed = register.write_csv

    def watched(out, columns, rows, tz, names=None):
        assert not isinstance(rows, list)
        [waiting] = own_temporary_folder.iterdir()  # the file being written, on disk
        assert os.fstat(out.fileno()).st_ino == waiting.stat().st_ino

        def every_row():
            for i, row in enumerate(rows):
                if i % 5000 == 0:
                    out.flush()  # what the writer has handed on so far; the file's size says how much
                    sizes.append(waiting.stat().st_size)
                yield row

        return streamed(out, columns, every_row(), tz, names)

    monkeypatch.setattr(register, "write_csv", watched)
    answer = command_answer(slack, slack_double, "export", user="ULEAD")
    bot.wait_idle()
    assert f"{n:,} complaints" in answer["text"]
    assert len(sizes) == 4 and sizes == sorted(sizes) and sizes[-1] > sizes[0]  # written as read
    [shared] = shared_in_dm(slack_double)
    uploaded = slack_double.uploads[shared.params["files"][0]["id"]]
    assert uploaded.count(b"\r\n") == n + 1
    assert exported_events(ctx)[0].data["rows"] == n


def bulk_seed(ctx, n: int) -> None:
    """`n` resolved complaints in one bulk insert (Core, as the bench scripts seed)."""
    now = ctx.clock.now()
    rows = []
    for i in range(n):
        received = date(2025, 1, 1) + timedelta(days=i % 600)
        logged = datetime.combine(received, datetime.min.time(), tzinfo=UTC) + timedelta(hours=9)
        rows.append(
            dict(
                reference=f"CMP-2025-{i + 1:05d}",
                ref_year=2025,
                ref_seq=i + 1,
                client_name=f"Client {i}",
                matter_ref=f"M-{i}",
                received_via="email",
                received_on=received,
                category="delay",
                summary="Seeded complaint.",
                reporter_id="UREPORTER",
                logged_at=logged,
                status="resolved",
                triage_due_at=logged + timedelta(hours=24),
                final_response_due_on=received + timedelta(weeks=8),
                resolved_at=min(logged + timedelta(days=20), now),
                outcome="not_upheld",
            )
        )
    with ctx.engine.begin() as conn:
        conn.execute(insert(Complaint), rows)
