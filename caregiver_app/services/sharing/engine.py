"""One sync with the family's server: the phones' changes in, the records out.

The laptop is the home of the records. A sync

1. **pulls** what changed on the server since the last sync (``Transport.changes``:
   a WebDAV sync-token, so a sync with nothing changed costs a request per list; of
   what changed, only the items whose ETag is not the one the app wrote are read);
2. **applies** it: a dose ticked on a phone becomes a new dose record, never an
   overwrite; everything else a phone did is noted for a person (``domain.sharing``);
3. works out what to **push**: each dose of the window as a task, each appointment as
   an event; a changed one again with its new text, a dose no longer on the schedule
   as cancelled, a task fallen out of the window behind removed;
4. **pushes** it with ``If-Match``: an item somebody changed on the server since it was
   read is not overwritten but read again at the next sync (its tick is not lost);
5. **records** where each item now is and its ETag.

Steps 1 and 4 talk to the server and touch no records; steps 2, 3 and 5 touch the
records and no network. ``ShareSync`` runs them in that order; the window's service
runs 1 and 4 on a worker thread and the rest on the GUI thread (the records'
connection belongs to it). ``sync_once`` runs them all in a row (command line, tests).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from caregiver_app.domain.calendar_events import (
    CANCELLED_NOTE,
    CANCELLED_PREFIX,
    CalendarEvent,
)
from caregiver_app.domain.dose_identity import appointment_uid
from caregiver_app.domain.doses import DoseStatus
from caregiver_app.domain.errors import ValidationError
from caregiver_app.domain.exports import CalendarAppointment, appointment_events
from caregiver_app.domain.localtime import day_bounds, to_utc
from caregiver_app.domain.sharing import (
    Action,
    Incoming,
    ItemKind,
    RemoteTask,
    ServerItem,
    ShareConfig,
    SharedTask,
    TaskStatus,
    dose_tasks,
    incoming,
    list_names,
    window_days,
)
from caregiver_app.domain.tick_sources import DoseSource, TimeFrom, who_ticked
from caregiver_app.services.sharing.cards import CardOp, CardPull, CardPushed, CardSync
from caregiver_app.services.sharing.formats import event_ics, read_task, task_ics
from caregiver_app.services.sharing.transport import Changes, Precondition, Transport

#: Appointments on the family calendar: from the window's first day to this far ahead.
EVENT_DAYS = 120
EVENTS_NOTE = ("Published by ALS Care Companion from the caregivers' laptop, one way: "
               "changes made here are replaced at the next sync. Change appointments in "
               "the app.")


def collection_slug(household_id: str, kind: ItemKind) -> str:
    """The collection's name in its address: one per household, so two households on one
    server (or one account) never touch each other's lists."""
    return f"als-care-{household_id}-{'medicines' if kind is ItemKind.TASK else 'appointments'}"


@dataclass
class Snapshot:
    """What a pull needs from the records, read on the records' thread."""

    config: ShareConfig
    collections: dict[ItemKind, tuple[str, str]]
    names: dict[str, str]
    household_id: str
    cards: tuple[str, str, dict[str, str]] | None = None  # the address book (``cards``)
    #: each item's address and ETag as the app last wrote or read it, by kind: what the
    #: pull need not read again
    etags: dict[ItemKind, dict[str, str]] = field(default_factory=dict)


@dataclass(frozen=True)
class SharePreview:
    """What will leave this computer (see ``ShareSync.preview``)."""

    names: dict[str, str]
    tasks: int
    events: int
    example: SharedTask | None
    window_days: int
    keep_days: int
    contacts: int | None = None  # the care team's contacts (None: not shared)

    def text(self) -> str:
        """In words, for the person to read before saying yes: one task as a phone will
        show it first, then everything that will be sent."""
        lines: list[str] = []
        if self.example is not None:
            lines += ["One task as a phone will show it:", f"   {self.example.summary}",
                      *(f"   {line}" for line in self.example.description.splitlines()),
                      ""]
        lines += [
            "What will leave this computer, to the server you chose:",
            f"• A task list \"{self.names['tasks']}\": one task per dose from "
            f"{self.keep_days} days ago to {self.window_days} days ahead ({self.tasks} now), "
            "each with its time, the dose and the instructions, and who gave it once it "
            "is recorded (their initials).",
            f"• A calendar \"{self.names['events']}\": the appointments of the next "
            f"{EVENT_DAYS} days ({self.events} now), with their place and who goes.",
            *([] if self.contacts is None else [
                f"• An address book \"{self.names['contacts']}\": the care team's "
                f"{self.contacts} contact{'' if self.contacts == 1 else 's'}, with their "
                "numbers, email, address and notes; "
                "contacts added or changed on a phone come back into the Care team."]),
            "Nothing else: not the history, notes, allergies, the patient's details or the "
            "backups. The password stays in this computer's keyring.",
            "A tick on a phone becomes a dose record here, given by the caregiver chosen "
            "above. The records stay on this laptop, which remains their home.",
        ]
        return "\n".join(lines)


@dataclass
class Pulled:
    """What a pull found (step 1)."""

    collections: dict[ItemKind, str] = field(default_factory=dict)  # addresses in use
    changes: dict[ItemKind, Changes] = field(default_factory=dict)
    cards: CardPull | None = None  # the care team's address book


@dataclass(frozen=True)
class Op:
    """One write to the server: ``text`` at ``item.href`` (None: remove it)."""

    item: ServerItem
    text: str | None
    etag: str  # what the server had when last read ("" for a new item)


@dataclass
class Pushed:
    """What a push did (step 4)."""

    saved: list[ServerItem] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)  # changed on the server: next time
    cards: CardPushed | None = None


@dataclass
class SyncReport:
    """What one sync did, for the status bar and the command line."""

    recorded: int = 0
    noted: list[Incoming] = field(default_factory=list)
    sent: int = 0
    removed: int = 0
    postponed: int = 0
    requests: int = 0

    @property
    def to_check(self) -> list[Incoming]:
        """The notes that ask a person to check or settle something in the app (the
        others only tell: "Also ticked on Ana's iPhone at 08:12.")."""
        return [note for note in self.noted if note.action.asks_a_person]

    def summary(self) -> str:
        parts = [f"{self.sent} sent", f"{self.removed} removed",
                 f"{self.recorded} ticked on a phone and recorded"]
        to_check = len(self.to_check)
        if to_check:
            parts.append(f"{to_check} to check in the app")
        if len(self.noted) > to_check:
            news = len(self.noted) - to_check
            parts.append(f"{news} note{'' if news == 1 else 's'} only to read")
        if self.postponed:
            parts.append(f"{self.postponed} changed on the server, sent at the next sync")
        return ", ".join(parts) + "."


class ShareSync:
    """The steps of a sync over the records (see the module's doc).

    ``repo``: ``storage.sharing_repo.SharingRepository``; ``book``: the medication book
    (statuses, ``record_given``); ``patients`` and ``careteam``: the patient's name,
    the caregivers and the appointments.
    """

    def __init__(self, repo, book, patients, careteam, household_id: Callable[[], str], *,
                 cards: CardSync | None = None):
        self._repo = repo
        self._book = book
        self._patients = patients
        self._careteam = careteam
        self._household_id = household_id
        #: the care team as an address book (``cards``); None: contacts are not shared
        self.cards = cards

    # ---- step 0: what the pull needs

    def snapshot(self) -> Snapshot:
        patient = self._patients.get()
        first = patient.full_name.split()[0] if patient and patient.full_name.split() else ""
        etags: dict[ItemKind, dict[str, str]] = {}
        for item in self._repo.items().values():
            etags.setdefault(item.kind, {})[item.href] = item.etag
        return Snapshot(config=self._repo.config(), collections=self._repo.collections(),
                        names=list_names(first), household_id=self._household_id(),
                        cards=self.cards.known() if self.cards is not None else None,
                        etags=etags)

    def preview(self, config: ShareConfig) -> SharePreview:
        """What a sync with ``config`` would put on the server, before anything is sent:
        the lists' names, how many tasks and events, and one task as a phone shows it."""
        tasks, _ = self._tasks(config)
        snapshot = self.snapshot()
        upcoming = [t for t in tasks if t.due >= self._book.now()] or tasks
        return SharePreview(names=snapshot.names, tasks=len(tasks),
                            events=len(self._events(config)),
                            example=upcoming[0] if upcoming else None,
                            window_days=config.window_days, keep_days=config.keep_days,
                            contacts=(len(self._careteam.contacts())
                                      if self.cards is not None else None))

    # ---- step 1 (network)

    @staticmethod
    def pull(transport: Transport, snapshot: Snapshot) -> Pulled:
        pulled = Pulled()
        for kind, name in ((ItemKind.TASK, snapshot.names["tasks"]),
                           (ItemKind.EVENT, snapshot.names["events"])):
            url, token = snapshot.collections.get(kind, ("", ""))
            if url and urlsplit(url).netloc != urlsplit(transport.url).netloc:
                url, token = "", ""  # a list on the server used before: find it here
            found = transport.ensure_collection(
                kind, url, name=name, slug=collection_slug(snapshot.household_id, kind))
            known = snapshot.etags.get(kind, {})
            if found != url:
                token, known = "", {}  # a new list: read it whole
            pulled.collections[kind] = found
            pulled.changes[kind] = transport.changes(found, token, known)
        if snapshot.cards is not None:
            pulled.cards = CardSync.pull(transport, snapshot.cards,
                                         name=snapshot.names["contacts"],
                                         household_id=snapshot.household_id)
        return pulled

    # ---- step 2 (records)

    def apply(self, pulled: Pulled, *, account: str) -> tuple[list[Incoming], int]:
        """Take in what the phones did; returns the notes for a person and the number of
        dose records made."""
        config = self._repo.config()
        now = self._book.now()
        known = self._repo.collections()
        for kind, url in pulled.collections.items():
            if known.get(kind, ("", ""))[0] != url:
                # a list made again (deleted on the server): everything goes again
                self._repo.remove_items(u for u, i in self._repo.items(kind).items())
        items = self._repo.items()
        by_href = {i.href: i for i in items.values()}
        updated: list[ServerItem] = []
        remote: list[RemoteTask] = []
        for kind, changes in pulled.changes.items():
            for href, etag, text in changes.changed:
                item = by_href.get(href)
                if item is None:
                    item = self._adopted(kind, href, text)
                    if item is None:
                        continue  # not the app's (somebody's own task in the list)
                    items[item.uid] = item
                elif item.etag and etag == item.etag:
                    continue  # the app's own write, read back
                if kind is ItemKind.TASK:
                    task = read_task(text, account=account)
                    if task is not None and task.uid == item.uid:
                        remote.append(task)
                        updated.append(replace(item, etag=etag, status=task.status))
                        continue
                # an event changed on the server goes back to the app's version (one way);
                # with no ETag of its own write to compare, the server gave none: its own
                updated.append(replace(item, etag=etag, fingerprint=(
                    "changed-on-server" if item.etag else item.fingerprint)))
            gone = [by_href[h].uid for h in changes.removed if h in by_href]
            self._repo.remove_items(gone)  # made again at step 3 if still wanted
        statuses = self._task_statuses()
        phones = self._repo.phones()

        def who(task: RemoteTask) -> tuple[str, int | None]:
            return who_ticked(phones, task.account, task.client,
                              default_giver=config.giver_id, default_device=config.device)

        found = incoming(remote, {u: i.as_sent() for u, i in items.items()
                                  if i.kind is ItemKind.TASK},
                         statuses, now=now, zone=self._book.zone(),
                         giver_for={}, who=who, names=self._giver_names())
        ticks = {task.uid: task for task in remote}
        recorded, notes = 0, []
        for item in found:
            if item.action is Action.RECORD:
                try:
                    with self._repo.atomic():  # the record and its source, or neither
                        entry = self._book.record_given(
                            item.medicine_id, item.occurrence_key, given_at=item.given_at,
                            caregiver_id=item.caregiver_id, note=item.message,
                            recorded_by=(item.caregiver_id if item.caregiver_id is not None
                                         else config.giver_id))
                        self._note_source(entry.id, ticks[item.uid], item, who, now)
                    recorded += 1
                    continue
                except ValidationError as exc:
                    reason = " ".join(exc.errors.values())
                    item = replace(item, action=Action.CONFLICT,
                                   message=f"{item.message} It could not be recorded: "
                                           f"{reason}")
            notes.append(item)
        if pulled.cards is not None and self.cards is not None:
            notes.extend(self.cards.apply(pulled.cards))
        self._repo.save_items(updated)
        self._repo.add_notes(notes, now)
        for kind, url in pulled.collections.items():
            self._repo.save_collection(kind, url, pulled.changes[kind].token)
        return notes, recorded

    def _note_source(self, entry_id: int | None, tick: RemoteTask, item: Incoming,
                     who: Callable[[RemoteTask], tuple[str, int | None]],
                     now: datetime) -> None:
        """Keep, beside the new record, which phone and account its tick came from and
        whose time it carries (an annotation: the record itself is already whole)."""
        if entry_id is None:
            return
        device, _giver = who(tick)
        self._repo.add_source(DoseSource(
            entry_id=entry_id, device=device, account=tick.account, client=tick.client,
            phone_time=tick.completed,
            time_from=TimeFrom.PHONE if item.time_from_phone else TimeFrom.SYNC,
            synced_at=now))

    def _task_statuses(self) -> dict[str, DoseStatus]:
        tasks, statuses = self._tasks(self._repo.config())
        return {t.uid: s for t, s in zip(tasks, statuses, strict=True)}

    def _adopted(self, kind: ItemKind, href: str, text: str) -> ServerItem | None:
        """An item the app wrote whose writing was never noted (the app or the server
        stopped in the middle of a sync): taken back as sent not yet ticked, so a tick on
        it is still recorded and the next write goes with its ETag."""
        if kind is not ItemKind.TASK:
            return None
        task = read_task(text)
        if task is None or Transport.href_for(href.rsplit("/", 1)[0], task.uid) != href:
            return None
        wanted = {t.uid: t for t in self._tasks(self._repo.config())[0]}
        mine = wanted.get(task.uid)
        if mine is None:
            return None
        return ServerItem(uid=mine.uid, kind=ItemKind.TASK, href=href, etag="",
                          fingerprint="", status=TaskStatus.NEEDS_ACTION,
                          medicine_id=mine.medicine_id,
                          occurrence_key=mine.occurrence_key, starts_at=mine.due)

    # ---- step 3 (records)

    def outbox(self, collections: dict[ItemKind, str]) -> list[Op | CardOp]:
        """Every write the server needs to match the records."""
        config = self._repo.config()
        now = self._book.now()
        items = self._repo.items()
        tasks, _ = self._tasks(config)
        zone = self._book.zone()
        first, _last = window_days(self._book.today(), days=config.window_days,
                                   keep_days=config.keep_days)
        behind = day_bounds(first, zone)[0]
        ops: list[Op | CardOp] = []
        wanted: set[str] = set()
        for task in tasks:
            wanted.add(task.uid)
            ops.extend(self._task_op(task, items.get(task.uid), collections[ItemKind.TASK],
                                     now))
        for event in self._events(config):
            wanted.add(event.uid)
            ops.extend(self._event_op(event, items.get(event.uid),
                                      collections[ItemKind.EVENT], now))
        for uid, item in items.items():
            if uid in wanted:
                continue
            if item.starts_at is None or to_utc(item.starts_at) < behind:
                ops.append(Op(item, None, item.etag))  # fell out of the window behind
            elif item.fingerprint != "cancelled":
                ops.append(Op(replace(item, fingerprint="cancelled",
                                      status=TaskStatus.CANCELLED,
                                      sequence=item.sequence + 1),
                              self._cancelled_text(item, now), item.etag))
        if self.cards is not None:
            url = self.cards.known()[0]
            if url:  # the address book found or made by the pull
                ops.extend(self.cards.outbox(url))
        return ops

    def _giver_names(self) -> dict[int, str]:
        """Every caregiver's name by id (those no longer active too)."""
        return {c.id: c.name for c in self._patients.caregivers(include_inactive=True)
                if c.id is not None}

    def _tasks(self, config: ShareConfig) -> tuple[list[SharedTask], list[DoseStatus]]:
        first, last = window_days(self._book.today(), days=config.window_days,
                                  keep_days=config.keep_days)
        statuses = self._book.statuses(first, last)
        caregivers = {c.id: c for c in self._patients.caregivers(include_inactive=True)
                      if c.id is not None}
        tasks = dose_tasks(statuses, self._household_id(), caregivers=caregivers,
                           zone=self._book.zone(), discreet=config.discreet)
        order = sorted(statuses, key=lambda s: (s.occurrence.due, s.medicine.name,
                                                s.occurrence.key))
        return tasks, order

    @staticmethod
    def _task_op(task: SharedTask, item: ServerItem | None, collection: str,
                 now: datetime) -> list[Op]:
        fingerprint = task.fingerprint()
        if item is not None and item.fingerprint == fingerprint and item.status is task.status:
            return []
        sequence = 0 if item is None else item.sequence + 1
        href = item.href if item is not None else Transport.href_for(collection, task.uid)
        new = ServerItem(uid=task.uid, kind=ItemKind.TASK, href=href,
                         etag=item.etag if item else "", fingerprint=fingerprint,
                         status=task.status, medicine_id=task.medicine_id,
                         occurrence_key=task.occurrence_key, starts_at=task.due,
                         sequence=sequence)
        return [Op(new, task_ics(task, now=now, sequence=sequence), new.etag)]

    @staticmethod
    def _event_op(event: CalendarEvent, item: ServerItem | None, collection: str,
                  now: datetime) -> list[Op]:
        fingerprint = event.fingerprint()
        if item is not None and item.fingerprint == fingerprint:
            return []
        sequence = 0 if item is None else item.sequence + 1
        href = item.href if item is not None else Transport.href_for(collection, event.uid)
        new = ServerItem(uid=event.uid, kind=ItemKind.EVENT, href=href,
                         etag=item.etag if item else "", fingerprint=fingerprint,
                         starts_at=event.start, sequence=sequence)
        return [Op(new, event_ics(event, now=now, sequence=sequence), new.etag)]

    def _events(self, config: ShareConfig) -> list[CalendarEvent]:
        first, _ = window_days(self._book.today(), days=config.window_days,
                               keep_days=config.keep_days)
        zone = self._book.zone()
        start = day_bounds(first, zone)[0]
        end = start + timedelta(days=EVENT_DAYS)
        household = self._household_id()
        items = [CalendarAppointment(
            uid=appointment_uid(household, a.id), start=a.starts_at, end=a.ends_at,
            title=a.title(), location=a.place,
            description="\n".join(p for p in (a.contact_name, a.transport and
                                              f"Transport: {a.transport}", EVENTS_NOTE) if p))
            for a in self._careteam.upcoming(start, end)
            if getattr(a.source, "value", "") != "regimen"]
        return appointment_events(items)

    @staticmethod
    def _cancelled_text(item: ServerItem, now: datetime) -> str:
        start = item.starts_at or now
        if item.kind is ItemKind.TASK:
            return task_ics(SharedTask(
                uid=item.uid, medicine_id=item.medicine_id,
                occurrence_key=item.occurrence_key, due=start,
                summary=CANCELLED_PREFIX + "dose no longer on the schedule",
                description=CANCELLED_NOTE, status=TaskStatus.CANCELLED),
                now=now, sequence=item.sequence)
        return event_ics(CalendarEvent(
            uid=item.uid, start=start, end=start + timedelta(hours=1),
            summary=CANCELLED_PREFIX + "appointment", description=CANCELLED_NOTE),
            now=now, sequence=item.sequence, cancelled=True)

    # ---- step 4 (network)

    @staticmethod
    def push(transport: Transport, ops: list[Op | CardOp],
             check: Callable[[], None] | None = None) -> Pushed:
        """Write ``ops``; ``check`` is called before each write and may raise to stop
        (the app is closing): what was written is read back at the next sync."""
        pushed = Pushed(cards=CardSync.push(
            transport, [op for op in ops if isinstance(op, CardOp)]))
        for op in ops:
            if isinstance(op, CardOp):
                continue
            if check is not None:
                check()
            try:
                if op.text is None:
                    transport.delete(op.item.href, etag=op.etag)
                    pushed.removed.append(op.item.uid)
                else:
                    etag = transport.put(op.item.href, op.text, etag=op.etag)
                    pushed.saved.append(replace(op.item, etag=etag))
            except Precondition:
                pushed.refused.append(op.item.uid)
        return pushed

    # ---- step 5 (records)

    def record(self, pushed: Pushed) -> None:
        self._repo.save_items(pushed.saved)
        self._repo.remove_items(pushed.removed)
        if pushed.cards is not None and self.cards is not None:
            self.cards.record(pushed.cards)


def engine_for(core: Any, repo: Any = None) -> ShareSync:
    """The sync engine over ``core``'s records, the care team's address book included:
    how the window, ``caregiver-app sync`` and the benchmark build it. ``repo``: the
    ``SharingRepository`` to share (one is made otherwise)."""
    from caregiver_app.storage.card_repo import CardRepository
    from caregiver_app.storage.household_repo import HouseholdRepository
    from caregiver_app.storage.sharing_repo import SharingRepository

    repo = repo if repo is not None else SharingRepository(core.db)
    household = HouseholdRepository(core.db).household_id
    cards = CardSync(CardRepository(core.db), repo, core.careteam, household,
                     now=core.medications.now)
    return ShareSync(repo, core.medications, core.patients, core.careteam, household,
                     cards=cards)


def sync_once(engine: ShareSync, transport: Transport) -> SyncReport:
    """All the steps in a row, on this thread (the command line, tests)."""
    snapshot = engine.snapshot()
    pulled = engine.pull(transport, snapshot)
    notes, recorded = engine.apply(pulled, account=transport.username)
    ops = engine.outbox(pulled.collections)
    pushed = engine.push(transport, ops)
    engine.record(pushed)
    return SyncReport(recorded=recorded, noted=notes, sent=len(pushed.saved),
                      removed=len(pushed.removed), postponed=len(pushed.refused),
                      requests=transport.requests)


__all__ = ["Op", "Pulled", "Pushed", "SharePreview", "ShareSync", "Snapshot", "SyncReport",
           "collection_slug", "engine_for", "sync_once"]
