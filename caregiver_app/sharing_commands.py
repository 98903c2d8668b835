"""The ``sync`` command: one sync with the family's server, for a scheduled job.

Prints what it did ("16 sent, 0 removed, 1 ticked on a phone and recorded.") and each
thing a person should check; exits 1 when the sync failed (saying why in plain words),
2 when sharing is off or the records cannot be changed, 3 when another sync (the app's
window, or another ``caregiver-app sync``) was running on the same records
(``services.sharing.lock``): it did nothing, and the next one picks up everything.
"""

from __future__ import annotations

import argparse
import sys

#: Exit status when another sync holds the records' sync lock.
BUSY = 3


def register(subparsers) -> None:
    sync = subparsers.add_parser(
        "sync", help="share with the family now: one sync with the server chosen in "
                     "File ▸ Share with the family… (for a scheduled job)")
    sync.set_defaults(func=run_sync)


def run_sync(args: argparse.Namespace) -> int:
    from caregiver_app.commands import _core_app, open_core_for
    from caregiver_app.services.clock import SystemClock

    if args.demo:
        print("The example household never shares.", file=sys.stderr)
        return 2
    _core_app()
    core = open_core_for(args, clock=SystemClock())
    if core is None:
        return 1
    try:
        if core.read_only:
            print(f"Not shared: the records cannot be changed now ({core.read_only}).",
                  file=sys.stderr)
            return 2
        return _sync(core)
    finally:
        core.close()


def _sync(core) -> int:
    from caregiver_app.services.sharing.engine import engine_for, sync_once
    from caregiver_app.services.sharing.lock import SyncLock
    from caregiver_app.services.sharing.service import default_connect, keep_login
    from caregiver_app.services.sharing.transport import ShareError
    from caregiver_app.storage.sharing_repo import SharingRepository

    repo = SharingRepository(core.db)
    config = repo.config()
    if not config.enabled:
        print("Sharing with the family is off: turn it on in the app, in File ▸ "
              "Share with the family….", file=sys.stderr)
        return 2
    engine = engine_for(core, repo)
    lock = SyncLock(core.data_dir)
    if not lock.acquire():
        print(f"Not shared: {lock.busy_message()}", file=sys.stderr)
        return BUSY
    transport = None
    try:
        with default_connect(config) as transport:
            report = sync_once(engine, transport)
    except ShareError as exc:
        print(f"Not shared: {exc.message}", file=sys.stderr)
        return 1
    finally:
        if transport is not None:  # how the server took the password, for the next run
            keep_login(repo, config, transport)
        lock.release()
    print(f"Shared with the family: {report.summary()}")
    for note in report.noted:
        print(f"  {'To check' if note.action.asks_a_person else 'Note'}: {note.message}")
    return 0


__all__ = ["register", "run_sync"]
