"""The threads the REST API works on: queries on a bounded pool of their own, everything else
(workspaces, schema, bookmarks, templates, result pages) on another, so that long queries never
keep the sidebar waiting, and a query beyond capacity is refused with a retry hint rather than
left waiting unseen.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from .errors import Busy

T = TypeVar("T")

#: Seconds a client refused for lack of capacity is told to wait before asking again.
RETRY_AFTER_SECONDS = 5


@dataclass
class Queued(Generic[T]):
    """What a pooled call returned, and how long it waited for a free thread."""

    value: T
    waited_ms: float


class QueryPool:
    """At most ``workers`` queries run at once and ``queue`` more wait; the rest are refused
    (`Busy`, saying when to try again)."""

    def __init__(self, workers: int, queue: int) -> None:
        self.workers, self.queue = workers, queue
        self._executor = ThreadPoolExecutor(workers, thread_name_prefix="sentinel-query")
        self._lock = threading.Lock()
        self._admitted = 0
        self._running = 0

    async def run(self, function: Callable[..., T], *args: Any) -> Queued[T]:
        """Runs ``function(*args)`` on a query thread, once one is free."""
        with self._lock:
            if self._admitted >= self.workers + self.queue:
                raise Busy(
                    f"The server is running {self.workers} queries and has {self.queue} waiting, "
                    f"its limit (SentinelConfig.query_workers and query_queue): try again shortly",
                    retry_after=RETRY_AFTER_SECONDS,
                )
            self._admitted += 1
        submitted = time.monotonic()

        def work() -> Queued[T]:
            waited = (time.monotonic() - submitted) * 1000
            with self._lock:
                self._running += 1
            try:
                return Queued(function(*args), waited)
            finally:
                with self._lock:
                    self._running -= 1

        try:
            return await asyncio.wrap_future(self._executor.submit(work))
        finally:
            with self._lock:
                self._admitted -= 1

    def status(self) -> dict[str, int]:
        """Capacity and use, as ``GET queries`` reports them."""
        with self._lock:
            return {
                "workers": self.workers,
                "queueSize": self.queue,
                "running": self._running,
                "queued": self._admitted - self._running,
            }

    def shutdown(self) -> None:
        """Stops taking work; running queries finish."""
        self._executor.shutdown(wait=False, cancel_futures=True)
