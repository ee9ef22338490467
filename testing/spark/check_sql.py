"""Spark's own parser and analyser on the compiler's Spark SQL (`bin/kql check --dialect spark`).

Started by `bin/kql` with the Python of a venv holding pyspark. It reads JSON lines on standard
input and answers one JSON line per request on standard output:

- ``{"setup": {"tables": [{"name", "columns": [{"name", "type"}]}], "prelude": [SQL…]}}``: the
  schema (an empty view of each table, the types the dialect's SQL types, created when a query
  first names it) and the dialect's prelude, which it runs; answers ``{"ok": true}``.
- ``{"sql": SQL, "views": [SQL…]}``: runs the statements of ``views`` (the empty relations of a
  query's external data) and has Spark analyse ``sql``; answers ``{"ok": true}`` or
  ``{"ok": false, "error": first line of Spark's message}``.
- ``{"run": SQL}``: runs the query and answers ``{"ok": true, "rows": [[cell…]…]}``, each cell as
  DuckDB's Node API gives it to ``kustoValue`` (``src/kql/node/duckdb.ts``): instants as
  ``yyyy-MM-dd HH:mm:ss.SSSSSS`` text, timespans as ``{"months", "days", "micros"}``, dynamic
  values as JSON text, non-finite reals and longs beyond 2^53 as text (``bin/kql doc-cases``).

Analysing is what ``EXPLAIN`` does without running anything: names, types and functions resolved.
A classic local session (no Spark Connect server) is enough for that and starts faster.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import math
import re
import sys
from typing import Any

from pyspark.sql import SparkSession


def quoted(name: str) -> str:
    return "`" + name.replace("`", "``") + "`"


class Tables:
    """The schema's tables as empty temporary views, each created when a query first names it (a
    view of a wide table takes Spark a fraction of a second; most queries read one or two)."""

    def __init__(self, spark: SparkSession, tables: list[dict[str, Any]]) -> None:
        self._spark = spark
        self._columns = {t["name"]: t["columns"] for t in tables}
        self._created: set[str] = set()

    def for_query(self, sql: str) -> None:
        for name in set(re.findall(r"`((?:[^`]|``)+)`", sql)):
            table = name.replace("``", "`")
            if table in self._columns and table not in self._created:
                schema = ", ".join(f"{quoted(c['name'])} {c['type']}" for c in self._columns[table])
                self._spark.createDataFrame([], schema).createOrReplaceTempView(table)
                self._created.add(table)


#: Longs beyond this lose digits as JSON numbers in Node: they go as text.
SAFE_INTEGER = 2**53 - 1


def cell(value: Any) -> Any:
    """One value of a collected row as JSON that ``kustoValue`` reads as DuckDB's."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, int):
        return value if abs(value) <= SAFE_INTEGER else str(value)
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value).lower()
    if isinstance(value, dt.timedelta):
        micros = (value.days * 86_400 + value.seconds) * 1_000_000 + value.microseconds
        return {"months": 0, "days": 0, "micros": str(micros)}
    if isinstance(value, (bytes, bytearray)):
        return base64.b64encode(value).decode()
    return str(value)


def rows_of(spark: SparkSession, sql: str) -> list[list[Any]]:
    """A query's rows: instants formatted by Spark in the session's zone (UTC), nested values as
    JSON, the rest collected."""
    from pyspark.sql import functions as F

    df = spark.sql(sql)
    columns = []
    for index, field in enumerate(df.schema.fields):
        column = df[index]
        kind = type(field.dataType).__name__
        if kind in ("TimestampType", "TimestampNTZType", "DateType"):
            column = F.date_format(column.cast("timestamp"), "yyyy-MM-dd HH:mm:ss.SSSSSS")
        elif kind in ("ArrayType", "MapType", "StructType", "VariantType"):
            column = F.to_json(column)
        columns.append(column.alias(f"c{index}"))
    return [[cell(v) for v in row] for row in df.select(*columns).collect()]


def first_line(error: Exception) -> str:
    text = str(error).strip()
    return text.split("\n")[0] if text else type(error).__name__


def main() -> int:
    spark = (
        SparkSession.builder.master("local[1]")
        .appName("kql-check")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.session.timeZone", "UTC")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("OFF")
    tables = Tables(spark, [])
    for line in sys.stdin:
        request = json.loads(line)
        answer: dict[str, Any]
        try:
            if "setup" in request:
                tables = Tables(spark, request["setup"]["tables"])
                for statement in request["setup"]["prelude"]:
                    spark.sql(statement)
                answer = {"ok": True}
            elif "run" in request:
                answer = {"ok": True, "rows": rows_of(spark, request["run"])}
            else:
                tables.for_query(request["sql"])
                for statement in request.get("views", []):
                    spark.sql(statement)
                # A DataFrame's schema is known once Spark has resolved and type-checked the plan.
                spark.sql(request["sql"]).schema  # noqa: B018
                answer = {"ok": True}
        except Exception as error:  # any failure of Spark is the answer
            answer = {"ok": False, "error": first_line(error)}
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()
    spark.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
