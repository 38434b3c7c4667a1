"""A scenario file of ``datasets/scenarios/`` as :mod:`mixedflows.scenarios` reads it: its
schema (:class:`Scenario`: a place, a route, a season and a composition, every number with its
source), loading, listing and summaries.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import Field, field_validator, model_validator

from mixedflows import narratives
from mixedflows.course import SeedParagraph
from mixedflows.errors import DataFileError, Strict, load_model, load_named
from mixedflows.narratives.testimony import STORY_WORKERS
from mixedflows.profiles import (
    Ground,
)

if TYPE_CHECKING:
    import pandas as pd


Share = Annotated[float, Field(ge=0.0, le=1.0)]


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
    """Chance that the story of an adult, or of an unaccompanied or separated child, carries
    trafficking indicators (not all reach the threshold)."""
    trafficking_story: narratives.StoryName = "labour_in_transit"
    """The story told by adults (a story of sexual exploitation is told by women only; men
    tell ``labour_in_transit`` instead)."""
    child_story: narratives.StoryName = "child_labour"
    environment: Share = 0.0
    cannot_return: Share = 0.0
    """Chance that a person with no protection need cannot return home (no documents, the
    embassy will not confirm nationality): a stranded migrant (¶20). Not drawn for people who
    fled persecution or conflict: their inability to return is the protection need itself."""
    transit_conflict: Share = 0.0
    """Chance that a person fled the war in the scenario's transit country (e.g. Libya in 2011):
    not by itself a need for protection from the country of origin."""
    recognition: Literal["individual", "prima_facie"] = "individual"
    """How the country of arrival handles this nationality's asylum claims: individual refugee
    status determination, or prima facie recognition of the group."""
    recognition_source: str = ""
    names: narratives.NameRegion = "west_africa"
    """Given names for a nationality the origins table (``mixedflows/data/origins.yaml``) does
    not list; a listed nationality always takes the names that fit it."""

    @model_validator(mode="after")
    def _situations_fit(self) -> Nationality:
        if self.persecution + self.conflict + self.environment > 1.0:
            raise ValueError("persecution + conflict + environment exceed 1 for " + self.name)
        if self.recognition == "prima_facie" and not self.recognition_source:
            raise ValueError(f"prima facie recognition of {self.name} needs recognition_source")
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
    age_disputed: Share = 0.0
    """Share of unaccompanied or separated children who say they are 18 or 19, with no
    document (their age is in doubt)."""
    pregnant: Share = 0.0
    """Share of women and of girls aged 15-17 who are pregnant (not near term)."""
    child_married: Share = 0.0
    """Share of girls aged 15-17 travelling with a parent who are married (a child at risk)."""


class Journey(Strict):
    paid_smuggler: Share = 0.9
    urgent_medical: Share = 0.1
    """Chance a person needs urgent medical care at landing."""
    specific_needs: Share = 0.1
    """Chance an adult has a specific need (survivor of violence, serious illness, disability...)."""
    months_in_transit: tuple[int, int] = (0, 24)


_PERIOD = re.compile(r"^\d{4}(-\d{2})?$|^\d{4}-\d{2}-\d{2}/\d{4}-\d{2}-\d{2}$")


class ArrivalPeriod(Strict):
    """Arrivals over one period (a year, a month, or first/last day) for the reception
    simulation: "2013", "2011-03", or "2011-01-01/2011-08-31" (last day included)."""

    period: str
    people: Annotated[int, Field(ge=0)]
    landings: Annotated[int, Field(ge=0)] | None = None
    source: Annotated[str, Field(min_length=1)]
    note: str = ""
    """What the figure covers or assumes (a partial year, a derived figure)."""

    @field_validator("period")
    @classmethod
    def _period(cls, v: str) -> str:
        if not _PERIOD.match(v.strip()):
            raise ValueError(f"'{v}': expected YYYY, YYYY-MM or YYYY-MM-DD/YYYY-MM-DD")
        return v


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
    seed_paragraphs: tuple[SeedParagraph, ...] = ()
    summary: str
    sources: Annotated[tuple[str, ...], Field(min_length=1)]
    """Where every number below comes from; 'illustrative' where it is a teaching assumption."""
    caveats: tuple[str, ...] = ()
    """What is assumed rather than measured, or uncertain (shown to learners)."""
    boat_size: tuple[int, int] = (10, 15)
    demography: Demography
    nationalities: Annotated[tuple[Nationality, ...], Field(min_length=1)]
    journey: Journey = Journey()
    arrivals: tuple[ArrivalPeriod, ...] = ()
    reception: Reception | None = None
    transit_conflict_country: str = ""
    """A transit country at war that people fled (e.g. "Libya" in 2011), or ""."""

    @model_validator(mode="after")
    def _transit(self) -> Scenario:
        if not self.transit_conflict_country:
            bad = [x.name for x in self.nationalities if x.transit_conflict > 0]
            if bad:
                raise ValueError(
                    "transit_conflict is drawn for " + ", ".join(bad) + " but the scenario "
                    "names no transit_conflict_country"
                )
        return self

    @model_validator(mode="after")
    def _stories_fit(self) -> Scenario:
        """Each nationality's stories fit its origin and the route (the origins table): an
        Eritrea-specific story is never drawn for someone from Tunisia, nor a story set in
        Libya on the Atlantic route."""
        for x in self.nationalities:
            stories = [("trafficking_story", x.trafficking_story), ("child_story", x.child_story)]
            if _told_by_women_only(x.trafficking_story):
                # men of such a nationality tell the men's story of the route
                stories.append(("trafficking_story", _labour_story(self.route)))
            for field, story in stories:
                if x.trafficking == 0 and field == "trafficking_story":
                    continue
                why = narratives.story_fits(story, x.name, self.route)
                if why:
                    raise ValueError(f"nationalities ({x.name}).{field}: {why}")
        return self

    @field_validator("boat_size")
    @classmethod
    def _boat(cls, v: tuple[int, int]) -> tuple[int, int]:
        if not 1 <= v[0] <= v[1]:
            raise ValueError("boat_size must be [min, max] with 1 <= min <= max")
        return v

    @field_validator("nationalities")
    @classmethod
    def _unique(cls, v: tuple[Nationality, ...]) -> tuple[Nationality, ...]:
        names = [x.name for x in v]
        dup = sorted({x for x in names if names.count(x) > 1})
        if dup:
            raise ValueError(f"nationality listed twice: {', '.join(dup)}")
        return v

    @property
    def total_arrivals(self) -> int:
        return sum(a.people for a in self.arrivals)


def _told_by_women_only(story: str) -> bool:
    """A story of sexual exploitation, or one only women tell (housework for a family in the
    Gulf: :data:`~mixedflows.narratives.testimony.STORY_WORKERS`)."""
    return story.startswith("sexual_exploitation") or (
        story in STORY_WORKERS and "male" not in STORY_WORKERS[story]
    )


def _labour_story(route: str) -> narratives.StoryName:
    """The story men tell on a route where women tell one that only women tell: the labour
    story of the route, or, on a route with none (the Gulf of Aden), being held for ransom on
    the way (the scenario cites what it rests on)."""
    for story in ("labour_in_transit", "labour_on_the_atlantic_route"):
        if not narratives.story_fits(story, "", route):
            return story  # type: ignore[return-value]
    return "held_for_ransom"


def load_scenario(path_or_id: Path | str) -> Scenario:
    """Load and validate a scenario file (a path, or an id in datasets/scenarios/)."""
    from mixedflows.paths import scenarios_dir

    return load_model(path_or_id, scenarios_dir(), Scenario)[1]


_TITLE_LINE = re.compile(r"^title:[ \t]*(\S.*)$", re.M)


def scenario_title(scenario_id: str) -> str:
    """A scenario's title, read from its file's top-level ``title:`` line without parsing and
    validating the whole file (a page listing every scenario by title starts sooner; the one
    chosen is loaded whole, and checked, when used). A title that is not one plain line is read
    by :func:`load_scenario`."""
    from mixedflows.errors import parse_yaml
    from mixedflows.paths import scenarios_dir

    try:
        text = (scenarios_dir() / f"{scenario_id}.yaml").read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        text = ""
    m = _TITLE_LINE.search(text)
    if m and m.group(1)[0] not in "|>&*!{[":
        try:
            title = parse_yaml(f"title: {m.group(1)}").get("title")
        except Exception:
            title = None
        if isinstance(title, str) and title.strip():
            return title
    return load_scenario(scenario_id).title


def check_scenario_ref(path: Path | str, scenario_id: str) -> None:
    """A data file naming a scenario: the scenario must load, or the error names the file that
    refers to it, its field ``scenario`` and what is wrong with the scenario."""
    try:
        load_named(load_scenario, scenario_id, "scenario")
    except ValueError as e:
        raise DataFileError(path, "scenario", str(e)) from None


def list_scenarios() -> list[str]:
    from mixedflows.paths import scenarios_dir

    return sorted(p.stem for p in scenarios_dir().glob("*.yaml"))


def summary_frame() -> pd.DataFrame:
    """One row per scenario: where, when, the arrivals it gives and how many sources it names."""
    import pandas as pd

    rows = []
    for sid in list_scenarios():
        sc = load_scenario(sid)
        rows.append(
            {
                "scenario": sc.id,
                "title": sc.title,
                "route": sc.route,
                "arrivals": sc.total_arrivals or None,
                "periods": ", ".join(a.period for a in sc.arrivals) or "none (see caveats)",
                "sources": len(sc.sources),
                "caveats": len(sc.caveats),
            }
        )
    return pd.DataFrame(rows).set_index("scenario")
