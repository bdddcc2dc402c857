"""Openness of AI models: the 0-10 score, MOF classes, OSAID readiness and improvement plans.

* :func:`score_openness` -- five dimensions (weights, training data, training code, license,
  ecosystem) scored 0/1/2 from the card's facts and, for a Hugging Face card, from what its
  gate and body state, a 0-10 total, a band and a red/amber/green rating; every point comes
  with its reasons and evidence (the shared :class:`~openmodel_gov.results.Evidence`).
* :func:`classify_mof` -- the Model Openness Framework class, computed exactly as the Model
  Openness Tool (LF AI & Data) computes it; for a Hugging Face README the 17 components are
  first inferred from the card, each with its evidence.
* :func:`osaid_readiness` -- what the Open Source AI Definition 1.0 requires and what is missing.
* :func:`improvement_plan` -- the smallest set of releases or license changes to reach the next
  band or class, said to the provider (default) or, with ``perspective="consumer"``, to
  someone evaluating the model ("ask the provider to ...", "prefer a model that ...").
* :func:`compare_openness` -- one table of many models (Markdown, CSV, HTML, notebooks).

>>> from openmodel_gov.cards import load_card
>>> from openmodel_gov.openness import classify_mof
>>> classify_mof(load_card({"name": "tiny"})).label
'Unclassified'
"""

from __future__ import annotations

from openmodel_gov.openness._compare import OpennessComparison, OpennessRow, compare_openness
from openmodel_gov.openness._data import (
    DIMENSIONS,
    Band,
    DimensionSpec,
    ScoringPolicy,
    default_policy,
)
from openmodel_gov.openness._input import CardLike
from openmodel_gov.openness._mof import (
    CLASS_LABELS,
    MOFComponentStatus,
    MOFDifference,
    MOFResult,
    classify_mof,
)
from openmodel_gov.openness._osaid import (
    OsaidCheck,
    OsaidReadiness,
    OsaidRequirementResult,
    osaid_readiness,
)
from openmodel_gov.openness._plan import ImprovementPlan, Perspective, PlanAction, improvement_plan
from openmodel_gov.openness._score import (
    DimensionScore,
    Evidence,
    OpennessScore,
    score_openness,
)

__all__ = [
    "CLASS_LABELS",
    "DIMENSIONS",
    "Band",
    "CardLike",
    "DimensionScore",
    "DimensionSpec",
    "Evidence",
    "ImprovementPlan",
    "MOFComponentStatus",
    "MOFDifference",
    "MOFResult",
    "OpennessComparison",
    "OpennessRow",
    "OpennessScore",
    "OsaidCheck",
    "OsaidReadiness",
    "OsaidRequirementResult",
    "Perspective",
    "PlanAction",
    "ScoringPolicy",
    "classify_mof",
    "compare_openness",
    "default_policy",
    "improvement_plan",
    "osaid_readiness",
    "score_openness",
]

from openmodel_gov._core._public import publish as _publish

_publish(__name__, globals(), __all__)
