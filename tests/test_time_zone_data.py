"""Time zones work without a system time-zone database, as on Windows.

Windows has no zone files for ``zoneinfo``; it falls back to the ``tzdata`` package,
which the app must depend on itself (issue 21 item 10).
"""

from __future__ import annotations

import re
import tomllib
import zoneinfo
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_tzdata_is_a_direct_dependency() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    names = {re.split(r"[<>=!~;\[ ]", spec, maxsplit=1)[0].lower()
             for spec in project["dependencies"]}
    assert "tzdata" in names


def test_every_zone_loads_with_no_system_zone_files() -> None:
    zoneinfo.reset_tzpath(to=[])  # no /usr/share/zoneinfo: only the tzdata package
    try:
        names = zoneinfo.available_timezones()
        assert len(names) > 400 and "America/Chicago" in names
        for name in names:
            zone = zoneinfo.ZoneInfo.no_cache(name)
            assert datetime(2026, 11, 1, tzinfo=zone).utcoffset() is not None
        chicago = zoneinfo.ZoneInfo.no_cache("America/Chicago")
        assert datetime(2026, 7, 1, 12, tzinfo=chicago).utcoffset().total_seconds() == -5 * 3600
    finally:
        zoneinfo.reset_tzpath()
