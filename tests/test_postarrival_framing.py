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
    assert "words that describe people" in r.summary and "no call to suspicion" in r.summary
    assert "contested" in r.summary  # the evidence note travels with the grade
    myth = next(f for f in r.items if f.item.startswith("Neither"))
    assert "may" in myth.message and "ODI Working Paper 512" in myth.citation
    words = next(f for f in r.items if f.item.startswith("Words"))
    assert "not an effect measured here" in words.citation  # the limit is said


def test_partial_credit_and_facts_earn_nothing_either_way():
    ex = load_exercise("m7_public_message")
    best = best_message(load_message_brief("port_alba_statement"))
    with_numbers = {**best, "content": [*best["content"], "sourced_numbers"]}
    assert grade(ex, with_numbers).score == 1.0
    myth = grade(ex, {**best, "frame": "myth_fact"})
    assert myth.score == pytest.approx(1 - 0.25 - 0.15)


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
        with pytest.raises(DataFileError, match=r"criteria\.1\.findings"):
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
