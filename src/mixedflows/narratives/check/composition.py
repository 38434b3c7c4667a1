"""The composition of a narrative, checked (:func:`composition_problems`): actors introduced
before use, each fact told once, places of abuse that do not contradict each other.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from mixedflows.narratives.check.claims import CLAIMS, Claim, P
from mixedflows.profiles import Person

# --- Composition: actors introduced before use, each fact once, one place of abuse ------------

ACTORS: dict[str, tuple[re.Pattern[str], re.Pattern[str]]] = {
    name: (re.compile(intro, re.IGNORECASE), re.compile(use))
    for name, intro, use in (
        # (actor, words that introduce it, words that refer to it as already known)
        ("recruiter", r"\ba recruiter\b|\bthe man who recruited\b", r"\b[Tt]he recruiter\b"),
        ("broker", r"\ba broker\b", r"\b[Tt]he broker\b"),
        ("farm", r"\ba farm\b", r"\b[Tt]he farm\b"),
        ("compound", r"\ba compound\b", r"\b[Tt]he compound\b"),
        (
            "captors",
            r"\barmed men\b|\bthe men who (?:moved|held)\b",
            r"^The men\b(?! who)|^They\b",
        ),
        ("madam", r"\ba 'madam'", r"\b[Tt]he madam\b"),
        (
            "a family in the Gulf",
            r"\ba family (?:in|for|\w+ worked for)\b|\bfor a family\b",
            r"\b[Tt]he family in Jeddah\b|\bthat house\b|\bthe house in Jeddah\b",
        ),
        ("agent", r"\ban agent\b", r"\b[Tt]he agent\b"),
        # Cold trial 2 of issue 10: workers, a promise and a promiser referred to as known.
        (
            "work",
            r"\bworked\b|\bmade to work\b|\bpromised (?:him |her )?(?:\w+ )?(?:job|work)\b|"
            r"\bfactory\b|\ba farm\b|\bemployer\b|\bhousework\b",
            r"\b[Tt]he workers\b",
        ),
        (
            "someone who made promises",
            r"\ba recruiter\b|\ba broker\b|\bthe man who recruited\b|\ba woman from\b|"
            r"\bfriend told\b|\ban agent\b",
            r"\b(?:He|She) was promised\b",
        ),
        (
            "a promise of building work",
            r"\bpromised (?:him |her )?(?:building work|work on a building site)\b",
            r"\bInstead of a building site\b",
        ),
        ("employer", r"\ban employer\b", r"\b[Tt]he employer\b"),
    )
}
"""Who or where a sentence may refer to only once introduced, within what a learner reads at
once (the narrative, or one answer of the interview)."""


FACTS_TOLD_ONCE: dict[str, re.Pattern[str]] = {
    name: re.compile(pattern, re.IGNORECASE)
    for name, pattern in (
        ("the promise of a job", r"\bpromised (?:him |her )?(?:a |paid )?(?:\w+ )?(?:job|work)\b"),
        ("the passport taken", rf"\b(?:kept|took|keeps) {P} passport\b|\bpassport is kept\b"),
        ("the scars", r"\bscars\b"),
        ("the smuggler paid", r"\bpaid a smuggler\b"),
        ("the months on the way", r"\bmonths? on the way\b"),
    )
}
"""Facts a person tells once: told twice in one text, the second telling repeats the first (cold
trial: Moussa G.'s promise of building work was told twice)."""


_FAMILY_ONLY = re.compile(r"\bwants to join a brother who works abroad\.$")


_RECRUITED_FOR_WORK = re.compile(
    r"\ba recruiter\b|\bpromised (?:him|her) (?:a job|\w+ work|work|housework)\b"
)
"""A reason to leave that is only to join family, then a recruitment for work with nothing
linking them (cold trial 2 of issue 10)."""


_BEATING = re.compile(r"\bbeat(?:en|ings?)?\b", re.IGNORECASE)


PLACES_OF_ABUSE: dict[str, re.Pattern[str]] = {
    name: re.compile(pattern, re.IGNORECASE)
    for name, pattern in (
        ("a detention centre", r"\bdetention centre\b"),
        ("a farm", r"\bfarm\b"),
        ("a compound", r"\bcompound\b|\bthe men who held\b"),
        ("work", r"\bat work\b|\bemployer\b"),
        ("the journey", r"\bthe men who moved\b|\bon the way\b"),
    )
}
"""Where a sentence says a person was beaten. The place a person's scars come from must be one
of the places their story tells of beatings (cold trial: scars 'from a detention centre' for a
man whose story told of beatings on a farm)."""


def composition_problems(p: Person, blocks: Iterable[tuple[str, list[str]]]) -> list[Problem]:
    """Actors used before they are introduced and facts told twice, in each block a learner
    reads at once; and places of abuse that contradict each other across all of them."""
    problems = []
    scars: list[tuple[str, str, set[str]]] = []
    beaten: set[str] = set()
    for where, sentences in blocks:
        known: set[str] = set()
        family_only = ""
        told: dict[str, str] = {}
        seen: set[str] = set()
        for sentence in sentences:
            for actor, (intro, use) in ACTORS.items():
                if intro.search(sentence):
                    known.add(actor)
                elif use.search(sentence) and actor not in known:
                    problems.append(
                        Problem(
                            p.person_id, where, sentence, f"refers to {actor} before introducing"
                        )
                    )
            if _FAMILY_ONLY.search(sentence):
                family_only = sentence
            elif family_only and _RECRUITED_FOR_WORK.search(sentence):
                problems.append(
                    Problem(
                        p.person_id,
                        where,
                        sentence,
                        "recruited for work, while the reason told is only to join family "
                        f"({family_only!r})",
                    )
                )
                family_only = ""
            if sentence in seen:
                problems.append(Problem(p.person_id, where, sentence, "repeats a sentence"))
            seen.add(sentence)
            for fact, pattern in FACTS_TOLD_ONCE.items():
                if pattern.search(sentence):
                    if fact in told and told[fact] != sentence:
                        problems.append(
                            Problem(p.person_id, where, sentence, f"tells {fact} again")
                        )
                    told.setdefault(fact, sentence)
            if _BEATING.search(sentence):
                places = {k for k, pat in PLACES_OF_ABUSE.items() if pat.search(sentence)}
                if "scars" in sentence:
                    scars.append((where, sentence, places))
                else:
                    beaten |= places
    for where, sentence, places in scars:
        if places and beaten and not places & beaten:
            problems.append(
                Problem(
                    p.person_id,
                    where,
                    sentence,
                    f"places the beatings in {', '.join(sorted(places))}, the story in "
                    f"{', '.join(sorted(beaten))}",
                )
            )
    return problems


@dataclass(frozen=True)
class Problem:
    """One disagreement between a text and the facts."""

    person_id: str
    where: str
    """'narrative' or 'interview: <question>'."""
    sentence: str
    problem: str

    def text(self) -> str:
        return f"{self.person_id} [{self.where}] {self.problem}: {self.sentence!r}"


@lru_cache(maxsize=65536)
def claims_in(sentence: str) -> tuple[Claim, ...]:
    """The claims a sentence makes (cached: generated sentences repeat a great deal)."""
    return tuple(c for c in CLAIMS if c.pattern.search(sentence))


def _identity(p: Person, sentence: str) -> bool:
    """The opening sentence names the person, the age they state and the nationality."""
    return sentence.startswith(f"{p.name}, {p.age}, from {p.nationality},")


def _observation_lines(p: Person) -> dict[str, set[str]]:
    """Each sentence that tells one of the person's observations, with every observation it
    tells (one sentence may tell two: the 'free' transport that became a debt)."""
    from mixedflows.narratives import indicator_forms, pronouns

    pr = pronouns(p.sex)
    out: dict[str, set[str]] = {}
    for i in p.trafficking_indicators:
        for t in indicator_forms(i, p.story):
            out.setdefault(t.format(**pr), set()).add(i)
    return out
