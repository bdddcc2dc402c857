"""License look-ups for the openness scorer, through :mod:`openmodel_gov.licenses` (cached).

Every answer is memoized per license text, so scoring thousands of cards costs one
classification per distinct license.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal, cast

from openmodel_gov.cards import UNLICENSED, ComponentName, ModelCard
from openmodel_gov.openness._data import LicenseCategory, mof_license_facts

__all__ = [
    "LicenseOrigin",
    "ResolvedLicense",
    "category_of",
    "is_mot_open",
    "is_osi_approved",
    "is_type_appropriate",
    "normalize",
    "open_in_mode",
    "resolve_component_license",
]

LicenseOrigin = Literal["component", "global", "distribution", "declared", "none"]


@dataclass(frozen=True)
class ResolvedLicense:
    """The license a component is released under, and where that answer came from."""

    value: str | None
    origin: LicenseOrigin
    field: str

    @property
    def explicit_none(self) -> bool:
        """True when the component itself says ``unlicensed``."""
        return (
            self.origin == "component"
            and self.value is not None
            and (self.value.lower() == UNLICENSED)
        )


def resolve_component_license(card: ModelCard, name: str, content_type: str) -> ResolvedLicense:
    """Resolve a component's license the way the Model Openness Tool does.

    Own license if stated (``unlicensed`` included: it blocks inheritance); else the global
    license for the content type; else the distribution license; else the card's declared
    license (our extension: MOT files never set it); else none.
    """
    comp = card.components.get(cast(ComponentName, name))
    if comp is not None and comp.license is not None:
        return ResolvedLicense(comp.license, "component", f"$.components['{name}'].license")
    by_type = card.licenses.for_content_type(content_type)
    if by_type:
        return ResolvedLicense(by_type, "global", f"$.licenses.{content_type}")
    if card.licenses.distribution:
        return ResolvedLicense(
            card.licenses.distribution, "distribution", "$.licenses.distribution"
        )
    if card.license:
        return ResolvedLicense(card.license, "declared", "$.license")
    return ResolvedLicense(None, "none", f"$.components['{name}'].license")


@lru_cache(maxsize=8192)
def _spdx_flags(spdx_id: str) -> tuple[bool, bool] | None:
    """(OSI-approved, FSF-libre) for an exact SPDX id, or None when it is not on the list."""
    from openmodel_gov.licenses import license_info

    info = license_info(spdx_id)  # exact, case-sensitive: "apache-2.0" is not on the list
    if info is None:
        return None
    return info.is_osi_approved, info.is_fsf_libre


@lru_cache(maxsize=8192)
def is_mot_open(license_id: str) -> bool:
    """Open per the MOT: exact SPDX id that is OSI-approved or FSF-libre, or an open-data license.

    >>> is_mot_open("Apache-2.0"), is_mot_open("Apache 2.0"), is_mot_open("CC-BY-4.0")
    (True, False, True)
    """
    facts = mof_license_facts()
    if license_id in facts.open_data_licenses.ids or license_id in facts.extra_open_licenses.ids:
        return True
    if not facts.osi_or_fsf_is_open:  # pragma: no cover - data switch
        return False
    flags = _spdx_flags(license_id)
    return flags is not None and (flags[0] or flags[1])


@lru_cache(maxsize=8192)
def is_osi_approved(license_id: str) -> bool:
    """True for an exact SPDX id that the OSI approved."""
    flags = _spdx_flags(license_id)
    return flags is not None and flags[0]


def is_type_appropriate(license_id: str, content_type: str) -> bool:
    """True when the MOT lists ``license_id`` as suited to ``content_type``."""
    return license_id in mof_license_facts().type_licenses(content_type)


@lru_cache(maxsize=8192)
def normalize(text: str) -> str | None:
    """Canonical SPDX expression for ``text``, or None when it cannot be understood.

    Uses :func:`openmodel_gov.licenses.normalize_license`; a text it refuses that is one SPDX
    id written with spaces or in another case (``"Apache 2.0"``, ``"apache-2.0"``) is matched
    case-insensitively with spaces read as hyphens.

    >>> normalize("hf:apache-2.0"), normalize("Apache 2.0"), normalize("no such thing")
    ('Apache-2.0', 'Apache-2.0', None)
    """
    from openmodel_gov.errors import OpenModelGovError
    from openmodel_gov.licenses import find_license_info, normalize_license

    try:
        return normalize_license(text)
    except (OpenModelGovError, ValueError):
        info = find_license_info("-".join(text.split()))
        return info.id if info is not None else None


_SPLIT_OR = re.compile(r"\s+OR\s+")
_SPLIT_AND = re.compile(r"\s+AND\s+")


@lru_cache(maxsize=8192)
def _expression_open(expression: str, check: str) -> bool:
    """Evaluate a simple SPDX expression: any OR-alternative whose AND-terms are all open."""
    test = is_mot_open if check == "mot" else is_osi_approved
    expr = expression.strip()
    if expr.startswith("(") and expr.endswith(")") and expr.count("(") == 1:
        expr = expr[1:-1].strip()
    if "(" in expr:
        return False  # nested expressions are not judged open without a person looking
    for alternative in _SPLIT_OR.split(expr):
        terms = [t.split(" WITH ")[0].strip() for t in _SPLIT_AND.split(alternative)]
        if terms and all(test(t) for t in terms):
            return True
    return False


def open_in_mode(
    license_text: str, mode: Literal["strict", "normalized"], *, check: str = "mot"
) -> tuple[bool, str | None]:
    """Is ``license_text`` open? Returns ``(open, normalized_text)``.

    ``strict`` matches the exact SPDX id (as the MOT does); ``normalized`` canonicalizes first
    (``"Apache 2.0"`` -> ``"Apache-2.0"``, ``hf:mit`` -> ``MIT``) and evaluates simple
    ``OR``/``AND`` expressions.
    """
    test = is_mot_open if check == "mot" else is_osi_approved
    if mode == "strict":
        return test(license_text), None
    canonical = normalize(license_text)
    if canonical is None:
        return False, None
    return _expression_open(canonical, check), canonical


@lru_cache(maxsize=8192)
def category_of(license_text: str) -> tuple[LicenseCategory, str | None, str]:
    """``(category, normalized, note)`` of a declared license, via the license primitive."""
    canonical = normalize(license_text)
    if canonical is None:
        return "unknown", None, f"{license_text!r} is not a license the license primitive knows"
    from openmodel_gov.licenses import classify_license

    try:
        result = classify_license(canonical)
    except ValueError as exc:
        return "unknown", canonical, f"{canonical!r} could not be classified: {exc}"
    category: LicenseCategory = result.category
    return category, canonical, f"{canonical} is {category}"
