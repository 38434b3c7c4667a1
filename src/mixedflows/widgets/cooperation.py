"""Module 10's apps: who does what (the mapping exercise), the multi-role exercise for a room,
the same room played alone, and the facilitator's panel that opens the room's debrief.

The room (:class:`RoomApp`): a participant takes a role (the store gives it: one participant
per role and table, :meth:`mixedflows.store.Store.claim_role`); the page then shows that role's
view only (:meth:`mixedflows.cooperation.room.Room.view`): no widget on it, and so no widget
state sent to the browser, carries another role's facts or decisions. The role submitted is
always the one the store holds for the participant, never a value from the page. When the
facilitator opens the debrief (:class:`RoomPanel` on the dashboard), every participant's page
shows the table's combined outcome (:func:`mixedflows.cooperation.engine.combine`).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Mapping
from typing import Any

import ipywidgets as w

from mixedflows.cooperation import engine
from mixedflows.cooperation import mandates as md
from mixedflows.cooperation.room import Room, load_room, option_order
from mixedflows.exercises import ModelExercise, list_exercises, load_exercise, load_expected
from mixedflows.results import AnswerError, GradeResult
from mixedflows.widgets import ui
from mixedflows.widgets.base import ExerciseApp, result_from_json
from mixedflows.widgets.common import Recorder, app_entry, recorder_or_default, safe
from mixedflows.widgets.ui import message

log = logging.getLogger("mixedflows")

ROOM_EXERCISE = "m10_landing_roles"
POLL_SECONDS = 3.0
"""How often a participant's page asks the store whether the debrief is open."""
ANY = ""


def html() -> Any:
    """The apps' macros (``templates/cooperation.html.j2``)."""
    return ui.macros("cooperation.html.j2")


# -- who does what ----------------------------------------------------------------------------
class MappingApp(ExerciseApp):
    """For each task, the actor that leads it (graded from datasets/cooperation/tasks.csv)."""

    expects = (ModelExercise,)
    model = "cooperation.mapping"
    default_exercise = "m10_who_does_what"

    def inputs(self) -> list[w.Widget]:
        actors = md.actors()
        options = [("Choose an actor", "")] + [(a.actor, a.id) for a in actors.values()]
        self.choices: dict[str, w.Dropdown] = {}
        rows: list[w.Widget] = []
        for i, t in enumerate(md.asked(self.exercise.params), 1):
            dd = w.Dropdown(
                options=options,
                value="",
                description=f"Task {i}",
                layout=w.Layout(width="min(560px, 100%)"),
            )
            dd.add_class(f"mf-task-{t.id}".replace("_", "-"))
            self.choices[t.id] = dd
            rows += [w.HTML(str(html().question(i, t.task))), dd]
        return rows

    def answer(self) -> dict[str, str]:
        return {k: dd.value for k, dd in self.choices.items() if dd.value}

    def restore(self, draft: Any) -> None:
        for k, v in (draft or {}).items():
            if k in self.choices and v in dict(self.choices[k].options).values():
                self.choices[k].value = v


@app_entry
def who_does_what(exercise_id: str = "m10_who_does_what", **kw: Any) -> w.Widget:
    return MappingApp(exercise_id, **kw).widget


def mandates_table() -> w.HTML:
    """The actors and their mandates, each with its source and how far it was verified, in
    words (:func:`~mixedflows.cooperation.mandates.shown_source`)."""
    rows = [
        [a.actor, a.mandate, a.in_the_field, md.shown_source(a.source, a.verification)]
        for a in md.actors().values()
    ]
    return w.HTML(
        ui.styles()
        + ui.table(
            ["Actor", "Mandate", "In the field", "Source"],
            rows,
            caption="Who does what: mandates",
        )
    )


def initiatives_table(kind: str | None = None) -> w.HTML:
    """The case studies (inter-agency) or the regional processes, with their sources and what
    is uncertain about them."""
    rows = []
    for i in md.initiatives().values():
        if kind and i.kind != kind:
            continue
        what = i.what + (f" Uncertain: {i.caveat}" if i.caveat else "")
        rows.append(
            [
                i.name,
                i.started,
                i.members,
                what,
                i.seed or "—",
                md.shown_source(i.source, i.verification),
            ]
        )
    caption = {
        "inter_agency": "Inter-agency cooperation in the field (MC/INF/294 ¶18)",
        "regional_state": "Regional processes (MC/INF/294 ¶29; deck IV.5)",
    }.get(kind or "", "Cooperation initiatives")
    return w.HTML(
        ui.styles()
        + ui.table(["Initiative", "Since", "Who", "What", "Seed", "Source"], rows, caption=caption)
    )


# -- rendering an outcome ---------------------------------------------------------------------
def outcome_html(room: Room, outcome: engine.RoomOutcome, members: Mapping[str, str]) -> str:
    """The debrief of one table: what each role decided, and for each person each need, met or
    not, and why (who did not act, or whose choice stood in the way), with its citation."""
    decided = []
    for r in room.roles:
        choices = outcome.decisions.get(r.id) or {}
        who = members.get(r.id, "")
        if not choices:
            text = "no decisions in (no one submitted for this role): it did nothing"
        else:
            text = "; ".join(f"{d.question} {d.option(choices[d.id]).label}" for d in r.decisions)
        decided.append([r.title, who or "—", text])
    html = ui.table(
        ["Role", "Played by", "Decided"],
        decided,
        caption="The table's decisions",
        css="mf-room-decisions",
    )
    rows, css = [], []
    for p in outcome.people:
        for n in p.needs:
            if n.met:
                why = "Met."
            else:
                why_parts = []
                for a in n.missing:
                    who = "" if a.played else " (no one played this role)"
                    why_parts.append(f"needed: {a.role_title}: '{a.option}'{who}")
                for a in n.blocked:
                    why_parts.append(f"blocked by {a.role_title}: '{a.option}'")
                why = "Not met: " + "; ".join(why_parts) + "."
            rows.append(
                [
                    p.label,
                    (n.label, "mf-ok" if n.met else "mf-bad"),
                    (
                        "met" if n.met else "not met",
                        "mf-ok mf-nowrap" if n.met else "mf-bad mf-nowrap",
                    ),
                    why,
                    (n.citation, "mf-cite"),
                ]
            )
            css.append(f"mf-need-{p.person_id}-{n.need_id}".replace("_", "-"))
    html += ui.table(
        ["Person (synthetic)", "Need", "", "Why", "Rests on"],
        rows,
        caption=f"For the people in the boat: {outcome.met} of {outcome.total} needs met",
        css="mf-room-outcome",
        row_css=css,
    )
    return html


# -- the room -----------------------------------------------------------------------------------
def _room_exercise(exercise_id: str) -> tuple[ModelExercise, Room]:
    ex = load_expected(
        exercise_id, ModelExercise, "cooperation.room", who="the multi-role room (RoomApp)"
    )
    return ex, load_room(ex.params.room)


def table_outcomes(
    store: Any, session: str, exercise_id: str, room: Room
) -> dict[int, tuple[dict[str, str], engine.RoomOutcome]]:
    """Each table of the session's exercise: who plays which role, and the outcome the
    engine combines from each role's latest decisions (an attempt counts only for the role the
    store gave its learner)."""
    roster = store.room_roster(session=session, exercise_id=exercise_id)
    held = {learner: (table, role) for learner, table, role in roster}
    latest: dict[str, dict] = {}
    for a in store.attempts(session=session, exercise_id=exercise_id):
        ans = a.answer if isinstance(a.answer, dict) else {}
        if held.get(a.learner, (None, None))[1] == ans.get("role"):
            latest[a.learner] = ans.get("decisions") or {}
    out: dict[int, tuple[dict[str, str], engine.RoomOutcome]] = {}
    for table in sorted({t for t, _ in held.values()}):
        members = {role: learner for learner, (t, role) in held.items() if t == table}
        decisions = {}
        for role, learner in members.items():
            if learner in latest:
                try:
                    decisions[role] = engine.check_choices(room, role, latest[learner])
                except AnswerError:
                    log.warning("decisions of %s not combined: not valid", learner)
        out[table] = (members, engine.combine(room, decisions))
    return out


class RoleDecisions(ExerciseApp):
    """The graded part of a participant's page in the room: the decisions of the role the store
    gave them, on the shared base (submission limits, the NOT-saved message, the grade shown,
    stale feedback, error handling), writing into the room page's status and feedback lines."""

    expects = (ModelExercise,)
    model = "cooperation.room"
    submit_label = "Submit my decisions"
    drafts = False
    max_width = ""

    def __init__(self, page: RoomApp) -> None:
        self.page = page
        self.view = page.room.view(page.role)
        self.choices: dict[str, w.RadioButtons] = {}
        super().__init__(
            page.exercise.id, recorder=page.recorder, status=page.status, feedback=page.feedback
        )
        self.header.layout = w.Layout(display="none")  # the room page shows the title once

    def intro(self) -> list[w.Widget]:
        view, page = self.view, self.page
        card = html().role_view(
            view.title, page.table, view.context, view.briefing, view.facts, view.people
        )
        return [w.HTML(str(card))]

    def inputs(self) -> list[w.Widget]:
        rows: list[w.Widget] = []
        seed = f"{self.page.recorder.learner}|{self.view.room_id}|{self.view.role_id}"
        for i, d in enumerate(self.view.decisions, 1):
            rb = w.RadioButtons(
                options=[(o.label, o.id) for o in option_order(d, seed)],
                value=None,
                description=f"Decision {i}",
                layout=w.Layout(width="100%"),
            )
            rb.add_class(f"mf-decision-{d.id}".replace("_", "-"))
            self.choices[d.id] = rb
            rows += [w.HTML(str(html().question(i, d.question))), rb]
        return rows

    def answer(self) -> dict[str, Any]:
        # The role and table the store holds for this participant, never a value from the page.
        return {
            "role": self.page.role,
            "table": self.page.table,
            "decisions": {k: rb.value for k, rb in self.choices.items() if rb.value},
        }

    def is_empty(self, answer: Any) -> bool:
        return not answer["decisions"]

    def check(self, answer: Any) -> None:
        rec = self.recorder
        if rec.store.debrief_opened(session=rec.session, exercise_id=self.exercise.id):
            raise AnswerError(
                "the facilitator has opened the debrief, so decisions are closed: this one was "
                "not graded or recorded, and your table's outcome stays as it was."
            )
        done, want = len(answer["decisions"]), len(self.choices)
        if done < want:
            raise AnswerError(
                f"please decide all {want} points first ({done} decided). Nothing was graded "
                "or recorded."
            )

    def status_line(self, result: Any) -> str:
        return (
            f"Your decisions: {result.score:.0%} for your role. They count when the "
            "facilitator opens the debrief; you may change them until then, not after."
        )

    def after_grade(self, result: Any) -> None:
        self.page.result = result
        self.page.debrief_button.layout.display = None
        self.page.start_polling()

    def show_last(self) -> GradeResult | None:
        """The participant's last recorded decisions for this role back on screen with their
        feedback (a reload showed them blank, no grade, while the dashboard said decided);
        their grade, or None if there were none (or they cannot be read)."""
        rec = self.recorder
        try:
            rows = rec.store.attempts(
                learner=rec.learner, session=rec.session, exercise_id=self.exercise.id
            )
        except Exception:
            log.info("decisions not read on load", exc_info=True)
            return None
        mine = [
            a
            for a in rows
            if isinstance(a.answer, dict)
            and a.answer.get("role") == self.page.role
            and isinstance(a.answer.get("decisions"), dict)
        ]
        if not mine:
            return None
        last = mine[-1]
        with self.quietly():
            for did, rb in self.choices.items():
                value = last.answer["decisions"].get(did)
                try:
                    rb.value = value
                except Exception:  # an option no longer offered: left undecided
                    log.info("decision %s not shown again: %r", did, value)
        try:
            result = result_from_json(last.feedback) if isinstance(last.feedback, dict) else None
        except (KeyError, TypeError, ValueError):
            log.info("feedback of the last decisions not shown again", exc_info=True)
            result = None
        if result is not None:
            self.result, self.stale = result, False
            self.page.result = result
            self.show_feedback()
        return result


class RoomApp:
    """One participant's page in the multi-role exercise (see the module docstring)."""

    def __init__(
        self,
        exercise_id: str = ROOM_EXERCISE,
        *,
        recorder: Recorder | None = None,
        poll: float = POLL_SECONDS,
    ) -> None:
        self.exercise, self.room = _room_exercise(exercise_id)
        self.recorder = recorder_or_default(recorder)
        self.poll = poll
        self.role: str | None = None
        self.table: int | None = None
        self.result = None
        self.debrief_shown = False
        self._stop = threading.Event()
        self._poller: threading.Thread | None = None
        self.status = w.HTML()
        self.status.add_class("mf-status")
        self.feedback = w.HTML()
        self.feedback.add_class("mf-feedback")
        self.debrief = w.HTML()
        self.debrief.add_class("mf-debrief")
        self.debrief_button = w.Button(description="See the debrief", icon="users")
        self.debrief_button.add_class("mf-see-debrief")
        self.debrief_button.on_click(safe(self.status)(lambda _b: self.check_debrief(True)))
        self.debrief_button.layout.display = "none"
        self.body = w.VBox()
        roles = [(r.title, r.id) for r in self.room.roles]
        self.picker = w.RadioButtons(
            options=[("Any free role (the first free at the lowest table)", ANY), *roles],
            value=ANY,
            description="Role",
            layout=w.Layout(width="100%"),
        )
        self.picker.add_class("mf-role-picker")
        self.take = w.Button(description="Take this role", button_style="primary")
        self.take.add_class("mf-take-role")
        self.take.on_click(safe(self.status)(lambda _b: self.take_role()))
        self.body.children = [
            w.HTML(
                ui.paragraphs(
                    self.room.spec.context,
                    "Choose a role (or take any free one). At each table a role is held by one "
                    "participant; once you hold a role, it is yours for this exercise.",
                )
            ),
            self.picker,
            self.take,
        ]
        ex = self.exercise
        sub = f"Module {ex.module} · MC/INF/294 " + ", ".join(f"¶{p}" for p in ex.seed_paragraphs)
        self.widget = w.VBox(
            [
                ui.style_widget(),
                ui.titled(w.HTML(ui.title(ex.title, sub))),
                w.HTML(ui.paragraphs(ex.instructions)),
                self.body,
                self.status,
                self.feedback,
                self.debrief_button,
                self.debrief,
            ]
        )
        self.widget.add_class("mf-app")
        self.widget.add_class("mf-coop")
        self.widget.add_class("mf-app-roomapp")
        # In a preheated kernel the participant is known only once a page claims it: the role
        # they hold is looked up then (a reload showed the picker: issue 15).
        from mixedflows.server import session as sess

        sess.when_claimed(self.resume)

    def resume(self) -> bool:
        """A participant who holds a role already (a reload, a reconnection) gets their role's
        view at once, and the debrief if the facilitator has opened it (a cold trial reloaded
        after the debrief opened and saw the role picker, then no debrief).

        Not in a preheated kernel before a page claims it: the participant is not known yet;
        the app calls this once it is (:func:`mixedflows.server.session.when_claimed`)."""
        from mixedflows.server import session as sess

        if sess.waiting_for_claim():
            return False
        try:
            roster = self.recorder.store.room_roster(
                session=self.recorder.session, exercise_id=self.exercise.id
            )
        except Exception:
            log.info("roles not read on load", exc_info=True)
            return False
        mine = [(t, r) for who, t, r in roster if who == self.recorder.learner]
        if not mine or mine[0][1] not in self.room.role_ids():
            return False
        self.table, self.role = mine[0]
        self.show_role()
        text = (
            f"You are {self.room.role(self.role).title}, at table {self.table} (your role in "
            "this session, kept from before)."
        )
        last = self.decider.show_last()
        if last is not None:
            text += (
                f" Your decisions are back as you submitted them. {self.decider.status_line(last)}"
            )
        self.status.value = message("ok", text)
        return True

    # -- taking a role -----------------------------------------------------------------------
    def take_role(self) -> tuple[int, str] | None:
        """Ask the store for the chosen role (or any free one); the role held already if the
        participant has one. The page then shows that role's view only."""
        wanted = self.picker.value
        ids = self.room.role_ids()
        roles = ids if wanted == ANY else tuple(r for r in ids if r == wanted)
        if not roles:
            self.status.value = message("bad", "Please choose one of the roles listed.")
            return None
        store = self.recorder.store
        try:
            held = store.claim_role(
                session=self.recorder.session,
                exercise_id=self.exercise.id,
                learner=self.recorder.learner,
                roles=roles,
            )
        except Exception:
            log.warning("role not taken", exc_info=True)
            self.status.value = message(
                "bad",
                "The store cannot be reached just now, so no role was given. Please try again "
                "in a moment, or tell the facilitator.",
            )
            return None
        if held is None:
            self.status.value = message(
                "part", "That role is taken at every table. Please choose another one."
            )
            return None
        self.table, self.role = held
        note = ""
        if wanted not in (ANY, self.role):
            note = " (you held this role already: a role is not changed once taken)"
        self.show_role()
        self.status.value = message(
            "ok", f"You are {self.room.role(self.role).title}, at table {self.table}{note}."
        )
        return held

    def show_role(self) -> None:
        """Replace the picker with the role's view: its facts and its decisions only."""
        self.picker.close()
        self.take.close()
        self.decider = RoleDecisions(self)
        self.body.children = [self.decider.widget]
        self.widget.add_class(f"mf-role-{self.role}".replace("_", "-"))
        try:
            opened = self.check_debrief()
        except Exception:
            log.info("debrief not checked", exc_info=True)
            opened = False
        if not opened and self._submitted():
            self.debrief_button.layout.display = None
            self.start_polling()

    def _submitted(self) -> bool:
        """Whether this participant has decisions recorded for their role already."""
        try:
            rows = self.recorder.store.attempts(
                learner=self.recorder.learner,
                session=self.recorder.session,
                exercise_id=self.exercise.id,
            )
        except Exception:
            return False
        return any(isinstance(a.answer, dict) and a.answer.get("role") == self.role for a in rows)

    @property
    def choices(self) -> dict[str, w.RadioButtons]:
        return self.decider.choices

    # -- deciding ---------------------------------------------------------------------------
    def decisions(self) -> dict[str, str]:
        return dict(self.decider.answer()["decisions"])

    def submit_decisions(self):
        """Grade and record the role's decisions (as the page's Submit button does), under the
        role the store holds for this participant (never one from the page)."""
        if self.role is None:
            self.status.value = message("part", "Take a role first.")
            return None
        return self.decider.safe(self.decider.submit_answer)()

    # -- the debrief ------------------------------------------------------------------------
    def check_debrief(self, asked: bool = False) -> bool:
        """Show the table's outcome if the facilitator has opened the debrief."""
        store = self.recorder.store
        session, ex = self.recorder.session, self.exercise.id
        if not store.debrief_opened(session=session, exercise_id=ex):
            if asked:
                self.debrief.value = message(
                    "part",
                    "The facilitator has not opened the debrief yet. It will appear here "
                    "by itself when they do.",
                )
            return False
        tables = table_outcomes(store, session, ex, self.room)
        if self.table not in tables:
            return False
        members, outcome = tables[self.table]
        self.debrief.value = str(
            html().debrief(self.table, ui.Markup(outcome_html(self.room, outcome, members)))
        )
        self.debrief_shown = True
        self._stop.set()
        return True

    def start_polling(self) -> None:
        if self.poll <= 0 or (self._poller is not None and self._poller.is_alive()):
            return

        def run() -> None:
            while not self._stop.wait(self.poll):
                try:
                    if self.check_debrief():
                        return
                except Exception:
                    log.info("debrief not checked", exc_info=True)

        self._poller = threading.Thread(target=run, name="mixedflows-debrief", daemon=True)
        self._poller.start()


@app_entry
def cooperation_roles(exercise_id: str = ROOM_EXERCISE, **kw: Any) -> w.Widget:
    """The participant's page of the multi-role exercise."""
    return RoomApp(exercise_id, **kw).widget


# -- the room played alone ------------------------------------------------------------------
class SoloRoom:
    """Every role at once, for a learner working alone (the module notebook): choose for each
    role, then see what the decisions combined mean for the people. Nothing is graded or
    recorded as an attempt; the module's debrief of the room opens on this page once the
    outcome was seen (:func:`.debrief_gate.played`), and what the learner played is kept as
    their draft, so a reload shows it again with the debrief open, for them only."""

    def __init__(
        self,
        room_id: str = "landing_at_port_alba",
        seed: str | None = None,
        recorder: Recorder | None = None,
    ) -> None:
        from mixedflows.server import session as sess

        self.room_id = room_id
        self.room = load_room(room_id)
        self.recorder = recorder_or_default(recorder)
        seed = seed if seed is not None else sess.learner_id()
        self.status = w.HTML()
        self.choices: dict[str, dict[str, w.RadioButtons]] = {}
        rows: list[w.Widget] = [ui.style_widget()]
        for r in self.room.roles:
            view = self.room.view(r.id)
            rows.append(w.HTML(str(html().role_card(r.title, view.facts))))
            self.choices[r.id] = {}
            for d in r.decisions:
                rb = w.RadioButtons(
                    options=[("Not decided (this role does nothing)", ANY)]
                    + [(o.label, o.id) for o in option_order(d, f"{seed}|{r.id}")],
                    value=ANY,
                    description=d.id.replace("_", " ").capitalize(),
                    layout=w.Layout(width="100%"),
                )
                self.choices[r.id][d.id] = rb
                rows += [w.HTML(str(html().plain(d.question))), rb]
        self.go = w.Button(description="See the outcome", button_style="primary")
        self.go.add_class("mf-solo-go")
        self.go.on_click(safe(self.status)(lambda _b: self.show()))
        self.out = w.HTML()
        self.out.add_class("mf-solo-outcome")
        self.widget = w.VBox([*rows, self.go, self.status, self.out])
        self.widget.add_class("mf-app")
        self.widget.add_class("mf-coop")
        sess.when_claimed(safe(self.status)(self.restore))

    def _gated(self) -> bool:
        """Whether this room is the one the module's debrief speaks of."""
        return load_exercise(ROOM_EXERCISE).params.room == self.room_id

    def restore(self) -> None:
        """What this learner played before (kept by :func:`.debrief_gate.played`) back on the
        page, with its outcome: their choices where the room still offers them."""
        from mixedflows.widgets.debrief_gate import played_before

        if not self._gated():
            return
        before = played_before(ROOM_EXERCISE, self.recorder)
        kept = before.get("kept") if before else None
        if not isinstance(kept, dict) or kept.get("room") != self.room_id:
            return
        for role, chosen in (kept.get("choices") or {}).items():
            for did, value in (chosen or {}).items():
                rb = self.choices.get(role, {}).get(did)
                if rb is not None and value in dict(rb.options).values():
                    rb.value = value
        self.show(keep=False)

    def show(self, keep: bool = True) -> engine.RoomOutcome:
        decisions = {}
        for role, boxes in self.choices.items():
            chosen = {d: rb.value for d, rb in boxes.items() if rb.value}
            if len(chosen) == len(boxes):
                decisions[role] = chosen
        outcome = engine.combine(self.room, decisions)
        note = ""
        if len(decisions) < len(self.choices):
            note = ui.paragraphs(
                "A role counts only when all its decisions are made; the others did nothing."
            )
        self.out.value = note + outcome_html(self.room, outcome, {})
        if keep and self._gated():
            from mixedflows.widgets.debrief_gate import played

            choices = {
                role: {d: rb.value for d, rb in boxes.items() if rb.value}
                for role, boxes in self.choices.items()
            }
            # The module's debrief of this room opens on this page, and after a reload.
            played(ROOM_EXERCISE, {"room": self.room_id, "choices": choices}, self.recorder)
        return outcome


@app_entry
def play_alone(room_id: str = "landing_at_port_alba") -> w.Widget:
    return SoloRoom(room_id).widget


# -- the facilitator's panel ----------------------------------------------------------------
def room_exercises() -> list[tuple[str, str]]:
    """The multi-role exercises of the course (model cooperation.room): (title, id) each, read
    from the files without validating them (the dashboard lists them at its start: validating
    each took its kernel about 0.02 s, issue 13). An exercise is validated when the panel shows
    it (:func:`_room_exercise`, whose error names the file and field)."""
    from mixedflows.errors import load_yaml
    from mixedflows.paths import exercises_dir

    out = []
    for eid in list_exercises():
        path = exercises_dir() / f"{eid}.yaml"
        try:
            if "cooperation.room" not in path.read_text("utf-8"):
                continue  # only the files that name the model are read
            data = load_yaml(path)
        except Exception:
            continue  # unreadable: its own page says why
        if isinstance(data, dict) and data.get("model") == "cooperation.room":
            title = data.get("title")
            out.append((title if isinstance(title, str) else eid, eid))
    return out


class RoomPanel:
    """On the facilitator's dashboard: who holds which role at which table, who has decided,
    and the button that opens the debrief (then each table's outcome)."""

    def __init__(self, store: Any = None, session: str | None = None) -> None:
        from mixedflows.server import session as sess
        from mixedflows.store import Store

        self.store = store if store is not None else Store(connect=False)
        self.session = session if session is not None else sess.session_code()
        # Every widget's layout and style are never changed: they share the kernel's one
        # layout and style of their kind (ui.text, ui.shared_layout, ui.shared_style: fewer
        # widget models for the page to create, issue 13 start-up).
        plain = ui.shared_layout()
        press = ui.shared_style(w.Button)
        self.status = ui.text(css="mf-status")
        self.pick = w.Dropdown(
            options=room_exercises(),
            description="Exercise",
            layout=ui.shared_layout(width="min(560px, 100%)"),
            style=ui.shared_style(w.Dropdown),
        )
        self.refresh_button = w.Button(
            description="Refresh roles", icon="refresh", layout=plain, style=press
        )
        self.refresh_button.add_class("mf-room-refresh")
        self.refresh_button.on_click(safe(self.status)(lambda _b: self.refresh()))
        self.open_button = w.Button(
            description="Open the debrief", button_style="primary", layout=plain, style=press
        )
        self.open_button.add_class("mf-open-debrief")
        self.open_button.on_click(safe(self.status)(lambda _b: self.open_debrief()))
        self.view = ui.text(css="mf-room-panel")
        self.widget = w.VBox(
            [
                ui.style_widget(),
                ui.text(
                    ui.paragraphs(
                        "The multi-role exercise: participants take roles at tables; each "
                        "sees only their role. Open the debrief when the tables have decided: "
                        "every participant's page then shows their table's outcome."
                    )
                ),
                w.HBox([self.pick, self.refresh_button, self.open_button], layout=plain),
                self.status,
                self.view,
            ],
            layout=plain,
        )
        self.widget.add_class("mf-app")
        self.widget.add_class("mf-coop")
        self.refresh()

    def open_debrief(self) -> None:
        if not self.pick.value:
            return
        self.store.open_debrief(session=self.session, exercise_id=self.pick.value)
        self.status.value = message(
            "ok", "The debrief is open: participants' pages show their table's outcome."
        )
        self.refresh()

    def refresh(self) -> None:
        eid = self.pick.value
        if not eid:
            self.view.value = message("part", "The course has no multi-role exercise.")
            return
        if not self.store.room_roster(session=self.session, exercise_id=eid):
            # the room itself is read once someone has a role (the dashboard's start, issue 13)
            self.view.value = ui.paragraphs("No one has taken a role yet.")
            return
        _ex, room = _room_exercise(eid)
        tables = table_outcomes(self.store, self.session, eid, room)
        opened = self.store.debrief_opened(session=self.session, exercise_id=eid)
        submitted = {a.learner for a in self.store.attempts(session=self.session, exercise_id=eid)}
        html = ""
        for table, (members, outcome) in tables.items():
            rows = [
                [r.title, members.get(r.id, "—"), "yes" if members.get(r.id) in submitted else "no"]
                for r in room.roles
            ]
            html += ui.table(
                ["Role", "Participant", "Decided"],
                rows,
                caption=f"Table {table}",
                css="mf-room-roster",
            )
            if opened:
                html += outcome_html(room, outcome, members)
        state = "open" if opened else "not open yet"
        self.view.value = ui.paragraphs(f"Debrief: {state}.") + html


@app_entry
def room_panel(store: Any = None, session: str | None = None) -> w.Widget:
    """The facilitator's panel for the multi-role exercise (on the dashboard). On the hub's
    dashboard service, for a session the facilitator opened only (issue 16)."""
    from mixedflows.server import hub

    try:
        owner = hub.facilitator()
        if owner is not None:
            from mixedflows.server import session as sess
            from mixedflows.store import Store

            code = session if session is not None else sess.session_code()
            store = store if store is not None else Store()
            if not code or store.session_owner(code) != owner:
                return w.HTML(
                    message(
                        "part",
                        "The multi-role panel shows a session you opened on this hub: open it "
                        "from that session's dashboard link.",
                    )
                )
        return RoomPanel(store, session).widget
    except Exception:
        log.exception("the multi-role panel could not start")
        return w.HTML(
            message(
                "bad",
                "The multi-role panel cannot read the attempt store right now. Check that the "
                "store is reachable (MIXEDFLOWS_STORE) and reload this page.",
            )
        )
