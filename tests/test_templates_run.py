"""Every shipped template runs top to bottom on the demo workspace.

This follows what a KQL cell does in JupyterLab, without the browser: the KQL is compiled by the
project's compiler (``bin/kql compile``), the server's export writes the full result as Parquet,
and the template's Python cells then run against the DataFrames loaded from it.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from jupyterlab_sentinel.demo.generator import generate
from jupyterlab_sentinel.lake import Lake

ROOT = Path(__file__).resolve().parent.parent
KQL = ROOT / "bin" / "kql"
TEMPLATES = sorted((ROOT / "jupyterlab_sentinel" / "templates").glob("*.ipynb"))

pytestmark = pytest.mark.skipif(
    not (ROOT / "build" / "cli").is_dir() or shutil.which("node") is None,
    reason="the KQL compiler's command line is built by `jlpm build` (make build)",
)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Lake, Path]:
    root = tmp_path_factory.mktemp("root")
    generate(root / "demo", scale=0.3)
    lake = Lake(root_dir=root, demo_path=root / "demo")
    schema = root / "schema.json"
    schema.write_text(json.dumps(lake.schema("demo")))
    return lake, schema


def compile_kql(query: str, schema: Path) -> str:
    done = subprocess.run(
        [str(KQL), "compile", "--schema", str(schema), query],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, f"{query}\n{done.stderr}"
    return done.stdout


@pytest.mark.parametrize("template", TEMPLATES, ids=[t.stem for t in TEMPLATES])
def test_template_runs_top_to_bottom(template: Path, demo: tuple[Lake, Path]) -> None:
    lake, schema = demo
    notebook = json.loads(template.read_text())
    namespace: dict[str, Any] = {"display": lambda *_args, **_kwargs: None}
    kql_cells = 0
    for cell in notebook["cells"]:
        if cell["cell_type"] != "code":
            continue
        source = "".join(cell["source"])
        sentinel = cell["metadata"].get("sentinel", {})
        if sentinel.get("kql"):
            kql_cells += 1
            variable = sentinel["variable"]
            path = f"results/{template.stem}/{variable}.parquet"
            lake.export("demo", compile_kql(source, schema), path, f"{template.stem}-{variable}")
            namespace[variable] = pd.read_parquet(lake.root_dir / path)
        else:
            # The template's own Python, as the kernel would run it.
            exec(compile(source, f"{template.name}[cell]", "exec"), namespace)
    assert kql_cells > 0
