"""The sharing screens the example household never shows (it never shares), checked as
``tests/layout_check.py`` checks the rest: the Today tab's line of phones' notes, File ▸
Notes from the phones… (new notes, one only news, then with a settled one), Settle
contacts (a phone number, an email and long notes changed on both sides; then a dozen
fields, which scroll; then two lists of numbers, too many together) and a medicine's
History with a record also ticked on a phone and one a phone's tick made, and File ▸
Share with the family… saying that the address sends the app elsewhere. Run in a
fresh process per screen by ``tests/ui/test_sharing_screens_fit.py``; ``--shots DIR``
also saves each screen as a PNG to look at. Prints (or writes to ``--out``) a JSON report.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


def sweep(text_scale: float, shots: Path | None) -> dict:
    from layout_check import check_window
    from medicine_builders import D0, at, medicine
    from PySide6.QtWidgets import QApplication, QRadioButton

    from caregiver_app.core import open_core
    from caregiver_app.domain.contact_sync import (
        CardMerge,
        CardState,
        FieldConflict,
        SharedCard,
        field_conflicts,
    )
    from caregiver_app.domain.contacts import Contact, Role
    from caregiver_app.domain.doses import EntryKind
    from caregiver_app.domain.patient import AllergyStatus, Caregiver, Patient
    from caregiver_app.domain.phones import Phone, PhoneKind
    from caregiver_app.domain.sharing import Action, Incoming
    from caregiver_app.domain.tick_sources import DoseSource, TimeFrom
    from caregiver_app.domain.vocab import SkipReason
    from caregiver_app.services.sharing.cards import SETTLE_WHERE, CardSync, Waiting
    from caregiver_app.services.sharing.formats import contact_vcard
    from caregiver_app.services.sharing.notes import PhoneNotes
    from caregiver_app.storage.card_repo import CardRepository
    from caregiver_app.storage.household_repo import HouseholdRepository
    from caregiver_app.storage.sharing_repo import SharingRepository
    from caregiver_app.ui.medications.history_dialog import HistoryDialog
    from caregiver_app.ui.phone_notes import PhoneNotesDialog, PhoneNotesLine
    from caregiver_app.ui.sharing_contacts_dialog import SettleContactsDialog

    qapp = QApplication.instance() or QApplication([sys.argv[0]])
    font = qapp.font()
    font.setPointSizeF(font.pointSizeF() * text_scale)
    QApplication.setFont(font)
    report: dict = {"windows": [], "controls": 0, "cells": 0, "problems": []}

    def look(window, label: str) -> None:
        window.show()
        controls, cells, problems = check_window(window, label)
        report["windows"].append(label)
        report["controls"] += controls
        report["cells"] += cells
        report["problems"] += problems
        if shots is not None:
            name = label.replace(" ", "-").replace("'", "")
            window.grab().save(str(shots / f"{name}-{int(text_scale * 100)}.png"))

    class Clock:
        moment = at(D0, 8, 40)

        def now(self):
            return self.moment

    clock = Clock()
    with tempfile.TemporaryDirectory() as tmp:
        core = open_core(Path(tmp) / "data", clock)
        try:
            core.session.save_patient(Patient(
                "Jane Doe", allergy_status=AllergyStatus.NONE_KNOWN,
                time_zone="America/New_York"))
            [tom] = core.session.save_caregivers([Caregiver("Tom Example", "TE")])
            core.session.set_on_duty(tom.id)
            riluzole = core.medications.add_medicine(medicine(id=None, start=D0))
            keys = [s.occurrence.key for s in core.medications.statuses(D0, D0)]
            given = core.medications.record_given(riluzole.id, keys[0],
                                                  given_at=at(D0, 8, 5))
            repo = SharingRepository(core.db)
            office, mobile = PhoneKind.OFFICE, PhoneKind.MOBILE
            patel = core.careteam.save_contact(Contact(
                "Dr. Maya Patel", role=Role.NEUROLOGIST, email="app@example.org",
                phones=(Phone(office, "+13125550143"), Phone(mobile, "+13125550100"))))
            # the card as both sides last agreed, and as a phone changed it since
            patel = core.careteam.save_contact(replace(patel, notes=(
                "Calls back after 4 pm on weekdays. For a refill of riluzole, leave a "
                "message with the nurse line and the pharmacy's number; she answers "
                "the portal within two days.")))
            base = contact_vcard(replace(patel, email="mpatel@clinic.example.org", phones=(
                Phone(office, "+13125550142"), Phone(mobile, "+13125550100")),
                notes=""), uid="c1")
            there = contact_vcard(replace(patel, email="phone@example.org", phones=(
                Phone(office, "+13125550144"),), notes=(
                "Calls back after 4 pm. Refills: the nurse line (press 2), never the "
                "front desk; the clinic is closed on the first Friday of each month.")),
                uid="c1")
            CardRepository(core.db).save([SharedCard(
                uid="c1", href="/ana/book/c1.vcf", contact_id=patel.id, etag="e",
                base=base, remote=there, state=CardState.CONFLICT)])
            cards = CardSync(CardRepository(core.db), repo, core.careteam,
                             HouseholdRepository(core.db).household_id)
            repo.add_notes([
                Incoming(Action.UNTICKED, uid="t1", medicine_id=riluzole.id,
                         occurrence_key=keys[0], entry_id=given.id,
                         message="Un-ticked on Ana's iPhone: the app's record still says "
                         "given. Check it, and correct the record if the dose was not "
                         "given."),
                Incoming(Action.ALSO_TICKED, uid="t2", medicine_id=riluzole.id,
                         occurrence_key=keys[1], message="Also ticked on Ana's iPhone at "
                         "20:12."),
                Incoming(Action.NEWS, uid="c9", medicine_id=None, occurrence_key="",
                         message="“Main Street Pharmacy”, added on a phone, is already in "
                         "the care team; it was not added twice."),
                Incoming(Action.CONFLICT, uid="c1", medicine_id=None, occurrence_key="",
                         message="“Dr. Maya Patel” was changed here and on a phone in the "
                         f"same field; choose which to keep with {SETTLE_WHERE}."),
            ], clock.now())
            notes = PhoneNotes(repo, core.medications, now=clock.now)

            line = PhoneNotesLine(notes)
            line.refresh()
            width = int(qapp.primaryScreen().availableGeometry().width() * 0.95)
            line.resize(width, line.heightForWidth(width) if line.hasHeightForWidth()
                        else line.sizeHint().height())  # as wide as Today's doses
            look(line, "Today line")
            line.close()

            dialog = PhoneNotesDialog(notes, zone=core.medications.zone, contacts=cards)
            look(dialog, "notes")
            report["settle button"] = dialog.settle_button.text()
            clock.moment = at(D0, 8, 50)
            core.medications.correct(given.id, kind=EntryKind.SKIPPED,
                                     skip_reason=SkipReason.ASLEEP)
            dialog.seen_box.setChecked(True)
            report["states"] = [dialog.model.record(r).state_words
                                for r in range(dialog.model.rowCount())]
            look(dialog, "notes with a settled one")
            dialog.close()

            settle = SettleContactsDialog(cards, settled=lambda: None, first="c1")
            look(settle, "Settle contacts")
            report["choices"] = len(settle._groups)
            settle.close()

            class ManyFields:  # every field and numbers clashing: the choices scroll
                def waiting(self):
                    fields = tuple(FieldConflict(
                        f"f{i}", f"Field {i}", "The value here " * (i + 1),
                        "The value on the phones " * (i + 1)) for i in range(12))
                    return [Waiting(SharedCard(uid="c2", href="", contact_id=patel.id,
                                               state=CardState.CONFLICT),
                                    patel.name, patel, patel, fields)]

            many = SettleContactsDialog(ManyFields(), settled=lambda: None)
            look(many, "Settle contacts, many fields")
            many.close()

            class TooManyNumbers:  # five numbers added on each side: two whole lists
                def waiting(self):
                    here = replace(patel, phones=tuple(
                        Phone(mobile, f"+131255501{n:02d}") for n in range(6)))
                    there = replace(patel, phones=(*here.phones[:1], *(
                        Phone(PhoneKind.HOME, f"+131255502{n:02d}") for n in range(5))))
                    merge = CardMerge(base=replace(patel, phones=here.phones[:1]),
                                      ours=here, theirs=there)
                    return [Waiting(SharedCard(uid="c3", href="", contact_id=patel.id,
                                               state=CardState.CONFLICT), patel.name,
                                    here, there, tuple(field_conflicts(merge, region="US")))]

            lists = SettleContactsDialog(TooManyNumbers(), settled=lambda: None)
            look(lists, "Settle contacts, two lists of numbers")
            report["lists"] = [len(r.text().splitlines())
                               for r in lists.findChildren(QRadioButton)]
            lists.close()

            # History: the 08:00 record (corrected above) also ticked on a phone, and
            # the 20:00 dose recorded from a phone's tick
            repo.add_notes([Incoming(
                Action.ALSO_TICKED, uid="t1", medicine_id=riluzole.id,
                occurrence_key=keys[0], entry_id=given.id,
                message="Also ticked on Ana's iPhone at 08:12.")], clock.now())
            clock.moment = at(D0, 20, 30)
            ticked = core.medications.record_given(riluzole.id, keys[1],
                                                   given_at=at(D0, 20, 3))
            repo.add_source(DoseSource(ticked.id, "Ana's iPhone", "ana", "iPhone or iPad",
                                       at(D0, 20, 3), TimeFrom.PHONE, clock.moment))
            history = HistoryDialog(core.medications.medicine(riluzole.id),
                                    core.medications.history_pages(riluzole.id),
                                    zone=core.medications.zone(),
                                    names={tom.id: tom.name})
            look(history, "History")
            model = history.model
            report["history"] = [model.text(r, model.WHAT) for r in range(model.rowCount())]
            history.close()

            # File ▸ Share with the family… with a contact waiting (its row), then with
            # the address sending the app elsewhere: the long message beside the address
            from types import SimpleNamespace

            from PySide6.QtCore import QEventLoop

            from caregiver_app.domain.sharing import ShareConfig
            from caregiver_app.services.sharing.engine import engine_for
            from caregiver_app.services.sharing.transport import moved_error
            from caregiver_app.ui.sharing_dialog import SharingDialog

            config = ShareConfig(enabled=True, server="https://cloud.example.org/",
                                 username="ana", confirmed=True)

            def moved(*_typed):
                raise moved_error("https://other.example.net:8443")

            share = SharingDialog(
                engine=engine_for(core, repo), notes=notes, caregivers=[tom],
                sharing=SimpleNamespace(config=lambda: config, records_changed=lambda: None),
                secrets=SimpleNamespace(password=lambda *_: "ana-secret"), discover=moved)
            look(share, "Share with the family, a contact waiting")
            report["settle row"] = share.settle_row.isVisible()
            share.check_server()
            deadline = time.monotonic() + 20  # (checked off the GUI thread)
            while not share.server_error.text() and time.monotonic() < deadline:
                qapp.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents)
            report["beside the address"] = share.server_error.text()
            look(share, "Share with the family, sent elsewhere")
            share.close()
        finally:
            core.close()
    return report


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--text-scale", type=float, default=1.0)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--shots", type=Path)
    args = parser.parse_args()
    if args.shots is not None:
        args.shots.mkdir(parents=True, exist_ok=True)
    text = json.dumps(sweep(args.text_scale, args.shots), indent=1)
    if args.out:
        args.out.write_text(text)
    else:
        print(text)
    return 0


if __name__ == "__main__":
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    sys.exit(main())
