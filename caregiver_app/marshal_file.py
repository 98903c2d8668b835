"""The start's cache files: a value marshalled after a header and a checksum.

Three caches keep what a start would otherwise work out again, each in one file in this
package's ``__pycache__``: the dataclasses' compiled methods (``codegen_cache``),
PySide's answer for each module (``pyside_hook``) and the regular expressions' code
(``regex_cache``). Any file may be damaged (a disk
error, a copy cut short, a flipped bit) and must then only cost the work it saves.
``marshal`` alone cannot promise that: a damaged length can make it ask for gigabytes
(``MemoryError``, or seconds of work where memory is lent freely) before it sees the
damage. So the value is written after a CRC-32 of its bytes, and read only when they
match; any other failure to read is "no file" too.
"""

from __future__ import annotations

import contextlib
import marshal
import os
import zlib
from pathlib import Path
from typing import Any


def read(path: Path, header: bytes) -> object | None:
    """The value kept at ``path`` after ``header``; None when there is none, it is not
    ours (another header), or its bytes are not those written (damaged)."""
    try:
        with open(path, "rb") as file:
            data = file.read()
    except OSError:
        return None
    start = len(header) + 4
    if len(data) < start or not data.startswith(header):
        return None
    value = memoryview(data)[start:]  # (no copy: the dataclasses' file is ~0.9 MB)
    if zlib.crc32(value) != int.from_bytes(data[len(header):start], "little"):
        return None
    try:
        return marshal.loads(value)
    except Exception:  # (the checksum matched: no such file is expected; still none)
        return None


def write(path: Path, header: bytes, value: Any) -> bool:
    """Write ``value`` at ``path``, whole and atomically (a file of its own, then
    renamed over it). Returns whether it did; a failure leaves the file as it was."""
    temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        data = marshal.dumps(value)
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(temporary, "wb") as file:
            file.write(header)
            file.write(zlib.crc32(data).to_bytes(4, "little"))
            file.write(data)
        os.replace(temporary, path)
    except (OSError, ValueError):
        with contextlib.suppress(OSError):
            temporary.unlink(missing_ok=True)
        return False
    return True
