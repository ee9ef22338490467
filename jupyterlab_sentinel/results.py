"""Pages of a KQL cell's saved result, for the result grid.

A KQL cell's full result is a Parquet file beside its notebook (see ``Lake.export``). The grid
never loads it whole: it asks for the page of rows it shows, sorted and filtered here by DuckDB,
which reads only what the page needs. Each request opens its own DuckDB connection that can read
that one file and nothing else.
"""

from __future__ import annotations

import datetime as dt
import decimal
import io
import json
import math
import uuid
from collections.abc import Generator, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from .errors import Forbidden, InvalidInput, NotFound
from .sql import identifier, string_literal

#: Most rows one page may hold.
MAX_PAGE_ROWS = 5_000

#: The largest integer a JavaScript number holds exactly; larger longs are sent as text.
MAX_SAFE_INTEGER = 2**53 - 1


def result_file(root_dir: Path, path: str) -> Path:
    """The Parquet file ``path`` names, relative to the Jupyter root, refused when outside it."""
    root = root_dir.resolve()
    relative = Path(path)
    if relative.is_absolute() or ".." in relative.parts or relative.suffix != ".parquet":
        raise InvalidInput("path must be relative to the Jupyter root and end in .parquet")
    target = (root / relative).resolve()
    if not target.is_relative_to(root):
        raise Forbidden(f"{path} is outside the Jupyter root folder")
    return target


@contextmanager
def written_whole(target: Path) -> Iterator[Path]:
    """A temporary path beside ``target`` to write a result file to, renamed to ``target`` when
    the block ends without an error: the kernel never reads half a file."""
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.{uuid.uuid4().hex}.partial")
    try:
        yield partial
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)


def kusto_timespan(value: dt.timedelta | int) -> str:
    """A timespan (or a count of nanoseconds) as Kusto prints it: ``[-][d.]hh:mm:ss[.fffffff]``."""
    ns = value if isinstance(value, int) else value // dt.timedelta(microseconds=1) * 1000
    sign = "-" if ns < 0 else ""
    ns = abs(ns)
    days, ns = divmod(ns, 86_400_000_000_000)
    hours, ns = divmod(ns, 3_600_000_000_000)
    minutes, ns = divmod(ns, 60_000_000_000)
    seconds, ns = divmod(ns, 1_000_000_000)
    text = f"{sign}{f'{days}.' if days else ''}{hours:02}:{minutes:02}:{seconds:02}"
    # Kusto's resolution is a tick of 100 ns: seven digits.
    return f"{text}.{ns // 100:07}" if ns else text


def kusto_datetime(value: dt.datetime) -> str:
    """A datetime as Kusto prints it: ISO 8601 in UTC with seven fractional digits and ``Z``.

    A pandas ``Timestamp`` (how nanosecond columns are read) keeps its 7th digit.
    """
    if value.tzinfo is not None:
        value = value.astimezone(dt.timezone.utc).replace(tzinfo=None)
    ticks = getattr(value, "nanosecond", 0) // 100
    return value.strftime("%Y-%m-%dT%H:%M:%S.%f") + f"{ticks}Z"


def json_value(value: object, kql_type: str) -> object:
    """One cell as JSON the grid shows as text and the bookmark dialog reads as a value.

    Datetimes and timespans are Kusto's text, dynamic values parsed JSON, longs beyond what a
    JavaScript number holds exactly and decimals text, non-finite reals ``"NaN"`` or
    ``"Infinity"`` (JSON has no number for them), in dynamic values too.
    """
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return kusto_datetime(value)
    if isinstance(value, dt.timedelta):
        return kusto_timespan(value)
    if kql_type == "timespan" and isinstance(value, int):
        # DuckDB reads Arrow durations back as counts of their unit: see `_nanoseconds`.
        return kusto_timespan(value)
    if kql_type == "dynamic" and isinstance(value, str):
        try:
            # DuckDB writes a non-finite number inside JSON as NaN or Infinity: text, as in a cell.
            parsed: object = json.loads(value, parse_constant=str)
        except json.JSONDecodeError:
            return value
        return parsed
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return value if abs(value) <= MAX_SAFE_INTEGER else str(value)
    if isinstance(value, float):
        if math.isfinite(value):
            return value
        return "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
    if isinstance(value, decimal.Decimal | bytes):
        return str(value)
    return value if isinstance(value, str) else str(value)


@dataclass(frozen=True)
class PageRequest:
    """Which rows of a result to read."""

    offset: int = 0
    limit: int = 100
    #: Column to sort by, or None for the result's own order.
    sort: str | None = None
    descending: bool = False
    #: Keeps rows where any cell's text contains this, ignoring case.
    filter: str | None = None
    #: Also answer the longest text of each column in a sample of the whole result.
    text_lengths: bool = False


#: Rows sampled over the whole result for the width of its columns.
LENGTH_SAMPLE_ROWS = 5_000

#: Most row groups the sample for the columns' widths reads rows from.
LENGTH_SAMPLE_GROUPS = 8

#: Most rows of those row groups read whole for that sample; past it, the first rows of each.
LENGTH_SAMPLE_READ_ROWS = 200_000

#: Rows per batch written to a CSV export.
CSV_BATCH_ROWS = 10_000


@dataclass(frozen=True)
class _View:
    """A result file opened for reading: its columns, and the SQL of a sorted, filtered view."""

    target: Path
    schema: pa.Schema
    columns: list[dict[str, str]]
    #: ``FROM …[WHERE …]`` over the file, with its parameters.
    source: str
    parameters: list[object]
    order: str

    @property
    def names(self) -> list[str]:
        return [c["name"] for c in self.columns]

    def select(self) -> str:
        """The view's rows, all columns, in its order."""
        select = ", ".join(identifier(n) for n in self.names)
        return f"SELECT {select} {self.source}{self.order}"


@dataclass
class ResultPages:
    """Reads pages of the result files under one Jupyter root."""

    root_dir: Path
    threads: int = 2

    def page(self, path: str, request: PageRequest) -> dict[str, object]:
        """The rows ``request`` asks for, with the result's columns and row counts."""
        if request.offset < 0 or not 1 <= request.limit <= MAX_PAGE_ROWS:
            raise InvalidInput(f"offset must be ≥ 0 and limit between 1 and {MAX_PAGE_ROWS}")
        view = self._view(path, request)
        file = string_literal(str(view.target))
        with self._connect(view.target) as con:
            total = _count(con, f"SELECT count(*) FROM read_parquet({file})")  # noqa: S608
            matching = (
                _count(con, f"SELECT count(*) {view.source}", view.parameters)
                if view.parameters
                else total
            )
            # Bounds written as integers, not parameters: binding any parameter makes DuckDB
            # import pandas, a quarter of a second on the server's first page.
            table = con.execute(
                f"{view.select()} LIMIT {int(request.limit)} OFFSET {int(request.offset)}",
                view.parameters or None,
            ).to_arrow_table()
        lengths = self._text_lengths(view) if request.text_lengths else None
        types = [c["type"] for c in view.columns]
        scale = _nanoseconds(view.schema)
        rows = [
            [
                json_value(
                    record[name] * scale[name]
                    if name in scale and record[name] is not None
                    else record[name],
                    kind,
                )
                for name, kind in zip(view.names, types, strict=True)
            ]
            for record in table.to_pylist()
        ]
        answer: dict[str, object] = {
            "path": path,
            "columns": view.columns,
            "totalRows": total,
            "rowCount": matching,
            "offset": request.offset,
            "rows": rows,
        }
        if lengths is not None:
            answer["textLengths"] = lengths
        return answer

    def csv(self, path: str, request: PageRequest) -> Generator[bytes, None, None]:
        """The whole result (in the request's order, with its filter) as CSV with a header line,
        a batch of rows at a time: the file is never held in memory whole.

        The file is opened before the first chunk, so that a missing or unreadable file is an
        error the caller can still answer before it starts the download.
        """
        view = self._view(path, request)
        con = self._connect(view.target)
        reader = con.execute(view.select(), view.parameters).to_arrow_reader(CSV_BATCH_ROWS)
        return _csv_chunks(con, reader, view)

    def _view(self, path: str, request: PageRequest) -> _View:
        target = result_file(self.root_dir, path)
        if not target.is_file():
            raise NotFound(
                f"The result file {path} is gone: run the KQL cell again to recreate it.",
                reason="result-missing",
            )
        try:
            schema = pq.read_schema(target)
        except (OSError, pa.ArrowException) as error:
            raise InvalidInput(
                f"{path} is not a readable Parquet file", str(error), reason="bad-result"
            ) from None
        columns = [
            {"name": f.name, "type": (f.metadata or {}).get(b"kql_type", b"string").decode()}
            for f in schema
        ]
        names = [c["name"] for c in columns]
        if request.sort is not None and request.sort not in names:
            raise InvalidInput(f"The result has no column {request.sort!r}")
        # Identifiers are quoted and the path is a quoted literal; the filter text is a parameter.
        source = f"FROM read_parquet({string_literal(str(target))}, file_row_number = true)"
        parameters: list[object] = []
        if request.filter:
            text = ", ".join(f"CAST({identifier(n)} AS VARCHAR)" for n in names)
            source += f" WHERE contains(lower(concat_ws(chr(31), {text})), lower(?))"
            parameters = [request.filter]
        order = ""
        if request.sort is not None:
            direction = "DESC" if request.descending else "ASC"
            # The file's own order breaks ties, so that the pages of one sort never overlap.
            order = f" ORDER BY {identifier(request.sort)} {direction} NULLS LAST, file_row_number"
        return _View(target, schema, columns, source, parameters, order)

    def _text_lengths(self, view: _View) -> list[int]:
        """The longest text of each column among rows sampled over the whole file (the grid sizes
        its columns by them: a long value deep in the result is not cut because the first rows
        were short).

        The sample is the first rows of row groups spread evenly over the file: only their first
        pages are read, where a random sample of rows would read the whole file (a million rows
        cost a grid hundreds of milliseconds before its first paint). Arrow measures it: DuckDB
        would import pandas to read the sample.
        """
        sample = _spread_sample(view.target, LENGTH_SAMPLE_ROWS)
        return [_longest_text(sample.column(name)) for name in view.names]

    def _connect(self, target: Path) -> duckdb.DuckDBPyConnection:
        con = duckdb.connect(
            config={
                "autoinstall_known_extensions": False,
                "autoload_known_extensions": False,
                "threads": self.threads,
            }
        )
        con.execute(f"SET allowed_paths = [{string_literal(str(target))}]")
        con.execute("SET enable_external_access = false")
        con.execute("SET lock_configuration = true")
        return con


def _spread_sample(target: Path, rows: int) -> pa.Table:
    """About ``rows`` rows spread over a Parquet file, from row groups spread from its start to
    its end (up to `LENGTH_SAMPLE_GROUPS`): rows spread over those groups when they are small
    enough to read whole (`LENGTH_SAMPLE_READ_ROWS`), else the first rows of each."""
    file = pq.ParquetFile(target)
    groups = file.metadata.num_row_groups
    count = min(groups, LENGTH_SAMPLE_GROUPS)
    picked = sorted({round(i * (groups - 1) / max(1, count - 1)) for i in range(count)})
    if not picked:
        return file.schema_arrow.empty_table()
    if sum(file.metadata.row_group(g).num_rows for g in picked) <= LENGTH_SAMPLE_READ_ROWS:
        whole = file.read_row_groups(picked)
        step = max(1, whole.num_rows // rows)
        return whole.take(pa.array(range(0, whole.num_rows, step), pa.int64()))
    per_group = -(-rows // len(picked))
    batches = [next(file.iter_batches(batch_size=per_group, row_groups=[g]), None) for g in picked]
    return pa.Table.from_batches([b for b in batches if b is not None], file.schema_arrow)


def _longest_text(column: pa.ChunkedArray) -> int:
    """The length of the longest value of ``column`` as text; 0 when all are null."""
    try:
        text = pc.cast(column, pa.string())
    except (pa.ArrowNotImplementedError, pa.ArrowInvalid):
        text = pa.array([None if v is None else str(v) for v in column.to_pylist()], pa.string())
    longest = pc.max(pc.utf8_length(text)).as_py()
    return int(longest or 0)


def _nanoseconds(schema: pa.Schema) -> dict[str, int]:
    """Nanoseconds per unit of each duration column: local results store microseconds, Azure
    results Kusto's 100 ns ticks in nanoseconds, and DuckDB reads both back as bare counts."""
    per_unit = {"s": 1_000_000_000, "ms": 1_000_000, "us": 1_000, "ns": 1}
    return {f.name: per_unit[f.type.unit] for f in schema if pa.types.is_duration(f.type)}


def _csv_chunks(
    con: duckdb.DuckDBPyConnection, reader: pa.RecordBatchReader, view: _View
) -> Generator[bytes, None, None]:
    """CSV text of each batch, with a header line first. Datetimes and timespans are written as
    Kusto prints them (and as the grid shows them), dynamic values as their JSON text."""
    scale = _nanoseconds(view.schema)
    kinds = {c["name"]: c["type"] for c in view.columns}
    header = True
    try:
        for batch in reader:
            table = pa.Table.from_batches([batch])
            for i, name in enumerate(view.names):
                if kinds[name] not in ("datetime", "timespan") and name not in scale:
                    continue
                text = [
                    None
                    if v is None
                    else str(json_value(v * scale[name] if name in scale else v, kinds[name]))
                    for v in table.column(i).to_pylist()
                ]
                table = table.set_column(i, name, pa.array(text, pa.string()))
            yield _csv(table, header)
            header = False
        if header:
            yield _csv(pa.table({n: pa.array([], pa.string()) for n in view.names}), True)
    finally:
        con.close()


def _csv(table: pa.Table, header: bool) -> bytes:
    sink = io.BytesIO()
    pacsv.write_csv(table, sink, pacsv.WriteOptions(include_header=header))
    return sink.getvalue()


def _count(
    con: duckdb.DuckDBPyConnection, sql: str, parameters: Sequence[object] | None = None
) -> int:
    row = con.execute(sql, parameters or []).fetchone()
    return int(row[0]) if row else 0
