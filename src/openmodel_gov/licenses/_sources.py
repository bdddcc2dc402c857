"""One card, three places a license can be stated: front matter, body, LICENSE file.

Each place is read into a canonical id (the body's statements are given by the caller or by the
cards evidence layer; the LICENSE file is identified by word-set similarity). Disagreement
between two places that were read is a :class:`~openmodel_gov._core.Finding`: the front matter
is what tools read, so a body or file that says otherwise is the kind of contradiction a
careful reader flags ("front matter apache-2.0, body: use requires the X Community License").
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from openmodel_gov._core import Citation, Evidence, Finding, RiskLevel
from openmodel_gov.licenses._chain import card_license, read_license
from openmodel_gov.licenses._classify import classify
from openmodel_gov.licenses._expr import lic_ids, parse
from openmodel_gov.licenses._identify import identify

if TYPE_CHECKING:
    from openmodel_gov.cards import ModelCard

__all__ = ["LICENSE_FILES", "license_findings"]

#: File names read as the license file of a model folder, in this order.
LICENSE_FILES = ("LICENSE", "LICENSE.txt", "LICENSE.md", "LICENCE", "LICENSE-MODEL", "COPYING")
_CITE = Citation(
    source="Hugging Face Hub model card specification",
    section="license / license_name / license_link",
    url="https://huggingface.co/docs/hub/model-cards",
)
_RANK = {"permissive": 0, "copyleft": 1, "restricted": 2, "non-commercial": 3, "unknown": 1}


def _license_file(card: ModelCard) -> tuple[str, str] | None:
    if not card.source_path:
        return None
    folder = Path(card.source_path)
    folder = folder if folder.is_dir() else folder.parent
    for name in LICENSE_FILES:
        path = folder / name
        if path.is_file():
            return str(path), path.read_text(encoding="utf-8", errors="replace")
    return None


def _ids(expr: str) -> set[str]:
    return {lic.id for lic in lic_ids(parse(expr).tree)}


def license_findings(
    card: ModelCard,
    *,
    body_statements: Sequence[str] = (),
    license_text: str | None = None,
    license_file: str | None = None,
) -> tuple[Finding, ...]:
    """Implementation of :func:`openmodel_gov.licenses.license_source_findings`."""
    seen: list[tuple[str, str, Evidence]] = []  # (place, canonical, evidence)
    declared = card_license(card)
    if declared.license:
        seen.append(
            (
                "front matter",
                declared.license,
                Evidence(
                    kind="front-matter",
                    file=card.source_path,
                    path="license" + (" / license_name" if card.license_name else ""),
                    snippet=card.license_name or card.license,
                ),
            )
        )
    for statement in body_statements:
        canonical, note = read_license(statement)
        if canonical:
            seen.append(
                (
                    "body",
                    canonical,
                    Evidence(
                        kind="body", file=card.source_path, snippet=statement[:200], note=note
                    ),
                )
            )
    if license_text is None:
        found = _license_file(card)
        if found is not None:
            license_file, license_text = found
    if license_text is not None:
        match = identify(license_text)
        if match.license:
            seen.append(
                (
                    "LICENSE file",
                    match.license,
                    Evidence(
                        kind="file",
                        file=license_file,
                        certainty="read" if match.certainty == "match" else "inferred",
                        note=f"identified as {match.name} (word-set similarity "
                        f"{match.score:.2f}, {match.certainty})",
                    ),
                )
            )
    findings: list[Finding] = []
    base = next((s for s in seen if s[0] == "front matter"), None)
    if base is None and seen:
        place, canonical, ev = seen[0]
        findings.append(
            Finding(
                rule_id="license.not-in-metadata",
                title=f"license stated only in the {place}: {canonical}",
                severity="Low",
                reasons=(
                    "the card's metadata declares no license tools can read; "
                    f"the {place} says {canonical}",
                ),
                evidence=tuple(e for _, _, e in seen),
                citations=(_CITE,),
                mitigations=("declare the license in the card's front matter",),
            )
        )
        base = seen[0]
    if base is None:
        return tuple(findings)
    base_ids = _ids(base[1])
    for place, canonical, ev in seen:
        if place == base[0] or _ids(canonical) <= base_ids or base_ids <= _ids(canonical):
            continue
        worse = max(_RANK[classify(canonical).category], _RANK[classify(base[1]).category])
        severity: RiskLevel = "High" if worse >= _RANK["restricted"] else "Medium"
        findings.append(
            Finding(
                rule_id="license.source-conflict",
                title=f"the {base[0]} says {base[1]} but the {place} says {canonical}",
                severity=severity,
                reasons=(
                    f"{base[0]}: {base[1]}",
                    f"{place}: {canonical}",
                    "which terms bind the weights cannot be read from the card alone",
                ),
                evidence=(next(e for p, _, e in seen if p == base[0]), ev),
                citations=(_CITE,),
                mitigations=(
                    "ask the provider which license binds the weights",
                    "treat the more restrictive license as binding until it is settled",
                ),
            )
        )
    return tuple(findings)
