"""Modules 6 and 7 graded by the rules: one case file at a time (the screening desk's pattern),
grader ``casework.file``. The answer names the file and the actions chosen; the credit is the
share of right choices among all the actions called for or chosen, and each action called for,
ruled out or chosen needlessly is explained with its framework."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field, ValidationError

from mixedflows.casework import actions
from mixedflows.casework.case import CaseFile, Chances, load_casework, queue
from mixedflows.errors import DataFileError, Strict, from_validation
from mixedflows.exercises import ModelExercise
from mixedflows.grading import AnswerError, Feedback, GradeResult, model_grader


class CaseworkParams(Strict):
    casework: tuple[str, ...] = ()
    """Worked casework files (datasets/casework/)."""
    scenario: str | None = None
    seed: int = 0
    generated: Annotated[int, Field(ge=0, le=50)] = 0
    premise: dict[str, Any] = Field(default_factory=dict)
    """Facts every generated person shares (the exercise's situation)."""
    chances: Chances = Chances()
    actions: Annotated[tuple[str, ...], Field(min_length=2)]
    """The actions the exercise offers, in the order shown."""


def check_params(exercise: ModelExercise) -> CaseworkParams:
    """Validate a casework exercise's params (errors name the file and the field)."""
    from mixedflows.profiles import Person

    path = f"exercises/{exercise.id}.yaml"
    try:
        params = CaseworkParams.model_validate(exercise.params)
    except ValidationError as e:
        err = from_validation(path, e)
        raise DataFileError(path, f"params.{err.field}", err.detail) from None
    bad = [a for a in params.actions if a not in actions.ACTIONS]
    if bad:
        raise DataFileError(path, "params.actions", f"not an action: {', '.join(bad)}")
    unknown = set(params.premise) - set(Person.model_fields)
    if unknown:
        raise DataFileError(path, "params.premise", f"not a fact: {', '.join(sorted(unknown))}")
    for cid in params.casework:
        try:
            load_casework(cid)
        except DataFileError as e:
            raise DataFileError(path, "params.casework", f"cannot load '{cid}': {e}") from None
    if params.scenario:
        from mixedflows.scenarios import check_scenario_ref

        check_scenario_ref(path, params.scenario)
    return params


def files_of(params: CaseworkParams) -> list[CaseFile]:
    return queue(
        params.casework,
        params.scenario,
        params.seed,
        params.generated,
        params.premise,
        params.chances,
    )


def grade_file(
    file: CaseFile, chosen: Any, offered: tuple[str, ...], exercise_id: str
) -> GradeResult:
    """Grade the actions chosen for one case file."""
    if isinstance(chosen, str) or not isinstance(chosen, list | tuple | set | frozenset):
        raise AnswerError(f"actions: give a list of action ids, got {type(chosen).__name__}")
    bad = [str(a) for a in chosen if a not in offered]
    if bad:
        raise AnswerError(f"actions: not offered here: {', '.join(bad)}")
    got = list(dict.fromkeys(chosen))
    vs = actions.verdicts(file, offered)
    need = {v.action for v in vs if v.call == "required"}
    union = need | set(got)
    credit = len(need & set(got)) / len(union) if union else 1.0
    items = []
    for v in vs:
        picked = v.action in got
        if v.call == "required":
            head = "Right" if picked else "Missed"
            items.append(Feedback(v.label, float(picked), f"{head}: {v.why}", v.citation.text()))
        elif picked:
            head = "Never here" if v.call == "forbidden" else "Not called for"
            items.append(Feedback(v.label, 0.0, f"{head}: {v.why}", v.citation.text()))
    ruled_out = [v for v in vs if v.call == "forbidden" and v.action not in got]
    summary = f"{len(need & set(got))} of {len(need)} actions called for chosen."
    if ruled_out:
        summary += " Rightly not chosen: " + "; ".join(v.label.lower() for v in ruled_out) + "."
    return GradeResult(
        exercise_id,
        round(credit, 4),
        tuple(items),
        summary,
        {"person_id": file.person.person_id, "reference": sorted(need)},
    )


@model_grader("casework.file")
def grade_casework(exercise: ModelExercise, answer: Any) -> GradeResult:
    """``answer`` is ``{"person_id": ..., "actions": [...]}``: one case file of the queue."""
    params = check_params(exercise)
    if not isinstance(answer, dict) or "person_id" not in answer:
        raise AnswerError(
            "the answer must name the case file: {'person_id': ..., 'actions': [...]}"
        )
    unknown = set(answer) - {"person_id", "actions"}
    if unknown:
        raise AnswerError(f"unknown key(s): {', '.join(sorted(map(str, unknown)))}")
    for f in files_of(params):
        if f.person.person_id == answer["person_id"]:
            return grade_file(f, answer.get("actions", []), params.actions, exercise.id)
    raise AnswerError(f"'{answer['person_id']}' is not a case file of this exercise")
