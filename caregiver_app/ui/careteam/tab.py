"""The Care team tab: who is on the team, how to reach them, and the appointments.

Left, the contacts grouped by role ("Call first" on top) with a search box;
right, the chosen contact's details with call, email and copy buttons and what
is linked to them; below, the appointments. Removing asks first, says what is
linked, and can be undone from the bar that appears (or Ctrl+Z).

Data is read the first time the tab is shown, not at start-up. A vCard file is
read on a worker thread, with a progress dialog and Cancel, and the preview opens
when it is done (``import_vcard`` returns at once; ``import_finished`` tells how
it ended).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import (
    QItemSelectionModel,
    QModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QFileDialog,
    QInputDialog,
    QVBoxLayout,
    QWidget,
)

from caregiver_app.domain.appointments import Appointment, next_clinic_visit
from caregiver_app.domain.careteam_texts import (
    EMPTY_TEAM,
    appointments_shown,
    no_appointments_text,
    remove_appointment_question,
    remove_contact_question,
)
from caregiver_app.domain.contacts import Contact, ContactReference, Role
from caregiver_app.domain.errors import NotSaved
from caregiver_app.services.careteam import CareTeam
from caregiver_app.services.changes import Changes
from caregiver_app.ui import messages
from caregiver_app.ui.background import ProgressDialog
from caregiver_app.ui.careteam import layout
from caregiver_app.ui.careteam.contacts_model import ContactTreeModel
from caregiver_app.ui.careteam.files import ContactFiles

# The dialogs and the vCard code are imported when first used, not at start-up.

class CareTeamTab(QWidget):
    print_requested = Signal(str, object)
    """Print the visit summary for the coming clinic visit (``"visit"``, None)."""

    medicine_requested = Signal(int)
    """The caregiver opened a medicine linked to a contact; carries the medicine's id."""

    import_finished = Signal(object)
    """An import ended: its ImportResult, or None (refused, cancelled or nothing saved)."""

    def __init__(self, careteam: CareTeam, *, now: Callable[[], datetime],
                 time_zone: Callable[[], str], parent: QWidget | None = None):
        super().__init__(parent)
        self.setAccessibleName("Care team")
        self._careteam = careteam
        self._now = now
        self._time_zone = time_zone
        self._loaded = False
        self._undo: tuple[str, int] | None = None
        self._files = ContactFiles(careteam, self)
        # The widgets are built and the data read on first showing (ensure_loaded),
        # so the tab costs nothing at start-up.
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)

    # ---- Public API: contacts

    def is_loaded(self) -> bool:
        return self._loaded

    def ensure_loaded(self) -> None:
        """Build the widgets and read the data, once. Every other method needs this first."""
        if not self._loaded:
            self._loaded = True
            # Built inside one page widget that is shown at once: widgets added to a
            # visible parent would otherwise only appear on the next event-loop pass.
            page = QWidget(self)
            layout.build(self, page)
            self.layout().addWidget(page)
            page.show()
            self.refresh()

    def refresh(self) -> None:
        self._reload_contacts()
        self._reload_appointments()

    def search(self, text: str) -> None:
        self.search_edit.setText(text)

    def selected_contact(self) -> Contact | None:
        return self.model.contact_at(self.proxy.mapToSource(self.tree.currentIndex()))

    def select_contact(self, contact_id: int) -> bool:
        source = self.model.index_of(contact_id)
        index = self.proxy.mapFromSource(source)
        if not index.isValid():
            return False
        self.tree.setCurrentIndex(index)
        self.tree.scrollTo(index)
        return True

    def visible_contact_names(self) -> list[str]:
        """Names shown in the list now, top to bottom (after the search)."""
        names = []
        for g in range(self.proxy.rowCount()):
            group = self.proxy.index(g, 0)
            names += [self.model.contact_at(self.proxy.mapToSource(
                self.proxy.index(r, 0, group))).name for r in range(self.proxy.rowCount(group))]
        return names

    def add_contact(self, role: Role | None = None) -> Contact | None:
        from caregiver_app.ui.careteam.contact_dialog import ContactDialog

        draft = Contact(name="", role=role) if role else None
        saved = ContactDialog.ask(draft, region=self._careteam.region,
                                  save=self._careteam.save_contact, parent=self)
        if saved is None:
            return None
        self.select_contact(saved.id)
        self.notice.show_message(f"Added {saved.name} to the care team.")
        return saved

    def edit_contact(self, contact_id: int | None = None) -> Contact | None:
        from caregiver_app.ui.careteam.contact_dialog import ContactDialog

        contact = self._contact_or_selected(contact_id)
        if contact is None:
            return None
        saved = ContactDialog.ask(contact, region=self._careteam.region,
                                  save=self._careteam.save_contact, parent=self)
        if saved is None:
            return None
        self.select_contact(saved.id)
        return saved

    def remove_contact(self, contact_id: int | None = None) -> bool:
        """Ask, warning about linked medicines and appointments; remove; offer Undo."""
        contact = self._contact_or_selected(contact_id)
        if contact is None or contact.id is None:
            return False
        text = remove_contact_question(contact, self._careteam.references(contact.id))
        if not messages.confirm(self, "Remove contact", text, yes="Remove", destructive=True):
            return False
        if not self._saved(lambda: self._careteam.remove_contact(contact.id),
                           f"{contact.name} was not removed"):
            return False
        self._undo = ("contact", contact.id)
        self.notice.show_message(f"Removed {contact.name} from the care team.", undo=True)
        return True

    def undo(self) -> bool:
        """Bring back the contact or appointment removed last."""
        if self._undo is None:
            return False
        kind, item_id = self._undo
        if kind == "contact":
            if not self._saved(lambda: self._careteam.restore_contact(item_id),
                               "The contact was not brought back", undo=True):
                return False
            self._undo = None
            self.select_contact(item_id)
            restored = self._careteam.contact(item_id)
            self.notice.show_message(f"{restored.name if restored else 'The contact'} "
                                     "is back on the care team.")
        else:
            if not self._saved(lambda: self._careteam.restore_appointment(item_id),
                               "The appointment was not brought back", undo=True):
                return False
            self._undo = None
            self.notice.show_message("The appointment is back.")
        return True

    def _saved(self, action, what: str, *, undo: bool = False) -> bool:
        """Run a write; when the records cannot be written (a full disk) say so in the
        message bar, naming ``what`` was not done, and return False."""
        try:
            action()
        except NotSaved as exc:
            self.notice.show_message("⚠ " + exc.sentence(what), undo=undo)
            return False
        return True

    def bring_back_removed(self, contact_id: int | None = None) -> bool:
        """Put a removed contact back on the list (after the Undo bar has gone)."""
        removed = self._careteam.archived_contacts()
        if not removed:
            self.notice.show_message("No contact has been removed.")
            return False
        if contact_id is None:
            labels = [f"{c.name} ({c.role_label})" for c in removed]
            chosen = self._ask_removed(labels)
            if chosen is None:
                return False
            contact_id = removed[labels.index(chosen)].id
        if not self._saved(lambda: self._careteam.restore_contact(contact_id),
                           "The contact was not brought back"):
            return False
        self.select_contact(contact_id)
        restored = self._careteam.contact(contact_id)
        self.notice.show_message(f"{restored.name} is back on the care team.")
        return True

    def import_vcard(self, path: Path | str | None = None) -> bool:
        """Read a .vcf file, show the preview, and save what the caregiver chose.

        The file is read and checked on a worker thread (with a progress dialog and
        Cancel once it takes a while); the preview opens when that is done. Returns
        at once: True if reading started. ``import_finished`` carries the result.
        """
        return self._files.import_vcard(path)

    @property
    def import_progress(self) -> ProgressDialog | None:
        """The progress dialog of the file being read (shown once it takes a while)."""
        return self._files.import_progress

    def is_importing(self) -> bool:
        """A file is being read."""
        return self._files.is_importing()

    def export_contacts(self, contact_ids: Sequence[int] | None = None,
                        path: Path | str | None = None) -> Path | None:
        """Write one contact, several, or the whole team (None) to a .vcf file."""
        return self._files.export_contacts(contact_ids, path)

    # ---- Public API: appointments

    def set_appointment_filter(self, which: str) -> None:
        self.appointment_filter.setCurrentIndex(self.appointment_filter.findData(which))

    def add_appointment(self, contact_id: int | None = None) -> Appointment | None:
        from caregiver_app.ui.careteam.appointment_dialog import AppointmentDialog

        saved = AppointmentDialog.ask(
            None, contacts=self._careteam.contacts(), time_zone=self._time_zone(),
            now=self._now(), contact_id=contact_id, save=self._careteam.save_appointment,
            parent=self)
        if saved is None:
            return None
        self.notice.show_message(f"Appointment saved: {saved.title()}, {saved.when_text()}.")
        self._select_appointment(saved.id)
        return saved

    def edit_appointment(self, appointment_id: int | None = None) -> Appointment | None:
        from caregiver_app.ui.careteam.appointment_dialog import AppointmentDialog

        current = self._appointment_or_selected(appointment_id)
        if current is None:
            return None
        saved = AppointmentDialog.ask(
            current, contacts=self._careteam.contacts(), time_zone=self._time_zone(),
            now=self._now(), save=self._careteam.save_appointment, parent=self)
        if saved is None:
            return None
        self._select_appointment(saved.id)
        return saved

    def remove_appointment(self, appointment_id: int | None = None) -> bool:
        current = self._appointment_or_selected(appointment_id)
        if current is None or current.id is None:
            return False
        text = remove_appointment_question(current)
        if not messages.confirm(self, "Remove appointment", text, yes="Remove",
                                destructive=True):
            return False
        if not self._saved(lambda: self._careteam.remove_appointment(current.id),
                           "The appointment was not removed"):
            return False
        self._undo = ("appointment", current.id)
        self.notice.show_message(f"Removed the appointment “{current.title()}”.", undo=True)
        return True

    # ---- Qt overrides

    def showEvent(self, event: QShowEvent) -> None:
        if self._loaded:
            self._reload_appointments()  # what is past may have changed since
        self.ensure_loaded()
        super().showEvent(event)

    # ---- Private: building

    # ---- Private: loading

    def _reload_contacts(self) -> None:
        current = self.selected_contact()
        current_id = current.id if current else None
        current_group = self.model.group_title_at(
            self.proxy.mapToSource(self.tree.currentIndex())) if current is None else ""
        contacts = self._careteam.contacts()
        self.model.set_contacts(contacts, region=self._careteam.region)
        self._show_all_groups()
        self._tree_fitter.fit()
        self.empty_label.setVisible(not contacts)
        self._update_no_match()
        if current_id is not None and self.select_contact(current_id):
            return
        if current_group:
            index = self.proxy.mapFromSource(self.model.group_index(current_group))
            if index.isValid():
                self.tree.setCurrentIndex(index)
                return
        self._show_current()

    def _reload_appointments(self) -> None:
        now = self._now()
        which = self.appointment_filter.currentData()
        shown = appointments_shown(self._careteam.appointments(), which, now)
        selected = self._appointment_or_selected(None)
        self.appointments.set_appointments(shown, now=now)
        if not shown:
            self.no_appointments.setText(no_appointments_text(which))
        self.no_appointments.setVisible(not shown)
        if selected is not None and selected.id is not None:
            self._select_appointment(selected.id)
        self._update_appointment_buttons()
        self._show_current()

    def apply_changes(self, changes: Changes) -> None:
        """A write anywhere (``Core.changes``): the lists read again what it touched
        (a contact's name is shown beside its appointments)."""
        if not self._loaded:
            return
        if changes.contacts:
            self._reload_contacts()
        if changes.appointments or changes.contacts:
            self._reload_appointments()

    # ---- Private: reacting

    def _on_search(self, text: str) -> None:
        self.proxy.set_query(text)
        self.model.set_counts_shown(not self.proxy.query())
        self._show_all_groups()
        self._update_no_match()
        if not self.tree.currentIndex().isValid():
            self._show_current()

    def _show_all_groups(self) -> None:
        """Expand every group; its title spans the whole row (every top row is a group)."""
        self.tree.expandAll()
        root = QModelIndex()
        for row in range(self.proxy.rowCount()):
            self.tree.setFirstColumnSpanned(row, root, True)

    def _update_no_match(self) -> None:
        query = self.proxy.query()
        none = bool(query) and self.proxy.rowCount() == 0 and self.model.contact_count() > 0
        self.no_match_label.setText(f"No one matches “{query}”." if none else "")
        self.no_match_label.setVisible(none)

    def _focus_search(self) -> None:
        self.search_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_edit.selectAll()

    def _focus_first_result(self) -> None:
        if self.proxy.rowCount() == 0:
            return
        group = self.proxy.index(0, 0)
        first = self.proxy.index(0, 0, group)
        self.tree.setCurrentIndex(first if first.isValid() else group)
        self.tree.setFocus(Qt.FocusReason.OtherFocusReason)

    def _on_current_changed(self, _current: QModelIndex, _previous: QModelIndex) -> None:
        self._show_current()

    def _show_current(self) -> None:
        index = self.tree.currentIndex()
        contact = self.model.contact_at(self.proxy.mapToSource(index))
        self.export_one_action.setEnabled(contact is not None)
        if contact is not None:
            fresh = self._careteam.contact(contact.id) or contact
            self.details.show_contact(fresh, self._careteam.references(contact.id),
                                      region=self._careteam.region)
            return
        if index.isValid():
            source = self.proxy.mapToSource(index)
            title = self.model.group_title_at(source)
            count = self.model.rowCount(source)
            self.details.show_group(title, ContactTreeModel.role_of_group(title), count)
            return
        if self.model.contact_count() == 0:
            self.details.show_nothing(EMPTY_TEAM)
        else:
            self.details.show_nothing("Choose someone on the left to see how to reach them.")

    def _on_activated(self, index: QModelIndex) -> None:
        contact = self.model.contact_at(self.proxy.mapToSource(index))
        if contact is not None and contact.id is not None:
            self.edit_contact(contact.id)

    def _on_reference_activated(self, ref: ContactReference) -> None:
        if ref.kind == "appointment":
            self.edit_appointment(ref.id)
        elif ref.kind == "medicine":
            self.medicine_requested.emit(ref.id)

    def _export_selected(self) -> None:
        contact = self.selected_contact()
        if contact is not None and contact.id is not None:
            self.export_contacts([contact.id])

    def _contact_or_selected(self, contact_id: int | None) -> Contact | None:
        if contact_id is not None:
            return self._careteam.contact(contact_id)
        selected = self.selected_contact()
        return self._careteam.contact(selected.id) if selected and selected.id else None

    def _appointment_or_selected(self, appointment_id: int | None) -> Appointment | None:
        if appointment_id is not None:
            return self._careteam.appointment(appointment_id)
        index = self.appointments_view.currentIndex()
        if not index.isValid() or index.row() >= self.appointments.rowCount():
            return None
        return self.appointments.appointment(index.row())

    def _select_appointment(self, appointment_id: int | None) -> None:
        row = self.appointments.row_of(appointment_id) if appointment_id is not None else -1
        if row >= 0:
            self.appointments_view.selectionModel().setCurrentIndex(
                self.appointments.index(row, 0),
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows)
        self._update_appointment_buttons()

    def _update_appointment_buttons(self, *_args) -> None:
        has = self.appointments_view.currentIndex().isValid()
        self.edit_appointment_button.setEnabled(has)
        self.remove_appointment_button.setEnabled(has)
        # the visit summary is for the coming clinic visit: shown when it is chosen
        chosen = self._appointment_or_selected(None) if has else None
        coming = next_clinic_visit(self._careteam.appointments(), self._now())
        self.visit_summary_button.setVisible(
            chosen is not None and coming is not None and chosen.id == coming.id)

    # ---- Private: file choosers (tests replace these)

    def _ask_open_path(self) -> str:
        path, _ = QFileDialog.getOpenFileName(
            self, "Import contacts from a vCard file", str(Path.home()),
            "vCard files (*.vcf *.vcard);;All files (*)")
        return path

    def _ask_removed(self, labels: list[str]) -> str | None:
        label, ok = QInputDialog.getItem(self, "Removed contacts",
                                         "Bring back this contact:", labels, 0, False)
        return label if ok else None

    def _ask_save_path(self, suggested: str) -> str:
        path, _ = QFileDialog.getSaveFileName(
            self, "Export to a vCard file", str(Path.home() / suggested),
            "vCard files (*.vcf)")
        return path

