"""Lazy access to optional dependencies (extras).

Heavy packages are imported only by the code that needs them, through :func:`require`,
which turns an ``ImportError`` into a :class:`~openmodel_gov.errors.MissingDependencyError`
naming the ``pip install`` command.

>>> require("json", extra="schema", feature="demo").__name__
'json'
>>> require("surely_not_installed_pkg", extra="pii", feature="scan_text")
Traceback (most recent call last):
...
openmodel_gov.errors.MissingDependencyError: scan_text needs 'surely_not_installed_pkg', which is not installed; run: pip install 'openmodel-gov[pii]'
"""

from __future__ import annotations

import importlib
from types import ModuleType

from openmodel_gov.errors import MissingDependencyError

__all__ = ["require"]


def require(module: str, *, extra: str, feature: str) -> ModuleType:
    """Import ``module`` or raise :class:`MissingDependencyError` naming ``extra``.

    Args:
        module: dotted import name, e.g. ``"presidio_analyzer"``.
        extra: the extra that provides it (``"pii"``, ``"sign"``, ``"schema"``, ``"ray"``).
        feature: the public function that needs it, for the message.

    Returns:
        The imported module.

    Raises:
        MissingDependencyError: the module (or one of its own imports) is missing.
    """
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        top = module.split(".", 1)[0]
        missing = exc.name or top
        raise MissingDependencyError(
            package=missing if missing.split(".", 1)[0] != top else top,
            extra=extra,
            feature=feature,
        ) from exc
