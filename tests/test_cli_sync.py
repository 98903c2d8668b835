"""`caregiver-app sync`: one sync from the command line, for a scheduled job."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from fake_keyring import memory_keyring  # noqa: F401  (the fixture)
from medicine_builders import medicine
from radicale_server import radicale, radicale_at_403  # noqa: F401  (the fixtures)

from caregiver_app.app import main
from caregiver_app.core import open_core
from caregiver_app.domain.patient import AllergyStatus, Caregiver, Patient
from caregiver_app.domain.sharing import ShareConfig
from caregiver_app.services.clock import SystemClock
from caregiver_app.services.sharing.secrets import keep_password
from caregiver_app.storage.sharing_repo import SharingRepository

ZONE = ZoneInfo("America/New_York")


@pytest.fixture
def household(qapp, tmp_path, radicale):  # noqa: F811
    return _household(tmp_path / "home", radicale)


def _household(folder, server):
    """Jane's records, sharing with ``server`` set up as Ana's but turned off."""
    core = open_core(folder, SystemClock())
    try:
        core.patients.save(Patient("Jane Doe", allergy_status=AllergyStatus.NONE_KNOWN,
                                   time_zone="America/New_York"))
        core.patients.save_caregivers([Caregiver("Ana Helper", "AH")])
        today = datetime.now(ZoneInfo("America/New_York")).date()  # (Jane's today)
        core.medications.add_medicine(medicine(id=None, start=today))
        SharingRepository(core.db).save_config(ShareConfig(
            enabled=False, server=server.url, username="ana", confirmed=True))
    finally:
        core.close()
    return folder


def _turn_on(folder):
    core = open_core(folder, SystemClock())
    try:
        repo = SharingRepository(core.db)
        repo.save_config(ShareConfig(**{**repo.config().__dict__, "enabled": True}))
    finally:
        core.close()


def test_sync_says_when_sharing_is_off(household, capsys, memory_keyring):  # noqa: F811
    assert main(["--data-dir", str(household), "sync"]) == 2
    assert "Sharing with the family is off" in capsys.readouterr().err


def test_sync_shares_and_prints_what_it_did(household, capsys, radicale,  # noqa: F811
                                            memory_keyring):  # noqa: F811
    _turn_on(household)
    keep_password(radicale.url, "ana", "ana-secret")
    assert main(["--data-dir", str(household), "sync"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Shared with the family: ")
    assert " sent, 0 removed, 0 ticked on a phone and recorded." in out
    assert main(["--data-dir", str(household), "sync"]) == 0
    assert "0 sent, 0 removed" in capsys.readouterr().out  # nothing changed


def test_a_failed_sync_exits_non_zero_saying_why(household, capsys, radicale,  # noqa: F811
                                                 memory_keyring):  # noqa: F811
    _turn_on(household)
    keep_password(radicale.url, "ana", "wrong")
    assert main(["--data-dir", str(household), "sync"]) == 1
    # said outside the sharing settings: the menu that leads to them is named
    assert ("Not shared: The server refused the password; check it in File ▸ Share with "
            "the family…") in capsys.readouterr().err
    memory_keyring.kept.clear()
    assert main(["--data-dir", str(household), "sync"]) == 1
    assert ("Not shared: The sharing password is not on this computer; enter it in File ▸ "
            "Share with the family…") in capsys.readouterr().err


def test_a_refused_password_is_said_as_that_at_a_port_with_403_in_it(
        qapp, tmp_path, capsys, radicale_at_403, memory_keyring):  # noqa: F811
    """The refusal was once read from the error's text, which names the address: a 401
    from port 40312 was said as "did not allow this account" (a flaky test)."""
    folder = _household(tmp_path / "home", radicale_at_403)
    _turn_on(folder)
    keep_password(radicale_at_403.url, "ana", "wrong")
    assert main(["--data-dir", str(folder), "sync"]) == 1
    assert "Not shared: The server refused the password" in capsys.readouterr().err


def test_a_sync_already_running_on_the_records_is_said_and_nothing_is_done(
        household, capsys, radicale, memory_keyring):  # noqa: F811
    from caregiver_app.services.sharing.lock import SyncLock

    _turn_on(household)
    keep_password(radicale.url, "ana", "ana-secret")
    window = SyncLock(household)  # the app's window is syncing these records
    assert window.acquire()
    try:
        assert main(["--data-dir", str(household), "sync"]) == 3
        err = capsys.readouterr().err
        assert err.startswith("Not shared: Another sync with the family is running on "
                              "these records (process ")
        core = open_core(household, SystemClock())
        try:
            assert SharingRepository(core.db).items() == {}  # nothing was sent
        finally:
            core.close()
    finally:
        window.release()
    assert main(["--data-dir", str(household), "sync"]) == 0
    assert "Shared with the family: " in capsys.readouterr().out


def test_a_dose_a_phone_ticked_after_another_giver_recorded_it_is_printed_to_check(
        household, capsys, radicale, memory_keyring):  # noqa: F811
    """Tom records a dose in the app; Ana's phone ticks it too: a scheduled job's log
    says "To check:", with what to check, not a calm "Note:"."""
    import caldav

    _turn_on(household)
    keep_password(radicale.url, "ana", "ana-secret")
    core = open_core(household, SystemClock())
    try:
        [ana] = core.patients.caregivers()
        repo = SharingRepository(core.db)
        repo.save_config(replace(repo.config(), giver_id=ana.id, device="Ana's iPhone"))
        [tom] = [c for c in core.session.save_caregivers(
            [ana, Caregiver("Tom Example", "TE")]) if c.initials == "TE"]
    finally:
        core.close()
    assert main(["--data-dir", str(household), "sync"]) == 0
    core = open_core(household, SystemClock())
    try:
        now = datetime.now(UTC).replace(microsecond=0)
        [first, *_] = [s for s in core.medications.statuses(
            core.medications.today(), core.medications.today())]
        core.medications.record_given(first.medicine.id, first.occurrence.key,
                                      given_at=now - timedelta(minutes=40),
                                      caregiver_id=tom.id, recorded_by=tom.id)
    finally:
        core.close()
    client = caldav.DAVClient(url=radicale.url, username="ana", password="ana-secret")
    with client:
        [tasks] = [c for c in client.principal().calendars()
                   if c.get_display_name() == "Jane's medicines"]
        [todo] = [t for t in tasks.todos(include_completed=True)
                  if t.icalendar_component["due"].dt == first.occurrence.due]
        todo.complete(completion_timestamp=now)
    capsys.readouterr()
    assert main(["--data-dir", str(household), "sync"]) == 0
    out = capsys.readouterr().out
    assert "1 to check in the app" in out
    [line] = [t for t in out.splitlines() if "ticked" in t and "Ana's iPhone" in t]
    assert line.startswith("  To check: Also ticked on Ana's iPhone at ")
    assert line.endswith(" by Tom Example at "
                         f"{(now - timedelta(minutes=40)).astimezone(ZONE):%H:%M}. "
                         "Check it was not given twice.")


class Wire:
    """Every request the ``caldav`` clients of this process hand to the HTTP library,
    with the server's answer: (method, status)."""

    def __init__(self, monkeypatch):
        from caldav.lib.http_sync import requests as http

        self.sent: list[tuple[str, int]] = []
        self.logins: list[int] = []  # the status of each request that carried a password
        self.down = False  # the server does not answer (a timeout)
        real = http.Session.request

        def request(session, method, url, *args, **kwargs):
            if self.down:
                raise http.exceptions.ConnectTimeout("the server did not answer")
            response = real(session, method, url, *args, **kwargs)
            self.sent.append((method, response.status_code))
            if "Authorization" in response.request.headers:
                self.logins.append(response.status_code)
            return response

        monkeypatch.setattr(http.Session, "request", request)

    def run(self, household, monkeypatch) -> tuple[int, list[tuple[str, int]]]:
        """``caregiver-app sync`` as a new process runs it (it knows only what the
        records keep): its exit status and its requests."""
        from caregiver_app.services.sharing import transport

        monkeypatch.setattr(transport, "_LOGIN", {})  # a new process's
        self.sent.clear()
        self.logins.clear()
        status = main(["--data-dir", str(household), "sync"])
        return status, list(self.sent)


def test_a_scheduled_sync_sends_the_password_with_its_first_request(
        household, radicale, monkeypatch, memory_keyring):  # noqa: F811
    """Radicale answers a request without the password after a delay (~0.7 s a run):
    once a run has logged in, the records keep how ("basic", never the password), and
    the next run's first request carries the password."""
    _turn_on(household)
    keep_password(radicale.url, "ana", "ana-secret")
    wire = Wire(monkeypatch)
    status, first = wire.run(household, monkeypatch)
    assert status == 0 and first[0][1] == 401  # the first run is asked to log in
    for _ in range(2):  # nothing changed: for each list, is it there, what changed
        status, later = wire.run(household, monkeypatch)
        assert status == 0 and sorted(later) == [("PROPFIND", 207)] * 3 + [
            ("REPORT", 207)] * 3  # no 401 first: the password went with the first
    # what the records keep is how, not the password (that is in the keyring only)
    core = open_core(household, SystemClock())
    try:
        kept = dict(core.db.execute("SELECT key, value FROM sharing_config").fetchall())
    finally:
        core.close()
    assert (kept["login"], kept["login_for"]) == ("basic", f"ana@{radicale.url}")
    stored = b"".join(p.read_bytes() for p in household.rglob("*") if p.is_file())
    assert b"ana-secret" not in stored


def test_a_refused_password_is_asked_for_again_and_forgotten_by_the_records(
        household, radicale, monkeypatch, memory_keyring):  # noqa: F811
    _turn_on(household)
    keep_password(radicale.url, "ana", "ana-secret")
    wire = Wire(monkeypatch)
    assert wire.run(household, monkeypatch)[0] == 0
    keep_password(radicale.url, "ana", "changed-on-the-server")
    status, refused = wire.run(household, monkeypatch)
    # sent at once as remembered, and refused: not sent a second time (servers lock
    # accounts after a few failed log-ins), and forgotten by the records
    assert status == 1 and [code for _m, code in refused] == [401]
    assert wire.logins == [401]
    assert _kept_login(household) == ""
    status, again = wire.run(household, monkeypatch)  # still the wrong password
    assert status == 1 and wire.logins == [401]  # one failed log-in a run, not two
    keep_password(radicale.url, "ana", "ana-secret")
    status, again = wire.run(household, monkeypatch)
    assert status == 0 and again[0][1] == 401  # forgotten: asked to log in again
    assert _kept_login(household) == "basic"


def _kept_login(folder) -> str:
    core = open_core(folder, SystemClock())
    try:
        return SharingRepository(core.db).config().login
    finally:
        core.close()


def test_a_server_that_does_not_answer_does_not_forget_the_kept_log_in(
        household, capsys, radicale, monkeypatch, memory_keyring):  # noqa: F811
    """A timeout says nothing about the password: the next run still sends it with its
    first request (only a refused password, a 401, forgets it)."""
    _turn_on(household)
    keep_password(radicale.url, "ana", "ana-secret")
    wire = Wire(monkeypatch)
    assert wire.run(household, monkeypatch)[0] == 0
    assert _kept_login(household) == "basic"
    wire.down = True
    status, _sent = wire.run(household, monkeypatch)
    assert status == 1 and "Not shared: " in capsys.readouterr().err
    assert _kept_login(household) == "basic"
    wire.down = False
    status, later = wire.run(household, monkeypatch)
    assert status == 0 and 401 not in [code for _m, code in later]
