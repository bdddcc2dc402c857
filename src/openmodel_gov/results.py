"""The shared result vocabulary, public: what every primitive's results are made of.

:class:`Citation` (a source and a pinpoint), :class:`Evidence` (what was seen, where, how
sure), :class:`Finding` (a rule's outcome with its reasons, evidence, citations and
mitigations), the :data:`Rag` rating and :data:`RiskLevel` types and their helpers.

>>> from openmodel_gov.results import Citation, Finding
>>> f = Finding(rule_id="gdpr-art9", title="special-category data", severity="Critical",
...             citations=[Citation(source="GDPR", section="Art. 9(1)")])
>>> print(f), [str(c) for c in f.citations]
[Critical] special-category data (gdpr-art9)
(None, ['GDPR, Art. 9(1)'])
"""

from __future__ import annotations

from openmodel_gov._core._public import publish
from openmodel_gov._core._results import (
    RAG_LEVELS,
    RISK_LEVELS,
    Certainty,
    Citation,
    Evidence,
    EvidenceKind,
    Finding,
    FindingStatus,
    Rag,
    RiskLevel,
    mof_class_label,
    rag_rank,
    risk_rank,
    worst_rag,
    worst_risk,
)

__all__ = [
    "RAG_LEVELS",
    "RISK_LEVELS",
    "Certainty",
    "Citation",
    "Evidence",
    "EvidenceKind",
    "Finding",
    "FindingStatus",
    "Rag",
    "RiskLevel",
    "mof_class_label",
    "rag_rank",
    "risk_rank",
    "worst_rag",
    "worst_risk",
]

publish(__name__, globals(), __all__)
