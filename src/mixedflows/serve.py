"""How the course is served: JupyterLab for the course, Voila for the apps.

One place builds the command lines and the environment, so that the launcher, the tests and the
benchmarks serve the apps exactly alike. Design notes (Voila 0.5, measured on a 2-core machine):
an app that imports altair starts in about 7 s cold and each kernel holds about 250 MB, and a
closed tab does not free its kernel because the shutdown beacon lacks the XSRF token. Hence:

- the ``mixedflows`` Voila template (share/jupyter/voila/templates/mixedflows) makes that beacon
  carry the ``_xsrf`` cookie, so kernels are freed when a tab closes with XSRF checks left on;
- idle kernels are culled (``cull_idle_timeout``), closed-tab kernels included;
- nothing is loaded from a CDN (the template drops Voila's Font Awesome link).
"""

from __future__ import annotations

import os
import secrets
import sys
from dataclasses import dataclass, field
from pathlib import Path

from mixedflows.paths import home


def share_dir() -> Path:
    """The checkout's share/jupyter, holding the mixedflows Voila template."""
    return home() / "share" / "jupyter"


def environment(extra: dict[str, str] | None = None) -> dict[str, str]:
    """The environment for a Jupyter or Voila server: our template on JUPYTER_PATH."""
    env = dict(os.environ)
    paths = [str(share_dir())] + [p for p in env.get("JUPYTER_PATH", "").split(os.pathsep) if p]
    env["JUPYTER_PATH"] = os.pathsep.join(dict.fromkeys(paths))
    env.setdefault("MIXEDFLOWS_HOME", str(home()))
    env.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    if extra:
        env.update(extra)
    return env


@dataclass
class Culling:
    """Kernel culling: how long an idle kernel lives, and how often the server checks."""

    idle_timeout: int = 600
    """Seconds of inactivity after which a kernel is shut down (closed tabs included)."""
    interval: int = 60
    cull_connected: bool = False
    """False: a kernel whose tab is still open is kept however idle it is."""

    def args(self) -> list[str]:
        return [
            f"--MappingKernelManager.cull_idle_timeout={self.idle_timeout}",
            f"--MappingKernelManager.cull_interval={self.interval}",
            f"--MappingKernelManager.cull_connected={self.cull_connected}",
        ]


@dataclass
class VoilaOptions:
    root: Path = field(default_factory=lambda: home() / "widgets")
    ip: str = "127.0.0.1"
    port: int = 8866
    culling: Culling = field(default_factory=Culling)
    template: str = "mixedflows"
    extra: list[str] = field(default_factory=list)


def voila_command(opts: VoilaOptions) -> list[str]:
    """The command serving every app in ``opts.root`` with Voila."""
    return [
        sys.executable,
        "-m",
        "mixedflows.voila_app",
        str(opts.root),
        "--no-browser",
        f"--Voila.ip={opts.ip}",
        f"--port={opts.port}",
        f"--template={opts.template}",
        "--VoilaConfiguration.show_tracebacks=False",
        *opts.culling.args(),
        *opts.extra,
    ]


def lab_command(
    ip: str = "127.0.0.1",
    port: int = 8888,
    token: str | None = None,
    open_browser: bool = False,
    culling: Culling | None = None,
) -> tuple[list[str], str]:
    """The command starting JupyterLab on the start page, and the URL to open."""
    token = token or secrets.token_urlsafe(16)
    c = culling or Culling(idle_timeout=3600)
    cmd = [
        sys.executable,
        "-m",
        "jupyter",
        "lab",
        "START.ipynb",
        f"--ServerApp.ip={ip}",
        f"--ServerApp.port={port}",
        f"--ServerApp.root_dir={home()}",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.open_browser={open_browser}",
        "--VoilaConfiguration.template=mixedflows",
        "--VoilaConfiguration.show_tracebacks=False",
        *c.args(),
    ]
    url = f"http://{ip}:{port}/lab/tree/START.ipynb?token={token}"
    return cmd, url
