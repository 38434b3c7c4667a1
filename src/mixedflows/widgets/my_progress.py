"""'My progress': what the store holds for the learner, a download of it as one file, and an
upload of such a file to continue where a throw-away session (Binder) stopped (issue 16).

The download is a link whose content is the file itself (a ``data:`` URL made in the kernel):
nothing is fetched from anywhere, in Voila and in JupyterLab alike. The upload is checked whole
before anything is written (:func:`mixedflows.progress.read_progress`)."""

from __future__ import annotations

import base64
import logging
from typing import Any

import ipywidgets as w

from mixedflows import progress
from mixedflows.widgets import ui
from mixedflows.widgets.common import app_entry

log = logging.getLogger(__name__)


class ProgressApp:
    """The page: a summary, a download link and an upload button."""

    def __init__(self, store: Any = None, learner: str | None = None) -> None:
        from mixedflows.server import session as sess

        self._store = store
        self._learner_arg = learner
        self.learner = ""
        """The participant ('' until known: a preheated kernel learns them when a page claims
        it, and never saves under the id kept beside the store, see ``server.session``)."""
        self.session = ""
        self._notice = ui.page_notice()  # once per page: kept for the title's redraw
        self.title = w.HTML(self._title(""))
        self.summary = w.HTML()
        self.summary.add_class("mf-progress-summary")
        self.download = w.HTML()
        self.download.add_class("mf-progress-download")
        self.upload = w.FileUpload(accept=".json,application/json", multiple=False)
        self.upload.description = "Upload a progress file"
        self.upload.layout.width = "auto"
        self.upload.add_class("mf-progress-upload")
        self.upload.observe(self._uploaded, names="value")
        self.status = w.HTML()
        self.status.add_class("mf-status")
        self.widget = w.VBox(
            [
                ui.style_widget(),
                self.title,
                self.summary,
                w.HTML(
                    ui.paragraphs(
                        "Download your progress to keep it: one file with your answers, their "
                        "grades and your unfinished drafts (not the feedback, which can show "
                        "answers). Upload it in a later session to continue where you stopped; "
                        "a file that was changed or damaged is refused, and nothing is lost by "
                        "uploading the same file twice."
                    )
                ),
                self.download,
                self.upload,
                self.status,
            ]
        )
        self.widget.add_class("mf-app")
        self.widget.add_class("mf-app-progress")
        self.upload.disabled = True  # until the participant is known
        # Whose progress: read once the page's participant is known (at once, or when a page
        # claims a preheated kernel), never before: the link says who it is.
        sess.when_claimed(self._participant_known)

    def _participant_known(self) -> None:
        from mixedflows.server import session as sess

        try:
            self.learner = self._learner_arg or sess.learner_id()
        except sess.ParticipantUnknownError as e:
            self.summary.value = ui.message("bad", str(e))
            return
        self.session = sess.session_code()
        self.title.value = self._title(f"Saved as '{self.learner}'")
        self.upload.disabled = False
        self.refresh()

    def _title(self, subtitle: str) -> str:
        return ui.render(
            "title.html.j2", text="My progress", subtitle=subtitle, notice=self._notice
        )

    @property
    def store(self) -> Any:
        if self._store is None:
            from mixedflows.store import Store

            self._store = Store(connect=False)
        return self._store

    def refresh(self) -> None:
        """Say what the store holds for the learner, and make the download link from it."""
        from mixedflows.certificate import imported as was_imported
        from mixedflows.store import StoreError

        try:
            attempts = self.store.attempts(learner=self.learner)
            drafts = self.store.drafts(self.learner)
            data = progress.export_progress(self.store, self.learner)
        except StoreError as e:
            self.summary.value = ui.message(
                "bad", f"Your progress cannot be read from the store now: {e}"
            )
            self.download.value = ""
            return
        exercises = sorted({a.exercise_id for a in attempts})
        imported = sum(1 for a in attempts if was_imported(a))
        self.summary.value = ui.paragraphs(
            f"The store holds {len(attempts)} attempt(s) of yours on {len(exercises)} "
            f"exercise(s), and {len(drafts)} unfinished draft(s)."
            + (
                f" {imported} of these attempts were imported from a progress file: "
                + progress.NOT_COUNTED
                if imported
                else ""
            )
        )
        href = "data:application/json;base64," + base64.b64encode(data).decode("ascii")
        name = progress.file_name(self.learner)
        self.download.value = str(
            ui.macros("my_progress.html.j2").download(name, href, f"{len(data):,}")
        )

    def _uploaded(self, change: dict[str, Any]) -> None:
        files = change["new"]
        if not files or not self.learner:
            return
        f = files[0]
        name = str(f.get("name", "the file"))
        try:
            data = bytes(f["content"])
            result = progress.import_progress(
                self.store, self.learner, data, own_only=bool(self.session)
            )
        except progress.ProgressFileError as e:
            self.status.value = ui.message("bad", f"{name} was not imported: {e}")
        except Exception as e:  # a store fault: nothing was claimed to be kept
            log.exception("progress import failed")
            self.status.value = ui.message(
                "bad",
                f"{name} could not be imported completely now (the store: {type(e).__name__}). "
                "Keep the file and upload it again later: what is already in is not added twice.",
            )
        else:
            self.status.value = ui.message("ok", f"{name}: {result.summary(self.learner)}")
            self.refresh()
        finally:
            self.upload.value = ()


@app_entry
def progress_app(**kw: Any) -> w.VBox:
    """Build and return the 'My progress' page (the notebook's last expression shows it)."""
    return ProgressApp(**kw).widget
