"""Every course file the apps load, checked in one go; and the parts of a course file that
more than one format shares, validated in one place with one set of messages.

``./mfl facilitate`` runs :func:`check` before it prints the links, so a malformed exercise or
scenario is found by the facilitator at the keyboard, not by a participant on a page (issue 11,
point 7). Each folder of data files is listed once here with the loader that reads it; the
loaders are the ones the apps call, so a file that passes here loads in the apps.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Self

from pydantic import Field, field_validator, model_validator

from mixedflows.errors import DataFileError, Strict
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


# --- Shared parts of course files -----------------------------------------------------------------


def unknown_measure(measure: str, known: Collection[str]) -> str | None:
    """The message for a measure that is not among ``known`` (None if it is)."""
    if measure in known:
        return None
    return f"unknown measure '{measure}'; known: {', '.join(sorted(known))}"


def check_weights(weights: Iterable[float], tolerance: float = 1e-6) -> None:
    """Objective weights must sum to 1 (within ``tolerance``): a ``ValueError`` otherwise."""
    total = sum(weights)
    if abs(total - 1) > tolerance:
        raise ValueError(f"objective weights must sum to 1, they sum to {total:g}")


class Objective(Strict):
    """One objective of a design exercise (module 8's programme, the capstone's policy stage):
    a measure of the model's outcome at least or at most a target, with its weight in the
    grade. A format that knows its measures when the file is loaded says so in
    :meth:`known_measures`; an unknown one is then an error naming the field."""

    id: Annotated[str, Field(pattern=r"^[a-z0-9_]+$")]
    label: str
    measure: str
    at_least: float | None = None
    at_most: float | None = None
    weight: Annotated[float, Field(gt=0, le=1)]

    @classmethod
    def known_measures(cls) -> Collection[str] | None:
        """The measures an objective of this format may name (None: checked later)."""
        return None

    @field_validator("measure")
    @classmethod
    def _known(cls, measure: str) -> str:
        known = cls.known_measures()
        problem = None if known is None else unknown_measure(measure, known)
        if problem:
            raise ValueError(problem)
        return measure

    @model_validator(mode="after")
    def _one_bound(self) -> Self:
        if (self.at_least is None) == (self.at_most is None):
            raise ValueError("give exactly one of at_least and at_most")
        return self

    def met(self, value: float) -> bool:
        if self.at_least is not None:
            return value >= self.at_least - 1e-9
        return value <= self.at_most + 1e-9  # type: ignore[operator]

    @property
    def target(self) -> float:
        return self.at_least if self.at_least is not None else self.at_most  # type: ignore[return-value]
