"""Sharing with the family against a real Radicale on this computer, for a household of
30 medicines with the example's care team and appointments: the medicines' tasks for a
window of 7 days (and 2 behind), the appointments as events, the contacts as cards.

Each figure is printed next to an in-run baseline:

- the first publish (the app's sync, from discovery to the last write) next to a plain
  loop of PUTs of the very same objects (the texts the sync sent, captured on the way)
  with the ``caldav`` client into lists made beforehand: the cost of the server and the
  protocol themselves;
- the sync right after the first publish (its sync-token is from before the writes, so
  the server lists every object as changed) next to what it cost before the app compared
  ETags: ``caldav`` reading every listed object back (``load_objects=True``);
- a sync with nothing changed next to the protocol's floor: one sync-token REPORT per
  list with a plain ``caldav`` client.

Requests are counted where each ``caldav`` client hands them to the HTTP library (a new
connection's first request is answered 401 and sent again with the password: counted).
"""

from __future__ import annotations

import os
import queue
import socket
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.common import clock, report
from bench.printing import _many_medicines

USER, PASSWORD = "ana", "ana-secret"


def _radicale(folder: Path) -> tuple[subprocess.Popen[str], str]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    users = folder / "users"
    users.write_text(f"{USER}:{PASSWORD}\n")
    process = subprocess.Popen(
        [sys.executable, "-m", "radicale", "--server-hosts", f"127.0.0.1:{port}",
         "--storage-filesystem-folder", str(folder / "collections"),
         "--auth-type", "htpasswd", "--auth-htpasswd-filename", str(users),
         "--auth-htpasswd-encryption", "plain", "--logging-level", "info"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in process.stdout or ()],
                     daemon=True).start()
    while "Listening on" not in lines.get(timeout=30):
        pass
    return process, f"http://127.0.0.1:{port}/"


class _Wire:
    """Counts (and keeps the PUTs of) the requests a ``caldav`` client sends."""

    def __init__(self, client: Any):
        self.count = 0
        self.puts: list[tuple[str, str, str]] = []  # (address, body, content type)
        session = client.session
        send = session.request

        def request(method: str, url: str, *args: Any, **kwargs: Any) -> Any:
            self.count += 1
            if method == "PUT":
                body = kwargs.get("data") or b""
                self.puts.append((str(url), body.decode() if isinstance(body, bytes)
                                  else str(body),
                                  dict(kwargs.get("headers") or {}).get("Content-Type", "")))
            return send(method, url, *args, **kwargs)

        session.request = request


def run() -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    QGuiApplication.instance() or QGuiApplication([sys.argv[0]])
    import caldav

    from caregiver_app.domain.sharing import ItemKind, ShareConfig
    from caregiver_app.services.sharing.engine import engine_for, sync_once
    from caregiver_app.services.sharing.transport import Transport
    from caregiver_app.storage.sharing_repo import SharingRepository

    with tempfile.TemporaryDirectory(prefix="bench-sharing-") as tmp:
        folder = Path(tmp)
        (folder / "server").mkdir()
        server, url = _radicale(folder / "server")
        core = _many_medicines(folder / "busy", 30)
        results: dict[str, Any] = {}
        wires: dict[str, _Wire] = {}
        try:
            repo = SharingRepository(core.db)
            repo.save_config(ShareConfig(enabled=True, server=url, username=USER,
                                         confirmed=True))
            engine = engine_for(core, repo)
            assert engine.cards is not None

            def sync(name: str) -> Callable[[], None]:
                def run_sync() -> None:
                    with Transport(url, USER, PASSWORD) as transport:
                        wires[name] = _Wire(transport._client)
                        results[name] = sync_once(engine, transport)
                return run_sync

            first_s = clock(sync("first"))
            puts = wires["first"].puts
            tokens = repo.collections()  # the tokens from before the writes
            book = engine.cards.known()[0]

            with caldav.DAVClient(url=url, username=USER, password=PASSWORD) as plain:
                principal = plain.principal()
                home = Transport(url, USER, PASSWORD)
                lists = {
                    tokens[ItemKind.TASK][0]: str(principal.make_calendar(
                        name="plain tasks", supported_calendar_component_set=["VTODO"]).url),
                    tokens[ItemKind.EVENT][0]: str(principal.make_calendar(
                        name="plain events", supported_calendar_component_set=["VEVENT"]).url),
                    book: home.ensure_address_book("", name="plain cards", slug="plain-cards"),
                }
                home.close()
                wires["plain"] = _Wire(plain)

                def plain_puts() -> None:
                    for address, body, kind in puts:
                        collection, name = address.rsplit("/", 1)
                        target = lists[collection + "/"].rstrip("/") + "/" + name
                        plain.put(target, body, {"Content-Type": kind})

                plain_s = clock(plain_puts)

            with caldav.DAVClient(url=url, username=USER, password=PASSWORD) as reader:
                wires["read back"] = _Wire(reader)

                def read_back() -> None:
                    for kind in (ItemKind.TASK, ItemKind.EVENT):
                        address, token = tokens[kind]
                        found = reader.calendar(url=address).get_objects_by_sync_token(
                            sync_token=token, load_objects=True)
                        results.setdefault("read back", 0)
                        results["read back"] += len(found)

                read_back_s = clock(read_back)
            after_s = clock(sync("after"))
            quiet_s = clock(sync("quiet"))

            now = repo.collections()
            with caldav.DAVClient(url=url, username=USER, password=PASSWORD) as floor:
                floor.principal()  # log in first: the floor is the REPORTs alone
                wires["floor"] = _Wire(floor)

                def floor_reports() -> None:
                    for address, token in [*now.values(), engine.cards.known()[:2]]:
                        floor.calendar(url=address).get_objects_by_sync_token(
                            sync_token=token, load_objects=False)

                floor_s = clock(floor_reports)
        finally:
            core.close()
            server.terminate()
            server.wait()
    first = results["first"]
    kinds = {".ics": 0, ".vcf": 0}
    for address, _body, _kind in puts:
        kinds[address[-4:]] = kinds.get(address[-4:], 0) + 1
    print(f"30 medicines: {first.sent} objects sent ({len(puts)} PUTs: "
          f"{kinds['.ics']} tasks and events, {kinds['.vcf']} contacts)")
    report(f"first publish ({wires['first'].count} requests)", first_s,
           f"plain loop of {len(puts)} PUTs ({wires['plain'].count} requests)", plain_s)
    report(f"sync right after it ({wires['after'].count} requests)", after_s,
           f"reading back all {results['read back']} "
           f"({wires['read back'].count} requests)", read_back_s)
    report(f"sync with nothing changed ({wires['quiet'].count} requests)", quiet_s,
           f"sync-token REPORTs alone ({wires['floor'].count} requests)", floor_s)
    for name in ("after", "quiet"):
        done = results[name]
        assert (done.sent, done.removed, done.recorded) == (0, 0, 0), (name, done)
