"""The state a season carries from stage to stage (:class:`Season` and each stage's outcome),
and the few facts about it that more than one stage reads (the people left without a status,
the post-arrival files): :mod:`mixedflows.capstone.season` plays the stages,
:mod:`mixedflows.capstone.returns` the return policy, both reading this module (neither
imports the other at load)."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from mixedflows.capstone.spec import CapstoneSpec
from mixedflows.citations import Citation, para
from mixedflows.profiles import Person
from mixedflows.results import GradeResult

STAGES: tuple[str, ...] = ("rescue", "reception", "screening", "postarrival", "policy")
STAGE_TITLES: dict[str, str] = {
    "rescue": "Rescue and disembarkation",
    "reception": "Reception capacity",
    "screening": "Screening a sample of arrivals",
    "postarrival": "After arrival: procedures and services",
    "policy": "A policy for those left without a status",
}
STAGE_WEIGHTS: dict[str, float] = {s: 0.2 for s in STAGES}
"""Each stage counts for a fifth of the season's score."""

RECEPTION_WEIGHTS = {"children": 0.3, "screening": 0.3, "occupancy": 0.2, "budget": 0.2}
"""How the reception stage is scored (the targets are in the scenario file)."""

RECEPTION_ROLES: dict[str, str] = {
    "medical": "Medical staff on the day shift",
    "screening": "Screening and counselling staff on the day shift",
    "child_protection": "Child protection staff on the day shift",
    "mediation": "Cultural mediators on the day shift",
}
RECEPTION_LIMITS: dict[str, tuple[int, int]] = {
    "medical": (0, 40),
    "screening": (0, 60),
    "child_protection": (0, 30),
    "mediation": (0, 60),
    "beds": (0, 5000),
    "transfers_per_day": (0, 2000),
}

CARRY = Citation(
    framework="The season's chain, as this course models it: disembarkation (IMO Guidelines "
    "MSC.167(78)), reception capacity in sudden inflows, profiling and referral (UNHCR 10-Point "
    "Plan, points 4-5), procedures while status is pending, regularization",
    seed=para(16, 17, 19, 21, 23),
    caveat="the links between stages rest on the scenario file's stated teaching assumptions",
)


# --- What each stage leaves behind --------------------------------------------------------------


@dataclass(frozen=True)
class RescueOutcome:
    port_id: str
    port_name: str
    port_state: str
    hours: float
    own_port: bool
    """The port is in the State whose centre the learner runs (stage 2)."""
    safe: bool
    """The port passes every disembarkation rule (place of safety, non-refoulement)."""
    arrivals_factor: float
    """Share of the season's expected arrivals that land at the learner's centre."""
    expected_people: float
    """The season's expected arrivals before any diversion."""
    people_at_risk: int
    """People of the season landed where the rules say they must not be."""
    medevac: bool


@dataclass(frozen=True)
class ReceptionOutcome:
    plan: dict[str, int]
    metrics: dict[str, float]
    cost: float
    late_share: float
    """Share of the season's people whose interview started later than the limit."""


@dataclass(frozen=True)
class Screened:
    """One person of the sample: as they are, and as the hurried or full interview heard them."""

    person: Person
    """All the facts (synthetic), some of which a hurried interview does not hear."""
    heard: Person
    """The facts the interview heard (the person as the learner reads them)."""
    rushed: bool
    rank: int
    """Priority at the quay (lower first), as the reception plan ranks the person's group."""


@dataclass(frozen=True)
class ScreeningOutcome:
    sample: tuple[Screened, ...]
    referred: dict[str, tuple[str, ...]]
    """The needs the learner referred each person for."""
    not_heard: dict[str, tuple[str, ...]]
    """Needs the full facts show that the hurried interview did not hear."""
    not_referred: dict[str, tuple[str, ...]]
    """Needs the heard facts show that the learner did not refer."""


@dataclass(frozen=True)
class PostArrivalOutcome:
    chosen: dict[str, tuple[str, ...]]
    routes: dict[str, str]
    """Where each person of the sample stands after the learner's choices."""
    without_status: tuple[str, ...]
    """Person ids left without a status (no procedure, not returning, or detained)."""


@dataclass(frozen=True)
class PolicyOutcome:
    kind: str
    reform: dict[str, Any]
    caseload: int
    measures: dict[str, float]
    lines: tuple[str, ...]
    """The outcome in words, generated from the model's figures."""
    objectives: tuple[Any, ...] = ()
    """The objectives this kind is graded on (empty: the scenario file's ``policy.objectives``)."""
    citations: dict[str, str] = field(default_factory=dict)
    """The citation of each measure's feedback (default: the policy lab's design citation)."""
    choice: tuple[str, ...] = ()
    """The learner's choice in words (empty: the regularization levers)."""


@dataclass(frozen=True)
class StageRecord:
    """One stage as played: what the learner faced, chose, and what followed."""

    stage: str
    situation: tuple[str, ...]
    choice: tuple[str, ...]
    """The learner's choice in words (labels, not ids)."""
    answer: Any
    result: GradeResult
    consequences: tuple[str, ...]


@dataclass(frozen=True)
class Season:
    """The state passed from stage to stage. Frozen: a stage returns a new Season."""

    spec: CapstoneSpec
    records: tuple[StageRecord, ...] = ()
    rescue: RescueOutcome | None = None
    reception: ReceptionOutcome | None = None
    screening: ScreeningOutcome | None = None
    postarrival: PostArrivalOutcome | None = None
    policy: PolicyOutcome | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def next_stage(self) -> str | None:
        done = len(self.records)
        return STAGES[done] if done < len(STAGES) else None

    def record(self, stage: str) -> StageRecord | None:
        return next((r for r in self.records if r.stage == stage), None)

    @property
    def score(self) -> float:
        return sum(STAGE_WEIGHTS[r.stage] * r.result.score for r in self.records)


def _people(n: float) -> str:
    k = round(n)
    return f"{k:,} {'person' if k == 1 else 'people'}"


@lru_cache(maxsize=8)
def _resolved(season_id: str) -> Any:
    from mixedflows.reception.model import resolved

    return resolved(season_id)


@lru_cache(maxsize=8)
def _drawn_files(scenario: str, seed: int, size: int, chances: Any) -> tuple[Any, ...]:
    from mixedflows.casework import generated_files

    return tuple(generated_files(scenario, seed, size, {}, chances))


def postarrival_files(season: Season) -> list[Any]:
    """The sample's case files some months on, built from what screening heard."""
    from mixedflows.casework import CaseFile, Chances

    assert season.screening is not None
    spec = season.spec
    sc = spec.screening
    drawn = _drawn_files(sc.scenario, sc.seed, sc.sample, Chances(**spec.postarrival.chances))
    by_id = {f.person.person_id: f for f in drawn}
    return [
        CaseFile(s.heard, by_id[s.person.person_id].situation, by_id[s.person.person_id].source)
        for s in season.screening.sample
    ]


def caseload(season: Season) -> int:
    """The season's people left without a status, projected from the sample to the people who
    landed at the centre."""
    assert season.postarrival is not None and season.reception is not None
    n = len(season.postarrival.routes)
    share = len(season.postarrival.without_status) / n if n else 0.0
    return round(season.reception.metrics["people"] * share)
