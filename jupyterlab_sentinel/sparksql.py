"""What SQL a Spark workspace runs: one query, after SQL-bodied temporary functions.

The compiler's Spark dialect may put a *prelude* before its query: ``CREATE TEMPORARY FUNCTION
name(args) RETURNS type RETURN expr`` statements for Kusto semantics Spark lacks. Everything else
is refused before Spark sees it, by sqlglot's Spark parser (not by patterns over the text):

- the last statement is a query (SELECT, WITH, set operations); every other one is a temporary
  function whose body is SQL (``RETURN …``), never a class from a JAR;
- tables are read by plain name from the workspace's own database: no other database, no file
  path (``parquet.`/etc/…```), no table named at run time (``IDENTIFIER('…')``);
- no function that calls into the JVM (``reflect``, ``java_method``).

Spark's own parser checks the query once more: it runs as a subquery, where anything but a query
is a syntax error (see ``spark.py``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import sqlglot
from sqlglot import Token, TokenType, exp
from sqlglot.errors import ParseError, TokenError

from .errors import Forbidden, InvalidInput

#: A table or function name a Spark workspace query may use unquoted or quoted: never a path.
PLAIN_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")

#: Functions that call Java methods, or name a table at run time.
REFUSED_FUNCTIONS = frozenset({"reflect", "java_method", "try_reflect", "identifier"})


@dataclass(frozen=True)
class Prelude:
    """One temporary function of a query's prelude: its name and the statement that defines it
    (``OR REPLACE`` added, so that a reused session takes it again)."""

    name: str
    sql: str


@dataclass(frozen=True)
class SparkStatements:
    """A request's SQL split into its prelude and its query, each as its own text."""

    prelude: tuple[Prelude, ...]
    query: str
    #: Tables the query and its functions read, by plain name.
    tables: frozenset[str]


def parse_spark_sql(sql: str, qualifiers: tuple[str, ...] = ()) -> SparkStatements:
    """Splits and checks a Spark workspace's SQL; ``qualifiers`` are the names a table may be
    qualified with (the workspace's database, and its catalog before it)."""
    try:
        tokens = sqlglot.tokenize(sql, read="spark")
    except TokenError as error:
        raise InvalidInput("The SQL could not be parsed", str(error), reason="sql-error") from None
    texts = _statement_texts(sql, tokens)
    if not texts:
        raise InvalidInput("The SQL holds no statement", reason="sql-error")
    parsed = []
    for text in texts:
        try:
            parsed.append(sqlglot.parse_one(text, read="spark"))
        except ParseError as error:
            raise InvalidInput(
                "The SQL could not be parsed", str(error), reason="sql-error"
            ) from None
    *functions, query = parsed
    if not isinstance(query, exp.Query):
        raise Forbidden(
            f"Spark workspaces run one query (SELECT, WITH, UNION…) last, not {_kind(query)}",
            reason="read-only",
        )
    prelude = tuple(
        _prelude(statement, text) for statement, text in zip(functions, texts[:-1], strict=True)
    )
    tables: set[str] = set()
    for statement in parsed:
        tables |= _checked_tables(statement, qualifiers)
        _check_functions(statement)
    return SparkStatements(prelude, texts[-1], frozenset(tables))


def _statement_texts(sql: str, tokens: list[Token]) -> list[str]:
    """The text of each statement, split at the semicolons the tokenizer found (never at one in a
    string or comment); empty statements dropped."""
    texts, start = [], 0
    for token in tokens:
        if token.token_type == TokenType.SEMICOLON:
            texts.append(sql[start : token.start])
            start = token.end + 1
    texts.append(sql[start:])
    return [text for text in texts if sqlglot.tokenize(text, read="spark")]


def _kind(statement: exp.Expr) -> str:
    if isinstance(statement, exp.Command):
        return str(statement.this).upper()
    if isinstance(statement, exp.Create):
        return f"CREATE {statement.args.get('kind') or ''}".strip()
    return type(statement).__name__.upper()


def _prelude(statement: exp.Expr, text: str) -> Prelude:
    """A prelude statement, refused unless it is a SQL-bodied temporary function."""
    refused = Forbidden(
        "Before its query, a Spark workspace runs only SQL-bodied temporary functions "
        f"(CREATE TEMPORARY FUNCTION name(…) RETURNS type RETURN …), not {_kind(statement)}",
        reason="read-only",
    )
    if not isinstance(statement, exp.Create) or statement.args.get("kind") != "FUNCTION":
        raise refused
    properties = statement.args.get("properties")
    kinds = {type(p) for p in properties.expressions} if properties else set()
    udf = statement.this
    if (
        exp.TemporaryProperty not in kinds
        or not kinds <= {exp.TemporaryProperty, exp.ReturnsProperty}
        or not isinstance(statement.expression, exp.Return)
        or not isinstance(udf, exp.UserDefinedFunction)
    ):
        raise refused
    name = udf.this
    if not isinstance(name, exp.Table) or name.db or not PLAIN_NAME.match(name.name):
        raise Forbidden(f"A temporary function needs a plain name, not {name.sql('spark')}")
    if statement.args.get("replace") or statement.args.get("exists"):
        return Prelude(name.name, text)
    # The statement's own text, with OR REPLACE after its first keyword (CREATE).
    create = sqlglot.tokenize(text, read="spark")[0]
    return Prelude(name.name, f"{text[: create.end + 1]} OR REPLACE{text[create.end + 1 :]}")


def _checked_tables(statement: exp.Expr, qualifiers: tuple[str, ...]) -> set[str]:
    """The workspace tables a statement reads; anything else in a FROM is refused."""
    ctes = {cte.alias_or_name.lower() for cte in statement.find_all(exp.CTE)}
    tables = set()
    for table in statement.find_all(exp.Table):
        if isinstance(table.parent, exp.UserDefinedFunction):
            continue  # the name of a prelude's function
        if not isinstance(table.this, exp.Identifier):
            continue  # a table function (range, explode…): its name is checked with the others
        name = table.name
        parts = [p for p in (table.catalog, table.db) if p]
        if not PLAIN_NAME.match(name):
            raise Forbidden(
                f"Spark workspace queries read tables by name, not {table.sql('spark')}",
                reason="read-only",
            )
        if parts and [p.lower() for p in parts] != [q.lower() for q in qualifiers[-len(parts) :]]:
            raise Forbidden(
                f"{table.sql('spark')} is outside the workspace's database", reason="read-only"
            )
        if not parts and name.lower() in ctes:
            continue
        tables.add(name)
    return tables


def _check_functions(statement: exp.Expr) -> None:
    for function in statement.find_all(exp.Func):
        name = function.sql_name() if not isinstance(function, exp.Anonymous) else function.name
        if name.lower() in REFUSED_FUNCTIONS:
            raise Forbidden(
                f"{name} is not allowed in Spark workspace queries: it reaches outside SQL",
                reason="read-only",
            )
