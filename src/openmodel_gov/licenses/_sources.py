"""One card, three places a license can be stated: front matter, body, LICENSE file.

Each place is read into a canonical id (the body's statements are given by the caller or by the
cards evidence layer; the LICENSE file is identified by word-set similarity). Disagreement
between two places that were read is a :class:`~openmodel_gov._core.Finding`: the front matter
is what tools read, so a body or file that says otherwise is the kind of contradiction a
careful reader flags ("front matter apache-2.0, body: use requires the X Community License").
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from openmodel_gov._core import Certainty, Citation, Evidence, Finding, RiskLevel
from openmodel_gov.licenses._chain import (
    LICENSE_FILES,
    front_matter_license,
    license_file_text,
    read_license,
)
from openmodel_gov.licenses._classify import classify
from openmodel_gov.licenses._expr import lic_ids, parse
from openmodel_gov.licenses._identify import identify

if TYPE_CHECKING:
    from openmodel_gov.cards import ModelCard

__all__ = ["LICENSE_FILES", "license_file_text", "license_findings"]

_CITE = Citation(
    source="Hugging Face Hub model card specification",
    section="license / license_name / license_link",
    url="https://huggingface.co/docs/hub/model-cards",
)
_RANK = {"permissive": 0, "copyleft": 1, "restricted": 2, "non-commercial": 3, "unknown": 1}


def _ids(expr: str) -> set[str]:
    return {lic.id for lic in lic_ids(parse(expr).tree)}


_Seen = tuple[str, str, Evidence]  # (place, canonical license, evidence)


def _places(
    card: ModelCard,
    body_statements: Sequence[str],
    license_text: str | None,
    license_file: str | None,
) -> list[_Seen]:
    """Every place that names a license we can read, front matter first."""
    seen: list[_Seen] = []
    declared = front_matter_license(card)
    if declared.license:
        where = "license" + (" / license_name" if card.license_name else "")
        snippet = card.license_name or card.license
        ev = Evidence(kind="front-matter", file=card.source_path, path=where, snippet=snippet)
        seen.append(("front matter", declared.license, ev))
    for statement in body_statements:
        canonical, note = read_license(statement)
        if canonical:
            ev = Evidence(kind="body", file=card.source_path, snippet=statement[:200], note=note)
            seen.append(("body", canonical, ev))
    if license_text is None:
        found = license_file_text(card)
        if found is not None:
            license_file, license_text = found
    if license_text is not None:
        match = identify(license_text)
        if match.license:
            note = (
                f"identified as {match.name} (word-set similarity {match.score:.2f}, "
                f"{match.certainty})"
            )
            certainty: Certainty = "read" if match.certainty == "match" else "inferred"
            ev = Evidence(kind="file", file=license_file, certainty=certainty, note=note)
            seen.append(("LICENSE file", match.license, ev))
    return seen


def _not_in_metadata(seen: list[_Seen]) -> Finding:
    place, canonical, _ = seen[0]
    return Finding(
        rule_id="license.not-in-metadata",
        title=f"license stated only in the {place}: {canonical}",
        severity="Low",
        reasons=(
            f"the card's metadata declares no license tools can read; the {place} says {canonical}",
        ),
        evidence=tuple(e for _, _, e in seen),
        citations=(_CITE,),
        mitigations=("declare the license in the card's front matter",),
    )


def _conflict(base: _Seen, other: _Seen) -> Finding:
    worse = max(_RANK[classify(other[1]).category], _RANK[classify(base[1]).category])
    severity: RiskLevel = "High" if worse >= _RANK["restricted"] else "Medium"
    return Finding(
        rule_id="license.source-conflict",
        title=f"the {base[0]} says {base[1]} but the {other[0]} says {other[1]}",
        severity=severity,
        reasons=(
            f"{base[0]}: {base[1]}",
            f"{other[0]}: {other[1]}",
            "which terms bind the weights cannot be read from the card alone",
        ),
        evidence=(base[2], other[2]),
        citations=(_CITE,),
        mitigations=(
            "ask the provider which license binds the weights",
            "treat the more restrictive license as binding until it is settled",
        ),
    )


def license_findings(
    card: ModelCard,
    *,
    body_statements: Sequence[str] | None = None,
    license_text: str | None = None,
    license_file: str | None = None,
) -> tuple[Finding, ...]:
    """Implementation of :func:`openmodel_gov.licenses.license_source_findings`."""
    if body_statements is None:
        from openmodel_gov.cards import read_card_evidence

        body_statements = (
            [s.name for s in read_card_evidence(card).licenses if s.scope not in ("code", "data")]
            if card.body
            else []
        )
    seen = _places(card, body_statements, license_text, license_file)
    if not seen:
        return ()
    findings: list[Finding] = []
    base = seen[0]
    if base[0] != "front matter":
        findings.append(_not_in_metadata(seen))
    base_ids = _ids(base[1])
    for other in seen[1:]:
        ids = _ids(other[1])
        if other[0] != base[0] and not (ids <= base_ids or base_ids <= ids):
            findings.append(_conflict(base, other))
    return tuple(findings)
