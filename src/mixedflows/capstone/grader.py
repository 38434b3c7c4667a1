"""The capstone exercise ``capstone.season``, graded by playing the season: each stage's
answer runs through its module's engine with the state the stages before it left (listed in
:mod:`mixedflows.registry`). Nothing here holds an answer."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

from mixedflows.capstone.season import STAGE_TITLES, STAGES, grade_season, play
from mixedflows.capstone.spec import load_capstone
from mixedflows.errors import Strict, loadable
from mixedflows.results import AnswerError, GradeResult

if TYPE_CHECKING:
    from mixedflows.exercises import ModelExercise


def _shallow(scenario_id: str) -> object:
    """The scenario file itself (the files it names are loaded by each stage, and checked
    whole by ``load_capstone`` when the season is played and before a session)."""
    return load_capstone(scenario_id, deep=False)


class CapstoneParams(Strict):
    """``params`` of a "capstone.season" exercise."""

    scenario: Annotated[str, loadable(_shallow, "capstone scenario")]


def grade_capstone(exercise: ModelExercise, answer: Any) -> GradeResult:
    """``answer`` is ``{stage: stage answer}`` for the five stages, in any order; every stage
    must be answered (a stage's situation depends on the answers before it)."""
    if not isinstance(answer, dict):
        raise AnswerError(
            "the answer is {stage: answer} for the stages "
            + ", ".join(STAGES)
            + f", got {type(answer).__name__}"
        )
    missing = [STAGE_TITLES[s] for s in STAGES if s not in answer]
    if missing:
        raise AnswerError("stages not answered yet: " + "; ".join(missing))
    season = play(exercise.params.scenario, answer)
    return grade_season(season, exercise.id)
