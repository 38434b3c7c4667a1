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
    ),
    "casework.file": ModelKind(
        "mixedflows.casework.grader:grade_casework",
        "mixedflows.casework.grader:CaseworkParams",
        parts="mixedflows.casework.grader:casework_parts",
    ),
    "cooperation.mapping": ModelKind(
        "mixedflows.cooperation.grader:grade_mapping",
        "mixedflows.cooperation.grader:MappingParams",
    ),
    "cooperation.room": ModelKind(
        "mixedflows.cooperation.grader:grade_room", "mixedflows.cooperation.grader:RoomParams"
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


def parts_counter(model: str) -> Callable[[Any], int] | None:
    """How to count the parts of an exercise of ``model`` (None: answered whole)."""
    ref = _kind(model).parts
    return resolve(ref) if ref else None


def grader(model: str) -> Callable[[ModelExercise, Any], GradeResult]:
    """The function that grades an answer to an exercise of ``model``."""
    return resolve(_kind(model).grader)
