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
Facilitators: start a class session with `./mfl facilitate --participants 30`; the dashboard \
link it prints is for you only."""


def title(path: Path) -> str:
    nb = json.loads(path.read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        for line in "".join(cell["source"]).splitlines():
            if line.startswith("# "):
                return line[2:].strip()
    return path.stem.replace("_", " ")


def page() -> dict:
    modules = sorted(ROOT.glob("modules/*.ipynb"))
    apps = sorted(p for p in ROOT.glob("widgets/*.ipynb") if p.name not in HIDDEN_APPS)
    lines = [INTRO, "## The course (each module opens here, in JupyterLab)", ""]
    lines += [f"- [{title(p)}](modules/{p.name})" for p in modules]
    lines += ["", "## The apps (full screen, no code on screen)", ""]
    lines += [f"- [{title(p)}](/voila/render/widgets/{p.name})" for p in apps]
    lines.append(OUTRO)
    source = "\n".join(lines)
    return {
        "cells": [
            {
                "cell_type": "markdown",
                "id": "start",
                "metadata": {},
                "source": source.splitlines(keepends=True),
            }
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
