"""The engine stays light: importing it pulls in neither widgets nor altair."""

from __future__ import annotations

import subprocess
import sys

from importgraph import layer, modules

PRESENTATION = {"charts", "widgets", "server"}
ENGINE = sorted(
    m for m in modules() if m == "mixedflows" or (layer(m) not in PRESENTATION and "__" not in m)
)
"""Every domain module and package of ``mixedflows``, found, not listed: a new
module is checked the day it is added."""
LIBRARIES = ("ipywidgets", "altair", "anywidget", "vl_convert", "IPython", "voila", "tornado")
LIBRARIES += ("jupyter_server",)


def test_the_engine_list_is_found():
    assert {"mixedflows.grading", "mixedflows.reception", "mixedflows.store"} <= set(ENGINE)
    assert "mixedflows.reception.model" in ENGINE and len(ENGINE) > 60
    assert not any(layer(m) in PRESENTATION for m in ENGINE)


def test_engine_imports_no_widgets_or_altair():
    code = (
        "import sys\n"
        + "".join(f"import {m}\n" for m in ENGINE)
        + "print(','.join(sorted(m for m in sys.modules if m.split('.')[0] in "
        f"{set(LIBRARIES)!r})))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert out == "", f"engine import pulled in: {out}"


def _imported(code: str) -> dict[str, int]:
    """The modules ``code`` imports, from ``python -X importtime`` (name -> cumulative µs)."""
    err = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", code], capture_output=True, text=True, check=True
    ).stderr
    out = {}
    for line in err.splitlines():
        if not line.startswith("import time:") or "cumulative" in line:
            continue
        _, cumulative, name = (x.strip() for x in line.split(":", 1)[1].split("|"))
        out[name] = int(cumulative)
    return out


def test_importtime_sees_the_imports():
    """The parser reads -X importtime's report (so the checks below can fail)."""
    mods = _imported("import mixedflows.grading")
    assert "mixedflows.grading" in mods and "mixedflows.results" in mods


def test_jsonschema_after_mixedflows_builds_no_iri_parser():
    """Every server and app kernel imports ``mixedflows`` before jsonschema: jsonschema then
    loads no RFC 3987 parser (3.5 s of CPU each, see ``mixedflows/__init__.py``)."""
    mods = _imported("import mixedflows, jsonschema")
    assert "jsonschema" in mods
    assert "lark" not in mods, "the IRI parser was built (rfc3987_syntax's lark grammar)"


def test_grading_loads_no_grader_until_one_is_needed():
    """No registration by import: importing grading, exercises or the registry loads no model
    grader; grading one model exercise loads that model's grader only."""
    from mixedflows.registry import MODELS

    graders = {ref.partition(":")[0] for k in MODELS.values() for ref in (k.grader, k.params)}
    mods = _imported("import mixedflows.grading, mixedflows.exercises, mixedflows.registry")
    assert sorted(graders & set(mods)) == []
    mods = _imported(
        "from mixedflows.exercises import load_exercise\nload_exercise('m5_family_referrals')"
    )
    assert sorted(graders & set(mods)) == ["mixedflows.cases.graders"]


def test_a_model_package_does_not_import_grading():
    """Packages of the engine no longer import grading to register themselves."""
    for pkg in ("mixedflows.reception", "mixedflows.regularization", "mixedflows.cases"):
        mods = _imported(f"import {pkg}")
        assert "mixedflows.grading" not in mods, pkg
        assert "mixedflows.registry" not in mods, pkg


APPS = ("boat", "screening_desk", "reception", "policy_lab", "my_progress")
"""Issue 13's apps (and My progress): what a kernel imports before it builds the first view."""


def test_an_app_module_imports_no_numpy():
    """Issue 13 start-up: numpy came in with the scenarios and the reception inputs when an app
    module was imported; it is now imported by the code that computes with it (a boat drawn, a
    season simulated), so a first view that needs none (the reception's memo, the policy lab)
    starts without it."""
    mods = _imported("".join(f"import mixedflows.widgets.{app}\n" for app in APPS))
    assert {f"mixedflows.widgets.{app}" for app in APPS} <= set(mods)
    assert "ipywidgets" in mods  # what the apps need is there: the check can see imports
    assert sorted(m for m in ("numpy", "pandas", "numba", "altair") if m in mods) == []
