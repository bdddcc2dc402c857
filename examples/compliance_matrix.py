"""Build the compliance matrix of five typical training datasets (the table teams keep by
hand): dataset x jurisdiction x regulation x risk x mitigations, with citations.

Risks come from decided findings; rules that need a fact nobody stated are printed as
questions to answer. ``--worst-case`` counts every open question as answered yes.

Usage: python examples/compliance_matrix.py [--worst-case]
"""

from __future__ import annotations

from openmodel_gov.compliance import build_compliance_matrix

DATASETS = [
    {
        "name": "forum_posts_2022.csv",
        "jurisdictions": ["EU"],
        "data_categories": ["personal"],
        "source_kind": "web-crawl",
        "license": "CC-BY-SA-4.0",
    },
    {
        "name": "us_medical_docs.json",
        "jurisdictions": ["US"],
        "data_categories": ["health", "personal"],
        "source_kind": "licensed",
        "license": "LicenseRef-vendor-data",
    },
    {
        "name": "job_profiles_demo.csv",
        "jurisdictions": ["GLOBAL"],
        "data_categories": ["personal"],
        "source_kind": "user-data",
        "legal_basis": "consent",
        "license": "LicenseRef-internal",
    },
    {
        "name": "commoncrawl_subset",
        "jurisdictions": ["GLOBAL"],
        "data_categories": ["none"],
        "source_kind": "web-crawl",
        "license": "LicenseRef-commoncrawl-terms",
    },
    {
        "name": "customer_survey_synth",
        "jurisdictions": [],
        "data_categories": ["none"],
        "source_kind": "synthetic",
        "synthetic": True,
        "license": "CC0-1.0",
    },
]


def main() -> int:
    import sys

    matrix = build_compliance_matrix(
        DATASETS,
        context={"use": "commercial", "hipaa_covered_entity": True, "gpai_eu_market": False},
        worst_case="--worst-case" in sys.argv[1:],
    )
    print(matrix.to_markdown())
    print("Questions to answer:")
    for question in matrix.questions:
        print(f"- {question}  [state it as: {', '.join(question.how_to_state)}]")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
