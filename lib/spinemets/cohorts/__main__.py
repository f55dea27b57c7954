"""``python -m spinemets.cohorts``: see :func:`spinemets.cohorts.main`."""

import sys

from .cli import main

sys.exit(main())
