"""Issue 15 cold trial, module 11: the rescue stage says of the evacuation what it grades (a
port's feedback no longer cites urgent care for a man the stage says was evacuated; a port
without medical care is not narrated as care at the end of the wait)."""

from __future__ import annotations

from mixedflows.capstone import play

SPEC = "port_alba_season"
RESCUE = {
    "port": "alba",
    "on_board": ["care", "medevac", "families", "separate_space", "note_claims"],
    "informed": ["reception", "port_medical", "child_protection", "unhcr"],
}


def _rescue(port: str, medevac: bool):
    on_board = [x for x in RESCUE["on_board"] if medevac or x != "medevac"]
    season = play(SPEC, {"rescue": {**RESCUE, "port": port, "on_board": on_board}})
    record = season.records[0]
    port_item = next(f for f in record.result.items if ": Port:" in f.item)
    return record, port_item


def test_an_evacuated_person_is_not_the_reason_a_far_port_loses_credit():
    record, port_item = _rescue("fiora", medevac=True)
    assert any("evacuated for care" in c for c in record.consequences)
    assert port_item.credit == 0.5 and "closer" in port_item.message
    assert "urgent care" not in port_item.message
    record, port_item = _rescue("fiora", medevac=False)
    assert any("No evacuation" in c for c in record.consequences)
    assert "needs urgent care and is not evacuated" in port_item.message  # one man: 'needs'


def test_a_port_without_medical_care_is_not_where_care_waits():
    record, _ = _rescue("cala", medevac=False)
    (line,) = [c for c in record.consequences if c.startswith("No evacuation")]
    assert "medical care cannot be provided" in line and "for care" not in line
    record, _ = _rescue("alba", medevac=False)
    (line,) = [c for c in record.consequences if c.startswith("No evacuation")]
    assert line.endswith("hours at sea for care.")


# -- the policy stage: return and reintegration (module 9) --------------------------------------
THIN = dict(
    medical=3, screening=6, child_protection=2, mediation=6, beds=190, transfers_per_day=200
)
PROGRAMME = {"assets": 0, "jobs": 800, "referral": 400, "psychosocial": 500, "cash": 300}


def _before_policy():
    return play(SPEC, {"rescue": RESCUE, "reception": THIN, "screening": {}, "postarrival": {}})


def _return(season, **design):
    from mixedflows.capstone import season as S  # noqa: N812

    answer = {"kind": "return_reintegration", "programme": PROGRAMME, **design}
    return S.play_policy(season, answer)


def test_who_may_be_returned_is_module_9s_ruling_on_the_full_facts():
    from mixedflows.capstone import returns as R  # noqa: N812
    from mixedflows.capstone import season as S  # noqa: N812
    from mixedflows.returns.policy import decide

    s = _before_policy()
    assert any("return and reintegration" in line for line in S.policy_situation(s))
    wishes = {f.person.person_id: f.situation.wishes_to_return for f in S.postarrival_files(s)}
    people = {x.person.person_id: x.person for x in s.screening.sample}
    rulings = {
        pid: decide(R.returnee(s, people[pid], wishes[pid])) for pid in s.postarrival.without_status
    }
    held = {pid for pid, r in rulings.items() if r.decision in R.SAFEGUARD_DECISIONS}
    assert held and len(held) < len(rulings)  # the sample has both kinds
    safe = _return(s, enforced=True, safeguards=True)
    rec = safe.records[-1]
    for pid in held:  # each held person named, with module 9's reason
        assert any(rulings[pid].why in c and "not returned" in c for c in rec.consequences)
    first = rec.result.items[0]
    assert first.credit == 1.0 and "¶24" in first.item and "MC/INF/294 ¶24" in first.citation
    unsafe = _return(s, enforced=True, safeguards=False)
    rec = unsafe.records[-1]
    assert unsafe.policy.measures["returned_before_safeguards"] == len(held)
    assert rec.result.items[0].credit == 0.0
    assert sum(c.count("was returned before the safeguard") for c in rec.consequences) == len(held)
    assert rec.result.score < safe.records[-1].result.score
    assert "Safeguards before any return: no" in rec.choice


def test_the_programme_is_scored_by_module_9s_model_and_objectives():
    from mixedflows.capstone import returns as R  # noqa: N812
    from mixedflows.exercises import load_exercise
    from mixedflows.returns import reintegration as model

    s = _before_policy()
    out = _return(s, enforced=False, safeguards=True)
    ex = load_exercise("m9_reintegration_programme")
    objectives = R.objectives(s)
    assert abs(sum(o.weight for o in objectives) - 1) < 1e-9
    assert {o.measure: o.at_least for o in objectives[1:]} == {
        o.dimension: o.at_least for o in ex.params.objectives
    }
    returned = [c for c in out.records[-1].consequences if "no one returns now" in c]
    assert returned  # no one chose to go: the programme scored for a returnee who would
    if returned:
        ret = s.spec.policy.return_reintegration
        profile = model.Profile(
            name="x",
            story="x",
            skills=ret.skills,
            years_away=round(ret.years_before_landing + R.years_here(s), 2),
        )
        expected = model.run(profile, PROGRAMME).scores
        for d, v in expected.items():
            assert out.policy.measures[d] == v
    nothing = _return(s, enforced=False, safeguards=True, programme={})
    assert nothing.records[-1].result.score < out.records[-1].result.score


def test_the_policy_kind_is_checked():
    import pytest

    from mixedflows.capstone import season as S  # noqa: N812
    from mixedflows.results import AnswerError

    s = _before_policy()
    with pytest.raises(AnswerError, match="not a policy of this season"):
        S.play_policy(s, {"kind": "deportation"})
    with pytest.raises(AnswerError, match="not part of a return policy"):
        _return(s, fee=0)
    with pytest.raises(AnswerError, match="over the budget"):
        _return(s, programme={"cash": 5000})
    with pytest.raises(AnswerError, match="true or false"):
        _return(s, safeguards="yes")
    assert S.play_policy(s, {"fee": 100}).policy.kind == "regularization"  # as before


def test_the_app_offers_return_and_reintegration(store_path):
    import base64
    import re

    from mixedflows.store import Store
    from mixedflows.widgets.common import Recorder
    from mixedflows.widgets.season import SeasonApp

    recorder = Recorder(Store(store_path), learner="ret-test", session="room9")
    app = SeasonApp(recorder=recorder)
    app.port.value = "alba"
    app.stages["rescue"].cont.click()
    for key in ("reception", "screening", "postarrival"):
        app.stages[key].cont.click()
    assert app.stages["policy"].open, app.status.value
    assert "return and reintegration" in app.stages["policy"].situation.value
    app.policy_kind.value = "return_reintegration"
    app.return_inputs["safeguards"].value = True
    for k, v in PROGRAMME.items():
        app.return_inputs[k].value = v
    app.submit.click()
    assert "Attempt 1:" in app.status.value, app.status.value
    assert "No one returned before the safeguard" in app.feedback.value
    (row,) = Store(store_path).attempts(learner="ret-test")
    assert row.answer["policy"] == {
        "kind": "return_reintegration",
        "enforced": False,
        "safeguards": True,
        "programme": PROGRAMME,
    }
    link = re.search(r"base64,([^\"]+)\"", app.download.value).group(1)
    page = base64.b64decode(link).decode("utf-8")
    assert "Return and reintegration (module 9)" in page and "not returned" in page
    again = SeasonApp(recorder=recorder)  # the draft brings the policy back
    assert again.policy_kind.value == "return_reintegration"
    assert again.return_inputs["jobs"].value == PROGRAMME["jobs"]


def test_a_new_plan_meets_the_same_people_drawn_once():
    """Stage 2's arrivals are drawn once per season, share and seed (benchmarks/capstone.py:
    a new plan's submit no longer draws them again); the result is the simulation's own."""
    from mixedflows.capstone import season as S  # noqa: N812
    from mixedflows.reception import simulate

    s1 = play(SPEC, {"rescue": RESCUE})
    spec = s1.spec.reception
    S._arrivals.cache_clear()
    plans = [S.reception_plan(s1, {**THIN, "beds": b}) for b in (190, 400)]
    got = [
        S._simulate.__wrapped__(
            spec.season, s1.rescue.arrivals_factor, p.model_dump_json(), spec.seed
        )
        for p in plans
    ]
    assert S._arrivals.cache_info().misses == 1 and S._arrivals.cache_info().hits == 1
    scaled, _ = S._arrivals(spec.season, s1.rescue.arrivals_factor, spec.seed)
    for p, r in zip(plans, got, strict=True):
        assert r.metrics == simulate(scaled, p, seed=spec.seed).metrics


def test_return_stage_reads_module_9_params_without_the_exercise_registry():
    """The capstone reads module 9's exercise file itself (the exercise loader's registry names
    the capstone's grader: an import cycle); a file of another model is named as such."""
    import pytest as _pytest

    from mixedflows.errors import DataFileError
    from mixedflows.exercises import load_exercise
    from mixedflows.returns.grader import load_reintegration_params, reintegration_params

    ex = "m9_reintegration_programme"
    assert load_reintegration_params(ex) == reintegration_params(load_exercise(ex))
    with _pytest.raises(DataFileError, match=r"field 'model'.*not a reintegration exercise"):
        load_reintegration_params("m1_who_is_in_the_boat")
    with _pytest.raises(DataFileError, match="no exercise 'nope'"):
        load_reintegration_params("nope")


# -- the rescue stage states the rule it grades by (cold trial, module 11) -----------------------
def test_the_rescue_stage_states_the_never_rule_it_grades_by(store_path):
    """Module 11's rescue stage is graded by module 4's grader (the "never" cap); its
    instructions said nothing of it. Now the stage's situation states never_rule(), on the page
    too, and a 'never' option caps the stage below the pass mark whatever else is right."""
    from mixedflows.capstone import season as S  # noqa: N812
    from mixedflows.capstone.stages.rescue import _rescue_case
    from mixedflows.rescue import rules
    from mixedflows.rescue.grader import NEVER_CAP, never_rule
    from mixedflows.results import PASS_GRADE
    from mixedflows.store import Store
    from mixedflows.widgets.common import Recorder
    from mixedflows.widgets.season import SeasonApp

    start = S.start(SPEC)
    assert never_rule() in S.SITUATION["rescue"](start)
    assert f"{NEVER_CAP:.0%}" in never_rule() and f"{PASS_GRADE:.0%}" in never_rule()
    app = SeasonApp(recorder=Recorder(Store(store_path), learner="ana", session=""))
    assert "never right" in app.stages["rescue"].situation.value
    assert f"{NEVER_CAP:.0%}" in app.stages["rescue"].situation.value

    case = _rescue_case(start.spec.rescue)
    never = [
        v for v in rules.verdicts(case, (*rules.ON_BOARD, *rules.INFORMED)) if v.call == "forbidden"
    ]
    assert never
    best = play(SPEC, {"rescue": RESCUE}).records[0].result.score
    assert best >= PASS_GRADE
    for v in never:
        part = "on_board" if v.option in {o.id for o in rules.ON_BOARD} else "informed"
        answer = {**RESCUE, part: [*RESCUE[part], v.option]}
        score = play(SPEC, {"rescue": answer}).records[0].result.score
        assert score <= NEVER_CAP < PASS_GRADE, v.option
