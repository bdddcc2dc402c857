"""The example shipped inside the package (``openmodel_gov/data/examples``), used by ``demo``.

It is package data, so a plain ``pip install openmodel-gov`` has it.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

__all__ = ["EXAMPLE_CARD", "EXAMPLE_CONFIG", "example_dir"]

EXAMPLE_CARD = "README.md"
EXAMPLE_CONFIG = "audit.yaml"


def example_dir() -> Path:
    """The folder of the embedded example (a real folder: setuptools installs package data
    as files, never inside a zip).

    >>> (example_dir() / "README.md").is_file()
    True
    """
    root = resources.files("openmodel_gov") / "data" / "examples"
    return Path(str(root))
