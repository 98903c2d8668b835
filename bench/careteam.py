"""The care team: reading a phone's vCard export, and the tab's first showing.

vCard baseline: ``vobject.readComponents`` alone on the same text, so the figure
shows what finding the line of a problem, mapping the fields and checking every
number and address add. Tab baseline: reading the same rows from the
repository, so the figure shows what building the models and views adds.
"""

from __future__ import annotations

import os
import random
import sys
from datetime import UTC, datetime, timedelta

from bench.common import best_of, clock, report

CARDS = 500
REPEAT = 5


def phone_export(count: int) -> str:
    """Cards shaped like a phone's export: 1–3 numbers, some emails, titles, UTF-8 names."""
    rnd = random.Random(7)
    given = ["Ana", "Ben", "Zoë", "José", "Thị", "Priya", "Marcus", "Lena", "Tom", "Rosa"]
    family = ["Souza", "Okafor", "Brennan", "Núñez", "Nguyễn", "Shah", "Reed", "Novak", "Kim"]
    titles = ["", "", "Neurologist", "Physical therapist", "Pharmacist", "Nurse coordinator"]
    cards = []
    for i in range(count):
        g, f = rnd.choice(given), rnd.choice(family)
        lines = ["BEGIN:VCARD", "VERSION:3.0", f"N:{f};{g};;;", f"FN:{g} {f} {i}"]
        for kind in rnd.sample(["CELL", "WORK", "HOME", "WORK,FAX"], rnd.randint(1, 3)):
            lines.append(f"TEL;TYPE={kind}:(312) 555-01{rnd.randint(0, 99):02d}")
        if rnd.random() < 0.5:
            lines.append(f"EMAIL;TYPE=INTERNET:{g.lower()}.{i}@example.org")
        title = rnd.choice(titles)
        if title:
            lines.append(f"TITLE:{title}")
        lines.append("END:VCARD")
        cards.append("\r\n".join(lines) + "\r\n")
    return "".join(cards)


def _vcard() -> None:
    import vobject

    from caregiver_app.services.vcard import read_vcards

    text = phone_export(CARDS)
    baseline = best_of(lambda: clock(lambda: list(vobject.readComponents(text))), REPEAT)
    ours = best_of(lambda: clock(lambda: read_vcards(text, region="US")), REPEAT)
    print(f"best of {REPEAT}, {CARDS} cards ({len(text) // 1024} KiB)")
    report("read_vcards (parse, map, check numbers/emails)", ours,
           "vobject.readComponents of the same text", baseline)
    print(f"{'per card':<48} {ours / CARDS * 1000:10.2f} ms")


def _tab() -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from caregiver_app.domain.appointments import Appointment
    from caregiver_app.services.careteam import CareTeam
    from caregiver_app.services.vcard import contacts_to_save, plan_import, read_vcards
    from caregiver_app.storage.careteam_repo import CareTeamRepository
    from caregiver_app.storage.db import memory_database, migrate
    from caregiver_app.ui.careteam.tab import CareTeamTab

    QApplication.instance() or QApplication([sys.argv[0]])
    db = memory_database()
    migrate(db)
    repo = CareTeamRepository(db)
    repo.save_contacts(contacts_to_save(plan_import(read_vcards(phone_export(60),
                                                                region="US"), [])))
    now = datetime(2026, 11, 25, 18, tzinfo=UTC)
    ids = [c.id for c in repo.contacts()]
    for d in range(-20, 20):
        repo.save_appointment(Appointment(now + timedelta(days=d), "ALS clinic visit",
                                          time_zone="America/Chicago",
                                          contact_id=ids[d % len(ids)]))
    team = CareTeam(repo, region="US")

    def first_show() -> None:
        tab = CareTeamTab(team, now=lambda: now, time_zone=lambda: "America/Chicago")
        tab.ensure_loaded()
        tab.select_contact(ids[0])
        tab.deleteLater()

    baseline = best_of(lambda: clock(lambda: (repo.contacts(), repo.appointments())), REPEAT)
    shown = best_of(lambda: clock(first_show), REPEAT)
    print(f"best of {REPEAT}, 60 contacts, 40 appointments")
    report("Care team tab: build, load, select one", shown,
           "reading the same rows from the repository", baseline)


def run() -> None:
    _vcard()
    _tab()
