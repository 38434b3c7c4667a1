"""The package's import graph, read from the source with ``ast`` (nothing is imported).

Every ``import`` statement counts, at module level or inside a function: a lazy import is
still a dependency. Names are resolved to the modules of ``mixedflows`` they load
(``from mixedflows import session`` is an edge to ``mixedflows.session`` when that is a module).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src"
PACKAGE = "mixedflows"


@dataclass(frozen=True)
class Edge:
    importer: str
    imported: str
    line: int
    module_level: bool
    """False for an import inside a function or class body (run only when called)."""
    type_checking: bool = False
    """True inside ``if TYPE_CHECKING:`` (never run)."""


def modules(src: Path = SRC) -> dict[str, Path]:
    """Every module of the package, by dotted name."""
    out = {}
    for p in sorted((src / PACKAGE).rglob("*.py")):
        parts = list(p.relative_to(src).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = p
    return out


def _resolve(name: str, known: dict[str, Path]) -> str | None:
    """The longest known module that ``name`` is or lies inside."""
    while name:
        if name in known:
            return name
        name = name.rpartition(".")[0]
    return None


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def edges(src: Path = SRC) -> list[Edge]:
    """Every import of a package module by a package module."""
    known = modules(src)
    out: list[Edge] = []
    for name, path in known.items():
        is_pkg = path.name == "__init__.py"
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))

        def visit(node: ast.AST, top: bool, tc: bool, name: str = name, is_pkg: bool = is_pkg):
            for child in ast.iter_child_nodes(node):
                if isinstance(child, ast.Import):
                    for a in child.names:
                        target = _resolve(a.name, known)
                        if target and target != name:
                            out.append(Edge(name, target, child.lineno, top, tc))
                elif isinstance(child, ast.ImportFrom):
                    if child.level:
                        base = name.split(".") if is_pkg else name.split(".")[:-1]
                        base = base[: len(base) - (child.level - 1)]
                        mod = ".".join([*base, child.module] if child.module else base)
                    else:
                        mod = child.module or ""
                    for a in child.names:
                        sub = f"{mod}.{a.name}"
                        target = sub if sub in known else _resolve(mod, known)
                        if target and target != name:
                            out.append(Edge(name, target, child.lineno, top, tc))
                elif isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
                    visit(child, False, tc)
                elif isinstance(child, ast.If) and _is_type_checking(child.test):
                    for n in child.body:
                        visit(ast.Module(body=[n], type_ignores=[]), top, True)
                    for n in child.orelse:
                        visit(ast.Module(body=[n], type_ignores=[]), top, tc)
                else:
                    visit(child, top, tc)

        visit(tree, True, False)
    return out


def layer(module: str) -> str:
    """The top-level part of the package a module belongs to (``mixedflows.reception.model`` ->
    ``reception``; the package's own ``__init__`` -> ``mixedflows``)."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else parts[0]


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    out: list[list[str]] = []
    counter = [0]

    def strong(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                strong(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    import sys

    sys.setrecursionlimit(max(10000, sys.getrecursionlimit()))
    for v in sorted(graph):
        if v not in index:
            strong(v)
    return sorted(out)


@dataclass(frozen=True)
class External:
    importer: str
    package: str
    """The top-level name of a distribution's package (``altair`` for ``altair.utils``)."""
    line: int


def external_imports(src: Path = SRC) -> list[External]:
    """Every import of a package from outside ``mixedflows`` by a package module, at module
    level or inside a function; imports under ``if TYPE_CHECKING:`` (never run) are left out."""
    out: list[External] = []
    for name, path in modules(src).items():
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))

        def visit(node: ast.AST, name: str = name) -> None:
            for child in ast.iter_child_nodes(node):
                if isinstance(child, ast.If) and _is_type_checking(child.test):
                    for n in child.orelse:
                        visit(ast.Module(body=[n], type_ignores=[]))
                    continue
                found = []
                if isinstance(child, ast.Import):
                    found = [a.name for a in child.names]
                elif isinstance(child, ast.ImportFrom) and not child.level and child.module:
                    found = [child.module]
                for mod in found:
                    top = mod.split(".")[0]
                    if top != PACKAGE:
                        out.append(External(name, top, child.lineno))
                visit(child)

        visit(tree)
    return out
