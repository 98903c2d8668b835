"""Start ALS Care Companion from a checkout: ``python main.py [options]``."""

import sys

from caregiver_app.__main__ import main

if __name__ == "__main__":
    sys.exit(main())
