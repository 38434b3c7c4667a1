"""Issue 10, second cold trial: narratives that passed the check and were incoherent. The check
now fails each text the trainer read, and the generator no longer writes them (the check runs over
every scenario and 200 seeds in test_narratives_check.py)."""

from __future__ import annotations

import pytest

from mixedflows.narratives.check import check_person, composition_problems
from mixedflows.scenarios import generate_cohort, load_scenario

READ = {
    "workers with no work": (
        "canary_islands_2006",
        39,
        "canary_islands_2006-39-001",
        [
            "He left after three years of failed harvests dried up the family's land.",
            "At night the workers were locked in a warehouse.",
        ],
        "refers to work before introducing",
    ),
    "a promise with nobody promising": (
        "gulf_of_aden_yemen_2012",
        7,
        "gulf_of_aden_yemen_2012-7-001",
        [
            "He was promised a room of his own.",
            "A broker in his town showed him neighbours' new houses, 'built with Gulf wages'.",
        ],
        "refers to someone who made promises before introducing",
    ),
    "instead of a promise never made": (
        "lampedusa_2011",
        0,
        "lampedusa_2011-0-005",
        [
            "The 'free' transport turned out to be a debt.",
            "Instead of a building site in Tripoli, he was taken to a farm in the desert.",
        ],
        "refers to a promise of building work before introducing",
    ),
    "join a brother, then recruited": (
        "lampedusa_2013",
        0,
        "lampedusa_2013-0-001",
        [
            "He wants to join a brother who works abroad.",
            "A recruiter in his town promised him building work in Libya, with fair hours and a "
            "day off.",
        ],
        "recruited for work, while the reason told is only to join family",
    ),
}


def _person(sid: str, seed: int, pid: str):
    return next(x for x in generate_cohort(load_scenario(sid), seed) if x.person_id == pid)


@pytest.mark.parametrize("name", READ)
def test_the_check_fails_the_text_the_trainer_read(name: str) -> None:
    sid, seed, pid, sentences, problem = READ[name]
    found = [x.problem for x in composition_problems(_person(sid, seed, pid), [("n", sentences)])]
    assert any(f.startswith(problem) for f in found), found


@pytest.mark.parametrize("name", READ)
def test_the_generated_person_now_reads_coherently(name: str) -> None:
    sid, seed, pid, sentences, _ = READ[name]
    p = _person(sid, seed, pid)
    assert not check_person(p)
    assert sentences[-1] not in p.narrative or name == "join a brother, then recruited"
    if name == "join a brother, then recruited":
        assert "looked for work to pay for the journey" in p.narrative
