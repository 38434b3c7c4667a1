"""The reception and screening centre: a discrete-event simulation of a season of arrivals
(MC/INF/294 ¶16 and ¶19), its inputs and outputs, and the model grader "reception.staffing".

The grader is :mod:`.grader` (listed in :mod:`mixedflows.registry`); charts live in
:mod:`mixedflows.charts.reception`, imported only by the apps that show them.
"""

from mixedflows.reception.inputs import (
    GROUP_LABELS,
    GROUPS,
    ROLE_LABELS,
    ROLES,
    Config,
    Distribution,
    Limits,
    Plan,
    Season,
    ServiceTimes,
    Shift,
    day_night,
    get_season,
    list_seasons,
    load_season,
    resolve,
)

# The simulation and its outputs (numba, pandas) load when first used, not with the package: an
# app that only shows a season's controls and a memo of its first view starts without them.
_LAZY = {
    "run_events": "mixedflows.reception.model",
    "MEASURES": "mixedflows.reception.outputs",
    "Interval": "mixedflows.reception.outputs",
    "Replicated": "mixedflows.reception.outputs",
    "Result": "mixedflows.reception.outputs",
    "replicate": "mixedflows.reception.simulation",
    "simulate": "mixedflows.reception.simulation",
}


def __getattr__(name: str) -> object:
    if name in _LAZY:
        import importlib

        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'mixedflows.reception' has no attribute {name!r}")


__all__ = [
    "GROUPS",
    "GROUP_LABELS",
    "MEASURES",
    "ROLES",
    "ROLE_LABELS",
    "Config",
    "Distribution",
    "Interval",
    "Limits",
    "Plan",
    "Replicated",
    "Result",
    "Season",
    "ServiceTimes",
    "Shift",
    "day_night",
    "get_season",
    "list_seasons",
    "load_season",
    "replicate",
    "resolve",
    "run_events",
    "simulate",
]
