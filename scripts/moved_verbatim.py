"""Check that a module split into several was moved verbatim: every top-level statement of the
old module (its imports and docstring aside) is in exactly one of the new files with an
identical AST, and the new files hold nothing else but imports, docstrings and ``__all__``
(issue 12: the long engine files split, as server/voila_app.py was in 63b9b64).

    python scripts/moved_verbatim.py REV:OLD_PATH NEW_FILE...
    python scripts/moved_verbatim.py 33f95ed:src/mixedflows/trafficking.py \\
        src/mixedflows/trafficking/*.py

Exit status 0 when nothing was lost or added; each difference is printed.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from collections import Counter
from pathlib import Path


def statements(source: str) -> list[str]:
    """The top-level statements of ``source`` as AST dumps (no line numbers), but its
    docstring, its imports (``if TYPE_CHECKING:`` blocks included) and ``__all__``."""
    out = []
    for i, node in enumerate(ast.parse(source).body):
        if i == 0 and isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
            continue
        if isinstance(node, ast.Import | ast.ImportFrom):
            continue
        if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING":
            continue
        if isinstance(node, ast.Assign) and ast.unparse(node.targets[0]) == "__all__":
            continue
        out.append(ast.dump(node, include_attributes=False))
    return out


def read(spec: str) -> str:
    """A file's text: ``REV:PATH`` from git, else the file."""
    if ":" in spec and not Path(spec).exists():
        return subprocess.run(
            ["git", "show", spec], check=True, capture_output=True, text=True
        ).stdout
    return Path(spec).read_text(encoding="utf-8")


def main(argv: list[str]) -> int:
    if len(argv) < 2:
        print(__doc__)
        return 2
    old = Counter(statements(read(argv[0])))
    new: Counter[str] = Counter()
    for path in argv[1:]:
        new.update(statements(read(path)))
    lost, added = old - new, new - old
    print(f"{argv[0]}: {sum(old.values())} statements; the new files: {sum(new.values())}")
    for dump in lost:
        print("LOST ", dump[:300])
    for dump in added:
        print("ADDED", dump[:300])
    print("moved verbatim" if not (lost or added) else "NOT moved verbatim")
    return 1 if lost or added else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
