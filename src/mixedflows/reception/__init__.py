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
from mixedflows.reception.model import run_events
from mixedflows.reception.outputs import MEASURES, Interval, Replicated, Result
from mixedflows.reception.simulation import replicate, simulate

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
