"""Module 4, rescue at sea and after landing: the rules derive the port, the steps on board,
who is informed, the placements and the failed standards from a case's facts; every rescue case
agrees with its author's reading; full, partial and zero credit; feedback cites frameworks; bad
files and bad answers are named."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from mixedflows import rescue
from mixedflows.errors import DataFileError
from mixedflows.exercises import load_exercise
from mixedflows.grading import AnswerError, grade
from mixedflows.rescue import holding, rules
from mixedflows.rescue.case import load_rescue

CASES = rescue.list_rescues()


@pytest.mark.parametrize("case_id", CASES)
def test_rules_agree_with_the_author(case_id):
    case = load_rescue(case_id)
    e = case.spec.expected
    ref = rescue.reference(case)
    assert ref["port"] == e.port
    assert sorted(ref["on_board"]) == sorted(e.on_board)
    assert sorted(ref["informed"]) == sorted(e.informed)
    got = {
        rp.id: sorted(pl.allowed)
        for rp, pl in zip(case.spec.persons, rescue.placements(case), strict=True)
    }
    assert got == {k: sorted(v) for k, v in e.placements.items()}
    assert sorted(rescue.failed_standards(case.spec.facility)) == sorted(e.failed_standards)


def _case_file(tmp_path: Path, **changes) -> Path:
    src = yaml.safe_load(
        (Path(__file__).parents[1] / "datasets/rescue/rubber_boat_state_a_region.yaml").read_text()
    )
    for k, v in changes.items():
        src[k] = v
    p = tmp_path / f"{src['id']}.yaml"
    p.write_text(yaml.safe_dump(src, allow_unicode=True))
    return p


def test_answers_follow_the_facts_not_a_key(tmp_path: Path):
    """Change a fact and the derived answer changes with it."""
    case = load_rescue("rubber_boat_state_a_region")
    src = yaml.safe_load(Path(case.path).read_text())
    # Without the three people from State D, no one aboard describes a protection need: UNHCR
    # is no longer required, and contacting the embassies is merely 'not called for'.
    src["persons"] = [p for p in src["persons"] if p["facts"]["nationality"] != "State D"]
    for k in ("dawit", "selam", "meron"):
        src["expected"]["placements"].pop(k)
    p = tmp_path / "rubber_boat_state_a_region.yaml"
    p.write_text(yaml.safe_dump(src, allow_unicode=True))
    alt = load_rescue(p)
    ref = rescue.reference(alt)
    assert "unhcr" not in ref["informed"] and "note_claims" not in ref["on_board"]
    v = {x.option: x.call for x in rules.verdicts(alt, rules.INFORMED)}
    assert v["origin_authorities"] == "not_needed"
    # Port Dura is now acceptable (no one fled State D); Alba is still sooner.
    assert "dura" in [x.id for x in rescue.acceptable_ports(alt)]
    # A nearer safe port wins as soon as there is one.
    src["ports"][0].update(basic_needs=True, onward_transport=True)  # Port Cala, 3 h
    p.write_text(yaml.safe_dump(src, allow_unicode=True))
    assert rescue.reference(load_rescue(p))["port"] == "cala"


def test_port_rules():
    case = load_rescue("rubber_boat_state_a_region")
    checks = {p.id: rescue.port_checks(case, p) for p in case.spec.ports}
    bren = {c.rule: c for c in checks["bren"]}
    assert not bren["place of safety"].passed and not bren["non-refoulement"].passed
    assert "Hirsi" in bren["non-refoulement"].citation.text()
    dura = {c.rule: c for c in checks["dura"]}
    assert dura["place of safety"].passed and not dura["non-refoulement"].passed
    assert "Daniel H." in dura["non-refoulement"].why
    cala = {c.rule: c for c in checks["cala"]}
    assert not cala["place of safety"].passed and cala["non-refoulement"].passed
    assert "6.12" in cala["place of safety"].citation.text()
    assert [p.id for p in rescue.acceptable_ports(case)] == ["alba", "fiora"]


def test_decision_exercise_full_partial_zero():
    ex = load_exercise("m4_rescue_decision")
    case = rescue.load_rescue(ex.params.case)
    ref = rescue.reference(case)
    full = grade(ex, ref)
    assert full.score == 1.0
    assert all("MC/INF/294" in f.citation for f in full.items)
    assert any("SOLAS" in f.citation for f in full.items)
    # A safe but later port: half the port's credit, and the reason says how much later.
    later = grade(ex, {**ref, "port": "fiora"})
    assert later.score == pytest.approx(1 - 0.4 * 0.5)
    port_item = next(f for f in later.items if f.item.startswith("Port"))
    assert "8 hours closer" in port_item.message and "temporary" in port_item.message
    # The port the boat left: no credit, and the reason is a pushback.
    back = grade(ex, {"port": "bren", "on_board": ["tow_back", "decide_status"], "informed": []})
    assert back.score == 0.0
    msgs = " ".join(f.message for f in back.items)
    assert "threat to life or freedom" in msgs and "cannot decide who is a refugee" in msgs
    assert any("Never" in f.message for f in back.items)
    # Informing the embassies when people fear their own State is never right.
    r = grade(ex, {**ref, "informed": [*ref["informed"], "origin_authorities"]})
    item = next(f for f in r.items if "embassies" in f.item)
    assert item.credit == 0 and "Never" in item.message and "Rescue at Sea" in item.citation
    assert 0 < r.score < 1
    # Caveats travel with the secondary sources.
    assert any("caveat" in f.citation for f in full.items)


def test_a_never_option_is_decisive():
    """Issue 14: ticking every box, pushback included, used to pass at 79%; the milder Alba +
    'decide status' + 'origin authorities' at 89%. An option the rules mark "never" scores its
    part 0 and caps the decision below the pass mark, and the summary says why."""
    from mixedflows.certificate import PASS_GRADE
    from mixedflows.rescue.grader import NEVER_CAP, never_rule

    assert NEVER_CAP < PASS_GRADE
    ex = load_exercise("m4_rescue_decision")
    case = rescue.load_rescue(ex.params.case)
    ref = rescue.reference(case)
    every = {
        "port": ref["port"],
        "on_board": [o.id for o in rules.ON_BOARD],
        "informed": [o.id for o in rules.INFORMED],
    }
    never = {
        v.option
        for opts in (rules.ON_BOARD, rules.INFORMED)
        for v in rules.verdicts(case, opts)
        if v.call == "forbidden"
    }
    assert {"tow_back", "decide_status", "share_names", "departure_coastguard"} <= never
    r = grade(ex, every)
    assert r.score <= NEVER_CAP < PASS_GRADE
    assert "on board 0%, informed 0%" in r.summary
    assert f"below the {PASS_GRADE:.0%} pass mark" in r.summary and "¶7" in r.summary
    for o in (*rules.ON_BOARD, *rules.INFORMED):
        assert (f"'{o.label}'" in r.summary) == (o.id in never)
    # One "never" option on each side, all else right: still below the pass mark.
    mild = grade(
        ex,
        {
            **ref,
            "on_board": [*ref["on_board"], "decide_status"],
            "informed": [*ref["informed"], "origin_authorities"],
        },
    )
    assert mild.score < PASS_GRADE and "never right" in mild.summary
    # A single one, on one side only: the cap holds even where the rest would pass.
    one = grade(ex, {**ref, "on_board": [*ref["on_board"], "tow_back"]})
    assert one.score == pytest.approx(min(1 - 0.3, NEVER_CAP)) and "is never right" in one.summary
    # Without one, nothing changes: an option merely not called for costs its share only.
    assert "never" not in grade(ex, ref).summary
    # The rule, as the instructions state it, comes from the cap and the pass mark.
    assert f"{NEVER_CAP:.0%}" in never_rule() and f"{PASS_GRADE:.0%} pass mark" in never_rule()


def test_holding_exercise_full_partial_zero():
    ex = load_exercise("m4_holding_standards")
    case = rescue.load_rescue(ex.params.case)
    pls = {
        rp.id: pl.allowed[0]
        for rp, pl in zip(case.spec.persons, rescue.placements(case), strict=True)
    }
    failed = rescue.failed_standards(case.spec.facility)
    full = grade(ex, {"placements": pls, "failed_standards": failed})
    assert full.score == 1.0
    everyone_held = {k: "detention" for k in pls}
    zero = grade(ex, {"placements": everyone_held, "failed_standards": []})
    assert zero.score == 0.0
    issa = next(f for f in zero.items if f.item == "Issa K.")
    assert "guardian" in issa.message and "CRC" in issa.citation
    meron = next(f for f in zero.items if f.item == "Mira G.")
    assert "never be detained" in meron.citation
    half = grade(ex, {"placements": pls, "failed_standards": failed[:4]})
    assert 0.5 < half.score < 1
    # A met standard ticked is named (one met standard, medical care: ticked, it takes the
    # standards' half away, like ticking everything below).
    med = grade(ex, {"placements": pls, "failed_standards": ["medical", *failed]})
    assert any(f.message == "This standard is met here." for f in med.items)
    crowd = next(f for f in full.items if f.item.startswith("Humane"))
    assert "512" in crowd.message and "169% over" in crowd.message
    # Issue 14: ticking all 8 standards gave 75% of that half (an overlap score); now each
    # wrong tick takes a share away, and ticking everything scores 0 there.
    every = grade(ex, {"placements": pls, "failed_standards": [s.id for s in holding.STANDARDS]})
    assert every.score == pytest.approx(0.5)
    some = grade(ex, {"placements": pls, "failed_standards": failed[:1]})
    assert some.score > every.score


def test_bad_answers_are_named():
    ex = load_exercise("m4_rescue_decision")
    with pytest.raises(AnswerError, match="not a port"):
        grade(ex, {"port": "atlantis"})
    with pytest.raises(AnswerError, match="not an option: pray"):
        grade(ex, {"port": "alba", "on_board": ["pray"]})
    with pytest.raises(AnswerError, match="unknown key"):
        grade(ex, {"port": "alba", "captain": "x"})
    with pytest.raises(AnswerError, match="give a list"):
        grade(ex, {"port": "alba", "informed": "unhcr"})
    hx = load_exercise("m4_holding_standards")
    with pytest.raises(AnswerError, match="not a person"):
        grade(hx, {"placements": {"nobody": "open"}})
    with pytest.raises(AnswerError, match="not a placement"):
        grade(hx, {"placements": {"issa": "hotel"}})
    with pytest.raises(AnswerError, match="<script>"):
        grade(hx, {"placements": {"issa": "<script>"}})  # named, never executed


def test_malformed_case_names_file_and_field(tmp_path: Path):
    p = _case_file(tmp_path, ports=[{"id": "x", "name": "X"}, {"id": "y"}])
    with pytest.raises(DataFileError) as err:
        load_rescue(p)
    assert str(p) in str(err.value) and err.value.field.startswith("ports.0")
    src = yaml.safe_load(
        (Path(__file__).parents[1] / "datasets/rescue/rubber_boat_state_a_region.yaml").read_text()
    )
    src["persons"][0]["facts"]["hair"] = "black"
    p.write_text(yaml.safe_dump(src))
    with pytest.raises(DataFileError, match=r"persons\.0\.facts\.hair"):
        load_rescue(p)
    src["persons"][0]["facts"].pop("hair")
    src["expected"]["port"] = "atlantis"
    p.write_text(yaml.safe_dump(src))
    with pytest.raises(DataFileError, match=r"expected\.port"):
        load_rescue(p)


def test_every_standard_and_option_cites_a_framework():
    case = load_rescue("rubber_boat_state_a_region")
    for v in rules.verdicts(case, rules.ON_BOARD + rules.INFORMED):
        assert v.citation.framework and "MC/INF/294" in v.citation.text()
    for s in holding.STANDARDS:
        assert "¶19" in s.citation.seed


def test_port_feedback_sentences_start_with_a_capital():
    """Each port check's reason is shown after another one, so it starts a sentence."""
    case = load_rescue("rubber_boat_state_a_region")
    for port in case.spec.ports:
        for check in rules.port_checks(case, port):
            assert check.why[:1].isupper(), (port.id, check.rule, check.why)


@pytest.mark.parametrize("case_id", CASES)
def test_a_migrant_with_no_protection_need_is_not_placed_by_refugee_standards(case_id):
    """Issue 14 review, minor: the holding exercise cited ExCom Conclusion 44 (refugees and
    asylum-seekers) for labour migrants. A placement's citation names a refugee standard only for
    a person with a protection need; liberty for everyone rests on ICCPR art. 9."""
    from mixedflows.profiles import Profile
    from mixedflows.screening import screen

    case = load_rescue(case_id)
    for pl in holding.placements(case):
        if Profile.PROTECTION in screen(pl.person).profiles:
            continue
        fw = pl.citation.framework
        assert "ExCom" not in fw or "ICCPR" in fw, (pl.person.name, fw)


def test_some_rescue_case_places_a_migrant_with_no_protection_need():
    from mixedflows.profiles import Profile
    from mixedflows.screening import screen

    found = [
        pl
        for cid in CASES
        for pl in holding.placements(load_rescue(cid))
        if Profile.PROTECTION not in screen(pl.person).profiles and "ICCPR" in pl.citation.framework
    ]
    assert found


def test_one_name_is_one_person_and_a_lettered_state_hides_the_origin():
    """Issue 14 review, minors: 'Dawit H.' was module 2's Eritrean boy and module 4/7's man of
    State D; the lettered-States case gave its people recognisably Ethiopian/Eritrean names; and
    Hamid A. had fuel burns in module 4 but a serious illness, from nowhere, in module 7. A name
    used by two course files is the same person (same sex and nationality, the later one no
    younger); no lettered-State person bears a name the course's name lists give to one region;
    a specific need in the later file was already there in the earlier one."""
    from mixedflows.casework import load_casework
    from mixedflows.journey import list_journeys, load_journey
    from mixedflows.narratives import _NAMES

    people = {}
    for cid in CASES:
        for p in load_rescue(cid).persons:
            people.setdefault(p.name, []).append(("rescue", p))
    rescue_people = {k: v[0][1] for k, v in people.items()}
    for cw in ("port_alba_three_months_on",):
        for f in load_casework(cw).files:
            people.setdefault(f.person.name, []).append(("casework", f.person))
    for jid in list_journeys():
        p = load_journey(jid).persons[0]
        people.setdefault(p.name, []).append(("journey", p))
    for name, uses in people.items():
        first = uses[0][1]
        for _, p in uses[1:]:
            assert (p.sex, p.nationality) == (first.sex, first.nationality), name
    regional = {n for by_sex in _NAMES.values() for names in by_sex.values() for n in names}
    for name, p in rescue_people.items():
        if p.nationality and p.nationality.startswith("State "):
            assert name.split()[0] not in regional, name
    for f in load_casework("port_alba_three_months_on").files:
        before = rescue_people.get(f.person.name)
        if before is not None:
            assert set(f.person.specific_needs) <= set(before.specific_needs), f.person.name
