"""The room's misconceptions: the most common wrong answers per question, read from the
feedback items stored with each participant's latest attempt (as the learner saw them: labels,
not ids or raw answers), and the reflections, listed as typed. Nothing is graded again."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any

import pandas as pd

from mixedflows.facilitator.common import Standing, wrong_answers_sentence  # noqa: F401 (re-exported)
from mixedflows.facilitator.tables import FULL_MARKS
from mixedflows.store import Attempt

WRONG_COLUMNS = [
    "exercise_id",
    "question",
    "wrong_answer",
    "participants",
    "answered",
    "share",
    "why",
]
WHOLE_ANSWER = "(whole answer)"
"""The ``question`` of a wrong answer that is the whole answer (a choice, an order, a number)."""


def _latest_per_participant(
    attempts: Iterable[Attempt], key: Callable[[Attempt], Any] = lambda a: None
) -> list[Attempt]:
    """Each participant's latest attempt per exercise (and per ``key``, e.g. the boat)."""
    latest: dict[tuple, Attempt] = {}
    for a in sorted(attempts, key=lambda a: a.id):
        latest[(a.learner, a.exercise_id, key(a))] = a
    return list(latest.values())


def _result(a: Attempt) -> dict[str, Any]:
    return a.feedback if isinstance(a.feedback, dict) else {}


def _where(a: Attempt) -> tuple[str, str]:
    """Which boat or which part an attempt answers: each is its own set of questions."""
    fb = _result(a)
    return str(fb.get("context") or ""), str(fb.get("part") or "")


def _items(a: Attempt) -> list[dict[str, Any]]:
    """The feedback items stored with the attempt (or, for an attempt stored before they
    were, those of its recorded grade)."""
    items = a.feedback_items if isinstance(a.feedback_items, list) else _result(a).get("items")
    return (
        [i for i in items if isinstance(i, dict) and "item" in i] if isinstance(items, list) else []
    )


def question_text(exercise_id: str, item: str) -> str:
    """The question a feedback item answers, as the learner read it: the knowledge check's and
    the data-reading exercise's items are named by an internal key (``<exercise>/<question
    id>``, ``deadliest_route:2020``), which a facilitator never saw; any other item is shown
    as it is (a person, a case, a decision, already in the learner's words)."""
    return _question_texts(exercise_id).get(item, item)


@cache
def _question_texts(exercise_id: str) -> dict[str, str]:
    from mixedflows import knowledge

    if exercise_id in (knowledge.START, knowledge.END):
        return {i.key: i.question for i in knowledge.check_items()}
    from mixedflows.exercises import load_exercise

    try:
        ex = load_exercise(exercise_id)
    except Exception:  # not an exercise file, or one that does not load: items as stored
        return {}
    if getattr(ex, "model", "") == "flows.data_reading":
        from mixedflows.flows.questions import all_questions

        return {q.id: q.prompt for q in all_questions(ex.params.kinds)}
    return {}


@dataclass(frozen=True)
class _Line:
    """One wrong answer to one question, held by one participant."""

    question: str
    wrong: str
    why: str = ""
    order: tuple = ()


def _lines(a: Attempt) -> tuple[list[_Line], set[str]]:
    """The wrong items of one attempt, and the questions it answered."""
    context, _part = _where(a)
    lines: list[_Line] = []
    answered: set[str] = set()
    for k, item in enumerate(_items(a)):
        if item.get("answered") is False:
            continue  # left unanswered: not a misconception
        name = question_text(a.exercise_id, str(item["item"]))
        question = f"{context} · {name}" if context else name
        answered.add(question)
        try:
            credit = float(item.get("credit", 1.0))
        except (TypeError, ValueError):
            continue
        if credit >= FULL_MARKS:
            continue
        message, cite = str(item.get("message", "")), str(item.get("citation", ""))
        given = str(item.get("given") or "")
        if given:
            why = f"{message} [{cite}]" if cite else message
            lines.append(_Line(question, given, why, (context, 1, k)))
        else:
            lines.append(_Line(question, message, cite, (context, 1, k)))
    whole = _result(a).get("given")
    if isinstance(whole, str) and whole and a.score is not None:
        answered.add(WHOLE_ANSWER)
        if a.score < FULL_MARKS:
            lines.append(_Line(WHOLE_ANSWER, whole, "", (context, 0)))
    return lines, answered


def _analyse(
    attempts: Iterable[Attempt],
) -> tuple[list[tuple[str, str, _Line]], dict[tuple[str, str], set[str]]]:
    """Every wrong answer in each participant's latest attempt (per boat or part), as
    (participant, exercise_id, line), and who answered each (exercise_id, question)."""
    found: list[tuple[str, str, _Line]] = []
    answered: dict[tuple[str, str], set[str]] = defaultdict(set)
    graded = [a for a in attempts if a.score is not None]
    for a in _latest_per_participant(graded, _where):
        lines, asked = _lines(a)
        for q in asked:
            answered[(a.exercise_id, q)].add(a.learner)
        found += [(a.learner, a.exercise_id, line) for line in lines]
    return found, answered


def participant_wrong_answers(attempts: Iterable[Attempt], **_: Any) -> pd.DataFrame:
    """Each participant's wrong answers in their latest attempt (per boat, for module 1), in
    the order of the exercise's questions. Columns: participant, exercise_id, question,
    wrong_answer, why. What :func:`wrong_answers` counts, before counting."""
    found, _answered = _analyse(attempts)
    found.sort(key=lambda f: (f[0], f[1], _order_key(f[2].order)))
    return pd.DataFrame(
        [
            {
                "participant": who,
                "exercise_id": ex_id,
                "question": line.question,
                "wrong_answer": line.wrong,
                "why": line.why,
            }
            for who, ex_id, line in found
        ],
        columns=["participant", "exercise_id", "question", "wrong_answer", "why"],
    )


def wrong_answers(attempts: Iterable[Attempt], top: int | None = 5, **_: Any) -> pd.DataFrame:
    """The room's most common wrong answers per question, from each participant's latest
    attempt (per boat for module 1, per case file for the desk).

    Columns: exercise_id; question (the feedback item, after its boat: "Boat <seed> · <item>");
    wrong_answer (the learner's answer as they saw it, or the feedback when the grader gives
    no answer per item); participants (how many hold it); answered (how many answered that
    question); share (participants / answered); why (what the rule says, with its source: the
    debrief point). Reflections (score None) are not here: see :func:`reflections`. ``top``
    keeps the most common wrong answers of each question (None keeps all). Questions are
    ordered by how many participants got them wrong.
    """
    found, answered = _analyse(attempts)
    holders: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    why: dict[tuple[str, str, str], str] = {}
    order: dict[tuple[str, str], tuple] = {}
    for who, ex_id, line in found:
        k = (ex_id, line.question, line.wrong)
        holders[k].add(who)
        why.setdefault(k, line.why)
        order.setdefault((ex_id, line.question), line.order)
    rows = []
    for (ex_id, q, wrong), people in holders.items():
        n_answered = max(len(answered[(ex_id, q)]), len(people))
        rows.append(
            {
                "exercise_id": ex_id,
                "question": q,
                "wrong_answer": wrong,
                "participants": len(people),
                "answered": n_answered,
                "share": len(people) / n_answered,
                "why": why[(ex_id, q, wrong)],
            }
        )
    df = pd.DataFrame(rows, columns=WRONG_COLUMNS)
    if df.empty:
        return df
    # Questions most got wrong first; within a question, the most common wrong answer first.
    df["_q_wrong"] = df.groupby(["exercise_id", "question"])["participants"].transform("max")
    # Then in the order the questions come in the exercise (boat, then item).
    rank = {t: r for r, t in enumerate(sorted(set(order.values()), key=_order_key))}
    df["_order"] = [
        rank[order[(e, q)]] for e, q in zip(df["exercise_id"], df["question"], strict=True)
    ]
    df = df.sort_values(
        ["exercise_id", "_q_wrong", "_order", "participants", "wrong_answer"],
        ascending=[True, False, True, False, True],
        kind="stable",
    )
    if top is not None:
        df = df.groupby(["exercise_id", "question"], sort=False).head(top)
    return df.drop(columns=["_q_wrong", "_order"]).reset_index(drop=True)


def standing(attempts: Iterable[Attempt]) -> Standing:
    """The room's latest scored attempts counted: see :class:`Standing`."""
    latest = _latest_per_participant((a for a in attempts if a.score is not None), _where)
    below = [a for a in latest if float(a.score) < FULL_MARKS]
    return Standing(
        scored=len(latest),
        below_full=len(below),
        at_zero=sum(1 for a in below if float(a.score) <= 0.0),
        listed=sum(1 for a in below if _lines(a)[0]),
    )


def _order_key(t: tuple) -> tuple:
    # Compare numbers as numbers (Boat 10 after Boat 9) and anything else as text.
    import re

    def part(x: Any) -> tuple:
        if isinstance(x, int | float):
            return (0, x, "")
        m = re.fullmatch(r"(\D*)(\d+)(.*)", str(x))
        return (1, int(m.group(2)), str(x)) if m else (2, 0, str(x))

    return tuple(part(x) for x in t)


CUT_NOTE = " [... cut here: the store kept only the beginning of this answer]"
"""Said after an answer the store cut (recorded before answers had a stated maximum)."""

_TEXT_KEY = re.compile(r'"(?:text|reflection|answer)":\s*"')


def _cut_text(prefix: str) -> str:
    """The learner's text from the beginning of a cut answer's JSON: the part of its text field
    that was kept (an answer was ``{"prompt": ..., "text": ...}``: the prompt is not the
    answer, issue 11)."""
    import json

    m = _TEXT_KEY.search(prefix)
    if m:
        rest = prefix[m.end() :]
    elif prefix.startswith('"'):
        rest = prefix[1:]
    else:
        return prefix
    end = re.search(r'(?<!\\)(?:\\\\)*"', rest)
    rest = rest[: end.start() + len(end.group(0)) - 1] if end else rest
    for cut in range(7):  # an escape cut in the middle (a backslash, half a \uXXXX)
        try:
            return json.loads(f'"{rest[: len(rest) - cut]}"')
        except ValueError:
            continue
    return rest


def _answer_text(answer: Any) -> str:
    """A reflection as typed (:class:`mixedflows.results.Reflection`, or plain text); an answer
    the store cut, as the learner's text marked as cut."""
    import json

    from pydantic import ValidationError

    from mixedflows.results import Reflection

    if isinstance(answer, str):
        return answer
    if isinstance(answer, dict) and answer.get("truncated") is True:
        return _cut_text(str(answer.get("text", ""))) + CUT_NOTE
    try:
        return Reflection.model_validate(answer).text
    except ValidationError:
        return json.dumps(answer, ensure_ascii=False, default=str)


def reflections(attempts: Iterable[Attempt]) -> pd.DataFrame:
    """Answers recorded without a score (reflections, free text): each participant's latest
    per exercise, listed as typed. Columns: exercise_id, participant, created_at, text."""
    latest = _latest_per_participant(a for a in attempts if a.score is None)
    rows = [
        {
            "exercise_id": a.exercise_id,
            "participant": a.learner,
            "created_at": a.created_at,
            "text": _answer_text(a.answer),
        }
        for a in sorted(latest, key=lambda a: (a.exercise_id, a.learner))
    ]
    df = pd.DataFrame(rows, columns=["exercise_id", "participant", "created_at", "text"])
    df["created_at"] = pd.to_datetime(df["created_at"], utc=True, errors="coerce", format="ISO8601")
    return df


# --- Typical misconceptions: what the wrong answers mean, for the debrief ------------------------


@dataclass(frozen=True)
class Typical:
    """A misconception the dashboard's wrong answers show, recognised from a row of
    :func:`wrong_answers` (its question and its wrong answer, as the dashboard prints them), and
    what the facilitator says about it. The facilitator guide (docs/facilitator_guide.md) is
    written from this table, so the guide and the dashboard cannot disagree."""

    key: str
    module: int
    exercises: tuple[str, ...]
    question: str
    """A regular expression the row's question matches."""
    wrong: str
    """A regular expression the row's wrong answer matches."""
    belief: str
    """What a participant who gives this answer seems to believe."""
    say: str
    """What to say about it, with the paragraph of MC/INF/294 it rests on."""
    why: str = ""
    """A regular expression the row's why (what the rule says) matches ('' for any)."""

    def matches(self, exercise_id: str, question: str, wrong_answer: str, why: str = "") -> bool:
        return (
            exercise_id in self.exercises
            and re.search(self.question, question) is not None
            and re.search(self.wrong, wrong_answer) is not None
            and re.search(self.why, why) is not None
        )


TYPICAL: tuple[Typical, ...] = (
    Typical(
        "profiles_exclusive",
        1,
        ("m1_who_is_in_the_boat",),
        r".",
        r"^Economic migrant;",
        "A person who came to work cannot also need protection, have been trafficked or be a child.",
        "Profiles are not exclusive: tick every one the facts support. Travelling in a mixed, "
        'irregular flow "should not disqualify an individual from accessing the special '
        "protections\" (¶17); the note's list of profiles is a list of overlaps (¶6).",
    ),
    Typical(
        "words_smuggling_is_trafficking",
        2,
        ("m2_words_of_a_mixed_flow",),
        r".",
        r"Victim of trafficking",
        "Everyone who paid a smuggler was trafficked.",
        "Smuggling is a service a migrant agrees to, a crime against a border; trafficking needs "
        "an act, a means and an exploitative purpose (for a child, no means), and needs no border "
        "at all. One person can be both, or only one of them (¶6, ¶7, ¶17).",
        why=r"(?:^|\. )Victim of trafficking \(indications\): not met",
    ),
    Typical(
        "words_refugee_who_moves_on",
        2,
        ("m2_words_of_a_mixed_flow",),
        r".",
        r".",
        "A refugee who moves on with a smuggler is no longer a refugee, or a group is not a flow.",
        "A recognised refugee who moves on irregularly is still a refugee, and also a smuggled "
        "migrant (¶12); a flow is a movement of people with different profiles, never one "
        "person (¶6).",
        why=r"(?:^|\. )(?:Refugee|Mixed flow): met",
    ),
    Typical(
        "deterrence_only",
        3,
        ("m3_design_a_campaign",),
        r"^Not deterrence only$",
        r".",
        "Telling people about the dangers is enough to stop them leaving.",
        "Most potential migrants already know the dangers; ¶14 asks for complete information: "
        "legal options, hazards, the risk of trafficking and rights. Evidence that fear appeals "
        "deter is thin (the evaluation review found 60 evaluations in about 3,600 records).",
    ),
    Typical(
        "no_evaluation",
        3,
        ("m3_design_a_campaign",),
        r"^An evaluation plan$",
        r".",
        "A campaign's reach (people reached, leaflets handed out) shows that it works.",
        "¶14 asks for an appraisal of lessons learned; reach is not impact. A baseline, a "
        "follow-up and a comparison group are what the one trial in the evidence used.",
    ),
    Typical(
        "development_stops_emigration",
        3,
        ("m3_development_and_emigration",),
        r".",
        r"You predicted: emigration falls",
        "Development assistance reduces emigration in the short run.",
        'Across countries, emigration rises with income up to middle income (the "migration '
        'hump"); within countries the studies disagree. ¶15 names development assistance as '
        "a structural option, not a quick brake.",
    ),
    Typical(
        "nearest_or_any_port",
        4,
        ("m4_rescue_decision",),
        r"^Port: ",
        r".",
        "The nearest port, or the port the boat left from, ends the rescue.",
        "A place of safety is where life is not threatened, basic needs are met and onward "
        "transport can be arranged (IMO Guidelines, 2004, para. 6.12), and non-refoulement "
        "applies at sea (Hirsi Jamaa, 2012; ¶7, ¶16).",
    ),
    Typical(
        "crew_decides_status",
        4,
        ("m4_rescue_decision",),
        r"decide who is a refugee",
        r"^Never",
        "The crew can sort refugees from migrants on board.",
        "The duty to assist does not depend on status (SOLAS ch. V reg. 33.1); screening on "
        "land refers and the asylum procedure decides (¶17).",
    ),
    Typical(
        "tell_the_embassies",
        4,
        ("m4_rescue_decision",),
        r"^Informed: The embassies",
        r"^Never",
        "The embassies of the people rescued should be told, to identify them.",
        "People who may fear their own State are never reported to it; their data go to the "
        "RCC and UNHCR only (IMO/UNHCR, Rescue at Sea; ¶7, ¶17).",
    ),
    Typical(
        "children_in_holding",
        4,
        ("m4_holding_standards",),
        r".",
        r"'The closed holding facility' is not right here",
        "Holding everyone until identification is neutral, children included.",
        "¶19 puts holding under strict, monitored standards; children are not detained for "
        "immigration purposes (UNHCR Issue Brief, 2017) and alternatives to detention exist.",
    ),
    Typical(
        "order_over_constraints",
        5,
        ("m5_hard_constraints", "m5_screening_desk"),
        r"^(Welfare first|Counselling never replaces a referral|No trafficking interview)",
        r".",
        "Screening is a fixed sequence of steps, and the interview comes first.",
        "Priorities are hard constraints, not a sequence: acute care before any interview, a "
        "child's protection never waits, counselling never replaces a referral, no trafficking "
        "interview in front of a possible trafficker (¶17, ¶19).",
    ),
    Typical(
        "contact_country_of_origin",
        5,
        ("m5_hard_constraints", "m5_screening_desk"),
        r"No contact with the country of origin",
        r".",
        "Confirming identity with the consulate is a routine first step.",
        "Where protection or trafficking is indicated, or for a child, nobody contacts the "
        "authorities of origin (confidentiality and non-refoulement; ¶7, ¶17).",
    ),
    Typical(
        "consulate_for_papers",
        6,
        ("m6_stranded_casework",),
        r"^Ask the consulate",
        r"^Never",
        "A stranded person without papers should be sent to their consulate.",
        "Consular contact only where screening indicates no protection need and the person "
        "consents (Vienna Convention on Consular Relations, art. 36; ¶20, ¶21).",
    ),
    Typical(
        "return_because_asked",
        6,
        ("m6_stranded_casework", "m7_after_arrival"),
        r"^Assisted voluntary return$",
        r"^Never",
        "A person who says they want to go home can be helped to return at once.",
        "Return is voluntary only when chosen on full information, and safe: never for a child "
        "before a best interests procedure, never while a protection claim is pending (¶20, "
        "¶24).",
    ),
    Typical(
        "detain_while_pending",
        7,
        ("m6_stranded_casework", "m7_after_arrival"),
        r"^Detain the person",
        r"^Never",
        "People whose status is pending should be held until it is decided.",
        "Detention must not be arbitrary or indefinite and needs an individual assessment "
        "(UNHCR Detention Guidelines, 2012); children are not detained (¶19, ¶21).",
    ),
    Typical(
        "care_needs_a_report",
        7,
        ("m7_after_arrival",),
        r"^Make care conditional",
        r"^Never",
        "Health care can be given on condition that the patient is reported.",
        "Emergency care is not refused by reason of irregularity (ICRMW art. 28); care tied to "
        "a report is care refused, and some States give care while status is pending (¶21).",
    ),
    Typical(
        "threat_frame",
        7,
        ("m7_public_message",),
        r"^No threat frame",
        r".",
        "Answering fear with control calms the public.",
        "A control frame presents the people as a threat, the negative image that erodes "
        "support for refugee protection (¶22); a review of more than 160 studies found "
        "value-based messages work better (myth-busting 'may' deepen negativity: a hedged "
        "finding, not graded).",
    ),
    Typical(
        "illegal_is_neutral",
        7,
        ("m7_public_message",),
        r"^Words that describe people",
        r".",
        "'Illegal' is just a factual description.",
        "IOM speaks of irregular migration; naming people by an offence is what ¶22's "
        "destigmatization asks to avoid (a position of the note, not a measured effect).",
    ),
    Typical(
        "policy_intuition",
        8,
        ("m8_predict_then_see",),
        r".",
        r"^Not quite",
        "A lever moves outcomes the way intuition says (a fee pays for the programme; dropping "
        "the contract requirement puts more people in declared work).",
        "In the model a fee deters applicants, and without a contract fewer start in declared "
        "work; the point is to notice where intuition and the model differ, and why (¶23).",
    ),
    Typical(
        "return_on_request",
        9,
        ("m9_return_decisions",),
        r": decision$",
        r"[Vv]oluntary return",
        "A person who asks to go home can be returned at once, a child alone or a survivor of "
        "trafficking included.",
        "¶24: a best-interests determination before any return of a child alone, a risk "
        "assessment for a trafficked person, whatever they wish today; return in safety and "
        "dignity.",
        why=r"^Not this: .*(best-interests determination|risk assessment)",
    ),
    Typical(
        "money_is_reintegration",
        9,
        ("m9_reintegration_programme",),
        r"^(Social stability|Psychosocial well-being)$",
        r".",
        "Cash or a business grant alone makes a return sustainable.",
        "IOM reads sustainable reintegration on three dimensions, economic, social and "
        "psychosocial; ¶25 names links to job networks and referral services beside "
        "transferable assets. The model's assumptions are stated with their sources.",
        why=r"^Not met",
    ),
    Typical(
        "channels_regularize_the_present",
        9,
        ("m9_labour_mobility",),
        r"^present$",
        r"^Not quite",
        "Opening legal labour channels changes the situation of people already here.",
        "Legal channels are for future movements (¶15, ¶26); people already in an irregular "
        "situation need regularization or return (¶23, ¶24).",
    ),
    Typical(
        "agency_decides_status",
        10,
        ("m10_who_does_what",),
        r"^Decide asylum claims",
        r".",
        "UNHCR (or another agency) decides asylum claims where the State has a procedure.",
        "The State decides on status; at Lampedusa UNHCR monitored access to the procedure "
        "(¶18). Each actor works within its mandate.",
    ),
    Typical(
        "agency_designates_port",
        10,
        ("m10_who_does_what",),
        r"^Coordinate a rescue at sea",
        r".",
        "An agency can coordinate a rescue and designate the place of safety.",
        "The State's rescue coordination centre is responsible for finding a place of safety; no "
        "agency can designate one (IMO Guidelines, 2004; ¶16, ¶18).",
    ),
    Typical(
        "readmission_returns_the_boat",
        10,
        ("m10_landing_roles",),
        r"(^|· )The readmission agreement\?$",
        r"^Return everyone",
        "A readmission agreement lets a State send a boat's people back as a group, before anyone "
        "is screened.",
        "In the room, that one choice undid every other role's work: no one reached a place of "
        "safety, lodged a claim or was referred. No one is returned before an individual "
        "screening and procedure (non-refoulement; ¶17, ¶24); an agreement sets how returns "
        "happen, not who may be returned.",
    ),
    Typical(
        "age_by_xray",
        10,
        ("m10_landing_roles",),
        r"age\?$",
        r"X-ray|officer's view",
        "A wrist X-ray or an officer's impression settles whether a young person is a child.",
        "While age is in doubt the person is treated as a child, with a guardian, until a "
        "multidisciplinary assessment: the benefit of the doubt (UNHCR Guidelines, 1997; CRC "
        "General Comment No. 6, as the room's scenario cites it with its caveat; ¶17, ¶21).",
    ),
    Typical(
        "divert_the_boats",
        11,
        ("m11_season_on_the_route",),
        r"^1\. Rescue and disembarkation: Port: ",
        r"not a place of safety|closer",
        "Sending the season's boats to another State's port, however far or unsafe, relieves the "
        "centre.",
        "The rescue ends at the soonest place of safety: the ship is only a temporary one (IMO "
        "Guidelines, 2004; ¶16). In the season, another State took at most the scenario's stated "
        "share of the boats; the rest still landed at the centre, later, and an unsafe port put "
        "people at risk.",
    ),
    Typical(
        "return_without_safeguards",
        11,
        ("m11_season_on_the_route",),
        r"^5\. A policy for those left without a status: No one returned before the safeguard",
        r"^Not met",
        "Everyone left without a status at the end of the season can simply be returned.",
        "¶24: a best-interests determination before any return of a child alone, a risk "
        "assessment where there are indications of trafficking, a protection claim decided "
        "first; forced and voluntary return are not the same. The people a hurried interview "
        "missed at stage 3 are the ones a return policy without safeguards sends back.",
    ),
)
"""The typical misconceptions of modules 1 to 11 (module 10's room included), in course order."""


def typical(wrong: pd.DataFrame) -> pd.DataFrame:
    """The typical misconceptions in a table of wrong answers (:func:`wrong_answers`): one row
    per misconception met, with how many participants hold it. Columns: key, module, belief,
    say, participants."""
    holders: dict[str, int] = defaultdict(int)
    for r in wrong.itertuples(index=False):
        for t in TYPICAL:
            if t.matches(str(r.exercise_id), str(r.question), str(r.wrong_answer), str(r.why)):
                holders[t.key] = max(holders[t.key], int(r.participants))
    rows = [
        {
            "key": t.key,
            "module": t.module,
            "belief": t.belief,
            "say": t.say,
            "participants": holders[t.key],
        }
        for t in TYPICAL
        if t.key in holders
    ]
    return pd.DataFrame(rows, columns=["key", "module", "belief", "say", "participants"])
