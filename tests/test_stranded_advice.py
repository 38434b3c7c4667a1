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


def _m6_files():
    """The module 6 files: the worked case, and the scenario's people stranded, over seeds."""
    from mixedflows import casework
    from mixedflows.exercises import load_exercise

    params = casework.check_params(load_exercise("m6_stranded_casework"))
    out = list(casework.load_casework("bosasso_2006").files)
    for seed in range(12):
        out += casework.generated_files(params.scenario, seed, 8, params.premise, params.chances)
    return out


def test_consular_contact_only_without_a_protection_need_and_with_consent():
    """Cold trial of issue 10 (item 3): module 6 still advised "consular help to establish
    nationality". The consulate is asked only where screening indicates no protection need and
    the person consents, and the advice says so; otherwise it names the route instead (the
    asylum procedure and UNHCR, statelessness screening)."""
    from mixedflows.casework import verdicts

    seen = {"required": 0, "protection": 0, "opposes": 0}
    for f in _m6_files():
        s = screen(f.person)
        (v,) = verdicts(f, ["consular"])
        assert "consular help to establish" not in v.why, f.person.person_id
        if v.call == "required":
            seen["required"] += 1
            assert not s.protection and f.situation.consents_to_consular
            assert "no protection need" in v.why and f"{f.person.name} consents" in v.why, v.why
            assert "only because both" in v.why and "inter-State cooperation" in v.why, v.why
        if s.protection:
            seen["protection"] += 1
            assert v.call == "forbidden", f.person.person_id
            assert "asylum procedure and UNHCR" in v.why and "statelessness" in v.why, v.why
        elif not f.situation.consents_to_consular and not s.origin_contact_forbidden:
            seen["opposes"] += 1
            assert v.call == "forbidden" and "asylum" in v.why and "statelessness" in v.why
    assert min(seen.values()) >= 1, seen


def test_no_course_file_advises_consular_help_without_its_conditions():
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    for folder in ("src", "datasets", "exercises", "modules", "docs"):
        for p in (root / folder).rglob("*"):
            if p.suffix in {".py", ".yaml", ".ipynb", ".md", ".csv"}:
                text = " ".join(p.read_text("utf-8").split())
                assert "consular help to establish" not in text, p
