"""Notebook templates: guided investigations an analyst clones into their own folder.

A template is an ordinary notebook. Its ``metadata.sentinel`` block says what it needs and does
(title, description, required and optional tables, data sources, tags, MITRE tactics, entity
types, version); a notebook without the block, such as one from Microsoft's public notebooks
repository, is described from its first markdown cell instead.

Templates come from sources: the ones shipped in this package, and folders the user names in the
settings. A source that cannot be read is listed with the reason, and the others still work.
"""

from __future__ import annotations

import builtins
import contextlib
import json
import os
import re
import tempfile
import threading
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from .errors import Conflict, Forbidden, InvalidInput, NotFound, SentinelError, Unusable
from .github import GitHubMirror, GitHubSource
from .lake import slug

#: Folder of the templates shipped with the package.
PACKAGE_TEMPLATES = Path(__file__).parent / "templates"
#: Larger notebooks are not templates but someone's saved results: they are not read.
MAX_TEMPLATE_BYTES = 20 * 1024 * 1024
#: Fields of ``metadata.sentinel`` that are lists of strings.
LIST_FIELDS = {
    "requiredTables": "required_tables",
    "optionalTables": "optional_tables",
    "dataSources": "data_sources",
    "tags": "tags",
    "tactics": "tactics",
    "entityTypes": "entity_types",
}
# The closing #s are stripped after the match: in the pattern, a lazy group before `\s*#*\s*$` took
# cubic time on a heading line with a long run of spaces.
HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.*)$")
NUMBERED = re.compile(r"^(.*)-(\d+)$")


def _read_umask() -> int:
    # The umask can only be read by setting it: done once at import, before any handler thread runs.
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


UMASK = _read_umask()


def _strings(value: object) -> list[str]:
    """A metadata list as strings; a lone string is a list of one, anything else is empty."""
    if isinstance(value, str):
        return [value] if value.strip() else []
    if isinstance(value, list):
        return [
            str(v).strip() for v in value if isinstance(v, str | int | float) and str(v).strip()
        ]
    return []


def _text(source: object) -> str:
    """A cell's source, which nbformat allows as a string or a list of lines."""
    if isinstance(source, list):
        return "".join(str(line) for line in source)
    return source if isinstance(source, str) else ""


def describe_markdown(markdown: str) -> tuple[str | None, str]:
    """Title (the first heading) and description (the text after it) of a markdown cell."""
    title: str | None = None
    lines: list[str] = []
    for line in markdown.splitlines():
        match = HEADING.match(line)
        if match and title is None and not "".join(lines).strip():
            title = match.group(1).rstrip().rstrip("#").strip()
            continue
        lines.append(line)
    return title, "\n".join(lines).strip()


@dataclass
class Template:
    """What the sidebar lists about one template."""

    id: str
    source: str
    title: str
    description: str = ""
    required_tables: list[str] = field(default_factory=list)
    optional_tables: list[str] = field(default_factory=list)
    data_sources: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    tactics: list[str] = field(default_factory=list)
    entity_types: list[str] = field(default_factory=list)
    version: str | None = None
    #: False when the notebook has no ``metadata.sentinel`` block and was described from its text.
    described: bool = True
    file_name: str = ""

    def to_json(self) -> dict[str, object]:
        """The template as the REST API lists it."""
        return {
            "id": self.id,
            "source": self.source,
            "fileName": self.file_name,
            "title": self.title,
            "description": self.description,
            "requiredTables": self.required_tables,
            "optionalTables": self.optional_tables,
            "dataSources": self.data_sources,
            "tags": self.tags,
            "tactics": self.tactics,
            "entityTypes": self.entity_types,
            "version": self.version,
            "described": self.described,
        }


def read_notebook(path: Path) -> dict[str, Any]:
    """A notebook file's JSON; anything that is not a notebook is a `SentinelError`."""
    try:
        size = path.stat().st_size
        if size > MAX_TEMPLATE_BYTES:
            raise Unusable(
                f"{path.name} is larger than {MAX_TEMPLATE_BYTES} bytes", reason="not-a-template"
            )
        notebook = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        raise Unusable(f"{path.name} could not be read: {error}") from None
    except json.JSONDecodeError as error:
        raise Unusable(f"{path.name} is not JSON: {error}", reason="not-a-template") from None
    if not isinstance(notebook, dict) or not isinstance(notebook.get("cells"), list):
        raise Unusable(f"{path.name} is not a notebook", reason="not-a-template")
    return notebook


def describe(notebook: dict[str, Any], template_id: str, source: str, file_name: str) -> Template:
    """A template's description from its ``metadata.sentinel`` block, or from its first markdown."""
    metadata = notebook.get("metadata")
    block = metadata.get("sentinel") if isinstance(metadata, dict) else None
    template = Template(id=template_id, source=source, title="", file_name=file_name)
    if isinstance(block, dict):
        template.title = str(block.get("title") or "").strip()
        template.description = str(block.get("description") or "").strip()
        for key, attribute in LIST_FIELDS.items():
            setattr(template, attribute, _strings(block.get(key)))
        version = block.get("version")
        template.version = str(version) if isinstance(version, str | int | float) else None
    else:
        template.described = False
    if not template.title or not template.description:
        # Fill what the block leaves out from the first markdown cell, as a reader would.
        markdown = next(
            (
                _text(c.get("source"))
                for c in notebook["cells"]
                if isinstance(c, dict) and c.get("cell_type") == "markdown"
            ),
            "",
        )
        title, description = describe_markdown(markdown)
        template.title = template.title or title or Path(file_name).stem
        template.description = template.description or description
    return template


@dataclass
class Source:
    """A place templates come from: the package's own folder, or a folder the user named."""

    id: str
    name: str
    kind: str
    path: Path
    status: str = "ready"
    message: str | None = None
    #: Where the templates come from, when that is not ``path`` (a GitHub repository's address).
    location: str | None = None

    def to_json(self) -> dict[str, object]:
        """The source as the REST API lists it, without its templates."""
        body: dict[str, object] = {
            "id": self.id,
            "name": self.name,
            "kind": self.kind,
            "path": self.location or str(self.path),
            "status": self.status,
        }
        if self.message:
            body["message"] = self.message
        return body


@dataclass
class CloneResult:
    """Where a template was cloned to, relative to the Jupyter root."""

    path: str
    overwritten: bool

    def to_json(self) -> dict[str, object]:
        """The answer of the clone endpoint."""
        return {"path": self.path, "overwritten": self.overwritten}


@dataclass
class TemplateLibrary:
    """The template sources of one Jupyter server, and cloning templates into the Jupyter root."""

    root_dir: Path
    package_dir: Path = PACKAGE_TEMPLATES
    allowed_roots: list[Path] = field(default_factory=list)

    #: Where copies of GitHub sources are kept.
    github_cache: Path | None = None

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._folders: list[Source] = []
        self._mirrors: dict[str, GitHubMirror] = {}
        # Listing re-reads only notebooks whose size or modification time changed.
        self._cache: dict[Path, tuple[tuple[int, int], Template]] = {}

    # Sources

    def sources(self) -> list[Source]:
        """The package's templates, then the user's folders."""
        package = Source("package", "Shipped with jupyterlab-sentinel", "package", self.package_dir)
        with self._lock:
            return [package, *self._folders]

    def configure(
        self, folders: list[dict[str, str]], github: list[dict[str, str]] | None = None
    ) -> list[Source]:
        """Replaces the user's template folders and GitHub repositories.

        A folder outside the allowed roots is listed with that reason; a repository with a name
        GitHub would not accept is refused.
        """
        configured: list[Source] = []
        mirrors: dict[str, GitHubMirror] = {}
        ids = {"package"}
        roots = [self.root_dir.resolve(), *(r.resolve() for r in self.allowed_roots)]
        for folder in folders:
            name, raw = str(folder.get("name", "")).strip(), str(folder.get("path", "")).strip()
            if not name or not raw:
                raise InvalidInput("Each template folder needs a name and a path")
            sid, n = slug(name), 2
            while sid in ids:
                sid, n = f"{slug(name)}-{n}", n + 1
            ids.add(sid)
            path = Path(raw).expanduser()
            resolved = (path if path.is_absolute() else self.root_dir / path).resolve()
            source = Source(sid, name, "folder", resolved)
            if not any(resolved == r or resolved.is_relative_to(r) for r in roots):
                source.status, source.message = "error", f"{raw} is outside the Jupyter root folder"
            configured.append(source)
        for entry in github or []:
            github_source = GitHubSource.from_setting(entry)
            sid, n = slug(github_source.name), 2
            while sid in ids:
                sid, n = f"{slug(github_source.name)}-{n}", n + 1
            ids.add(sid)
            mirror = github_source.mirror(self._github_cache(), (".ipynb",))
            mirrors[sid] = mirror
            configured.append(
                Source(
                    sid,
                    github_source.name,
                    "github",
                    mirror.folder,
                    location=github_source.location(github_source.paths[0]),
                )
            )
        with self._lock:
            self._folders = configured
            self._mirrors = mirrors
        return self.sources()

    def _github_cache(self) -> Path:
        if self.github_cache is not None:
            return self.github_cache
        from jupyter_core.paths import jupyter_data_dir

        return Path(jupyter_data_dir()) / "sentinel" / "github"

    def _synced(self, source: Source) -> Source:
        """A GitHub source after a sync (at most one per TTL): with its copy, or why it has none."""
        with self._lock:
            mirror = self._mirrors.get(source.id)
        if mirror is None:
            return source
        state = mirror.sync()
        if not state.has_copy:
            return replace(source, status="error", message=state.error)
        if state.error:
            when = (
                datetime.fromtimestamp(state.synced, timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
                if state.synced
                else "an earlier sync"
            )
            return replace(source, message=f"{state.error}; showing the copy from {when}")
        if state.pending:
            return replace(
                source,
                message=f"{state.pending} more notebooks are downloading: refresh to list them",
            )
        return source

    def source(self, source_id: str) -> Source:
        """A source by id."""
        for source in self.sources():
            if source.id == source_id:
                return source
        raise NotFound(f"No template source {source_id!r}")

    # Listing

    def list(self) -> list[dict[str, object]]:
        """Every source with its templates, or with the reason it could not be read.

        Notebooks of a readable source that are not notebooks are reported under ``problems``.
        """
        listed: list[dict[str, object]] = []
        for source in map(self._synced, self.sources()):
            body = source.to_json()
            templates: list[dict[str, object]] = []
            problems: list[dict[str, str]] = []
            if source.status == "ready":
                try:
                    files = self._notebooks(source)
                except OSError as error:
                    body["status"], body["message"] = "error", self._os_message(source, error)
                    files = []
                for path in files:
                    template_id = path.relative_to(source.path).as_posix()
                    if not path.resolve().is_relative_to(source.path.resolve()):
                        # Opening and cloning refuse it: listing must not read it either.
                        problems.append(
                            {"id": template_id, "message": "It links outside the template folder"}
                        )
                        continue
                    try:
                        templates.append(self._describe(source, path, template_id).to_json())
                    except SentinelError as error:
                        problems.append({"id": template_id, "message": error.message})
            body["templates"] = templates
            if problems:
                body["problems"] = problems
            listed.append(body)
        return listed

    def _notebooks(self, source: Source) -> builtins.list[Path]:
        if not source.path.is_dir():
            raise FileNotFoundError(f"No folder {source.path}")
        found = []
        for path in source.path.rglob("*.ipynb"):
            relative = path.relative_to(source.path)
            # Checkpoints and hidden folders hold copies, not templates.
            if any(p.startswith(".") for p in relative.parts):
                continue
            if path.is_file():
                found.append(path)
        return sorted(found, key=lambda p: p.relative_to(source.path).as_posix().lower())

    @staticmethod
    def _os_message(source: Source, error: OSError) -> str:
        if isinstance(error, FileNotFoundError):
            return f"No folder {source.path}"
        if isinstance(error, PermissionError):
            return f"{source.path} cannot be read: permission denied"
        return f"{source.path} cannot be read: {error}"

    def _describe(self, source: Source, path: Path, template_id: str) -> Template:
        stat = path.stat()
        key = (stat.st_size, stat.st_mtime_ns)
        with self._lock:
            cached = self._cache.get(path)
        if cached and cached[0] == key and cached[1].source == source.id:
            return cached[1]
        template = describe(read_notebook(path), template_id, source.id, path.name)
        with self._lock:
            self._cache[path] = (key, template)
        return template

    def _template_path(self, source_id: str, template_id: str) -> tuple[Source, Path]:
        source = self.source(source_id)
        if source.status != "ready":
            raise Conflict(source.message or f"{source.name} is not readable")
        relative = Path(template_id)
        if (
            relative.is_absolute()
            or ".." in relative.parts
            or relative.suffix != ".ipynb"
            or any(p.startswith(".") for p in relative.parts)
        ):
            raise NotFound(f"No template {template_id!r} in {source.name}")
        path = (source.path / relative).resolve()
        if not path.is_relative_to(source.path.resolve()) or not path.is_file():
            raise NotFound(f"No template {template_id!r} in {source.name}")
        return source, path

    def get(self, source_id: str, template_id: str) -> dict[str, object]:
        """One template's description and its notebook."""
        source, path = self._template_path(source_id, template_id)
        notebook = read_notebook(path)
        template = describe(notebook, template_id, source.id, path.name)
        return {"template": template.to_json(), "notebook": notebook}

    # Cloning

    def clone(
        self,
        source_id: str,
        template_id: str,
        folder: str,
        name: str | None = None,
        overwrite: bool = False,
    ) -> CloneResult:
        """Copies a template into ``folder`` (relative to the Jupyter root) as ``name``.

        An existing file is replaced only with ``overwrite``; otherwise the answer is a `Conflict`
        that proposes a free name. The copy is written beside its target and renamed into place, so
        the folder never holds a half-written notebook, even when the server dies mid-write.
        """
        source, path = self._template_path(source_id, template_id)
        notebook = read_notebook(path)
        target_dir = self._folder(folder)
        file_name = self._file_name(name or path.name)
        target = target_dir / file_name
        relative = target.relative_to(self.root_dir.resolve()).as_posix()
        if target.is_dir():
            raise Conflict(f"{relative} is a folder")
        if target.exists() and not overwrite:
            raise self._exists(target, relative)
        # The copy remembers where it came from, so a later version of the template can be found.
        metadata = notebook.setdefault("metadata", {})
        if isinstance(metadata, dict):
            block = metadata.get("sentinel")
            if not isinstance(block, dict):
                block = metadata["sentinel"] = {}
            block["clonedFrom"] = {
                "source": source.id,
                "template": template_id,
                "version": block.get("version"),
            }
        payload = json.dumps(notebook, indent=1, ensure_ascii=False) + "\n"
        existed = target.exists()
        self._write(target, payload.encode("utf-8"), overwrite, relative)
        return CloneResult(relative, overwritten=existed)

    def _folder(self, folder: str) -> Path:
        root = self.root_dir.resolve()
        cleaned = folder.strip().rstrip("/")
        relative = Path(cleaned) if cleaned else Path()
        if relative.is_absolute() or ".." in relative.parts:
            raise InvalidInput("folder must be relative to the Jupyter root")
        target = (root / relative).resolve()
        if not (target == root or target.is_relative_to(root)):
            raise Forbidden(f"{folder} is outside the Jupyter root folder")
        if not target.is_dir():
            raise NotFound(f"No folder {folder}")
        return target

    @staticmethod
    def _file_name(name: str) -> str:
        name = name.strip()
        if not name.endswith(".ipynb"):
            name += ".ipynb"
        if (
            "/" in name
            or "\\" in name
            or name.startswith(".")
            or name in (".ipynb",)
            or "\0" in name
        ):
            raise InvalidInput(f"{name!r} is not a notebook file name")
        return name

    @staticmethod
    def free_name(folder: Path, file_name: str) -> str:
        """The first ``Name-<n>.ipynb`` free in ``folder``, counting on from a numbered name."""
        stem, suffix = file_name[: -len(".ipynb")], ".ipynb"
        match = NUMBERED.match(stem)
        base, n = (match.group(1), int(match.group(2)) + 1) if match else (stem, 1)
        while (folder / f"{base}-{n}{suffix}").exists():
            n += 1
        return f"{base}-{n}{suffix}"

    def _exists(self, target: Path, relative: str) -> Conflict:
        proposed = self.free_name(target.parent, target.name)
        return Conflict(
            f"{relative} already exists",
            extra={
                "path": relative,
                "proposedName": proposed,
                "proposedPath": (Path(relative).parent / proposed).as_posix(),
            },
            reason="exists",
        )

    def _write(self, target: Path, payload: bytes, overwrite: bool, relative: str) -> None:
        fd, temp_name = tempfile.mkstemp(
            dir=target.parent, prefix=f".{target.name}.", suffix=".partial"
        )
        temp = Path(temp_name)
        try:
            with os.fdopen(fd, "wb") as stream:
                stream.write(payload)
                stream.flush()
                os.fsync(stream.fileno())
            # mkstemp makes the file private; a clone gets the permissions of any new file.
            os.chmod(temp, 0o666 & ~UMASK)
            if overwrite:
                os.replace(temp, target)
            else:
                # A hard link fails if the name was taken since we looked, where a rename would
                # silently replace someone else's new file.
                try:
                    os.link(temp, target)
                except FileExistsError:
                    raise self._exists(target, relative) from None
                except OSError:
                    # Filesystems without hard links: the race is narrow, the check is repeated.
                    if target.exists():
                        raise self._exists(target, relative) from None
                    os.replace(temp, target)
        finally:
            with contextlib.suppress(FileNotFoundError):
                temp.unlink()
