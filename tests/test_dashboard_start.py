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
