"""Notebook templates: sources, descriptions, cloning without ever losing or half-writing a file."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from jupyterlab_sentinel.errors import SentinelError
from jupyterlab_sentinel.handlers import error_body, status_code
from jupyterlab_sentinel.templates import PACKAGE_TEMPLATES, TemplateLibrary, describe_markdown

from .test_api import error_of

Api = Callable[..., Any]
SCHEMAS = json.loads((PACKAGE_TEMPLATES.parent / "demo" / "schemas.json").read_text())


def notebook(cells: list[dict[str, Any]], sentinel: dict[str, Any] | None = None) -> str:
    metadata: dict[str, Any] = {"kernelspec": {"name": "python3", "display_name": "Python 3"}}
    if sentinel is not None:
        metadata["sentinel"] = sentinel
    return json.dumps({"cells": cells, "metadata": metadata, "nbformat": 4, "nbformat_minor": 5})


def markdown(text: str) -> dict[str, Any]:
    return {"cell_type": "markdown", "metadata": {}, "source": text}


SPRAY = {
    "title": "Password spray",
    "description": "Many accounts failing from few addresses.",
    "requiredTables": ["SigninLogs"],
    "optionalTables": "SecurityAlert",
    "dataSources": ["Microsoft Entra ID"],
    "tags": ["identity", "spray"],
    "tactics": ["CredentialAccess"],
    "entityTypes": ["IP"],
    "version": 2,
}


@pytest.fixture
def package(tmp_path: Path) -> Path:
    folder = tmp_path / "package"
    folder.mkdir()
    (folder / "spray.ipynb").write_text(notebook([markdown("# Ignored")], SPRAY))
    return folder


@pytest.fixture
def library(tmp_path: Path, package: Path) -> TemplateLibrary:
    root = tmp_path / "root"
    root.mkdir()
    return TemplateLibrary(root_dir=root, package_dir=package)


def by_source(library: TemplateLibrary) -> dict[str, dict[str, Any]]:
    return {s["id"]: s for s in library.list()}  # type: ignore[misc]


# Descriptions


def test_describes_a_template_from_its_sentinel_block(library: TemplateLibrary) -> None:
    [template] = by_source(library)["package"]["templates"]
    assert template == {
        "id": "spray.ipynb",
        "source": "package",
        "fileName": "spray.ipynb",
        "title": "Password spray",
        "description": "Many accounts failing from few addresses.",
        "requiredTables": ["SigninLogs"],
        "optionalTables": ["SecurityAlert"],
        "dataSources": ["Microsoft Entra ID"],
        "tags": ["identity", "spray"],
        "tactics": ["CredentialAccess"],
        "entityTypes": ["IP"],
        "version": "2",
        "described": True,
    }


def test_a_notebook_without_the_block_is_described_from_its_first_markdown_cell(
    library: TemplateLibrary, package: Path
) -> None:
    cells = [
        {"cell_type": "code", "metadata": {}, "source": "import pandas", "outputs": []},
        markdown(["## Guided hunt: Office exfil\n", "\n", "Looks for mail forwarding.\n", "More."]),
        markdown("# Not this one"),
    ]
    (package / "msft.ipynb").write_text(notebook(cells))
    templates = {t["id"]: t for t in by_source(library)["package"]["templates"]}
    msft = templates["msft.ipynb"]
    assert msft["title"] == "Guided hunt: Office exfil"
    assert msft["description"] == "Looks for mail forwarding.\nMore."
    assert msft["described"] is False
    assert msft["requiredTables"] == []


def test_the_file_name_is_the_title_when_nothing_else_is(
    library: TemplateLibrary, package: Path
) -> None:
    (package / "bare-hunt.ipynb").write_text(notebook([markdown("Just text.")], {"tags": "x"}))
    templates = {t["id"]: t for t in by_source(library)["package"]["templates"]}
    assert templates["bare-hunt.ipynb"]["title"] == "bare-hunt"
    assert templates["bare-hunt.ipynb"]["description"] == "Just text."
    assert templates["bare-hunt.ipynb"]["tags"] == ["x"]


def test_describe_markdown_takes_the_first_heading_only_before_any_text() -> None:
    assert describe_markdown("Intro\n# Heading") == (None, "Intro\n# Heading")
    assert describe_markdown("\n# Title #\nBody") == ("Title", "Body")


def test_describe_markdown_strips_closing_hashes_and_reads_long_lines_at_once() -> None:
    assert describe_markdown("## C# tips ##") == ("C# tips", "")
    assert describe_markdown("# Title#") == ("Title", "")
    assert describe_markdown("# ###") == ("", "")
    # A run of spaces took the old pattern cubic time (2,000 spaces: 25 s).
    assert describe_markdown("# a" + " " * 20_000 + "b") == ("a" + " " * 20_000 + "b", "")


# Sources


def test_broken_notebooks_are_reported_and_the_rest_still_list(
    library: TemplateLibrary, package: Path
) -> None:
    (package / "broken.ipynb").write_text("{not json")
    (package / "list.ipynb").write_text("[]")
    (package / ".ipynb_checkpoints").mkdir()
    (package / ".ipynb_checkpoints" / "spray-checkpoint.ipynb").write_text(notebook([]))
    (package / "nested").mkdir()
    (package / "nested" / "deep.ipynb").write_text(notebook([markdown("# Deep")]))
    source = by_source(library)["package"]
    assert [t["id"] for t in source["templates"]] == ["nested/deep.ipynb", "spray.ipynb"]
    problems = {p["id"]: p["message"] for p in source["problems"]}
    assert set(problems) == {"broken.ipynb", "list.ipynb"}
    assert "not JSON" in problems["broken.ipynb"]
    assert "not a notebook" in problems["list.ipynb"]


def test_folders_outside_the_root_or_missing_say_why_and_others_still_list(
    library: TemplateLibrary, tmp_path: Path
) -> None:
    team = library.root_dir / "team"
    team.mkdir()
    (team / "hunt.ipynb").write_text(notebook([markdown("# Team hunt")]))
    outside = tmp_path / "outside"
    outside.mkdir()
    library.configure(
        [
            {"name": "Team", "path": "team"},
            {"name": "Escape", "path": str(outside)},
            {"name": "Gone", "path": "nowhere"},
            {"name": "Team", "path": "team"},
        ]
    )
    sources = by_source(library)
    assert [t["title"] for t in sources["team"]["templates"]] == ["Team hunt"]
    assert sources["team-2"]["status"] == "ready"
    assert sources["escape"]["status"] == "error"
    assert "outside the Jupyter root" in sources["escape"]["message"]
    assert sources["gone"]["status"] == "error"
    assert "No folder" in sources["gone"]["message"]
    assert sources["package"]["status"] == "ready"
    assert len(sources["package"]["templates"]) == 1


def test_folders_in_allowed_roots_are_sources(
    tmp_path: Path, package: Path, library: TemplateLibrary
) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    (shared / "a.ipynb").write_text(notebook([markdown("# Shared")]))
    allowed = TemplateLibrary(library.root_dir, package, allowed_roots=[shared])
    allowed.configure([{"name": "Shared", "path": str(shared)}])
    assert by_source(allowed)["shared"]["templates"][0]["title"] == "Shared"


def test_a_folder_needs_a_name_and_a_path(library: TemplateLibrary) -> None:
    with pytest.raises(SentinelError) as info:
        library.configure([{"name": "", "path": "x"}])
    assert status_code(info.value) == 400


def test_template_ids_cannot_leave_their_source(library: TemplateLibrary, tmp_path: Path) -> None:
    (tmp_path / "secret.ipynb").write_text(notebook([]))
    for bad in ("../secret.ipynb", str(tmp_path / "secret.ipynb"), "spray.json", ".x.ipynb"):
        with pytest.raises(SentinelError) as info:
            library.get("package", bad)
        assert status_code(info.value) == 404


def test_get_answers_the_notebook(library: TemplateLibrary) -> None:
    body = library.get("package", "spray.ipynb")
    assert body["template"]["title"] == "Password spray"  # type: ignore[index]
    assert body["notebook"]["metadata"]["sentinel"]["version"] == 2  # type: ignore[index]


# Cloning


def test_clones_into_a_folder_and_remembers_where_it_came_from(library: TemplateLibrary) -> None:
    (library.root_dir / "cases" / "1042").mkdir(parents=True)
    result = library.clone("package", "spray.ipynb", "cases/1042/")
    assert result.to_json() == {"path": "cases/1042/spray.ipynb", "overwritten": False}
    copy = json.loads((library.root_dir / "cases" / "1042" / "spray.ipynb").read_text())
    assert copy["metadata"]["sentinel"]["title"] == "Password spray"
    assert copy["metadata"]["sentinel"]["clonedFrom"] == {
        "source": "package",
        "template": "spray.ipynb",
        "version": 2,
    }
    assert [p.name for p in (library.root_dir / "cases" / "1042").iterdir()] == ["spray.ipynb"]
    assert oct(os.stat(library.root_dir / "cases" / "1042" / "spray.ipynb").st_mode & 0o777) != (
        "0o600"
    )


def test_a_taken_name_is_refused_with_a_free_name_proposed(library: TemplateLibrary) -> None:
    existing = library.root_dir / "spray.ipynb"
    existing.write_text("mine")
    (library.root_dir / "spray-1.ipynb").write_text("also mine")
    with pytest.raises(SentinelError) as info:
        library.clone("package", "spray.ipynb", "")
    assert status_code(info.value) == 409
    assert error_body(info.value) == {
        "message": "spray.ipynb already exists",
        "reason": "exists",
        "path": "spray.ipynb",
        "proposedName": "spray-2.ipynb",
        "proposedPath": "spray-2.ipynb",
    }
    assert existing.read_text() == "mine"

    saved = library.clone("package", "spray.ipynb", "", name="spray-2.ipynb")
    assert saved.path == "spray-2.ipynb"
    with pytest.raises(SentinelError) as again:
        library.clone("package", "spray.ipynb", "", name="spray-2")
    assert again.value.extra["proposedName"] == "spray-3.ipynb"

    replaced = library.clone("package", "spray.ipynb", "", overwrite=True)
    assert replaced.to_json() == {"path": "spray.ipynb", "overwritten": True}
    assert json.loads(existing.read_text())["metadata"]["sentinel"]["title"] == "Password spray"


def test_clone_targets_stay_inside_the_root(library: TemplateLibrary, tmp_path: Path) -> None:
    (tmp_path / "elsewhere").mkdir()
    (library.root_dir / "link").symlink_to(tmp_path / "elsewhere")
    cases = {
        "../": 400,
        str(tmp_path): 400,
        "link": 403,
        "missing": 404,
    }
    for folder, status in cases.items():
        with pytest.raises(SentinelError) as info:
            library.clone("package", "spray.ipynb", folder)
        assert status_code(info.value) == status, folder
    for name in ("../x.ipynb", "a/b.ipynb", ".hidden.ipynb", ".ipynb"):
        with pytest.raises(SentinelError) as info:
            library.clone("package", "spray.ipynb", "", name=name)
        assert status_code(info.value) == 400, name
    assert list((tmp_path / "elsewhere").iterdir()) == []


def test_a_failed_write_leaves_no_file_and_the_old_one_intact(
    library: TemplateLibrary, monkeypatch: pytest.MonkeyPatch
) -> None:
    existing = library.root_dir / "spray.ipynb"
    existing.write_text("mine")

    def disk_full(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(OSError):
        library.clone("package", "spray.ipynb", "", overwrite=True)
    with pytest.raises(OSError):
        library.clone("package", "spray.ipynb", "", name="new")
    assert sorted(p.name for p in library.root_dir.iterdir()) == ["spray.ipynb"]
    assert existing.read_text() == "mine"


def test_a_name_taken_while_writing_is_not_overwritten(
    library: TemplateLibrary, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = library.root_dir / "spray.ipynb"
    real_link = os.link

    def someone_else_first(src: str, dst: str) -> None:
        target.write_text("theirs")
        real_link(src, dst)

    monkeypatch.setattr(os, "link", someone_else_first)
    with pytest.raises(SentinelError) as info:
        library.clone("package", "spray.ipynb", "")
    assert status_code(info.value) == 409
    assert target.read_text() == "theirs"
    assert sorted(p.name for p in library.root_dir.iterdir()) == ["spray.ipynb"]


# The shipped templates


def shipped() -> list[tuple[str, dict[str, Any]]]:
    return [(p.name, json.loads(p.read_text())) for p in sorted(PACKAGE_TEMPLATES.glob("*.ipynb"))]


def test_at_least_six_templates_ship_with_complete_metadata() -> None:
    templates = shipped()
    assert len(templates) >= 6
    for name, nb in templates:
        block = nb["metadata"]["sentinel"]
        for key in ("title", "description", "version"):
            assert isinstance(block[key], str) and block[key], (name, key)
        for key in ("requiredTables", "tags", "tactics", "dataSources", "entityTypes"):
            assert block[key] and all(isinstance(v, str) for v in block[key]), (name, key)
        # Every table a template needs is one the demo workspace has.
        for table in block["requiredTables"] + block.get("optionalTables", []):
            assert table in SCHEMAS, (name, table)


def test_shipped_templates_keep_kql_in_marked_code_cells_without_outputs() -> None:
    for name, nb in shipped():
        kql = [c for c in nb["cells"] if c["metadata"].get("sentinel", {}).get("kql")]
        assert len(kql) >= 2, name
        for cell in nb["cells"]:
            if cell["cell_type"] == "code":
                assert cell["outputs"] == [] and cell["execution_count"] is None, name
        for cell in kql:
            assert cell["cell_type"] == "code"
            text = "".join(cell["source"])
            # Every table a query reads is declared by the template.
            block = nb["metadata"]["sentinel"]
            declared = set(block["requiredTables"]) | set(block.get("optionalTables", []))
            first = text.lstrip().split("\n", 1)[0]
            if not first.startswith(("let ", "//")):
                assert first.split()[0] in declared, (name, first)


# Through the server


async def test_lists_the_shipped_templates(api: Api) -> None:
    body = json.loads((await api("templates")).body)
    package = body["sources"][0]
    assert package["id"] == "package" and package["status"] == "ready"
    assert len(package["templates"]) >= 6
    assert "problems" not in package


async def test_configured_folders_list_and_fail_independently(
    api: Api, jp_root_dir: Path, tmp_path: Path
) -> None:
    (jp_root_dir / "team").mkdir()
    (jp_root_dir / "team" / "hunt.ipynb").write_text(notebook([markdown("# Team hunt")]))
    folders = [{"name": "Team", "path": "team"}, {"name": "Escape", "path": str(tmp_path)}]
    body = json.loads((await api("templates", method="PUT", body={"folders": folders})).body)
    sources = {s["id"]: s for s in body["sources"]}
    assert sources["team"]["templates"][0]["title"] == "Team hunt"
    assert sources["escape"]["status"] == "error"
    assert sources["package"]["status"] == "ready"
    code, _ = await error_of(api("templates", method="PUT", body={"folders": "team"}))
    assert code == 400


async def test_clone_through_the_api(api: Api, jp_root_dir: Path) -> None:
    (jp_root_dir / "cases").mkdir()
    listing = json.loads((await api("templates")).body)
    template = listing["sources"][0]["templates"][0]
    path = ("templates", "package", template["id"], "clone")
    response = await api(*path, method="POST", body={"folder": "cases"})
    assert response.code == 201
    cloned = json.loads(response.body)
    assert cloned == {"path": f"cases/{template['fileName']}", "overwritten": False}

    code, error = await error_of(api(*path, method="POST", body={"folder": "cases"}))
    stem = template["fileName"].removesuffix(".ipynb")
    assert code == 409 and error["reason"] == "exists"
    assert error["proposedName"] == f"{stem}-1.ipynb"

    body = {"folder": "cases", "name": error["proposedName"]}
    renamed = await api(*path, method="POST", body=body)
    assert json.loads(renamed.body)["path"] == f"cases/{stem}-1.ipynb"
    replaced = await api(*path, method="POST", body={"folder": "cases", "overwrite": True})
    assert json.loads(replaced.body)["overwritten"] is True

    code, error = await error_of(api(*path, method="POST", body={"folder": "../"}))
    assert code == 400
    code, error = await error_of(api(*path, method="POST", body={"overwrite": "yes"}))
    assert code == 400
    code, error = await error_of(
        api("templates", "package", "nope.ipynb", "clone", method="POST", body={})
    )
    assert code == 404
    detail = json.loads((await api("templates", "package", template["id"])).body)
    assert detail["template"]["title"] == template["title"]
    assert detail["notebook"]["cells"]
