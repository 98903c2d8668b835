"""The care team: reading a phone's vCard export, and the tab's first showing.

vCard baseline: ``vobject.readComponents`` alone on the same text, so the figure
shows what finding the line of a problem, mapping the fields and checking every
number and address add. Tab baseline: reading the same rows from the
repository, so the figure shows what building the models and views adds.

Whole address books (2,000 and 10,000 cards) and a card with a 10 MB photo:
reading (on the import's worker thread) and planning (the duplicate check) against
the same file's bytes decoded and split into lines, measured in the same run.
Planning must stay a small multiple of that baseline at any size (it used to
compare every card with every earlier one: 15 s for 2,000 cards, minutes beyond).
"""

from __future__ import annotations

import os
import random
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

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


def _address_book() -> None:
    from caregiver_app.domain.contacts import Contact
    from caregiver_app.domain.phones import Phone, PhoneKind
    from caregiver_app.services.vcard import plan_import, read_vcards

    team = [Contact(f"Team member {i}", phones=(Phone(PhoneKind.OFFICE, f"+1212555{i:04d}"),),
                    id=i + 1) for i in range(60)]
    for count, repeat in ((2_000, 3), (10_000, 1)):
        data = phone_export(count).encode("utf-8")
        baseline = best_of(lambda d=data: clock(lambda: d.decode("utf-8").splitlines()),
                           repeat)
        cards = read_vcards(data, region="US")
        read = best_of(lambda d=data: clock(lambda: read_vcards(d, region="US")), repeat)
        plan = best_of(lambda c=cards: clock(lambda: plan_import(c, team)), repeat)
        print(f"{count:,} cards ({len(data) // 1024:,} KiB), best of {repeat}")
        report("read_vcards (worker thread)", read,
               "decode the bytes and split the lines", baseline)
        print(f"{'cards read per second':<48} {count / read:10,.0f}")
        report("plan_import (duplicates, 60 on the team)", plan,
               "decode the bytes and split the lines", baseline)
        print(f"{'plan per card':<48} {plan / count * 1e6:10.1f} µs")
    import base64

    photo = base64.b64encode(os.urandom(7_500_000)).decode()
    folded = "\r\n ".join(photo[i:i + 74] for i in range(0, len(photo), 74))
    data = ("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Photo Person\r\nTEL:+13125550142\r\n"
            f"PHOTO;ENCODING=b;TYPE=JPEG:{folded}\r\nEND:VCARD\r\n").encode()
    baseline = best_of(lambda: clock(lambda: data.decode("utf-8").splitlines()), 3)
    read = best_of(lambda: clock(lambda: read_vcards(data, region="US")), 3)
    print(f"one card with a photo ({len(data) // (1024 * 1024)} MiB), best of 3")
    report("read_vcards (the photo is left out)", read,
           "decode the bytes and split the lines", baseline)


def _tab() -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from caregiver_app.core import open_core
    from caregiver_app.domain.appointments import Appointment
    from caregiver_app.domain.patient import Patient
    from caregiver_app.services.vcard import plan_import, read_vcards
    from caregiver_app.storage.careteam_repo import CareTeamRepository
    from caregiver_app.ui.careteam.tab import CareTeamTab

    QApplication.instance() or QApplication([sys.argv[0]])
    now = datetime(2026, 11, 25, 18, tzinfo=UTC)

    class _Clock:
        def now(self) -> datetime:
            return now

    with tempfile.TemporaryDirectory() as tmp:
        core = open_core(Path(tmp) / "data", _Clock())  # as the app opens the records
        core.session.save_patient(Patient("Bench Patient", time_zone="America/Chicago"))
        team = core.careteam
        team.import_rows(plan_import(read_vcards(phone_export(60), region="US"), []))
        ids = [c.id for c in team.contacts() if c.id is not None]
        for d in range(-20, 20):
            team.save_appointment(Appointment(now + timedelta(days=d), "ALS clinic visit",
                                              time_zone="America/Chicago",
                                              contact_id=ids[d % len(ids)]))
        repo = CareTeamRepository(core.db)  # the baseline: the same rows, read plainly

        def first_show() -> None:
            tab = CareTeamTab(team, now=core.clock.now, time_zone=core.patient_time_zone)
            tab.ensure_loaded()
            tab.select_contact(ids[0])
            tab.deleteLater()

        baseline = best_of(lambda: clock(lambda: (repo.contacts(), repo.appointments())),
                           REPEAT)
        shown = best_of(lambda: clock(first_show), REPEAT)
        core.close()
    print(f"best of {REPEAT}, 60 contacts, 40 appointments")
    report("Care team tab: build, load, select one", shown,
           "reading the same rows from the repository", baseline)


def run() -> None:
    _vcard()
    _address_book()
    _tab()
