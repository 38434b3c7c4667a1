"""Shared pieces of every app: safe callbacks, escaped feedback, recording attempts.

Errors in widget callbacks vanish silently in Voila; every callback here goes through
:func:`safe`, which shows a friendly message on the page and writes the traceback to the log,
never to the participant's screen.
"""

from __future__ import annotations

import functools
import logging
import os
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import ipywidgets as w

from mixedflows.gradebook import Grade, Graded, grade_sentence
from mixedflows.grading import AnswerError, GradeResult, SubmissionRefusedError, check_size
from mixedflows.widgets import ui

log = logging.getLogger("mixedflows")


def _log_to_the_server() -> None:
    """In a Jupyter kernel, the package's log goes to the kernel's own stderr file, which is the
    server's log, instead of ``sys.stderr``, which ipykernel sends to the participant's page
    (issue 11: store errors reached the browser with the store's path or database host).
    Outside a kernel nothing changes."""
    stream = sys.stderr
    if not type(stream).__module__.startswith("ipykernel") or log.handlers:
        return
    try:  # ipykernel captures fd 2 and keeps a copy of the original: write to that copy
        target = open(  # noqa: SIM115 (lives as long as the kernel)
            os.dup(stream.fileno()), "w", buffering=1, encoding="utf-8", errors="replace"
        )
    except (AttributeError, OSError, ValueError):  # fd 2 not captured: it is the original
        target = sys.__stderr__
    if target is None:
        return
    handler = logging.StreamHandler(target)
    handler.setFormatter(_Redacting("[mixedflows kernel %(process)d] %(levelname)s %(message)s"))
    log.addHandler(handler)
    log.addHandler(_ToProblemLog(logging.WARNING))
    log.propagate = False


class _Redacting(logging.Formatter):
    """A log line with no secret of a store URL in it (a database's message, a traceback)."""

    def format(self, record: logging.LogRecord) -> str:
        from mixedflows.store.backends import redact_secrets

        return redact_secrets(super().format(record))


class _ToProblemLog(logging.Handler):
    """Warnings of the package's log, kept for the facilitator dashboard (mixedflows.problemlog)."""

    def emit(self, record: logging.LogRecord) -> None:
        from mixedflows import problemlog

        try:
            detail = record.getMessage()
            if record.exc_info:
                detail += "\n" + logging.Formatter().formatException(record.exc_info)
        except Exception:
            return
        problemlog.note(f"kernel pid {record.process}", detail, kind=record.levelname.lower())


_log_to_the_server()

# The stylesheet lives in widgets/templates/styles.css (see widgets.ui); kept under this name for
# the callers that prepend it to an HTML widget.
CSS = ui.styles()
esc = ui.esc
message = ui.message
credit_class = ui.credit_class


DRAFT_FAILURES: dict[tuple[str, str], int] = {}
"""Failed draft saves and reads in this kernel, by (saved/read, cause)."""


def _draft_failed(what: str, exercise_id: str, e: Exception) -> None:
    """Log a draft not saved (or read) in one line naming the cause, with a running count: the
    1st, 10th, 100th and every 1000th of each cause (a draft is saved at every change, so a
    store that is down wrote about 5 full tracebacks per submit into the server log; issue 11,
    third cold trial). Only a failure that is not the store's (a bug) carries its traceback,
    the first time."""
    from mixedflows.store import StoreError

    store_fault = isinstance(e, StoreError)
    cause = e.cause if store_fault else type(e).__name__
    n = DRAFT_FAILURES[what, cause] = DRAFT_FAILURES.get((what, cause), 0) + 1
    if n in (1, 10, 100) or n % 1000 == 0:
        log.warning(
            "draft of %s not %s: %s (%d draft(s) not %s so far for this cause: %s)",
            exercise_id,
            what,
            str(e).splitlines()[0][:300] if str(e) else type(e).__name__,
            n,
            what,
            cause,
            exc_info=not store_fault and n == 1,
        )


def safe(status: w.HTML) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Decorate a widget callback: errors become a friendly line in ``status`` and a log line."""

    def deco(fn: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            try:
                return fn(*args, **kwargs)
            except SubmissionRefusedError as e:  # too long or too fast: said as it is
                status.value = message("part", str(e))
            except AnswerError as e:
                status.value = message("part", f"Please check your answer: {e}")
            except Exception:
                log.exception("callback %s failed", fn.__name__)
                # Honest: the failure may have come before the attempt reached the store.
                status.value = message(
                    "bad",
                    "Something went wrong on our side, and this attempt may not have been "
                    "saved. What you entered is still on this page: please try again, or tell "
                    "the facilitator.",
                )
            return None

        return wrapper

    return deco


def app_entry(build: Callable[..., Any]) -> Callable[..., Any]:
    """Decorate an app's entry point (the one call of its notebook): a malformed course file
    (an exercise, scenario, worked case or programme) shows a message naming the file and the
    field, instead of a failed page with no explanation, and is logged."""
    from mixedflows.errors import DataFileError
    from mixedflows.exercises import WrongExerciseError

    @functools.wraps(build)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return build(*args, **kwargs)
        except DataFileError as e:
            return malformed_file_box(e, build.__name__)
        except WrongExerciseError as e:  # a cell given the id of another kind of exercise
            return wrong_exercise_box(e, build.__name__)

    return wrapper


def malformed_file_box(e: Any, what: str) -> w.HTML:
    """What the page shows when a course file is malformed (a ``DataFileError``): the file and
    the field named, never the folders it sits in (those are in the server's log)."""
    where = f", field '{e.field}'" if e.field else ""
    state = "missing" if e.detail == "file not found" else "malformed"
    return _cannot_start(
        e,
        what,
        f"a course file is {state} ({Path(e.path).name}{where}: {e.detail}). "
        "Please tell the facilitator or the course author",
    )


def wrong_exercise_box(e: Any, what: str) -> w.HTML:
    """What the page shows when its cell names an exercise this app cannot show (a
    ``WrongExerciseError``): the exercise, what it is and what the app takes."""
    return _cannot_start(
        e, what, f"{e}. Check the exercise id in this page's cell, or tell the facilitator"
    )


def _cannot_start(e: Any, what: str, why: str) -> w.HTML:
    log.error("%s cannot start: %s", what, e)
    box = w.HTML(
        CSS + message("bad", f"This exercise cannot start: {why}; nothing you entered is lost.")
    )
    box.add_class("mf-app-error")
    return box


def feedback_html(
    result: GradeResult,
    only: set[str] | None = None,
    labels: dict[str, str] | None = None,
) -> str:
    """The grade as escaped HTML; ``only`` keeps the items whose names start with these ids, and
    ``labels`` shows an item under a friendlier name (a person's place in the boat, say)."""
    items = [f for f in result.items if only is None or any(f.item.startswith(x) for x in only)]
    name = labels or {}
    return ui.feedback_view(result, items=items, label=lambda i: name.get(i, i))


# "The computer running the course", not "this computer": in a facilitated session the
# kernel, and what it keeps, is on the facilitator's server, not the participant's laptop.
SAVE_CAUSES: dict[str, tuple[str, str]] = {
    # cause (StoreError.cause): (what is wrong, when a kept attempt is added to the store)
    "unreachable": ("The attempt store cannot be reached or opened just now", "when it is back"),
    "readonly": (
        "The attempt store is read-only just now (it can be read, not written)",
        "when it can be written again",
    ),
    "full": (
        "The disk that holds the attempt store is full",
        "when the facilitator has made room",
    ),
    "locked": (
        "The attempt store is locked by another program, and stayed locked longer than a "
        "submission waits",
        "when the lock is released",
    ),
    "disk_error": (
        "The disk that holds the attempt store gave a read or write error",
        "when the disk works again",
    ),
    "damaged": (
        "The attempt store is damaged, so nothing is written into it until the facilitator "
        "repairs it",
        "once it is repaired",
    ),
    "config": ("The attempt store is not set up correctly", "once it is set up"),
    "closed": ("The attempt store was closed on the server", "when it is opened again"),
    "refused": (
        "The attempt store refused this attempt",
        "if the store takes it when it is sent again (if it is refused again, it is set aside "
        "for the facilitator to look at)",
    ),
    "error": (
        "Something went wrong on the server while saving this attempt",
        "when saving works again",
    ),
}
KEEP_PROBLEMS = {
    "no_home": "there is no folder for it on the computer running the course",
    "full": "the disk of the computer running the course is full",
    "readonly": "its folder on the computer running the course cannot be written",
    "error": "writing it on the computer running the course failed",
}


def save_kept(cause: str = "unreachable") -> str:
    """What the learner reads when the attempt was not stored but kept: what is wrong (its
    cause) and what happens to the attempt."""
    what, when = SAVE_CAUSES.get(cause, SAVE_CAUSES["error"])
    return (
        f"{what}: this attempt is kept on the computer running the course and will be added "
        f"to the store automatically {when}."
    )


def save_lost(cause: str = "unreachable", keep_problem: str = "") -> str:
    """What the learner reads when the attempt was neither stored nor kept: NOT saved, why
    (the store's cause and why it could not be kept), and what to do."""
    what, _when = SAVE_CAUSES.get(cause, SAVE_CAUSES["error"])
    why_not_kept = KEEP_PROBLEMS.get(keep_problem, "")
    return (
        f"This attempt was NOT saved. {what}, and it could not be kept on the computer running "
        f"the course either{f' ({why_not_kept})' if why_not_kept else ''}. What you entered is "
        "still on this page: please submit again in a minute, or tell the facilitator."
    )


SAVE_KEPT = save_kept("unreachable")
SAVE_LOST = save_lost("unreachable")


class SubmitRate:
    """A kernel's submissions (one page's): ``burst`` at once, then one every ``every`` seconds
    (issue 11: 20 clients made 623 submissions in 2 s). Set by ``MIXEDFLOWS_SUBMIT_RATE`` as
    ``BURST/SECONDS`` (the course's servers set ``6/2``; unset or ``0``: no limit, as in a
    script or a test that records on purpose)."""

    def __init__(self, burst: int = 0, every: float = 0.0) -> None:
        self.burst, self.every = burst, every
        self.tokens = float(burst)
        self.last = time.monotonic()
        self.refused = 0
        self._lock = threading.Lock()

    @classmethod
    def from_env(cls) -> SubmitRate:
        spec = os.environ.get("MIXEDFLOWS_SUBMIT_RATE", "0")
        try:
            burst, every = [*spec.split("/", 1), "2"][:2]
            return cls(max(int(burst), 0), max(float(every), 0.0))
        except ValueError:
            log.warning("MIXEDFLOWS_SUBMIT_RATE=%r is not BURST/SECONDS: no limit", spec)
            return cls()

    def take(self) -> None:
        """Count one submission, or refuse it (:class:`SubmissionRefusedError`)."""
        if self.burst <= 0:
            return
        with self._lock:
            now = time.monotonic()
            self.tokens = min(self.burst, self.tokens + (now - self.last) / max(self.every, 1e-9))
            self.last = now
            if self.tokens >= 1:
                self.tokens -= 1
                return
            self.refused += 1
            wait = max(1, round((1 - self.tokens) * self.every + 0.5))
        log.info("submission refused: faster than %s per %s s", self.burst, self.every)
        raise SubmissionRefusedError(
            "You are sending answers faster than the feedback can be read, so this one was "
            f"not graded or recorded. Please read the feedback, then submit again in {wait} s."
        )


SUBMISSIONS = SubmitRate.from_env()
"""The submissions of this kernel (every app of the page shares it)."""


_RECORDED: list[Callable[[str], None]] = []


def on_recorded(fn: Callable[[str], None]) -> None:
    """Call ``fn(exercise_id)`` after each attempt a :class:`Recorder` of this kernel stores or
    keeps (a module page's debrief opens when the exercise above it is submitted)."""
    _RECORDED.append(fn)


def _tell_recorded(exercise_id: str) -> None:
    for fn in list(_RECORDED):
        try:
            fn(exercise_id)
        except Exception:
            log.exception("after recording an attempt of %s", exercise_id)


class Recorder:
    """Records attempts: in the store; when the store cannot take one, kept on this computer
    and sent to the store automatically when it is back (by its uid: exactly once); when it
    cannot be kept either, not saved, and :meth:`status` says so plainly.

    ``last_outcome`` is ``"stored"``, ``"kept"`` or ``"not_saved"`` after each :meth:`record`.
    """

    RETRY_MAX = 30.0
    """Longest wait (seconds) between two tries to send kept attempts in the background."""

    def __init__(
        self, store: Any = None, learner: str | None = None, session: str | None = None
    ) -> None:
        self._store = store
        self._learner = learner
        self._session = session
        self.last_error: str = ""
        self.last_outcome: str = ""
        self.last_cause: str = ""
        """Why the last attempt was not stored (``StoreError.cause``; ``error`` for a fault
        that is not the store's), or ``""``."""
        self.last_keep_problem: str = ""
        """Why it could not be kept either (``PendingAttempts.last_problem``), or ``""``."""
        self.last_grade: Grade | None = None
        """The learner's grade for the exercise after the last attempt recorded."""
        self._history: dict[str, list[Graded]] = {}
        self._parts: dict[str, frozenset[str]] = {}
        self._part_words: dict[str, str] = {}
        self._last_exercise = ""
        self._sender: threading.Thread | None = None
        self._admitted = False

    # Resolved when first needed: a preheated kernel learns its learner only when claimed.
    @property
    def learner(self) -> str:
        """The participant; in a preheated kernel with none known (not claimed yet, or a link
        naming no one), :class:`SubmissionRefusedError`: nothing is saved under the id kept
        beside the store, which every kernel of the pool shares."""
        from mixedflows.server import session as sess

        if self._learner:
            return self._learner
        try:
            return sess.learner_id()
        except sess.ParticipantUnknownError as e:
            raise SubmissionRefusedError(str(e)) from e

    @property
    def session(self) -> str:
        from mixedflows.server import session as sess

        return self._session if self._session is not None else sess.session_code()

    @property
    def store(self) -> Any:
        if self._store is None:
            from mixedflows.store import Store

            # Opened when first used, and reopened after a fault: a store that is down when
            # the page starts is reached later instead of failing the page.
            self._store = Store(connect=False)
        return self._store

    def record(
        self,
        exercise_id: str,
        answer: Any,
        result: GradeResult | None,
        feedback: Any = None,
        *,
        feedback_items: Any = None,
        grade_shown: str | None = None,
    ) -> int | None:
        """Record one attempt; its id in the store, or None when it is only kept (or lost):
        see ``last_outcome``. Never raises for a store fault; raises
        :class:`SubmissionRefusedError` (nothing recorded) for an answer too long or sent too
        fast, unless :meth:`admit` took it already.

        The attempt's feedback items are stored with it, and the learner's grade for the
        exercise after it (:mod:`mixedflows.gradebook`, the definition the grade export uses)
        is stored as ``grade_shown`` and said by :meth:`status`."""
        from mixedflows.store import make_row

        check_size(answer)  # always: an answer admitted earlier may not be this one
        learner = self.learner  # none known (a preheated kernel not claimed): refused here
        if not self._admitted:
            SUBMISSIONS.take()
        self._admitted = False
        self.last_grade = self._grade_after(exercise_id, result)
        self._last_exercise = exercise_id
        if feedback_items is None and result is not None:
            feedback_items = result.items_json()
        if grade_shown is None:
            grade_shown = self.last_grade.text
        row = make_row(
            learner=learner,
            session=self.session,
            exercise_id=exercise_id,
            answer=answer,
            score=result.score if result is not None else None,
            feedback=result.to_json() if result is not None else feedback,
            feedback_items=feedback_items,
            grade_shown=grade_shown,
        )
        try:
            store = self.store
            rid = store.insert(row)
        except Exception as e:
            from mixedflows.store import StoreError

            if isinstance(e, StoreError):  # a fault of the store: the facilitator's log says
                log.warning("attempt %s not stored: %s", row["uid"], e)
                self.last_cause = e.cause
            else:
                log.exception("attempt %s not stored", row["uid"])
                self.last_cause = "error"
            self.last_error = str(e)
        else:
            self.last_error, self.last_outcome, self.last_cause = "", "stored", ""
            _tell_recorded(exercise_id)
            return rid
        kept = self._keep(row)
        self.last_outcome = "kept" if kept else "not_saved"
        if kept:
            log.warning("attempt %s kept on this computer, in %s", row["uid"], kept.parent)
            self._send_later()
        else:
            log.error(
                "attempt %s NOT saved: no place to keep it either (the folder for kept "
                "attempts, %s: %s; set MIXEDFLOWS_PENDING to a writable folder)",
                row["uid"],
                _pending_folder_named(),
                KEEP_PROBLEMS.get(self.last_keep_problem, "it cannot be written"),
            )
        return None

    def _grade_after(self, exercise_id: str, result: GradeResult | None) -> Grade:
        """The learner's grade for the exercise once this attempt counts: their earlier
        attempts in this session (read from the store once, then kept here) and this one."""
        from mixedflows.gradebook import exercise_grade, graded_of, part_ids, part_word

        history = self._history.get(exercise_id)
        if history is None:
            try:
                earlier = self.store.attempts(
                    learner=self.learner, exercise_id=exercise_id, session=self.session
                )
                history = [graded_of(a) for a in earlier]
            except Exception as e:  # the store is down: this page's attempts only
                log.info("earlier attempts not read: %s", e)
                history = []
            self._history[exercise_id] = history
        if exercise_id not in self._parts:
            try:
                from mixedflows.exercises import load_exercise

                ex = load_exercise(exercise_id)
                self._parts[exercise_id] = part_ids(ex)
                self._part_words[exercise_id] = part_word(ex)
            except Exception:  # not an exercise file (a reflection): answered whole
                self._parts[exercise_id] = frozenset()
        if result is not None:
            history.append(Graded(result.score, result.part, practice=result.practice))
        else:
            history.append(Graded(None))
        return exercise_grade(history, self._parts[exercise_id])

    def admit(self, answer: Any) -> None:
        """Before grading: refuse an answer longer than the stated maximum
        (:data:`mixedflows.grading.MAX_ANSWER_CHARS`) or sent faster than :data:`SUBMISSIONS`
        allows, with a message saying so (:class:`SubmissionRefusedError`). The next
        :meth:`record` does not count it again."""
        check_size(answer)
        _ = self.learner  # no participant known: refused before grading, nothing recorded
        SUBMISSIONS.take()
        self._admitted = True

    def _keep(self, row: dict[str, Any]) -> Path | None:
        from mixedflows.store import default_location
        from mixedflows.store.pending import PendingAttempts

        try:
            pending = self.store.pending
        except Exception:  # the store could not even be described: keep it for the default
            pending = PendingAttempts(default_location())
        kept = pending.keep(row)
        self.last_keep_problem = "" if kept else (pending.last_problem or "error")
        return kept

    def _send_later(self) -> None:
        """Send kept attempts in the background, with backoff, until the store holds them."""
        if self._sender is not None and self._sender.is_alive():
            return

        def run() -> None:
            delay = 1.0
            while True:
                time.sleep(delay)
                try:
                    self.store.replay_pending()
                except Exception as e:
                    log.info("kept attempts not sent yet: %s", e)
                try:
                    if not self.store.pending.files():
                        return
                except Exception:
                    return
                delay = min(delay * 2, self.RETRY_MAX)

        self._sender = threading.Thread(target=run, name="mixedflows-send-kept", daemon=True)
        self._sender.start()

    # -- drafts: what the learner has entered but not submitted, one per learner and exercise --
    def save_draft(self, exercise_id: str, draft: Any) -> bool:
        """Keep ``draft`` in the store (replacing the last one); False if the store failed (the
        page then says nothing about a draft being kept) or the draft is longer than an answer
        may be (:data:`mixedflows.grading.MAX_ANSWER_CHARS`: submitting it would be refused)."""
        try:
            check_size(draft)
        except SubmissionRefusedError:
            log.info("draft of %s not kept: longer than an answer may be", exercise_id)
            return False
        try:
            self.store.save_draft(learner=self.learner, exercise_id=exercise_id, draft=draft)
            return True
        except Exception as e:
            _draft_failed("saved", exercise_id, e)
            return False

    def load_draft(self, exercise_id: str) -> Any:
        """The learner's kept draft for this exercise, or None."""
        try:
            return self.store.load_draft(learner=self.learner, exercise_id=exercise_id)
        except Exception as e:
            _draft_failed("read", exercise_id, e)
            return None

    def status(self, text: str) -> str:
        """``text`` (what the app says about the attempt) as a status line that says,
        truthfully, whether the last attempt was saved."""
        cause = self.last_cause or "unreachable"
        if self.last_outcome == "not_saved":
            lost = save_lost(cause, self.last_keep_problem)
            return message("bad", f"{lost} {text}".strip())
        if self.last_grade is not None:
            part = self._part_words.get(self._last_exercise, "")
            text = f"{text} {grade_sentence(self.last_grade, part)}".strip()
        if self.last_outcome == "kept":
            return message("part", f"{text} {save_kept(cause)}".strip())
        return message("ok", text)


def recorder_or_default(recorder: Recorder | None) -> Recorder:
    """The recorder an app was given (a test's, the page's own), or one for this page's
    learner and session: every app takes its recorder through here."""
    return recorder if recorder is not None else Recorder()


def _pending_folder_named() -> str:
    """The folder for kept attempts, named for the facilitator's log."""
    from mixedflows.store.pending import pending_root

    root = pending_root()
    return str(root) if root is not None else "none: no home folder"


def title(text: str, subtitle: str = "") -> w.HTML:
    return ui.titled(w.HTML(CSS + ui.title(text, subtitle)))
