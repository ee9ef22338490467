"""Queries over several local workspaces at once, as Log Analytics runs a query with
``workspaces``: one database reads every member's folder (and no other), each table is the
union of that table in every member that has it, and ``TenantId`` names the workspace of each row,
as the service fills it with the workspace's id.

``workspace("id").Table`` reads one member: the compiler names that table ``"id.Table"``
(``src/kql/frontend/workspaces.ts``), a view created here.
"""

from __future__ import annotations

from collections.abc import Mapping

import duckdb

from .sql import identifier, string_literal

#: The column that names the workspace of each row of a cross-workspace query.
WORKSPACE_COLUMN = "TenantId"


def member_relation(workspace_id: str, table: str) -> str:
    """The view of one member's table, as the compiler names it."""
    return f"{workspace_id}.{table}"


def create_views(
    connection: duckdb.DuckDBPyConnection, members: Mapping[str, Mapping[str, str]]
) -> list[str]:
    """Creates each member's tables as ``"id.Table"`` views (``TenantId`` set to the member's id,
    in place of any the files hold) and each table name as the union of its members' views.

    ``members`` maps each workspace id to its tables (name → the table function that reads it,
    as ``discover_tables`` finds them). Answers the union tables' names.
    """
    holders: dict[str, list[str]] = {}
    keep = f"COLUMNS(c -> c <> {string_literal(WORKSPACE_COLUMN)})"
    for workspace_id, tables in members.items():
        for name, source in tables.items():
            view = identifier(member_relation(workspace_id, name))
            connection.execute(
                f"CREATE VIEW {view} AS SELECT {string_literal(workspace_id)} AS "  # noqa: S608
                f"{identifier(WORKSPACE_COLUMN)}, {keep} FROM {source}"
            )
            holders.setdefault(name, []).append(view)
    for name, views in holders.items():
        union = " UNION ALL BY NAME ".join(f"SELECT * FROM {view}" for view in views)  # noqa: S608
        connection.execute(f"CREATE VIEW {identifier(name)} AS {union}")
    return list(holders)
