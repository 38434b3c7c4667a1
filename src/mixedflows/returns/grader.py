"""Module 9 graders, listed in :mod:`mixedflows.registry`:

- ``returns.desk``: a decision and its measures for each returnee of a caseload, graded by the
  rules of :mod:`.policy` (one item for each decision; one for each measure taken or missed,
  with its framework); :func:`desk_feedback` is what the learner is shown before the last
  attempt (what was answered, explained; what was missed, counted);
- ``returns.reintegration``: a budget split across reintegration measures, graded by running
  the model of :mod:`.reintegration` on it, partial credit per objective met; the feedback's
  figures are the model's.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import Field, model_validator

from mixedflows.citations import Citation, para
from mixedflows.coursefiles import check_weights
from mixedflows.errors import Strict, loadable
from mixedflows.results import AnswerError, Feedback, GradeResult, expect_exercise
from mixedflows.returns import policy, reintegration
from mixedflows.returns.reintegration import DIMENSIONS, MEASURES, Profile

if TYPE_CHECKING:
    from mixedflows.exercises import ModelExercise

# --- The return desk (¶24) -----------------------------------------------------------------------


class DeskParams(Strict):
    """``params`` of a "returns.desk" exercise."""

    caseload: Annotated[str, loadable(policy.load_caseload, "caseload")]
    decision_weight: Annotated[float, Field(gt=0, lt=1)] = 0.5
    """A returnee's credit: this weight on the decision, the rest on the measures."""


def desk_of(exercise: ModelExercise) -> tuple[DeskParams, policy.Caseload]:
    params = expect_exercise(exercise, model="returns.desk", who="the return desk").params
    return params, policy.load_caseload(params.caseload)


def _measures_credit(ruling: policy.Ruling, chosen: list[str]) -> float:
    need = set(ruling.required)
    wrong = {m for m in chosen if ruling.measure(m).call in ("forbidden", "not_needed")}
    union = need | wrong
    return len(need & set(chosen)) / len(union) if union else 1.0


DESK_RULES = Citation(
    framework="MC/INF/294 ¶24: a return policy that differentiates (a child alone, a trafficked "
    "person, the family situation and integration weighed; forced and voluntary return "
    "distinguished; rights and dignity); the five rules of the return desk (module 9)",
    seed=para(24),
)
"""What a note says it rests on when the rule that decides is not named yet (see
:func:`desk_feedback`)."""


def grade_desk(exercise: ModelExercise, answer: Any) -> GradeResult:
    """``answer`` maps returnee ids to ``{"decision": ..., "measures": [...]}``; a returnee
    left out is unanswered (no credit, not a misconception). Every note is given: the decision
    the rules call for and every measure missed (what the store keeps and the facilitator
    reads; the learner is shown :func:`desk_feedback`)."""
    return _desk(exercise, answer, reveal=True)


def desk_feedback(exercise: ModelExercise, answer: Any, *, reveal: bool) -> tuple[Feedback, ...]:
    """The notes the learner is shown for ``answer``. With ``reveal`` (after the last attempt)
    every note of :func:`grade_desk`. Before it, only what was answered is explained: a
    decision taken (right, or not this one, without naming the one the rules call for), each
    measure ticked (right, no error, or not called for); a measure that must go with the
    decision and was not ticked is counted, not named, and an unanswered returnee gets no
    note on what the rules call for (else one try would give the whole key away)."""
    return _desk(exercise, answer, reveal=reveal).items


def _desk(exercise: ModelExercise, answer: Any, *, reveal: bool) -> GradeResult:
    params, caseload = desk_of(exercise)
    if not isinstance(answer, Mapping):
        raise AnswerError(
            "the answer maps each returnee to {'decision': ..., 'measures': [...]}, "
            f"got {type(answer).__name__}"
        )
    ids = [r.id for r in caseload.returnees]
    unknown = [str(k) for k in answer if k not in ids]
    if unknown:
        raise AnswerError(f"not a returnee of this exercise: {', '.join(unknown)}")
    items: list[Feedback] = []
    credits = []
    right = 0
    answered = 0
    for r in caseload.returnees:
        ruling = policy.decide(r)
        expected = policy.DECISIONS[ruling.decision]
        a = answer.get(r.id)
        if a is None or (
            isinstance(a, Mapping) and not a.get("decision") and not a.get("measures")
        ):
            items.append(
                Feedback(
                    f"{r.name}: decision",
                    0.0,
                    f"Not answered. The rules call for: {expected.lower()}. {ruling.why}"
                    if reveal
                    else "Not answered yet: choose a decision and tick the measures that go "
                    "with it.",
                    ruling.citation.text() if reveal else DESK_RULES.text(),
                    expected=expected if reveal else "",
                    answered=False,
                )
            )
            credits.append(0.0)
            continue
        if not isinstance(a, Mapping) or set(a) - {"decision", "measures"}:
            raise AnswerError(f"{r.id}: give {{'decision': ..., 'measures': [...]}}")
        decision = a.get("decision")
        if decision is not None and decision not in policy.DECISIONS:
            raise AnswerError(f"{r.id}: '{decision}' is not a decision")
        chosen = a.get("measures") or []
        if isinstance(chosen, str) or not isinstance(chosen, list | tuple):
            raise AnswerError(f"{r.id}: measures is a list of measure ids")
        bad = [str(m) for m in chosen if m not in policy.MEASURES]
        if bad:
            raise AnswerError(f"{r.id}: not a measure: {', '.join(bad)}")
        chosen = list(dict.fromkeys(chosen))
        answered += 1
        ok = decision == ruling.decision
        right += ok
        given = policy.DECISIONS.get(decision or "", "no decision")
        head = "Right" if ok else ("No decision" if decision is None else "Not this")
        if ok or reveal:
            note, cite = f"{head}: {ruling.why}", ruling.citation.text()
        else:
            note = (
                f"{head}: the rules call for another decision for {r.name}. Which of the five "
                "rules applies first to the facts in the file? The decision they call for, and "
                "why, is said after your last attempt."
            )
            cite = DESK_RULES.text()
        items.append(
            Feedback(
                f"{r.name}: decision",
                float(ok),
                note,
                cite,
                expected=expected if ok or reveal else "",
                given=given,
            )
        )
        missed = []
        for m in ruling.measures:
            picked = m.id in chosen
            if m.call == "required" and not picked:
                missed.append(m)
                if reveal:
                    items.append(
                        Feedback(
                            f"{r.name}: {m.label}",
                            0.0,
                            f"Missed: {m.why}",
                            m.citation.text(),
                            expected="taken",
                            given="not taken",
                        )
                    )
            elif picked and m.call in ("required", "allowed"):
                head = "Right" if m.call == "required" else "Not required, and no error"
                items.append(
                    Feedback(
                        f"{r.name}: {m.label}",
                        1.0,
                        f"{head}: {m.why}",
                        m.citation.text(),
                        expected="taken" if m.call == "required" else "",
                        given="taken",
                    )
                )
            elif picked:
                head = "Never here" if m.call == "forbidden" else "Not called for"
                items.append(
                    Feedback(
                        f"{r.name}: {m.label}",
                        0.0,
                        f"{head}: {m.why}",
                        m.citation.text(),
                        expected="not taken",
                        given="taken",
                    )
                )
        if missed and not reveal:
            n = len(missed)
            items.append(
                Feedback(
                    f"{r.name}: measures not ticked",
                    0.0,
                    f"{n} measure{'s' if n > 1 else ''} that must go with the decision the "
                    f"rules call for {'are' if n > 1 else 'is'} not ticked: which, and why, is "
                    "said after your last attempt.",
                    DESK_RULES.text(),
                    given="not taken",
                )
            )
        mc = _measures_credit(ruling, chosen)
        credits.append(params.decision_weight * ok + (1 - params.decision_weight) * mc)
    score = sum(credits) / len(credits)
    summary = (
        f"{right} of {len(ids)} decisions as the rules call for"
        + (f" ({len(ids) - answered} not answered)" if answered < len(ids) else "")
        + "; measures: every one called for taken, none that must not be, earns the rest."
    )
    return GradeResult(
        exercise.id,
        round(score, 4),
        tuple(items),
        summary,
        {"reference": {r.id: policy.decide(r).decision for r in caseload.returnees}},
    )


# --- The reintegration programme (¶25) -----------------------------------------------------------


def model_citation() -> Citation:
    """The citation of the model's feedback; how many of its sizes no study backs is counted in
    the model's data file, not said from memory."""
    n, total = reintegration.unsourced_count()
    sizes = f"all {total}" if n == total else f"{n} of the {total}"
    return Citation(
        framework="Reintegration model of module 9 (teaching assumptions, each listed with its "
        "source); IOM Reintegration Handbook (2019): economic, social and psychosocial "
        "dimensions",
        seed=para(25),
        caveat=f"the sizes of {sizes} coefficients of the model are teaching assumptions, "
        "unsourced; IOM's RSS weights and thresholds could not be verified",
    )


class Objective(Strict):
    dimension: str
    at_least: Annotated[float, Field(gt=0, le=1)]
    weight: Annotated[float, Field(gt=0, le=1)]

    @model_validator(mode="after")
    def _known(self) -> Objective:
        if self.dimension not in DIMENSIONS:
            raise ValueError(f"not a dimension: {self.dimension}; known: {', '.join(DIMENSIONS)}")
        return self


class ReintegrationParams(Strict):
    """``params`` of a "returns.reintegration" exercise."""

    returnee: Profile
    budget: Annotated[int, Field(gt=0, le=100_000)]
    step: Annotated[int, Field(gt=0)] = 100
    objectives: Annotated[tuple[Objective, ...], Field(min_length=1)]
    others: tuple[Profile, ...] = ()
    """Other returnees, to compare what the same programme does for them (not graded)."""

    @model_validator(mode="after")
    def _check(self) -> ReintegrationParams:
        check_weights(o.weight for o in self.objectives)
        if self.budget % self.step:
            raise ValueError("the budget must be a whole number of steps")
        return self

    @property
    def targets(self) -> dict[str, float]:
        return {o.dimension: o.at_least for o in self.objectives}

    @property
    def weights(self) -> dict[str, float]:
        return {o.dimension: o.weight for o in self.objectives}


def load_reintegration_params(exercise_id: str) -> ReintegrationParams:
    """The ``params`` of module 9's reintegration exercise ``exercise_id``, read from its file
    and validated as the exercise loader validates them, errors naming the file and field.

    Read here, not through :func:`mixedflows.exercises.load_exercise`: the capstone uses it,
    and the exercise loader looks models up in the registry, which names the capstone's grader
    (an import cycle, checked by tests/test_architecture.py)."""
    from pydantic import ValidationError

    from mixedflows.errors import DataFileError, from_validation, load_yaml
    from mixedflows.paths import exercises_dir

    path = exercises_dir() / f"{exercise_id}.yaml"
    if not path.is_file():
        raise DataFileError(path, "", f"no exercise '{exercise_id}'")
    data = load_yaml(path)
    if data.get("type") != "model_design" or data.get("model") != "returns.reintegration":
        raise DataFileError(
            path,
            "model",
            f"'{exercise_id}' is not a reintegration exercise (model returns.reintegration)",
        )
    try:
        return ReintegrationParams.model_validate(data.get("params") or {})
    except ValidationError as e:
        err = from_validation(path, e)
        raise DataFileError(path, f"params.{err.field}", err.detail) from None


def reintegration_params(exercise: ModelExercise) -> ReintegrationParams:
    return expect_exercise(
        exercise, model="returns.reintegration", who="the reintegration programme"
    ).params


def programme_of(answer: Any, budget: int) -> dict[str, float]:
    """The learner's programme, checked: EUR per measure, none negative, within the budget."""
    if not isinstance(answer, Mapping):
        raise AnswerError(f"a programme maps measures to euros, got {type(answer).__name__}")
    unknown = [str(k) for k in answer if k not in MEASURES]
    if unknown:
        raise AnswerError(f"not a measure: {', '.join(unknown)}; known: {', '.join(MEASURES)}")
    prog: dict[str, float] = {}
    for k, v in answer.items():
        if isinstance(v, bool) or not isinstance(v, int | float) or not math.isfinite(v):
            raise AnswerError(f"{k}: give an amount in euros, got {v!r}")
        if v < 0:
            raise AnswerError(f"{k}: an amount cannot be negative ({v:g})")
        prog[k] = float(v)
    spent = sum(prog.values())
    if spent > budget + 1e-6:
        raise AnswerError(
            f"your programme spends EUR {spent:,.0f}, over the budget of EUR {budget:,}: "
            "take something off before submitting"
        )
    return prog


def fmt(score: float) -> str:
    """A model score as the learner reads it."""
    return f"{score:.2f}"


def grade_reintegration(exercise: ModelExercise, answer: Any) -> GradeResult:
    """Partial credit: the weight of each objective the model says the programme meets."""
    params = reintegration_params(exercise)
    prog = programme_of(answer, params.budget)
    p = params.returnee
    out = reintegration.run(p, prog)
    scores = out.scores
    items = []
    met_weight = 0.0
    cite = model_citation().text()
    for o in params.objectives:
        v = scores[o.dimension]
        label = DIMENSIONS[o.dimension]
        if v >= o.at_least - 1e-9:
            met_weight += o.weight
            msg = f"Met: {label.lower()} {fmt(v)} in the model (at least {fmt(o.at_least)})."
        else:
            msg = (
                f"Not met: {label.lower()} {fmt(v)} in the model, at least {fmt(o.at_least)} "
                f"was asked (short by {fmt(o.at_least - v)}). "
                + _what_would_raise(p, prog, params, o.dimension)
            )
        items.append(
            Feedback(
                label,
                1.0 if v >= o.at_least - 1e-9 else 0.0,
                msg,
                cite,
                expected=f"at least {fmt(o.at_least)}",
                given=fmt(v),
            )
        )
    n_met = sum(f.correct for f in items)
    spent = out.spent
    summary = (
        f"{n_met} of {len(items)} objectives met; EUR {spent:,.0f} of {params.budget:,} spent. "
        "Scores: " + ", ".join(f"{DIMENSIONS[d].lower()} {fmt(s)}" for d, s in scores.items()) + "."
    )
    return GradeResult(
        exercise.id,
        round(met_weight, 4),
        tuple(items),
        summary,
        {"scores": scores, "programme": prog},
    )


SHOWN_GAIN = 0.0005
"""The smallest gain a hint shows: it reads +0.001 (a smaller one would read +0.000)."""


def _what_would_raise(
    p: Profile, prog: dict[str, float], params: ReintegrationParams, dimension: str
) -> str:
    """Which measure the next EUR would raise ``dimension`` most through, from the model, within
    the budget left. If the next step raises it on no measure (a measure spends its set-up cost
    before it helps), how much more would; with nothing left to spend (or nothing left that
    helps), which move of money from one measure to another would; never a hint of +0.000, and
    never a hint to spend money that is not there."""
    step = params.step
    left = params.budget - sum(prog.values())
    for amount in range(step, int(left + 1e-6) + 1, step):
        more = reintegration.marginal(p, prog, amount, dimension)
        best = max(more, key=lambda m: more[m])
        if more[best] < SHOWN_GAIN:
            continue
        through = f"add most through {MEASURES[best].lower()} (+{more[best]:.3f})"
        through += _circumstance(p, best) + "."
        if amount == step:
            return f"The next EUR {step:,} would {through}"
        setup = reintegration.setup_cost()
        why = (
            f" (a measure spends its first EUR {setup:,.0f} on setting up before it helps)"
            if prog.get(best, 0.0) + step <= setup
            else ""
        )
        return (
            f"The next EUR {step:,} on any one measure would raise it by less than 0.001{why}; "
            f"EUR {amount:,} more would {through}"
        )
    return _what_a_move_would_do(p, prog, params, dimension, left)


def _what_a_move_would_do(
    p: Profile, prog: dict[str, float], params: ReintegrationParams, dimension: str, left: float
) -> str:
    """The smallest move of money between two measures that raises ``dimension`` by a gain the
    hint can show, the best such move, and what it does to the other dimensions."""
    step = params.step
    now = reintegration.run(p, prog).scores
    head = (
        f"All of the budget of EUR {params.budget:,} is spent"
        if left < step
        else f"No measure raises it with the EUR {left:,.0f} left"
    )
    top = int(max(prog.values(), default=0.0) // step) * step
    for amount in range(step, top + 1, step):
        moves = []
        for source, has in prog.items():
            if has + 1e-6 < amount:
                continue
            for target in MEASURES:
                if target == source:
                    continue
                moved = {**prog, source: has - amount, target: prog.get(target, 0.0) + amount}
                after = reintegration.run(p, moved).scores
                moves.append((after[dimension] - now[dimension], source, target, after))
        if not moves:
            continue
        gain, source, target, after = max(moves, key=lambda x: x[0])
        if gain < SHOWN_GAIN:
            continue
        others = [
            f"{DIMENSIONS[d].lower()} {after[d] - now[d]:+.3f}"
            for d in DIMENSIONS
            if d != dimension and abs(after[d] - now[d]) >= SHOWN_GAIN
        ]
        also = f"; {', '.join(others)}" if others else ""
        return (
            f"{head}: moving EUR {amount:,} from {MEASURES[source].lower()} to "
            f"{MEASURES[target].lower()} would raise it most (+{gain:.3f}{also})"
            + _circumstance(p, target)
            + "."
        )
    return f"{head}, and in the model no move of money between measures raises it further."


def _circumstance(p: Profile, measure: str) -> str:
    """Why this measure matters for this returnee (from the profile's facts)."""
    if measure == "jobs":
        return f", with {p.skills} skills and {p.years_away:g} years away"
    if measure == "referral":
        return f", after {p.years_away:g} years away"
    if measure == "assets":  # never the best for a returnee with nothing to transfer
        return ", for savings or tools abroad" if p.assets_to_transfer else ""
    if measure == "psychosocial":
        return ", in acute distress" if p.distress else ""
    return ""


def reference_programme(exercise: ModelExercise) -> tuple[dict[str, float], reintegration.Outcome]:
    """The reference answer: the model optimised over every split of the budget."""
    params = reintegration_params(exercise)
    return reintegration.best_programme(
        params.returnee, params.budget, params.step, params.targets, params.weights
    )
