"""`python -m leaf_tui.cli`, as before the command became a package."""

import sys

from leaf_tui.entry import main

sys.exit(main())
