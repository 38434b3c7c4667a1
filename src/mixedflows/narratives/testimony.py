"""What people tell about trafficking: one sentence per ILO/EC indicator, and the stories
generated persons tell (observation ids with the sentence that tells each one).

Written for this course: the sentences are synthetic and describe no real person. Which
indicator a sentence shows follows the ILO/EC list (``mixedflows/data/ilo_indicators.csv``).
"""

from __future__ import annotations

# One sentence per ILO/EC indicator, as a person might tell it (third person, case-file style).
# The same words can belong to two dimensions (documents taken during recruitment, or at the
# place of work): the sentence says when, so the reader can tell the dimension.
INDICATOR_LINES: dict[str, str] = {
    "d1.deceived_about_the_nature_of_the_job_location_or": "A recruiter promised {obj} one job; "
    "{sub} was taken to a different place to do different work.",
    "d1.deceived_about_conditions_of_work": "The recruiter described short, easy working "
    "days; the work was nothing like it.",
    "d1.deceived_about_content_or_legality_of_work_contr": "{Sub} signed a contract that turned "
    "out to be worthless.",
    "d1.deceived_about_family_reunification": "{Sub} was told the journey would bring {obj} to "
    "{pos} family, who are not where {sub} was taken.",
    "d1.deceived_about_housing_and_living_conditions": "A recruiter promised {obj} a room and "
    "meals; there were none.",
    "d1.deceived_about_legal_documentation_or_obtaining_": "{Sub} was told an agent would "
    "arrange a work permit; no permit ever came.",
    "d1.deceived_about_travel_and_recruitment_conditions": "{Sub} was told the journey would be "
    "free; on the way {sub} had to pay for every stage.",
    "d1.deceived_about_wages_earnings": "The recruiter lied to {obj} about the wage.",
    "d1.deceived_through_promises_of_marriage_or_adoptio": "A man who promised to marry {obj} "
    "arranged the journey; he never meant to marry {obj}.",
    "d1.deceived_about_access_to_education_opportunities": "{Sub} was told {sub} would go to a "
    "school abroad; there was no such school.",
    "d2.violence_on_victims": "On the way, the men who moved {obj} beat {obj}.",
    "d2.abduction_forced_marriage_forced_adoption_or_sel": "{Sub} says {sub} was sold from one "
    "group of men to another on the way.",
    "d2.confiscation_of_documents": "The people who organised the journey took {pos} passport "
    "at the start.",
    "d2.debt_bondage": "Before leaving, {sub} had to accept a debt for the journey, to be repaid "
    "by working.",
    "d2.isolation_confinement_or_surveillance": "During the journey {sub} was locked in a house "
    "for weeks.",
    "d2.threat_of_denunciation_to_authorities": "On the way {sub} was told the police would "
    "jail {obj} if {sub} tried to leave.",
    "d2.threats_of_violence_against_victim": "The men who moved {obj} threatened to hurt "
    "{obj} if {sub} complained.",
    "d2.threats_to_inform_family_community_or_public": "{Sub} was threatened that {pos} family "
    "would be told shameful things.",
    "d2.violence_on_family_threats_or_effective": "{Sub} was told {pos} family at home would "
    "be harmed if {sub} did not go.",
    "d2.withholding_of_money": "The money {sub} had saved was taken at the start.",
    "d3.abuse_of_difficult_family_situation": "The recruiter knew {pos} family could not feed "
    "everyone and used that.",
    "d3.abuse_of_illegal_status": "The recruiter said that without papers {sub} had no choice.",
    "d3.abuse_of_lack_of_education_language": "{Sub} cannot read and did not understand what "
    "{sub} agreed to.",
    "d3.abuse_of_lack_of_information": "The recruiter told {obj} only what suited him about the "
    "country {sub} was going to.",
    "d3.control_of_exploiters": "The man who recruited {obj} controls the people in {pos} village.",
    "d3.economic_reasons": "{Sub} left because {pos} family had no income at all.",
    "d3.false_information_about_law_attitude_of_authorit": "{Sub} was told, falsely, that the "
    "police abroad beat anyone who asks them for help.",
    "d3.false_information_about_successful_migration": "{Sub} was shown photographs of people "
    "who had 'become rich' abroad; it was not true.",
    "d3.family_situation": "{Sub} is the eldest child and had to support the whole family.",
    "d3.personal_situation": "{Sub} was alone after {pos} parents died.",
    "d3.psychological_and_emotional_dependency": "{Sub} trusted the recruiter like a parent.",
    "d3.relationship_with_authorities_legal_status": "{Sub} had no papers and feared the "
    "authorities at home.",
    "d3.difficulties_in_the_past": "{Sub} had been abused before leaving home.",
    "d3.difficulty_to_organize_the_travel": "{Sub} could never have paid for the journey "
    "alone; the recruiter arranged everything.",
    "d3.abuse_of_cultural_religious_beliefs": "Before leaving, {sub} was made to swear an oath "
    "at a shrine to repay the debt.",
    "d3.general_context": "In {pos} region, many young people leave through the same recruiters.",
    "d4.excessive_working_days_or_hours": "{Sub} worked from dawn to night, seven days a week.",
    "d4.bad_living_conditions": "{Sub} slept on the floor of a crowded room with no water.",
    "d4.hazardous_work": "{Sub} handled chemicals with no protection.",
    "d4.low_or_no_salary": "{Sub} received no salary, only some food.",
    "d4.no_respect_of_labour_laws_or_contract_signed": "Nothing of what was agreed was "
    "respected at work.",
    "d4.no_social_protection_contract_social_insurance_e": "{Sub} had no contract and no "
    "insurance when {sub} was injured at work.",
    "d4.very_bad_working_conditions": "The work was in heat with no rest and no shade.",
    "d4.wage_manipulation": "{Pos_} employer invented fines that ate the whole wage.",
    "d4.no_access_to_education": "{Sub} has not been to school since leaving home.",
    "d5.confiscation_of_documents": "At the place of work, {pos} employer kept {pos} passport.",
    "d5.debt_bondage": "{Sub} says {sub} still owes a large debt that {sub} must repay by working.",
    "d5.isolation_confinement_or_surveillance": "Where {sub} was made to work, {sub} was locked "
    "in at night.",
    "d5.violence_on_victims": "{Sub} was beaten at work.",
    "d5.forced_into_illicit_criminal_activities": "{Sub} was made to carry drugs.",
    "d5.forced_tasks_or_clients": "{Sub} was forced to do whatever {sub} was told, with no "
    "right to refuse.",
    "d5.forced_to_act_against_peers": "{Sub} was made to watch over the other workers and "
    "report on them.",
    "d5.forced_to_lie_to_authorities_family_etc": "{Sub} was told what to say to officials "
    "and to {pos} family.",
    "d5.threat_of_denunciation_to_authorities": "{Pos_} employer said {sub} would be handed to "
    "the police if {sub} left.",
    "d5.threat_to_impose_even_worse_working_conditions": "{Sub} was told the work would get "
    "worse if {sub} complained.",
    "d5.threats_of_violence_against_victim": "{Pos_} employer threatened to hurt {obj}.",
    # "in {pos} group", not "on the boat": true at a landing and for a person stranded on a
    # land route alike (module 6's files; issue 14)
    "d5.under_strong_influence": "{Sub} looks at a man in {pos} group before answering any "
    "question.",
    "d5.violence_on_family_threats_or_effective": "{Sub} was told {pos} family would be harmed "
    "if {sub} talked.",
    "d5.withholding_of_wages": "{Pos_} employer kept all of {pos} wages 'for safekeeping'.",
    "d5.threats_to_inform_family_community_or_public": "{Sub} was threatened that {pos} family "
    "would learn what work {sub} was made to do.",
    "d6.dependency_on_exploiters": "{Sub} depended on {pos} employer for food, shelter and "
    "everything else.",
    "d6.difficulty_to_live_in_an_unknown_area": "{Sub} did not know where {sub} was and could "
    "not speak the language.",
    "d6.economic_reasons": "{Sub} stayed because {pos} family needed the money.",
    "d6.family_situation": "{Sub} stayed because {pos} family at home depended on {obj}.",
    "d6.relationship_with_authorities_legal_status": "Without papers, {sub} did not dare to go "
    "to the police.",
    "d6.difficulties_in_the_past": "{Sub} had nowhere to go back to.",
    "d6.personal_characteristics": "{Sub} was very young and alone there.",
}

INDICATOR_INTROS: dict[str, str] = {
    "d1.deceived_about_conditions_of_work": "A recruiter described short, easy working days; "
    "the work was nothing like it.",
    "d1.deceived_about_wages_earnings": "A recruiter lied to {obj} about the wage.",
    "d3.abuse_of_difficult_family_situation": "A recruiter knew {pos} family could not feed "
    "everyone and used that.",
    "d3.abuse_of_illegal_status": "A recruiter said that without papers {sub} had no choice.",
    "d3.abuse_of_lack_of_information": "A recruiter told {obj} only what suited him about the "
    "country {sub} was going to.",
    "d3.psychological_and_emotional_dependency": "{Sub} trusted the man who recruited {obj} like "
    "a parent.",
    "d3.difficulty_to_organize_the_travel": "{Sub} could never have paid for the journey "
    "alone; a recruiter arranged everything.",
}
"""The standalone form of each line of :data:`INDICATOR_LINES` that refers to "the recruiter":
used where no recruiter has been introduced yet (it introduces one)."""
INDICATOR_USES = {i: ("recruiter",) for i in INDICATOR_INTROS}
INDICATOR_INTRODUCES = {
    "d3.control_of_exploiters": ("recruiter",),
    "d1.deceived_about_the_nature_of_the_job_location_or": ("recruiter", "work"),
    "d1.deceived_about_housing_and_living_conditions": ("recruiter",),
}
"""Generic lines that introduce an actor themselves ("the man who recruited him")."""

# Trafficking stories: observation ids with the sentences that tell each one. Items are kept at
# random, so some stories give indications warranting referral and some do not. A story of
# sexual exploitation uses the Palermo-read observations (``se.*``), never the labour list.
#
# A story is told from the items kept, in the order below, so a sentence may refer to someone or
# somewhere only once they are introduced (cold trial: "the recruiter" before any recruiter). Each
# item is (observation id, text, intro, uses): ``text`` refers to the actors in ``uses`` as
# already known ("the recruiter", "the farm"); ``intro`` (when ``uses`` is not empty) tells the
# same observation standing alone and introduces them ("a recruiter", "a farm in the desert").
# Each fact is told once: a promise is made in one item, what came instead in another.
Item = tuple[str, str, str, tuple[str, ...]]

STORIES: dict[str, tuple[Item, ...]] = {
    "sexual_exploitation_promise": (
        (
            "se.promised_job_abroad",
            "A woman from {pos} town promised {obj} a job as a hairdresser in Italy.",
            "",
            (),
        ),
        (
            "se.promised_earnings",
            "{Sub} was told {sub} would earn enough to send money home within a month; the "
            "money never came.",
            "",
            (),
        ),
        (
            "se.oath_to_repay",
            "Before leaving, {sub} was made to swear an oath at a shrine to repay a debt for the "
            "journey.",
            "",
            (),
        ),
        (
            "se.journey_debt",
            "{Sub} says {sub} owes 30,000 euros for the journey, to be repaid by working in "
            "Europe.",
            "",
            (),
        ),
        (
            "se.passport_held_by_companion",
            "{Pos_} passport is kept by a man who travelled on the same boat.",
            "",
            (),
        ),
        (
            "se.watched_by_companion",
            "{Sub} looks at a man from the boat before answering any question.",
            "",
            (),
        ),
        (
            "se.forced_prostitution",
            "In Libya {sub} was forced into prostitution in a house run by a 'madam'.",
            "",
            (),
        ),
        (
            "se.earnings_taken_for_debt",
            "The money clients paid went to the madam who kept {obj} in her house, 'for the debt'.",
            "In Libya, the money clients paid went to a 'madam' who kept {obj} in her house, "
            "'for the debt'.",
            ("madam",),
        ),
        (
            "se.threats_to_family",
            "{Sub} was told {pos} family would be harmed if {sub} talked.",
            "",
            (),
        ),
    ),
    "labour_in_transit": (
        (
            "d1.deceived_about_conditions_of_work",
            "A recruiter in {pos} town promised {obj} building work in Libya, with fair hours "
            "and a day off; the work was nothing like it.",
            "",
            (),
        ),
        (
            "d1.deceived_about_wages_earnings",
            "The recruiter said {sub} would earn three times {pos} wage at home; {sub} never did.",
            "A recruiter told {obj} {sub} would earn three times {pos} wage at home; {sub} "
            "never did.",
            ("recruiter",),
        ),
        (
            "d1.deceived_about_travel_and_recruitment_conditions",
            "The 'free' transport turned out to be a debt {sub} had to repay by working.",
            "",
            (),
        ),
        (
            "d1.deceived_about_the_nature_of_the_job_location_or",
            "Instead of a building site in Tripoli, {sub} was taken to a farm in the desert.",
            "{Sub} had been recruited for a building site in Tripoli but was taken to a farm in "
            "the desert instead.",
            ("building_promise",),
        ),
        (
            "d4.excessive_working_days_or_hours",
            "On the farm {sub} worked from dawn to night, seven days a week, for months.",
            "{Sub} was made to work on a farm in the desert from dawn to night, seven days a "
            "week, for months.",
            ("farm",),
        ),
        ("d4.low_or_no_salary", "{Sub} received no salary, only some food.", "", ()),
        (
            "d5.isolation_confinement_or_surveillance",
            "At night the workers were locked in a compound.",
            "On a farm in the desert where {sub} was made to work, {sub} was locked in a compound "
            "at night with the other workers.",
            ("work",),
        ),
        (
            "d5.violence_on_victims",
            "{Sub} was beaten by the farm owner's men.",
            "On a farm in the desert, {sub} was beaten by the owner's men.",
            ("farm",),
        ),
        (
            "d5.confiscation_of_documents",
            "The farm owner kept {pos} passport.",
            "The owner of a farm in the desert where {sub} was made to work kept {pos} passport.",
            ("farm",),
        ),
    ),
    "child_labour": (
        (
            "d1.deceived_about_access_to_education_opportunities",
            "An uncle's friend told {pos} parents {sub} would go to a school abroad; there was no "
            "such school.",
            "",
            (),
        ),
        (
            "d1.deceived_about_travel_and_recruitment_conditions",
            "{Sub} was told the journey would take a week; it took many months.",
            "",
            (),
        ),
        (
            "d4.excessive_working_days_or_hours",
            "On the way {sub} was made to work long days on a farm.",
            "",
            (),
        ),
        ("d4.no_access_to_education", "{Sub} has not been to school since leaving home.", "", ()),
        (
            "d5.under_strong_influence",
            "{Sub} says a man in {pos} group 'will take care of' {obj}.",
            "",
            (),
        ),
    ),
    "domestic_work_gulf": (
        (
            "d1.deceived_about_conditions_of_work",
            "On an earlier journey, a broker in {pos} town promised {obj} housework for a "
            "family in Saudi Arabia, with one day off a week; {sub} never had one.",
            "",
            (),
        ),
        (
            "d1.deceived_about_wages_earnings",
            "{Sub} was promised 200 dollars a month; the contract the family showed {obj} on "
            "arrival said 120 instead.",
            "A broker in {pos} town promised {obj} 200 dollars a month; the contract the family "
            "showed {obj} on arrival said 120 instead.",
            ("broker",),
        ),
        (
            "d1.deceived_about_housing_and_living_conditions",
            "{Sub} was promised a room of {pos} own; there was none.",
            "A broker in {pos} town promised {obj} a room of {pos} own; there was none.",
            ("broker",),
        ),
        (
            "d3.false_information_about_successful_migration",
            "The broker showed {obj} neighbours' new houses, 'built with Gulf wages'; it was not "
            "true.",
            "A broker in {pos} town showed {obj} neighbours' new houses, 'built with Gulf wages'; "
            "it was not true.",
            ("broker",),
        ),
        (
            "d4.excessive_working_days_or_hours",
            "In that house in Jeddah {sub} worked eighteen hours a day with no day off, "
            "until {sub} was sent home; now {sub} is trying again.",
            "On an earlier journey, working for a family in Jeddah, {sub} worked eighteen hours "
            "a day with no day off, until {sub} was sent home; now {sub} is trying again.",
            ("gulf_family",),
        ),
        ("d4.low_or_no_salary", "{Sub} was never paid.", "", ()),
        (
            "d5.confiscation_of_documents",
            "The family in Jeddah took {pos} passport on the first day.",
            "On an earlier journey, a family {sub} worked for in Jeddah took {pos} passport on "
            "the first day.",
            ("gulf_family",),
        ),
        (
            "d5.isolation_confinement_or_surveillance",
            "{Sub} was never allowed to leave the house in Jeddah.",
            "On an earlier journey, working for a family in Jeddah, {sub} was never allowed to "
            "leave their house.",
            ("gulf_family",),
        ),
    ),
    "held_for_ransom": (
        # No sentence of paying a broker who arranged the journey here: paying a smuggler is
        # smuggling (MC/INF/294 ¶6), told by the person's smuggling fact (paid_smuggler), not
        # the ILO/EC "difficulty to organize the travel" (a recruiter who organised what the
        # person could not), which the rules read as an act of recruitment (cold trial of
        # issue 10, M2: Tesfay W. told "Missed ... act: recruitment").
        (
            "d2.abduction_forced_marriage_forced_adoption_or_sel",
            "On the way, armed men seized {pos} group and took them to a compound.",
            "",
            (),
        ),
        (
            "d2.isolation_confinement_or_surveillance",
            "{Sub} was held in the compound for three weeks, guarded day and night.",
            "On the way, armed men held {obj} in a compound for three weeks, guarded day and "
            "night.",
            ("captors", "compound"),
        ),
        (
            "d2.violence_on_victims",
            "The men who held {obj} beat {obj} and the others.",
            "",
            (),
        ),
        (
            "d2.violence_on_family_threats_or_effective",
            "The men phoned {pos} family and demanded money for {pos} release.",
            "Armed men who held {obj} on the way phoned {pos} family and demanded money for {pos} "
            "release.",
            ("captors",),
        ),
        ("d2.withholding_of_money", "The men who held {obj} took everything {sub} had.", "", ()),
    ),
}
STORIES["sexual_exploitation_via_morocco"] = tuple(
    (
        i,
        text.replace("Italy", "Spain").replace("In Libya", "In Morocco"),
        intro.replace("In Libya", "In Morocco"),
        uses,
    )
    for i, text, intro, uses in STORIES["sexual_exploitation_promise"]
)
STORIES["labour_on_the_atlantic_route"] = (
    (
        "d1.deceived_about_conditions_of_work",
        "A recruiter in {pos} town promised {obj} work in a fish factory in Nouadhibou, with "
        "fair hours and a day off; the work was nothing like it.",
        "",
        (),
    ),
    (
        "d1.deceived_about_wages_earnings",
        "The recruiter said {sub} would earn enough for the crossing within a month; {sub} "
        "never did.",
        "A recruiter told {obj} {sub} would earn enough for the crossing within a month; "
        "{sub} never did.",
        ("recruiter",),
    ),
    (
        "d1.deceived_about_travel_and_recruitment_conditions",
        "The 'free' transport turned out to be a debt {sub} had to repay by working.",
        "",
        (),
    ),
    (
        "d4.excessive_working_days_or_hours",
        "In Nouadhibou {sub} worked from dawn to night, seven days a week, for months.",
        "",
        (),
    ),
    ("d4.low_or_no_salary", "{Sub} received no salary, only some food.", "", ()),
    (
        "d5.isolation_confinement_or_surveillance",
        "At night the workers were locked in a warehouse.",
        "In Nouadhibou, where {sub} was made to work, {sub} was locked in a warehouse at night "
        "with the other workers.",
        ("work",),
    ),
    ("d5.violence_on_victims", "{Sub} was beaten when {sub} asked for {pos} pay.", "", ()),
    (
        "d5.confiscation_of_documents",
        "The owner of a fish factory in Nouadhibou kept {pos} passport.",
        "",
        (),
    ),
)
"""The same observations as ``labour_in_transit``, on the Atlantic route (through Mauritania)."""
STORIES["labour_recruited_in_transit"] = tuple(
    (
        i,
        text.replace("A recruiter in {pos} town", "A recruiter where {sub} was stranded").replace(
            "three times {pos} wage at home", "enough for the sea crossing within a month"
        ),
        intro.replace(
            "three times {pos} wage at home", "enough for the sea crossing within a month"
        ),
        uses,
    )
    for i, text, intro, uses in STORIES["labour_in_transit"]
)
"""``labour_in_transit`` for a person recruited on the way, where they were stranded (module 2's
journey: Dawit, stranded in Agadez, recruited there), not in their home town."""

"""Stories drawn for generated persons. ``held_for_ransom`` tells of abuse by smugglers with no
exploitation: it never shows the purpose element, however many items are kept (the person is
a survivor of violence, referred for care, and the official stays alert)."""

STORY_INTRODUCES: dict[str, dict[str, tuple[str, ...]]] = {
    "sexual_exploitation_promise": {"se.forced_prostitution": ("madam",)},
    "sexual_exploitation_via_morocco": {"se.forced_prostitution": ("madam",)},
    "labour_on_the_atlantic_route": {
        "d1.deceived_about_conditions_of_work": ("recruiter", "work"),
        "d4.excessive_working_days_or_hours": ("work",),
        "d5.isolation_confinement_or_surveillance": ("work",),
        "d5.confiscation_of_documents": ("work",),
    },
    "labour_in_transit": {
        "d1.deceived_about_conditions_of_work": ("recruiter", "work", "building_promise"),
        "d1.deceived_about_the_nature_of_the_job_location_or": ("farm", "work"),
        "d4.excessive_working_days_or_hours": ("work",),
        "d5.isolation_confinement_or_surveillance": ("work",),
    },
    "domestic_work_gulf": {
        "d1.deceived_about_conditions_of_work": ("broker", "gulf_family"),
    },
    "held_for_ransom": {
        "d2.abduction_forced_marriage_forced_adoption_or_sel": ("captors", "compound"),
        "d2.violence_on_victims": ("captors",),
        "d2.withholding_of_money": ("captors",),
    },
}
"""The actors an item's ``text`` introduces by itself ("a recruiter in his town"): once told,
later sentences may refer to them."""
STORY_INTRODUCES["labour_recruited_in_transit"] = STORY_INTRODUCES["labour_in_transit"]

WORKING_AGES = (18, 50)
"""The ages at which the course's stories recruit an adult for labour."""
STORY_WORKERS: dict[str, tuple[str, ...]] = {
    "labour_in_transit": ("male", "female"),
    "labour_recruited_in_transit": ("male", "female"),
    "labour_on_the_atlantic_route": ("male", "female"),
    "domestic_work_gulf": ("female",),
    "sexual_exploitation_promise": ("female",),
    "sexual_exploitation_via_morocco": ("female",),
}
"""Who a recruitment story is told by (sexes; all of working age, :data:`WORKING_AGES`):
housework for a family in the Gulf recruits women (trainer's review of issue 10: 70-year-olds
recruited for building sites, women promised building work, men promised housework); a woman
promised a job as a hairdresser abroad is of working age too (fourth trial of issue 10, minor 8:
women of 67 and 70, 'old and frail', recruited as hairdressers). A pattern
the course assumes, not a figure from a source; :mod:`mixedflows.narratives.check` rejects a
story told by anyone else."""
ITEM_WORKERS: dict[str, dict[str, str]] = {
    story: {
        "d1.deceived_about_conditions_of_work": "male",
        "d1.deceived_about_the_nature_of_the_job_location_or": "male",
    }
    for story in ("labour_in_transit", "labour_recruited_in_transit")
}
"""Items of a story told only by one sex: the promise of building work (men); a woman who tells
the story tells the farm, not the building site."""

STORY_ALSO: dict[str, dict[str, tuple[str, ...]]] = {
    story: {"d1.deceived_about_travel_and_recruitment_conditions": ("d2.debt_bondage",)}
    for story in (
        "labour_in_transit",
        "labour_recruited_in_transit",
        "labour_on_the_atlantic_route",
    )
}
"""Observations a story's sentence tells besides its own (review of issue 10, blocker): "The
'free' transport turned out to be a debt he had to repay by working" tells the deception about
the journey *and* the debt (ILO/EC debt bondage at recruitment). A person who keeps the sentence
has both among their facts; the sentence is told once, for both."""

STORY_BINDS: dict[str, dict[str, tuple[str, ...]]] = {
    story: {"se.oath_to_repay": ("se.journey_debt",)}
    for story in ("sexual_exploitation_promise", "sexual_exploitation_via_morocco")
}
"""Observations a kept item brings with it, each told by its own sentence (fourth trial of issue
10, major 2): the oath is sworn "to repay a debt for the journey", so a woman who tells the oath
has that debt, and tells it ("she owes 30,000 euros for the journey, to be repaid by working in
Europe"), and the debt is graded as :data:`mixedflows.trafficking.PURPOSE_AS_INTENT` reads it.
Unlike :data:`STORY_ALSO`, the bound observation keeps its own sentence."""

for _story in (
    "labour_in_transit",
    "labour_recruited_in_transit",
    "labour_on_the_atlantic_route",
    "domestic_work_gulf",
):
    STORY_BINDS[_story] = {
        "d1.deceived_about_conditions_of_work": ("d4.excessive_working_days_or_hours",)
    }
"""The promise of fair hours and a day off that was broken ("with one day off a week; she never
had one", "with fair hours and a day off; the work was nothing like it") tells that the person
was put to work without the day off: the exploitation is told, so it is graded (cold trial of
issue 10, M1: Meron K. and Emeka S. were told the purpose was missing, and "Excessive working
days or hours" was "Not in this testimony"). A person who keeps the broken promise has the
excessive hours among their facts, told by their own sentence; the narrative check rejects the
promise told without them (claim "worked without the promised day off")."""

STORY_BINDS["held_for_ransom"] = {
    item: ("d2.isolation_confinement_or_surveillance",)
    for item in (
        "d2.abduction_forced_marriage_forced_adoption_or_sel",
        "d2.violence_on_victims",
        "d2.violence_on_family_threats_or_effective",
        "d2.withholding_of_money",
    )
}
"""Every other sentence of being held for ransom says the person was held ("the men who held
him beat him", "demanded money for his release", "took them to a compound"): being held is a
fact the story tells, and being held is the act of harbouring (trainer's cold trial of issue 10,
major 2: Yonas Y. and Abdullahi S., "held ... demanded money for his release", were told
"missing the act"). A person who keeps one of them is held, told by its own sentence."""

STORY_REQUIRES: dict[str, dict[str, tuple[str, ...]]] = {
    story: {"se.promised_earnings": ("se.forced_prostitution", "se.earnings_taken_for_debt")}
    for story in ("sexual_exploitation_promise", "sexual_exploitation_via_morocco")
}
"""Items whose sentence holds only beside one of these (trainer trial of issue 10, point 3):
"the money never came" is told of a woman who has been put to work, not of one whose job is
still ahead of her (14 such women in the generated boats). Without one of them, the item is not
kept."""

PALERMO_LINES: dict[str, str] = {
    "se.confined_in_house": "{Sub} was kept in a house in Libya that {sub} was not allowed to "
    "leave.",
}
"""Sentences for Palermo-read observations that no story draws (worked cases use them)."""
