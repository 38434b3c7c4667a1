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

from mixedflows.course import SeedParagraphs
from mixedflows.coursefiles import Objective, check_weights, unknown_measure
from mixedflows.errors import DataFileError, Strict, load_model, load_named

Id = Annotated[str, Field(pattern=r"^[a-z0-9_]+$")]

DISCLOSED_FACTS = ("trafficking_indicators", "persecution_ground", "serious_harm_on_return")
"""Facts a person may leave unsaid in a hurried interview (the file picks among these)."""


class ReceptionStage(Strict):
    season: Id
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
    costs: dict[str, Annotated[float, Field(ge=0)]] = Field(default_factory=dict)
    """Budget points of a staff shift, a bed and a transfer seat a day
    (:class:`mixedflows.reception.grader.Costs`; its defaults for what is left out)."""
    diverted_share: Annotated[float, Field(ge=0, le=1)]
    """Share of the season's boats another State receives when the coordinator sends the boats
    to that State's port."""
    diverted_source: str


class ScreeningStage(Strict):
    scenario: Id
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


CAPSTONE_MEASURES = {
    "regularised_share": "the share of the season's people without a status who are regularized",
    "returned_before_safeguards": "the number of people of the sample returned before the "
    "safeguard their case calls for",
    "economic": "the returnees' mean economic self-sufficiency in module 9's model",
    "social": "the returnees' mean social stability in module 9's model",
    "psychosocial": "the returnees' mean psychosocial well-being in module 9's model",
}
"""Measures of the policy stage beyond the policy lab's own (:mod:`.regularization.grader`)."""


class PolicyObjective(Objective):
    """One objective of the policy stage: a measure at least or at most a target (its measure
    is checked by :func:`deep_check`, which knows the policy lab's measures)."""


class ReturnStage(Strict):
    """The other policy the season may end with: return and reintegration (module 9, ¶24-25).

    Who may be returned is decided by module 9's return rules (:func:`mixedflows.returns.policy.
    decide`) on each person's full facts; the reintegration programme is scored by module 9's
    model, with the budget, the step and the objectives of module 9's exercise ``exercise``.
    """

    exercise: Id
    """Module 9's reintegration exercise (model returns.reintegration): its budget per returnee,
    its step and its objectives on the three dimensions are this stage's."""
    safeguards_weight: Annotated[float, Field(gt=0, lt=1)]
    """Weight of the objective that no one is returned before the safeguard ¶24 calls for; the
    dimensions share the rest in the proportions of module 9's exercise."""
    skills: Literal["low", "medium", "high"]
    years_before_landing: Annotated[float, Field(ge=0, le=30)]
    profile_source: str
    """How a returnee's circumstances for module 9's model are taken from the season (shown to
    the learner; a teaching assumption where no source says more)."""


class PolicyStage(Strict):
    kind: Literal["regularization"] = "regularization"
    """The policy offered first. A file with ``return_reintegration`` also offers return and
    reintegration (module 9); each kind has its runner in
    :data:`mixedflows.capstone.season.POLICIES`."""
    programme: Id
    levers: Annotated[tuple[str, ...], Field(min_length=1)]
    objectives: Annotated[tuple[PolicyObjective, ...], Field(min_length=1)]
    context_source: str
    return_reintegration: ReturnStage | None = None

    @model_validator(mode="after")
    def _weights(self) -> PolicyStage:
        check_weights((o.weight for o in self.objectives), tolerance=0.011)
        return self


class CapstoneSpec(Strict):
    id: Id
    title: str
    seed_paragraphs: SeedParagraphs
    rescue: Id
    reception: ReceptionStage
    screening: ScreeningStage
    postarrival: PostArrivalStage
    policy: PolicyStage


def capstone_dir() -> Path:
    from mixedflows.paths import datasets_dir

    return datasets_dir() / "capstone"


def load_capstone(path_or_id: Path | str, deep: bool = True) -> CapstoneSpec:
    """Load and validate one capstone scenario (a path, or an id in datasets/capstone/).

    ``deep`` also loads every file the scenario names with that file's own loader and checks
    every id against what it names (the actions, levers, measures, costs and chances); an
    error names this file and the field. ``deep=False`` checks this file alone (and that the
    files it names exist), for an app's first paint: the stages load what they name when they
    open, and ``./mfl facilitate`` checks every course file before a session."""
    p, spec = load_model(path_or_id, capstone_dir(), CapstoneSpec)
    _exists(p, spec)
    if deep:
        deep_check(p, spec)
    return spec


def _exists(p: Path, spec: CapstoneSpec) -> None:
    from mixedflows.paths import datasets_dir

    d = datasets_dir()
    for field, folder, name in (
        ("rescue", "rescue", spec.rescue),
        ("screening.scenario", "scenarios", spec.screening.scenario),
        ("policy.programme", "regularization/programmes", spec.policy.programme),
    ):
        if not (d / folder / f"{name}.yaml").exists():
            raise DataFileError(p, field, f"no file datasets/{folder}/{name}.yaml")
    season = spec.reception.season
    if (
        not (d / "reception" / f"{season}.yaml").exists()
        and not (d / "scenarios" / f"{season}.yaml").exists()
    ):
        raise DataFileError(p, "reception.season", f"no season or scenario '{season}'")


def deep_check(p: Path, spec: CapstoneSpec) -> None:
    """Every file the scenario names loads, and every id it gives names something there."""
    from mixedflows.casework import ACTIONS, Chances
    from mixedflows.reception import get_season
    from mixedflows.reception.grader import Costs
    from mixedflows.regularization import load_levers, load_programme
    from mixedflows.regularization.grader import EXTRA_MEASURES, OUTCOME_INFO
    from mixedflows.rescue import load_rescue
    from mixedflows.scenarios import load_scenario

    for field, load, ref, what in (
        ("rescue", load_rescue, spec.rescue, "rescue case"),
        ("reception.season", get_season, spec.reception.season, "season"),
        ("screening.scenario", load_scenario, spec.screening.scenario, "scenario"),
        ("policy.programme", load_programme, spec.policy.programme, "programme"),
    ):
        try:
            load_named(load, ref, what)
        except ValueError as e:
            raise DataFileError(p, field, str(e)) from None
    for field, model, values in (
        ("reception.costs", Costs, spec.reception.costs),
        ("postarrival.chances", Chances, spec.postarrival.chances),
    ):
        unknown = set(values) - set(model.model_fields)
        if unknown:
            raise DataFileError(p, field, f"unknown key(s): {', '.join(sorted(unknown))}")
    bad = [a for a in spec.postarrival.actions if a not in ACTIONS]
    if bad:
        raise DataFileError(p, "postarrival.actions", f"not an action: {', '.join(bad)}")
    levers = load_levers()
    bad = [k for k in spec.policy.levers if k not in levers]
    if bad:
        raise DataFileError(p, "policy.levers", f"not a lever: {', '.join(bad)}")
    known = {*OUTCOME_INFO, *EXTRA_MEASURES, *CAPSTONE_MEASURES}
    for k, o in enumerate(spec.policy.objectives):
        problem = unknown_measure(o.measure, known)
        if problem:
            raise DataFileError(p, f"policy.objectives.{k}.measure", problem)
    ret = spec.policy.return_reintegration
    if ret is not None:
        from mixedflows.returns.grader import load_reintegration_params

        try:
            load_reintegration_params(ret.exercise)
        except ValueError as e:
            raise DataFileError(p, "policy.return_reintegration.exercise", str(e)) from None


def list_capstones() -> list[str]:
    return sorted(p.stem for p in capstone_dir().glob("*.yaml"))
