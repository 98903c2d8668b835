"""Owner-only files, checked the way each system has them."""

from __future__ import annotations

import os
import stat
from pathlib import Path


def assert_owner_only(path: Path) -> None:
    """POSIX: exactly 0600 for a file, 0700 for a folder. Windows has no such bits
    (``chmod`` only sets or clears the read-only flag, and the README says who can read
    the data folder there): the app's ``chmod`` must at least leave it writable."""
    if os.name == "nt":
        assert os.access(path, os.W_OK), f"{path} was made read-only"
        return
    expected = 0o700 if path.is_dir() else 0o600
    assert stat.S_IMODE(path.stat().st_mode) == expected, (path, oct(path.stat().st_mode))
