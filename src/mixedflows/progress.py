"""A learner's progress as one file: downloaded at the end of a session on a throw-away server
(Binder), uploaded in a later one to continue (issue 16).

The file holds the learner's attempts (answer, score, the grade they saw, when) and drafts, and a
SHA-256 digest over them: a damaged or edited file is refused, with what is wrong and where. It
carries no reference answers: the feedback of an attempt (which can say what the right answer
was) stays out; an imported attempt says it was imported. On import, each attempt whose grade
depends on its answer as recorded is graded again by the course's grader
(:func:`regraded_score`), and a file whose score disagrees is refused: the digest says a file
was not damaged, the regrade that an edited score was not re-sealed with it. (The screening
desk, the capstone season and module 10's room and mapping are graded with what their page
held, which the file does not: their scores are kept, and count nowhere, as no imported score
does.)

Importing is exactly once: an attempt keeps its uid, so the same file imported twice adds
nothing the second time. A uid held by a different attempt (a forged file's, another
learner's) does not block the file's attempt: it is added under a uid made from its content.

The digest has no secret, so anyone can write a file with any score: an imported attempt is
marked imported (``feedback["imported"]``), keeps no session (it lands in no session of this
server, whatever session the file names) and never counts in a grade: not towards the
certificate, nor in the facilitator's dashboard, grade export (LMS CSV), summaries or pre/post
gains (:func:`mixedflows.facilitator.counted`). A room exercise (done together, in a session)
is not imported at all.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

FORMAT = "mixedflows-progress"
VERSION = 1
MAX_BYTES = 20_000_000
"""The largest progress file taken (a whole course's attempts are well under 2 MB)."""

_TEMPORARY_ENV = ("BINDER_REPO_URL", "BINDER_LAUNCH_HOST", "BINDER_REQUEST", "BINDER_REF_URL")


class ProgressFileError(ValueError):
    """A progress file that cannot be imported; the message says what is wrong and where."""


def temporary_store_notice() -> str:
    """A plain sentence when this server's store does not outlive the session (a Binder, or a
    server started with ``MIXEDFLOWS_STORE_TEMPORARY`` set), else ``""``."""
    label = os.environ.get("MIXEDFLOWS_STORE_TEMPORARY", "").strip()
    if not label and any(os.environ.get(k) for k in _TEMPORARY_ENV):
        label = "Binder"
    if not label or label.lower() in ("0", "no", "false"):
        return ""
    where = (
        "This course runs on Binder"
        if label.lower() in ("1", "yes", "true", "binder")
        else (f"This course runs on {label}")
    )
    return (
        f"{where}: your progress is not kept after this session ends (the server and its store "
        "are thrown away after some minutes without use). Download your progress from "
        "'My progress' before you leave, and upload it next time to continue."
    )


def _digest(body: dict[str, Any]) -> str:
    text = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def export_progress(store: Any, learner: str) -> bytes:
    """The learner's attempts and drafts in ``store`` as the bytes of a progress file."""
    attempts = [
        {
            "uid": a.uid,
            "exercise_id": a.exercise_id,
            "session": a.session,
            "answer": a.answer,
            "score": a.score,
            "grade_shown": a.grade_shown,
            "created_at": a.created_at,
        }
        for a in store.attempts(learner=learner)
        if a.uid
    ]
    drafts = [
        {"exercise_id": ex, "draft": d, "updated_at": at} for ex, d, at in store.drafts(learner)
    ]
    body = {
        "format": FORMAT,
        "version": VERSION,
        "learner": learner,
        "exported_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "attempts": attempts,
        "drafts": drafts,
    }
    body["sha256"] = _digest({k: v for k, v in body.items()})
    return json.dumps(body, ensure_ascii=False, indent=1).encode("utf-8")


def file_name(learner: str) -> str:
    """``mixedflows-progress-<learner>-<date>.json``, with only safe characters."""
    safe = "".join(c if c.isalnum() or c in "-_" else "_" for c in learner)[:40] or "learner"
    return f"mixedflows-progress-{safe}-{datetime.now(UTC):%Y-%m-%d}.json"


NOT_COUNTED = (
    "Imported attempts let you continue where you were; they do not count towards your "
    "grades or the certificate, which rest only on work graded on this server."
)


def room_exercise(exercise_id: str) -> bool:
    """Whether the exercise is done together in a room (a session), so cannot be imported."""
    from mixedflows import exercises as ex

    try:
        exercise = ex.load_exercise(exercise_id)
    except Exception:
        return False
    return isinstance(exercise, ex.ModelExercise) and exercise.model == "cooperation.room"


@dataclass(frozen=True)
class ImportResult:
    attempts_added: int
    attempts_already_here: int
    drafts_added: int
    drafts_kept_newer: int
    learner_in_file: str
    room_skipped: int = 0

    def summary(self, learner: str) -> str:
        who = (
            ""
            if self.learner_in_file == learner
            else f" (saved as '{self.learner_in_file}' in the file, now under '{learner}')"
        )
        return (
            f"{self.attempts_added} attempt(s) added{who}, {self.attempts_already_here} already "
            f"here; {self.drafts_added} draft(s) restored"
            + (
                f", {self.drafts_kept_newer} newer draft(s) here kept"
                if self.drafts_kept_newer
                else ""
            )
            + "."
            + (
                f" {self.room_skipped} attempt(s) of a room exercise not imported (a room "
                "exercise is done together in a session)."
                if self.room_skipped
                else ""
            )
            + f" {NOT_COUNTED}"
        )


def read_progress(data: bytes) -> dict[str, Any]:
    """The checked content of a progress file; :class:`ProgressFileError` naming the problem."""
    if len(data) > MAX_BYTES:
        raise ProgressFileError(
            f"the file is {len(data):,} bytes; a progress file is at most {MAX_BYTES:,}"
        )
    try:
        body = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError as e:
        raise ProgressFileError(f"the file is not text (byte {e.start} is not UTF-8)") from None
    except json.JSONDecodeError as e:
        raise ProgressFileError(
            f"the file is not a progress file: it is not JSON (line {e.lineno}, column "
            f"{e.colno}: {e.msg})"
        ) from None
    if not isinstance(body, dict) or body.get("format") != FORMAT:
        raise ProgressFileError(
            f"the file is not a Mixed Flows Lab progress file (no 'format': '{FORMAT}' at its top)"
        )
    if body.get("version") != VERSION:
        raise ProgressFileError(
            f"the file is a progress file of version {body.get('version')!r}; this course reads "
            f"version {VERSION}"
        )
    sealed = body.pop("sha256", None)
    if not isinstance(sealed, str) or sealed != _digest(body):
        raise ProgressFileError(
            "the file was changed or damaged after it was downloaded (its SHA-256 check does "
            "not match its content): nothing imported. Download it again from the session "
            "where it was made, or continue without it."
        )
    for key, kind in (("attempts", list), ("drafts", list), ("learner", str)):
        if not isinstance(body.get(key), kind):
            raise ProgressFileError(f"'{key}' in the file is not a {kind.__name__}")
    for i, a in enumerate(body["attempts"], 1):
        missing = [k for k in ("uid", "exercise_id", "answer", "score", "created_at") if k not in a]
        if not isinstance(a, dict) or missing:
            raise ProgressFileError(f"attempt {i} in the file lacks {', '.join(missing)}")
        _regrade_check(i, a)
    return body


CONTEXT_MODELS = frozenset(
    {"cooperation.room", "cooperation.mapping", "cases.desk", "capstone.season"}
)
"""Exercise kinds graded with what the page held besides the answer (the room, the desk's
person, the season played): an attempt of theirs cannot be graded again from a file."""


def regraded_score(exercise_id: str, answer: Any) -> float | None:
    """The score the course's grader gives ``answer`` now, where it depends on the answer alone
    (the boat's seed and scenario, the reception season and the policy lab's reform are in the
    answer as recorded); None where it cannot be graded again from the answer."""
    from mixedflows import exercises as ex
    from mixedflows import knowledge
    from mixedflows.grading import grade

    try:
        if exercise_id in (knowledge.START, knowledge.END):
            return knowledge.grade_check(answer).score
        exercise = ex.load_exercise(exercise_id)
        if isinstance(exercise, ex.CohortClassification):
            if not (isinstance(answer, dict) and {"seed", "scenario", "answer"} <= set(answer)):
                return None
            return grade(
                exercise, answer["answer"], seed=answer["seed"], scenario=answer["scenario"]
            ).score
        if isinstance(exercise, ex.ModelExercise):
            if exercise.model in CONTEXT_MODELS:
                return None
            if exercise.model == "reception.staffing" and isinstance(answer, dict):
                season = answer.get("season")
                answer = {k: v for k, v in answer.items() if k != "season"}
                if season is not None:
                    exercise = exercise.model_copy(
                        update={"params": {**exercise.params, "season": season}}
                    )
            elif isinstance(answer, dict) and set(answer) == {"reform"}:
                answer = answer["reform"]  # the policy lab records {"reform": ...}
        return grade(exercise, answer).score
    except Exception:  # an answer this grader cannot take (or an exercise this course lacks)
        return None


def _regrade_check(i: int, a: dict[str, Any]) -> None:
    """Grade again an attempt whose grade depends on its answer alone; refuse a score that
    disagrees (an attempt that cannot be graded again is kept: imported, it counts nowhere)."""
    if a["score"] is None:
        return
    score = regraded_score(str(a["exercise_id"]), a["answer"])
    if score is None:
        return
    if abs(float(score) - float(a["score"])) > 1e-4:
        raise ProgressFileError(
            f"attempt {i} in the file ({a['exercise_id']}, {a['created_at']}) says "
            f"{float(a['score']):.0%} but its answer grades {score:.0%}: the file was changed. "
            "Nothing imported."
        )


def _same(held: Any, a: dict[str, Any]) -> bool:
    """Whether the stored attempt ``held`` is the file's attempt ``a`` (not just its uid)."""
    return (
        held.exercise_id == a["exercise_id"]
        and held.answer == a["answer"]
        and held.score == a["score"]
        and str(held.created_at) == str(a["created_at"])[:40]
    )


def _content_uid(a: dict[str, Any]) -> str:
    """A uid for a file's attempt made from what it holds: the same attempt, the same uid."""
    return (
        "imported-"
        + _digest({k: a.get(k) for k in ("uid", "exercise_id", "answer", "score", "created_at")})[
            :32
        ]
    )


def import_progress(
    store: Any, learner: str, data: bytes, *, own_only: bool = False
) -> ImportResult:
    """Add a progress file's attempts and drafts to ``store`` under ``learner`` (each attempt
    once, by its uid; a draft only where the store holds none newer). Checked whole before
    anything is written. ``own_only`` (in a facilitated session) refuses a file saved under
    another pseudonym: a participant continues their own work, never takes someone else's."""
    from mixedflows.store import clean_pseudonym, make_row

    body = read_progress(data)
    if own_only and clean_pseudonym(body["learner"]) != clean_pseudonym(learner):
        raise ProgressFileError(
            f"the file holds the progress saved as '{clean_pseudonym(body['learner'])}', and "
            f"you are '{clean_pseudonym(learner)}' in this session: in a facilitated session "
            "you can import only your own progress. Nothing imported."
        )
    before = {a.uid: a for a in store.attempts(learner=learner)}
    rooms = [a for a in body["attempts"] if room_exercise(str(a["exercise_id"]))]
    taken = [a for a in body["attempts"] if a not in rooms]

    def insert(a: dict[str, Any], uid: str) -> None:
        row = make_row(
            learner=learner,
            session="",  # an imported attempt lands in no session of this server
            exercise_id=a["exercise_id"],
            answer=a["answer"],
            score=a["score"],
            feedback={
                "imported": True,
                "note": "imported from a progress file; not counted in grades",
                "session_in_file": str(a.get("session") or "")[:64],
            },
            grade_shown=a.get("grade_shown"),
            uid=uid,
        )
        row["created_at"] = str(a["created_at"])[:40]
        store.insert(row)  # by uid: an attempt the store holds already is not added again

    # An attempt keeps its uid (the same file twice adds nothing), unless that uid is held by
    # another attempt (a forged file's, or another learner's): then it is added under a uid
    # made from its content, so a forged attempt never blocks the genuine one.
    again = []
    for a in taken:
        held = before.get(str(a["uid"]))
        if held is None:
            insert(a, str(a["uid"]))
            again.append(a)
        elif not _same(held, a):
            insert(a, _content_uid(a))
    now = {a.uid: a for a in store.attempts(learner=learner)}
    for a in again:  # its uid was another learner's: not added, so under its content's uid
        if str(a["uid"]) not in now:
            insert(a, _content_uid(a))
    added = len({a.uid for a in store.attempts(learner=learner)} - set(before))
    here = len(taken) - added
    current = {ex: at for ex, _, at in store.drafts(learner)}
    restored = newer = 0
    for d in body["drafts"]:
        if not isinstance(d, dict) or "exercise_id" not in d:
            continue
        if current.get(d["exercise_id"], "") > str(d.get("updated_at", "")):
            newer += 1
            continue
        store.save_draft(learner=learner, exercise_id=d["exercise_id"], draft=d.get("draft"))
        restored += 1
    return ImportResult(added, here, restored, newer, body["learner"], len(rooms))


__all__ = [
    "NOT_COUNTED",
    "ImportResult",
    "ProgressFileError",
    "export_progress",
    "file_name",
    "import_progress",
    "read_progress",
    "regraded_score",
    "room_exercise",
    "temporary_store_notice",
]
