"""``services.files.write_then_replace``: a file written beside its target under a
hidden name replaces the target only once whole and not cancelled."""

from __future__ import annotations

import errno

import pytest

from caregiver_app.services.background import Cancelled
from caregiver_app.services.files import write_then_replace


def test_the_new_file_takes_the_name_and_nothing_is_left_beside_it(tmp_path):
    target = tmp_path / "sheet.pdf"
    target.write_bytes(b"old")
    seen = []

    def write(part):
        seen.append(part)
        part.write_bytes(b"new")
        return 3

    assert write_then_replace(target, write) == 3
    assert seen[0].parent == tmp_path and seen[0].name.startswith(".")  # same folder, hidden
    assert target.read_bytes() == b"new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sheet.pdf"]


@pytest.mark.parametrize("how", ["cancelled", "failed"])
def test_a_cancel_or_a_failure_keeps_the_old_file_and_leaves_nothing(tmp_path, how):
    target = tmp_path / "sheet.pdf"
    target.write_bytes(b"old")

    def write(part):
        part.write_bytes(b"half")
        if how == "failed":
            raise OSError(errno.ENOSPC, "No space left on device", str(part))

    def cancel():
        raise Cancelled

    with pytest.raises(Cancelled if how == "cancelled" else OSError):
        write_then_replace(target, write, before_replace=cancel)
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sheet.pdf"]
