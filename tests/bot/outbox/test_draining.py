"""Delivery while the process stops: the send on the wire finishes, the messages claimed with it are
handed back at once (not left to their lease), nothing is claimed after the stop, and the next
sender sends each handed-back message exactly once."""

from __future__ import annotations

import threading

from bot.outbox.delivery import deliver_due
from bot.outbox.draining import Drain
from bot.outbox.notifier import Posted
from tests.fakes import RecordingNotifier
from tests.sweeping import deliver, record_plain, rows


class StopsDuringFirstSend(RecordingNotifier):
    """The process is told to stop while its first send is on the wire."""

    def __init__(self, drain: Drain):
        super().__init__()
        self.drain = drain

    def post(self, *, channel, text, blocks) -> Posted:
        if not self.sent:
            self.drain.stop()
        return super().post(channel=channel, text=text, blocks=blocks)


def test_a_stop_lets_the_send_on_the_wire_finish_and_hands_back_the_rest_of_its_claims(ctx):
    texts = record_plain(ctx, 4)
    notifier = StopsDuringFirstSend(ctx.drain)

    delivered = deliver_due(session_factory=ctx.session_factory, notifier=notifier, clock=ctx.clock, drain=ctx.drain)

    assert [(d.dedupe_key, d.sent) for d in delivered] == [("plain:000", True)]
    assert [s.text for s in notifier.sent] == texts[:1]
    assert ctx.drain.released == 3
    first, *rest = rows(ctx)
    assert first.sent_at is not None and first.claimed_until is None
    # Handed back: unclaimed, unsent, and the claim did not count as an attempt.
    assert [(n.claimed_until, n.sent_at, n.attempts) for n in rest] == [(None, None, 0)] * 3
    assert ctx.drain.wait_idle(0) == 0

    other = RecordingNotifier()  # another process (or this one restarted) sends them at once, once
    assert [d.dedupe_key for d in deliver(ctx, other) if d.sent] == ["plain:001", "plain:002", "plain:003"]
    assert [s.text for s in other.sent] == texts[1:]
    assert deliver(ctx, RecordingNotifier()) == []


def test_nothing_is_claimed_after_the_stop(ctx):
    record_plain(ctx, 2)
    ctx.drain.stop()

    assert ctx.deliver() == []
    assert ctx.notifier.sent == []
    assert [(n.claimed_until, n.attempts) for n in rows(ctx)] == [(None, 0), (None, 0)]
    assert ctx.drain.released == 0


def test_wait_idle_waits_for_the_send_on_the_wire_and_says_how_many_outlived_it():
    drain = Drain()
    assert drain.begin_send(1)
    drain.stop()
    assert not drain.begin_send(2)  # no new send once stopping
    assert drain.wait_idle(0.01) == 1  # still on the wire when the time ran out

    finished = threading.Timer(0.05, drain.end_send)
    finished.start()
    assert drain.wait_idle(5) == 0  # returns when the send ends, well before the timeout
    finished.join()


def test_claims_taken_with_a_send_that_outlives_the_stop_are_handed_back_by_the_stopping_thread(ctx):
    """The thread that claimed them is stuck on Slack; the stop hands them back without it."""
    texts = record_plain(ctx, 3)
    on_the_wire, answer = threading.Event(), threading.Event()

    class Stuck(RecordingNotifier):
        def post(self, *, channel, text, blocks) -> Posted:
            on_the_wire.set()
            answer.wait(10)
            return super().post(channel=channel, text=text, blocks=blocks)

    stuck = Stuck()
    sweep = threading.Thread(
        target=deliver_due,
        kwargs=dict(session_factory=ctx.session_factory, notifier=stuck, clock=ctx.clock, drain=ctx.drain),
    )
    sweep.start()
    assert on_the_wire.wait(10)
    ctx.drain.stop()
    assert ctx.drain.wait_idle(0.01) == 1
    ctx.drain.hand_back()

    assert ctx.drain.released == 2
    first, *rest = rows(ctx)
    assert first.claimed_until is not None and first.sent_at is None  # on the wire: it keeps its claim
    assert [(n.claimed_until, n.attempts) for n in rest] == [(None, 0)] * 2
    answer.set()
    sweep.join(10)
    assert [s.text for s in stuck.sent] == texts[:1]
    assert rows(ctx)[0].sent_at is not None
    assert [d.dedupe_key for d in deliver(ctx, RecordingNotifier())] == ["plain:001", "plain:002"]
