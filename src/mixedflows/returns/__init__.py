"""Return and reintegration (module 9, MC/INF/294 ¶24-26): a return policy that differentiates
between individual cases (:mod:`.policy`), a teaching model of a reintegration programme
(:mod:`.reintegration`), and their graders ``returns.desk`` and ``returns.reintegration``
(:mod:`.grader`, listed in :mod:`mixedflows.registry`). Labour mobility (¶26) is graded by the
policy lab's model of module 8 (``regularization.predict``, its legal-channels lever)."""

from __future__ import annotations

from mixedflows.returns.policy import (
    DECISIONS,
    MEASURES,
    Caseload,
    Returnee,
    Ruling,
    decide,
    list_caseloads,
    load_caseload,
    situation_lines,
    story_problems,
)

__all__ = [
    "DECISIONS",
    "MEASURES",
    "Caseload",
    "Returnee",
    "Ruling",
    "decide",
    "list_caseloads",
    "load_caseload",
    "situation_lines",
    "story_problems",
]
