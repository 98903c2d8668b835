from __future__ import annotations

import sqlite3

import pytest

from caregiver_app.storage import migrations
from caregiver_app.storage.db import NewerSchemaError, connect, migrate, open_database


def _schema(db) -> list[tuple]:
    return db.execute(
        "SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY name"
    ).fetchall()


@pytest.mark.posix_only("exact st_mode bits: Windows has only a read-only flag")
def test_file_and_folder_are_owner_only(data_dir):
    db = open_database(data_dir / "caregiver.sqlite3")
    db.table("caregivers").insert({"name": "A", "initials": "A", "active": 1})
    for path in data_dir.iterdir():
        assert path.stat().st_mode & 0o777 == 0o600, path.name
    assert data_dir.stat().st_mode & 0o777 == 0o700
    db.close()


def test_pragmas(data_dir):
    db = open_database(data_dir / "caregiver.sqlite3")
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert db.execute("PRAGMA busy_timeout").fetchone()[0] >= 1000
    assert db.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    db.close()


@pytest.mark.parametrize(("platform", "fullfsync"), [
    ("darwin", 1), ("linux", 0), ("win32", 0)])
def test_macos_flushes_the_drive_cache_at_every_commit(data_dir, monkeypatch, platform,
                                                        fullfsync):
    """synchronous=FULL only reaches the drive's cache on macOS: there the app asks for
    F_FULLFSYNC for commits and WAL checkpoints (#21 item 8)."""
    from caregiver_app.storage import db as db_module

    monkeypatch.setattr(db_module.sys, "platform", platform)
    db = open_database(data_dir / "caregiver.sqlite3")
    assert db.execute("PRAGMA fullfsync").fetchone()[0] == fullfsync
    assert db.execute("PRAGMA checkpoint_fullfsync").fetchone()[0] == fullfsync
    assert db.execute("PRAGMA synchronous").fetchone()[0] == 2
    db.close()


def test_migrating_empty_database_then_again_is_a_no_op(data_dir):
    path = data_dir / "caregiver.sqlite3"
    db = open_database(path)
    first = _schema(db)
    applied = db.execute("SELECT count(*) FROM _sqlite_migrations").fetchone()[0]
    assert not migrations.pending(db)
    migrate(db)
    db.close()
    again = open_database(path)
    assert _schema(again) == first
    assert again.execute("SELECT count(*) FROM _sqlite_migrations").fetchone()[0] == applied
    again.close()


def test_every_known_migration_is_applied(fresh_db):
    assert migrations.applied_names(fresh_db) == migrations.known_names()


def test_file_from_newer_app_is_refused(data_dir):
    path = data_dir / "caregiver.sqlite3"
    db = open_database(path)
    db.table("_sqlite_migrations").insert(
        {"migration_set": "caregiver_app.core", "name": "m999_from_the_future",
         "applied_at": "2030-01-01"})
    db.close()
    db = connect(path)
    with pytest.raises(NewerSchemaError, match="newer version"):
        migrate(db)
    db.close()


def test_writes_outside_transactions_are_committed(data_dir):
    path = data_dir / "caregiver.sqlite3"
    db = open_database(path)
    db.execute("INSERT INTO caregivers (name, initials, active) VALUES ('B', 'B', 1)")
    other = sqlite3.connect(path)
    assert other.execute("SELECT count(*) FROM caregivers").fetchone()[0] == 1
    other.close()
    db.close()


def _sqlite_memory_used():
    """SQLite's own count of the bytes it holds in this process (the library Python's
    sqlite3 module uses, where ctypes can find it), or None."""
    import _sqlite3
    import ctypes
    import ctypes.util

    for name in (_sqlite3.__file__, ctypes.util.find_library("sqlite3")):
        try:
            used = ctypes.CDLL(name).sqlite3_memory_used
        except (OSError, TypeError, AttributeError):
            continue
        used.restype = ctypes.c_int64
        return used
    return None


@pytest.mark.parametrize("read_only", [False, True])
def test_opening_keeps_no_page_the_check_read(data_dir, read_only):
    """SQLite's check of the file at opening reads every page of it, and SQLite keeps
    what it reads (up to 2 MiB): the records keep none of them once opened."""
    from caregiver_app.storage.db import open_read_only

    used = _sqlite_memory_used()
    if used is None:
        pytest.skip("SQLite's library cannot be reached through ctypes here")
    path = data_dir / "caregiver.sqlite3"
    db = open_database(path)
    db.conn.execute("CREATE TABLE filler (text TEXT)")
    db.conn.executemany("INSERT INTO filler VALUES (?)", [("x" * 2000,)] * 2000)  # ~4 MB
    db.close()
    before = used()
    again = (open_read_only if read_only else open_database)(path)
    try:
        assert used() - before < 1_000_000  # (~2.5 MB when the checked pages are kept)
    finally:
        again.close()


@pytest.mark.parametrize("read_only", [False, True])
def test_opening_keeps_no_program_of_its_checks(data_dir, read_only):
    """The checks an opening runs once (the consistency check, ~150 KiB of program for
    the app's tables; the references' check) are not kept in the connection's cache of
    statements once their rows are read: the same checks run again as PRAGMAs then make
    their programs anew (they would be found in the cache, and cost nothing, had the
    opening kept them)."""
    from caregiver_app.storage.db import open_read_only

    used = _sqlite_memory_used()
    if used is None:
        pytest.skip("SQLite's library cannot be reached through ctypes here")
    path = data_dir / "caregiver.sqlite3"
    open_database(path).close()
    db = (open_read_only if read_only else open_database)(path)
    try:
        for pragma, at_least in (("quick_check", 50_000), ("foreign_key_check", 5_000)):
            db.conn.execute("PRAGMA shrink_memory")
            before = used()
            db.conn.execute(f"PRAGMA {pragma}").fetchall()
            db.conn.execute("PRAGMA shrink_memory")  # (the pages it read: not a program)
            assert used() - before > at_least, pragma  # (both openings run both checks)
    finally:
        db.close()


def test_the_consistency_check_finds_what_the_pragma_finds(data_dir):
    """``QUICK_CHECK`` (the table-valued function) gives the rows, or raises the error,
    that ``PRAGMA quick_check`` gives, for records damaged in many places."""
    import random

    from caregiver_app.storage.db import QUICK_CHECK

    path = data_dir / "caregiver.sqlite3"
    db = open_database(path)
    db.conn.execute("CREATE TABLE filler (text TEXT)")
    db.conn.executemany("INSERT INTO filler VALUES (?)", [(f"{n}" * 300,) for n in range(300)])
    db.close()
    whole = path.read_bytes()
    damaged = data_dir / "damaged.sqlite3"
    chance = random.Random(19)
    found = set()
    for page in range(len(whole) // 4096):
        for at in ((100, 110) if page == 0 else (0, 8, 2000)):
            data = bytearray(whole)
            start = page * 4096 + at
            data[start:start + 48] = bytes(chance.randrange(256) for _ in range(48))
            damaged.write_bytes(bytes(data))
            answers = []
            for sql in ("PRAGMA quick_check", QUICK_CHECK):
                conn = sqlite3.connect(damaged)
                conn.text_factory = bytes  # (damage may make any text)
                try:
                    answers.append(conn.execute(sql).fetchall())
                except sqlite3.DatabaseError as exc:
                    answers.append((type(exc), str(exc), exc.sqlite_errorcode))
                except UnicodeDecodeError as exc:  # (SQLite's message names damaged text)
                    answers.append((type(exc), str(exc), None))
                finally:
                    conn.close()
            assert answers[0] == answers[1], (page, at)
            found.add("raised" if isinstance(answers[0], tuple)
                      else "ok" if answers[0] == [(b"ok",)] else "damage listed")
    assert found == {"raised", "ok", "damage listed"}  # (each kind of answer was compared)


@pytest.mark.parametrize("read_only", [False, True])
def test_a_damaged_list_of_tables_in_bytes_that_are_not_text_is_damage(data_dir, read_only):
    """SQLite names the damaged table in its message, and when the name is not UTF-8
    Python raises UnicodeDecodeError instead of a database error: it is damage still
    (the start offers the backups), not a crash."""
    from caregiver_app.storage.db import DatabaseDamaged, open_read_only

    path = data_dir / "caregiver.sqlite3"
    open_database(path).close()
    conn = sqlite3.connect(path, isolation_level=None)
    index = conn.execute("SELECT name FROM sqlite_master WHERE type = 'index' "
                         "AND sql IS NOT NULL LIMIT 1").fetchone()[0]
    conn.execute("PRAGMA writable_schema = ON")
    conn.execute("UPDATE sqlite_master SET name = CAST(X'69FF' AS TEXT), "
                 "sql = 'CREATE INDEX broken' WHERE name = ?", [index])
    conn.close()
    with pytest.raises(DatabaseDamaged) as raised:
        (open_read_only if read_only else open_database)(path)
    assert raised.value.kind == "damaged"


def _example_records(data_dir):
    from datetime import date

    from caregiver_app.services.demo import populate_example

    path = data_dir / "caregiver.sqlite3"
    db = open_database(path)
    populate_example(db, today=date(2026, 11, 25), time_zone="America/Chicago")
    db.close()
    return path


@pytest.mark.parametrize("kind", ["TABLE", "VIEW"])
@pytest.mark.parametrize("read_only", [False, True])
def test_a_damaged_file_holding_a_table_named_like_the_check_is_refused(data_dir, read_only,
                                                                         kind):
    """By its plain name SQLite reads a table (or view) of the file called
    ``pragma_quick_check`` instead of running the check: a damaged file holding one that
    says "ok" opened as sound (rev1). Such a file is refused, as changed."""
    from caregiver_app.storage.db import DatabaseDamaged, open_read_only

    path = _example_records(data_dir)
    plain = sqlite3.connect(path, isolation_level=None)
    if kind == "TABLE":
        plain.execute("CREATE TABLE pragma_quick_check (quick_check TEXT)")
        plain.execute("INSERT INTO pragma_quick_check VALUES ('ok')")
    else:
        plain.execute("CREATE VIEW pragma_quick_check AS SELECT 'ok' AS quick_check")
    # one index's page damaged: the check lists it, the list of tables still reads
    root = plain.execute("SELECT rootpage FROM sqlite_master WHERE type = 'index' AND "
                         "tbl_name = 'dose_entries' ORDER BY rootpage DESC LIMIT 1"
                         ).fetchone()[0]
    size = plain.execute("PRAGMA page_size").fetchone()[0]
    plain.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    plain.close()
    data = bytearray(path.read_bytes())
    data[(root - 1) * size:(root - 1) * size + 12] = b"\xff" * 12
    path.write_bytes(bytes(data))
    with pytest.raises(DatabaseDamaged) as raised:
        (open_read_only if read_only else open_database)(path).close()
    assert raised.value.kind == "changed"
    assert "pragma_quick_check" in raised.value.reason


@pytest.mark.parametrize("read_only", [False, True])
def test_a_broken_reference_behind_a_table_named_like_its_check_is_found(data_dir,
                                                                        read_only):
    """A contact a medicine names deleted by another program, and an empty table called
    ``pragma_foreign_key_check`` beside it: refused, not opened as whole (rev1)."""
    from caregiver_app.storage.db import DatabaseDamaged, open_read_only

    path = _example_records(data_dir)
    plain = sqlite3.connect(path, isolation_level=None)  # (a DB browser: no references)
    contact = plain.execute("SELECT prescriber_id FROM medicines WHERE prescriber_id IS "
                            "NOT NULL LIMIT 1").fetchone()[0]
    plain.execute("DELETE FROM contact_phones WHERE contact_id = ?", [contact])
    plain.execute("DELETE FROM contacts WHERE id = ?", [contact])
    plain.execute('CREATE TABLE pragma_foreign_key_check '
                  '("table" TEXT, rowid INT, parent TEXT, fkid INT)')
    plain.close()
    with pytest.raises(DatabaseDamaged) as raised:
        (open_read_only if read_only else open_database)(path).close()
    assert raised.value.kind == "changed"


def test_the_checks_are_called_so_a_table_of_their_name_is_never_read(data_dir):
    """The second guard: called as functions, a table of the check's name is an error,
    never an answer (``QUICK_CHECK``; the references' check the same way)."""
    from caregiver_app.storage.db import QUICK_CHECK

    conn = sqlite3.connect(":memory:")
    assert conn.execute(QUICK_CHECK).fetchall() == [("ok",)]
    conn.execute("CREATE TABLE pragma_quick_check (quick_check TEXT)")
    conn.execute("INSERT INTO pragma_quick_check VALUES ('ok')")
    with pytest.raises(sqlite3.OperationalError, match="not a function"):
        conn.execute(QUICK_CHECK).fetchall()
