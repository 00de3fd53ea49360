"""Two lanes for Bolt's lazy listeners: the work that answers a person (opening a modal, a command's
reply, a button's update) apart from what follows a modal submission (sending the messages it
recorded, refreshing Home).

Bolt runs every lazy listener on the one `listener_executor` it is given. With one pool, a modal
opened by `/complaint new` waited behind the messages of the submissions before it (bench/intake.py:
modal p50 19 → 141 ms), and a trigger id expires 3 s after the click. `Lanes` is that executor: it
hands each lazy listener to the pool of the request that started it, which `mark` (a middleware, run
in the request's thread before its listener) has noted.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from typing import Any


class Lanes(Executor):
    def __init__(self, threads: int) -> None:
        self._answers = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="listener-work")
        self._after_submissions = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="after-submit")
        self._request = threading.local()

    def mark(self, body: dict[str, Any], next: Callable[[], Any]) -> Any:
        """Bolt middleware: note in this thread whether the request is a modal submission."""
        self._request.submission = body.get("type") == "view_submission"
        return next()

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        pool = self._after_submissions if getattr(self._request, "submission", False) else self._answers
        return pool.submit(fn, *args, **kwargs)

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        self._answers.shutdown(wait=wait, cancel_futures=cancel_futures)
        self._after_submissions.shutdown(wait=wait, cancel_futures=cancel_futures)
