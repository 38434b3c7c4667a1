"""Exercise specifications: data files in ``exercises/``, validated on load.

An exercise never stores its answer. Its reference answer is derived by a named rule of the
engine (``reference.rule``, :mod:`mixedflows.references`), so that changing a rule, a scenario
or a seed re-grades every exercise consistently.

The schema is one pydantic union keyed on ``type`` (:data:`Exercise`), every part of it a
:class:`~mixedflows.errors.Strict` model (an unknown key is an error). An exercise of type
``model_design`` names its ``model``, and its ``params`` are validated, when the file is
loaded, against that model's params class listed in :mod:`mixedflows.registry`: a graded app
never meets a malformed exercise. A malformed file raises
:class:`~mixedflows.errors.DataFileError` naming the file and the field
(``exercises/m4_staff_the_centre.yaml: field 'params.seeds': ...``); a key given twice is
refused too (:func:`mixedflows.errors.load_yaml`).

How to add an exercise
----------------------
- **Of an existing type**: add ``exercises/<id>.yaml`` (the id is the file name). The tests
  load and grade every exercise file.
- **Graded by a model of its own** (most new modules): write, in the module's package,

  1. its params model, ``class MyParams(Strict)``, with validators for what must exist (a
     case id, a brief): raise ``ValueError("cannot load ...")`` and the loader names the file
     and ``params.<field>``;
  2. its grader, ``def grade_mine(exercise: ModelExercise, answer: Any) -> GradeResult``,
     reading ``exercise.params`` (already a ``MyParams``), raising
     :class:`~mixedflows.results.AnswerError` for an answer of the wrong shape, and returning
     one :class:`~mixedflows.results.Feedback` per item with ``expected`` and ``given`` as the
     learner sees them (labels, not ids): the dashboard and the exports read these and never
     grade again. Import the result types from :mod:`mixedflows.results` (never from
     :mod:`mixedflows.grading`, which would make an import cycle; the tests check);
  3. one line in :data:`mixedflows.registry.MODELS`:
     ``"mine.kind": ModelKind("mixedflows.mine.grader:grade_mine", "mixedflows.mine.grader:MyParams")``;
  4. the exercise file, ``type: model_design``, ``model: mine.kind``, ``params: {...}``.

  The grade the learner is shown is ``GradeResult.score``; if the learner's grade for the
  exercise is not the score of one attempt (several case files, say), say how in
  :func:`mixedflows.gradebook.exercise_grade`, the one definition the app and the LMS export use.
- **In a new module** (module 12, say), every place it touches, in this order:

  1. :data:`mixedflows.registry.COURSE` (the table lives in :mod:`mixedflows.course`): add
     ``PlannedModule(12, topic, paragraphs)``. An exercise or casework file's ``module`` must
     be a module of this table (:data:`mixedflows.course.CourseModule`), so its files do not
     load before it is there; references to it (:func:`~mixedflows.registry.module_ref`)
     say "not written yet" until its notebook ``modules/12_*.ipynb`` exists;
  2. its params model, grader and line in :data:`mixedflows.registry.MODELS` (above);
  3. a sample answer for its model in ``tests/test_gradebook.py`` (``_answers``): the
     gradebook test and the every-app test (``tests/test_every_app_records.py``) submit it,
     and fail, asking for one, until it is there;
  4. its app: a subclass of :class:`mixedflows.widgets.base.ExerciseApp` (inputs, answer,
     hooks; never ``submit_answer``, which grades, records and shows in one step), in
     ``src/mixedflows/widgets/``, importing no ``voila``/``tornado``; the domain code
     (params, grader) imports no altair or ipywidgets (``tests/test_architecture.py``);
  5. the app notebook ``widgets/<name>.ipynb``, whose last code cell is
     ``from mixedflows.server.session import claim; claim()``: Voila runs a preheated
     kernel's notebook before anyone opens the page, and this cell waits there until a
     participant's page takes the kernel, so the learner's pseudonym and session from the
     join link are known before anything is recorded (without it every attempt in a
     preheated kernel would be stored under no learner);
  6. its session plan in ``SESSIONS`` of ``scripts/make_facilitator_guide.py``, and its
     place in ``THREE_DAYS`` there (the guide is written from both and the course:
     tests/test_facilitator_guide.py), then run the script;
  7. the START page: ``python scripts/make_start_page.py`` (never a START.ipynb saved by
     JupyterLab).
- **A new generic type** (like ``numeric``): a class here with ``type: Literal["..."]``, added
  to :data:`Exercise`, and its grader in :func:`mixedflows.grading.grade`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    Field,
    TypeAdapter,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from mixedflows.course import CourseModule, SeedParagraphs
from mixedflows.errors import DataFileError, Strict, from_validation, load_yaml
from mixedflows.results import WrongExerciseError, expect_exercise  # noqa: F401 (re-exported)


class Option(Strict):
    id: str
    label: str


class Reference(Strict):
    """Which engine rule gives the reference answer, and its arguments."""

    rule: str
    args: dict[str, Any] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _known_rule(self) -> Reference:
        import inspect

        from mixedflows.references import RULES

        if self.rule not in RULES:
            raise ValueError(f"no rule named '{self.rule}'; known: {', '.join(sorted(RULES))}")
        try:
            inspect.signature(RULES[self.rule]).bind(**self.args)
        except TypeError as e:
            raise ValueError(f"rule '{self.rule}': {e}") from None
        return self


class ExerciseBase(Strict):
    id: Annotated[str, Field(pattern=r"^[a-z0-9_]+$")]
    title: str
    module: CourseModule
    seed_paragraphs: SeedParagraphs
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

    @field_validator("options")
    @classmethod
    def _unique_option_ids(cls, options: tuple[Option, ...]) -> tuple[Option, ...]:
        return _unique_ids(options)


class OrderingExercise(ExerciseBase):
    """Put items in order; partial credit is the share of pairs in the right order."""

    type: Literal["ordering"]
    question: str
    options: Annotated[tuple[Option, ...], Field(min_length=2)]
    reference: Reference

    @field_validator("options")
    @classmethod
    def _unique_option_ids(cls, options: tuple[Option, ...]) -> tuple[Option, ...]:
        return _unique_ids(options)


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
    """The model's name in :data:`mixedflows.registry.MODELS`, e.g. 'reception.staffing'."""
    params: Annotated[Any, Field(default_factory=dict, validate_default=True)]
    """Validated on load into the model's params class (:func:`mixedflows.registry.params_model`)."""

    @field_validator("model")
    @classmethod
    def _known_model(cls, model: str) -> str:
        from mixedflows.registry import MODELS

        if model not in MODELS:
            raise ValueError(f"no model grader named '{model}'; known: {', '.join(sorted(MODELS))}")
        return model

    @field_validator("params", mode="before")
    @classmethod
    def _typed_params(cls, params: Any, info: ValidationInfo) -> Any:
        model = info.data.get("model")
        if model is None:
            return params  # the model name is wrong: that error is reported
        from mixedflows.registry import params_model

        kind = params_model(model)
        if isinstance(params, kind):
            return params
        return kind.model_validate({} if params is None else params)


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
        if e.errors()[0]["type"] in ("union_tag_invalid", "union_tag_not_found"):
            raise DataFileError(p, "type", err.detail) from None  # a misspelled type
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
    if isinstance(ex, ChoiceExercise | OrderingExercise | NumericExercise):
        check_reference(p, ex)
    from mixedflows.gradebook import attempt_rule

    rule = attempt_rule(ex)  # generated from the gradebook's rule, never typed in a file
    return ex.model_copy(update={"instructions": f"{ex.instructions.rstrip()} {rule}"})


def check_reference(path: Path, ex: ChoiceExercise | OrderingExercise | NumericExercise) -> None:
    """The reference answer derived when the file is loaded, as grading derives it, so that a
    file whose rule cannot derive it (a fact misspelled: ``nationalty``) or whose answer a
    learner cannot give (not among the options; an ordering that leaves an option out) fails
    here, naming the file and the field, and not at a learner's Submit."""
    from mixedflows.references import RULES  # as grading derives it (the rule is known)

    rule = ex.reference.rule
    try:
        ref = RULES[rule](**ex.reference.args)
    except Exception as e:  # the rule's own message: an unknown fact, a value of a wrong type
        if isinstance(e, ValidationError):  # a fact of a wrong type: the fact and why
            err = e.errors()[0]
            detail = f"{'.'.join(map(str, err['loc']))}: {err['msg']}"
        else:
            detail = str(e).strip("'\"") if isinstance(e, KeyError) else str(e).splitlines()[0]
        raise DataFileError(
            path, "reference.args", f"rule '{rule}' cannot derive the answer: {detail}"
        ) from None
    if isinstance(ex, NumericExercise):
        if isinstance(ref, bool) or not isinstance(ref, int | float):
            raise DataFileError(path, "reference", f"rule '{rule}' gives {ref!r}, not a number")
        return
    ids = [o.id for o in ex.options]
    given = [ref] if isinstance(ref, str) else list(ref)
    if ex.type == "single_choice" and not isinstance(ref, str):
        raise DataFileError(
            path, "reference", f"rule '{rule}' gives {ref!r}: a single choice needs one option"
        )
    if isinstance(ex, ChoiceExercise):
        missing = [r for r in given if r not in ids]
        if missing:
            raise DataFileError(
                path,
                "options",
                f"the answer rule '{rule}' gives ({', '.join(map(str, missing))}) is not "
                f"among the options ({', '.join(ids)}): no answer could be right",
            )
        return
    left_out = [i for i in ids if i not in given]
    if left_out:
        raise DataFileError(
            path,
            "options",
            f"rule '{rule}' puts in order {', '.join(map(str, given))}; the options "
            f"{', '.join(left_out)} are not in it: no order could be accepted",
        )


def _unique_ids(options: tuple[Option, ...]) -> tuple[Option, ...]:
    seen: set[str] = set()
    for o in options:
        if o.id in seen:
            raise ValueError(f"option id '{o.id}' is given twice; each option needs its own id")
        seen.add(o.id)
    return options


def exercise_title(exercise_id: str) -> str:
    """An exercise's title, read from its file without validating the rest: for a list of
    titles (the facilitator's debrief picker names 20 exercises; validating each took 0.15-0.21
    s of the dashboard kernel's 0.7 s before its first view, issue 13). The exercise itself is
    validated where it is used (:func:`load_exercise`); a file whose title is not a string is
    reported as that function reports it."""
    from mixedflows.paths import exercises_dir

    data = load_yaml(exercises_dir() / f"{exercise_id}.yaml")
    title = data.get("title")
    if not isinstance(title, str):
        return load_exercise(exercise_id).title  # raises, naming the file and the field
    return title


def list_exercises() -> list[str]:
    from mixedflows.paths import exercises_dir

    return sorted(p.stem for p in exercises_dir().glob("*.yaml"))


def load_expected(
    exercise_id: str,
    kinds: type | tuple[type, ...] = (),
    model: str | tuple[str, ...] | None = None,
    *,
    who: str,
) -> Any:
    """:func:`load_exercise` then :func:`~mixedflows.results.expect_exercise` (a
    :class:`~mixedflows.results.WrongExerciseError` naming the exercise, what it is and what
    ``who`` takes, if it is not of ``kinds``/``model``)."""
    return expect_exercise(load_exercise(exercise_id), kinds, model, who=who)
