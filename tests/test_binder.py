"""binder/ works alone: a fresh virtual environment built from binder/ files imports the package
and executes module 1 (as mybinder would: requirements.txt, then postBuild, then start)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_binder_installs_from_the_lock():
    """mybinder installs the pinned versions the course was tested with (tests/test_lock.py
    checks the lock against pyproject.toml)."""
    lines = [
        x.strip()
        for x in (ROOT / "binder/requirements.txt").read_text().splitlines()
        if x.strip() and not x.startswith("#")
    ]
    assert lines == ["-r ../requirements/base.lock"]
    assert (ROOT / "binder" / "../requirements/base.lock").resolve().is_file()


@pytest.mark.slow
def test_fresh_env_from_binder_files_runs_module_1(tmp_path: Path):
    # A copy of the tracked files only: nothing from this checkout's .venv can leak in.
    repo = tmp_path / "repo"
    files = (
        subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True)
        .stdout.decode()
        .split("\0")
    )
    for f in filter(None, files):
        if (ROOT / f).is_file():
            (repo / f).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / f, repo / f)
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("VIRTUAL_ENV", "PYTHONPATH", "MIXEDFLOWS_HOME", "JUPYTER_PATH")
    }
    env.update(
        PATH=f"{venv / 'bin'}:{env['PATH']}",
        HOME=str(tmp_path / "home"),
        REPO_DIR=str(repo),
        PIP_DISABLE_PIP_VERSION_CHECK="1",
    )
    (tmp_path / "home").mkdir()
    # pip's cache lives under the real home; keep using it so the test does not re-download.
    env["PIP_CACHE_DIR"] = str(Path.home() / ".cache" / "pip")
    pip = [str(venv / "bin/python"), "-m", "pip", "install", "-q"]
    subprocess.run([*pip, "-r", "binder/requirements.txt"], cwd=repo, env=env, check=True)
    subprocess.run(["bash", "binder/postBuild"], cwd=repo, env=env, check=True)
    code = (
        "import mixedflows, nbformat\n"
        "from nbclient import NotebookClient\n"
        "nb = nbformat.read('modules/01_who_is_in_the_boat.ipynb', as_version=4)\n"
        "NotebookClient(nb, timeout=300, resources={'metadata': {'path': 'modules'}}).execute()\n"
        "errs = [o for c in nb.cells for o in c.get('outputs', []) if o.get('output_type') == 'error']\n"
        "assert not errs, errs\n"
        "print('module 1 ok from', mixedflows.__file__)\n"
    )
    env["MIXEDFLOWS_STORE"] = str(tmp_path / "attempts.sqlite")
    out = subprocess.run(
        ["bash", "binder/start", str(venv / "bin/python"), "-c", code],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
    )
    assert out.returncode == 0, out.stderr[-3000:]
    assert "module 1 ok from" in out.stdout
    assert str(venv) in out.stdout  # the package came from the binder-built environment
