"""How a module notebook shows a figure file (issue 14): an HTML table of the figures with their
sources as a learner reads them and how far each was verified, never the ``Table(...)`` repr,
the file's name or the files' column names."""

from __future__ import annotations

import ast
import html
import json
from pathlib import Path

import pytest

from mixedflows.flows import data

ROOT = Path(__file__).resolve().parents[1]


def _figure_cells() -> list[tuple[str, str]]:
    """Every code cell of modules/ whose last expression reads a figure file."""
    cells = []
    for nb in sorted((ROOT / "modules").glob("*.ipynb")):
        for cell in json.loads(nb.read_text(encoding="utf-8"))["cells"]:
            src = "".join(cell["source"])
            if cell["cell_type"] == "code" and "mixedflows.flows.data" in src:
                cells.append((nb.name, src))
    return cells


def _shown(src: str) -> object:
    """What the cell's last expression shows, as Voila would display it."""
    tree = ast.parse(src)
    *body, last = tree.body
    ns: dict = {}
    exec(compile(ast.Module(body=body, type_ignores=[]), "<cell>", "exec"), ns)
    assert isinstance(last, ast.Expr)
    return eval(compile(ast.Expression(last.value), "<cell>", "eval"), ns)


def test_module_6_shows_its_case_study_figures():
    assert any(name.startswith("06_") for name, _ in _figure_cells())


@pytest.mark.parametrize(
    "name,src", _figure_cells(), ids=lambda x: x if x.endswith("ipynb") else ""
)
def test_a_figure_file_shows_as_a_table_with_its_sources(name, src):
    shown = _shown(src)
    assert hasattr(shown, "_repr_html_"), f"{name}: a figure file shows as its Python repr"
    page = html.unescape(shown._repr_html_())
    assert "Table(" not in page and "<table" in page
    assert shown.name not in page, "the file's name is not for the learner"
    for internal in ("source_recorded", "verification", "year_complete", "item,"):
        assert internal not in page
    for row in shown.rows:
        for value in (row.get("figure", ""), row["source"]):
            assert value in page
        if "verification" in row:
            assert data.VERIFICATION[row["verification"]] in page
        assert row["source_recorded"] == row["source"] or row["source_recorded"] not in page
