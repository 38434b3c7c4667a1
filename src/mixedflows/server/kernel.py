"""The course's Python kernel: ipykernel without its debugger (issue 16, memory per kernel).

ipykernel imports debugpy and its pydevd bundle (some 100 modules) whenever a kernel starts, so
that JupyterLab can offer its visual debugger: 7.5 MB of every kernel's own memory (USS) on this
machine, in every app page's kernel, which never debugs. The course's kernelspec
(``share/jupyter/kernels/python3/kernel.json``, on ``JUPYTER_PATH`` of every server the course
starts: ``./mfl``, ``binder/start`` and so the hub's image) runs this module in place of
``ipykernel_launcher``: debugpy is marked absent, so ipykernel starts without the debugger and
says so (its ``kernel_info`` lists no debugger; JupyterLab shows none). Set
``MIXEDFLOWS_KERNEL_DEBUGGER=1`` in the server's environment to keep the debugger.

It also tells pydantic that there are no pydantic plugins to look for (issue 13 start-up): the
first model class an app defines made pydantic read the entry points of every installed
distribution, about 40 ms of CPU in every app page's kernel; the course installs none. A
server environment that sets ``PYDANTIC_DISABLE_PLUGINS`` itself keeps its value.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Mapping, Sequence
from pathlib import Path

DEBUGGER_ENV = "MIXEDFLOWS_KERNEL_DEBUGGER"
MODULE = "mixedflows.server.kernel"
PYDANTIC_PLUGINS_ENV = "PYDANTIC_DISABLE_PLUGINS"
"""This module's name, as the kernelspec's command line gives it to ``python -m``."""


def debugger_wanted(env: Mapping[str, str] = os.environ) -> bool:
    """Whether ``env`` asks to keep JupyterLab's debugger (``MIXEDFLOWS_KERNEL_DEBUGGER``)."""
    return env.get(DEBUGGER_ENV, "").strip().lower() in ("1", "true", "yes")


def is_kernel_command(cmdline: Sequence[str]) -> bool:
    """Whether a process's command line is a Python kernel's: the course's (this module) or
    ipykernel's own launcher (a server run without the course's kernelspec)."""
    line = " ".join(cmdline)
    return "ipykernel" in line or MODULE in line


def main() -> None:
    """Start an IPython kernel as ``ipykernel_launcher`` does, without debugpy unless asked."""
    # As ipykernel_launcher: the working directory (the notebook's folder) leaves sys.path while
    # the kernel loads; the shell puts it back.
    if sys.path and (sys.path[0] == "" or Path(sys.path[0]) == Path.cwd()):
        del sys.path[0]
    if not debugger_wanted():
        sys.modules.setdefault("debugpy", None)
    os.environ.setdefault(PYDANTIC_PLUGINS_ENV, "__all__")  # none installed: none looked for
    from ipykernel import kernelapp

    app = kernelapp.IPKernelApp.instance()
    app.initialize()
    page = page_modules() if preload_wanted() else []
    if page:  # a page of the course, served by Voila (any other notebook: nothing imported)
        loading = threading.Thread(
            target=preload, args=(page,), name="mixedflows-preload", daemon=True
        )
        loading.start()
        # A cell runs once the imports are done, never beside them (two threads importing
        # modules that import each other can deadlock): it waits for what is left of them.
        app.shell.events.register("pre_run_cell", lambda *_: loading.join())
    app.start()


PRELOAD_ENV = "MIXEDFLOWS_KERNEL_PRELOAD"
PRELOAD = (
    "ipywidgets",
    "mixedflows.widgets.common",
    "mixedflows.widgets.ui",
    "mixedflows.exercises",
    "mixedflows.grading",
    "mixedflows.store",
    "mixedflows.store.pending",
    "mixedflows.server.session",
)
"""What every app of the course imports before its first view (the modules common to the
boat, desk, reception, policy lab, dashboard, journey and casework apps' imports; the store
and the session, imported when an app is built, not when its module is: 0.04 s of the
reception kernel's CPU, issue 13)."""


CHARTS = "mixedflows.charts.view"
"""The charts' widget (anywidget), imported by a page whose metadata says it has charts
(``mixedflows.charts``: true, or "later")."""


def preload_wanted(env: Mapping[str, str] = os.environ) -> bool:
    """Whether the kernel imports its page's modules once started (:func:`preload`;
    ``MIXEDFLOWS_KERNEL_PRELOAD=0`` turns it off)."""
    return env.get(PRELOAD_ENV, "1").strip().lower() not in ("0", "false", "no")


def page_modules(env: Mapping[str, str] = os.environ, folder: Path | None = None) -> list[str]:
    """The course's modules (``mixedflows...``) that the code cells of the page this kernel
    was started for import, in their order (and the charts' widget, :data:`CHARTS`, for a
    page with charts): the page Voila names in ``SCRIPT_NAME`` (its
    request's path, ``.../voila/render/<notebook>``), read from the kernel's working folder
    (the notebook's). Only the names of ``import`` statements are read, nothing is run; none
    for a kernel started otherwise (JupyterLab), or a page that cannot be read."""
    import ast
    import json
    from pathlib import PurePosixPath
    from urllib.parse import unquote

    script = unquote(env.get("SCRIPT_NAME", ""))
    if not script.endswith(".ipynb"):
        return []
    try:
        nb = json.loads(
            ((folder or Path.cwd()) / PurePosixPath(script).name).read_text(encoding="utf-8")
        )
        cells = [c for c in nb.get("cells", []) if c.get("cell_type") == "code"]
    except (OSError, ValueError, AttributeError):
        return []
    found: list[str] = []
    for cell in cells:
        try:
            tree = ast.parse("".join(cell.get("source", "")))
        except (SyntaxError, ValueError, TypeError):
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and not node.level:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            else:
                continue
            found += [n for n in names if n == "mixedflows" or n.startswith("mixedflows.")]
    if found and ((nb.get("metadata") or {}).get("mixedflows") or {}).get("charts"):
        found.append(CHARTS)  # a page with charts (its app imports them when it draws one)
    return list(dict.fromkeys(found))


def preload(page: Sequence[str]) -> list[str]:
    """Import, in a thread once the kernel has started, the course's modules its page
    imports (``page``: :func:`page_modules`) and what every app of the course imports
    (:data:`PRELOAD`): while the server waits for the kernel to be ready and prepares the
    page, the kernel is idle; the page's cells then find them imported (issue 13 start-up: an
    app page's time to interactive, cold). Only for a page of the course: a notebook that
    imports none of its modules (JupyterLab's, an empty one) imports nothing more and never
    waits. The modules imported; one that fails is left for the cell to meet, where its error
    is shown."""
    import importlib

    done = []
    for name in dict.fromkeys([*page, *PRELOAD]):
        try:
            importlib.import_module(name)
        except Exception:  # the cell's own import meets it, and shows its error
            continue
        done.append(name)
    return done


if __name__ == "__main__":
    main()
