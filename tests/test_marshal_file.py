"""The start's cache files (``caregiver_app.marshal_file``): what was written is read
back; a damaged file is none, and is never unmarshalled (a damaged length would have
``marshal`` ask for gigabytes before it saw the damage: a start that never comes)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from caregiver_app import marshal_file

HEADER = b"test cache 1\n"
VALUE = {"/app/caregiver_app/core.py": (1_700_000_000_123, 4096, True),
         "/app/caregiver_app/domain/doses.py": (1_700_000_000_456, 20480, False)}


@pytest.fixture
def kept(tmp_path):
    path = tmp_path / "__pycache__" / "kept.marshal"
    assert marshal_file.write(path, HEADER, VALUE)
    return path


def test_what_is_written_is_read_back(kept):
    assert marshal_file.read(kept, HEADER) == VALUE
    assert [p.name for p in kept.parent.iterdir()] == ["kept.marshal"]  # no leftover


def test_a_missing_file_or_another_header_is_none(tmp_path, kept):
    assert marshal_file.read(tmp_path / "missing.marshal", HEADER) is None
    assert marshal_file.read(kept, b"test cache 2\n") is None


@given(st.data())
def test_any_flipped_byte_or_cut_makes_the_file_none_without_unmarshalling_it(
        tmp_path_factory, data):
    path = tmp_path_factory.mktemp("kept") / "kept.marshal"
    marshal_file.write(path, HEADER, VALUE)
    good = path.read_bytes()
    if data.draw(st.booleans(), label="cut"):
        damaged = good[:data.draw(st.integers(0, len(good) - 1), label="length")]
    else:
        at = data.draw(st.integers(0, len(good) - 1), label="at")
        flip = data.draw(st.integers(1, 255), label="flip")
        damaged = good[:at] + bytes([good[at] ^ flip]) + good[at + 1:]
    path.write_bytes(damaged)
    unmarshalled: list[bytes] = []
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(marshal_file.marshal, "loads", unmarshalled.append)
        assert marshal_file.read(path, HEADER) is None
    assert unmarshalled == []  # (caught before marshal could be asked for gigabytes)


def test_a_length_that_asks_for_gigabytes_is_caught_before_marshal_sees_it(kept):
    """The reviewer's file: the first key's type byte made a list of 2**31-1 items."""
    good = kept.read_bytes()
    at = len(HEADER) + 4 + 5  # (the dict's type byte, then the first key's)
    bomb = good[:at] + b"[" + (0x7FFFFFFF).to_bytes(4, "little") + good[at + 5:]
    kept.write_bytes(bomb)
    assert marshal_file.read(kept, HEADER) is None


def test_a_value_that_fails_to_unmarshal_even_so_is_none(kept, monkeypatch):
    def out_of_memory(data, /):
        raise MemoryError

    monkeypatch.setattr(marshal_file.marshal, "loads", out_of_memory)
    assert marshal_file.read(kept, HEADER) is None


def test_a_failed_write_leaves_the_file_as_it_was(kept, monkeypatch):
    def full_disk(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(marshal_file.os, "replace", full_disk)
    assert not marshal_file.write(kept, HEADER, {"other": (1, 2, False)})
    assert marshal_file.read(kept, HEADER) == VALUE
    assert [p.name for p in kept.parent.iterdir()] == ["kept.marshal"]


def test_the_file_is_read_without_copies_of_its_bytes(tmp_path):
    """Every start reads the dataclasses' file (~0.9 MB): its bytes are checked and
    unmarshalled where they were read, not copied twice more (~450 pages of memory a
    start touched, ~0.5 ms CPU)."""
    import tracemalloc

    path = tmp_path / "big.marshal"
    size = 4_000_000
    assert marshal_file.write(path, HEADER, {"text": b"x" * size})
    tracemalloc.start()
    try:
        found = marshal_file.read(path, HEADER)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert found == {"text": b"x" * size}
    assert peak < 2.5 * size  # the file's bytes and the value read: no more
