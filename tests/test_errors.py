"""The domain's errors and the statuses and bodies the REST API answers them with."""

from __future__ import annotations

import pickle

from jupyterlab_sentinel import errors
from jupyterlab_sentinel.errors import Busy, Conflict, SentinelError
from jupyterlab_sentinel.handlers import error_body, status_code

#: What a client sees for each kind: its HTTP status and its reason code.
ANSWERS = {
    "InvalidInput": (400, "bad-request"),
    "Cancelled": (400, "cancelled"),
    "Forbidden": (403, "forbidden"),
    "NotFound": (404, "not-found"),
    "Conflict": (409, "conflict"),
    "RequestTooLarge": (413, "too-large"),
    "ResultTooLarge": (422, "too-large"),
    "TimedOut": (422, "timeout"),
    "Unusable": (422, "unreadable"),
    "WorkerFailed": (500, "worker"),
    "Busy": (503, "busy"),
}


def test_every_kind_of_error_has_its_status_and_reason() -> None:
    kinds = {
        name: kind
        for name, kind in vars(errors).items()
        if isinstance(kind, type) and issubclass(kind, SentinelError) and kind is not SentinelError
    }
    answers = {name: (status_code(kind("x")), kind("x").reason) for name, kind in kinds.items()}
    assert answers == ANSWERS


def test_a_body_carries_what_the_client_needs_to_recover() -> None:
    error = Conflict("a.ipynb already exists", reason="exists", extra={"proposedName": "a-1.ipynb"})
    assert error_body(error) == {
        "message": "a.ipynb already exists",
        "reason": "exists",
        "proposedName": "a-1.ipynb",
    }
    assert error_body(Busy("busy", "3 running")) == {
        "message": "busy",
        "reason": "busy",
        "detail": "3 running",
    }


def test_an_error_crosses_from_a_query_worker_whole() -> None:
    # Query workers send their errors to the server through a pipe, pickled.
    sent = Busy("try again", "detail", reason="busy-now", extra={"a": "b"}, retry_after=3)
    received = pickle.loads(pickle.dumps(sent))
    assert type(received) is Busy
    assert vars(received) == vars(sent)
    assert received.message == "try again"
