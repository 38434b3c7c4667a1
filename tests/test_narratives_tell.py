"""Each fact's sentence tells the fact (issue 10, third cold trial, item 2).

The narrative check verified that a sentence written for a graded observation was there, not
that it told the observation: 'She was told she would earn enough to send money home within a
month' stood for 'promised earnings that never came'. Now every observation has the words its
sentence must say (:data:`mixedflows.narratives.check.TELLS`): every wording of every
observation is held to them, and the check applies them to every sentence a learner reads, over
every scenario and seeds 0-199 (tests/test_narratives_check.py) and every worked case."""

from __future__ import annotations

import pytest

from mixedflows import trafficking
from mixedflows.narratives import indicator_forms, pronouns, story_names, testimony
from mixedflows.narratives.check import TELLS, check_text, missing_words, tells
from mixedflows.profiles import Person, Sex
from mixedflows.scenarios import generate_cohort, list_scenarios, load_scenario

IDS = tuple(trafficking.observations())


def test_every_observation_has_the_words_its_sentence_must_say():
    assert set(TELLS) == set(IDS)
    for i, pats in TELLS.items():
        assert pats and all(p.strip() for p in pats), i


@pytest.mark.parametrize("story", ("", *story_names()))
def test_every_wording_of_every_observation_tells_it(story: str):
    bad = []
    for i in IDS:
        for form in indicator_forms(i, story):
            for sex in Sex:
                s = form.format(**pronouns(sex))
                if not tells(i, s):
                    bad.append((i, s, missing_words(i, s)))
    assert not bad, bad[:5]


@pytest.mark.parametrize(
    ("observation", "hint"),
    [
        # the old sentences: a promise only, where the engine graded deception
        ("se.promised_earnings", "She was told she would earn enough to send money home."),
        ("d1.deceived_about_wages_earnings", "The recruiter said he would earn three times more."),
        ("d1.deceived_about_housing_and_living_conditions", "A recruiter promised him a room."),
        ("d1.deceived_about_legal_documentation_or_obtaining_", "He was told of a work permit."),
        # a coercion told without where it happened cannot show its dimension
        ("d5.confiscation_of_documents", "Someone kept his passport."),
        ("d2.confiscation_of_documents", "Someone kept his passport."),
        # hints
        ("se.forced_prostitution", "In Libya she had to do things she does not want to say."),
        ("d4.low_or_no_salary", "The pay was not what he hoped."),
    ],
)
def test_a_sentence_that_only_hints_does_not_tell(observation: str, hint: str):
    assert not tells(observation, hint)


def test_the_check_reports_a_sentence_that_does_not_tell_its_observation(monkeypatch):
    """Written for the observation, but only a hint: the check fails the text, over any person
    whose story keeps the item."""
    story = "sexual_exploitation_promise"
    old = "{Sub} was told {sub} would earn enough to send money home within a month."
    items = tuple(
        (i, old if i == "se.promised_earnings" else text, intro, uses)
        for i, text, intro, uses in testimony.STORIES[story]
    )
    monkeypatch.setitem(testimony.STORIES, story, items)
    p = Person(
        person_id="t-1",
        name="Blessing O.",
        age=22,
        sex=Sex.FEMALE,
        nationality="Nigeria",
        story=story,
        trafficking_indicators=("se.promised_earnings",),
    )
    said = old.format(**pronouns(Sex.FEMALE))
    problems = [x.problem for x in check_text(p, [("narrative", said)])]
    assert any("does not tell observation 'se.promised_earnings'" in x for x in problems), problems


def test_every_generated_sentence_tells_its_observations_over_seeds():
    """Direct, beside the full check: every trafficking sentence of every generated person (the
    narrative and the interview), scenarios x seeds 0-59, tells each observation it stands for."""
    from mixedflows.narratives import compose

    seen, bad = 0, []
    for sid in list_scenarios():
        sc = load_scenario(sid)
        for seed in range(60):
            for p in generate_cohort(sc, seed):
                if not p.trafficking_indicators:
                    continue
                pr = pronouns(p.sex)
                for i, t in compose(p.trafficking_indicators, p.story):
                    seen += 1
                    if not tells(i, t.format(**pr)):
                        bad.append((p.person_id, i, t))
    assert seen >= 500, seen
    assert not bad, bad[:5]
