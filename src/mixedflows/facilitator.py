"""The facilitator's view of a session: who answered, how well, and the room's misconceptions.

Everything here is a pure function of the attempts a session recorded (``Store.attempts``):
attempts in, DataFrames and text out, nothing shown. The dashboard
(:mod:`mixedflows.widgets.dashboard`) only renders what these functions return.

Conventions, the same in every table:

- a *participant* is the pseudonym an attempt was recorded under;
- a participant's *latest* attempt at an exercise says where they stand now (the room's current
  misconceptions are read from it); their *best* attempt is what a grade book records;
- an answer recorded with ``score=None`` (a reflection) is listed, never scored or averaged;
- scores are shares in [0, 1]; columns ending in ``_pct`` are whole percentages.

Participant text (pseudonyms, free-text answers) is returned as typed: whoever shows it must
escape it (the dashboard does, with ``widgets.common.esc``). The CSV export guards against
spreadsheet formula injection (see :func:`lms_csv`).
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

import pandas as pd

from mixedflows.store import Attempt

FULL_MARKS = 0.999
"""A score at or above this counts as fully right (as ``grading.Feedback.correct`` does)."""
BINS = tuple(range(0, 100, 10))
"""Lower edges (percent) of the score-distribution bins; the last bin holds 90-100 %."""
WHOLE_ANSWER = "(whole answer)"
"""The ``question`` of a wrong answer that is the recorded answer itself (a choice, a number)."""
MAX_ANSWER_TEXT = 300
"""Longest recorded answer quoted as a wrong answer; a longer one is not a repeatable choice."""

ExerciseLoader = Callable[[str], Any]


# --- tidy tables -------------------------------------------------------------------------------


def attempts_frame(attempts: Iterable[Attempt]) -> pd.DataFrame:
    """One row per attempt: id, participant, session, exercise_id, score (NaN when ungraded),
    graded, created_at (UTC timestamp), in the order they were made."""
    rows = [
        {
            "id": a.id,
            "participant": a.learner,
            "session": a.session,
            "exercise_id": a.exercise_id,
            "score": float("nan") if a.score is None else float(a.score),
            "graded": a.score is not None,
            "created_at": a.created_at,
        }
        for a in attempts
    ]
    df = pd.DataFrame(
        rows,
        columns=[
            "id",
            "participant",
            "session",
            "exercise_id",
            "score",
            "graded",
            "created_at",
        ],
    )
    df["created_at"] = pd.to_datetime(df["created_at"], utc=True, errors="coerce", format="ISO8601")
    df["score"] = df["score"].astype(float)
    df["graded"] = df["graded"].astype(bool)
    return df.sort_values("id", kind="stable").reset_index(drop=True)


def participant_exercise(attempts: Iterable[Attempt]) -> pd.DataFrame:
    """One row per participant and exercise: attempts, graded (any scored attempt), best and
    latest score (NaN when never scored), first and last attempt time.

    Sorted by participant, then exercise. The base of the progress table and the CSV export.
    """
    df = attempts_frame(attempts)
    cols = [
        "participant",
        "exercise_id",
        "attempts",
        "graded",
        "best_score",
        "latest_score",
        "first_attempt_at",
        "last_attempt_at",
    ]
    if df.empty:
        return pd.DataFrame(columns=cols)
    g = df.groupby(["participant", "exercise_id"], sort=True)
    scored = df[df["graded"]].groupby(["participant", "exercise_id"])
    out = pd.DataFrame(
        {
            "attempts": g.size(),
            "graded": g["graded"].any(),
            "best_score": scored["score"].max(),
            "latest_score": scored["score"].last(),
            "first_attempt_at": g["created_at"].min(),
            "last_attempt_at": g["created_at"].max(),
        }
    ).reset_index()
    return out[cols].sort_values(["participant", "exercise_id"]).reset_index(drop=True)


def exercise_overview(attempts: Iterable[Attempt]) -> pd.DataFrame:
    """One row per exercise: participants who answered, attempts, whether it is graded, the mean
    of participants' latest and best scores, and how many reached full marks.

    Reflections (never scored) have NaN means and ``full_marks`` 0.
    """
    pe = participant_exercise(attempts)
    cols = [
        "exercise_id",
        "participants",
        "attempts",
        "graded",
        "mean_latest",
        "mean_best",
        "full_marks",
    ]
    if pe.empty:
        return pd.DataFrame(columns=cols)
    g = pe.groupby("exercise_id", sort=True)
    out = pd.DataFrame(
        {
            "participants": g.size(),
            "attempts": g["attempts"].sum(),
            "graded": g["graded"].any(),
            "mean_latest": g["latest_score"].mean(),
            "mean_best": g["best_score"].mean(),
            "full_marks": g["best_score"].apply(lambda s: int((s >= FULL_MARKS).sum())),
        }
    ).reset_index()
    return out[cols]


def bin_label(lo: int) -> str:
    """The label of the score bin starting at ``lo`` percent ("40–49%", "90–100%")."""
    return "90–100%" if lo == BINS[-1] else f"{lo}–{lo + 9}%"


def score_distribution(attempts: Iterable[Attempt]) -> pd.DataFrame:
    """How participants' scores spread, per graded exercise: long format with columns
    exercise_id, measure ("latest" or "best"), bin (lower edge in percent), bin_label,
    participants. Every bin is present (zero when empty), so charts keep a full axis."""
    pe = participant_exercise(attempts)
    pe = pe[pe["graded"]] if not pe.empty else pe
    rows = []
    for ex_id, grp in pe.groupby("exercise_id", sort=True) if not pe.empty else []:
        for measure, col in (("latest", "latest_score"), ("best", "best_score")):
            pct = (grp[col].dropna() * 100).clip(0, 100)
            lows = (pct // 10 * 10).clip(upper=BINS[-1]).astype(int)
            counts = Counter(lows.tolist())
            rows += [
                {
                    "exercise_id": ex_id,
                    "measure": measure,
                    "bin": lo,
                    "bin_label": bin_label(lo),
                    "participants": counts.get(lo, 0),
                }
                for lo in BINS
            ]
    return pd.DataFrame(
        rows, columns=["exercise_id", "measure", "bin", "bin_label", "participants"]
    )


def participant_progress(attempts: Iterable[Attempt]) -> pd.DataFrame:
    """One row per participant: exercises answered, attempts, mean best score over graded
    exercises, last activity, and one column per exercise (its id) holding the best score in
    percent, "answered" for a reflection, or "" when not yet answered."""
    pe = participant_exercise(attempts)
    base = ["participant", "exercises", "attempts", "mean_best_pct", "last_attempt_at"]
    if pe.empty:
        return pd.DataFrame(columns=base)
    g = pe.groupby("participant", sort=True)
    out = pd.DataFrame(
        {
            "exercises": g.size(),
            "attempts": g["attempts"].sum(),
            "mean_best_pct": (g["best_score"].mean() * 100).round(0),
            "last_attempt_at": g["last_attempt_at"].max(),
        }
    )
    cells = pe.assign(
        cell=[
            f"{round(b * 100):.0f}" if graded and pd.notna(b) else "answered"
            for b, graded in zip(pe["best_score"], pe["graded"], strict=True)
        ]
    ).pivot(index="participant", columns="exercise_id", values="cell")
    out = out.join(cells.fillna("")).reset_index()
    out.columns.name = None
    return out


# --- the room's misconceptions -----------------------------------------------------------------

WRONG_COLUMNS = [
    "exercise_id",
    "question",
    "wrong_answer",
    "participants",
    "answered",
    "share",
    "why",
]


def _latest_per_participant(
    attempts: Iterable[Attempt], key: Callable[[Attempt], Any] = lambda a: None
) -> list[Attempt]:
    """Each participant's latest attempt per exercise (and per ``key``, e.g. the boat's seed)."""
    latest: dict[tuple, Attempt] = {}
    for a in sorted(attempts, key=lambda a: a.id):
        latest[(a.learner, a.exercise_id, key(a))] = a
    return list(latest.values())


def _compact(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)


def default_loader(exercise_id: str) -> Any:
    """Load an exercise from exercises/ (tests pass their own loader)."""
    from mixedflows.exercises import load_exercise

    return load_exercise(exercise_id)


def _cohort_seed(a: Attempt) -> Any:
    """Which boat a module 1 attempt answered: its scenario (when not the default) and seed."""
    ans = a.answer
    if not isinstance(ans, dict):
        return None
    return (ans.get("scenario"), ans.get("seed")) if ans.get("scenario") else ans.get("seed")


def _is_cohort_answer(a: Attempt) -> bool:
    ans = a.answer
    return isinstance(ans, dict) and "seed" in ans and isinstance(ans.get("answer"), dict)


@dataclass(frozen=True)
class _Line:
    """One wrong answer to one question, held by one participant."""

    question: str
    wrong: str
    why: str = ""
    order: tuple = ()


@lru_cache(maxsize=4096)
def _screen(person: Any) -> Any:
    # The same person is screened for every participant who answered that boat: once is enough.
    from mixedflows.screening import screen

    return screen(person)


def _cohort_lines(exercise: Any, a: Attempt) -> tuple[list[_Line], set[str]]:
    """Wrong first needs and wrong or missed profiles, per person, in a module 1 answer.

    Compared with the reference the screening rules derive for the same boat (the seed is in
    the answer), as grading.grade_cohort does. Persons the participant left unanswered are not
    misconceptions and are skipped. Returns the lines and the questions answered.
    """
    from mixedflows.grading import cohort_for
    from mixedflows.profiles import NEED_LABELS, PROFILE_LABELS, Need, Profile

    seed = int(a.answer["seed"])
    # The boat may come from another scenario than the exercise's default (recorded with it).
    scenario = str(a.answer.get("scenario") or exercise.scenario)
    persons = cohort_for(scenario, seed, exercise.size)
    given: dict[str, Any] = a.answer["answer"]
    lines: list[_Line] = []
    answered: set[str] = set()
    for i, p in enumerate(persons):
        mine = given.get(p.person_id)
        if not isinstance(mine, dict):
            continue
        boat = f"Boat {seed}" if scenario == exercise.scenario else f"{scenario}, boat {seed}"
        question = f"{boat} · {i + 1}. {p.name}"
        answered.add(question)
        order = (seed, i)
        s = _screen(p)
        ref = set(s.profiles)
        ticked: set[Any] = set()
        for x in mine.get("profiles") or []:
            try:
                ticked.add(Profile(x))
            except ValueError:
                ticked.add(str(x))  # not a profile at all: quoted as recorded
        for prof in sorted(ticked - ref, key=str):
            label = PROFILE_LABELS.get(prof, str(prof)) if isinstance(prof, Profile) else prof
            why = s.why_not(prof) if isinstance(prof, Profile) else ""
            lines.append(_Line(question, f"ticked '{label}'", why, order))
        for prof in sorted(ref - ticked, key=str):
            why, cite = s.reason(prof)
            lines.append(
                _Line(question, f"missed '{PROFILE_LABELS[prof]}'", f"{why} [{cite.text()}]", order)
            )
        need = mine.get("first_need")
        first = s.referrals[0]
        if need and need not in {n.value for n in s.may_come_first}:
            try:
                chose = NEED_LABELS[Need(need)]
            except ValueError:
                chose = str(need)
            lines.append(
                _Line(
                    question,
                    f"first need '{chose}' (the rules: '{first.label}')",
                    f"{first.rationale} [{first.citation.text()}]",
                    order,
                )
            )
    return lines, answered


def _generic_lines(a: Attempt) -> tuple[list[_Line], set[str]]:
    """Wrong items of any other exercise: the feedback items with credit < 1, and the recorded
    answer itself when it is short enough to be a repeatable choice (an option, a number)."""
    lines: list[_Line] = []
    answered: set[str] = set()
    items = a.feedback.get("items") if isinstance(a.feedback, dict) else None
    items = items if isinstance(items, list) else []
    for k, item in enumerate(items):
        if not isinstance(item, dict) or "item" not in item:
            continue
        question = str(item["item"])
        answered.add(question)
        try:
            credit = float(item.get("credit", 1.0))
        except (TypeError, ValueError):
            continue
        if credit < FULL_MARKS:
            lines.append(
                _Line(question, str(item.get("message", "")), str(item.get("citation", "")), (1, k))
            )
    if a.score is not None:
        answered.add(WHOLE_ANSWER)
        text = _compact(a.answer)
        if a.score < FULL_MARKS and len(text) <= MAX_ANSWER_TEXT:
            lines.append(_Line(WHOLE_ANSWER, text, "", (0,)))
    return lines, answered


def _analyse(
    attempts: Iterable[Attempt], load_exercise: ExerciseLoader
) -> tuple[list[tuple[str, str, _Line]], dict[tuple[str, str], set[str]]]:
    """Every wrong answer in each participant's latest attempt, as (participant, exercise_id,
    line), and who answered each (exercise_id, question)."""
    exercises: dict[str, Any] = {}

    def exercise_of(ex_id: str) -> Any:
        if ex_id not in exercises:
            try:
                exercises[ex_id] = load_exercise(ex_id)
            except Exception:  # an exercise file gone or broken: fall back to the feedback
                exercises[ex_id] = None
        return exercises[ex_id]

    found: list[tuple[str, str, _Line]] = []
    answered: dict[tuple[str, str], set[str]] = defaultdict(set)
    graded = [a for a in attempts if a.score is not None]
    for a in _latest_per_participant(graded, _cohort_seed):
        ex = exercise_of(a.exercise_id)
        lines: list[_Line] | None = None
        if getattr(ex, "type", None) == "cohort_classification" and _is_cohort_answer(a):
            try:
                lines, asked = _cohort_lines(ex, a)
            except Exception:  # a malformed or foreign answer: read its feedback instead
                lines = None
        if lines is None:
            lines, asked = _generic_lines(a)
        for q in asked:
            answered[(a.exercise_id, q)].add(a.learner)
        found += [(a.learner, a.exercise_id, line) for line in lines]
    return found, answered


def participant_wrong_answers(
    attempts: Iterable[Attempt], load_exercise: ExerciseLoader = default_loader
) -> pd.DataFrame:
    """Each participant's wrong answers in their latest attempt (per boat, for module 1), in
    the order of the exercise's questions. Columns: participant, exercise_id, question,
    wrong_answer, why. What :func:`wrong_answers` counts, before counting."""
    found, _answered = _analyse(attempts, load_exercise)
    found.sort(key=lambda f: (f[0], f[1], _order_key(f[2].order)))
    return pd.DataFrame(
        [
            {
                "participant": who,
                "exercise_id": ex_id,
                "question": line.question,
                "wrong_answer": line.wrong,
                "why": line.why,
            }
            for who, ex_id, line in found
        ],
        columns=["participant", "exercise_id", "question", "wrong_answer", "why"],
    )


def wrong_answers(
    attempts: Iterable[Attempt],
    top: int | None = 5,
    load_exercise: ExerciseLoader = default_loader,
) -> pd.DataFrame:
    """The room's most common wrong answers per question, from each participant's latest
    attempt (per boat, for module 1).

    Columns: exercise_id; question (for module 1, "Boat <seed> · <n>. <name>"); wrong_answer;
    participants (how many hold it); answered (how many answered that question); share
    (participants / answered); why (what the rule says, with its source: the debrief point).
    Module 1 (``cohort_classification``) answers are compared person by person with the
    screening rules' reference; other exercises use their recorded feedback and answer.
    Reflections (score None) are not here: see :func:`reflections`. ``top`` keeps the most
    common wrong answers of each question (None keeps all). Questions are ordered by how many
    participants got them wrong.
    """
    found, answered = _analyse(attempts, load_exercise)
    holders: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    why: dict[tuple[str, str, str], str] = {}
    order: dict[tuple[str, str], tuple] = {}
    for who, ex_id, line in found:
        k = (ex_id, line.question, line.wrong)
        holders[k].add(who)
        why.setdefault(k, line.why)
        order.setdefault((ex_id, line.question), line.order)
    rows = []
    for (ex_id, q, wrong), people in holders.items():
        n_answered = max(len(answered[(ex_id, q)]), len(people))
        rows.append(
            {
                "exercise_id": ex_id,
                "question": q,
                "wrong_answer": wrong,
                "participants": len(people),
                "answered": n_answered,
                "share": len(people) / n_answered,
                "why": why[(ex_id, q, wrong)],
            }
        )
    df = pd.DataFrame(rows, columns=WRONG_COLUMNS)
    if df.empty:
        return df
    # Questions most got wrong first; within a question, the most common wrong answer first.
    df["_q_wrong"] = df.groupby(["exercise_id", "question"])["participants"].transform("max")
    # Then in the order the questions come in the exercise (boat, then person).
    rank = {t: r for r, t in enumerate(sorted(set(order.values()), key=_order_key))}
    df["_order"] = [
        rank[order[(e, q)]] for e, q in zip(df["exercise_id"], df["question"], strict=True)
    ]
    df = df.sort_values(
        ["exercise_id", "_q_wrong", "_order", "participants", "wrong_answer"],
        ascending=[True, False, True, False, True],
        kind="stable",
    )
    if top is not None:
        df = df.groupby(["exercise_id", "question"], sort=False).head(top)
    return df.drop(columns=["_q_wrong", "_order"]).reset_index(drop=True)


def _order_key(t: tuple) -> tuple:
    # Seeds are ints from the answer, but a foreign answer may hold anything: compare safely.
    return tuple((0, x, "") if isinstance(x, int | float) else (1, 0, str(x)) for x in t)


def _answer_text(answer: Any) -> str:
    if isinstance(answer, str):
        return answer
    if isinstance(answer, dict):
        for key in ("text", "reflection", "answer"):
            if isinstance(answer.get(key), str):
                return answer[key]
    return _compact(answer)


def reflections(attempts: Iterable[Attempt]) -> pd.DataFrame:
    """Answers recorded without a score (reflections, free text): each participant's latest
    per exercise, listed as typed. Columns: exercise_id, participant, created_at, text."""
    latest = _latest_per_participant(a for a in attempts if a.score is None)
    rows = [
        {
            "exercise_id": a.exercise_id,
            "participant": a.learner,
            "created_at": a.created_at,
            "text": _answer_text(a.answer),
        }
        for a in sorted(latest, key=lambda a: (a.exercise_id, a.learner))
    ]
    df = pd.DataFrame(rows, columns=["exercise_id", "participant", "created_at", "text"])
    df["created_at"] = pd.to_datetime(df["created_at"], utc=True, errors="coerce", format="ISO8601")
    return df


# --- export ------------------------------------------------------------------------------------

LMS_COLUMNS = [
    "participant",
    "session",
    "exercise_id",
    "best_score_pct",
    "latest_score_pct",
    "attempts",
    "first_attempt_at",
    "last_attempt_at",
]


def lms_rows(attempts: Iterable[Attempt]) -> pd.DataFrame:
    """One row per participant and exercise, for a learning-management system's grade import.

    ``best_score_pct`` is the grade (a whole percentage; empty for a reflection, which is not
    scored); ``latest_score_pct`` and ``attempts`` give context; times are ISO 8601 in UTC.
    ``session`` is the session code (several when a participant's attempts span sessions).
    """
    attempts = list(attempts)
    pe = participant_exercise(attempts)
    if pe.empty:
        return pd.DataFrame(columns=LMS_COLUMNS)
    sessions: dict[tuple[str, str], set[str]] = defaultdict(set)
    for a in attempts:
        sessions[(a.learner, a.exercise_id)].add(a.session)

    def pct(x: float) -> Any:
        return "" if pd.isna(x) else round(float(x) * 100)

    def iso(t: Any) -> str:
        return "" if pd.isna(t) else t.strftime("%Y-%m-%dT%H:%M:%SZ")

    rows = [
        {
            "participant": r.participant,
            "session": " ".join(sorted(sessions[(r.participant, r.exercise_id)])),
            "exercise_id": r.exercise_id,
            "best_score_pct": pct(r.best_score),
            "latest_score_pct": pct(r.latest_score),
            "attempts": int(r.attempts),
            "first_attempt_at": iso(r.first_attempt_at),
            "last_attempt_at": iso(r.last_attempt_at),
        }
        for r in pe.itertuples(index=False)
    ]
    return pd.DataFrame(rows, columns=LMS_COLUMNS)


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _spreadsheet_safe(value: Any) -> Any:
    # OWASP "CSV injection": a cell a spreadsheet would read as a formula is prefixed with '.
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def lms_csv(attempts: Iterable[Attempt]) -> str:
    """The grade export as CSV text (UTF-8, comma-separated, a header row, ``\\r\\n`` lines).

    A text cell that starts with ``= + - @`` or a tab would run as a formula when the file is
    opened in a spreadsheet; such cells are prefixed with a single quote (OWASP's advice).
    """
    df = lms_rows(attempts)
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(LMS_COLUMNS)
    for row in df.itertuples(index=False):
        writer.writerow([_spreadsheet_safe(v) for v in row])
    return buf.getvalue()


_MD_SPECIAL = str.maketrans({c: "\\" + c for c in "\\`*_{}[]()<>#+-.!|~"})


def _md(text: Any) -> str:
    """Participant text made inert in Markdown: special characters escaped, one line."""
    return " ".join(str(text).split()).translate(_MD_SPECIAL)


def participant_summary(
    attempts: Sequence[Attempt],
    participant: str,
    titles: dict[str, str] | None = None,
    wrong: pd.DataFrame | None = None,
    revisit: int = 3,
) -> str:
    """A short Markdown summary of one participant: per exercise, best and latest score and
    attempts (or "answered" for a reflection), and up to ``revisit`` points to revisit from
    their latest attempt. Participant text is escaped for Markdown. ``wrong`` is this
    participant's :func:`participant_wrong_answers` when already computed."""
    titles = titles or {}
    mine = [a for a in attempts if a.learner == participant]
    pe = participant_exercise(mine)
    lines = [f"## {_md(participant)}", ""]
    if pe.empty:
        return "\n".join([*lines, "No answers yet.", ""])
    last = pe["last_attempt_at"].max()
    graded = pe[pe["graded"]]
    mean = graded["best_score"].mean() if not graded.empty else float("nan")
    head = f"{len(pe)} exercise(s), {int(pe['attempts'].sum())} attempt(s)"
    if pd.notna(mean):
        head += f", mean best score {mean:.0%}"
    if pd.notna(last):
        head += f"; last active {last.strftime('%Y-%m-%d %H:%M')} UTC"
    lines += [head + ".", ""]
    if wrong is None:
        wrong = participant_wrong_answers(mine)
    for r in pe.itertuples(index=False):
        name = _md(titles.get(r.exercise_id, r.exercise_id))
        if r.graded and pd.notna(r.best_score):
            lines.append(
                f"- **{name}**: best {r.best_score:.0%}, latest {r.latest_score:.0%} "
                f"({int(r.attempts)} attempt(s))."
            )
            mine_wrong = wrong[wrong["exercise_id"] == r.exercise_id] if not wrong.empty else wrong
            for w in mine_wrong.head(revisit).itertuples(index=False):
                lines.append(f"  - To revisit: {_md(w.question)}: {_md(w.wrong_answer)}")
            if len(mine_wrong) > revisit:
                lines.append(f"  - … and {len(mine_wrong) - revisit} more point(s).")
        else:
            lines.append(f"- **{name}**: answered ({int(r.attempts)} time(s)); not scored.")
    return "\n".join([*lines, ""])


def summaries_markdown(
    attempts: Sequence[Attempt], session: str = "", titles: dict[str, str] | None = None
) -> str:
    """Every participant's summary, one after another, under a title naming the session."""
    attempts = list(attempts)
    people = sorted({a.learner for a in attempts})
    head = f"# Session {_md(session)}" if session else "# All sessions"
    parts = [head, "", f"{len(people)} participant(s). Scores are shares of full credit.", ""]
    wrong = participant_wrong_answers(attempts)
    for p in people:
        mine = [a for a in attempts if a.learner == p]
        parts.append(participant_summary(mine, p, titles, wrong[wrong["participant"] == p]))
    return "\n".join(parts)


# --- everything the dashboard shows, at once ---------------------------------------------------


@dataclass(frozen=True)
class SessionReport:
    """All the facilitator's tables for one session, computed together from its attempts."""

    session: str
    attempts: int
    """How many attempts the report was computed from."""
    participants: int
    overview: pd.DataFrame
    """:func:`exercise_overview`."""
    distribution: pd.DataFrame
    """:func:`score_distribution`."""
    wrong: pd.DataFrame
    """:func:`wrong_answers` (top 5 per question)."""
    reflections: pd.DataFrame
    """:func:`reflections`."""
    progress: pd.DataFrame
    """:func:`participant_progress`."""


def session_report(
    attempts: Sequence[Attempt],
    session: str = "",
    top: int = 5,
    load_exercise: ExerciseLoader = default_loader,
) -> SessionReport:
    """The dashboard's tables for ``attempts`` (those of one session)."""
    attempts = list(attempts)
    return SessionReport(
        session=session,
        attempts=len(attempts),
        participants=len({a.learner for a in attempts}),
        overview=exercise_overview(attempts),
        distribution=score_distribution(attempts),
        wrong=wrong_answers(attempts, top=top, load_exercise=load_exercise),
        reflections=reflections(attempts),
        progress=participant_progress(attempts),
    )


def exercise_titles(exercise_ids: Iterable[str], load_exercise: ExerciseLoader = default_loader):
    """Titles of exercises by id; an id whose file cannot be loaded keeps its id as title."""
    out: dict[str, str] = {}
    for ex_id in exercise_ids:
        try:
            out[ex_id] = str(load_exercise(ex_id).title)
        except Exception:
            out[ex_id] = ex_id
    return out


@dataclass(frozen=True)
class SessionExport:
    """A session's two exports: the grade CSV and the participant summaries (Markdown)."""

    grades_name: str
    grades: str
    summary_name: str
    summary: str
    attempts: int
    stamp: str
    """When they were prepared (UTC, YYYYMMDD-HHMM), also in the file names."""


def export_name(session: str | None, suffix: str, prefix: str = "mixedflows-") -> str:
    """A file name for an export: the session code, kept to letters, digits, - and _."""
    code = re.sub(r"[^A-Za-z0-9_-]+", "-", session or "all-sessions").strip("-") or "session"
    return f"{prefix}{code[:40]}-{suffix}"


def session_export(
    attempts: Sequence[Attempt],
    session: str | None,
    load_exercise: ExerciseLoader = default_loader,
    prefix: str = "mixedflows-",
) -> SessionExport:
    """What the dashboard's downloads and ``mixedflows export`` write, for ``attempts``."""
    attempts = list(attempts)
    titles = exercise_titles({a.exercise_id for a in attempts}, load_exercise)
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M")
    return SessionExport(
        export_name(session, f"grades-{stamp}.csv", prefix),
        lms_csv(attempts),
        export_name(session, f"summary-{stamp}.md", prefix),
        summaries_markdown(attempts, session or "", titles),
        len(attempts),
        stamp,
    )
