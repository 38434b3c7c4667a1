"""The layers of the package, checked on its import graph (read with ``ast``, see
``tests/importgraph.py``): every ``import``, at module level or inside a function, counts.

- the domain (every package but ``charts``, ``widgets`` and ``server``) imports none of those
  three: it runs, and is tested, without altair, ipywidgets or a Voila server;
- ``charts`` draws the domain's results and imports neither ``widgets`` nor ``server``;
- ``server`` (Voila, the class session, the command line) imports no ``widgets``;
- and the same for the libraries each layer stands on (:data:`THIRD_PARTY`): only ``charts``
  imports altair and vl_convert, only ``widgets`` (and ``charts``' chart widget) ipywidgets and
  anywidget, only ``server`` Voila, tornado and jupyter_server.
"""

from __future__ import annotations

import re

import pytest
from importgraph import SRC, cycles, edges, external_imports, layer, modules

PRESENTATION = {"charts", "widgets", "server"}

CONTRACTS = {
    # layer of the importer -> layers it must not import
    "domain": PRESENTATION,
    "charts": {"widgets", "server"},
    "server": {"widgets"},
}


def _kind(module: str) -> str:
    return layer(module) if layer(module) in PRESENTATION else "domain"


# The presentation libraries, by the layers that may import them; the domain imports none.
THIRD_PARTY = {
    "altair": {"charts", "widgets"},  # widgets: the dashboard composes charts it is given
    "vl_convert": {"charts"},
    "anywidget": {"charts", "widgets"},
    "ipywidgets": {"widgets"},
    "IPython": {"widgets", "server"},
    "voila": {"server"},
    "tornado": {"server"},
    "jupyter_server": {"server"},
}


def test_third_party_contract():
    """A module imports a presentation library only from the layer that owns it: a domain
    module importing altair (even lazily, inside a function) fails here, not in a browser."""
    broken = [
        f"{e.importer} (line {e.line}) imports {e.package}"
        for e in external_imports()
        if e.package in THIRD_PARTY and _kind(e.importer) not in THIRD_PARTY[e.package]
    ]
    assert broken == [], "imports outside the layer that owns the library"


def test_the_third_party_check_sees_imports(tmp_path):
    """The check reads lazy imports, and would catch a domain module importing altair."""
    pkg = tmp_path / "mixedflows" / "newmodule"
    pkg.mkdir(parents=True)
    (pkg / "__init__.py").write_text("def chart():\n    import altair.vegalite\n")
    (pkg / "typed.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import ipywidgets\n"
    )
    found = [(e.importer, e.package) for e in external_imports(tmp_path)]
    assert ("mixedflows.newmodule", "altair") in found
    assert not any(p == "ipywidgets" for _, p in found)
    seen = {(_kind(e.importer), e.package) for e in external_imports()}
    assert {("charts", "altair"), ("widgets", "ipywidgets"), ("server", "voila")} <= seen


def test_the_graph_sees_the_package():
    """The graph is not empty: the contracts below check something."""
    mods = modules()
    found = {_kind(m) for m in mods}
    assert {"domain", "charts", "widgets", "server"} <= found
    es = edges()
    assert any(_kind(e.importer) == "widgets" and _kind(e.imported) == "charts" for e in es)
    assert any(not e.module_level for e in es)  # lazy imports are seen


@pytest.mark.parametrize("importer", sorted(CONTRACTS))
def test_layer_contract(importer: str):
    forbidden = CONTRACTS[importer]
    broken = [
        f"{e.importer} (line {e.line}) imports {e.imported}"
        for e in edges()
        if _kind(e.importer) == importer and _kind(e.imported) in forbidden
    ]
    assert broken == [], f"{importer} must not import {sorted(forbidden)}"


def test_one_strict_base_model():
    """Data-file formats derive from ``mixedflows.errors.Strict``; none redefines its config."""
    offenders = [
        str(p.relative_to(SRC))
        for p in (SRC / "mixedflows").rglob("*.py")
        if p.name != "errors.py" and re.search(r"extra\s*=\s*[\"']forbid", p.read_text("utf-8"))
    ]
    assert offenders == [], "derive from mixedflows.errors.Strict instead of a config of your own"


def _graph(*, include_registry: bool = True) -> dict[str, set[str]]:
    """Importer -> imported, every import but those under ``if TYPE_CHECKING:``; the model
    graders and params models :mod:`mixedflows.registry` names count as its imports."""
    from mixedflows.registry import MODELS

    g: dict[str, set[str]] = {}
    for e in edges():
        if not e.type_checking:
            g.setdefault(e.importer, set()).add(e.imported)
    if include_registry:
        for kind in MODELS.values():
            for ref in (kind.grader, kind.params):
                g.setdefault("mixedflows.registry", set()).add(ref.partition(":")[0])
    return g


def test_no_import_cycles():
    """No module imports, even lazily inside a function, a module that imports it back (the
    graders and grading, the reception loop and its outputs were such cycles)."""
    found = cycles(_graph())
    assert found == [], "import cycles: " + "; ".join(" <-> ".join(c) for c in found)


def test_the_cycle_check_finds_a_cycle():
    """The check is not vacuous: a grader importing grading back is a cycle through the registry."""
    g = _graph()
    g.setdefault("mixedflows.reception.grader", set()).add("mixedflows.grading")
    assert any(
        {"mixedflows.grading", "mixedflows.registry", "mixedflows.reception.grader"} <= set(c)
        for c in cycles(g)
    )


def test_registry_entries_exist():
    """Every model the registry lists has a callable grader and a pydantic params model, and
    every model an exercise file names is listed."""
    from pydantic import BaseModel

    from mixedflows.exercises import ModelExercise, list_exercises, load_exercise
    from mixedflows.registry import MODELS, grader, params_model

    for name in MODELS:
        assert callable(grader(name)), name
        assert issubclass(params_model(name), BaseModel), name
    used = set()
    for eid in list_exercises():
        ex = load_exercise(eid)
        if isinstance(ex, ModelExercise):
            used.add(ex.model)
            assert isinstance(ex.params, params_model(ex.model)), eid
    assert used <= set(MODELS)


def test_nothing_registers_itself_on_import():
    """No module finds graders by building a module name, or registers on import."""
    offenders = []
    for p in (SRC / "mixedflows").rglob("*.py"):
        text = p.read_text("utf-8")
        for pattern in (
            r"import_module\(\s*f[\"']",
            r"@model_grader\b",
            r"@rule\(",
            r"registers the",
        ):
            if re.search(pattern, text):
                offenders.append(f"{p.relative_to(SRC)}: {pattern}")
    assert offenders == []


# -- every app on the exercise-app base -------------------------------------------------------

NOT_EXERCISES = {
    # Voila pages that grade nothing (no app of theirs needs the base)
    "facilitator_dashboard": "the facilitator's view of a session",
    "my_progress": "a learner's progress, read from the store",
}
KNOWN_OFF_THE_BASE: dict[str, str] = {
    # an app class that grades and records by itself, with the reason (none now: module 10's
    # room moved onto the base as RoleDecisions)
}
APP_NOTEBOOKS = sorted(
    p for p in (SRC.parent / "widgets").glob("*.ipynb") if p.stem not in NOT_EXERCISES
)
GRADING_CALLS = {"grade", "feedback_html"}  # functions an app calls to grade or show a grade
RECORDING_CALLS = {"record", "admit"}  # Recorder methods an app calls to keep an attempt


def _grades_or_records(cls: type) -> list[str]:
    """The calls in ``cls``'s own body that grade or record an attempt."""
    import ast
    import inspect
    import textwrap

    found = []
    for node in ast.walk(ast.parse(textwrap.dedent(inspect.getsource(cls)))):
        if not isinstance(node, ast.Call):
            continue
        f = node.func
        if isinstance(f, ast.Name) and f.id in GRADING_CALLS:
            found.append(f"{f.id}() line {node.lineno}")
        elif isinstance(f, ast.Attribute) and f.attr in RECORDING_CALLS | GRADING_CALLS:
            found.append(f".{f.attr}() line {node.lineno}")
    return found


def off_the_base(module) -> list[str]:
    """Classes of an app module that grade or record an attempt themselves without being built
    on :class:`~mixedflows.widgets.base.ExerciseApp` (drafts, submission limits, the NOT-saved
    message, the grade shown, error handling and accessibility would each be done again)."""
    import inspect

    from mixedflows.widgets.base import ExerciseApp

    out = []
    for name, cls in inspect.getmembers(module, inspect.isclass):
        if cls.__module__ != module.__name__ or issubclass(cls, ExerciseApp):
            continue
        calls = _grades_or_records(cls)
        if calls:
            out.append(f"{module.__name__}.{name}: {', '.join(calls)}")
    return out


def _entry_module(notebook) -> str:
    import json

    cells = json.loads(notebook.read_text("utf-8"))["cells"]
    code = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
    m = re.search(r"from (mixedflows\.widgets\.\w+) import", code)
    assert m, f"{notebook.name}: imports no app from mixedflows.widgets"
    return m.group(1)


def test_pages_without_exercises_grade_nothing():
    """The pages let off the check below really grade and record nothing."""
    import importlib

    for stem in NOT_EXERCISES:
        nb = SRC.parent / "widgets" / f"{stem}.ipynb"
        module = importlib.import_module(_entry_module(nb))
        assert off_the_base(module) == [], stem


def test_the_app_notebooks_are_found():
    assert len(APP_NOTEBOOKS) >= 10  # the check below is not vacuous


@pytest.mark.parametrize("notebook", APP_NOTEBOOKS, ids=lambda p: p.stem)
def test_every_app_is_built_on_the_exercise_app_base(notebook):
    """Every Voila app's module builds its graded exercises on ExerciseApp: at least one app
    class derives from it, and no class grades or records an attempt by itself."""
    import importlib
    import inspect

    from mixedflows.widgets.base import ExerciseApp

    module = importlib.import_module(_entry_module(notebook))
    on_base = [
        name
        for name, cls in inspect.getmembers(module, inspect.isclass)
        if cls.__module__ == module.__name__ and issubclass(cls, ExerciseApp)
    ]
    assert on_base, f"{module.__name__} has no app built on ExerciseApp"
    off = [x for x in off_the_base(module) if x.partition(":")[0] not in KNOWN_OFF_THE_BASE]
    assert off == []


def test_the_base_check_finds_an_app_off_the_base(tmp_path, monkeypatch):
    """The check is not vacuous: an app that grades and records by itself is named; the same
    app on the base is not."""
    import importlib

    (tmp_path / "mf_fake_apps.py").write_text(
        "from mixedflows.grading import grade\n"
        "from mixedflows.widgets.base import ExerciseApp\n"
        "class OwnLoop:\n"
        "    def submit(self):\n"
        "        result = grade(self.exercise, self.answer())\n"
        "        self.recorder.record(self.exercise.id, self.answer(), result)\n"
        "class OnBase(ExerciseApp):\n"
        "    def grade(self, answer):\n"
        "        return grade(self.exercise, answer)\n",
        encoding="utf-8",
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    found = off_the_base(importlib.import_module("mf_fake_apps"))
    assert len(found) == 1 and found[0].startswith("mf_fake_apps.OwnLoop: grade() line")
    assert ".record() line" in found[0]


# -- one place for the apps' styles -------------------------------------------------------------

OWN_STYLES = re.compile(r"""^\s*<style|["']<style""", re.M)
KNOWN_OWN_STYLES: dict[str, str] = {
    # a widgets module that still writes its own <style>, with the reason (none left)
}


def test_the_apps_write_no_style_of_their_own():
    """The apps' styles are in ``widgets/templates/styles.css`` (shown by ``ui.style_widget``):
    no other widgets module writes a ``<style>`` element of its own."""
    widgets = SRC / "mixedflows" / "widgets"
    offenders = sorted(
        str(p.relative_to(widgets))
        for p in widgets.rglob("*.py")
        if p.name != "ui.py" and OWN_STYLES.search(p.read_text("utf-8"))
    )
    assert offenders == sorted(KNOWN_OWN_STYLES)


def test_the_style_check_finds_a_style():
    assert OWN_STYLES.search('CSS = """\n<style>\n.mf-x {color: red}\n</style>\n"""')
    assert OWN_STYLES.search("w.HTML('<style>.mf-x {}</style>')")
    assert not OWN_STYLES.search('"""The rules are in ``styles.css``, not in a ``<style>``."""')


def test_the_dashboard_shows_the_one_stylesheet(tmp_path):
    """The dashboard's look (``.mf-dash``) comes with the shared stylesheet it shows."""
    from mixedflows.store import Store
    from mixedflows.widgets import ui
    from mixedflows.widgets.dashboard import Dashboard

    store = Store(tmp_path / "attempts.sqlite")
    try:
        page = Dashboard(store, "styles", interval=60).widget
        styles = [c.value for c in page.children if "<style" in getattr(c, "value", "")]
        assert styles == [ui.styles()]
        assert ".mf-dash table.mf-t" in styles[0]
    finally:
        store.close()
