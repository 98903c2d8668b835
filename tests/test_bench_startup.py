"""The start-up benchmark measures both programs in one stated page-cache state
(``bench/startup.py``): every file they map dropped from the system's file cache and read
back whole, so the memory ratio does not follow how the files came into the cache."""

from __future__ import annotations

import os
import sys

import pytest

from bench import startup
from bench.common import python


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="/proc/self/maps: Linux")
def test_the_files_a_program_maps_are_listed_from_a_run_of_it():
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    found = startup.mapped_files([python(), "-c", "import PySide6.QtWidgets"], env)
    names = {path.name for path in found}
    assert any(name.startswith("libQt6Widgets.so") for name in names)
    assert any(name.startswith("QtWidgets.abi3") for name in names)
    assert all(path.is_file() for path in found)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="mincore: Linux")
def test_each_file_is_dropped_from_the_cache_then_read_back_whole(tmp_path):
    files = set()
    for n, size in enumerate((1, 5000, 300_000)):
        path = tmp_path / f"lib{n}.so"
        path.write_bytes(os.urandom(size))
        files.add(path)
    probe = tmp_path / "probe"
    probe.write_bytes(b"x" * 8192)
    fd = os.open(probe, os.O_RDONLY)
    try:
        os.fsync(fd)
        os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
        if startup._cached_bytes(fd, 8192):
            pytest.skip("this file system keeps what it is asked to drop (tmpfs)")
    finally:
        os.close(fd)
    read, kept = startup.settle_page_cache(files)
    assert read == 305_001
    assert kept == 0.0  # (all were dropped: none is mapped by a running program)
    for path in files:  # read back: cached again
        fd = os.open(path, os.O_RDONLY)
        try:
            assert startup._cached_bytes(fd, path.stat().st_size) == path.stat().st_size
        finally:
            os.close(fd)
