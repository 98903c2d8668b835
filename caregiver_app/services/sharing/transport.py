"""The server, through the maintained ``caldav`` client: discovery, the app's task list
and calendar, incremental changes (RFC 6578 sync-tokens, ETags otherwise), and writes
that never overwrite what someone else changed since (``If-Match``).

Every failure comes out as a ``ShareError`` whose ``message`` says in plain words what
happened and what to do ("The server refused the password; check it in File ▸
Share with the family…"), and whether trying again later may help (``retry``).

``caldav`` is imported here only, and this module only when sharing runs.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, unquote, urljoin, urlsplit

from caregiver_app.domain.sharing import (
    ItemKind,
    SaidIn,
    account_not_allowed,
    certificate_changed,
    certificate_untrusted,
    moved_elsewhere,
    password_refused,
    server_url,
    server_url_problem,
)

TIMEOUT_SECONDS = 20
_COMPONENTS = {ItemKind.TASK: ["VTODO"], ItemKind.EVENT: ["VEVENT"]}
_CONTENT_TYPE = {"Content-Type": "text/calendar; charset=utf-8"}
CARD_TYPE = "text/vcard; charset=utf-8"
#: Items read in one calendar-multiget REPORT (servers limit a request's size).
MULTIGET_BATCH = 200
#: How each server asked this process to log in, by (address, user name): later
#: connections send the password with their first request instead of waiting to be
#: asked for it (Radicale, for one, answers a request without it after a delay: about
#: 0.7 s of every sync). Forgotten when the server refuses it. A new process (a
#: scheduled ``caregiver-app sync``) starts from the scheme the records keep
#: (``ShareConfig.login``, given as ``login``; kept again from ``Transport.login``).
_LOGIN: dict[tuple[str, str], str] = {}
_LOGIN_SCHEMES = {"HTTPBasicAuth": "basic", "HTTPDigestAuth": "digest"}


CARDDAV = "urn:ietf:params:xml:ns:carddav"


@functools.cache
def _card_elements() -> Any:
    """CardDAV's XML elements (RFC 6352), made as ``caldav`` makes its own (subclasses
    of its ``BaseElement`` naming the tag): caldav has WebDAV's and CalDAV's only."""
    from types import SimpleNamespace

    from caldav.elements.base import BaseElement

    tags = {"AddressBookHomeSet": "addressbook-home-set", "AddressBook": "addressbook",
            "AddressData": "address-data", "AddressbookMultiget": "addressbook-multiget"}
    return SimpleNamespace(**{name: type(name, (BaseElement,), {"tag": f"{{{CARDDAV}}}{tag}"})
                              for name, tag in tags.items()})


def _xml(element: Any, *children: Any) -> Any:
    """``element`` with ``children`` in it (``caldav``'s elements)."""
    return element.append(list(children))


def _canonical(url: str) -> str:
    """One spelling of an address, however the server quoted it ("%40" or "@"), so the
    addresses the app keeps compare with those a server lists."""
    parts = urlsplit(url)
    return parts._replace(path=quote(unquote(parts.path), safe="/")).geturl()


def _full(client: Any, href: str) -> str:
    """``href`` as a full address without its final slash, to compare two addresses."""
    return str(client.url.join(href)).rstrip("/")


class ShareError(Exception):
    """A sync step failed; ``message`` is for the person, ``retry`` says whether trying
    again later may work (a network or server problem) or a person must act first.

    ``message`` is said anywhere but the sharing settings (the status bar, a command's
    output), so its advice names the menu; ``in_settings``, where it differs, is the same
    said inside File ▸ Share with the family…, naming the field there (``said``)."""

    def __init__(self, message: str, *, retry: bool, status: int | None = None,
                 kind: str = "", in_settings: str = ""):
        super().__init__(message)
        self.message = message
        self.retry = retry
        self.status = status
        #: "network", "timeout", "tls", "dav" (a request refused), "moved" (sent on to
        #: another server, which asked for the password), or "" (see status)
        self.kind = kind
        self.in_settings = in_settings or message

    def said(self, where: SaidIn) -> str:
        """The message as said ``where`` it is shown."""
        return self.in_settings if where is SaidIn.SETTINGS else self.message


class Precondition(Exception):
    """Somebody changed the item on the server since the app last read it (HTTP 412)."""


def worded(said: Callable[[SaidIn], str], *, retry: bool, status: int | None = None,
           kind: str = "") -> ShareError:
    """A ``ShareError`` whose words (``said``, from ``domain.sharing``) differ by where
    they show: the status bar and ``caregiver-app sync``, and the sharing dialog."""
    return ShareError(said(SaidIn.ELSEWHERE), retry=retry, status=status, kind=kind,
                      in_settings=said(SaidIn.SETTINGS))


def _http_error(status: int) -> ShareError:
    if status == 401:
        return worded(password_refused, retry=False, status=status)
    if status == 403:
        return worded(account_not_allowed, retry=False, status=status)
    if status == 404:
        return ShareError("A list the app uses is no longer on the server; the app makes "
                          "it again at the next sync.", retry=True, status=status)
    if status >= 500:
        return ShareError(f"The server had a problem (HTTP {status}); the app tries "
                          "again later.", retry=True, status=status)
    return ShareError(f"The server answered HTTP {status}; the app tries again later.",
                      retry=True, status=status)


def moved_error(moved_to: str) -> ShareError:
    """The server sent the app on to ``moved_to``, which asked for the password (not
    sent there): worded for the status bar and for the sharing dialog."""
    return ShareError(moved_elsewhere(moved_to, SaidIn.ELSEWHERE), retry=False,
                      kind="moved", in_settings=moved_elsewhere(moved_to, SaidIn.SETTINGS))


def _origin(url: str) -> str:
    """"https://cloud.example.org:8443" of an address: where a password may go."""
    parts = urlsplit(str(url))
    default = {"http": 80, "https": 443}.get(parts.scheme)
    port = parts.port if parts.port not in (None, default) else None
    return f"{parts.scheme}://{parts.hostname or ''}" + (f":{port}" if port else "")


def _refused(exc: Exception) -> bool:
    """``caldav``'s AuthorizationError was a 403 (Forbidden), not a 401: by the status
    it keeps (else by its reason phrase), never by its text, which names the address:
    a server at port 40312 refusing the password is a 401, not a "403"."""
    status = getattr(exc, "status", None)
    if isinstance(status, int):
        return status == 403
    return "Forbidden" in str(getattr(exc, "reason", "") or "")


@contextmanager
def _plain_errors() -> Iterator[None]:
    """Turn what ``caldav`` and the network raise into a ``ShareError``."""
    from caldav.lib import error

    try:
        yield
    except ShareError:
        raise
    except error.AuthorizationError as exc:
        raise _http_error(403 if _refused(exc) else 401) from exc
    except error.NotFoundError as exc:
        raise _http_error(404) from exc
    except error.DAVError as exc:
        raise ShareError(f"The server refused a request ({exc.reason or exc}); the app "
                         "tries again later.", retry=True, kind="dav") from exc
    except Exception as exc:  # the HTTP library's own errors: no network, TLS, timeout
        text = f"{type(exc).__name__}: {exc}"
        if "Fingerprints did not match" in text:
            raise worded(certificate_changed, retry=False, kind="pin_changed") from exc
        if "Hostname mismatch" in text or "doesn't match" in text:
            raise ShareError(
                "The server's certificate is not made for the name in the address, so "
                "nothing was sent. Use the address its certificate names, or ask whoever "
                "runs the server for a certificate made for this name.", retry=False,
                kind="name") from exc
        if "CERTIFICATE_VERIFY_FAILED" in text:
            raise worded(certificate_untrusted, retry=False, kind="untrusted") from exc
        if "SSL" in text or "certificate" in text.lower() or "TLS" in text:
            raise ShareError("The server's certificate could not be checked, so nothing "
                             "was sent. Check the address, or ask whoever runs the "
                             "server.", retry=False, kind="tls") from exc
        if "Timeout" in text or "timed out" in text:
            raise ShareError("The server did not answer in time; the app tries again "
                             "later.", retry=True, kind="timeout") from exc
        if isinstance(exc, OSError) or "Connection" in text or "resolve" in text.lower():
            raise ShareError("The server could not be reached (no network, or the server "
                             "is down); the app tries again later.", retry=True,
                             kind="network") from exc
        raise


@dataclass
class Changes:
    """What changed in a collection since a sync-token: each changed item's address,
    ETag and text, and the addresses of those removed."""

    token: str
    changed: list[tuple[str, str, str]] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)


class Transport:
    """One account on one server (see the module's doc)."""

    def __init__(self, url: str, username: str, password: str, *, pin: str = "",
                 timeout: int = TIMEOUT_SECONDS, login: str = ""):
        """``pin``: the SHA-256 fingerprint of the server's certificate a person
        confirmed (a self-signed server). That certificate, and no other, then takes the
        place of the authorities this computer knows; the server's name is still checked
        against the names the certificate is made for (``_pinned``). ``login``: how the
        server last accepted the password, as the records keep it ("basic"; "" not
        known): the password goes with the first request (this process's own knowledge
        first)."""
        problem = server_url_problem(url)
        if problem:
            raise ShareError(problem, retry=False)
        from caldav.davclient import DAVClient

        self.url = server_url(url)
        self.username = username
        with _plain_errors():
            trusted: str | bool = self._pinned(self.url, pin, timeout) if pin else True
            scheme = _LOGIN.get((self.url, username)) or (
                login if login in _LOGIN_SCHEMES.values() else None)
            self._client = DAVClient(url=self.url, username=username,
                                     password=password, timeout=timeout,
                                     ssl_verify_cert=trusted, enable_rfc6764=False,
                                     auth_type=scheme)
        self._accepted = False  # the server answered a request with the password
        #: the server answered 401 to a request that carried the password: refused
        self.refused = False
        self._remembered = scheme is not None  # the first request carries the password
        self._client.session.hooks["response"].append(self._answered)
        # an authenticator built from a challenge never answers another server's
        build = self._client.build_auth_object

        def build_at_home(auth_types: list[str] | None = None) -> None:
            build(auth_types)
            self._keep_home()

        self._client.build_auth_object = build_at_home  # type: ignore[method-assign]
        self._keep_home()  # (a remembered way is built at once)
        self._principal: Any = None
        #: the server sent the app on to another one ("https://other.example:8443"):
        #: a refusal there is not about the password (``_errors``)
        self.moved_to = ""
        self.requests = 0  # counted for the benchmark and the "nothing changed" test

    def _answered(self, response: Any, *args: Any, **kwargs: Any) -> None:
        if self._elsewhere(str(response.url)):
            # sent on (redirected) to another server or port: the password does not
            # follow a redirect there, so its "401" says nothing of the password
            self.moved_to = _origin(str(response.url))
        if 300 <= response.status_code < 400:
            return  # a redirect: nothing is known of the password yet
        if response.status_code < 400:
            self._accepted = True
            return
        if (response.status_code != 401
                or "Authorization" not in response.request.headers):
            return
        self.refused = True
        if self._remembered and not self._accepted:
            self._remembered = False
            offered = response.headers.get("WWW-Authenticate", "").lower()
            if "basic" in offered and type(self._client.auth).__name__ == "HTTPBasicAuth":
                # the same way was refused: the password is wrong, and sending it again
                # would be a second failed log-in (servers lock accounts on those)
                return
            # refused as remembered, and the server asks another way now: let caldav
            # ask from its answer, once, as on a first connection (it asks only while it
            # has no way of its own)
            self.refused = False
            self._client.auth = None

    def _keep_home(self) -> None:
        """Make the client's Digest authenticator (if any) answer the challenges of the
        server's own address only. Across a redirect to another host or port, requests
        drops a Basic header, but Digest answers that server's challenge with a digest
        of the password (open to guessing it offline): the app never sends that."""
        auth = self._client.auth
        base = type(auth)
        if auth is None or base.__name__ != "HTTPDigestAuth":
            return
        elsewhere = self._elsewhere

        class AtHome(base):  # type: ignore[valid-type, misc]
            def handle_401(self, r: Any, **kwargs: Any) -> Any:
                if elsewhere(str(r.url)):
                    return r  # another server's challenge: not answered
                return super().handle_401(r, **kwargs)

        self._client.auth = AtHome(auth.username, auth.password)

    def _elsewhere(self, url: str) -> bool:
        """Whether ``url`` is where the HTTP library would not send the password on a
        redirect from the server's address (another host, or another port)."""
        strips = getattr(self._client.session, "should_strip_auth", None)
        if strips is not None:
            return bool(strips(self.url, url))
        return _origin(url) != _origin(self.url)

    @contextmanager
    def _errors(self) -> Iterator[None]:
        """``_plain_errors``, with a refusal after a redirect to another server said as
        that (the password was not sent there): check the address, not the password."""
        try:
            with _plain_errors():
                yield
        except ShareError as exc:
            if exc.status != 401 or not self.moved_to:
                raise
            raise moved_error(self.moved_to) from exc

    @property
    def login(self) -> str:
        """How the server accepted the password on this connection ("basic",
        "digest"), for the records to keep; "" when it refused it or asked for none."""
        if not self._accepted:
            return ""
        return next((_LOGIN_SCHEMES[c.__name__] for c in type(self._client.auth).__mro__
                     if c.__name__ in _LOGIN_SCHEMES), "")

    def close(self) -> None:
        """Close the connection; remember how the server asked to log in (``_LOGIN``)
        once it accepted the password, forget it when it did not."""
        key = (self.url, self.username)
        if self.login:
            _LOGIN[key] = self.login
        elif self.refused:  # not on a timeout or a server that is down
            _LOGIN.pop(key, None)
        self._client.close()

    def __enter__(self) -> Transport:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---- discovery and collections

    @classmethod
    def discover(cls, url: str, username: str, password: str, pin: str = "") -> Transport:
        """A transport to the account's principal from what a person typed: a bare host
        name ("cloud.example.org"), the server's address, or its DAV address. Tries the
        address, then the host's ``/.well-known/caldav`` (RFC 6764). ShareError says
        why none worked (a refused password is said at once)."""
        first = server_url(url)
        problem = server_url_problem(first)
        if problem:
            raise ShareError(problem, retry=False)
        last: ShareError | None = None
        for candidate in dict.fromkeys([first, urljoin(first, "/.well-known/caldav")]):
            transport = cls(candidate, username, password, pin=pin)
            try:
                transport.home()
                return transport
            except ShareError as exc:
                transport.close()
                if exc.status != 404 and exc.kind != "dav":
                    raise  # a refused password, no network…: the same at any path
                last = exc
        assert last is not None
        raise ShareError("No calendar server answered at that address. Check it: "
                         "Nextcloud's is like cloud.example.org/remote.php/dav.",
                         retry=False) from last

    @staticmethod
    def fingerprint(url: str, *, timeout: int = TIMEOUT_SECONDS) -> str:
        """The SHA-256 fingerprint (hex) of the certificate the server at ``url`` shows,
        read without trusting it, for a person to compare and confirm."""
        return Transport._certificate(url, timeout)[0]

    @staticmethod
    def _certificate(url: str, timeout: int) -> tuple[str, str]:
        """The certificate the server at ``url`` shows, read without trusting it: its
        SHA-256 fingerprint (hex) and the certificate itself (PEM)."""
        import hashlib
        import ssl

        parts = urlsplit(server_url(url))
        with _plain_errors():
            text = ssl.get_server_certificate((parts.hostname or "", parts.port or 443),
                                              timeout=timeout)
            return hashlib.sha256(ssl.PEM_cert_to_DER_cert(text)).hexdigest(), text

    @staticmethod
    def _pinned(url: str, pin: str, timeout: int) -> str:
        """The confirmed certificate (PEM), given to the HTTP library as the one
        authority to trust: the server must show that very certificate, and the
        library checks, as for any other, that it is made for the server's name (a
        confirmed certificate replaces the authorities, not that check). Refused in
        plain words when the server shows another certificate."""
        shown, text = Transport._certificate(url, timeout)
        if shown != pin.lower():
            raise worded(certificate_changed, retry=False, kind="pin_changed")
        return text

    def principal(self) -> Any:
        if self._principal is None:
            with self._errors():
                self.requests += 2
                self._principal = self._client.principal()
        return self._principal

    def home(self) -> str:
        """The account's calendar home (where the app's lists are made)."""
        with self._errors():
            self.requests += 1
            return str(self.principal().calendar_home_set.url)

    def lists(self) -> list[tuple[str, str]]:
        """Every calendar and task list of the account, as (address, name)."""
        with self._errors():
            self.requests += 1
            return [(str(c.url), c.get_display_name() or "") for c in
                    self.principal().calendars()]

    def ensure_collection(self, kind: ItemKind, url: str, *, name: str, slug: str) -> str:
        """The address of the app's collection of ``kind``: ``url`` when it is still on
        the server, else a new one named ``name`` at ``<home>/<slug>/``."""
        with self._errors():
            if url:
                self.requests += 1
                if self._exists(url):
                    return url
            principal = self.principal()
            home = self.home()
            target = urljoin(home if home.endswith("/") else home + "/", slug + "/")
            self.requests += 1
            if self._exists(target):  # made by an earlier sync that was cut short
                return target
            self.requests += 1
            made = principal.make_calendar(name=name, cal_id=slug,
                                           supported_calendar_component_set=_COMPONENTS[kind])
            return str(made.url)

    def _exists(self, url: str) -> bool:
        """Whether the collection at ``url`` is there: a PROPFIND of its resource type
        alone (asked for all its properties, a server such as Radicale works out the
        collection's own tag over every item in it: 180 ms for a week of tasks)."""
        from caldav.elements import dav

        response = self._client.propfind(url, str(_xml(dav.Propfind(), _xml(
            dav.Prop(), dav.ResourceType()))), depth=0)
        return 200 <= response.status < 300

    def remove_collection(self, url: str) -> None:
        """Delete a collection the app made (sharing turned off, the person agreed)."""
        with self._errors():
            self.requests += 1
            response = self._client.delete(url)
            if response.status not in (200, 204, 404):
                raise _http_error(response.status)

    # ---- items

    def changes(self, url: str, token: str, known: dict[str, str] | None = None) -> Changes:
        """What changed in the collection at ``url`` since ``token`` ("" for all).

        ``known``: the address and ETag of each item as the app last wrote or read it.
        The server lists what changed with each item's ETag only (``caldav``'s
        ``get_objects_by_sync_token``: an RFC 6578 sync-token where the server keeps
        one, else its listing of every item); only the items not in ``known``, or whose
        ETag differs, are then read, a batch at a time in one ``calendar-multiget``
        (RFC 4791 §7.9). So a sync right after the app's own writes reads none of them
        back. When the answer lists everything (no token, or a token the server no
        longer honours), what ``known`` has and the server does not is removed."""
        from caldav.elements import dav

        # addresses in one spelling ("%40", as ``href_for`` writes them): the app's own
        # items are found whichever way the server or caldav spell them
        mine = {_canonical(href): href for href in known or {}}
        etags = {_canonical(href): etag for href, etag in (known or {}).items()}
        with self._errors():
            calendar = self._client.calendar(url=url)
            self.requests += 1
            found = calendar.get_objects_by_sync_token(sync_token=token or None,
                                                       load_objects=False)
            result = Changes(token=str(found.sync_token or ""))
            deleted = {_canonical(str(u)) for u in found.deleted_urls}
            listed: set[str] = set()
            wanted: list[Any] = []
            for obj in found:
                href = _canonical(str(obj.url))
                if href in deleted:
                    continue
                listed.add(href)
                etag = str((obj.props or {}).get(dav.GetEtag.tag, "") or "")
                if etag and etags.get(href) == etag:
                    continue  # as the app wrote or last read it
                if obj.data is not None and etag:  # read already (the listing had it)
                    result.changed.append((mine.get(href, href), etag,
                                           str(obj.data)))
                else:
                    wanted.append(obj)
            for start in range(0, len(wanted), MULTIGET_BATCH):
                self.requests += 1
                for obj in calendar.multiget([o.url for o in
                                              wanted[start:start + MULTIGET_BATCH]]):
                    if obj.data is None:
                        continue  # removed since the listing: said at the next sync
                    href = _canonical(str(obj.url))
                    etag = str((obj.props or {}).get(dav.GetEtag.tag, "") or "")
                    result.changed.append((mine.get(href, href), etag,
                                           str(obj.data)))
            whole = not token or (result.token != token and result.token.startswith("fake-"))
            gone = deleted | (set(mine) - listed if whole else set())
            result.removed = sorted(mine.get(h, h) for h in gone)
            return result

    @staticmethod
    def href_for(collection: str, uid: str) -> str:
        base = collection if collection.endswith("/") else collection + "/"
        return base + quote(uid, safe="") + ".ics"

    # ---- the care team's address book (CardDAV, RFC 6352)

    def address_book_home(self) -> str:
        """The account's address book home (``addressbook-home-set`` of its principal,
        RFC 6352 §7.1.1), where the app's address book is made."""
        card = _card_elements()
        from caldav.davobject import DAVObject

        with self._errors():
            principal = self.principal()
            self.requests += 1
            found: Any = DAVObject(client=self._client, url=principal.url).get_properties(
                [card.AddressBookHomeSet()])
            href = found.get(card.AddressBookHomeSet.tag)
            if isinstance(href, list):
                href = href[0] if href else None
            if not href:
                raise ShareError("This server keeps no address books for the account, so "
                                 "the care team cannot be shared there.", retry=False,
                                 kind="dav")
            return str(self._client.url.join(str(href)))

    def ensure_address_book(self, url: str, *, name: str, slug: str) -> str:
        """The address of the app's address book: ``url`` when it is still there, else
        one named ``name`` made at ``<home>/<slug>/`` (an extended MKCOL, RFC 5689)."""
        card = _card_elements()
        from caldav.elements import dav

        with self._errors():
            if url:
                self.requests += 1
                if self._exists(url):
                    return url
            home = self.address_book_home()
            target = urljoin(home if home.endswith("/") else home + "/", slug + "/")
            self.requests += 1
            if self._exists(target):  # made by an earlier sync that was cut short
                return target
            kind = _xml(dav.ResourceType(), dav.Collection(), card.AddressBook())
            body = _xml(dav.Mkcol(), _xml(dav.Set(), _xml(dav.Prop(), kind,
                                                          dav.DisplayName(name))))
            self.requests += 1
            response = self._client.mkcol(target, str(body))
            if response.status not in (200, 201):
                raise _http_error(response.status)
            return target

    def card_changes(self, url: str, token: str, known: dict[str, str]) -> Changes:
        """What changed in the address book at ``url``: with the server's sync-token
        since ``token`` (RFC 6578; "" for everything); where the server keeps none, by
        comparing each card's ETag with ``known`` (address → ETag), the token then "".
        A token the server no longer honours means reading everything again."""
        card = _card_elements()
        from caldav.elements import dav
        from caldav.lib import error

        with self._errors():
            for since in dict.fromkeys([token, ""]):
                body = _xml(dav.SyncCollection(), dav.SyncToken(value=since),
                            dav.SyncLevel(value="1"),
                            _xml(dav.Prop(), dav.GetEtag(), card.AddressData()))
                self.requests += 1
                try:
                    response = self._client.report(url, str(body), depth=None)
                except error.AuthorizationError as exc:
                    if _refused(exc):
                        continue  # a token no longer valid, or no sync-collection here
                    raise
                if response.status in (200, 207):
                    return self._synced_cards(response, since, known)
                if response.status in (401, 404) or response.status >= 500:
                    raise _http_error(response.status)
            return self._cards_by_etag(url, known)

    def _synced_cards(self, response: Any, since: str, known: dict[str, str]) -> Changes:
        card = _card_elements()
        from caldav.elements import dav

        found = response.parse_sync_collection()
        texts = response.expand_simple_props(props=[dav.GetEtag(), card.AddressData()])
        result = Changes(token=str(found.sync_token or ""))
        listed = set()
        for item in found.changed:
            href = self._here(item.href)
            listed.add(href)
            text = (texts.get(item.href) or {}).get(card.AddressData.tag)
            if text:
                result.changed.append((href, str(item.etag or ""), str(text)))
        removed = {self._here(h) for h in found.deleted}
        if not since:  # everything was listed: what is not there any more is gone
            removed |= set(known) - listed
        result.removed = sorted(removed)
        return result

    def _cards_by_etag(self, url: str, known: dict[str, str]) -> Changes:
        """Without sync-tokens: every card's ETag (PROPFIND), then the changed cards
        (``addressbook-multiget``, RFC 6352 §8.7)."""
        card = _card_elements()
        from caldav.elements import dav

        self.requests += 1
        listing = self._client.propfind(url, str(_xml(dav.Propfind(), _xml(
            dav.Prop(), dav.GetEtag(), dav.ResourceType()))), depth=1)
        if listing.status not in (200, 207):
            raise _http_error(listing.status)
        here = _full(self._client, url)
        results: list[Any] = listing.results or []
        etags = {self._here(r.href): str(r.properties.get(dav.GetEtag.tag) or "")
                 for r in results if _full(self._client, r.href) != here}
        result = Changes(token="", removed=sorted(set(known) - set(etags)))
        wanted = [h for h, e in etags.items() if not e or known.get(h) != e]
        if wanted:
            body = _xml(card.AddressbookMultiget(),
                        _xml(dav.Prop(), dav.GetEtag(), card.AddressData()),
                        *(dav.Href(value=urlsplit(h).path) for h in wanted))
            self.requests += 1
            response = self._client.report(url, str(body), depth=1)
            if response.status not in (200, 207):
                raise _http_error(response.status)
            props = response.expand_simple_props(props=[dav.GetEtag(), card.AddressData()])
            for href, values in props.items():
                text = values.get(card.AddressData.tag)
                if text:
                    result.changed.append((self._here(href),
                                           str(values.get(dav.GetEtag.tag) or ""), str(text)))
        return result

    @staticmethod
    def card_href(collection: str, uid: str) -> str:
        base = collection if collection.endswith("/") else collection + "/"
        return _canonical(base + quote(uid, safe="") + ".vcf")

    def _here(self, href: str) -> str:
        return _canonical(str(self._client.url.join(href)))

    def put(self, href: str, text: str, *, etag: str,
            content_type: str = _CONTENT_TYPE["Content-Type"]) -> str:
        """Write ``text`` at ``href``: only if the server still has ``etag`` there, or,
        with ``etag`` "", only if nothing is there. Returns the new ETag ("" when the
        server gives none). ``Precondition`` when someone changed or made it since."""
        headers = {"Content-Type": content_type}
        headers["If-Match" if etag else "If-None-Match"] = etag or "*"
        with self._errors():
            self.requests += 1
            response = self._client.put(href, text, headers=headers)
        if response.status == 412:
            raise Precondition(href)
        if not 200 <= response.status < 300:
            raise _http_error(response.status)
        return str((response.headers or {}).get("ETag", "") or "")

    def delete(self, href: str, *, etag: str) -> None:
        """Remove ``href`` if the server still has ``etag`` there (gone already: fine)."""
        with self._errors():
            self.requests += 1
            response = self._client.delete(href, headers={"If-Match": etag} if etag else {})
        if response.status == 412:
            raise Precondition(href)
        if response.status not in (200, 204, 404):
            raise _http_error(response.status)


__all__ = ["Changes", "Precondition", "ShareError", "Transport"]
