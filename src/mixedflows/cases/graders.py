"""The module 5 exercises graded by the engine (model graders listed in :mod:`mixedflows.registry`):
``cases.indicators`` (mark the indicators in a testimony), ``cases.family_referrals`` (referrals
for each member of a family), ``cases.desk`` (one file of the screening desk) and
``cases.constraints`` (the steps for one person, graded on the hard constraints only)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

from pydantic import Field

from mixedflows import trafficking
from mixedflows.cases.desk import (
    _coerce_ids,
    _coerce_needs,
    desk_queue,
    grade_desk,
    indicator_feedback,
    order_message,
    referral_feedback,
)
from mixedflows.cases.worked import load_case
from mixedflows.errors import Strict, loadable
from mixedflows.profiles import Person
from mixedflows.results import AnswerError, Feedback, GradeResult
from mixedflows.screening import screen

if TYPE_CHECKING:
    from mixedflows.exercises import ModelExercise


CaseId = Annotated[str, loadable(load_case, "case")]
"""The id of a worked case in datasets/cases/ (checked when the exercise is loaded)."""


class IndicatorParams(Strict):
    """``params`` of a "cases.indicators" exercise."""

    case: CaseId
    person: str = ""
    """The person whose testimony is read (default: the first with indicators)."""
    distractors: Annotated[int, Field(ge=0, le=20)] = 6


class FamilyParams(Strict):
    """``params`` of a "cases.family_referrals" exercise."""

    case: CaseId


class ConstraintParams(Strict):
    """``params`` of a "cases.constraints" exercise."""

    case: CaseId
    person: str = ""
    """The person whose steps are ordered (default: the case's first person)."""


class DeskParams(Strict):
    """``params`` of a "cases.desk" exercise."""

    cases: tuple[CaseId, ...] = ()
    scenario: str | None = None
    seed: int = 0
    generated: Annotated[int, Field(ge=0, le=50)] = 0


def testimony_person(params: IndicatorParams) -> Person:
    case = load_case(params.case)
    if params.person:
        return case.person(params.person)
    for p in case.persons:
        if p.trafficking_indicators:
            return p
    return case.persons[0]


def indicator_choices(p: Person, distractors: int = 6) -> list[str]:
    """The indicators offered in the testimony exercise: those of the story, plus distractors
    chosen by rule (the same words in another dimension first, then neighbours in the list),
    in the order of the list the story is read against (the ILO/EC labour list, or the
    Palermo-read observations for a story of sexual exploitation)."""
    table = trafficking.observations()
    palermo = any(not table[i].ilo for i in p.trafficking_indicators)
    ids = [i for i in table if (not table[i].ilo) == palermo]
    ref = set(p.trafficking_indicators)
    extra: list[str] = []
    for i in p.trafficking_indicators:
        for j in ids:
            if j not in ref and j not in extra and table[j].text == table[i].text:
                extra.append(j)
    k = 0
    while len(extra) < distractors and k < len(ids):
        for i in p.trafficking_indicators:
            pos = ids.index(i) + k + 1
            if pos < len(ids) and ids[pos] not in ref and ids[pos] not in extra:
                extra.append(ids[pos])
        k += 1
    chosen = ref | set(extra[:distractors])
    return [i for i in ids if i in chosen]


def grade_indicators(exercise: ModelExercise, answer: Any) -> GradeResult:
    """Mark the ILO/EC indicators in a testimony; see which dimensions they make positive."""
    params = exercise.params
    p = testimony_person(params)
    marked = _coerce_ids(
        answer.get("indicators") if isinstance(answer, dict) else answer, "indicators"
    )
    offered = set(indicator_choices(p, params.distractors))
    off = [i for i in marked if i not in offered]
    if off:
        raise AnswerError(f"not offered in this exercise: {', '.join(off)}")
    credit, items = indicator_feedback(p, marked)
    mine = trafficking.assess(marked, child=p.treated_as_child)
    return GradeResult(
        exercise.id,
        round(credit, 4),
        tuple(items),
        f"{len(set(marked) & set(p.trafficking_indicators))} of "
        f"{len(p.trafficking_indicators)} indicators found.",
        {
            "positive_dimensions": list(mine.positive_dimensions),
            "indication": mine.referral,
            "missing_elements": list(mine.missing),
            "caveat": trafficking.CAVEAT,
        },
    )


def grade_family(exercise: ModelExercise, answer: Any) -> GradeResult:
    """Choose the referrals, in order, for each member of a family (partial credit per member:
    70% the right referrals, 30% the hard constraints on their order)."""
    params = exercise.params
    case = load_case(params.case)
    if not isinstance(answer, dict):
        raise AnswerError(
            f"the answer must map each family member to their referrals, got {type(answer).__name__}"
        )
    ids = {cp.id for cp in case.spec.persons}
    bad = set(answer) - ids
    if bad:
        raise AnswerError(f"not a member of this family: {', '.join(sorted(map(str, bad)))}")
    items = []
    total = 0.0
    for cp, p in zip(case.spec.persons, case.persons, strict=True):
        chosen = _coerce_needs(answer.get(cp.id, []), cp.id)
        s = screen(p)
        set_c, order_c, sub = referral_feedback(s, chosen)
        credit = 0.7 * set_c + 0.3 * order_c
        total += credit
        lines = " ".join(f"{f.item}: {f.message}" for f in sub)
        cites = " | ".join(dict.fromkeys(f.citation for f in sub))
        items.append(
            Feedback(
                f"{cp.id} ({p.name})",
                round(credit, 4),
                f"{order_message(s, chosen, broken_below=True)} {lines}",
                cites,
            )
        )
    score = total / len(items)
    full = sum(f.correct for f in items)
    return GradeResult(
        exercise.id, round(score, 4), tuple(items), f"{full} of {len(items)} members fully right."
    )


def grade_desk_exercise(exercise: ModelExercise, answer: Any) -> GradeResult:
    """The screening desk: ``answer`` names the case file (``person_id``) and the learner's work."""
    params = exercise.params
    if not isinstance(answer, dict) or "person_id" not in answer:
        raise AnswerError("the answer must name the case file: {'person_id': ..., ...}")
    queue = desk_queue(params.cases, params.scenario, params.seed, params.generated)
    for cf in queue:
        if cf.person.person_id == answer["person_id"]:
            return grade_desk(cf.person, answer, exercise.id)
    raise AnswerError(f"'{answer['person_id']}' is not a case file of this desk")


def desk_parts(exercise: ModelExercise) -> list[str]:
    """The desk's parts: the case files of its queue, by person id (the grade counts each
    once; a file of "More arrivals" is not one of them)."""
    p: DeskParams = exercise.params
    return [cf.person.person_id for cf in desk_queue(p.cases, p.scenario, p.seed, p.generated)]


def constraint_person(params: ConstraintParams) -> Person:
    case = load_case(params.case)
    return case.person(params.person) if params.person else case.persons[0]


def constraint_steps(p: Person) -> list[str]:
    """The steps offered for a person: the referrals they need, the two interview steps, and
    the contact with the country of origin (a step that may have to be left out), in a fixed
    order that gives nothing away (alphabetical by label)."""
    from mixedflows import constraints as cons

    steps = [n.value for n in screen(p).needs] + [cons.PRIVATE, cons.INTERVIEW, cons.ORIGIN]
    return sorted(steps, key=cons.step_label)


def grade_constraints(exercise: ModelExercise, answer: Any) -> GradeResult:
    """Order the steps for one person; leave out any step that must not be taken. Graded on
    the hard constraints only (:mod:`mixedflows.constraints`): any order that respects them all
    scores 100 %."""
    from mixedflows import constraints as cons

    params = exercise.params
    p = constraint_person(params)
    steps = answer.get("steps") if isinstance(answer, dict) else answer
    if isinstance(steps, str) or not isinstance(steps, list | tuple):
        raise AnswerError(f"give the steps as a list in your order, got {type(steps).__name__}")
    offered = constraint_steps(p)
    bad = [x for x in steps if x not in offered]
    if bad:
        raise AnswerError(f"not a step of this exercise: {', '.join(map(str, bad))}")
    if len(set(steps)) != len(steps):
        raise AnswerError("a step is placed twice: give each step one place")
    if cons.INTERVIEW not in steps:
        raise AnswerError(f"place the interview ('{cons.step_label(cons.INTERVIEW)}')")
    s = screen(p)
    checks = [c for c in cons.check(cons.constraints_for(s, interview=True), steps)]
    items = [
        Feedback(
            c.constraint.rule.split(":")[0],
            1.0 if c.respected else 0.0,
            c.message,
            c.constraint.citation.text(),
        )
        for c in checks
        if c.applicable
    ]
    score = cons.credit(checks)
    kept = sum(f.correct for f in items)
    return GradeResult(
        exercise.id,
        round(score, 4),
        tuple(items),
        f"{kept} of {len(items)} hard constraints respected. Any order that respects them all "
        "is right: the frameworks set constraints, not a sequence.",
        {"person_id": p.person_id, "steps": list(steps)},
    )
