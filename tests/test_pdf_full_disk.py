"""A PDF written where there is no room (issue #12 item 3): the command says so and exits
1, and the good PDF that was there is left as it was. Every PDF the app writes is
readable by its owner only, like every other file it writes."""

from __future__ import annotations

import hashlib
import os

import pytest
from gui_paths import wait_for
from small_disk import small_disk  # noqa: F401  (a fixture)

from caregiver_app import app


def _digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _page_count(path) -> int:
    from PySide6.QtPdf import QPdfDocument

    document = QPdfDocument(None)
    assert document.load(str(path)) == QPdfDocument.Error.None_
    count = document.pageCount()
    document.close()
    return count


def _print(data, out, *extra) -> int:
    return app.main(["--data-dir", str(data), "--demo", "print", "checklist", *extra,
                     "--pdf", str(out)])


def test_a_pdf_on_a_full_disk_fails_and_keeps_the_good_one(qapp, tmp_path, capsys,
                                                            small_disk):  # noqa: F811
    data = tmp_path / "data"  # the records are on a disk with room; the PDF is not
    out = small_disk.root / "checklist.pdf"
    assert _print(data, out) == 0
    good, pages = _digest(out), _page_count(out)
    capsys.readouterr()
    small_disk.fill()
    code = _print(data, out, "--days", "32")
    said = capsys.readouterr()
    assert code == 1, said.out
    assert "Wrote" not in said.out
    assert f"Could not write {out}" in said.err and "disk is full" in said.err
    assert _digest(out) == good and _page_count(out) == pages  # the good one, whole
    assert sorted(p.name for p in small_disk.root.iterdir()) == [".filler", "checklist.pdf"]
    small_disk.free()
    assert _print(data, out, "--days", "32") == 0  # with room again it is written
    said = capsys.readouterr().out
    assert f"Wrote {_page_count(out)} pages" in said and _page_count(out) >= 32


@pytest.mark.posix_only("umask and exact st_mode bits")
@pytest.mark.parametrize("umask", [0o000, 0o022])
def test_print_pdf_is_owner_only_whatever_the_umask(qapp, tmp_path, capsys, umask):
    out = tmp_path / "medlist.pdf"
    old = os.umask(umask)
    try:
        assert _print(tmp_path / "data", out) == 0, capsys.readouterr().err
    finally:
        os.umask(old)
    assert out.stat().st_mode & 0o777 == 0o600


def test_save_as_pdf_in_the_window_says_the_drive_is_full(ctx, main_window, monkeypatch, qtbot,
                                                          small_disk):  # noqa: F811
    warned = {}
    monkeypatch.setattr("caregiver_app.ui.messages.warn",
                        lambda parent, title, text: warned.update(title=title, text=text))
    out = small_disk.root / "checklist.pdf"
    day = ctx.medications.today()
    assert wait_for(qtbot, ctx.printing.save_pdf("checklist", day, out)).ok
    good = _digest(out)
    small_disk.fill()
    assert not wait_for(qtbot, ctx.printing.save_pdf("checklist", day, out, days=7)).ok
    assert warned["title"] == "PDF not saved"
    assert "Nothing was saved" in warned["text"] and "is full" in warned["text"]
    assert "“checklist.pdf” is unchanged" in warned["text"]
    assert _digest(out) == good
    assert sorted(p.name for p in small_disk.root.iterdir()) == [".filler", "checklist.pdf"]
