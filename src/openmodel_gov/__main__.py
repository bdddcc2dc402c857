"""``python -m openmodel_gov``: the same command line as ``openmodel-gov``."""

from __future__ import annotations

import sys

from openmodel_gov._cli import main

if __name__ == "__main__":
    sys.exit(main())
