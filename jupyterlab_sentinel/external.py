"""The files of KQL ``externaldata``, read from a local copy inside the workspace.

The compiler turns ``externaldata(...)[uri] with (format=...)`` into a relation the SQL reads by
name; the query request describes it. A local workspace never reaches the network: a URI is
served from ``<workspace>/_externaldata/<file name of the URI>``, and refused with a message that
says where to put the file when no copy is there.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlparse

from .errors import InvalidInput, NotFound
from .sql import identifier, string_literal
from .types import TYPES

RELATION = re.compile(r"^__externaldata_[0-9]+$")
FORMATS = {"csv", "tsv", "txt", "json", "multijson"}
FOLDER = "_externaldata"


@dataclass(frozen=True)
class ExternalData:
    """One ``externaldata`` relation of a compiled query."""

    relation: str
    uris: list[str]
    format: str
    ignore_first_record: bool
    columns: list[tuple[str, str]]

    @classmethod
    def parse(cls, value: object) -> ExternalData:
        """Validates one entry of a query request's ``externalData``."""
        if not isinstance(value, dict):
            raise InvalidInput("externalData entries must be objects")
        relation, uris, fmt = value.get("relation"), value.get("uris"), value.get("format")
        columns = value.get("columns")
        if not isinstance(relation, str) or not RELATION.match(relation):
            raise InvalidInput("externalData relation must be __externaldata_N")
        if not isinstance(uris, list) or not uris or not all(isinstance(u, str) for u in uris):
            raise InvalidInput("externalData uris must be strings")
        if not isinstance(fmt, str) or fmt not in FORMATS:
            raise InvalidInput(
                f"externaldata format={fmt} is not supported locally", reason="unsupported"
            )
        if not isinstance(columns, list) or not columns:
            raise InvalidInput("externalData columns are required")
        parsed: list[tuple[str, str]] = []
        for column in columns:
            name = column.get("name") if isinstance(column, dict) else None
            kql = column.get("type") if isinstance(column, dict) else None
            if not isinstance(name, str) or not isinstance(kql, str) or kql not in TYPES:
                raise InvalidInput("externalData columns need name and type")
            parsed.append((name, kql))
        return cls(relation, list(uris), fmt, bool(value.get("ignoreFirstRecord")), parsed)

    def files(self, workspace: Path) -> list[Path]:
        """The local copy of each URI, or `NotFound` saying where the copy belongs."""
        folder = (workspace / FOLDER).resolve()
        found: list[Path] = []
        for uri in self.uris:
            name = Path(unquote(urlparse(uri).path)).name
            path = (folder / name).resolve()
            if not name or path.parent != folder or not path.is_file():
                raise NotFound(
                    f"externaldata reads {uri}, and a local workspace never reaches the "
                    f"internet: save that file as {FOLDER}/{name or '<file>'} in the workspace "
                    "folder to run this query",
                    reason="externaldata-offline",
                )
            found.append(path)
        return found

    def select(self, files: list[Path]) -> str:
        """A SELECT that reads the files as the query's columns."""
        sources = "[" + ", ".join(string_literal(str(f)) for f in files) + "]"
        names = [identifier(name) for name, _ in self.columns]
        if self.format == "txt":
            lines = "string_split(regexp_replace(content, '\\r', '', 'g'), chr(10))"
            if self.ignore_first_record:
                lines = f"list_slice({lines}, 2, len({lines}))"
            first = TYPES[self.columns[0][1]].duckdb
            return (
                f"SELECT CAST(line AS {first}) AS {names[0]} FROM "  # noqa: S608 -- quoted names, literal paths, types from a fixed map
                f"(SELECT unnest({lines}) AS line FROM read_text({sources})) WHERE line <> ''"
            )
        struct = ", ".join(
            f"{string_literal(n)}: {string_literal(TYPES[t].duckdb)}" for n, t in self.columns
        )
        if self.format in ("json", "multijson"):
            return f"SELECT {', '.join(names)} FROM read_json({sources}, columns = {{{struct}}})"  # noqa: S608 -- quoted names, literal paths and types
        delim = "\\t" if self.format == "tsv" else ","
        header = "true" if self.ignore_first_record else "false"
        return (
            f"SELECT {', '.join(names)} FROM read_csv({sources}, columns = {{{struct}}}, "  # noqa: S608 -- quoted names, literal paths and types
            f"header = {header}, delim = '{delim}', auto_detect = false)"
        )


GEOIP_FILE = "_geoip.csv"
GEOIP_COLUMNS = {
    "first": "BIGINT",
    "last": "BIGINT",
    "network": "VARCHAR",
    "country": "VARCHAR",
    "state": "VARCHAR",
    "city": "VARCHAR",
    "latitude": "DOUBLE",
    "longitude": "DOUBLE",
}


def geoip_select(workspace: Path) -> str:
    """The workspace's IP geolocation table, read by KQL ``geo_info_from_ip_address``.

    ``_geoip.csv`` has one IPv4 range per line: its first and last address as numbers, the
    network, country, state, city, latitude and longitude. Without it the query is refused with a
    message, rather than every address silently having no location.
    """
    path = workspace / GEOIP_FILE
    if not path.is_file():
        raise NotFound(
            "geo_info_from_ip_address needs an IP geolocation table: save one as "
            f"{GEOIP_FILE} in the workspace folder (columns {','.join(GEOIP_COLUMNS)})",
            reason="geoip-missing",
        )
    struct = ", ".join(
        f"{string_literal(n)}: {string_literal(t)}" for n, t in GEOIP_COLUMNS.items()
    )
    return (
        f"SELECT * FROM read_csv({string_literal(str(path))}, header = true, "  # noqa: S608 -- literal path and types
        f"columns = {{{struct}}}, auto_detect = false)"
    )
