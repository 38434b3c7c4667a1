"""The vectorised path: generate_frame and screen_frame give what generate_cohort and screen
give, person by person."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_screening_rules import persons

from mixedflows.profiles import Need, Profile
from mixedflows.scenarios import (
    generate_cohort,
    generate_frame,
    list_scenarios,
    load_scenario,
    persons_frame,
    persons_from_frame,
)
from mixedflows.screening import screen, screen_frame


def same(row, s) -> None:
    needs = [n for n in Need if row[f"need_{n.value}"]]
    assert set(needs) == set(s.needs), (row["person_id"], needs, s.needs)
    assert {p for p in Profile if row[f"profile_{p.value}"]} == set(s.profiles)
    assert row["first_need"] == s.first_need.value
    assert bool(row["trafficking_indication"]) == s.trafficking.indication
    dims = [d for d in range(1, 7) if int(row["positive_dimensions"]) >> (d - 1) & 1]
    assert dims == list(s.trafficking.positive_dimensions)


@pytest.mark.parametrize("scenario", list_scenarios())
def test_screen_frame_equals_screen_on_a_sample(scenario):
    sc = load_scenario(scenario)
    df = generate_frame(sc, 11, 5000)
    out = screen_frame(df)
    rng = np.random.default_rng(0)
    sample = rng.choice(len(df), size=400, replace=False)
    # Keep every person with indicators or a disputed age: the rare, tricky rows.
    tricky = np.flatnonzero(out.trafficking_indication.to_numpy() | df.age_disputed.to_numpy())
    rows = np.union1d(sample, tricky[:300])
    persons = persons_from_frame(df.iloc[rows], narrate=False)
    for p, (_, row) in zip(persons, out.iloc[rows].iterrows(), strict=True):
        same(row, screen(p))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(persons, min_size=1, max_size=8))
def test_screen_frame_equals_screen_for_any_facts(ps):
    ps = [
        p.model_copy(update={"person_id": f"p{i}", "urgent": p.urgent[:1]})
        for i, p in enumerate(ps)
    ]
    out = screen_frame(persons_frame(ps))
    for p, (_, row) in zip(ps, out.iterrows(), strict=True):
        same(row, screen(p))


def test_frame_and_cohort_are_the_same_persons():
    sc = load_scenario("lampedusa_2013")
    cohort = generate_cohort(sc, 5, size=200)
    assert persons_from_frame(generate_frame(sc, 5, 200)) == cohort
    assert generate_cohort(sc, 5, size=200) == cohort  # reproducible for a seed
    assert generate_frame(sc, 6, 50).name.tolist() != generate_frame(sc, 5, 50).name.tolist()


@pytest.mark.parametrize("scenario", list_scenarios())
def test_frame_follows_the_scenario(scenario):
    sc = load_scenario(scenario)
    df = generate_frame(sc, 3, 8_000)
    d = sc.demography
    child = df.age.to_numpy() < 18
    disputed = df.age_disputed.to_numpy()
    assert abs((child | disputed).mean() - d.children) < 0.012
    uasc = (df.company.astype(str) != "parent").to_numpy() & (child | disputed)
    assert abs(uasc.sum() / max(1, (child | disputed).sum()) - d.unaccompanied) < 0.05
    adults = ~child & ~disputed
    assert abs((df.sex.astype(str).to_numpy()[adults] == "female").mean() - d.women) < 0.02
    assert abs((df.urgent.astype(str) != "").mean() - sc.journey.urgent_medical) < 0.012
    shares = np.array([x.share for x in sc.nationalities])
    expected = dict(zip([x.name for x in sc.nationalities], shares / shares.sum(), strict=True))
    got = df.nationality.astype(str).value_counts(normalize=True)
    for name, share in expected.items():
        assert abs(got.get(name, 0.0) - share) < 0.02
    prima = {x.name for x in sc.nationalities if x.recognition == "prima_facie"}
    out = screen_frame(df)
    if prima:
        mask = df.nationality.astype(str).isin(prima).to_numpy()
        assert out.need_asylum_information.to_numpy()[mask].all()
