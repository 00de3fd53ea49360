"""Delivery under a slow or failing Slack: a send never outlives its claim, errors no retry can cure
are given up, transient ones are retried with capped backoff, and a claim given back was no attempt."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from slack_sdk import WebClient

from bot.outbox import delivery
from bot.outbox.delivery import CLAIM_BATCH, LEASE, SEND_TIMEOUT
from bot.outbox.notifier import PERMANENT_ERRORS, SendFailed, SlackNotifier
from bot.reminders.sweep import preview, sweep
from storage import outbox as outbox_store
from storage.models import Notification
from tests.fakes import RecordingNotifier
from tests.sweeping import SEND_TAKES, SlowNotifier, deliver, log, record_plain, row, rows, triage

# --- a send never outlives its claim ------------------------------------------------------------


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


# --- Slack errors no retry can cure -------------------------------------------------------------


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


# --- backoff after very many failed attempts --------------------------------------------------------


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


# --- a claim given back was no attempt ---------------------------------------------------------------


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
