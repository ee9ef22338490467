"""Log Analytics query responses → Arrow, for the Azure backend.

The browser calls the Log Analytics query API and hands the response's text to the server
unparsed: JavaScript's JSON parser turns longs beyond 2^53 into the nearest double and the SDK
turns datetimes into millisecond ``Date`` objects, while Python's keeps every digit. Each column is
converted once, as a whole, into its result type (``types.py``, the same as local results'): longs
as int64, datetimes as nanosecond timestamps in UTC (Kusto has 100 ns ticks), timespans as
nanosecond durations, dynamic values as the JSON text the service sent (the inserted DataFrame cell
parses it, as for local results). A datetime or timespan that 64-bit nanoseconds cannot hold is
null, as in local results.

Decimals arrive as JSON strings (Kusto writes them so, keeping digits no double holds) and are
stored as Arrow ``decimal128(38, 10)``: the type local results have (DuckDB's ``DECIMAL(38, 10)``),
so the DataFrame column holds exact Python ``Decimal`` values on either backend, where a float
would round a 17th digit away. Digits past the tenth decimal place are rounded half to even.
"""

from __future__ import annotations

import decimal
import json
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from .errors import InvalidInput
from .lake import QueryResult
from .results import result_file, written_whole
from .types import EARLIEST, LATEST, LONGEST_US, TYPES, in_result_range

_TIMESPAN = re.compile(
    r"^(?P<sign>-)?(?:(?P<days>\d+)\.)?(?P<h>\d{1,2}):(?P<m>\d{2}):(?P<s>\d{2})(?:\.(?P<f>\d{1,9}))?$"
)
_NON_FINITE = {"NaN": math.nan, "Infinity": math.inf, "-Infinity": -math.inf}
#: The smallest step of the decimal column type: 10 decimal places.
_DECIMAL_STEP = decimal.Decimal(1).scaleb(-10)


@dataclass
class Response:
    """The primary table of a query response and whether the service returned part of it."""

    table: pa.Table
    kql_types: list[str]
    partial: bool
    partial_message: str | None


def kql_type(name: object) -> str:
    """A column type of the response; unknown ones are read as strings, as the API advises."""
    text = str(name).lower()
    if text in ("boolean", "bool"):
        return "bool"
    return text if text in TYPES else "string"


def _timespan_ns(text: str) -> int | None:
    match = _TIMESPAN.match(text)
    if match is None:
        raise ValueError(f"not a Kusto timespan: {text!r}")
    seconds = (
        int(match["days"] or 0) * 86_400
        + int(match["h"]) * 3_600
        + int(match["m"]) * 60
        + int(match["s"])
    )
    ns = seconds * 1_000_000_000 + int((match["f"] or "").ljust(9, "0"))
    # Past what 64-bit nanoseconds hold (about 292 years): null, as in local results.
    return None if ns // 1000 > LONGEST_US else -ns if match["sign"] else ns


def _real(value: object) -> float | None:
    if value is None:
        return None
    if isinstance(value, str):
        return _NON_FINITE[value] if value in _NON_FINITE else float(value)
    return float(value)  # type: ignore[arg-type]


def _decimal(value: object) -> decimal.Decimal | None:
    """A decimal cell: the service's string, or a JSON number from a lenient writer."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise ValueError(f"not a decimal: {value!r}")
    exact = decimal.Decimal(value if isinstance(value, str) else repr(value))
    if not exact.is_finite():
        raise ValueError(f"not a finite decimal: {value!r}")
    # 38 digits in all, as the Arrow type holds: a value past 28 integral digits is refused.
    return exact.quantize(
        _DECIMAL_STEP, rounding=decimal.ROUND_HALF_EVEN, context=decimal.Context(prec=38)
    )


def _column(values: list[object], kind: str) -> pa.Array:
    """One column's JSON values as an Arrow array of its KQL type."""
    if kind == "datetime":
        # numpy parses ISO 8601 with up to nine fractional digits exactly; no "Z" in its format.
        texts = [None if v is None else str(v).removesuffix("Z") for v in values]
        stamps = np.array(texts, dtype="datetime64[ns]")
        missing = np.isnat(stamps)
        # Nanoseconds wrap round silently past their range. Kusto's ISO texts sort as their
        # instants do, so only a column that reaches past it is parsed again, in microseconds.
        present = [text for text in texts if text is not None]
        if present and (min(present) < str(EARLIEST) or max(present) > str(LATEST)):
            missing |= ~in_result_range(np.array(texts, dtype="datetime64[us]"))
        return pa.array(stamps, type=TYPES[kind].result, mask=missing)
    if kind == "timespan":
        return pa.array(
            [None if v is None else _timespan_ns(str(v)) for v in values], type=pa.int64()
        ).cast(TYPES[kind].result)
    if kind == "real":
        return pa.array([_real(v) for v in values], type=pa.float64())
    if kind == "decimal":
        return pa.array([_decimal(v) for v in values], type=TYPES[kind].result)
    if kind == "dynamic":
        return pa.array(
            [None if v is None else v if isinstance(v, str) else json.dumps(v) for v in values],
            type=pa.string(),
        )
    if kind in ("string", "guid"):
        return pa.array([None if v is None else str(v) for v in values], type=pa.string())
    return pa.array(values, type=TYPES[kind].result)


def _partial_message(error: dict[str, object]) -> str:
    details = error.get("details")
    texts = (
        [str(d.get("message")) for d in details if isinstance(d, dict) and d.get("message")]
        if isinstance(details, list)
        else []
    )
    return "; ".join(texts) or str(error.get("message") or "The result is incomplete")


def parse_response(text: bytes | str) -> Response:
    """The primary table of a Log Analytics query response's JSON text.

    A 200 response that carries an ``error`` is a partial result (code ``PartialError``): its
    rows are kept and its message returned.
    """
    body, tables = _body(text)
    primary = next((t for t in tables if t.get("name") == "PrimaryResult"), tables[0])
    return _response(body, primary)


def parse_tables(text: bytes | str) -> list[Response]:
    """Every table of a Log Analytics query response, in order: a batch (``A; B``) has one per
    tabular statement, the first being the primary result. Partial as `parse_response` says."""
    body, tables = _body(text)
    return [_response(body, table) for table in tables]


def _body(text: bytes | str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    try:
        body = json.loads(text)
        tables = body["tables"]
        if not tables or not all(isinstance(t, dict) for t in tables):
            raise IndexError("tables must be a list of table objects")
    except (json.JSONDecodeError, KeyError, IndexError, TypeError, AttributeError) as error:
        raise InvalidInput("The body is not a Log Analytics query response", str(error)) from None
    return body, tables


def _response(body: dict[str, Any], table: dict[str, Any]) -> Response:
    """One table of a response as Arrow, with the response's partial flag."""
    try:
        columns = table["columns"]
        rows = table["rows"]
        kinds = [kql_type(c.get("type")) for c in columns]
        names = [str(c.get("name")) for c in columns]
    except (KeyError, TypeError, AttributeError) as error:
        raise InvalidInput("The body is not a Log Analytics query response", str(error)) from None
    try:
        widths = {len(row) for row in rows}
    except TypeError as error:
        raise InvalidInput("A row of the response is not a list", str(error)) from None
    if widths - {len(kinds)}:
        raise InvalidInput(f"Rows of the response do not have {len(kinds)} values")
    # One list per column: much faster than transposing with zip(*rows) for many rows.
    by_column = [[row[i] for row in rows] for i in range(len(kinds))]
    try:
        arrays = [_column(values, kind) for values, kind in zip(by_column, kinds, strict=True)]
    except (
        ValueError,
        TypeError,
        OverflowError,
        decimal.InvalidOperation,
        pa.ArrowException,
    ) as error:
        raise InvalidInput(
            "A value of the response does not fit its column type", str(error)
        ) from None
    fields = [
        pa.field(name, array.type, metadata={"kql_type": kind})
        for name, array, kind in zip(names, arrays, kinds, strict=True)
    ]
    arrow = pa.Table.from_arrays(arrays, schema=pa.schema(fields))
    problem = body.get("error")
    if isinstance(problem, dict):
        return Response(arrow, kinds, True, _partial_message(problem))
    return Response(arrow, kinds, False, None)


def to_query_result(response: Response, max_rows: int, elapsed_ms: float) -> QueryResult:
    """The first ``max_rows`` rows, as the local backend's query endpoint answers them."""
    table = response.table
    return QueryResult(
        table.slice(0, max_rows), response.kql_types, table.num_rows > max_rows, elapsed_ms
    )


def export(root_dir: Path, path: str, response: Response) -> dict[str, object]:
    """Writes the table as Parquet at ``path`` in the Jupyter root, whole or not at all."""
    target = result_file(root_dir, path)
    with written_whole(target) as partial:
        pq.write_table(response.table, partial)
    answer: dict[str, object] = {
        "path": target.relative_to(root_dir.resolve()).as_posix(),
        "rowCount": response.table.num_rows,
        "columns": [
            {"name": f.name, "type": t}
            for f, t in zip(response.table.schema, response.kql_types, strict=True)
        ],
        "partial": response.partial,
    }
    if response.partial_message:
        answer["partialMessage"] = response.partial_message
    return answer


def export_tables(root_dir: Path, path: str, responses: list[Response]) -> dict[str, object]:
    """Writes every table of a batch: the first at ``path`` (answered as `export` answers it),
    table ``i`` at ``path`` with ``_table_i`` before ``.parquet``, all listed in ``tables``."""
    stem = path.removesuffix(".parquet")
    tables = [
        export(root_dir, path if i == 0 else f"{stem}_table_{i}.parquet", response)
        for i, response in enumerate(responses)
    ]
    return {**tables[0], "tables": tables}
