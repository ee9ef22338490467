"""Errors the REST API reports as JSON."""

from __future__ import annotations


class SentinelError(Exception):
    """A failure to report to the client as JSON: an HTTP status, a reason code and a message."""

    def __init__(
        self,
        status: int,
        reason: str,
        message: str,
        detail: str | None = None,
        extra: dict[str, str] | None = None,
        retry_after: int | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.reason = reason
        self.message = message
        self.detail = detail
        # What the client needs to recover, e.g. the free name proposed when a file exists.
        self.extra = extra or {}
        #: Seconds after which the same request may succeed (sent as ``Retry-After``).
        self.retry_after = retry_after

    def fields(self) -> dict[str, object]:
        """The arguments that make this error again (to send it from a query worker)."""
        return {
            "status": self.status,
            "reason": self.reason,
            "message": self.message,
            "detail": self.detail,
            "extra": self.extra,
            "retry_after": self.retry_after,
        }

    def to_json(self) -> dict[str, str]:
        """The error body the REST API answers with."""
        body = {**self.extra, "message": self.message, "reason": self.reason}
        if self.detail:
            body["detail"] = self.detail
        return body
