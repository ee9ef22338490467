"""Files of a public GitHub repository (template notebooks, hunt rules) mirrored into a cache.

The Jupyter server fetches, never the browser: no token or cross-origin request leaves the page.
One call lists the repository's tree (``git/trees/{branch}?recursive=1``), revalidated with its
ETag; a file is downloaded (``git/blobs/{sha}``) only when its blob changed. When that listing is
truncated (a repository past GitHub's limits), each configured folder's tree is found level by
level from the root and listed on its own. A sync runs at most once per ``ttl`` seconds, with a
short timeout, so a slow or unreachable GitHub never holds the sidebar up; downloads past a short
budget go on in the background (a first sync of a large repository lists what it has so far).
When a sync fails, the copy from the last sync is listed with the reason, and without a copy the
source says why it cannot be reached.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path, PurePosixPath
from typing import Any

from .errors import InvalidInput
from .lake import slug

#: GitHub's public REST API.
GITHUB_API = "https://api.github.com"
#: Where the public API's repositories serve their files.
GITHUB_RAW = "https://raw.githubusercontent.com"
#: A GitHub owner or repository name.
GITHUB_NAME = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,99})$")


class UnlistedFolder(ValueError):
    """GitHub's listing cannot give a configured folder's files; the message says what to do."""


@dataclass
class SyncState:
    """The outcome of the last sync."""

    #: True when the cache folder holds a copy of the repository's files.
    has_copy: bool
    #: Why the last sync failed, or None when it worked.
    error: str | None = None
    #: When the copy was last refreshed (seconds since the epoch), or None.
    synced: float | None = None
    #: Files still being downloaded in the background.
    pending: int = 0


@dataclass(frozen=True)
class GitHubSource:
    """A repository branch and the folders of it that a setting names, checked."""

    name: str
    owner: str
    repo: str
    branch: str
    #: Folders of the repository, without leading or trailing slashes; "" is the whole of it.
    paths: tuple[str, ...]
    api_url: str

    @classmethod
    def from_setting(cls, entry: dict[str, Any]) -> GitHubSource:
        """The source a setting describes (``name``, ``owner``, ``repo``, ``branch``, ``apiUrl``,
        and ``path`` or a list of ``paths``); `InvalidInput` for one GitHub would not accept or
        that leaves the repository."""
        name = str(entry.get("name", "")).strip()
        owner, repo = str(entry.get("owner", "")).strip(), str(entry.get("repo", "")).strip()
        branch = str(entry.get("branch", "") or "main").strip()
        raw = entry.get("paths", [entry.get("path", "")])
        listed = raw if isinstance(raw, list) else [raw]
        paths = tuple(dict.fromkeys(str(p or "").strip().strip("/") for p in listed)) or ("",)
        api = str(entry.get("apiUrl", "") or GITHUB_API).strip()
        if not name or not GITHUB_NAME.match(owner) or not GITHUB_NAME.match(repo):
            raise InvalidInput("Each GitHub source needs a name, an owner and a repository")
        if (
            ".." in branch
            or any(".." in p.split("/") for p in paths)
            or not api.startswith(("https://", "http://"))
        ):
            raise InvalidInput(f"The GitHub source {name} is not valid")
        return cls(name, owner, repo, branch, paths, api)

    def location(self, path: str = "") -> str:
        """The web address of a folder of the branch."""
        web = self.api_url.replace("://api.", "://", 1).removesuffix("/api/v3")
        tree = f"{web.rstrip('/')}/{self.owner}/{self.repo}/tree/{self.branch}/{path}"
        return tree.rstrip("/")

    def mirror(self, cache_root: Path, suffixes: tuple[str, ...]) -> GitHubMirror:
        """A mirror of the files with these endings: under the one path, files are named from it;
        under several, from the repository's root."""
        root, include = (self.paths[0], ()) if len(self.paths) == 1 else ("", self.paths)
        # Named by what it holds, so two settings never share a copy; hashed, as paths can be long.
        key = "\n".join((self.api_url, self.owner, self.repo, self.branch, *self.paths, *suffixes))
        digest = hashlib.sha256(key.encode()).hexdigest()[:16]
        return GitHubMirror(
            self.owner,
            self.repo,
            self.branch,
            root,
            cache_root / f"{slug(f'{self.owner}-{self.repo}')[:60]}-{digest}",
            suffixes=suffixes,
            include=include,
            api_url=self.api_url,
            raw_url=GITHUB_RAW if self.api_url.rstrip("/") == GITHUB_API else None,
        )


@dataclass
class GitHubMirror:
    """A local copy of the files under one path of one branch of a GitHub repository."""

    owner: str
    repo: str
    branch: str
    path: str
    cache_dir: Path
    #: Endings of the files mirrored, lower case.
    suffixes: tuple[str, ...] = (".ipynb",)
    #: Folders under ``path`` whose files are mirrored; every file under ``path`` when empty.
    include: tuple[str, ...] = ()
    api_url: str = GITHUB_API
    #: Where file contents are read from without the API's rate limit (GitHub's raw host for the
    #: public API); None reads them through the API's blobs.
    raw_url: str | None = None
    timeout: float = 5.0
    ttl: float = 600.0
    #: Seconds a listing waits for downloads; the rest continue in the background.
    budget: float = 2.0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _worker: threading.Thread | None = field(default=None, repr=False)
    _checked: float = field(default=0.0, repr=False)
    _state: SyncState | None = field(default=None, repr=False)

    @property
    def folder(self) -> Path:
        """The cache folder the files are mirrored into."""
        return self.cache_dir / "files"

    def sync(self) -> SyncState:
        """Refreshes the copy if the last sync is older than ``ttl``; answers how it went.

        Downloads run for at most ``budget`` seconds; what is left continues in a background
        thread, and meanwhile the copy so far is listed with the number still pending.
        """
        if not self._lock.acquire(blocking=False):
            # The background download holds the lock: answer with what it has so far.
            return self._state or SyncState(self.folder.is_dir())
        try:
            if self._state is not None and time.monotonic() - self._checked < self.ttl:
                return self._state
            self._checked = time.monotonic()
            index = self._read_index()
            tree: tuple[dict[str, str], str | None] | None = None

            def refresh() -> int:
                nonlocal tree
                tree = self._tree(index)
                deadline = time.monotonic() + self.budget
                return self._download(index, *tree, deadline=deadline) if tree else 0

            state = self._state = self._outcome(index, refresh)
        finally:
            self._lock.release()
        if state.pending and tree:
            self._worker = threading.Thread(target=self._finish, args=tree, daemon=True)
            self._worker.start()
        return state

    def _finish(self, wanted: dict[str, str], etag: str | None) -> None:
        """Downloads the files a sync left pending."""
        with self._lock:
            index = self._read_index()
            self._state = self._outcome(
                index, lambda: self._download(index, wanted, etag, deadline=None)
            )

    def _outcome(self, index: dict[str, Any], refresh: Callable[[], int]) -> SyncState:
        """How a refresh of the copy went: the files it left pending, or why it failed."""
        try:
            pending = refresh()
        except (OSError, ValueError) as error:
            return SyncState(self.folder.is_dir(), self._reason(error), index.get("synced"))
        return SyncState(True, None, index.get("synced"), pending)

    def _tree(self, index: dict[str, Any]) -> tuple[dict[str, str], str | None] | None:
        """The files under the path with their blob shas, and the tree's ETag; None when the tree
        has not changed since the last complete sync."""
        tree_url = (
            f"{self.api_url.rstrip('/')}/repos/{self.owner}/{self.repo}"
            f"/git/trees/{self.branch}?recursive=1"
        )
        headers = {"If-None-Match": index["etag"]} if index.get("etag") else {}
        status, body, response_headers = self._get(tree_url, headers)
        if status == 304:
            index["synced"] = time.time()
            self._write_index(index)
            return None
        tree = json.loads(body)
        prefix = PurePosixPath(self.path.strip("/")) if self.path.strip("/") else None
        included = [PurePosixPath(f.strip("/")) for f in self.include if f.strip("/")]
        entries = tree.get("tree", [])
        if tree.get("truncated"):
            # Past GitHub's limit the listing is partial: list the folders read one by one.
            folders = [prefix / f if prefix else f for f in included] or (
                [prefix] if prefix else []
            )
            entries = self._folder_entries(folders)
        wanted: dict[str, str] = {}
        for entry in entries:
            path = PurePosixPath(str(entry.get("path", "")))
            if entry.get("type") != "blob" or path.suffix.lower() not in self.suffixes:
                continue
            if prefix is not None and not path.is_relative_to(prefix):
                continue
            relative = path.relative_to(prefix) if prefix is not None else path
            if any(part.startswith(".") or part == ".." for part in relative.parts):
                continue
            if included and not any(relative.is_relative_to(f) for f in included):
                continue
            wanted[relative.as_posix()] = str(entry["sha"])
        return wanted, response_headers.get("ETag")

    def _folder_entries(self, folders: list[PurePosixPath]) -> list[dict[str, Any]]:
        """The entries under each folder, named from the repository's root: each folder's tree is
        found from the root one level at a time, then listed recursively."""
        where = f"{self.owner}/{self.repo}@{self.branch}"
        if not folders:
            raise UnlistedFolder(f"GitHub lists only part of {where}: name the folders to read")
        entries: list[dict[str, Any]] = []
        for folder in folders:
            sha = self.branch
            for part in folder.parts:
                level = self._tree_of(sha, recursive=False)
                found = next(
                    (
                        e
                        for e in level.get("tree", [])
                        if e.get("path") == part and e.get("type") == "tree"
                    ),
                    None,
                )
                if found is None:
                    raise UnlistedFolder(f"{where} has no folder {folder.as_posix()}")
                sha = str(found["sha"])
            listing = self._tree_of(sha, recursive=True)
            if listing.get("truncated"):
                raise UnlistedFolder(
                    f"GitHub lists only part of {folder.as_posix()} in {where}: name its subfolders"
                )
            entries.extend(
                {**e, "path": f"{folder.as_posix()}/{e.get('path', '')}"}
                for e in listing.get("tree", [])
            )
        return entries

    def _tree_of(self, tree: str, recursive: bool) -> dict[str, Any]:
        url = (
            f"{self.api_url.rstrip('/')}/repos/{self.owner}/{self.repo}/git/trees/"
            f"{tree}{'?recursive=1' if recursive else ''}"
        )
        _, body, _ = self._get(url, {})
        listing = json.loads(body)
        if not isinstance(listing, dict):
            raise ValueError(f"GitHub's tree {tree} is not an object")
        return listing

    def _download(
        self,
        index: dict[str, Any],
        wanted: dict[str, str],
        etag: str | None,
        deadline: float | None,
    ) -> int:
        """Brings the copy to ``wanted`` until ``deadline``; answers how many files are left."""
        shas: dict[str, str] = dict(index.get("shas", {}))
        for relative in set(shas) - set(wanted):
            (self.folder / relative).unlink(missing_ok=True)
            del shas[relative]
        self.folder.mkdir(parents=True, exist_ok=True)
        try:
            for relative, sha in wanted.items():
                target = self.folder / relative
                if shas.get(relative) == sha and target.is_file():
                    continue
                if deadline is not None and time.monotonic() > deadline:
                    break
                content = self._content(relative, sha)
                target.parent.mkdir(parents=True, exist_ok=True)
                partial = target.with_name(f".{target.name}.partial")
                partial.write_bytes(content)
                os.replace(partial, target)
                shas[relative] = sha
        finally:
            # What was fetched stays fetched: an interrupted sync resumes where it stopped.
            complete = shas == wanted
            index.update(
                etag=etag if complete else None,
                shas=shas,
                synced=time.time() if complete else index.get("synced"),
            )
            self._write_index(index)
        return sum(1 for relative, sha in wanted.items() if shas.get(relative) != sha)

    def _content(self, relative: str, sha: str) -> bytes:
        """A file's bytes: from the raw host when there is one, else from the API's blob."""
        if self.raw_url:
            full = f"{self.path.strip('/')}/{relative}" if self.path.strip("/") else relative
            url = f"{self.raw_url.rstrip('/')}/{self.owner}/{self.repo}/{self.branch}/"
            _, content, _ = self._get(url + urllib.parse.quote(full), {})
            return content
        api = self.api_url.rstrip("/")
        _, blob, _ = self._get(f"{api}/repos/{self.owner}/{self.repo}/git/blobs/{sha}", {})
        return base64.b64decode(json.loads(blob)["content"])

    def _get(self, url: str, headers: dict[str, str]) -> tuple[int, bytes, dict[str, str]]:
        if not url.startswith(("https://", "http://")):
            raise ValueError(f"{url} is not an http(s) address")
        request = urllib.request.Request(  # noqa: S310 - checked above: http(s) only
            url,
            headers={
                "Accept": "application/vnd.github+json",
                "User-Agent": "jupyterlab-sentinel",
                **headers,
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                return response.status, response.read(), dict(response.headers)
        except urllib.error.HTTPError as error:
            if error.code == 304:
                return 304, b"", dict(error.headers)
            raise

    def _reason(self, error: Exception) -> str:
        where = f"{self.owner}/{self.repo}@{self.branch}"
        if isinstance(error, urllib.error.HTTPError):
            if error.code == 404:
                return f"GitHub has no repository or branch {where}"
            remaining = error.headers.get("X-RateLimit-Remaining")
            if error.code in (403, 429) and remaining == "0":
                reset = error.headers.get("X-RateLimit-Reset")
                when = (
                    datetime.fromtimestamp(int(reset), timezone.utc).strftime("%H:%M UTC")
                    if reset and reset.isdigit()
                    else "later"
                )
                return f"GitHub's rate limit is reached; it resets at {when}"
            return f"GitHub answered {error.code} {error.reason} for {where}"
        if isinstance(error, urllib.error.URLError):
            return f"GitHub cannot be reached: {error.reason}"
        if isinstance(error, UnlistedFolder):
            return str(error)
        if isinstance(error, TimeoutError):
            return f"GitHub did not answer within {self.timeout:g} s"
        return f"GitHub's answer for {where} could not be read: {error}"

    def _read_index(self) -> dict[str, Any]:
        try:
            data = json.loads((self.cache_dir / "index.json").read_text())
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def _write_index(self, index: dict[str, Any]) -> None:
        self.cache_dir.mkdir(parents=True, exist_ok=True)
        partial = self.cache_dir / ".index.json.partial"
        partial.write_text(json.dumps(index))
        os.replace(partial, self.cache_dir / "index.json")
