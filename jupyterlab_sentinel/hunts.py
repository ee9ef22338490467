"""Hunt packs served by the Jupyter server: folders of Microsoft Sentinel rule files (YAML) shipped
with the package, and rule folders of GitHub repositories.

The server only hands out the files: reading them as rules, compiling their KQL and classifying
each rule's outcome is the TypeScript engine's (``src/kql/hunts/``), shared by the sidebar and
``bin/kql hunt``; a pack runs through the ordinary query endpoint, within its limits. Folders of
rules in the Jupyter root are read by the browser through the contents API.

A GitHub pack is mirrored by the templates' machinery (``github.py``): fetched by the server,
cached, checked for changes at most every ten minutes; when GitHub cannot be reached the pack is
listed with the reason, from its last copy when there is one.
"""

from __future__ import annotations

import builtins
import threading
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from .errors import Conflict, NotFound
from .github import GitHubMirror, GitHubSource
from .lake import slug

#: Folder of the packs shipped with the package, one subfolder per pack.
PACKAGE_HUNTS = Path(__file__).parent / "hunts"
#: Larger files are not rules: they are listed with the reason, not read.
MAX_RULE_BYTES = 1024 * 1024
RULE_SUFFIXES = (".yaml", ".yml")


@dataclass
class _GitHubPack:
    """A configured repository: its setting and its local copy."""

    source: GitHubSource
    mirror: GitHubMirror


@dataclass
class HuntPacks:
    """The packs of one server: those under a folder (by default the shipped ones), then the
    configured GitHub repositories."""

    folder: Path = PACKAGE_HUNTS
    #: Where copies of GitHub repositories are kept; Jupyter's data folder by default.
    github_cache: Path | None = None
    _github: dict[str, _GitHubPack] = field(default_factory=dict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def configure(self, github: list[dict[str, Any]]) -> None:
        """Replaces the GitHub repositories listed as packs (``name``, ``owner``, ``repo``,
        ``branch``, ``paths``, ``apiUrl``); `InvalidInput` for one GitHub would not accept.

        A repository configured before keeps its copy and the time of its last sync.
        """
        sources = [GitHubSource.from_setting(entry) for entry in github]
        ids = {p.name for p in self._packs()}
        with self._lock:
            previous = {pack.source: pack for pack in self._github.values()}
            packs: dict[str, _GitHubPack] = {}
            for source in sources:
                pack_id, n = slug(source.name), 2
                while pack_id in ids:
                    pack_id, n = f"{slug(source.name)}-{n}", n + 1
                ids.add(pack_id)
                packs[pack_id] = previous.get(source) or _GitHubPack(
                    source, source.mirror(self._cache_root(), RULE_SUFFIXES)
                )
            self._github = packs

    def _cache_root(self) -> Path:
        if self.github_cache is not None:
            return self.github_cache
        from jupyter_core.paths import jupyter_data_dir

        return Path(jupyter_data_dir()) / "sentinel" / "github"

    def _packs(self) -> list[Path]:
        if not self.folder.is_dir():
            return []
        return sorted(p for p in self.folder.iterdir() if p.is_dir() and p.name[0] not in "._")

    @staticmethod
    def _rule_files(pack: Path) -> list[Path]:
        if not pack.is_dir():
            return []
        return sorted(
            p
            for p in pack.rglob("*")
            if p.is_file()
            and p.suffix.lower() in RULE_SUFFIXES
            and not any(part.startswith(".") for part in p.relative_to(pack).parts)
        )

    def list(self) -> list[dict[str, Any]]:
        """Every pack: its id and how many rule files it has; a GitHub pack also its name, its
        address, and why it is not (or not wholly) up to date."""
        listed: list[dict[str, Any]] = [
            {"id": pack.name, "source": "shipped", "files": len(self._rule_files(pack))}
            for pack in self._packs()
        ]
        with self._lock:
            github = list(self._github.items())
        for pack_id, pack in github:
            listed.append(self._github_listing(pack_id, pack))
        return listed

    def _github_listing(self, pack_id: str, pack: _GitHubPack) -> dict[str, Any]:
        state = pack.mirror.sync()
        body: dict[str, Any] = {
            "id": pack_id,
            "source": "github",
            "name": pack.source.name,
            "location": pack.source.location(pack.source.paths[0])
            if len(pack.source.paths) == 1
            else pack.source.location(),
            "status": "ready" if state.has_copy else "error",
            "files": len(self._rule_files(pack.mirror.folder)) if state.has_copy else 0,
        }
        if not state.has_copy:
            body["message"] = state.error or "no copy of the repository yet"
        elif state.error:
            when = (
                datetime.fromtimestamp(state.synced, timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
                if state.synced
                else "an earlier sync"
            )
            body["message"] = f"{state.error}; showing the copy from {when}"
        elif state.pending:
            body["message"] = f"{state.pending} more rule files are downloading: refresh for them"
        return body

    def get(self, pack_id: str) -> dict[str, Any]:
        """A pack's rule files, each with its text, or the reason it cannot be read."""
        shipped = next((p for p in self._packs() if p.name == pack_id), None)
        if shipped is not None:
            return {"id": shipped.name, "source": "shipped", "files": self._read(shipped)}
        with self._lock:
            github = self._github.get(pack_id)
        if github is None:
            raise NotFound(f"there is no hunt pack {pack_id!r}")
        state = github.mirror.sync()
        if not state.has_copy:
            raise Conflict(state.error or f"{github.source.name} has no copy yet")
        return {"id": pack_id, "source": "github", "files": self._read(github.mirror.folder)}

    def _read(self, pack: Path) -> builtins.list[dict[str, str]]:
        files: builtins.list[dict[str, str]] = []
        for path in self._rule_files(pack):
            name = path.relative_to(pack).as_posix()
            if path.stat().st_size > MAX_RULE_BYTES:
                files.append({"path": name, "error": "larger than 1 MB: not a rule file"})
                continue
            try:
                files.append({"path": name, "text": path.read_text(encoding="utf-8")})
            except UnicodeDecodeError:
                files.append({"path": name, "error": "not UTF-8 text"})
        return files
