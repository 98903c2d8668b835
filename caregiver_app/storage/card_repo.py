"""The care team's cards on the sharing server (``migrations.sharing_cards``)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from caregiver_app.domain.contact_sync import CardState, SharedCard

if TYPE_CHECKING:
    from sqlite_utils import Database

_COLUMNS = "uid, href, contact_id, etag, base, remote, state"


def _card(row) -> SharedCard:
    uid, href, contact_id, etag, base, remote, state = row
    return SharedCard(uid=uid, href=href, contact_id=contact_id, etag=etag, base=base,
                      remote=remote, state=CardState(state))


class CardRepository:
    def __init__(self, db: Database):
        self._db = db

    def cards(self) -> dict[str, SharedCard]:
        """Every card, by UID."""
        rows = self._db.execute(f"SELECT {_COLUMNS} FROM sharing_cards").fetchall()
        return {row[0]: _card(row) for row in rows}

    def waiting(self) -> list[SharedCard]:
        """The cards a person must decide about, oldest first."""
        rows = self._db.execute(
            f"SELECT {_COLUMNS} FROM sharing_cards WHERE state IN (?, ?, ?) ORDER BY rowid",
            [CardState.CONFLICT.value, CardState.GONE_THERE.value,
             CardState.GONE_HERE.value]).fetchall()
        return [_card(row) for row in rows]

    def save(self, cards: Iterable[SharedCard]) -> None:
        rows = [(c.uid, c.href, c.contact_id, c.etag, c.base, c.remote, c.state.value)
                for c in cards]
        with self._db.atomic():
            self._db.conn.executemany(
                f"INSERT OR REPLACE INTO sharing_cards ({_COLUMNS}) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)", rows)

    def remove(self, uids: Iterable[str]) -> None:
        with self._db.atomic():
            self._db.conn.executemany("DELETE FROM sharing_cards WHERE uid = ?",
                                      [(u,) for u in uids])

    def forget(self) -> None:
        """Forget the address book's cards (sharing turned off); the contacts stay."""
        self._db.execute("DELETE FROM sharing_cards")


__all__ = ["CardRepository"]
