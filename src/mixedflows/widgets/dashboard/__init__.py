"""The facilitator dashboard: the room's answers, live, while the session runs.

A Voila app (``widgets/facilitator_dashboard.ipynb``), served only to the facilitator (the
server asks for the facilitator token). It reads the attempt store, asks
:mod:`mixedflows.facilitator` for every table, and renders them:

- per exercise, how many answered and the spread of their scores (a chart, offline);
- the room's most common wrong answers per question, with the rule to debrief on;
- reflections (listed, not scored) and each participant's progress;
- downloads: the grade CSV for a learning-management system and the per-participant summary.

Its parts: :mod:`.app` (the :class:`Dashboard` widget, its live refresh, :func:`dashboard_app`),
:mod:`.tables` (the HTML of each section), :mod:`.status` (what is said when the store cannot be
read) and :mod:`mixedflows.charts.facilitator` (the chart, drawn from its golden spec by
:mod:`mixedflows.charts.facilitator_data`: the page never imports altair). Its look is the ``.mf-dash`` section
of ``widgets/templates/styles.css``.

Every piece of participant text (pseudonyms, answers) is escaped with ``esc`` and cut to a
length that cannot break the layout; tables wrap long words.
"""

from typing import Any

from mixedflows.widgets.dashboard.app import (
    ALL,
    REFRESH_SECONDS,
    Dashboard,
    dashboard_app,
    default_session,
)
from mixedflows.widgets.dashboard.status import STORE_READ_CAUSES, store_read_problem
from mixedflows.widgets.dashboard.tables import (
    SHORT,
    download_link,
    empty,
    gains_html,
    join_links_html,
    overview_html,
    pct,
    problems_html,
    progress_html,
    reflections_html,
    short,
    table,
    typical_html,
    wrong_html,
)

__all__ = [
    "ALL",
    "REFRESH_SECONDS",
    "SHORT",
    "STORE_READ_CAUSES",
    "Dashboard",
    "dashboard_app",
    "default_session",
    "distribution_chart",
    "download_link",
    "empty",
    "gains_html",
    "join_links_html",
    "overview_html",
    "pct",
    "problems_html",
    "progress_html",
    "reflections_html",
    "short",
    "store_read_problem",
    "table",
    "typical_html",
    "wrong_html",
]


def __getattr__(name: str) -> Any:
    # distribution_chart (an altair chart) only when asked for: the page never imports altair
    if name == "distribution_chart":
        from mixedflows.charts.facilitator import distribution_chart

        return distribution_chart
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
