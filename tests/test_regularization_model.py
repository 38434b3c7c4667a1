"""The policy-lab model: the fixed outcome set, its invariants (property-based), and the
mechanisms the module teaches."""

from __future__ import annotations

import math

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mixedflows.regularization import OUTCOMES, list_programmes, load_levers, run
from mixedflows.regularization.model import compare

LEVERS = load_levers()
PROGRAMMES = list_programmes()
EPS = 1e-6


def lever_value(lever):
    if lever.kind == "boolean":
        return st.booleans()
    if lever.kind == "choice":
        return st.sampled_from([c.id for c in lever.choices])
    if lever.integer:
        return st.integers(int(lever.min), int(lever.max))
    return st.floats(lever.min, lever.max, allow_nan=False)


reforms = st.fixed_dictionaries({}, optional={lv.id: lever_value(lv) for lv in LEVERS})
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def test_the_outcome_set_is_fixed_and_documented():
    keys = [o.key for o in OUTCOMES]
    assert keys == [
        "eligible",
        "applications",
        "approvals",
        "rejections",
        "backlog_at_close",
        "months_to_clear",
        "mean_decision_months",
        "fee_revenue",
        "social_security_revenue",
        "processing_cost",
        "legal_status_12m",
        "social_security_12m",
        "exploitation_exposure",
        "pull_low",
        "pull_high",
    ]
    for o in OUTCOMES:
        assert o.label and o.description and o.citation.seed == "MC/INF/294 ¶23"
    for pid in PROGRAMMES:
        assert set(run(pid).as_dict()) == set(keys)


@SETTINGS
@given(pid=st.sampled_from(PROGRAMMES), reform=reforms)
def test_invariants_hold_for_any_valid_design(pid, reform):
    out = run(pid, reform)
    assert out.approvals <= out.applications + EPS
    assert math.isclose(out.approvals + out.rejections, out.applications, rel_tol=1e-9, abs_tol=EPS)
    for key in (
        "eligible",
        "applications",
        "approvals",
        "rejections",
        "backlog_at_close",
        "months_to_clear",
        "mean_decision_months",
        "fee_revenue",
        "social_security_revenue",
        "processing_cost",
        "pull_low",
        "pull_high",
    ):
        assert out.value(key) >= 0, key
    assert out.eligible <= out.irregular_stock + EPS
    assert out.approvals <= out.irregular_stock + EPS
    assert 0 <= out.legal_status_12m <= 1 and 0 <= out.social_security_12m <= 1
    assert 0 <= out.exploitation_exposure <= 100
    assert out.backlog_at_close <= out.applications + EPS
    # The pull effect is a range from the evidence, never a single certain number.
    assert out.pull.low <= out.pull.high
    assert out.pull.evidence_low and out.pull.evidence_high
    assert "contested" in out.pull.text()


@SETTINGS
@given(pid=st.sampled_from(PROGRAMMES), reform=reforms, data=st.data())
def test_tightening_a_criterion_never_raises_eligibility(pid, reform, data):
    lever = data.draw(st.sampled_from(LEVERS.criteria()))
    base = run(pid, reform)
    current = base.levers[lever.id]
    if lever.kind == "boolean":
        stricter = lever.stricter == "true"
    elif lever.stricter == "higher":
        stricter = data.draw(lever_value(lever).filter(lambda v: v >= current))
    else:
        stricter = data.draw(lever_value(lever).filter(lambda v: v <= current))
    assert lever.stricter_than(stricter, current)
    tighter = run(pid, {**reform, lever.id: stricter})
    assert tighter.eligible <= base.eligible * (1 + 1e-12) + EPS, (lever.id, current, stricter)


def test_mechanisms_move_the_right_way():
    base = run("spain_2005")
    assert run("spain_2005", {"fee": 1000}).applications < base.applications
    assert run("spain_2005", {"staff": 200}).months_to_clear > base.months_to_clear
    assert run("spain_2005", {"residence_years": 3}).pull.high < base.pull.high
    assert run("spain_2005", {"legal_channels": True}).pull.high < base.pull.high
    assert run("spain_2005", {"labour_inspection": False}).exploitation_exposure > (
        base.exploitation_exposure
    )
    # individual assessment weighs family situation case by case: more eligible, slower
    ind = run("spain_2005", {"assessment": "individual"})
    assert ind.eligible > base.eligible and ind.months_to_clear > base.months_to_clear
    # regularization lowers exposure compared with no programme at all
    nobody = run(
        "spain_2005",
        {"cover_domestic_care": False, "cover_agriculture": False, "cover_other_sectors": False},
    )
    assert nobody.approvals == 0 and nobody.exploitation_exposure > base.exploitation_exposure


def test_regine_retention_figures_are_reproduced_where_permits_last_a_year():
    assert round(run("italy_2002").legal_status_12m, 2) == 0.98
    assert 0.75 <= run("spain_2005", {"labour_inspection": False}).social_security_12m <= 0.85
    # a six-month employment-based permit is renewed within the year, and some lose status
    short = run("spain_2005", {"permit_months": 6})
    assert short.legal_status_12m < run("spain_2005").legal_status_12m


def test_compare_gives_baseline_and_reform_side_by_side():
    df = compare("italy_2020", {"staff": 400})
    assert list(df.columns) == ["key", "label", "unit", "group", "baseline", "reform", "change"]
    row = df.set_index("key").loc["months_to_clear"]
    assert row["reform"] < row["baseline"] and row["change"] == row["reform"] - row["baseline"]


def test_engine_import_pulls_in_no_widgets_or_altair():
    import subprocess
    import sys

    code = (
        "import sys\nimport mixedflows.regularization\n"
        "import mixedflows.regularization.validation\n"
        "print(','.join(sorted(m for m in sys.modules if m.split('.')[0] in "
        "{'ipywidgets', 'altair', 'anywidget', 'vl_convert', 'IPython'})))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert out == "", f"engine import pulled in: {out}"
