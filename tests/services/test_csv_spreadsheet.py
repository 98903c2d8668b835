"""The dose-history CSV as a spreadsheet reads it: LibreOffice Calc opens the file (its own
CSV import, with the options a person gets by default) and each cell's type is checked:
times are dates, offsets and notes are text exactly as typed.

Skipped, saying so, when LibreOffice is not installed (`make readers` installs it).
"""

from __future__ import annotations

import shutil
import subprocess
import xml.etree.ElementTree as ET
from datetime import UTC, date, datetime, timedelta

import pytest
from medicine_builders import T8, at, version
from test_exports import _add, home  # noqa: F401  (the fixture)

from caregiver_app.domain.regimens import AsNeededRegimen, DailyRegimen
from caregiver_app.domain.vocab import SkipReason

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
NS = {"table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
      "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
      "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0"}

pytestmark = [pytest.mark.slow, pytest.mark.skipif(
    SOFFICE is None,
    reason="LibreOffice is not installed: `make readers` installs it (Debian/Ubuntu)")]


def _q(name: str) -> str:
    prefix, _, local = name.partition(":")
    return f"{{{NS[prefix]}}}{local}"


def _calc_cells(csv_path, work) -> list[list[tuple[str, str, str]]]:
    """Rows of (type, value, shown text) as LibreOffice Calc imports the CSV file."""
    subprocess.run(
        [SOFFICE, "--headless", "--norestore", f"-env:UserInstallation={work.as_uri()}/lo",
         "--convert-to", "fods", "--infilter=CSV:44,34,76,1", "--outdir", str(work),
         str(csv_path)], check=True, capture_output=True, timeout=180)
    tree = ET.parse(work / (csv_path.stem + ".fods"))
    rows = []
    for row in tree.iter(_q("table:table-row")):
        cells = []
        for cell in row.findall(_q("table:table-cell")):
            kind = cell.get(_q("office:value-type"), "")
            value = cell.get(_q("office:date-value")) or cell.get(_q("office:value")) or ""
            shown = "\n".join("".join(p.itertext()) for p in cell.findall(_q("text:p")))
            repeat = int(cell.get(_q("table:number-columns-repeated"), "1"))
            cells += [(kind, value, shown)] * min(repeat, 64)
        rows.append(cells)
    return [r for r in rows if any(c[0] for c in r)]


def test_calc_reads_times_as_dates_and_notes_as_typed(home, tmp_path):  # noqa: F811
    fall = date(2026, 11, 1)  # New York: 01:00-02:00 happens twice
    riluzole = _add(home, DailyRegimen(fall, (T8,)), start=fall,
                    versions=(version(DailyRegimen(fall, (T8,)), valid_from=fall),))
    prn = _add(home, AsNeededRegimen(fall, timedelta(minutes=30), 6), generic_name="glyco",
               purpose="Drooling", start=fall,
               versions=(version(AsNeededRegimen(fall, timedelta(minutes=30), 6),
                                 valid_from=fall),))
    first = datetime(2026, 11, 1, 5, 30, tzinfo=UTC)  # 01:30 EDT
    home.clock.set(at(fall + timedelta(days=1), 12))
    home.book.record_prn(prn.id, given_at=first, note="-5 mL spilled")
    home.book.record_prn(prn.id, given_at=first + timedelta(hours=1), note="=SUM(A1)")
    home.book.record_given(riluzole.id, f"{fall.isoformat()}T08:00", note="+1 with jam")
    home.book.record_skipped(riluzole.id, f"{(fall + timedelta(days=1)).isoformat()}T08:00",
                             SkipReason.ASLEEP, note="- asleep, try at 10")
    path = tmp_path / "history.csv"
    assert home.service.export_history(path, fall, fall + timedelta(days=1)) == 4
    header, *rows = _calc_cells(path, tmp_path)
    titles = [shown for _, _, shown in header]
    column = {name: titles.index(name) for name in titles}
    zone = "America/New_York"
    checked = 0
    for row in rows:
        for name in (f"Due ({zone})", f"Given at ({zone})", f"Recorded at ({zone})"):
            kind, value, _ = row[column[name]]
            offset = row[column[name.split(" (")[0] + " UTC offset"]]
            if kind:
                assert kind == "date" and len(value) == 19, (name, row[column[name]])
                assert offset[0] == "string" and offset[2].startswith("UTC")
                checked += 1
    assert checked == 2 + 3 + 4  # due (riluzole), given (3 doses), recorded (all 4)
    notes = [row[column["Note"]][2] for row in rows]
    # as typed; only the formula is guarded
    assert notes == ["+1 with jam", "-5 mL spilled", "'=SUM(A1)", "- asleep, try at 10"]
    assert all(row[column["Note"]][0] == "string" for row in rows)
    # the repeated hour: the same clock time, told apart by the offset column
    given = [(row[column[f"Given at ({zone})"]][1], row[column["Given at UTC offset"]][2])
             for row in rows if row[column["Medicine"]][2] == "glyco"]
    assert given == [("2026-11-01T01:30:00", "UTC-04:00"), ("2026-11-01T01:30:00", "UTC-05:00")]
