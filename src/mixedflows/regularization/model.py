"""The policy-lab model: a programme and a reform in, the fixed set of outcomes out.

This is a *teaching* model. It is deterministic, closed-form and fast, so a learner sees the
consequence of moving a lever at once. Each step below states its assumption next to the line
that uses it; numbers marked "teaching assumption" come from no study and are there to make a
trade-off visible, not to forecast. ``modules/08_validation.ipynb`` compares the model with the
recorded figures of real programmes and says where it is a simplification.

The outcomes are the same for every programme (:data:`OUTCOMES`): eligible population,
applications, approvals and rejections, backlog and processing time, fee revenue,
social-security revenue and processing cost, the share still in legal status (and in social
security) after a year, an exploitation-exposure index, and the contested "pull" effect, which
is always a range drawn from the evidence (:class:`PullRange`), never one number.

Sign conventions: every count, revenue and cost is >= 0; a "change" is reform minus baseline.
Rests on MC/INF/294 ¶23 (regularization: integration, recognition of migrants' contribution,
prevention of exploitation, contested as an incentive; lessons from past programmes;
individualized approaches).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from mixedflows.regularization.levers import LeverSet, load_levers, validate_reform
from mixedflows.regularization.outcomes import (
    OUTCOME_INFO,
    OUTCOMES,
    Outcomes,
    PullRange,
    SectorOutcome,
)
from mixedflows.regularization.programme import (
    SECTOR_LEVERS,
    SECTORS,
    Programme,
    load_programme,
)

__all__ = [
    "OUTCOMES",
    "OUTCOME_INFO",
    "Outcomes",
    "PullRange",
    "SectorOutcome",
    "compare",
    "comparison_frame",
    "comparison_rows",
    "design",
    "pending_share",
    "run",
]


# --- Assumptions, each used once below ---------------------------------------------------------

TAKE_UP_MAX = 0.90
"""At most 90 % of eligible people apply even with no fee and a long window: some never hear of
the programme or distrust it (MC/INF/294 ¶14 on information). Teaching assumption."""
WINDOW_TAU_MONTHS = 1.0
"""Take-up builds up as 1 - exp(-window / 1 month): a 2-month window reaches 86 % of what a
very long one would, a 3-month one 95 % (people prepare once a programme is announced).
Teaching assumption."""
FEE_HALF_WAGES = 2.0
"""A fee equal to two months of a low wage halves take-up (take-up x 1 / (1 + fee / 2 wages)).
Teaching assumption; no study in our sources estimates it."""
INSPECTION_TAKE_UP = 1.10
"""Labour inspection alongside the programme makes employers 10 % more willing to sign
(Spain 2005 was paired with inspections; the size is a teaching assumption)."""
INELIGIBLE_APPLY = 0.06
"""6 % of people in a covered sector who do not meet the criteria apply anyway (hoping, or
badly informed), discouraged by the fee like everyone else. Teaching assumption."""
DOC_FAIL = {"blanket": 0.08, "individual": 0.04}
"""Eligible applicants refused because papers are missing: a documentary check cannot weigh
other evidence, an interview can. Teaching assumption."""
FALSE_ACCEPT = {"blanket": 0.25, "individual": 0.05}
"""Share of ineligible applicants approved anyway (forged or borrowed papers pass a documentary
check more often). Teaching assumption."""
DISCRETION = 0.10
"""Under individual assessment, 10 % of those who meet the residence criterion but miss the
contract or family criterion are admitted on a case-by-case weighing of their family
situation (MC/INF/294 ¶23). Teaching assumption on the size."""
CONTRACT_DECAY_MONTHS = 60.0
"""Each extra month of contract asked for loses employers: a requirement of C months keeps
exp(-C / 60) of the employers who would sign a short one (12 months: 82 %). Teaching
assumption."""
CASES_PER_STAFF_MONTH = {"blanket": 120.0, "individual": 40.0}
"""Decisions one full-time official makes a month: a documentary check about 6 a day, an
individual assessment with an interview about 2 a day. Teaching assumption."""
BASE_DECISION_MONTHS = {"blanket": 0.5, "individual": 1.0}
"""Time from application to decision when nobody is queueing. Teaching assumption."""
ADMIN_LAPSE = 0.02
"""2 % of permits lapse within the year for administrative reasons whatever the design;
chosen so a programme with long permits keeps REGINE's ~98 % (Italy 2002)."""
JOB_LOSS_12M = 0.25
"""A quarter of regularised workers lose the job they had within a year. Teaching assumption."""
FORMAL_REEMPLOYMENT = 0.35
"""Of those, 35 % find another formal job within the year. Teaching assumption; with the line
above it gives 1 - 0.25 x 0.65 = 84 % still in formal work, near REGINE's ~80 % of Spain 2005's
regularised workers in social security."""
FORMAL_START_NO_CONTRACT = 0.55
"""Without a contract requirement, 55 % of those regularised are in formal, declared work
during the first year. Teaching assumption."""
INSPECTION_FORMAL_BONUS = 0.05
"""Labour inspection adds 5 points to formal employment. Teaching assumption."""
EXPOSURE_WEIGHT = {"irregular": 1.0, "tied_permit": 0.3, "open_permit": 0.1}
"""Weights of the exploitation-exposure index. Irregular status weighs 1: irregular workers
earn 14-24 % less than comparable legal workers (Kossoudji & Cobb-Clark 2002) and cannot
easily seek redress (MC/INF/294 ¶21, ¶23). A permit tied to one employer keeps some dependence
(0.3); an open permit little (0.1). The weights are teaching assumptions."""
INSPECTION_EXPOSURE_CUT = 0.15
"""Labour inspection (with a firewall) cuts the exposure of those still irregular by 15 %.
Without a firewall, inspections can raise it; the model does not cover that case."""
PULL_HIGH_PER_APPROVAL = 0.10
"""Upper end of the pull range: up to 10 extra irregular arrivals over three years per 100
people regularised, before the brakes below. Teaching assumption: the one study in our
sources that finds a pull effect (Elguezabal & Martínez-Zarzoso 2024) gives no figure we have
checked."""
PULL_RESIDENCE_BRAKE_PER_YEAR = 2.0
"""A prior-residence requirement is "a strong brake" (Elguezabal & Martínez-Zarzoso): the upper
end is divided by 1 + 2 x (years required). The size is a teaching assumption."""
PULL_LEGAL_CHANNELS = 0.6
"""Legal labour channels offer an alternative to irregular entry (MC/INF/294 ¶15, ¶26): upper
end x 0.6. Teaching assumption on the size."""
PULL_HIGHER_INCOME = 0.5
"""The pull effect was found for lower-income OECD destinations; elsewhere the upper end is
halved. Teaching assumption on the size."""


# --- The model ---------------------------------------------------------------------------------


def design(
    programme: Programme, reform: Mapping[str, Any] | None = None, levers: LeverSet | None = None
) -> dict[str, Any]:
    """The full lever values: the programme's baseline updated by the (validated) reform."""
    checked = validate_reform(reform or {}, levers or load_levers())
    return {**programme.levers, **checked}


def run(
    programme: Programme | str,
    reform: Mapping[str, Any] | None = None,
    levers: LeverSet | None = None,
) -> Outcomes:
    """Run the model on a programme with a reform (``{lever: value}``, validated whole first).

    Promises, for every valid input: approvals <= applications; every count, revenue and cost
    >= 0; shares in [0, 1]; tightening an eligibility criterion never raises ``eligible``; the
    pull effect is a range with low <= high.
    """
    prog = load_programme(programme) if isinstance(programme, str) else programme
    lv = design(prog, reform, levers)
    pop = prog.population
    assessment = lv["assessment"]
    individual = assessment == "individual"
    window = float(lv["window_months"])
    tied = lv["contract_months"] > 0  # a contract requirement makes the permit employment-based

    # Pass rates of the criteria, each independent of the others (simplification).
    # Residence: time already spent in the country is taken as exponential with the
    # programme's mean, so a requirement of R years keeps exp(-R / mean).
    residence = math.exp(-lv["residence_years"] / pop.mean_residence_years)
    family = pop.family_ties if lv["family_ties_required"] else 1.0
    record = (1.0 - pop.criminal_record) if lv["no_criminal_record"] else 1.0
    nationality = lv["nationality_share"]

    fee_factor = 1.0 / (1.0 + lv["fee"] / (FEE_HALF_WAGES * pop.monthly_wage))
    window_factor = 1.0 - math.exp(-window / WINDOW_TAU_MONTHS)
    inspection = INSPECTION_TAKE_UP if lv["labour_inspection"] else 1.0
    take_up = min(1.0, TAKE_UP_MAX * window_factor * fee_factor * inspection)

    sectors = []
    for s in SECTORS:
        irregular = pop.irregular_stock * pop.sector_shares.get(s)
        covered = irregular if lv[SECTOR_LEVERS[s]] else 0.0
        in_scope = covered * nationality * record
        contract = (
            1.0
            if not tied
            else (
                pop.employer_offer.get(s) * math.exp(-lv["contract_months"] / CONTRACT_DECAY_MONTHS)
            )
        )
        strict = contract * family
        # Individual assessment: a case-by-case weighing admits some who miss the contract or
        # family criterion (E = P r (d + (1 - d) c f)), so it can only add to the eligible.
        share = (DISCRETION + (1 - DISCRETION) * strict) if individual else strict
        eligible = in_scope * residence * share
        ineligible_apps = INELIGIBLE_APPLY * fee_factor * window_factor * (covered - eligible)
        eligible_apps = take_up * eligible
        approvals = (
            eligible_apps * (1 - DOC_FAIL[assessment]) + ineligible_apps * FALSE_ACCEPT[assessment]
        )
        sectors.append(
            SectorOutcome(s, irregular, eligible, eligible_apps + ineligible_apps, approvals)
        )

    eligible = sum(x.eligible for x in sectors)
    applications = sum(x.applications for x in sectors)
    approvals = sum(x.approvals for x in sectors)

    # Processing: applications arrive evenly over the window (a simplification: real ones
    # bunch near the deadline) and are decided first come, first served.
    capacity = lv["staff"] * CASES_PER_STAFF_MONTH[assessment]
    busy_months = applications / capacity
    backlog = max(0.0, applications - capacity * window)
    months_to_clear = max(0.0, busy_months - window)
    mean_wait = BASE_DECISION_MONTHS[assessment] + months_to_clear / 2

    fee_revenue = lv["fee"] * applications
    processing_cost = lv["staff"] * pop.staff_month_cost * (window + months_to_clear)

    # Status after a year: a permit shorter than 12 months is renewed within the year, and an
    # employment-based one only for those still (or again) in formal work.
    lost_job = JOB_LOSS_12M * (1 - FORMAL_REEMPLOYMENT)
    renew_in_year = lv["permit_months"] < 12
    legal = (1 - ADMIN_LAPSE) * (1 - (lost_job if (tied and renew_in_year) else 0.0))
    bonus = INSPECTION_FORMAL_BONUS if lv["labour_inspection"] else 0.0
    if tied:
        formal_start = 1.0
        formal_among_legal = 1.0 if renew_in_year else 1.0 - lost_job
    else:
        formal_start = FORMAL_START_NO_CONTRACT
        formal_among_legal = FORMAL_START_NO_CONTRACT
    formal_start = min(1.0, formal_start + bonus)
    formal_among_legal = min(1.0, formal_among_legal + bonus)
    social_security_12m = legal * formal_among_legal
    # First-year contributions: the mean of the start and the end of the year.
    ss_revenue = approvals * (formal_start + social_security_12m) / 2 * pop.annual_contribution

    holders = approvals * legal
    still_irregular = max(0.0, pop.irregular_stock - holders)
    irregular_weight = EXPOSURE_WEIGHT["irregular"] * (
        1 - INSPECTION_EXPOSURE_CUT if lv["labour_inspection"] else 1.0
    )
    permit_weight = EXPOSURE_WEIGHT["tied_permit" if tied else "open_permit"]
    exposure = (
        100 * (still_irregular * irregular_weight + holders * permit_weight) / (pop.irregular_stock)
    )

    # The pull effect is contested, so it is only ever a range. Low end 0: the studies that
    # found no lasting effect (one, Linder, found a decline; the model does not go below 0).
    # High end: the assumed upper size, braked by prior residence and legal channels.
    high = (
        approvals
        * PULL_HIGH_PER_APPROVAL
        / (1 + PULL_RESIDENCE_BRAKE_PER_YEAR * lv["residence_years"])
        * (PULL_LEGAL_CHANNELS if lv["legal_channels"] else 1.0)
        * (1.0 if pop.lower_income_destination else PULL_HIGHER_INCOME)
    )
    pull = PullRange(low=0.0, high=high)

    return Outcomes(
        programme_id=prog.id,
        currency=prog.currency,
        levers=lv,
        irregular_stock=float(pop.irregular_stock),
        eligible=eligible,
        applications=applications,
        approvals=approvals,
        rejections=applications - approvals,
        backlog_at_close=backlog,
        months_to_clear=months_to_clear,
        mean_decision_months=mean_wait,
        fee_revenue=fee_revenue,
        social_security_revenue=ss_revenue,
        processing_cost=processing_cost,
        legal_status_12m=legal,
        social_security_12m=social_security_12m,
        exploitation_exposure=exposure,
        pull=pull,
        by_sector=tuple(sectors),
    )


def pending_share(outcomes: Outcomes, months_after_close: float) -> float:
    """Share of applications still undecided some months after the window closed."""
    lv = outcomes.levers
    if not outcomes.applications:
        return 0.0
    capacity = lv["staff"] * CASES_PER_STAFF_MONTH[lv["assessment"]]
    decided = capacity * (float(lv["window_months"]) + months_after_close)
    return max(0.0, outcomes.applications - decided) / outcomes.applications


def comparison_rows(base: Outcomes, new: Outcomes) -> list[dict[str, Any]]:
    """Baseline against reform, one dict per outcome with keys ``key, label, unit, group,
    baseline, reform, change`` (change = reform - baseline); no pandas needed."""
    rows = []
    for o in OUTCOMES:
        b, r = base.value(o.key), new.value(o.key)
        rows.append(
            {
                "key": o.key,
                "label": o.label,
                "unit": o.unit,
                "group": o.group,
                "baseline": b,
                "reform": r,
                "change": r - b,
            }
        )
    return rows


def comparison_frame(base: Outcomes, new: Outcomes) -> Any:
    """:func:`comparison_rows` as a pandas DataFrame."""
    import pandas as pd

    return pd.DataFrame(comparison_rows(base, new))


def compare(programme: Programme | str, reform: Mapping[str, Any] | None = None) -> Any:
    """Run the baseline and the reform; see :func:`comparison_frame`."""
    return comparison_frame(run(programme), run(programme, reform))
