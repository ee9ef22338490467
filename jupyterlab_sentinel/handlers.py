"""The extension's REST API, under ``<base_url>/sentinel/api/`` (``docs/rest-api.md`` has the
bodies):

- ``workspaces`` (GET, PUT): the workspaces (local folders and Spark's), or replace the user's
  folders;
  ``workspaces/{id}/schema`` (GET): tables, columns with KQL types, row counts;
- ``workspaces/{id}/query`` (POST): one read-only SELECT, answered as Arrow IPC;
  ``workspaces/{id}/export`` (POST): a query's whole result as Parquet for the kernel;
- ``workspaces/{id}/bookmarks`` (GET, POST) and ``workspaces/{id}/bookmarks/{bookmarkId}``
  (GET, PUT, DELETE): the workspace's hunting bookmarks;
- ``queries`` (GET): the queries running now; ``queries/{queryId}`` (DELETE): cancel one;
- ``results`` (GET): a page of a KQL cell's saved result; ``results/csv`` (GET): all of it as CSV;
- ``loganalytics/arrow`` and ``loganalytics/export`` (POST): a Log Analytics query response from
  the Azure backend, as Arrow IPC or as Parquet for the kernel;
- ``templates`` (GET, PUT), ``templates/{source}/{template}`` (GET) and
  ``templates/{source}/{template}/clone`` (POST): notebook templates;
- ``hunts`` (GET, PUT) and ``hunts/{pack}`` (GET): hunt packs of Sentinel rule files;
- and, outside the API, ``<base_url>/sentinel/auth/redirect``: MSAL.js's sign-in redirect page.

The handlers only translate HTTP to calls on the domain (the `Lake`, `ResultPages`,
`TemplateLibrary`, `HuntPacks`, the bookmark stores) and turn the domain's errors (``errors.py``)
into status codes and JSON bodies, in `SentinelHandler` alone. The work runs off the event loop,
queries on a bounded pool of their own and everything else on another (see ``pools.py``), so that
the server keeps answering while DuckDB reads. Each handler declares what it does to the
``sentinel`` resource (``read`` or ``write``) for Jupyter's authorizer.
"""

from __future__ import annotations

import functools
import json
import threading
import time
import uuid
from collections.abc import Awaitable, Callable
from concurrent.futures import Executor
from pathlib import Path
from typing import Any, TypeVar

import tornado
from jupyter_server.auth.decorator import allow_unauthenticated, authorized
from jupyter_server.base.handlers import APIHandler, JupyterHandler
from jupyter_server.utils import url_path_join
from tornado.ioloop import IOLoop

from .bookmarks import author
from .errors import (
    Busy,
    Cancelled,
    Conflict,
    Forbidden,
    InvalidInput,
    NotFound,
    RequestTooLarge,
    ResultTooLarge,
    SentinelError,
    TimedOut,
    Unusable,
    WorkerFailed,
)
from .external import ExternalData
from .hunts import HuntPacks
from .lake import BatchStatement, Lake, QueryResult
from .loganalytics import export as export_response
from .loganalytics import export_tables, parse_response, parse_tables, to_query_result
from .pools import QueryPool
from .results import MAX_PAGE_ROWS, PageRequest, ResultPages
from .templates import TemplateLibrary
from .validation import MAX_INTEGER, integer_argument, optional_number

#: The resource every handler of this extension is authorized on (see ``docs/rest-api.md``).
RESOURCE = "sentinel"
#: Bytes of a JSON request body; SQL text has its own, smaller limit.
MAX_JSON_BODY_BYTES = 16 * 2**20

T = TypeVar("T")

#: The HTTP status of each kind of domain error: the only place errors meet HTTP.
STATUS_CODES: dict[type[SentinelError], int] = {
    InvalidInput: 400,
    Cancelled: 400,
    Forbidden: 403,
    NotFound: 404,
    Conflict: 409,
    RequestTooLarge: 413,
    ResultTooLarge: 422,
    TimedOut: 422,
    Unusable: 422,
    WorkerFailed: 500,
    Busy: 503,
}


def status_code(error: SentinelError) -> int:
    """The HTTP status that answers a domain error."""
    for kind in type(error).__mro__:
        if kind in STATUS_CODES:
            return STATUS_CODES[kind]
    return 500


def error_body(error: SentinelError) -> dict[str, str]:
    """The JSON body that answers a domain error: what the client needs to recover, the message,
    the reason code and, when there is one, the engine's detail."""
    body = {**error.extra, "message": error.message, "reason": error.reason}
    if error.detail:
        body["detail"] = error.detail
    return body


def provided_relations(body: dict[str, Any]) -> tuple[list[ExternalData], bool]:
    """What a query request asks the server to provide (see ``external.py``): the
    ``externalData`` relations, and whether the SQL reads the geolocation table (``geoIp``)."""
    entries = body.get("externalData") or []
    if not isinstance(entries, list):
        raise InvalidInput("externalData must be a list")
    return [ExternalData.parse(entry) for entry in entries], body.get("geoIp") is True


def other_workspaces(body: dict[str, Any]) -> list[str]:
    """The other workspaces of a cross-workspace query (``workspaces``, as the Log Analytics
    query API names them): local workspace ids."""
    ids = body.get("workspaces") or []
    if not isinstance(ids, list) or not all(isinstance(i, str) and i for i in ids):
        raise InvalidInput("workspaces must be a list of workspace ids")
    return ids


def _holds_nul(value: object) -> bool:
    """True when a NUL character is in any string of a parsed JSON value."""
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            if "\x00" in item:
                return True
        elif isinstance(item, dict):
            pending.extend(item.keys())
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
    return False


def answers_errors(
    method: Callable[..., Awaitable[None]],
) -> Callable[..., Awaitable[None]]:
    """Answers a `SentinelError` raised by a handler method with its status and JSON body."""

    @functools.wraps(method)
    async def wrapper(self: SentinelHandler, *args: str) -> None:
        try:
            await method(self, *args)
        except SentinelError as error:
            self.send_error_json(error)

    return wrapper


class SentinelHandler(APIHandler):
    """Base handler: JSON errors with a message and a reason, never a traceback."""

    auth_resource = RESOURCE

    @property
    def lake(self) -> Lake:
        """The server's local workspaces."""
        lake: Lake = self.settings["sentinel_lake"]
        return lake

    @property
    def results(self) -> ResultPages:
        """The saved results of KQL cells."""
        results: ResultPages = self.settings["sentinel_results"]
        return results

    @property
    def templates(self) -> TemplateLibrary:
        """The server's template sources."""
        templates: TemplateLibrary = self.settings["sentinel_templates"]
        return templates

    @property
    def hunts(self) -> HuntPacks:
        """The server's hunt packs."""
        hunts: HuntPacks = self.settings["sentinel_hunts"]
        return hunts

    def run(self, function: Callable[..., T], *args: Any) -> Awaitable[T]:
        """Runs blocking work that is not a query off the event loop."""
        executor: Executor = self.settings["sentinel_executor"]
        return IOLoop.current().run_in_executor(executor, function, *args)

    async def run_query(self, function: Callable[..., T], *args: Any) -> T:
        """Runs a query on the query pool; the answer's ``X-Sentinel-Queued-Ms`` says how long it
        waited for a free thread."""
        pool: QueryPool = self.settings["sentinel_queries"]
        done = await pool.run(function, *args)
        self.set_header("X-Sentinel-Queued-Ms", f"{done.waited_ms:.1f}")
        return done.value

    def body(self) -> dict[str, Any]:
        """The request's JSON object body."""
        raw = self.request.body or b"{}"
        if len(raw) > MAX_JSON_BODY_BYTES:
            raise RequestTooLarge(f"The body is larger than {MAX_JSON_BODY_BYTES // 2**20} MB")
        try:
            body = json.loads(raw)
        except ValueError as error:  # not JSON, or not UTF-8
            raise InvalidInput(f"The body is not JSON: {error}") from None
        except RecursionError:
            raise InvalidInput("The body is nested too deeply") from None
        if not isinstance(body, dict):
            raise InvalidInput("The body must be a JSON object")
        if _holds_nul(body):
            # No name, path or query holds one; the OS refuses them in paths.
            raise InvalidInput("Text in the body must not hold NUL characters")
        return body

    async def finish_rows(self, result: QueryResult) -> None:
        """Answers a query's rows as an Arrow IPC stream, with their figures in headers."""
        payload = await self.run(result.to_ipc)
        self.set_header("X-Sentinel-Row-Count", str(result.table.num_rows))
        self.set_header("X-Sentinel-Truncated", "true" if result.truncated else "false")
        self.set_header("X-Sentinel-Elapsed-Ms", f"{result.elapsed_ms:.1f}")
        # APIHandler.finish sets the content type itself.
        self.finish(payload, set_content_type="application/vnd.apache.arrow.stream")

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        """Writes SentinelErrors as their JSON, anything else as a generic JSON message."""
        self.set_header("Content-Type", "application/json")
        exc_info = kwargs.get("exc_info")
        error = exc_info[1] if exc_info else None
        if isinstance(error, SentinelError):
            self.finish(json.dumps(error_body(error)))
        elif isinstance(error, tornado.web.HTTPError):
            # 403 is what jupyter_server's @authorized answers for an action refused.
            reason = "forbidden" if status_code == 403 else "http"
            self.finish(
                json.dumps({"message": error.log_message or self._reason, "reason": reason})
            )
        else:
            self.finish(json.dumps({"message": "Internal server error", "reason": "internal"}))

    def send_error_json(self, error: SentinelError) -> None:
        """Answers a domain error with its status and JSON body."""
        self.set_status(status_code(error))
        if error.retry_after is not None:
            self.set_header("Retry-After", str(error.retry_after))
        self.finish(json.dumps(error_body(error)))


class WorkspacesHandler(SentinelHandler):
    """``GET``/``PUT workspaces``: list, or replace the user's workspace folders."""

    @tornado.web.authenticated
    @authorized("read")
    @answers_errors
    async def get(self) -> None:
        """Lists the workspaces: local folders, then Spark's."""
        self.finish({"workspaces": await self.run(self.lake.listing)})

    @tornado.web.authenticated
    @authorized("write")
    @answers_errors
    async def put(self) -> None:
        """Replaces the configured folders; answers the new list."""
        folders = self.body().get("workspaces", [])
        if not isinstance(folders, list) or not all(isinstance(f, dict) for f in folders):
            raise InvalidInput("workspaces must be a list of {name, path}")
        await self.run(self.lake.configure, folders)
        self.finish({"workspaces": await self.run(self.lake.listing)})


class SchemaHandler(SentinelHandler):
    """``GET workspaces/{id}/schema``."""

    @tornado.web.authenticated
    @authorized("read")
    @answers_errors
    async def get(self, workspace_id: str) -> None:
        """Tables, columns with KQL types, row counts and categories."""
        schema = await self.run(self.lake.schema, workspace_id)
        self.finish(schema)


class RunningQueryHandler(SentinelHandler):
    """A request that runs a query: when the client goes away (tab closed, connection lost, fetch
    aborted) the query is cancelled rather than run to its time limit."""

    _query_id: str | None = None

    def initialize(self) -> None:
        """Starts with no query and the client connected."""
        super().initialize()
        self._gone = threading.Event()

    def timeout(self, body: dict[str, Any]) -> float | None:
        """The request's ``timeoutSeconds``, checked against the server's cap."""
        return optional_number(
            body, "timeoutSeconds", above=0, maximum=self.lake.limits.max_timeout
        )

    async def run_until_gone(
        self, query_id: str, function: Callable[..., T], *args: Any, **keywords: Any
    ) -> T:
        """Runs a query on the query pool, unless the client left or cancelled it while it
        waited there."""
        self._query_id = query_id
        waiting: dict[str, threading.Event] = self.settings["sentinel_waiting"]
        waiting.setdefault(query_id, self._gone)

        def start() -> T:
            if self._gone.is_set():
                raise Cancelled("Query cancelled")
            return function(*args, **keywords)

        try:
            return await self.run_query(start)
        finally:
            if waiting.get(query_id) is self._gone:
                del waiting[query_id]

    def on_connection_close(self) -> None:
        """Cancels the request's query, running or waiting."""
        self._gone.set()
        if self._query_id is not None:
            try:
                self.lake.cancel(self._query_id)
            except NotFound:
                pass  # waiting for a thread (it will not start), or finished
        super().on_connection_close()


class QueryHandler(RunningQueryHandler):
    """``POST workspaces/{id}/query``: one read-only SELECT, answered as an Arrow IPC stream."""

    @tornado.web.authenticated
    @authorized("read")
    @answers_errors
    async def post(self, workspace_id: str) -> None:
        """Runs the query and answers with its rows as Arrow IPC."""
        body = self.body()
        sql, query_id = body.get("sql"), body.get("queryId")
        if not isinstance(sql, str) or not isinstance(query_id, str) or not query_id:
            raise InvalidInput("sql and queryId are required strings")
        max_rows = optional_number(body, "maxRows", minimum=1, maximum=MAX_INTEGER, integer=True)
        timeout = self.timeout(body)
        external, geoip = provided_relations(body)
        result = await self.run_until_gone(
            query_id,
            self.lake.query,
            workspace_id,
            sql,
            query_id,
            max_rows=None if max_rows is None else int(max_rows),
            timeout=timeout,
            external=external,
            geoip=geoip,
            workspaces=other_workspaces(body),
        )
        await self.finish_rows(result)


class ExportHandler(RunningQueryHandler):
    """``POST workspaces/{id}/export``: a query's full result as Parquet in the Jupyter root."""

    @tornado.web.authenticated
    @authorized("write")
    @answers_errors
    async def post(self, workspace_id: str) -> None:
        """Writes the Parquet file and answers its path, row count and columns, and with
        ``firstPageRows`` the first page of the result as ``GET results`` answers it; with
        ``statements`` (a batch, one table per tabular statement), a file per statement, answered
        as ``{"tables": [...]}``."""
        body = self.body()
        if "statements" in body:
            await self._export_batch(workspace_id, body)
            return
        sql, path = body.get("sql"), body.get("path")
        query_id = body.get("queryId") or str(uuid.uuid4())
        if not isinstance(sql, str) or not isinstance(path, str) or not isinstance(query_id, str):
            raise InvalidInput("sql and path are required strings")
        timeout = self.timeout(body)
        external, geoip = provided_relations(body)
        rows = body.get("firstPageRows")
        if rows is not None and (not isinstance(rows, int) or not 1 <= rows <= MAX_PAGE_ROWS):
            raise InvalidInput(f"firstPageRows must be an integer from 1 to {MAX_PAGE_ROWS}")
        result = await self.run_until_gone(
            query_id,
            self.lake.export,
            workspace_id,
            sql,
            path,
            query_id,
            timeout=timeout,
            external=external,
            geoip=geoip,
            workspaces=other_workspaces(body),
        )
        if rows is not None:
            # The grid's first page comes with the answer: no second request before it draws.
            result["firstPage"] = await self.run(
                self.results.page, result["path"], PageRequest(limit=rows, text_lengths=True)
            )
        self.finish(result)

    async def _export_batch(self, workspace_id: str, body: dict[str, Any]) -> None:
        entries, query_id = body.get("statements"), body.get("queryId") or str(uuid.uuid4())
        if not isinstance(entries, list) or not entries or not isinstance(query_id, str):
            raise InvalidInput("statements must be a list of {sql, path} objects")
        statements = []
        for entry in entries:
            if not isinstance(entry, dict):
                raise InvalidInput("statements must be a list of {sql, path} objects")
            sql, path = entry.get("sql"), entry.get("path")
            if not isinstance(sql, str) or not isinstance(path, str):
                raise InvalidInput("each statement needs sql and path strings")
            external, geoip = provided_relations(entry)
            statements.append(BatchStatement(sql, path, tuple(external), geoip))
        result = await self.run_until_gone(
            query_id,
            self.lake.export_batch,
            workspace_id,
            statements,
            query_id,
            timeout=self.timeout(body),
        )
        self.finish(result)


class LogAnalyticsArrowHandler(SentinelHandler):
    """``POST loganalytics/arrow?maxRows=N``: a Log Analytics query response (the body, as the
    service sent it) as an Arrow IPC stream of its first rows, typed without losing digits."""

    @tornado.web.authenticated
    @authorized("read")
    @answers_errors
    async def post(self) -> None:
        """Answers the rows like the local query endpoint, with ``X-Sentinel-Partial`` set for a
        partial result."""
        text = self.get_query_argument("maxRows", str(self.lake.limits.default_rows))
        max_rows = min(
            integer_argument(text, "maxRows", minimum=1, maximum=MAX_INTEGER),
            self.lake.limits.max_rows,
        )
        start = time.perf_counter()
        response = await self.run_query(parse_response, self.request.body)
        result = to_query_result(response, max_rows, (time.perf_counter() - start) * 1000)
        self.set_header("X-Sentinel-Partial", "true" if response.partial else "false")
        await self.finish_rows(result)


class LogAnalyticsExportHandler(SentinelHandler):
    """``POST loganalytics/export?path=P``: a Log Analytics query response (the body, as the
    service sent it) written as Parquet at ``P`` in the Jupyter root, for the kernel."""

    @tornado.web.authenticated
    @authorized("write")
    @answers_errors
    async def post(self) -> None:
        """Writes the file and answers its path, row count, columns and partial flag; with
        ``tables=all``, every table of a batch (``A; B``), listed in ``tables``."""
        path = self.get_query_argument("path", "")
        if self.get_query_argument("tables", "") == "all":
            responses = await self.run_query(parse_tables, self.request.body)
            self.finish(await self.run_query(export_tables, self.lake.root_dir, path, responses))
            return
        response = await self.run_query(parse_response, self.request.body)
        self.finish(await self.run_query(export_response, self.lake.root_dir, path, response))


class ResultsHandler(SentinelHandler):
    """``GET results?path=…``: one page of a KQL cell's saved result, sorted and filtered."""

    def _integer(self, name: str, default: int, minimum: int, maximum: int) -> int:
        text = self.get_query_argument(name, str(default))
        return integer_argument(text, name, minimum=minimum, maximum=maximum)

    def _request(self) -> PageRequest:
        order = self.get_query_argument("order", "asc")
        if order not in ("asc", "desc"):
            raise InvalidInput("order must be asc or desc")
        return PageRequest(
            offset=self._integer("offset", 0, 0, MAX_INTEGER),
            limit=self._integer("limit", 100, 1, MAX_PAGE_ROWS),
            sort=self.get_query_argument("sort", None) or None,
            descending=order == "desc",
            filter=self.get_query_argument("filter", None) or None,
            text_lengths=self.get_query_argument("lengths", "") == "true",
        )

    @tornado.web.authenticated
    @authorized("read")
    @answers_errors
    async def get(self) -> None:
        """The page's rows as JSON values, with the result's columns and row counts."""
        path = self.get_query_argument("path", "")
        self.finish(await self.run(self.results.page, path, self._request()))


class ResultsCsvHandler(ResultsHandler):
    """``GET results/csv?path=…``: the whole saved result as a CSV download, streamed."""

    @tornado.web.authenticated
    @authorized("read")
    @answers_errors
    async def get(self) -> None:
        """Every row of the result, in the grid's order and with its filter."""
        path = self.get_query_argument("path", "")
        chunks = await self.run(self.results.csv, path, self._request())
        content_type = "text/csv; charset=utf-8"
        self.set_header("Content-Type", content_type)
        name = Path(path).with_suffix(".csv").name.replace('"', "")
        self.set_header("Content-Disposition", f'attachment; filename="{name}"')
        try:
            while (chunk := await self.run(next, chunks, None)) is not None:
                self.write(chunk)
                await self.flush()
        finally:
            # A closed download stops reading the file.
            await self.run(chunks.close)
        self.finish(set_content_type=content_type)


class BookmarksHandler(SentinelHandler):
    """``GET``/``POST workspaces/{id}/bookmarks``: list, or create (idempotent by client id)."""

    @tornado.web.authenticated
    @authorized("read")
    @answers_errors
    async def get(self, workspace_id: str) -> None:
        """The workspace's bookmarks, newest first."""
        store = self.lake.bookmarks(workspace_id)
        bookmarks = await self.run(store.list)
        self.finish({"bookmarks": bookmarks})

    @tornado.web.authenticated
    @authorized("write")
    @answers_errors
    async def post(self, workspace_id: str) -> None:
        """Creates a bookmark: 201, or 200 with the existing one when its id was used before."""
        store = self.lake.bookmarks(workspace_id)
        bookmark, created = await self.run(store.create, self.body(), self.user_name)
        self.set_status(201 if created else 200)
        self.finish(bookmark)

    @property
    def user_name(self) -> str:
        """Who is asking, as Jupyter knows them."""
        return author(self.current_user)


class BookmarkHandler(BookmarksHandler):
    """``GET``/``PUT``/``DELETE workspaces/{id}/bookmarks/{bookmarkId}``."""

    @tornado.web.authenticated
    @authorized("read")
    @answers_errors
    async def get(self, workspace_id: str, bookmark_id: str) -> None:
        """One bookmark."""
        bookmark = await self.run(self.lake.bookmarks(workspace_id).get, bookmark_id)
        self.finish(bookmark)

    @tornado.web.authenticated
    @authorized("write")
    @answers_errors
    async def put(self, workspace_id: str, bookmark_id: str) -> None:
        """Replaces a bookmark's fields."""
        store = self.lake.bookmarks(workspace_id)
        bookmark = await self.run(store.update, bookmark_id, self.body(), self.user_name)
        self.finish(bookmark)

    @tornado.web.authenticated
    @authorized("write")
    @answers_errors
    async def delete(self, workspace_id: str, bookmark_id: str) -> None:
        """Deletes a bookmark (the log keeps a soft-deleted row, as Sentinel's table does)."""
        store = self.lake.bookmarks(workspace_id)
        await self.run(store.delete, bookmark_id, self.user_name)
        self.set_status(204)
        self.finish()


class QueriesHandler(SentinelHandler):
    """``GET queries``: the queries running now and the query pool's capacity and use."""

    @tornado.web.authenticated
    @authorized("read")
    @answers_errors
    async def get(self) -> None:
        """Answers at once: it never waits for a thread."""
        pool: QueryPool = self.settings["sentinel_queries"]
        self.finish({"queries": self.lake.running(), "started": self.lake.started, **pool.status()})


class CancelHandler(SentinelHandler):
    """``DELETE queries/{queryId}``: interrupts a running query."""

    @tornado.web.authenticated
    @authorized("read")
    @answers_errors
    async def delete(self, query_id: str) -> None:
        """Cancels the query; its own request answers with reason ``cancelled``."""
        waiting: dict[str, threading.Event] = self.settings["sentinel_waiting"]
        try:
            self.lake.cancel(query_id)
        except NotFound:
            # Not running: waiting for a query thread, or unknown.
            if query_id not in waiting:
                raise
            waiting[query_id].set()
        self.set_status(204)
        self.finish()


class TemplatesHandler(SentinelHandler):
    """``GET``/``PUT templates``: every source with its templates, or replace the user's sources."""

    @tornado.web.authenticated
    @authorized("read")
    @answers_errors
    async def get(self) -> None:
        """Lists the sources and their templates."""
        sources = await self.run(self.templates.list)
        self.finish({"sources": sources})

    @tornado.web.authenticated
    @authorized("write")
    @answers_errors
    async def put(self) -> None:
        """Replaces the configured template folders; answers the new listing."""
        body = self.body()
        folders, github = body.get("folders", []), body.get("github", [])
        if not isinstance(folders, list) or not all(isinstance(f, dict) for f in folders):
            raise InvalidInput("folders must be a list of {name, path}")
        if not isinstance(github, list) or not all(isinstance(g, dict) for g in github):
            raise InvalidInput("github must be a list of {name, owner, repo, branch, path}")
        await self.run(self.templates.configure, folders, github)
        sources = await self.run(self.templates.list)
        self.finish({"sources": sources})


class TemplateHandler(SentinelHandler):
    """``GET templates/{source}/{template}``: one template's description and notebook."""

    @tornado.web.authenticated
    @authorized("read")
    @answers_errors
    async def get(self, source_id: str, template_id: str) -> None:
        """The template and its notebook JSON."""
        self.finish(await self.run(self.templates.get, source_id, template_id))


class CloneHandler(SentinelHandler):
    """``POST templates/{source}/{template}/clone``: a copy of the template in the Jupyter root."""

    @tornado.web.authenticated
    @authorized("write")
    @answers_errors
    async def post(self, source_id: str, template_id: str) -> None:
        """Writes the copy: 201 with its path, or 409 with a free name when the name is taken."""
        body = self.body()
        folder, name, overwrite = body.get("folder", ""), body.get("name"), body.get("overwrite")
        if not isinstance(folder, str) or (name is not None and not isinstance(name, str)):
            raise InvalidInput("folder and name must be strings")
        if overwrite is not None and not isinstance(overwrite, bool):
            raise InvalidInput("overwrite must be true or false")
        result = await self.run(
            self.templates.clone, source_id, template_id, folder, name, bool(overwrite)
        )
        self.set_status(201)
        self.finish(result.to_json())


#: MSAL.js's redirect bridge, copied from its package into the built extension by the build.
BRIDGE_SCRIPT = Path(__file__).parent / "labextension" / "static" / "msal-redirect-bridge.min.js"

#: The page Entra ID sends the sign-in window back to: it only hands the answer to JupyterLab.
BRIDGE_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Signing in to Azure…</title></head>
<body><p id="status">Returning to JupyterLab…</p>
<script src="redirect/msal-redirect-bridge.js"></script>
<script src="redirect/broadcast.js"></script></body></html>
"""

#: Runs the bridge; says what went wrong in the window if it fails (no inline script, for CSPs).
BRIDGE_CALL = """msalRedirectBridge.broadcastResponseToMainFrame().catch(function (e) {
  document.getElementById("status").textContent =
    "The sign-in could not return to JupyterLab: " + (e && e.message ? e.message : e);
});
"""


class HuntPacksHandler(SentinelHandler):
    """``GET``/``PUT hunts``: the shipped hunt packs and the GitHub ones, or replace the GitHub
    repositories listed as packs."""

    @tornado.web.authenticated
    @authorized("read")
    @answers_errors
    async def get(self) -> None:
        """Lists the packs and how many rule files each has."""
        self.finish({"packs": await self.run(self.hunts.list)})

    @tornado.web.authenticated
    @authorized("write")
    @answers_errors
    async def put(self) -> None:
        """Replaces the configured GitHub repositories; answers the new listing."""
        github = self.body().get("github", [])
        if not isinstance(github, list) or not all(isinstance(g, dict) for g in github):
            raise InvalidInput("github must be a list of {name, owner, repo, branch, paths}")
        await self.run(self.hunts.configure, github)
        self.finish({"packs": await self.run(self.hunts.list)})


class HuntPackHandler(SentinelHandler):
    """``GET hunts/{pack}``: a pack's rule files with their text."""

    @tornado.web.authenticated
    @authorized("read")
    @answers_errors
    async def get(self, pack_id: str) -> None:
        """The pack's files; one that cannot be read carries the reason instead of its text."""
        self.finish(await self.run(self.hunts.get, pack_id))


class RedirectBridgeHandler(JupyterHandler):
    """``GET <base_url>/sentinel/auth/redirect``: MSAL.js's redirect bridge page.

    It is the redirect URI registered in Entra ID: the sign-in window lands here and MSAL's bridge
    broadcasts the answer to the JupyterLab tab. It holds no data and reaches no API, so it is
    served without Jupyter's login (the window may not carry the token of the tab that opened it).
    No ``Cross-Origin-Opener-Policy`` header is set: the bridge needs its opener.
    """

    @allow_unauthenticated
    def get(self, part: str | None = None) -> None:
        """The page, the bridge script, or the call that runs it."""
        self.set_header("Cache-Control", "no-store")
        if part is None:
            self.set_header("Content-Type", "text/html; charset=utf-8")
            self.finish(BRIDGE_PAGE)
        elif part == "broadcast.js":
            self.set_header("Content-Type", "text/javascript; charset=utf-8")
            self.finish(BRIDGE_CALL)
        elif part == "msal-redirect-bridge.js" and BRIDGE_SCRIPT.is_file():
            self.set_header("Content-Type", "text/javascript; charset=utf-8")
            self.finish(BRIDGE_SCRIPT.read_bytes())
        else:
            raise tornado.web.HTTPError(404)


def setup_handlers(
    web_app: tornado.web.Application,
    lake: Lake,
    templates: TemplateLibrary,
    queries: QueryPool,
    executor: Executor,
    hunts: HuntPacks,
) -> None:
    """Registers the REST API: queries run on ``queries``, all other work on ``executor``."""
    web_app.settings["sentinel_lake"] = lake
    web_app.settings["sentinel_templates"] = templates
    web_app.settings["sentinel_hunts"] = hunts
    web_app.settings["sentinel_queries"] = queries
    web_app.settings["sentinel_executor"] = executor
    # Queries waiting for a query thread, by id: a cancel stops them before they start.
    web_app.settings["sentinel_waiting"] = {}
    web_app.settings["sentinel_results"] = ResultPages(lake.root_dir, lake.limits.threads)
    base = url_path_join(web_app.settings["base_url"], "sentinel", "api")
    segment = r"([^/]+)"
    auth = url_path_join(web_app.settings["base_url"], "sentinel", "auth")
    web_app.add_handlers(
        ".*$",
        [
            (url_path_join(base, "workspaces"), WorkspacesHandler),
            (url_path_join(base, "workspaces", segment, "schema"), SchemaHandler),
            (url_path_join(base, "workspaces", segment, "query"), QueryHandler),
            (url_path_join(base, "workspaces", segment, "export"), ExportHandler),
            (url_path_join(base, "workspaces", segment, "bookmarks"), BookmarksHandler),
            (url_path_join(base, "workspaces", segment, "bookmarks", segment), BookmarkHandler),
            (url_path_join(base, "queries"), QueriesHandler),
            (url_path_join(base, "queries", segment), CancelHandler),
            (url_path_join(base, "results"), ResultsHandler),
            (url_path_join(base, "results", "csv"), ResultsCsvHandler),
            (url_path_join(base, "loganalytics", "arrow"), LogAnalyticsArrowHandler),
            (url_path_join(base, "loganalytics", "export"), LogAnalyticsExportHandler),
            (url_path_join(base, "templates"), TemplatesHandler),
            (url_path_join(auth, "redirect"), RedirectBridgeHandler),
            (url_path_join(auth, "redirect", r"([a-z.-]+\.js)"), RedirectBridgeHandler),
            (url_path_join(base, "templates", segment, segment), TemplateHandler),
            (url_path_join(base, "templates", segment, segment, "clone"), CloneHandler),
            (url_path_join(base, "hunts"), HuntPacksHandler),
            (url_path_join(base, "hunts", segment), HuntPackHandler),
        ],
    )
