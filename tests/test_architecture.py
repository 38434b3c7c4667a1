"""The layers of the package, checked on its import graph (read with ``ast``, see
``tests/importgraph.py``): every ``import``, at module level or inside a function, counts.

- the domain (every package but ``charts``, ``widgets`` and ``server``) imports none of those
  three: it runs, and is tested, without altair, ipywidgets or a Voila server;
- ``charts`` draws the domain's results and imports neither ``widgets`` nor ``server``;
- ``server`` (Voila, the class session, the command line) imports no ``widgets``.
"""

from __future__ import annotations

import re

import pytest
from importgraph import SRC, edges, layer, modules

PRESENTATION = {"charts", "widgets", "server"}

CONTRACTS = {
    # layer of the importer -> layers it must not import
    "domain": PRESENTATION,
    "charts": {"widgets", "server"},
    "server": {"widgets"},
}


def _kind(module: str) -> str:
    return layer(module) if layer(module) in PRESENTATION else "domain"


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
