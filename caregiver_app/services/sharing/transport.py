"""The server, through the maintained ``caldav`` client: discovery, the app's task list
and calendar, incremental changes (RFC 6578 sync-tokens, ETags otherwise), and writes
that never overwrite what someone else changed since (``If-Match``).

Every failure comes out as a ``ShareError`` whose ``message`` says in plain words what
happened and what to do ("The server refused the password; check it in File ▸
Share with the family…"), and whether trying again later may help (``retry``).

``caldav`` is imported here only, and this module only when sharing runs.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urljoin

from caregiver_app.domain.sharing import ItemKind, server_url, server_url_problem

TIMEOUT_SECONDS = 20
_COMPONENTS = {ItemKind.TASK: ["VTODO"], ItemKind.EVENT: ["VEVENT"]}
_CONTENT_TYPE = {"Content-Type": "text/calendar; charset=utf-8"}


class ShareError(Exception):
    """A sync step failed; ``message`` is for the person, ``retry`` says whether trying
    again later may work (a network or server problem) or a person must act first."""

    def __init__(self, message: str, *, retry: bool, status: int | None = None,
                 kind: str = ""):
        super().__init__(message)
        self.message = message
        self.retry = retry
        self.status = status
        #: "network", "timeout", "tls", "dav" (a request refused), or "" (see status)
        self.kind = kind


class Precondition(Exception):
    """Somebody changed the item on the server since the app last read it (HTTP 412)."""


SETTINGS_HINT = "File ▸ Share with the family…"


def _http_error(status: int) -> ShareError:
    if status == 401:
        return ShareError(f"The server refused the password; check it in {SETTINGS_HINT}",
                          retry=False, status=status)
    if status == 403:
        return ShareError("The server did not allow this account to change the lists. "
                          f"Check the user name in {SETTINGS_HINT}", retry=False,
                          status=status)
    if status == 404:
        return ShareError("A list the app uses is no longer on the server; the app makes "
                          "it again at the next sync.", retry=True, status=status)
    if status >= 500:
        return ShareError(f"The server had a problem (HTTP {status}); the app tries "
                          "again later.", retry=True, status=status)
    return ShareError(f"The server answered HTTP {status}; the app tries again later.",
                      retry=True, status=status)


@contextmanager
def _plain_errors() -> Iterator[None]:
    """Turn what ``caldav`` and the network raise into a ``ShareError``."""
    from caldav.lib import error

    try:
        yield
    except ShareError:
        raise
    except error.AuthorizationError as exc:
        raise _http_error(403 if "403" in str(exc) or "Forbidden" in str(exc)
                          else 401) from exc
    except error.NotFoundError as exc:
        raise _http_error(404) from exc
    except error.DAVError as exc:
        raise ShareError(f"The server refused a request ({exc.reason or exc}); the app "
                         "tries again later.", retry=True, kind="dav") from exc
    except Exception as exc:  # the HTTP library's own errors: no network, TLS, timeout
        text = f"{type(exc).__name__}: {exc}"
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

    def __init__(self, url: str, username: str, password: str, *,
                 timeout: int = TIMEOUT_SECONDS):
        problem = server_url_problem(url)
        if problem:
            raise ShareError(problem, retry=False)
        from caldav.davclient import DAVClient

        self.url = server_url(url)
        self.username = username
        with _plain_errors():
            self._client = DAVClient(url=self.url, username=username,
                                            password=password, timeout=timeout,
                                            enable_rfc6764=False)
        self._principal: Any = None
        self.requests = 0  # counted for the benchmark and the "nothing changed" test

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> Transport:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---- discovery and collections

    @classmethod
    def discover(cls, url: str, username: str, password: str) -> Transport:
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
            transport = cls(candidate, username, password)
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

    def principal(self) -> Any:
        if self._principal is None:
            with _plain_errors():
                self.requests += 2
                self._principal = self._client.principal()
        return self._principal

    def home(self) -> str:
        """The account's calendar home (where the app's lists are made)."""
        with _plain_errors():
            self.requests += 1
            return str(self.principal().calendar_home_set.url)

    def lists(self) -> list[tuple[str, str]]:
        """Every calendar and task list of the account, as (address, name)."""
        with _plain_errors():
            self.requests += 1
            return [(str(c.url), c.get_display_name() or "") for c in
                    self.principal().calendars()]

    def ensure_collection(self, kind: ItemKind, url: str, *, name: str, slug: str) -> str:
        """The address of the app's collection of ``kind``: ``url`` when it is still on
        the server, else a new one named ``name`` at ``<home>/<slug>/``."""
        with _plain_errors():
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
        response = self._client.propfind(url, depth=0)
        return 200 <= response.status < 300

    def remove_collection(self, url: str) -> None:
        """Delete a collection the app made (sharing turned off, the person agreed)."""
        with _plain_errors():
            self.requests += 1
            response = self._client.delete(url)
            if response.status not in (200, 204, 404):
                raise _http_error(response.status)

    # ---- items

    def changes(self, url: str, token: str) -> Changes:
        """What changed in the collection at ``url`` since ``token`` ("" for all)."""
        with _plain_errors():
            calendar = self._client.calendar(url=url)
            self.requests += 1
            found = calendar.get_objects_by_sync_token(sync_token=token or None,
                                                       load_objects=True)
            removed = {str(u) for u in found.deleted_urls}
            result = Changes(token=str(found.sync_token or ""))
            for obj in found:
                href = str(obj.url)
                if href in removed or obj.data is None:
                    removed.add(href)
                    continue
                self.requests += 1
                etag = str((obj.props or {}).get("{DAV:}getetag", "") or "")
                result.changed.append((href, etag, str(obj.data)))
            result.removed = sorted(removed)
            return result

    @staticmethod
    def href_for(collection: str, uid: str) -> str:
        base = collection if collection.endswith("/") else collection + "/"
        return base + quote(uid, safe="") + ".ics"

    def put(self, href: str, text: str, *, etag: str) -> str:
        """Write ``text`` at ``href``: only if the server still has ``etag`` there, or,
        with ``etag`` "", only if nothing is there. Returns the new ETag ("" when the
        server gives none). ``Precondition`` when someone changed or made it since."""
        headers = dict(_CONTENT_TYPE)
        headers["If-Match" if etag else "If-None-Match"] = etag or "*"
        with _plain_errors():
            self.requests += 1
            response = self._client.put(href, text, headers=headers)
        if response.status == 412:
            raise Precondition(href)
        if not 200 <= response.status < 300:
            raise _http_error(response.status)
        return str((response.headers or {}).get("ETag", "") or "")

    def delete(self, href: str, *, etag: str) -> None:
        """Remove ``href`` if the server still has ``etag`` there (gone already: fine)."""
        with _plain_errors():
            self.requests += 1
            response = self._client.delete(href, headers={"If-Match": etag} if etag else {})
        if response.status == 412:
            raise Precondition(href)
        if response.status not in (200, 204, 404):
            raise _http_error(response.status)


__all__ = ["Changes", "Precondition", "ShareError", "Transport"]
