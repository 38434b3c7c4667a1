"""Issue 13 start-up: the facilitator dashboard's page starts without altair (about 0.6 s of
CPU at every start of its kernel): its chart is a golden Vega-Lite file, filled with the rows
and drawn by VegaView, and the golden file is what altair builds."""

from __future__ import annotations

import json
import os
import subprocess
import sys

DASHBOARD_CELLS = """
import sys
from mixedflows.widgets.dashboard import dashboard_app
d = dashboard_app(interval=3600)
from mixedflows.widgets.cooperation import room_panel
room_panel()
from mixedflows.widgets.debrief_room import debrief_panel
debrief_panel()
from mixedflows.widgets.seats import seats_panel
seats_panel()
print(sorted(m for m in ("altair", "vl_convert", "jsonschema") if m in sys.modules))
"""


def test_the_golden_file_is_what_altair_builds():
    from mixedflows.charts import facilitator, specs
    from mixedflows.charts.facilitator_data import DATASET, GOLDEN, distribution_spec

    assert specs.template(GOLDEN) == facilitator.template()
    rows = [
        {"exercise_id": "q", "measure": "latest", "bin": 0, "bin_label": "0–9%", "participants": 2}
    ]
    filled = distribution_spec(rows, {"q": "A quiz"})
    assert filled == facilitator.distribution_chart(rows, {"q": "A quiz"}).to_dict()
    assert filled["datasets"][DATASET] == [{**rows[0], "exercise": "A quiz"}]
    assert distribution_spec([])["datasets"] == {DATASET: []}


def test_the_dashboard_page_imports_no_altair(tmp_path):
    """The dashboard notebook's cells (dashboard, room panel, debriefs panel, seats) in a fresh process: no
    altair, vl_convert or jsonschema (altair's JupyterChart imported all three before)."""
    env = dict(os.environ, MIXEDFLOWS_STORE=str(tmp_path / "s.sqlite"), MIXEDFLOWS_SESSION="ws")
    env.pop("VOILA_PREHEAT", None)
    out = subprocess.run(
        [sys.executable, "-c", DASHBOARD_CELLS], env=env, capture_output=True, text=True, check=True
    ).stdout.splitlines()
    assert json.loads(out[-1].replace("'", '"')) == []


def test_a_session_without_attempts_is_drawn_without_pandas(tmp_path):
    """The dashboard opened for a session with no attempts yet (the facilitator's first look,
    before the room joins) loads no pandas (about 0.25 s of CPU at its kernel's start): the
    page's cells in a fresh process. Fails before: mixedflows.facilitator imported pandas."""
    env = dict(os.environ, MIXEDFLOWS_STORE=str(tmp_path / "s.sqlite"), MIXEDFLOWS_SESSION="ws")
    env.pop("VOILA_PREHEAT", None)
    code = DASHBOARD_CELLS.replace(
        'print(sorted(m for m in ("altair", "vl_convert", "jsonschema") if m in sys.modules))',
        'print(sorted(m for m in ("pandas", "numpy") if m in sys.modules))',
    )
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    ).stdout.splitlines()
    assert json.loads(out[-1].replace("'", '"')) == []


def test_a_session_without_attempts_says_what_its_empty_report_says(tmp_path):
    """What the dashboard shows of a session without attempts, drawn without its tables, is
    what the tables of its (empty) report give; once an attempt arrives, the report is read."""
    from mixedflows import facilitator as fac
    from mixedflows.store import Store
    from mixedflows.widgets.dashboard import Dashboard, tables

    store = Store(str(tmp_path / "s.sqlite"))
    d = Dashboard(store, "ws", interval=3600)
    d.refresh(force=True)
    assert isinstance(d.report, fac.NoAttemptsReport)
    full = fac.session_report([], "ws")
    assert d.overview.value == tables.overview_html(full, {})
    assert d.wrong.value == tables.wrong_html(full, {})
    assert d.reflections.value == tables.reflections_html(full, {})
    assert d.gains.value == tables.gains_html(full)
    assert d.progress.value == tables.progress_html(full, {})
    assert d.chart_box.layout.display == "none" and full.distribution.empty
    assert full.standing == d.report.standing == fac.NOTHING_SCORED
    # its tables, when something asks for them, are the empty report's
    assert d.report.overview.equals(full.overview) and d.report.attempts == 0
    store.record(
        learner="dee",
        exercise_id="m1_who_is_in_the_boat",
        answer={},
        score=0.5,
        feedback={},
        session="ws",
    )
    assert d.refresh()
    assert isinstance(d.report, fac.SessionReport) and d.report.attempts == 1
    assert "dee" in d.progress.value


def test_the_dashboard_page_opens_with_fewer_widget_models(tmp_path):
    """Every widget model is one the page creates over the websocket before it is interactive
    (issue 13 start-up, about 1.3 ms each in Chromium, its view besides). The notebook's code
    cells (the dashboard, room, debriefs and seats panels; not claim()) in a fresh process, as
    its kernel runs them: widgets whose layout and style never change share the kernel's one
    layout and style of their kind. Before: 177 models (95 after the dashboard, 118 with the
    room panel, 154 with the debriefs panel); fails before. And the four panels show one
    stylesheet widget, not four of 13 KB each (83 models before that)."""
    from pathlib import Path

    nb = json.loads(
        (Path(__file__).parents[1] / "widgets" / "facilitator_dashboard.ipynb").read_text(
            encoding="utf-8"
        )
    )
    cells = ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code"]
    page = [c for c in cells if "claim()" not in c]
    assert len(page) == 4, "the dashboard, room, debriefs and seats cells"
    code = "\n".join(
        [
            "import warnings, ipywidgets",
            *page,
            "warnings.simplefilter('ignore', DeprecationWarning)",
            "print(len(ipywidgets.Widget.widgets))",
        ]
    )
    env = dict(os.environ, MIXEDFLOWS_STORE=str(tmp_path / "s.sqlite"), MIXEDFLOWS_SESSION="ws")
    env.pop("VOILA_PREHEAT", None)
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    ).stdout.splitlines()
    models = int(out[-1])
    assert 40 < models <= 80, f"{models} widget models for the dashboard page"
