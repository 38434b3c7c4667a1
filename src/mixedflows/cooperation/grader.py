"""The graders module 10's exercise files name (:data:`mixedflows.registry.MODELS`)."""

from __future__ import annotations

from typing import Annotated, Any

from mixedflows.cooperation.engine import grade_role
from mixedflows.cooperation.mandates import MappingParams, grade_mapping
from mixedflows.cooperation.room import load_room
from mixedflows.errors import Strict, loadable
from mixedflows.results import AnswerError, GradeResult

__all__ = ["MappingParams", "RoomParams", "grade_mapping", "grade_room"]


class RoomParams(Strict):
    room: Annotated[str, loadable(load_room, "room scenario")]
    """The scenario, by id in ``datasets/cooperation/rooms/``."""


def grade_room(exercise: Any, answer: Any) -> GradeResult:
    """One role's decisions in the room: ``{"role": id, "decisions": {decision: option}}``;
    graded by :func:`mixedflows.cooperation.engine.grade_role`. The role is the one the store
    gave the participant (the app never takes it from the page)."""
    if not isinstance(answer, dict) or "role" not in answer:
        raise AnswerError("the answer must name the role and its decisions")
    room = load_room(exercise.params.room)
    return grade_role(room, str(answer["role"]), answer.get("decisions"), exercise.id)
