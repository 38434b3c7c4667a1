"""The course's modules: their numbers, topics and seed paragraphs, in one table.

:data:`COURSE` is read through :mod:`mixedflows.registry` (``registry.COURSE``, with the
functions that refer to a module) and here by the data-file formats, whose ``module`` field
is a :data:`CourseModule`: a number the course has. This module imports nothing of the
package, so a format may use it without importing the registry (whose graders import the
formats: an import cycle).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from pydantic import AfterValidator, Field


@dataclass(frozen=True)
class PlannedModule:
    number: int
    topic: str
    """What the module is about, as a phrase ("stranded migrants")."""
    paragraphs: str
    """The seed paragraphs it rests on, as cited ("¶20")."""


COURSE: tuple[PlannedModule, ...] = (
    PlannedModule(1, "who is in the boat: mixed flows, profiles and first needs", "¶1–9"),
    PlannedModule(2, "the journey and the data", "¶2–5, ¶9–12"),
    PlannedModule(3, "information, legal channels and root causes before departure", "¶14–15, ¶26"),
    PlannedModule(4, "rescue, arrival and reception capacity", "¶16, ¶19"),
    PlannedModule(5, "screening and referral", "¶17, ¶19, ¶21"),
    PlannedModule(6, "stranded migrants", "¶20"),
    PlannedModule(7, "procedures, rights and services after arrival", "¶21–22"),
    PlannedModule(8, "regularization trade-offs", "¶23"),
    PlannedModule(9, "return, reintegration and labour mobility", "¶24–26"),
    PlannedModule(
        10,
        "cooperation, who does what at Lampedusa (the Praesidium) and in the Gulf of Aden (the "
        "Mixed Migration Task Force)",
        "¶18, ¶27–29",
    ),
    PlannedModule(11, "a capstone: a season on the route", "¶16–25"),
)
"""The lifecycle of MC/INF/294 as the course plans it (README.md, "What is in the course"); a
module is *written* when its notebook exists."""


def module_numbers() -> tuple[int, ...]:
    """The numbers of the course's modules, in order."""
    return tuple(m.number for m in COURSE)


def _a_course_module(number: int) -> int:
    numbers = module_numbers()
    if number not in numbers:
        raise ValueError(
            f"the course has no module {number}: its modules are {numbers[0]} to "
            f"{numbers[-1]} (mixedflows.registry.COURSE; a new module is added there first)"
        )
    return number


CourseModule = Annotated[int, AfterValidator(_a_course_module)]
"""A data file's ``module``: one of the course's modules (:data:`COURSE`), named if not."""


SEED_PARAGRAPHS = 30
"""How many numbered paragraphs IOM MC/INF/294 has (¶1 to ¶30; ¶30 closes the note): the
one bound of every ``seed_paragraphs`` in the course's files."""

SeedParagraph = Annotated[int, Field(ge=1, le=SEED_PARAGRAPHS)]
"""A paragraph of MC/INF/294, by its number."""
SeedParagraphs = Annotated[tuple[SeedParagraph, ...], Field(min_length=1)]
"""The paragraphs a course file rests on: at least one, each one of the note's."""
