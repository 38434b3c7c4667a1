"""Module 9's debrief, generated from the caseload, the return rules and the reintegration model.

Every name, age, year and count below is read from the return desk's caseload
(``datasets/returns/caseloads/``), from what :func:`mixedflows.returns.policy.decide` derives
for each person, and from the reintegration exercise's returnees run through the model
(:func:`mixedflows.returns.reintegration.best_programme`): a changed file gives a changed
debrief, and the debrief cannot disagree with the grading (issue 14/15: the hand-written
debrief named people, ages and years the files could change). A point with no one to speak of
is left out; questions that state no fact stay in the notebook's prose.
"""

from __future__ import annotations

from mixedflows.exercises import load_exercise
from mixedflows.returns import policy
from mixedflows.returns.grader import desk_of, reintegration_params
from mixedflows.returns.reintegration import MEASURES, best_programme
from mixedflows.text import Markdown, bullets, joined

DESK = "m9_return_decisions"
PROGRAMME = "m9_reintegration_programme"


def _years(y: float) -> str:
    return f"{y:g} year" + ("" if y == 1 else "s")


def _pronoun(r: policy.Returnee, obj: bool = False) -> str:
    if r.sex == "female":
        return "her"
    return "him" if obj else "his"


def _rulings(exercise_id: str) -> list[policy.Ruling]:
    _params, caseload = desk_of(load_exercise(exercise_id))
    return [policy.decide(r) for r in caseload.returnees]


def child_asks_to_go(rulings: list[policy.Ruling]) -> str:
    hit = [
        x
        for x in rulings
        if x.decision == "bid_first" and x.returnee.wishes_to_return and x.returnee.child
    ]
    if not hit:
        return ""
    who = joined(f"{x.returnee.name}, {x.returnee.age}," for x in hit)
    one = hit[0].returnee
    return (
        f"**{who} {'asks' if len(hit) == 1 else 'ask'} to go home.** Why is the answer still "
        '"not yet"? Who takes part in a best-interests determination, and what would it '
        f"weigh? What happens to {_pronoun(one, obj=True) if len(hit) == 1 else 'them'} while it "
        "runs? The rules: " + " ".join(x.why for x in hit)
    )


def trafficked_wants_to_go(rulings: list[policy.Ruling]) -> str:
    hit = [x for x in rulings if x.decision == "risk_first" and x.returnee.wishes_to_return]
    if not hit:
        return ""
    names = joined(x.returnee.name for x in hit)
    return (
        f"**{names} {'wants' if len(hit) == 1 else 'want'} to go home now.** Why does a risk "
        "assessment come before the wish is acted on? If it found return safe, what would make "
        "the return voluntary in the full sense? The rules: " + " ".join(x.why for x in hit)
    )


def integrated(rulings: list[policy.Ruling]) -> str:
    hit = [
        x
        for x in rulings
        if x.returnee.years_here >= policy.INTEGRATION_YEARS and x.returnee.works_and_speaks
    ]
    stay = [x for x in hit if x.decision == "consider_stay"]
    chose = [x for x in hit if x.decision != "consider_stay" and x.returnee.wishes_to_return]
    if not (stay and chose):
        return ""
    who = joined(f"{x.returnee.name}, {_years(x.returnee.years_here)} here," for x in hit)[:-1]
    offered = joined(x.returnee.name for x in stay)
    choosers = joined(x.returnee.name for x in chose)
    return (
        f"**{who}.** {'Both' if len(hit) == 2 else 'All'} work and speak the language; only "
        f"{offered} "
        f"{'is' if len(stay) == 1 else 'are'} offered a stay to consider. Why does "
        f"{choosers}'s choice decide the case? Is the {policy.INTEGRATION_YEARS}-year mark a "
        "fair teaching rule, and what would you put in its place? The rules: "
        + " ".join(x.why for x in stay + chose)
    )


def enforced(rulings: list[policy.Ruling]) -> str:
    hit = [x for x in rulings if x.decision == "enforced_return"]
    if not hit:
        return ""
    names = joined(x.returnee.name for x in hit)
    detain = " ".join(x.measure("detain").why for x in hit if "detain" in policy.MEASURES)
    return (
        f"**{names} {'does' if len(hit) == 1 else 'do'} not want to go.** The return would be "
        "enforced: which safeguards make it lawful and dignified, and why is detention not "
        "automatic? The rules: " + " ".join(x.why for x in hit) + (f" {detain}" if detain else "")
    )


def voluntary(rulings: list[policy.Ruling]) -> str:
    returns = [x for x in rulings if x.decision in policy.RETURNS]
    return (
        '**Voluntary, or obliged?** IOM and ECRE/Newland disagree on what "voluntary" means. '
        f"Which of the {len(returns)} returns the rules call for here "
        f"({joined(x.returnee.name for x in returns)}) would each call voluntary?"
    )


def model_limits(exercise_id: str = PROGRAMME) -> list[str]:
    """Who the exercise's programme is for, and where the model's reference programmes for the
    exercise's returnee and the others differ (a measure funded for one and not another)."""
    params = reintegration_params(load_exercise(exercise_id))
    main = params.returnee
    out = [
        "**Choice or deterrence?** IOM defines sustainable reintegration by the returnee's "
        "choice; the EMN by deterring new irregular migration. Which definition did your "
        f"programme for {main.name} serve? Would your answer change if you were the funder?"
    ]
    ref = {}
    for p in (main, *params.others):
        prog, _out = best_programme(p, params.budget, params.step, params.targets, params.weights)
        ref[p.name] = {m for m, v in prog.items() if v > 0}
    for other in params.others:
        only = sorted(ref[other.name] - ref[main.name], key=list(MEASURES).index)
        if only:
            what = joined(MEASURES[m].split(" (")[0].lower() for m in only)
            out.append(
                f"**The model's limits.** Why does the model's best programme fund {what} for "
                f"{other.name} ({other.skills} skills, {_years(other.years_away)} away) but not "
                f"for {main.name} ({main.skills} skills, {_years(main.years_away)} away)? Which "
                "of its assumptions would you question first, and what evidence would you need? "
                "The RSS data found that more than one activity did not necessarily help: where "
                "does the model put that finding?"
            )
            break
    return out


def debrief(desk: str = DESK, programme: str = PROGRAMME) -> Markdown:
    """The points of module 9's debrief that name people or facts, as a Markdown list."""
    rulings = _rulings(desk)
    return bullets(
        [
            child_asks_to_go(rulings),
            trafficked_wants_to_go(rulings),
            integrated(rulings),
            enforced(rulings),
            voluntary(rulings),
            *model_limits(programme),
        ]
    )
