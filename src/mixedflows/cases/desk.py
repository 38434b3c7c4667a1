"""The screening desk: case files in a queue, an interview, and feedback on one file.

The learner interviews each person (questions reveal facts: :func:`ask`), marks the ILO/EC
indicators observed, and chooses the referrals and their order; :func:`grade_desk` compares that
with the rules, citing the framework and the seed paragraph of each point.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from mixedflows import narratives, trafficking
from mixedflows.cases.worked import load_case
from mixedflows.citations import Citation, para
from mixedflows.grading import AnswerError, Feedback, GradeResult
from mixedflows.profiles import NEED_LABELS, Need, Person
from mixedflows.screening import Screening, screen

# --- Why a referral is not called for ----------------------------------------------------------

NOT_NEEDED: dict[Need, str] = {
    Need.URGENT_MEDICAL: "nothing in the facts is an acute welfare need (the person gets the "
    "ordinary health check everyone gets)",
    Need.CHILD_PROTECTION: "the person is an adult whose age is not in doubt, or a child "
    "travelling with a parent with no indication of trafficking",
    Need.TRAFFICKING_REFERRAL: "the indicators observed do not add up to indications of "
    "trafficking under the ILO/EC rule (stay alert all the same)",
    Need.ASYLUM_INFORMATION: "nothing points to a protection need and the person did not ask "
    "for asylum (they must still be told they may)",
    Need.SPECIFIC_NEEDS: "no UNHCR specific-needs category applies",
    Need.FAMILY_TRACING: "no family member is missing and the person is not a child without a "
    "parent",
    Need.COUNSELLING: "",
}

ORDER_CITATION = Citation(
    framework="Order of first responses: welfare first, then screening for trafficking "
    "indicators and protection claims, then counselling (UNHCR 10-Point Plan, points 4-6, 9)",
    seed=para(17),
)


def _coerce_needs(value: Any, what: str) -> list[Need]:
    if isinstance(value, str) or not isinstance(value, list | tuple):
        raise AnswerError(f"{what}: give a list of referrals, got {type(value).__name__}")
    out = []
    for v in value:
        try:
            n = Need(v)
        except ValueError:
            raise AnswerError(
                f"{what}: '{v}' is not a referral; choose from {', '.join(x.value for x in Need)}"
            ) from None
        if n in out:
            raise AnswerError(f"{what}: '{n.value}' is chosen twice")
        out.append(n)
    return out


def referral_feedback(s: Screening, chosen: Sequence[Need]) -> tuple[float, float, list[Feedback]]:
    """Credit for the set of referrals (Jaccard) and for their order (share of pairs of right
    referrals in the right order), with one feedback line per referral."""
    ref = list(s.needs)
    got = list(chosen)
    union = set(ref) | set(got)
    set_credit = len(set(ref) & set(got)) / len(union) if union else 1.0
    common = [n for n in got if n in ref]
    pairs = [(a, b) for i, a in enumerate(common) for b in common[i + 1 :]]
    right = sum(ref.index(a) < ref.index(b) for a, b in pairs)
    order_credit = (right / len(pairs)) if pairs else (1.0 if common else 0.0)
    items = []
    for r in s.referrals:
        if r.need in got:
            items.append(Feedback(r.label, 1.0, f"Right: {r.rationale}", r.citation.text()))
        else:
            items.append(Feedback(r.label, 0.0, f"Missed: {r.rationale}", r.citation.text()))
    for n in got:
        if n not in ref:
            items.append(
                Feedback(
                    NEED_LABELS[n],
                    0.0,
                    f"Not called for: {NOT_NEEDED[n]}.",
                    ORDER_CITATION.text(),
                )
            )
    return set_credit, order_credit, items


def order_message(s: Screening, chosen: Sequence[Need]) -> str:
    ref = list(s.needs)
    common = [n for n in chosen if n in ref]
    expected = [n for n in ref if n in common]
    if not common:
        return "No right referral chosen yet, so no order to check."
    if common == expected:
        return "Order right: " + " → ".join(NEED_LABELS[n] for n in expected) + "."
    msg = "The order of first responses is: " + " → ".join(NEED_LABELS[n] for n in expected) + "."
    if Need.URGENT_MEDICAL in common and common[0] is not Need.URGENT_MEDICAL:
        msg += " Acute welfare needs always come first: no interview before care (¶17)."
    return msg


# --- The screening desk ------------------------------------------------------------------------

DESK_WEIGHTS = {"referrals": 0.5, "order": 0.25, "indicators": 0.25}
"""How a desk case is scored: the right referrals, their order, and the indicators marked."""


@dataclass(frozen=True)
class CaseFile:
    """One file in the desk's queue: a person to interview."""

    person: Person
    source: str
    """Where the person comes from: a worked case, or a scenario and seed (all synthetic)."""
    title: str = ""


def desk_queue(
    cases: Sequence[str] = (), scenario: str | None = None, seed: int = 0, generated: int = 0
) -> list[CaseFile]:
    """The desk's queue: the persons of the worked cases named, then ``generated`` persons of a
    scenario (reproducible for a seed)."""
    out = []
    for cid in cases:
        c = load_case(cid)
        for p in c.persons:
            out.append(CaseFile(p, f"worked case '{c.id}'", c.spec.title))
    if scenario and generated:
        from mixedflows.scenarios import generate_cohort, load_scenario

        sc = load_scenario(scenario)
        for p in generate_cohort(sc, seed, generated):
            out.append(CaseFile(p, f"scenario '{sc.id}', seed {seed}", sc.title))
    return out


def arrival(p: Person) -> str:
    """What the official sees before asking anything."""
    return narratives.arrival_note(p)


def ask(p: Person, question: str) -> list[str]:
    """The person's answer to one question of :data:`mixedflows.narratives.QUESTIONS`."""
    if question not in narratives.QUESTIONS:
        raise AnswerError(f"'{question}' is not a question of the interview")
    return narratives.interview(p)[question]


def testimony(p: Person) -> list[str]:
    """What a person told the team, sentence by sentence: who they are, why they left, the
    journey, work on the way, and who controls what (the text of the indicator exercise)."""
    answers = narratives.interview(p)
    out = [arrival(p)]
    for q in ("reasons", "journey", "work", "control"):
        out += answers[q]
    return out


def revealed_indicators(p: Person, asked: Sequence[str]) -> list[str]:
    """The indicators the questions asked have brought to light."""
    table = trafficking.indicators()
    topics = {narratives.topic_of_dimension(table[i].dimension) for i in p.trafficking_indicators}
    seen = topics & set(asked)
    return [
        i
        for i in p.trafficking_indicators
        if narratives.topic_of_dimension(table[i].dimension) in seen
    ]


def _coerce_ids(value: Any, what: str) -> list[str]:
    if isinstance(value, str) or not isinstance(value, list | tuple | set | frozenset):
        raise AnswerError(f"{what}: give a list of indicator ids, got {type(value).__name__}")
    table = trafficking.indicators()
    bad = [v for v in value if v not in table]
    if bad:
        raise AnswerError(f"{what}: not an ILO/EC indicator: {', '.join(map(str, bad))}")
    return list(dict.fromkeys(value))


def indicator_feedback(p: Person, marked: Sequence[str]) -> tuple[float, list[Feedback]]:
    """Credit for the indicators marked (Jaccard with those in the person's story), one line per
    indicator, and a line on the dimensions the marks make positive (with the caveat)."""
    table = trafficking.indicators()
    ref = list(p.trafficking_indicators)
    union = set(ref) | set(marked)
    credit = len(set(ref) & set(marked)) / len(union) if union else 1.0
    items = []
    cit = trafficking.CITATION.text()
    for i in ref:
        ind = table[i]
        where = f"dimension {ind.dimension}, {trafficking.DIMENSIONS[ind.dimension].lower()}"
        w = trafficking.WEIGHT_LABELS.get(ind.weight(p.treated_as_child), "not in the list")
        line = narratives.indicator_line(i, p.story).format(**narratives.pronouns(p.sex))
        label = f"{ind.text} ({ind.dimension})"
        if i in marked:
            items.append(Feedback(label, 1.0, f'Right ({where}, {w}): "{line}"', cit))
        else:
            items.append(Feedback(label, 0.0, f'Missed ({where}, {w}): "{line}"', cit))
    for i in marked:
        if i not in ref:
            ind = table[i]
            items.append(
                Feedback(
                    f"{ind.text} ({ind.dimension})",
                    0.0,
                    f"Not in this testimony (dimension {ind.dimension}): nothing the person said "
                    "shows it. Check the dimension: the same words can belong to recruitment or "
                    "to the destination.",
                    cit,
                )
            )
    mine = trafficking.assess(marked, child=p.treated_as_child)
    theirs = trafficking.assess(ref, child=p.treated_as_child)
    msg = f"Your marks: {mine.reason} From the testimony: {theirs.reason}"
    items.append(
        Feedback(
            "Dimensions",
            1.0 if mine.positive_dimensions == theirs.positive_dimensions else 0.0,
            msg,
            cit,
        )
    )
    if not union:
        items = [Feedback("Indicators", 1.0, "Right: no trafficking indicator in this story.", cit)]
    return credit, items


def grade_desk(p: Person, answer: Any, exercise_id: str = "m5_screening_desk") -> GradeResult:
    """Grade the learner's work on one case file.

    ``answer`` is ``{"referrals": [need, ...] in order, "indicators": [id, ...],
    "asked": [question, ...]}``. Score: :data:`DESK_WEIGHTS`.
    """
    if not isinstance(answer, dict):
        raise AnswerError(f"the answer must be a mapping, got {type(answer).__name__}")
    unknown = set(answer) - {"referrals", "indicators", "asked", "person_id"}
    if unknown:
        raise AnswerError(f"unknown key(s): {', '.join(sorted(map(str, unknown)))}")
    chosen = _coerce_needs(answer.get("referrals", []), "referrals")
    marked = _coerce_ids(answer.get("indicators", []), "indicators")
    asked = list(answer.get("asked", []))
    s = screen(p)
    set_c, order_c, items = referral_feedback(s, chosen)
    items.insert(0, Feedback("Order", order_c, order_message(s, chosen), ORDER_CITATION.text()))
    ind_c, ind_items = indicator_feedback(p, marked)
    items += ind_items
    notes = []
    if p.urgent and any(q != "health" for q in asked):
        notes.append(
            "Welfare first: with an acute need, care comes before the interview; in the field "
            "these questions wait (¶17)."
        )
    missed_q = [
        q
        for q in ("journey", "work", "control")
        if q not in asked and any(i not in marked for i in _topic_indicators(p, q))
    ]
    if missed_q:
        notes.append(
            "Some indicators came out only under questions you did not ask ("
            + ", ".join(narratives.QUESTIONS[q] for q in missed_q)
            + "): an interview, not a form."
        )
    w = DESK_WEIGHTS
    score = w["referrals"] * set_c + w["order"] * order_c + w["indicators"] * ind_c
    summary = (
        f"Referrals {set_c:.0%}, order {order_c:.0%}, indicators {ind_c:.0%}. " + " ".join(notes)
    ).strip()
    return GradeResult(
        exercise_id,
        round(score, 4),
        tuple(items),
        summary,
        {"person_id": p.person_id, "reference": [n.value for n in s.needs]},
    )


def _topic_indicators(p: Person, topic: str) -> list[str]:
    table = trafficking.indicators()
    return [
        i
        for i in p.trafficking_indicators
        if narratives.topic_of_dimension(table[i].dimension) == topic
    ]
