"""Public paths for public names (as httpx resets ``__module__`` in its ``__init__.py``)."""

from __future__ import annotations

import inspect
from collections.abc import Iterable, Mapping

__all__ = ["publish"]


def publish(module_name: str, namespace: Mapping[str, object], names: Iterable[str]) -> None:
    """Set ``__module__`` of the classes and functions in ``names`` to ``module_name``.

    Only objects defined in ``module_name``'s own private modules (or in ``_core`` when
    ``module_name`` is the vocabulary's public home) are touched, so reprs, ``help()`` and
    pickles show the public path (``openmodel_gov.cards.ModelCard``) and never a private one.

    >>> import types
    >>> def f() -> None: ...
    >>> f.__module__ = "pkg._impl"
    >>> publish("pkg", {"f": f}, ["f"])
    >>> f.__module__
    'pkg'
    """
    for name in names:
        obj = namespace.get(name)
        if not (inspect.isclass(obj) or inspect.isfunction(obj)):
            continue
        owner = getattr(obj, "__module__", "") or ""
        if owner.startswith(module_name + "._") or (
            module_name == "openmodel_gov.results" and owner.startswith("openmodel_gov._core.")
        ):
            obj.__module__ = module_name
