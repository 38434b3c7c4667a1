"""The facilitator's seats panel (on the dashboard): which pseudonyms are held in the session,
and a button that releases one, so a participant who changed browser (or whose name someone
else took first) can join with it again. See :mod:`mixedflows.server.seats`."""

from __future__ import annotations

import logging
from typing import Any

import ipywidgets as w

from mixedflows.server import seats
from mixedflows.widgets import ui
from mixedflows.widgets.common import safe
from mixedflows.widgets.ui import message

log = logging.getLogger("mixedflows")


class SeatsPanel:
    def __init__(self, session: str | None = None, path: Any = None) -> None:
        from mixedflows.server import session as sess

        self.session = session if session is not None else sess.session_code()
        self.path = path
        # Every widget's layout and style are never changed: they share the kernel's one
        # layout and style of their kind (ui.text, ui.shared_layout, ui.shared_style: fewer
        # widget models for the page to create, issue 13 start-up).
        plain = ui.shared_layout()
        press = ui.shared_style(w.Button)
        self.status = ui.text(css="mf-status")
        self.pick = w.Dropdown(
            options=[],
            description="Pseudonym",
            layout=ui.shared_layout(width="min(360px, 100%)"),
            style=ui.shared_style(w.Dropdown),
        )
        self.pick.add_class("mf-seat-pick")
        self.refresh_button = w.Button(
            description="Refresh seats", icon="refresh", layout=plain, style=press
        )
        self.refresh_button.add_class("mf-seats-refresh")
        self.refresh_button.on_click(safe(self.status)(lambda _b: self.refresh()))
        self.release_button = w.Button(
            description="Release this seat", button_style="warning", layout=plain, style=press
        )
        self.release_button.add_class("mf-seat-release")
        self.release_button.on_click(safe(self.status)(lambda _b: self.release()))
        self.view = ui.text(css="mf-seats")
        self.widget = w.VBox(
            [
                ui.style_widget(),
                ui.text(
                    ui.paragraphs(
                        "A pseudonym belongs to the browser that first joined with it: another "
                        "browser typing it is refused. Release a seat when its participant "
                        "changed browser or device; the next browser to join with the name "
                        "takes it."
                    )
                ),
                w.HBox([self.pick, self.release_button, self.refresh_button], layout=plain),
                self.status,
                self.view,
            ],
            layout=plain,
        )
        self.widget.add_class("mf-app")
        self.refresh()

    def _where(self) -> Any:
        return self.path if self.path is not None else seats.location()

    def refresh(self) -> None:
        if self._where() is None or not self.session:
            self.view.value = ui.paragraphs(
                "No seats here: seats are kept by a facilitated session's server "
                "(./mfl facilitate)."
            )
            self.pick.options = []
            return
        rows = seats.held(self.session, path=self._where())
        self.pick.options = [p for p, _ in rows]
        if not rows:
            self.view.value = ui.paragraphs("No one has joined this session yet.")
            return
        self.view.value = ui.table(
            ["Pseudonym", "Joined (UTC)"],
            [[p, since] for p, since in rows],
            caption=f"Seats held in session {self.session}",
            css="mf-seats-table",
        )

    def release(self) -> None:
        who = self.pick.value
        if not who:
            self.status.value = message("part", "Choose a pseudonym to release.")
            return
        if seats.release(self.session, who, path=self._where()):
            self.status.value = message(
                "ok", f"Released '{who}': the next browser to join with this name takes it."
            )
        else:
            self.status.value = message("part", f"'{who}' held no seat (released already?).")
        self.refresh()


def seats_panel(session: str | None = None) -> w.Widget:
    """The facilitator's seats panel (on the dashboard)."""
    try:
        return SeatsPanel(session).widget
    except Exception:
        log.exception("the seats panel could not start")
        return w.HTML(
            message(
                "bad",
                "The seats panel cannot read the session's seats right now; the server's log "
                "says why. Reload this page to try again.",
            )
        )
