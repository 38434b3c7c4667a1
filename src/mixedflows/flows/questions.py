"""Data-reading questions whose answers are computed from the figure files (module 2).

Each question is generated from the data: its options, its reference answer and the figures
quoted in its feedback all come from :mod:`.data`, so a new row or a new file gives new,
correctly graded questions, and nothing is typed beside a question. A question's id says what it
asks of which data (``deadliest_route:2019``, ``peak_month:canary_islands_2023``); the grader
regenerates the question from its id.

Kinds:

- ``deadliest_route:<year>``: the route with the most recorded dead and missing per 1,000
  arrivals that year (routes with a whole year of both figures);
- ``rate:<route>:<year>``: that rate, as a number;
- ``busiest_year:<route>``: the year with the most recorded arrivals (whole years only; not
  asked when a part year's figure already reaches the busiest whole year's);
- ``peak_month:<series>``: the month with the most arrivals (when the figures decide it);
- ``peak_months:<series>``: the months above the average month (all twelve months known);
- ``weakest_season:<place>``: the year in which the smallest share of arrivals came in the
  window of months the file records (May to October), a window chosen by the course: ¶10 names
  no season, and the prompt says so.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from mixedflows.citations import para
from mixedflows.flows import data
from mixedflows.flows.data import MMP_FILE, MONTHLY_FILE, MONTHS, SHARES_FILE
from mixedflows.results import TICK_RULE, AnswerError, Feedback, tick_credit

SEASON = para(10)
LIFECYCLE = para(10, 11)

RATE_TOLERANCE = 0.5
"""A rate read within half a death per 1,000 arrivals counts as right (rounding)."""

RATE_CAVEAT = (
    "Recorded dead and missing per 1,000 arrivals is not the chance of dying: people who died "
    "never arrived, many deaths are never recorded, and people intercepted and returned are in "
    "neither count."
)


@dataclass(frozen=True)
class Question:
    """One data-reading question and its reference, both computed from the data."""

    id: str
    kind: str
    prompt: str
    options: tuple[tuple[str, str], ...] = ()
    """(id, label) pairs; empty for a numeric question."""
    multiple: bool = False
    unit: str = ""
    tolerance: float = 0.0
    reference: Any = None
    """An option id, a tuple of option ids (multiple), or a number."""
    evidence: tuple[str, ...] = ()
    """The figures behind the reference, one line each, generated from the data."""
    caveat: str = ""
    sources: tuple[str, ...] = ()
    files: tuple[str, ...] = ()
    seed: str = SEASON
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def numeric(self) -> bool:
        return not self.options

    def label(self, option: str) -> str:
        return dict(self.options).get(option, option)

    def citation(self) -> str:
        """The sources as a learner reads them (never the course's files: ``files`` is for
        facilitators and tests)."""
        srcs = " | ".join(self.sources)
        return f"Sources: {srcs}; {self.seed}"

    def reference_text(self) -> str:
        if self.numeric:
            return f"{self.reference:.1f} {self.unit}".strip()
        if self.multiple:
            return ", ".join(self.label(x) for x in self.reference)
        return self.label(self.reference)


# --- Generators, one per kind ---------------------------------------------------------------------


def _deadliest(year: int | None = None) -> list[Question]:
    by_year: dict[int, list[data.Rate]] = {}
    for r in data.rates():
        by_year.setdefault(r.year, []).append(r)
    out = []
    for y, rs in sorted(by_year.items()):
        if len(rs) < 2 or (year is not None and y != year):
            continue
        ranked = sorted(rs, key=lambda r: -r.per_1000)
        if ranked[0].per_1000 == ranked[1].per_1000:
            continue  # a tie: the data do not decide
        out.append(
            Question(
                id=f"deadliest_route:{y}",
                kind="deadliest_route",
                prompt=f"In {y}, on which route were the most dead and missing recorded per "
                "1,000 arrivals?",
                options=tuple((r.route, r.label) for r in rs),
                reference=ranked[0].route,
                evidence=tuple(
                    r.text()
                    + (" (a near-complete year)" if _near_complete(r.arrivals_period) else "")
                    + "."
                    for r in ranked
                ),
                caveat=" ".join([RATE_CAVEAT, *(_route_caveat(r.route) for r in rs)]),
                sources=tuple(
                    dict.fromkeys(
                        [*(r.deaths_source for r in rs), *(r.arrivals_source for r in rs)]
                    )
                ),
                files=tuple(dict.fromkeys([MMP_FILE, *(_arrivals_file(r.route) for r in rs)])),
                seed=LIFECYCLE,
            )
        )
    return out


def _near_complete(period: str) -> bool:
    """A figure counted as a whole year that does not say "full year" (to 28 December or
    later: :func:`mixedflows.flows.data.covers_year`)."""
    return not period.strip().lower().startswith("full year")


def _period_note(period: str) -> str:
    return f"{period}; a near-complete year, counted as whole" if _near_complete(period) else period


def _route_caveat(route_id: str) -> str:
    """What a route's arrivals stand for (e.g. Italy's sea arrivals only, for the Central
    Mediterranean), from the routes file."""
    return " ".join(data.route(route_id).caveat.split())


def _arrivals_file(route_id: str) -> str:
    r = data.route(route_id)
    return r.arrivals.file if r.arrivals else ""


def _rate_questions() -> list[Question]:
    out = []
    for r in data.rates():
        out.append(
            Question(
                id=f"rate:{r.route}:{r.year}",
                kind="rate",
                prompt=f"{r.label}, {r.year}: {r.dead_and_missing:,.0f} dead and missing were "
                f"recorded, and {r.arrivals:,.0f} people arrived "
                f"({_period_note(r.arrivals_period)}). {_route_caveat(r.route)} How many "
                "dead and missing is that per 1,000 arrivals? (one decimal)",
                unit="per 1,000 arrivals",
                tolerance=RATE_TOLERANCE,
                reference=round(r.per_1000, 1),
                evidence=(
                    f"{r.dead_and_missing:,.0f} / {r.arrivals:,.0f} x 1,000 = {r.per_1000:.1f}.",
                ),
                caveat=f"{RATE_CAVEAT} {_route_caveat(r.route)}",
                sources=tuple(dict.fromkeys([r.deaths_source, r.arrivals_source])),
                files=(MMP_FILE, _arrivals_file(r.route)),
                seed=LIFECYCLE,
            )
        )
    return out


def _busiest_year() -> list[Question]:
    out = []
    for r in data.load_routes():
        # One whole-year figure per year: the first in the file.
        by_year: dict[int, data.Arrivals] = {}
        for a in data.annual_arrivals(r):
            if a.whole_year:
                by_year.setdefault(a.year, a)
        if len(by_year) < 2:
            continue
        ranked = sorted(by_year.values(), key=lambda a: -a.arrivals)
        if ranked[0].arrivals == ranked[1].arrivals:
            continue
        if any(
            not a.whole_year and a.arrivals >= ranked[0].arrivals for a in data.annual_arrivals(r)
        ):
            # A part year already at or above the busiest whole year (the Canary Islands, 2024:
            # 40,196 to 18 November against 39,910 in 2023): the data do not say which year
            # was the busiest, so the question is not asked.
            continue
        years = sorted(by_year)
        out.append(
            Question(
                id=f"busiest_year:{r.id}",
                kind="busiest_year",
                prompt=f"{r.label}: in which year were the most arrivals recorded? (years with "
                "a figure for the whole year, or for a near-complete one, to 28 December or "
                "later)",
                options=tuple((str(y), str(y)) for y in years),
                reference=str(ranked[0].year),
                evidence=tuple(
                    f"{row.year}: {row.arrivals:,.0f} arrivals ({_period_note(row.period)})."
                    for row in ranked
                ),
                caveat=r.caveat.strip(),
                sources=tuple(dict.fromkeys(row.source for row in ranked)),
                files=(r.arrivals.file,) if r.arrivals else (),
                seed=LIFECYCLE,
            )
        )
    return out


def _month_options() -> tuple[tuple[str, str], ...]:
    return tuple((str(m), name) for m, name in enumerate(MONTHS, 1))


def _series_title(s: data.MonthlySeries) -> str:
    return f"{s.place} ({s.route}), {s.period}"


def _series_lines(s: data.MonthlySeries) -> tuple[str, ...]:
    return tuple(
        f"{p.label()}: {p.arrivals:,.0f}"
        + (f" ({p.arrivals / p.months:,.0f} a month on average)" if p.months > 1 else "")
        + "."
        for p in s.periods
    )


def _peak_month() -> list[Question]:
    out = []
    for s in data.monthly_series().values():
        peak = s.peak_month()
        if peak is None:
            continue
        several = [p for p in s.periods if p.months > 1]
        why = (
            " Some months are known only as a run of months: even if one month of a run had "
            "held all of its arrivals, it would stay below the peak."
            if several
            else ""
        )
        out.append(
            Question(
                id=f"peak_month:{s.id}",
                kind="peak_month",
                prompt=f"{_series_title(s)}: in which month did the most people arrive?",
                options=_month_options(),
                reference=str(peak),
                evidence=_series_lines(s),
                caveat=f"{s.caveat()}{why}",
                sources=(s.source,),
                files=(MONTHLY_FILE,),
            )
        )
    return out


def _peak_months() -> list[Question]:
    out = []
    for s in data.monthly_series().values():
        above = s.months_above_average()
        if not above:
            continue
        mean = sum(s.single_months.values()) / 12
        out.append(
            Question(
                id=f"peak_months:{s.id}",
                kind="peak_months",
                prompt=f"{_series_title(s)}: in which months did more people arrive than in an "
                f"average month? (tick all; {TICK_RULE})",
                options=_month_options(),
                multiple=True,
                reference=tuple(str(m) for m in above),
                evidence=(f"The average month: {mean:,.0f}.", *_series_lines(s)),
                caveat=f"Figures: {s.measure}. {s.caveat()}",
                sources=(s.source,),
                files=(MONTHLY_FILE,),
            )
        )
    return out


def _weakest_season() -> list[Question]:
    groups: dict[tuple[str, str], list[data.SeasonShare]] = {}
    for row in data.season_shares():
        groups.setdefault((row.place, row.months), []).append(row)
    out = []
    for (place, months), g in sorted(groups.items()):
        if len(g) < 2:
            continue
        ranked = sorted(g, key=lambda x: x.share_pct)
        if ranked[0].share_pct == ranked[1].share_pct:
            continue
        tags = sorted({x.verification for x in g})
        total = "{:,.0f}".format
        out.append(
            Question(
                id=f"weakest_season:{place}",
                kind="weakest_season",
                prompt=f"{place}: in which year did the smallest share of the year's arrivals come "
                f"in {months}? (A window chosen by the course: MC/INF/294 ¶10 says there is "
                "often a seasonal pattern but names no months.)",
                options=tuple((str(y), str(y)) for y in sorted(x.year for x in g)),
                reference=str(ranked[0].year),
                evidence=tuple(
                    f"{row.year}: {row.share_pct:.1f}% of "
                    + (f"{total(row.year_total)} arrivals" if row.year_total else "the arrivals")
                    + (f" ({row.note})" if row.note else "")
                    + "."
                    for row in sorted(g, key=lambda x: x.year)
                ),
                caveat="Six months of twelve would be 50% if arrivals were even over the year. "
                "Sources: " + "; ".join(data.VERIFICATION.get(t, t) for t in tags) + ".",
                sources=tuple(dict.fromkeys(x.source for x in g)),
                files=(SHARES_FILE,),
            )
        )
    return out


GENERATORS: dict[str, Callable[[], list[Question]]] = {
    "deadliest_route": _deadliest,
    "rate": _rate_questions,
    "busiest_year": _busiest_year,
    "peak_month": _peak_month,
    "peak_months": _peak_months,
    "weakest_season": _weakest_season,
}


def all_questions(kinds: Iterable[str] | None = None) -> list[Question]:
    """Every question the data allow, of the given kinds (all kinds by default)."""
    chosen = list(GENERATORS) if kinds is None else list(kinds)
    unknown = [k for k in chosen if k not in GENERATORS]
    if unknown:
        raise KeyError(f"unknown question kind(s) {unknown}; kinds: {', '.join(GENERATORS)}")
    return [q for k in chosen for q in GENERATORS[k]()]


def question(qid: str) -> Question:
    """The question with this id, generated afresh from the data."""
    kind = qid.split(":", 1)[0]
    if kind not in GENERATORS:
        raise KeyError(f"'{qid}' is not a data-reading question")
    for q in GENERATORS[kind]():
        if q.id == qid:
            return q
    raise KeyError(f"the data give no question '{qid}'")


def question_set(kinds: Iterable[str], count: int, seed: int) -> list[Question]:
    """``count`` questions drawn with ``seed``: one of each kind in turn, so a set mixes kinds."""
    kinds = list(kinds)
    rng = random.Random(seed)
    pools = []
    for k in kinds:
        qs = GENERATORS[k]() if k in GENERATORS else all_questions([k])
        rng.shuffle(qs)
        pools.append(qs)
    out: list[Question] = []
    while len(out) < count and any(pools):
        for pool in pools:
            if pool and len(out) < count:
                out.append(pool.pop(0))
    return out


# --- Grading one question ---------------------------------------------------------------------------


NUMBER_BOUNDS = (0.0, 1_000_000.0)
"""A count or a rate read from the figures is never negative and never near a million per
1,000: outside these bounds an answer is a slip, refused with a message (not graded)."""

_SPACES = (" ", "\u00a0", "\u202f", "\u2009", "'")
"""Thousands separators that cannot be a decimal mark (spaces, the Swiss apostrophe)."""


def _grouped(parts: list[str]) -> bool:
    """Digits grouped by thousands: 1 to 3 digits, then groups of exactly three."""
    return 1 <= len(parts[0]) <= 3 and all(len(x) == 3 for x in parts[1:])


def parse_number(text: str, what: str) -> float:
    """A number as a learner may type it: '18.2' and '18,2' (decimal comma) are 18.2;
    '1,234.5', '1.234,5', '1 234' use the other mark or a space for thousands. One comma
    followed by exactly three digits and nothing else ('1,234') reads either way: refused as
    ambiguous, with what to type instead. Raises :class:`AnswerError` naming ``what``."""
    s = text.strip()
    for sp in _SPACES:
        s = s.replace(sp, "")
    sign = ""
    if s[:1] in "+-":
        sign, s = s[0], s[1:]
    if not s or not all(c.isdigit() or c in ".," for c in s) or not any(c.isdigit() for c in s):
        raise AnswerError(f"{what}: give a number, got {text!r}")
    commas, points = s.count(","), s.count(".")
    if commas and points:
        dec = "," if s.rfind(",") > s.rfind(".") else "."
        thou = "." if dec == "," else ","
        whole, _, frac = s.rpartition(dec)
        if s.count(dec) > 1 or not _grouped(whole.split(thou)):
            raise AnswerError(f"{what}: {text!r} mixes ',' and '.' in a way no number is written")
        s = whole.replace(thou, "") + "." + frac
    elif commas or points > 1:
        mark = "," if commas else "."
        parts = s.split(mark)
        if len(parts) == 2 and len(parts[1]) != 3:
            s = parts[0] + "." + parts[1]  # one mark, not three digits after it: a decimal mark
        elif len(parts) == 2 and mark == ",":
            raise AnswerError(
                f"{what}: {text!r} is ambiguous: a comma before three digits may separate "
                f"thousands ({parts[0]}{parts[1]}) or decimals ({parts[0]}.{parts[1]}). Write "
                f"{parts[0]}.{parts[1]} or {parts[0]}{parts[1]}."
            )
        elif _grouped(parts):
            s = "".join(parts)
        else:
            raise AnswerError(f"{what}: give a number, got {text!r}")
    try:
        return float(sign + s)
    except ValueError:
        raise AnswerError(f"{what}: give a number, got {text!r}") from None


NUMBER_FORM = "digits with a decimal point or comma, for example 12.3 or 12,3; no % sign or unit"
"""How a numeric answer may be written, said to the learner when one cannot be read."""


def _coerce_number(q: Question, value: Any, where: str) -> float:
    form = f"give a number {q.unit} ({NUMBER_FORM})".replace("  ", " ")
    if isinstance(value, bool) or value is None:
        raise AnswerError(f"{where}: {form}")
    if isinstance(value, int | float):
        v = float(value)
    elif isinstance(value, str):
        if "%" in value:
            raise AnswerError(f"{where}: {value.strip()!r} is a percentage; {form}")
        try:
            v = parse_number(value, where)
        except AnswerError as e:
            raise AnswerError(
                str(e).replace(f"{where}: give a number, got", f"{where}: {form}; you gave", 1)
            ) from None
    else:
        raise AnswerError(f"{where}: {form}, got {type(value).__name__}")
    if not math.isfinite(v):
        raise AnswerError(f"{where}: {form}; {value!r} is not a finite number")
    lo, hi = NUMBER_BOUNDS
    if not lo <= v <= hi:
        raise AnswerError(
            f"{where}: {v:g} {q.unit} cannot be a reading of these figures (an answer lies "
            f"between {lo:g} and {hi:,.0f}); check the number and try again"
        )
    return v


def coerce_answer(q: Question, value: Any, where: str = "") -> Any:
    """The answer to one question as the grader reads it; :class:`AnswerError` if it cannot be,
    its message starting with ``where`` (the question as the learner knows it: "question 6";
    the question's id if not given)."""
    where = where or q.id
    if q.numeric:
        return _coerce_number(q, value, where)
    ids = {o for o, _ in q.options}
    if q.multiple:
        if isinstance(value, str) or not isinstance(value, list | tuple | set | frozenset):
            raise AnswerError(f"{where}: give a list of options, got {type(value).__name__}")
        vals = {str(v) for v in value}
    else:
        if not isinstance(value, str | int):
            raise AnswerError(f"{where}: choose one option, got {type(value).__name__}")
        vals = {str(value)}
    bad = sorted(vals - ids)
    if bad:
        raise AnswerError(f"{where}: not an option: {', '.join(bad)}")
    return vals if q.multiple else vals.pop()


def grade_question(q: Question, value: Any, where: str = "") -> Feedback:
    """Credit and feedback for one answer (None: not answered). The message quotes the figures
    the reference was computed from, and the citation names the files and their sources."""
    evidence = " ".join(q.evidence)
    tail = f" {evidence}" + (f" {q.caveat}" if q.caveat else "")
    if value is None or value == "" or value == []:
        return Feedback(
            q.id, 0.0, f"Not answered. The answer is {q.reference_text()}.{tail}", q.citation()
        )
    v = coerce_answer(q, value, where)
    if q.numeric:
        ok = abs(v - q.reference) <= q.tolerance
        credit = 1.0 if ok else 0.0
        msg = (
            f"Right: {q.reference_text()}."
            if ok
            else f"You gave {v:g}; the answer is {q.reference_text()} (within {q.tolerance:g})."
        )
    elif q.multiple:
        ref = set(q.reference)
        credit = tick_credit(ref, v, [o for o, _ in q.options])
        missed = [q.label(x) for x, _ in q.options if x in ref - v]
        extra = [q.label(x) for x, _ in q.options if x in v - ref]
        if credit >= 0.999:
            msg = f"Right: {q.reference_text()}."
        else:
            parts = [f"The answer is {q.reference_text()}."]
            if missed:
                parts.append(f"Missed: {', '.join(missed)}.")
            if extra:
                parts.append(f"Below the average month: {', '.join(extra)}.")
            msg = " ".join(parts)
    else:
        credit = 1.0 if v == q.reference else 0.0
        msg = (
            f"Right: {q.reference_text()}."
            if credit
            else f"You chose {q.label(v)}; the answer is {q.reference_text()}."
        )
    return Feedback(q.id, round(credit, 4), msg + tail, q.citation())


def answers_of(answer: Any) -> tuple[int, dict[str, Any]]:
    """Split a recorded answer ``{"seed": n, "answers": {question id: value}}``."""
    if not isinstance(answer, Mapping):
        raise AnswerError(
            f"the answer must be {{'seed': n, 'answers': {{question: value}}}}, got "
            f"{type(answer).__name__}"
        )
    unknown = set(answer) - {"seed", "answers"}
    if unknown:
        raise AnswerError(f"unknown key(s) {', '.join(sorted(map(str, unknown)))}")
    seed = answer.get("seed")
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise AnswerError("'seed' must be the whole number of the question set")
    given = answer.get("answers", {})
    if not isinstance(given, Mapping):
        raise AnswerError(f"'answers' must map question ids to answers, got {type(given).__name__}")
    return seed, dict(given)
