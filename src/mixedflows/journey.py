"""A journey that changes (MC/INF/294 ¶11-12): one synthetic person, several stages.

A journey is a data file in ``datasets/journeys/``: a person's fixed facts, then stages, each
with a place, what happened since the last stage (``story``) and the facts that changed
(``changes``, merged into the facts of the stage before). At every stage the learner marks the
profiles and the needs the facts point to; the reference is
:func:`mixedflows.screening.screen` run on that stage's facts, so nothing is typed beside a
question. Each stage also carries the author's ``expected`` answer, written from the frameworks
and checked against the rules by the tests, as worked cases are.

The exercise grader is ``journey.stages`` (listed in :mod:`mixedflows.registry`): per stage, the share of
profiles right (Jaccard) and of needs right (Jaccard), weighted by the exercise file.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import Field, ValidationError, model_validator

from mixedflows import narratives, trafficking
from mixedflows.citations import para
from mixedflows.course import SeedParagraphs
from mixedflows.errors import DataFileError, Strict, from_validation, load_model, loadable
from mixedflows.profiles import NEED_LABELS, PROFILE_LABELS, Need, Person, Profile
from mixedflows.results import AnswerError, Feedback, GradeResult
from mixedflows.screening import Screening, screen

if TYPE_CHECKING:
    from mixedflows.exercises import ModelExercise


class StageExpected(Strict):
    """The author's answer for a stage, from the frameworks (checked against the rules)."""

    profiles: tuple[Profile, ...]
    referrals: Annotated[tuple[Need, ...], Field(min_length=1)]
    """In priority order."""


class Stage(Strict):
    id: Annotated[str, Field(pattern=r"^[a-z0-9_]+$")]
    place: str
    when: str
    story: str
    """What happened since the last stage, as an official would learn it."""
    changes: dict[str, Any] = Field(default_factory=dict)
    """Facts of :class:`~mixedflows.profiles.Person` that change at this stage."""
    teaching: str = ""
    """What this stage shows, shown after the answer (with ``teaching_paragraphs``)."""
    teaching_paragraphs: tuple[int, ...] = ()
    expected: StageExpected


class JourneySpec(Strict):
    id: Annotated[str, Field(pattern=r"^[a-z0-9_]+$")]
    title: str
    seed_paragraphs: SeedParagraphs
    frameworks: Annotated[tuple[str, ...], Field(min_length=1)]
    summary: str
    person: dict[str, Any]
    """The facts that hold from the first stage (name, sex, nationality...)."""
    stages: Annotated[tuple[Stage, ...], Field(min_length=2)]

    @model_validator(mode="after")
    def _unique(self) -> JourneySpec:
        ids = [s.id for s in self.stages]
        if len(set(ids)) != len(ids):
            raise ValueError("two stages share an id")
        return self


@dataclass(frozen=True)
class Journey:
    """A validated journey: the spec and the person at each stage."""

    spec: JourneySpec
    persons: tuple[Person, ...]
    path: str

    @property
    def id(self) -> str:
        return self.spec.id

    @property
    def stages(self) -> tuple[Stage, ...]:
        return self.spec.stages

    def at(self, stage_id: str) -> tuple[Stage, Person]:
        for st, p in zip(self.stages, self.persons, strict=True):
            if st.id == stage_id:
                return st, p
        raise KeyError(f"journey {self.id} has no stage '{stage_id}'")

    def screening(self, stage_id: str) -> Screening:
        return screen(self.at(stage_id)[1])

    def new_indicator_lines(self, k: int) -> tuple[str, ...]:
        """The testimony sentences of the trafficking indicators first told at stage ``k``."""
        p = self.persons[k]
        before = set(self.persons[k - 1].trafficking_indicators) if k else set()
        pr = narratives.pronouns(p.sex)
        new = [i for i in p.trafficking_indicators if i not in before]
        # In the story's order, each actor introduced before a sentence refers to it (a promise
        # before what came instead), as the interview tells it.
        return tuple(t.format(**pr) for _, t in narratives.compose(new, p.story))


_NOT_FACTS = {"person_id", "narrative", "family_id"}


def journeys_dir() -> Path:
    from mixedflows.paths import datasets_dir

    return datasets_dir() / "journeys"


def _stage_person(path: Path, spec: JourneySpec, k: int, facts: dict[str, Any]) -> Person:
    where = "person" if k < 0 else f"stages.{k}.changes"
    known = set(Person.model_fields) - _NOT_FACTS
    keys = spec.person if k < 0 else spec.stages[k].changes
    for key in keys:
        if key not in known:
            raise DataFileError(
                path, f"{where}.{key}", "unknown key (not a fact of a person; check its spelling)"
            )
    sid = "start" if k < 0 else spec.stages[k].id
    try:
        p = Person.model_validate({"person_id": f"{spec.id}.{sid}", **facts})
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
    return p


def load_journey(path_or_id: Path | str) -> Journey:
    """Load and validate a journey (a path, or an id in datasets/journeys/)."""
    p, spec = load_model(path_or_id, journeys_dir(), JourneySpec)
    facts = dict(spec.person)
    if "age" not in facts:
        raise DataFileError(p, "person.age", "missing: the age at the first stage")
    persons = []
    for k, st in enumerate(spec.stages):
        facts = {**facts, **st.changes}
        persons.append(_stage_person(p, spec, k, facts))
    return Journey(spec, tuple(persons), str(p))


def list_journeys() -> list[str]:
    return sorted(x.stem for x in journeys_dir().glob("*.yaml"))


def check_journey(j: Journey) -> list[str]:
    """Every stage where the author's expected answer and the rules differ (empty: agree)."""
    out = []
    for st, person in zip(j.stages, j.persons, strict=True):
        s = screen(person)
        if sorted(st.expected.profiles) != sorted(s.profiles):
            out.append(
                f"{j.id} / {st.id}: profiles: expected {sorted(x.value for x in st.expected.profiles)}, "
                f"rules give {sorted(x.value for x in s.profiles)}"
            )
        if tuple(st.expected.referrals) != s.needs:
            out.append(
                f"{j.id} / {st.id}: referrals: expected {[n.value for n in st.expected.referrals]}, "
                f"rules give {[n.value for n in s.needs]}"
            )
    return out


# --- Grading ---------------------------------------------------------------------------------------


class JourneyParams(Strict):
    """``params`` of a "journey.stages" exercise."""

    journey: Annotated[str, loadable(load_journey, "journey")]
    profile_weight: Annotated[float, Field(ge=0, le=1)] = 0.5
    need_weight: Annotated[float, Field(ge=0, le=1)] = 0.5

    @model_validator(mode="after")
    def _sum(self) -> JourneyParams:
        if abs(self.profile_weight + self.need_weight - 1.0) > 1e-9:
            raise ValueError("profile_weight + need_weight must equal 1")
        return self


def _ids(value: Any, enum: type[Profile] | type[Need], where: str) -> set[Any]:
    if value is None:
        return set()
    if isinstance(value, str) or not isinstance(value, list | tuple | set | frozenset):
        raise AnswerError(f"{where}: give a list, got {type(value).__name__}")
    try:
        return {enum(x) for x in value}
    except ValueError as e:
        raise AnswerError(f"{where}: {e}; choose from {', '.join(x.value for x in enum)}") from None


def coerce_answer(j: Journey, answer: Any) -> dict[str, tuple[set[Profile], set[Need]]]:
    """``{stage id: {"profiles": [...], "needs": [...]}}`` checked, with a message naming the
    stage and the key when something is wrong."""
    if not isinstance(answer, Mapping):
        raise AnswerError(
            f"the answer maps each stage to its profiles and needs, got {type(answer).__name__}"
        )
    ids = [s.id for s in j.stages]
    out = {}
    for sid, a in answer.items():
        if sid not in ids:
            raise AnswerError(f"'{sid}' is not a stage of this journey")
        if not isinstance(a, Mapping):
            raise AnswerError(f"{sid}: expected {{'profiles': [...], 'needs': [...]}}")
        unknown = set(a) - {"profiles", "needs"}
        if unknown:
            raise AnswerError(f"{sid}: unknown key(s) {', '.join(sorted(map(str, unknown)))}")
        out[sid] = (
            _ids(a.get("profiles"), Profile, f"{sid}: profiles"),
            _ids(a.get("needs"), Need, f"{sid}: needs"),
        )
    return out


def _jaccard(a: set[Any], b: set[Any]) -> float:
    return 1.0 if not (a | b) else len(a & b) / len(a | b)


_PENDING_CLAIM_LEADS = (
    "Everyone is also counselled on their options, after the referrals above: "
    "counselling never replaces them.",
    " Voluntary return is not discussed while a protection claim is pending (non-refoulement).",
)
"""The opening of module 5's counselling rationale for a person with other referrals and a
claim pending (:mod:`mixedflows.referrals.rationales`), said otherwise where the journey does
not grade counselling (:func:`ungraded_needs`)."""


def ungraded_needs(s: Screening) -> set[Need]:
    """Needs the journey neither demands nor penalises at a stage. Module 5 counsels everyone
    on their options after the referrals (its documented rule 8); the journey follows
    MC/INF/294 ¶17 more closely: "All remaining persons" (those not referred to the special
    protections) "should receive counselling on further options, such as legal onward migration
    or voluntary return". So a person whose protection claim is pending, and who has other
    referrals, is not marked down for leaving out counselling whose label offers voluntary
    return: that return is not discussed while the claim is pending (issue 14)."""
    others = set(s.needs) - {Need.COUNSELLING}
    if Need.COUNSELLING in s.needs and others and s.return_counselling == "not_while_claim_pending":
        return {Need.COUNSELLING}
    return set()


def ungraded_note(r: Any) -> str:
    """What is said of a referral :func:`ungraded_needs` leaves ungraded (the journey and module
    11's screening stage)."""
    rest = r.rationale
    for lead in _PENDING_CLAIM_LEADS:
        rest = rest.replace(lead, "")
    return (
        f"'{r.label}' is not graded at this stage: with a protection claim pending, the "
        "referrals to the special protections are the answer, and voluntary return is not "
        "discussed while the claim is pending (non-refoulement). MC/INF/294 ¶17 gives "
        "counselling on further options to the remaining persons, those not referred to the "
        "special protections; the person keeps the right to be told the options once the claim "
        f"is decided. {rest.strip()}"
    ).strip()


def grade_stage(
    st: Stage, s: Screening, profiles: set[Profile], needs: set[Need], params: JourneyParams
) -> Feedback:
    """Credit and feedback for one stage: the screening rules on the stage's facts (less
    :func:`ungraded_needs`, neither demanded nor penalised)."""
    free = ungraded_needs(s)
    ref_p, ref_n = set(s.profiles), set(s.needs) - free
    needs = set(needs) - free
    credit = params.profile_weight * _jaccard(ref_p, profiles) + params.need_weight * _jaccard(
        ref_n, needs
    )
    parts: list[str] = []
    cites: list[str] = []
    for prof in sorted(ref_p - profiles):
        why, c = s.reason(prof)
        parts.append(f"Missed '{PROFILE_LABELS[prof]}': {why}")
        cites.append(c.text())
    for prof in sorted(profiles - ref_p):
        parts.append(f"'{PROFILE_LABELS[prof]}' is not indicated at this stage.")
    if ref_p == profiles:
        names = ", ".join(PROFILE_LABELS[x] for x in sorted(ref_p)) or "no specific profile"
        parts.append(f"Profiles right: {names}.")
    for r in s.referrals:
        if r.need not in needs and r.need not in free:
            parts.append(f"Missed '{r.label}': {r.rationale}")
            cites.append(r.citation.text())
    for n in sorted(needs - ref_n):
        parts.append(f"'{NEED_LABELS[n]}' is not called for by the facts at this stage.")
    if ref_n == needs:
        parts.append(
            "Needs right, in the order they come: "
            + "; ".join(r.label for r in s.referrals if r.need not in free)
            + "."
        )
        cites.append(s.referrals[0].citation.text())
    for r in s.referrals:
        if r.need in free:
            parts.append(ungraded_note(r))
            cites.append(r.citation.text())
    if st.teaching:
        parts.append(st.teaching.strip())
        if st.teaching_paragraphs:
            cites.append(para(*st.teaching_paragraphs))
    return Feedback(
        st.id, round(credit, 4), " ".join(parts), " | ".join(dict.fromkeys(cites)) or para(12)
    )


def grade_journey(exercise: ModelExercise, answer: Any) -> GradeResult:
    """One item per stage; a stage not answered gets no credit and the full reasons."""
    params = exercise.params
    j = load_journey(params.journey)
    given = coerce_answer(j, answer)
    items = []
    for st, person in zip(j.stages, j.persons, strict=True):
        profiles, needs = given.get(st.id, (set(), set()))
        items.append(grade_stage(st, screen(person), profiles, needs, params))
    score = sum(f.credit for f in items) / len(items)
    right = sum(f.correct for f in items)
    return GradeResult(
        exercise.id,
        round(score, 4),
        tuple(items),
        f"{right} of {len(items)} stages fully right.",
        {"journey": j.id},
    )


# --- Debrief (module 2) -------------------------------------------------------------------------

_FACT_WORDS: dict[str, str] = {
    "age": "age",
    "company": "travelling with",
    "cannot_return": "unable to return and without a right to stay",
    "paid_smuggler": "paid a smuggler",
    "urgent": "urgent condition",
    "trafficking_indicators": "indications of trafficking told",
    "months_in_transit": "months on the way",
}
"""The facts a debrief names when they change (the others, such as the story told, are
behind the indications)."""


def _value(v: Any) -> str:
    """A fact's value in words: yes/no, a count of indications, the names of conditions."""
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, tuple | list | frozenset | set):
        if not v:
            return "none"
        if all(hasattr(x, "value") for x in v):
            return ", ".join(_value(x) for x in v)
        return str(len(v))
    return str(getattr(v, "value", v)).replace("_", " ")


@dataclass(frozen=True)
class Turn:
    """What changed between two stages of a journey, as the screening rules read it."""

    stage: Stage
    facts: tuple[tuple[str, str, str], ...]
    """(fact, before, after) for each named fact that changed."""
    began: tuple[str, ...]
    """Profiles and referrals indicated now and not at the stage before (their labels)."""
    ended: tuple[str, ...]
    """Profiles and referrals indicated at the stage before and no longer."""


def turns(j: Journey) -> list[Turn]:
    """Each stage after the first: the facts that changed and what screening indicates anew
    or no longer (profiles, then referrals), from :func:`mixedflows.screening.screen`."""
    out = []
    for k in range(1, len(j.stages)):
        a, b = j.persons[k - 1], j.persons[k]
        sa, sb = screen(a), screen(b)
        facts = tuple(
            (word, _value(getattr(a, f)), _value(getattr(b, f)))
            for f, word in _FACT_WORDS.items()
            if getattr(a, f) != getattr(b, f)
        )
        na = {r.need: f"'{r.label}'" for r in sa.referrals}
        nb = {r.need: f"'{r.label}'" for r in sb.referrals}
        began = [f"'{PROFILE_LABELS[x]}'" for x in sorted(sb.profiles - sa.profiles)]
        began += [nb[n] for n in nb if n not in na]
        ended = [f"'{PROFILE_LABELS[x]}'" for x in sorted(sa.profiles - sb.profiles)]
        ended += [na[n] for n in na if n not in nb]
        out.append(Turn(j.stages[k], facts, tuple(began), tuple(ended)))
    return out


def debrief(journey_id: Path | str) -> Any:
    """Module 2's debrief points on the journey, generated from its stages and the screening
    rules: what ended and what began at each stage and which facts changed, the stage at which
    the person was stranded with a protection need (no consulate), and the first stage's place.
    A changed journey file gives a changed debrief."""
    from mixedflows.text import Markdown, bullets, joined

    j = load_journey(journey_id)
    name = j.persons[0].name
    pr = narratives.pronouns(j.persons[0].sex)
    points = []
    rows = []
    for t in turns(j):
        changed = "; ".join(f"{w}: {x} → {y}" for w, x, y in t.facts) or "no fact named here"
        what = []
        if t.ended:
            what.append("ended: " + joined(t.ended))
        if t.began:
            what.append("began: " + joined(t.began))
        if what:
            rows.append(f"{t.stage.place} ({t.stage.when}): " + "; ".join(what) + f" ({changed})")
    if rows:
        points.append(
            "**What ended, and what began.** At which stage of "
            f"{name}'s journey did a profile or a referral end rather than begin, and which fact "
            "ended it? The rules, stage by stage: " + " | ".join(rows) + ". A first-contact "
            f"official at {j.stages[-1].place} sees only the last snapshot (¶11)."
        )
    stranded = [
        (st, p)
        for st, p in zip(j.stages, j.persons, strict=True)
        if Profile.STRANDED in screen(p).profiles and screen(p).protection
    ]
    if stranded:
        st, _ = stranded[0]
        points.append(
            f"**No consulate.** At {st.place}, {name} was stranded (¶20) and the facts indicate "
            f"a need for protection: why must nobody contact the consulate of the State {pr['sub']} "
            "may fear about documents? ¶21 calls consular assistance an effective form of "
            "cooperation, so the bar comes from elsewhere: UNHCR's Advisory Opinion on the rules "
            "of confidentiality regarding asylum information (2005); the UN Special Rapporteur "
            "on the human rights of migrants (A/73/178/Rev.1, para. 22: consular access is "
            "mainly the migrant's right, and a migrant may avoid their State out of fear of "
            "persecution); and EUAA guidance (asylum data are under no circumstances shared "
            "with the country of origin)."
        )
    first = j.stages[0]
    points.append(
        f"**Moving on.** ¶12 asks whether staying in the country of first asylum was viable. "
        f"What would have made {first.place} viable for {name}?"
    )
    return Markdown(bullets(points))
