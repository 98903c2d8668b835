"""Every write to the records announces itself once, on the core's one
``changed(Changes)``, naming what it changed; a refused write announces nothing.

The sweep lists every public method of the services that hold the records: each is
either a read (``READS``) or a write with a case below (``WRITES``). A new method that
is neither fails the sweep, so a write cannot be added without its announcement.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields, replace
from datetime import time, timedelta

import pytest
from medicine_builders import D0, at, medicine

from caregiver_app.core import Core, open_core
from caregiver_app.domain.amount import Dose
from caregiver_app.domain.appointments import Appointment, AppointmentSource
from caregiver_app.domain.contacts import Contact, Role
from caregiver_app.domain.doses import EntryKind
from caregiver_app.domain.errors import ValidationError
from caregiver_app.domain.going import Entry, Measure
from caregiver_app.domain.household import DOSE_MISSED_AFTER, DOSE_ON_TIME
from caregiver_app.domain.medicine_edit import MedicineEdit
from caregiver_app.domain.medicines import SupplySettings
from caregiver_app.domain.patient import AllergyStatus, Caregiver, Patient
from caregiver_app.domain.regimens import AsNeededRegimen, CycleRegimen, DailyRegimen
from caregiver_app.domain.reminders import ReminderSettings
from caregiver_app.domain.undo import LastAction
from caregiver_app.domain.vocab import SkipReason
from caregiver_app.services.careteam import CareTeam
from caregiver_app.services.changes import ChangeHub, Changes
from caregiver_app.services.going import Going
from caregiver_app.services.learn import Learn
from caregiver_app.services.medication_book import MedicationBook
from caregiver_app.services.reminders import ReminderService
from caregiver_app.services.session import Session
from caregiver_app.services.vcard import plan_import, read_vcards, write_vcards
from caregiver_app.storage.reminders_repo import ReminderRepository

T7 = time(7)


@dataclass
class House:
    """A household with one of everything a write can change."""

    core: Core
    reminders: ReminderService
    tom: int
    riluzole: int
    glyco: int
    edaravone: int
    lee: int
    visit: int

    @property
    def book(self) -> MedicationBook:
        return self.core.medications


@pytest.fixture
def house(qapp, data_dir, fake_clock):
    fake_clock.set(at(D0, 12))
    core = open_core(data_dir, fake_clock)
    core.session.save_patient(Patient("Jane Doe", allergy_status=AllergyStatus.NONE_KNOWN,
                                      time_zone="America/New_York"))
    tom = core.session.save_caregivers([Caregiver("Tom Example", "TE")])[0]
    assert tom.id is not None
    core.session.set_on_duty(tom.id)
    book = core.medications
    riluzole = book.add_medicine(medicine(
        DailyRegimen(D0, (time(8), time(20))), id=None,
        supply=SupplySettings(unit="tablet", reorder_days=5)))
    glyco = book.add_medicine(medicine(AsNeededRegimen(D0, timedelta(hours=4), 3), id=None,
                                       generic_name="glycopyrrolate", purpose="drooling"))
    edaravone = book.add_medicine(medicine(CycleRegimen(D0, (T7,)), id=None,
                                           generic_name="edaravone"))
    lee = core.careteam.save_contact(Contact("Dr. Lee", Role.NEUROLOGIST))
    visit = core.careteam.save_appointment(Appointment(at(D0 + timedelta(days=3), 10),
                                                       "Clinic visit"))
    reminders = ReminderService(book, ReminderRepository(core.db), clock=fake_clock,
                                settings=ReminderSettings)
    ids = [riluzole.id, glyco.id, edaravone.id, lee.id, visit.id]
    assert all(i is not None for i in ids)
    yield House(core, reminders, tom.id, *ids)  # type: ignore[arg-type]
    core.close()


def _key(hour: int, day=D0) -> str:
    return f"{day.isoformat()}T{hour:02d}:00"


def _given(house: House) -> int:
    entry = house.book.record_given(house.riluzole, _key(8))
    assert entry.id is not None
    return entry.id


def _vcard_rows(house: House):
    text = write_vcards([Contact("Ana", Role.DIETITIAN), Contact("Cy")])
    return plan_import(read_vcards(text, region="US"), house.core.careteam.contacts())


# ---- Every write, with what its Changes must name ----------------------------------
# Each case: (set-up before the write, the write, the Changes expected), where the
# expected Changes is built from the house and the set-up's result. ``action`` is
# checked apart (only whether there is one).

Case = tuple[Callable[[House], object], Callable[[House, object], object],
             Callable[[House, object], Changes], bool]


def _none(house: House) -> None:
    return None


def _med(field: str) -> Callable[[House, object], Changes]:
    return lambda h, _s: Changes(**{field: frozenset({h.riluzole})})  # type: ignore[arg-type]


def _edaravone(h: House, _s: object) -> Changes:
    return Changes(medicines=frozenset({h.edaravone}))


def _doses(which: Callable[[House], int]) -> Callable[[House, object], Changes]:
    return lambda h, _s: Changes(doses=frozenset({which(h)}))


BOOK: dict[str, Case] = {
    "save_dose_timing": (_none, lambda h, _s: h.book.save_dose_timing(30, 120),
                         lambda h, _s: Changes(settings=frozenset({DOSE_ON_TIME,
                                                                   DOSE_MISSED_AFTER})),
                         False),
    "add_medicine": (_none, lambda h, _s: h.book.add_medicine(medicine(
        DailyRegimen(D0, (time(9),)), id=None, generic_name="baclofen")),
        lambda h, s: Changes(medicines=frozenset({max(m.id or 0 for m in
                                                      h.book.medicines())})), False),
    "update_details": (_none, lambda h, _s: h.book.update_details(replace(
        h.book.medicine(h.riluzole), purpose="slows ALS")), _med("medicines"), False),
    "change_version": (_none, lambda h, _s: h.book.change_version(h.riluzole, replace(
        h.book.medicine(h.riluzole).versions[-1], valid_from=D0 + timedelta(days=2),
        dose=Dose(2, "tablet"))), _med("medicines"), False),
    "save_change": (_none, lambda h, _s: h.book.save_change(
        replace(h.book.medicine(h.riluzole), purpose="slows ALS"),
        replace(h.book.medicine(h.riluzole).versions[-1], valid_from=D0 + timedelta(days=2),
                dose=Dose(2, "tablet"))), _med("medicines"), False),
    "save_edit": (_none, lambda h, _s: h.book.save_edit(MedicineEdit(
        replace(h.book.medicine(h.riluzole), purpose="slows ALS"),
        details_changed=True)), _med("medicines"), False),
    "pause": (_none, lambda h, _s: h.book.pause(h.riluzole, "hospital"), _med("medicines"),
              False),
    "resume": (lambda h: h.book.pause(h.riluzole, "hospital"),
               lambda h, _s: h.book.resume(h.riluzole), _med("medicines"), False),
    "stop": (_none, lambda h, _s: h.book.stop(h.riluzole, "side effects"), _med("medicines"),
             False),
    "update_supply_settings": (_none, lambda h, _s: h.book.update_supply_settings(
        h.riluzole, SupplySettings(unit="tablet", reorder_days=7)), _med("medicines"), False),
    "open_bottle": (_none, lambda h, _s: h.book.open_bottle(h.riluzole, D0, None),
                    _med("medicines"), False),
    "shift_cycle": (_none, lambda h, _s: h.book.shift_cycle(h.edaravone, D0 + timedelta(days=2),
                                                            1, reason="clinic day"),
                    _edaravone, False),
    "pause_cycle": (_none, lambda h, _s: h.book.pause_cycle(
        h.edaravone, D0 + timedelta(days=2), "in hospital"), _edaravone, False),
    "resume_cycle": (lambda h: h.book.pause_cycle(h.edaravone, D0, "in hospital"),
                     lambda h, _s: h.book.resume_cycle(h.edaravone, D0 + timedelta(days=1)),
                     _edaravone, False),
    "undo_cycle_change": (
        lambda h: h.book.shift_cycle(h.edaravone, D0 + timedelta(days=2), 1).cycle_shifts[-1].id,
        lambda h, shift: h.book.undo_cycle_change(h.edaravone, shift),  # type: ignore[arg-type]
        _edaravone, False),
    "record_given": (_none, lambda h, _s: h.book.record_given(h.riluzole, _key(8)),
                     _doses(lambda h: h.riluzole), True),
    "record_skipped": (_none, lambda h, _s: h.book.record_skipped(
        h.riluzole, _key(8), SkipReason.REFUSED), _doses(lambda h: h.riluzole), True),
    "record_prn": (_none, lambda h, _s: h.book.record_prn(h.glyco),
                   _doses(lambda h: h.glyco), True),
    "record_extra": (_none, lambda h, _s: h.book.record_extra(h.riluzole, reason="cramps"),
                     _doses(lambda h: h.riluzole), True),
    "correct": (_given, lambda h, entry: h.book.correct(
        entry, kind=EntryKind.ENTERED_IN_ERROR, note="wrong dose"),  # type: ignore[arg-type]
        _doses(lambda h: h.riluzole), True),
    "record_batch": (_none, lambda h, _s: h.book.record_batch(
        at(D0, 8), [(h.riluzole, _key(8))]), _doses(lambda h: h.riluzole), True),
    "undo": (lambda h: _recorded_action(h),
             lambda h, action: h.book.undo(action),  # type: ignore[arg-type]
             _doses(lambda h: h.riluzole), False),
    "undo_entry": (_given, lambda h, entry: h.book.undo_entry(entry),  # type: ignore[arg-type]
                   _doses(lambda h: h.riluzole), False),
    "refill": (_none, lambda h, _s: h.book.refill(h.riluzole, 60), _med("stock"), False),
    "count_stock": (_none, lambda h, _s: h.book.count_stock(h.riluzole, 20), _med("stock"),
                    False),
}



def _recorded_action(house: House) -> LastAction | None:
    """Record a dose; the Undo action its ``Changes`` carried."""
    seen: list[Changes] = []
    house.core.changes.changed.connect(seen.append)
    house.book.record_given(house.riluzole, _key(8))
    house.core.changes.changed.disconnect(seen.append)
    return seen[-1].action


CARETEAM: dict[str, Case] = {
    "save_contact": (_none, lambda h, _s: h.core.careteam.save_contact(
        replace(h.core.careteam.contact(h.lee), office_hours="9-5")),  # type: ignore[type-var]
        lambda h, _s: Changes(contacts=frozenset({h.lee})), False),
    "remove_contact": (_none, lambda h, _s: h.core.careteam.remove_contact(h.lee),
                       lambda h, _s: Changes(contacts=frozenset({h.lee})), False),
    "restore_contact": (lambda h: h.core.careteam.remove_contact(h.lee),
                        lambda h, _s: h.core.careteam.restore_contact(h.lee),
                        lambda h, _s: Changes(contacts=frozenset({h.lee})), False),
    "import_rows": (_vcard_rows, lambda h, rows: h.core.careteam.import_rows(rows),  # type: ignore[arg-type]
                    lambda h, _s: Changes(contacts=frozenset(
                        c.id for c in h.core.careteam.contacts()
                        if c.id is not None and c.id != h.lee)), False),
    "save_appointment": (_none, lambda h, _s: h.core.careteam.save_appointment(replace(
        h.core.careteam.appointment(h.visit), place="Room 4")),  # type: ignore[type-var]
        lambda h, _s: Changes(appointments=frozenset({h.visit})), False),
    "remove_appointment": (_none, lambda h, _s: h.core.careteam.remove_appointment(h.visit),
                           lambda h, _s: Changes(appointments=frozenset({h.visit})), False),
    "restore_appointment": (lambda h: h.core.careteam.remove_appointment(h.visit),
                            lambda h, _s: h.core.careteam.restore_appointment(h.visit),
                            lambda h, _s: Changes(appointments=frozenset({h.visit})), False),
    "sync_generated": (_none, lambda h, _s: h.core.careteam.sync_generated(
        AppointmentSource.REGIMEN,
        [Appointment(at(D0 + timedelta(days=5), 9), "Infusion", source_key="k1")],
        since=at(D0, 12)),
        lambda h, _s: Changes(appointments=frozenset(
            a.id for a in h.core.careteam.appointments()
            if a.id is not None and a.id != h.visit)), False),
}

SESSION: dict[str, Case] = {
    "save_patient": (_none, lambda h, _s: h.core.session.save_patient(
        replace(h.core.session.patient(), notes="likes tea")),  # type: ignore[type-var]
        lambda h, _s: Changes(patient=True), False),
    "save_caregivers": (_none, lambda h, _s: h.core.session.save_caregivers(
        [*h.core.session.caregivers(), Caregiver("Ana Helper", "AH")]),
        lambda h, _s: Changes(caregivers=True, on_duty=True), False),
    "set_on_duty": (_none, lambda h, _s: h.core.session.set_on_duty(None),
                    lambda h, _s: Changes(on_duty=True), False),
    "reload": (_none, lambda h, _s: h.core.session.reload(),
               lambda h, _s: Changes(patient=True, caregivers=True, on_duty=True), False),
}

LEARN: dict[str, Case] = {
    "save_note": (_none, lambda h, _s: h.core.learn.save_note("riluzole", "ask Dr Lee"),
                  lambda h, _s: Changes(notes=frozenset({"riluzole"})), False),
    "set_bookmark": (_none, lambda h, _s: h.core.learn.set_bookmark("riluzole", True),
                     lambda h, _s: Changes(bookmarks=frozenset({"riluzole"})), False),
}

def _weighed(h: House) -> Entry:
    return h.core.going.record(Entry(Measure.WEIGHT, D0, {"weight": 61, "unit": "kg"}))


def _new_going(h: House, _s: object) -> Changes:
    return Changes(going=frozenset({(Measure.WEIGHT, max(e.id or 0 for e in h.core.going.chains(
        Measure.WEIGHT)[0].rows))}))


GOING: dict[str, Case] = {
    "record": (_none, lambda h, _s: _weighed(h), lambda h, _s: Changes(going=frozenset(
        (Measure.WEIGHT, e.id) for e in h.core.going.current(Measure.WEIGHT)
        if e.id is not None)), False),
    "correct": (_weighed, lambda h, entry: h.core.going.correct(
        entry, {"weight": 62, "unit": "kg"}), _new_going, False),  # type: ignore[arg-type]
    "withdraw": (_weighed, lambda h, entry: h.core.going.withdraw(
        entry, "typed twice"), _new_going, False),  # type: ignore[arg-type]
}


def _snoozed(h: House, _s: object) -> Changes:
    return Changes(snoozes=frozenset({h.riluzole}))


REMINDERS: dict[str, Case] = {
    "snooze": (_none, lambda h, _s: h.reminders.snooze(h.riluzole, _key(20), 10),
               _snoozed, True),
    "snooze_all": (_none, lambda h, _s: h.reminders.snooze_all([(h.riluzole, _key(20))], 10),
                   _snoozed, True),
    "set_snooze": (_none, lambda h, _s: h.reminders.set_snooze(h.riluzole, _key(20), None),
                   _snoozed, False),
}

# Public methods that write nothing (or only the reminders' own bookkeeping: what was
# shown, how far the clock was watched), or only group writes (``one_action``: below).
READS: dict[type, set[str]] = {
    MedicationBook: {"policy", "household_settings", "zone", "now", "today",
                     "medicines", "medicine", "day", "recorded_days", "statuses",
                     "carried_over", "is_carried_over", "statuses_between", "adherence",
                     "occurrence",
                     "chain", "chains_since", "changes_and_pauses", "prn_status", "supply",
                     "history", "history_page", "history_pages", "upcoming", "check_given",
                     "check_prn", "batch_plan", "one_action", "reading"},
    CareTeam: {"region", "contacts", "contact", "archived_contacts", "picker_contacts",
               "references", "appointments", "appointment", "upcoming"},
    Session: {"on_duty", "on_duty_id", "patient", "caregivers"},
    Learn: {"reference", "search", "suggest", "note", "articles_with_notes", "bookmarks",
            "sync_index"},  # (the search index: a copy of the article files, not records)
    Going: {"today", "now", "weight_unit", "current", "chains", "chain", "entry_ids",
            "latest_day", "answered"},
    ReminderService: {"running", "armed_for", "watched_until", "start", "stop", "rearm",
                      "apply_changes",
                      "wake", "check_clock", "catch_up_answered", "held", "snoozed_until",
                      "snoozes"},
}
WRITES: dict[type, dict[str, Case]] = {
    MedicationBook: BOOK, CareTeam: CARETEAM, Session: SESSION, Learn: LEARN,
    Going: GOING, ReminderService: REMINDERS,
}
ALL_CASES = [(cls.__name__, name) for cls, cases in WRITES.items() for name in cases]


def _public_methods(cls: type) -> set[str]:
    """The names ``cls`` itself defines (not QObject's), public."""
    return {name for name, value in vars(cls).items()
            if not name.startswith("_") and (callable(value) or isinstance(value, property))
            and not _is_signal(value)}


def _is_signal(value: object) -> bool:
    from PySide6.QtCore import Signal

    return isinstance(value, Signal)


def test_every_public_method_of_the_services_is_a_read_or_a_checked_write():
    checked = 0
    for cls in WRITES:
        methods = _public_methods(cls)
        unknown = methods - READS[cls] - set(WRITES[cls])
        assert not unknown, f"{cls.__name__}: say whether these write: {sorted(unknown)}"
        assert not (READS[cls] & set(WRITES[cls]))
        assert set(WRITES[cls]) <= methods, f"{cls.__name__} lost a write method"
        checked += len(WRITES[cls])
    assert checked == len(ALL_CASES) == 45


@pytest.mark.parametrize(("service", "method"), ALL_CASES)
def test_each_write_announces_one_changes_naming_what_it_changed(house, service, method):
    cls = next(c for c in WRITES if c.__name__ == service)
    set_up, write, expected, undoable = WRITES[cls][method]
    hub = house.core.changes
    seen: list[Changes] = []
    state = set_up(house)
    hub.changed.connect(seen.append)
    write(house, state)
    assert len(seen) == 1, f"{service}.{method} announced {len(seen)} times"
    (changes,) = seen
    if service == "MedicationBook" and method in ("record_given", "record_batch", "correct"):
        assert changes.dose_entries and all(isinstance(i, int) for i in changes.dose_entries)
    want = expected(house, state)
    got = replace(changes, dose_entries=frozenset(), action=None)
    assert got == want, f"{service}.{method}: {got} != {want}"
    assert (changes.action is not None) is undoable, f"{service}.{method}: Undo"


def test_a_refused_write_announces_nothing(house):
    seen: list[Changes] = []
    house.core.changes.changed.connect(seen.append)
    with pytest.raises(ValidationError):
        house.book.record_skipped(house.riluzole, _key(8), SkipReason.OTHER)  # needs a note
    with pytest.raises(ValidationError):
        house.core.careteam.save_contact(Contact(""))
    with pytest.raises(ValidationError):
        house.book.refill(house.riluzole, -3)
    assert seen == []


def test_one_action_announces_once_with_its_undo(house):
    seen: list[Changes] = []
    house.core.changes.changed.connect(seen.append)
    with house.book.one_action():
        house.book.record_given(house.riluzole, _key(8))
        house.book.record_skipped(house.edaravone, _key(7), SkipReason.ASLEEP)
    assert len(seen) == 1
    (changes,) = seen
    assert changes.doses == {house.riluzole, house.edaravone}
    assert len(changes.dose_entries) == 2
    assert changes.action is not None and len(changes.action.items) == 2


def test_the_example_household_is_announced_once_whole(house):
    going = house.core.going
    weight = _weighed(house)
    corrected = going.correct(weight, {"weight": 62, "unit": "kg"})
    check = going.record(Entry(Measure.SYMPTOMS, D0, {"cramps": 1}))
    seen: list[Changes] = []
    house.core.changes.changed.connect(seen.append)
    house.core.announce_all()
    assert len(seen) == 1
    (changes,) = seen
    assert changes.medicines == {house.riluzole, house.glyco, house.edaravone}
    assert (changes.contacts, changes.appointments) == ({house.lee}, {house.visit})
    assert changes.patient and changes.caregivers
    # every row of How things are going, each named with its table: the weight and the
    # symptom check are both entry 1 of their own table
    assert changes.going == {(Measure.WEIGHT, weight.id), (Measure.WEIGHT, corrected.id),
                             (Measure.SYMPTOMS, check.id)}
    assert weight.id == check.id == 1


def test_the_example_household_announces_every_going_table(qapp, data_dir, fake_clock):
    from caregiver_app.services.demo import populate_example

    fake_clock.set(at(D0, 12))
    core = open_core(data_dir, fake_clock)
    try:
        populate_example(core.db, today=D0, time_zone="America/New_York",
                         now=fake_clock.now())
        seen: list[Changes] = []
        core.changes.changed.connect(seen.append)
        core.announce_all()
        (changes,) = seen
        named = {measure for measure, _ in changes.going}
        assert named == set(Measure)  # the example has entries in all five tables
        assert len(changes.going) == sum(len(core.going.entry_ids(m)) for m in Measure)
    finally:
        core.close()


def test_the_services_of_a_core_share_its_one_signal(house):
    core = house.core
    assert {id(s.changes) for s in (core.medications, core.careteam, core.session,
                                    core.learn, core.going)} == {id(core.changes)}


def test_changes_merge_and_say_what_they_touch():
    a = Changes(doses=frozenset({1}))
    b = Changes(contacts=frozenset({4}), patient=True)
    assert not Changes() and a and (a | b).doses == {1} and (a | b).contacts == {4}
    assert a.due_doses and b.people and b.due_doses  # the time zone may have changed
    assert not Changes(contacts=frozenset({4})).due_doses
    assert a.ends_undo and not b.ends_undo
    names = {f.name for f in fields(Changes)}
    assert {"medicines", "doses", "dose_entries", "stock", "contacts", "appointments",
            "patient", "caregivers", "on_duty", "settings", "snoozes", "notes",
            "bookmarks", "going", "action"} == names


def test_a_batch_of_the_hub_announces_once(qapp):
    hub = ChangeHub()
    seen: list[Changes] = []
    hub.changed.connect(seen.append)
    with hub.batch():
        hub.announce(Changes(contacts=frozenset({1})))
        with hub.batch():
            hub.announce(Changes(contacts=frozenset({2})))
        assert seen == []
    assert seen == [Changes(contacts=frozenset({1, 2}))]
    hub.announce(Changes())
    assert len(seen) == 1  # an empty one is not announced

