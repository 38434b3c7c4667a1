"""Names and stories fit the person's origin and route (issue 10 cold trial, defect 2: an
Eritrea-specific national-service story was drawn for Tunisian and Guinean persons, names did
not fit nationality). The table is data (``mixedflows/data/origins.yaml``); these tests read
every generated person of every scenario, seeds 0-199, against it."""

from __future__ import annotations

import pytest
import yaml

from mixedflows import narratives
from mixedflows.errors import DataFileError
from mixedflows.narratives import _GROUNDS, names_for, origins, story_fits
from mixedflows.profiles import Sex
from mixedflows.scenarios import (
    _draw,
    _persons_from_draw,
    list_scenarios,
    load_scenario,
)

RESTRICTED = {
    text: set(origins().ground_lines[i])
    for items in _GROUNDS.values()
    for i, text in items
    if i in origins().ground_lines
}


def test_the_table_restricts_the_lines_the_trial_found():
    national_service = next(
        t for items in _GROUNDS.values() for i, t in items if i == "national_service"
    )
    assert RESTRICTED[national_service] == {"Eritrea"}
    assert "Tunisia" not in RESTRICTED[national_service]
    assert set(origins().stories) == set(narratives.story_names())


@pytest.mark.parametrize("scenario_id", list_scenarios())
def test_every_generated_person_has_a_name_and_story_of_their_origin(scenario_id):
    sc = load_scenario(scenario_id)
    checked = 0
    for seed in range(200):
        for p in _persons_from_draw(_draw(sc, seed, 12), narrate=False):
            checked += 1
            given = p.name.rsplit(" ", 1)[0]
            assert given in names_for(p.nationality, p.sex, "west_africa"), (p.person_id, p.name)
            for s in narratives.narrative_lines(p):
                for text, only in RESTRICTED.items():
                    if text.format(**narratives.pronouns(p.sex)) in s:
                        assert p.nationality in only, (p.person_id, p.nationality, s)
                if "because of its clan" in s:
                    assert p.nationality in origins().ground_lines["family_clan"], p.person_id
            if p.story:
                assert not story_fits(p.story, p.nationality, sc.route), (p.person_id, p.story)
    assert checked == 200 * 12


def test_names_of_a_nationality_come_from_its_group_only():
    groups = origins().names
    seen: dict[str, str] = {}
    for g in groups:
        for nat in g.nationalities:
            assert nat not in seen, f"{nat} in {seen[nat]} and {g.group}"
            seen[nat] = g.group
            assert names_for(nat, Sex.FEMALE) == g.female and names_for(nat, Sex.MALE) == g.male


def test_a_scenario_whose_story_does_not_fit_is_refused(tmp_path):
    from mixedflows.paths import scenarios_dir

    data = yaml.safe_load((scenarios_dir() / "canary_islands_2006.yaml").read_text("utf-8"))
    data["nationalities"][0]["trafficking_story"] = "labour_in_transit"  # set in Libya
    path = tmp_path / "canary_islands_2006.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    with pytest.raises(DataFileError, match="Libya"):
        load_scenario(path)
    data["nationalities"][0]["trafficking_story"] = "domestic_work_gulf"  # not from Senegal
    path.write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    with pytest.raises(DataFileError, match="not Senegal"):
        load_scenario(path)
