"""Sharing with the family against a real Radicale on this computer: the first publish
of a window of 7 days (and 2 behind) for a household of 30 medicines, next to a plain
loop of PUTs of the same task texts with the ``caldav`` client (the cost of the server
and the protocol themselves), and a sync with nothing changed (its requests and time).
"""

from __future__ import annotations

import os
import queue
import socket
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

from bench.common import clock, report
from bench.printing import _many_medicines


def _radicale(folder: Path) -> tuple[subprocess.Popen[str], str]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    users = folder / "users"
    users.write_text("ana:ana-secret\n")
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


def run() -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    QGuiApplication.instance() or QGuiApplication([sys.argv[0]])
    import caldav

    from caregiver_app.domain.sharing import ShareConfig
    from caregiver_app.services.sharing.engine import ShareSync, sync_once
    from caregiver_app.services.sharing.formats import task_ics
    from caregiver_app.services.sharing.transport import Transport
    from caregiver_app.storage.household_repo import HouseholdRepository
    from caregiver_app.storage.sharing_repo import SharingRepository

    with tempfile.TemporaryDirectory(prefix="bench-sharing-") as tmp:
        folder = Path(tmp)
        (folder / "server").mkdir()
        server, url = _radicale(folder / "server")
        core = _many_medicines(folder / "busy", 30)
        try:
            repo = SharingRepository(core.db)
            repo.save_config(ShareConfig(enabled=True, server=url, username="ana",
                                         confirmed=True))
            engine = ShareSync(repo, core.medications, core.patients, core.careteam,
                               HouseholdRepository(core.db).household_id)
            done = {}

            def first() -> None:
                with Transport(url, "ana", "ana-secret") as transport:
                    done["first"] = sync_once(engine, transport)

            first_s = clock(first)
            tasks, _ = engine._tasks(repo.config())
            texts = [(t.uid, task_ics(t, now=core.clock.now())) for t in tasks]

            def plain_puts() -> None:
                with caldav.DAVClient(url=url, username="ana", password="ana-secret") as c:
                    calendar = c.principal().make_calendar(
                        name="plain", supported_calendar_component_set=["VTODO"])
                    for uid, text in texts:
                        c.put(Transport.href_for(str(calendar.url), uid), text,
                              {"Content-Type": "text/calendar; charset=utf-8"})

            plain_s = clock(plain_puts)

            def again() -> None:
                with Transport(url, "ana", "ana-secret") as transport:
                    done["again"] = sync_once(engine, transport)

            clock(again)  # reads back the first publish's own writes once
            again_s = clock(again)
        finally:
            core.close()
            server.terminate()
            server.wait()
    sent = done["first"].sent
    print(f"30 medicines; {len(tasks)} tasks ({sent} sent with the appointments)")
    report(f"first publish ({done['first'].requests} requests)", first_s,
           f"plain loop of {len(texts)} PUTs", plain_s)
    report(f"sync with nothing changed ({done['again'].requests} requests)", again_s,
           f"plain loop of {len(texts)} PUTs", plain_s)
