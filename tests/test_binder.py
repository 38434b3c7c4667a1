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
    # And the machine's pip configuration there (a local mirror or index), as for this
    # checkout's own .venv.
    for conf in (Path.home() / ".config" / "pip" / "pip.conf", Path.home() / ".pip" / "pip.conf"):
        if conf.is_file() and "PIP_CONFIG_FILE" not in env:
            env["PIP_CONFIG_FILE"] = str(conf)
    # No bytecode compiled at install (every pip run here: the requirements, then postBuild's):
    # most of the installed files are never imported by the test, and those that are get
    # compiled on first import, as usual. pip's --no-compile as an environment variable is
    # PIP_COMPILE=0 (PIP_NO_COMPILE=1 reads as "--no-compile is true", i.e. compile).
    env["PIP_COMPILE"] = "0"
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


def test_binder_builds_what_the_readme_offers():
    """What repo2docker reads in binder/ agrees with the locks, the package and the README's
    Binder links (mybinder itself cannot be reached from the tests: these are the parts that
    can be checked without it)."""
    import json
    import re
    import tomllib
    from importlib import import_module

    from packaging.specifiers import SpecifierSet

    binder = ROOT / "binder"
    # runtime.txt: the Python the locks were resolved for (requirements/README.md), admitted
    # by pyproject.toml.
    runtime = (binder / "runtime.txt").read_text().strip()
    m = re.fullmatch(r"python-(\d+)\.(\d+)", runtime)
    assert m, runtime
    locked_for = re.search(
        r"--python-version (\d+)\.(\d+)\.\d+", (ROOT / "requirements/README.md").read_text()
    )
    assert locked_for and locked_for.groups() == m.groups()
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert f"{m[1]}.{m[2]}.0" in SpecifierSet(project["requires-python"])

    # requirements.txt holds a "-r" line: repo2docker then copies the whole repository before
    # pip runs (a local reference), so "../requirements/base.lock" is there to be read.
    pins = dict(
        line.split("==", 1)
        for line in (ROOT / "requirements/base.lock").read_text().splitlines()
        if "==" in line and not line.startswith((" ", "#"))
    )
    # What the README's links open (labpath: JupyterLab; urlpath=voila: Voila's server
    # extension) and what postBuild runs (numba's kernel warmed) come pinned from the lock.
    for name in ("jupyterlab", "voila", "numba", "ipywidgets", "anywidget"):
        assert name in pins, name
    readme = (ROOT / "README.md").read_text()
    links = re.findall(r"mybinder\.org/v2/gh/OWNER/REPO/main\?labpath=([\w./-]+)", readme)
    links += [
        p.replace("%2F", "/") for p in re.findall(r"\?urlpath=voila%2Frender%2F([\w%.-]+)", readme)
    ]
    assert "START.ipynb" in links and "widgets/who_is_in_the_boat.ipynb" in links
    for path in links:
        assert (ROOT / path).is_file(), path

    # postBuild: what it imports exists; what it trusts exists; the server config it writes
    # parses and names the course's Voila template, the one binder/start's config path gives.
    post = (binder / "postBuild").read_text()
    calls = re.findall(r"from (mixedflows[\w.]*) import (\w+)", post)
    assert ("mixedflows.reception.kernel", "warm") in calls
    assert ("mixedflows.widgets.reception", "warm_first_view") in calls
    for module, name in calls:
        assert callable(getattr(import_module(module), name)), (module, name)
    trust = re.search(r"jupyter trust (.+?) \|\|", post).group(1).split()
    for pattern in trust:
        assert list(ROOT.glob(pattern)), pattern
    written = json.loads(re.search(r"<<'JSON'\n(.*?)\nJSON", post, re.S).group(1))
    template = written["VoilaConfiguration"]["template"]
    assert (ROOT / "share/jupyter/voila/templates" / template).is_dir()
    start = (binder / "start").read_text()
    assert "share/jupyter_config" in start and "share/jupyter" in start
    voila = json.loads((ROOT / "share/jupyter_config/voila.json").read_text())
    assert voila["VoilaConfiguration"]["template"] == template
    assert "MIXEDFLOWS_STORE_TEMPORARY" in start  # the apps say progress is not kept
