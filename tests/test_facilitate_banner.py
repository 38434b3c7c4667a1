"""``./mfl facilitate`` prints the session's links once its server answers (issue 11, third cold
trial): they were printed before the server listened, and under load a participant who opened
them at once got ERR_CONNECTION_REFUSED for about a minute. Here the real command runs on a copy
of the course; the moment its output names the join link, the link is opened.
"""

from __future__ import annotations

import re
import time
import urllib.error
import urllib.request

import pytest
from harness import free_port
from test_facilitate_lifecycle import Facilitate
from test_facilitate_preflight import course_copy

pytestmark = pytest.mark.slow


def test_the_links_are_printed_once_the_server_answers(tmp_path):
    home = course_copy(tmp_path)
    port = free_port()
    run = Facilitate(home, tmp_path / "a.sqlite", port, "banner")
    try:
        deadline = time.monotonic() + 300
        while "participants join at" not in run.text():
            assert run.proc.poll() is None, run.text()[-3000:]
            assert time.monotonic() < deadline, run.text()[-3000:]
            time.sleep(0.02)
        join = re.search(r"participants join at: (\S+)", run.text()).group(1)
        try:  # at once, as a participant reading the screen over the facilitator's shoulder
            with urllib.request.urlopen(join, timeout=60) as r:
                outcome = r.status
        except urllib.error.HTTPError as e:
            outcome = e.code
        except OSError as e:
            outcome = f"refused: {e}"
        print(f"the join link opened the moment it was printed: {outcome}")
        assert outcome == 200
        printed = run.text()
        assert printed.index("Starting the server") < printed.index("participants join at")
    finally:
        run.kill_all()
