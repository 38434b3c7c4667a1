"""A person's narrative and interview, written from their facts: why they left, the journey,
their company, what happened to them, the arrival note (:func:`narrate`, :func:`interview`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mixedflows.narratives.names import _FAMILY_LINES, origins
from mixedflows.narratives.phrases import (
    _MOTIVES,
    _NEEDS,
    _URGENT,
    QUESTIONS,
    _pronouns,
    ground_line,
    topic_of,
)
from mixedflows.narratives.stories import compose
from mixedflows.profiles import Company, Ground, Motivation, Sex, SpecificNeed, UrgentCondition

if TYPE_CHECKING:
    from mixedflows.profiles import Person


_FAMILY_GROUNDS: dict[Ground, str] = {
    Ground.RACE: "its ethnic group",
    Ground.RELIGION: "its religion",
    Ground.NATIONALITY: "its nationality, which the authorities deny",
    Ground.SOCIAL_GROUP: "its refusal of a forced marriage",
    Ground.POLITICAL_OPINION: "the father's political activity",
}


def _family_ground(p: Person) -> str:
    assert p.persecution_ground is not None
    clan = origins().ground_lines.get("family_clan", ())
    if p.persecution_ground is Ground.SOCIAL_GROUP and p.nationality in clan:
        return _FAMILY_LINES["family_clan"]
    return _FAMILY_GROUNDS[p.persecution_ground]


def _young(p: Person) -> bool:
    return p.is_child and p.company is Company.PARENT and p.age < 12


def companion(p: Person) -> str:
    """Who the person travels with, in words ("his mother", "her aunt", "a man she calls
    'uncle', who is not a relative")."""
    pr = _pronouns(p.sex)
    c = p.company
    if c is Company.ALONE:
        return ""
    if c is Company.PARENT:
        return f"{pr['pos']} {p.family_companion}"
    if c is Company.RELATIVE:
        who = p.family_companion
        return who if who == "relatives" else f"{pr['pos']} {who}"
    if c is Company.SPOUSE:
        return f"{pr['pos']} {'husband' if p.sex is Sex.FEMALE else 'wife'}"
    if c is Company.OWN_CHILDREN:
        return f"{pr['pos']} children"
    return "a man {sub} calls 'uncle', who is not a relative".format(**pr)


def _company(p: Person) -> str:
    if p.company is Company.ALONE:
        return "travelled alone"
    text = "travels with " + companion(p)
    if p.company is Company.RELATIVE and p.treated_as_child:
        text += ", not with " + _pronouns(p.sex)["pos"] + " parents"
    return text


def _why_left(p: Person, pr: dict[str, str]) -> list[str]:
    """The reasons for leaving, told by a parent for a young child travelling with one."""
    out = []
    if p.persecution_ground is not None:
        if _young(p):
            out.append(
                (
                    "{Pos_} " + (p.companion or "mother") + " says the family was threatened "
                    "because of " + _family_ground(p) + "."
                ).format(**pr)
            )
        else:
            out.append(ground_line(p).format(**pr))
    if p.fled_conflict:
        # Named, so that flight from a war at home is never confused with flight from a war in
        # a transit country (Libya, 2011), told by _transit.
        home = f"in {p.nationality}" if p.nationality else "at home"
        if _young(p):
            out.append(
                (
                    "{Pos_} family fled fighting " + home + " that destroyed their neighbourhood."
                ).format(**pr)
            )
        else:
            out.append(
                ("{Sub} fled fighting " + home + " that destroyed {pos} neighbourhood.").format(
                    **pr
                )
            )
    if p.serious_harm_on_return:
        out.append(
            "{Sub} says that if sent back {sub} would be tortured by the men who threatened "
            "{obj} before {sub} left.".format(**pr)
        )
    return out


def _need_line(n: SpecificNeed, p: Person, pr: dict[str, str]) -> str:
    """The sentence of one specific need. A survivor whose story tells where they were beaten
    or held is not given another place for the scars: one place of abuse per person."""
    if n is SpecificNeed.SURVIVOR_OF_VIOLENCE and _tells_harm(p):
        return "{Sub} has scars from beatings and wakes up screaming at night.".format(**pr)
    return _NEEDS[n].format(**pr)


def _tells_harm(p: Person) -> bool:
    from mixedflows.trafficking import harm_ids

    return bool(set(p.trafficking_indicators) & set(harm_ids()))


def _months_on_the_way(p: Person, pr: dict[str, str]) -> str:
    n = p.months_in_transit
    return f"{{Sub}} spent {n} month{'' if n == 1 else 's'} on the way.".format(**pr)


def _transit(p: Person, pr: dict[str, str]) -> str:
    if not p.transit_conflict:
        return ""
    if p.story:  # recruited or held there: the story tells how they came to be there
        return ("{Sub} was still in " + p.transit_conflict + " when war broke out there.").format(
            **pr
        )
    return (
        "{Sub} was working in " + p.transit_conflict + " when war broke out there, and fled."
    ).format(**pr)


def _smuggler(p: Person, pr: dict[str, str]) -> str:
    who = "The family" if _young(p) else "{Sub}"
    if p.story == "held_for_ransom":  # the smugglers who then held them: a smuggling fact
        return (who + " paid a smuggler who arranged every step of the journey.").format(**pr)
    return (who + " paid a smuggler for the crossing.").format(**pr)


def _motive(p: Person, pr: dict[str, str]) -> str:
    line = _MOTIVES[p.motivation]
    if p.motivation is Motivation.FAMILY and SpecificNeed.OLDER_PERSON in p.specific_needs:
        line = "{Sub} wants to join {pos} children, who live abroad."
    if p.motivation is Motivation.FAMILY and _recruited_for_work(p):
        # Cold trial 2 of issue 10: "wants to join a brother", then a recruiter promising
        # building work, with nothing linking them.
        line = line[:-1] + ", and looked for work to pay for the journey."
    if p.motivation is Motivation.STUDY and _recruited_for_work(p):
        # A girl who hoped to study, then promised a job (trainer trial of issue 10, point 6).
        line = line[:-1] + ", and needed work to pay for it."
    return line.format(**pr)


def _recruited_for_work(p: Person) -> bool:
    """Someone recruited the person with an offer of work (a job, the pay, the conditions; or a
    promised job, not yet shown false: :data:`mixedflows.trafficking.JOB_OFFERS`). Trainer trial
    of issue 10, point 13: women of the stories of sexual exploitation who left to join a brother
    were then 'promised a job as a hairdresser' with nothing linking the two (the check was right:
    the generator tested a deception only, and a promise is not one until shown false)."""
    from mixedflows import trafficking

    return trafficking.recruited_for_work(p.trafficking_indicators)


def _stranded(p: Person, pr: dict[str, str]) -> str:
    from mixedflows.screening import protection_indicated

    if protection_indicated(p):
        # A person with a protection need does not go to their embassy: no contact implied.
        return "{Sub} has no passport any more and cannot go back.".format(**pr)
    if _documents_kept(p):  # never "lost" a passport the story says someone kept
        return (
            "{Sub} never got {pos} passport back; {pos} embassy will not confirm {pos} "
            "nationality, and {sub} cannot go back.".format(**pr)
        )
    return (
        "{Sub} lost {pos} passport on the way; {pos} embassy will not confirm {pos} "
        "nationality, and {sub} cannot go back.".format(**pr)
    )


def _documents_kept(p: Person) -> bool:
    from mixedflows.trafficking import observations

    table = observations()
    return any(table[i].means == "confiscation of documents" for i in p.trafficking_indicators)


def _married(p: Person, pr: dict[str, str]) -> list[str]:
    """A marriage the company does not already tell (a spouse who is not on the boat)."""
    if p.married and p.company is not Company.SPOUSE:
        return ["{Sub} is married.".format(**pr)]
    return []


def _pregnant(p: Person, pr: dict[str, str]) -> list[str]:
    """A pregnancy not near term (one near term is told among the urgent needs)."""
    if p.pregnant and UrgentCondition.LATE_PREGNANCY not in p.urgent:
        return ["{Sub} is pregnant.".format(**pr)]
    return []


def _age_lines(p: Person, pr: dict[str, str]) -> list[str]:
    if p.age_documented:
        return [f"{{Sub}} shows a document giving {{pos}} age as {p.age}.".format(**pr)]
    return [f"{{Sub}} says {{sub}} is {p.age} but has no document.".format(**pr)]


def _prima_facie(p: Person) -> str:
    if not p.prima_facie:
        return ""
    return f"People from {p.nationality} are recognised prima facie as a group here."


def arrival_lines(p: Person) -> list[str]:
    """What the official sees and hears first, sentence by sentence: who, how old they say,
    with whom, and any acute condition (visible before any question is asked)."""
    pr = _pronouns(p.sex)
    who = f"{p.name}, {p.age}, from {p.nationality}, " + _company(p).format(**pr) + "."
    lines = [who]
    if p.age_disputed and not p.is_child:
        lines.append("{Sub} looks much younger than {sub} says.".format(**pr))
    return lines + [_URGENT[c].format(**pr) for c in p.urgent]


def arrival_note(p: Person) -> str:
    return " ".join(arrival_lines(p))


def interview(p: Person) -> dict[str, list[str]]:
    """What the person answers to each question of :data:`QUESTIONS` (at least one sentence
    each). Trafficking facts are told where they belong: recruitment under the journey,
    exploitation under work, coercion and abuse at destination under control."""
    from mixedflows.screening import interview_apart, protection_indicated

    pr = _pronouns(p.sex)
    f: dict[str, list[str]] = {k: [] for k in QUESTIONS}
    # health
    f["health"] += [_URGENT[c].format(**pr) for c in p.urgent]
    medical = (SpecificNeed.SERIOUS_MEDICAL, SpecificNeed.DISABILITY, SpecificNeed.OLDER_PERSON)
    f["health"] += [_NEEDS[n].format(**pr) for n in p.specific_needs if n in medical]
    if SpecificNeed.SURVIVOR_OF_VIOLENCE in p.specific_needs:
        f["health"].append(_need_line(SpecificNeed.SURVIVOR_OF_VIOLENCE, p, pr))
    f["health"] += _pregnant(p, pr)
    if not f["health"]:
        f["health"].append("{Sub} is tired but says {sub} needs nothing urgently.".format(**pr))
    # company and family
    f["company"].append(("{Sub} " + _company(p) + ".").format(**pr))
    f["company"] += _married(p, pr)
    if p.treated_as_child and p.company in (Company.ALONE, Company.UNRELATED_ADULT):
        f["company"].append(
            "{Pos_} parents stayed at home; no adult here is responsible for {obj}.".format(**pr)
        )
    family = (SpecificNeed.SINGLE_PARENT, SpecificNeed.FAMILY_UNITY, SpecificNeed.WOMAN_AT_RISK)
    f["company"] += [_NEEDS[n].format(**pr) for n in p.specific_needs if n in family]
    # age
    f["age"] += _age_lines(p, pr)
    if p.age_disputed and not p.is_child:
        f["age"].append(
            "{Sub} hesitates, and mentions finishing primary school two years ago.".format(**pr)
        )
    # talking in private
    if interview_apart(p):
        f["private"].append(
            "Away from the others, {sub} relaxes a little and agrees to talk.".format(**pr)
        )
    else:
        f["private"].append("{Sub} says {sub} is fine talking where {sub} is.".format(**pr))
    # reasons and return
    why = _why_left(p, pr)
    f["reasons"] += why
    if p.persecution_ground is not None or p.serious_harm_on_return:
        f["return"].append(
            "{Sub} is afraid of what would happen to {obj} if sent back.".format(**pr)
        )
    if p.fled_conflict:
        f["return"].append("{Sub} says the fighting is still going on at home.".format(**pr))
    transit = _transit(p, pr)
    if transit:
        f["reasons"].append(transit)
    motive = _motive(p, pr)
    if motive:
        f["reasons"].append(motive)
    if p.prima_facie:
        f["reasons"].append(_prima_facie(p))
    if p.cannot_return:
        f["return"].append(_stranded(p, pr))
    if not f["return"]:
        if protection_indicated(p):
            f["return"].append("{Sub} does not want to go back.".format(**pr))
        else:
            f["return"].append(
                "{Sub} could go back, but would face the same poverty as before.".format(**pr)
            )
    # journey, work and control: the trafficking testimony
    by_topic: dict[str, list[str]] = {}
    for i in p.trafficking_indicators:
        by_topic.setdefault(topic_of(i), []).append(i)
    for topic, ids in by_topic.items():  # each answer introduces whoever it refers to
        f[topic] += [t.format(**pr) for _, t in compose(ids, p.story)]
    if p.says_agreed:
        f["journey"].append(AGREED.format(**pr))
    if p.paid_smuggler:
        f["journey"].append(_smuggler(p, pr))
    if p.months_in_transit:
        f["journey"].append(_months_on_the_way(p, pr))
    if not f["journey"]:
        f["journey"].append(
            "{Sub} came straight from the coast with people from home.".format(**pr)
        )
    if not f["work"]:
        if _held_at_work(p):  # held where they were brought to work: told under another topic
            f["work"].append(
                "{Sub} says the work is part of what {sub} told about the journey.".format(**pr)
            )
        else:
            f["work"].append("{Sub} did not work on the way.".format(**pr))
    if not f["control"]:
        if _controlled(p):
            f["control"].append(
                "{Sub} says what happened to {pos} papers and money is part of the journey "
                "{sub} told about.".format(**pr)
            )
        else:
            f["control"].append("{Sub} keeps {pos} own things and owes nobody money.".format(**pr))
    # asylum
    if p.requests_asylum:
        f["asylum"].append("{Sub} says yes: {sub} wants to ask for asylum.".format(**pr))
    elif protection_indicated(p):
        f["asylum"].append(
            "{Sub} did not know this was possible and wants to know more.".format(**pr)
        )
    else:
        f["asylum"].append("{Sub} says {sub} did not come to ask for protection.".format(**pr))
    return f


def _held_at_work(p: Person) -> bool:
    """Some observation shows a purpose of exploitation other than a debt still to be repaid, or
    that the person was held where they were brought to work (confinement or documents kept at
    destination: a means, not a purpose, but it tells that there was work)."""
    from mixedflows import trafficking

    table = trafficking.observations()
    intended = "debt bondage (a practice similar to slavery)"
    return any(
        table[i].purpose not in ("", intended) or trafficking.held_at_work(table[i])
        for i in p.trafficking_indicators
    )


def _controlled(p: Person) -> bool:
    """The person told of documents taken, a debt or confinement (under another question)."""
    from mixedflows.trafficking import observations

    table = observations()
    kinds = {"confiscation of documents", "debt", "confinement"}
    told_debt = {
        "d3.abuse_of_cultural_religious_beliefs",
        "se.oath_to_repay",
    }
    return any(table[i].means in kinds or i in told_debt for i in p.trafficking_indicators)


AGREED = "{Sub} insists {sub} agreed to go."
"""What a person who says they consented says (:attr:`Person.says_agreed`)."""


def narrative_lines(p: Person) -> list[str]:
    """The whole story at once (module 1), sentence by sentence, stating every fact the rules
    read (checked mechanically by :mod:`mixedflows.narratives.check`)."""
    pr = _pronouns(p.sex)
    lines = arrival_lines(p)
    if not p.age_documented and p.treated_as_child:
        lines.append("{Sub} has no document showing {pos} age.".format(**pr))
    lines += _married(p, pr) + _pregnant(p, pr)
    lines += _why_left(p, pr)
    transit = _transit(p, pr)
    if transit:
        lines.append(transit)
    motive = _motive(p, pr)
    if motive:
        lines.append(motive)
    lines += [t.format(**pr) for _, t in compose(p.trafficking_indicators, p.story)]
    if p.says_agreed:
        lines.append(AGREED.format(**pr))
    lines += [_need_line(n, p, pr) for n in p.specific_needs]
    if p.cannot_return:
        lines.append(_stranded(p, pr))
    if p.prima_facie:
        lines.append(_prima_facie(p))
    if p.requests_asylum:
        lines.append("{Sub} asks to apply for asylum.".format(**pr))
    if p.paid_smuggler:
        lines.append(_smuggler(p, pr))
    elif p.months_in_transit:
        lines.append(_months_on_the_way(p, pr))
    return lines


def narrate(p: Person) -> str:
    """A few sentences stating all of the person's facts, in a humane register."""
    return " ".join(narrative_lines(p))
