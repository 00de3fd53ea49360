"""Delivery's side of a process stopping: no claim after the stop, the send on the wire may finish,
the messages claimed but not yet sent are handed back at once.

A message handed back is sent by the next sweep of any process, straight away, rather than after
its lease (delivery.LEASE) runs out. A send already on the wire is never handed back: Slack may have
posted it, and handing it back could post it twice.
"""

from __future__ import annotations

import threading
import time


class Drain:
    """One per process (BotContext.drain). `stop()` is called once, from the thread that stops the
    process; every thread that delivers asks `begin_send()` before each send."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._stopping = False
        self._on_the_wire = 0
        self._released = 0

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

    def begin_send(self) -> bool:
        """True if a send may start now (`end_send()` once it is over); False once stopping."""
        with self._cond:
            if self._stopping:
                return False
            self._on_the_wire += 1
            return True

    def end_send(self) -> None:
        with self._cond:
            self._on_the_wire -= 1
            self._cond.notify_all()

    def handed_back(self, count: int) -> None:
        with self._cond:
            self._released += count

    def wait_idle(self, timeout: float) -> int:
        """Wait up to `timeout` seconds for the sends on the wire to finish; how many still are."""
        deadline = time.monotonic() + max(timeout, 0.0)
        with self._cond:
            while self._on_the_wire and (left := deadline - time.monotonic()) > 0:
                self._cond.wait(left)
            return self._on_the_wire
