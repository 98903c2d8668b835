"""A phone's address book app in tests: an independent CardDAV client of its own
(plain WebDAV requests through ``caldav.DAVClient``, vCards edited with ``vobject``)."""

from __future__ import annotations

import caldav
import vobject

BOOK = "Jane's care team"


class CardPhone:
    """Ana's phone: a CardDAV client of its own, on her account."""

    def __init__(self, server):
        self.client = caldav.DAVClient(url=server.url, username="ana", password="ana-secret")
        self.root = server.url

    def book(self) -> str:
        """The address book named "Jane's care team" (found as a phone finds it)."""
        home = self.client.propfind(self.root + "ana/", depth=1)
        found = [r.href for r in home.results
                 if r.properties.get("{DAV:}displayname") == BOOK]
        assert len(found) == 1, [r.properties for r in home.results]
        return str(self.client.url.join(found[0]))

    def cards(self) -> dict[str, tuple[str, object]]:
        """Every card by name: (its address, the card)."""
        listing = self.client.propfind(self.book(), depth=1)
        found = {}
        for result in listing.results:
            href = str(self.client.url.join(result.href))
            if href.endswith(".vcf"):
                card = vobject.readOne(self.client.request(href, "GET").raw)
                found[card.fn.value] = (href, card)
        return found

    def edit(self, name: str, change) -> None:
        href, card = self.cards()[name]
        change(card)
        assert self.client.put(href, card.serialize(),
                               {"Content-Type": "text/vcard"}).status in (201, 204)

    def add(self, text: str, name: str = "new.vcf") -> None:
        assert self.client.put(self.book() + name, text,
                               {"Content-Type": "text/vcard"}).status == 201

    def delete(self, name: str) -> None:
        assert self.client.delete(self.cards()[name][0]).status in (200, 204)

    def close(self):
        self.client.close()
