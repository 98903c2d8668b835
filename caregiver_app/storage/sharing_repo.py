"""What sharing keeps in the records (``migrations.sharing``): its settings, the
server's collections and sync-tokens, what the app put there, and the phones' notes."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, tzinfo
from typing import TYPE_CHECKING

from caregiver_app.domain.phone_notes import SETTLED_BY_A_RECORD
from caregiver_app.domain.sharing import (
    Action,
    Incoming,
    ItemKind,
    ServerItem,
    ShareConfig,
    ShareNote,
    TaskStatus,
)
from caregiver_app.domain.tick_sources import DoseSource, Phone, TimeFrom
from caregiver_app.storage.rows import table_exists
from caregiver_app.storage.timestamps import moment_to_text, text_to_moment, utc_now_text

if TYPE_CHECKING:
    from sqlite_utils import Database

#: When a note about a dose was settled: the first record of that dose made in the app
#: after the note came in (``domain.phone_notes``): a correction of the record the note
#: names, or, when it names none, any record of the dose since; never one a phone made.
_SETTLED_AT = (
    "(SELECT min(e.recorded_at) FROM dose_entries e "
    "WHERE n.action IN ({actions}) AND n.medicine_id IS NOT NULL "
    "AND n.occurrence_key != '' AND e.medicine_id = n.medicine_id "
    "AND e.occurrence_key = n.occurrence_key "
    "AND CASE WHEN n.entry_id IS NULL THEN e.recorded_at >= n.noted_at "
    "ELSE e.id > n.entry_id END "
    "AND NOT EXISTS (SELECT 1 FROM dose_sources s WHERE s.entry_id = e.id))").format(
        actions=", ".join(f"'{a.value}'" for a in SETTLED_BY_A_RECORD))

_ITEM_COLUMNS = ("uid, kind, href, etag, fingerprint, status, medicine_id, occurrence_key, "
                 "starts_at, sequence")


def _item(row) -> ServerItem:
    uid, kind, href, etag, fingerprint, status, medicine_id, key, starts_at, sequence = row
    return ServerItem(uid=uid, kind=ItemKind(kind), href=href, etag=etag,
                      fingerprint=fingerprint, status=TaskStatus(status) if status else None,
                      medicine_id=medicine_id, occurrence_key=key,
                      starts_at=text_to_moment(starts_at), sequence=int(sequence))


class SharingRepository:
    def __init__(self, db: Database):
        self._db = db

    def atomic(self):
        """A transaction for several writes (nests as a savepoint)."""
        return self._db.atomic()

    # ---- settings

    def config(self) -> ShareConfig:
        if not table_exists(self._db, "sharing_config"):  # not yet migrated (read-only)
            return ShareConfig()
        rows = self._db.execute("SELECT key, value FROM sharing_config").fetchall()
        return ShareConfig.from_texts(dict(rows))

    def save_config(self, config: ShareConfig) -> None:
        self._save_texts(config.texts())

    def keep_login(self, server: str, username: str, login: str) -> None:
        """Keep how ``server`` accepted ``username``'s password (``ShareConfig.login``;
        "" forgets it): these two settings only, so a sync never writes back the other
        settings as they were when it started."""
        self._save_texts(ShareConfig.login_texts(server, username, login))

    def _save_texts(self, texts: dict[str, str]) -> None:
        now = utc_now_text()
        with self._db.atomic():
            for key, value in texts.items():
                self._db.execute(
                    "INSERT INTO sharing_config (key, value, updated_at) VALUES (?, ?, ?) "
                    "ON CONFLICT (key) DO UPDATE SET value = excluded.value, "
                    "updated_at = excluded.updated_at WHERE value IS NOT excluded.value",
                    [key, value, now])

    # ---- collections on the server

    def collections(self) -> dict[ItemKind, tuple[str, str]]:
        """Each collection's address and sync-token, by kind."""
        rows = self._db.execute(
            "SELECT kind, url, sync_token FROM sharing_collections").fetchall()
        return {ItemKind(kind): (url, token) for kind, url, token in rows}

    def save_collection(self, kind: ItemKind, url: str, token: str = "") -> None:
        self._db.execute(
            "INSERT INTO sharing_collections (kind, url, sync_token) VALUES (?, ?, ?) "
            "ON CONFLICT (kind) DO UPDATE SET url = excluded.url, "
            "sync_token = excluded.sync_token", [kind.value, url, token])

    # ---- what is on the server

    def items(self, kind: ItemKind | None = None) -> dict[str, ServerItem]:
        where, args = ("WHERE kind = ?", [kind.value]) if kind else ("", [])
        rows = self._db.execute(f"SELECT {_ITEM_COLUMNS} FROM sharing_items {where}",
                                args).fetchall()
        return {row[0]: _item(row) for row in rows}

    def save_items(self, items: Iterable[ServerItem]) -> None:
        rows = [(i.uid, i.kind.value, i.href, i.etag, i.fingerprint,
                 i.status.value if i.status else None, i.medicine_id, i.occurrence_key,
                 moment_to_text(i.starts_at), i.sequence) for i in items]
        with self._db.atomic():
            self._db.conn.executemany(
                f"INSERT OR REPLACE INTO sharing_items ({_ITEM_COLUMNS}) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)

    def remove_items(self, uids: Iterable[str]) -> None:
        with self._db.atomic():
            self._db.conn.executemany("DELETE FROM sharing_items WHERE uid = ?",
                                      [(u,) for u in uids])

    def forget_server(self) -> None:
        """Forget the collections and what is on them (sharing turned off); the notes and
        the dose records stay."""
        with self._db.atomic():
            self._db.execute("DELETE FROM sharing_items")
            self._db.execute("DELETE FROM sharing_collections")
            self._db.execute("DELETE FROM sharing_cards")  # the address book's

    # ---- what phones did

    def add_notes(self, found: Iterable[Incoming], now: datetime) -> None:
        rows = [(f.action.value, f.uid, f.message, moment_to_text(now), f.medicine_id,
                 f.occurrence_key, f.entry_id) for f in found]
        with self._db.atomic():
            self._db.conn.executemany(
                "INSERT INTO sharing_notes (action, uid, message, noted_at, medicine_id, "
                "occurrence_key, entry_id) VALUES (?, ?, ?, ?, ?, ?, ?)", rows)

    def notes(self, *, unseen_only: bool = True) -> list[ShareNote]:
        """The notes (``unseen_only``: those no person has marked seen and nobody has
        settled by recording their dose again), each with when it was settled."""
        where = ("WHERE seen_at IS NULL AND settled_at IS NULL" if unseen_only else "")
        rows = self._db.execute(
            "SELECT * FROM (SELECT id, action, uid, message, noted_at, medicine_id, "
            f"occurrence_key, entry_id, seen_at, {self._settled_at()} AS settled_at "
            f"FROM sharing_notes n) {where} ORDER BY id").fetchall()
        return [ShareNote(action=Action.read(action), uid=uid, message=message,
                          noted_at=text_to_moment(noted), medicine_id=medicine_id,
                          occurrence_key=key, entry_id=entry_id, id=id_,
                          seen_at=text_to_moment(seen) if seen else None,
                          settled_at=text_to_moment(settled) if settled else None)
                for id_, action, uid, message, noted, medicine_id, key, entry_id, seen,
                settled in rows]

    def also_ticked(self, entry_ids: Iterable[int], zone: tzinfo = UTC,
                    ) -> dict[int, list[str]]:
        """What the phones' notes say about those of ``entry_ids`` (seen or not: History
        shows them beside their record), by record, oldest first: "Also ticked on Ana's
        iPhone at 08:12." (ticked after the app recorded it), and the un-ticks, "Un-ticked
        on Ana's iPhone before Mon 5 Jan 08:30; ⚑ to check." (times in ``zone``; those
        that ask a person flagged until seen or settled: ``history_words``)."""
        from caregiver_app.domain.sharing import history_words

        ids = list(entry_ids)
        if not ids or not table_exists(self._db, "sharing_notes"):
            return {}
        found: dict[int, list[str]] = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            rows = self._db.execute(
                "SELECT entry_id, action, message, noted_at, seen_at, "
                f"{self._settled_at()} FROM sharing_notes n "
                "WHERE action IN (?, ?, ?) AND "
                f"entry_id IN ({', '.join('?' * len(chunk))}) ORDER BY id",
                [Action.ALSO_TICKED.value, Action.TICKED_TWICE.value,
                 Action.UNTICKED.value, *chunk]).fetchall()
            for entry_id, action, message, noted_at, seen_at, settled_at in rows:
                found.setdefault(entry_id, []).append(history_words(
                    Action.read(action), message, text_to_moment(noted_at), zone,
                    seen_at=text_to_moment(seen_at), settled_at=text_to_moment(settled_at)))
        return found

    def unseen_count(self) -> int:
        """How many notes no person has marked seen or settled yet."""
        if not table_exists(self._db, "sharing_notes"):  # not yet migrated (read-only)
            return 0
        return self._db.execute(
            f"SELECT count(*) FROM sharing_notes n WHERE seen_at IS NULL "
            f"AND {self._settled_at()} IS NULL").fetchone()[0]

    def _settled_at(self) -> str:
        """The SQL of a note's ``settled_at`` (NULL in records from before phones' records
        had sources, opened read-only: nothing is settled there)."""
        return _SETTLED_AT if table_exists(self._db, "dose_sources") else "NULL"

    def mark_seen(self, note_ids: Iterable[int], now: datetime) -> None:
        """A person saw these notes (a note already seen keeps its first time)."""
        with self._db.atomic():
            self._db.conn.executemany(
                "UPDATE sharing_notes SET seen_at = ? WHERE id = ? AND seen_at IS NULL",
                [(moment_to_text(now), i) for i in note_ids])

    # ---- whose phone is which

    def phones(self) -> list[Phone]:
        """The household's "Ana's iPhone = Ana Helper" mappings, in the order made."""
        if not table_exists(self._db, "sharing_phones"):  # not yet migrated (read-only)
            return []
        rows = self._db.execute("SELECT id, name, caregiver_id, account, client "
                                "FROM sharing_phones ORDER BY id").fetchall()
        return [Phone(name=name, caregiver_id=caregiver_id, account=account, client=client,
                      id=id_) for id_, name, caregiver_id, account, client in rows]

    def save_phones(self, phones: Iterable[Phone]) -> None:
        """Keep exactly these mappings (a setting: the list is replaced whole)."""
        rows = [(p.name.strip(), p.caregiver_id, p.account.strip(), p.client.strip())
                for p in phones]
        with self._db.atomic():
            self._db.execute("DELETE FROM sharing_phones")
            self._db.conn.executemany(
                "INSERT INTO sharing_phones (name, caregiver_id, account, client) "
                "VALUES (?, ?, ?, ?)", rows)

    def phones_seen(self) -> list[tuple[str, str]]:
        """Each (account, phone's app) ticks have come from, most recent first."""
        if not table_exists(self._db, "dose_sources"):
            return []
        rows = self._db.execute(
            "SELECT account, client FROM dose_sources GROUP BY account, client "
            "ORDER BY max(synced_at) DESC").fetchall()
        return [(account, client) for account, client in rows]

    # ---- where dose records from phones came from

    def add_source(self, source: DoseSource) -> None:
        """Note where a dose record made from a tick came from (once: append-only)."""
        self._db.execute(
            "INSERT INTO dose_sources (entry_id, device, account, client, phone_time, "
            "time_from, synced_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [source.entry_id, source.device, source.account, source.client,
             moment_to_text(source.phone_time), source.time_from.value,
             moment_to_text(source.synced_at)])

    def sources(self, entry_ids: Iterable[int]) -> dict[int, DoseSource]:
        """The sources of those of ``entry_ids`` that came from a phone, by entry id."""
        ids = list(entry_ids)
        if not ids or not table_exists(self._db, "dose_sources"):
            return {}
        found: dict[int, DoseSource] = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            rows = self._db.execute(
                "SELECT entry_id, device, account, client, phone_time, time_from, "
                f"synced_at FROM dose_sources WHERE entry_id IN "
                f"({', '.join('?' * len(chunk))})", chunk).fetchall()
            for entry_id, device, account, client, phone_time, time_from, synced in rows:
                found[entry_id] = DoseSource(
                    entry_id=entry_id, device=device, account=account, client=client,
                    phone_time=text_to_moment(phone_time) if phone_time else None,
                    time_from=TimeFrom(time_from), synced_at=text_to_moment(synced))
        return found


__all__ = ["SharingRepository"]
