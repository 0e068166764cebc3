"""``python -m opscore.tracking``: see :mod:`opscore.tracking.cli`."""

import sys

from opscore.tracking.cli import main

sys.exit(main())
