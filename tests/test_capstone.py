"""Module 11, the capstone engine: a Season passed stage to stage, each stage graded by its
module's engine, each decision changing the next stage's situation and the season's outcome."""

from __future__ import annotations

from pathlib import Path

import pytest

from mixedflows.capstone import STAGES, grade_season, load_capstone, outcome_lines, play, start
from mixedflows.capstone import season as S  # noqa: N812
from mixedflows.capstone.report import debrief_filename, debrief_html
from mixedflows.errors import DataFileError
from mixedflows.exercises import load_exercise
from mixedflows.grading import grade
from mixedflows.results import AnswerError
from mixedflows.screening import screen

SPEC = "port_alba_season"
RESCUE_RIGHT = {
    "port": "alba",
    "on_board": ["care", "medevac", "families", "separate_space", "note_claims"],
    "informed": ["reception", "port_medical", "child_protection", "unhcr"],
}
GOOD_PLAN = dict(
    medical=5, screening=16, child_protection=5, mediation=18, beds=1500, transfers_per_day=300
)
THIN_PLAN = dict(
    medical=3, screening=6, child_protection=2, mediation=6, beds=190, transfers_per_day=200
)


def _reference_screening(season: S.Season) -> dict[str, list[str]]:
    """What the screening rules refer each person for, on the facts the interview heard."""
    return {
        s.person.person_id: [n.value for n in screen(s.heard).needs]
        for s in S.screening_sample(season)
    }


def test_port_changes_reception_and_outcome() -> None:
    """Stage 1's port changes stage 2's situation, its simulated season and the outcome."""
    alba = play(SPEC, {"rescue": RESCUE_RIGHT, "reception": THIN_PLAN})
    fiora = play(SPEC, {"rescue": {**RESCUE_RIGHT, "port": "fiora"}, "reception": THIN_PLAN})
    assert S.reception_situation(alba) != S.reception_situation(fiora)
    share = load_capstone(SPEC).reception.diverted_share
    assert fiora.rescue.arrivals_factor == pytest.approx(1 - share)
    assert fiora.reception.metrics["people"] < alba.reception.metrics["people"]
    assert outcome_lines(alba) != outcome_lines(fiora)
    # The rescue grade says Port Fiora is farther than a safe port of one's own.
    assert alba.records[0].result.score > fiora.records[0].result.score


def test_unsafe_port_puts_people_at_risk() -> None:
    bren = play(SPEC, {"rescue": {**RESCUE_RIGHT, "port": "bren"}})
    assert not bren.rescue.safe and bren.rescue.people_at_risk > 0
    assert any("not a place of safety" in c for c in bren.records[0].consequences)
    alba = play(SPEC, {"rescue": RESCUE_RIGHT})
    assert alba.rescue.people_at_risk == 0


def test_staffing_decides_who_is_heard_and_missed() -> None:
    """Stage 2's plan decides who is interviewed in a hurry at stage 3, hence who is missed."""
    thin = play(SPEC, {"rescue": RESCUE_RIGHT, "reception": THIN_PLAN})
    good = play(SPEC, {"rescue": RESCUE_RIGHT, "reception": GOOD_PLAN})
    rushed_thin = [s for s in S.screening_sample(thin) if s.rushed]
    rushed_good = [s for s in S.screening_sample(good) if s.rushed]
    assert len(rushed_thin) > len(rushed_good)
    assert S.screening_situation(thin) != S.screening_situation(good)
    # A perfect screening on what was heard: still, the thin centre misses needs no one heard.
    thin3 = S.play_screening(thin, _reference_screening(thin))
    good3 = S.play_screening(good, _reference_screening(good))
    assert thin3.records[-1].result.score == 1.0 and good3.records[-1].result.score == 1.0
    missed_thin = {k for k, v in thin3.screening.not_heard.items() if v}
    missed_good = {k for k, v in good3.screening.not_heard.items() if v}
    assert missed_thin and len(missed_thin) > len(missed_good)
    # ...and the people missed are those whose full facts indicate more than was heard.
    for s in thin3.screening.sample:
        full = {n.value for n in screen(s.person).needs}
        heard = {n.value for n in screen(s.heard).needs}
        assert set(thin3.screening.not_heard[s.person.person_id]) == full - heard


def test_postarrival_routes_make_the_policy_caseload() -> None:
    s = play(SPEC, {"rescue": RESCUE_RIGHT, "reception": GOOD_PLAN, "screening": {}})
    ids = [x.person.person_id for x in s.screening.sample]
    none = S.play_postarrival(s, {})
    asylum_all = S.play_postarrival(s, {pid: ["asylum"] for pid in ids})
    assert len(none.postarrival.without_status) == len(ids)
    assert asylum_all.postarrival.without_status == ()
    assert S.caseload(none) > 0 and S.caseload(asylum_all) == 0
    assert S.policy_situation(none) != S.policy_situation(asylum_all)
    p1 = S.play_policy(none, {"fee": 0})
    assert p1.policy.caseload == S.caseload(none)
    assert p1.records[-1].consequences  # generated from the model's figures


def test_reference_answers_score_full_marks_per_stage() -> None:
    s = S.play_rescue(start(SPEC), RESCUE_RIGHT)
    assert s.records[0].result.score == 1.0
    s = S.play_reception(s, GOOD_PLAN)
    s = S.play_screening(s, _reference_screening(s))
    assert s.records[-1].result.score == 1.0
    from mixedflows.casework import reference

    files = S.postarrival_files(s)
    offered = load_capstone(SPEC).postarrival.actions
    ans = {f.person.person_id: list(reference(f, offered)) for f in files}
    s = S.play_postarrival(s, ans)
    assert s.records[-1].result.score == 1.0


def test_feedback_cites_framework_and_seed_paragraph() -> None:
    s = play(
        SPEC,
        {
            "rescue": RESCUE_RIGHT,
            "reception": THIN_PLAN,
            "screening": {},
            "postarrival": {},
            "policy": {"fee": 100},
        },
    )
    g = grade_season(s)
    assert {r.stage for r in s.records} == set(STAGES)
    assert g.items and all("MC/INF/294 ¶" in f.citation for f in g.items)
    for n, stage in enumerate(STAGES, 1):
        assert any(f.item.startswith(f"{n}. ") for f in g.items), stage
    # The numbers in the reception feedback are the simulation's own.
    m = s.reception.metrics
    rec = next(f for f in g.items if "Screening on time" in f.item)
    assert f"{m['screened_late']:,.0f} of {m['people']:,.0f}" in rec.message


def test_stage_order_and_bad_answers() -> None:
    with pytest.raises(AnswerError, match="comes after"):
        S.play_reception(start(SPEC), GOOD_PLAN)
    with pytest.raises(AnswerError, match="choose the port"):
        S.play_rescue(start(SPEC), {})
    s = S.play_rescue(start(SPEC), RESCUE_RIGHT)
    with pytest.raises(AnswerError, match="beds"):
        S.play_reception(s, {**GOOD_PLAN, "beds": "many"})
    with pytest.raises(AnswerError, match="not a stage"):
        play(SPEC, {"rescue": RESCUE_RIGHT, "harbour": {}})
    with pytest.raises(AnswerError, match="no answer yet"):
        play(SPEC, {"rescue": RESCUE_RIGHT, "screening": {}})


def test_exercise_grades_the_whole_season() -> None:
    ex = load_exercise("m11_season_on_the_route")
    with pytest.raises(AnswerError, match="not answered"):
        grade(ex, {"rescue": RESCUE_RIGHT})
    answers = {
        "rescue": RESCUE_RIGHT,
        "reception": GOOD_PLAN,
        "screening": {},
        "postarrival": {},
        "policy": {},
    }
    r = grade(ex, answers)
    assert 0 < r.score < 1
    assert r.details["stages"]["rescue"] == 1.0


def test_debrief_escapes_hostile_text() -> None:
    s = play(SPEC, {"rescue": RESCUE_RIGHT, "reception": THIN_PLAN})
    hostile = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    page = debrief_html(s, learner=hostile, team="A&B <b>")
    assert "<script" not in page and "<img" not in page and "<b>A&B" not in page
    assert "&lt;script&gt;" in page and "A&amp;B &lt;b&gt;" in page
    assert "Port: Port Alba" in page  # the learner's choices, in words
    assert debrief_filename(s, hostile).endswith(".html")
    assert "/" not in debrief_filename(s, "../../etc/passwd")


def test_spec_rejects_unknown_keys(tmp_path: Path) -> None:
    from mixedflows.capstone.spec import capstone_dir

    text = (capstone_dir() / f"{SPEC}.yaml").read_text()
    bad = tmp_path / f"{SPEC}.yaml"
    bad.write_text(text.replace("  sample: 6", "  sample: 6\n  sampel: 7"))
    with pytest.raises(DataFileError, match="sampel"):
        load_capstone(bad)


def test_spec_deep_check_names_the_field(tmp_path: Path) -> None:
    """The scenario's ids are checked against what they name; the app's first paint reads the
    file alone (deep=False) and the stages load the rest when they open."""
    from mixedflows.capstone.spec import capstone_dir

    text = (capstone_dir() / f"{SPEC}.yaml").read_text()
    bad = tmp_path / f"{SPEC}.yaml"
    bad.write_text(text.replace("actions: [asylum,", "actions: [teleport, asylum,"))
    assert load_capstone(bad, deep=False).postarrival.actions[0] == "teleport"
    with pytest.raises(DataFileError, match=r"postarrival\.actions.*teleport"):
        load_capstone(bad)
    bad.write_text(text.replace("programme: italy_2020", "programme: atlantis_2031"))
    with pytest.raises(DataFileError, match=r"policy\.programme"):
        load_capstone(bad, deep=False)
    bad.write_text(text.replace("measure: months_to_clear", "measure: happiness"))
    with pytest.raises(DataFileError, match=r"policy\.objectives\.1\.measure"):
        load_capstone(bad)


def test_the_season_can_be_solved() -> None:
    """Full marks are within reach at stages 2 and 5 (a plan within the budget, a programme
    meeting every objective), measured by the engines, not assumed."""
    s = play(
        SPEC, {"rescue": RESCUE_RIGHT, "reception": GOOD_PLAN, "screening": {}, "postarrival": {}}
    )
    assert s.records[1].result.score == 1.0
    design = {
        "residence_years": 0,
        "contract_months": 0,
        "fee": 200,
        "window_months": 4,
        "staff": 40,
        "cover_other_sectors": True,
    }
    p = S.play_policy(s, design)
    assert p.records[-1].result.score == 1.0, p.records[-1].result.items
    # ... and a residence requirement longer than the season excludes its people.
    strict = S.play_policy(s, {**design, "residence_years": 2})
    assert strict.policy.measures["regularised_share"] < p.policy.measures["regularised_share"]


def test_objectives_are_checked_by_one_piece_with_one_message(tmp_path: Path) -> None:
    """The capstone's policy objectives and module 8's design objectives are one format
    (:class:`mixedflows.coursefiles.Objective`): an unknown measure or weights that do not sum
    to 1 read the same in both files, naming the file and the field."""
    import yaml

    from mixedflows.capstone.spec import capstone_dir
    from mixedflows.exercises import load_exercise
    from mixedflows.paths import home

    text = (capstone_dir() / f"{SPEC}.yaml").read_text()
    cap = tmp_path / f"{SPEC}.yaml"
    cap.write_text(text.replace("measure: months_to_clear", "measure: happiness"))
    with pytest.raises(DataFileError) as in_capstone:
        load_capstone(cap)
    design = "m8_domestic_workers_programme"
    data = yaml.safe_load((home() / "exercises" / f"{design}.yaml").read_text())
    data["params"]["objectives"][1]["measure"] = "happiness"
    ex = tmp_path / f"{design}.yaml"
    ex.write_text(yaml.safe_dump(data))
    with pytest.raises(DataFileError) as in_exercise:
        load_exercise(ex)
    assert in_capstone.value.path == str(cap) and in_exercise.value.path == str(ex)
    assert in_capstone.value.field == "policy.objectives.1.measure"
    assert in_exercise.value.field == "params.objectives.1.measure"
    for e in (in_capstone.value, in_exercise.value):
        assert e.detail.startswith("unknown measure 'happiness'; known: "), e.detail
    data["params"]["objectives"][1]["measure"] = "months_to_clear"
    data["params"]["objectives"][1]["weight"] = 0.9
    ex.write_text(yaml.safe_dump(data))
    with pytest.raises(DataFileError, match="objective weights must sum to 1, they sum to"):
        load_exercise(ex)
