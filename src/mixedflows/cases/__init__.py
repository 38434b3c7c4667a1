"""Worked cases and the screening desk: facts in, referrals out, graded by the rules.

- :mod:`.worked`: worked cases, data files in ``datasets/cases/`` (authors add a case by adding
  a file; every case runs as a test; unknown keys are rejected with the file and key named);
- :mod:`.desk`: the screening desk of module 5 (a queue of case files, an interview, feedback);
- :mod:`.graders`: the module 5 exercises graded by the engine (``cases.indicators``,
  ``cases.family_referrals``, ``cases.desk``, ``cases.constraints``; listed in
  :mod:`mixedflows.registry`).
"""

from __future__ import annotations

from mixedflows.cases.desk import (
    DESK_WEIGHTS,
    NOT_NEEDED,
    ORDER_CITATION,
    CaseFile,
    arrival,
    ask,
    constraint_checks,
    desk_queue,
    grade_desk,
    indicator_feedback,
    not_needed,
    order_message,
    referral_feedback,
    revealed_indicators,
    testimony,
)
from mixedflows.cases.graders import (
    ConstraintParams,
    DeskParams,
    FamilyParams,
    IndicatorParams,
    constraint_person,
    constraint_steps,
    grade_constraints,
    grade_desk_exercise,
    grade_family,
    grade_indicators,
    indicator_choices,
    testimony_person,
)
from mixedflows.cases.worked import (
    CasePerson,
    CaseSpec,
    Check,
    Expected,
    WorkedCase,
    cases_dir,
    check_case,
    list_cases,
    load_case,
)

__all__ = [
    "DESK_WEIGHTS",
    "NOT_NEEDED",
    "ORDER_CITATION",
    "CaseFile",
    "CasePerson",
    "CaseSpec",
    "Check",
    "ConstraintParams",
    "DeskParams",
    "Expected",
    "FamilyParams",
    "IndicatorParams",
    "WorkedCase",
    "arrival",
    "ask",
    "cases_dir",
    "check_case",
    "constraint_checks",
    "constraint_person",
    "constraint_steps",
    "desk_queue",
    "grade_constraints",
    "grade_desk",
    "grade_desk_exercise",
    "grade_family",
    "grade_indicators",
    "indicator_choices",
    "indicator_feedback",
    "list_cases",
    "load_case",
    "not_needed",
    "order_message",
    "referral_feedback",
    "revealed_indicators",
    "testimony",
    "testimony_person",
]
