"""``python -m desktop`` is ``pupitre``."""

import sys

from desktop.cli import main

sys.exit(main())
