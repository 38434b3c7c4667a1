"""Case files of modules 6 and 7: a person, their situation, and (in worked cases) what the
author expects, in data files in ``datasets/casework/``.

A person's facts are those of :class:`~mixedflows.profiles.Person`; the situation adds the facts
of a stranded or post-arrival case that screening does not ask (whether they want to go home,
whether they consent to consular contact, whether a State denies their nationality or refused to
readmit them, whether they were paid for work). What the frameworks call for is derived by
:mod:`mixedflows.casework.actions`; ``expected`` is the author's reading, compared with the
rules by the tests and never used to grade. Generated files (a scenario's people placed in a
stranded situation, module 6) come from :func:`generated_files`, reproducible for a seed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

from pydantic import Field, ValidationError

from mixedflows import narratives, trafficking
from mixedflows.course import CourseModule, SeedParagraphs
from mixedflows.errors import DataFileError, Strict, from_validation, load_model
from mixedflows.profiles import Person
from mixedflows.text import joined, sentence

Id = Annotated[str, Field(pattern=r"^[a-z0-9_]+$")]


class Situation(Strict):
    """What a case officer learns beyond screening's questions."""

    wishes_to_return: bool = False
    """The person says they want to go home (a free choice: IOM AVRR, voluntariness)."""
    consents_to_consular: bool = True
    """False where the person expressly opposes contact with their consulate (VCCR art. 36)."""
    nationality_denied: bool = False
    """The State the person names says they are not its national, or they know of no State
    whose national they are: a question for statelessness screening."""
    readmission_refused: bool = False
    """A State of transit refused to readmit them: the risk of being pushed back and forth
    between countries (MC/INF/294 ¶20)."""
    unpaid_wages: bool = False
    """They worked here and were not paid (rights arising from past employment: ILO C143 art. 9)."""
    weeks_unpaid: Annotated[int, Field(ge=0)] = 0


class CasePerson(Strict):
    id: Id
    family: str = ""
    facts: dict[str, Any]
    """Fields of :class:`~mixedflows.profiles.Person` (person_id and narrative excepted)."""
    situation: Situation = Situation()
    expected: tuple[str, ...]
    """The actions the author reads the frameworks as calling for (compared by the tests)."""
    why: str = ""


class CaseworkSpec(Strict):
    id: Id
    title: str
    module: CourseModule
    seed_paragraphs: SeedParagraphs
    frameworks: Annotated[tuple[str, ...], Field(min_length=1)]
    context: str
    summary: str
    persons: Annotated[tuple[CasePerson, ...], Field(min_length=1)]


@dataclass(frozen=True)
class CaseFile:
    """One person to work on: facts, situation, and where the file comes from."""

    person: Person
    situation: Situation
    source: str
    """A worked case, or a scenario and seed (all synthetic)."""
    family: tuple[Person, ...] = ()
    """The other members of the person's family in the same case."""


def situation_lines(p: Person, s: Situation) -> list[str]:
    """The situation in words, generated from its facts (shown with the case file)."""
    pr = narratives.pronouns(p.sex)
    out = []
    if s.nationality_denied:
        # No reason is given: "birth never registered" contradicted the passport the narrative
        # says the person lost on the way (issue 14).
        out.append(
            "The authorities of {nat} replied that {sub} is not one of their nationals.".format(
                nat=p.nationality, **pr
            )
        )
    if s.readmission_refused:
        out.append(
            "{Sub} was sent back to the border once; the neighbouring State refused to take "
            "{obj} back.".format(**pr)
        )
    if s.unpaid_wages:
        weeks = f"{s.weeks_unpaid} weeks" if s.weeks_unpaid else "for weeks"
        out.append("{Sub} worked {weeks} and was never paid.".format(weeks=weeks, **pr))
    out.append(
        "{Sub} says {sub} wants to go home.".format(**pr)
        if s.wishes_to_return
        else "{Sub} does not want to go back.".format(**pr)
    )
    if not s.consents_to_consular:
        out.append("{Sub} asks that {pos} embassy not be contacted.".format(**pr))
    return out


def family_line(file: CaseFile) -> str:
    """Who of the person's family is here, as a sentence ('' for a person alone). Names may end
    in an initial ("Meron G."), which ends the sentence too."""
    if not file.family:
        return ""
    return sentence("Family here: " + joined(q.name for q in file.family))


_NOT_FACTS = {"person_id", "narrative", "family_id"}


def _person(path: Path, spec: CaseworkSpec, k: int) -> Person:
    cp = spec.persons[k]
    where = f"persons.{k}.facts"
    known = set(Person.model_fields) - _NOT_FACTS
    for key in cp.facts:
        if key not in known:
            raise DataFileError(
                path, f"{where}.{key}", "unknown key (not a fact of a person; check its spelling)"
            )
    data = {"person_id": f"{spec.id}.{cp.id}", "family_id": cp.family, **cp.facts}
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


@dataclass(frozen=True)
class Casework:
    spec: CaseworkSpec
    files: tuple[CaseFile, ...]
    path: str

    @property
    def id(self) -> str:
        return self.spec.id


def casework_dir() -> Path:
    from mixedflows.paths import datasets_dir

    return datasets_dir() / "casework"


def load_casework(path_or_id: Path | str) -> Casework:
    """Load and validate one casework file (a path, or an id in datasets/casework/)."""
    from mixedflows.casework.actions import ACTIONS

    p, spec = load_model(path_or_id, casework_dir(), CaseworkSpec)
    ids = [cp.id for cp in spec.persons]
    if len(set(ids)) != len(ids):
        raise DataFileError(p, "persons", "two persons share an id")
    persons = [_person(p, spec, k) for k in range(len(spec.persons))]
    for k, cp in enumerate(spec.persons):
        bad = [a for a in cp.expected if a not in ACTIONS]
        if bad:
            raise DataFileError(p, f"persons.{k}.expected", f"not an action: {', '.join(bad)}")
    files = []
    for cp, person in zip(spec.persons, persons, strict=True):
        fam = tuple(
            q
            for c2, q in zip(spec.persons, persons, strict=True)
            if cp.family and c2.family == cp.family and c2.id != cp.id
        )
        files.append(CaseFile(person, cp.situation, f"the worked case '{spec.title}'", fam))
    return Casework(spec, tuple(files), str(p))


def list_casework() -> list[str]:
    return sorted(p.stem for p in casework_dir().glob("*.yaml"))


class Chances(Strict):
    """Chances of each situation fact for generated files: illustrative teaching values, said
    to be so wherever they are shown."""

    wishes_to_return: Annotated[float, Field(ge=0, le=1)] = 0.5
    opposes_consular: Annotated[float, Field(ge=0, le=1)] = 0.15
    nationality_denied: Annotated[float, Field(ge=0, le=1)] = 0.1
    readmission_refused: Annotated[float, Field(ge=0, le=1)] = 1.0
    unpaid_wages: Annotated[float, Field(ge=0, le=1)] = 0.0


FILES_MEMO = "casework-files"


def generated_files(
    scenario: str,
    seed: int,
    size: int,
    premise: dict[str, Any],
    chances: Chances,
    *,
    keep: bool = False,
) -> list[CaseFile]:
    """A scenario's people, placed in the situation the exercise describes: ``premise`` sets
    facts of every person (e.g. ``cannot_return: true`` for people stranded, ¶20), and each
    situation fact is drawn with its chance, reproducibly for the seed.

    Read from their memo when one is kept (:mod:`mixedflows.memo`, keyed by these inputs, numpy's
    version and every file of the package and datasets/), so a page showing them loads no numpy
    (issue 16: 8.7 MB of the kernel's own memory); ``keep``: keep the memo when there was none
    (an exercise's files, always the same for its parameters)."""
    from mixedflows import memo

    key = memo.key(
        FILES_MEMO,
        scenario=scenario,
        seed=seed,
        size=size,
        premise=premise,
        chances=chances.model_dump(mode="json"),
    )
    kept = memo.load(FILES_MEMO, key)
    if isinstance(kept, list):
        try:
            return [
                CaseFile(
                    Person.model_validate(f["person"]),
                    Situation.model_validate(f["situation"]),
                    str(f["source"]),
                )
                for f in kept
            ]
        except (ValueError, TypeError, KeyError):  # not a memo of these files
            pass
    out = _draw_files(scenario, seed, size, premise, chances)
    if keep:
        value = [
            {
                "person": f.person.model_dump(mode="json"),
                "situation": f.situation.model_dump(mode="json"),
                "source": f.source,
            }
            for f in out
        ]
        memo.save(FILES_MEMO, key, value)
    return out


def _draw_files(
    scenario: str, seed: int, size: int, premise: dict[str, Any], chances: Chances
) -> list[CaseFile]:
    import numpy as np  # here, not at import: an app whose first view draws no one loads none

    from mixedflows.scenarios import generate_cohort, load_scenario

    sc = load_scenario(scenario)
    rng = np.random.default_rng([seed, 620])
    out = []
    for p in generate_cohort(sc, seed, size):
        # Validated with the premise (a list in the exercise file is the model's tuple), so the
        # files read back from their memo are these, field for field.
        q = Person.model_validate({**p.model_dump(), **premise})
        q = q.model_copy(update={"narrative": narratives.narrate(q)})
        draw = rng.random(5)
        s = Situation(
            wishes_to_return=bool(draw[0] < chances.wishes_to_return),
            consents_to_consular=bool(draw[1] >= chances.opposes_consular),
            nationality_denied=bool(draw[2] < chances.nationality_denied),
            readmission_refused=bool(draw[3] < chances.readmission_refused),
            unpaid_wages=bool(draw[4] < chances.unpaid_wages),
        )
        out.append(CaseFile(q, s, f"scenario '{sc.id}', seed {seed}"))
    return out


def queue(
    casework: Sequence[str] = (),
    scenario: str | None = None,
    seed: int = 0,
    generated: int = 0,
    premise: dict[str, Any] | None = None,
    chances: Chances | None = None,
    *,
    keep: bool = False,
) -> list[CaseFile]:
    """The files of an exercise: the worked cases named, then ``generated`` people of a
    scenario placed in the exercise's situation (``keep``: keep their memo,
    :func:`generated_files`)."""
    out: list[CaseFile] = []
    for cid in casework:
        out += list(load_casework(cid).files)
    if scenario and generated:
        out += generated_files(
            scenario, seed, generated, premise or {}, chances or Chances(), keep=keep
        )
    return out
