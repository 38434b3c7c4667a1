"""Exercise specifications: data files in ``exercises/``, validated on load.

An exercise never stores its answer. Its reference answer is derived by a named rule of the
engine (``reference.rule``), so that changing a rule, a scenario or a seed re-grades every
exercise consistently. A malformed file raises :class:`~mixedflows.errors.DataFileError` naming
the file and the field.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field, TypeAdapter, ValidationError, model_validator

from mixedflows.errors import DataFileError, Strict, from_validation, load_yaml


class Option(Strict):
    id: str
    label: str


class Reference(Strict):
    """Which engine rule gives the reference answer, and its arguments."""

    rule: str
    args: dict[str, Any] = Field(default_factory=dict)


class ExerciseBase(Strict):
    id: Annotated[str, Field(pattern=r"^[a-z0-9_]+$")]
    title: str
    module: Annotated[int, Field(ge=1, le=11)]
    seed_paragraphs: Annotated[tuple[int, ...], Field(min_length=1)]
    """MC/INF/294 paragraphs the exercise rests on."""
    instructions: str
    max_attempts: Annotated[int, Field(ge=0)] = 0
    """0 means unlimited attempts."""


class CohortWeights(Strict):
    profile_weight: Annotated[float, Field(ge=0, le=1)] = 0.5
    need_weight: Annotated[float, Field(ge=0, le=1)] = 0.5

    @model_validator(mode="after")
    def _sum(self) -> CohortWeights:
        if abs(self.profile_weight + self.need_weight - 1.0) > 1e-9:
            raise ValueError("profile_weight + need_weight must equal 1")
        return self


class CohortClassification(ExerciseBase):
    """Say, for each person of a generated boat, the likely profiles and the first need."""

    type: Literal["cohort_classification"]
    scenario: str
    seed: int
    size: Annotated[int, Field(ge=1, le=60)] | None = None
    grading: CohortWeights = CohortWeights()


class ChoiceExercise(ExerciseBase):
    """Single or multiple choice; the correct option(s) come from ``reference``."""

    type: Literal["single_choice", "multiple_choice"]
    question: str
    options: Annotated[tuple[Option, ...], Field(min_length=2)]
    reference: Reference
    explanation_rule: str = ""


class OrderingExercise(ExerciseBase):
    """Put items in order; partial credit is the share of pairs in the right order."""

    type: Literal["ordering"]
    question: str
    options: Annotated[tuple[Option, ...], Field(min_length=2)]
    reference: Reference


class NumericExercise(ExerciseBase):
    """A number within a tolerance of the reference (absolute, or relative when rel=True)."""

    type: Literal["numeric"]
    question: str
    unit: str = ""
    tolerance: Annotated[float, Field(ge=0)]
    relative: bool = False
    reference: Reference


class ModelExercise(ExerciseBase):
    """A design graded by running a model (reception simulation, policy lab) on the answer."""

    type: Literal["model_design"]
    model: str
    """Registered grader name, e.g. 'reception.staffing' or 'regularization.programme'."""
    params: dict[str, Any] = Field(default_factory=dict)


Exercise = Annotated[
    CohortClassification | ChoiceExercise | OrderingExercise | NumericExercise | ModelExercise,
    Field(discriminator="type"),
]
_ADAPTER: TypeAdapter[Exercise] = TypeAdapter(Exercise)


def load_exercise(path_or_id: Path | str) -> Exercise:
    """Load and validate one exercise file (a path, or an id in exercises/)."""
    from mixedflows.paths import exercises_dir

    p = Path(path_or_id)
    if p.suffix not in (".yaml", ".yml"):
        p = exercises_dir() / f"{path_or_id}.yaml"
    data = load_yaml(p)
    if "type" not in data:
        raise DataFileError(p, "type", "missing: every exercise names its type")
    try:
        ex = _ADAPTER.validate_python(data)
    except ValidationError as e:
        err = from_validation(p, e)
        # The discriminated union prefixes locations with the type tag; drop it for authors.
        field = (
            err.field.split(".", 1)[1] if err.field.startswith(data["type"] + ".") else (err.field)
        )
        raise DataFileError(p, field, err.detail) from None
    if p.stem != ex.id:
        raise DataFileError(p, "id", f"id '{ex.id}' differs from the file name '{p.stem}'")
    if isinstance(ex, CohortClassification):
        from mixedflows.scenarios import check_scenario_ref

        check_scenario_ref(p, ex.scenario)
    return ex


def list_exercises() -> list[str]:
    from mixedflows.paths import exercises_dir

    return sorted(p.stem for p in exercises_dir().glob("*.yaml"))
