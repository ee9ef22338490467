"""Queries run in worker processes whose memory the operating system bounds.

DuckDB's ``memory_limit`` covers its buffers, not every allocation: a query that builds a few
huge strings (a hundred rows of 100 MB, say) allocates them inside one of its vectors before any
row reaches Python, and an in-process server grew past 10 GB that way. Each worker process runs
the same `Lake` under an address-space limit (``RLIMIT_AS``): past it DuckDB fails the query with
an out-of-memory error and the worker lives on; the server process only ever holds results within
``max_result_bytes``.

The server also stops what the worker does not: a query that has not answered shortly after its
time limit, or after it was cancelled, ends with its worker, which is replaced.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import queue
import resource
import signal
import threading
import time
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from typing import Any

from .errors import (
    Cancelled,
    Conflict,
    NotFound,
    ResultTooLarge,
    SentinelError,
    TimedOut,
    WorkerFailed,
)
from .lake import OUT_OF_MEMORY

#: Seconds a worker has, past a query's time limit or its cancellation, before it is stopped.
GRACE_SECONDS = 2.0


@dataclass(frozen=True)
class WorkerSettings:
    """What a worker needs to build its own `Lake` (see `Lake.worker_arguments`), and the memory
    it may address."""

    lake: dict[str, Any]
    memory_bytes: int


@dataclass
class _Job:
    query_id: str
    workspace_id: str
    seconds: float
    started: float = field(default_factory=time.monotonic)
    cancelled_at: float | None = None

    def to_json(self) -> dict[str, object]:
        return {
            "queryId": self.query_id,
            "workspace": self.workspace_id,
            "elapsedMs": round((time.monotonic() - self.started) * 1000, 1),
            "timeoutSeconds": self.seconds,
        }


class _Worker:
    """One worker process and the parent's end of its pipe."""

    def __init__(self, settings: WorkerSettings) -> None:
        # Forked from a clean process that has DuckDB and Arrow loaded already: a new worker is
        # quick to start, and never a fork of the server with its threads.
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["jupyterlab_sentinel.lake"])
        self.connection, child = context.Pipe()
        self.process = context.Process(
            target=serve, args=(child, settings), daemon=True, name="sentinel-query-worker"
        )
        self.process.start()
        child.close()
        self._send_lock = threading.Lock()
        self._ready = False

    def wait_ready(self) -> None:
        """Waits for the worker to have started (imports take a while): not a query's time."""
        if not self._ready:
            try:
                self.connection.recv()
            except (EOFError, OSError):
                raise WorkerFailed("A query worker process could not start") from None
            self._ready = True

    def send(self, message: tuple[str, Any]) -> None:
        with self._send_lock:
            self.connection.send(message)

    def stop(self) -> None:
        self.process.kill()
        self.process.join(5)
        self.connection.close()


class Sandbox:
    """The worker processes of one server: one per query worker, started when first needed."""

    def __init__(self, settings: WorkerSettings) -> None:
        self.settings = settings
        self._idle: queue.SimpleQueue[_Worker] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._jobs: dict[str, tuple[_Job, _Worker]] = {}
        self._workers: list[_Worker] = []
        #: Queries started since the server started: a request resent by a browser shows here.
        self.started = 0

    def call(
        self,
        method: str,
        query_id: str,
        workspace_id: str,
        seconds: float,
        workspaces: list[Any],
        arguments: dict[str, Any],
    ) -> Any:
        """Runs ``Lake.<method>(**arguments)`` in a worker and answers what it returned or
        raised."""
        job = _Job(query_id, workspace_id, seconds)
        with self._lock:
            if query_id in self._jobs:
                raise Conflict(f"Query {query_id!r} is already running")
            worker = self._take()
            self._jobs[query_id] = (job, worker)
            self.started += 1
        try:
            try:
                worker.wait_ready()
            except WorkerFailed:
                worker = self._replace(worker)
                raise
            job.started = time.monotonic()
            worker.send(("run", (method, workspaces, arguments)))
            while not worker.connection.poll(0.1):
                now = time.monotonic()
                if job.cancelled_at is not None and now > job.cancelled_at + GRACE_SECONDS:
                    worker = self._replace(worker)
                    raise Cancelled("Query cancelled")
                if now > job.started + seconds + GRACE_SECONDS:
                    worker = self._replace(worker)
                    raise TimedOut(f"The query ran past its time limit of {seconds:g} s")
            try:
                kind, value = worker.connection.recv()
            except (EOFError, OSError):
                worker = self._replace(worker)
                raise out_of_memory(self.settings.memory_bytes) from None
            if kind == "exhausted":
                # The worker ran out of memory: what it allocated may stay reserved, so it ends.
                worker = self._replace(worker)
        finally:
            with self._lock:
                self._jobs.pop(query_id, None)
            self._idle.put(worker)
        if kind in ("error", "exhausted"):
            raise value
        return value

    def cancel(self, query_id: str) -> None:
        """Interrupts a query; its worker is stopped if it has not ended shortly after."""
        with self._lock:
            entry = self._jobs.get(query_id)
        if entry is None:
            raise NotFound(f"No running query {query_id!r}")
        job, worker = entry
        if job.cancelled_at is None:
            job.cancelled_at = time.monotonic()
        with contextlib.suppress(OSError):
            worker.send(("cancel", query_id))

    def running(self) -> list[dict[str, object]]:
        """The queries running now, oldest first."""
        with self._lock:
            jobs = sorted((job for job, _ in self._jobs.values()), key=lambda j: j.started)
        return [job.to_json() for job in jobs]

    def start(self) -> None:
        """Starts a first worker ahead of the first query."""
        with self._lock:
            self._idle.put(self._take())

    def close(self) -> None:
        """Stops every worker."""
        with self._lock:
            workers, self._workers = self._workers, []
        for worker in workers:
            worker.stop()

    def _take(self) -> _Worker:
        try:
            return self._idle.get_nowait()
        except queue.Empty:
            worker = _Worker(self.settings)
            self._workers.append(worker)
            return worker

    def _replace(self, worker: _Worker) -> _Worker:
        worker.stop()
        fresh = _Worker(self.settings)
        with self._lock:
            self._workers = [fresh if w is worker else w for w in self._workers]
        return fresh


def out_of_memory(limit: int) -> ResultTooLarge:
    """The error of a query that needed more memory than a worker may have."""
    return ResultTooLarge(
        f"{OUT_OF_MEMORY} ({limit / 2**30:.1f} GB): select fewer or smaller columns or rows",
    )


def serve(connection: Connection, settings: WorkerSettings) -> None:
    """A worker process: runs the queries the server sends, one at a time."""
    from .lake import Lake

    # Ctrl+C in the server's terminal is for the server, which stops its workers itself.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_AS, (settings.memory_bytes, settings.memory_bytes))
    lake = Lake(**settings.lake)
    jobs: queue.SimpleQueue[tuple[str, list[Any], dict[str, Any]]] = queue.SimpleQueue()

    def listen() -> None:
        # The only reader of the pipe: jobs go to the main thread, cancellations act at once.
        while True:
            try:
                kind, value = connection.recv()
            except (EOFError, OSError):
                os._exit(0)  # the server is gone
            if kind == "run":
                jobs.put(value)
            else:
                with contextlib.suppress(NotFound):
                    lake.cancel(value)

    threading.Thread(target=listen, daemon=True, name="sentinel-worker-pipe").start()
    connection.send(("ready", None))
    while True:
        method, workspaces, arguments = jobs.get()
        lake.adopt(workspaces)
        try:
            answer: tuple[str, Any] = ("done", getattr(lake, method)(**arguments))
        except SentinelError as error:
            exhausted = error.message.startswith(OUT_OF_MEMORY)
            answer = ("exhausted" if exhausted else "error", error)
        except MemoryError:
            answer = ("exhausted", out_of_memory(settings.memory_bytes))
        try:
            connection.send(answer)
        except MemoryError:
            answer = ("exhausted", out_of_memory(settings.memory_bytes))
            connection.send(answer)
        if answer[0] == "exhausted":
            os._exit(0)  # the server starts a fresh worker
