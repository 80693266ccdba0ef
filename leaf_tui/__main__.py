"""`python -m leaf_tui`: the same as the `leaf-tui` command."""

import sys

from leaf_tui.entry import main

sys.exit(main())
