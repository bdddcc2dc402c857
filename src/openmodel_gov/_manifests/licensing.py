"""License validation for dataset entries, delegated to :mod:`openmodel_gov.licenses`.

The license primitive is the one place that knows license ids. Until it is importable (it is
developed alongside), SPDX expressions are checked with ``license-expression`` (a core
dependency) and ``hf:`` ids by shape, so manifests never hold an unchecked license.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable
from functools import lru_cache

from openmodel_gov.errors import LicenseExpressionError, UnknownLicenseError

__all__ = ["normalize_license_text"]


def _primitive() -> Callable[[str], object] | None:
    try:
        module = importlib.import_module("openmodel_gov.licenses")
    except ModuleNotFoundError as exc:
        if exc.name in ("openmodel_gov.licenses", "openmodel_gov"):
            return None
        raise  # pragma: no cover - a broken licenses module must not be hidden
    func: Callable[[str], object] | None = getattr(module, "normalize_license", None)
    return func


def _as_text(result: object) -> str:
    if isinstance(result, str):
        return result
    for attr in ("normalized", "expression", "spdx"):
        value = getattr(result, attr, None)
        if isinstance(value, str):
            return value
    return str(result)  # pragma: no cover - depends on the license primitive's result type


def _fallback(text: str) -> str:
    stripped = text.strip()
    if stripped.lower().startswith("hf:"):
        ident = stripped[3:].strip().lower()
        if not re.fullmatch(r"[a-z0-9][a-z0-9.+-]*", ident):
            raise LicenseExpressionError(
                f"{text!r} is not a valid Hugging Face license id", field="license"
            )
        return f"hf:{ident}"
    from license_expression import get_spdx_licensing

    info = get_spdx_licensing().validate(stripped)
    if info.invalid_symbols and any(info.invalid_symbols):
        raise UnknownLicenseError(
            f"unknown license id(s) in {text!r}: {', '.join(info.invalid_symbols)}",
            unknown=[s for s in info.invalid_symbols if s],
            field="license",
            hint="use an SPDX id (https://spdx.org/licenses/) or an 'hf:' id",
        )
    if info.errors or not info.normalized_expression:
        raise LicenseExpressionError(
            f"{text!r} is not a valid SPDX license expression", field="license"
        )
    return str(info.normalized_expression)


@lru_cache(maxsize=1024)
def normalize_license_text(text: str) -> str:
    """Validate a license expression and return its canonical form.

    Raises:
        LicenseExpressionError: not a valid expression.
        UnknownLicenseError: well-formed, but names ids nobody knows.

    >>> normalize_license_text("mit OR apache-2.0")
    'MIT OR Apache-2.0'
    """
    func = _primitive()
    if func is None:
        return _fallback(text)
    return _as_text(func(text))
