"""Every course file the apps load, checked in one go.

``./mfl facilitate`` runs :func:`check` before it prints the links, so a malformed exercise or
scenario is found by the facilitator at the keyboard, not by a participant on a page (issue 11,
point 7). Each folder of data files is listed once here with the loader that reads it; the
loaders are the ones the apps call, so a file that passes here loads in the apps.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mixedflows.errors import DataFileError
from mixedflows.paths import home

LOADERS: dict[str, str] = {
    "exercises": "mixedflows.exercises:load_exercise",
    "datasets/scenarios": "mixedflows.scenarios:load_scenario",
    "datasets/cases": "mixedflows.cases:load_case",
    "datasets/regularization/programmes": "mixedflows.regularization:load_programme",
    "datasets/regularization/levers.yaml": "mixedflows.regularization:load_levers",
    "datasets/reception": "mixedflows.reception.inputs:load_season",
    "datasets/campaigns": "mixedflows.departure.campaign:load_brief",
    "datasets/messages": "mixedflows.postarrival.framing:load_message_brief",
    "datasets/rescue": "mixedflows.rescue.case:load_rescue",
    "datasets/casework": "mixedflows.casework.case:load_casework",
    "datasets/journeys": "mixedflows.journey:load_journey",
    "datasets/definitions": "mixedflows.definitions:load_terms",
    "datasets/flows/routes.yaml": "mixedflows.flows.data:load_routes",
    "datasets/cooperation/rooms": "mixedflows.cooperation.room:load_room",
    "datasets/capstone": "mixedflows.capstone.spec:load_capstone",
    "datasets/returns/caseloads": "mixedflows.returns.policy:load_caseload",
}
"""Folder (every ``*.yaml`` in it) or single file, relative to the course, and its loader."""


@dataclass(frozen=True)
class Problem:
    """One course file that does not load."""

    path: str
    """The file, relative to the course folder when inside it."""
    message: str
    """What is wrong, naming the field."""

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


def loader(name: str) -> Callable[..., Any]:
    module, func = LOADERS[name].split(":")
    return getattr(importlib.import_module(module), func)


def files(root: Path | None = None) -> list[tuple[str, Path]]:
    """Every course file with the name of its folder in :data:`LOADERS`."""
    root = root or home()
    out: list[tuple[str, Path]] = []
    for where in LOADERS:
        p = root / where
        out += [(where, f) for f in sorted(p.glob("*.yaml"))] if p.is_dir() else [(where, p)]
    return out


def relative(path: Path | str, root: Path | None = None) -> str:
    """``path`` relative to the course folder (as an author names it), else as given."""
    p = Path(path)
    try:
        return str(p.resolve().relative_to((root or home()).resolve()))
    except (ValueError, OSError):
        return str(p)


def check(root: Path | None = None) -> list[Problem]:
    """Load every course file; the problems found (empty: every file loads)."""
    problems = []
    for where, path in files(root):
        try:
            loader(where)(path)
        except DataFileError as e:
            where_in = f"field '{e.field}': " if e.field else ""
            problems.append(Problem(relative(e.path, root), f"{where_in}{e.detail}"))
        except Exception as e:  # a loader's own bug still stops the session, said plainly
            problems.append(Problem(relative(path, root), f"{type(e).__name__}: {e}"))
    return problems
