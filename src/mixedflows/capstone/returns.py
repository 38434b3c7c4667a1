"""The capstone's other policy: return and reintegration for the season's people left without a
status (module 9, MC/INF/294 ¶24-25), a runner of :data:`mixedflows.capstone.season.POLICIES`.

The learner decides three things: whether a return is enforced for those who do not choose to
go (¶24 distinguishes forced from voluntary return), whether the individual safeguards come
before any return (a best-interests determination for a child alone, a risk assessment where
there are indications of trafficking, a protection claim decided first), and a reintegration
programme per returnee (module 9's five measures, within module 9's budget).

Everything else is derived:

- **who may be returned now** is module 9's ruling (:func:`mixedflows.returns.policy.decide`)
  on each person's *full* facts, what a hurried interview at stage 3 did not hear included: a
  return policy without safeguards returns the trafficked person no one heard;
- **what the programme does** is module 9's model (:func:`mixedflows.returns.reintegration.run`)
  for each returnee, their circumstances taken from the season as the scenario file states;
- **the objectives** are that no one is returned before the safeguard their case calls for,
  and module 9's exercise's objectives on the three dimensions (the returnees' mean scores).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from mixedflows.capstone.spec import PolicyObjective, ReturnStage
from mixedflows.capstone.state import (
    PolicyOutcome,
    Season,
    _people,
    _resolved,
    caseload,
    postarrival_files,
)
from mixedflows.results import AnswerError

KIND = "return_reintegration"
KEYS = ("kind", "enforced", "safeguards", "programme")
SAFEGUARD_DECISIONS = ("bid_first", "risk_first", "no_return", "consider_stay")
"""Module 9's rulings under which no one is returned now."""


def _stage(season: Season) -> ReturnStage:
    ret = season.spec.policy.return_reintegration
    if ret is None:
        raise AnswerError("policy: this season offers no return and reintegration policy")
    return ret


def _params(season: Season) -> Any:
    from mixedflows.returns.grader import load_reintegration_params

    return load_reintegration_params(_stage(season).exercise)


def objectives(season: Season) -> tuple[PolicyObjective, ...]:
    """The return policy's objectives: no one returned before their safeguard; then module 9's
    exercise's objectives on the three dimensions, sharing the rest of the weight."""
    from mixedflows.returns.reintegration import DIMENSIONS

    ret, params = _stage(season), _params(season)
    out = [
        PolicyObjective(
            id="safeguards",
            label="No one returned before the safeguard their case calls for (¶24)",
            measure="returned_before_safeguards",
            at_most=0,
            weight=ret.safeguards_weight,
        )
    ]
    for o in params.objectives:
        out.append(
            PolicyObjective(
                id=o.dimension,
                label=f"The returnees' {DIMENSIONS[o.dimension].lower()} at least "
                f"{o.at_least:.2f} in module 9's model (¶25)",
                measure=o.dimension,
                at_least=o.at_least,
                weight=(1 - ret.safeguards_weight) * o.weight,
            )
        )
    return tuple(out)


def years_here(season: Season) -> float:
    """Years a person of the season has lived in State A by the policy (as the regularization
    runner counts them: half the season on average, then the months after arrival)."""
    rs = _resolved(season.spec.reception.season)
    return (rs.days / 2 + season.spec.postarrival.months_after * 30.4) / 365


def returnee(season: Season, person: Any, wishes: bool) -> Any:
    """Module 9's returnee, from one person's full facts (a synthetic person of the sample)."""
    from mixedflows.profiles import Company
    from mixedflows.returns.policy import Returnee

    protection = bool(
        person.persecution_ground
        or person.fled_conflict
        or person.requests_asylum
        or person.serious_harm_on_return
        or person.prima_facie
    )
    child = person.age < 18
    return Returnee(
        id=re.sub(r"[^a-z0-9_]", "_", person.person_id.lower()),
        name=person.name,
        age=person.age,
        sex=str(person.sex.value if hasattr(person.sex, "value") else person.sex),
        origin=person.nationality,
        story=f"{person.name}, {person.age}, from {person.nationality}, landed this season.",
        alone=child and person.company != Company.PARENT,
        trafficking_indications=bool(person.trafficking_indicators),
        protection_claim="pending" if protection else "none",
        wishes_to_return=wishes,
        years_here=round(years_here(season), 2),
    )


def _design(season: Season, design: Mapping[str, Any]) -> tuple[bool, bool, dict[str, float]]:
    from mixedflows.returns.grader import programme_of

    unknown = [str(k) for k in design if k not in KEYS]
    if unknown:
        raise AnswerError(
            f"policy: not part of a return policy: {', '.join(unknown)}; give {', '.join(KEYS)}"
        )
    flags = []
    for key in ("enforced", "safeguards"):
        v = design.get(key, False)
        if not isinstance(v, bool):
            raise AnswerError(f"policy: {key}: give true or false, got {v!r}")
        flags.append(v)
    try:
        prog = programme_of(design.get("programme") or {}, _params(season).budget)
    except AnswerError as e:
        raise AnswerError(f"policy: {e}") from None
    return flags[0], flags[1], prog


def run_return(season: Season, design: Mapping[str, Any]) -> PolicyOutcome:
    """Return and reintegration for the season's people left without a status."""
    from mixedflows.returns import reintegration as model
    from mixedflows.returns.grader import fmt, model_citation
    from mixedflows.returns.policy import (
        BEST_INTERESTS,
        NON_REFOULEMENT,
        TRAFFICKED_RETURN,
        decide,
    )
    from mixedflows.returns.reintegration import DIMENSIONS, MEASURES, Profile

    assert season.screening is not None and season.postarrival is not None
    ret, params = _stage(season), _params(season)
    enforced, safeguards, prog = _design(season, design)
    wishes = {f.person.person_id: f.situation.wishes_to_return for f in postarrival_files(season)}
    people = {s.person.person_id: s.person for s in season.screening.sample}
    without = season.postarrival.without_status
    returned: list[tuple[Any, bool]] = []  # (person, enforced)
    lines_held, lines_unsafe, lines_stay = [], [], []
    unsafe = 0
    for pid in without:
        person = people[pid]
        ruling = decide(returnee(season, person, wishes.get(pid, False)))
        goes = wishes.get(pid, False) or enforced
        if ruling.decision in SAFEGUARD_DECISIONS:
            if safeguards:
                lines_held.append(f"{person.name}: not returned. {ruling.why}")
                continue
            if goes:
                unsafe += 1
                returned.append((person, not wishes.get(pid, False)))
                lines_unsafe.append(
                    f"{person.name} was returned before the safeguard the rules call for: "
                    f"{ruling.why}"
                )
                continue
        elif goes:
            returned.append((person, ruling.decision == "enforced_return"))
            continue
        lines_stay.append(
            f"{person.name} does not choose to go and no return is enforced: still without a "
            "status (voluntary return stays open)."
        )
    n, k = len(season.postarrival.routes), len(without)
    load = caseload(season)
    forced = sum(f for _p, f in returned)
    projected = load * len(returned) / k if k else 0.0
    lines = [
        f"Return and reintegration: of the {k} people of the sample without a status (of {n}), "
        f"{len(returned) - forced} {'goes' if len(returned) - forced == 1 else 'go'} home by "
        f"assisted voluntary return and {forced} by "
        f"enforced return; projected to the season's {_people(load)} without a status, about "
        f"{_people(projected)} return.",
        *lines_unsafe,
        *lines_held,
        *lines_stay,
    ]
    measures: dict[str, float] = {"returned_before_safeguards": float(unsafe)}
    years_away = round(ret.years_before_landing + years_here(season), 2)

    def profile(name: str, distress: bool) -> Profile:
        return Profile(
            name=name,
            story=f"{name}, back from State A.",
            skills=ret.skills,
            years_away=years_away,
            assets_to_transfer=False,
            distress=distress,
        )

    totals = dict.fromkeys(DIMENSIONS, 0.0)
    for person, was_forced in returned:
        distress = bool(
            was_forced or person.trafficking_indicators or person.serious_harm_on_return
        )
        scores = model.run(profile(person.name, distress), prog).scores
        for d in totals:
            totals[d] += scores[d] / len(returned)
    spent = sum(prog.values())
    if returned:
        who = "the returnees score on average"
    else:
        # No one returns now: the programme is scored for a returnee of this season who chooses
        # to go (no enforced return, nothing in the file that calls for more), so a policy
        # that returns no one is not marked down for it.
        totals = model.run(profile("a returnee", False), prog).scores
        who = "no one returns now; a returnee of this season who chooses to go would score"
    measures.update(totals)
    lines.append(
        f"In module 9's model, with EUR {spent:,.0f} of {params.budget:,} per returnee, {who}: "
        + ", ".join(f"{DIMENSIONS[d].lower()} {fmt(v)}" for d, v in totals.items())
        + " (a teaching model: most of its effect sizes are unsourced)."
    )
    safeguard_cites = " | ".join(
        c.text() for c in (BEST_INTERESTS, TRAFFICKED_RETURN, NON_REFOULEMENT)
    )
    citations = {"returned_before_safeguards": safeguard_cites}
    citations.update(dict.fromkeys(DIMENSIONS, model_citation().text()))
    spend = "; ".join(f"{MEASURES[m].split(' (')[0]} EUR {v:,.0f}" for m, v in prog.items() if v)
    choice = (
        "Return and reintegration (module 9)",
        f"Return enforced for those who do not choose to go: {'yes' if enforced else 'no'}",
        f"Safeguards before any return: {'yes' if safeguards else 'no'}",
        f"Programme per returnee: {spend or 'nothing spent'}",
    )
    return PolicyOutcome(
        KIND,
        dict(design),
        load,
        measures,
        tuple(lines),
        objectives=objectives(season),
        citations=citations,
        choice=choice,
    )
