"""The debrief of module 5, generated from the worked cases and what the rules derive.

Every name, age and fact below is read from the worked cases of the module's exercises (and the
two the module's text speaks of: :data:`EXTRA_CASES`) and from :func:`mixedflows.screening.screen`:
a changed case gives a changed debrief, and the debrief cannot disagree with the grading (issue 14:
the hand-written debrief named people and ages the files could change). Each point picks the
people it speaks of by a rule on their facts, asks the room a question, and says what the rules
say; a point with no one to speak of is left out.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from mixedflows import narratives, trafficking
from mixedflows.cases.worked import load_case
from mixedflows.profiles import NEED_LABELS, URGENT_LABELS, Company, Need, NeedCategory, Person
from mixedflows.screening import Screening, screen
from mixedflows.text import Markdown, bullets, joined

EXERCISES = (
    "m5_hard_constraints",
    "m5_mark_indicators",
    "m5_family_referrals",
    "m5_screening_desk",
)
"""The module's exercises, whose worked cases the debrief reads."""
EXTRA_CASES = ("child_no_means_needed", "worked_unpaid_found_job_himself")
"""Worked cases the module's text speaks of beyond its exercises (the child rule; the labour-rights
route)."""


@dataclass(frozen=True)
class Row:
    case: str
    person: Person
    s: Screening

    @property
    def who(self) -> str:
        return f"{self.person.name}, {self.person.age},"

    @property
    def name(self) -> str:
        return self.person.name


def case_ids() -> list[str]:
    """The worked cases the debrief reads, in the order of the module's exercises."""
    from mixedflows.exercises import load_exercise

    out: list[str] = []
    for ex_id in EXERCISES:
        params = load_exercise(ex_id).params
        ids = getattr(params, "cases", None) or (getattr(params, "case", ""),)
        out += [c for c in ids if c and c not in out]
    return out + [c for c in EXTRA_CASES if c not in out]


def rows(cases: Sequence[str | Path] | None = None) -> list[Row]:
    out = []
    for cid in case_ids() if cases is None else cases:
        case = load_case(cid)
        for p in case.persons:
            out.append(Row(case.id, p, screen(p)))
    return out


def _names(rs: Sequence[Row]) -> str:
    return joined(r.name for r in rs)


def _told(p: Person) -> str:
    """What the person told, as the Palermo kinds of their observations (means, then purpose)."""
    table = trafficking.observations()
    means = dict.fromkeys(table[i].means for i in p.trafficking_indicators if table[i].means)
    purpose = dict.fromkeys(table[i].purpose for i in p.trafficking_indicators if table[i].purpose)
    parts = []
    if means:
        parts.append("means told: " + joined(means))
    if purpose:
        parts.append("purpose told: " + joined(purpose))
    return "; ".join(parts)


def _missing(r: Row) -> str:
    return joined(r.s.trafficking.missing)


# --- The points ----------------------------------------------------------------------------------


def care_first(rs: list[Row]) -> str:
    hit = [r for r in rs if r.person.urgent]
    if not hit:
        return ""
    said = joined(
        f"{r.name} ({', '.join(URGENT_LABELS[u].lower() for u in r.person.urgent)})" for r in hit
    )
    return (
        f"**Care first.** {said} needed care before any question. Did anyone's interview start "
        "before it? Welfare first (¶17, ¶19): the questions wait."
    )


def same_story_different_age(rs: list[Row]) -> str:
    by_case: dict[tuple[str, tuple[str, ...]], list[Row]] = {}
    for r in rs:
        if r.person.trafficking_indicators:
            key = (r.case, tuple(sorted(r.person.trafficking_indicators)))
            by_case.setdefault(key, []).append(r)
    for (cid, _), group in by_case.items():
        kids = [r for r in group if r.s.trafficking.child and r.s.trafficking.referral]
        adults = [r for r in group if not r.s.trafficking.child and not r.s.trafficking.referral]
        if kids and adults:
            k, a = kids[0], adults[0]
            met = [x.name for x in (k, a) if x.s.trafficking.ilo.combination]
            ilo = f"met for {joined(met)} only" if met else "met for neither"
            return (
                f"**{k.name} and {a.name}** (worked case *{cid}*) told the same story. Why is "
                f"{k.name}, {k.person.age}, referred and not {a.name}, {a.person.age}? Which "
                f"element is missing for {a.name}, and what would {a.name} have to say for it to "
                f"be there? The rules: for a child the act and the purpose suffice (Palermo art. "
                f"3(c)); what {a.name} said shows no {_missing(a)}. The ILO/EC combination is {ilo}: the "
                "referral never waits for it."
            )
    return ""


def textbook_case(rs: list[Row]) -> str:
    from mixedflows.exercises import load_exercise

    indicators_case = getattr(load_exercise("m5_mark_indicators").params, "case", "")
    hit = [r for r in rs if r.case == indicators_case and r.s.trafficking.referral]
    if not hit:
        return ""
    r = hit[0]
    return (
        f"**{r.name}** ({_told(r.person)}) is the testimony of exercise 2. "
        + _ilo_question(r)
        + " The rules: deception at recruitment is a means once the promise proved false "
        "(Palermo art. 3(a); the course's reading), and the elements shown are "
        + "; ".join(
            f"{f.element}: {', '.join(f.kinds)}" for f in r.s.trafficking.elements if f.present
        )
        + "."
    )


def _ilo_question(r: Row) -> str:
    """The question on the ILO/EC combination, from what the engine finds for this person (cold
    trial of issue 10, M3: the fixed text said a rule waiting for the combination 'might not
    refer' Moussa G., whose combination is met)."""
    ilo = r.s.trafficking.ilo
    obj = narratives.pronouns(r.person.sex)["obj"]
    if not ilo.applicable:
        return (
            "The ILO/EC labour list does not apply to what was told: which Palermo element does "
            f"each fact show, and is that enough to refer {obj}?"
        )
    dims = joined(f"{trafficking.DIMENSIONS[d].lower()} ({d})" for d in ilo.positive_dimensions)
    if ilo.combination:
        return (
            f"Here the ILO/EC combination of dimensions is met too (positive: {dims}), but the "
            "referral does not wait for it: which of the facts told is the means the referral "
            "rests on, and would the referral still stand if one of those dimensions were not "
            "told?"
        )
    counts = (
        "counts (for a child, the act and the purpose: no means is needed)"
        if r.s.trafficking.child
        else "counts as an act, a means or a purpose"
    )
    return (
        "A rule that waited for the ILO/EC combination of dimensions would not refer "
        f"{obj} (positive: {dims or 'none'}; missing {' and '.join(ilo.missing)}): which of "
        f"the facts told does it not count, that the referral {counts}?"
    )


def sexual_exploitation(rs: list[Row]) -> str:
    hit = [r for r in rs if r.s.trafficking.sexual]
    if not hit:
        return ""
    return (
        f"**{_names(hit)}** told a story of sexual exploitation. Why is it not marked against "
        "the ILO/EC labour list, and what does the course say about the lists for sexual "
        "exploitation? The rules: " + trafficking.SEXUAL_LISTS_MISSING
    )


def harmed_not_trafficked(rs: list[Row]) -> str:
    hit = [
        r
        for r in rs
        if r.s.trafficking.observed
        and not r.s.trafficking.referral
        and any(c.category is NeedCategory.VS for c in r.s.categories)
        and Need.LABOUR_RIGHTS not in r.s.needs
    ]
    if not hit:
        return ""
    r = hit[0]
    needs = joined(NEED_LABELS[n].lower() for n in r.s.needs)
    return (
        f"**{r.who}** was harmed on the way, yet is not referred for trafficking. Which element "
        f"is missing? What does he need instead, and why is he not counselled on voluntary "
        f"return yet? The rules: missing {_missing(r)}; referred for {needs}; voluntary return "
        "only after a risk assessment."
        if r.person.sex.value == "male"
        else f"**{r.who}** was harmed on the way, yet is not referred for trafficking. Which "
        f"element is missing? What does she need instead, and why is she not counselled on "
        f"voluntary return yet? The rules: missing {_missing(r)}; referred for {needs}; "
        "voluntary return only after a risk assessment."
    )


def exploited_not_trafficked(rs: list[Row]) -> str:
    hit = [r for r in rs if Need.LABOUR_RIGHTS in r.s.needs and not r.s.trafficking.referral]
    if not hit:
        return ""
    return (
        f"**Exploited, not (yet) trafficked.** {_names(hit)} told of exploitation at work, but "
        f"the trafficking elements are not all shown (missing: "
        f"{joined(dict.fromkeys(m for r in hit for m in r.s.trafficking.missing))}). What route "
        "is left, and why does it not depend on the trafficking referral? The rules: labour "
        "rights: for work done abroad before arrival, legal aid on the remedies open and the "
        "facts to the identification authority; a wage claim and the labour inspectorate only "
        "for work done here (¶21: labour rights through national legal structures). ILO "
        "Convention No. 143, art. 9(1), gives equal treatment in rights arising from past "
        "employment; it does not say where they are claimed."
    )


def child_at_risk_with_parent(rs: list[Row]) -> str:
    hit = [
        r
        for r in rs
        if r.person.treated_as_child
        and r.person.company is Company.PARENT
        and any(c.category is NeedCategory.CR for c in r.s.categories)
    ]
    if not hit:
        return ""
    r = hit[0]
    risk = next(c for c in r.s.categories if c.category is NeedCategory.CR).reason
    return (
        f"**{r.who}** travels with a parent and is a child at risk "
        f"({risk.removeprefix('a child who is ')}). Why is "
        f"{r.name} referred to child protection, and why is no guardian promised? The rules: a "
        "child at risk (UNHCR category CR) is referred even with a parent, who stays the "
        "caregiver unless the best interests procedure finds otherwise."
    )


def separated_with_relative(rs: list[Row]) -> str:
    hit = [r for r in rs if r.person.treated_as_child and r.person.company is Company.RELATIVE]
    if not hit:
        return ""
    r = hit[0]
    return (
        f"**{r.who}** travels with a relative who is not a parent: a separated child (CRC "
        "General Comment No. 6). What might the best interests assessment conclude, and why "
        "does it still matter that it happens?"
    )


def prima_facie(rs: list[Row]) -> str:
    hit = [r for r in rs if r.person.prima_facie]
    if not hit:
        return ""
    places = joined(dict.fromkeys(r.person.nationality for r in hit))
    return (
        f"**{_names(hit)}** ({places}) {'belongs' if len(hit) == 1 else 'belong'} to a group "
        "recognised prima facie where they arrived. Who applies that recognition, and what does "
        "the screening official do?"
    )


POINTS: tuple[Callable[[list[Row]], str], ...] = (
    care_first,
    same_story_different_age,
    textbook_case,
    sexual_exploitation,
    harmed_not_trafficked,
    exploited_not_trafficked,
    child_at_risk_with_parent,
    separated_with_relative,
    prima_facie,
)
"""The points of the debrief, in order."""


def debrief(cases: Sequence[str | Path] | None = None) -> Markdown:
    """The points of module 5's debrief that name people and facts, as a Markdown list (from the
    module's worked cases, or from ``cases``: ids or paths of case files)."""
    rs = rows(cases)
    return bullets(point(rs) for point in POINTS)
