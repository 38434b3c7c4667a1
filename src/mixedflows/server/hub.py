"""The facilitator dashboard as a JupyterHub service: who is the facilitator looking at it.

On a hub the dashboard runs in a Jupyter server started as a hub service (``jupyterhub-
singleuser`` with ``JUPYTERHUB_SERVICE_NAME`` set, deployment/z2jh/dashboard.yaml), behind the
hub's OAuth: the hub lets through members of the facilitators group only. Every facilitator
uses that one server, so the dashboard must know which of them opened the page, to show them
their own sessions only (issue 16).

The server knows: its identity provider holds the hub user of each request. Voila's
``prelaunch_hook`` (set by ``share/jupyter_config_hub_service/voila.py``, on the service's
JUPYTER_CONFIG_PATH only) runs with the request before the page's kernel starts;
:func:`prelaunch_hook` puts a first cell into the notebook it renders that sets
``MIXEDFLOWS_HUB_VIEWER`` to that hub username in the kernel, and refuses (403) a request with
no hub user. :func:`facilitator` reads it in the kernel: the owner of the sessions the
dashboard shows. In a hub service without it (the hook not configured) the dashboard shows
nothing rather than every session.

What this is not: a wall between facilitators who run code. Voila's kernels execute what the
page sends them, and the service holds the store owner's URL; a facilitator who writes their
own messages to the kernel can read any session. It keeps each facilitator's dashboard, and its
downloads, to their own sessions.
"""

from __future__ import annotations

import os
from typing import Any

VIEWER_ENV = "MIXEDFLOWS_HUB_VIEWER"
"""Set in the dashboard's kernel, by the cell :func:`prelaunch_hook` adds: the hub username."""


def in_hub_service() -> bool:
    """Whether this kernel's server is a JupyterHub service (the dashboard service)."""
    return bool(os.environ.get("JUPYTERHUB_SERVICE_NAME"))


class UnknownFacilitatorError(PermissionError):
    """A hub service could not tell who opened the page."""


def facilitator() -> str | None:
    """The hub username of the facilitator who opened this page, on the hub's dashboard
    service; None elsewhere (``./mfl facilitate``, a lab on one's own computer), where the
    facilitator key or the computer's owner decides. Raises UnknownFacilitatorError in a hub
    service whose page did not say who opened it."""
    if not in_hub_service():
        return None
    from mixedflows.store import clean_pseudonym

    name = os.environ.get(VIEWER_ENV, "").strip()
    if not name:
        raise UnknownFacilitatorError(
            "this dashboard runs as a hub service, but the page did not say which facilitator "
            "opened it: the service needs share/jupyter_config_hub_service on its "
            "JUPYTER_CONFIG_PATH (deployment/z2jh/dashboard.yaml)"
        )
    return clean_pseudonym(name)


def hub_user_name(handler: Any) -> str | None:
    """The hub username of a request to a hub-authenticated Jupyter server, or None."""
    user = getattr(handler, "current_user", None)
    hub_user = getattr(user, "hub_user", None)
    if isinstance(hub_user, dict) and hub_user.get("name"):
        return str(hub_user["name"])
    return None


def viewer_cell_source(name: str) -> str:
    """The first cell's code: the hub username, as a Python string literal (``repr``)."""
    return f"import os\nos.environ[{VIEWER_ENV!r}] = {name!r}"


def prelaunch_hook(handler: Any, notebook: Any, cwd: str) -> Any:
    """Voila's prelaunch hook on the dashboard service: tell the page's kernel who opened it
    (a first cell), or refuse a request that carries no hub user."""
    import nbformat
    from tornado.web import HTTPError

    name = hub_user_name(handler)
    if name is None:
        raise HTTPError(403, "the facilitator dashboard is for the hub's facilitators")
    cell = nbformat.v4.new_code_cell(viewer_cell_source(name))
    cell.metadata["tags"] = ["mixedflows-hub-viewer"]
    notebook.cells.insert(0, cell)
    return notebook
