"""The facilitator's panel that opens a module's debrief for the room (on the dashboard).

A module page's debrief that gives an exercise's answers is gated
(:mod:`mixedflows.widgets.debrief_gate`): a learner sees it once their own attempt is in the
store, or once the facilitator has opened that exercise's debrief for the session
(:meth:`mixedflows.store.Store.open_debrief`). This panel lists every gated debrief the module
pages have (:func:`mixedflows.debriefs.gated_debriefs`, read from the pages), shows which are
open for this session, and opens one after the facilitator has confirmed what that does: every
participant of the session then sees its answers after **Show the debrief** (or a reload),
attempt or not. Opening is kept: the store has no way to close a debrief again.
"""

from __future__ import annotations

import logging
from typing import Any

import ipywidgets as w

from mixedflows.debriefs import GatedDebrief, gated_debriefs, where_seen
from mixedflows.widgets import ui
from mixedflows.widgets.common import safe
from mixedflows.widgets.ui import message

log = logging.getLogger("mixedflows")


def confirmation(session: str, debrief: GatedDebrief) -> str:
    """What opening ``debrief`` for ``session`` does, said before it is done."""
    its = "its answers" if len(debrief.exercise_ids) == 1 else "their answers"
    return (
        f"Every participant of session {session} will see the debrief of {debrief.title()} "
        f"(module {debrief.module}), which gives {its}, even those who have not submitted: "
        f"{where_seen(debrief)}, after Show the debrief or a reload. It stays open for this "
        "session."
    )


class DebriefPanel:
    """Every gated debrief, whether it is open for the session, and the two steps that open one
    (choose and ask, then confirm)."""

    def __init__(
        self,
        store: Any = None,
        session: str | None = None,
        debriefs: tuple[GatedDebrief, ...] | None = None,
    ) -> None:
        from mixedflows.server import session as sess
        from mixedflows.store import Store

        self.store = store if store is not None else Store(connect=False)
        self.session = session if session is not None else sess.session_code()
        self.debriefs = {d.key: d for d in (debriefs if debriefs is not None else gated_debriefs())}
        # Widgets whose layout and style never change share the kernel's one layout and style
        # of their kind (ui.text, ui.shared_layout, ui.shared_style: fewer widget models for
        # the page to create, issue 13 start-up); the confirmation's box, shown and hidden,
        # keeps a layout of its own.
        auto = ui.shared_layout(width="auto")  # a button's words whole, at any width
        press = ui.shared_style(w.Button)
        plain = ui.shared_layout()
        self.status = ui.text(css="mf-status")
        self.pick = w.Dropdown(
            options=[(d.label(), k) for k, d in self.debriefs.items()],
            description="Debrief",
            layout=ui.shared_layout(width="min(640px, 100%)"),
            style=ui.shared_style(w.Dropdown),
        )
        self.pick.add_class("mf-debrief-pick")
        self.pick.observe(lambda _c: self.cancel(), names="value")
        self.ask_button = w.Button(
            description="Open for the room…",
            tooltip="Open the chosen debrief for every participant of this session",
            button_style="primary",
            layout=auto,
            style=press,
        )
        self.ask_button.add_class("mf-debrief-ask")
        self.ask_button.on_click(safe(self.status)(lambda _b: self.ask()))
        self.question = ui.text(css="mf-debrief-question")
        self.confirm_button = w.Button(
            description="Yes, open it for the room",
            button_style="danger",
            layout=auto,
            style=press,
        )
        self.confirm_button.add_class("mf-debrief-confirm")
        self.confirm_button.on_click(safe(self.status)(lambda _b: self.confirm()))
        self.cancel_button = w.Button(description="Cancel", layout=plain, style=press)
        self.cancel_button.add_class("mf-debrief-cancel")
        self.cancel_button.on_click(safe(self.status)(lambda _b: self.cancel()))
        self.confirm_box = w.VBox(
            [self.question, w.HBox([self.confirm_button, self.cancel_button], layout=plain)]
        )
        self.confirm_box.add_class("mf-debrief-confirm-box")
        self.refresh_button = w.Button(
            description="Refresh", icon="refresh", layout=plain, style=press
        )
        self.refresh_button.add_class("mf-debrief-refresh")
        self.refresh_button.on_click(safe(self.status)(lambda _b: self.refresh()))
        self.view = ui.text(css="mf-debrief-room")
        self.widget = w.VBox(
            [
                ui.style_widget(),
                ui.text(
                    ui.paragraphs(
                        "A module page shows a debrief that gives an exercise's answers only "
                        "after the participant's own attempt. To discuss one with the room "
                        "(participants who did not submit, the projector), open it here for "
                        "this session: every participant's page then shows it."
                    )
                ),
                w.HBox([self.pick, self.ask_button, self.refresh_button], layout=plain),
                self.confirm_box,
                self.status,
                self.view,
            ],
            layout=plain,
        )
        self.widget.add_class("mf-app")
        self.cancel()
        self.refresh()

    def is_open(self, debrief: GatedDebrief) -> bool:
        """Open for the session: every exercise it speaks of opened by the facilitator."""
        return bool(self.session) and all(
            self.store.debrief_opened(session=self.session, exercise_id=e)
            for e in debrief.exercise_ids
        )

    def ask(self) -> None:
        """Say what opening the chosen debrief does, and offer to confirm it."""
        d = self.debriefs.get(self.pick.value)
        if d is None:
            return
        if not self.session:
            self.status.value = message(
                "part",
                "No session here: open this dashboard from the session's dashboard link "
                "(./mfl facilitate prints it).",
            )
            return
        if self.is_open(d):
            self.status.value = message("ok", f"The debrief of {d.title()} is already open.")
            return
        self.status.value = ""
        self.question.value = message("part", confirmation(self.session, d))
        self.confirm_box.layout.display = None
        self.confirm_button.focus()

    def cancel(self) -> None:
        self.question.value = ""
        self.confirm_box.layout.display = "none"

    def confirm(self) -> None:
        """Open the chosen debrief for the session (each exercise it speaks of)."""
        d = self.debriefs.get(self.pick.value)
        if d is None or not self.session:
            return
        for e in d.exercise_ids:
            self.store.open_debrief(session=self.session, exercise_id=e)
        self.cancel()
        self.status.value = message(
            "ok",
            f"The debrief of {d.title()} is open for session {self.session}: participants "
            f"see it {where_seen(d)}, after Show the debrief (or a reload).",
        )
        self.refresh()
        self.ask_button.focus()

    def refresh(self) -> None:
        if not self.debriefs:
            self.view.value = message("part", "The module pages have no gated debrief.")
            return
        rows = [
            [
                f"Module {d.module}",
                d.title(),
                "open" if self.is_open(d) else "not open (after each participant's attempt)",
            ]
            for d in self.debriefs.values()
        ]
        self.view.value = ui.table(
            ["Module", "Exercises", "For the room"],
            rows,
            caption=f"Debriefs in session {self.session}" if self.session else "Debriefs",
            css="mf-debrief-list",
        )


def debrief_panel(store: Any = None, session: str | None = None) -> w.Widget:
    """The facilitator's panel that opens a debrief for the room (on the dashboard). On the
    hub's dashboard service, for a session the facilitator opened only (issue 16)."""
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
                        "The debriefs panel shows a session you opened on this hub: open it "
                        "from that session's dashboard link.",
                    )
                )
        return DebriefPanel(store, session).widget
    except Exception:
        log.exception("the debriefs panel could not start")
        return w.HTML(
            message(
                "bad",
                "The debriefs panel cannot read the attempt store right now. Check that the "
                "store is reachable (MIXEDFLOWS_STORE) and reload this page.",
            )
        )
