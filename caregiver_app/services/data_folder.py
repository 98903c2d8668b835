"""The data folder at one level, and the one-time move of the old two-level folder.

Versions up to 0.1.0 kept the records in Qt's AppDataLocation, which names the
organisation and then the application: ``…/ALS Care Companion/ALS Care Companion/``.
The folder is now the organisation's level, ``…/ALS Care Companion/`` (its parent), and
the example household sits beside it as ``…/ALS Care Companion-example/``.

An existing old folder is moved there once, at the first start of a newer version,
and only when it is safe:

- under the old folder's single-instance lock (``app.lock``, the file
  ``SingleInstance`` holds): a copy still running there keeps its folder, and this start
  uses the old folder too (the running copy is brought to the front as usual);
- only when the new folder holds nothing but the old one (and the old example folder):
  a new folder that already has records of its own is never merged into;
- each step is one ``rename`` or ``rmdir``, and a step that fails undoes the ones
  before it, so a failure leaves the folders as they were and the app uses the old one.

Because the new folder is the old one's parent, the move goes through a sibling:
``old`` → ``…/ALS Care Companion.moving``; the now-empty parent is removed; then
``.moving`` → ``…/ALS Care Companion``. A start that finds ``.moving`` (the computer
stopped between two steps) finishes the job before anything else.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from caregiver_app import paths

log = logging.getLogger(__name__)

#: The file of the single-instance lock in a data folder (``SingleInstance``).
LOCK_FILE_NAME = "app.lock"
MOVING_SUFFIX = ".moving"


@dataclass(frozen=True)
class Settled:
    """Which folder to use, and what happened to the old one (for the log)."""

    folder: Path
    moved: bool = False
    note: str = ""


def resolve(cli_value: str | os.PathLike[str] | None = None) -> Settled:
    """The data folder for this start: ``--data-dir``, ``CAREGIVER_APP_DATA_DIR``, or the
    default one-level folder (moving the old two-level folder there first, once)."""
    if cli_value or os.environ.get(paths.ENV_DATA_DIR):
        return Settled(paths.resolve_data_dir(cli_value))
    return settle(paths.two_level_data_dir(), paths.default_data_dir())


def lock_blocks_folder_rename(platform: str = sys.platform) -> bool:
    """Windows cannot rename a folder while a file in it is open, and ``QLockFile`` keeps
    its file open there: the lock is let go just before the renames (which then fail,
    harmlessly, if an older copy took it in between). Elsewhere it is held throughout."""
    return platform == "win32"


class _Refused(Exception):
    """The move cannot go ahead; nothing was changed."""


class _Stuck(Exception):
    """A step failed and undoing the steps before it failed too."""


def _holding_records(old: Path, moving: Path, new: Path) -> Path:
    """Where the records are after a move that stopped half-way (the next start finishes
    it from ``moving``)."""
    if old.is_dir():
        return old
    return moving if moving.is_dir() else new


def settle(old: Path, new: Path, *, rename: Callable[[Path, Path], None] = os.rename,
           rmdir: Callable[[Path], None] = os.rmdir,
           platform: str = sys.platform) -> Settled:
    """Move ``old`` (``new/<name>``) up to ``new`` when that is safe; say which to use.

    ``rename`` and ``rmdir`` are the file system's own (tests pass failing ones).
    """
    moving = new.with_name(new.name + MOVING_SUFFIX)
    if moving.is_dir():
        return _finish(moving, new, rename, rmdir, platform)
    if not old.is_dir():
        return Settled(new)  # a new household, or moved already
    old_example = paths.example_data_dir(old)
    new_example = paths.example_data_dir(new)
    extra = sorted(entry.name for entry in new.iterdir()
                   if entry.name not in {old.name, old_example.name})
    if extra:
        return Settled(old, note=f"not moved up: {new} already holds {len(extra)} other "
                                 "entries")
    if old_example.exists() and new_example.exists():
        return Settled(old, note=f"not moved up: {new_example} already exists")
    try:
        with _held(old) as old_lock, _held(old_example) as example_lock:
            if lock_blocks_folder_rename(platform):
                old_lock()
                example_lock()
            done = _move(old, old_example, new, new_example, moving, rename, rmdir)
    except _Refused as refused:
        return Settled(old, note=f"not moved up: {refused}")
    except _Stuck as stuck:  # (not seen outside tests: a rename that works, then not)
        done = Settled(_holding_records(old, moving, new), note=f"not moved up: {stuck}")
    for folder in (new, new_example, moving):
        with contextlib.suppress(FileNotFoundError, NotADirectoryError):
            (folder / LOCK_FILE_NAME).unlink()  # ours, moved with the folder and released
    return done


@contextlib.contextmanager
def _held(folder: Path) -> Iterator[Callable[[], None]]:
    """The single-instance lock of ``folder`` (if it exists), held; yields the call that
    lets it go early. Raises ``_Refused`` when a running copy holds it."""
    if not folder.is_dir():
        yield lambda: None
        return
    from PySide6.QtCore import QLockFile

    lock = QLockFile(str(folder / LOCK_FILE_NAME))
    lock.setStaleLockTime(0)  # as SingleInstance: stale only when its process is gone
    if not lock.tryLock(100):
        raise _Refused(f"{folder} is in use by a running copy"
                       if lock.error() == QLockFile.LockError.LockFailedError
                       else f"{folder} cannot be locked")
    try:
        yield lock.unlock
    finally:
        lock.unlock()


def _move(old: Path, old_example: Path, new: Path, new_example: Path, moving: Path,
          rename: Callable[[Path, Path], None], rmdir: Callable[[Path], None]) -> Settled:
    undo: list[Callable[[], None]] = []

    def step(action: Callable[[], None], reverse: Callable[[], None], what: str) -> None:
        try:
            action()
        except OSError as exc:
            for back in reversed(undo):
                try:
                    back()
                except OSError:
                    log.exception("data folder move: could not undo a step")
                    raise _Stuck(f"{what} failed ({exc.strerror or exc}), and undoing "
                                   "it failed too") from exc
            raise _Refused(f"{what} failed ({exc.strerror or exc}); nothing was "
                           "changed") from exc
        undo.append(reverse)

    if old_example.is_dir():
        step(lambda: rename(old_example, new_example),
             lambda: rename(new_example, old_example), "moving the example household")
    step(lambda: rename(old, moving), lambda: rename(moving, old), "moving the records")
    step(lambda: rmdir(new), lambda: new.mkdir(mode=0o700), "removing the empty folder")
    step(lambda: rename(moving, new), lambda: rename(new, moving), "renaming the folder")
    return Settled(new, moved=True, note=f"moved up one level to {new}")


def _finish(moving: Path, new: Path, rename: Callable[[Path, Path], None],
            rmdir: Callable[[Path], None], platform: str) -> Settled:
    """A move the computer stopped half-way: ``moving`` holds the records."""
    try:
        with _held(moving) as lock:
            if lock_blocks_folder_rename(platform):
                lock()
            if new.is_dir():
                rmdir(new)  # empty then (OSError, and left alone, if it is not)
            rename(moving, new)
    except (OSError, _Refused) as exc:
        why = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        return Settled(moving, note=f"an interrupted move could not be finished ({why}): "
                                    f"using {moving}")
    with contextlib.suppress(FileNotFoundError):
        (new / LOCK_FILE_NAME).unlink()
    return Settled(new, moved=True, note=f"an interrupted move was finished: {new}")
