"""Grading: reference answers from the engine's rules, partial credit, feedback with sources.

``grade(exercise, answer)`` returns a :class:`~mixedflows.results.GradeResult`: a score in
[0, 1] and one :class:`~mixedflows.results.Feedback` per answered item, each saying why and
citing the framework and the seed paragraph. A wrong answer *type* (not a wrong answer) raises
:class:`~mixedflows.results.AnswerError` with a message a learner can act on.

The generic types (cohort, choice, ordering, numeric) are graded here; a ``model_design``
exercise by the grader :mod:`mixedflows.registry` lists for its model. Reference answers come
from the named rules of :mod:`mixedflows.references`.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from mixedflows import exercises as ex
from mixedflows.citations import para
from mixedflows.errors import Strict
from mixedflows.profiles import NEED_LABELS, PROFILE_LABELS, Need, Person, Profile
from mixedflows.results import AnswerError, Feedback, GradeResult, SubmissionRefusedError

if TYPE_CHECKING:
    from mixedflows.screening import Screening

# --- Reference rules ---------------------------------------------------------------------------


def reference_answer(reference: ex.Reference) -> Any:
    """The reference answer a named rule of :mod:`mixedflows.references` derives."""
    from mixedflows.references import RULES

    try:
        fn = RULES[reference.rule]
    except KeyError:
        raise KeyError(
            f"unknown reference rule '{reference.rule}'; known: {', '.join(sorted(RULES))}"
        ) from None
    return fn(**reference.args)


# --- Cohort classification (module 1) ----------------------------------------------------------


@lru_cache(maxsize=64)
def cohort_for(
    scenario_id: str, seed: int, size: int | None, keep: bool = False
) -> tuple[Person, ...]:
    """The boat an exercise shows: generated from the scenario and seed, cached per process
    and read from its memo when one is kept (``keep``: keep it, for an app's first view;
    :func:`mixedflows.scenarios.cohort`)."""
    from mixedflows.scenarios import cohort

    return tuple(cohort(scenario_id, seed, size, keep=keep))


@lru_cache(maxsize=4096)
def screened_person(person: Person) -> Screening:
    """The screening rules' result for ``person``, cached per process: the grader and the
    boat's debrief read the same result (public: the debrief used a private name before)."""
    from mixedflows.screening import screen

    return screen(person)


def cohort_reference(
    exercise: ex.CohortClassification, seed: int | None = None, scenario: str | None = None
) -> dict[str, dict[str, Any]]:
    """Reference answers for each person, in the form of an answer: profiles and a first need,
    derived by screening. The first need is one of those that may come first (any of them is
    right: the order is graded on hard constraints, never on a fixed sequence)."""
    persons = cohort_for(
        scenario or exercise.scenario, exercise.seed if seed is None else seed, exercise.size
    )
    out = {}
    for p in persons:
        s = screened_person(p)
        out[p.person_id] = {
            "profiles": sorted(x.value for x in s.profiles),
            "first_need": s.first_need.value,
        }
    return out


class PersonAnswer(Strict):
    """A learner's answer about one person of a boat (module 1): the profiles ticked and the
    need chosen first (None: not chosen)."""

    profiles: frozenset[Profile] = frozenset()
    first_need: Need | None = None


CohortAnswer = dict[str, PersonAnswer]
"""A module 1 answer, by person id (persons not answered are left out)."""


def cohort_answer(answer: Any, ids: list[str]) -> CohortAnswer:
    """A module 1 answer as given (``{person_id: {"profiles": [...], "first_need": ...}}``),
    checked and typed; :class:`AnswerError` names the person and what is wrong."""
    return {
        pid: PersonAnswer(profiles=frozenset(pset), first_need=need)
        for pid, (pset, need) in _coerce_cohort_answer(answer, ids).items()
    }


def _coerce_cohort_answer(
    answer: Any, ids: list[str]
) -> dict[str, tuple[set[Profile], Need | None]]:
    if not isinstance(answer, Mapping):
        raise AnswerError(
            f"the answer must map each person id to their profiles and first need, "
            f"got {type(answer).__name__}"
        )
    out = {}
    for pid, a in answer.items():
        if pid not in ids:
            raise AnswerError(f"'{pid}' is not a person on this boat")
        if not isinstance(a, Mapping):
            raise AnswerError(
                f"{pid}: expected {{'profiles': [...], 'first_need': ...}}, got {type(a).__name__}"
            )
        unknown = set(a) - {"profiles", "first_need"}
        if unknown:
            raise AnswerError(f"{pid}: unknown key(s) {', '.join(sorted(map(str, unknown)))}")
        profs = a.get("profiles", [])
        if isinstance(profs, str) or not isinstance(profs, list | tuple | set | frozenset):
            raise AnswerError(
                f"{pid}: 'profiles' must be a list of profile ids, got {type(profs).__name__}"
            )
        try:
            pset = {Profile(x) for x in profs}
        except ValueError as e:
            raise AnswerError(
                f"{pid}: {e}; choose from {', '.join(x.value for x in Profile)}"
            ) from None
        need = a.get("first_need")
        if need is not None:
            if not isinstance(need, str):
                raise AnswerError(
                    f"{pid}: 'first_need' must be one need id, got {type(need).__name__}"
                )
            try:
                need = Need(need)
            except ValueError:
                raise AnswerError(
                    f"{pid}: '{need}' is not a need; choose from {', '.join(x.value for x in Need)}"
                ) from None
        out[pid] = (pset, need)
    return out


def _why_first(s: Any, need: Need) -> str:
    """Which hard constraint puts ``need`` after another referral (or: it is not needed)."""
    if need not in s.needs:
        return "It is not among this person's referrals. "
    for c in s.constraints:
        if need.value in c.after and any(b in {n.value for n in s.needs} for b in c.before):
            return c.rule + " "
    return ""


def person_item(p: Person) -> str:
    """How a person is named in a cohort's feedback items (their id, then their name)."""
    return f"{p.person_id} ({p.name})"


def grade_cohort(
    exercise: ex.CohortClassification,
    answer: Any,
    seed: int | None = None,
    scenario: str | None = None,
) -> GradeResult:
    """Partial credit per person: profile overlap (Jaccard) and the first need (any need no hard
    constraint puts after another is right). ``scenario`` draws the boat from another scenario
    than the exercise's default, graded by the same rules. A profile the rules accept without
    requiring it (:func:`~mixedflows.screening.accepted_profiles`) costs nothing when ticked."""
    from mixedflows.screening import accepted_profiles

    persons = cohort_for(
        scenario or exercise.scenario, exercise.seed if seed is None else seed, exercise.size
    )
    ids = [p.person_id for p in persons]
    given = cohort_answer(answer, ids)
    w = exercise.grading
    items: list[Feedback] = []
    for p in persons:
        s = screened_person(p)
        mine = given.get(p.person_id, PersonAnswer())
        pset, need = set(mine.profiles), mine.first_need
        ref = set(s.profiles)
        accepted = {k: v for k, v in accepted_profiles(p, s).items() if k in pset}
        pset -= set(accepted)  # ticked where the rules allow it: neither required nor wrong
        union = ref | pset
        jacc = 1.0 if not union else len(ref & pset) / len(union)
        need_ok = need in s.may_come_first
        credit = w.profile_weight * jacc + w.need_weight * (1.0 if need_ok else 0.0)
        parts: list[str] = []
        cites: list[str] = []
        for prof in sorted(ref - pset):
            why, c = s.reason(prof)
            parts.append(f"Missed '{s.label(prof)}': {why}")
            cites.append(c.text())
        for prof in sorted(pset - ref):
            parts.append(f"'{s.label(prof)}' is not indicated: {s.why_not(prof).rstrip('.')}.")
            if prof is Profile.TRAFFICKING:
                cites.append(s.reason(prof)[1].text())
        for prof, why in accepted.items():
            parts.append(f"'{PROFILE_LABELS[prof]}' {why}.")
            cites.append(para(12))
        if ref == pset:
            parts.append(
                "Profiles right: "
                + (", ".join(s.label(x) for x in sorted(ref)) or "no specific profile")
                + "."
            )
        first = s.referral(need) if need_ok else s.referrals[0]
        ok_first = " or ".join(f"'{NEED_LABELS[n]}'" for n in s.needs if n in s.may_come_first)
        if need is None:
            parts.append(f"No first need chosen. It is {ok_first}: {first.rationale}")
        elif need_ok:
            parts.append(f"First need right, '{first.label}': {first.rationale}")
        else:
            why = _why_first(s, need)
            # The rationale of the first referral, unless a missed profile already gave it.
            told = any(first.rationale[:80] in x for x in parts)
            parts.append(
                f"You chose '{NEED_LABELS[need]}' first; what may come first is {ok_first}. "
                f"{why}{'' if told else first.rationale}".strip()
            )
        cites.append(first.citation.text())
        items.append(
            Feedback(
                person_item(p),
                round(credit, 4),
                " ".join(parts),
                " | ".join(dict.fromkeys(cites)),
                expected=_as_seen(ref, ok_first),
                given=_as_seen(pset, f"'{NEED_LABELS[need]}'" if need else "none chosen"),
                answered=p.person_id in given,
            )
        )
    score = sum(f.credit for f in items) / len(items)
    full = sum(f.correct for f in items)
    boat = exercise.seed if seed is None else seed
    where = f"Boat {boat}" + (
        f" ({scenario})" if scenario and scenario != exercise.scenario else ""
    )
    return GradeResult(
        exercise.id,
        round(score, 4),
        tuple(items),
        f"{full} of {len(items)} persons fully right.",
        context=where,
    )


def _as_seen(profiles: set[Profile], first: str) -> str:
    """A person's profiles and first need as the boat app shows them (labels, not ids)."""
    names = ", ".join(PROFILE_LABELS[x] for x in sorted(profiles)) or "no specific profile"
    return f"{names}; first need {first}"


# --- Generic answer types ----------------------------------------------------------------------


def _options(exercise: ex.ChoiceExercise | ex.OrderingExercise) -> dict[str, str]:
    return {o.id: o.label for o in exercise.options}


def _cite(exercise: ex.ExerciseBase) -> str:
    return para(*exercise.seed_paragraphs)


def grade_choice(exercise: ex.ChoiceExercise, answer: Any) -> GradeResult:
    opts = _options(exercise)
    ref = reference_answer(exercise.reference)
    ref_set = {ref} if isinstance(ref, str) else set(ref)
    if exercise.type == "single_choice":
        if not isinstance(answer, str):
            raise AnswerError(f"choose one option id (a string), got {type(answer).__name__}")
        chosen = {answer}
    else:
        if isinstance(answer, str) or not isinstance(answer, list | tuple | set | frozenset):
            raise AnswerError(f"give a list of option ids, got {type(answer).__name__}")
        chosen = set(answer)
    bad = chosen - set(opts)
    if bad:
        raise AnswerError(
            f"not an option: {', '.join(sorted(map(str, bad)))}; options are {', '.join(opts)}"
        )
    items = []
    for oid, label in opts.items():
        in_ref, picked = oid in ref_set, oid in chosen
        if not (in_ref or picked):
            continue
        ok = in_ref == picked
        msg = ("Right: " if ok else ("Missed: " if in_ref else "Not correct: ")) + label
        items.append(
            Feedback(
                label,  # the item as the learner saw it: the option's words, not its id
                1.0 if ok else 0.0,
                msg,
                _cite(exercise),
                expected="chosen" if in_ref else "not chosen",
                given=f"chose '{label}'" if picked else f"left '{label}' out",
            )
        )
    union = ref_set | chosen
    score = len(ref_set & chosen) / len(union) if union else 1.0
    if exercise.type == "single_choice":
        score = float(chosen == ref_set)
    given = ", ".join(label for oid, label in opts.items() if oid in chosen) or "nothing chosen"
    return GradeResult(exercise.id, round(score, 4), tuple(items), given=given)


def grade_ordering(exercise: ex.OrderingExercise, answer: Any) -> GradeResult:
    opts = _options(exercise)
    ref = [x for x in reference_answer(exercise.reference) if x in opts]
    if isinstance(answer, str) or not isinstance(answer, list | tuple):
        raise AnswerError(
            f"give the option ids as a list in your order, got {type(answer).__name__}"
        )
    if sorted(answer) != sorted(ref):
        raise AnswerError(f"order exactly these items, each once: {', '.join(ref)}")
    pos = {x: i for i, x in enumerate(answer)}
    pairs = [(a, b) for i, a in enumerate(ref) for b in ref[i + 1 :]]
    right = sum(pos[a] < pos[b] for a, b in pairs)
    items = []
    for i, x in enumerate(ref):
        ok = pos[x] == i
        msg = (
            f"'{opts[x]}' is in place {i + 1}"
            if ok
            else f"'{opts[x]}' belongs in place {i + 1}, you put it in place {pos[x] + 1}"
        )
        items.append(
            Feedback(
                opts[x],  # the option's words, as the learner saw it
                1.0 if ok else 0.0,
                msg,
                _cite(exercise),
                expected=f"place {i + 1}",
                given=f"'{opts[x]}' in place {pos[x] + 1}",
            )
        )
    return GradeResult(
        exercise.id,
        round(right / len(pairs), 4),
        tuple(items),
        f"{right} of {len(pairs)} pairs in the right order.",
        given=" → ".join(opts[x] for x in answer),
    )


def grade_numeric(exercise: ex.NumericExercise, answer: Any) -> GradeResult:
    if isinstance(answer, bool) or not isinstance(answer, int | float):
        try:
            answer = float(str(answer).replace(",", "").strip())
        except ValueError:
            raise AnswerError(f"give a number, got {answer!r}") from None
    ref = float(reference_answer(exercise.reference))
    tol = exercise.tolerance * abs(ref) if exercise.relative else exercise.tolerance
    ok = abs(float(answer) - ref) <= tol
    msg = (
        f"Right: {ref:g} {exercise.unit}".strip()
        if ok
        else f"The answer is {ref:g} {exercise.unit} (within {tol:g}); you gave {answer:g}."
    )
    given = f"{float(answer):g} {exercise.unit}".strip()
    item = Feedback(
        "value",
        float(ok),
        msg,
        _cite(exercise),
        expected=f"{ref:g} {exercise.unit}".strip(),
        given=given,
    )
    return GradeResult(exercise.id, float(ok), (item,), given=given)


MAX_ANSWER_CHARS = 16_000
"""The longest answer taken, in characters of its JSON form. The course's largest answers (a
boat of 14 persons, a screening file) take about 2,000; free text is held to
:data:`MAX_TEXT_CHARS`. Longer answers are refused before grading, never cut (issue 11: a 1 MB
reflection was cut to 20,000 characters and the dashboard then showed the prompt)."""

MAX_TEXT_CHARS = 6_000
"""The longest free text (a reflection) taken, in characters: about 1,000 words. Stated beside
the box; with the prompt beside it in the attempt it stays under :data:`MAX_ANSWER_CHARS`."""


def check_size(answer: Any) -> None:
    """Refuse an answer longer than :data:`MAX_ANSWER_CHARS` (before it is graded or recorded)."""
    import json

    size = len(json.dumps(answer, ensure_ascii=False, default=str))
    if size > MAX_ANSWER_CHARS:
        raise SubmissionRefusedError(
            f"This answer is {size:,} characters long; the most an answer may hold is "
            f"{MAX_ANSWER_CHARS:,}. Nothing was graded or recorded: please shorten it."
        )


def grade(exercise: ex.Exercise, answer: Any, **kw: Any) -> GradeResult:
    """Grade an answer to any exercise type (refused, before any grading, when it is longer
    than :data:`MAX_ANSWER_CHARS`)."""
    check_size(answer)
    if isinstance(exercise, ex.CohortClassification):
        return grade_cohort(exercise, answer, **kw)
    if isinstance(exercise, ex.ChoiceExercise):
        return grade_choice(exercise, answer)
    if isinstance(exercise, ex.OrderingExercise):
        return grade_ordering(exercise, answer)
    if isinstance(exercise, ex.NumericExercise):
        return grade_numeric(exercise, answer)
    if isinstance(exercise, ex.ModelExercise):
        from mixedflows.registry import grader

        return grader(exercise.model)(exercise, answer)
    raise TypeError(f"unknown exercise type {type(exercise).__name__}")


__all__ = [
    "MAX_ANSWER_CHARS",
    "MAX_TEXT_CHARS",
    "AnswerError",
    "Feedback",
    "GradeResult",
    "SubmissionRefusedError",
    "check_size",
    "cohort_for",
    "cohort_reference",
    "grade",
    "person_item",
    "reference_answer",
]
