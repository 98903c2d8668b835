"""Command-line options and subcommands.

``caregiver-app`` alone starts the window. Features add subcommands (``print``,
``export``, ``import``) by listing a ``register(subparsers)`` function in
``COMMAND_MODULES``; each sets ``func`` on its parser to a callable taking the
parsed arguments and returning an exit code.
"""

from __future__ import annotations

import argparse
import importlib

from caregiver_app import APP_NAME, __version__

COMMAND_MODULES: tuple[str, ...] = ("caregiver_app.commands", "caregiver_app.printing_commands",
                                     "caregiver_app.sharing_commands")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="caregiver-app",
        description=f"{APP_NAME}: medicines, care team and learning for ALS caregivers.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument(
        "--data-dir", metavar="DIR",
        help="folder that holds the data (default: your user data folder, or "
             "$CAREGIVER_APP_DATA_DIR)",
    )
    parser.add_argument("--demo", action="store_true",
                        help="open the example household (kept apart from real data)")
    parser.add_argument("--verbose", action="store_true",
                        help="also write the log to the terminal")
    parser.add_argument("--at-login", action="store_true",
                        help="open minimized to the tray (how the app starts when you log "
                             "in, once turned on in Reminders…)")
    parser.add_argument("--quit-when-idle", action="store_true", help=argparse.SUPPRESS)
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(subparsers)
    return parser


def parse_args(argv: list[str]) -> tuple[argparse.Namespace, list[str]]:
    """Our options, and whatever is left for Qt (for example ``-platform offscreen``)."""
    return build_parser().parse_known_args(argv)
