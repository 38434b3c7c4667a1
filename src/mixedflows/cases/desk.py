"""The screening desk: case files in a queue, an interview, and feedback on one file.

The learner interviews each person (questions reveal facts: :func:`ask`), marks the ILO/EC
indicators observed, and chooses the referrals and their order; :func:`grade_desk` compares that
with the rules, citing the framework and the seed paragraph of each point.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from mixedflows import citations as cite
from mixedflows import constraints as cons
from mixedflows import narratives, referrals, trafficking
from mixedflows.cases.worked import load_case
from mixedflows.citations import Citation, para
from mixedflows.profiles import NEED_LABELS, Need, Person
from mixedflows.results import AnswerError, Feedback, GradeResult
from mixedflows.screening import Screening, screen

# --- Why a referral is not called for ----------------------------------------------------------

NOT_NEEDED: dict[Need, str] = {
    Need.URGENT_MEDICAL: "nothing in the facts is an acute welfare need (the person gets the "
    "ordinary health check everyone gets)",
    Need.CHILD_PROTECTION: "the person is an adult whose age is not in doubt, or a child "
    "travelling with a parent who is not a child at risk (not married, not pregnant, no "
    "indications of trafficking)",
    Need.TRAFFICKING_REFERRAL: "the facts do not show the elements a referral needs",
    Need.ASYLUM_INFORMATION: "nothing points to a protection need and the person did not ask "
    "for asylum (they must still be told they may)",
    Need.SPECIFIC_NEEDS: "no UNHCR specific-needs category calling for a service applies",
    Need.LABOUR_RIGHTS: "the person tells of no exploitation at work (no unpaid work, excessive "
    "hours, wages withheld or forced tasks), or is a child, whose exploitation is for the child "
    "protection system",
    Need.FAMILY_TRACING: "no family member is missing and the person is not a child without a "
    "parent",
    Need.COUNSELLING: "",
}


def not_needed(s: Screening, need: Need) -> str:
    """Why ``need`` is not called for, for this person (for trafficking: the element missing
    and the facts that would change it)."""
    if need is Need.TRAFFICKING_REFERRAL and s.trafficking.observed:
        return s.trafficking.reason.rstrip(".")
    if need is Need.SPECIFIC_NEEDS:
        # From the categories themselves (trainer's trial of issue 10: LP was said in the same
        # feedback as "no category applies"): each one that applies, with the referral that
        # answers it.
        others = [c for c in s.categories if c.answered_by not in (None, Need.SPECIFIC_NEEDS)]
        if others:
            answered = "; ".join(
                f"{c.label} ({c.category.name}: {c.reason}) is answered by "
                f"'{NEED_LABELS[c.answered_by]}'"
                for c in others
            )
            return f"{NOT_NEEDED[need]}: {answered}"
    return NOT_NEEDED[need]


NOT_NEEDED_CITATION: dict[Need, Citation] = {
    Need.URGENT_MEDICAL: cite.WELFARE_FIRST,
    Need.CHILD_PROTECTION: referrals.CHILD_PROTECTION,
    Need.ASYLUM_INFORMATION: referrals.ASYLUM,
    Need.SPECIFIC_NEEDS: referrals.SPECIFIC_NEEDS,
    Need.LABOUR_RIGHTS: referrals.LABOUR_ABROAD,
    Need.FAMILY_TRACING: referrals.FAMILY_TRACING,
    Need.COUNSELLING: cite.COUNSELLING,
}
"""What a "Not called for" line rests on: the guidance of the referral it names (a trainer's
cold trial of issue 10 found every such line cited to the ordering rules)."""


ORDER_CITATION = Citation(
    framework="Hard constraints, not a sequence: acute welfare needs first; a child's "
    "protection never waits; counselling never replaces a referral; no trafficking interview "
    "in front of a possible trafficker (UNHCR 10-Point Plan, points 4-6, 9; UNHCR BIP "
    "Guidelines 2021)",
    seed=para(17, 19),
    caveat="MC/INF/294 orders only welfare first, then screening, then counselling (¶17); it "
    "does not state the private-interview rule in words (¶19 makes the dignity and well-being "
    "of victims of trafficking a central concern): that rule comes from the frameworks named",
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


def constraint_checks(
    s: Screening, chosen: Sequence[Need], asked: Sequence[str] | None = None
) -> list[cons.ConstraintCheck]:
    """The hard constraints on the referrals chosen (in order) and, when ``asked`` is given,
    on the interview: a trafficking interview never before the person is taken aside from a
    possible trafficker."""
    checks = cons.check(cons.constraints_for(s), [n.value for n in chosen])
    if asked is not None and s.interview_apart:
        c = next(x for x in cons.constraints_for(s, interview=True) if x.id == "private_interview")
        steps = []
        for q in asked:
            if q == "private":
                steps.append(cons.PRIVATE)
            elif q in narratives.TRAFFICKING_QUESTIONS and cons.INTERVIEW not in steps:
                steps.append(cons.INTERVIEW)
        checks += cons.check([c], steps)
    return checks


def referral_feedback(
    s: Screening, chosen: Sequence[Need], asked: Sequence[str] | None = None
) -> tuple[float, float, list[Feedback]]:
    """Credit for the set of referrals (Jaccard) and for the hard constraints (the share of
    those that apply which the answer respects), with one feedback line per referral and per
    constraint. Any order that respects the constraints is right."""
    ref = list(s.needs)
    got = list(chosen)
    union = set(ref) | set(got)
    set_credit = len(set(ref) & set(got)) / len(union) if union else 1.0
    checks = constraint_checks(s, got, asked)
    order_credit = cons.credit(checks)
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
                    f"Not called for: {not_needed(s, n)}.",
                    (
                        _traff_citation(s)
                        if n is Need.TRAFFICKING_REFERRAL
                        else NOT_NEEDED_CITATION[n].text()
                    ),
                )
            )
    for c in checks:
        if c.applicable and not c.respected:
            items.append(Feedback("Hard constraint", 0.0, c.message, c.constraint.citation.text()))
    return set_credit, order_credit, items


def _traff_citation(s: Screening) -> str:
    return (trafficking.CHILD_CITATION if s.trafficking.child else trafficking.CITATION).text()


def order_message(
    s: Screening,
    chosen: Sequence[Need],
    asked: Sequence[str] | None = None,
    *,
    broken_below: bool = False,
) -> str:
    """The hard constraints in one message: which the answer respects, and which it breaks.

    With ``broken_below`` the feedback gives each broken constraint its own line, with its own
    source (:func:`referral_feedback`): this message only names them, so the missing step is
    said once, with one citation (cold trial of issue 10, minor 3: Blessing O. not taken aside
    read the same step twice, under two citations)."""
    common = [n for n in chosen if n in s.needs]
    if not common:
        return "No right referral chosen yet, so no order to check."
    checks = [c for c in constraint_checks(s, chosen, asked) if c.applicable]
    broken = [c for c in checks if not c.respected]
    if not checks:
        return "Order: no hard constraint applies here; any order is right."
    if not broken:
        return (
            "Order right: every hard constraint is respected ("
            + "; ".join(c.constraint.rule.split(":")[0] for c in checks)
            + ")."
        )
    if broken_below:
        msg = (
            f"{len(checks) - len(broken)} of {len(checks)} hard constraints respected; broken: "
            + "; ".join(c.constraint.rule.split(":")[0] for c in broken)
            + " (what was missing, with its source, in the hard constraint line)."
        )
    else:
        msg = " ".join(c.message for c in broken)
    if any(c.constraint.id == "welfare_first" for c in broken):
        msg += " Acute welfare needs always come first: no interview before care (¶17)."
    return msg


# --- The screening desk ------------------------------------------------------------------------

DESK_WEIGHTS = {"referrals": 0.5, "order": 0.25, "indicators": 0.25}
"""How a desk case is scored: the right referrals, the hard constraints on their order and on
the interview (never a fixed sequence), and the indicators marked."""


@dataclass(frozen=True)
class CaseFile:
    """One file in the desk's queue: a person to interview."""

    person: Person
    source: str
    """Where the person comes from: a worked case, or a scenario and seed (all synthetic)."""
    title: str = ""


QUEUE_MEMO = "desk-queue"


def desk_queue(
    cases: Sequence[str] = (),
    scenario: str | None = None,
    seed: int = 0,
    generated: int = 0,
    *,
    keep: bool = False,
) -> list[CaseFile]:
    """The desk's queue: the persons of the worked cases named, then ``generated`` persons of a
    scenario (reproducible for a seed).

    Read from its memo when one is kept (:mod:`mixedflows.memo`: keyed by these inputs, numpy's
    version and every file of the package and datasets/), so the desk's first view neither
    parses the worked cases' files nor loads numpy to draw (issue 13); ``keep``: keep the memo
    when there was none (the app's first queue; the arrivals a learner asks for later are
    drawn, not kept)."""
    from mixedflows import memo

    key = memo.key(QUEUE_MEMO, cases=list(cases), scenario=scenario, seed=seed, n=generated)
    kept = memo.load(QUEUE_MEMO, key)
    if isinstance(kept, list):
        try:
            return [
                CaseFile(Person.model_validate(f["person"]), str(f["source"]), str(f["title"]))
                for f in kept
            ]
        except (ValueError, KeyError, TypeError):  # not a queue of these persons: drawn again
            pass
    out = []
    for cid in cases:
        c = load_case(cid)
        for p in c.persons:
            # a learner reads this: the case's title, never its internal id
            out.append(CaseFile(p, f"the worked case '{c.spec.title}'", c.spec.title))
    if scenario and generated:
        from mixedflows.scenarios import generate_cohort, load_scenario

        sc = load_scenario(scenario)
        for p in generate_cohort(sc, seed, generated):
            out.append(CaseFile(p, f"the scenario '{sc.title}', seed {seed}", sc.title))
    if keep:
        memo.save(
            QUEUE_MEMO,
            key,
            [
                {"person": f.person.model_dump(mode="json"), "source": f.source, "title": f.title}
                for f in out
            ],
        )
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
    return [i for i in p.trafficking_indicators if narratives.topic_of(i) in set(asked)]


def _coerce_ids(value: Any, what: str) -> list[str]:
    if isinstance(value, str) or not isinstance(value, list | tuple | set | frozenset):
        raise AnswerError(f"{what}: give a list of indicator ids, got {type(value).__name__}")
    table = trafficking.observations()
    bad = [v for v in value if v not in table]
    if bad:
        raise AnswerError(f"{what}: not an indicator of this course: {', '.join(map(str, bad))}")
    return list(dict.fromkeys(value))


def _where(ind: trafficking.Indicator, child: bool) -> str:
    """Where an observation sits: its ILO/EC dimension and weight, or the Palermo element it
    shows (a story of sexual exploitation, read against Palermo only)."""
    elements = ", ".join(f"{e}: {ind.element(e)}" for e in trafficking.ELEMENTS if ind.element(e))
    if not ind.ilo:
        return f"read against Palermo, {elements or 'no element on its own'}"
    w = trafficking.WEIGHT_LABELS.get(ind.weight(child), "not in the list for children")
    dim = f"dimension {ind.dimension}, {trafficking.DIMENSIONS[ind.dimension].lower()}, {w}"
    return f"{dim}; {elements or 'no Palermo element on its own'}"


def _label(ind: trafficking.Indicator) -> str:
    return f"{ind.text} ({ind.dimension})" if ind.ilo else f"{ind.text} (Palermo)"


def indicator_feedback(p: Person, marked: Sequence[str]) -> tuple[float, list[Feedback]]:
    """Credit for the indicators marked (Jaccard with those in the person's story), one line per
    indicator, and a line on what the marks add up to: the Palermo elements (indications
    warranting referral) and, beside them, the ILO/EC view (with the caveat)."""
    table = trafficking.observations()
    ref = list(p.trafficking_indicators)
    union = set(ref) | set(marked)
    credit = len(set(ref) & set(marked)) / len(union) if union else 1.0
    items = []
    child = p.treated_as_child
    cit = (trafficking.CHILD_CITATION if child else trafficking.CITATION).text()
    for i in ref:
        ind = table[i]
        line = narratives.indicator_line(i, p.story).format(**narratives.pronouns(p.sex))
        if i in marked:
            items.append(Feedback(_label(ind), 1.0, f'Right ({_where(ind, child)}): "{line}"', cit))
        else:
            items.append(
                Feedback(_label(ind), 0.0, f'Missed ({_where(ind, child)}): "{line}"', cit)
            )
    for i in marked:
        if i not in ref:
            ind = table[i]
            items.append(
                Feedback(
                    _label(ind),
                    0.0,
                    f"Not in this testimony ({_where(ind, child)}): nothing the person said "
                    "shows it. Check the dimension: the same words can belong to recruitment or "
                    "to the destination.",
                    cit,
                )
            )
    mine = trafficking.assess(marked, child=child)
    theirs = trafficking.assess(ref, child=child)
    msg = f"Your marks: {mine.reason} From the testimony: {theirs.reason} {theirs.ilo.text(child)}"
    same = mine.referral == theirs.referral and mine.missing == theirs.missing
    items.append(Feedback("What the marks add up to", 1.0 if same else 0.0, msg, cit))
    if theirs.sexual or not theirs.ilo.applicable:
        items.append(Feedback("The lists used", 1.0, trafficking.SEXUAL_LISTS_MISSING, cit))
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
    set_c, order_c, items = referral_feedback(s, chosen, asked)
    items.insert(
        0,
        Feedback(
            "Order",
            order_c,
            order_message(s, chosen, asked, broken_below=True),
            ORDER_CITATION.text(),
        ),
    )
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
        f"Referrals {set_c:.0%}, hard constraints {order_c:.0%}, indicators {ind_c:.0%}. "
        + " ".join(notes)
    ).strip()
    return GradeResult(
        exercise_id,
        round(score, 4),
        tuple(items),
        summary,
        {"person_id": p.person_id, "reference": [n.value for n in s.needs]},
        part=p.person_id,
    )


def _topic_indicators(p: Person, topic: str) -> list[str]:
    return [i for i in p.trafficking_indicators if narratives.topic_of(i) == topic]
