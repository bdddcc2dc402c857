"""Interoperability: our typed objects in the ecosystem's formats.

* :func:`to_cyclonedx` -- a CycloneDX 1.6 ML-BOM (model card, datasets, base models,
  optionally the compliance matrix as attestations).
* :func:`to_spdx3` -- an SPDX 3.0.1 document with the AI and Dataset profiles (JSON-LD).
* :func:`to_croissant` / :func:`from_croissant` -- Croissant 1.1 + RAI metadata of a
  dataset, and back to a :class:`~openmodel_gov.manifests.DatasetEntry`.
* :func:`sign_model_folder` / :func:`verify_model_folder` -- OpenSSF model-signing v1.0
  Sigstore bundles, verifiable with ``model_signing verify key``;
  :func:`sign_manifest_files` signs the digests a dataset manifest already records.
* :func:`training_content_summary` -- the EU AI Act public summary of training content
  (Art. 53(1)(d)), every unfillable field a question for the provider.
* :func:`write_exports` -- all exports into one folder (what the audit attaches).

The format libraries (extra ``[interop]``: ``cyclonedx-python-lib``, ``spdx-python-model``;
``cryptography`` from ``[sign]`` for signatures) are imported only when a function needs
them. Exports are deterministic: timestamps come from ``clock`` (or ``SOURCE_DATE_EPOCH``),
serial numbers are derived from the content unless given.

>>> import json
>>> from datetime import datetime, timezone
>>> from openmodel_gov.cards import ModelCard
>>> card = ModelCard(name="demo", license="hf:llama3.1", datasets=["org/corpus"])
>>> clock = lambda: datetime(2026, 1, 1, tzinfo=timezone.utc)
>>> bom = json.loads(to_cyclonedx(card, clock=clock))
>>> bom["metadata"]["component"]["licenses"]
[{'expression': 'LicenseRef-openmodel-llama-3.1'}]
>>> to_cyclonedx(card, clock=clock) == to_cyclonedx(card, clock=clock)
True
"""

from __future__ import annotations

from openmodel_gov.interop._ai_act import (
    SummaryField,
    SummarySection,
    TrainingContentSummary,
    training_content_summary,
)
from openmodel_gov.interop._bundle import write_exports
from openmodel_gov.interop._croissant import (
    CROISSANT_VERSION,
    from_croissant,
    to_croissant,
)
from openmodel_gov.interop._cyclonedx import CYCLONEDX_SPEC_VERSION, to_cyclonedx
from openmodel_gov.interop._model_signing import (
    BUNDLE_MEDIA_TYPE,
    MODEL_SIGNING_PREDICATE,
    sign_manifest_files,
    sign_model_folder,
)
from openmodel_gov.interop._model_verify import ModelSignatureCheck, verify_model_folder
from openmodel_gov.interop._spdx3 import SPDX_VERSION, to_spdx3

__all__ = [
    "BUNDLE_MEDIA_TYPE",
    "CROISSANT_VERSION",
    "CYCLONEDX_SPEC_VERSION",
    "MODEL_SIGNING_PREDICATE",
    "SPDX_VERSION",
    "ModelSignatureCheck",
    "SummaryField",
    "SummarySection",
    "TrainingContentSummary",
    "from_croissant",
    "sign_manifest_files",
    "sign_model_folder",
    "to_croissant",
    "to_cyclonedx",
    "to_spdx3",
    "training_content_summary",
    "verify_model_folder",
    "write_exports",
]

from openmodel_gov._core._public import publish as _publish

_publish(__name__, globals(), __all__)
