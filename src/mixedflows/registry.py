"""The model graders, listed here and nowhere else.

An exercise of type ``model_design`` names its model (``model: reception.staffing``); this table
says which function grades it and which pydantic model its ``params`` must fit. Nothing
registers itself when imported: the table is the registry, read by :mod:`mixedflows.exercises`
(to validate ``params`` when the exercise file is loaded) and by :func:`mixedflows.grading.grade`
(to grade). A grader's module is imported the first time one of its exercises is loaded or
graded, so ``import mixedflows.grading`` stays light.

Entries are ``"package.module:name"`` strings. ``tests/test_architecture.py`` imports every one
(each must exist, the grader be callable, the params a pydantic model) and counts these
references as imports in its cycle check, so a grader that imported :mod:`mixedflows.grading`
back would be caught.

To add a model: write its params model (derive from :class:`mixedflows.errors.Strict`; check
what must exist, such as a case id, in validators) and its grader ``grade(exercise, answer) ->
GradeResult`` (importing :mod:`mixedflows.results`, never :mod:`mixedflows.grading`), then add
one line below.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pydantic import BaseModel

    from mixedflows.exercises import ModelExercise
    from mixedflows.results import GradeResult


@dataclass(frozen=True)
class ModelKind:
    grader: str
    """``module:function`` taking ``(exercise, answer)`` and returning a GradeResult."""
    params: str
    """``module:Model``: the pydantic model the exercise's ``params`` must fit."""
    parts: str = ""
    """``module:function`` taking the exercise and returning how many parts it is answered
    in, one per attempt (the desk's case files); '' when each attempt answers it whole. The
    grade then counts each part once (:mod:`mixedflows.gradebook`)."""
    part_name: str = "part"
    """What the learner calls one part (the instructions' sentence on which attempt counts)."""


MODELS: dict[str, ModelKind] = {
    "capstone.season": ModelKind(
        "mixedflows.capstone.grader:grade_capstone", "mixedflows.capstone.grader:CapstoneParams"
    ),
    "cases.indicators": ModelKind(
        "mixedflows.cases.graders:grade_indicators", "mixedflows.cases.graders:IndicatorParams"
    ),
    "cases.family_referrals": ModelKind(
        "mixedflows.cases.graders:grade_family", "mixedflows.cases.graders:FamilyParams"
    ),
    "cases.constraints": ModelKind(
        "mixedflows.cases.graders:grade_constraints", "mixedflows.cases.graders:ConstraintParams"
    ),
    "cases.desk": ModelKind(
        "mixedflows.cases.graders:grade_desk_exercise",
        "mixedflows.cases.graders:DeskParams",
        parts="mixedflows.cases.graders:desk_parts",
        part_name="file",
    ),
    "casework.file": ModelKind(
        "mixedflows.casework.grader:grade_casework",
        "mixedflows.casework.grader:CaseworkParams",
        parts="mixedflows.casework.grader:casework_parts",
        part_name="file",
    ),
    "cooperation.mapping": ModelKind(
        "mixedflows.cooperation.grader:grade_mapping",
        "mixedflows.cooperation.grader:MappingParams",
    ),
    "cooperation.room": ModelKind(
        "mixedflows.cooperation.grader:grade_room", "mixedflows.cooperation.grader:RoomParams"
    ),
    "definitions.terms": ModelKind(
        "mixedflows.definitions:grade_definitions", "mixedflows.definitions:DefinitionsParams"
    ),
    "departure.campaign": ModelKind(
        "mixedflows.departure.campaign:grade_campaign",
        "mixedflows.departure.campaign:CampaignParams",
    ),
    "departure.development": ModelKind(
        "mixedflows.departure.development:grade_development",
        "mixedflows.departure.development:DevelopmentParams",
    ),
    "flows.data_reading": ModelKind(
        "mixedflows.flows.grader:grade_data_reading", "mixedflows.flows.grader:DataReadingParams"
    ),
    "journey.stages": ModelKind(
        "mixedflows.journey:grade_journey", "mixedflows.journey:JourneyParams"
    ),
    "postarrival.message": ModelKind(
        "mixedflows.postarrival.framing:grade_message",
        "mixedflows.postarrival.framing:MessageParams",
    ),
    "reception.staffing": ModelKind(
        "mixedflows.reception.grader:grade_staffing", "mixedflows.reception.grader:StaffingParams"
    ),
    "regularization.programme": ModelKind(
        "mixedflows.regularization.grader:grade_design",
        "mixedflows.regularization.grader:DesignParams",
    ),
    "regularization.predict": ModelKind(
        "mixedflows.regularization.grader:grade_predict",
        "mixedflows.regularization.grader:PredictParams",
    ),
    "returns.desk": ModelKind(
        "mixedflows.returns.grader:grade_desk", "mixedflows.returns.grader:DeskParams"
    ),
    "returns.reintegration": ModelKind(
        "mixedflows.returns.grader:grade_reintegration",
        "mixedflows.returns.grader:ReintegrationParams",
    ),
    "rescue.decision": ModelKind(
        "mixedflows.rescue.grader:grade_decision_exercise", "mixedflows.rescue.grader:RescueParams"
    ),
    "rescue.holding": ModelKind(
        "mixedflows.rescue.grader:grade_holding_exercise", "mixedflows.rescue.grader:RescueParams"
    ),
}


class UnknownModelError(KeyError):
    def __str__(self) -> str:
        return str(self.args[0])


def _kind(model: str) -> ModelKind:
    try:
        return MODELS[model]
    except KeyError:
        raise UnknownModelError(
            f"no model grader named '{model}'; known: {', '.join(sorted(MODELS))}"
        ) from None


@cache
def resolve(ref: str) -> Any:
    """The object a ``module:name`` entry names."""
    module, _, name = ref.partition(":")
    return getattr(import_module(module), name)


def params_model(model: str) -> type[BaseModel]:
    """The pydantic model of ``params`` for exercises of ``model``."""
    return resolve(_kind(model).params)


def parts_of_model(model: str) -> Callable[[Any], list[str]] | None:
    """The parts of an exercise of ``model``, by id (None: answered whole)."""
    ref = _kind(model).parts
    return resolve(ref) if ref else None


def part_name(model: str) -> str:
    """What one part of an exercise of ``model`` is called ('' when it is answered whole)."""
    kind = _kind(model)
    return kind.part_name if kind.parts else ""


def grader(model: str) -> Callable[[ModelExercise, Any], GradeResult]:
    """The function that grades an answer to an exercise of ``model``."""
    return resolve(_kind(model).grader)


# --- The course: its modules, and the only way a text refers to one --------------------------
#
# A module's notebook is ``modules/NN_*.ipynb`` (NN its number, two digits); when several share
# a number, the first by name is the module and the others are companions (08_validation). A
# reference to a module is made by :func:`module_ref` or :func:`next_steps`, which link to the
# notebook when it exists and otherwise say the module is not written yet: a text cannot point
# at a module that is not there (tests/test_course_registry.py reads every notebook's prose for
# hand-written references).


# The table of modules lives in :mod:`mixedflows.course` (imported by data-file formats, which
# must not import this registry: its graders import them); it is the course registry's.
from mixedflows.course import COURSE, PlannedModule  # noqa: E402


def _modules_dir() -> Any:
    from mixedflows.paths import home

    return home() / "modules"


def planned(number: int) -> PlannedModule:
    for m in COURSE:
        if m.number == number:
            return m
    raise KeyError(f"the course has no module {number}; planned: 1 to {len(COURSE)}")


def module_notebook(number: int) -> Any:
    """The module's notebook (a Path), or None while it is not written."""
    planned(number)
    found = sorted(_modules_dir().glob(f"{number:02d}_*.ipynb"))
    return found[0] if found else None


def written_modules() -> list[int]:
    """The numbers of the modules whose notebook exists."""
    return [m.number for m in COURSE if module_notebook(m.number) is not None]


def module_title(number: int) -> str:
    """The module's title, read from its notebook's first heading ("Stranded migrants"); for a
    module not written yet, its planned topic."""
    import json

    nb = module_notebook(number)
    if nb is None:
        return planned(number).topic
    for cell in json.loads(nb.read_text(encoding="utf-8")).get("cells", []):
        for line in "".join(cell.get("source", "")).splitlines():
            if line.startswith("# "):
                return line[2:].split("—", 1)[-1].strip()
    return planned(number).topic


def module_ref(number: int) -> str:
    """A reference to a module, in Markdown, from a notebook in modules/: a link when it is
    written ("[Module 6](06_stranded_migrants.ipynb)"), else what it will be about, said to be
    not written yet."""
    nb = module_notebook(number)
    if nb is None:
        m = planned(number)
        return f"the module on {m.topic} ({m.paragraphs}; not written yet)"
    return f"[Module {number}]({nb.name})"


def next_steps(*steps: tuple[int, str], label: str = "Next") -> Any:
    """A debrief's pointers to other modules: each ``(number, what it does)`` becomes "[Module
    N](…) what it does" while the module is written, and is listed as not written yet otherwise
    (with its topic and paragraphs, never a link to nothing)."""
    written = [f"{module_ref(n)} {what}" for n, what in steps if module_notebook(n) is not None]
    missing = [module_ref(n) for n, _ in steps if module_notebook(n) is None]
    text = f"*{label}:* " + "; ".join(written) + "." if written else ""
    if missing:
        later = " Later in the course: " + "; ".join(missing) + "."
        text = (text + later).strip()
    from mixedflows.text import Markdown

    return Markdown(text)
