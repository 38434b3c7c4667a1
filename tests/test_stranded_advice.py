"""Issue 10, second cold trial (minor 6): a stranded person whose embassy refused to confirm
their nationality was still advised 'consular help to establish nationality'. Per MC/INF/294
¶20 the advice is inter-State cooperation, and the risk of statelessness is screened."""

from __future__ import annotations

from mixedflows.cases import load_case
from mixedflows.profiles import Need
from mixedflows.scenarios import generate_cohort, list_scenarios, load_scenario
from mixedflows.screening import protection_indicated, screen


def _counselling(p) -> str:
    r = next(r for r in screen(p).referrals if r.need is Need.COUNSELLING)
    return r.rationale + " " + r.citation.framework


def _check(p) -> None:
    text = _counselling(p)
    assert "consular help to establish nationality" not in text, p.person_id
    assert "inter-State cooperation" in text and "statelessness" in text, (p.person_id, text)


def test_stranded_people_refused_by_their_embassy_over_seeds() -> None:
    seen = 0
    for sid in list_scenarios():
        sc = load_scenario(sid)
        for seed in range(40):
            for p in generate_cohort(sc, seed):
                refused = "will not confirm" in p.narrative
                if not (p.cannot_return and refused and not protection_indicated(p)):
                    continue
                if screen(p).return_counselling != "offered":
                    continue
                seen += 1
                _check(p)
    assert seen >= 5, seen


def test_the_worked_case_stranded_without_papers() -> None:
    (p,) = load_case("stranded_without_papers").persons
    _check(p)
