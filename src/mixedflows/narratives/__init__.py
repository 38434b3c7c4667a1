"""Case narratives and interviews: short, humane texts built from a synthetic person's facts.

Vocabulary follows MC/INF/294 ¶22 (destigmatization): people, migrants, children; never
"illegals". Each sentence states a fact a first-contact official could learn; the grading rules
read the facts, not the text, so the text can be rewritten freely.

A person's facts are told in two ways: :func:`narrate` gives the whole story at once (module 1),
and :func:`interview` gives what the person answers to each question of a screening interview
(module 5, the screening desk): an interview, not a form, so the official learns only what they
ask about. Wording is chosen from the person id, so the same person always reads the same.
The sentences that tell trafficking indicators, and the stories, are in :mod:`.testimony`; a
story is told by :func:`compose`, which introduces each actor before a sentence refers to it and
tells each observation once, in the whole narrative and in each answer of the interview. Given
names, persecution-ground lines and stories fit the person's origin and route: the table is
``mixedflows/data/origins.yaml``, and a scenario that draws a story that does not fit is refused.

The texts agree with the facts *mechanically*: :mod:`.check` reads every sentence with a lexicon
of what its words claim, and fails a sentence that claims a fact the person does not have, a
sentence that states nothing the rules know, or a fact the rules grade that no sentence states;
and it fails an actor referred to before being introduced, a fact told twice, and places of
abuse that contradict each other.
The tests run it over every scenario (seeds 0-199) and every worked case.

The names and origins are in :mod:`~mixedflows.narratives.names`, the trafficking testimony
composed from its sentences (:mod:`~mixedflows.narratives.testimony`) in
:mod:`~mixedflows.narratives.stories`, the facts as sentences and the interview's questions in
:mod:`~mixedflows.narratives.phrases`, a person's narrative and interview in
:mod:`~mixedflows.narratives.interview`, and the check in :mod:`~mixedflows.narratives.check`;
every name is importable from here.
"""

from __future__ import annotations

from mixedflows.narratives.interview import (
    AGREED,
    arrival_lines,
    arrival_note,
    companion,
    interview,
    narrate,
    narrative_lines,
)
from mixedflows.narratives.names import (
    _GROUNDS as _GROUNDS,
)
from mixedflows.narratives.names import (
    _NAMES as _NAMES,
)
from mixedflows.narratives.names import (
    INITIALS,
    NameRegion,
    Origins,
    StoryName,
    fits_origin,
    given_names,
    names_for,
    origins,
)
from mixedflows.narratives.phrases import (
    PARENTS,
    QUESTION_LABELS,
    QUESTIONS,
    RELATIVES,
    TRAFFICKING_QUESTIONS,
    ground_line,
    pronouns,
    topic_of,
    topic_of_dimension,
)
from mixedflows.narratives.stories import (
    also_told,
    bound,
    compose,
    indicator_forms,
    indicator_line,
    requires,
    story_fits,
    story_indicators,
    story_names,
    trafficking_story,
    with_also_told,
)

__all__ = [
    "AGREED",
    "INITIALS",
    "PARENTS",
    "QUESTIONS",
    "QUESTION_LABELS",
    "RELATIVES",
    "TRAFFICKING_QUESTIONS",
    "NameRegion",
    "Origins",
    "StoryName",
    "also_told",
    "arrival_lines",
    "arrival_note",
    "bound",
    "companion",
    "compose",
    "fits_origin",
    "given_names",
    "ground_line",
    "indicator_forms",
    "indicator_line",
    "interview",
    "names_for",
    "narrate",
    "narrative_lines",
    "origins",
    "pronouns",
    "requires",
    "story_fits",
    "story_indicators",
    "story_names",
    "topic_of",
    "topic_of_dimension",
    "trafficking_story",
    "with_also_told",
]
