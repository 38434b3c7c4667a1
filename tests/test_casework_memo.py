"""Issue 16 (memory per app kernel): module 6's generated case files are read from a memo
(mixedflows.memo, keyed by the exercise's inputs, numpy's version and every file of the package
and datasets/), so the stranded-migrants page's kernel does not load numpy to draw them."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from mixedflows.casework import case, check_params, files_of
from mixedflows.exercises import load_exercise


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    return tmp_path / "mixedflows"


def _memos(cache) -> list:
    return sorted(cache.glob(f"{case.FILES_MEMO}-*.json"))


def test_files_memo_is_the_drawn_files(cache, monkeypatch):
    params = check_params(load_exercise("m6_stranded_casework"))
    args = (params.scenario, params.seed, params.generated, params.premise, params.chances)
    drawn = case._draw_files(*args)
    assert len(drawn) == params.generated > 0
    assert case.generated_files(*args) == drawn
    assert _memos(cache) == []  # not kept unless asked
    assert case.generated_files(*args, keep=True) == drawn
    [kept] = _memos(cache)

    def no_draw(*a, **k):
        raise AssertionError("drawn again although a memo is kept")

    monkeypatch.setattr(case, "_draw_files", no_draw)
    back = files_of(params)  # the exercise's files: the worked cases, then the memo's
    assert back[-len(drawn) :] == drawn
    assert [f.person.narrative for f in back[-len(drawn) :]] == [f.person.narrative for f in drawn]
    with pytest.raises(AssertionError, match="drawn again"):  # other inputs are drawn
        case.generated_files(params.scenario, params.seed + 1, *args[2:])

    # A memo damaged, or of another key, or not of files, is ignored: the files are drawn.
    monkeypatch.undo()
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache.parent))
    kept.write_text("{not json", encoding="utf-8")
    assert case.generated_files(*args) == drawn
    kept.write_text(json.dumps({"key": "other", "value": []}), encoding="utf-8")
    assert case.generated_files(*args) == drawn
    kept.write_text(json.dumps({"key": kept.stem.split("-", 2)[2], "value": [{"x": 1}]}))
    assert case.generated_files(*args) == drawn


FIRST_VIEW = """
import sys
from mixedflows.widgets.casework import stranded_app
stranded_app()
print('numpy' in sys.modules)
"""


def test_the_stranded_page_loads_no_numpy_once_its_files_are_kept(tmp_path):
    """The first page keeps the memo; a later page's kernel builds the first view without numpy
    (it loaded numpy to draw the files every time)."""
    env = dict(
        os.environ, XDG_CACHE_HOME=str(tmp_path), MIXEDFLOWS_STORE=str(tmp_path / "s.sqlite")
    )

    def numpy_loaded() -> str:
        return subprocess.run(
            [sys.executable, "-c", FIRST_VIEW], env=env, capture_output=True, text=True, check=True
        ).stdout.strip()

    assert numpy_loaded() == "True"  # no memo yet: drawn, and kept
    assert len(_memos(tmp_path / "mixedflows")) == 1
    assert numpy_loaded() == "False"
