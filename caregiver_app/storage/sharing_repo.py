"""What sharing keeps in the records (``migrations.sharing``): its settings, the
server's collections and sync-tokens, what the app put there, and the phones' notes."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlite_utils import Database

from caregiver_app.domain.sharing import (
    Action,
    Incoming,
    ItemKind,
    ServerItem,
    ShareConfig,
    ShareNote,
    TaskStatus,
)
from caregiver_app.storage.timestamps import moment_to_text, text_to_moment, utc_now_text

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

    # ---- settings

    def config(self) -> ShareConfig:
        if not self._db.table("sharing_config").exists():  # not yet migrated (read-only)
            return ShareConfig()
        rows = self._db.execute("SELECT key, value FROM sharing_config").fetchall()
        return ShareConfig.from_texts(dict(rows))

    def save_config(self, config: ShareConfig) -> None:
        now = utc_now_text()
        with self._db.atomic():
            for key, value in config.texts().items():
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
        where = "WHERE seen_at IS NULL" if unseen_only else ""
        rows = self._db.execute(
            "SELECT id, action, uid, message, noted_at, medicine_id, occurrence_key, "
            f"entry_id, seen_at FROM sharing_notes {where} ORDER BY id").fetchall()
        return [ShareNote(action=Action(action), uid=uid, message=message,
                          noted_at=text_to_moment(noted), medicine_id=medicine_id,
                          occurrence_key=key, entry_id=entry_id, id=id_,
                          seen_at=text_to_moment(seen) if seen else None)
                for id_, action, uid, message, noted, medicine_id, key, entry_id, seen
                in rows]

    def unseen_count(self) -> int:
        """How many notes no person has marked seen yet."""
        if not self._db.table("sharing_notes").exists():  # not yet migrated (read-only)
            return 0
        return self._db.execute(
            "SELECT count(*) FROM sharing_notes WHERE seen_at IS NULL").fetchone()[0]

    def mark_seen(self, note_ids: Iterable[int], now: datetime) -> None:
        """A person saw these notes (a note already seen keeps its first time)."""
        with self._db.atomic():
            self._db.conn.executemany(
                "UPDATE sharing_notes SET seen_at = ? WHERE id = ? AND seen_at IS NULL",
                [(moment_to_text(now), i) for i in note_ids])


__all__ = ["SharingRepository"]
