"""Module 2: the words of a mixed flow, graded from their definitions (MC/INF/294 ¶2-4, ¶6-8,
¶12, ¶20; the IOM Glossary; the 1951 Convention; the Palermo and Smuggling Protocols).

A term set is a data file in ``datasets/definitions/``: each term's definition quoted from its
source and split into the **elements** it requires; each person (or group) is a few sentences,
each tagged with the elements it shows. The rule, the only one: *a term is met when the
sentences show every element it requires* (for a child, the Palermo Protocol requires no means,
art. 3(c)). The reference is derived by that rule, never typed: a sentence added or re-tagged
gives another, correctly graded answer. The author's ``expected`` terms are compared with the
rule by the tests, as worked cases are; they never grade anyone.

Meeting a definition on the facts told is not a status: the feedback says so every time
(screening refers; the procedures determine, ¶17).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import Field, model_validator

from mixedflows.errors import DataFileError, Strict, load_model, loadable
from mixedflows.results import AnswerError, Feedback, GradeResult
from mixedflows.text import joined, sentence

if TYPE_CHECKING:
    from mixedflows.exercises import ModelExercise

Id = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]

VERIFICATION = {
    "P": "read in the original or a verbatim copy",
    "S": "read in a secondary source; not checked against the original",
}


class Term(Strict):
    id: Id
    label: str
    definition: str
    """The definition, quoted from its source."""
    source: str
    verification: Literal["P", "S"]
    paragraphs: Annotated[tuple[int, ...], Field(min_length=1)]
    """The paragraphs of MC/INF/294 the term rests on."""
    requires: Annotated[tuple[Id, ...], Field(min_length=1)]
    """The elements the facts must show, all of them."""
    child_needs_no: tuple[Id, ...] = ()
    """Elements not required when the facts show a child (Palermo art. 3(c): no means)."""
    note: str = ""


class Fact(Strict):
    text: str
    """A sentence the learner reads."""
    shows: tuple[Id, ...] = ()
    """The elements this sentence shows."""


class PersonFacts(Strict):
    id: Id
    who: str
    facts: Annotated[tuple[Fact, ...], Field(min_length=1)]
    expected: tuple[Id, ...] = ()
    """The author's reading, checked against the rule by the tests; never used to grade."""


class TermSet(Strict):
    id: Id
    title: str
    caveat: str
    elements: dict[Id, str]
    """Element id -> what it means, in words."""
    terms: Annotated[tuple[Term, ...], Field(min_length=1)]
    people: Annotated[tuple[PersonFacts, ...], Field(min_length=1)]

    @model_validator(mode="after")
    def _known(self) -> TermSet:
        known = set(self.elements) | {"child"}
        for k, t in enumerate(self.terms):
            for e in (*t.requires, *t.child_needs_no):
                if e not in known:
                    raise ValueError(f"terms.{k}.requires: unknown element '{e}'")
        ids = {t.id for t in self.terms}
        for k, p in enumerate(self.people):
            for j, f in enumerate(p.facts):
                for e in f.shows:
                    if e not in known:
                        raise ValueError(f"people.{k}.facts.{j}.shows: unknown element '{e}'")
            for e in p.expected:
                if e not in ids:
                    raise ValueError(f"people.{k}.expected: unknown term '{e}'")
        for what, xs in (
            ("terms", [t.id for t in self.terms]),
            ("people", [p.id for p in self.people]),
        ):
            dup = {x for x in xs if xs.count(x) > 1}
            if dup:
                raise ValueError(f"{what}: duplicated id(s) {sorted(dup)}")
        return self

    def term(self, term_id: str) -> Term:
        for t in self.terms:
            if t.id == term_id:
                return t
        raise KeyError(term_id)

    def person(self, person_id: str) -> PersonFacts:
        for p in self.people:
            if p.id == person_id:
                return p
        raise KeyError(person_id)


def definitions_dir() -> Path:
    from mixedflows.paths import datasets_dir

    return datasets_dir() / "definitions"


@cache
def _load(path: str, mtime: float) -> TermSet:
    return load_model(Path(path), definitions_dir(), TermSet)[1]


def load_terms(path_or_id: Path | str) -> TermSet:
    """Load and validate a term set (a path, or an id in datasets/definitions/)."""
    p = Path(path_or_id)
    if p.suffix not in (".yaml", ".yml"):
        p = definitions_dir() / f"{path_or_id}.yaml"
    try:
        mtime = p.stat().st_mtime
    except FileNotFoundError:
        raise DataFileError(p, "", "file not found") from None
    return _load(str(p), mtime)


# --- The rule ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Reading:
    """What the rule finds for one term and one person."""

    term: Term
    met: bool
    shown: tuple[str, ...]
    """The elements the term requires that the facts show."""
    missing: tuple[str, ...]
    """The elements the term requires that no sentence shows."""


def shown(person: PersonFacts) -> set[str]:
    """Every element some sentence about the person shows."""
    return {e for f in person.facts for e in f.shows}


def read(term: Term, person: PersonFacts) -> Reading:
    """A term is met when the facts show every element it requires (for a child, less the
    elements the term does not require of a child)."""
    facts = shown(person)
    required = [e for e in term.requires if not ("child" in facts and e in term.child_needs_no)]
    have = tuple(e for e in required if e in facts)
    missing = tuple(e for e in required if e not in facts)
    return Reading(term, not missing, have, missing)


def reference(terms: TermSet, person_id: str) -> list[str]:
    """The terms the person's facts meet, by the rule."""
    person = terms.person(person_id)
    return [t.id for t in terms.terms if read(t, person).met]


def check_expected(terms: TermSet) -> list[str]:
    """Every person whose author's reading and the rule differ (empty: they agree)."""
    return [
        f"{p.id}: expected {sorted(p.expected)}, the rule gives {sorted(reference(terms, p.id))}"
        for p in terms.people
        if sorted(p.expected) != sorted(reference(terms, p.id))
    ]


# --- Grading ------------------------------------------------------------------------------------


class DefinitionsParams(Strict):
    """``params`` of a "definitions.terms" exercise."""

    terms: Annotated[str, loadable(load_terms, "term set")]


def _answer(terms: TermSet, answer: Any) -> dict[str, set[str]]:
    if not isinstance(answer, dict):
        raise AnswerError(f"expected {{person id: [term ids]}}, got {type(answer).__name__}")
    ids = {t.id for t in terms.terms}
    out = {}
    for pid, chosen in answer.items():
        try:
            terms.person(pid)
        except KeyError:
            raise AnswerError(f"'{pid}' is not one of the people in this exercise") from None
        if isinstance(chosen, str) or not isinstance(chosen, list | tuple | set | frozenset):
            raise AnswerError(f"{pid}: expected a list of term ids, got {type(chosen).__name__}")
        unknown = [x for x in chosen if x not in ids]
        if unknown:
            raise AnswerError(
                f"{pid}: unknown term(s) {unknown}; choose from {', '.join(sorted(ids))}"
            )
        out[pid] = set(chosen)
    return out


def _why(terms: TermSet, r: Reading, person: PersonFacts) -> str:
    t = r.term
    words = terms.elements
    if r.met:
        told = [f.text for f in person.facts if set(f.shows) & set(r.shown)]
        child = (
            " (a child: no means are needed)"
            if "child" in shown(person) and t.child_needs_no
            else ""
        )
        return (
            f"{t.label}: met{child}. The facts show {joined(words[e] for e in r.shown)}: "
            + " ".join(told)
        )
    return (
        f"{t.label}: not met. Missing: {joined(words[e] for e in r.missing)}"
        + (f" (shown: {joined(words[e] for e in r.shown)})" if r.shown else "")
        + "."
    )


def grade_person(terms: TermSet, person_id: str, chosen: set[str]) -> Feedback:
    """One person: credit is the terms chosen and met over the terms chosen or met (1 when the
    learner leaves out every term that is not met and no term is met)."""
    person = terms.person(person_id)
    readings = [read(t, person) for t in terms.terms]
    ref = {r.term.id for r in readings if r.met}
    union = ref | chosen
    credit = len(ref & chosen) / len(union) if union else 1.0
    wrong = [r for r in readings if (r.term.id in chosen) != r.met]
    right = [r for r in readings if r.met and r.term.id in chosen]
    lines = [_why(terms, r, person) for r in wrong]
    if right:
        lines.append("Right: " + joined(r.term.label for r in right) + ".")
    if not ref:
        lines.append("The facts told meet none of these definitions.")
    notes = [r.term.note for r in wrong if r.term.note]
    concerned = wrong or [r for r in readings if r.met] or readings[:1]
    cite = "; ".join(
        f"{r.term.label}: “{r.term.definition}” ({r.term.source}, {VERIFICATION[r.term.verification]})"
        for r in concerned
    )
    paras = sorted({p for r in concerned for p in r.term.paragraphs})
    label = {t.id: t.label for t in terms.terms}
    return Feedback(
        item=person.who,
        credit=credit,
        message=" ".join([*lines, *notes]),
        citation=f"{cite}; MC/INF/294 " + ", ".join(f"¶{p}" for p in paras),
        expected=", ".join(label[x] for x in sorted(ref)) or "none of these terms",
        given=", ".join(label[x] for x in sorted(chosen)) or "none",
    )


def grade_definitions(exercise: ModelExercise, answer: Any) -> GradeResult:
    terms = load_terms(exercise.params.terms)
    given = _answer(terms, answer)
    items = []
    for p in terms.people:
        if p.id in given:
            items.append(grade_person(terms, p.id, given[p.id]))
        else:
            items.append(Feedback(p.who, 0.0, "Not answered.", "", answered=False))
    score = sum(f.credit for f in items) / len(items)
    return GradeResult(
        exercise.id,
        score,
        tuple(items),
        summary=f"{sum(f.correct for f in items)} of {len(items)} read right. "
        + sentence(terms.caveat),
    )
