"""Parsing ``KEY=VALUE`` options (``--fact``, ``--context``) into typed scalars."""

from __future__ import annotations

import math
from collections.abc import Sequence

__all__ = ["parse_pairs", "parse_scalar"]


def parse_scalar(text: str) -> bool | int | float | str:
    """``true``/``false``/``yes``/``no`` -> bool, integers and floats -> numbers, else the text.

    >>> parse_scalar("yes"), parse_scalar("700000000"), parse_scalar("1e25"), parse_scalar("x")
    (True, 700000000, 1e+25, 'x')
    >>> parse_scalar("NaN"), parse_scalar("inf")
    ('NaN', 'inf')
    """
    lowered = text.strip().lower()
    if lowered in {"true", "yes", "y", "on"}:
        return True
    if lowered in {"false", "no", "n", "off"}:
        return False
    try:
        return int(lowered.replace("_", ""))
    except ValueError:
        pass
    try:
        number = float(lowered)
    except ValueError:
        return text.strip()
    # "nan", "inf" and overflowing literals are words here, not numbers: a fact is never NaN.
    return number if math.isfinite(number) else text.strip()


def parse_pairs(items: Sequence[str], *, option: str) -> dict[str, bool | int | float | str]:
    """Parse ``["a=1", "b=yes"]``; a malformed item is an ``InputError`` naming ``option``.

    >>> parse_pairs(["commercial=yes", "monthly_active_users=1000"], option="--fact")
    {'commercial': True, 'monthly_active_users': 1000}
    """
    from openmodel_gov.errors import InputError

    out: dict[str, bool | int | float | str] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise InputError(f"expected KEY=VALUE, got {item!r}", field=option)
        out[key.strip().replace("-", "_")] = parse_scalar(value)
    return out
