"""``openmodel-gov manifests``: registered once ``openmodel_gov.manifests`` is available."""

from __future__ import annotations

import argparse

__all__ = ["register"]


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Nothing yet."""
