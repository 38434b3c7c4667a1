"""The course's kernelspec (issue 16, memory per kernel): every server the course starts runs its
kernels through ``mixedflows.server.kernel``, which starts ipykernel without debugpy (7.5 MB of
every kernel's own memory, for a debugger no app page uses)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import start_new_kernel

from mixedflows.server import serve
from mixedflows.server.kernel import MODULE, debugger_wanted, is_kernel_command


@pytest.fixture
def course_env(monkeypatch, tmp_path):
    """This process sees kernelspecs as a course server does (serve.environment's JUPYTER_PATH)."""
    env = serve.environment({"MIXEDFLOWS_STORE": str(tmp_path / "a.sqlite")})
    monkeypatch.setenv("JUPYTER_PATH", env["JUPYTER_PATH"])
    return env


def test_a_course_server_finds_the_course_kernelspec(course_env):
    spec = KernelSpecManager().get_kernel_spec("python3")
    assert spec.argv[:3] == ["python", "-m", MODULE]  # python: the server's own interpreter
    assert spec.argv[3:] == ["-f", "{connection_file}"]
    assert spec.metadata["debugger"] is False
    assert is_kernel_command([sys.executable, *spec.argv[1:]])
    assert is_kernel_command([sys.executable, "-m", "ipykernel_launcher", "-f", "k.json"])
    assert not is_kernel_command([sys.executable, "-m", "voila"])


def test_a_course_kernel_runs_without_debugpy(course_env, tmp_path):
    """A real kernel started by the spec a course server finds: it runs code, in the folder it
    was started in (the notebook's, on sys.path as ipykernel's launcher leaves it), without
    debugpy or pydevd, and tells the front end it has no debugger."""
    (tmp_path / "local_helper.py").write_text("VALUE = 42\n")
    km, kc = start_new_kernel(kernel_name="python3", env=course_env, cwd=str(tmp_path))
    try:
        out: list[str] = []

        def hook(msg):
            if msg["msg_type"] == "stream":
                out.append(msg["content"]["text"])

        code = (
            "import json, sys, local_helper\n"
            "print(json.dumps({'loaded': sorted(m for m in ('debugpy', '_pydevd_bundle', "
            "'pydevd') if sys.modules.get(m)), 'value': local_helper.VALUE, "
            "'argv0': sys.argv[0]}))"
        )
        reply = kc.execute_interactive(code, timeout=120, output_hook=hook)
        assert reply["content"]["status"] == "ok", reply["content"]
        seen = json.loads("".join(out))
        assert seen["loaded"] == []
        assert seen["value"] == 42
        assert seen["argv0"].endswith("kernel.py")  # started by the course's module
        info = kc.kernel_info(reply=True, timeout=60)["content"]
        assert "debugger" not in info.get("supported_features", [])
        assert not info.get("debugger", False)
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def test_a_course_kernel_does_not_look_for_pydantic_plugins(course_env):
    """Issue 13 start-up: pydantic looked for plugins in the entry points of every installed
    distribution when an app defined its first model (about 40 ms of CPU in each page's kernel);
    the course's kernel tells it there are none. Fails before: the plugins were looked up."""
    env = {k: v for k, v in course_env.items() if k != "PYDANTIC_DISABLE_PLUGINS"}
    km, kc = start_new_kernel(kernel_name="python3", env=env)
    try:
        out: list[str] = []

        def hook(msg):
            if msg["msg_type"] == "stream":
                out.append(msg["content"]["text"])

        code = (
            "import json, os\n"
            "import mixedflows.exercises\n"
            "from pydantic.plugin import _loader\n"
            "print(json.dumps({'looked_up': _loader._plugins is not None, "
            "'env': os.environ.get('PYDANTIC_DISABLE_PLUGINS')}))"
        )
        reply = kc.execute_interactive(code, timeout=120, output_hook=hook)
        assert reply["content"]["status"] == "ok", reply["content"]
        seen = json.loads("".join(out))
        assert seen == {"looked_up": False, "env": "__all__"}
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


@pytest.mark.parametrize(
    ("value", "kept"), [("", False), ("0", False), ("1", True), (" yes ", True), ("TRUE", True)]
)
def test_the_debugger_is_kept_only_when_asked(value, kept):
    assert debugger_wanted({"MIXEDFLOWS_KERNEL_DEBUGGER": value}) is kept
    assert debugger_wanted({}) is False


def test_the_casework_apps_import_no_numpy():
    """Module 7's page draws no one (its files are worked cases): its kernel loads no numpy
    (8.7 MB of the kernel's own memory), which the casework package imported at load; module
    6's generated files still draw with numpy when they are built."""
    code = (
        "import sys, mixedflows.widgets.casework, mixedflows.casework\n"
        "print(sorted(m for m in ('numpy', 'pandas') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
