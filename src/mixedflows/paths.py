"""Where the course's data lives: the checkout's datasets/ and exercises/ folders.

Looked up, in order: the ``MIXEDFLOWS_HOME`` environment variable; the checkout this package
was installed from (editable installs); the current folder and its parents (Binder runs the
notebooks from inside the cloned repository).
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path


class HomeNotFoundError(FileNotFoundError):
    pass


def _is_home(p: Path) -> bool:
    return (p / "datasets" / "scenarios").is_dir() and (p / "exercises").is_dir()


@cache
def home() -> Path:
    """The course folder holding datasets/ and exercises/."""
    env = os.environ.get("MIXEDFLOWS_HOME")
    if env:
        p = Path(env).expanduser().resolve()
        if not _is_home(p):
            raise HomeNotFoundError(
                f"MIXEDFLOWS_HOME={env} has no datasets/scenarios/ and exercises/ folders"
            )
        return p
    here = Path(__file__).resolve()
    for cand in [*here.parents, Path.cwd(), *Path.cwd().parents]:
        if _is_home(cand):
            return cand
    raise HomeNotFoundError(
        "cannot find the course folder (datasets/ and exercises/): run from "
        "inside the checkout or set MIXEDFLOWS_HOME"
    )


def scenarios_dir() -> Path:
    return home() / "datasets" / "scenarios"


def exercises_dir() -> Path:
    return home() / "exercises"


def datasets_dir() -> Path:
    return home() / "datasets"
