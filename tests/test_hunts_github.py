"""Hunt packs from GitHub repositories: the rule folders of a repository mirrored by the server,
against the local fake of GitHub's API (``fake_github.py``), and offline."""

from __future__ import annotations

import json
import socket
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from tornado.httpclient import HTTPClientError

from jupyterlab_sentinel.errors import Conflict, InvalidInput
from jupyterlab_sentinel.hunts import HuntPacks

from .fake_github import FakeGitHub, serve

Api = Callable[..., Any]

RULE = b"""id: 0d1c2b3a-0000-4000-8000-000000000001
name: Sign-ins from a new country
severity: Medium
query: |
  SigninLogs
  | where ResultType == "0"
"""


@pytest.fixture
def github() -> Iterator[tuple[FakeGitHub, str]]:
    """Part of Azure/Azure-Sentinel@master: rule folders beside files that are not rules."""
    fake = FakeGitHub(
        "Azure",
        "Azure-Sentinel",
        "master",
        {
            "Hunting Queries/SigninLogs/NewCountry.yaml": RULE,
            "Hunting Queries/AuditLogs/Consent.yml": RULE.replace(b"0001", b"0002"),
            "Hunting Queries/README.md": b"# Hunting queries",
            "Solutions/Okta/Analytic Rules/MfaFatigue.yaml": RULE.replace(b"0001", b"0003"),
            "Solutions/Okta/Data Connectors/OktaConnector.json": b"{}",
            "Detections/SigninLogs/Spray.yaml": RULE.replace(b"0001", b"0004"),
        },
    )
    with serve(fake) as api:
        yield fake, api


def source(api: str, **entry: Any) -> dict[str, Any]:
    return {
        "name": "Microsoft Sentinel hunting queries",
        "owner": "Azure",
        "repo": "Azure-Sentinel",
        "branch": "master",
        "paths": ["Hunting Queries"],
        "apiUrl": api,
        **entry,
    }


def shipped(tmp_path: Path) -> Path:
    (tmp_path / "shipped" / "demo").mkdir(parents=True, exist_ok=True)
    (tmp_path / "shipped" / "demo" / "spray.yaml").write_bytes(RULE)
    return tmp_path / "shipped"


def by_id(listing: list[dict[str, Any]], pack_id: str) -> dict[str, Any]:
    return next(p for p in listing if p["id"] == pack_id)


def test_a_folder_of_a_repository_is_a_pack_of_its_rule_files(
    github: tuple[FakeGitHub, str], tmp_path: Path
) -> None:
    _, api = github
    packs = HuntPacks(shipped(tmp_path), github_cache=tmp_path / "gh")
    packs.configure([source(api)])
    listing = packs.list()
    assert [p["id"] for p in listing] == ["demo", "microsoft-sentinel-hunting-queries"]
    pack = by_id(listing, "microsoft-sentinel-hunting-queries")
    assert pack == {
        "id": "microsoft-sentinel-hunting-queries",
        "source": "github",
        "name": "Microsoft Sentinel hunting queries",
        "location": f"{api}/Azure/Azure-Sentinel/tree/master/Hunting Queries",
        "status": "ready",
        "files": 2,
    }
    files = packs.get("microsoft-sentinel-hunting-queries")["files"]
    # Named from the folder; README.md is not a rule file.
    assert [f["path"] for f in files] == ["AuditLogs/Consent.yml", "SigninLogs/NewCountry.yaml"]
    assert files[1]["text"] == RULE.decode()


def test_several_folders_name_their_files_from_the_repository_root(
    github: tuple[FakeGitHub, str], tmp_path: Path
) -> None:
    _, api = github
    packs = HuntPacks(shipped(tmp_path), github_cache=tmp_path / "gh")
    packs.configure([source(api, paths=["Hunting Queries", "Solutions/Okta/Analytic Rules/"])])
    files = packs.get("microsoft-sentinel-hunting-queries")["files"]
    assert [f["path"] for f in files] == [
        "Hunting Queries/AuditLogs/Consent.yml",
        "Hunting Queries/SigninLogs/NewCountry.yaml",
        "Solutions/Okta/Analytic Rules/MfaFatigue.yaml",
    ]


def test_an_unreachable_repository_is_listed_with_the_reason(tmp_path: Path) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        closed = s.getsockname()[1]
    packs = HuntPacks(shipped(tmp_path), github_cache=tmp_path / "gh")
    packs.configure([source(f"http://127.0.0.1:{closed}")])
    listing = packs.list()
    assert by_id(listing, "demo")["files"] == 1
    pack = by_id(listing, "microsoft-sentinel-hunting-queries")
    assert pack["status"] == "error" and pack["files"] == 0
    assert pack["message"].startswith("GitHub cannot be reached")
    with pytest.raises(Conflict, match="GitHub cannot be reached"):
        packs.get("microsoft-sentinel-hunting-queries")


def test_the_last_copy_stays_listed_when_github_fails(
    github: tuple[FakeGitHub, str], tmp_path: Path
) -> None:
    fake, api = github
    packs = HuntPacks(shipped(tmp_path), github_cache=tmp_path / "gh")
    packs.configure([source(api)])
    packs.list()
    # A new server (a restart) with the same cache, when GitHub answers 404.
    again = HuntPacks(shipped(tmp_path), github_cache=tmp_path / "gh")
    again.configure([source(api)])
    fake.fail = (404, {"message": "Not Found"}, {})
    pack = by_id(again.list(), "microsoft-sentinel-hunting-queries")
    assert pack["status"] == "ready" and pack["files"] == 2
    assert pack["message"].startswith(
        "GitHub has no repository or branch Azure/Azure-Sentinel@master; showing the copy from"
    )


@pytest.mark.parametrize(
    ("paths", "files"),
    [
        (
            ["Hunting Queries", "Solutions/Okta/Analytic Rules"],
            [
                "Hunting Queries/AuditLogs/Consent.yml",
                "Hunting Queries/SigninLogs/NewCountry.yaml",
                "Solutions/Okta/Analytic Rules/MfaFatigue.yaml",
            ],
        ),
        (["Hunting Queries"], ["AuditLogs/Consent.yml", "SigninLogs/NewCountry.yaml"]),
    ],
)
def test_a_repository_too_large_to_list_at_once_is_listed_folder_by_folder(
    github: tuple[FakeGitHub, str], tmp_path: Path, paths: list[str], files: list[str]
) -> None:
    fake, api = github
    fake.truncated = True
    packs = HuntPacks(shipped(tmp_path), github_cache=tmp_path / "gh")
    packs.configure([source(api, paths=paths)])
    pack = by_id(packs.list(), "microsoft-sentinel-hunting-queries")
    assert pack["status"] == "ready" and "message" not in pack
    listed = packs.get("microsoft-sentinel-hunting-queries")["files"]
    assert [f["path"] for f in listed] == files


@pytest.mark.parametrize(
    ("paths", "message"),
    [
        ([], "GitHub lists only part of Azure/Azure-Sentinel@master: name the folders to read"),
        (["Parsers"], "Azure/Azure-Sentinel@master has no folder Parsers"),
    ],
)
def test_a_partial_listing_says_what_to_do(
    github: tuple[FakeGitHub, str], tmp_path: Path, paths: list[str], message: str
) -> None:
    fake, api = github
    fake.truncated = True
    packs = HuntPacks(shipped(tmp_path), github_cache=tmp_path / "gh")
    packs.configure([source(api, paths=paths)])
    pack = by_id(packs.list(), "microsoft-sentinel-hunting-queries")
    assert pack["status"] == "error"
    assert pack["message"] == message


def test_configuring_again_keeps_a_repository_s_copy_and_ids_stay_unique(
    github: tuple[FakeGitHub, str], tmp_path: Path
) -> None:
    fake, api = github
    packs = HuntPacks(shipped(tmp_path), github_cache=tmp_path / "gh")
    packs.configure([source(api)])
    packs.list()
    fake.requests.clear()
    packs.configure([source(api), source(api, name="Demo", paths=["Detections"])])
    listing = packs.list()
    assert [p["id"] for p in listing] == ["demo", "microsoft-sentinel-hunting-queries", "demo-2"]
    # Only the new repository folder was fetched: one tree, one rule file.
    assert len(fake.requests) == 2


@pytest.mark.parametrize(
    "entry",
    [{"owner": "../etc"}, {"repo": "a/b"}, {"paths": ["../../x"]}, {"apiUrl": "file:///etc"}],
)
def test_bad_repositories_are_refused(tmp_path: Path, entry: dict[str, Any]) -> None:
    with pytest.raises(InvalidInput):
        HuntPacks(shipped(tmp_path)).configure([source("https://api.github.com", **entry)])


async def test_put_hunts_lists_a_repository_and_serves_its_rules(
    api: Api, github: tuple[FakeGitHub, str]
) -> None:
    _, github_api = github
    listing = json.loads(
        (await api("hunts", method="PUT", body={"github": [source(github_api)]})).body
    )
    assert [(p["id"], p["files"]) for p in listing["packs"]] == [
        ("demo", 7),
        ("microsoft-sentinel-hunting-queries", 2),
    ]
    pack = json.loads((await api("hunts", "microsoft-sentinel-hunting-queries")).body)
    assert pack["source"] == "github" and len(pack["files"]) == 2
    with pytest.raises(HTTPClientError) as raised:
        await api("hunts", method="PUT", body={"github": {"owner": "Azure"}})
    assert raised.value.code == 400
