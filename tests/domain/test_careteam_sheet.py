"""The fridge-door care-team sheet as plain data, and the checklist footer lines."""

from __future__ import annotations

from caregiver_app.domain.careteam_sheet import care_team_sheet, emergency_lines
from caregiver_app.domain.contacts import Contact, Role
from caregiver_app.domain.phones import Phone, PhoneKind

TEAM = [
    Contact("Riverside Pharmacy", Role.PHARMACY, phones=(
        Phone(PhoneKind.OFFICE, "+13125550170"), Phone(PhoneKind.FAX, "+13125550171")), id=1),
    Contact("Dr. Ada Lee", Role.NEUROLOGIST, organisation="Lakeside",
            phones=(Phone(PhoneKind.OFFICE, "+13125550142"),), notes="ALS medicines", id=2),
    Contact("Clinic after-hours", Role.OTHER, "After-hours line",
            phones=(Phone(PhoneKind.OFFICE, "+13125550144"),
                    Phone(PhoneKind.AFTER_HOURS, "+13125550199")), emergency=True, id=3),
    Contact("Removed", Role.NEUROLOGIST, archived=True, id=4),
]


def test_sheet_lists_call_first_then_roles_in_order():
    sheet = care_team_sheet(TEAM, region="US", patient_name="Maggie")
    assert sheet.title == "Care team for Maggie"
    assert [s.title for s in sheet.sections] == ["Call first", "Neurologist", "Pharmacy"]
    assert sheet.sections[0].emergency and not sheet.sections[1].emergency
    first = sheet.sections[0].entries[0]
    assert first.role == "After-hours line"
    assert [(p.label, p.number) for p in first.phones] == [
        ("Office", "(312) 555-0144"), ("After hours", "(312) 555-0199")]
    assert sheet.sections[1].entries[0].call_for == "ALS medicines"
    assert "Removed" not in [e.name for s in sheet.sections for e in s.entries]


def test_empty_team_gives_an_empty_sheet():
    assert care_team_sheet([], region="US").is_empty


def test_footer_lines_put_after_hours_first_and_leave_out_fax():
    assert emergency_lines(TEAM, region="US") == [
        "Clinic after-hours (After-hours line): after hours (312) 555-0199; "
        "office (312) 555-0144"]


def test_a_role_the_name_already_says_is_not_repeated():
    from caregiver_app.domain.careteam_sheet import name_with_role

    assert name_with_role("Dr. Ada Lee", "Neurologist") == "Dr. Ada Lee (Neurologist)"
    assert name_with_role("Riverside Pharmacy (example)", "Pharmacy") == (
        "Riverside Pharmacy (example)")
    assert name_with_role("Lakeside clinic after-hours line", "Clinic after-hours line") == (
        "Lakeside clinic after-hours line")
    assert name_with_role("Tom", "") == "Tom"
    team = [Contact("Corner PHARMACY", Role.PHARMACY, emergency=True,
                    phones=(Phone(PhoneKind.OFFICE, "+13125550170"),), id=9)]
    assert emergency_lines(team, region="US") == ["Corner PHARMACY: office (312) 555-0170"]


def test_fax_numbers_are_marked_as_not_to_call():
    sheet = care_team_sheet(TEAM, region="US")
    pharmacy = next(e for s in sheet.sections for e in s.entries if e.name.startswith("River"))
    assert [(p.label, p.can_call) for p in pharmacy.phones] == [("Office", True),
                                                                 ("Fax", False)]
