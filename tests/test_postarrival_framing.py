"""Module 7, destigmatization (¶22): a public message graded criterion by criterion against the
evidence file; the best message is derived from the criteria; weaknesses are named; the
strength of the evidence is said; a bad file or answer is named."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from mixedflows.errors import DataFileError
from mixedflows.exercises import load_exercise
from mixedflows.grading import AnswerError, grade
from mixedflows.postarrival import best_message, findings, load_message_brief

ROOT = Path(__file__).resolve().parents[1]
STIGMA = {
    "frame": "threat_control",
    "people": "crowd",
    "words": "illegal",
    "content": ["more_coming"],
    "ask": "report_suspicious",
    "press": "statement_only",
}


def test_every_criterion_rests_on_findings_with_sources_and_limits():
    brief = load_message_brief("port_alba_statement")
    known = findings()
    assert abs(sum(c.weight for c in brief.criteria) - 1) < 1e-9
    for c in brief.criteria:
        assert c.findings and all(f in known for f in c.findings)
    for f in known.values():
        assert f.source and f.verification in {"P", "S", "S-weak"} and f.limits


def test_best_message_is_derived_and_scores_full():
    ex = load_exercise("m7_public_message")
    best = best_message(load_message_brief("port_alba_statement"))
    assert best["frame"] == "shared_values" and best["words"] == "irregular"
    r = grade(ex, best)
    assert r.score == 1.0 and "No weakness" in r.summary
    assert all("MC/INF/294 ¶22" in f.citation for f in r.items)


def test_stigmatising_message_names_its_weaknesses_and_the_evidence_strength():
    r = grade(load_exercise("m7_public_message"), STIGMA)
    assert r.score == 0.0
    assert (
        "words that name people by an offence" in r.summary and "a call to suspicion" in r.summary
    )
    assert "contested" in r.summary  # the evidence note travels with the grade
    threat = next(f for f in r.items if f.item.startswith("No threat frame"))
    assert threat.credit == 0 and "MC/INF/294 ¶22" in threat.citation
    assert "a threat frame" in r.summary
    values = next(f for f in r.items if f.item.startswith("A frame of shared values"))
    assert "'may'" in values.message and "not graded" in values.message
    assert "ODI Working Paper 512" in values.citation
    words = next(f for f in r.items if f.item.startswith("Words"))
    assert "not a quoted position or a measured effect" in words.citation  # the limit is said


def test_partial_credit_and_facts_earn_nothing_either_way():
    ex = load_exercise("m7_public_message")
    best = best_message(load_message_brief("port_alba_statement"))
    with_numbers = {**best, "content": [*best["content"], "sourced_numbers"]}
    assert grade(ex, with_numbers).score == 1.0


def test_a_myth_and_fact_frame_loses_only_the_values_frame():
    """Issue 14: changing only the frame of a 100% statement to "Myth and fact" gave 60%, while
    the feedback called the myth-busting finding the review's own "may" and the module says the
    course grades contested findings neither way. The weak finding is said, not graded: a
    myth-and-fact frame loses what figures alone lose (the values frame), and no more."""
    ex = load_exercise("m7_public_message")
    brief = load_message_brief("port_alba_statement")
    best = best_message(brief)
    values = next(c for c in brief.criteria if c.id == "values_frame")
    myth = grade(ex, {**best, "frame": "myth_fact"})
    figures = grade(ex, {**best, "frame": "statistics_only"})
    threat = grade(ex, {**best, "frame": "threat_control"})
    assert myth.score == pytest.approx(1 - values.weight) == figures.score
    assert threat.score < myth.score
    assert "Weakness" not in " ".join(f.message for f in myth.items)
    assert "No weakness" in myth.summary and "not graded" in myth.summary
    # No criterion rests on the weak finding alone: it is quoted beside a stronger one.
    for c in brief.criteria:
        assert set(c.findings) != {"odi_myth"}


def test_a_finding_removed_from_the_evidence_is_named(tmp_path, monkeypatch):
    """The criteria read the evidence file: a finding removed is an error naming the file."""
    home = tmp_path / "home"
    shutil.copytree(ROOT / "datasets", home / "datasets")
    shutil.copytree(ROOT / "exercises", home / "exercises")
    from mixedflows import paths

    monkeypatch.setenv("MIXEDFLOWS_HOME", str(home))
    paths.home.cache_clear()
    csv = home / "datasets/evidence/public_discourse_findings.csv"
    csv.write_text("".join(x for x in csv.open() if not x.startswith("odi_myth")))
    try:
        with pytest.raises(DataFileError, match=r"criteria\.0\.findings"):
            load_message_brief("port_alba_statement")
    finally:
        paths.home.cache_clear()


def test_bad_answers_and_files_are_named(tmp_path):
    ex = load_exercise("m7_public_message")
    with pytest.raises(AnswerError, match="not an option"):
        grade(ex, {"frame": "<b>shout</b>"})
    with pytest.raises(AnswerError, match="not a field"):
        grade(ex, {"tone": "calm"})
    with pytest.raises(AnswerError, match="list"):
        grade(ex, {"content": "town_plan"})
    src = yaml.safe_load((ROOT / "datasets/messages/port_alba_statement.yaml").read_text())
    src["criteria"][0]["rule"]["options"] = ["sunshine"]
    p = tmp_path / "port_alba_statement.yaml"
    p.write_text(yaml.safe_dump(src))
    with pytest.raises(DataFileError, match=r"criteria\.0\.rule"):
        load_message_brief(p)


def _subsets(ids):
    from itertools import combinations

    return [list(x) for k in range(len(ids) + 1) for x in combinations(ids, k)]


def test_a_warning_of_more_to_come_is_a_named_weakness_whatever_else_is_said():
    """Issue 14 review, major 7: the shared-values message with 'A warning that many more may
    come this summer' scored 1.0. Every content choice that includes it is now short of full
    marks and names the weakness, citing ¶22."""
    ex = load_exercise("m7_public_message")
    brief = load_message_brief("port_alba_statement")
    best = best_message(brief)
    assert "more_coming" not in best["content"]
    ids = brief.field("content").ids()
    for content in _subsets(ids):
        r = grade(ex, {**best, "content": content})
        if "more_coming" in content:
            assert r.score < 1.0 and "no_more_coming" in r.details["weaknesses"], content
            assert "a warning that many more may come" in r.summary
            item = next(f for f in r.items if "more to come" in f.item)
            assert item.message.startswith("Weakness") and "MC/INF/294 ¶22" in item.citation
        else:
            assert "no_more_coming" not in r.details["weaknesses"], content


def test_a_story_given_to_the_press_is_anonymised_with_informed_consent():
    """Issue 14 review, major 8: the 'faces' criterion rewarded a named person's story given to
    the press; asylum-seekers' information is kept from the State they fled (UNHCR Advisory
    Opinion on confidentiality, 2005). Every option a criterion rewards on 'people' says
    anonymised and informed consent; the feedback, met or not, names the risk to family in the
    country of origin and cites the opinion."""
    ex = load_exercise("m7_public_message")
    brief = load_message_brief("port_alba_statement")
    people = brief.field("people")
    rewarded = {o for c in brief.criteria if c.rule.field == "people" for o in c.rule.listed()}
    assert rewarded
    for o in people.options:
        if o.id in rewarded:
            assert "anonymised" in o.label and "informed consent" in o.label, o.label
            assert "identify" in o.label
    best = best_message(brief)
    for choice in people.ids():
        r = grade(ex, {**best, "people": choice})
        faces = next(f for f in r.items if f.item.startswith("The many faces"))
        assert "family" in faces.message and "Advisory Opinion" in faces.citation, choice


def test_nothing_attributes_to_the_note_or_iom_a_position_on_the_word_illegal():
    """Issue 14 review, major 4: 'That "illegal" stigmatises is the note's and IOM's position'
    - MC/INF/294 never discusses the word. No finding, criterion or module text says so."""
    brief = load_message_brief("port_alba_statement")
    texts = [f.cite() + " " + f.finding for f in findings().values()]
    texts += [c.met + " " + c.not_met for c in brief.criteria] + [brief.evidence_note]
    texts.append((ROOT / "modules/07_after_arrival.ipynb").read_text(encoding="utf-8"))
    for t in texts:
        assert "note's and IOM's position" not in t and "IOM's position" not in t, t[:200]
    words = next(c for c in brief.criteria if c.rule.field == "words")
    assert "course's reading" in words.not_met


@pytest.mark.parametrize("exercise_id", ["m7_public_message", "m3_design_a_campaign"])
def test_an_empty_answer_is_not_answered_and_no_positive_label_is_a_weakness(exercise_id):
    """Issue 14 review, minor: an empty answer was summarised with weaknesses, and positive
    labels ('no call to suspicion') were printed as weaknesses."""
    ex = load_exercise(exercise_id)
    empty = grade(ex, {})
    assert "Weaknesses" not in empty.summary and "Not answered" in empty.summary
    assert empty.details["weaknesses"] == []
    from mixedflows.departure import load_brief

    brief = (
        load_message_brief(ex.params.brief)
        if exercise_id.startswith("m7")
        else load_brief(ex.params.brief)
    )
    worst = {f.id: ([] if f.multiple else f.ids()[0]) for f in brief.fields}
    for f in brief.fields:  # every option of every field, one at a time
        for o in f.ids():
            chosen = [o] if f.multiple else o
            if o == "none" and f.multiple:
                chosen = ["none"]
            r = grade(ex, {**worst, f.id: chosen})
            for c in brief.criteria:
                if c.weakness and c.id in r.details["weaknesses"]:
                    assert c.weakness_label.lower() in r.summary.lower()
                assert f"Weaknesses: {c.label}" not in r.summary
