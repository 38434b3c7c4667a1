"""The results of the policy-lab model: the fixed, documented set of outcomes.

:class:`Outcomes` holds one design's results; :data:`OUTCOMES` says, for each outcome, its
label, unit, meaning and the text it rests on. The set is the same for every programme. The
contested "pull" effect is a :class:`PullRange`: a range drawn from the evidence, never one
number. Sign convention: every count, revenue and cost is >= 0.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from mixedflows.citations import Citation, para

REGINE = "ICMPD, REGINE final report (2009)"
SEED = para(23)

PULL_EVIDENCE_LOW = (
    "Orrenius & Zavodny (2003): IRCA did not change long-term undocumented flows from Mexico",
    "Monras, Vázquez-Grenno & Elias (2019): no magnet effect of Spain 2005",
    "Linder: apprehensions declined after the IRCA amnesty",
)
PULL_EVIDENCE_HIGH = (
    "Elguezabal & Martínez-Zarzoso (2024): regularisations are a pull factor for lower-income "
    "OECD destinations; a prior-residence requirement acts as a strong brake",
    "REGINE (2009): Germany, Austria, France and Belgium believe regularisation is a pull factor "
    "(a belief recorded, not evidence)",
)


@dataclass(frozen=True)
class PullRange:
    """The contested "pull" effect: a range of extra irregular arrivals, never one number."""

    low: float
    """Lower end (persons over three years): the studies that found no effect, or a decline."""
    high: float
    """Upper end (persons over three years): the study that found an effect, with its brakes."""
    evidence_low: tuple[str, ...] = PULL_EVIDENCE_LOW
    evidence_high: tuple[str, ...] = PULL_EVIDENCE_HIGH

    def text(self) -> str:
        return f"between {self.low:,.0f} and {self.high:,.0f} (contested)"


@dataclass(frozen=True)
class SectorOutcome:
    """Outcomes within one sector of work."""

    sector: str
    irregular: float
    """People in irregular status working in this sector."""
    eligible: float
    applications: float
    approvals: float

    @property
    def coverage(self) -> float:
        """Share of the sector's irregular workers who obtain a permit."""
        return self.approvals / self.irregular if self.irregular else 0.0


@dataclass(frozen=True)
class Outcomes:
    """The fixed set of outcomes of one programme design. Counts are persons."""

    programme_id: str
    currency: str
    levers: Mapping[str, Any]
    """The full design that was run (baseline levers updated by the reform)."""
    irregular_stock: float
    """People in irregular status when the programme opens (a programme input)."""
    eligible: float
    """People who meet the criteria (including case-by-case admissions)."""
    applications: float
    approvals: float
    rejections: float
    backlog_at_close: float
    """Applications still undecided when the window closes."""
    months_to_clear: float
    """Months after the window closes until the last application is decided."""
    mean_decision_months: float
    """Mean time from application to decision."""
    fee_revenue: float
    social_security_revenue: float
    """Social-security contributions of regularised workers in the first year."""
    processing_cost: float
    """Staff cost from the window's opening until the backlog is cleared."""
    legal_status_12m: float
    """Share of those approved still holding a valid permit after a year."""
    social_security_12m: float
    """Share of those approved in declared work, paying social security, after a year."""
    exploitation_exposure: float
    """Index per 100 people of the initial irregular population (see EXPOSURE_WEIGHT)."""
    pull: PullRange
    by_sector: tuple[SectorOutcome, ...] = field(default_factory=tuple)

    @property
    def approval_rate(self) -> float:
        return self.approvals / self.applications if self.applications else 0.0

    @property
    def fees_cover_costs(self) -> bool:
        return self.fee_revenue >= self.processing_cost

    def sector(self, name: str) -> SectorOutcome:
        return next(s for s in self.by_sector if s.sector == name)

    def value(self, key: str) -> float:
        """One outcome by key (``pull_low``/``pull_high`` for the range)."""
        if key == "pull_low":
            return self.pull.low
        if key == "pull_high":
            return self.pull.high
        if key == "approval_rate":
            return self.approval_rate
        if key.startswith("coverage_"):
            return self.sector(key.removeprefix("coverage_")).coverage
        return float(getattr(self, key))

    def as_dict(self) -> dict[str, float]:
        return {o.key: self.value(o.key) for o in OUTCOMES}

    def _repr_html_(self) -> str:
        from mixedflows.templating import macro

        rows = [
            (o.label, o.format(self.value(o.key), self.currency))
            for o in OUTCOMES
            if o.key != "pull_high"
        ]
        return macro("notebook.html.j2", "outcomes", self.programme_id, rows, self.pull.text())


@dataclass(frozen=True)
class OutcomeInfo:
    """What one outcome means, its unit and the text it rests on."""

    key: str
    label: str
    unit: str
    """persons, share, months, currency, index"""
    group: str
    """people, time, money, status, risk: how the app and charts group outcomes."""
    description: str
    citation: Citation

    def format(self, value: float, currency: str = "") -> str:
        if self.unit == "share":
            return f"{value:.0%}"
        if self.unit == "months":
            return f"{value:.1f} months"
        if self.unit == "currency":
            return (
                f"{currency} {value / 1e6:,.1f} million"
                if value >= 1e6
                else (f"{currency} {value:,.0f}")
            )
        if self.unit == "index":
            return f"{value:.1f} per 100"
        return f"{value:,.0f}"


def _c(framework: str, caveat: str = "") -> Citation:
    return Citation(framework=framework, seed=SEED, caveat=caveat)


_ASSUMED = "teaching model; see its assumptions"
OUTCOMES: tuple[OutcomeInfo, ...] = (
    OutcomeInfo(
        "eligible",
        "Eligible population",
        "persons",
        "people",
        "People who meet the programme's criteria.",
        _c(f"{REGINE}, Table 3", _ASSUMED),
    ),
    OutcomeInfo(
        "applications",
        "Applications",
        "persons",
        "people",
        "Applications filed in the window.",
        _c("Programme records", _ASSUMED),
    ),
    OutcomeInfo(
        "approvals",
        "Approvals",
        "persons",
        "people",
        "Permits granted.",
        _c("Programme records", _ASSUMED),
    ),
    OutcomeInfo(
        "rejections",
        "Rejections",
        "persons",
        "people",
        "Applications refused.",
        _c("Programme records", _ASSUMED),
    ),
    OutcomeInfo(
        "backlog_at_close",
        "Backlog when the window closes",
        "persons",
        "time",
        "Applications not yet decided at the window's close.",
        _c("Italy 2020: 24.5 % pending at 10 Nov 2022 (Ministry of Interior data)", _ASSUMED),
    ),
    OutcomeInfo(
        "months_to_clear",
        "Months to clear the backlog",
        "months",
        "time",
        "Months after the window closes until every application is decided.",
        _c("Italy 2020 backlog (Ministry of Interior data)", _ASSUMED),
    ),
    OutcomeInfo(
        "mean_decision_months",
        "Mean processing time",
        "months",
        "time",
        "Mean time from application to decision.",
        _c("Teaching model", _ASSUMED),
    ),
    OutcomeInfo(
        "fee_revenue",
        "Fee revenue",
        "currency",
        "money",
        "Fees paid by applicants or employers.",
        _c("Italy 2020: EUR 500 employer contribution (InfoMigrants)", _ASSUMED),
    ),
    OutcomeInfo(
        "social_security_revenue",
        "Social-security revenue, first year",
        "currency",
        "money",
        "Contributions of regularised workers in declared work.",
        _c(
            "Monras, Vázquez-Grenno & Elias (2019): payroll-tax revenue up by at least "
            "EUR 4,000 per legalised immigrant, Spain 2005",
            _ASSUMED,
        ),
    ),
    OutcomeInfo(
        "processing_cost",
        "Processing cost",
        "currency",
        "money",
        "Staff cost until the backlog is cleared.",
        _c("Teaching model", _ASSUMED),
    ),
    OutcomeInfo(
        "legal_status_12m",
        "Still in legal status after a year",
        "share",
        "status",
        "Share of those approved still holding a valid permit after 12 months.",
        _c(
            f"Unverified: about 98 % for Italy 2002, a figure attributed to {REGINE} that "
            "could not be checked against the report",
            "the page of the REGINE report giving this figure was not checked",
        ),
    ),
    OutcomeInfo(
        "social_security_12m",
        "In social security after a year",
        "share",
        "status",
        "Share of those approved in declared work after 12 months.",
        _c(
            f"Unverified: about 80 % in social security for Spain 2005, a figure attributed to "
            f"{REGINE} that could not be checked against the report",
            "the page of the REGINE report giving this figure was not checked",
        ),
    ),
    OutcomeInfo(
        "exploitation_exposure",
        "Exploitation exposure",
        "index",
        "risk",
        "Index per 100 people of the irregular population: irregular status weighs "
        "1, a permit tied to one employer 0.3, an open permit 0.1.",
        _c(
            "Kossoudji & Cobb-Clark (2002): 14-24 % wage penalty of irregular status; "
            "MC/INF/294 on preventing exploitation",
            "weights are teaching assumptions",
        ),
    ),
    OutcomeInfo(
        "pull_low",
        "Pull effect, low end",
        "persons",
        "risk",
        "Extra irregular arrivals over three years, lower end of the evidence.",
        _c(
            "Orrenius & Zavodny (2003); Monras et al. (2019); Linder",
            "contested; shown only as a range",
        ),
    ),
    OutcomeInfo(
        "pull_high",
        "Pull effect, high end",
        "persons",
        "risk",
        "Extra irregular arrivals over three years, upper end of the evidence.",
        _c(
            "Elguezabal & Martínez-Zarzoso (2024)",
            "contested; the size of the upper end is a teaching assumption",
        ),
    ),
)
OUTCOME_INFO = {o.key: o for o in OUTCOMES}
