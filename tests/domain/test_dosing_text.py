"""The dosing-statement finder: it catches the instructions the Learn library used to carry,
and lets product facts, waiting times and warnings through."""

from __future__ import annotations

import pytest

from caregiver_app.domain.dosing_text import dosing_statements

#: Sentences the Learn library and the medicine reference carried before issue 16, word for
#: word: each one is an amount, schedule, taper, volume or missed-dose rule a caregiver
#: could follow instead of the prescription.
FORMER_INSTRUCTIONS = (
    # Nuedexta's start (pseudobulbar-affect)
    "- For the first 7 days: 1 capsule once a day.",
    "- From day 8: 1 capsule every 12 hours.",
    "- No more than 2 capsules in 24 hours.",
    # riluzole (riluzole, managing-many-medicines)
    "The label's usual dose is 50 mg twice a day, about 12 hours apart.",
    "For example, with breakfast at 8 am, a 7 am dose works. It can help to pick two fixed "
    "times, such as 7 am and 7 pm, and fit meals around them.",
    "In Europe, the usual dose is also 50 mg every 12 hours, and a specialist should start it.",
    "The US label we reviewed gives no missed-dose rule. Consumer drug leaflets say to give "
    "it when remembered, on an empty stomach.",
    "## If a dose is missed\n\nIf it is almost time for the next dose, skip the missed one.",
    "## If a dose is missed\n\n- **Riluzole**: consumer drug leaflets say to give it when you "
    "remember, on an empty stomach.",
    # edaravone
    "- **Radicava IV.** The label's usual dose is 60 mg over 60 minutes.",
    "- **Radicava ORS.** The label's usual dose is 105 mg, which is 5 mL.",
    "- **First cycle:** one dose a day for 14 days in a row. Then 14 days with no medicine.",
    "- **Every later cycle:** one dose a day on 10 days within a 14-day stretch.",
    "Oral edaravone (Radicava ORS) has **days on and days off** in each 28-day cycle.",
    # tofersen
    "The label's usual dose is 100 mg (15 mL) each time.",
    "- **Loading doses:** 3 doses, each 14 days apart.",
    "- **Maintenance doses:** then one dose every 28 days, ongoing.",
    "For example, if the first dose is on a Monday, the second is 2 weeks later, and the "
    "third is 2 weeks after that.",
    "After the third dose, visits are every 4 weeks.",
    "- **Second loading dose missed:** give it as soon as possible. Give the third loading "
    "dose 14 days later.",
    "- **Third loading dose or a maintenance dose missed:** give it as soon as possible. Give "
    "the next dose 28 days later.",
    # tapers (cramps-and-stiffness, reference: baclofen, metoprolol)
    "The doctor lowers the dose slowly, over at least 1 to 2 weeks.",
    "When stopping, the care team lowers it slowly over at least 1 to 2 weeks.",
    "Do not stop it suddenly: chest pain, and even heart attacks, have followed a sudden stop. "
    "The prescriber lowers it slowly, over 1 to 2 weeks.",
    # tube flush volumes (edaravone, swallowing-and-medicines)
    "- Flush the tube with at least 30 mL of water before and after the dose.",
    "- **Flush before and after each medicine** with water. A typical flush is 15 to 30 mL.",
    # botulinum toxin (drooling-and-secretions)
    "Its label says the injections are given no more often than every 16 weeks.",
)

#: Product facts, waiting times, study results, clinic visits and warnings: all allowed.
ALLOWED = (
    "- **Tablets.** Rilutek and cheaper generic versions. Each tablet has 50 mg.",
    "Radicava ORS is a 105 mg/5 mL liquid, taken by mouth or given through a feeding tube.",
    "Tiglutik is a 5 mg per mL liquid that can be given through a PEG tube.",
    "The imported Teglutik is a 5 mg/mL oral suspension.",
    "Nuedexta comes as 20 mg / 10 mg capsules that are taken by mouth.",
    "- after a **high-fat meal** of about 800 to 1,000 calories: wait **8 hours**,",
    "Give riluzole at least 1 hour before or 2 hours after a meal.",
    "In trials, people on riluzole lived about 2 to 3 months longer on average.",
    "- **In the UK**, NICE says the team should see the person about **every 2 to 3 "
    "months**, and sooner if things change.",
    "Never give two doses to make up for a missed one.",
    "**Missed dose:** do not give two doses to make up for a missed one. Ask the pharmacist.",
    "In a small trial, mexiletine cut the number of cramps a day from about 5 to about 3.5.",
    "Edaravone comes in on-and-off cycles: days with a dose, then days with none.",
    "Tofersen starts with loading doses close together, then regular doses at the clinic.",
    "Do not stop baclofen suddenly: the prescriber plans any change.",
    "The US approved riluzole in 1995 and the film in 2019.",
    "About 4 in 10 people on the film had some mouth numbness.",
    "Check how much is left once a week, and reorder when about a week's supply is left.",
)


@pytest.mark.parametrize("text", FORMER_INSTRUCTIONS)
def test_each_former_instruction_is_found(text):
    assert dosing_statements(text), text


def test_every_kind_of_instruction_is_named():
    kinds = {s.kind for text in FORMER_INSTRUCTIONS for s in dosing_statements(text)}
    assert kinds == {"amount", "schedule", "taper", "missed dose"}


@pytest.mark.parametrize("text", ALLOWED)
def test_product_facts_waits_results_and_warnings_pass(text):
    assert dosing_statements(text) == [], text


def test_findings_name_the_line_and_the_words():
    text = "# Riluzole\n\nEach tablet has 50 mg.\n\nGive 50 mg every 12 hours.\n"
    [finding] = dosing_statements(text, first_line=10)
    assert (finding.line, finding.kind, finding.found) == (14, "amount", "50 mg")
    assert finding.describe() == ("line 14: amount '50 mg' in 'Give 50 mg every 12 hours.'")


def test_a_count_is_never_a_product_fact():
    # "1 capsule" is how much to give, whatever words surround it.
    assert dosing_statements("Each dose is 1 capsule.")
    assert dosing_statements("Take 2 tablets at bedtime.")


def test_link_targets_are_not_read_as_text():
    assert dosing_statements("See [the 12-hour page](article:every-12-hours-dose).") == []
