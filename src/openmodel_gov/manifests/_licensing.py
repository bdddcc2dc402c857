"""License validation for dataset entries, delegated to :mod:`openmodel_gov.licenses`.

The license primitive is the one place that knows license ids; it is imported when the first
entry is validated, so importing :mod:`openmodel_gov.manifests` stays cheap.
"""

from __future__ import annotations

from functools import lru_cache

__all__ = ["normalize_license_text"]


@lru_cache(maxsize=1024)
def normalize_license_text(text: str) -> str:
    """Validate a license expression (SPDX or ``hf:`` ids) and return its canonical form.

    Raises:
        LicenseExpressionError: not a valid expression.
        UnknownLicenseError: well-formed, but names ids nobody knows.

    >>> normalize_license_text("mit OR apache-2.0")
    'MIT OR Apache-2.0'
    >>> normalize_license_text("hf:apache-2.0")
    'Apache-2.0'
    """
    from openmodel_gov.licenses import normalize_license

    return normalize_license(text)
