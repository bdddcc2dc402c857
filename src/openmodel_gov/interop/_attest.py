"""A compliance matrix as CycloneDX 1.6 attestations (``definitions`` + ``declarations``).

Each rule pack becomes a standard whose requirements are the rules that fired; each finding
becomes a map entry of one attestation by openmodel-gov (not a third party). A finding says
that a rule applies and which risk and mitigations follow; it does not score conformance, so
no conformance score is written, only the rationale. Undecided findings get a confidence of
0.5 and name the facts still missing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from openmodel_gov.interop._common import slug

if TYPE_CHECKING:
    from openmodel_gov.compliance import ComplianceMatrix

__all__ = ["compliance_declarations"]

_ASSESSOR = "assessor:openmodel-gov"


def compliance_declarations(matrix: ComplianceMatrix, *, target: str) -> dict[str, Any]:
    """``{"definitions": ..., "declarations": ...}`` for ``matrix`` about ``target``."""
    findings = [(row.dataset, f) for row in matrix.rows for f in row.findings]
    findings += [("(model)", f) for f in matrix.model_findings]
    standards: dict[str, dict[str, Any]] = {}
    versions = {p.name: p.version for p in matrix.packs}
    seen: set[str] = set()
    entries = []
    claims: list[dict[str, Any]] = []
    for subject, finding in findings:
        pack = finding.pack
        std = standards.setdefault(
            pack,
            {
                "bom-ref": f"standard:{slug(pack)}",
                "name": pack,
                "version": versions.get(pack, "unversioned"),
                "owner": "openmodel-gov rule pack",
                "requirements": [],
            },
        )
        req_ref = f"requirement:{slug(pack)}:{slug(finding.rule_id)}"
        if req_ref not in seen:
            seen.add(req_ref)
            req: dict[str, Any] = {
                "bom-ref": req_ref,
                "identifier": finding.rule_id,
                "text": finding.title,
            }
            cites = [str(c) for c in finding.citations]
            if cites:
                req["descriptions"] = cites
            std["requirements"].append(req)
        claim_ref = f"claim:{len(claims) + 1}"
        reasoning = f"{subject}: {finding.risk} risk. {finding.rationale}".strip()
        if finding.mitigations:
            reasoning += " Mitigations: " + "; ".join(finding.mitigations)
        claims.append(
            {
                "bom-ref": claim_ref,
                "target": target,
                "predicate": f"{finding.rule_id} applies to {subject}",
                "reasoning": reasoning,
            }
        )
        entry: dict[str, Any] = {
            "requirement": req_ref,
            "claims": [claim_ref],
            "conformance": {"rationale": reasoning},
        }
        if finding.decided:
            entry["confidence"] = {"score": 1, "rationale": "decided from the stated facts"}
        else:
            missing = ", ".join(finding.unknown_facts) or "facts not stated"
            entry["confidence"] = {"score": 0.5, "rationale": f"undecided: needs {missing}"}
        entries.append(entry)
    out: dict[str, Any] = {}
    if standards:
        out["definitions"] = {"standards": list(standards.values())}
    out["declarations"] = {
        "assessors": [
            {"bom-ref": _ASSESSOR, "thirdParty": False, "organization": {"name": "openmodel-gov"}}
        ],
        "attestations": [
            {
                "summary": f"openmodel-gov compliance matrix: overall risk {matrix.overall_risk}",
                "assessor": _ASSESSOR,
                "map": entries,
            }
        ],
        "claims": claims,
    }
    return out
