"""Issue 16: the hub tests' proxy and the node that runs it agree.

``./mfl test`` installs configurable-http-proxy with ``npm ci`` from
requirements/chp/package-lock.json, on the node that Debian's ``npm`` brings when npm is missing
(Debian 12: nodejs 18.20) or the node already installed. Every locked package's ``engines``
must admit those (configurable-http-proxy 5.3.0 asked for node >= 20 and its commander 15 for
node >= 22.12, while Debian 12 has 18: the lock pins 5.1.0, whose whole tree runs on node >= 18).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHP = ROOT / "requirements" / "chp"
DEBIAN_12_NODE = (18, 20, 4)
"""Debian 12's nodejs (bookworm-security 18.20.4+dfsg): what ``apt-get install npm`` brings."""


def version(text: str) -> tuple[int, int, int]:
    parts = [int(p) for p in re.findall(r"\d+", text)[:3]]
    return tuple(parts + [0] * (3 - len(parts)))  # type: ignore[return-value]


def admits(spec: str, v: tuple[int, int, int]) -> bool:
    """Whether the npm ``engines`` range ``spec`` admits node ``v`` (the forms the lock holds:
    ``*``, ``>=X``, ``>X``, ``^X``, ``X``, several joined by spaces, alternatives by ``||``)."""
    for alt in spec.split("||"):
        terms = re.findall(r"(>=|<=|>|<|\^|~|=)?\s*([\d*][\w.*]*)", alt.strip())
        if not terms:
            return True
        ok = True
        for op, ver in terms:
            if ver == "*":
                continue
            want = version(ver)
            n = len(re.findall(r"\d+", ver))
            if op == ">=":
                ok &= v >= want
            elif op == ">":
                ok &= v > want
            elif op == "<=":
                ok &= v <= want
            elif op == "<":
                ok &= v < want
            elif op == "^":
                ok &= v >= want and v[0] == want[0]
            elif op == "~":
                ok &= v >= want and v[:2] == want[:2]
            else:  # a bare version: that version, as far as it is given
                ok &= v[:n] == want[:n]
        if ok:
            return True
    return False


def test_the_range_reader():
    assert admits(">= 18", (18, 20, 4)) and not admits(">= 20", (18, 20, 4))
    assert admits("^16 || ^18 || >=20", (18, 0, 0)) and not admits("^16 || ^18 || >=20", (19, 1, 0))
    assert not admits(">=22.12.0", (20, 20, 2)) and admits(">=22.12.0", (22, 12, 0))
    assert admits("*", (4, 0, 0)) and admits(">=0.1.90", (18, 0, 0))


def lock() -> dict:
    return json.loads((CHP / "package-lock.json").read_text(encoding="utf-8"))


def test_every_locked_package_runs_on_debian_12s_node_and_newer():
    pkgs = lock()["packages"]
    root = pkgs[""]
    assert root["dependencies"] == json.loads((CHP / "package.json").read_text())["dependencies"]
    floor = version(root["engines"]["node"])
    for node in (DEBIAN_12_NODE, floor, (20, 0, 0), (22, 0, 0), (24, 0, 0)):
        refused = {
            name: p["engines"]["node"]
            for name, p in pkgs.items()
            if name and isinstance(p.get("engines"), dict) and "node" in p["engines"]
            if not admits(p["engines"]["node"], node)
        }
        assert refused == {}, f"node {node} refused by {refused}"
    assert floor <= DEBIAN_12_NODE


def test_the_lock_pins_the_proxy_the_hub_runs():
    pkgs = lock()["packages"]
    chp = pkgs["node_modules/configurable-http-proxy"]
    assert json.loads((CHP / "package.json").read_text())["dependencies"] == {
        "configurable-http-proxy": chp["version"]
    }
    # Each package is checked by npm ci against its hash (from the registry npm is set to).
    assert all(p.get("integrity", "").startswith("sha512-") for n, p in pkgs.items() if n)
    mfl = (ROOT / "mfl").read_text(encoding="utf-8")
    assert "CHP_LOCK=requirements/chp/package-lock.json" in mfl and "npm ci --prefix" in mfl
    floor = version(pkgs[""]["engines"]["node"])
    assert f"CHP_NODE_MAJOR={floor[0]}" in mfl


def test_this_machines_node_and_proxy_agree_with_the_lock():
    node = shutil.which("node")
    if node is None:
        pytest.skip("no node here (./mfl test installs it)")
    have = version(subprocess.run([node, "--version"], capture_output=True, text=True).stdout)
    assert admits(lock()["packages"][""]["engines"]["node"], have)
    installed = ROOT / ".venv" / "chp" / "node_modules" / "configurable-http-proxy" / "package.json"
    if not installed.exists():
        pytest.skip("no proxy installed here (./mfl test installs it)")
    assert (
        json.loads(installed.read_text())["version"]
        == lock()["packages"]["node_modules/configurable-http-proxy"]["version"]
    )
