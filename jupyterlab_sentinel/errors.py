"""What can go wrong in the domain: local workspaces, queries, results, bookmarks, templates.

These errors say what happened in the analyst's words and know nothing of HTTP: the REST handlers
turn each kind into a status code and a JSON body, in one place (``SentinelHandler`` in
``handlers.py``).
"""

from __future__ import annotations


class SentinelError(Exception):
    """A failure to tell the user about: a reason code, a message, and maybe the engine's detail.

    Each kind has its reason code; an error may name a more precise one (``sql-error``,
    ``result-missing``, …) that clients read to recover.
    """

    #: The reason code clients read, unless the error names its own.
    reason = "error"

    def __init__(
        self,
        message: str,
        detail: str | None = None,
        *,
        reason: str | None = None,
        extra: dict[str, str] | None = None,
        retry_after: int | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.detail = detail
        if reason is not None:
            self.reason = reason
        #: What the client needs to recover, e.g. the free name proposed when a file exists.
        self.extra = extra or {}
        #: Seconds after which the same request may succeed.
        self.retry_after = retry_after


class InvalidInput(SentinelError):
    """The request cannot be carried out as given: a malformed field, SQL that does not parse."""

    reason = "bad-request"


class Forbidden(SentinelError):
    """The request reaches outside what it may: a path outside the root, a statement that
    writes."""

    reason = "forbidden"


class NotFound(SentinelError):
    """What the request names does not exist: a workspace, a bookmark, a running query, a file."""

    reason = "not-found"


class Conflict(SentinelError):
    """The request collides with the current state: a workspace not ready, a name taken."""

    reason = "conflict"


class RequestTooLarge(SentinelError):
    """The request itself is larger than the server accepts."""

    reason = "too-large"


class ResultTooLarge(SentinelError):
    """A query's result, or the memory it needs, outgrew the server's limit."""

    reason = "too-large"


class TimedOut(SentinelError):
    """A query ran past its time limit."""

    reason = "timeout"


class Cancelled(SentinelError):
    """A query was cancelled, by the user or because the client went away."""

    reason = "cancelled"


class Unusable(SentinelError):
    """A file the server found is not what it should be: a template that is not a notebook."""

    reason = "unreadable"


class Busy(SentinelError):
    """The server is running as many queries as it may; ``retry_after`` says when to try again."""

    reason = "busy"


class WorkerFailed(SentinelError):
    """A query worker process could not start."""

    reason = "worker"
