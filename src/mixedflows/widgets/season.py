"""Module 11, the capstone app: a season on the route, stage by stage (Voila app
``widgets/season_on_the_route.ipynb``).

The widgets only collect input, ask the engine and render. Each stage's situation comes from
:mod:`mixedflows.capstone.season`, played with the answers of the stages before it: **Continue**
plays the stages so far and shows what follows, then opens the next stage; changing an earlier
answer closes the stages after it (their situation no longer holds). **Submit the season**
grades the five stages (recorded through the exercise-app base) and offers the debrief as an
HTML download. A learner answers on their own, or for a team: a team is the session and a team
name, and its attempts are recorded under ``team <name>`` in that session.
"""

from __future__ import annotations

import base64
from typing import Any

import ipywidgets as w

from mixedflows.capstone import season as cs
from mixedflows.capstone.spec import load_capstone
from mixedflows.exercises import ModelExercise
from mixedflows.grading import AnswerError, GradeResult, check_size
from mixedflows.profiles import NEED_LABELS, Need
from mixedflows.store import clean_pseudonym
from mixedflows.widgets import ui
from mixedflows.widgets.base import ExerciseApp, Recorder, app_entry
from mixedflows.widgets.ui import message


def html() -> Any:
    """The app's macros (``templates/season.html.j2``); its look is in ``styles.css``."""
    return ui.macros("season.html.j2")


START_PLAN = {"medical": 3, "screening": 6, "child_protection": 2, "mediation": 6}
"""Where the staffing inputs start (a thin centre, the learner's to change); beds start at the
number the centre was built for, transfers at the season's arrivals a day."""


def download_link(text: str, filename: str, label: str) -> str:
    """An anchor that saves ``text`` as ``filename`` (a data: URI, no server round trip). The
    base64 text is passed as Markup: its letters (A-Z, a-z, 0-9, +, /, =) are none that HTML
    escapes, so escaping it would only copy it (about 50 KB for a season's debrief)."""
    data = base64.b64encode(text.encode("utf-8")).decode("ascii")
    return str(html().download(filename, ui.Markup(data), label))


def warm_in_background() -> None:
    """Load the reception simulation's compiled kernel while the learner works on stage 1, so
    that stage 2's Continue does not wait for it (a thread: the page is already shown), when
    the compiled kernel is the loop that will run (``mixedflows.reception.model.engine``): an
    app's season runs in plain Python, without numba's memory, unless told otherwise."""
    import threading

    def warm() -> None:
        try:
            from mixedflows.reception import model

            if model.engine(0) != "compiled":
                return  # the plain loop runs the season: nothing to load (issue 16: memory)
            from mixedflows.reception import kernel

            kernel.warm()
        except Exception:  # the first Continue then loads it; nothing is lost
            import logging

            logging.getLogger("mixedflows").warning("reception kernel not warmed", exc_info=True)

    threading.Thread(target=warm, name="mf-warm-reception", daemon=True).start()


def team_learner(name: str) -> str:
    """The id a team's attempts are recorded under (in the page's session)."""
    return clean_pseudonym(f"team {name}")


def _css(text: str) -> str:
    return text.replace("_", "-").replace(".", "-")


def _lines(lines: tuple[str, ...]) -> str:
    return str(html().lines(lines))


FINAL_FROM = "screening"
"""The first stage whose Continue makes the answers so far final: its "what follows" rests on
the screening's graded referrals (issue 15 hostile trial: a learner saw the consequences, then
edited stage 3 to match and pressed Continue again)."""


class Stage:
    """One stage's box: heading, situation, inputs (built when the stage opens), what follows."""

    def __init__(self, key: str, n: int) -> None:
        self.key = key
        self.n = n
        self.built = False
        self.locked = False
        """Final: its answers were Continued past the screening (see :data:`FINAL_FROM`)."""
        self.situation = w.HTML()
        self.situation.add_class(f"mf-situation-{_css(key)}")
        self.follows = w.HTML()
        self.follows.add_class(f"mf-follows-{_css(key)}")
        self.inputs = w.VBox([])
        self.cont = w.Button(
            description="Continue: see what follows", layout=w.Layout(width="auto")
        )
        self.cont.add_class(f"mf-continue-{_css(key)}")
        parts = [
            w.HTML(str(html().heading(n, cs.STAGE_TITLES[key]))),
            self.situation,
            self.inputs,
        ]
        if key != cs.STAGES[-1]:
            parts += [self.cont, self.follows]
        self.box = w.VBox(parts, layout=w.Layout(display="none" if n > 1 else None))
        self.box.add_class("mf-stage")
        self.box.add_class(f"mf-stage-{_css(key)}")

    @property
    def open(self) -> bool:
        return self.box.layout.display != "none"

    def show(self, on: bool) -> None:
        self.box.layout.display = None if on else "none"


class SeasonApp(ExerciseApp):
    """The capstone: ``SeasonApp().widget`` is what the page shows."""

    expects = (ModelExercise,)
    model = "capstone.season"
    default_exercise = "m11_season_on_the_route"
    submit_label = "Submit the season"
    auto_watch = False  # a change closes the stages after it: watched per stage below

    def __init__(
        self, exercise_id: str = "m11_season_on_the_route", *, recorder: Recorder | None = None
    ) -> None:
        self.season: cs.Season | None = None
        self._own_recorder = recorder
        super().__init__(exercise_id, recorder=recorder)
        self._own_recorder = self.recorder
        self.submit.add_class("mf-season-submit")
        self._warming = False
        self._submit_when_complete()
        from mixedflows.server import session as sess

        # Again after the draft is read (ExerciseApp reads it once a page claims the kernel).
        sess.when_claimed(self._submit_when_complete)

    def _submit_when_complete(self) -> None:
        """Submit the season only once its five stages are open (before, it did nothing)."""
        self.submit.disabled = not self.stages[cs.STAGES[-1]].open
        self.submit.tooltip = (
            ""
            if not self.submit.disabled
            else "Open the five stages first: press Continue at the end of each stage."
        )

    # -- layout --------------------------------------------------------------------------------
    def inputs(self) -> list[w.Widget]:
        # The scenario file alone for the first paint; the files each stage names load when
        # the learner first presses Continue (cs._spec checks them all, once per process).
        self.spec = load_capstone(self.exercise.params.scenario, deep=False)
        self.mode = w.ToggleButtons(
            options=[("On my own", "self"), ("As a team", "team")],
            value="self",
            description="Who answers",
            style={"button_width": "auto"},
        )
        self.mode.add_class("mf-season-mode")
        self.team = w.Text(
            value="",
            placeholder="Your team's name",
            description="Team name",
            layout=w.Layout(display="none", width="auto", max_width="360px"),
        )
        self.team.add_class("mf-season-team")
        self.mode.observe(self.safe(self._on_who), "value")
        self.team.observe(self.safe(self._on_who), "value")
        self.stages = {k: Stage(k, i) for i, k in enumerate(cs.STAGES, 1)}
        for st in self.stages.values():
            st.cont.on_click(self.safe(lambda _b, key=st.key: self.advance(key)))
        self.download = w.HTML()
        self.download.add_class("mf-season-download")
        self.open_stage("rescue", cs.start(self.spec))
        return [
            self.mode,
            self.team,
            *(st.box for st in self.stages.values()),
        ]

    def after(self) -> list[w.Widget]:
        return [self.download]

    # -- building each stage's inputs -----------------------------------------------------------
    def _watch(self, key: str, widgets: list[w.Widget]) -> None:
        for x in widgets:
            x.observe(self.safe(lambda _c, key=key: self.stage_changed(key)), "value")

    def _build_rescue(self) -> list[w.Widget]:
        from mixedflows.rescue import INFORMED, ON_BOARD
        from mixedflows.widgets.rescue import people_html, ports_html

        case = cs._rescue_case(self.spec.rescue)
        self.port = w.RadioButtons(
            options=[(f"{p.name} ({p.state}, {p.hours:g} h)", p.id) for p in case.spec.ports],
            value=None,
            description="Port",
            layout=w.Layout(width="auto"),
        )
        self.port.add_class("mf-season-port")
        self.port.observe(lambda _c: self._warm(), "value")
        self.on_board = self._checks(ON_BOARD, "mf-board")
        self.informed = self._checks(INFORMED, "mf-inform")
        ws = [self.port, *self.on_board.values(), *self.informed.values()]
        self._watch("rescue", ws)
        return [
            w.HTML(str(html().rescue(ui.Markup(people_html(case)), ui.Markup(ports_html(case))))),
            self.port,
            w.HTML(str(html().label("What does the master do on board until then?"))),
            w.VBox(list(self.on_board.values())),
            w.HTML(str(html().label("Whom does your centre inform?"))),
            w.VBox(list(self.informed.values())),
        ]

    def _warm(self) -> None:
        # Once the learner is at work on stage 1, not while the page is first drawn (loading
        # the compiled kernel holds the interpreter for a moment).
        if not getattr(self, "_warming", True):
            self._warming = True
            warm_in_background()

    def _checks(self, options: Any, css: str) -> dict[str, w.Checkbox]:
        out = {}
        for o in options:
            cb = w.Checkbox(description=o.label, indent=False, layout=w.Layout(width="auto"))
            cb.add_class(f"{css}-{_css(o.id)}")
            out[o.id] = cb
        return out

    def _build_reception(self) -> list[w.Widget]:
        rs = cs._resolved(self.spec.reception.season)
        start = {
            **START_PLAN,
            "beds": rs.capacity,
            "transfers_per_day": round(rs.expected_people / rs.days),
        }
        labels = {
            **cs.RECEPTION_ROLES,
            "beds": "Beds",
            "transfers_per_day": "Transfers out a day",
        }
        self.plan: dict[str, w.BoundedIntText] = {}
        for key, (lo, hi) in cs.RECEPTION_LIMITS.items():
            x = w.BoundedIntText(
                value=start[key],
                min=lo,
                max=hi,
                description=labels[key],
                style={"description_width": "initial"},
                layout=w.Layout(width="auto", max_width="420px"),
            )
            x.add_class(f"mf-plan-{_css(key)}")
            self.plan[key] = x
        self._watch("reception", list(self.plan.values()))
        return list(self.plan.values())

    def _build_screening(self) -> list[w.Widget]:
        self.needs: dict[str, dict[str, w.Checkbox]] = {}
        self.person_text: dict[str, w.HTML] = {}
        rows: list[w.Widget] = []
        for k, p in enumerate(cs._cohort(*self._cohort_key())):
            pid = p.person_id
            self.person_text[pid] = w.HTML()
            boxes = {}
            for need in Need:
                cb = w.Checkbox(
                    description=NEED_LABELS[need], indent=False, layout=w.Layout(width="auto")
                )
                cb.add_class(f"mf-need-{k}-{_css(need.value)}")
                boxes[need.value] = cb
            self.needs[pid] = boxes
            self._watch("screening", list(boxes.values()))
            box = w.VBox([self.person_text[pid], *boxes.values()])
            box.add_class("mf-person")
            rows.append(box)
        return rows

    def _cohort_key(self) -> tuple[str, int, int]:
        sc = self.spec.screening
        return (sc.scenario, sc.seed, sc.sample)

    def _build_postarrival(self) -> list[w.Widget]:
        from mixedflows.casework import ACTIONS

        self.actions: dict[str, dict[str, w.Checkbox]] = {}
        self.file_text: dict[str, w.HTML] = {}
        rows: list[w.Widget] = []
        for k, p in enumerate(cs._cohort(*self._cohort_key())):
            pid = p.person_id
            self.file_text[pid] = w.HTML()
            boxes = {}
            for aid in self.spec.postarrival.actions:
                cb = w.Checkbox(
                    description=ACTIONS[aid].label, indent=False, layout=w.Layout(width="auto")
                )
                cb.add_class(f"mf-act-{k}-{_css(aid)}")
                boxes[aid] = cb
            self.actions[pid] = boxes
            self._watch("postarrival", list(boxes.values()))
            box = w.VBox([self.file_text[pid], *boxes.values()])
            box.add_class("mf-person")
            rows.append(box)
        return rows

    def _build_policy(self) -> list[w.Widget]:
        from mixedflows.regularization import load_levers, load_programme

        levers = load_levers()
        base = load_programme(self.spec.policy.programme).levers
        self.levers: dict[str, w.Widget] = {}
        for key in self.spec.policy.levers:
            lv = levers[key]
            common = dict(
                description=lv.label,
                tooltip=lv.description,
                style={"description_width": "initial"},
                layout=w.Layout(width="auto", max_width="420px"),
            )
            if lv.kind == "boolean":
                x: w.Widget = w.Checkbox(value=bool(base[key]), indent=False, **common)
            elif lv.kind == "choice":
                x = w.Dropdown(
                    options=[(c.label, c.id) for c in lv.choices], value=base[key], **common
                )
            elif lv.integer:
                x = w.BoundedIntText(
                    value=int(base[key]), min=int(lv.min), max=int(lv.max), step=int(lv.step),
                    **common,
                )  # fmt: skip
            else:
                x = w.BoundedFloatText(
                    value=float(base[key]), min=lv.min, max=lv.max, step=lv.step, **common
                )
            x.add_class(f"mf-lever-{_css(key)}")
            self.levers[key] = x
        self._watch("policy", list(self.levers.values()))
        self.return_inputs: dict[str, w.Widget] = {}
        if self.spec.policy.return_reintegration is None:
            self.policy_kind = None
            return list(self.levers.values())
        return self._build_return()

    def _build_return(self) -> list[w.Widget]:
        """The policy kind (regularization or return and reintegration, module 9) and, for
        return, who is returned, the safeguards and the programme per returnee."""
        from mixedflows.capstone.returns import _params
        from mixedflows.returns.reintegration import MEASURES

        params = _params(cs.start(self.spec))
        self.policy_kind = w.RadioButtons(
            options=[
                ("A regularization programme (module 8)", "regularization"),
                ("Return and reintegration (module 9)", "return_reintegration"),
            ],
            value="regularization",
            description="Policy",
            layout=w.Layout(width="auto"),
        )
        self.policy_kind.add_class("mf-policy-kind")
        common = dict(style={"description_width": "initial"}, layout=w.Layout(width="auto"))
        self.return_inputs = {
            "enforced": w.Checkbox(
                description="Enforce the return of those who do not choose to go",
                indent=False,
                **common,
            ),
            "safeguards": w.Checkbox(
                description="No return before the safeguard a person's case calls for (a "
                "best-interests determination, a risk assessment, a protection claim decided)",
                indent=False,
                **common,
            ),
        }
        for m, label in MEASURES.items():
            self.return_inputs[m] = w.BoundedIntText(
                value=0,
                min=0,
                max=params.budget,
                step=params.step,
                description=f"{label} (EUR)",
                style={"description_width": "initial"},
                layout=w.Layout(width="auto", max_width="520px"),
            )
        for k, x in self.return_inputs.items():
            x.add_class(f"mf-return-{_css(k)}")
        regularize = w.VBox(list(self.levers.values()))
        regularize.add_class("mf-policy-regularization")
        back = w.VBox(
            [
                w.HTML(str(html().budget(f"{params.budget:,}", f"{params.step:,}"))),
                *self.return_inputs.values(),
            ]
        )
        back.add_class("mf-policy-return")
        back.layout.display = "none"

        def show(_c: Any = None) -> None:
            ret = self.policy_kind.value == "return_reintegration"
            regularize.layout.display = "none" if ret else None
            back.layout.display = None if ret else "none"

        self.policy_kind.observe(show, "value")
        self._watch("policy", [self.policy_kind, *self.return_inputs.values()])
        return [self.policy_kind, regularize, back]

    # -- the stages ----------------------------------------------------------------------------
    def open_stage(self, key: str, season: cs.Season) -> None:
        """Open a stage with the situation the season so far leaves it."""
        st = self.stages[key]
        if not st.built:
            with self.quietly():
                st.inputs.children = tuple(getattr(self, f"_build_{key}")())
            st.built = True
        st.situation.value = _lines(cs.SITUATION[key](season))
        if key == "screening":
            for s in cs.screening_sample(season):
                pid = s.person.person_id
                self.person_text[pid].value = str(
                    html().heard(s.heard.name, s.rushed, s.heard.narrative)
                )
        elif key == "postarrival":
            from mixedflows.casework import situation_lines

            assert season.screening is not None
            referred = season.screening.referred
            for f in cs.postarrival_files(season):
                pid = f.person.person_id
                refs = "; ".join(NEED_LABELS[Need(n)] for n in referred.get(pid, ())) or "none"
                situation = " ".join(situation_lines(f.person, f.situation))
                self.file_text[pid].value = str(
                    html().file(f.person.name, f.person.narrative, situation, refs)
                )
        st.show(True)

    def stage_answer(self, key: str) -> Any:
        if key == "rescue":
            return {
                "port": self.port.value,
                "on_board": [k for k, cb in self.on_board.items() if cb.value],
                "informed": [k for k, cb in self.informed.items() if cb.value],
            }
        if key == "reception":
            return {k: int(x.value) for k, x in self.plan.items()}
        if key == "screening":
            return {pid: [n for n, cb in b.items() if cb.value] for pid, b in self.needs.items()}
        if key == "postarrival":
            return {pid: [a for a, cb in b.items() if cb.value] for pid, b in self.actions.items()}
        if self.policy_kind is not None and self.policy_kind.value == "return_reintegration":
            x = self.return_inputs
            return {
                "kind": "return_reintegration",
                "enforced": bool(x["enforced"].value),
                "safeguards": bool(x["safeguards"].value),
                "programme": {
                    k: int(v.value) for k, v in x.items() if k not in ("enforced", "safeguards")
                },
            }
        return {k: x.value for k, x in self.levers.items()}

    def answers_upto(self, key: str) -> dict[str, Any]:
        out = {}
        for k in cs.STAGES[: cs.STAGES.index(key) + 1]:
            out[k] = self.stage_answer(k)
        return out

    def advance(self, key: str) -> cs.Season:
        """Play the stages up to ``key``, show what follows, open the next stage."""
        if key == "rescue" and self.port.value is None:
            raise AnswerError("choose the port first")
        # Said at once: on a busy machine the season may take seconds to run.
        self.status.value = message("part", "Working out what follows this stage...")
        self.spec = cs._spec(self.exercise.params.scenario)
        season = cs.play(self.spec, self.answers_upto(key), upto=key)
        rec = season.record(key)
        assert rec is not None
        st = self.stages[key]
        final = cs.STAGES.index(key) >= cs.STAGES.index(FINAL_FROM)
        if final:
            # From the screening on, what follows rests on graded answers: once seen, the
            # stage and those before it are final (else a learner edits them to match).
            for k in cs.STAGES[: cs.STAGES.index(key) + 1]:
                self._lock(k)
        st.follows.value = str(html().follows(rec.consequences, final))
        st.follows.add_class("mf-follows")
        nxt = cs.STAGES[cs.STAGES.index(key) + 1]
        self.open_stage(nxt, season)
        self._submit_when_complete()
        self.status.value = message("ok", f"Stage {cs.STAGES.index(nxt) + 1} is open below.")
        self.save_draft()  # a reload brings the stages back (final ones final), the next open
        return season

    def _lock(self, key: str) -> None:
        st = self.stages[key]
        todo = list(st.inputs.children)
        while todo:
            x = todo.pop()
            if hasattr(x, "disabled"):
                x.disabled = True
            todo.extend(getattr(x, "children", ()) or ())
        st.cont.disabled = True
        st.locked = True

    def stage_changed(self, key: str) -> None:
        """An answer changed: the stages after it no longer hold; close them."""
        if self._quiet:
            return
        i = cs.STAGES.index(key)
        self.stages[key].follows.value = ""
        for later in cs.STAGES[i + 1 :]:
            st = self.stages[later]
            if st.open:
                st.show(False)
                st.follows.value = ""
        self.download.value = ""
        self._submit_when_complete()
        self.changed()

    def _on_who(self, _change: Any) -> None:
        team = self.mode.value == "team"
        self.team.layout.display = None if team else "none"
        name = self.team.value.strip()
        if team and name:
            own = self._own_recorder or self.recorder
            self.recorder = Recorder(
                store=own._store, learner=team_learner(name), session=own.session
            )
        else:
            self.recorder = self._own_recorder or self.recorder

    # -- the exercise-app hooks ----------------------------------------------------------------
    def answer(self) -> dict[str, Any]:
        return {k: self.stage_answer(k) for k in cs.STAGES if self.stages[k].open}

    def is_empty(self, answer: Any) -> bool:
        if "policy" not in answer:
            self.empty_message = (
                "Take the stages in order: press Continue at the end of each stage until the "
                "fifth is open, then submit the season. Nothing was graded or recorded."
            )
            return True
        return False

    def grade(self, answer: Any) -> GradeResult:
        check_size(answer)
        self.season = cs.play(self.spec, answer)
        return cs.grade_season(self.season, self.exercise.id)

    def record_answer(self, answer: Any) -> Any:
        team = self.team.value.strip() if self.mode.value == "team" else ""
        return {**answer, "team": team} if team else answer

    def after_grade(self, result: GradeResult) -> None:
        from mixedflows.capstone.report import debrief_filename, debrief_html

        if self.season is None:
            return
        team = self.team.value.strip() if self.mode.value == "team" else ""
        who = self.recorder.learner
        page = debrief_html(self.season, learner=who, team=team, grade=result)
        link = download_link(
            page, debrief_filename(self.season, who), "Download your debrief (HTML)"
        )
        self.download.value = str(html().debrief(ui.Markup(link)))

    def status_line(self, result: GradeResult) -> str:
        return f"Attempt {self.attempts}: {result.score:.0%}. {result.summary}"

    def draft(self) -> Any:
        return {"answers": self.answer(), "mode": self.mode.value, "team": self.team.value}

    def restore(self, draft: Any) -> bool | None:
        if not isinstance(draft, dict) or not isinstance(draft.get("answers"), dict):
            return False
        self.mode.value = draft.get("mode", "self")
        self.team.value = str(draft.get("team", ""))[:60]
        answers = draft["answers"]
        for key in cs.STAGES:
            if key not in answers or not self.stages[key].open:
                break
            self._set(key, answers[key])
            if key != cs.STAGES[-1] and cs.STAGES[cs.STAGES.index(key) + 1] in answers:
                self.advance(key)
        return True

    def _set(self, key: str, a: dict[str, Any]) -> None:
        if key == "rescue":
            self.port.value = a.get("port")
            for k, cb in self.on_board.items():
                cb.value = k in (a.get("on_board") or ())
            for k, cb in self.informed.items():
                cb.value = k in (a.get("informed") or ())
        elif key == "reception":
            for k, x in self.plan.items():
                if k in a:
                    x.value = int(a[k])
        elif key in ("screening", "postarrival"):
            boxes = self.needs if key == "screening" else self.actions
            for pid, b in boxes.items():
                for k, cb in b.items():
                    cb.value = k in (a.get(pid) or ())
        elif a.get("kind") == "return_reintegration" and self.policy_kind is not None:
            self.policy_kind.value = "return_reintegration"
            for k in ("enforced", "safeguards"):
                self.return_inputs[k].value = bool(a.get(k))
            for k, v in (a.get("programme") or {}).items():
                if k in self.return_inputs and isinstance(v, int | float):
                    self.return_inputs[k].value = int(v)
        else:
            if self.policy_kind is not None:
                self.policy_kind.value = "regularization"
            for k, x in self.levers.items():
                if k in a:
                    x.value = a[k]


@app_entry
def season_app(exercise_id: str = "m11_season_on_the_route", **kw: Any) -> w.Widget:
    """The Voila app: the five stages of the season, then the debrief."""
    app = SeasonApp(exercise_id, **kw)
    app.widget.add_class("mf-season")
    app.widget.add_class("mf-wrap")
    return app.widget


__all__ = ["SeasonApp", "download_link", "season_app", "team_learner"]
