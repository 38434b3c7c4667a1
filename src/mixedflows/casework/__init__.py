"""Case work for stranded migrants (module 6, MC/INF/294 ¶20) and after arrival (module 7,
¶21): case files (:mod:`.case`), the actions the frameworks call for or rule out
(:mod:`.actions`, on top of the screening engine), and the grader ``casework.file``
(:mod:`.grader`), listed in :mod:`mixedflows.registry`."""

from __future__ import annotations

from mixedflows.casework.actions import ACTIONS, Verdict, reference, verdicts
from mixedflows.casework.case import (
    CaseFile,
    Casework,
    Chances,
    Situation,
    family_line,
    generated_files,
    list_casework,
    load_casework,
    queue,
    situation_lines,
)
from mixedflows.casework.grader import check_params, files_of, grade_casework, grade_file

__all__ = [
    "ACTIONS",
    "CaseFile",
    "Casework",
    "Chances",
    "Situation",
    "Verdict",
    "check_params",
    "family_line",
    "files_of",
    "generated_files",
    "grade_casework",
    "grade_file",
    "list_casework",
    "load_casework",
    "queue",
    "reference",
    "situation_lines",
    "verdicts",
]
