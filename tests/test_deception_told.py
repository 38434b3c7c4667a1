"""A promise is deception only once the facts say it proved false (Palermo Protocol art. 3(a);
the lead's decision on issue 10's third cold trial; ILO/EC 'deceptive recruitment' is observed
when the deception is known).

bd4018a: the sentences for 'deceived about conditions of work / wages / housing' told only the
promise ('The recruiter said he would earn three times his wage at home'), yet the engine graded
a means of deception, and a referral could rest on it (Emeka H., lampedusa_2013-7-052). Still
open after it: 'promised earnings that never came' was told as a promise only (Blessing), and
the worked case promised_job_only (Joy A., promised a job and nothing more) counted the promise
as a means. Every sentence of every fact the engine grades as deception now says the promise
was broken, and a promise not yet broken is the act of recruitment only."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from mixedflows import trafficking
from mixedflows.cases import load_case
from mixedflows.narratives import testimony
from mixedflows.screening import screen

ROOT = Path(__file__).resolve().parents[1]
TABLE = trafficking.observations()
DECEPTION = tuple(i for i, v in TABLE.items() if v.means == "deception")
"""Every observation the engine grades as deception (read from the data, not listed here)."""
BROKEN = re.compile(
    r"\bnothing like it\b|\bnever did\b|\bnever got it\b|\bthere (?:was|were) none\b|"
    r"\bnever had one\b|\blied\b|\bnever came\b|\bno \w+ ever came\b|\bturned out\b|\bwas taken to a different\b|"
    r"\bnot where\b|\bno such\b|\bnever meant\b|\bfalsely\b|\bnot true\b|\bit took many months\b|"
    r"\bon the way (?:he|she|\{sub\}) had to pay\b|\binstead\b",
    re.IGNORECASE,
)


def _sentences() -> list[tuple[str, str]]:
    out = [(k, v) for k, v in testimony.INDICATOR_LINES.items() if k in DECEPTION]
    out += [(k, v) for k, v in testimony.INDICATOR_INTROS.items() if k in DECEPTION]
    out += [(k, v) for k, v in testimony.PALERMO_LINES.items() if k in DECEPTION]
    for story, items in testimony.STORIES.items():
        for item in items:
            obs, text, intro = item[0], item[1], item[2]
            if obs in DECEPTION:
                out += [(f"{story}: {obs}", t) for t in (text, intro) if t]
    return out


@pytest.mark.parametrize(("where", "sentence"), _sentences())
def test_a_deception_sentence_says_the_promise_was_broken(where: str, sentence: str):
    assert BROKEN.search(sentence), f"{where}: only a promise is told: {sentence!r}"


def test_the_sentences_are_found():
    """The check is not vacuous: every deception fact, and every story that tells one, is read
    (the earnings never paid to a woman exploited in Libya among them)."""
    stories = {w.split(":")[0] for w, _ in _sentences() if ":" in w}
    assert {
        "labour_in_transit",
        "labour_on_the_atlantic_route",
        "domestic_work_gulf",
        "sexual_exploitation_promise",
        "sexual_exploitation_via_morocco",
        "child_labour",
    } <= stories
    told = {w.split(": ")[-1] for w, _ in _sentences()}
    assert set(DECEPTION) <= told, set(DECEPTION) - told
    assert "se.promised_earnings" in DECEPTION and len(DECEPTION) >= 12


def test_a_promise_not_yet_broken_is_the_act_only():
    for i in trafficking.PROMISES:
        assert TABLE[i].act == "recruitment" and not TABLE[i].means, i
    ta = trafficking.assess(list(trafficking.PROMISES), child=False)
    assert ta.missing == ("means", "purpose")
    assert "once the facts show it false" in ta.reason and "Palermo art. 3(a)" in ta.reason


def test_joy_a_promised_a_job_and_nothing_more_is_missing_a_means_and_a_purpose():
    """The worked case: her expected answer is derived by the rules (tests/test_cases.py checks
    the file against them); her feedback names what is missing and what would change it."""
    case = load_case("promised_job_only")
    person = case.person(case.spec.persons[0].id)
    assert person.trafficking_indicators == ("se.promised_job_abroad",)
    ta = screen(person).trafficking
    assert not ta.referral and ta.missing == ("means", "purpose")
    for words in (
        "the course's reading of art. 3(a)",
        "once the facts show it false",
        "promised earnings that never came",
        "passport held",
        "What would change it",
    ):
        assert words in ta.reason, (words, ta.reason)
    assert case.spec.persons[0].expected.missing_elements == ta.missing
    assert "once the facts show the promise false" in case.spec.persons[0].why


@pytest.mark.parametrize(
    "notebook", ["01_who_is_in_the_boat.ipynb", "05_screening_and_referral.ipynb"]
)
def test_the_modules_teach_that_a_promise_is_deception_once_shown_false(notebook: str):
    nb = json.loads((ROOT / "modules" / notebook).read_text("utf-8"))
    prose = " ".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
    assert "once the facts show it false" in prose
    assert "course's reading of Palermo art. 3(a)" in prose or "reading of art. 3(a)" in prose
    assert "a false job offer counts" not in prose
