"""``./mfl facilitate`` checks the store and every course file before it prints the links, and
refuses to start with a clear message when one is broken (issue 11, point 7). Before, a broken
exercise was found by a participant, on a page, with the file's absolute path on it.

Each case runs the real command on a copy of the course (datasets/, exercises/, widgets/).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from mixedflows import coursefiles
from mixedflows.server import serve

ROOT = Path(__file__).resolve().parents[1]


def course_copy(tmp_path: Path) -> Path:
    home = tmp_path / "course"
    for part in ("datasets", "exercises", "widgets", "share"):
        shutil.copytree(ROOT / part, home / part)
    return home


def facilitate(home: Path, store: str, *args: str) -> subprocess.CompletedProcess:
    env = serve.environment({"MIXEDFLOWS_HOME": str(home), "MIXEDFLOWS_STORE": store})
    return subprocess.run(
        [sys.executable, "-m", "mixedflows.server.cli", "facilitate", "--port", "9", *args],
        env=env,
        cwd=home,
        capture_output=True,
        text=True,
        timeout=300,
    )


def refused(run: subprocess.CompletedProcess) -> str:
    print(run.stderr)
    assert run.returncode == 2
    assert "participants join at" not in run.stdout  # no links: nobody is sent to a broken room
    assert "Traceback" not in run.stderr + run.stdout
    assert "The session is not started" in run.stderr
    return run.stderr


def test_a_malformed_course_file_stops_the_session(tmp_path):
    home = course_copy(tmp_path)
    ex = home / "exercises" / "m1_who_is_in_the_boat.yaml"
    ex.write_text(
        ex.read_text(encoding="utf-8").replace("profile_weight: 0.5", "profile_weight: half"),
        encoding="utf-8",
    )
    err = refused(facilitate(home, str(tmp_path / "a.sqlite")))
    assert "exercises/m1_who_is_in_the_boat.yaml" in err and "profile_weight" in err
    assert str(home) not in err  # named as the author knows it, inside the course


def test_a_damaged_store_stops_the_session(tmp_path):
    home = course_copy(tmp_path)
    store = tmp_path / "a.sqlite"
    store.write_bytes(b"this is not a database" * 100)
    err = refused(facilitate(home, str(store)))
    assert "Store:" in err and "NOT OK" in err


def test_an_unreachable_postgresql_store_stops_the_session(tmp_path):
    home = course_copy(tmp_path)
    err = refused(facilitate(home, "postgresql://alice:s3cret@127.0.0.1:9/course"))
    assert "s3cret" not in err  # the password is never printed
    assert "NOT OK" in err


def test_an_app_that_is_not_there_stops_the_session(tmp_path):
    home = course_copy(tmp_path)
    err = refused(facilitate(home, str(tmp_path / "a.sqlite"), "--apps", "no_such_app.ipynb"))
    assert "no_such_app.ipynb" in err and "who_is_in_the_boat.ipynb" in err


def test_every_course_file_is_checked():
    """Every YAML file of the course is in :data:`mixedflows.coursefiles.LOADERS` (a new folder
    of data files must be added there, or facilitate would not check it), and the course as
    committed passes."""
    checked = {p.resolve() for _, p in coursefiles.files(ROOT)}
    yaml_files = {
        p.resolve() for p in [*ROOT.glob("datasets/**/*.yaml"), *ROOT.glob("exercises/*.yaml")]
    }
    assert sorted(str(p.relative_to(ROOT)) for p in yaml_files - checked) == []
    assert coursefiles.check(ROOT) == []


@pytest.mark.parametrize("kind", ["yaml", "field"])
def test_a_problem_names_the_file_inside_the_course(tmp_path, kind):
    home = course_copy(tmp_path)
    path = home / "datasets" / "scenarios" / "lampedusa_2011.yaml"
    if not path.exists():
        path = sorted((home / "datasets" / "scenarios").glob("*.yaml"))[0]
    text = path.read_text(encoding="utf-8")
    path.write_text(text + ("\n  : [\n" if kind == "yaml" else "\nno_such_key: 1\n"), "utf-8")
    problems = coursefiles.check(home)
    assert [p.path for p in problems] == [str(path.relative_to(home))]
    print(problems[0])
