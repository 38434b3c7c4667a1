"""A season on the route: one :class:`Season` passed from stage to stage (MC/INF/294 ¶16-25).

Five stages, each run by the engine of its module, each starting from the situation the
previous ones left:

1. **rescue** (:mod:`mixedflows.rescue`): the port where the coordinator lands the first boat
   and, by the same rule, the season's boats. A port of another State receives only part of the
   season (the file's stated share); a port that is not a place of safety puts those people at
   risk. → how many people land at Port Alba's centre.
2. **reception** (:mod:`mixedflows.reception`): the learner staffs the centre; the season is
   simulated with the arrivals of stage 1. → the share of people interviewed late.
3. **screening** (:mod:`mixedflows.screening`): a sample of the season's people, of whom the
   share interviewed late at stage 2 are interviewed in a hurry and leave unsaid what people
   rarely say at a hurried first contact. The learner refers each person on what was heard.
   → who is missed, and why.
4. **post-arrival** (:mod:`mixedflows.casework`): the sample's files three months on, built from
   what screening heard; the learner chooses procedures and services. → who is left without a
   status.
5. **policy** (:mod:`mixedflows.regularization`): a programme for the season's people left
   without a status, projected from the sample, run through the policy-lab model; or return
   and reintegration (:mod:`mixedflows.capstone.returns`): module 9's return rules on each
   person's full facts, and module 9's reintegration model.

Every stage is graded by its engine's rules, each feedback line citing its framework and seed
paragraph; every consequence is a sentence generated from the state. Nothing is typed beside a
question: another scenario file gives other, correctly derived situations and answers.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from functools import lru_cache
from typing import Any

from mixedflows.capstone.spec import CapstoneSpec, load_capstone
from mixedflows.capstone.state import (
    CARRY,
    RECEPTION_LIMITS,
    RECEPTION_ROLES,
    RECEPTION_WEIGHTS,
    STAGE_TITLES,
    STAGE_WEIGHTS,
    STAGES,
    PolicyOutcome,
    PostArrivalOutcome,
    ReceptionOutcome,
    RescueOutcome,
    Screened,
    ScreeningOutcome,
    Season,
    StageRecord,
    _people,
    _resolved,
    caseload,
    postarrival_files,
)
from mixedflows.profiles import NEED_LABELS, Need, Person
from mixedflows.results import AnswerError, Feedback, GradeResult


@lru_cache(maxsize=8)
def _spec(spec_id: str) -> CapstoneSpec:
    return load_capstone(spec_id)


def start(spec: CapstoneSpec | str) -> Season:
    """A season before the first decision (a scenario id is loaded once per process)."""
    return Season(_spec(spec) if isinstance(spec, str) else spec)


def _need(season: Season, stage: str) -> None:
    if season.next_stage != stage:
        done = ", ".join(r.stage for r in season.records) or "none"
        raise AnswerError(
            f"{STAGE_TITLES.get(stage, stage)} comes after the stages before it "
            f"(stages done: {done}; next: {season.next_stage})"
        )


def _dict(answer: Any, stage: str) -> dict[str, Any]:
    if not isinstance(answer, Mapping):
        raise AnswerError(f"{stage}: the answer is a mapping, got {type(answer).__name__}")
    return dict(answer)


def _prefix(stage: str, items: Sequence[Feedback]) -> tuple[Feedback, ...]:
    n = STAGES.index(stage) + 1
    return tuple(replace(f, item=f"{n}. {STAGE_TITLES[stage]}: {f.item}") for f in items)


def _end(text: str) -> str:
    """A sentence's end: a name such as "Nour N." already ends it."""
    return text if text.endswith(".") else text + "."


# --- Stage 1: rescue -----------------------------------------------------------------------------


@lru_cache(maxsize=8)
def _rescue_case(case_id: str) -> Any:
    from mixedflows.rescue import load_rescue

    return load_rescue(case_id)


def rescue_situation(season: Season) -> tuple[str, ...]:
    case = _rescue_case(season.spec.rescue)
    return (
        case.spec.situation.strip(),
        "This boat is the first of the season. Your rule for this boat is the rule for the "
        "season's boats: where they land decides how many people reach your centre at stage 2.",
    )


def _ids(value: Any, what: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str) or not isinstance(value, list | tuple | set | frozenset):
        raise AnswerError(f"rescue: {what}: give a list of option ids")
    return tuple(str(v) for v in value)


@lru_cache(maxsize=8)
def _aboard(case_id: str) -> Any:
    from mixedflows.rescue.rules import Aboard

    return Aboard(_rescue_case(case_id))


@lru_cache(maxsize=256)
def _grade_rescue(
    case_id: str, port: str, on_board: tuple[str, ...], informed: tuple[str, ...]
) -> GradeResult:
    """The module 4 grade of one decision (the same decision is graded once per process)."""
    from mixedflows.rescue.grader import grade_decision

    answer = {"port": port, "on_board": list(on_board), "informed": list(informed)}
    return grade_decision(_rescue_case(case_id), answer, "rescue")


def play_rescue(season: Season, answer: Any) -> Season:
    """Stage 1: the rescue decision, graded by the rules of module 4."""
    from mixedflows.rescue import port_checks
    from mixedflows.rescue.rules import INFORMED, ON_BOARD, names

    _need(season, "rescue")
    a = _dict(answer, "rescue")
    if not a.get("port"):
        raise AnswerError("rescue: choose the port where the boat is disembarked")
    case = _rescue_case(season.spec.rescue)
    situation = rescue_situation(season)
    result = _grade_rescue(
        season.spec.rescue,
        a["port"],
        _ids(a.get("on_board"), "on_board"),
        _ids(a.get("informed"), "informed"),
    )
    port = case.port(a["port"])
    safe = all(c.passed for c in port_checks(case, port, _aboard(season.spec.rescue)))
    own = port.state == case.spec.responsible_state
    rs = _resolved(season.spec.reception.season)
    share = season.spec.reception.diverted_share
    factor = 1.0 if own else 1.0 - share
    diverted = rs.expected_people * (1.0 - factor)
    at_risk = 0 if safe else (len(case.persons) if own else round(diverted))
    medevac = "medevac" in (a.get("on_board") or ())
    out = RescueOutcome(
        port.id,
        port.name,
        port.state,
        port.hours,
        own,
        safe,
        factor,
        rs.expected_people,
        at_risk,
        medevac,
    )
    cons = []
    if own:
        cons.append(
            f"The season's boats land at {port.name}: about {_people(rs.expected_people)} "
            f"reach your centre in {rs.days} days."
        )
    else:
        cons.append(
            f"{port.state} receives the boats sent to {port.name}, at most {share:.0%} of the "
            f"season's (about {_people(diverted)}); the other "
            f"{_people(rs.expected_people * factor)} still land at your centre."
        )
    if not safe:
        cons.append(
            f"{port.name} is not a place of safety: about {_people(at_risk)} of the season "
            "are landed where the rules forbid it."
        )
    urgent = _aboard(season.spec.rescue).urgent
    if urgent:
        if medevac:
            cons.append(f"{names(urgent)} evacuated for care before the ship reached port.")
        elif port.basic_needs:
            cons.append(
                f"No evacuation: {names(urgent)} waited {port.hours:g} hours at sea for care."
            )
        else:
            cons.append(
                f"No evacuation: {names(urgent)} waited {port.hours:g} hours at sea, to land at "
                f"{port.name}, where medical care cannot be provided."
            )
    labels = {o.id: o.label for o in (*ON_BOARD, *INFORMED)}
    choice = (
        f"Port: {port.name} ({port.state}, {port.hours:g} h)",
        "On board: " + ("; ".join(labels[x] for x in a.get("on_board") or ()) or "nothing"),
        "Informed: " + ("; ".join(labels[x] for x in a.get("informed") or ()) or "no one"),
    )
    rec = StageRecord("rescue", situation, choice, a, _stage_result("rescue", result), tuple(cons))
    return replace(season, records=(*season.records, rec), rescue=out)


def _stage_result(stage: str, r: GradeResult) -> GradeResult:
    return GradeResult(
        f"capstone.{stage}", r.score, _prefix(stage, r.items), r.summary, dict(r.details)
    )


# --- Stage 2: reception --------------------------------------------------------------------------


def reception_situation(season: Season) -> tuple[str, ...]:
    assert season.rescue is not None
    spec = season.spec.reception
    rs = _resolved(spec.season)
    people = rs.expected_people * season.rescue.arrivals_factor
    return (
        f"About {_people(people)} are expected at your centre in {rs.days} days (about "
        f"{people / rs.days:,.0f} a day), after your disembarkation rule at stage 1.",
        f"The centre was built for {rs.capacity:,} people. {spec.borrowed.strip()}",
        f"Staff the day shift of each role ({spec.staff_hours} hours; {spec.night_medical} "
        f"medical staff at night), the beds and the transfers out each day, within "
        f"{spec.budget_points:g} budget points a day.",
    )


def reception_plan(season: Season, answer: Mapping[str, Any]) -> Any:
    """The reception Plan of the learner's answer (day staff per role, beds, transfers)."""
    from mixedflows.reception import Plan, Shift

    spec = season.spec.reception
    values = {}
    for key, (lo, hi) in RECEPTION_LIMITS.items():
        v = answer.get(key)
        if isinstance(v, bool) or not isinstance(v, int | float) or float(v) != int(v):
            raise AnswerError(f"reception: {key}: give a whole number, got {v!r}")
        if not lo <= int(v) <= hi:
            raise AnswerError(f"reception: {key}: {int(v)} is outside {lo} to {hi}")
        values[key] = int(v)
    unknown = set(answer) - set(RECEPTION_LIMITS)
    if unknown:
        raise AnswerError(f"reception: unknown key(s): {', '.join(sorted(map(str, unknown)))}")
    h = spec.staff_hours

    def shifts(day: int, night: int = 0) -> tuple[Any, ...]:
        out = [Shift(start=8, hours=h, staff=day)]
        if night:
            out.append(Shift(start=(8 + h) % 24, hours=24 - h, staff=night))
        return tuple(out)

    return Plan(
        staff={
            "medical": shifts(values["medical"], spec.night_medical),
            "screening": shifts(values["screening"]),
            "child_protection": shifts(values["child_protection"]),
            "mediation": shifts(values["mediation"]),
        },
        beds=values["beds"],
        transfers_per_day=values["transfers_per_day"],
    )


def run_reception(season: Season, plan: Any) -> Any:
    """The season simulated at the learner's centre, with the arrivals stage 1 sent there.

    The same season, arrivals, plan and seed give the same result, so a plan already run (the
    learner pressed Continue, then submits) is not simulated again in this process."""
    assert season.rescue is not None
    spec = season.spec.reception
    return _simulate(spec.season, season.rescue.arrivals_factor, plan.model_dump_json(), spec.seed)


@lru_cache(maxsize=8)
def _arrivals(season_id: str, factor: float, seed: int) -> tuple[Any, Any]:
    """The season scaled by stage 1's share, and its arrivals: they depend on the season, the
    share and the seed, never on the plan (:func:`mixedflows.reception.simulate`), so every
    plan a learner tries meets the same people and they are drawn once per process."""
    import numpy as np

    from mixedflows.reception.arrivals import draw_arrivals
    from mixedflows.reception.inputs import Config

    rs = _resolved(season_id)
    scaled = rs.model_copy(
        update={"periods": tuple((lo, hi, p * factor, n * factor) for lo, hi, p, n in rs.periods)}
    )
    return scaled, draw_arrivals(scaled, Config(), np.random.default_rng(seed))


@lru_cache(maxsize=32)
def _simulate(season_id: str, factor: float, plan_json: str, seed: int) -> Any:
    from mixedflows.reception import Plan, simulate

    scaled, arrivals = _arrivals(season_id, factor, seed)
    return simulate(scaled, Plan.model_validate_json(plan_json), seed=seed, arrivals=arrivals)


def play_reception(season: Season, answer: Any) -> Season:
    """Stage 2: staff the centre; the season is simulated with stage 1's arrivals."""
    from mixedflows.reception.grader import Costs, plan_cost
    from mixedflows.reception.inputs import CAPACITY_CITATION, CHILD_CITATION, PRIORITY_CITATION

    _need(season, "reception")
    a = _dict(answer, "reception")
    spec = season.spec.reception
    situation = reception_situation(season)
    plan = reception_plan(season, a)
    res = run_reception(season, plan)
    m = res.metrics
    lim = res.config.limits
    people = max(1.0, m["people"])
    late_share = m["screened_late"] / people
    cost = plan_cost(plan, Costs(**spec.costs))
    w = RECEPTION_WEIGHTS
    items = []
    ok_children = m["children_late"] == 0
    items.append(
        Feedback(
            "Unaccompanied children",
            float(ok_children),
            (
                f"All {m['children']:.0f} unaccompanied or separated children started a "
                f"child-protection interview within {lim.child_interview_hours:g} hours."
                if ok_children
                else f"{m['children_late']:.0f} of {m['children']:.0f} unaccompanied or separated "
                f"children waited longer than {lim.child_interview_hours:g} hours (the longest "
                f"{m['child_max_wait']:.0f} hours): a child's protection never waits."
            ),
            CHILD_CITATION.text(),
        )
    )
    ok_screen = late_share <= spec.max_late_share
    items.append(
        Feedback(
            "Screening on time",
            float(ok_screen),
            f"{m['screened_late']:,.0f} of {m['people']:,.0f} people ({late_share:.0%}) started "
            f"their interview later than {lim.screening_hours:g} hours after landing; the target "
            f"is at most {spec.max_late_share:.0%}. Those interviewed late are interviewed in a "
            "hurry at stage 3.",
            PRIORITY_CITATION.text(),
        )
    )
    ok_occ = m["share_days_over"] <= spec.max_share_days_over
    items.append(
        Feedback(
            "Beds",
            float(ok_occ),
            f"More people than beds on {m['days_over_capacity']:.0f} of {res.season.days} days "
            f"({m['share_days_over']:.0%}; target at most {spec.max_share_days_over:.0%}); at "
            f"the peak {m['peak_occupancy']:,.0f} people for {plan.beds:,} beds.",
            CAPACITY_CITATION.text(),
        )
    )
    ok_budget = cost <= spec.budget_points + 1e-9
    items.append(
        Feedback(
            "Budget",
            float(ok_budget),
            f"The plan costs {cost:.1f} points a day against a budget of "
            f"{spec.budget_points:g} (illustrative teaching costs).",
            CAPACITY_CITATION.text(),
        )
    )
    score = (
        w["children"] * ok_children
        + w["screening"] * ok_screen
        + w["occupancy"] * ok_occ
        + w["budget"] * ok_budget
    )
    result = GradeResult(
        "capstone.reception",
        round(score, 4),
        _prefix("reception", items),
        f"Children {'met' if ok_children else 'missed'}, screening "
        f"{'met' if ok_screen else 'missed'}, beds {'met' if ok_occ else 'missed'}, budget "
        f"{'met' if ok_budget else 'missed'}.",
        {"metrics": m, "cost": cost},
    )
    out = ReceptionOutcome({k: int(a[k]) for k in RECEPTION_LIMITS}, dict(m), cost, late_share)
    s2 = replace(season, reception=out)
    sample = screening_sample(s2)
    rushed = sum(x.rushed for x in sample)
    cons = (
        f"{m['people']:,.0f} people landed; {late_share:.0%} were interviewed later than "
        f"{lim.screening_hours:g} hours, and {m['not_seen']:,.0f} not at all by the end of the run.",
        f"In the sample screened at stage 3, {rushed} of {len(sample)} "
        f"{'is' if rushed == 1 else 'are'} interviewed in a hurry.",
    )
    choice = (
        *tuple(f"{RECEPTION_ROLES[k]}: {a[k]}" for k in RECEPTION_ROLES),
        f"Beds: {a['beds']}",
        f"Transfers out a day: {a['transfers_per_day']}",
    )
    rec = StageRecord("reception", situation, choice, a, result, cons)
    return replace(s2, records=(*season.records, rec))


# --- Stage 3: screening --------------------------------------------------------------------------


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
        chosen = set(given)
        ref = screen(s.heard)
        full = screen(s.person)
        need = {n.value for n in ref.needs}
        union = need | chosen
        credits.append(len(need & chosen) / len(union) if union else 1.0)
        for r in ref.referrals:
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
        referred[pid] = tuple(sorted(chosen))
        # A need the interview did not hear and the learner did not refer (one referred anyway,
        # without grounds heard, is referred: said so above, and counted apart below).
        not_heard[pid] = tuple(
            n.value for n in full.needs if n.value not in need and n.value not in chosen
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


# --- Stage 4: after arrival ----------------------------------------------------------------------


def postarrival_situation(season: Season) -> tuple[str, ...]:
    assert season.screening is not None
    months = season.spec.postarrival.months_after
    return (
        f"The same {len(season.screening.sample)} people, {months} months after landing. Their "
        "files hold what your screening heard and referred (stage 3). For each person, choose "
        "the procedures and services they need now, and nothing that must not be done.",
    )


ROUTES: tuple[tuple[str, str], ...] = (
    ("asylum", "in the asylum procedure"),
    ("child_protection", "in the care of child protection"),
    ("trafficking_assistance", "assisted as a possible victim of trafficking"),
)


def route_of(chosen: set[str], wishes_to_return: bool) -> str:
    """Where a person stands after the post-arrival choices (the first that applies)."""
    if "detain" in chosen:
        return "detained, without a status"
    for action, where in ROUTES:
        if action in chosen:
            return where
    if "voluntary_return" in chosen and wishes_to_return:
        return "going home by assisted voluntary return"
    return "without a status"


def play_postarrival(season: Season, answer: Any) -> Season:
    """Stage 4: procedures and services per person, graded by the case-work rules."""
    from mixedflows.casework import ACTIONS, grade_file

    _need(season, "postarrival")
    a = _dict(answer, "postarrival")
    files = postarrival_files(season)
    offered = season.spec.postarrival.actions
    ids = [f.person.person_id for f in files]
    bad = [str(k) for k in a if k not in ids]
    if bad:
        raise AnswerError(f"postarrival: not a person of the sample: {', '.join(bad)}")
    items: list[Feedback] = []
    scores = []
    chosen_all, routes = {}, {}
    for f in files:
        pid = f.person.person_id
        chosen = a.get(pid) or []
        r = grade_file(f, chosen, offered, "capstone.postarrival")
        scores.append(r.score)
        items += [replace(x, item=f"{f.person.name}: {x.item}") for x in r.items]
        chosen_all[pid] = tuple(dict.fromkeys(chosen))
        routes[pid] = route_of(set(chosen), f.situation.wishes_to_return)
    without = tuple(pid for pid, r in routes.items() if r.endswith("without a status"))
    result = GradeResult(
        "capstone.postarrival",
        round(sum(scores) / len(scores), 4),
        _prefix("postarrival", items),
        f"{sum(s >= 0.999 for s in scores)} of {len(scores)} files handled as the rules call for.",
    )
    name = {f.person.person_id: f.person.name for f in files}
    cons = [f"{name[pid]}: {where}." for pid, where in routes.items()]
    assert season.screening is not None
    for s in season.screening.sample:
        pid = s.person.person_id
        hidden = season.screening.not_heard.get(pid, ())
        if pid in without and hidden:
            cons.append(
                f"{s.person.name} is left without a status although the full facts indicate: "
                + "; ".join(NEED_LABELS[Need(n)].lower() for n in hidden)
                + " (never heard at stage 3)."
            )
    choice = tuple(
        f"{name[pid]}: " + ("; ".join(ACTIONS[x].label for x in acts) if acts else "nothing chosen")
        for pid, acts in chosen_all.items()
    )
    out = PostArrivalOutcome(chosen_all, routes, without)
    rec = StageRecord("postarrival", postarrival_situation(season), choice, a, result, tuple(cons))
    return replace(season, records=(*season.records, rec), postarrival=out)


# --- Stage 5: policy -----------------------------------------------------------------------------


def policy_situation(season: Season) -> tuple[str, ...]:
    assert season.postarrival is not None
    pol = season.spec.policy
    n = len(season.postarrival.routes)
    k = len(season.postarrival.without_status)
    load = caseload(season)
    return (
        f"{k} of the {n} people of the sample are without a status after stage 4: projected to "
        f"the season's people at your centre, about {_people(load)}.",
        f"Design a regularization programme for them. {pol.context_source.strip()}",
    ) + (
        (
            "Or choose return and reintegration (module 9): who is returned, with which "
            "safeguards, and a reintegration programme per returnee. "
            + pol.return_reintegration.profile_source.strip(),
        )
        if pol.return_reintegration is not None
        else ()
    )


def _regularization(season: Season, reform: Mapping[str, Any]) -> PolicyOutcome:
    from mixedflows.regularization import load_programme, run
    from mixedflows.regularization.grader import measure_value
    from mixedflows.regularization.levers import ReformError

    pol = season.spec.policy
    load = caseload(season)
    prog = load_programme(pol.programme)
    rs = _resolved(season.spec.reception.season)
    # Time lived in State A: half the season on average, then the months after arrival.
    years = (rs.days / 2 + season.spec.postarrival.months_after * 30.4) / 365
    pop = prog.population.model_copy(
        update={"irregular_stock": max(1, load), "mean_residence_years": years}
    )
    prog = prog.model_copy(update={"population": pop})
    try:
        out = run(prog, reform)
    except ReformError as e:
        raise AnswerError(f"policy: {e}") from None
    measures = {o.measure: 0.0 for o in pol.objectives}
    for key in measures:
        if key == "regularised_share":
            measures[key] = min(1.0, out.approvals / load) if load else 1.0
        else:
            measures[key] = float(measure_value(out, key))
    lines = (
        f"{out.applications:,.0f} applications and {out.approvals:,.0f} approvals among the "
        f"{_people(load)} without a status; about "
        f"{_people(max(0.0, load - out.approvals * out.legal_status_12m))} still without one "
        "after a year.",
        f"Decisions take {out.mean_decision_months:.1f} months on average; the backlog clears "
        f"{out.months_to_clear:.1f} months after the window closes.",
        f"The contested 'pull' effect, as a range from the evidence: {out.pull.low:,.0f} to "
        f"{out.pull.high:,.0f} extra irregular arrivals over three years.",
    )
    return PolicyOutcome("regularization", dict(reform), load, measures, lines)


def _return_reintegration(season: Season, design: Mapping[str, Any]) -> PolicyOutcome:
    from mixedflows.capstone.returns import run_return

    return run_return(season, design)


POLICIES: dict[str, Callable[[Season, Mapping[str, Any]], PolicyOutcome]] = {
    "regularization": _regularization,
    "return_reintegration": _return_reintegration,
}
"""The policy the season ends with, by kind: the answer's ``kind`` (regularization when it names
none). Return and reintegration is offered when the scenario file has
``policy.return_reintegration`` (:mod:`mixedflows.capstone.returns`)."""


def policy_kinds(season: Season) -> tuple[str, ...]:
    """The policies this season offers."""
    pol = season.spec.policy
    return (pol.kind,) + (("return_reintegration",) if pol.return_reintegration else ())


def play_policy(season: Season, answer: Any) -> Season:
    """Stage 5: the policy for the season's people left without a status."""
    from mixedflows.regularization import load_levers
    from mixedflows.regularization.grader import DESIGN_CITATION, measure_label

    _need(season, "policy")
    a = _dict(answer, "policy")
    pol = season.spec.policy
    kind = a.get("kind", pol.kind)
    if kind not in policy_kinds(season):
        raise AnswerError(
            f"policy: '{kind}' is not a policy of this season; policies: "
            f"{', '.join(policy_kinds(season))}"
        )
    if kind == "regularization":
        a.pop("kind", None)
        unknown = set(a) - set(pol.levers)
        if unknown:
            raise AnswerError(
                f"policy: not a lever of this stage: {', '.join(sorted(map(str, unknown)))}; "
                f"levers: {', '.join(pol.levers)}"
            )
    situation = policy_situation(season)
    out = POLICIES[kind](season, a)
    items = []
    score = 0.0
    for o in out.objectives or pol.objectives:
        v = out.measures[o.measure]
        ok = o.met(v)
        score += o.weight * ok
        bound = "at least" if o.at_least is not None else "at most"
        items.append(
            Feedback(
                o.label,
                float(ok),
                f"{'Met' if ok else 'Not met'}: {measure_label_of(o.measure, measure_label)} is "
                f"{_fmt(o.measure, v)} ({bound} {_fmt(o.measure, o.target)}).",
                out.citations.get(o.measure) or DESIGN_CITATION.text(),
            )
        )
    result = GradeResult(
        "capstone.policy",
        round(score, 4),
        _prefix("policy", items),
        f"{sum(f.credit >= 0.999 for f in items)} of {len(items)} objectives met.",
        {"measures": out.measures, "caseload": out.caseload},
    )
    levers = load_levers()
    choice = (
        out.choice
        or tuple(f"{levers[k].label}: {_lever_value(v)}" for k, v in a.items())
        or ("The programme as enacted, unchanged",)
    )
    rec = StageRecord("policy", situation, choice, a, result, out.lines)
    return replace(season, records=(*season.records, rec), policy=out)


def measure_label_of(key: str, fallback: Callable[[str], str]) -> str:
    from mixedflows.capstone.spec import CAPSTONE_MEASURES

    return CAPSTONE_MEASURES.get(key) or fallback(key).lower()


SHARE_MEASURES = ("regularised_share", "approval_rate", "legal_status_12m", "social_security_12m")


def _fmt(measure: str, v: float) -> str:
    if math.isinf(v):
        return "unbounded (no processing cost)"
    if measure == "returned_before_safeguards":
        return f"{v:.0f}"
    if measure in SHARE_MEASURES or measure.startswith("coverage_"):
        return f"{v:.0%}"
    return f"{v:,.2f}"


def _lever_value(v: Any) -> str:
    if isinstance(v, bool):
        return "yes" if v else "no"
    return f"{v:g}" if isinstance(v, int | float) else str(v)


# --- The whole season ----------------------------------------------------------------------------

PLAY: dict[str, Callable[[Season, Any], Season]] = {
    "rescue": play_rescue,
    "reception": play_reception,
    "screening": play_screening,
    "postarrival": play_postarrival,
    "policy": play_policy,
}

SITUATION: dict[str, Callable[[Season], tuple[str, ...]]] = {
    "rescue": rescue_situation,
    "reception": reception_situation,
    "screening": screening_situation,
    "postarrival": postarrival_situation,
    "policy": policy_situation,
}


def play(spec: CapstoneSpec | str, answers: Mapping[str, Any], upto: str | None = None) -> Season:
    """Play the stages in order with the learner's answers, up to ``upto`` (default all the
    stages answered). Raises AnswerError naming the stage when an answer is missing or wrong."""
    s = start(spec)
    last = (
        STAGES.index(upto)
        if upto
        else max((STAGES.index(k) for k in answers if k in STAGES), default=-1)
    )
    unknown = [str(k) for k in answers if k not in STAGES]
    if unknown:
        raise AnswerError(f"not a stage: {', '.join(unknown)}; stages: {', '.join(STAGES)}")
    for stage in STAGES[: last + 1]:
        if stage not in answers:
            raise AnswerError(f"{STAGE_TITLES[stage]}: no answer yet")
        s = PLAY[stage](s, answers[stage])
    return s


def outcome_lines(season: Season) -> tuple[str, ...]:
    """The season's outcome for the people in it, in words generated from the state."""
    out = []
    if season.rescue:
        r = season.rescue
        out.append(
            f"Disembarkation: {r.port_name} ({r.port_state}); "
            f"{'a place of safety' if r.safe else 'NOT a place of safety'}; "
            f"{_people(r.people_at_risk)} of the season landed where the rules forbid it."
        )
    if season.reception:
        m = season.reception.metrics
        out.append(
            f"Reception: {m['people']:,.0f} people at the centre, {m['children_late']:.0f} "
            f"unaccompanied children seen late, {season.reception.late_share:.0%} interviewed late, "
            f"{m['days_over_capacity']:.0f} days over the beds."
        )
    if season.screening:
        sc = season.screening
        missed = sum(bool(v) for v in sc.not_heard.values())
        unref = sum(bool(v) for v in sc.not_referred.values())
        heard = {x.person.person_id: {n.value for n in screen(x.heard).needs} for x in sc.sample}
        unfounded = sum(bool(set(r) - heard.get(pid, set())) for pid, r in sc.referred.items())
        out.append(
            f"Screening: of {len(sc.sample)} people in the sample, {missed} had a "
            f"need no one heard (and no one referred), {unref} a need heard but not referred"
            + (f", {unfounded} a referral made without grounds heard" if unfounded else "")
            + "."
        )
    if season.postarrival:
        out.append(
            f"After arrival: {len(season.postarrival.without_status)} of "
            f"{len(season.postarrival.routes)} in the sample left without a status."
        )
    if season.policy:
        out.extend(season.policy.lines)
    return tuple(out)


def grade_season(season: Season, exercise_id: str = "capstone") -> GradeResult:
    """The season's grade: each stage's items, the score the weighted mean of the stages."""
    items: list[Feedback] = []
    for r in season.records:
        items.extend(r.result.items)
    parts = ", ".join(
        f"{STAGE_TITLES[r.stage].lower()} {r.result.score:.0%}" for r in season.records
    )
    return GradeResult(
        exercise_id,
        round(season.score / max(1e-9, sum(STAGE_WEIGHTS[r.stage] for r in season.records)), 4)
        if season.records
        else 0.0,
        tuple(items),
        f"Stages: {parts}." if parts else "",
        {
            "stages": {r.stage: r.result.score for r in season.records},
            "outcome": list(outcome_lines(season)),
        },
    )
