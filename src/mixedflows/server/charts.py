"""The offline chart bundle, served once per server instead of carried by every chart.

altair's chart front end with vega in it is about 900 KB of JavaScript (built once and cached
by :mod:`mixedflows.charts.offline`). Carried in each chart widget's state, a page with two
charts received it twice over the kernel's websocket and built two modules of it. Served here,
at ``<base url>mixedflows/charts/bundle.js``, a page fetches it once from its own server (loopback
in a classroom: nothing from a CDN), and the browser keeps it between pages.

Two ways in, one handler:

- the course's Voila server (:mod:`mixedflows.server.voila_app`) adds the route;
- a Jupyter server (JupyterLab, a hub's single-user server, the dashboard service) loads this
  module as a server extension, enabled by ``share/jupyter_config/jupyter_server_config.d``
  (on JUPYTER_CONFIG_PATH, as ``./mfl``, ``binder/start`` and the hub's image set it).

Either way :func:`announce` tells the server's kernels (their inherited environment) which
folder is served; a kernel whose bundle is there gives its charts a loader of the URL instead of
the bundle. The course's Voila template preloads it on a page whose notebook says it draws
charts (``"mixedflows": {"charts": true}`` in its metadata), so the bundle is fetched and
compiled while the kernel runs the notebook, not in the 2 s anywidget gives a chart's model to
set up ("Failed to initialize model" on a loaded machine). Only that bundle is served, with no
login: it is a public library's code, and nothing of the course.
"""

from __future__ import annotations

import asyncio
import os
import sys
from typing import Any, ClassVar

import tornado.web

from mixedflows.charts import offline


class ChartBundleHandler(tornado.web.StaticFileHandler):
    """``GET <base>mixedflows/charts/bundle.js``: the cached chart bundle for the installed
    altair, as JavaScript; any other name is a 404. Not cached by the browser without asking
    (an upgrade of altair is a new bundle at the same URL): a page asks again, and a bundle it
    already holds costs a 304. If no bundle is cached yet (a server never warmed by ``./mfl``),
    it is built first, in a process of its own (the server never imports altair)."""

    _building: ClassVar[asyncio.Lock | None] = None

    def parse_url_path(self, url_path: str) -> str:
        if url_path != offline.BUNDLE_URL.removeprefix(offline.ROUTE):
            raise tornado.web.HTTPError(404, "not the chart bundle")
        return url_path

    @classmethod
    def get_absolute_path(cls, root: str, path: str) -> str:
        found = offline.served_bundle()
        return str(found) if found is not None else os.path.join(root, path)

    async def get(self, path: str, include_body: bool = True) -> None:
        self.path = self.parse_url_path(path)
        if offline.served_bundle() is None:
            await self._build()
        await super().get(path, include_body)

    @classmethod
    async def _build(cls) -> None:
        if cls._building is None:
            cls._building = asyncio.Lock()
        async with cls._building:
            if offline.served_bundle() is not None:
                return
            proc = await asyncio.create_subprocess_exec(
                sys.executable,
                "-c",
                "from mixedflows.charts.offline import warm_cache; warm_cache()",
                stdout=asyncio.subprocess.DEVNULL,
                stderr=asyncio.subprocess.DEVNULL,
            )
            await proc.wait()

    def get_content_type(self) -> str:
        return "text/javascript; charset=utf-8"

    def set_extra_headers(self, path: str) -> None:
        self.set_header("Cache-Control", "no-cache")

    def check_xsrf_cookie(self) -> None:  # GET and HEAD only, nothing changes
        pass


def handler_rule(base_url: str) -> tuple[str, type, dict[str, Any]]:
    """The route, under ``base_url`` (a server's base URL, ``/`` or ``/user/name/``)."""
    base = "/" + base_url.strip("/") + "/" if base_url.strip("/") else "/"
    return (
        f"{base}{offline.ROUTE}(.*)",
        ChartBundleHandler,
        {"path": str(offline.cache_dir())},
    )


def announce() -> None:
    """Tell the kernels this server starts that it serves the cached bundles (and from which
    folder): :func:`mixedflows.charts.offline.loader` reads it."""
    os.environ[offline.SERVED_ENV] = str(offline.cache_dir())


# --- As a Jupyter server extension ---------------------------------------------------------


def _jupyter_server_extension_points() -> list[dict[str, str]]:
    return [{"module": "mixedflows.server.charts"}]


def _load_jupyter_server_extension(serverapp: Any) -> None:
    web_app = serverapp.web_app
    web_app.add_handlers(".*$", [handler_rule(web_app.settings.get("base_url", "/"))])
    announce()
    serverapp.log.info("mixedflows: chart bundles served at %s", offline.ROUTE)
