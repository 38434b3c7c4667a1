"""The capstone's scenario as a data file (``datasets/capstone/<id>.yaml``), validated on load.

The file names the data of each stage (a rescue case, a reception season, a scenario to sample
arrivals from, the post-arrival actions offered, a regularization programme) and states the few
assumptions that join one stage to the next, each with its source or labelled a teaching
assumption. It holds no answer: the engines derive every reference from these facts. Unknown
keys are rejected with the file and the key named.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, field_validator, model_validator

from mixedflows.errors import DataFileError, Strict, load_model, loadable
from mixedflows.reception.grader import Costs

Id = Annotated[str, Field(pattern=r"^[a-z0-9_]+$")]

DISCLOSED_FACTS = ("trafficking_indicators", "persecution_ground", "serious_harm_on_return")
"""Facts a person may leave unsaid in a hurried interview (the file picks among these)."""


def _rescue(case_id: str) -> object:
    from mixedflows.rescue import load_rescue

    return load_rescue(case_id)


def _season(season_id: str) -> object:
    from mixedflows.reception import get_season

    return get_season(season_id)


def _scenario(scenario_id: str) -> object:
    from mixedflows.scenarios import load_scenario

    return load_scenario(scenario_id)


def _programme(programme_id: str) -> object:
    from mixedflows.regularization import load_programme

    return load_programme(programme_id)


class ReceptionStage(Strict):
    season: Annotated[str, loadable(_season, "reception season")]
    seed: int = 0
    """One seed for every learner: two learners with one plan meet the same season."""
    borrowed: str
    """Where the season's figures come from (shown to the learner)."""
    staff_hours: Annotated[int, Field(ge=1, le=24)] = 12
    """Length of the day shift of every role the learner staffs."""
    night_medical: Annotated[int, Field(ge=0, le=50)] = 1
    budget_points: Annotated[float, Field(gt=0)]
    max_late_share: Annotated[float, Field(ge=0, le=1)]
    """Share of the season's people the centre may interview later than the screening limit."""
    max_share_days_over: Annotated[float, Field(ge=0, le=1)]
    costs: Costs = Costs()
    diverted_share: Annotated[float, Field(ge=0, le=1)]
    """Share of the season's boats another State receives when the coordinator sends the boats
    to that State's port."""
    diverted_source: str


class ScreeningStage(Strict):
    scenario: Annotated[str, loadable(_scenario, "scenario")]
    seed: int = 0
    sample: Annotated[int, Field(ge=1, le=12)]
    not_heard_in_a_rushed_interview: Annotated[tuple[str, ...], Field(min_length=1)]
    rushed_source: str

    @field_validator("not_heard_in_a_rushed_interview")
    @classmethod
    def _facts(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        bad = [f for f in v if f not in DISCLOSED_FACTS]
        if bad:
            raise ValueError(f"not a fact left unsaid: {', '.join(bad)}; known: {DISCLOSED_FACTS}")
        return v


class PostArrivalStage(Strict):
    months_after: Annotated[int, Field(ge=0, le=60)] = 3
    actions: Annotated[tuple[str, ...], Field(min_length=2)]
    chances: dict[str, Annotated[float, Field(ge=0, le=1)]] = Field(default_factory=dict)

    @field_validator("actions")
    @classmethod
    def _known(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        from mixedflows.casework import ACTIONS

        bad = [a for a in v if a not in ACTIONS]
        if bad:
            raise ValueError(f"not an action: {', '.join(bad)}")
        return v

    @field_validator("chances")
    @classmethod
    def _chances(cls, v: dict[str, float]) -> dict[str, float]:
        from mixedflows.casework import Chances

        Chances(**v)  # unknown keys are errors
        return v


CAPSTONE_MEASURES = {
    "regularised_share": "the share of the season's people without a status who are regularized"
}
"""Measures of the policy stage beyond the policy lab's own (:mod:`.regularization.grader`)."""


class PolicyObjective(Strict):
    """One objective of the policy stage: a measure at least or at most a target."""

    id: Id
    label: str
    measure: str
    at_least: float | None = None
    at_most: float | None = None
    weight: Annotated[float, Field(gt=0, le=1)]

    @model_validator(mode="after")
    def _one_bound(self) -> PolicyObjective:
        from mixedflows.regularization.grader import EXTRA_MEASURES, OUTCOME_INFO

        if (self.at_least is None) == (self.at_most is None):
            raise ValueError("give exactly one of at_least and at_most")
        known = {*OUTCOME_INFO, *EXTRA_MEASURES, *CAPSTONE_MEASURES}
        if self.measure not in known:
            raise ValueError(f"unknown measure '{self.measure}'; known: {', '.join(sorted(known))}")
        return self

    def met(self, value: float) -> bool:
        if self.at_least is not None:
            return value >= self.at_least - 1e-9
        return value <= self.at_most + 1e-9  # type: ignore[operator]

    @property
    def target(self) -> float:
        return self.at_least if self.at_least is not None else self.at_most  # type: ignore[return-value]


class PolicyStage(Strict):
    kind: Literal["regularization"] = "regularization"
    """The policy the season ends with. Return and reintegration (module 9) plugs in here as
    another kind with its own runner in :data:`mixedflows.capstone.season.POLICIES`."""
    programme: Annotated[str, loadable(_programme, "regularization programme")]
    levers: Annotated[tuple[str, ...], Field(min_length=1)]
    objectives: Annotated[tuple[PolicyObjective, ...], Field(min_length=1)]
    context_source: str

    @field_validator("levers")
    @classmethod
    def _levers(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        from mixedflows.regularization import load_levers

        known = load_levers()
        bad = [k for k in v if k not in known]
        if bad:
            raise ValueError(f"not a lever: {', '.join(bad)}")
        return v

    @model_validator(mode="after")
    def _weights(self) -> PolicyStage:
        total = sum(o.weight for o in self.objectives)
        if abs(total - 1) > 0.011:
            raise ValueError(f"objective weights must sum to 1, they sum to {total:g}")
        return self


class CapstoneSpec(Strict):
    id: Id
    title: str
    seed_paragraphs: Annotated[tuple[int, ...], Field(min_length=1)]
    rescue: Annotated[str, loadable(_rescue, "rescue case")]
    reception: ReceptionStage
    screening: ScreeningStage
    postarrival: PostArrivalStage
    policy: PolicyStage


def capstone_dir() -> Path:
    from mixedflows.paths import datasets_dir

    return datasets_dir() / "capstone"


def load_capstone(path_or_id: Path | str) -> CapstoneSpec:
    """Load and validate one capstone scenario (a path, or an id in datasets/capstone/)."""
    p, spec = load_model(path_or_id, capstone_dir(), CapstoneSpec)
    if not spec.policy.objectives:
        raise DataFileError(p, "policy.objectives", "at least one objective")
    return spec


def list_capstones() -> list[str]:
    return sorted(p.stem for p in capstone_dir().glob("*.yaml"))
