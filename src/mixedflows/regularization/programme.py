"""A regularization programme as data: its context (the population it meets) and its levers.

Programme files live in ``datasets/regularization/programmes/<id>.yaml``. A file sets *every*
lever (the programme as enacted: the baseline of the lab) and describes the irregular
population the programme met. Every value carries its source, or says it is a teaching
assumption: a file that leaves one out is rejected, naming the field.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field, field_validator

from mixedflows.course import SeedParagraph
from mixedflows.errors import DataFileError, Strict, load_model
from mixedflows.regularization.levers import LeverSet, ReformError, load_levers, validate_reform

Share = Annotated[float, Field(ge=0.0, le=1.0)]
SECTORS = ("domestic_care", "agriculture", "other")
SECTOR_LABELS = {
    "domestic_care": "Domestic and care work",
    "agriculture": "Agriculture and fishing",
    "other": "Other sectors",
}
SECTOR_LEVERS = {
    "domestic_care": "cover_domestic_care",
    "agriculture": "cover_agriculture",
    "other": "cover_other_sectors",
}


class BySector(Strict):
    domestic_care: Share
    agriculture: Share
    other: Share

    def get(self, sector: str) -> float:
        return float(getattr(self, sector))


class Population(Strict):
    """The irregular population the programme meets, and the prices it faces."""

    irregular_stock: Annotated[int, Field(gt=0)]
    """People in irregular status when the programme opens (never known exactly)."""
    sector_shares: BySector
    """How that population works, by sector (shares summing to 1)."""
    employer_offer: BySector
    """Share, per sector, whose employer would sign a contract for a regularization."""
    mean_residence_years: Annotated[float, Field(gt=0)]
    """Mean time already spent in the country."""
    family_ties: Share
    """Share with family ties in the country that a programme could recognise."""
    criminal_record: Share
    """Share with a criminal record that a programme could check."""
    monthly_wage: Annotated[float, Field(gt=0)]
    """A low monthly wage in the sectors concerned, in the programme's currency."""
    annual_contribution: Annotated[float, Field(ge=0)]
    """Social-security contributions paid a year for one formally employed regularised worker."""
    staff_month_cost: Annotated[float, Field(gt=0)]
    """What one full-time processing official costs a month, all included."""
    lower_income_destination: bool
    """Whether the country counts among the lower-income OECD destinations (pull-effect range)."""

    @field_validator("sector_shares")
    @classmethod
    def _shares(cls, v: BySector) -> BySector:
        total = sum(v.get(s) for s in SECTORS)
        if abs(total - 1.0) > 1e-6:
            raise ValueError(f"sector shares must sum to 1, they sum to {total:g}")
        return v


class Programme(Strict):
    """One programme: the baseline levers, its context, and where each number comes from."""

    id: Annotated[str, Field(pattern=r"^[a-z0-9_]+$")]
    title: str
    country: str
    year: int
    status: Literal["historical", "announced"] = "historical"
    """'announced': a recent programme whose figures are not yet verified."""
    currency: Literal["EUR", "USD"]
    summary: str
    seed_paragraphs: tuple[SeedParagraph, ...] = (23,)
    levers: dict[str, Any]
    """Every lever, as the programme was enacted (the lab's baseline)."""
    lever_sources: dict[str, str]
    """For each lever: the record it comes from, or 'assumption: ...'."""
    population: Population
    population_sources: dict[str, str]
    """For each population field: the record it comes from, or 'assumption: ...'."""
    calibrated: tuple[str, ...] = ()
    """Inputs chosen with a recorded figure in view (the validation says which rows that
    makes circular)."""

    def lever(self, key: str) -> Any:
        return self.levers[key]


def programmes_dir() -> Path:
    from mixedflows.paths import datasets_dir

    return datasets_dir() / "regularization" / "programmes"


def _check_complete(p: Path, prog: Programme, levers: LeverSet) -> Programme:
    try:
        values = validate_reform(prog.levers, levers, where=str(p))
    except ReformError as e:
        key, msg = e.problems[0]
        more = f" (and {len(e.problems) - 1} more)" if len(e.problems) > 1 else ""
        raise DataFileError(p, f"levers.{key}", msg + more) from None
    missing = [k for k in levers.ids if k not in values]
    if missing:
        raise DataFileError(p, f"levers.{missing[0]}", "missing: a programme sets every lever")
    for key in levers.ids:
        if not prog.lever_sources.get(key, "").strip():
            raise DataFileError(
                p,
                f"lever_sources.{key}",
                "missing: say where the value comes from, or write 'assumption: ...'",
            )
    for key in prog.lever_sources:
        if key not in levers:
            raise DataFileError(p, f"lever_sources.{key}", "not a lever")
    for key in Population.model_fields:
        if not prog.population_sources.get(key, "").strip():
            raise DataFileError(
                p,
                f"population_sources.{key}",
                "missing: say where the value comes from, or write 'assumption: ...'",
            )
    for key in prog.population_sources:
        if key not in Population.model_fields:
            raise DataFileError(p, f"population_sources.{key}", "not a population field")
    for key in prog.calibrated:
        if key not in Population.model_fields and key not in levers:
            raise DataFileError(
                p, "calibrated", f"'{key}' is neither a lever nor a population field"
            )
    # Lever values normalised (ints stay ints): the model reads them as validated.
    return prog.model_copy(update={"levers": {k: values[k] for k in levers.ids}})


def load_programme(path_or_id: Path | str, levers: LeverSet | None = None) -> Programme:
    """Load and validate a programme file (a path, or an id in the programmes folder).

    Errors name the file and the field: ``.../spain_2005.yaml: field 'levers.fee': ...``.
    """
    p = Path(path_or_id)
    if p.suffix not in (".yaml", ".yml"):
        if levers is None:
            return _cached_programme(str(path_or_id))
        p = programmes_dir() / f"{path_or_id}.yaml"
    return _load(p, levers or load_levers())


@cache
def _cached_programme(pid: str) -> Programme:
    return _load(programmes_dir() / f"{pid}.yaml", load_levers())


def _load(p: Path, levers: LeverSet) -> Programme:
    p, prog = load_model(p, p.parent, Programme)
    return _check_complete(p, prog, levers)


def list_programmes() -> list[str]:
    """Ids of the programme files, historical ones first, each group by year."""
    out = []
    for f in programmes_dir().glob("*.yaml"):
        prog = load_programme(f.stem)
        out.append((prog.status != "historical", prog.year, prog.id))
    return [pid for *_, pid in sorted(out)]


UNVERIFIED_WORDS = "an unverified figure: it could not be checked in the source it is attributed to"
"""What a learner reads after a figure whose source quality is 'unverified' (issue 10, second cold
trial: the policy lab showed REGINE's 98 % as fact while module 8 calls it unverified)."""


def _figure_forms(value: float) -> tuple[str, ...]:
    """How a recorded figure may be written in prose: a share as a percentage, else a count."""
    if 0 < value <= 1:
        pct = value * 100
        return tuple(dict.fromkeys((f"{pct:.0f} %", f"{pct:.1f} %", f"{pct:.0f}%")))
    return (f"{value:,.0f}",)


@cache
def unverified_figures(programme_id: str) -> tuple[tuple[str, str, float], ...]:
    """(measure, source, value) of each recorded figure of a programme tagged 'unverified' in
    ``recorded_figures.csv`` (read with the csv module: no pandas at start-up)."""
    import csv

    path = programmes_dir().parent / "recorded_figures.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        return tuple(
            (r["measure"], r["source"], float(r["value"]))
            for r in csv.DictReader(fh)
            if r["programme_id"] == programme_id
            and r["source_quality"].strip().lower().startswith("unverified")
        )


def summary_shown(prog: Programme) -> str:
    """The programme's summary as a learner reads it: every sentence that states a figure tagged
    'unverified' in the recorded figures says so in plain words, derived from the data."""
    import re

    forms = [f for _, _, v in unverified_figures(prog.id) for f in _figure_forms(v)]
    out = []
    for sentence in re.split(r"(?<=[.;])\s+", " ".join(prog.summary.split())):
        if any(f in sentence for f in forms) and "unverified" not in sentence:
            end = sentence[-1] if sentence[-1] in ".;" else ""
            sentence = f"{sentence[: len(sentence) - len(end)]} ({UNVERIFIED_WORDS}){end}"
        out.append(sentence)
    return " ".join(out)
