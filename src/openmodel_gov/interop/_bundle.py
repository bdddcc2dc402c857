"""Every export at once, for the audit report folder."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from openmodel_gov.interop._common import Clock, check_manifests, slug

if TYPE_CHECKING:
    from openmodel_gov.cards import ModelCard
    from openmodel_gov.compliance import ComplianceMatrix
    from openmodel_gov.manifests import DatasetManifest

__all__ = ["write_exports"]


def write_exports(
    folder: str | os.PathLike[str],
    card: ModelCard,
    manifests: Sequence[DatasetManifest] | DatasetManifest = (),
    *,
    compliance: ComplianceMatrix | None = None,
    clock: Clock | None = None,
) -> dict[str, Path]:
    """Write the CycloneDX, SPDX 3, Croissant and AI Act summary exports into ``folder``.

    Files: ``model.cdx.json``, ``model.spdx3.jsonld``, ``<dataset>.croissant.json`` per
    dataset, ``ai-act-training-summary.md`` and ``.html``. Atomic writes; same input and
    clock, same bytes. This is the function the audit calls to attach the exports to its
    report folder.

    Returns:
        The written paths by kind (``cyclonedx``, ``spdx3``, ``croissant:<dataset>``,
        ``ai-act-summary-md``, ``ai-act-summary-html``).
    """
    from openmodel_gov._core._io import atomic_write_text
    from openmodel_gov.interop._ai_act import training_content_summary
    from openmodel_gov.interop._croissant import to_croissant
    from openmodel_gov.interop._cyclonedx import to_cyclonedx
    from openmodel_gov.interop._spdx3 import to_spdx3

    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    mans = check_manifests(manifests, feature="write_exports")
    written: dict[str, Path] = {}

    def put(kind: str, name: str, text: str) -> None:
        path = out / name
        atomic_write_text(path, text)
        written[kind] = path

    put(
        "cyclonedx",
        "model.cdx.json",
        to_cyclonedx(card, manifests=mans, compliance=compliance, clock=clock),
    )
    put(
        "spdx3",
        "model.spdx3.jsonld",
        to_spdx3(card, manifests=mans, compliance=compliance, clock=clock),
    )
    for manifest in mans:
        for entry in manifest.datasets:
            put(
                f"croissant:{entry.name}",
                f"{slug(entry.name)}.croissant.json",
                to_croissant(manifest, dataset=entry.name),
            )
    summary = training_content_summary(card, mans)
    put("ai-act-summary-md", "ai-act-training-summary.md", summary.to_markdown())
    put("ai-act-summary-html", "ai-act-training-summary.html", summary.to_html())
    return written
