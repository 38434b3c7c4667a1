"""Generated text reads: no '..', no ' .', no two spaces, no small letter starting a sentence,
no capital after a semicolon on an ordinary word (issue 14, cold trial: "Family here: Meron G..",
"; Terminology"). Run over the texts the engine puts together from data: case cards, feedback
of every module-1-to-7 grader on a right and a wrong answer, evidence citations, debriefs."""

from __future__ import annotations

import pytest

from mixedflows import casework
from mixedflows.departure import evidence
from mixedflows.exercises import load_exercise
from mixedflows.grading import cohort_reference, grade
from mixedflows.postarrival import framing
from mixedflows.text import joined, prose_problems, sentence


@pytest.mark.parametrize(
    "bad",
    [
        "Family here: Meron G..",
        "It is a sentence .",
        "Two  spaces.",
        "One sentence. then another.",
        "A source; Terminology, not an effect study. The terminology matters.",
        "<p>Family here: Selam G..</p>",
    ],
)
def test_the_check_finds_each_fault(bad):
    assert prose_problems(bad)


@pytest.mark.parametrize(
    "good",
    [
        "Family here: Meron G.",
        "Art. 3 applies; IOM reads it so. CRC General Comment No. 6 says so, e.g. for a child.",
        "<p>One.</p><p>two lines</p>",
        "Who are they … ? He waited 2.5 hours.",
    ],
)
def test_the_check_passes_text_that_reads(good):
    assert prose_problems(good) == []


def test_sentence_and_joined():
    assert sentence("family here: " + joined(["Selam G.", "Meron G."])) == (
        "Family here: Selam G. and Meron G."
    )
    assert sentence("done.") == "Done."
    assert sentence("  two   spaces ") == "Two spaces."
    assert joined(["a", "b", "c"]) == "a, b and c"


def _feedback_texts(result) -> list[str]:
    return [t for it in result.items for t in (it.message, it.citation, it.expected, it.given)]


def _casework_texts() -> list[str]:
    out = []
    for eid in ("m6_stranded_casework", "m7_after_arrival"):
        ex = load_exercise(eid)
        params = casework.check_params(ex)
        for f in casework.files_of(params):
            out += [f.person.narrative, casework.family_line(f)]
            out += casework.situation_lines(f.person, f.situation)
            for actions in (casework.reference(f, params.actions), list(params.actions)):
                answer = {"person_id": f.person.person_id, "actions": list(actions)}
                out += _feedback_texts(grade(ex, answer))
    return out


def test_a_family_named_with_an_initial_ends_with_one_full_stop():
    ex = load_exercise("m7_after_arrival")
    files = casework.files_of(casework.check_params(ex))
    lines = [casework.family_line(f) for f in files if f.family]
    assert lines, "the Port Alba files have a family"
    assert any(line.endswith("G.") for line in lines)  # the initial ends the sentence
    assert all(not line.endswith("..") for line in lines)


def _evidence_texts() -> list[str]:
    rows = [*evidence.findings().values(), *framing.findings().values()]
    return [f.cite() for f in rows] + [f.finding for f in rows]


def _other_graders() -> list[str]:
    from mixedflows.rescue import rules
    from mixedflows.rescue.case import load_rescue

    out = []
    ex = load_exercise("m1_who_is_in_the_boat")
    ref = cohort_reference(ex)
    out += _feedback_texts(grade(ex, ref))
    wrong = {pid: {"profiles": ["economic"], "first_need": None} for pid in ref}
    out += _feedback_texts(grade(ex, wrong))
    msg = load_exercise("m7_public_message")
    brief = framing.load_message_brief(msg.params.brief)
    out += _feedback_texts(grade(msg, framing.best_message(brief)))
    rescue = load_exercise("m4_rescue_decision")
    case = load_rescue(rescue.params.case)
    out += _feedback_texts(grade(rescue, rules.reference(case)))
    out += _feedback_texts(grade(rescue, {"port": "bren", "on_board": [], "informed": []}))
    return out


def _debriefs() -> list[str]:
    from mixedflows.casework.debrief import debrief
    from mixedflows.registry import COURSE, next_steps
    from mixedflows.rescue.debrief import debrief as rescue_debrief

    out = [debrief("m6_stranded_casework"), debrief("m7_after_arrival"), rescue_debrief()]
    return out + [next_steps((m.number, "comes next")) for m in COURSE]


@pytest.mark.parametrize(
    "texts",
    [_casework_texts, _evidence_texts, _other_graders, _debriefs],
    ids=lambda f: f.__name__,
)
def test_generated_text_reads(texts):
    corpus = texts()
    assert corpus
    problems = [p for t in corpus for p in prose_problems(t)]
    assert problems == []


def test_a_citation_is_labelled_by_its_kind_in_the_data_never_as_a_primary_source():
    rows = [*evidence.findings().values(), *framing.findings().values()]
    glossary = framing.findings()["iom_glossary_2019"]
    assert glossary.cite().startswith("IOM Glossary on Migration (2019) [glossary (terminology):")
    for f in rows:
        assert f"[{f.kind}: {f.source}, {evidence.VERIFICATION[f.verification]}." in f.cite()
        assert "primary source" not in f.cite()


def test_feedback_of_every_graded_module_reads():
    """The wrong answers the facilitator guide's test gives every module 1 to 8 (one or more
    per exercise), graded for real: their feedback, citations and summaries read."""
    from test_facilitator_guide import _wrong_answers

    problems = []
    for ex_id, answers in _wrong_answers().items():
        for answer in answers:
            r = grade(load_exercise(ex_id), answer)
            for t in [r.summary, *_feedback_texts(r)]:
                problems += [f"{ex_id}: {p}" for p in prose_problems(t)]
    assert problems == []
