"""Worked cases and the screening desk: facts in, referrals out, graded by the rules.

A *worked case* is a data file in ``datasets/cases/``: one person or a family, the facts an
official would learn, and the referrals the frameworks call for, in order. Authors add a case by
adding a file; every case runs as a test against :func:`mixedflows.screening.screen`, so a case
that disagrees with the rules (or rules that disagree with a case) fail loudly. Unknown keys are
rejected with the file and the key named.

The *screening desk* (module 5) puts case files in a queue. The learner interviews each person
(questions reveal facts: :func:`mixedflows.narratives.interview`), marks the ILO/EC indicators
observed, and chooses the referrals and their order; :func:`grade_desk` compares that with the
rules. The exercises of module 5 graded by the engine are registered here as model graders
(``cases.indicators``, ``cases.family_referrals``, ``cases.desk``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from mixedflows import narratives, trafficking
from mixedflows.citations import Citation, para
from mixedflows.errors import DataFileError, from_validation, load_yaml
from mixedflows.exercises import ModelExercise
from mixedflows.grading import AnswerError, Feedback, GradeResult, model_grader
from mixedflows.profiles import NEED_LABELS, Need, Person, Profile
from mixedflows.screening import Screening, screen


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Expected(Strict):
    """What the frameworks call for, written by the case's author from the frameworks."""

    referrals: Annotated[tuple[Need, ...], Field(min_length=1)]
    """The referrals in priority order."""
    profiles: tuple[Profile, ...] | None = None
    positive_dimensions: tuple[Annotated[int, Field(ge=1, le=6)], ...] | None = None
    trafficking_indication: bool | None = None


class CasePerson(Strict):
    id: Annotated[str, Field(pattern=r"^[a-z0-9_]+$")]
    facts: dict[str, Any]
    """Fields of :class:`~mixedflows.profiles.Person` (person_id and narrative excepted)."""
    expected: Expected
    why: str = ""
    """The author's reasoning, citing the frameworks (shown in the debrief)."""


class CaseSpec(Strict):
    id: Annotated[str, Field(pattern=r"^[a-z0-9_]+$")]
    title: str
    seed_paragraphs: Annotated[tuple[int, ...], Field(min_length=1)]
    frameworks: Annotated[tuple[str, ...], Field(min_length=1)]
    """The frameworks the expected referrals were written from."""
    context: str = ""
    summary: str
    persons: Annotated[tuple[CasePerson, ...], Field(min_length=1)]


@dataclass(frozen=True)
class WorkedCase:
    """A validated case: the spec, and a :class:`Person` for each of its persons."""

    spec: CaseSpec
    persons: tuple[Person, ...]
    path: str

    @property
    def id(self) -> str:
        return self.spec.id

    @property
    def is_family(self) -> bool:
        return len(self.persons) > 1

    def person(self, pid: str) -> Person:
        for cp, p in zip(self.spec.persons, self.persons, strict=True):
            if pid in (cp.id, p.person_id):
                return p
        raise KeyError(f"case {self.id} has no person '{pid}'")


_NOT_FACTS = {"person_id", "narrative", "family_id"}


def _person(path: Path, spec: CaseSpec, k: int) -> Person:
    cp = spec.persons[k]
    where = f"persons.{k}.facts"
    known = set(Person.model_fields) - _NOT_FACTS
    for key in cp.facts:
        if key not in known:
            raise DataFileError(
                path, f"{where}.{key}", "unknown key (not a fact of a person; check its spelling)"
            )
    data = {
        "person_id": f"{spec.id}.{cp.id}",
        "family_id": spec.id if len(spec.persons) > 1 else "",
        **cp.facts,
    }
    try:
        p = Person.model_validate(data)
    except ValidationError as e:
        err = from_validation(path, e)
        raise DataFileError(path, f"{where}.{err.field}", err.detail) from None
    unknown = [i for i in p.trafficking_indicators if i not in trafficking.indicators()]
    if unknown:
        raise DataFileError(
            path,
            f"{where}.trafficking_indicators",
            f"unknown indicator id(s): {', '.join(unknown)}",
        )
    if p.story and p.story not in narratives.story_names():
        raise DataFileError(path, f"{where}.story", f"unknown story '{p.story}'")
    return p.model_copy(update={"narrative": narratives.narrate(p)})


def cases_dir() -> Path:
    from mixedflows.paths import datasets_dir

    return datasets_dir() / "cases"


def load_case(path_or_id: Path | str) -> WorkedCase:
    """Load and validate one worked case (a path, or an id in datasets/cases/)."""
    p = Path(path_or_id)
    if p.suffix not in (".yaml", ".yml"):
        p = cases_dir() / f"{path_or_id}.yaml"
    data = load_yaml(p)
    try:
        spec = CaseSpec.model_validate(data)
    except ValidationError as e:
        raise from_validation(p, e) from None
    if p.stem != spec.id:
        raise DataFileError(p, "id", f"id '{spec.id}' differs from the file name '{p.stem}'")
    ids = [cp.id for cp in spec.persons]
    if len(set(ids)) != len(ids):
        raise DataFileError(p, "persons", "two persons share an id")
    persons = tuple(_person(p, spec, k) for k in range(len(spec.persons)))
    return WorkedCase(spec, persons, str(p))


def list_cases() -> list[str]:
    return sorted(p.stem for p in cases_dir().glob("*.yaml"))


@dataclass(frozen=True)
class Check:
    """One comparison of a worked case with the rules."""

    case: str
    person: str
    what: str
    expected: Any
    got: Any

    @property
    def ok(self) -> bool:
        return self.expected == self.got

    def text(self) -> str:
        return f"{self.case} / {self.person}: {self.what}: expected {self.expected}, rules give {self.got}"


def check_case(case: WorkedCase) -> list[Check]:
    """Compare every expectation of a case with what the rules derive."""
    out = []
    for cp, p in zip(case.spec.persons, case.persons, strict=True):
        s = screen(p)
        e = cp.expected
        out.append(
            Check(
                case.id,
                cp.id,
                "referrals",
                [n.value for n in e.referrals],
                [n.value for n in s.needs],
            )
        )
        if e.profiles is not None:
            out.append(
                Check(
                    case.id,
                    cp.id,
                    "profiles",
                    sorted(x.value for x in e.profiles),
                    sorted(x.value for x in s.profiles),
                )
            )
        if e.positive_dimensions is not None:
            out.append(
                Check(
                    case.id,
                    cp.id,
                    "positive dimensions",
                    sorted(e.positive_dimensions),
                    list(s.trafficking.positive_dimensions),
                )
            )
        if e.trafficking_indication is not None:
            out.append(
                Check(
                    case.id,
                    cp.id,
                    "indications of trafficking",
                    e.trafficking_indication,
                    s.trafficking.indication,
                )
            )
    return out


# --- Why a referral is not called for ----------------------------------------------------------

NOT_NEEDED: dict[Need, str] = {
    Need.URGENT_MEDICAL: "nothing in the facts is an acute welfare need (the person gets the "
    "ordinary health check everyone gets)",
    Need.CHILD_PROTECTION: "the person is an adult whose age is not in doubt, or a child "
    "travelling with a parent with no indication of trafficking",
    Need.TRAFFICKING_REFERRAL: "the indicators observed do not add up to indications of "
    "trafficking under the ILO/EC rule (stay alert all the same)",
    Need.ASYLUM_INFORMATION: "nothing points to a protection need and the person did not ask "
    "for asylum (they must still be told they may)",
    Need.SPECIFIC_NEEDS: "no UNHCR specific-needs category applies",
    Need.FAMILY_TRACING: "no family member is missing and the person is not a child without a "
    "parent",
    Need.COUNSELLING: "",
}

ORDER_CITATION = Citation(
    framework="Order of first responses: welfare first, then screening for trafficking "
    "indicators and protection claims, then counselling (UNHCR 10-Point Plan, points 4-6, 9)",
    seed=para(17),
)


def _coerce_needs(value: Any, what: str) -> list[Need]:
    if isinstance(value, str) or not isinstance(value, list | tuple):
        raise AnswerError(f"{what}: give a list of referrals, got {type(value).__name__}")
    out = []
    for v in value:
        try:
            n = Need(v)
        except ValueError:
            raise AnswerError(
                f"{what}: '{v}' is not a referral; choose from {', '.join(x.value for x in Need)}"
            ) from None
        if n in out:
            raise AnswerError(f"{what}: '{n.value}' is chosen twice")
        out.append(n)
    return out


def referral_feedback(s: Screening, chosen: Sequence[Need]) -> tuple[float, float, list[Feedback]]:
    """Credit for the set of referrals (Jaccard) and for their order (share of pairs of right
    referrals in the right order), with one feedback line per referral."""
    ref = list(s.needs)
    got = list(chosen)
    union = set(ref) | set(got)
    set_credit = len(set(ref) & set(got)) / len(union) if union else 1.0
    common = [n for n in got if n in ref]
    pairs = [(a, b) for i, a in enumerate(common) for b in common[i + 1 :]]
    right = sum(ref.index(a) < ref.index(b) for a, b in pairs)
    order_credit = (right / len(pairs)) if pairs else (1.0 if common else 0.0)
    items = []
    for r in s.referrals:
        if r.need in got:
            items.append(Feedback(r.label, 1.0, f"Right: {r.rationale}", r.citation.text()))
        else:
            items.append(Feedback(r.label, 0.0, f"Missed: {r.rationale}", r.citation.text()))
    for n in got:
        if n not in ref:
            items.append(
                Feedback(
                    NEED_LABELS[n],
                    0.0,
                    f"Not called for: {NOT_NEEDED[n]}.",
                    ORDER_CITATION.text(),
                )
            )
    return set_credit, order_credit, items


def order_message(s: Screening, chosen: Sequence[Need]) -> str:
    ref = list(s.needs)
    common = [n for n in chosen if n in ref]
    expected = [n for n in ref if n in common]
    if not common:
        return "No right referral chosen yet, so no order to check."
    if common == expected:
        return "Order right: " + " → ".join(NEED_LABELS[n] for n in expected) + "."
    msg = "The order of first responses is: " + " → ".join(NEED_LABELS[n] for n in expected) + "."
    if Need.URGENT_MEDICAL in common and common[0] is not Need.URGENT_MEDICAL:
        msg += " Acute welfare needs always come first: no interview before care (¶17)."
    return msg


# --- The screening desk ------------------------------------------------------------------------

DESK_WEIGHTS = {"referrals": 0.5, "order": 0.25, "indicators": 0.25}
"""How a desk case is scored: the right referrals, their order, and the indicators marked."""


@dataclass(frozen=True)
class CaseFile:
    """One file in the desk's queue: a person to interview."""

    person: Person
    source: str
    """Where the person comes from: a worked case, or a scenario and seed (all synthetic)."""
    title: str = ""


def desk_queue(
    cases: Sequence[str] = (), scenario: str | None = None, seed: int = 0, generated: int = 0
) -> list[CaseFile]:
    """The desk's queue: the persons of the worked cases named, then ``generated`` persons of a
    scenario (reproducible for a seed)."""
    out = []
    for cid in cases:
        c = load_case(cid)
        for p in c.persons:
            out.append(CaseFile(p, f"worked case '{c.id}'", c.spec.title))
    if scenario and generated:
        from mixedflows.scenarios import generate_cohort, load_scenario

        sc = load_scenario(scenario)
        for p in generate_cohort(sc, seed, generated):
            out.append(CaseFile(p, f"scenario '{sc.id}', seed {seed}", sc.title))
    return out


def arrival(p: Person) -> str:
    """What the official sees before asking anything."""
    return narratives.arrival_note(p)


def ask(p: Person, question: str) -> list[str]:
    """The person's answer to one question of :data:`mixedflows.narratives.QUESTIONS`."""
    if question not in narratives.QUESTIONS:
        raise AnswerError(f"'{question}' is not a question of the interview")
    return narratives.interview(p)[question]


def testimony(p: Person) -> list[str]:
    """What a person told the team, sentence by sentence: who they are, why they left, the
    journey, work on the way, and who controls what (the text of the indicator exercise)."""
    answers = narratives.interview(p)
    out = [arrival(p)]
    for q in ("reasons", "journey", "work", "control"):
        out += answers[q]
    return out


def revealed_indicators(p: Person, asked: Sequence[str]) -> list[str]:
    """The indicators the questions asked have brought to light."""
    table = trafficking.indicators()
    topics = {narratives.topic_of_dimension(table[i].dimension) for i in p.trafficking_indicators}
    seen = topics & set(asked)
    return [
        i
        for i in p.trafficking_indicators
        if narratives.topic_of_dimension(table[i].dimension) in seen
    ]


def _coerce_ids(value: Any, what: str) -> list[str]:
    if isinstance(value, str) or not isinstance(value, list | tuple | set | frozenset):
        raise AnswerError(f"{what}: give a list of indicator ids, got {type(value).__name__}")
    table = trafficking.indicators()
    bad = [v for v in value if v not in table]
    if bad:
        raise AnswerError(f"{what}: not an ILO/EC indicator: {', '.join(map(str, bad))}")
    return list(dict.fromkeys(value))


def indicator_feedback(p: Person, marked: Sequence[str]) -> tuple[float, list[Feedback]]:
    """Credit for the indicators marked (Jaccard with those in the person's story), one line per
    indicator, and a line on the dimensions the marks make positive (with the caveat)."""
    table = trafficking.indicators()
    ref = list(p.trafficking_indicators)
    union = set(ref) | set(marked)
    credit = len(set(ref) & set(marked)) / len(union) if union else 1.0
    items = []
    cit = trafficking.CITATION.text()
    for i in ref:
        ind = table[i]
        where = f"dimension {ind.dimension}, {trafficking.DIMENSIONS[ind.dimension].lower()}"
        w = trafficking.WEIGHT_LABELS.get(ind.weight(p.treated_as_child), "not in the list")
        line = narratives.indicator_line(i, p.story).format(**narratives.pronouns(p.sex))
        label = f"{ind.text} ({ind.dimension})"
        if i in marked:
            items.append(Feedback(label, 1.0, f'Right ({where}, {w}): "{line}"', cit))
        else:
            items.append(Feedback(label, 0.0, f'Missed ({where}, {w}): "{line}"', cit))
    for i in marked:
        if i not in ref:
            ind = table[i]
            items.append(
                Feedback(
                    f"{ind.text} ({ind.dimension})",
                    0.0,
                    f"Not in this testimony (dimension {ind.dimension}): nothing the person said "
                    "shows it. Check the dimension: the same words can belong to recruitment or "
                    "to the destination.",
                    cit,
                )
            )
    mine = trafficking.assess(marked, child=p.treated_as_child)
    theirs = trafficking.assess(ref, child=p.treated_as_child)
    msg = f"Your marks: {mine.reason} From the testimony: {theirs.reason}"
    items.append(
        Feedback(
            "Dimensions",
            1.0 if mine.positive_dimensions == theirs.positive_dimensions else 0.0,
            msg,
            cit,
        )
    )
    if not union:
        items = [Feedback("Indicators", 1.0, "Right: no trafficking indicator in this story.", cit)]
    return credit, items


def grade_desk(p: Person, answer: Any, exercise_id: str = "m5_screening_desk") -> GradeResult:
    """Grade the learner's work on one case file.

    ``answer`` is ``{"referrals": [need, ...] in order, "indicators": [id, ...],
    "asked": [question, ...]}``. Score: :data:`DESK_WEIGHTS`.
    """
    if not isinstance(answer, dict):
        raise AnswerError(f"the answer must be a mapping, got {type(answer).__name__}")
    unknown = set(answer) - {"referrals", "indicators", "asked", "person_id"}
    if unknown:
        raise AnswerError(f"unknown key(s): {', '.join(sorted(map(str, unknown)))}")
    chosen = _coerce_needs(answer.get("referrals", []), "referrals")
    marked = _coerce_ids(answer.get("indicators", []), "indicators")
    asked = list(answer.get("asked", []))
    s = screen(p)
    set_c, order_c, items = referral_feedback(s, chosen)
    items.insert(0, Feedback("Order", order_c, order_message(s, chosen), ORDER_CITATION.text()))
    ind_c, ind_items = indicator_feedback(p, marked)
    items += ind_items
    notes = []
    if p.urgent and any(q != "health" for q in asked):
        notes.append(
            "Welfare first: with an acute need, care comes before the interview; in the field "
            "these questions wait (¶17)."
        )
    missed_q = [
        q
        for q in ("journey", "work", "control")
        if q not in asked and any(i not in marked for i in _topic_indicators(p, q))
    ]
    if missed_q:
        notes.append(
            "Some indicators came out only under questions you did not ask ("
            + ", ".join(narratives.QUESTIONS[q] for q in missed_q)
            + "): an interview, not a form."
        )
    w = DESK_WEIGHTS
    score = w["referrals"] * set_c + w["order"] * order_c + w["indicators"] * ind_c
    summary = (
        f"Referrals {set_c:.0%}, order {order_c:.0%}, indicators {ind_c:.0%}. " + " ".join(notes)
    ).strip()
    return GradeResult(
        exercise_id,
        round(score, 4),
        tuple(items),
        summary,
        {"person_id": p.person_id, "reference": [n.value for n in s.needs]},
    )


def _topic_indicators(p: Person, topic: str) -> list[str]:
    table = trafficking.indicators()
    return [
        i
        for i in p.trafficking_indicators
        if narratives.topic_of_dimension(table[i].dimension) == topic
    ]


# --- Model graders for module 5 ----------------------------------------------------------------


class IndicatorParams(Strict):
    case: str
    person: str = ""
    """The person whose testimony is read (default: the first with indicators)."""
    distractors: Annotated[int, Field(ge=0, le=20)] = 6


class FamilyParams(Strict):
    case: str


class DeskParams(Strict):
    cases: tuple[str, ...] = ()
    scenario: str | None = None
    seed: int = 0
    generated: Annotated[int, Field(ge=0, le=50)] = 0


def _params(exercise: ModelExercise, model: type[BaseModel]) -> Any:
    path = f"exercises/{exercise.id}.yaml"
    try:
        params = model.model_validate(exercise.params)
    except ValidationError as e:
        err = from_validation(path, e)
        raise DataFileError(path, f"params.{err.field}", err.detail) from None
    names = [params.case] if hasattr(params, "case") else list(getattr(params, "cases", ()))
    for cid in names:
        try:
            load_case(cid)
        except DataFileError as e:
            raise DataFileError(path, "params.case", f"cannot load case '{cid}': {e}") from None
    return params


def check_params(exercise: ModelExercise) -> Any:
    """Validate the params of a module 5 model exercise (naming the file and the field)."""
    model = {
        "cases.indicators": IndicatorParams,
        "cases.family_referrals": FamilyParams,
        "cases.desk": DeskParams,
    }[exercise.model]
    return _params(exercise, model)


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
    in the order of the ILO/EC list."""
    table = trafficking.indicators()
    ids = list(table)
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


@model_grader("cases.indicators")
def grade_indicators(exercise: ModelExercise, answer: Any) -> GradeResult:
    """Mark the ILO/EC indicators in a testimony; see which dimensions they make positive."""
    params = check_params(exercise)
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
            "indication": mine.indication,
            "caveat": trafficking.CAVEAT,
        },
    )


@model_grader("cases.family_referrals")
def grade_family(exercise: ModelExercise, answer: Any) -> GradeResult:
    """Choose the referrals, in order, for each member of a family (partial credit per member:
    70% the right referrals, 30% their order)."""
    params = check_params(exercise)
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
                f"{order_message(s, chosen)} {lines}",
                cites,
            )
        )
    score = total / len(items)
    full = sum(f.correct for f in items)
    return GradeResult(
        exercise.id, round(score, 4), tuple(items), f"{full} of {len(items)} members fully right."
    )


@model_grader("cases.desk")
def grade_desk_exercise(exercise: ModelExercise, answer: Any) -> GradeResult:
    """The screening desk: ``answer`` names the case file (``person_id``) and the learner's work."""
    params = check_params(exercise)
    if not isinstance(answer, dict) or "person_id" not in answer:
        raise AnswerError("the answer must name the case file: {'person_id': ..., ...}")
    queue = desk_queue(params.cases, params.scenario, params.seed, params.generated)
    for cf in queue:
        if cf.person.person_id == answer["person_id"]:
            return grade_desk(cf.person, answer, exercise.id)
    raise AnswerError(f"'{answer['person_id']}' is not a case file of this desk")
