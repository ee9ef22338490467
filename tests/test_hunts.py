"""The hunt packs' REST API: the shipped packs and their rule files, behind Jupyter's auth."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from tornado.httpclient import HTTPClientError

from jupyterlab_sentinel.errors import NotFound
from jupyterlab_sentinel.hunts import PACKAGE_HUNTS, HuntPacks

Api = Callable[..., Any]


async def test_lists_the_shipped_packs(api: Api) -> None:
    response = await api("hunts")
    assert json.loads(response.body) == {"packs": [{"id": "demo", "source": "shipped", "files": 7}]}


async def test_a_pack_answers_its_rule_files_with_their_text(api: Api) -> None:
    pack = json.loads((await api("hunts", "demo")).body)
    assert pack["id"] == "demo"
    assert [f["path"] for f in pack["files"]] == sorted(
        p.name for p in (PACKAGE_HUNTS / "demo").glob("*.yaml")
    )
    spray = pack["files"][0]
    assert spray["text"] == (PACKAGE_HUNTS / "demo" / spray["path"]).read_text()


async def test_an_unknown_pack_is_a_json_404(api: Api) -> None:
    with pytest.raises(HTTPClientError) as raised:
        await api("hunts", "nope")
    assert raised.value.code == 404
    assert raised.value.response is not None
    assert json.loads(raised.value.response.body) == {
        "message": "there is no hunt pack 'nope'",
        "reason": "not-found",
    }


async def test_no_token_is_refused(jp_fetch: Any) -> None:
    with pytest.raises(HTTPClientError) as raised:
        await jp_fetch("sentinel", "api", "hunts", headers={"Authorization": ""})
    assert raised.value.code in (401, 403)


def test_files_that_cannot_be_read_are_listed_with_the_reason(tmp_path: Path) -> None:
    pack = tmp_path / "mine"
    (pack / "sub").mkdir(parents=True)
    (pack / "a.yaml").write_text("name: a\nquery: T\n")
    (pack / "sub" / "b.yml").write_bytes(b"name: \xff\n")
    (pack / "big.yaml").write_text("#" * (1024 * 1024 + 1))
    (pack / "notes.md").write_text("not a rule file")
    (tmp_path / ".hidden").mkdir()
    packs = HuntPacks(tmp_path)
    assert packs.list() == [{"id": "mine", "source": "shipped", "files": 3}]
    assert packs.get("mine")["files"] == [
        {"path": "a.yaml", "text": "name: a\nquery: T\n"},
        {"path": "big.yaml", "error": "larger than 1 MB: not a rule file"},
        {"path": "sub/b.yml", "error": "not UTF-8 text"},
    ]
    with pytest.raises(NotFound):
        packs.get(".hidden")
