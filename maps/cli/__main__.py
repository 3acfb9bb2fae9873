"""``python -m maps.cli``: the ``eventmap`` command."""

import sys

from maps.cli.main import main

sys.exit(main())
