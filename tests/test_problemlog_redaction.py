"""The facilitator's list of problems on the server (dashboard) shows text, never markup, and
never a password (issue 11 cold trial: the event list showed raw ``<span title=...>`` markup
holding the PostgreSQL URL)."""

from __future__ import annotations

import re

from mixedflows import problemlog
from mixedflows.store import redact, redact_secrets
from mixedflows.widgets.dashboard import problems_html

URL = "postgresql://alice:s3cret-pw@db.internal:5432/course"


def test_a_problem_is_kept_without_its_password(tmp_path, monkeypatch):
    monkeypatch.setenv("MIXEDFLOWS_PROBLEMS", str(tmp_path / "problems.jsonl"))
    problemlog.note("kernel 1", f"cannot open the store {URL}: connection refused")
    problemlog.note("kernel 2", "host=db user=alice password=s3cret-pw dbname=course")
    kept = (tmp_path / "problems.jsonl").read_text()
    assert "s3cret-pw" not in kept
    assert "postgresql://alice:***@db.internal:5432/course" in kept
    assert [p["where"] for p in problemlog.recent()] == ["kernel 2", "kernel 1"]


def test_the_dashboard_shows_a_long_problem_as_text_not_markup():
    long_line = f"StoreError: cannot use the PostgreSQL store {URL}: " + "x" * 300
    html = problems_html(
        [
            {
                "time": "2026-12-02T10:00:00+00:00",
                "where": "kernel 1",
                "kind": "error",
                "detail": f"Traceback (most recent call last):\n{long_line}",
            }
        ]
    )
    print(html[:400])
    assert "&lt;span" not in html  # markup escaped a second time showed as text
    assert re.search(r'<span title="[^"]*postgresql://alice:\*\*\*@db', html)
    assert "s3cret-pw" not in html  # an older line written before redaction, too


def test_redaction_keeps_what_the_facilitator_needs():
    assert redact_secrets("sqlite store /srv/course/attempts.sqlite") == (
        "sqlite store /srv/course/attempts.sqlite"
    )
    assert redact_secrets(f"a {URL} b") == "a postgresql://alice:***@db.internal:5432/course b"
    assert redact_secrets("PGPASSWORD=abc") == "PGPASSWORD=***"
    assert redact(URL) == redact_secrets(URL)
