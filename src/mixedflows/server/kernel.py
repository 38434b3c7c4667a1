"""The course's Python kernel: ipykernel without its debugger (issue 16, memory per kernel).

ipykernel imports debugpy and its pydevd bundle (some 100 modules) whenever a kernel starts, so
that JupyterLab can offer its visual debugger: 7.5 MB of every kernel's own memory (USS) on this
machine, in every app page's kernel, which never debugs. The course's kernelspec
(``share/jupyter/kernels/python3/kernel.json``, on ``JUPYTER_PATH`` of every server the course
starts: ``./mfl``, ``binder/start`` and so the hub's image) runs this module in place of
``ipykernel_launcher``: debugpy is marked absent, so ipykernel starts without the debugger and
says so (its ``kernel_info`` lists no debugger; JupyterLab shows none). Set
``MIXEDFLOWS_KERNEL_DEBUGGER=1`` in the server's environment to keep the debugger.

It also tells pydantic that there are no pydantic plugins to look for (issue 13 start-up): the
first model class an app defines made pydantic read the entry points of every installed
distribution, about 40 ms of CPU in every app page's kernel; the course installs none. A
server environment that sets ``PYDANTIC_DISABLE_PLUGINS`` itself keeps its value.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

DEBUGGER_ENV = "MIXEDFLOWS_KERNEL_DEBUGGER"
MODULE = "mixedflows.server.kernel"
PYDANTIC_PLUGINS_ENV = "PYDANTIC_DISABLE_PLUGINS"
"""This module's name, as the kernelspec's command line gives it to ``python -m``."""


def debugger_wanted(env: Mapping[str, str] = os.environ) -> bool:
    """Whether ``env`` asks to keep JupyterLab's debugger (``MIXEDFLOWS_KERNEL_DEBUGGER``)."""
    return env.get(DEBUGGER_ENV, "").strip().lower() in ("1", "true", "yes")


def is_kernel_command(cmdline: Sequence[str]) -> bool:
    """Whether a process's command line is a Python kernel's: the course's (this module) or
    ipykernel's own launcher (a server run without the course's kernelspec)."""
    line = " ".join(cmdline)
    return "ipykernel" in line or MODULE in line


def main() -> None:
    """Start an IPython kernel as ``ipykernel_launcher`` does, without debugpy unless asked."""
    # As ipykernel_launcher: the working directory (the notebook's folder) leaves sys.path while
    # the kernel loads; the shell puts it back.
    if sys.path and (sys.path[0] == "" or Path(sys.path[0]) == Path.cwd()):
        del sys.path[0]
    if not debugger_wanted():
        sys.modules.setdefault("debugpy", None)
    os.environ.setdefault(PYDANTIC_PLUGINS_ENV, "__all__")  # none installed: none looked for
    from ipykernel import kernelapp

    kernelapp.launch_new_instance()


if __name__ == "__main__":
    main()
