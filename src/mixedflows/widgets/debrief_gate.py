"""A debrief that gives an exercise's answers, shown only once this learner has attempted it.

The debriefs of the module pages (:mod:`mixedflows.journey`, :mod:`mixedflows.rescue.debrief`,
:mod:`mixedflows.reception.debrief`, :mod:`mixedflows.cases.debrief`,
:mod:`mixedflows.casework.debrief`, :mod:`mixedflows.returns.debrief`,
:mod:`mixedflows.cooperation.debrief`) name the ports, placements and actions the rules derive:
the exercise's answers. Shown on load, a learner could copy them before any attempt (issue 14;
issue 13 point 3: reference answers only for what the learner answered). So the module page
shows :func:`after_attempt` instead: the debrief once the store holds an attempt of this
learner (the one the page runs as, :class:`~.common.Recorder`) for every exercise it speaks
of; until then a plain line saying so and a **Show the debrief** button that checks again.
An attempt recorded from this page (by its :class:`~.common.Recorder`) opens it at once.

The rule is the same in Voila and in JupyterLab: it reads the store, not the page.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from typing import Any

import ipywidgets as w

from mixedflows.widgets import common
from mixedflows.widgets.ui import message

log = logging.getLogger("mixedflows")

GATE_TEXT = "Submit the exercise above first: the debrief gives its answers."
GATE_TEXT_MANY = "Submit the exercises above first: the debrief gives their answers."
GATE_TEXTS = {
    "m10_landing_roles": "Play the room above first (See the outcome), or take your role in "
    "the room: the debrief gives its answers."
}
"""Where the exercise above is not submitted but played: what to do first."""


PLAYED: set[str] = set()
"""Exercises played on this page with nothing to record (module 10's room played alone): their
debrief opens on this page as after an attempt (it says nothing the play has not shown)."""

PLAYABLE = frozenset(GATE_TEXTS)
"""Exercises a learner may play on a page without an attempt: that they played is kept in the
store as a draft of theirs (:func:`played_key`), so their debrief stays open after a reload."""


def played_key(exercise_id: str) -> str:
    """The draft that keeps, per learner, what they played of ``exercise_id`` alone (not the
    exercise's own draft: the room's decisions are the role's, never the solo play's)."""
    return f"{exercise_id}:played_alone"


def played(exercise_id: str, kept: Any = None, recorder: Any = None) -> None:
    """Say that the learner played ``exercise_id`` on this page, where nothing is recorded (the
    room played alone): its debrief on this page opens, and, for a :data:`PLAYABLE` exercise,
    stays open for this learner after a reload (``kept``, what they played, is kept as their
    draft; a learner not known yet, or a store that cannot take it, keeps it on this page
    only)."""
    PLAYED.add(exercise_id)
    if exercise_id in PLAYABLE:
        rec = recorder if recorder is not None else common.Recorder()
        try:
            rec.learner  # noqa: B018 (a preheated kernel with no participant keeps nothing)
        except common.SubmissionRefusedError:
            pass
        else:
            rec.save_draft(played_key(exercise_id), {"played": True, "kept": kept})
    common._tell_recorded(exercise_id)


def played_before(exercise_id: str, recorder: Any = None) -> Any:
    """What the learner the page runs as played of ``exercise_id`` alone before (the ``kept``
    of :func:`played`), or None if they did not (or are not known yet)."""
    if exercise_id not in PLAYABLE:
        return None
    rec = recorder if recorder is not None else common.Recorder()
    try:
        rec.learner  # noqa: B018
    except common.SubmissionRefusedError:
        return None
    draft = rec.load_draft(played_key(exercise_id))
    return draft if isinstance(draft, dict) and draft.get("played") else None


def answers_shown(exercise_id: str, attempts: Sequence[Any]) -> bool:
    """Whether the exercise itself shows its answers after ``attempts`` (this learner's, in
    the session), by the rule its app follows (:class:`~.base.ExerciseApp`): any attempt for
    an exercise with no limit; for one with a ``max_attempts`` (module 9's return desk, whose
    notes do not correct a wrong decision before the last attempt), the last attempt used or
    one attempt all right. A debrief that names the answers opens no earlier than that."""
    if not attempts:
        return False
    from mixedflows.exercises import load_exercise

    limit = int(getattr(load_exercise(exercise_id), "max_attempts", 0) or 0)
    if not limit:
        return True
    return len(attempts) >= limit or any(a.score is not None and a.score >= 0.999 for a in attempts)


def limited_text(exercise_ids: Sequence[str]) -> str:
    """What the gate adds for an exercise with a limit on attempts: its debrief waits for the
    answers the exercise shows (:func:`answers_shown`), not for the first attempt."""
    from mixedflows.exercises import load_exercise

    out = ""
    for ex_id in exercise_ids:
        ex = load_exercise(ex_id)
        limit = int(getattr(ex, "max_attempts", 0) or 0)
        if limit:
            out += (
                f" “{ex.title}” shows its answers after your last attempt ({limit}) or once "
                "every answer is right, and so does this debrief."
            )
    return out


def missing_attempts(exercise_ids: Sequence[str], recorder: Any = None) -> list[str]:
    """The exercises among ``exercise_ids`` for which the store holds no attempt of the learner
    the page runs as (in the page's session, as the grade counts them), unless the facilitator
    has opened the exercise's debrief for the session (the dashboard's room panel,
    ``Store.open_debrief``), or the learner played it alone (:func:`played_before`, kept across
    reloads). Raises what the store raises when it cannot be read; a learner not
    known yet (a preheated kernel) has none."""
    exercise_ids = [ex for ex in exercise_ids if ex not in PLAYED]
    if not exercise_ids:
        return []
    rec = recorder if recorder is not None else common.Recorder()
    try:
        learner = rec.learner
    except common.SubmissionRefusedError:
        return list(exercise_ids)
    store, session = rec.store, rec.session
    return [
        ex
        for ex in exercise_ids
        if not answers_shown(ex, store.attempts(learner=learner, exercise_id=ex, session=session))
        and not (session and store.debrief_opened(session=session, exercise_id=ex))
        and played_before(ex, rec) is None
    ]


def after_attempt(
    exercise_ids: str | Sequence[str],
    render: Callable[..., Any],
    *args: Any,
    recorder: Any = None,
) -> w.VBox:
    """The debrief ``render(*args)`` gives, shown once the learner has an attempt recorded for each
    of ``exercise_ids``; until then the reason and a button that checks again."""
    ids = [exercise_ids] if isinstance(exercise_ids, str) else list(exercise_ids)
    status = w.HTML()
    button = w.Button(description="Show the debrief", tooltip="Show the debrief")
    button.add_class("mf-debrief-show")
    out = w.Output()
    box = w.VBox([status, button, out])
    box.add_class("mf-debrief-gate")
    shown = False
    lock = threading.Lock()

    def check(_: Any = None) -> bool:
        nonlocal shown
        with lock:
            if shown:
                return True
            try:
                missing = missing_attempts(ids, recorder)
            except Exception as e:  # a store that cannot be read: nothing shown, said plainly
                log.warning("debrief of %s: attempts not read: %s", ids, e)
                status.value = message(
                    "part",
                    "Your attempts cannot be read just now, so the debrief stays closed: "
                    "try again in a moment, or ask the facilitator.",
                )
                return False
            if missing:
                text = GATE_TEXT if len(ids) == 1 else GATE_TEXT_MANY
                status.value = message("part", GATE_TEXTS.get(ids[0], text) + limited_text(missing))
                return False
            try:
                shown_now = render(*args)
            except Exception:
                log.exception("debrief of %s not rendered", ids)
                status.value = message(
                    "bad", "The debrief could not be prepared: please tell the facilitator."
                )
                return False
            shown = True
            status.value = ""
            button.layout.display = "none"
            out.append_display_data(shown_now)
            return True

    def on_recorded(exercise_id: str) -> None:
        # After the recorder's own work, beside it: the exercise's feedback does not wait for
        # the debrief (module 4's runs the season for seconds).
        if exercise_id in ids and not shown:
            box.opening = threading.Thread(target=check, name="mixedflows-debrief", daemon=True)
            box.opening.start()

    button.on_click(lambda _b: check())
    common.on_recorded(on_recorded)
    check()
    return box
