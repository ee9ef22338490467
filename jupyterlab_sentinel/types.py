"""The KQL types and how the server stores each: the one table every module reads.

A KQL type has three storage types here: the DuckDB type a local workspace's column of that type is
read as (and an ``externaldata`` column is cast to), the Arrow type a workspace file holds it in
(the demo data set, the bookmark log), and the Arrow type of a result column, in the Parquet file a
KQL cell's DataFrame is loaded from.

Results have one type whatever the backend ran the query, so that a notebook's DataFrames do not
change dtypes when it moves between Azure and a local workspace: datetimes are nanosecond
timestamps (naive, in UTC) and timespans nanosecond durations. Nanoseconds because Kusto counts
time in 100-ns ticks: Azure sends seven fractional digits and the compiler keeps a literal's
seventh, which microseconds would drop, and pandas has held datetimes in nanoseconds for as long
as it has had them, so these DataFrames mix with others without a unit conversion. The price is
the range of 64-bit nanoseconds: instants outside 1677-09-22 to 2262-04-11, and spans longer than
about 292 years, come out null, as the compiler's result projection (``src/kql/sql/emitter.ts``)
already had them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc


@dataclass(frozen=True)
class KqlType:
    """How one KQL type is stored."""

    #: The DuckDB type a workspace column of this type is read as.
    duckdb: str
    #: The Arrow type of a column of this type in a workspace file (what DuckDB reads as
    #: ``duckdb``).
    stored: pa.DataType
    #: The Arrow type of a result column, the same from either backend.
    result: pa.DataType


#: Every KQL type, by its name.
TYPES: dict[str, KqlType] = {
    "string": KqlType("VARCHAR", pa.string(), pa.string()),
    "int": KqlType("INTEGER", pa.int32(), pa.int32()),
    "long": KqlType("BIGINT", pa.int64(), pa.int64()),
    "real": KqlType("DOUBLE", pa.float64(), pa.float64()),
    "bool": KqlType("BOOLEAN", pa.bool_(), pa.bool_()),
    # DuckDB's TIMESTAMP is microseconds; results are nanoseconds (see above).
    "datetime": KqlType("TIMESTAMP", pa.timestamp("us"), pa.timestamp("ns")),
    "timespan": KqlType("INTERVAL", pa.duration("us"), pa.duration("ns")),
    # JSON text in results: the inserted DataFrame cell parses it.
    "dynamic": KqlType("JSON", pa.json_(pa.string()), pa.string()),
    "guid": KqlType("VARCHAR", pa.string(), pa.string()),
    # Exact: a float would round digits away (Kusto's decimals have 34).
    "decimal": KqlType("DECIMAL(38, 10)", pa.decimal128(38, 10), pa.decimal128(38, 10)),
}

#: DuckDB's integer types by the KQL type they are read as.
_INTS = {
    "int": ("INTEGER", "SMALLINT", "TINYINT", "USMALLINT", "UTINYINT"),
    "long": ("BIGINT", "UBIGINT", "HUGEINT", "UINTEGER"),
}


def from_duckdb(duckdb_type: str) -> str:
    """The KQL type of a DuckDB column type; what has no KQL type of its own is ``dynamic``."""
    t = duckdb_type.upper()
    if t == "VARCHAR":
        return "string"
    for kql, names in _INTS.items():
        if t in names:
            return kql
    if t in ("DOUBLE", "FLOAT"):
        return "real"
    if t == "BOOLEAN":
        return "bool"
    if t.startswith("TIMESTAMP") or t == "DATE":
        return "datetime"
    if t == "INTERVAL":
        return "timespan"
    if t == "UUID":
        return "guid"
    if t.startswith("DECIMAL"):
        return "decimal"
    return "dynamic"


#: The instants results hold, the bounds the compiler's result projection uses.
EARLIEST = np.datetime64("1677-09-22T00:00:00", "us")
LATEST = np.datetime64("2262-04-11T00:00:00", "us")
#: The longest span, in microseconds, that 64-bit nanoseconds hold.
LONGEST_US = (2**63 - 1) // 1000


def in_result_range(micros: npt.NDArray[np.datetime64]) -> npt.NDArray[np.bool_]:
    """Which instants of a ``datetime64[us]`` array a result holds (NaT counts as held)."""
    held: npt.NDArray[np.bool_] = np.isnat(micros) | ((micros >= EARLIEST) & (micros <= LATEST))
    return held


def result_type(stored: pa.DataType, kql: str) -> pa.DataType:
    """The Arrow type of a result column of type ``kql`` read as ``stored``: datetimes and
    timespans in nanoseconds; the others as they were read."""
    return TYPES[kql].result if kql in ("datetime", "timespan") else stored


def result_column(column: pa.Array, kql: str) -> pa.Array:
    """A column as results hold it (`result_type`), null where 64-bit nanoseconds cannot hold a
    datetime or timespan; a timespan may come as a count of microseconds."""
    target = result_type(column.type, kql)
    if column.type == target:
        return column
    if kql == "datetime":
        if pa.types.is_timestamp(column.type) and column.type.unit == "ns":
            # The zone goes: results hold UTC without one, as Azure's do.
            return column.cast(target)
        zone = column.type.tz if pa.types.is_timestamp(column.type) else None
        micros = column.cast(pa.timestamp("us", tz=zone)).cast(pa.timestamp("us"))
        held = in_result_range(micros.to_numpy(zero_copy_only=False))
        return pc.if_else(held, micros, pa.scalar(None, micros.type)).cast(target)
    if kql == "timespan":
        micros = column.cast(pa.duration("us")).cast(pa.int64())
        held = pc.less_equal(pc.abs(micros), LONGEST_US)
        kept = pc.if_else(held, micros, pa.scalar(None, pa.int64()))
        return kept.cast(pa.duration("us")).cast(target)
    return column.cast(target)


def result_batch(batch: pa.RecordBatch, schema: pa.Schema) -> pa.RecordBatch:
    """A batch of a query's rows in the result schema (`result_type` of each column, its KQL type
    in the field's ``kql_type`` metadata)."""
    columns = [
        result_column(column, field.metadata[b"kql_type"].decode())
        for column, field in zip(batch.columns, schema, strict=True)
    ]
    return pa.RecordBatch.from_arrays(columns, schema=schema)
