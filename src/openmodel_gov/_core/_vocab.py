"""Controlled vocabularies shared by manifests, compliance rules and the PII report.

One definition, so a value accepted by a dataset manifest is the value a rule pack matches on.
"""

from __future__ import annotations

from typing import Literal, get_args

__all__ = [
    "DATA_CATEGORIES",
    "DEIDENTIFICATION",
    "SOURCE_KINDS",
    "DataCategory",
    "Deidentification",
    "SourceKind",
]

SourceKind = Literal["web-crawl", "licensed", "public-dataset", "user-data", "synthetic", "other"]
DataCategory = Literal[
    "personal", "special-category", "health", "children", "biometric", "financial", "none"
]
Deidentification = Literal[
    "none", "safe-harbor", "expert-determination", "anonymized", "pseudonymized"
]

SOURCE_KINDS: tuple[str, ...] = get_args(SourceKind)
DATA_CATEGORIES: tuple[str, ...] = get_args(DataCategory)
DEIDENTIFICATION: tuple[str, ...] = get_args(Deidentification)
