"""Caches that check their argument's type first (private).

``functools.lru_cache`` hashes its argument before the function can check it, so a list
where a string belongs raises ``TypeError: unhashable type`` from inside the cache, outside
the error tree. :func:`checked_cache` runs the function's own check (which raises a typed
error) before the cache lookup.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

__all__ = ["checked_cache"]

A = TypeVar("A")
R = TypeVar("R")


def checked_cache(
    check: Callable[[Any], A], *, maxsize: int
) -> Callable[[Callable[[A], R]], Callable[[A], R]]:
    """An LRU cache over a one-argument function that calls ``check(arg)`` before hashing.

    >>> def must_be_str(value: object) -> str:
    ...     if not isinstance(value, str):
    ...         raise ValueError(f"expected a string, got {type(value).__name__}")
    ...     return value
    >>> @checked_cache(must_be_str, maxsize=8)
    ... def shout(text: str) -> str:
    ...     return text.upper()
    >>> shout("a")
    'A'
    >>> shout(["a"])
    Traceback (most recent call last):
    ...
    ValueError: expected a string, got list
    """

    def decorate(func: Callable[[A], R]) -> Callable[[A], R]:
        cached = functools.lru_cache(maxsize=maxsize)(func)

        @functools.wraps(func)
        def wrapper(arg: A) -> R:
            return cached(check(arg))

        wrapper.cache_clear = cached.cache_clear  # type: ignore[attr-defined]
        wrapper.cache_info = cached.cache_info  # type: ignore[attr-defined]
        return wrapper

    return decorate
