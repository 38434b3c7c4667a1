"""Issue 13 start-up: the boat's and the desk's first views read their persons (the boat, the
desk's queue) from a memo (mixedflows.memo, keyed by the inputs, numpy's version and every file
of the package and datasets/), so their pages neither load numpy, nor draw a cohort, nor parse
the worked cases; the apps' templates are compiled once."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from mixedflows import memo, scenarios

SCENARIO, SEED, SIZE = "lampedusa_2013", 2013, 14


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    return tmp_path / "mixedflows"


def _memos(cache) -> list:
    return sorted(cache.glob(f"{scenarios.COHORT_MEMO}-*.json"))


def test_cohort_memo_is_the_drawn_cohort(cache, monkeypatch):
    drawn = scenarios.generate_cohort(scenarios.load_scenario(SCENARIO), SEED, SIZE)
    assert scenarios.cohort(SCENARIO, SEED, SIZE) == drawn
    assert _memos(cache) == []  # not kept unless asked (a boat asked for later)
    assert scenarios.cohort(SCENARIO, SEED, SIZE, keep=True) == drawn
    [kept] = _memos(cache)

    def no_draw(*a, **k):
        raise AssertionError("drawn again although a memo is kept")

    monkeypatch.setattr(scenarios.frame, "generate_cohort", no_draw)  # where cohort() calls it
    back = scenarios.cohort(SCENARIO, SEED, SIZE)
    assert back == drawn and [p.name for p in back] == [p.name for p in drawn]
    with pytest.raises(AssertionError, match="drawn again"):  # another boat is drawn
        scenarios.cohort(SCENARIO, SEED + 1, SIZE)

    # A memo damaged, or of another key, is ignored: the cohort is drawn again.
    monkeypatch.undo()
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache.parent))
    kept.write_text("{not json", encoding="utf-8")
    assert scenarios.cohort(SCENARIO, SEED, SIZE) == drawn
    kept.write_text(json.dumps({"key": "other", "value": []}), encoding="utf-8")
    assert scenarios.cohort(SCENARIO, SEED, SIZE) == drawn
    kept.write_text(json.dumps({"key": kept.stem.split("-", 1)[1], "value": [{"x": 1}]}))
    assert scenarios.cohort(SCENARIO, SEED, SIZE) == drawn


def test_memo_key_follows_inputs_and_files(monkeypatch):
    a = memo.key("cohort", scenario=SCENARIO, seed=SEED, size=SIZE)
    assert a == memo.key("cohort", scenario=SCENARIO, seed=SEED, size=SIZE)
    assert a != memo.key("cohort", scenario=SCENARIO, seed=SEED + 1, size=SIZE)
    monkeypatch.setattr(memo, "fingerprint", lambda: "other files")
    assert a != memo.key("cohort", scenario=SCENARIO, seed=SEED, size=SIZE)
    assert "version" in memo.numpy_version()


FIRST_VIEWS = """
import sys
from mixedflows.widgets.boat import boat_app
boat_app()
print('boat', 'numpy' in sys.modules)
from mixedflows.widgets.screening_desk import desk_app
desk_app()
print('desk', 'numpy' in sys.modules)
"""


def test_first_views_load_no_numpy(tmp_path):
    """The first pages keep the memos; a later page's kernel builds the boat's and then the
    desk's first view without numpy (both loaded it, to draw the boat and the desk's generated
    files, every time). One process builds both, as cheap as one."""
    env = dict(
        os.environ, XDG_CACHE_HOME=str(tmp_path), MIXEDFLOWS_STORE=str(tmp_path / "s.sqlite")
    )

    def numpy_loaded() -> list[str]:
        out = subprocess.run(
            [sys.executable, "-c", FIRST_VIEWS], env=env, capture_output=True, text=True, check=True
        ).stdout.splitlines()
        return [line for line in out if line.endswith(" True")]

    assert numpy_loaded() == ["boat True", "desk True"]  # no memo yet: drawn, and kept
    assert len(_memos(tmp_path / "mixedflows")) == 1
    assert len(list((tmp_path / "mixedflows").glob("desk-queue-*.json"))) == 1
    assert numpy_loaded() == []


def test_desk_queue_memo_is_the_queue(cache, monkeypatch):
    """The desk's first queue (worked cases, then generated files) read back from its memo is
    the queue loaded and drawn, without parsing a case file or drawing; other queues are not
    kept."""
    from mixedflows.cases import desk
    from mixedflows.exercises import load_exercise

    p = load_exercise("m5_screening_desk").params
    args = (p.cases, p.scenario, p.seed, p.generated)
    loaded = desk.desk_queue(*args)
    assert not list(cache.glob("desk-queue-*.json"))
    assert desk.desk_queue(*args, keep=True) == loaded
    assert len(list(cache.glob("desk-queue-*.json"))) == 1

    def no_load(*a, **k):
        raise AssertionError("loaded again although a memo is kept")

    monkeypatch.setattr(desk, "load_case", no_load)
    monkeypatch.setattr(scenarios, "generate_cohort", no_load)
    back = desk.desk_queue(*args)
    assert back == loaded and [f.title for f in back] == [f.title for f in loaded]
    assert {f.source for f in back} == {f.source for f in loaded}
    with pytest.raises(AssertionError, match="loaded again"):
        desk.desk_queue((), p.scenario, p.seed + 1, 4)  # later arrivals are drawn


def test_templates_are_compiled_once_and_a_bad_cache_is_harmless(cache, monkeypatch):
    """The apps' jinja2 templates are compiled once into the cache folder and read back by
    the next kernel (each kernel compiled them at start); an entry damaged, or a folder that
    cannot be written, never fails the page: the template is compiled again."""
    from mixedflows.widgets import ui

    def fresh_render() -> str:
        ui.environment.cache_clear()  # a new kernel
        return ui.render("message.html.j2", kind="ok", text="<b>saved</b>")

    try:
        shown = fresh_render()
        assert "&lt;b&gt;saved" in shown
        [entry] = (cache / "templates").glob("*.cache")
        compiled = []
        monkeypatch.setattr(
            ui.Environment, "compile", lambda *a, **k: compiled.append(1) or 1 / 0, raising=True
        )
        assert fresh_render() == shown and compiled == []  # read back, not compiled
        monkeypatch.undo()
        monkeypatch.setenv("XDG_CACHE_HOME", str(cache.parent))
        entry.write_bytes(entry.read_bytes()[:40])  # cut short
        assert fresh_render() == shown
        entry.unlink()

        def unwritable(*a, **k):
            raise PermissionError("read-only folder")

        import jinja2.bccache

        monkeypatch.setattr(jinja2.bccache.tempfile, "NamedTemporaryFile", unwritable)
        assert fresh_render() == shown and not entry.exists()
    finally:
        ui.environment.cache_clear()


def test_no_home_folder_means_no_cache_not_a_broken_page(monkeypatch):
    """Where no home folder can be found (Path.home() raises), nothing is kept or read and
    the boat's persons and the templates still come: computed as before the caches."""
    from pathlib import Path

    from mixedflows.widgets import ui

    def no_home() -> Path:
        raise RuntimeError("Could not determine home directory.")

    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.setattr(Path, "home", no_home)
    drawn = scenarios.generate_cohort(scenarios.load_scenario(SCENARIO), SEED, SIZE)
    assert scenarios.cohort(SCENARIO, SEED, SIZE, keep=True) == drawn
    ui.environment.cache_clear()
    try:
        assert "saved" in ui.render("message.html.j2", kind="ok", text="saved")
    finally:
        ui.environment.cache_clear()
