"""Scenario files read for pages: titles without parsing every file (issue 13 cold start)."""

from __future__ import annotations


def test_a_scenarios_title_read_from_its_title_line_is_the_loaded_title(tmp_path, monkeypatch):
    """The boat page lists every scenario by title without parsing every file (issue 13 cold
    start): the title read from the file's title line is the one loading the file gives, and a
    title over several lines is read by loading the file."""
    from mixedflows import paths
    from mixedflows.scenarios import list_scenarios, load_scenario, scenario_title

    for sid in list_scenarios():
        assert scenario_title(sid) == load_scenario(sid).title, sid
    folder = tmp_path / "scenarios"
    folder.mkdir()
    src = paths.scenarios_dir() / "lampedusa_2011.yaml"
    text = src.read_text(encoding="utf-8")
    title = load_scenario("lampedusa_2011").title
    folded = text.replace(
        next(line for line in text.splitlines() if line.startswith("title:")),
        "title: >-\n  A folded\n  title",
    )
    (folder / "lampedusa_2011.yaml").write_text(folded, encoding="utf-8")
    monkeypatch.setattr(paths, "scenarios_dir", lambda: folder)
    assert scenario_title("lampedusa_2011") == "A folded title" != title


def test_the_boat_page_parses_only_the_scenario_it_shows(tmp_path, monkeypatch):
    from mixedflows import errors
    from mixedflows.paths import scenarios_dir
    from mixedflows.store import Store
    from mixedflows.widgets.boat import BoatApp
    from mixedflows.widgets.common import Recorder

    read: list[str] = []
    real = errors.load_yaml

    def counting(path):
        if scenarios_dir() in __import__("pathlib").Path(path).parents:
            read.append(__import__("pathlib").Path(path).stem)
        return real(path)

    monkeypatch.setattr(errors, "load_yaml", counting)
    app = BoatApp(recorder=Recorder(store=Store(tmp_path / "a.sqlite"), learner="t", session=""))
    assert set(read) == {app.scenario}, read
    assert len(app.scenario_picker.options) == len(list(scenarios_dir().glob("*.yaml")))
