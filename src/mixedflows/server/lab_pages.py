"""Voila pages served by a Jupyter server free their kernel when they close or reload.

Under ``./mfl start`` (JupyterLab with Voila's server extension), and likewise on Binder or a
hub's single-user server, an app's page is rendered by Voila's own handler. The course's
template (share/jupyter/voila/templates/mixedflows) makes the closing page's shutdown beacon
carry the ``_xsrf`` cookie, which is what the server's XSRF check accepts, but Voila's handler
never sets that cookie: a page opened from its link (``.../voila/render/...?token=...``) in a
browser that had not loaded JupyterLab itself had none, its beacon went out bare and was refused
("403 (Forbidden)", "'_xsrf' argument missing from POST"), and its kernel kept running until the
idle cull an hour later (issue 13 cold trial: 42 kernels, 3.58 GB after 40 page loads).

This extension, enabled by ``share/jupyter_config/jupyter_server_config.d``, has the Voila page
set the cookie before it is written, as the course's own Voila server does
(:mod:`mixedflows.server.voila_app`). The checks stay on: the shutdown route still needs the
server's login (token or its cookie) and a matching XSRF token, so another site, or anyone
without the login, cannot end a page's kernel.
"""

from __future__ import annotations

from typing import Any


def set_xsrf_cookie_on_voila_pages() -> bool:
    """Make Voila's page handler set the ``_xsrf`` cookie when it renders a page; whether it
    does now (:func:`mixedflows.server.compat.set_xsrf_cookie_on_voila_pages`, where the
    course's uses of Voila's own classes live)."""
    try:
        from mixedflows.server.compat import set_xsrf_cookie_on_voila_pages as patch
    except ImportError:  # no Voila here: no pages to free
        return False
    return patch()


# --- As a Jupyter server extension ---------------------------------------------------------


def _jupyter_server_extension_points() -> list[dict[str, str]]:
    return [{"module": "mixedflows.server.lab_pages"}]


def _load_jupyter_server_extension(serverapp: Any) -> None:
    if set_xsrf_cookie_on_voila_pages():
        serverapp.log.info(
            "mixedflows: Voila pages set the XSRF cookie their shutdown beacon needs"
        )
