"""The course's kernelspec (issue 16, memory per kernel): every server the course starts runs its
kernels through ``mixedflows.server.kernel``, which starts ipykernel without debugpy (7.5 MB of
every kernel's own memory, for a debugger no app page uses)."""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import start_new_kernel

from mixedflows.server import serve
from mixedflows.server.kernel import MODULE, debugger_wanted, is_kernel_command


@pytest.fixture
def course_env(monkeypatch, tmp_path):
    """This process sees kernelspecs as a course server does (serve.environment's JUPYTER_PATH)."""
    env = serve.environment({"MIXEDFLOWS_STORE": str(tmp_path / "a.sqlite")})
    monkeypatch.setenv("JUPYTER_PATH", env["JUPYTER_PATH"])
    return env


@contextlib.contextmanager
def course_kernel(env: dict[str, str], cwd: str | None = None) -> Iterator[tuple[Any, Any]]:
    """A real kernel started by the kernelspec ``env`` finds (a course server's), in ``cwd``:
    ``(run, client)``, where ``run(code)`` runs a cell, asserts it ran, and returns what it
    printed; shut down afterwards."""
    km, kc = start_new_kernel(kernel_name="python3", env=env, cwd=cwd)

    def run(code: str) -> str:
        out: list[str] = []

        def hook(msg):
            if msg["msg_type"] == "stream":
                out.append(msg["content"]["text"])

        reply = kc.execute_interactive(code, timeout=120, output_hook=hook)
        assert reply["content"]["status"] == "ok", reply["content"]
        return "".join(out)

    try:
        yield run, kc
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def test_a_course_server_finds_the_course_kernelspec(course_env):
    spec = KernelSpecManager().get_kernel_spec("python3")
    assert spec.argv[:3] == ["python", "-m", MODULE]  # python: the server's own interpreter
    assert spec.argv[3:] == ["-f", "{connection_file}"]
    assert spec.metadata["debugger"] is False
    assert is_kernel_command([sys.executable, *spec.argv[1:]])
    assert is_kernel_command([sys.executable, "-m", "ipykernel_launcher", "-f", "k.json"])
    assert not is_kernel_command([sys.executable, "-m", "voila"])


def test_a_course_kernel_runs_without_debugpy(course_env, tmp_path):
    """A real kernel started by the spec a course server finds: it runs code, in the folder it
    was started in (the notebook's, on sys.path as ipykernel's launcher leaves it), without
    debugpy or pydevd, and tells the front end it has no debugger."""
    (tmp_path / "local_helper.py").write_text("VALUE = 42\n")
    with course_kernel(course_env, cwd=str(tmp_path)) as (run, kc):
        code = (
            "import json, sys, local_helper\n"
            "print(json.dumps({'loaded': sorted(m for m in ('debugpy', '_pydevd_bundle', "
            "'pydevd') if sys.modules.get(m)), 'value': local_helper.VALUE, "
            "'argv0': sys.argv[0]}))"
        )
        seen = json.loads(run(code))
        assert seen["loaded"] == []
        assert seen["value"] == 42
        assert seen["argv0"].endswith("kernel.py")  # started by the course's module
        info = kc.kernel_info(reply=True, timeout=60)["content"]
        assert "debugger" not in info.get("supported_features", [])
        assert not info.get("debugger", False)


def test_a_course_kernel_does_not_look_for_pydantic_plugins(course_env):
    """Issue 13 start-up: pydantic looked for plugins in the entry points of every installed
    distribution when an app defined its first model (about 40 ms of CPU in each page's kernel);
    the course's kernel tells it there are none. Fails before: the plugins were looked up."""
    env = {k: v for k, v in course_env.items() if k != "PYDANTIC_DISABLE_PLUGINS"}
    with course_kernel(env) as (run, _kc):
        code = (
            "import json, os\n"
            "import mixedflows.exercises\n"
            "from pydantic.plugin import _loader\n"
            "print(json.dumps({'looked_up': _loader._plugins is not None, "
            "'env': os.environ.get('PYDANTIC_DISABLE_PLUGINS')}))"
        )
        seen = json.loads(run(code))
        assert seen == {"looked_up": False, "env": "__all__"}


@pytest.mark.parametrize(
    ("value", "kept"), [("", False), ("0", False), ("1", True), (" yes ", True), ("TRUE", True)]
)
def test_the_debugger_is_kept_only_when_asked(value, kept):
    assert debugger_wanted({"MIXEDFLOWS_KERNEL_DEBUGGER": value}) is kept
    assert debugger_wanted({}) is False


def test_the_casework_apps_import_no_numpy():
    """Module 7's page draws no one (its files are worked cases): its kernel loads no numpy
    (8.7 MB of the kernel's own memory), which the casework package imported at load; module
    6's generated files still draw with numpy when they are built."""
    code = (
        "import sys, mixedflows.widgets.casework, mixedflows.casework\n"
        "print(sorted(m for m in ('numpy', 'pandas') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


@pytest.mark.parametrize(
    ("page", "preload", "loaded"),
    [
        ("who_is_in_the_boat.ipynb", "", True),
        ("who_is_in_the_boat.ipynb", "0", False),
        ("empty.ipynb", "", False),  # a notebook that imports none of the course's modules
        ("", "", False),  # a kernel JupyterLab starts (no page named)
    ],
)
def test_a_course_kernel_imports_what_its_page_imports_once_started(
    course_env, tmp_path, page, preload, loaded
):
    """Issue 13 start-up: once started for a page of the course (Voila names it), the course's
    kernel imports the modules the page imports and those every app imports (ipywidgets, the
    apps' common parts, exercises, grading), in a thread, while the server gets the page
    ready: the app's cells find them imported. A kernel for any other notebook imports nothing
    more (and its cells never wait); ``MIXEDFLOWS_KERNEL_PRELOAD=0`` turns it off. Fails
    before: nothing was imported before a cell asked."""
    import shutil
    from pathlib import Path

    from mixedflows.server.kernel import PRELOAD, PRELOAD_ENV

    shutil.copy(Path(__file__).parents[1] / "widgets" / "who_is_in_the_boat.ipynb", tmp_path)
    cell = {"cell_type": "code", "source": "1 + 1", "metadata": {}, "outputs": []}
    (tmp_path / "empty.ipynb").write_text(json.dumps({"cells": [cell]}))
    env = dict(course_env)
    if page:
        env["SCRIPT_NAME"] = f"/voila/render/{page}"
    if preload:
        env[PRELOAD_ENV] = preload
    with course_kernel(env, cwd=str(tmp_path)) as (run, _kc):
        code = (
            "import json, sys, threading\n"
            "t = [x.name for x in threading.enumerate() if x.name == 'mixedflows-preload']\n"
            f"print(json.dumps([t, [m for m in {list(PRELOAD)!r} if m in sys.modules]]))"
        )
        running, found = json.loads(run(code))
        assert running == []  # done before the cell ran, or never started
        assert found == (list(PRELOAD) if loaded else [])
        # the kernel is as usable as before: a widget app's first lines run
        run("import ipywidgets; ipywidgets.HTML('x')")


def test_the_modules_a_page_imports_are_read_from_its_cells(tmp_path):
    """The page a Voila kernel is started for (``SCRIPT_NAME``, ``.../voila/render/<page>``, in
    the kernel's working folder): the course's modules its code cells import, read, not run;
    none for a kernel started otherwise, a page that is not there or not a notebook, and never
    a module outside the course."""
    from pathlib import Path

    from mixedflows.server.kernel import page_modules

    widgets = Path(__file__).parents[1] / "widgets"
    boat = {"SCRIPT_NAME": "/voila/render/who_is_in_the_boat.ipynb"}
    assert page_modules(boat, widgets)[0] == "mixedflows.widgets.boat"
    dash = page_modules({"SCRIPT_NAME": "/voila/render/facilitator_dashboard.ipynb"}, widgets)
    assert {"mixedflows.widgets.dashboard", "mixedflows.widgets.seats"} <= set(dash)
    assert page_modules({}, widgets) == []
    assert page_modules({"SCRIPT_NAME": "/voila/render/none.ipynb"}, widgets) == []
    (tmp_path / "bad.ipynb").write_text("not json")
    assert page_modules({"SCRIPT_NAME": "/voila/render/bad.ipynb"}, tmp_path) == []
    cells = [
        {"cell_type": "code", "source": "import os, mixedflows.text\nfrom json import dumps"},
        {"cell_type": "code", "source": "this is not python ("},
        {"cell_type": "markdown", "source": "import mixedflows.charts"},
        {"cell_type": "code", "source": "from . import x\nfrom mixedflows.paths import home"},
    ]
    (tmp_path / "mine.ipynb").write_text(json.dumps({"cells": cells}))
    mine = page_modules({"SCRIPT_NAME": "/voila/render/a/../mine.ipynb"}, tmp_path)
    assert mine == ["mixedflows.text", "mixedflows.paths"]


def test_a_kernel_started_for_a_page_has_its_modules_before_its_first_cell(course_env):
    """A kernel started as Voila starts one for the boat app (its folder, ``SCRIPT_NAME``):
    the app's module is imported by the time the first cell runs (which waits for the imports
    rather than running beside them), though the cell imports nothing."""
    from pathlib import Path

    widgets = Path(__file__).parents[1] / "widgets"
    env = dict(course_env, SCRIPT_NAME="/voila/render/who_is_in_the_boat.ipynb")
    with course_kernel(env, cwd=str(widgets)) as (run, _kc):
        code = "import sys\nprint('mixedflows.widgets.boat' in sys.modules)"
        assert run(code).strip() == "True"


def test_a_page_with_charts_has_the_charts_widget_imported_too():
    """The reception's page draws charts (its metadata says so): the charts' widget, which
    its app imports only when it draws its first chart, is imported with the page's modules;
    the boat's page has none."""
    from pathlib import Path

    from mixedflows.server.kernel import CHARTS, page_modules

    widgets = Path(__file__).parents[1] / "widgets"
    page = page_modules({"SCRIPT_NAME": "/voila/render/reception_centre.ipynb"}, widgets)
    assert page[0] == "mixedflows.widgets.reception" and CHARTS in page
    boat = page_modules({"SCRIPT_NAME": "/voila/render/who_is_in_the_boat.ipynb"}, widgets)
    assert CHARTS not in boat
