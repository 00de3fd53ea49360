"""The review fixes, each pinned down: sends that never outlive their claim, Slack errors no retry can
cure, stale alert edits and reminders cancelled, settings for the sweep, and days left when logged late."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

import pytest
from slack_sdk import WebClient
from sqlalchemy import select

from bot.complaints import service as complaints
from bot.core.clock import FrozenClock
from bot.core.config import SettingsError, load_settings
from bot.outbox import delivery
from bot.outbox.delivery import CLAIM_BATCH, LEASE, SEND_TIMEOUT, deliver_due
from bot.outbox.notifier import PERMANENT_ERRORS, Posted, SendFailed, SlackNotifier
from bot.reminders.policy import ComplaintFacts, ReminderKind, SlaPolicy
from bot.reminders.sweep import preview, sweep
from handlers.modals.client_update import parse_client_update
from handlers.modals.intake import parse_intake
from handlers.modals.resolve import parse_resolution
from handlers.modals.snooze import parse_snooze
from handlers.modals.triage import parse_triage
from storage import outbox as outbox_store
from storage.models import Complaint, Notification
from tests.fakes import RecordingNotifier, intake_values, no_team, triage_values
from tests.test_cli import run as run_cli

SEND_TAKES = timedelta(seconds=50)


# --- helpers ---------------------------------------------------------------------------------------


@dataclass
class SlowNotifier:
    """Records like RecordingNotifier, but each send takes `takes` of the injected clock's time."""

    clock: FrozenClock
    takes: timedelta = SEND_TAKES
    inner: RecordingNotifier = field(default_factory=RecordingNotifier)

    def post(self, *, channel, text, blocks) -> Posted:
        self.clock.advance(self.takes)
        return self.inner.post(channel=channel, text=text, blocks=blocks)

    def update(self, *, channel, ts, text, blocks) -> Posted:
        self.clock.advance(self.takes)
        return self.inner.update(channel=channel, ts=ts, text=text, blocks=blocks)

    def upload(self, *, channel, filename, title, alt_text, content) -> Posted:
        self.clock.advance(self.takes)
        return self.inner.upload(channel=channel, filename=filename, title=title, alt_text=alt_text, content=content)

    @property
    def texts(self) -> list[str]:
        return [s.text for s in self.inner.sent]


def record_plain(ctx, n: int) -> list[str]:
    """`n` messages to the triage channel, due now, recorded in this order; returns their texts."""
    rows = [
        dict(dedupe_key=f"plain:{i:03d}", kind="plain", channel="CTRIAGE01", text=f"message {i:03d}", blocks=None)
        for i in range(n)
    ]
    with ctx.session_factory.begin() as s:
        assert len(outbox_store.record_notifications(s, rows, now=ctx.clock.now())) == n
    return [r["text"] for r in rows]


def rows(ctx, **where) -> list[Notification]:
    with ctx.session_factory() as s:
        return list(s.execute(select(Notification).filter_by(**where).order_by(Notification.id)).scalars())


def row(ctx, **where) -> Notification:
    [only] = rows(ctx, **where)
    return only


def deliver(ctx, notifier=None):
    return deliver_due(session_factory=ctx.session_factory, notifier=notifier or ctx.notifier, clock=ctx.clock)


def log(ctx, deliver_now: bool = True, **overrides) -> str:
    data = parse_intake(intake_values(**overrides), today=ctx.today())
    logged = complaints.log_complaint(
        session_factory=ctx.session_factory,
        data=data,
        reporter_id="UREPORTER",
        now=ctx.clock.now(),
        settings=ctx.settings,
        policy=ctx.policy,
    )
    if deliver_now:
        ctx.deliver(logged.notification_keys)
    return logged.complaint.reference


def triage(ctx, ref, **overrides) -> tuple[str, ...]:
    """Triage without delivering: returns the keys of the messages it recorded."""
    data = parse_triage(triage_values(**overrides), today=ctx.today())
    return complaints.triage_complaint(
        session_factory=ctx.session_factory,
        reference=ref,
        data=data,
        actor="ULEAD",
        now=ctx.clock.now(),
        settings=ctx.settings,
        policy=ctx.policy,
    ).notification_keys


def client_update(ctx, ref):
    data = parse_client_update(
        {"update_date": ctx.today().isoformat(), "update_via": "phone", "told": "Completion is booked for Friday."},
        today=ctx.today(),
    )
    return complaints.log_client_update(
        session_factory=ctx.session_factory,
        reference=ref,
        data=data,
        actor="UHANDLER1",
        now=ctx.clock.now(),
        policy=ctx.policy,
    )


def snooze(ctx, ref, days: str = "3"):
    data = parse_snooze({"snooze_days": days, "reason": "Client abroad"})
    return complaints.snooze(
        session_factory=ctx.session_factory, reference=ref, data=data, actor="UHANDLER1", now=ctx.clock.now()
    )


def complaint_id(ctx, ref) -> int:
    with ctx.session_factory() as s:
        return s.execute(select(Complaint.id).where(Complaint.reference == ref)).scalar_one()


# --- 1. a send never outlives its claim ------------------------------------------------------------


def test_slow_sends_hand_back_the_claims_they_cannot_finish_in_time(ctx):
    texts = record_plain(ctx, 5)
    slow = SlowNotifier(ctx.clock)
    start = ctx.clock.now()

    first = deliver(ctx, slow)

    # 0 s, 50 s and 100 s leave room for a send before the lease (120 s) ends; 150 s does not.
    assert [(d.dedupe_key, d.sent) for d in first] == [("plain:000", True), ("plain:001", True), ("plain:002", True)]
    assert slow.texts == texts[:3]
    assert ctx.clock.now() == start + 3 * SEND_TAKES
    assert ctx.clock.now() + SEND_TIMEOUT > start + LEASE  # the reason the fourth was not sent
    sent, rest = rows(ctx)[:3], rows(ctx)[3:]
    assert [n.sent_at for n in sent] == [start + SEND_TAKES, start + 2 * SEND_TAKES, start + 3 * SEND_TAKES]
    assert all(n.claimed_until is None for n in sent)
    # The rest are given back, not left claimed until the lease runs out.
    assert [(n.dedupe_key, n.claimed_until, n.sent_at, n.cancelled_at) for n in rest] == [
        ("plain:003", None, None, None),
        ("plain:004", None, None, None),
    ]

    second = deliver(ctx, slow)
    assert [(d.dedupe_key, d.sent) for d in second] == [("plain:003", True), ("plain:004", True)]
    assert slow.texts == texts  # each once, in order
    assert deliver(ctx, slow) == []
    assert all(n.sent_at is not None and n.claimed_until is None for n in rows(ctx))


def test_given_back_claims_can_be_taken_at_once_by_another_process(ctx):
    """A second sender need not wait for the lease to run out: a released message is claimable now."""
    record_plain(ctx, 5)
    slow = SlowNotifier(ctx.clock)
    deliver(ctx, slow)
    start_of_first = ctx.clock.now() - 3 * SEND_TAKES
    ctx.clock.set(start_of_first + SEND_TAKES)  # another process whose clock is well inside the first lease
    other = RecordingNotifier()
    assert [d.dedupe_key for d in deliver(ctx, other) if d.sent] == ["plain:003", "plain:004"]
    assert [s.text for s in other.sent] == ["message 003", "message 004"]


def test_claims_are_taken_a_batch_at_a_time_each_with_its_own_lease(ctx, monkeypatch):
    texts = record_plain(ctx, CLAIM_BATCH + 5)
    claims: list[tuple[int, datetime]] = []
    real_claim = outbox_store.claim_notifications

    def spy(session, ids, *, now, lease_until):
        claims.append((len(ids), lease_until))
        return real_claim(session, ids, now=now, lease_until=lease_until)

    monkeypatch.setattr(outbox_store, "claim_notifications", spy)
    start = ctx.clock.now()
    quick = SlowNotifier(ctx.clock, takes=timedelta(seconds=1))

    result = deliver(ctx, quick)

    assert len(result) == CLAIM_BATCH + 5 and all(d.sent for d in result)
    assert quick.texts == texts
    # The second batch is claimed when the first is done, so its lease runs from then.
    assert claims == [(CLAIM_BATCH, start + LEASE), (5, start + timedelta(seconds=CLAIM_BATCH) + LEASE)]


def test_a_slow_batch_stops_delivery_and_leaves_later_batches_unclaimed(ctx, monkeypatch):
    texts = record_plain(ctx, CLAIM_BATCH + 5)
    claimed_sizes: list[int] = []
    real_claim = outbox_store.claim_notifications
    monkeypatch.setattr(
        outbox_store,
        "claim_notifications",
        lambda session, ids, **kw: claimed_sizes.append(len(ids)) or real_claim(session, ids, **kw),
    )
    slow = SlowNotifier(ctx.clock)

    assert len(deliver(ctx, slow)) == 3
    assert claimed_sizes == [CLAIM_BATCH]  # the second batch was never claimed
    unsent = [n for n in rows(ctx) if n.sent_at is None]
    assert len(unsent) == CLAIM_BATCH + 5 - 3 and all(n.claimed_until is None for n in unsent)

    calls = 1
    while deliver(ctx, slow):
        calls += 1
        assert calls < 20, "delivery is not making progress"
    assert calls == -(-(CLAIM_BATCH + 5) // 3)  # three per call
    assert slow.texts == texts  # every message once, none twice


def test_a_sweep_keeps_delivering_until_slow_slack_has_had_everything(ctx):
    texts = record_plain(ctx, 7)
    slow = SlowNotifier(ctx.clock)
    ctx.notifier = slow
    report = sweep(ctx)
    assert [d.dedupe_key for d in report.sent] == [f"plain:{i:03d}" for i in range(7)]
    assert report.failed == [] and slow.texts == texts


# --- 2. Slack errors no retry can cure -------------------------------------------------------------


@pytest.fixture
def slack_ctx(ctx, slack_double):
    ctx.notifier = SlackNotifier(
        WebClient(token=ctx.settings.slack_bot_token, base_url=slack_double.url, retry_handlers=[])
    )
    return ctx


def warning_posts(slack_double) -> list:
    return [c for c in slack_double.calls_to("chat.postMessage") if "still needs triage" in str(c.params.get("text"))]


@pytest.mark.parametrize("error", ["invalid_blocks", "msg_too_long", "invalid_arguments"])
def test_a_permanent_slack_error_cancels_the_message_instead_of_retrying(slack_ctx, slack_double, error):
    ctx = slack_ctx
    ref = log(ctx)
    ctx.clock.advance(hours=20)
    failed_at = ctx.clock.now()
    slack_double.fail(status=200, count=1, error=error, methods={"chat.postMessage"})

    report = sweep(ctx)

    assert [(d.kind, d.sent, d.error) for d in report.deliveries] == [
        ("triage-warning", False, f"Slack answered 200: {error}")
    ]
    warning = row(ctx, dedupe_key=f"triage-warning:{ref}")
    assert warning.cancelled_at == failed_at and warning.sent_at is None and warning.claimed_until is None
    assert warning.last_error == f"Slack answered 200: {error}"  # kept, to say why it never went
    with ctx.session_factory() as s:
        assert warning.id not in outbox_store.due_notification_ids(s, now=failed_at + timedelta(days=365))
    for step in (timedelta(seconds=30), timedelta(minutes=30), timedelta(hours=3, minutes=29)):
        ctx.clock.advance(step)  # well past any backoff, still before the 24-hour breach
        assert sweep(ctx).deliveries == []
        assert preview(ctx) == []
    assert len(warning_posts(slack_double)) == 1 and warning_posts(slack_double)[0].failed


@pytest.mark.parametrize(
    "status, error",
    [(200, "channel_not_found"), (200, "not_in_channel"), (500, None)],
    ids=["channel-not-found", "not-in-channel", "http-500"],
)
def test_a_transient_slack_error_is_retried_and_delivered_once(slack_ctx, slack_double, status, error):
    ctx = slack_ctx
    ref = log(ctx)
    ctx.clock.advance(hours=20)
    failed_at = ctx.clock.now()
    slack_double.fail(status=status, count=1, error=error, methods={"chat.postMessage"})

    first = sweep(ctx)

    assert [(d.kind, d.sent) for d in first.deliveries] == [("triage-warning", False)]
    warning = row(ctx, dedupe_key=f"triage-warning:{ref}")
    assert warning.cancelled_at is None and warning.sent_at is None
    assert warning.next_attempt_at == failed_at + delivery.FIRST_RETRY and str(status) in warning.last_error
    ctx.clock.advance(delivery.FIRST_RETRY - timedelta(seconds=1))
    assert sweep(ctx).deliveries == []
    ctx.clock.advance(seconds=1)
    assert [(d.kind, d.sent) for d in sweep(ctx).deliveries] == [("triage-warning", True)]
    ctx.clock.advance(hours=1)
    assert sweep(ctx).deliveries == []
    posts = warning_posts(slack_double)
    assert [c.ok for c in posts] == [False, True]
    sent = row(ctx, dedupe_key=f"triage-warning:{ref}")
    assert sent.sent_at == failed_at + delivery.FIRST_RETRY and sent.last_error is None and sent.attempts == 2


def test_an_edit_of_a_message_slack_no_longer_has_is_given_up(slack_ctx, slack_double):
    ctx = slack_ctx
    ref = log(ctx)
    ctx.clock.advance(hours=1)
    keys = triage(ctx, ref)
    [edit_key] = [k for k in keys if k.startswith("triage-alert-update:")]
    slack_double.fail(status=200, count=1, error="message_not_found", methods={"chat.update"})
    ctx.deliver(keys)
    edit = row(ctx, dedupe_key=edit_key)
    assert edit.cancelled_at == ctx.clock.now() and edit.last_error == "Slack answered 200: message_not_found"
    assert row(ctx, kind="assigned").sent_at == ctx.clock.now()  # the other message went
    ctx.clock.advance(hours=2)
    sweep(ctx)
    assert len(slack_double.calls_to("chat.update")) == 1


def test_permanent_errors_are_about_the_message_not_about_slack_or_setup():
    assert {"invalid_blocks", "msg_too_long", "message_not_found"} <= PERMANENT_ERRORS
    # These an admin or Slack can cure: a retry may go through.
    assert not PERMANENT_ERRORS & {
        "channel_not_found",
        "not_in_channel",
        "ratelimited",
        "invalid_auth",
        "token_revoked",
        "internal_error",
        "fatal_error",
    }


# --- 3. out-of-order triage alert edits --------------------------------------------------------------


def alert_edits(notifier) -> list:
    return [s for s in notifier.sent if s.op == "update"]


def test_two_alert_edits_before_delivery_send_only_the_newest(ctx, notifier):
    ref = log(ctx)
    notifier.sent.clear()
    first = triage(ctx, ref)
    ctx.clock.advance(minutes=5)
    second = triage(ctx, ref, handler="UHANDLER2")
    [old_key] = [k for k in first if k.startswith("triage-alert-update:")]
    [new_key] = [k for k in second if k.startswith("triage-alert-update:")]
    assert old_key != new_key
    assert row(ctx, dedupe_key=old_key).cancelled_at == ctx.clock.now()

    report = sweep(ctx)

    assert [d.dedupe_key for d in report.sent if d.kind == "triage-alert-update"] == [new_key]
    [edit] = alert_edits(notifier)
    assert "UHANDLER2" in edit.blocks[0]["text"]["text"] and "UHANDLER1" not in edit.blocks[0]["text"]["text"]
    assert row(ctx, dedupe_key=old_key).sent_at is None
    for _ in range(3):
        ctx.clock.advance(days=1)
        sweep(ctx)
    assert len(alert_edits(notifier)) == 1


def test_a_failed_alert_edit_is_not_retried_after_a_newer_one(ctx, notifier):
    ref = log(ctx)
    notifier.sent.clear()
    first = triage(ctx, ref)
    notifier.fail_next(SendFailed("Slack answered 500"))
    ctx.deliver([k for k in first if k.startswith("triage-alert-update:")])  # the edit failed; it waits for a retry
    assert alert_edits(notifier) == []
    ctx.clock.advance(seconds=10)  # before its retry is due
    resolved = complaints.resolve(
        session_factory=ctx.session_factory,
        reference=ref,
        now=ctx.clock.now(),
        actor="UHANDLER1",
        settings=ctx.settings,
        data=parse_resolution(
            {
                "outcome": "upheld",
                "final_response_sent_on": ctx.today().isoformat(),
                "ombudsman": "available,contact,six_months",
                "root_cause": "delay",
            },
            today=ctx.today(),
        ),
    )
    ctx.deliver(resolved.notification_keys)
    for _ in range(4):
        ctx.clock.advance(minutes=31)  # past any backoff
        sweep(ctx)
    [edit] = alert_edits(notifier)
    assert "resolved by" in edit.blocks[0]["text"]["text"]
    assert [(n.sent_at is None, n.cancelled_at is None) for n in rows(ctx, kind="triage-alert-update")] == [
        (True, False),
        (False, True),
    ]


# --- 4. triage cancels the triage reminders still waiting ---------------------------------------------


@pytest.mark.parametrize("hours, kind", [(20, "triage-warning"), (25, "triage-breach")])
def test_triage_cancels_an_unsent_triage_reminder(ctx, notifier, hours, kind):
    ref = log(ctx)
    other = log(ctx)
    ctx.clock.advance(hours=hours)
    notifier.fail_next(SendFailed("Slack answered 500"), SendFailed("Slack answered 500"))
    report = sweep(ctx)
    assert sorted((d.kind, d.sent) for d in report.deliveries) == [(kind, False), (kind, False)]
    ctx.clock.advance(seconds=5)  # triaged before the retry is due
    triage(ctx, ref)
    mine = [n for n in rows(ctx, kind=kind) if n.complaint_id == complaint_id(ctx, ref)]
    theirs = [n for n in rows(ctx, kind=kind) if n.complaint_id == complaint_id(ctx, other)]
    assert [n.cancelled_at for n in mine] == [ctx.clock.now()]
    assert [n.cancelled_at for n in theirs] == [None]  # not this complaint's

    notifier.sent.clear()
    ctx.clock.advance(minutes=1)
    report = sweep(ctx)

    sent = [(d.dedupe_key, d.kind) for d in report.sent]
    assert (theirs[0].dedupe_key, kind) in sent
    assert not [k for k, sent_kind in sent if sent_kind in ("triage-warning", "triage-breach") and ref in k]
    assert not [s for s in notifier.sent if ref in s.text and ("needs triage" in s.text or "not triaged" in s.text)]


def test_triage_leaves_sent_triage_reminders_alone(ctx, notifier):
    ref = log(ctx)
    ctx.clock.advance(hours=20)
    assert [d.kind for d in sweep(ctx).sent] == ["triage-warning"]
    sent = row(ctx, kind="triage-warning")
    triage(ctx, ref)
    after = row(ctx, kind="triage-warning")
    assert after.sent_at == sent.sent_at and after.cancelled_at is None


# --- 5. a client update or a snooze cancels the update reminders still waiting ------------------------


@pytest.mark.parametrize("change", [client_update, snooze], ids=["client-update", "snooze"])
def test_update_or_snooze_cancels_unsent_update_reminders(ctx, notifier, change):
    ref = log(ctx)
    triage(ctx, ref, severity="high")  # every 5 days
    ctx.deliver()
    ctx.clock.advance(days=7)  # due and two days overdue: a nudge and an escalation
    notifier.fail_next(SendFailed("Slack answered 500"), SendFailed("Slack answered 500"))
    report = sweep(ctx)
    assert sorted((d.kind, d.sent) for d in report.deliveries) == [("update-due", False), ("update-overdue", False)]
    # A final-response reminder for the same complaint, also waiting: not an update reminder.
    with ctx.session_factory.begin() as s:
        outbox_store.record_notification(
            s,
            dedupe_key=f"final-warning:{ref}:14d",
            kind="final-warning",
            channel="UHANDLER1",
            text="Final response due",
            blocks=None,
            now=ctx.clock.now(),
            complaint_id=complaint_id(ctx, ref),
        )
    ctx.clock.advance(seconds=5)

    change(ctx, ref)

    now = ctx.clock.now()
    assert [n.cancelled_at for n in rows(ctx, kind="update-due")] == [now]
    assert [n.cancelled_at for n in rows(ctx, kind="update-overdue")] == [now]
    assert row(ctx, kind="final-warning").cancelled_at is None
    notifier.sent.clear()
    ctx.clock.advance(minutes=31)  # past the failed sends' retry time
    assert [d.kind for d in sweep(ctx).sent] == ["final-warning"]
    assert [n.sent_at for n in rows(ctx, kind="update-due")] == [None]
    assert [n.sent_at for n in rows(ctx, kind="update-overdue")] == [None]


# --- 6. settings the sweep needs ----------------------------------------------------------------------


def test_sweep_settings_need_the_triage_channel_and_the_dry_run_needs_no_token():
    with pytest.raises(SettingsError) as e:
        load_settings("sweep", {"SLACK_BOT_TOKEN": "xoxb-1-2"})
    assert [p.split(" ")[0] for p in e.value.problems] == ["TRIAGE_CHANNEL"]
    with pytest.raises(SettingsError) as e:
        load_settings("sweep", {"TRIAGE_CHANNEL": "C0TRIAGE"})
    assert [p.split(" ")[0] for p in e.value.problems] == ["SLACK_BOT_TOKEN"]
    dry = load_settings("preview", {"TRIAGE_CHANNEL": "C0TRIAGE"})
    assert dry.slack_bot_token is None and dry.triage_channel == "C0TRIAGE"


@pytest.mark.parametrize("args", [["sweep"], ["sweep", "--dry-run"]], ids=["sweep", "dry-run"])
def test_sweep_without_a_triage_channel_is_a_settings_error(tmp_path, args):
    db = tmp_path / "c.db"
    result = run_cli(args, {"SLACK_BOT_TOKEN": "xoxb-t", "DATABASE_URL": f"sqlite:///{db}"}, tmp_path)
    assert result.returncode == 2
    assert "TRIAGE_CHANNEL is missing" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert not db.exists()  # refused before touching the store


def test_sweep_dry_run_needs_no_bot_token(tmp_path, db_url, engine, session_factory, slack_double):
    from bot.core.context import make_context
    from tests.conftest import make_settings

    # logged 25 hours before the real time the command will see, and never triaged
    ctx = make_context(
        settings=make_settings(db_url),
        engine=engine,
        session_factory=session_factory,
        notifier=RecordingNotifier(),
        clock=FrozenClock(datetime.now(UTC) - timedelta(hours=25)),
        team=no_team(),
    )
    ref = log(ctx, deliver_now=False, received_on=ctx.today().isoformat())
    env = {"TRIAGE_CHANNEL": "CTRIAGE01", "SLACK_API_URL": slack_double.url, "DATABASE_URL": db_url}

    dry = run_cli(["sweep", "--dry-run"], env, tmp_path)

    assert dry.returncode == 0, dry.stderr
    assert f"would send  triage-breach:{ref}:" in dry.stdout
    assert "3 message(s) would be sent. Nothing was sent or recorded." in dry.stdout
    assert slack_double.calls == []  # not even auth.test
    real = run_cli(["sweep"], env, tmp_path)
    assert real.returncode == 2 and "SLACK_BOT_TOKEN is missing" in real.stderr
    assert slack_double.calls == [] and len(rows(ctx)) == 2  # nothing recorded by either


# --- 7. days left when a complaint is logged late ------------------------------------------------------

RECEIVED_LATE = date(2026, 10, 8)  # 6 weeks and 4 days before T0 (Monday 23 Nov 2026)
DUE_LATE = date(2026, 12, 3)  # 8 weeks after receipt: 10 days after T0


def test_a_late_logged_complaints_warning_says_the_real_days_left(ctx, notifier):
    ref = log(ctx, received_on=RECEIVED_LATE.isoformat())
    with ctx.session_factory() as s:
        assert s.execute(select(Complaint.final_response_due_on)).scalar_one() == DUE_LATE
    notifier.sent.clear()

    report = sweep(ctx)  # the 6-week warning fell due before the complaint was logged

    assert [d.dedupe_key for d in report.sent] == [f"final-warning:{ref}:14d"]
    [warning] = notifier.sent
    assert "in 10 days" in warning.text and "in 14 days" not in warning.text
    assert warning.channel == "CTRIAGE01"  # no handler yet
    # The 7-week warning falls due after logging, on its own day: 7 days left.
    ctx.clock.set(datetime(2026, 11, 26, 9, 0, tzinfo=UTC))
    triage(ctx, ref, target_date="2026-12-01")
    notifier.sent.clear()
    report = sweep(ctx)
    assert [d.dedupe_key for d in report.sent if d.kind == "final-warning"] == [f"final-warning:{ref}:7d"]
    [seven] = [s for s in notifier.sent if "final response" in s.text]
    assert "in 7 days" in seven.text and seven.channel == "UHANDLER1"


@pytest.mark.parametrize(
    "received_on, logged_on, key_days, days_left",
    [
        (date(2026, 10, 8), date(2026, 11, 23), 14, 10),  # logged 6.5 weeks in
        (date(2026, 9, 30), date(2026, 11, 23), 7, 2),  # logged with 2 days to go: the 7-day step, 2 left
        (date(2026, 11, 9), date(2026, 11, 23), None, None),  # logged in time: nothing yet
    ],
    ids=["6.5-weeks", "2-days-left", "in-time"],
)
def test_policy_days_left_for_a_late_complaint(received_on, logged_on, key_days, days_left):
    policy = SlaPolicy()
    logged_at = datetime.combine(logged_on, datetime.min.time(), tzinfo=UTC) + timedelta(hours=9, minutes=30)
    facts = ComplaintFacts(
        reference="CMP-2026-0001",
        status="new",
        logged_at=logged_at,
        received_on=received_on,
        final_response_due_on=policy.final_response_due_on(received_on),
    )
    finals = [r for r in policy.due(facts, logged_at) if r.kind == ReminderKind.FINAL_WARNING]
    if key_days is None:
        assert finals == []
        return
    [warning] = finals
    assert warning.key == f"final-warning:CMP-2026-0001:{key_days}d"
    assert warning.days_left == days_left == (facts.final_response_due_on - logged_on).days


# --- 8. backoff after very many failed attempts --------------------------------------------------------


@pytest.mark.parametrize("attempts", [17, 42, 43, 50, 1000, 10**6])
def test_retry_delay_is_capped_and_never_overflows(attempts):
    assert delivery.retry_delay(attempts) == delivery.MAX_RETRY
    assert delivery.retry_delay(attempts, retry_after=3600) == timedelta(hours=1)  # Slack's hint still wins


def test_retry_delay_doubles_from_thirty_seconds_up_to_the_cap():
    delays = [delivery.retry_delay(n) for n in range(0, 9)]
    assert delays[:7] == [timedelta(seconds=s) for s in (30, 30, 60, 120, 240, 480, 960)]
    assert delays[7:] == [delivery.MAX_RETRY] * 2  # 1920 s is past 30 min


def set_attempts(ctx, key: str, attempts: int) -> None:
    with ctx.session_factory.begin() as s:
        s.execute(Notification.__table__.update().where(Notification.dedupe_key == key).values(attempts=attempts))


def test_a_message_failed_fifty_times_is_retried_and_does_not_hold_up_the_rest(ctx, notifier):
    texts = record_plain(ctx, 3)
    set_attempts(ctx, "plain:000", 50)  # first in line: failed over and over in the past
    notifier.fail_next(SendFailed("Slack answered 500"))
    failed_at = ctx.clock.now()

    result = deliver(ctx)  # raised OverflowError computing the backoff, leaving the rest unsent

    assert [(d.dedupe_key, d.sent) for d in result] == [("plain:000", False), ("plain:001", True), ("plain:002", True)]
    assert [s.text for s in notifier.sent] == texts[1:]
    stuck = row(ctx, dedupe_key="plain:000")
    assert (stuck.attempts, stuck.cancelled_at, stuck.abandoned_at, stuck.claimed_until) == (51, None, None, None)
    assert stuck.next_attempt_at == failed_at + delivery.MAX_RETRY and stuck.last_error == "Slack answered 500"

    ctx.clock.advance(delivery.MAX_RETRY - timedelta(seconds=1))
    assert deliver(ctx) == []
    ctx.clock.advance(seconds=1)
    assert [(d.dedupe_key, d.sent) for d in deliver(ctx)] == [("plain:000", True)]
    assert [s.text for s in notifier.sent] == texts[1:] + texts[:1]


def test_a_sweep_survives_a_message_failed_fifty_times(ctx, notifier):
    record_plain(ctx, 2)
    set_attempts(ctx, "plain:000", 50)
    notifier.fail_next(SendFailed("Slack answered 503", retry_after=5))
    report = sweep(ctx)
    assert [(d.dedupe_key, d.sent) for d in report.deliveries] == [("plain:000", False), ("plain:001", True)]
    assert row(ctx, dedupe_key="plain:000").next_attempt_at == ctx.clock.now() + delivery.MAX_RETRY


# --- 9. an edit of a message that will never be sent ---------------------------------------------------

NEVER_SENT = "the message to update was never sent and will not be"
NOT_YET_SENT = "the message to update has not been sent yet"


def test_an_edit_of_an_alert_given_up_is_given_up_at_once(ctx, notifier):
    ref = log(ctx, deliver_now=False)
    ctx.deliver([f"logged:{ref}"])
    notifier.fail_next(SendFailed("Slack answered 200: invalid_blocks", permanent=True))
    ctx.deliver([f"triage-alert:{ref}"])
    alert = row(ctx, dedupe_key=f"triage-alert:{ref}")
    assert alert.abandoned_at == ctx.clock.now() and alert.sent_at is None
    ctx.clock.advance(minutes=10)
    keys = triage(ctx, ref)
    [edit_key] = [k for k in keys if k.startswith("triage-alert-update:")]

    result = ctx.deliver(keys)

    assert sorted((d.kind, d.sent, d.error) for d in result) == [
        ("assigned", True, None),
        ("triage-alert-update", False, NEVER_SENT),
    ]
    edit = row(ctx, dedupe_key=edit_key)
    now = ctx.clock.now()
    assert (edit.cancelled_at, edit.abandoned_at, edit.sent_at, edit.last_error) == (now, now, None, NEVER_SENT)
    with ctx.session_factory() as s:
        assert edit.id not in outbox_store.due_notification_ids(s, now=now + timedelta(days=365))
    for _ in range(3):
        ctx.clock.advance(minutes=31)  # well past any backoff
        assert [d for d in sweep(ctx).deliveries if d.kind == "triage-alert-update"] == []
    assert alert_edits(notifier) == [] and row(ctx, dedupe_key=edit_key).attempts == 1


def test_an_edit_of_an_alert_not_yet_sent_waits_for_it_and_then_goes(ctx, notifier):
    ref = log(ctx, deliver_now=False)
    ctx.deliver([f"logged:{ref}"])
    notifier.fail_next(SendFailed("Slack answered 500"))
    ctx.deliver([f"triage-alert:{ref}"])  # retried in 30 s
    ctx.clock.advance(seconds=5)
    keys = triage(ctx, ref)
    [edit_key] = [k for k in keys if k.startswith("triage-alert-update:")]

    assert [(d.kind, d.error) for d in ctx.deliver([edit_key])] == [("triage-alert-update", NOT_YET_SENT)]
    edit = row(ctx, dedupe_key=edit_key)
    assert (edit.cancelled_at, edit.abandoned_at, edit.sent_at) == (None, None, None)
    assert edit.next_attempt_at == ctx.clock.now() + delivery.FIRST_RETRY

    ctx.clock.advance(minutes=1)
    report = sweep(ctx)

    assert [d.kind for d in report.sent if d.kind.startswith("triage-alert")] == ["triage-alert", "triage-alert-update"]
    [post] = [s for s in notifier.sent if s.op == "post" and s.channel == "CTRIAGE01"]
    [edit_sent] = alert_edits(notifier)
    assert edit_sent.ts == post.ts and "UHANDLER1" in edit_sent.blocks[0]["text"]["text"]
    assert row(ctx, dedupe_key=edit_key).sent_at == ctx.clock.now()


@pytest.mark.parametrize("original", ["cancelled", "abandoned", "pending", "sent"])
def test_an_edit_is_given_up_only_when_its_message_is_given_up(ctx, notifier, original):
    with ctx.session_factory.begin() as s:
        outbox_store.record_notification(
            s, dedupe_key="orig", kind="plain", channel="CTRIAGE01", text="original", blocks=None, now=ctx.clock.now()
        )
    if original == "sent":
        ctx.deliver(["orig"])
    elif original != "pending":
        values = {"cancelled_at": ctx.clock.now()}
        if original == "abandoned":
            values["abandoned_at"] = ctx.clock.now()
        with ctx.session_factory.begin() as s:
            s.execute(Notification.__table__.update().where(Notification.dedupe_key == "orig").values(**values))
    ctx.clock.advance(seconds=1)
    with ctx.session_factory.begin() as s:
        outbox_store.record_notification(
            s,
            dedupe_key="edit",
            kind="plain-update",
            channel="CTRIAGE01",
            text="edited",
            blocks=None,
            now=ctx.clock.now(),
            update_of="orig",
        )

    [result] = ctx.deliver(["edit"])

    edit = row(ctx, dedupe_key="edit")
    now = ctx.clock.now()
    if original == "sent":
        assert result.sent and edit.sent_at == now and alert_edits(notifier)[0].text == "edited"
    elif original in ("pending", "cancelled"):
        # A message merely cancelled may be brought back and sent, so its edit waits.
        assert (result.sent, result.error) == (False, NOT_YET_SENT)
        assert (edit.cancelled_at, edit.abandoned_at, edit.next_attempt_at) == (None, None, now + delivery.FIRST_RETRY)
    else:
        assert (result.sent, result.error) == (False, NEVER_SENT)
        assert (edit.cancelled_at, edit.abandoned_at, edit.last_error) == (now, now, NEVER_SENT)
        assert alert_edits(notifier) == []


# --- 10. a reminder cancelled before it went out comes back when it is due again -------------------------


def resolve(ctx, ref) -> tuple[str, ...]:
    return complaints.resolve(
        session_factory=ctx.session_factory,
        reference=ref,
        now=ctx.clock.now(),
        actor="UHANDLER1",
        settings=ctx.settings,
        data=parse_resolution(
            {
                "outcome": "upheld",
                "final_response_sent_on": ctx.today().isoformat(),
                "ombudsman": "available,contact,six_months",
                "root_cause": "delay",
            },
            today=ctx.today(),
        ),
    ).notification_keys


def reopen(ctx, ref) -> tuple[str, ...]:
    return complaints.reopen(
        session_factory=ctx.session_factory,
        reference=ref,
        actor="ULEAD",
        now=ctx.clock.now(),
        settings=ctx.settings,
        policy=ctx.policy,
    ).notification_keys


def escalations(notifier, ref) -> list:
    return [s for s in notifier.to("CTRIAGE01") if ref in s.text and "is overdue since" in s.text]


def test_an_escalation_cancelled_by_a_snooze_is_sent_once_the_snooze_runs_out(ctx, notifier):
    ref = log(ctx)
    triage(ctx, ref, severity="high")  # an update every 5 days: due 28 Nov
    ctx.deliver()
    ctx.clock.advance(days=7)  # 30 Nov: two days overdue, so a nudge and an escalation
    notifier.fail_next(SendFailed("Slack answered 500"), SendFailed("Slack answered 500"))
    assert sorted((d.kind, d.sent) for d in sweep(ctx).deliveries) == [("update-due", False), ("update-overdue", False)]
    overdue_key = f"update-overdue:{ref}:2026-11-28"
    assert row(ctx, kind="update-overdue").dedupe_key == overdue_key
    ctx.clock.advance(seconds=5)
    snooze(ctx, ref, "3")  # until 3 Dec; the escalation, if the update is still not given, 2 days after
    assert row(ctx, kind="update-overdue").cancelled_at == ctx.clock.now()
    snoozed_until = ctx.clock.now() + timedelta(days=3)
    notifier.sent.clear()

    ctx.clock.set(snoozed_until)
    assert [d.kind for d in sweep(ctx).sent] == ["update-due"]  # the nudge again, under a new day's key
    ctx.clock.advance(days=1)
    assert [d.kind for d in sweep(ctx).sent] == ["update-due"]  # daily
    ctx.clock.advance(days=1, seconds=-1)
    assert [d.kind for d in sweep(ctx).sent] == []
    assert escalations(notifier, ref) == []
    ctx.clock.advance(seconds=1)  # still no update: the escalation is due again, under the same key

    report = sweep(ctx)

    assert overdue_key in report.recorded  # brought back, reported as recorded
    assert sorted(d.dedupe_key for d in report.sent) == sorted([overdue_key, f"update-due:{ref}:2026-12-05"])
    assert len(escalations(notifier, ref)) == 1
    back = row(ctx, dedupe_key=overdue_key)
    assert back.cancelled_at is None and back.abandoned_at is None and back.sent_at == ctx.clock.now()
    for _ in range(4):
        ctx.clock.advance(days=1)
        sweep(ctx)
    assert len(escalations(notifier, ref)) == 1  # once per missed update, never again


LONG_AGO = date(2026, 9, 20).isoformat()  # final response due 15 Nov 2026: breached before T0


def test_a_breach_cancelled_by_resolving_is_sent_once_when_the_complaint_is_reopened(ctx, notifier):
    ref = log(ctx, received_on=LONG_AGO)
    notifier.fail_next(SendFailed("Slack answered 500"))
    assert [(d.dedupe_key, d.sent) for d in sweep(ctx).deliveries] == [(f"final-breach:{ref}", False)]
    ctx.clock.advance(seconds=5)
    ctx.deliver(resolve(ctx, ref))
    assert row(ctx, kind="final-breach").cancelled_at == ctx.clock.now()
    ctx.clock.advance(minutes=31)  # past the retry: resolved, so nothing goes
    assert [d for d in sweep(ctx).deliveries if d.kind == "final-breach"] == []
    ctx.clock.advance(hours=1)
    ctx.deliver(reopen(ctx, ref))
    notifier.sent.clear()

    report = sweep(ctx)

    assert [d.dedupe_key for d in report.sent] == [f"final-breach:{ref}"]
    [breach] = notifier.sent
    assert "final-response deadline" in breach.text and ref in breach.text and breach.channel == "CTRIAGE01"
    back = row(ctx, kind="final-breach")
    assert (back.cancelled_at, back.sent_at) == (None, ctx.clock.now())
    for _ in range(3):
        ctx.clock.advance(days=1)
        sweep(ctx)
    assert len([s for s in notifier.sent if "final-response deadline" in s.text]) == 1


@pytest.mark.parametrize("how", ["given-up", "sent"])
def test_re_recording_never_revives_a_message_given_up_or_re_sends_one_sent(ctx, notifier, how):
    ref = log(ctx, received_on=LONG_AGO)
    if how == "given-up":
        notifier.fail_next(SendFailed("Slack answered 200: msg_too_long", permanent=True))
    assert [(d.kind, d.sent) for d in sweep(ctx).deliveries] == [("final-breach", how == "sent")]
    before = row(ctx, kind="final-breach")
    ctx.clock.advance(minutes=1)
    ctx.deliver(resolve(ctx, ref))
    ctx.clock.advance(minutes=1)
    ctx.deliver(reopen(ctx, ref))
    notifier.sent.clear()

    report = sweep(ctx)  # the policy finds the breach due again and records its key again

    assert f"final-breach:{ref}" not in report.recorded
    assert [d for d in report.deliveries if d.kind == "final-breach"] == []
    after = row(ctx, kind="final-breach")
    assert (after.cancelled_at, after.abandoned_at, after.sent_at, after.last_error, after.attempts) == (
        before.cancelled_at,
        before.abandoned_at,
        before.sent_at,
        before.last_error,
        before.attempts,
    )
    if how == "given-up":
        assert after.abandoned_at is not None and after.sent_at is None
    ctx.clock.advance(hours=2)
    sweep(ctx)
    assert not [s for s in notifier.sent if "final-response deadline" in s.text]


@dataclass
class ResolvingNotifier(RecordingNotifier):
    """Resolves the complaint while Slack is posting the breach: a send the resolve cannot stop."""

    ctx: object = None
    ref: str = ""

    def post(self, *, channel, text, blocks) -> Posted:
        if "final-response deadline" in text:
            resolve(self.ctx, self.ref)
        return super().post(channel=channel, text=text, blocks=blocks)


def test_a_breach_cancelled_while_slack_posted_it_is_not_sent_again_on_reopening(ctx):
    ref = log(ctx, received_on=LONG_AGO)
    ctx.notifier = ResolvingNotifier(ctx=ctx, ref=ref)
    assert [(d.kind, d.sent) for d in sweep(ctx).deliveries] == [("final-breach", True), ("triage-alert-update", True)]
    mid_send = row(ctx, kind="final-breach")
    assert mid_send.cancelled_at == mid_send.sent_at == ctx.clock.now()  # both: cancelled, and went anyway
    ctx.clock.advance(minutes=1)
    ctx.deliver(reopen(ctx, ref))

    report = sweep(ctx)

    assert f"final-breach:{ref}" not in report.recorded and not [
        d for d in report.deliveries if d.kind == "final-breach"
    ]
    assert len([s for s in ctx.notifier.sent if "final-response deadline" in s.text]) == 1
    assert row(ctx, kind="final-breach").sent_at == mid_send.sent_at


def record_one(ctx, key: str, text: str, channel: str = "CTRIAGE01") -> set[str]:
    with ctx.session_factory.begin() as s:
        return outbox_store.record_notifications(
            s, [dict(dedupe_key=key, kind="plain", channel=channel, text=text, blocks=None)], now=ctx.clock.now()
        )


def snapshot(n: Notification) -> tuple:
    return (
        n.channel,
        n.text,
        n.created_at,
        n.next_attempt_at,
        n.attempts,
        n.last_error,
        n.claimed_until,
        n.cancelled_at,
        n.sent_at,
    )


def test_re_recording_a_live_key_changes_nothing(ctx, notifier):
    t0 = ctx.clock.now()
    assert record_one(ctx, "k:failed", "first") == {"k:failed"}
    assert record_one(ctx, "k:claimed", "first") == {"k:claimed"}
    assert record_one(ctx, "k:waiting", "first") == {"k:waiting"}
    notifier.fail_next(SendFailed("Slack answered 500"))
    ctx.deliver(["k:failed"])  # waiting for its retry
    with ctx.session_factory.begin() as s:
        [claimed] = outbox_store.claim_notifications(
            s, [row(ctx, dedupe_key="k:claimed").id], now=t0, lease_until=t0 + LEASE
        )
    before = {n.dedupe_key: snapshot(n) for n in rows(ctx)}
    assert before["k:failed"][3:6] == (t0 + delivery.FIRST_RETRY, 1, "Slack answered 500")
    assert before["k:claimed"][6] == t0 + LEASE
    ctx.clock.advance(seconds=10)

    for key in before:
        assert record_one(ctx, key, "second", channel="CELSEWHERE") == set()

    assert {n.dedupe_key: snapshot(n) for n in rows(ctx)} == before
    ctx.clock.advance(minutes=5)  # the claim has run out and the retry is due
    assert sorted(d.dedupe_key for d in deliver(ctx) if d.sent) == ["k:claimed", "k:failed", "k:waiting"]
    assert [(s.channel, s.text) for s in notifier.sent] == [("CTRIAGE01", "first")] * 3


def test_re_recording_a_cancelled_key_brings_it_back_with_its_new_content(ctx, notifier):
    t0 = ctx.clock.now()
    record_one(ctx, "k", "first")
    with ctx.session_factory.begin() as s:
        s.execute(Notification.__table__.update().where(Notification.dedupe_key == "k").values(cancelled_at=t0))
    assert deliver(ctx) == []
    ctx.clock.advance(hours=3)

    assert record_one(ctx, "k", "second", channel="CELSEWHERE") == {"k"}

    back = row(ctx, dedupe_key="k")
    assert (back.cancelled_at, back.abandoned_at, back.sent_at, back.claimed_until) == (None, None, None, None)
    assert (back.channel, back.text, back.next_attempt_at) == ("CELSEWHERE", "second", ctx.clock.now())
    assert [d.dedupe_key for d in deliver(ctx) if d.sent] == ["k"]
    assert [(s.channel, s.text) for s in notifier.sent] == [("CELSEWHERE", "second")]
    assert record_one(ctx, "k", "third") == set()  # sent: never again
    assert deliver(ctx) == [] and len(notifier.sent) == 1


# --- 11. a claim given back was no attempt ---------------------------------------------------------------


def test_a_released_claim_gives_its_attempt_back_and_the_preview_shows_no_retry(ctx, notifier):
    texts = record_plain(ctx, 5)
    notifier.fail_next(SendFailed("Slack answered 500"))
    ctx.deliver(["plain:000"])  # tried once: retried in 30 s, behind the other four
    ctx.clock.advance(delivery.FIRST_RETRY)
    slow = SlowNotifier(ctx.clock)

    assert [d.dedupe_key for d in deliver(ctx, slow)] == ["plain:001", "plain:002", "plain:003"]

    # plain:004 and plain:000 were claimed, then handed back unsent: the claim was no attempt.
    assert {n.dedupe_key: (n.attempts, n.claimed_until) for n in rows(ctx) if n.sent_at is None} == {
        "plain:000": (1, None),
        "plain:004": (0, None),
    }
    assert preview(ctx) == [
        "plain:004 → CTRIAGE01: message 004",
        "plain:000 → CTRIAGE01: message 000 (retry 2; last error: Slack answered 500)",
    ]
    assert [(d.dedupe_key, d.sent) for d in deliver(ctx)] == [("plain:004", True), ("plain:000", True)]
    assert {n.dedupe_key: n.attempts for n in rows(ctx)} == {
        "plain:000": 2,
        "plain:001": 1,
        "plain:002": 1,
        "plain:003": 1,
        "plain:004": 1,
    }
    assert slow.texts + [s.text for s in notifier.sent] == [*texts[1:4], texts[4], texts[0]]


def test_a_claim_given_back_again_and_again_never_counts(ctx):
    record_plain(ctx, 4)
    slow = SlowNotifier(ctx.clock, takes=timedelta(seconds=110))  # one send a call: the rest are given back
    for sent in range(1, 5):
        assert len(deliver(ctx, slow)) == 1
        assert sorted(n.attempts for n in rows(ctx)) == [0] * (4 - sent) + [1] * sent
        assert all(n.claimed_until is None for n in rows(ctx))
        assert not [line for line in preview(ctx) if "(retry" in line]


# --- 12. days left counted from the day the warning goes out ---------------------------------------------


def test_a_warning_after_downtime_counts_the_days_left_from_the_sweep(ctx, notifier):
    ref = log(ctx, received_on=date(2026, 11, 23).isoformat())  # final response due 18 Jan 2027
    triage(ctx, ref, target_date="2027-01-08")
    ctx.deliver()
    with ctx.session_factory() as s:
        assert s.execute(select(Complaint.final_response_due_on)).scalar_one() == date(2027, 1, 18)
    notifier.sent.clear()
    # The 14-day warning fell due on 4 Jan 2027; the bot was down until 6 Jan.
    ctx.clock.set(datetime(2027, 1, 6, 10, 0, tzinfo=UTC))

    report = sweep(ctx)

    assert [d.dedupe_key for d in report.sent if d.kind == "final-warning"] == [f"final-warning:{ref}:14d"]
    [warning] = [s for s in notifier.sent if "final response" in s.text]
    assert "18 Jan 2027" in warning.text
    assert warning.text.endswith("in 12 days.") and "14 days" not in warning.text
    # The 7-day warning, on its own day, says 7.
    ctx.clock.set(datetime(2027, 1, 11, 9, 0, tzinfo=UTC))
    notifier.sent.clear()
    sweep(ctx)
    [seven] = [s for s in notifier.sent if "final response" in s.text]
    assert seven.text.endswith("in 7 days.")


@pytest.mark.parametrize(
    "received_on, word",
    [(date(2026, 9, 28), "today"), (date(2026, 9, 29), "tomorrow"), (date(2026, 9, 30), "in 2 days")],
    ids=["due-today", "due-tomorrow", "two-days"],
)
def test_a_warning_on_the_last_days_says_today_or_tomorrow(ctx, notifier, received_on, word):
    ref = log(ctx, received_on=received_on.isoformat())  # logged late, on T0 (23 Nov 2026)
    notifier.sent.clear()

    report = sweep(ctx)

    assert [d.dedupe_key for d in report.sent] == [f"final-warning:{ref}:7d"]
    [warning] = notifier.sent
    assert warning.text.endswith(f", {word}.")
    assert "in 0 days" not in warning.text and "in 1 days" not in warning.text
    assert word in warning.blocks[0]["text"]["text"]


@pytest.mark.parametrize(
    "now_on, days_left",
    [
        (date(2027, 1, 4), 14),
        (date(2027, 1, 6), 12),
        (date(2027, 1, 10), 8),
        (date(2027, 1, 11), 7),
        (date(2027, 1, 17), 1),
        (date(2027, 1, 18), 0),
    ],
)
def test_policy_days_left_counts_from_now(now_on, days_left):
    policy = SlaPolicy()
    logged_at = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)
    facts = ComplaintFacts(
        reference="CMP-2026-0001",
        status="new",
        logged_at=logged_at,
        received_on=date(2026, 11, 23),
        final_response_due_on=date(2027, 1, 18),
    )
    now = datetime.combine(now_on, datetime.min.time(), tzinfo=UTC) + timedelta(hours=9, minutes=30)
    [warning] = [r for r in policy.due(facts, now) if r.kind == ReminderKind.FINAL_WARNING]
    assert warning.days_left == days_left
    assert warning.key == f"final-warning:CMP-2026-0001:{14 if days_left > 7 else 7}d"
