"""The gated debriefs of the course, read from the module pages themselves.

A module page shows a debrief that gives an exercise's answers through
:func:`mixedflows.widgets.debrief_gate.after_attempt` (one call in one code cell: the exercises
it speaks of, then the function that renders it). This module finds every such call in the
module notebooks (``modules/NN_*.ipynb``) and resolves its arguments the way the cell would
(a string, a list, or a name the same cell imports), so the list the facilitator's dashboard
offers (:mod:`mixedflows.widgets.debrief_room`) and the facilitator guide describe are the ones
the pages gate, never typed a second time.
"""

from __future__ import annotations

import ast
import functools
import importlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mixedflows.registry import module_notebook, written_modules

GATE = "after_attempt"
"""The gate's function, as the module pages call it."""


@dataclass(frozen=True)
class GatedDebrief:
    """One debrief a module page gates: where, for which exercises, rendered by what."""

    module: int
    notebook: str
    """The module page's file name (``07_after_arrival.ipynb``)."""
    exercise_ids: tuple[str, ...]
    """The exercises it gives the answers of: all attempted (or opened) before it shows."""
    render: str
    """The dotted name of the function the cell renders it with."""
    args: tuple[Any, ...] = ()
    """The arguments the cell gives that function."""

    @property
    def key(self) -> str:
        return "+".join(self.exercise_ids)

    def titles(self) -> list[str]:
        from mixedflows.exercises import exercise_title

        return [exercise_title(e) for e in self.exercise_ids]

    def title(self) -> str:
        from mixedflows.text import joined

        return joined(f"“{t}”" for t in self.titles())

    def label(self) -> str:
        return f"Module {self.module}: {self.title()}"

    def function(self) -> Any:
        """The function the cell renders the debrief with."""
        mod, name = self.render.rsplit(".", 1)
        return getattr(importlib.import_module(mod), name)

    def prepare(self) -> Any:
        """The debrief, as the page prepares it once the gate opens."""
        return self.function()(*self.args)


def _code_cells(path: Any) -> list[str]:
    nb = json.loads(path.read_text(encoding="utf-8"))
    out = []
    for c in nb.get("cells", []):
        if c.get("cell_type") == "code":
            src = "".join(c.get("source", ""))
            # IPython's own lines (magics, shell) are not Python: left out before parsing.
            lines = src.splitlines()
            out.append("\n".join(ln for ln in lines if not ln.lstrip().startswith(("%", "!"))))
    return out


def _imports(tree: ast.AST) -> dict[str, tuple[str, str]]:
    """Each name a cell imports with ``from X import a as b``: b -> (X, a)."""
    names: dict[str, tuple[str, str]] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            for a in node.names:
                names[a.asname or a.name] = (node.module, a.name)
    return names


_NOT_LITERAL = object()


@functools.cache
def _constant(module: str, name: str) -> Any:
    """``module.name`` when the module's source gives it as a literal at its top level
    (``EXERCISES = ("m5_...", ...)``), read without importing the module: the facilitator's
    dashboard lists the debriefs at its start, and importing their packages for two constants
    (module 5's cases, module 9's returns) cost its kernel 0.05 s of CPU (issue 13 start-up).
    :data:`_NOT_LITERAL` when the source does not give it so (the module is then imported)."""
    import mixedflows

    parts = module.split(".")
    if parts[0] != "mixedflows":
        return _NOT_LITERAL
    base = Path(mixedflows.__file__).parent.joinpath(*parts[1:])
    source = base.with_suffix(".py") if not base.is_dir() else base / "__init__.py"
    try:
        tree = ast.parse(source.read_text(encoding="utf-8"))
    except (OSError, SyntaxError, ValueError):
        return _NOT_LITERAL
    # Every top-level statement that binds the name: one plain assignment of a literal is read;
    # anything else (bound twice, augmented, imported, computed) leaves it to the import.
    binds = [node for node in tree.body if name in _bound(node)]
    if len(binds) != 1 or not isinstance(binds[0], ast.Assign | ast.AnnAssign):
        return _NOT_LITERAL
    try:
        return ast.literal_eval(binds[0].value)  # type: ignore[arg-type]
    except ValueError:
        return _NOT_LITERAL


def _bound(node: ast.stmt) -> set[str]:
    """The names a top-level statement binds (assignments, imports, definitions, loops)."""
    if isinstance(node, ast.Import | ast.ImportFrom):
        return {(a.asname or a.name).split(".")[0] for a in node.names}
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
        return {node.name}
    targets = getattr(node, "targets", None) or [getattr(node, "target", None)]
    return {n.id for t in targets if t is not None for n in ast.walk(t) if isinstance(n, ast.Name)}


def _value(node: ast.expr, names: dict[str, tuple[str, str]]) -> Any:
    """The value of an argument as the cell computes it: a literal, a list or tuple of them, or
    a name the cell imports (read from its module's source when given there as a literal,
    :func:`_constant`; else imported)."""
    if isinstance(node, ast.Name):
        if node.id not in names:
            raise ValueError(f"{node.id} is not imported in the cell")
        mod, attr = names[node.id]
        found = _constant(mod, attr)
        if found is not _NOT_LITERAL:
            return found
        return getattr(importlib.import_module(mod), attr)
    if isinstance(node, ast.List | ast.Tuple):
        return [_value(e, names) for e in node.elts]
    return ast.literal_eval(node)


def _ids(value: Any) -> tuple[str, ...]:
    ids = (value,) if isinstance(value, str) else tuple(value)
    if not ids or not all(isinstance(i, str) for i in ids):
        raise ValueError(f"not exercise ids: {value!r}")
    return ids


def calls_in(path: Any, module: int) -> list[GatedDebrief]:
    """The gated debriefs of one module page, in the page's order."""
    found = []
    for src in _code_cells(path):
        try:
            tree = ast.parse(src)
        except SyntaxError:
            continue
        names = _imports(tree)
        for node in ast.walk(tree):
            if not (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == GATE
                and len(node.args) >= 2
            ):
                continue
            ids = _ids(_value(node.args[0], names))
            fn = node.args[1]
            render = ".".join(names[fn.id]) if isinstance(fn, ast.Name) and fn.id in names else ""
            args = tuple(_value(a, names) for a in node.args[2:])
            found.append(GatedDebrief(module, path.name, ids, render, args))
    return found


@functools.cache
def gated_debriefs() -> tuple[GatedDebrief, ...]:
    """Every gated debrief of the course's module pages, by module and page order."""
    out: list[GatedDebrief] = []
    for n in written_modules():
        path = module_notebook(n)
        if path is not None:
            out += calls_in(path, n)
    return tuple(out)


def of_module(n: int) -> list[GatedDebrief]:
    return [d for d in gated_debriefs() if d.module == n]


LINK = "The module's page (its reading and debrief)"
"""The words of the link at the top of an app's page to its module's page (the course's Voila
template), where a participant of a facilitated session finds the debriefs."""


def apps_linking(notebook: str) -> list[str]:
    """The apps (``widgets/*.ipynb``, by title as the join page lists them) whose page links to
    the module page ``notebook``: those whose metadata names it (``mixedflows.module_page``)."""
    from mixedflows.paths import home

    out = []
    for app in sorted((home() / "widgets").glob("*.ipynb")):
        nb = json.loads(app.read_text(encoding="utf-8"))
        if ((nb.get("metadata") or {}).get("mixedflows") or {}).get("module_page") == notebook:
            out.append(app.name.removesuffix(".ipynb").replace("_", " ").capitalize())
    return out


def where_seen(debrief: GatedDebrief) -> str:
    """Where a participant sees ``debrief``, in words: the module page, and the apps whose page
    links to it (a facilitated session serves a session app's module page)."""
    from mixedflows.text import joined

    apps = apps_linking(debrief.notebook)
    page = f"on the page of module {debrief.module} ({debrief.notebook})"
    if not apps:
        return page
    which = joined(f"“{a}”" for a in apps)
    if len(apps) == 1:
        return (
            f"{page}, reached from the app {which} by the link “{LINK}” at the top of its page "
            "(a session that includes it serves it)"
        )
    return (
        f"{page}, reached from the apps {which} by the link “{LINK}” at the top of their pages "
        "(a session that includes one of them serves it)"
    )
