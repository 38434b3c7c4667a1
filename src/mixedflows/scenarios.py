"""Scenarios: a place, a route, a season and a composition, read from YAML in
``datasets/scenarios/``; a seeded generator turns one into a synthetic cohort.

Every number in a scenario file carries its source (a data file of ``datasets/`` or a
publication), or is marked as an illustrative teaching assumption. Generated persons are
synthetic: names are drawn from lists of common given names and an initial, and no real case is
ever described.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import numpy as np
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from mixedflows import narratives
from mixedflows.errors import DataFileError, from_validation, load_yaml
from mixedflows.profiles import (
    Company,
    Ground,
    Motivation,
    Person,
    Sex,
    SpecificNeed,
    UrgentCondition,
)

Share = Annotated[float, Field(ge=0.0, le=1.0)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Nationality(Strict):
    """One nationality in the flow, with the chance of each situation among its nationals."""

    name: str
    share: Annotated[float, Field(gt=0.0)]
    """Relative weight in the flow (normalised over all nationalities)."""
    persecution: Share = 0.0
    """Chance a person describes a feared persecution on a Convention ground."""
    grounds: tuple[Ground, ...] = (Ground.POLITICAL_OPINION,)
    conflict: Share = 0.0
    """Chance a person fled armed conflict or generalized violence."""
    trafficking: Share = 0.0
    """Chance a person's story carries trafficking indicators (not all reach the threshold)."""
    trafficking_story: narratives.StoryName = "labour_in_transit"
    environment: Share = 0.0
    cannot_return: Share = 0.0
    names: narratives.NameRegion = "west_africa"

    @model_validator(mode="after")
    def _situations_fit(self) -> Nationality:
        if self.persecution + self.conflict + self.environment > 1.0:
            raise ValueError("persecution + conflict + environment exceed 1 for " + self.name)
        return self


class Demography(Strict):
    women: Share
    """Share of adults who are women."""
    children: Share
    """Share of all persons under 18."""
    unaccompanied: Share
    """Share of children travelling without a parent (unaccompanied or separated)."""
    older: Share = 0.01
    """Share of adults aged 60 or more."""


class Journey(Strict):
    paid_smuggler: Share = 0.9
    urgent_medical: Share = 0.1
    """Chance a person needs urgent medical care at landing."""
    specific_needs: Share = 0.1
    """Chance an adult has a specific need (survivor of violence, serious illness, disability...)."""
    months_in_transit: tuple[int, int] = (0, 24)


class ArrivalPeriod(Strict):
    """Arrivals over one period (a month or a year) for the reception simulation."""

    period: str
    people: Annotated[int, Field(ge=0)]
    landings: Annotated[int, Field(ge=0)] | None = None
    source: str


class Reception(Strict):
    capacity: Annotated[int, Field(ge=1)]
    """Beds at the first reception centre."""
    capacity_source: str
    agencies: tuple[str, ...] = ()


class Scenario(Strict):
    id: Annotated[str, Field(pattern=r"^[a-z0-9_]+$")]
    title: str
    place: str
    route: str
    season: str
    seed_paragraphs: tuple[int, ...] = ()
    summary: str
    sources: Annotated[tuple[str, ...], Field(min_length=1)]
    """Where every number below comes from; 'illustrative' where it is a teaching assumption."""
    boat_size: tuple[int, int] = (10, 15)
    demography: Demography
    nationalities: Annotated[tuple[Nationality, ...], Field(min_length=1)]
    journey: Journey = Journey()
    arrivals: tuple[ArrivalPeriod, ...] = ()
    reception: Reception | None = None

    @field_validator("boat_size")
    @classmethod
    def _boat(cls, v: tuple[int, int]) -> tuple[int, int]:
        if not 1 <= v[0] <= v[1]:
            raise ValueError("boat_size must be [min, max] with 1 <= min <= max")
        return v


def load_scenario(path_or_id: Path | str) -> Scenario:
    """Load and validate a scenario file (a path, or an id in datasets/scenarios/)."""
    from mixedflows.paths import scenarios_dir

    p = Path(path_or_id)
    if p.suffix not in (".yaml", ".yml"):
        p = scenarios_dir() / f"{path_or_id}.yaml"
    data = load_yaml(p)
    try:
        sc = Scenario.model_validate(data)
    except ValidationError as e:
        raise from_validation(p, e) from None
    if p.stem != sc.id:
        raise DataFileError(p, "id", f"id '{sc.id}' differs from the file name '{p.stem}'")
    return sc


def list_scenarios() -> list[str]:
    from mixedflows.paths import scenarios_dir

    return sorted(p.stem for p in scenarios_dir().glob("*.yaml"))


def generate_cohort(scenario: Scenario, seed: int, size: int | None = None) -> list[Person]:
    """A reproducible synthetic cohort: the same scenario and seed give the same persons.

    ``size`` defaults to a boat drawn from the scenario's ``boat_size``.
    """
    rng = np.random.default_rng([seed, _stable_hash(scenario.id)])
    if size is None:
        lo, hi = scenario.boat_size
        size = int(rng.integers(lo, hi + 1))
    weights = np.array([n.share for n in scenario.nationalities], dtype=float)
    weights /= weights.sum()
    return [_person(scenario, rng, weights, seed, i) for i in range(size)]


def _stable_hash(text: str) -> int:
    h = 0
    for ch in text.encode():
        h = (h * 131 + ch) % (2**31 - 1)
    return h


def _person(
    sc: Scenario, rng: np.random.Generator, weights: np.ndarray, seed: int, i: int
) -> Person:
    nat = sc.nationalities[int(rng.choice(len(weights), p=weights))]
    d, j = sc.demography, sc.journey
    child = rng.random() < d.children
    if child:
        age = int(rng.integers(12, 18))
        sex = Sex.FEMALE if rng.random() < 0.2 else Sex.MALE
        if rng.random() < d.unaccompanied:
            company = Company(
                rng.choice(
                    [Company.ALONE, Company.ALONE, Company.RELATIVE, Company.UNRELATED_ADULT]
                )
            )
        else:
            company = Company.PARENT
        documented = bool(rng.random() < 0.3)
    else:
        older = rng.random() < d.older
        age = int(rng.integers(60, 76)) if older else int(rng.integers(18, 45))
        sex = Sex.FEMALE if rng.random() < d.women else Sex.MALE
        r = rng.random()
        company = (
            Company.SPOUSE
            if r < 0.08
            else Company.OWN_CHILDREN
            if (r < 0.14 and sex is Sex.FEMALE)
            else Company.ALONE
        )
        documented = bool(rng.random() < 0.6)

    # One main reason for leaving; trafficking stories can come on top of any of them.
    r = rng.random()
    ground = None
    conflict = False
    if r < nat.persecution:
        ground = Ground(rng.choice(nat.grounds))
        motivation = Motivation.SAFETY
    elif r < nat.persecution + nat.conflict:
        conflict = True
        motivation = Motivation.SAFETY
    elif r < nat.persecution + nat.conflict + nat.environment:
        motivation = Motivation.ENVIRONMENT
    else:
        motivation = Motivation(
            rng.choice(
                [
                    Motivation.WORK,
                    Motivation.WORK,
                    Motivation.FAMILY,
                    Motivation.STUDY if child else Motivation.WORK,
                ]
            )
        )
    indicators: tuple[str, ...] = ()
    story_lines: list[str] = []
    if rng.random() < nat.trafficking:
        indicators, story_lines = narratives.trafficking_story(
            nat.trafficking_story, rng, child=child
        )

    urgent: list[UrgentCondition] = []
    if rng.random() < j.urgent_medical:
        options = [
            c
            for c in UrgentCondition
            if c is not UrgentCondition.LATE_PREGNANCY or (sex is Sex.FEMALE and 18 <= age < 45)
        ]
        urgent.append(UrgentCondition(rng.choice(options)))
    needs: list[SpecificNeed] = []
    if company is Company.OWN_CHILDREN:
        needs.append(SpecificNeed.SINGLE_PARENT)
    if age >= 60:
        needs.append(SpecificNeed.OLDER_PERSON)
    if not child and rng.random() < j.specific_needs:
        options = [
            SpecificNeed.SURVIVOR_OF_VIOLENCE,
            SpecificNeed.SERIOUS_MEDICAL,
            SpecificNeed.DISABILITY,
            SpecificNeed.FAMILY_UNITY,
        ]
        if sex is Sex.FEMALE and company is Company.ALONE:
            options.append(SpecificNeed.WOMAN_AT_RISK)
        needs.append(SpecificNeed(rng.choice(options)))
    lo, hi = j.months_in_transit
    person = Person(
        person_id=f"{sc.id}-{seed}-{i:03d}",
        name=narratives.synthetic_name(nat.names, sex, rng),
        age=age,
        age_documented=documented,
        sex=sex,
        nationality=nat.name,
        company=company,
        urgent=tuple(urgent),
        specific_needs=tuple(dict.fromkeys(needs)),
        persecution_ground=ground,
        fled_conflict=conflict,
        trafficking_indicators=indicators,
        motivation=motivation,
        paid_smuggler=bool(rng.random() < j.paid_smuggler),
        cannot_return=bool(rng.random() < nat.cannot_return),
        months_in_transit=int(rng.integers(lo, hi + 1)),
    )
    return person.model_copy(update={"narrative": narratives.narrate(person, story_lines, rng)})
