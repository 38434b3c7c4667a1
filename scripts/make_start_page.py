"""Write START.ipynb, the course's start page, from the notebooks in modules/ and widgets/.

Each module or app is listed under the first '# ' heading of its notebook. Run after adding a
module or an app: python scripts/make_start_page.py (a test checks the page is up to date).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HIDDEN_APPS = {"empty.ipynb", "facilitator_dashboard.ipynb"}

INTRO = """# Mixed Flows Lab — start here

A training and policy lab on **mixed migration flows**, built on IOM's discussion note \
*Challenges of Irregular Migration: Addressing Mixed Migration Flows* (MC/INF/294, 2008). \
Every person in the cases is synthetic; every figure carries its source.
"""
OUTRO = """
Your answers are saved as you submit them (in the attempt store; see the README). \
**On Binder (mybinder.org) nothing is kept after the session ends**: before you leave, \
download your progress from the app *My progress*, and upload it there next time to continue. \
Facilitators: start a class session with `./mfl facilitate --participants 30`; the dashboard \
link it prints is for you only."""


APPS_NOTE = (
    "**Open** shows the app in a tab here (it works on Binder too); **full screen** opens it "
    "in a browser tab of its own, on a course started with `./mfl start`."
)


PROGRESS_CELL = """# Run this cell (Shift+Enter) to see the name your answers are saved under, and where.
from mixedflows.server.session import my_progress

my_progress();"""


MODULES_NOTE = (
    "**Open** shows a module with its exercises ready to answer (the prose, the cases and the "
    "apps, no code); **the notebook** opens the same module as a notebook, to read or change "
    "its code."
)


def open_button(path: str, label: str = "Open") -> str:
    """A button opening ``path`` in JupyterLab's Voila preview: it runs, no code on screen (a
    command link, so the server's base URL is JupyterLab's business: it works on Binder)."""
    args = json.dumps({"path": path, "factory": "Voila Preview"})
    return (
        f'<button class="mf-open" data-commandlinker-command="docmanager:open" '
        f"data-commandlinker-args='{args}'>{label}</button>"
    )


def module_line(path: Path) -> str:
    """One module: a button showing it with its exercises running, and the notebook itself."""
    return f"- **{title(path)}**: {open_button(f'modules/{path.name}')} or [the notebook](modules/{path.name})"


def app_line(path: Path) -> str:
    """One app: a button opening it in a JupyterLab tab through the Voila preview (a command
    link, so the server's base URL is JupyterLab's business: it works on Binder), and a plain
    link to the full-screen page (a path from the server's root: on your own machine)."""
    button = open_button(f"widgets/{path.name}")
    return f"- **{title(path)}**: {button} or [full screen](/voila/render/widgets/{path.name})"


def title(path: Path) -> str:
    """The notebook's ``title`` metadata (an app that shows its own title, once), else its
    first '# ' heading."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    if nb.get("metadata", {}).get("title"):
        return nb["metadata"]["title"]
    for cell in nb["cells"]:
        for line in "".join(cell["source"]).splitlines():
            if line.startswith("# "):
                return line[2:].strip()
    return path.stem.replace("_", " ")


def page() -> dict:
    modules = sorted(ROOT.glob("modules/*.ipynb"))
    apps = sorted(p for p in ROOT.glob("widgets/*.ipynb") if p.name not in HIDDEN_APPS)
    lines = [INTRO, "## The course", "", MODULES_NOTE, ""]
    lines += [module_line(p) for p in modules]
    lines += ["", "## The apps (no code on screen)", "", APPS_NOTE, ""]
    lines += [app_line(p) for p in apps]
    lines.append(OUTRO)
    source = "\n".join(lines)
    return {
        "cells": [
            {
                "cell_type": "markdown",
                "id": "start",
                "metadata": {},
                "source": source.splitlines(keepends=True),
            },
            {
                # JupyterLab lets a page's command buttons (Open) run without asking only in
                # a notebook with a trusted code cell; a cell with no output is trusted.
                "cell_type": "code",
                "execution_count": None,
                "id": "progress",
                "metadata": {},
                "outputs": [],
                "source": PROGRESS_CELL.splitlines(keepends=True),
            },
        ],
        "metadata": {
            "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
            "language_info": {"name": "python"},
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }


def render() -> str:
    return json.dumps(page(), indent=1, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    target = ROOT / "START.ipynb"
    if "--check" in sys.argv:
        sys.exit(0 if target.read_text(encoding="utf-8") == render() else 1)
    target.write_text(render(), encoding="utf-8")
    print(f"wrote {target}")
