"""Who lands when: landings over a season and, for each person, the group, priority and
service times the reception simulation needs.

Large seasons (tens of thousands of people) are drawn vectorised from the scenario's shares
(demography, urgent medical needs, specific needs) without building a :class:`Person` for
each: the simulation needs a group and a route, not a narrative. Small runs can instead use a
Person-level cohort from :func:`mixedflows.scenarios.generate_cohort`, screened by
:func:`mixedflows.screening.screen`, so that every simulated person is also a readable case.
Both paths give the same groups in the same proportions (tested).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from mixedflows.profiles import Need, Person
from mixedflows.reception.inputs import GROUPS, Config, Plan, ResolvedSeason
from mixedflows.scenarios import Scenario

# Bits of the needs mask; a person is counted in the group of their lowest set bit.
URGENT, UASC, SPECIFIC, CHILD_FAMILY = 1, 2, 4, 8
OTHER = len(GROUPS) - 1

# Adults' chance of a specific need mirrors mixedflows.scenarios: a specific need drawn with
# journey.specific_needs, older persons (demography.older), and single mothers (6% of women:
# the scenarios generator makes a woman travel alone with her children when 0.08 <= r < 0.14).
SINGLE_PARENT_SHARE_OF_WOMEN = 0.06


@dataclass(frozen=True)
class Arrivals:
    """People landing over a season, one entry per person, ordered by landing.

    Plain numpy arrays so that a season of 50,000 people is drawn in milliseconds.
    """

    land: np.ndarray
    """Landing time, hours from the start of the season."""
    boat: np.ndarray
    """Index of the landing (boat) each person came on."""
    needs: np.ndarray
    """Bit mask: 1 urgent medical, 2 unaccompanied or separated child, 4 adult with specific
    needs, 8 child with a parent."""
    interpreter: np.ndarray
    """True where the interviews need a cultural mediator or interpreter."""
    medical_time: np.ndarray
    """Hours of the first medical check, or of urgent care for people with an acute need."""
    interview_time: np.ndarray
    """Hours of the screening interview, or of the child-protection interview for an
    unaccompanied or separated child."""
    person_id: tuple[str, ...] = ()
    """Ids of the Person-level cohort, when the arrivals were built from one."""

    def __len__(self) -> int:
        return int(self.land.size)

    @property
    def group(self) -> np.ndarray:
        """Index into GROUPS of each person's group (the first that applies)."""
        g = np.full(self.needs.size, OTHER, dtype=np.int64)
        for bit in (CHILD_FAMILY, SPECIFIC, UASC, URGENT):  # lowest bit wins: assign it last
            g[(self.needs & bit) != 0] = bit.bit_length() - 1
        return g

    @property
    def child_route(self) -> np.ndarray:
        """True where the interview is a child-protection interview (unaccompanied or separated
        children: CRC General Comment No. 6)."""
        return (self.needs & UASC) != 0

    def priority(self, plan: Plan) -> np.ndarray:
        """Each person's rank under ``plan``: the best rank of any group that applies."""
        rank = np.full(self.needs.size, plan.rank("other"), dtype=np.int64)
        for name, bit in (
            ("urgent_medical", URGENT),
            ("unaccompanied_child", UASC),
            ("specific_needs", SPECIFIC),
            ("child_with_family", CHILD_FAMILY),
        ):
            has = (self.needs & bit) != 0
            rank[has] = np.minimum(rank[has], plan.rank(name))
        return rank

    def landings(self) -> tuple[np.ndarray, np.ndarray]:
        """(landing times, people per landing), one entry per boat."""
        starts = np.flatnonzero(np.r_[True, self.boat[1:] != self.boat[:-1]])
        sizes = np.diff(np.r_[starts, self.boat.size])
        return self.land[starts], sizes


def specific_needs_share(sc: Scenario) -> float:
    """Chance that an adult of ``sc`` has a specific need (see the note above)."""
    d, j = sc.demography, sc.journey
    return 1 - (1 - d.older) * (1 - SINGLE_PARENT_SHARE_OF_WOMEN * d.women) * (1 - j.specific_needs)


def _landing_times(
    rs: ResolvedSeason, cfg: Config, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    times, sizes = [], []
    for lo, hi, people, landings in rs.periods:
        n = round(people)
        if n <= 0:
            continue
        k = min(n, max(1, round(landings)))
        t = np.sort(lo * 24.0 + rng.random(k) * (hi - lo) * 24.0)
        w = rng.gamma(cfg.landing_size_shape, 1.0, k)
        s = 1 + rng.multinomial(n - k, w / w.sum())
        times.append(t)
        sizes.append(s)
    if not times:
        return np.zeros(0), np.zeros(0, dtype=np.int64)
    t, s = np.concatenate(times), np.concatenate(sizes)
    order = np.argsort(t, kind="stable")
    return t[order], s[order]


def _service_times(
    needs: np.ndarray, cfg: Config, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    n = needs.size
    st = cfg.service
    urgent = (needs & URGENT) != 0
    child = (needs & UASC) != 0
    med = np.where(urgent, st.urgent_care.draw(rng, n), st.medical_check.draw(rng, n))
    intv = np.where(child, st.child_interview.draw(rng, n), st.screening_interview.draw(rng, n))
    return med, intv


def draw_arrivals(rs: ResolvedSeason, cfg: Config, rng: np.random.Generator) -> Arrivals:
    """A season's arrivals drawn vectorised from the scenario's shares (any size, fast)."""
    t, sizes = _landing_times(rs, cfg, rng)
    n = int(sizes.sum())
    boat = np.repeat(np.arange(sizes.size), sizes)
    land = np.repeat(t, sizes)
    sc = rs.scenario
    d = sc.demography
    u = rng.random((4, n))
    child = u[0] < d.children
    uasc = child & (u[1] < d.unaccompanied)
    urgent = u[2] < sc.journey.urgent_medical
    specific = ~child & (u[3] < specific_needs_share(sc))
    needs = (
        urgent * URGENT | uasc * UASC | specific * SPECIFIC | (child & ~uasc) * CHILD_FAMILY
    ).astype(np.int64)
    interp = rng.random(n) < cfg.interpreter_share
    med, intv = _service_times(needs, cfg, rng)
    return Arrivals(land, boat, needs, interp, med, intv)


def needs_of(person: Person) -> int:
    """The needs mask of one person, from the screening rules (MC/INF/294 ¶17)."""
    from mixedflows.screening import screen

    found = {r.need for r in screen(person).referrals}
    m = 0
    if Need.URGENT_MEDICAL in found:
        m |= URGENT
    if Need.CHILD_PROTECTION in found:
        m |= UASC
    elif person.is_child:
        m |= CHILD_FAMILY
    if Need.SPECIFIC_NEEDS in found:
        m |= SPECIFIC
    return m


def arrivals_from_persons(
    persons: Sequence[Person],
    land: np.ndarray,
    boat: np.ndarray,
    cfg: Config,
    rng: np.random.Generator,
) -> Arrivals:
    """Arrivals for a Person-level cohort: groups from screening each person."""
    needs = np.array([needs_of(p) for p in persons], dtype=np.int64)
    interp = rng.random(needs.size) < cfg.interpreter_share
    med, intv = _service_times(needs, cfg, rng)
    return Arrivals(
        np.asarray(land, dtype=float),
        np.asarray(boat),
        needs,
        interp,
        med,
        intv,
        tuple(p.person_id for p in persons),
    )


MAX_PERSON_LEVEL = 3000


def draw_cohort_arrivals(
    rs: ResolvedSeason, cfg: Config, rng: np.random.Generator, seed: int
) -> Arrivals:
    """A small season with a synthetic Person behind every arrival (slow: for small runs)."""
    from mixedflows.scenarios import generate_cohort

    t, sizes = _landing_times(rs, cfg, rng)
    n = int(sizes.sum())
    if n > MAX_PERSON_LEVEL:
        raise ValueError(
            f"{n} people: Person-level cohorts are for small runs (at most "
            f"{MAX_PERSON_LEVEL}); use draw_arrivals"
        )
    persons = generate_cohort(rs.scenario, seed, size=n)
    boat = np.repeat(np.arange(sizes.size), sizes)
    return arrivals_from_persons(persons, np.repeat(t, sizes), boat, cfg, rng)


def quay_order(arr: Arrivals, plan: Plan) -> np.ndarray:
    """Order in which people leave each boat: by priority, then as listed (triage at the quay,
    MC/INF/294 ¶17: acute needs first). Returns indices into ``arr``."""
    prio = arr.priority(plan)
    return np.lexsort((np.arange(prio.size), prio, arr.land, arr.boat))
