"""Rescue cases: data files in ``datasets/rescue/``, validated on load.

A rescue case is an incident at sea (who is aboard, the ports a coordinator can consider) and,
after disembarkation, the facility where the authorities propose to hold the group. The file
holds facts only. What the frameworks call for is derived by :mod:`mixedflows.rescue.rules`;
the author's own reading (``expected``) is compared with the rules by the tests, never used to
grade. Unknown keys are rejected with the file and the key named.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

from pydantic import Field, ValidationError, model_validator

from mixedflows import narratives, trafficking
from mixedflows.course import SeedParagraphs
from mixedflows.errors import DataFileError, Strict, from_validation, load_model
from mixedflows.profiles import Person

Id = Annotated[str, Field(pattern=r"^[a-z0-9_]+$")]


class Port(Strict):
    """A port the coordinator can consider, with the facts that decide whether it is a place of
    safety (IMO Guidelines MSC.167(78), para. 6.12)."""

    id: Id
    name: str
    state: str
    hours: Annotated[float, Field(gt=0)]
    """Sailing time from the rescue position."""
    threat_to_life_or_freedom: bool
    """Whether the persons' life or freedom would be threatened there (what is known of the
    treatment of people disembarked there)."""
    basic_needs: bool
    """Whether food, shelter and medical care can be provided on landing."""
    onward_transport: bool = True
    note: str
    """What the coordinator knows of the port, in words (shown to the learner)."""


class RescuedPerson(Strict):
    id: Id
    family: str = ""
    """Members of one family share a name here (a parent and a child, say)."""
    facts: dict[str, Any]
    """Fields of :class:`~mixedflows.profiles.Person` (person_id and narrative excepted)."""


class Facility(Strict):
    """Where the authorities propose to hold the group after disembarkation (¶19)."""

    name: str
    description: str
    capacity: Annotated[int, Field(ge=1)]
    held: Annotated[int, Field(ge=0)]
    """How many people it holds today, the group included."""
    closed: bool = True
    """People may not leave (a holding facility, i.e. detention)."""
    holds_children: bool
    separate_women_children: bool
    medical_care: bool
    asylum_access: bool
    """Information on and access to the asylum procedure and UNHCR."""
    legal_counsel: bool = False
    """People held can reach a lawyer (legal counsel): not assumed unless the file says so
    (UNHCR Detention Guidelines, procedural safeguards)."""
    independent_monitoring: bool
    time_limit_in_law: bool
    review_by_court: bool
    individual_assessment: bool = False
    """Whether any person was held after an individual assessment of necessity (none here
    unless the file says so)."""


class ExpectedRescue(Strict):
    """The author's reading of the frameworks; the tests compare it with the rules."""

    port: str
    on_board: tuple[str, ...]
    informed: tuple[str, ...]
    placements: dict[str, tuple[str, ...]]
    failed_standards: tuple[str, ...]


class RescueSpec(Strict):
    id: Id
    title: str
    seed_paragraphs: SeedParagraphs
    frameworks: Annotated[tuple[str, ...], Field(min_length=1)]
    situation: str
    """What the coordinator is told first (shown to the learner)."""
    responsible_state: str
    """The State responsible for the search-and-rescue region (the learner is its RCC)."""
    departure_state: str
    """Where the boat left from."""
    ship: str
    ports: Annotated[tuple[Port, ...], Field(min_length=2)]
    persons: Annotated[tuple[RescuedPerson, ...], Field(min_length=1)]
    facility: Facility
    expected: ExpectedRescue

    @model_validator(mode="after")
    def _unique(self) -> RescueSpec:
        for what, ids in (
            ("ports", [p.id for p in self.ports]),
            ("persons", [p.id for p in self.persons]),
        ):
            if len(set(ids)) != len(ids):
                raise ValueError(f"two {what} share an id")
        return self


@dataclass(frozen=True)
class RescueCase:
    """A validated rescue case: the spec and a :class:`Person` for each person aboard."""

    spec: RescueSpec
    persons: tuple[Person, ...]
    path: str

    @property
    def id(self) -> str:
        return self.spec.id

    def port(self, port_id: str) -> Port:
        for p in self.spec.ports:
            if p.id == port_id:
                return p
        raise KeyError(port_id)

    def family_of(self, person: Person) -> list[Person]:
        """The other members of the person's family aboard."""
        fam = self._families().get(person.person_id, "")
        if not fam:
            return []
        return [
            q
            for q in self.persons
            if q.person_id != person.person_id and self._families()[q.person_id] == fam
        ]

    def _families(self) -> dict[str, str]:
        return {
            f"{self.spec.id}.{rp.id}": rp.family
            for rp in self.spec.persons  # person ids are "<case>.<person>"
        }


_NOT_FACTS = {"person_id", "narrative", "family_id"}


def _person(path: Path, spec: RescueSpec, k: int) -> Person:
    rp = spec.persons[k]
    where = f"persons.{k}.facts"
    known = set(Person.model_fields) - _NOT_FACTS
    for key in rp.facts:
        if key not in known:
            raise DataFileError(
                path, f"{where}.{key}", "unknown key (not a fact of a person; check its spelling)"
            )
    data = {"person_id": f"{spec.id}.{rp.id}", "family_id": rp.family, **rp.facts}
    try:
        p = Person.model_validate(data)
    except ValidationError as e:
        err = from_validation(path, e)
        raise DataFileError(path, f"{where}.{err.field}", err.detail) from None
    unknown = [i for i in p.trafficking_indicators if i not in trafficking.indicators()]
    if unknown:
        raise DataFileError(
            path, f"{where}.trafficking_indicators", f"unknown indicator id(s): {unknown}"
        )
    return p.model_copy(update={"narrative": narratives.narrate(p)})


def rescue_dir() -> Path:
    from mixedflows.paths import datasets_dir

    return datasets_dir() / "rescue"


def load_rescue(path_or_id: Path | str) -> RescueCase:
    """Load and validate one rescue case (a path, or an id in datasets/rescue/)."""
    p, spec = load_model(path_or_id, rescue_dir(), RescueSpec)
    persons = tuple(_person(p, spec, k) for k in range(len(spec.persons)))
    port_ids = {x.id for x in spec.ports}
    if spec.expected.port not in port_ids:
        raise DataFileError(p, "expected.port", f"'{spec.expected.port}' is not a port here")
    person_ids = {x.id for x in spec.persons}
    bad = set(spec.expected.placements) - person_ids
    if bad:
        raise DataFileError(p, "expected.placements", f"not a person aboard: {sorted(bad)}")
    return RescueCase(spec, persons, str(p))


def list_rescues() -> list[str]:
    return sorted(p.stem for p in rescue_dir().glob("*.yaml"))
