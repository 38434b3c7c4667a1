"""The engine stays light: importing it pulls in neither widgets nor altair."""

from __future__ import annotations

import subprocess
import sys

ENGINE = [
    "mixedflows",
    "mixedflows.screening",
    "mixedflows.grading",
    "mixedflows.scenarios",
    "mixedflows.store",
    "mixedflows.exercises",
    "mixedflows.facilitator",
    "mixedflows.reception",
    "mixedflows.regularization",
    "mixedflows.references",
]


def test_engine_imports_no_widgets_or_altair():
    code = (
        "import sys\n"
        + "".join(f"import {m}\n" for m in ENGINE)
        + "print(','.join(sorted(m for m in sys.modules if m.split('.')[0] in "
        "{'ipywidgets', 'altair', 'anywidget', 'vl_convert', 'IPython'})))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert out == "", f"engine import pulled in: {out}"
