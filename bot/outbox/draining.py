"""Delivery's side of a process stopping: no claim after the stop, the send on the wire may finish,
the messages claimed but not yet sent are handed back at once.

A message handed back is sent by the next sweep of any process, straight away, rather than after
its lease (delivery.LEASE) runs out. A send already on the wire is never handed back: Slack may have
posted it, and handing it back could post it twice.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence

GiveBack = Callable[[Sequence[int]], None]


class Drain:
    """One per process (BotContext.drain). `stop()` is called once, from the thread that stops the
    process; every thread that delivers asks `begin_send()` before each send."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._stopping = False
        self._on_the_wire = 0
        self._released = 0
        # Claimed by this process and not yet on the wire, with how to hand each back.
        self._pending: dict[int, GiveBack] = {}

    def stop(self) -> None:
        with self._cond:
            self._stopping = True

    @property
    def stopping(self) -> bool:
        return self._stopping

    @property
    def released(self) -> int:
        """Messages claimed by this process and handed back unsent since the stop."""
        return self._released

    def track(self, ids: Sequence[int], give_back: GiveBack) -> None:
        """Claims just taken: handed back with `give_back(ids)` if the process stops before their send."""
        with self._cond:
            self._pending.update(dict.fromkeys(ids, give_back))

    def untrack(self, ids: Sequence[int]) -> None:
        with self._cond:
            for i in ids:
                self._pending.pop(i, None)

    def begin_send(self, notification_id: int) -> bool:
        """True if this send may start now (`end_send()` once it is over); False once stopping."""
        with self._cond:
            if self._stopping:
                return False
            self._pending.pop(notification_id, None)
            self._on_the_wire += 1
            return True

    def end_send(self) -> None:
        with self._cond:
            self._on_the_wire -= 1
            self._cond.notify_all()

    def hand_back(self) -> None:
        """Give back every claim not yet on the wire, whichever thread took it (one may be stuck
        behind a slow send)."""
        with self._cond:
            pending, self._pending = self._pending, {}
            self._released += len(pending)
        by_giver: dict[GiveBack, list[int]] = {}
        for notification_id, give_back in pending.items():
            by_giver.setdefault(give_back, []).append(notification_id)
        for give_back, ids in by_giver.items():
            give_back(ids)

    def wait_idle(self, timeout: float) -> int:
        """Wait up to `timeout` seconds for the sends on the wire to finish; how many still are."""
        deadline = time.monotonic() + max(timeout, 0.0)
        with self._cond:
            while self._on_the_wire and (left := deadline - time.monotonic()) > 0:
                self._cond.wait(left)
            return self._on_the_wire
