"""Worked cases: data files in ``datasets/cases/``, facts in and expected referrals out.

A case is one person or a family: the facts an official would learn and the referrals the
frameworks call for, written by the author from the frameworks (named in the file), with a
``why`` citing them. :func:`check_case` compares every expectation with what
:func:`mixedflows.screening.screen` derives; the tests run every case. Unknown keys are rejected
with the file and the key named.

Referrals are compared as a set: their order is graded only by the hard constraints
(:mod:`mixedflows.constraints`), and ``may_come_first`` says which may open. A ``why`` never types
a figure the engine computes (how many strong, medium or weak indicators): the feedback
generates those from the data, so the two cannot disagree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field, ValidationError

from mixedflows import narratives, trafficking
from mixedflows.course import SeedParagraphs
from mixedflows.errors import DataFileError, Strict, from_validation, load_model
from mixedflows.profiles import Need, NeedCategory, Person, Profile
from mixedflows.screening import screen


class Expected(Strict):
    """What the frameworks call for, written by the case's author from the frameworks."""

    referrals: Annotated[tuple[Need, ...], Field(min_length=1)]
    """The referrals (a set: any order that respects the hard constraints is right)."""
    may_come_first: tuple[Need, ...] | None = None
    """The referrals that may come first under the hard constraints."""
    profiles: tuple[Profile, ...] | None = None
    trafficking_indication: bool | None = None
    """Indications warranting referral (Palermo elements, reasonable grounds)."""
    missing_elements: tuple[Literal["act", "means", "purpose"], ...] | None = None
    """The Palermo elements the facts do not show (for an adult: act, means, purpose)."""
    ilo_combination: bool | Literal["not_applicable"] | None = None
    """What the ILO/EC combination of dimensions would show (a data-collection view)."""
    positive_dimensions: tuple[Annotated[int, Field(ge=1, le=6)], ...] | None = None
    categories: tuple[NeedCategory, ...] | None = None
    """UNHCR specific-needs categories (by their value, e.g. child_at_risk)."""
    return_counselling: (
        Literal[
            "offered", "not_while_claim_pending", "after_risk_assessment", "after_best_interests"
        ]
        | None
    ) = None
    consular_contact: bool | None = None
    interview_apart: bool | None = None


class CasePerson(Strict):
    id: Annotated[str, Field(pattern=r"^[a-z0-9_]+$")]
    facts: dict[str, Any]
    """Fields of :class:`~mixedflows.profiles.Person` (person_id and narrative excepted)."""
    expected: Expected
    why: Annotated[str, Field(min_length=40)]
    """The author's reasoning, citing the frameworks (shown in the debrief)."""


class CaseSpec(Strict):
    id: Annotated[str, Field(pattern=r"^[a-z0-9_]+$")]
    title: str
    seed_paragraphs: SeedParagraphs
    frameworks: Annotated[tuple[str, ...], Field(min_length=1)]
    """The frameworks the expected referrals were written from."""
    context: str = ""
    summary: str
    regression: tuple[str, ...] = ()
    """What the case guards: points of issue 10 ("point 1") and persons named there."""
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
    unknown = [i for i in p.trafficking_indicators if i not in trafficking.observations()]
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
    p, spec = load_model(path_or_id, cases_dir(), CaseSpec)
    ids = [cp.id for cp in spec.persons]
    if len(set(ids)) != len(ids):
        raise DataFileError(p, "persons", "two persons share an id")
    for k, cp in enumerate(spec.persons):
        typed = TYPED_COUNT.search(cp.why)
        if typed:
            raise DataFileError(
                p,
                f"persons.{k}.why",
                f"'{typed.group(0)}': counts of indicators are generated from the data by the "
                "engine, never typed beside it",
            )
    persons = tuple(_person(p, spec, k) for k in range(len(spec.persons)))
    return WorkedCase(spec, persons, str(p))


TYPED_COUNT = re.compile(
    r"\b(?:\d+|one|two|three|four|five|six)\s+(?:strong|medium|weak)\b", re.IGNORECASE
)
"""A count of strong, medium or weak indicators typed in a ``why`` (point 9 of issue 10)."""


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
        ta = s.trafficking

        def add(what: str, expected: Any, got: Any, pid: str = cp.id) -> None:
            out.append(Check(case.id, pid, what, expected, got))

        add("referrals", sorted(n.value for n in e.referrals), sorted(n.value for n in s.needs))
        if e.may_come_first is not None:
            add(
                "may come first",
                sorted(n.value for n in e.may_come_first),
                sorted(n.value for n in s.may_come_first),
            )
        if e.profiles is not None:
            add(
                "profiles",
                sorted(x.value for x in e.profiles),
                sorted(x.value for x in s.profiles),
            )
        if e.trafficking_indication is not None:
            add("indications of trafficking", e.trafficking_indication, ta.referral)
        if e.missing_elements is not None:
            add("missing elements", list(e.missing_elements), list(ta.missing))
        if e.ilo_combination is not None:
            got = ta.ilo.combination if ta.ilo.applicable else "not_applicable"
            add("ILO/EC combination", e.ilo_combination, got)
        if e.positive_dimensions is not None:
            add(
                "positive dimensions",
                sorted(e.positive_dimensions),
                list(ta.positive_dimensions),
            )
        if e.categories is not None:
            add(
                "specific-needs categories",
                sorted(c.value for c in e.categories),
                sorted(c.category.value for c in s.categories),
            )
        if e.return_counselling is not None:
            add("voluntary return", e.return_counselling, s.return_counselling)
        if e.consular_contact is not None:
            add("consular contact", e.consular_contact, s.consular_contact)
        if e.interview_apart is not None:
            add("interview apart", e.interview_apart, s.interview_apart)
    return out
