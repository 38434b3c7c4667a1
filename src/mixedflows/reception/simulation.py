"""Running the centre: one season under a plan (:func:`simulate`), or several seeds
(:func:`replicate`). This module joins the event loop (:mod:`.model`) and what it produced
(:mod:`.outputs`); neither of those imports the other's side back.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from mixedflows.reception.arrivals import Arrivals, draw_arrivals
from mixedflows.reception.inputs import Config, Plan, ResolvedSeason, Season
from mixedflows.reception.model import event_inputs, resolved, run_events
from mixedflows.reception.outputs import Replicated, Result


def simulate(
    season: Season | ResolvedSeason | str,
    plan: Plan,
    config: Config | None = None,
    seed: int = 0,
    arrivals: Arrivals | None = None,
) -> Result:
    """One season at the centre under ``plan``: a :class:`~.outputs.Result`.

    The same season, plan, configuration and seed give the same result. Arrivals and service
    times depend on the seed and the configuration only, never on the plan, so two plans run
    with one seed meet the same people (common random numbers: differences come from the plan).
    """
    cfg = config or Config()
    rs = resolved(season)
    if arrivals is None:
        arrivals = draw_arrivals(rs, cfg, np.random.default_rng(seed))
    arr, args = event_inputs(arrivals, plan, rs, cfg)
    tl = run_events(*args)
    return Result(season=rs, plan=plan, config=cfg, seed=seed, arrivals=arr, timeline=tl)


def replicate(
    season: Season | ResolvedSeason | str,
    plan: Plan,
    config: Config | None = None,
    seeds: Iterable[int] = range(10),
    keep: bool = False,
) -> Replicated:
    """Run ``plan`` once per seed; ``keep`` also keeps every :class:`Result`."""
    rs = resolved(season)
    return Replicated.of([simulate(rs, plan, config, seed=s) for s in seeds], keep=keep)
