"""Binder: a fresh environment built from ``binder/`` serves the extension and the demo workspace.

Binder creates a conda environment from ``environment.yml`` and runs ``postBuild``. Without conda,
this builds the same environment with pip in a new virtual environment whose commands are not on
PATH (``postBuild`` must not depend on that), runs ``postBuild`` from the checkout (the labextension
already built there is reused, as the package's build hook skips a build that exists), and starts
a Jupyter server from it.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
#: Conda packages that are not Python packages (or are the installer itself).
NOT_FROM_PIP = {"python", "nodejs", "pip"}

pytestmark = pytest.mark.slow


def pip_requirements(environment: Path) -> list[str]:
    """The pip requirements of a conda environment file's dependencies."""
    spec = yaml.safe_load(environment.read_text())
    requirements = []
    for dependency in spec["dependencies"]:
        if isinstance(dependency, str):
            name, _, version = dependency.partition(" ")
            if name not in NOT_FROM_PIP:
                requirements.append(name + version.replace(" ", ""))
    return requirements


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def get(url: str, token: str) -> tuple[int, bytes]:
    request = urllib.request.Request(url, headers={"Authorization": f"token {token}"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def test_the_binder_environment_serves_the_extension_and_the_demo(tmp_path: Path) -> None:
    venv = tmp_path / "env"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    bin_dir = venv / "bin"
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("JUPYTER", "VIRTUAL_ENV"))},
        # Node for the build hook, but none of the environment's own commands.
        "PATH": os.pathsep.join([str(Path("/usr/bin")), str(Path("/bin"))]),
        "JUPYTER_DATA_DIR": str(tmp_path / "data"),
        "JUPYTER_CONFIG_DIR": str(tmp_path / "config"),
        "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime"),
        "PIP_RETRIES": "0",
    }
    requirements = pip_requirements(ROOT / "binder" / "environment.yml")
    assert any(r.startswith("jupyterlab>=") for r in requirements)
    subprocess.run(
        [str(bin_dir / "python"), "-m", "pip", "install", "-q", *requirements],
        check=True,
        env=env,
    )

    built = subprocess.run(
        [str(bin_dir / "python"), str(ROOT / "binder" / "postBuild")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]

    listed = subprocess.run(
        [str(bin_dir / "jupyter"), "labextension", "list"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    line = next(
        (
            text
            for text in (listed.stdout + listed.stderr).splitlines()
            if "jupyterlab-sentinel" in text
        ),
        "",
    )
    assert "enabled" in line and "OK" in line, listed.stdout + listed.stderr

    port, token = free_port(), "binder-test"
    server = subprocess.Popen(
        [
            str(bin_dir / "jupyter"),
            "server",
            f"--port={port}",
            f"--IdentityProvider.token={token}",
            f"--ServerApp.root_dir={tmp_path}",
            "--ServerApp.open_browser=False",
            "--ServerApp.allow_root=True",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        url = f"http://127.0.0.1:{port}/sentinel/api/workspaces"
        deadline = time.monotonic() + 120
        answer: tuple[int, bytes] = (0, b"")
        while time.monotonic() < deadline:
            try:
                answer = get(url, token)
            except OSError:
                answer = (0, b"")
            if answer[0] == 200:
                break
            time.sleep(0.5)
        assert answer[0] == 200, answer
        workspaces = json.loads(answer[1])["workspaces"]
        demo = next(w for w in workspaces if w["id"] == "demo")
        assert demo["status"] == "ready", demo
        assert Path(demo["path"]).resolve().is_relative_to((tmp_path / "data").resolve())
    finally:
        server.terminate()
        server.wait(timeout=30)
