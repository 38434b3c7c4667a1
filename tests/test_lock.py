"""The lock files (requirements/*.lock) that ./mfl, CI and binder/ install from: every
dependency of pyproject.toml pinned inside its range, the test lock a superset of the base lock
at the same versions, and the installers pointing at them."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
PIN = re.compile(r"^([A-Za-z0-9_.\-]+(?:\[[^\]]+\])?)==([^\s;]+)(?:\s*;\s*(.+))?$")


def pins(name: str) -> dict[str, list[tuple[str, str]]]:
    """A lock file's pins: package -> [(version, environment marker)]."""
    out: dict[str, list[tuple[str, str]]] = {}
    for line in (ROOT / "requirements" / name).read_text(encoding="utf-8").splitlines():
        m = PIN.match(line.strip())
        if m:
            pkg = canonicalize_name(m.group(1).split("[")[0])
            out.setdefault(pkg, []).append((m.group(2), m.group(3) or ""))
    return out


def _check(requirements: list[str], lock: dict[str, list[tuple[str, str]]]) -> list[str]:
    problems = []
    for text in requirements:
        req = Requirement(text)
        if req.marker is not None and not req.marker.evaluate():
            continue
        found = lock.get(canonicalize_name(req.name))
        if not found:
            problems.append(f"{req.name}: not in the lock")
            continue
        for version, _marker in found:
            if not req.specifier.contains(version, prereleases=True):
                problems.append(f"{req.name}=={version} is outside '{req.specifier}'")
    return problems


def test_the_locks_are_read():
    base = pins("base.lock")
    assert len(base) > 50 and "voila" in base and "altair" in base


def test_base_lock_pins_every_dependency_in_range():
    assert _check(PYPROJECT["project"]["dependencies"], pins("base.lock")) == []


def test_test_lock_pins_every_dependency_and_test_tool_in_range():
    reqs = (
        PYPROJECT["project"]["dependencies"] + PYPROJECT["project"]["optional-dependencies"]["test"]
    )
    assert _check(reqs, pins("test.lock")) == []


def test_the_test_lock_runs_the_versions_the_course_ships():
    """What CI tests is what a course installs: every base pin, at the same version."""
    base, test = pins("base.lock"), pins("test.lock")
    differ = {
        k: (v, test.get(k))
        for k, v in base.items()
        if {ver for ver, _m in v} != {ver for ver, _m in test.get(k, [])}
    }
    assert differ == {}


def test_no_pin_is_left_ambiguous_for_this_platform():
    """Each package has one version for any one platform (markers pick among several)."""
    for name in ("base.lock", "test.lock"):
        for pkg, found in pins(name).items():
            here = [v for v, m in found if not m or Marker(m).evaluate()]
            assert len(here) <= 1, (name, pkg, here)


@pytest.mark.parametrize(
    "path,needle",
    [
        ("mfl", 'local lock="requirements/${extra:-base}.lock"'),
        ("mfl", '-r "$lock"'),
        ("mfl", "--no-deps -e ."),
        ("binder/requirements.txt", "-r ../requirements/base.lock"),
        ("binder/postBuild", "--no-deps"),
    ],
)
def test_installers_use_the_lock(path, needle):
    assert needle in (ROOT / path).read_text(encoding="utf-8")


def test_package_data_is_exactly_what_the_package_holds():
    """Every package-data pattern matches a file (no stale entry), and every file of the
    package that is not Python is matched (an installed course has what it reads)."""
    pkg = ROOT / "src" / "mixedflows"
    globs = PYPROJECT["tool"]["setuptools"]["package-data"]["mixedflows"]
    stale = [g for g in globs if not any(p.is_file() for p in pkg.glob(g))]
    assert stale == []
    data = {
        p.relative_to(pkg)
        for p in pkg.rglob("*")
        if p.is_file() and p.suffix not in (".py", ".pyc") and "__pycache__" not in p.parts
    }
    covered = {p.relative_to(pkg) for g in globs for p in pkg.glob(g)}
    assert sorted(map(str, data - covered)) == []
