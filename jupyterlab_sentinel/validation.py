"""Checks of the numbers a request carries: each one finite, of its kind and in its range, or the
request is refused as `InvalidInput` with a message naming the field (never a query that runs
unbounded)."""

from __future__ import annotations

import math
from typing import Any

from .errors import InvalidInput

#: The largest integer a JavaScript number holds exactly: no count or offset is larger.
MAX_INTEGER = 2**53 - 1


def _refuse(name: str, rule: str, value: object) -> InvalidInput:
    return InvalidInput(f"{name} must be {rule}, not {value!r}")


def number(
    value: Any,
    name: str,
    *,
    above: float | None = None,
    minimum: float | None = None,
    maximum: float,
    integer: bool = False,
) -> float:
    """``value`` as a finite number in range, else `InvalidInput` naming ``name``.

    ``above`` is an exclusive lower bound, ``minimum`` an inclusive one. JSON's ``true`` is not a
    number here, though Python's ``bool`` is an ``int``.
    """
    kind = "an integer" if integer else "a number"
    bounds = []
    if above is not None:
        bounds.append(f"above {above:g}")
    if minimum is not None:
        bounds.append(f"at least {minimum:g}")
    bounds.append(f"at most {maximum:g}")
    rule = f"{kind} {' and '.join(bounds)}"
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _refuse(name, rule, value)
    if integer and not (isinstance(value, int) or (math.isfinite(value) and value.is_integer())):
        raise _refuse(name, rule, value)
    if not math.isfinite(value):
        raise _refuse(name, rule, value)
    if (
        (above is not None and value <= above)
        or (minimum is not None and value < minimum)
        or value > maximum
    ):
        raise _refuse(name, rule, value)
    return value


def optional_number(
    body: dict[str, Any],
    name: str,
    *,
    above: float | None = None,
    minimum: float | None = None,
    maximum: float,
    integer: bool = False,
) -> float | None:
    """The field ``name`` of a JSON body checked by `number`, or None when absent or null."""
    value = body.get(name)
    if value is None:
        return None
    return number(value, name, above=above, minimum=minimum, maximum=maximum, integer=integer)


def integer_argument(text: str, name: str, *, minimum: int, maximum: int) -> int:
    """A query argument's text as an integer in range, else `InvalidInput` naming ``name``."""
    stripped = text.strip()
    # int() also reads "1_000" and "٣": only plain digits are a count here.
    if not stripped.lstrip("-").isascii() or not stripped.lstrip("-").isdigit():
        raise _refuse(name, f"an integer from {minimum} to {maximum}", text)
    return int(number(int(stripped), name, minimum=minimum, maximum=maximum, integer=True))
