"""A learner never sees an internal note (issue 10 cold trial, defect 6): the recorded figures'
``source`` said "as cited in issue 5 of this course". Every learner-facing file (datasets/,
exercises/, modules/, widgets/) and what the apps render from them (evidence cards, the
narratives and interview answers of every scenario) is read for the marks of a note written
for the course's authors: an issue number, "as cited in ... this course", TODO/FIXME."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LEARNER_FACING = ("datasets", "exercises", "modules", "widgets")
TEXT_SUFFIXES = {".csv", ".yaml", ".yml", ".json", ".md", ".txt", ".ipynb", ".html", ".j2"}

INTERNAL = re.compile(
    r"\bissues? ?(?:#|no\.? ?)?\d+\b"  # "issue 5", "issue #10"
    r"|\bas cited in (?:an? )?(?:issue|ticket|note)\b"  # "as cited in issue 5 of this course"
    r"|\bTODO\b|\bFIXME\b|\bXXX\b",
    re.IGNORECASE,
)


def _notes(text: str) -> list[str]:
    return [text[max(0, m.start() - 40) : m.end() + 40] for m in INTERNAL.finditer(text)]


def test_the_pattern_finds_the_note_that_was_there():
    old = "REGINE final report (ICMPD, Jan 2009), as cited in issue 5 of this course"
    assert _notes(old)
    assert _notes("see Issue #12") and _notes("TODO: check")
    assert not _notes("Regularisation in Spain, 2005: 585,000 approvals (Council of Europe)")
    assert not _notes("The tissue 5 cm") and not _notes("reissued 2009")


def _learner_files() -> list[Path]:
    out = []
    for d in LEARNER_FACING:
        for p in sorted((ROOT / d).rglob("*")):
            if p.is_file() and p.suffix in TEXT_SUFFIXES and ".ipynb_checkpoints" not in p.parts:
                out.append(p)
    return out


def _readable_text(p: Path) -> str:
    text = p.read_text("utf-8")
    if p.suffix == ".ipynb":  # what a learner reads: the cells (committed without outputs)
        return "\n".join("".join(c["source"]) for c in json.loads(text)["cells"])
    return text


def test_there_are_learner_facing_files_to_read():
    files = _learner_files()
    for d in LEARNER_FACING:
        assert any(p.is_relative_to(ROOT / d) for p in files), d
    assert ROOT / "datasets" / "regularization" / "recorded_figures.csv" in files


@pytest.mark.parametrize("folder", LEARNER_FACING)
def test_no_learner_facing_file_carries_an_internal_note(folder):
    found = {
        str(p.relative_to(ROOT)): notes
        for p in _learner_files()
        if p.is_relative_to(ROOT / folder) and (notes := _notes(_readable_text(p)))
    }
    assert not found, found


def test_no_rendered_output_carries_an_internal_note():
    from mixedflows.narratives import arrival_lines, interview, narrative_lines
    from mixedflows.regularization.programme import list_programmes
    from mixedflows.scenarios import generate_cohort, list_scenarios, load_scenario
    from mixedflows.widgets.policy_lab import evidence_cards

    outputs = {f"evidence cards {pid}": evidence_cards(pid) for pid in list_programmes()}
    for sid in list_scenarios():
        sc = load_scenario(sid)
        outputs[f"scenario {sid}"] = " ".join((sc.summary, *sc.caveats))
        for seed in range(10):
            for p in generate_cohort(sc, seed):
                answers = interview(p)
                outputs[p.person_id] = " ".join(
                    [
                        *narrative_lines(p),
                        *arrival_lines(p),
                        *(s for a in answers.values() for s in a),
                    ]
                )
    found = {k: n for k, v in outputs.items() if (n := _notes(v))}
    assert not found, found


# --- Paths, repositories and module paths (issue 14 review, major 2) ----------------------------

INTERNAL_REF = re.compile(
    r"datasets/|\.ya?ml\b|\.csv\b|github|\bcommit\b|\bmixedflows\.[a-z_]"
    r"|\b(?:widgets|modules|src|exercises)/[\w./-]+",
    re.IGNORECASE,
)
"""A course-internal reference a learner must not read: a data path or file, a repository or a
commit (a third-party copy the course's researchers read), a Python module path."""


def _refs(text: str) -> list[str]:
    return [text[max(0, m.start() - 50) : m.end() + 50] for m in INTERNAL_REF.finditer(text)]


def test_the_reference_pattern_finds_what_was_reported():
    for bad in (
        "Data: datasets/figures/mmp.csv (sources: IOM)",
        "as archived in GitHub repo stklem/med_migration file input/x (commit af18ba9)",
        "try a changed case in `datasets/rescue/`",
        "The rules are in `mixedflows.casework.actions`",
        "the app `widgets/stranded_migrants.ipynb`",
        "the files in casework/*.yaml",
    ):
        assert _refs(bad), bad
    for good in (
        "UNHCR Operational Data Portal, monthly series; annual totals computed from it",
        "the course's data",
        "IOM Missing Migrants Project (missingmigrants.iom.int)",
        "States committed to cooperation",
    ):
        assert not _refs(good), good


def _markdown(p: Path) -> str:
    return "\n".join(
        "".join(c["source"])
        for c in json.loads(p.read_text("utf-8"))["cells"]
        if c["cell_type"] == "markdown"
    )


@pytest.mark.parametrize("path", sorted((ROOT / "modules").glob("*.ipynb")), ids=lambda p: p.stem)
def test_no_module_page_names_a_path_a_repository_or_a_module(path):
    assert not _refs(_markdown(path)), _refs(_markdown(path))


def _learner_texts() -> dict[str, str]:
    """What learners read that the engine puts together: feedback, citations and summaries of
    every graded exercise on the guide's wrong answers and on reference answers, every
    data-reading question, the debriefs, and the flow explorer's facts and sources."""
    import sys

    sys.path.insert(0, str(Path(__file__).parent))
    from test_facilitator_guide import _wrong_answers
    from test_prose import _casework_texts, _debriefs, _feedback_texts, _other_graders

    from mixedflows.exercises import load_exercise
    from mixedflows.flows import data
    from mixedflows.flows.explore import route_view
    from mixedflows.flows.questions import all_questions, grade_question
    from mixedflows.grading import grade

    out: dict[str, str] = {}
    for ex_id, answers in _wrong_answers().items():
        for k, answer in enumerate(answers):
            r = grade(load_exercise(ex_id), answer)
            out[f"{ex_id} wrong {k}"] = " ".join([r.summary, *_feedback_texts(r)])
    out["journey empty"] = " ".join(
        _feedback_texts(grade(load_exercise("m2_a_journey_that_changes"), {}))
    )
    for q in all_questions():
        fb = grade_question(q, None)
        out[f"question {q.id}"] = " ".join([q.prompt, fb.message, fb.citation])
    for name, f in (
        ("casework", _casework_texts),
        ("other graders", _other_graders),
        ("debriefs", _debriefs),
    ):
        out[name] = " ".join(f())
    from mixedflows.widgets.flow_explorer import FlowExplorer

    e = FlowExplorer()
    for r in data.load_routes():
        e.route.value = r.id
        for year in route_view(r.id).years:
            e.year.value = year
            out[f"explorer {r.id} {year}"] = " ".join(
                x.value for x in (e.caveat, e.facts, e.months, *e.widget.children[-1:])
            )
    return out


def test_no_learner_text_names_a_path_a_repository_or_a_module():
    found = {k: refs for k, v in _learner_texts().items() if (refs := _refs(v))}
    assert not found, found
