"""Where the program starts: ``caregiver-app`` and ``caregiver-app-cli`` (the scripts
pyproject.toml names), ``python -m caregiver_app`` and main.py (a checkout, the bundles)."""

import gc
import sys


def main() -> int:
    """Run the program with the arguments it was started with.

    Python's cyclic garbage collector is off while the app's modules load: they make tens
    of thousands of objects that live as long as the program and next to no cyclic
    garbage, so its ~40 collections there were work for nothing (~10 ms CPU).
    ``app.main`` turns it on again for a command; for the window ``app.run_gui`` does,
    once the window is idle."""
    gc.disable()
    from caregiver_app import codegen_cache

    codegen_cache.install()  # the dataclasses' methods compiled once, not at every start
    from caregiver_app import regex_cache

    regex_cache.install()  # the regular expressions' code kept (PySide's three: ~11 ms)
    from caregiver_app import pyside_enums

    pyside_enums.install()  # PySide's enum types made with fewer of enum's steps
    from caregiver_app.app import main as run

    return run()


if __name__ == "__main__":
    sys.exit(main())
