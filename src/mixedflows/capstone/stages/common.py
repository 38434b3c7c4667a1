"""What every stage of the season shares: the scenario loaded once, the season started, the
check that a stage comes in its turn, and each stage's feedback numbered and named."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from functools import lru_cache
from typing import Any

from mixedflows.capstone.spec import CapstoneSpec, load_capstone
from mixedflows.capstone.state import STAGE_TITLES, STAGES, Season
from mixedflows.results import AnswerError, Feedback, GradeResult


@lru_cache(maxsize=8)
def _spec(spec_id: str) -> CapstoneSpec:
    return load_capstone(spec_id)


def start(spec: CapstoneSpec | str) -> Season:
    """A season before the first decision (a scenario id is loaded once per process)."""
    return Season(_spec(spec) if isinstance(spec, str) else spec)


def _need(season: Season, stage: str) -> None:
    if season.next_stage != stage:
        done = ", ".join(r.stage for r in season.records) or "none"
        raise AnswerError(
            f"{STAGE_TITLES.get(stage, stage)} comes after the stages before it "
            f"(stages done: {done}; next: {season.next_stage})"
        )


def _dict(answer: Any, stage: str) -> dict[str, Any]:
    if not isinstance(answer, Mapping):
        raise AnswerError(f"{stage}: the answer is a mapping, got {type(answer).__name__}")
    return dict(answer)


def _prefix(stage: str, items: Sequence[Feedback]) -> tuple[Feedback, ...]:
    n = STAGES.index(stage) + 1
    return tuple(replace(f, item=f"{n}. {STAGE_TITLES[stage]}: {f.item}") for f in items)


def _end(text: str) -> str:
    """A sentence's end: a name such as "Nour N." already ends it."""
    return text if text.endswith(".") else text + "."


def _stage_result(stage: str, r: GradeResult) -> GradeResult:
    return GradeResult(
        f"capstone.{stage}", r.score, _prefix(stage, r.items), r.summary, dict(r.details)
    )
