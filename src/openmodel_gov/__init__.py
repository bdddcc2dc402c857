"""openmodel-gov: composable governance primitives for open-source AI models.

Public names resolve lazily from this package root, so ``import openmodel_gov`` stays cheap:
nothing heavy (pydantic models, spaCy, Presidio, jsonschema, cryptography, Ray) is imported
until a name that needs it is used.

>>> import openmodel_gov
>>> openmodel_gov.load_card.__module__
'openmodel_gov.cards'
>>> openmodel_gov.score_openness(openmodel_gov.load_card({"license": "mit"})).dimensions["license"].score
2
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from openmodel_gov._version import __version__

# name -> submodule that defines it: the single source of truth for the root's public API.
_EXPORTS: dict[str, str] = {
    "ModelCard": "cards",
    "Component": "cards",
    "load_card": "cards",
    "card_json_schema": "cards",
    "validate_card_file": "cards",
    "score_openness": "openness",
    "classify_mof": "openness",
    "osaid_readiness": "openness",
    "improvement_plan": "openness",
    "compare_openness": "openness",
    "normalize_license": "licenses",
    "classify_license": "licenses",
    "check_derivative": "licenses",
    "check_dataset_mix": "licenses",
    "check_outbound": "licenses",
    "check_use": "licenses",
    "UseFacts": "licenses",
    "DatasetManifest": "manifests",
    "build_manifest": "manifests",
    "verify_manifest": "manifests",
    "diff_manifests": "manifests",
    "load_manifest": "manifests",
    "sign_manifest": "signing",
    "verify_manifest_signature": "signing",
    "scan_text": "pii",
    "redact_text": "pii",
    "build_compliance_matrix": "compliance",
    "run_audit": "audit",
    "AuditReport": "audit",
    "OpenModelGovError": "errors",
}

__all__ = [
    "AuditReport",
    "Component",
    "DatasetManifest",
    "ModelCard",
    "OpenModelGovError",
    "UseFacts",
    "__version__",
    "build_compliance_matrix",
    "build_manifest",
    "card_json_schema",
    "check_dataset_mix",
    "check_derivative",
    "check_outbound",
    "check_use",
    "classify_license",
    "classify_mof",
    "compare_openness",
    "diff_manifests",
    "improvement_plan",
    "load_card",
    "load_manifest",
    "normalize_license",
    "osaid_readiness",
    "redact_text",
    "run_audit",
    "scan_text",
    "score_openness",
    "sign_manifest",
    "validate_card_file",
    "verify_manifest",
    "verify_manifest_signature",
]

if TYPE_CHECKING:
    from openmodel_gov.audit import AuditReport as AuditReport
    from openmodel_gov.audit import run_audit as run_audit
    from openmodel_gov.cards import Component as Component
    from openmodel_gov.cards import ModelCard as ModelCard
    from openmodel_gov.cards import card_json_schema as card_json_schema
    from openmodel_gov.cards import load_card as load_card
    from openmodel_gov.cards import validate_card_file as validate_card_file
    from openmodel_gov.compliance import build_compliance_matrix as build_compliance_matrix
    from openmodel_gov.errors import OpenModelGovError as OpenModelGovError
    from openmodel_gov.licenses import UseFacts as UseFacts
    from openmodel_gov.licenses import check_dataset_mix as check_dataset_mix
    from openmodel_gov.licenses import check_derivative as check_derivative
    from openmodel_gov.licenses import check_outbound as check_outbound
    from openmodel_gov.licenses import check_use as check_use
    from openmodel_gov.licenses import classify_license as classify_license
    from openmodel_gov.licenses import normalize_license as normalize_license
    from openmodel_gov.manifests import DatasetManifest as DatasetManifest
    from openmodel_gov.manifests import build_manifest as build_manifest
    from openmodel_gov.manifests import diff_manifests as diff_manifests
    from openmodel_gov.manifests import load_manifest as load_manifest
    from openmodel_gov.manifests import verify_manifest as verify_manifest
    from openmodel_gov.openness import classify_mof as classify_mof
    from openmodel_gov.openness import compare_openness as compare_openness
    from openmodel_gov.openness import improvement_plan as improvement_plan
    from openmodel_gov.openness import osaid_readiness as osaid_readiness
    from openmodel_gov.openness import score_openness as score_openness
    from openmodel_gov.pii import redact_text as redact_text
    from openmodel_gov.pii import scan_text as scan_text
    from openmodel_gov.signing import sign_manifest as sign_manifest
    from openmodel_gov.signing import verify_manifest_signature as verify_manifest_signature


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'openmodel_gov' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"openmodel_gov.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_EXPORTS})
