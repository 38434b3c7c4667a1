"""Who does what: the mandates of the actors in a mixed flow, the tasks of a landing and who
leads each, and the inter-agency and regional initiatives of MC/INF/294 ¶18 and ¶29, read from
``datasets/cooperation/*.csv`` (each row with its source; described in datapackage.json).

The mapping exercise (``cooperation.mapping``) is graded from ``tasks.csv``: the reference for a
task is its ``lead`` actor; an actor in its ``also`` column earns half credit (it shares the
work, it does not lead it). Nothing is typed beside the question.
"""

from __future__ import annotations

import csv
import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import field_validator

from mixedflows.errors import DataFileError, Strict
from mixedflows.paths import home
from mixedflows.results import AnswerError, Feedback, GradeResult

PARTIAL = 0.5
"""Credit for naming an actor that shares a task (its ``also`` column) instead of its lead."""


def folder() -> Path:
    return home() / "datasets" / "cooperation"


@dataclass(frozen=True)
class Actor:
    id: str
    actor: str
    kind: str
    mandate: str
    in_the_field: str
    source: str
    verification: str


@dataclass(frozen=True)
class Task:
    id: str
    task: str
    lead: str
    also: tuple[str, ...]
    why: str
    seed: str
    source: str
    verification: str


@dataclass(frozen=True)
class Initiative:
    id: str
    name: str
    kind: str
    region: str
    started: str
    members: str
    what: str
    seed: str
    source: str
    verification: str
    caveat: str


@cache
def verification_codes() -> dict[str, str]:
    """What each verification code of these files means, in the words a learner reads: from
    the data package's own description of the ``verification`` column ("P = read in the
    primary source; S = ..."), never typed again here."""
    package = home() / "datasets" / "datapackage.json"
    try:
        resources = json.loads(package.read_text("utf-8"))["resources"]
    except (OSError, ValueError, KeyError) as e:
        raise DataFileError(package, "resources", f"cannot be read: {e}") from None
    codes: dict[str, str] = {}
    for r in resources:
        if not str(r.get("path", "")).startswith("cooperation/"):
            continue
        for f in r.get("schema", {}).get("fields", []):
            if f.get("name") == "verification":
                codes.update(re.findall(r"\b([A-Z][\w-]*) = ([^;.]+)", f.get("description", "")))
    if not codes:
        raise DataFileError(package, "cooperation verification", "no code described")
    return codes


_TAG = re.compile(r"(?P<code>[A-Z][\w-]*)(?:\s*:\s*(?P<after>.+)|\s*\((?P<within>.+)\))?")


def verification_words(tag: str) -> str:
    """A row's verification in words: each code said as the data package describes it, with
    the part it is for or what was read ("P (deck); S (A/70/976)" -> "deck, read in the primary
    source; A/70/976, read in a reliable secondary source that cites the primary"). A code the package does not
    describe is an error of the file, never shown raw."""
    codes = verification_codes()
    out = []
    for part in (p.strip() for p in tag.split(";")):
        m = _TAG.fullmatch(part)
        if m is None or m["code"] not in codes:
            raise DataFileError(
                folder(), "verification", f"'{part}' is not a code the data package describes"
            )
        meaning = codes[m["code"]]
        if m["within"]:  # the part of the row this code is for
            meaning = f"{m['within'].strip()}, {meaning}"
        elif m["after"]:  # what was read
            meaning = f"{meaning}: {m['after'].strip()}"
        out.append(meaning)
    return "; ".join(out)


def shown_source(source: str, verification: str) -> str:
    """A row's source as a learner reads it: the publication (:func:`learner_source`: a copy's
    site said to be a copy, never named) and how far it was verified, in words."""
    from mixedflows.flows.data import learner_source

    return f"{learner_source(source)}. Verified: {verification_words(verification)}."


def _rows(name: str, columns: tuple[str, ...]) -> list[dict[str, str]]:
    path = folder() / name
    try:
        with path.open(encoding="utf-8", newline="") as f:
            reader = csv.DictReader(f)
            missing = [c for c in columns if c not in (reader.fieldnames or [])]
            if missing:
                raise DataFileError(path, missing[0], "column missing")
            rows = list(reader)
    except OSError as e:
        raise DataFileError(path, "", f"cannot be read: {e.strerror or e}") from None
    for k, row in enumerate(rows, start=2):
        if not (row.get("source") or "").strip():
            raise DataFileError(path, f"line {k}.source", "every row needs a source")
        if not (row.get("id") or "").strip():
            raise DataFileError(path, f"line {k}.id", "every row needs an id")
    return rows


@cache
def actors() -> dict[str, Actor]:
    cols = ("id", "actor", "kind", "mandate", "in_the_field", "source", "verification")
    return {r["id"]: Actor(**{c: r[c] for c in cols}) for r in _rows("mandates.csv", cols)}


@cache
def tasks() -> dict[str, Task]:
    cols = ("id", "task", "lead", "also", "why", "seed", "source", "verification")
    known = actors()
    out = {}
    for k, r in enumerate(_rows("tasks.csv", cols), start=2):
        also = tuple(a.strip() for a in r["also"].split(";") if a.strip())
        for who, col in [(r["lead"], "lead"), *((a, "also") for a in also)]:
            if who not in known:
                raise DataFileError(
                    folder() / "tasks.csv", f"line {k}.{col}", f"'{who}' is not in mandates.csv"
                )
        out[r["id"]] = Task(**{c: r[c] for c in cols if c != "also"}, also=also)
    return out


@cache
def initiatives() -> dict[str, Initiative]:
    cols = (
        "id",
        "name",
        "kind",
        "region",
        "started",
        "members",
        "what",
        "seed",
        "source",
        "verification",
        "caveat",
    )
    return {r["id"]: Initiative(**{c: r[c] for c in cols}) for r in _rows("initiatives.csv", cols)}


# -- the mapping exercise -------------------------------------------------------------------------
class MappingParams(Strict):
    tasks: tuple[str, ...] = ()
    """The tasks asked, by id in tasks.csv (empty: every task)."""

    @field_validator("tasks")
    @classmethod
    def _known(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        known = tasks()
        missing = [t for t in value if t not in known]
        if missing:
            raise ValueError(f"cannot load task(s) {', '.join(missing)}: not in tasks.csv")
        return value


def asked(params: MappingParams) -> list[Task]:
    """The tasks of an exercise, in its order."""
    every = tasks()
    return [every[t] for t in params.tasks] if params.tasks else list(every.values())


def grade_mapping(exercise: Any, answer: Any) -> GradeResult:
    """Grade a mapping ``{task id: actor id}`` from tasks.csv (see the module docstring); an
    unanswered task gets no credit and is marked unanswered."""
    params: MappingParams = exercise.params
    if not isinstance(answer, dict):
        raise AnswerError("the answer must map each task to an actor")
    every = actors()
    items = []
    for t in asked(params):
        given = answer.get(t.id)
        if given not in (None, "") and given not in every:
            raise AnswerError(f"task '{t.task}': '{str(given)[:60]}' is not an actor")
        lead = every[t.lead]
        if given in (None, ""):
            credit, msg = 0.0, f"Not answered. {lead.actor} leads this: {t.why}"
        elif given == t.lead:
            credit, msg = 1.0, f"Yes. {t.why}"
        elif given in t.also:
            credit = PARTIAL
            msg = f"{every[given].actor} shares this work; {lead.actor} leads it. {t.why}"
        else:
            credit = 0.0
            msg = f"Not {every[given].actor}'s task: {lead.actor} leads it. {t.why}"
        items.append(
            Feedback(
                item=t.task,
                credit=credit,
                message=msg,
                citation=f"{t.seed}; {shown_source(t.source, t.verification)}",
                expected=lead.actor,
                given=every[given].actor if given in every else "",
                answered=given not in (None, ""),
            )
        )
    score = sum(f.credit for f in items) / len(items)
    right = sum(f.correct for f in items)
    return GradeResult(
        exercise.id,
        score,
        tuple(items),
        summary=f"{right} of {len(items)} tasks given to the actor that leads them.",
    )
