import sys

from caregiver_app.app import main

sys.exit(main())
