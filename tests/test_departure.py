"""Module 3: the campaign design graded against the evaluation evidence; development and
emigration read from the evidence file. Every criterion cites findings that exist, with their
verification; changing the evidence file changes the reference."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from mixedflows import departure
from mixedflows.errors import DataFileError
from mixedflows.exercises import load_exercise
from mixedflows.grading import AnswerError, grade

ROOT = Path(__file__).resolve().parents[1]

STRONG = {
    "audience": "district_youth",
    "messenger": "returnees",
    "channels": ["peer_events", "family_networks", "resource_centre", "repeated"],
    "content": ["legal_options", "hazards", "trafficking", "rights"],
    "evaluation": ["objective", "baseline_followup", "comparison_group", "intentions"],
}
DETERRENCE = {
    "audience": "national_public",
    "messenger": "minister",
    "channels": ["tv_spots", "billboards"],
    "content": ["hazards", "fear_images"],
    "evaluation": ["none"],
}


def test_every_criterion_rests_on_findings_with_sources():
    brief = departure.load_brief("atlantic_route_campaign")
    known = departure.findings()
    for c in brief.criteria:
        assert c.findings and all(f in known for f in c.findings)
    for f in known.values():
        assert f.source and f.verification in {"P", "S", "S-weak"}


def test_a_design_following_the_evidence_scores_full():
    res = grade(load_exercise("m3_design_a_campaign"), STRONG)
    assert res.score == pytest.approx(1.0)
    assert res.details["weaknesses"] == []
    assert "60 evaluations" in res.summary  # the thin evidence is said


def test_deterrence_only_and_no_evaluation_are_named_weaknesses():
    res = grade(load_exercise("m3_design_a_campaign"), DETERRENCE)
    assert set(res.details["weaknesses"]) == {
        "not_deterrence_only",
        "no_fear_images",
        "evaluation_plan",
    }
    by = {f.item: f for f in res.items}
    deter = by["Not deterrence only"]
    assert deter.message.startswith("Weakness (deterrence-only messaging): Deterrence only")
    assert "deterrence-only messaging; fear images" in res.summary
    assert "no evaluation plan" in res.summary
    assert "cgdev.org" in deter.citation and "MC/INF/294 ¶14" in deter.citation
    assert "findings were not checked" in deter.message  # WODC: table of contents only
    plan = by["An evaluation plan"]
    assert "3,600" in plan.message and "gmdac.iom.int" in plan.citation
    assert res.score < 0.2


def test_scores_are_the_weighted_criteria():
    brief = departure.load_brief("atlantic_route_campaign")
    design = departure.coerce_design(brief, {**STRONG, "content": ["legal_options", "hazards"]})
    results = departure.assess(brief, design)
    complete = next(r for r in results if r.criterion.id == "complete_content")
    assert complete.credit == 0.5
    res = grade(
        load_exercise("m3_design_a_campaign"), {**STRONG, "content": ["legal_options", "hazards"]}
    )
    assert res.score == pytest.approx(1 - 0.5 * complete.criterion.weight)
    # A before-and-after survey without a comparison group: half credit on impact.
    res = grade(
        load_exercise("m3_design_a_campaign"),
        {**STRONG, "evaluation": ["objective", "baseline_followup", "intentions"]},
    )
    impact = next(f for f in res.items if f.item == "Measures impact, not only reach")
    assert impact.credit == 0.5


@pytest.mark.parametrize(
    "answer, words",
    [
        ("a campaign", "maps each field"),
        ({"audience": ["district_youth"]}, "choose one option"),
        ({"channels": "tv_spots"}, "give a list"),
        ({"content": ["jokes"]}, "not an option: jokes"),
        ({"budget": 3}, "not a field"),
    ],
)
def test_bad_designs_are_named(answer, words):
    with pytest.raises(AnswerError, match=words):
        grade(load_exercise("m3_design_a_campaign"), answer)


def test_development_reference_is_read_from_the_studies():
    across, _ = departure.what_the_evidence_says("across countries")
    within, rows = departure.what_the_evidence_says("within countries over time")
    assert across == "rises"
    assert within == departure.DISAGREE and {s.direction for s in rows} == {"rises", "falls"}
    ex = load_exercise("m3_development_and_emigration")
    res = grade(ex, {"across_countries": "rises", "within_countries": "falls"})
    assert [f.credit for f in res.items] == [1.0, 0.5]
    assert "World Bank" in res.items[1].message and "abstracts" in res.items[1].message
    res = grade(ex, {"across_countries": "falls", "within_countries": "disagree"})
    assert [f.credit for f in res.items] == [0.0, 1.0]
    with pytest.raises(AnswerError, match="choose one of"):
        grade(ex, {"across_countries": "up"})


@pytest.fixture
def course_copy(tmp_path, monkeypatch):
    for d in ("datasets", "exercises"):
        shutil.copytree(ROOT / d, tmp_path / d)
    from mixedflows import paths

    monkeypatch.setenv("MIXEDFLOWS_HOME", str(tmp_path))
    paths.home.cache_clear()
    yield tmp_path
    paths.home.cache_clear()


def test_a_new_study_changes_the_reference(course_copy):
    f = course_copy / "datasets/evidence/development_emigration.csv"
    with f.open("a", encoding="utf-8") as fh:
        fh.write('x_2030,"A test study",across countries,2030,falls,"falls",,"a test source",S\n')
    assert departure.what_the_evidence_says("across countries")[0] == departure.DISAGREE


def test_a_criterion_citing_an_unknown_finding_is_named(course_copy):
    f = course_copy / "datasets/campaigns/atlantic_route_campaign.yaml"
    f.write_text(f.read_text(encoding="utf-8").replace("[gsdrc_2015]", "[gsdrc_2099]"), "utf-8")
    with pytest.raises(DataFileError, match=r"criteria.3.findings.*gsdrc_2099"):
        departure.load_brief("atlantic_route_campaign")


def test_a_malformed_evidence_row_is_named(course_copy):
    f = course_copy / "datasets/evidence/development_emigration.csv"
    with f.open("a", encoding="utf-8") as fh:
        fh.write('x_2031,"A study",across countries,2031,rises,"rises",,"a source",P-maybe\n')
    with pytest.raises(DataFileError, match=r"development_emigration.csv: field 'verification'"):
        departure.studies()


def _subsets(ids):
    from itertools import combinations

    return [list(x) for k in range(len(ids) + 1) for x in combinations(ids, k)]


def test_fear_images_are_a_named_weakness_whatever_else_is_said():
    """Issue 14 review, major 6: all four contents plus 'Graphic images of deaths at sea' and a
    full evaluation plan scored 1.0, 'No weakness', against the module's own debrief. Every
    content choice with fear images is now short of full marks and names the weakness."""
    ex = load_exercise("m3_design_a_campaign")
    brief = departure.load_brief("atlantic_route_campaign")
    for content in _subsets(brief.field("content").ids()):
        if not content:
            continue
        res = grade(ex, {**STRONG, "content": content})
        if "fear_images" in content:
            assert res.score < 1.0 and "no_fear_images" in res.details["weaknesses"], content
            assert "fear images" in res.summary and "No weakness" not in res.summary
            item = next(f for f in res.items if f.item.startswith("No images of death"))
            assert item.message.startswith("Weakness") and "MC/INF/294 ¶14" in item.citation
        else:
            assert "no_fear_images" not in res.details["weaknesses"]


def test_no_evaluation_beside_an_evaluation_plan_is_refused_not_graded():
    """Issue 14 review, major 6: 'none' with any evaluation option is a contradiction."""
    ex = load_exercise("m3_design_a_campaign")
    brief = departure.load_brief("atlantic_route_campaign")
    others = [o for o in brief.field("evaluation").ids() if o != "none"]
    for extra in _subsets(others):
        if not extra:
            assert (
                "evaluation_plan"
                in grade(ex, {**STRONG, "evaluation": ["none"]}).details["weaknesses"]
            )
            continue
        with pytest.raises(AnswerError, match="contradicts"):
            grade(ex, {**STRONG, "evaluation": ["none", *extra]})


def test_a_weakness_criterion_without_its_name_is_refused(course_copy):
    p = course_copy / "datasets/campaigns/atlantic_route_campaign.yaml"
    text = p.read_text(encoding="utf-8")
    p.write_text(text.replace('    weakness_label: "No evaluation plan"\n', ""), encoding="utf-8")
    with pytest.raises(DataFileError, match="weakness_label"):
        departure.load_brief(p)
