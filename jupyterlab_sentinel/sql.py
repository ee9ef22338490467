"""Quoting for the few SQL texts the server writes itself (paths, table and column names).

Values a user typed are never put into SQL this way: they go as query parameters.
"""

from __future__ import annotations


def string_literal(text: str) -> str:
    """``text`` as a SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


def identifier(name: str) -> str:
    """``name`` as a quoted SQL identifier."""
    return '"' + name.replace('"', '""') + '"'
