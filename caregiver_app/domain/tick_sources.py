"""Whose phone ticked a dose, and where a dose record made from a tick came from.

Phones take part through their own task apps, so the app can tell a tick's phone only
by what reaches the server: the **account** it was read through and the **phone's
app**, which names itself in each task it writes back (the task's PRODID: an iPhone's
Reminders writes "-//Apple Inc.//iPhone OS 17.2//EN", DAVx5 with jtx Board
"+//IDN bitfire.at//ical4android (at.techbee.jtx)"). ``client_name`` turns that into
words ("iPhone or iPad", "Android (jtx Board)").

The household says which is whose (``Phone``: "Ana's iPhone = Ana Helper": this
account, this phone's app, this caregiver); ``who_ticked`` picks the mapping that fits a
tick best (account and app, then app, then account, then the household's default).

``DoseSource`` is the source of one dose record made from a tick, kept beside the record
(never in it): which phone and account, the phone's own time, and whether the record's
time is the phone's or the sync's (flagged: the phone gave none, or one still to come).
Plain Python.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum
from zoneinfo import ZoneInfo

from caregiver_app.domain.history import HistoryItem
from caregiver_app.domain.localtime import to_utc, weekday_date

MAX_PHONE_NAME = 80

#: Known phone apps: a pattern found in the PRODID (lower case) and the app in words,
#: the most specific first.
_CLIENTS = (
    ("at.techbee.jtx", "Android (jtx Board)"),
    ("org.tasks", "Android (Tasks.org)"),
    ("tasks.org", "Android (Tasks.org)"),
    ("opentasks", "Android (OpenTasks)"),
    ("bitfire", "Android (DAVx5)"),
    ("ical4android", "Android (DAVx5)"),
    ("iphone os", "iPhone or iPad"),
    ("ios ", "iPhone or iPad"),
    ("ipad", "iPhone or iPad"),
    ("mac os", "Mac"),
    ("macos", "Mac"),
    ("mozilla", "Thunderbird"),
    ("thunderbird", "Thunderbird"),
    ("nextcloud", "Nextcloud in a browser"),
    ("sabre", "Nextcloud in a browser"),
    ("evolution", "Evolution"),
    ("outlook", "Outlook"),
    ("microsoft", "Outlook"),
    ("google", "Google"),
)


def client_name(prodid: str, *, own: str = "") -> str:
    """The phone's app a task was last written by, in words, from its PRODID; "" when it
    is the app's own (``own``: this app's PRODID) or none. An app not known by name is
    named by its PRODID's product part ("-//Acme//Acme Tasks 2.0//EN" → "Acme Tasks
    2.0")."""
    text = " ".join(prodid.split())
    if not text or (own and text == own):
        return ""
    low = text.lower() + " "
    for pattern, name in _CLIENTS:
        if pattern in low:
            return name
    parts = [p.strip() for p in re.split(r"//", text) if p.strip(" -+")]
    product = parts[1] if len(parts) > 1 else parts[0] if parts else text
    return product.strip(" -+")[:MAX_PHONE_NAME]


@dataclass(frozen=True)
class Phone:
    """ "Ana's iPhone = Ana Helper": ticks read through ``account`` ("" any) written by
    ``client`` ("" any phone app) are Ana's."""

    name: str
    caregiver_id: int | None
    account: str = ""
    client: str = ""
    id: int | None = None

    def fit(self, account: str, client: str) -> int:
        """How well this mapping fits a tick (-1: not at all; higher is closer)."""
        if self.account and self.account != account:
            return -1
        if self.client and self.client != client:
            return -1
        return (2 if self.client else 0) + (1 if self.account else 0)

    def problems(self) -> dict[str, str]:
        """What is wrong with it, by field ("" name, a name too long)."""
        errors = {}
        name = self.name.strip()
        if not name:
            errors["name"] = "Name the phone, for example Ana's iPhone."
        elif len(name) > MAX_PHONE_NAME:
            errors["name"] = f"Keep the name to {MAX_PHONE_NAME} characters."
        return errors


def who_ticked(phones: Iterable[Phone], account: str, client: str, *,
               default_giver: int | None, default_device: str) -> tuple[str, int | None]:
    """The phone in words and the caregiver a tick is recorded as given by: the mapping
    that fits best (``Phone.fit``; the first of equals), else the household's default
    (the sharing dialog's "Ticks given by")."""
    best: Phone | None = None
    score = -1
    for phone in phones:
        fit = phone.fit(account, client)
        if fit > score:
            best, score = phone, fit
    if best is not None:
        return best.name, best.caregiver_id
    if default_device:
        return default_device, default_giver
    if client:
        return f"a phone ({client}{f', account {account}' if account else ''})", default_giver
    return (f"a phone ({account})" if account else "a phone"), default_giver


class TimeFrom(StrEnum):
    PHONE = "phone"  # the phone's completion time
    SYNC = "sync"  # the time of the sync: the phone gave none, or one still to come


@dataclass(frozen=True)
class DoseSource:
    """Where a dose record made from a phone's tick came from."""

    entry_id: int
    device: str  # "Ana's iPhone"
    account: str
    client: str  # "iPhone or iPad" ("" not known)
    phone_time: datetime | None  # what the phone said (aware), None: it said nothing
    time_from: TimeFrom
    synced_at: datetime  # when the app learned of the tick

    @property
    def flagged(self) -> bool:
        """The record's time is not the phone's but the sync's: a person may want to
        check it."""
        return self.time_from is TimeFrom.SYNC

    def words(self, zone: ZoneInfo) -> str:
        """In a sentence, for History: "Ticked on Ana's iPhone (account ana, iPhone or
        iPad); the time is the phone's." / "…; the phone gave no time: the time is when
        the app learned of it, Mon 5 Jan 08:30."."""
        details = ", ".join(p for p in (self.account and f"account {self.account}",
                                        self.client) if p)
        head = f"Ticked on {self.device or 'a phone'}" + (f" ({details})" if details
                                                            else "")
        if not self.flagged:
            return f"{head}; the time is the phone's."
        synced = to_utc(self.synced_at).astimezone(zone)
        when = f"{weekday_date(synced)} {synced:%H:%M}"
        if self.phone_time is None:
            why = "the phone gave no time"
        else:
            said = to_utc(self.phone_time).astimezone(zone)
            why = f"the phone's time ({weekday_date(said)} {said:%H:%M}) was still to come"
        return f"{head}; {why}: the time is when the app learned of it, {when}."


def with_sources(items: Sequence[HistoryItem], sources: Mapping[int, DoseSource],
                 zone: ZoneInfo, also_ticked: Mapping[int, Sequence[str]] | None = None
                 ) -> list[HistoryItem]:
    """``items`` (a medicine's history) with each dose record made from a phone's tick
    saying so (the phone, and a flag when its time is the sync's), and each record a
    phone ticked too after the app recorded it saying that (``also_ticked``: the notes'
    words by record, "Also ticked on Ana's iPhone at 08:12.")."""
    also_ticked = also_ticked or {}
    out = []
    for item in items:
        if item.entry_id is None:
            out.append(item)
            continue
        source, also = sources.get(item.entry_id), also_ticked.get(item.entry_id)
        if also:
            item = replace(item, also_ticked=tuple(also))
        if source is not None:
            item = replace(item, source=source.device or "a phone",
                           source_flagged=source.flagged,
                           detail=" ".join(p for p in (source.words(zone), item.detail)
                                           if p))
        out.append(item)
    return out


def known_clients() -> list[str]:
    """The phone apps known by name, for a person to choose from."""
    return sorted({name for _pattern, name in _CLIENTS})


__all__ = ["DoseSource", "Phone", "TimeFrom", "client_name", "known_clients", "who_ticked",
           "with_sources"]
