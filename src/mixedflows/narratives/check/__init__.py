"""Narratives agree with facts, mechanically.

A lexicon (:data:`CLAIMS`) says what words claim: "could not leave" claims confinement, "not
with his parents" claims a child without a parent, "nobody here is responsible for him" claims
an unaccompanied child. Each claim has a predicate on the person's facts. For every sentence a
learner reads (the module 1 narrative, and the arrival note and every interview answer of the
screening desk), :func:`check_person` reports:

- a sentence that claims something the facts do not hold (a contradiction);
- a sentence that states nothing the rules read (no claim, and not the telling of one of the
  person's trafficking observations): it could only mislead;
- a fact the rules grade that no sentence states (the learner could not know it).

The lexicon is written against the words, not against the code that writes the sentences: a
new sentence either matches an existing claim, or the check fails until a claim is added here.

The claims (what a sentence may say, and of whom) are in
:mod:`~mixedflows.narratives.check.claims`, the composition checks (actors introduced before
use, each fact once, one place of abuse) in :mod:`~mixedflows.narratives.check.composition`,
what each observation's sentence must say and the check of a text or a person in
:mod:`~mixedflows.narratives.check.tells`; every name is importable from here.
"""

from __future__ import annotations

from mixedflows.narratives.check.claims import (
    CLAIMS,
    OLDER,
    WORKING_AGE_MAX,
    Claim,
    P,
    Pred,
)
from mixedflows.narratives.check.composition import (
    ACTORS,
    FACTS_TOLD_ONCE,
    PLACES_OF_ABUSE,
    Problem,
    claims_in,
    composition_problems,
)
from mixedflows.narratives.check.tells import (
    TELLS,
    check_person,
    check_text,
    graded_facts,
    missing_words,
    tells,
)

__all__ = [
    "ACTORS",
    "CLAIMS",
    "FACTS_TOLD_ONCE",
    "OLDER",
    "PLACES_OF_ABUSE",
    "TELLS",
    "WORKING_AGE_MAX",
    "Claim",
    "P",
    "Pred",
    "Problem",
    "check_person",
    "check_text",
    "claims_in",
    "composition_problems",
    "graded_facts",
    "missing_words",
    "tells",
]
