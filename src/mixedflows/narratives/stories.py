"""The trafficking testimony of a person, composed from the sentences of
:mod:`mixedflows.narratives.testimony`: which observations a story tells, what each requires,
binds or tells along with it, and the story in the order it is told.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from mixedflows.narratives.names import origins
from mixedflows.narratives.testimony import (
    INDICATOR_INTRODUCES,
    INDICATOR_INTROS,
    INDICATOR_LINES,
    INDICATOR_USES,
    PALERMO_LINES,
    STORIES,
    STORY_ALSO,
    STORY_BINDS,
    STORY_INTRODUCES,
    STORY_REQUIRES,
)

if TYPE_CHECKING:
    import numpy as np


def story_fits(story: str, nationality: str, route: str) -> str:
    """'' if a trafficking story fits the nationality and the route, else what does not fit."""
    fit = origins().stories[story]
    if fit.origins != "any" and nationality not in fit.origins:
        return f"story '{story}' fits people from {', '.join(fit.origins)}, not {nationality}"
    if fit.routes != "any" and not any(w in route for w in fit.routes):
        return f"story '{story}' tells of {', '.join(fit.routes)}, which the route does not pass"
    return ""


# --- Trafficking testimony ---------------------------------------------------------------------


def story_indicators(name: str) -> tuple[str, ...]:
    return tuple(it[0] for it in STORIES[name])


def also_told(story: str) -> dict[str, tuple[str, ...]]:
    """The observations a story's sentences tell besides their own (:data:`STORY_ALSO`)."""
    return STORY_ALSO.get(story, {})


def requires(story: str) -> dict[str, tuple[str, ...]]:
    """The items a story keeps only beside one of the others named (:data:`STORY_REQUIRES`)."""
    return STORY_REQUIRES.get(story, {})


def bound(story: str) -> dict[str, tuple[str, ...]]:
    """The observations a kept item brings with it, each told by its own sentence
    (:data:`STORY_BINDS`): the oath sworn to repay a debt for the journey brings the debt."""
    return STORY_BINDS.get(story, {})


def with_also_told(ids: Sequence[str], story: str) -> tuple[str, ...]:
    """``ids`` with the observations their sentences also tell in ``story``, each once."""
    also = also_told(story)
    return tuple(dict.fromkeys(j for i in ids for j in (i, *also.get(i, ()))))


def _told_with(indicator_id: str, story: str) -> str:
    """The story item whose sentence also tells ``indicator_id`` ('' if none)."""
    for primary, extra in also_told(story).items():
        if indicator_id in extra:
            return primary
    return ""


def story_names() -> tuple[str, ...]:
    return tuple(STORIES)


def _forms(indicator_id: str, story: str = "") -> tuple[str, str, tuple[str, ...], tuple[str, ...]]:
    """(text, intro, uses, introduces) of one observation: the story's own wording if it has
    one, else the general line. ``text`` refers to the actors in ``uses`` as known; ``intro``
    stands alone and introduces them; ``introduces`` are the actors ``text`` itself introduces."""
    primary = _told_with(indicator_id, story)
    for i, text, intro, uses in STORIES.get(story, ()):
        if i in (indicator_id, primary):
            return text, intro, uses, STORY_INTRODUCES.get(story, {}).get(i, ())
    if indicator_id in INDICATOR_LINES:
        return (
            INDICATOR_LINES[indicator_id],
            INDICATOR_INTROS.get(indicator_id, ""),
            INDICATOR_USES.get(indicator_id, ()),
            INDICATOR_INTRODUCES.get(indicator_id, ()),
        )
    if indicator_id in PALERMO_LINES:
        return PALERMO_LINES[indicator_id], "", (), ()
    for name, items in STORIES.items():
        for i, text, intro, uses in items:
            if i == indicator_id:
                return text, intro, uses, STORY_INTRODUCES.get(name, {}).get(i, ())
    raise KeyError(f"no sentence tells observation '{indicator_id}'")


def indicator_line(indicator_id: str, story: str = "") -> str:
    """The sentence that tells one observation standing alone (quoted in feedback): it
    introduces whoever it refers to."""
    text, intro, uses, _ = _forms(indicator_id, story)
    return intro if uses and intro else text


def indicator_forms(indicator_id: str, story: str = "") -> tuple[str, ...]:
    """Every wording that may tell an observation (the check reads any of them as telling it)."""
    text, intro, _, _ = _forms(indicator_id, story)
    return (text, intro) if intro else (text,)


def _story_order(ids: Sequence[str], story: str) -> list[str]:
    """The observations in the order of the story (a promise before what came instead), then any
    outside the story in the order given."""
    order = {i: k for k, i in enumerate(story_indicators(story))} if story in STORIES else {}
    for i in ids:  # told by another item's sentence: at that item's place
        if _told_with(i, story) in order:
            order.setdefault(i, order[_told_with(i, story)])
    return sorted(ids, key=lambda i: (order.get(i, len(order)), list(ids).index(i)))


def compose(ids: Sequence[str], story: str) -> list[tuple[str, str]]:
    """(observation id, sentence template) for a told block of a story: in story order, each
    actor introduced before a sentence refers to it ("a recruiter" before "the recruiter"), and
    each observation told once. A block is the whole narrative, or one answer of the interview."""
    known: set[str] = set()
    out = []
    for i in dict.fromkeys(_story_order(ids, story)):
        if _told_with(i, story) in ids:
            continue  # told by the same sentence as another observation kept
        text, intro, uses, introduces = _forms(i, story)
        if uses and intro and not set(uses) <= known:
            out.append((i, intro))
            known |= set(uses)
        else:
            out.append((i, text))
        known |= set(introduces)
    return out


def trafficking_story(
    name: str, rng: np.random.Generator, *, child: bool
) -> tuple[tuple[str, ...], list[str]]:
    """A random subset (at least two items) of a story: indicator ids and their sentences."""
    if child:
        name = "child_labour"
    items = STORIES[name]
    keep = rng.random(len(items)) < 0.7
    if keep.sum() < 2:
        keep[rng.choice(len(items), size=2, replace=False)] = True
    kept = [it[0] for it, k in zip(items, keep, strict=True) if k]
    kept += [j for i in kept for j in bound(name).get(i, ())]  # what a kept item brings
    ids = with_also_told(tuple(dict.fromkeys(kept)), name)
    return ids, [t for _, t in compose(ids, name)]
