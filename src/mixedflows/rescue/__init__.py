"""Rescue at sea and after landing (module 4; MC/INF/294 ¶16, ¶19).

- :mod:`.case`: rescue cases, data files in ``datasets/rescue/`` (facts only);
- :mod:`.rules`: where to disembark, what happens on board, who is informed, as rules citing
  UNCLOS art. 98, SOLAS ch. V reg. 33, the SAR Convention and the IMO Guidelines (2004);
- :mod:`.holding`: placements after landing and the standards of holding facilities (UNHCR
  Detention Guidelines, 2012; alternatives to detention, above all for children);
- :mod:`.grader`: the exercises ``rescue.decision`` and ``rescue.holding`` (listed in
  :mod:`mixedflows.registry`).
"""

from __future__ import annotations

from mixedflows.rescue.case import RescueCase, list_rescues, load_rescue
from mixedflows.rescue.grader import (
    DECISION_WEIGHTS,
    HOLDING_WEIGHTS,
    grade_decision,
    grade_holding,
)
from mixedflows.rescue.holding import PLACEMENTS, STANDARDS, failed_standards, placements
from mixedflows.rescue.rules import INFORMED, ON_BOARD, acceptable_ports, port_checks, reference

__all__ = [
    "DECISION_WEIGHTS",
    "HOLDING_WEIGHTS",
    "INFORMED",
    "ON_BOARD",
    "PLACEMENTS",
    "STANDARDS",
    "RescueCase",
    "acceptable_ports",
    "failed_standards",
    "grade_decision",
    "grade_holding",
    "list_rescues",
    "load_rescue",
    "placements",
    "port_checks",
    "reference",
]
