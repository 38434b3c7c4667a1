"""After arrival (module 7; MC/INF/294 ¶21-22).

- :mod:`.framing`: a public message about migrants in an irregular situation, graded against
  documented evidence (grader ``postarrival.message``).
"""

from __future__ import annotations

from mixedflows.postarrival.framing import (
    assess,
    best_message,
    findings,
    grade_message,
    load_message_brief,
)

__all__ = ["assess", "best_message", "findings", "grade_message", "load_message_brief"]
