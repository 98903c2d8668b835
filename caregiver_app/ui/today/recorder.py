"""Recording from the Today tab: given now or at another time, all due at a time, skip,
correct and undo, each through the ``MedicationBook`` (the dialogs ask, the book saves)
and said in the tab's feedback line."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtWidgets import QWidget

from caregiver_app.domain.doses import DoseEntry, EntryKind
from caregiver_app.domain.errors import ValidationError
from caregiver_app.domain.localtime import to_utc
from caregiver_app.domain.today import initials_of
from caregiver_app.domain.today_sections import Row
from caregiver_app.domain.undo import LastAction
from caregiver_app.domain.vocab import SkipReason
from caregiver_app.services.medication_book import MedicationBook
from caregiver_app.services.session import People, Session
from caregiver_app.ui.forms import errors_of
from caregiver_app.ui.today.texts import history_line

#: ``say(text, error=False)``: the tab's line saying what was just saved (or why not).
Say = Callable[..., None]


class DoseRecorder:
    """What the Today tab's buttons record for a row (the caller makes sure a caregiver
    is on duty). Dialogs open over ``parent``."""

    def __init__(self, book: MedicationBook, session: Session, patients: People, undo,
                 *, say: Say, parent: QWidget):
        """``undo``: the ``UndoService`` (or None)."""
        self._book = book
        self._session = session
        self._patients = patients
        self._undo = undo
        self._say = say
        self._parent = parent

    def describe(self, action: LastAction) -> str:
        assert self._undo is not None
        initials = initials_of(self._patients.caregivers(include_inactive=True))
        return self._undo.describe(action, initials)

    def give(self, row: Row) -> None:
        """Given now: straight away when nothing is unusual; otherwise show the warnings
        first (early, late, an as-needed limit) and let the caregiver record anyway."""
        if row.dose is not None:
            medicine_id, key = row.medicine_id, row.dose.occurrence.key
            check = self._book.check_given(medicine_id, key)
            if check.already_recorded:
                self._say("This dose is already recorded; use Correct this record.",
                          error=True)
                return
            if check.warnings:
                self._give_dialog(row, choose_time=False)
                return
            self._write(lambda: self._book.record_given(medicine_id, key), self.done_text(row))
        elif row.prn is not None:
            medicine_id = row.medicine_id
            if self._book.check_prn(medicine_id):
                self._give_dialog(row, choose_time=False)
                return
            self._write(lambda: self._book.record_prn(medicine_id), self.done_text(row))

    def give_all(self, row: Row) -> None:
        assert row.dose is not None
        book = self._book
        due = row.dose.occurrence.due
        caregiver = self._session.on_duty
        giver = caregiver.label() if caregiver is not None else ""

        def save(choices, at: datetime) -> list[DoseEntry]:
            return book.record_batch(due, choices, given_at=at)

        from caregiver_app.ui.today.batch_dialog import BatchGivenDialog

        saved = BatchGivenDialog.ask(
            plan=book.batch_plan(due), replan=lambda at: book.batch_plan(due, at=at),
            save=save, zone=book.zone(), now=book.now(), giver=giver, parent=self._parent)
        if saved and self._undo is not None:
            action = self._undo.last()
            self._say(f"Saved: {self.describe(action)}." if action is not None
                      else f"Saved: {len(saved)} doses.")

    def give_at(self, row: Row) -> None:
        self._give_dialog(row, choose_time=True)

    def skip(self, row: Row) -> None:
        assert row.dose is not None
        medicine_id, key = row.medicine_id, row.dose.occurrence.key

        def save(reason: SkipReason, note: str) -> DoseEntry:
            return self._book.record_skipped(medicine_id, key, reason, note=note)

        from caregiver_app.ui.today.dialogs import SkipDialog

        entry = SkipDialog.ask(what=f"{row.cells[1]}: {row.cells[2]}, due {row.cells[0]}",
                               save=save, parent=self._parent)
        if isinstance(entry, DoseEntry):
            self._recorded(entry, self.done_text(row, entry))

    def correct(self, row: Row) -> None:
        chain = row.dose.chain if row.dose is not None else (
            row.extra.chain if row.extra is not None else None)
        if chain is None or chain.effective is None:
            return
        head = chain.head
        initials = initials_of(self._patients.caregivers(include_inactive=True))
        zone, now = self._book.zone(), self._book.now()
        history = [history_line(e, initials, zone, now) for e in chain.entries]
        effective = chain.effective
        default = effective.given_at or (row.dose.occurrence.due if row.dose else head.slot_at)

        from caregiver_app.ui.today.dialogs import CorrectDialog, Correction

        def save(choice: Correction) -> DoseEntry:
            return self._book.correct(head.id, kind=choice.kind, given_at=choice.given_at,
                                      skip_reason=choice.skip_reason, note=choice.note)

        entry = CorrectDialog.ask(what=f"{row.cells[1]}, {row.cells[0]}", history=history,
                                  default_at=default, zone=self._book.zone(),
                                  now=self._book.now(), can_skip=head.occurrence_key is not None,
                                  save=save, parent=self._parent)
        if isinstance(entry, DoseEntry):
            self._recorded(entry, f"correction saved for {row.cells[1]} {row.cells[0]}")

    def undo_action(self, action: LastAction, *, refused: Callable[[], None]) -> None:
        """Take ``action`` back; ``refused()`` runs first when the undo was refused."""
        assert self._undo is not None
        text = self.describe(action)
        try:
            self._undo.undo(action)
        except ValidationError as exc:
            refused()
            self._say(" ".join(errors_of(exc, f"Not undone ({text})").values()), error=True)
            return
        self._say(f"Undone: {text}." + (" The record shows it was undone."
                                        if action.items else ""))

    def done_text(self, row: Row, entry: DoseEntry | None = None) -> str:
        name = row.dose.medicine.generic_name if row.dose else (
            row.prn.medicine.generic_name if row.prn else row.cells[1])
        due = f" {row.cells[0]}" if row.dose is not None else ""
        zone = self._book.zone()
        if entry is None or entry.kind is EntryKind.GIVEN:
            at = entry.given_at if entry and entry.given_at else self._book.now()
            by = self._session.on_duty.initials if self._session.on_duty else ""
            text = f"{name}{due} given at {to_utc(at).astimezone(zone):%H:%M}"
            return text + (f" by {by}" if by else "")
        reason = entry.skip_reason.label if entry.skip_reason else ""
        return f"{name}{due} skipped: {reason}"

    # ---- Private

    def _give_dialog(self, row: Row, *, choose_time: bool) -> None:
        book, now, zone = self._book, self._book.now(), self._book.zone()
        medicine_id = row.medicine_id
        if row.dose is not None:
            key = row.dose.occurrence.key
            due = row.dose.occurrence.due
            default = now if not choose_time or due > now else due

            def check(at: datetime) -> list[str]:
                return list(book.check_given(medicine_id, key, at).warnings)

            def save(at: datetime, text: str) -> DoseEntry:
                return book.record_given(medicine_id, key, given_at=at, note=text)

            def needs_reason(_warnings: list[str]) -> bool:
                return False

            what = f"{row.cells[1]}: {row.cells[2]}, due {row.cells[0]}"
        else:
            default = now

            def check(at: datetime) -> list[str]:
                return book.check_prn(medicine_id, at)

            def save(at: datetime, text: str) -> DoseEntry:
                return book.record_prn(medicine_id, given_at=at, override_reason=text)

            def needs_reason(warnings: list[str]) -> bool:
                return bool(warnings)

            what = f"{row.cells[1]}: {row.cells[2]} (as needed)"
        from caregiver_app.ui.today.dialogs import GivenDialog

        entry = GivenDialog.ask(what=what, default_at=default, zone=zone, now=now, check=check,
                                reason_required=needs_reason, save=save,
                                choose_time=choose_time, parent=self._parent)
        if isinstance(entry, DoseEntry):
            self._recorded(entry, self.done_text(row, entry))

    def _write(self, action: Callable[[], DoseEntry], description: str) -> None:
        try:
            entry = action()
        except ValidationError as exc:
            # (a full disk: the row stays due, and the same button records it once the
            # disk has room)
            self._say(" ".join(errors_of(
                exc, f"This dose was not recorded ({description})").values()), error=True)
            return
        self._recorded(entry, description)

    def _recorded(self, _entry: DoseEntry, description: str) -> None:
        self._say(f"Saved: {description}.")
