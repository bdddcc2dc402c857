"""Run the end-to-end audit of the example model and its dataset against a release policy,
and write report.html / report.md / report.json.

Usage: python examples/full_audit.py [OUT_DIR]   (default: ./audit-report)
"""

from __future__ import annotations

import sys
from pathlib import Path

from openmodel_gov.audit import Policy, example_dir, run_audit


def main(argv: list[str]) -> int:
    out = Path(argv[0]) if argv else Path("audit-report")
    root = example_dir()
    policy = Policy(
        name="release-gate",
        min_openness_score=6,
        min_mof_class="III",
        allowed_license_classes=("permissive", "copyleft"),
        forbid_unredacted_pii=("CREDIT_CARD", "US_SSN", "IBAN_CODE"),
        max_risk_level="Medium",
        require_manifest_verified=True,
    )
    report = run_audit(
        root / "README.md",
        manifests=[(root / "support-tickets.manifest.yaml", root / "data" / "support-tickets")],
        policy=policy,
        use="commercial",
        base_licenses={"openmodel-gov/tiny-base-1b": "Apache-2.0"},
        context={"gpai_eu_market": True, "training_flop": 3e21},
        pii_scan=False,  # the manifest carries the PII scan summary; set True to rescan
    )
    paths = report.write(out)
    print(report)
    print(f"HTML report: {paths['html'].resolve()}")
    return 0 if report.passed else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
