"""The example household has a realistic, plainly made-up care team and two visits coming up."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from caregiver_app.domain.contacts import Role, validate_contact
from caregiver_app.services.demo import populate_example
from caregiver_app.storage.careteam_repo import CareTeamRepository


def test_example_care_team(fresh_db):
    populate_example(fresh_db, today=date(2026, 11, 25), time_zone="America/Chicago")
    repo = CareTeamRepository(fresh_db)
    team = repo.contacts()
    roles = {c.role for c in team}
    for wanted in (Role.NEUROLOGIST, Role.NURSE_COORDINATOR, Role.PHYSICAL_THERAPIST,
                   Role.OCCUPATIONAL_THERAPIST, Role.SPEECH_LANGUAGE,
                   Role.RESPIRATORY_THERAPIST, Role.DIETITIAN, Role.SOCIAL_WORKER,
                   Role.MENTAL_HEALTH,
                   Role.PHARMACY, Role.EQUIPMENT):
        assert wanted in roles
    assert any("after-hours" in c.name.lower() and c.emergency for c in team)
    for contact in team:
        # every number is a fictional 555-01xx number, and every record passes the checks
        assert all(p.number[5:9] == "5550" and p.number[9] == "1" for p in contact.phones)
        assert validate_contact(contact, region="US") == contact
        assert not contact.email or contact.email.endswith("@example.org")
    start = datetime(2026, 11, 25, tzinfo=UTC)
    upcoming = repo.upcoming(start, start + timedelta(days=8))
    assert [a.purpose for a in upcoming] == ["Breathing test and BiPAP check",
                                             "ALS clinic visit"]
    assert all(a.contact_name for a in upcoming)
    assert upcoming[1].local_start().hour == 9


def test_example_is_added_once(fresh_db):
    populate_example(fresh_db, today=date(2026, 11, 25), time_zone="America/Chicago")
    populate_example(fresh_db, today=date(2026, 11, 25), time_zone="America/Chicago")
    assert len(CareTeamRepository(fresh_db).contacts()) == 12


def test_example_mental_health_professional_points_to_the_mood_article(fresh_db):
    # Issue 16: the design names a mental-health role; the example household had none.
    from caregiver_app.domain.articles import load_article
    from caregiver_app.paths import resources_dir

    populate_example(fresh_db, today=date(2026, 11, 25), time_zone="America/Chicago")
    (psychologist,) = [c for c in CareTeamRepository(fresh_db).contacts()
                       if c.role is Role.MENTAL_HEALTH]
    mood = load_article(resources_dir() / "articles" / "mood-and-mental-health.md")
    assert f"Learn tab: {mood.title}." in psychologist.notes


def test_the_example_is_made_once_and_says_so(fresh_db):
    """The window reads every record again only after the example was just made."""
    day = date(2026, 11, 25)
    assert populate_example(fresh_db, today=day, time_zone="America/Chicago") is True
    count = len(CareTeamRepository(fresh_db).contacts())
    assert populate_example(fresh_db, today=day, time_zone="America/Chicago") is False
    assert len(CareTeamRepository(fresh_db).contacts()) == count > 0
