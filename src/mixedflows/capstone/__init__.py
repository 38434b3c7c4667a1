"""Module 11, the capstone: a season on the route (MC/INF/294 ¶16-25).

- :mod:`.spec`: the scenario file (``datasets/capstone/``), facts and stated assumptions only;
- :mod:`.season`: the :class:`~.season.Season` state passed from stage to stage (rescue,
  reception, screening, post-arrival, policy), each stage run and graded by its module's engine;
- :mod:`.stages`: one module per stage (its situation and its play), :mod:`.state` the state;
- :mod:`.report`: the debrief the learner downloads (HTML, every text escaped);
- :mod:`.grader`: the model grader ``capstone.season`` (listed in :mod:`mixedflows.registry`).
"""

from __future__ import annotations

from mixedflows.capstone.season import (
    PLAY,
    SITUATION,
    STAGE_TITLES,
    STAGES,
    Season,
    grade_season,
    outcome_lines,
    play,
    start,
)
from mixedflows.capstone.spec import CapstoneSpec, list_capstones, load_capstone

__all__ = [
    "PLAY",
    "SITUATION",
    "STAGES",
    "STAGE_TITLES",
    "CapstoneSpec",
    "Season",
    "grade_season",
    "list_capstones",
    "load_capstone",
    "outcome_lines",
    "play",
    "start",
]
