"""Sharing with the family through CalDAV/CardDAV: what goes to the server, and what a
tick on a phone means for the dose record. Plain Python (no network, no file format:
``services.sharing`` writes iCalendar and vCard and talks to the server).

What is shared
--------------
``dose_tasks(statuses, household_id, ...)`` makes one ``SharedTask`` per due dose of the
window: due at the dose time, with an alarm then, its summary "08:00 Riluzole 50 mg ·
1 tablet by mouth" (or, in the **discreet** mode, "08:00 medicines (1 of 3)", the
details in the body only), and its UID the dose's identity
(``domain.dose_identity.dose_uid``): a dose moved to another time is the same task. A
dose recorded in the app completes its task ("Given 08:10 by AH"); a dose recorded as
not given cancels it, with the reason.

Appointments go as events (``domain.exports.appointment_events``), contacts as vCards
named by ``dose_identity.contact_uid``.

The laptop is the home of the records
-------------------------------------
``incoming(...)`` reads what the phones left on the server (``RemoteTask``) against
what this computer sent (``SentTask``) and what the records say now (``DoseStatus``),
and says what to do, as ``Incoming`` items. Nothing from a server ever changes or
removes a dose record:

- a task ticked on a phone, for a dose with nothing recorded: a **new** dose record
  (``Action.RECORD``), given at the phone's completion time (or, where the phone gave
  none, the time of the sync, flagged as such), by the caregiver that account is
  mapped to;
- ticked on a phone when the dose was already recorded as given in the app: no second
  record; the tick is kept as a note about the record. When the phone's giver is the
  record's and its time is within ``SAME_DOSE_WITHIN`` of the recorded one, that note
  only tells (``Action.ALSO_TICKED``); otherwise the dose may have been given twice,
  and a person is asked to check (``Action.TICKED_TWICE``);
- un-ticked on a phone after the app completed it: the record stays; Today flags it for
  a person (``Action.UNTICKED``);
- everything else a phone did that the app cannot take as it is (ticked a dose the app
  says was not given, ticked a dose no longer on the schedule or days ahead, cancelled a
  task) is a named conflict (``Action.CONFLICT``) for a person to settle in the app.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo
from enum import StrEnum
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from caregiver_app.domain.dose_identity import DosePlaces, dose_uid
from caregiver_app.domain.doses import (
    EARLY_RECORD_HORIZON,
    FUTURE_TOLERANCE,
    DoseState,
    DoseStatus,
)
from caregiver_app.domain.errors import ValidationError
from caregiver_app.domain.localtime import to_utc, weekday_date
from caregiver_app.domain.medicines import GivenBy
from caregiver_app.domain.patient import Caregiver

#: A phone's tick of a dose the app already records as given agrees with the record
#: (only a note that tells) when it is by the record's giver and this close to its time;
#: anything else may be a second dose, for a person to check.
SAME_DOSE_WITHIN = timedelta(minutes=10)
#: Days of doses on the phones: today and the next 7 (a setting).
DEFAULT_WINDOW_DAYS = 7
#: Days a past dose's task stays on the phones before it is removed (records stay).
DEFAULT_KEEP_DAYS = 2
MAX_WINDOW_DAYS = 31
MAX_KEEP_DAYS = 31
TASK_FOOTER = ("Tick this task when the dose is given: ALS Care Companion records it at "
               "its next sync. The record is kept on the caregivers' laptop.")
DISCREET_WORD = "medicines"


class TaskStatus(StrEnum):
    """A task's STATUS (RFC 5545 §3.8.1.11)."""

    NEEDS_ACTION = "NEEDS-ACTION"
    IN_PROCESS = "IN-PROCESS"
    COMPLETED = "COMPLETED"
    CANCELLED = "CANCELLED"


@dataclass(frozen=True)
class SharedTask:
    """One dose as a task (VTODO) on the family's phones."""

    uid: str
    medicine_id: int | None
    occurrence_key: str  # the dose record's key: a tick on a phone comes back to it
    due: datetime  # aware, UTC
    summary: str
    description: str
    status: TaskStatus = TaskStatus.NEEDS_ACTION
    completed: datetime | None = None  # aware, UTC: when the dose was given
    category: str = "Medicines"

    def fingerprint(self) -> str:
        """Changes whenever anything a person would see on a phone changes."""
        parts = (self.due.isoformat(), self.summary, self.description, self.status.value,
                 self.completed.isoformat() if self.completed else "", self.category)
        return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:32]


def _route_words(label: str) -> str:
    return label if label.startswith(("by ", "under ", "on ", "inhaled")) else f"by {label}"


def _giver_initials(caregivers: Mapping[int, Caregiver], caregiver_id: int | None,
                    clinic: bool) -> str:
    if caregiver_id is not None and caregiver_id in caregivers:
        return caregivers[caregiver_id].initials
    return "clinic staff" if clinic else ""


def _dose_line(status: DoseStatus) -> str:
    occ, medicine = status.occurrence, status.medicine
    strength = f" {occ.strength}" if occ.strength else ""
    return (f"{medicine.name}{strength} · {occ.dose.describe()} "
            f"{_route_words(occ.route.label)}")


def dose_tasks(statuses: Iterable[DoseStatus], household_id: str, *,
               caregivers: Mapping[int, Caregiver], zone: ZoneInfo,
               discreet: bool = False) -> list[SharedTask]:
    """One task per due dose in ``statuses`` (see the module's doc), in time order."""
    # the printed sheets' wording, loaded when sharing runs (not at start-up)
    from caregiver_app.domain.printouts import instructions

    ordered = sorted(statuses, key=lambda s: (s.occurrence.due, s.medicine.name,
                                              s.occurrence.key))
    per_time: dict[datetime, int] = {}
    for status in ordered:
        per_time[status.occurrence.due] = per_time.get(status.occurrence.due, 0) + 1
    places: dict[int | None, DosePlaces] = {}
    seen: dict[datetime, int] = {}
    tasks = []
    for status in ordered:
        occ, medicine = status.occurrence, status.medicine
        place = places.setdefault(occ.medicine_id, DosePlaces(medicine)).place(occ)
        clock = f"{to_utc(occ.due).astimezone(zone):%H:%M}"
        clinic = medicine.given_by is GivenBy.CLINIC
        line = _dose_line(status) + (" (at the clinic)" if clinic else "")
        seen[occ.due] = seen.get(occ.due, 0) + 1
        if discreet:
            summary = f"{clock} {DISCREET_WORD} ({seen[occ.due]} of {per_time[occ.due]})"
        else:
            summary = f"{clock} {line}"
        entry = status.effective
        task_status, completed, head = TaskStatus.NEEDS_ACTION, None, ""
        if status.state is DoseState.GIVEN and entry is not None and entry.given_at:
            task_status, completed = TaskStatus.COMPLETED, to_utc(entry.given_at)
            who = _giver_initials(caregivers, entry.caregiver_id, clinic)
            head = (f"Given {to_utc(entry.given_at).astimezone(zone):%H:%M}"
                    + (f" by {who}" if who else "") + ".")
        elif status.state is DoseState.SKIPPED and entry is not None:
            task_status = TaskStatus.CANCELLED
            reason = entry.skip_reason.label if entry.skip_reason else ""
            head = "Not given" + (f": {reason}" if reason else "") + "."
        body = [head, f"{clock} {line}.",
                instructions(medicine, occ.version, label=occ.label), TASK_FOOTER]
        tasks.append(SharedTask(
            uid=dose_uid(household_id, occ.medicine_id, place),
            medicine_id=occ.medicine_id, occurrence_key=occ.key,
            due=to_utc(occ.due).astimezone(UTC), summary=summary,
            description="\n".join(b for b in body if b), status=task_status,
            completed=completed))
    return tasks


def list_names(first_name: str) -> dict[str, str]:
    """The names of the task list, calendar and address book the app makes on the server:
    "Jane's medicines", "Jane's appointments", "Jane's care team"."""
    who = " ".join(first_name.split()) or "The patient"
    owner = f"{who}'" if who.endswith("s") else f"{who}'s"
    return {"tasks": f"{owner} medicines", "events": f"{owner} appointments",
            "contacts": f"{owner} care team"}


# ---- The server's address


_LOCAL_HOSTS = ("localhost", "127.0.0.1", "::1")


def server_url_problem(text: str) -> str:
    """Why ``text`` cannot be a sharing server's address, or "" when it can.

    HTTPS is required, except to this computer itself (a server on localhost, as in a
    test or a server run by the household on this laptop). A bare host name
    ("cloud.example.org") is read as ``https://cloud.example.org/``.
    """
    url = server_url(text)
    if not url:
        return "Enter the server's address, for example cloud.example.org."
    parts = urlsplit(url)
    host = parts.hostname or ""
    if not host or " " in host:
        return "That is not a server address: write it like cloud.example.org."
    if parts.scheme == "http" and host not in _LOCAL_HOSTS:
        return ("The address must start with https:// (the password and the records go "
                "over the network, so they must be encrypted).")
    if parts.scheme not in ("http", "https"):
        return "The address must start with https://."
    return ""


def server_url(text: str) -> str:
    """``text`` as a full address: a bare host gets ``https://`` (``http://`` for this
    computer itself) and a final slash."""
    text = text.strip()
    if not text:
        return ""
    if not re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", text):
        host = urlsplit("//" + text).hostname or ""
        text = ("http://" if host in _LOCAL_HOSTS else "https://") + text
    parts = urlsplit(text)
    return text if parts.path else text + "/"


# ---- Where a problem is said


#: Where the sharing settings are, for a message shown anywhere else.
SETTINGS_MENU = "File ▸ Share with the family…"


class SaidIn(StrEnum):
    """Where a message about sharing is shown: its advice names what to change there."""

    SETTINGS = "settings"  # inside File ▸ Share with the family…, beside the field
    ELSEWHERE = "elsewhere"  # the status bar, a command's output: the menu path is named


def moved_elsewhere(moved_to: str, where: SaidIn) -> str:
    """The server sent the app on to another address (``moved_to``), which asked for the
    password: the app does not send it there, so the address is what to check. Inside
    the settings, the field in front of the person says what to change; anywhere else,
    the menu that leads to it."""
    said = (f"The server sent the app to another address ({moved_to}), which asked for the "
            "password; the app does not send it on to another server. ")
    if where is SaidIn.SETTINGS:
        return said + (f"If {moved_to} is the family's server, put that address in Server "
                       "address above, then check the server again.")
    return said + (f"Check the server address in {SETTINGS_MENU}: use the address it sends "
                   "the app to, if that is the family's server.")


def password_refused(where: SaidIn) -> str:
    """The server refused the password (HTTP 401)."""
    if where is SaidIn.SETTINGS:
        return ("The server refused the password. Type the app password again in App "
                "password above, then check the server again.")
    return f"The server refused the password; check it in {SETTINGS_MENU}"


def account_not_allowed(where: SaidIn) -> str:
    """The server did not let this account change the lists (HTTP 403)."""
    said = "The server did not allow this account to change the lists. "
    if where is SaidIn.SETTINGS:
        return said + ("Check the account's name in User name above, then check the "
                       "server again.")
    return said + f"Check the user name in {SETTINGS_MENU}"


def password_not_kept(where: SaidIn) -> str:
    """Sharing is on but the keyring holds no password for the account."""
    if where is SaidIn.SETTINGS:
        return ("The sharing password is not on this computer; type it in App password "
                "above, then save.")
    return f"The sharing password is not on this computer; enter it in {SETTINGS_MENU}"


def certificate_untrusted(where: SaidIn) -> str:
    """The server's certificate is signed by no authority this computer knows (often a
    server the household runs itself), and no certificate was confirmed for it. Check
    the server shows its fingerprint, to confirm once: inside the settings that button
    is in front of the person; anywhere else, the menu that leads to it is named."""
    said = ("The server's certificate is not signed by an authority this computer knows "
            "(a server a household runs itself often has such a certificate), so nothing "
            "was sent. ")
    if where is SaidIn.SETTINGS:
        return said + ("Press Check the server above: it shows the certificate's "
                       "fingerprint, to compare once with whoever runs the server.")
    return said + (f"{SETTINGS_MENU} (Check the server) shows its fingerprint, to confirm "
                   "once with whoever runs it.")


def certificate_changed(where: SaidIn) -> str:
    """The server shows another certificate than the one a person confirmed for it.
    Inside the settings (above the buttons, after Sync now) Check the server, which
    shows the new one, is in front of the person; anywhere else, the menu that leads to
    it is named. The question showing both is worded by ``certificate_changed_asked``."""
    said = "The server's certificate is not the one confirmed for it, so nothing was sent. "
    if where is SaidIn.SETTINGS:
        return said + ("If whoever runs the server replaced it, press Check the server "
                       "above: it shows the new certificate's fingerprint, to compare with "
                       "theirs. If they did not, someone may be listening in between: do "
                       "not trust it.")
    return said + (f"If whoever runs the server replaced it, confirm the new one in "
                   f"{SETTINGS_MENU} (Check the server); if they did not, someone may be "
                   "listening in between: do not confirm it.")


def certificate_changed_asked() -> str:
    """The opening of the question Check the server asks when the server shows another
    certificate than the one confirmed: the fingerprints follow it, the new one last."""
    return ("The server's certificate is not the one confirmed for it, so nothing was "
            "sent. If whoever runs the server replaced it, compare the new one below and "
            "trust it only if it is theirs; if they did not, someone may be listening in "
            "between: do not trust it.")


# ---- What the phones did


class Action(StrEnum):
    RECORD = "record"  # a new dose record from a phone's tick
    ALSO_TICKED = "also_ticked"  # recorded in the app and ticked on a phone
    UNTICKED = "unticked"  # un-ticked on a phone; the record stays
    CONFLICT = "conflict"  # a person settles it in the app
    NEWS = "news"  # only tells (a card from a phone already in the care team)
    #: recorded in the app and ticked on a phone by another giver, or at another time:
    #: the dose may have been given twice
    TICKED_TWICE = "ticked_twice"

    @property
    def asks_a_person(self) -> bool:
        """A person should check a record or settle something (flagged "to check" and
        counted so), not only be told."""
        return self in (Action.UNTICKED, Action.CONFLICT, Action.TICKED_TWICE)

    @classmethod
    def read(cls, text: str) -> Action:
        """A stored note's action; one this version does not know (a later version's)
        reads as a conflict: shown, and flagged for a person, rather than lost."""
        try:
            return cls(text)
        except ValueError:
            return cls.CONFLICT


@dataclass(frozen=True)
class RemoteTask:
    """One of the app's tasks as the server holds it now."""

    uid: str
    status: TaskStatus
    completed: datetime | None = None  # aware: the phone's COMPLETED time
    account: str = ""  # the server account (or list) it was read through
    client: str = ""  # the phone's app that last wrote it, in words (``tick_sources``)


@dataclass(frozen=True)
class SentTask:
    """What this computer last put on the server for a UID."""

    uid: str
    medicine_id: int | None
    occurrence_key: str
    status: TaskStatus
    fingerprint: str


@dataclass(frozen=True)
class Incoming:
    """What to do about one task a phone changed."""

    action: Action
    uid: str
    medicine_id: int | None
    occurrence_key: str
    message: str  # in plain words, for Today, History and the sync summary
    given_at: datetime | None = None  # RECORD: when it was given
    caregiver_id: int | None = None  # RECORD: who gave it
    time_from_phone: bool = True  # RECORD: False when the phone gave no time
    entry_id: int | None = None  # ALSO_TICKED / UNTICKED: the record it is about


def _clock(moment: datetime, zone: ZoneInfo) -> str:
    return f"{to_utc(moment).astimezone(zone):%H:%M}"


def incoming(remote: Iterable[RemoteTask], sent: Mapping[str, SentTask],
             statuses: Mapping[str, DoseStatus], *, now: datetime, zone: ZoneInfo,
             giver_for: Mapping[str, int], device_for: Mapping[str, str] | None = None,
             who: Callable[[RemoteTask], tuple[str, int | None]] | None = None,
             names: Mapping[int, str] | None = None) -> list[Incoming]:
    """What the phones' changes mean (see the module's doc). ``remote``: the app's tasks
    as the server holds them (only those changed since the last sync need be passed);
    ``sent``: what this computer last put there, by UID; ``statuses``: the doses as the
    records say now, by UID; ``giver_for``: the caregiver each account is mapped to;
    ``device_for``: the account's name in words ("Ana's iPhone"); ``who``, when given,
    instead: the phone in words and its caregiver for a task (``tick_sources``);
    ``names``: the caregivers' names by id, to say who the app's record has."""
    now = to_utc(now)
    names = names or {}
    device_for = device_for or {}
    found: list[Incoming] = []
    for task in remote:
        before = sent.get(task.uid)
        if before is None:
            continue  # not one of ours (never touched)
        status = statuses.get(task.uid)
        if who is not None:
            where, giver = who(task)
        else:
            where = device_for.get(task.account) or (
                f"a phone ({task.account})" if task.account else "a phone")
            giver = giver_for.get(task.account)
        if task.status is TaskStatus.COMPLETED and before.status is not TaskStatus.COMPLETED:
            found.append(_ticked(task, before, status, where, now=now, zone=zone,
                                 giver=giver, names=names))
        elif (task.status in (TaskStatus.NEEDS_ACTION, TaskStatus.IN_PROCESS)
              and before.status is TaskStatus.COMPLETED):
            if status is not None and status.state is not DoseState.GIVEN:
                continue  # corrected here meanwhile: the record already says not given
            entry = status.effective if status else None
            found.append(_about(
                Action.UNTICKED, before,
                f"{_UNTICKED_ON}{where}{_UNTICKED_SAYS} "
                "Check it, and correct the record if the dose was not given.",
                entry_id=entry.id if entry else None))
        elif task.status is TaskStatus.CANCELLED and before.status is not TaskStatus.CANCELLED:
            found.append(_about(
                Action.CONFLICT, before,
                f"Cancelled on {where}: in the app, a dose not given is recorded with its "
                "reason. Nothing was recorded."))
    return found


_UNTICKED_ON = "Un-ticked on "
_UNTICKED_SAYS = ": the app's record still says given."


def history_words(action: Action, message: str, noted_at: datetime, zone: tzinfo, *,
                  seen_at: datetime | None = None, settled_at: datetime | None = None
                  ) -> str:
    """What a note about a dose record says beside the record in its History: the
    note itself ("Also ticked on Ana's iPhone at 08:12."), or for an un-tick, where
    and by when ("Un-ticked on Ana's iPhone before Mon 5 Jan 08:30.": the phone gives
    no time, the sync that found it does). A note that asks a person (an un-tick, a
    tick that may be a second dose) says "⚑ to check" until a person marks it seen
    ("seen Mon 5 Jan 09:00") or a new record settles it ("settled in the app")."""
    words = message.strip().rstrip(".")
    if action is Action.UNTICKED:
        where = "a phone"
        if message.startswith(_UNTICKED_ON) and _UNTICKED_SAYS in message:
            where = message.removeprefix(_UNTICKED_ON).split(_UNTICKED_SAYS)[0]
        local = to_utc(noted_at).astimezone(zone)
        words = f"{_UNTICKED_ON}{where} before {weekday_date(local.date())} {local:%H:%M}"
    if not action.asks_a_person:
        return f"{words}."
    if settled_at is not None:
        return f"{words}; settled in the app."
    if seen_at is not None:
        seen = to_utc(seen_at).astimezone(zone)
        return f"{words}; seen {weekday_date(seen.date())} {seen:%H:%M}."
    return f"{words}; ⚑ to check."


def _about(action: Action, before: SentTask, message: str, *,
           given_at: datetime | None = None, caregiver_id: int | None = None,
           time_from_phone: bool = True, entry_id: int | None = None) -> Incoming:
    return Incoming(action, uid=before.uid, medicine_id=before.medicine_id,
                    occurrence_key=before.occurrence_key, message=message,
                    given_at=given_at, caregiver_id=caregiver_id,
                    time_from_phone=time_from_phone, entry_id=entry_id)


def _ticked(task: RemoteTask, before: SentTask, status: DoseStatus | None, where: str, *,
            now: datetime, zone: ZoneInfo, giver: int | None,
            names: Mapping[int, str]) -> Incoming:
    when = to_utc(task.completed) if task.completed else None
    at = f" at {_clock(when, zone)}" if when else ""
    if status is None:
        return _about(Action.CONFLICT, before,
                      f"Ticked on {where}{at}, but that dose is no longer on the schedule. "
                      "Nothing was recorded: record it in the app if it was given.")
    if status.state is DoseState.GIVEN:
        return _also_ticked(before, status, where, when, giver, names=names, zone=zone)
    if status.state is DoseState.SKIPPED:
        return _about(Action.CONFLICT, before,
                      f"Ticked on {where}{at}, but the app records this dose as not given. "
                      "Nothing was changed: correct the record in the app if it was given.")
    if to_utc(status.occurrence.due) > now + EARLY_RECORD_HORIZON:
        return _about(Action.CONFLICT, before,
                      f"Ticked on {where}{at}, more than {EARLY_RECORD_HORIZON.days} days "
                      "before the dose is due. Nothing was recorded.")
    from_phone = when is not None and when <= now + FUTURE_TOLERANCE
    given_at = when if from_phone and when is not None else now
    if from_phone:
        note = f"Ticked on {where}{at}."
    elif when is not None:
        note = (f"Ticked on {where}{at}, a time still to come by this computer's clock: "
                f"the time of the sync ({_clock(now, zone)}) is used.")
    else:
        note = (f"Ticked on {where}; the phone gave no time, so the time of the sync "
                f"({_clock(now, zone)}) is used.")
    return _about(Action.RECORD, before, note, given_at=given_at, caregiver_id=giver,
                  time_from_phone=from_phone)


def _also_ticked(before: SentTask, status: DoseStatus, where: str, when: datetime | None,
                 giver: int | None, *, names: Mapping[int, str],
                 zone: ZoneInfo) -> Incoming:
    """A phone ticked a dose the app already records as given: a note beside the
    record. It only tells when the tick agrees with the record (the same giver, known,
    and a time within ``SAME_DOSE_WITHIN``); otherwise the dose may have been given
    twice, and the note asks a person to check."""
    entry = status.effective
    entry_id = entry.id if entry else None
    at = f" at {_clock(when, zone)}" if when else ""
    given_at = to_utc(entry.given_at) if entry is not None and entry.given_at else None
    recorded_by = entry.caregiver_id if entry is not None else None
    agrees = (giver is not None and giver == recorded_by and when is not None
              and given_at is not None and abs(when - given_at) <= SAME_DOSE_WITHIN)
    if agrees:
        return _about(Action.ALSO_TICKED, before, f"Also ticked on {where}{at}.",
                      entry_id=entry_id)
    name = names.get(recorded_by, "") if recorded_by is not None else ""
    record = ("the app has it given" + (f" by {name}" if name else "")
              + (f" at {_clock(given_at, zone)}" if given_at else ""))
    when_words = at if when else " (the phone gave no time)"
    return _about(Action.TICKED_TWICE, before,
                  f"Also ticked on {where}{when_words}, but {record}. "
                  "Check it was not given twice.", entry_id=entry_id)


def sent_from(tasks: Iterable[SharedTask]) -> dict[str, SentTask]:
    """What putting ``tasks`` on the server leaves there, by UID."""
    return {t.uid: SentTask(t.uid, t.medicine_id, t.occurrence_key, t.status,
                            t.fingerprint()) for t in tasks}


@dataclass(frozen=True)
class DaysSetting:
    """A number of days the household sets (the days ahead on the phones, the days a
    past dose's task is kept): the one rule for the sharing dialog and the stored
    settings."""

    name: str
    what: str  # "Days ahead", for the message
    default: int
    most: int
    least: int = 0

    def problem(self, text: str) -> str:
        """Why ``text`` is not a number of days this setting may take ("" when fine)."""
        text = text.strip()
        if not text:
            return f"{self.what}: enter a number of days ({self.default} is usual)."
        if not text.isdecimal() or not self.least <= int(text) <= self.most:
            return (f"{self.what}: a whole number of days from {self.least} to "
                    f"{self.most}, not \"{text[:12]}\".")
        return ""

    def parse(self, text: str) -> int:
        """``text`` as a number of days; ValidationError naming this setting when it is
        not one."""
        problem = self.problem(text)
        if problem:
            raise ValidationError({self.name: problem})
        return int(text.strip())


WINDOW_SETTING = DaysSetting("window_days", "Days ahead", DEFAULT_WINDOW_DAYS,
                             MAX_WINDOW_DAYS)
KEEP_SETTING = DaysSetting("keep_days", "Days kept after", DEFAULT_KEEP_DAYS, MAX_KEEP_DAYS)


def share_days(window: str, keep: str) -> tuple[int, int]:
    """The window's days ahead and the days kept behind, from what was typed;
    ValidationError with a message for each field that is not a number of days."""
    problems = {s.name: s.problem(t) for s, t in ((WINDOW_SETTING, window),
                                                   (KEEP_SETTING, keep))}
    problems = {name: message for name, message in problems.items() if message}
    if problems:
        raise ValidationError(problems)
    return int(window.strip()), int(keep.strip())


def window_days(today: date, *, days: int = DEFAULT_WINDOW_DAYS,
                keep_days: int = DEFAULT_KEEP_DAYS) -> tuple[date, date]:
    """The local days whose doses are on the phones: ``keep_days`` before today (their
    tasks stay a while, ticked or not) to ``days`` days after today."""
    return today - timedelta(days=keep_days), today + timedelta(days=days)




# ---- The household's sharing settings and what is on the server


_PIN = re.compile(r"[0-9a-f]{64}")


def fingerprint_words(pin: str) -> str:
    """A SHA-256 fingerprint as a person compares it with the server owner's: "C6:E9:…"
    in two lines of 16 pairs."""
    pairs = [pin[i:i + 2].upper() for i in range(0, len(pin), 2)]
    return "\n".join(":".join(pairs[i:i + 16]) for i in range(0, len(pairs), 16))


@dataclass(frozen=True)
class ShareConfig:
    """How this household shares (kept in the records; the password never is)."""

    enabled: bool = False
    server: str = ""  # the address, as discovery found it
    username: str = ""
    discreet: bool = False
    window_days: int = DEFAULT_WINDOW_DAYS
    keep_days: int = DEFAULT_KEEP_DAYS
    #: who a tick on a phone is recorded as given by, and what that account is in words
    giver_id: int | None = None
    device: str = ""
    #: the person saw what will leave the computer and said yes
    confirmed: bool = False
    #: the SHA-256 fingerprint (64 hex digits) of the server's certificate a person
    #: confirmed, for a server whose certificate no known authority signed; "" for none
    pin: str = ""
    #: how this server last accepted this user's password ("basic"; "" not known): a
    #: sync sends the password with its first request instead of waiting to be asked
    #: (``login_texts``; not a secret, and not among ``texts``: only a sync learns it,
    #: and a change of server or user name forgets it)
    login: str = ""

    def texts(self) -> dict[str, str]:
        return {"enabled": "1" if self.enabled else "0", "server": self.server,
                "username": self.username, "discreet": "1" if self.discreet else "0",
                "window_days": str(self.window_days), "keep_days": str(self.keep_days),
                "giver_id": "" if self.giver_id is None else str(self.giver_id),
                "device": self.device, "confirmed": "1" if self.confirmed else "0",
                "pin": self.pin}

    @classmethod
    def from_texts(cls, texts: Mapping[str, str]) -> ShareConfig:
        """From stored texts; a value that does not read falls back to its default (and
        sharing stays off when the address is not one it may use)."""
        def flag(key: str) -> bool:
            return texts.get(key, "0") == "1"

        def days(setting: DaysSetting) -> int:
            text = texts.get(setting.name, "")
            return setting.default if setting.problem(text) else int(text)

        giver = texts.get("giver_id", "")
        server = texts.get("server", "")
        return cls(enabled=flag("enabled") and not server_url_problem(server),
                   server=server, username=texts.get("username", ""),
                   discreet=flag("discreet"),
                   window_days=days(WINDOW_SETTING), keep_days=days(KEEP_SETTING),
                   giver_id=int(giver) if giver.isdigit() else None,
                   device=texts.get("device", ""), confirmed=flag("confirmed"),
                   pin=pin if _PIN.fullmatch(pin := texts.get("pin", "")) else "",
                   login=_login(texts, server, texts.get("username", "")))

    @staticmethod
    def login_texts(server: str, username: str, login: str) -> dict[str, str]:
        """What to keep of how ``server`` accepted ``username``'s password (``login``:
        "basic"; anything else forgets it), tied to them."""
        known = login if login in LOGIN_SCHEMES else ""
        return {"login": known, "login_for": f"{username}@{server}" if known else ""}


#: The ways of logging in the records remember (caldav's ``auth_type``): "basic" only,
#: the one whose password can go with a connection's first request ("digest" needs the
#: server's challenge on every new connection anyway).
LOGIN_SCHEMES = ("basic",)


def _login(texts: Mapping[str, str], server: str, username: str) -> str:
    """The kept log-in scheme, when it was learned for this very server and user."""
    login = texts.get("login", "")
    if login in LOGIN_SCHEMES and texts.get("login_for") == f"{username}@{server}":
        return login
    return ""


class ItemKind(StrEnum):
    TASK = "task"
    EVENT = "event"
    CARD = "card"


@dataclass(frozen=True)
class ServerItem:
    """One thing the app put on the server, as it was left there: where (``href``), its
    ETag (to change it only if nobody else did since), and what it said."""

    uid: str
    kind: ItemKind
    href: str
    etag: str
    fingerprint: str
    status: TaskStatus | None = None  # a task's status as last seen on the server
    medicine_id: int | None = None
    occurrence_key: str = ""
    starts_at: datetime | None = None  # a task's due time, an event's start
    sequence: int = 0

    def as_sent(self) -> SentTask:
        return SentTask(self.uid, self.medicine_id, self.occurrence_key,
                        self.status or TaskStatus.NEEDS_ACTION, self.fingerprint)


@dataclass(frozen=True)
class ShareNote:
    """What a phone did that a person should know about (``Incoming`` kept)."""

    action: Action
    uid: str
    message: str
    noted_at: datetime
    medicine_id: int | None = None
    occurrence_key: str = ""
    entry_id: int | None = None
    id: int | None = None
    seen_at: datetime | None = None  # when a person marked it seen (None: not yet)
    settled_at: datetime | None = None  # when its dose was recorded again in the app


__all__ = [
    "DEFAULT_KEEP_DAYS",
    "DEFAULT_WINDOW_DAYS",
    "KEEP_SETTING",
    "LOGIN_SCHEMES",
    "SAME_DOSE_WITHIN",
    "SETTINGS_MENU",
    "WINDOW_SETTING",
    "Action",
    "DaysSetting",
    "Incoming",
    "ItemKind",
    "RemoteTask",
    "SaidIn",
    "SentTask",
    "ServerItem",
    "ShareConfig",
    "ShareNote",
    "SharedTask",
    "TaskStatus",
    "account_not_allowed",
    "certificate_changed",
    "certificate_changed_asked",
    "certificate_untrusted",
    "dose_tasks",
    "fingerprint_words",
    "history_words",
    "incoming",
    "list_names",
    "moved_elsewhere",
    "password_not_kept",
    "password_refused",
    "sent_from",
    "server_url",
    "server_url_problem",
    "share_days",
    "window_days",
]
