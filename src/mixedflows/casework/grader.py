"""Modules 6 and 7 graded by the rules: one case file at a time (the screening desk's pattern),
grader ``casework.file``. The answer names the file and the actions chosen; the credit is the
share of right choices among all the actions called for or chosen (an action the frameworks
hold open to everyone, ``allowed``, is no error when chosen), and each action called for, ruled
out, chosen needlessly or chosen where it is open to all is explained with its framework."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

from pydantic import Field, field_validator

from mixedflows.casework import actions
from mixedflows.casework.case import CaseFile, Chances, load_casework, queue
from mixedflows.errors import Strict, loadable
from mixedflows.results import AnswerError, Feedback, GradeResult, expect_exercise

if TYPE_CHECKING:
    from mixedflows.exercises import ModelExercise


def _load_scenario(scenario_id: str) -> object:
    from mixedflows.scenarios import load_scenario

    return load_scenario(scenario_id)


class CaseworkParams(Strict):
    """``params`` of a "casework.file" exercise."""

    casework: tuple[Annotated[str, loadable(load_casework, "casework file")], ...] = ()
    """Worked casework files (datasets/casework/)."""
    scenario: Annotated[str, loadable(_load_scenario, "scenario")] | None = None
    seed: int = 0
    generated: Annotated[int, Field(ge=0, le=50)] = 0
    premise: dict[str, Any] = Field(default_factory=dict)
    """Facts every generated person shares (the exercise's situation)."""
    chances: Chances = Chances()
    actions: Annotated[tuple[str, ...], Field(min_length=2)]
    """The actions the exercise offers, in the order shown."""

    @field_validator("actions")
    @classmethod
    def _known_actions(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        bad = [a for a in v if a not in actions.ACTIONS]
        if bad:
            raise ValueError(f"not an action: {', '.join(bad)}")
        return v

    @field_validator("premise")
    @classmethod
    def _known_facts(cls, v: dict[str, Any]) -> dict[str, Any]:
        from mixedflows.profiles import Person

        unknown = set(v) - set(Person.model_fields)
        if unknown:
            raise ValueError(f"not a fact of a person: {', '.join(sorted(unknown))}")
        return v


def check_params(exercise: ModelExercise) -> CaseworkParams:
    """A casework exercise's params (validated when the exercise file was loaded)."""
    return expect_exercise(exercise, model="casework.file", who="the case work desk").params


def files_of(params: CaseworkParams) -> list[CaseFile]:
    """An exercise's files (its generated files kept as a memo: the same for its parameters)."""
    return queue(
        params.casework,
        params.scenario,
        params.seed,
        params.generated,
        params.premise,
        params.chances,
        keep=True,
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
    # an action the frameworks hold open to everyone (health care while status is pending,
    # MC/INF/294 ¶21) is neither owed nor a mistake: it does not count against the credit
    allowed = {v.action for v in vs if v.call == "allowed"}
    union = need | (set(got) - allowed)
    credit = len(need & set(got)) / len(union) if union else 1.0
    items = []
    for v in vs:
        picked = v.action in got
        if v.call == "required":
            head = "Right" if picked else "Missed"
            items.append(Feedback(v.label, float(picked), f"{head}: {v.why}", v.citation.text()))
        elif v.call == "allowed":
            if picked:
                msg = f"Not required: {v.why}"
                items.append(Feedback(v.label, 1.0, msg, v.citation.text()))
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
        part=file.person.person_id,
    )


def casework_parts(exercise: ModelExercise) -> list[str]:
    """The exercise's parts: its case files, by person id (the grade counts each once,
    mixedflows.gradebook)."""
    return [f.person.person_id for f in files_of(check_params(exercise))]


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
