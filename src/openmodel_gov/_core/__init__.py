"""What every primitive shares (private): the result vocabulary and the edge helpers.

- ``_core._results``: :class:`Frozen`, :class:`Citation`, :class:`Evidence`, :class:`Finding`,
  :data:`Rag`, :data:`RiskLevel`, the MOF class labels -- re-exported here.
- ``_core._parse`` (over ``_document``, ``_yaml`` with ``_yaml_scalars``, ``_json``): the one
  parsing front door for YAML/JSON, limits enforced while parsing; ``_core._io`` re-exports
  it with file reading (size bound, strict UTF-8) and atomic writes.
- ``_core._cache``: ``checked_cache``, an LRU cache that type-checks before hashing.
- ``_core._render``: HTML/Markdown/CSV table helpers and the rating colours.
- ``_core._vocab``: controlled vocabularies shared by manifests, rule packs and PII reports.
- ``_core._deps``: lazy imports of optional extras (``MissingDependencyError``).
- ``_core._pii_summary``: the PII scan summary stored in manifests and read by compliance.

Imports run one way: ``_core`` imports nothing from the primitives.
"""

from openmodel_gov._core._results import (
    RAG_LEVELS,
    RISK_LEVELS,
    ROMAN,
    Certainty,
    Citation,
    Evidence,
    EvidenceKind,
    Finding,
    FindingStatus,
    Frozen,
    Rag,
    RiskLevel,
    mof_class_label,
    rag_rank,
    risk_rank,
    tupleize,
    worst_rag,
    worst_risk,
)

__all__ = [
    "RAG_LEVELS",
    "RISK_LEVELS",
    "ROMAN",
    "Certainty",
    "Citation",
    "Evidence",
    "EvidenceKind",
    "Finding",
    "FindingStatus",
    "Frozen",
    "Rag",
    "RiskLevel",
    "mof_class_label",
    "rag_rank",
    "risk_rank",
    "tupleize",
    "worst_rag",
    "worst_risk",
]
