"""Regularization trade-offs: the policy lab of module 8 (MC/INF/294 ¶23).

A programme is data (``datasets/regularization/``): its levers, declared once with unit, range
and citation (:mod:`.levers`), and its context (:mod:`.programme`). :func:`run` turns a
programme and a reform into the fixed set of outcomes (:mod:`.model`); :mod:`.validation`
compares the model with real programmes. The model graders "regularization.programme" and
"regularization.predict" are in :mod:`.grader` (listed in :mod:`mixedflows.registry`). Charts live in
:mod:`mixedflows.charts.regularization`, imported only by the apps and notebooks that show them.
"""

from mixedflows.regularization.levers import (
    Lever,
    LeverSet,
    ReformError,
    Unit,
    load_levers,
    validate_reform,
)
from mixedflows.regularization.model import (
    OUTCOME_INFO,
    OUTCOMES,
    Outcomes,
    PullRange,
    compare,
    design,
    run,
)
from mixedflows.regularization.programme import Programme, list_programmes, load_programme

__all__ = [
    "OUTCOMES",
    "OUTCOME_INFO",
    "Lever",
    "LeverSet",
    "Outcomes",
    "Programme",
    "PullRange",
    "ReformError",
    "Unit",
    "compare",
    "design",
    "list_programmes",
    "load_levers",
    "load_programme",
    "run",
    "validate_reform",
]
