"""Compliance matrices: datasets x regulation x risk x mitigations, built from rule packs.

:func:`build_compliance_matrix` maps each dataset (from a dataset manifest, or a plain mapping
with the same keys) to the regulations that apply, a risk level, mitigations and the rules
that fired -- each with its legal citation. The rules are data: YAML rule packs validated
against a published JSON Schema (:func:`rule_pack_json_schema`), with conditions written in a
small, safe expression language (:func:`parse_condition`). Built-in packs cover the GDPR,
the UK GDPR with the DPA 2018, CCPA/CPRA, HIPAA, LGPD, PIPEDA, COPPA, the EU AI Act (general-purpose models), the DSM
Directive's text-and-data-mining opt-out and copyright of crawled content; license findings
come from :mod:`openmodel_gov.licenses`.

Every finding is *decided* (its condition holds on stated facts), *open* (it would hold if an
unknown fact turns out true, and a stated fact makes that plausible) or *ruled out*. Risks
come from decided findings; open findings are questions to answer, each naming the facts it
needs, the risk it would carry and how to state the answer. ``worst_case=True`` counts open
findings as if they held (the conservative view, labelled as such).

>>> m = build_compliance_matrix(
...     [{"name": "forum_posts_2022.csv", "jurisdictions": ["EU"], "source_kind": "user-data",
...       "data_categories": ["personal"], "deidentified": "none"}],
...     context={"use": "commercial"})
>>> row = m.rows[0]
>>> row.regulations, row.risk
(('GDPR',), 'High')
>>> print(row.mitigations[0])
Remove PII (or anonymize) before training
>>> kids = build_compliance_matrix(
...     [{"name": "reading_app_logs", "jurisdictions": ["US"], "source_kind": "user-data",
...       "data_categories": ["children", "personal"]}], context={"use": "commercial"})
>>> kids.rows[0].risk
'High'
>>> print(kids.questions[0])
Is the service directed to children under 13? If yes: COPPA, Critical
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from openmodel_gov._core import RISK_LEVELS, Citation, RiskLevel
from openmodel_gov.compliance import _build
from openmodel_gov.compliance._ast import FIELDS, FactSet, FieldSpec
from openmodel_gov.compliance._build import LicenseChecker
from openmodel_gov.compliance._condition import Condition, parse_condition
from openmodel_gov.compliance._facts import ComplianceContext, DatasetFacts
from openmodel_gov.compliance._packs import (
    RULE_PACK_FORMAT,
    Gate,
    Rule,
    RulePack,
    RuleSource,
    builtin_rule_packs,
    load_rule_pack,
    parse_rule_pack,
)
from openmodel_gov.compliance._regions import GlobalBaseline, global_baseline
from openmodel_gov.compliance._render import split_csv_list
from openmodel_gov.compliance._results import (
    ComplianceMatrix,
    ComplianceRow,
    Finding,
    LicenseMix,
    Mitigation,
    OpenQuestion,
    PackRef,
    RegulationSummary,
)
from openmodel_gov.compliance._schema import rule_pack_json_schema

if TYPE_CHECKING:
    from openmodel_gov.manifests import DatasetManifest

__all__ = [
    "FIELDS",
    "RISK_LEVELS",
    "RULE_PACK_FORMAT",
    "Citation",
    "ComplianceContext",
    "ComplianceMatrix",
    "ComplianceRow",
    "Condition",
    "DatasetFacts",
    "FactSet",
    "FieldSpec",
    "Finding",
    "Gate",
    "GlobalBaseline",
    "LicenseChecker",
    "LicenseMix",
    "Mitigation",
    "OpenQuestion",
    "PackRef",
    "RegulationSummary",
    "RiskLevel",
    "Rule",
    "RulePack",
    "RuleSource",
    "build_compliance_matrix",
    "builtin_rule_packs",
    "global_baseline",
    "load_rule_pack",
    "parse_condition",
    "parse_rule_pack",
    "rule_pack_json_schema",
    "split_csv_list",
]


def build_compliance_matrix(
    datasets: DatasetManifest | Iterable[object],
    *,
    rules: RuleSource | Iterable[RuleSource] | None = None,
    context: ComplianceContext | Mapping[str, object] | None = None,
    license_findings: bool = True,
    license_checker: LicenseChecker | None = None,
    worst_case: bool = False,
    model_rules: bool | None = None,
) -> ComplianceMatrix:
    """Map datasets to regulations, risk levels and mitigations, with the rules' citations.

    Args:
        datasets: a ``DatasetManifest``, or an iterable of its dataset entries, of other
            manifests, or of mappings with the same keys: ``name`` (required), ``version``,
            ``jurisdictions`` (``DE``, ``US-CA``, ``EU``, ``GLOBAL`` ...),
            ``data_categories``, ``source_kind``, ``license``, ``synthetic``,
            ``deidentified``, ``legal_basis`` (absent: none documented),
            ``tdm_optout_honored`` (absent: unknown) and ``pii_summary``. Other keys are kept
            in :attr:`DatasetFacts.extra`; a key close to a known one (``jurisdiction``) is an
            error.
        rules: rule packs or pack files, combined in order; ``None`` uses
            :func:`builtin_rule_packs`. To add packs, pass ``[*builtin_rule_packs(), mine]``;
            a later rule replaces an earlier one with the same id only if it says
            ``override: true``.
        context: the use -- ``use`` (``commercial``/``research``), ``gpai_eu_market``,
            ``training_flop``, ``directed_to_children``, ``hipaa_covered_entity``,
            ``hipaa_business_associate``. Missing facts are unknown and lean to higher risk.
        license_findings: add findings from :mod:`openmodel_gov.licenses` (non-commercial
            data in commercial use, share-alike obligations ...) under the regulation
            ``License``, and the verdict on all licenses together.

    Returns:
        The :class:`ComplianceMatrix`: one row per dataset, in input order, plus open
        questions, model-level findings and aggregates per regulation.

    Raises:
        SchemaValidationError: a dataset or the context has a wrong or misspelled field
            (every issue names its path, e.g. ``$[2].jurisdictions[0]``).
        RulePackError: a pack is broken, or rule ids clash (names file, rule id and field).
        FileAccessError: a pack file cannot be read.

    >>> m = build_compliance_matrix(
    ...     [{"name": "customer_survey_synth", "synthetic": True, "source_kind": "synthetic"}])
    >>> print(m.rows[0])
    customer_survey_synth [Low] N/A (synthetic) -> N/A: Note generation method ...
    """
    return _build.build_compliance_matrix(
        datasets,
        rules=rules,
        context=context,
        license_findings=license_findings,
        license_checker=license_checker,
        worst_case=worst_case,
        model_rules=model_rules,
    )


from openmodel_gov._core._public import publish as _publish  # noqa: E402

_publish(__name__, globals(), __all__)
