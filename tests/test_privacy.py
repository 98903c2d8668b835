"""No network, owner-only files, and logs without medical details."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
NETWORK_FAMILIES = re.compile(r"socket\((AF_INET6?|AF_PACKET|AF_NETLINK)\b")


@pytest.fixture(scope="module")
def tour(tmp_path_factory):
    """Run the full GUI tour once under strace, recording every socket the process makes."""
    if shutil.which("strace") is None:
        pytest.fail("strace is needed to prove the app opens no network connection")
    tmp = tmp_path_factory.mktemp("privacy")
    data_dir = tmp / "data"
    trace = tmp / "trace.txt"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    result = subprocess.run(
        ["strace", "-f", "-qq", "-e", "trace=socket,connect", "-o", str(trace),
         sys.executable, str(HERE / "privacy_tour.py"), str(data_dir)],
        env=env, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "tour finished" in result.stdout
    return data_dir, trace.read_text()


@pytest.mark.linux_only("strace watches the sockets; the no-sockets check in CI is Linux's")
@pytest.mark.slow
def test_no_network_socket_is_created(tour):
    _, trace = tour
    assert "socket(" in trace  # strace saw the local single-instance socket, so it works
    network = [line for line in trace.splitlines() if NETWORK_FAMILIES.search(line)]
    assert network == [], "the app created network sockets:\n" + "\n".join(network)


@pytest.mark.posix_only("exact st_mode bits: Windows has only a read-only flag")
@pytest.mark.slow
def test_every_file_in_the_data_directory_is_owner_only(tour):
    data_dir, _ = tour
    paths = [data_dir, *data_dir.rglob("*")]
    assert len(paths) > 5
    for path in paths:
        expected = 0o700 if path.is_dir() else 0o600
        assert path.stat().st_mode & 0o777 == expected, path


@pytest.mark.slow
def test_logs_hold_no_medical_details(tour):
    data_dir, _ = tour
    log = (data_dir / "logs" / "caregiver-app.log").read_text()
    assert log.strip(), "the tour should have logged something"
    from caregiver_app.storage.db import connect

    db = connect(data_dir / "caregiver.sqlite3")
    secrets = [db.execute("SELECT full_name FROM patient").fetchone()[0]]
    secrets += [r[0] for r in db.execute("SELECT substance FROM allergies")]
    for table, column in (("medicines", "generic_name"), ("contacts", "name")):
        if table in db.table_names():
            secrets += [r[0] for r in db.execute(f"SELECT {column} FROM {table}")]
    db.close()
    for secret in filter(None, secrets):
        assert secret.lower() not in log.lower(), f"log mentions {secret!r}"
