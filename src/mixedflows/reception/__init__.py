"""The reception and screening centre: a discrete-event simulation of a season of arrivals
(MC/INF/294 ¶16 and ¶19), its inputs and outputs, and the model grader "reception.staffing".

Importing this package registers the grader; charts live in :mod:`mixedflows.charts.reception` and are imported
only by the apps that show them.
"""

from mixedflows.reception import grader as _grader  # noqa: F401  (registers the grader)
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
from mixedflows.reception.model import run_events, simulate
from mixedflows.reception.outputs import MEASURES, Interval, Replicated, Result, replicate

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
