"""A real, small file system for full-disk tests: an ext4 image mounted through a loop
device (an actual disk driver path: SQLite's -shm sizing fails there as on a full laptop
disk, which a tmpfs does not reproduce).

Mounting needs root (CAP_SYS_ADMIN) and loop devices; elsewhere the tests that use it
are skipped, saying why. The suite runs as root in this project's container.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest

SIZE_MB = 12


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(args, capture_output=True, text=True, check=False)


class SmallDisk:
    """``root``: the mounted file system. ``fill()`` leaves no free byte; ``free()``
    gives the space back."""

    def __init__(self, work: Path):
        self.image = work / "disk.img"
        self.root = work / "mnt"
        self._filler = self.root / ".filler"

    def mount(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        with open(self.image, "wb") as out:
            out.truncate(SIZE_MB * 1024 * 1024)
        made = _run("mke2fs", "-q", "-F", "-t", "ext4", "-m", "0", "-O", "^has_journal",
                    str(self.image))
        if made.returncode:
            pytest.skip(f"no small file system: mke2fs failed ({made.stderr.strip()})")
        mounted = _run("mount", "-o", "loop", str(self.image), str(self.root))
        if mounted.returncode:
            pytest.skip(f"no small file system: mount failed ({mounted.stderr.strip()})")
        shutil.rmtree(self.root / "lost+found", ignore_errors=True)

    def unmount(self) -> None:
        _run("umount", "-l", str(self.root))

    def fill(self, *connections: sqlite3.Connection) -> None:
        """No free byte left. Each connection's write-ahead log is emptied first, so the
        next write must grow it (as on a disk that filled up while the app ran)."""
        for conn in connections:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        fd = os.open(self._filler, os.O_CREAT | os.O_WRONLY | os.O_APPEND, 0o600)
        try:
            chunk = 1 << 20
            while chunk:
                try:
                    os.write(fd, b"\0" * chunk)
                except OSError:
                    chunk //= 2
            os.fsync(fd)
        finally:
            os.close(fd)
        assert shutil.disk_usage(self.root).free == 0

    def free(self) -> None:
        with contextlib.suppress(FileNotFoundError):
            self._filler.unlink()


@pytest.fixture
def small_disk(tmp_path):
    if not hasattr(os, "geteuid") or os.geteuid() != 0 or not shutil.which("mke2fs"):
        pytest.skip("a small file system needs root and mke2fs (mount -o loop)")
    disk = SmallDisk(tmp_path / "small-disk")
    disk.mount()
    try:
        yield disk
    finally:
        disk.unmount()
