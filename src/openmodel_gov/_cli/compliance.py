"""``openmodel-gov compliance``: registered once ``openmodel_gov.compliance`` is available."""

from __future__ import annotations

import argparse

__all__ = ["register"]


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Nothing yet."""
