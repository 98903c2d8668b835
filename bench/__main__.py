"""Run every benchmark (or those named): ``make bench`` / ``python -m bench startup``."""

from __future__ import annotations

import importlib
import sys

BENCHMARKS = ("startup", "reference", "schedule", "search", "careteam", "printing",
              "calendar", "medications", "today", "stall", "going", "sharing", "bundle")


def main(argv: list[str]) -> int:
    if any(a in ("-h", "--help") for a in argv):
        print(__doc__.strip())
        print(f"benchmarks: {', '.join(BENCHMARKS)}")
        return 0
    names = argv or list(BENCHMARKS)
    for name in names:
        if name not in BENCHMARKS:
            print(f"unknown benchmark {name!r}; choose from {', '.join(BENCHMARKS)}")
            return 2
    for name in names:
        print(f"== {name}")
        importlib.import_module(f"bench.{name}").run()
        print()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
