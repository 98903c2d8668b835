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

#: The window's own switches (each ``store_true``), by option: their attribute names.
WINDOW_SWITCHES: dict[str, str] = {"--demo": "demo", "--verbose": "verbose",
                                   "--at-login": "at_login", "--quit-when-idle": "quit_when_idle"}


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
    window = window_options(argv)
    if window is not None:
        return window, []
    return build_parser().parse_known_args(argv)


def window_options(argv: list[str]) -> argparse.Namespace | None:
    """The usual start, the window's options and nothing else (``--data-dir DIR``,
    ``--data-dir=DIR`` and the switches, each written in full), read as ``build_parser``
    reads them, without making every command's parser (~3 ms CPU at each start, most of
    it argparse asking gettext for the help texts' translations). None for anything
    else (a command, help, an abbreviation, something for Qt, a folder that begins with
    "-"), which the whole parser reads, with its messages."""
    values: dict[str, object] = {"data_dir": None, **dict.fromkeys(WINDOW_SWITCHES.values(),
                                                                   False)}
    tokens = iter(argv)
    for token in tokens:
        if token in WINDOW_SWITCHES:
            values[WINDOW_SWITCHES[token]] = True
        elif token == "--data-dir":
            folder = next(tokens, None)
            if folder is None or folder.startswith("-"):
                return None
            values["data_dir"] = folder
        elif token.startswith("--data-dir="):
            values["data_dir"] = token.removeprefix("--data-dir=")
        else:
            return None
    return argparse.Namespace(**values, command=None)
