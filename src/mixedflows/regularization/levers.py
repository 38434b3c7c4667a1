"""Policy levers of a regularization programme, described as data (the PolicyEngine way).

Each lever is declared once in ``datasets/regularization/levers.yaml`` with its label, unit,
range, step, the direction that makes eligibility stricter, and a citation. The policy-lab app
builds its controls from these declarations, and :func:`validate_reform` checks a reform
(a mapping ``{lever: value}``) *whole*, before anything runs: every unknown lever and every
out-of-range value is reported at once, each by name.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field, ValidationError, model_validator

from mixedflows.citations import Citation
from mixedflows.errors import DataFileError, Strict, from_validation, load_yaml


class Unit(StrEnum):
    """The units a lever may be expressed in. Anything else in a lever file is an error."""

    YEARS = "years"
    MONTHS = "months"
    CURRENCY = "currency"
    """The programme's own currency (EUR or USD, named in the programme file)."""
    PERSONS = "persons"
    SHARE = "share"
    """A fraction between 0 and 1, shown as a percentage."""
    BOOLEAN = "boolean"
    CHOICE = "choice"


NUMERIC_UNITS = {Unit.YEARS, Unit.MONTHS, Unit.CURRENCY, Unit.PERSONS, Unit.SHARE}


class Reference(Strict):
    """A publication a lever rests on, with a link where one is known."""

    title: str
    href: str = ""


class LeverCitation(Strict):
    framework: str
    seed: str = ""
    caveat: str = ""

    def citation(self) -> Citation:
        return Citation(framework=self.framework, seed=self.seed, caveat=self.caveat)


class ChoiceOption(Strict):
    id: Annotated[str, Field(pattern=r"^[a-z0-9_]+$")]
    label: str


class Lever(Strict):
    """One lever: what it is, its unit and range, and the text it rests on."""

    id: Annotated[str, Field(pattern=r"^[a-z0-9_]+$")] = ""
    label: str
    description: str
    """What the lever means in the programme's own rules (shown as help text)."""
    unit: Unit
    group: Literal["criteria", "procedure", "complementary"]
    """Where the app shows it: eligibility criteria, procedure, or complementary measures."""
    min: float | None = None
    max: float | None = None
    step: float | None = None
    choices: tuple[ChoiceOption, ...] = ()
    stricter: Literal["higher", "lower", "true", "false", "none"] = "none"
    """Which direction narrows eligibility ("none": the lever is not an eligibility criterion).
    Tests use it to check that tightening a criterion never raises the eligible population."""
    citation: LeverCitation
    references: tuple[Reference, ...] = ()

    @model_validator(mode="after")
    def _consistent(self) -> Lever:
        if self.unit in NUMERIC_UNITS:
            if self.min is None or self.max is None or self.step is None:
                raise ValueError(f"a lever in {self.unit.value} needs min, max and step")
            if not self.min <= self.max:
                raise ValueError(f"min {self.min:g} is above max {self.max:g}")
            if self.step <= 0:
                raise ValueError("step must be positive")
            if self.unit is Unit.SHARE and not (self.min >= 0 and self.max <= 1):
                raise ValueError("a share lies between 0 and 1")
            if self.stricter in ("true", "false"):
                raise ValueError("a numeric lever is stricter when 'higher' or 'lower'")
        elif self.unit is Unit.BOOLEAN:
            if self.min is not None or self.max is not None or self.choices:
                raise ValueError("a boolean lever has no min, max or choices")
            if self.stricter in ("higher", "lower"):
                raise ValueError("a boolean lever is stricter when 'true' or 'false'")
        else:  # choice
            if len(self.choices) < 2:
                raise ValueError("a choice lever needs at least two choices")
            if self.stricter != "none":
                raise ValueError("a choice lever cannot be ordered from lax to strict")
        return self

    @property
    def kind(self) -> str:
        """ "number", "boolean" or "choice": what kind of control the app builds."""
        if self.unit in NUMERIC_UNITS:
            return "number"
        return self.unit.value

    @property
    def integer(self) -> bool:
        """True when every value in range is a whole number (staff, months)."""
        return (
            self.kind == "number"
            and float(self.step or 0).is_integer()
            and float(self.min or 0).is_integer()
        )

    def check(self, value: Any) -> Any:
        """The value, normalised (bool, float/int, or choice id); ValueError saying why not."""
        if self.kind == "boolean":
            if not isinstance(value, bool):
                raise ValueError(f"must be true or false, got {value!r}")
            return value
        if self.kind == "choice":
            ids = [c.id for c in self.choices]
            if value not in ids:
                raise ValueError(f"{value!r} is not one of {', '.join(ids)}")
            return value
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValueError(f"must be a number in {self.unit.value}, got {value!r}")
        lo, hi = float(self.min), float(self.max)  # type: ignore[arg-type]
        if not lo <= float(value) <= hi:
            raise ValueError(
                f"{value:g} is outside the range {lo:g} to {hi:g} {self.unit_label()}".rstrip()
            )
        return int(value) if self.integer and float(value).is_integer() else float(value)

    def unit_label(self, currency: str = "") -> str:
        if self.unit is Unit.CURRENCY:
            return currency or "currency units"
        if self.unit is Unit.SHARE:
            return "(share, 0 to 1)"
        return self.unit.value if self.unit in NUMERIC_UNITS else ""

    def stricter_than(self, a: Any, b: Any) -> bool:
        """True when value ``a`` is at least as strict as ``b`` for this criterion."""
        if self.stricter == "higher":
            return a >= b
        if self.stricter == "lower":
            return a <= b
        if self.stricter == "true":
            return a or not b
        if self.stricter == "false":
            return (not a) or b
        return a == b


class LeverFile(Strict):
    """The lever file: its version and the levers by id."""

    version: int
    levers: Annotated[dict[str, Lever], Field(min_length=1)]


class LeverSet:
    """The levers, in the order of the file; ``levers["fee"]`` gives one."""

    def __init__(self, levers: Mapping[str, Lever], path: Path | str = "") -> None:
        self._levers = dict(levers)
        self.path = str(path)

    def __getitem__(self, key: str) -> Lever:
        return self._levers[key]

    def __iter__(self):
        return iter(self._levers.values())

    def __len__(self) -> int:
        return len(self._levers)

    def __contains__(self, key: object) -> bool:
        return key in self._levers

    @property
    def ids(self) -> list[str]:
        return list(self._levers)

    def by_group(self, group: str) -> list[Lever]:
        return [lv for lv in self if lv.group == group]

    def criteria(self) -> list[Lever]:
        """The levers that are eligibility criteria (they have a stricter direction)."""
        return [lv for lv in self if lv.stricter != "none"]


class ReformError(ValueError):
    """A reform names an unknown lever or a value out of range; ``problems`` lists each one."""

    def __init__(self, problems: list[tuple[str, str]], where: str = "reform") -> None:
        self.problems = problems
        self.where = where
        lines = "; ".join(f"lever '{k}': {msg}" for k, msg in problems)
        super().__init__(f"{where}: {lines}")


def levers_path() -> Path:
    from mixedflows.paths import datasets_dir

    return datasets_dir() / "regularization" / "levers.yaml"


def load_levers(path: Path | str | None = None) -> LeverSet:
    """Read and validate a lever file; errors name the file and the field (``levers.fee.unit``).

    Without a path, the course's ``datasets/regularization/levers.yaml`` (cached).
    """
    if path is None:
        return _default_levers()
    return _load_levers(Path(path))


@cache
def _default_levers() -> LeverSet:
    return _load_levers(levers_path())


def _load_levers(p: Path) -> LeverSet:
    data = load_yaml(p)
    try:
        parsed = LeverFile.model_validate(data)
    except ValidationError as e:
        raise from_validation(p, e) from None
    levers = {}
    for key, lever in parsed.levers.items():
        if lever.id and lever.id != key:
            raise DataFileError(p, f"levers.{key}.id", f"id '{lever.id}' differs from key")
        levers[key] = lever.model_copy(update={"id": key})
    return LeverSet(levers, p)


def _suggest(name: str, known: list[str]) -> str:
    close = difflib.get_close_matches(name, known, n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""


def validate_reform(
    reform: Mapping[str, Any], levers: LeverSet | None = None, *, where: str = "reform"
) -> dict[str, Any]:
    """Check a whole reform before anything runs; return it with values normalised.

    Raises :class:`ReformError` listing *every* unknown lever and every bad value by name, so an
    author or a learner fixes them all in one go.
    """
    levers = levers or load_levers()
    if not isinstance(reform, Mapping):
        raise ReformError([("*", f"a reform maps lever names to values, got {type(reform)}")])
    problems: list[tuple[str, str]] = []
    out: dict[str, Any] = {}
    for key, value in reform.items():
        if key not in levers:
            problems.append((str(key), "unknown lever" + _suggest(str(key), levers.ids)))
            continue
        try:
            out[key] = levers[key].check(value)
        except ValueError as e:
            problems.append((key, str(e)))
    if problems:
        raise ReformError(problems, where)
    return out
