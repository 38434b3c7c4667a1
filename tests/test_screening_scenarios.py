"""The scenarios of issue 3: they load, name their sources, and match the real figures."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
import yaml

from mixedflows.errors import DataFileError
from mixedflows.scenarios import generate_cohort, list_scenarios, load_scenario

ROOT = Path(__file__).resolve().parents[1]
FIGURES = ROOT / "datasets" / "figures"


def fig(name: str) -> pd.DataFrame:
    return pd.read_csv(FIGURES / name, dtype=str, keep_default_na=False)


def write(tmp_path: Path, data: dict, name: str) -> Path:
    p = tmp_path / f"{name}.yaml"
    p.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return p


def base(sid: str) -> dict:
    return yaml.safe_load((ROOT / "datasets/scenarios" / f"{sid}.yaml").read_text("utf-8"))


def test_the_scenarios_of_the_issue_exist():
    ids = set(list_scenarios())
    assert {
        "lampedusa_2008",
        "lampedusa_2011",
        "lampedusa_2013",
        "gulf_of_aden_yemen_2012",
        "canary_islands_2006",
        "canary_islands_2023",
        "horn_of_africa_southern_africa",
    } <= ids


@pytest.mark.parametrize("sid", list_scenarios())
def test_scenario_names_its_sources(sid):
    sc = load_scenario(sid)
    assert sc.sources and all(len(s) > 20 for s in sc.sources)
    for a in sc.arrivals:
        assert a.source.strip()
    for name in re.findall(r"datasets/figures/([\w.]+\.csv)", " ".join(sc.sources)):
        assert (FIGURES / name).exists(), f"{sid} cites a missing file: {name}"
    if any("illustrative" in s for s in sc.sources) or not sc.arrivals:
        assert sc.caveats, f"{sid}: assumptions must be stated as caveats"
    people = generate_cohort(sc, 1)
    lo, hi = sc.boat_size
    assert lo <= len(people) <= hi


def test_arrivals_match_the_real_figures():
    praes = fig("praesidium_sea_arrivals_by_region_2007_2012.csv")
    lamp = praes[praes.landing_region == "Lampedusa"].set_index("year").sea_arrivals.astype(int)
    assert load_scenario("lampedusa_2008").total_arrivals == lamp["2008"]
    assert load_scenario("lampedusa_2011").total_arrivals == lamp["2011"]
    demo = fig("italy_2013_sea_arrivals_demographics.csv").set_index("area")
    l13 = demo.loc["Lampedusa"]
    sc13 = load_scenario("lampedusa_2013")
    assert sc13.total_arrivals == int(l13.people)
    assert sum(a.landings for a in sc13.arrivals) == int(l13.landings)
    d = sc13.demography
    assert d.children == pytest.approx(int(l13.minors) / int(l13.people), abs=5e-4)
    assert d.unaccompanied == pytest.approx(
        int(l13.unaccompanied_minors) / int(l13.minors), abs=5e-4
    )
    assert d.women == pytest.approx(int(l13.women) / (int(l13.men) + int(l13.women)), abs=5e-4)
    slide = fig("praesidium_italy_lampedusa_arrivals_iom_slide.csv").set_index("year")
    assert sc13.arrivals[0].people == int(slide.loc["2013 (to 31 May)"].lampedusa)
    canary = fig("canary_islands_arrivals.csv").set_index("year")
    assert load_scenario("canary_islands_2006").total_arrivals == int(canary.loc["2006"].arrivals)
    c23 = load_scenario("canary_islands_2023")
    assert c23.total_arrivals == int(canary.loc["2023"].arrivals)
    assert c23.arrivals[0].landings == int(canary.loc["2023"].boats)
    yemen = fig("yemen_gulf_of_aden_arrivals.csv").set_index("year")
    y12 = load_scenario("gulf_of_aden_yemen_2012")
    assert y12.total_arrivals == int(yemen.loc["2012"].arrivals)
    eth = next(x for x in y12.nationalities if x.name == "Ethiopia")
    assert eth.share / sum(x.share for x in y12.nationalities) == pytest.approx(84000 / 107532)


def test_somalis_are_prima_facie_in_yemen_and_ethiopians_go_through_rsd():
    sc = load_scenario("gulf_of_aden_yemen_2012")
    rec = {x.name: x.recognition for x in sc.nationalities}
    assert rec == {"Ethiopia": "individual", "Somalia": "prima_facie"}
    people = generate_cohort(sc, 2, size=300)
    assert all(p.prima_facie == (p.nationality == "Somalia") for p in people)


@pytest.mark.parametrize(
    ("mutate", "field", "match"),
    [
        (lambda d: d["arrivals"][0].update(period="spring 2013"), "arrivals.0.period", "YYYY"),
        (lambda d: d["arrivals"][0].update(source=""), "arrivals.0.source", "at least 1"),
        (lambda d: d["arrivals"][0].update(sorce="x"), "arrivals.0.sorce", "unknown key"),
        (
            lambda d: d["nationalities"][0].update(recognition="prima_facie"),
            "nationalities.0",
            "recognition_source",
        ),
        (
            lambda d: d["nationalities"].append(dict(d["nationalities"][0])),
            "nationalities",
            "twice",
        ),
        (
            lambda d: d["demography"].update(age_disputed=2),
            "demography.age_disputed",
            "must be at most 1.0, got 2",
        ),
    ],
)
def test_bad_scenarios_name_file_and_field(tmp_path, mutate, field, match):
    data = base("lampedusa_2013")
    mutate(data)
    p = write(tmp_path, data, "lampedusa_2013")
    with pytest.raises(DataFileError, match=match) as err:
        load_scenario(p)
    assert err.value.field.startswith(field)
    assert str(p) in str(err.value)
