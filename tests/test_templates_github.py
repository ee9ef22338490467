"""Templates from a GitHub repository: the library against a local server answering GitHub's REST
paths with GitHub's response shapes (``fake_github.py``)."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from jupyterlab_sentinel.templates import TemplateLibrary

from .fake_github import FakeGitHub, serve


def notebook(markdown: str, sentinel: dict[str, Any] | None = None) -> bytes:
    metadata: dict[str, Any] = {"kernelspec": {"name": "python3", "display_name": "Python 3"}}
    if sentinel:
        metadata["sentinel"] = sentinel
    return json.dumps(
        {
            "cells": [{"cell_type": "markdown", "metadata": {}, "source": markdown}],
            "metadata": metadata,
            "nbformat": 4,
            "nbformat_minor": 5,
        }
    ).encode()


@pytest.fixture
def github() -> Iterator[tuple[FakeGitHub, str]]:
    """The repository Azure/Azure-Sentinel-Notebooks@master."""
    fake = FakeGitHub(
        "Azure",
        "Azure-Sentinel-Notebooks",
        "master",
        {
            "Guided Hunting - Base64-Encoded Linux Commands.ipynb": notebook(
                "# Guided Hunting - Base64-Encoded Linux Commands\n\nFinds encoded commands."
            ),
            "tutorials-and-examples/Entity Explorer - Account.ipynb": notebook(
                "# Entity Explorer - Account",
                {"title": "Account explorer", "description": "Everything about one account."},
            ),
            "README.md": b"# Notebooks",
        },
    )
    with serve(fake) as api:
        yield fake, api


def library(tmp_path: Path, api: str, **entry: str) -> TemplateLibrary:
    lib = TemplateLibrary(
        root_dir=tmp_path / "root", package_dir=tmp_path / "package", github_cache=tmp_path / "gh"
    )
    (tmp_path / "root").mkdir(exist_ok=True)
    (tmp_path / "package").mkdir(exist_ok=True)
    (tmp_path / "package" / "shipped.ipynb").write_bytes(notebook("# Shipped"))
    source = {
        "name": "Microsoft Sentinel notebooks",
        "owner": "Azure",
        "repo": "Azure-Sentinel-Notebooks",
        "branch": "master",
        "apiUrl": api,
        **entry,
    }
    lib.configure([], [source])
    return lib


def by_id(listing: list[dict[str, Any]], source: str) -> dict[str, Any]:
    return next(s for s in listing if s["id"] == source)


def test_lists_the_repository_notebooks_with_their_descriptions(
    github: tuple[FakeGitHub, str], tmp_path: Path
) -> None:
    fake, api = github
    lib = library(tmp_path, api)
    source = by_id(lib.list(), "microsoft-sentinel-notebooks")
    assert source["status"] == "ready"
    assert source["kind"] == "github"
    assert source["path"].endswith("/Azure/Azure-Sentinel-Notebooks/tree/master")
    titles = {t["id"]: t["title"] for t in source["templates"]}
    assert titles == {
        "Guided Hunting - Base64-Encoded Linux Commands.ipynb": (
            "Guided Hunting - Base64-Encoded Linux Commands"
        ),
        "tutorials-and-examples/Entity Explorer - Account.ipynb": "Account explorer",
    }
    # One tree call and one blob per notebook; README.md is not a template.
    assert len(fake.requests) == 3


def test_a_path_keeps_the_notebooks_under_it(
    github: tuple[FakeGitHub, str], tmp_path: Path
) -> None:
    _, api = github
    lib = library(tmp_path, api, path="tutorials-and-examples")
    source = by_id(lib.list(), "microsoft-sentinel-notebooks")
    assert [t["id"] for t in source["templates"]] == ["Entity Explorer - Account.ipynb"]


def test_revalidates_with_the_etag_and_downloads_only_changed_notebooks(
    github: tuple[FakeGitHub, str], tmp_path: Path
) -> None:
    fake, api = github
    lib = library(tmp_path, api)
    lib.list()
    mirror = lib._mirrors["microsoft-sentinel-notebooks"]
    mirror.ttl = 0
    fake.requests.clear()
    lib.list()
    assert len(fake.requests) == 1 and "If-None-Match" in fake.requests[0][1]
    fake.files["tutorials-and-examples/Entity Explorer - Account.ipynb"] = notebook(
        "# Entity Explorer - Account, v2"
    )
    fake.requests.clear()
    source = by_id(lib.list(), "microsoft-sentinel-notebooks")
    assert len(fake.requests) == 2
    assert "Entity Explorer - Account, v2" in {t["title"] for t in source["templates"]}


def test_clones_a_github_template(github: tuple[FakeGitHub, str], tmp_path: Path) -> None:
    _, api = github
    lib = library(tmp_path, api)
    lib.list()
    result = lib.clone(
        "microsoft-sentinel-notebooks",
        "tutorials-and-examples/Entity Explorer - Account.ipynb",
        "",
    )
    assert (tmp_path / "root" / result.path).is_file()


def test_an_unreachable_host_names_the_reason_and_shipped_templates_still_list(
    tmp_path: Path,
) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        closed = s.getsockname()[1]
    lib = library(tmp_path, f"http://127.0.0.1:{closed}")
    listing = lib.list()
    source = by_id(listing, "microsoft-sentinel-notebooks")
    assert source["status"] == "error"
    assert "GitHub cannot be reached" in source["message"]
    assert source["templates"] == []
    assert [t["id"] for t in by_id(listing, "package")["templates"]] == ["shipped.ipynb"]


def test_a_missing_repository_or_branch_says_so(
    github: tuple[FakeGitHub, str], tmp_path: Path
) -> None:
    _, api = github
    lib = library(tmp_path, api, branch="no-such-branch")
    source = by_id(lib.list(), "microsoft-sentinel-notebooks")
    assert source["status"] == "error"
    assert source["message"] == (
        "GitHub has no repository or branch Azure/Azure-Sentinel-Notebooks@no-such-branch"
    )


def test_the_rate_limit_keeps_the_last_copy_and_says_when_it_resets(
    github: tuple[FakeGitHub, str], tmp_path: Path
) -> None:
    fake, api = github
    lib = library(tmp_path, api)
    lib.list()
    lib._mirrors["microsoft-sentinel-notebooks"].ttl = 0
    fake.fail = (
        403,
        {"message": "API rate limit exceeded for 203.0.113.9."},
        {"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "1795585200"},
    )
    source = by_id(lib.list(), "microsoft-sentinel-notebooks")
    assert source["status"] == "ready"
    assert len(source["templates"]) == 2
    assert "rate limit is reached; it resets at" in source["message"]
    assert "showing the copy from" in source["message"]


@pytest.mark.parametrize(
    "entry",
    [
        {"owner": "../etc"},
        {"repo": "a/b"},
        {"path": "../../x"},
        {"apiUrl": "file:///etc"},
        {"name": ""},
    ],
)
def test_bad_sources_are_refused(tmp_path: Path, entry: dict[str, str]) -> None:
    from jupyterlab_sentinel.errors import SentinelError

    with pytest.raises(SentinelError):
        library(tmp_path, "https://api.github.com", **entry)


def test_reads_files_from_the_raw_host_and_resumes_an_interrupted_sync(
    github: tuple[FakeGitHub, str], tmp_path: Path
) -> None:
    fake, api = github
    lib = library(tmp_path, api)
    mirror = lib._mirrors["microsoft-sentinel-notebooks"]
    mirror.raw_url = f"{api}/raw"
    lib.list()
    paths = [p for p, _ in fake.requests]
    assert paths[0].endswith("/git/trees/master?recursive=1")
    assert all(p.startswith("/raw/") for p in paths[1:]) and len(paths) == 3

    # A sync cut short keeps what it fetched and fetches only the rest next time.
    fake.files["New hunt.ipynb"] = notebook("# New hunt")
    fake.files["Another hunt.ipynb"] = notebook("# Another hunt")
    mirror.ttl = 0
    fake.requests.clear()
    calls = 0
    original = mirror._content

    def flaky(relative: str, sha: str) -> bytes:
        nonlocal calls
        calls += 1
        if calls == 2:
            raise OSError("connection reset")
        return original(relative, sha)

    mirror._content = flaky  # type: ignore[method-assign]
    source = by_id(lib.list(), "microsoft-sentinel-notebooks")
    assert "connection reset" in source["message"]
    assert len(source["templates"]) == 3
    mirror._content = original  # type: ignore[method-assign]
    fake.requests.clear()
    source = by_id(lib.list(), "microsoft-sentinel-notebooks")
    assert len(source["templates"]) == 4 and "message" not in source
    assert len(fake.requests) == 2


def test_a_long_first_sync_lists_what_it_has_and_finishes_in_the_background(
    github: tuple[FakeGitHub, str], tmp_path: Path
) -> None:
    fake, api = github
    for i in range(5):
        fake.files[f"Hunt {i}.ipynb"] = notebook(f"# Hunt {i}")
    lib = library(tmp_path, api)
    mirror = lib._mirrors["microsoft-sentinel-notebooks"]
    # No time for downloads while the sidebar waits: everything goes to the background.
    mirror.budget = 0
    release = threading.Event()
    original = mirror._content

    def slow(relative: str, sha: str) -> bytes:
        release.wait(10)
        return original(relative, sha)

    mirror._content = slow  # type: ignore[method-assign]
    first = by_id(lib.list(), "microsoft-sentinel-notebooks")
    total = sum(1 for name in fake.files if name.endswith(".ipynb"))
    assert f"{total} more notebooks are downloading" in first["message"]
    assert first["templates"] == []
    # A listing while the download runs does not wait for it.
    assert by_id(lib.list(), "microsoft-sentinel-notebooks")["templates"] == []
    release.set()
    assert mirror._worker is not None
    mirror._worker.join(10)
    done = by_id(lib.list(), "microsoft-sentinel-notebooks")
    assert len(done["templates"]) == total and "message" not in done
