"""Stage 3, screening (:mod:`mixedflows.screening`, module 5): a sample of the season's people,
of whom the share interviewed late at stage 2 are interviewed in a hurry and leave unsaid what
people rarely say at a hurried first contact. The learner refers each person on what was heard.
→ who is missed, and why."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from functools import lru_cache
from typing import Any

from mixedflows.capstone.stages.common import _dict, _end, _need, _prefix
from mixedflows.capstone.state import (
    CARRY,
    Screened,
    ScreeningOutcome,
    Season,
    StageRecord,
)
from mixedflows.profiles import NEED_LABELS, Need, Person
from mixedflows.results import AnswerError, Feedback, GradeResult


@lru_cache(maxsize=8)
def _cohort(scenario_id: str, seed: int, size: int) -> tuple[Person, ...]:
    from mixedflows.scenarios import generate_cohort, load_scenario

    return tuple(generate_cohort(load_scenario(scenario_id), seed, size))


def heard(person: Person, unsaid: Sequence[str]) -> Person:
    """The person as a hurried interview hears them: the facts in ``unsaid`` at their defaults,
    the narrative written again from what is left."""
    from mixedflows import narratives

    fields = Person.model_fields
    q = person.model_copy(
        update={f: fields[f].get_default(call_default_factory=True) for f in unsaid}
    )
    return q.model_copy(update={"narrative": narratives.narrate(q)})


@lru_cache(maxsize=8)
def _ranks(scenario: str, seed: int, size: int) -> tuple[int, ...]:
    """Each person's priority at the quay under the default plan (¶17: acute needs first;
    ¶19: then children and people with specific needs)."""
    from mixedflows.reception import Plan
    from mixedflows.reception.arrivals import needs_of

    plan = Plan()
    bits = (("urgent_medical", 1), ("unaccompanied_child", 2), ("specific_needs", 4),
            ("child_with_family", 8))  # fmt: skip
    out = []
    for p in _cohort(scenario, seed, size):
        m = needs_of(p)
        groups = [g for g, bit in bits if m & bit]
        out.append(min((plan.rank(g) for g in groups), default=plan.rank("other")))
    return tuple(out)


@lru_cache(maxsize=64)
def _sample(
    scenario: str, seed: int, size: int, unsaid: tuple[str, ...], rushed_count: int
) -> tuple[Screened, ...]:
    persons = _cohort(scenario, seed, size)
    ranks = _ranks(scenario, seed, size)
    order = sorted(range(len(persons)), key=lambda i: (ranks[i], i))
    rushed = set(order[len(order) - rushed_count :]) if rushed_count else set()
    return tuple(
        Screened(p, heard(p, unsaid) if i in rushed else p, i in rushed, ranks[i])
        for i, p in enumerate(persons)
    )


def screening_sample(season: Season) -> tuple[Screened, ...]:
    """The sample of stage 3, as stage 2 left it: the share of people the centre interviewed
    late are interviewed in a hurry, the lowest priority at the quay first."""
    assert season.reception is not None
    spec = season.spec.screening
    k = min(spec.sample, round(spec.sample * season.reception.late_share))
    return _sample(
        spec.scenario, spec.seed, spec.sample, tuple(spec.not_heard_in_a_rushed_interview), k
    )


def screening_situation(season: Season) -> tuple[str, ...]:
    sample = screening_sample(season)
    rushed = [s for s in sample if s.rushed]
    lines = [
        f"{len(sample)} people of the season, synthetic, as your interviews heard them. Refer "
        "each one for what the facts you heard indicate (indications, never a status)."
    ]
    if rushed:
        lines.append(
            f"{len(rushed)} of them {'was' if len(rushed) == 1 else 'were'} interviewed in a "
            f"hurry, after more than the screening limit in a crowded centre (stage 2): "
            + _end(", ".join(s.person.name for s in rushed))
        )
    else:
        lines.append("Every person in the sample had a full interview in time (stage 2).")
    return tuple(lines)


@lru_cache(maxsize=512)
def screen(person: Person) -> Any:
    """The screening rules on one person (a Person is frozen: each is screened once)."""
    from mixedflows.screening import screen as rules

    return rules(person)


def play_screening(season: Season, answer: Any) -> Season:
    """Stage 3: refer each person of the sample on what the interview heard."""
    from mixedflows.journey import ungraded_needs, ungraded_note

    _need(season, "screening")
    a = _dict(answer, "screening")
    sample = screening_sample(season)
    ids = [s.person.person_id for s in sample]
    bad = [str(k) for k in a if k not in ids]
    if bad:
        raise AnswerError(f"screening: not a person of the sample: {', '.join(bad)}")
    known = [n.value for n in Need]
    items: list[Feedback] = []
    credits = []
    referred, not_heard, not_referred, unheard_grounds = {}, {}, {}, {}
    for s in sample:
        pid = s.person.person_id
        given = a.get(pid) or []
        if isinstance(given, str) or not isinstance(given, list | tuple | set | frozenset):
            raise AnswerError(f"screening: {pid}: give a list of referrals")
        wrong = [str(x) for x in given if x not in known]
        if wrong:
            raise AnswerError(f"screening: {pid}: not a referral: {', '.join(wrong)}")
        ref = screen(s.heard)
        full = screen(s.person)
        # One rule with module 2's journey (MC/INF/294 ¶17: counselling for the remaining
        # persons): a need it leaves ungraded is neither demanded nor penalised here.
        free = {n.value for n in ungraded_needs(ref)}
        chosen = set(given) - free
        need = {n.value for n in ref.needs} - free
        union = need | chosen
        credits.append(len(need & chosen) / len(union) if union else 1.0)
        for r in ref.referrals:
            if r.need.value in free:
                items.append(
                    Feedback(
                        f"{s.person.name}: {NEED_LABELS[r.need]}",
                        1.0,
                        ungraded_note(r),
                        r.citation.text(),
                    )
                )
                continue
            ok = r.need.value in chosen
            items.append(
                Feedback(
                    f"{s.person.name}: {NEED_LABELS[r.need]}",
                    float(ok),
                    f"{'Right' if ok else 'Missed'}: {r.rationale}",
                    r.citation.text(),
                )
            )
        for x in sorted(chosen - need):
            items.append(
                Feedback(
                    f"{s.person.name}: {NEED_LABELS[Need(x)]}",
                    0.0,
                    "Referred without grounds heard: the facts your interview heard do not "
                    "call for it (a referral rests on what was heard and put on file).",
                    CARRY.text(),
                )
            )
        referred[pid] = tuple(sorted(chosen | (set(given) & free)))
        # A need the interview did not hear and the learner did not refer (one referred anyway,
        # without grounds heard, is referred: said so above, and counted apart below).
        full_free = {n.value for n in ungraded_needs(full)} | free
        not_heard[pid] = tuple(
            n.value
            for n in full.needs
            if n.value not in need and n.value not in chosen and n.value not in full_free
        )
        not_referred[pid] = tuple(sorted(need - chosen))
        unheard_grounds[pid] = tuple(sorted(chosen - need))
    score = sum(credits) / len(credits)
    result = GradeResult(
        "capstone.screening",
        round(score, 4),
        _prefix("screening", items),
        f"{sum(c >= 0.999 for c in credits)} of {len(credits)} people referred as the facts "
        "heard indicate.",
    )
    name = {s.person.person_id: s.person.name for s in sample}
    # What follows, before the season is submitted: consequences, not the key (which needs were
    # missed is in the graded feedback and the debrief once the season is submitted).
    cons = []
    for pid in referred:
        gone = len(not_heard[pid]) + len(not_referred[pid])
        if gone:
            cons.append(
                f"{name[pid]}: leaves screening with {gone} protection need(s) no service was "
                "asked to meet"
                + (" (some never came up in the hurried interview)" if not_heard[pid] else "")
                + "."
            )
        if unheard_grounds[pid]:
            cons.append(
                f"{name[pid]}: {len(unheard_grounds[pid])} referral(s) made without grounds "
                "heard in the interview: the receiving service gets a file that does not "
                "support them."
            )
    if not cons:
        cons.append("No one in the sample was missed: every indication was heard and referred.")
    choice = tuple(
        f"{name[pid]}: "
        + ("; ".join(NEED_LABELS[Need(n)] for n in needs) if needs else "no referral")
        for pid, needs in referred.items()
    )
    out = ScreeningOutcome(sample, referred, not_heard, not_referred)
    rec = StageRecord("screening", screening_situation(season), choice, a, result, tuple(cons))
    return replace(season, records=(*season.records, rec), screening=out)
