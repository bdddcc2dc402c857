"""Build the compliance matrix: evaluate rules per dataset, add license findings, aggregate.

A rule's ``when`` condition is evaluated with Kleene logic over the stated facts:

- true: the finding is *decided* (unless the rule's ``ruled_out`` test holds: *ruled out*);
- unknown: the finding is *open* only if the rule's ``plausible`` test holds on stated facts
  (else it is not listed at all), or *ruled out* if its ``ruled_out`` test holds;
- false: the rule does not apply and is not listed.

Row and matrix risks come from decided findings only, unless ``worst_case=True``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from openmodel_gov._core import FindingStatus, RiskLevel, risk_rank
from openmodel_gov._core._io import json_path
from openmodel_gov.compliance._ast import FIELDS, Evaluator
from openmodel_gov.compliance._condition import parse_condition
from openmodel_gov.compliance._facts import (
    DatasetFacts,
    locate_datasets,
    normalize_context,
)
from openmodel_gov.compliance._items import merge_mitigations
from openmodel_gov.compliance._license_findings import LICENSE_REGULATION, LicenseChecker, _Licenses
from openmodel_gov.compliance._packs import Gate, Rule, RulePack, RuleSource, resolve_rules
from openmodel_gov.compliance._results import (
    ComplianceMatrix,
    ComplianceRow,
    Finding,
    PackRef,
    highest_risk,
)
from openmodel_gov.errors import (
    LicenseExpressionError,
    SchemaValidationError,
    ValidationIssue,
)

if TYPE_CHECKING:
    pass

__all__ = ["LICENSE_REGULATION", "LicenseChecker", "build_compliance_matrix"]

_STATUS_ORDER: dict[str, int] = {"decided": 0, "open": 1, "ruled-out": 2}


def _ask(rule: Rule, unknown: tuple[str, ...]) -> str:
    if rule.question:
        return rule.question
    asks = [FIELDS[name].ask for name in unknown if name in FIELDS]
    return " ".join(dict.fromkeys(asks)) or rule.title + "?"


def _finding(
    rule: Rule, pack: RulePack, status: FindingStatus, unknown: tuple[str, ...]
) -> Finding:
    reasons = [rule.rationale]
    if rule.risk_note:
        reasons.append(f"Risk {rule.risk} ({rule.risk_basis}): {rule.risk_note}")
    if status == "ruled-out":
        gate = pack.ruled_out_gate(rule)
        if gate is not None:
            reasons.append(f"Ruled out: {gate.because}")
    return Finding(
        rule_id=rule.id,
        pack=pack.name,
        regulation=rule.regulation,
        title=rule.title,
        severity=rule.risk,
        status=status,
        unknown_facts=unknown if status == "open" else (),
        question=_ask(rule, unknown) if status == "open" else None,
        how_to_state=tuple(dict.fromkeys(FIELDS[n].how_to_state for n in unknown if n in FIELDS))
        if status == "open"
        else (),
        reasons=tuple(reasons),
        risk_basis=rule.risk_basis,
        risk_note=rule.risk_note,
        mitigations=rule.mitigation_texts,
        mitigation_citations=rule.mitigation_citations,
        citations=rule.citations,
    )


_Step = tuple[int, tuple[tuple[int, str], ...], Evaluator | None, Rule, RulePack]


class _Plan:
    """Rules ready to run, memoized per build.

    Top-level ``and`` operands that read a single fact (``not synthetic``, ``'EEA' in
    regions``) are *guards*: each distinct guard runs once per dataset, a rule with a false
    guard is skipped, and only the rest of a rule's conjunction runs per rule. This is exactly
    Kleene evaluation of the whole condition: ``false and x`` is false, and an unknown guard
    makes the rule undecided (naming the guard's fact) unless the rest is false. The
    ``plausible`` and ``ruled_out`` tests run only for rules that are not false. Findings are
    shared between the datasets they apply to.
    """

    def __init__(self, pairs: tuple[tuple[Rule, RulePack], ...]) -> None:
        index: dict[str, int] = {}
        self._guards: list[Evaluator] = []
        names: list[str] = []
        self._steps: list[_Step] = []
        for rule, pack in pairs:
            mask = 0
            rest: list[str] = []
            for part in rule.condition.conjuncts:
                if len(part.fields) == 1:
                    if part.text not in index:
                        index[part.text] = len(self._guards)
                        self._guards.append(part.run)
                        names.append(part.fields[0])
                    mask |= 1 << index[part.text]
                else:
                    rest.append(f"({part.text})")
            body = parse_condition(" and ".join(rest)).run if rest else None
            bits = tuple((1 << i, names[i]) for i in range(len(names)) if mask & (1 << i))
            self._steps.append((mask, bits, body, rule, pack))
        self._findings: dict[tuple[str, str, tuple[str, ...]], Finding] = {}

    def evaluate(self, facts: dict[str, object]) -> list[Finding]:
        failed = undecided = 0
        bit = 1
        scratch: list[str] = []
        for guard in self._guards:
            passed = guard(facts, scratch)
            if passed is False:
                failed |= bit
            elif passed is None:
                undecided |= bit
            bit <<= 1
        found: list[Finding] = []
        gates: dict[int, bool | None] = {}
        for mask, bits, body, rule, pack in self._steps:
            if mask & failed:
                continue
            missing = [name for b, name in bits if b & undecided] if mask & undecided else []
            if body is not None and body(facts, missing) is False:
                continue
            status = _status(rule, pack, facts, gates, decided=not missing)
            if status is None:
                continue
            unknown = tuple(dict.fromkeys(missing)) if status == "open" else ()
            key = (rule.id, status, unknown)
            finding = self._findings.get(key)
            if finding is None:
                finding = self._findings[key] = _finding(rule, pack, status, unknown)
            found.append(finding)
        return found


def _status(
    rule: Rule,
    pack: RulePack,
    facts: dict[str, object],
    gates: dict[int, bool | None],
    *,
    decided: bool,
) -> FindingStatus | None:
    """Decided, open, ruled out or not listed (``None``); ``gates`` caches gate results."""
    ruled_out = pack.ruled_out_gate(rule)
    if ruled_out is not None and _gate(ruled_out, facts, gates) is True:
        return "ruled-out"
    if decided:
        return "decided"
    if _gate(pack.plausible_gate(rule), facts, gates) is True:
        return "open"
    return None


def _gate(gate: Gate, facts: dict[str, object], gates: dict[int, bool | None]) -> bool | None:
    key = id(gate)
    if key not in gates:
        gates[key] = gate.condition.run(facts, [])
    return gates[key]


def _order(findings: list[Finding]) -> tuple[Finding, ...]:
    """Decided (highest risk first), then open, then ruled out."""
    return tuple(sorted(findings, key=lambda f: (_STATUS_ORDER[f.status], -risk_rank(f.severity))))


def _counted(findings: tuple[Finding, ...], worst_case: bool) -> tuple[Finding, ...]:
    return tuple(
        f for f in findings if f.status == "decided" or (worst_case and f.status == "open")
    )


class _Summary:
    """Findings, regulations, risk and mitigations of one row (shared by equal rows)."""

    __slots__ = ("findings", "mitigations", "regulations", "risk")

    def __init__(self, found: list[Finding], worst_case: bool) -> None:
        self.findings = _order(found)
        counted = _counted(self.findings, worst_case)
        self.regulations = tuple(dict.fromkeys(f.regulation for f in counted if f.regulation))
        self.risk: RiskLevel = highest_risk([f.severity for f in counted])
        self.mitigations = merge_mitigations(counted)


_ROW_FIELDS = frozenset(ComplianceRow.model_fields)


def _row(data: DatasetFacts, summary: _Summary, worst_case: bool) -> ComplianceRow:
    """A row from already-validated parts.

    This is what ``ComplianceRow.model_construct`` does, without its per-field bookkeeping
    (it dominated the build time for 10,000 datasets); a test checks that the result equals
    a validated row.
    """
    row = ComplianceRow.__new__(ComplianceRow)
    values = {
        "dataset": data.name,
        "version": data.version,
        "jurisdictions": data.jurisdictions,
        "synthetic": data.is_synthetic,
        "regulations": summary.regulations,
        "risk": summary.risk,
        "mitigations": summary.mitigations,
        "findings": summary.findings,
        "worst_case": worst_case,
    }
    object.__setattr__(row, "__dict__", values)
    object.__setattr__(row, "__pydantic_fields_set__", set(_ROW_FIELDS))
    object.__setattr__(row, "__pydantic_extra__", None)
    object.__setattr__(row, "__pydantic_private__", None)
    return row


def _default_checker() -> LicenseChecker:
    from openmodel_gov import licenses

    return licenses


def _rows(
    located: Sequence[tuple[tuple[str | int, ...], DatasetFacts]],
    plan: _Plan,
    licenses: _Licenses | None,
    context_facts: dict[str, object],
    worst_case: bool,
) -> list[ComplianceRow]:
    """A row per dataset; equal datasets and equal finding sets share one summary."""
    memo: dict[tuple[object, ...], _Summary] = {}
    shapes: dict[tuple[int, ...], _Summary] = {}
    rows: list[ComplianceRow] = []
    issues: list[ValidationIssue] = []
    for where, data in located:
        key = data.key()
        summary = memo.get(key)
        if summary is None:
            found = plan.evaluate({**context_facts, **data.to_facts()})
            if licenses is not None:
                try:
                    extra = licenses.finding(data)
                except LicenseExpressionError as exc:
                    issues.append(
                        ValidationIssue(exc.message, field=json_path((*where, "license")))
                    )
                    continue
                if extra is not None:
                    found.append(extra)
            shape = tuple(map(id, found))  # findings are shared objects: same ids, same row
            summary = shapes.get(shape)
            if summary is None:
                summary = shapes[shape] = _Summary(found, worst_case)
            memo[key] = summary
        rows.append(_row(data, summary, worst_case))
    if issues:
        raise SchemaValidationError(
            f"{len(issues)} dataset license(s) cannot be read",
            issues=issues,
            source="datasets",
            hint="write SPDX license expressions, e.g. 'CC-BY-4.0' or 'MIT OR Apache-2.0'",
        )
    return rows


def build_compliance_matrix(
    datasets: object,
    *,
    rules: RuleSource | Iterable[RuleSource] | None = None,
    context: object = None,
    license_findings: bool = True,
    license_checker: LicenseChecker | None = None,
    worst_case: bool = False,
    model_rules: bool | None = None,
) -> ComplianceMatrix:
    """Build the matrix (see :func:`openmodel_gov.compliance.build_compliance_matrix`)."""
    ctx = normalize_context(context)
    packs, pairs = resolve_rules(rules)
    dataset_rules = tuple(p for p in pairs if p[0].scope == "dataset")
    model_pairs = tuple(p for p in pairs if p[0].scope == "model")
    located = locate_datasets(datasets)
    context_facts = ctx.to_facts()
    licenses = None
    if license_findings:
        licenses = _Licenses(ctx, license_checker or _default_checker())

    rows = _rows(located, _Plan(dataset_rules), licenses, context_facts, worst_case)
    mix = None
    if licenses is not None:
        records = [record for _, record in located]
        mix = licenses.mix(list(dict.fromkeys(d.license for d in records if d.license)))
    evaluate_model = ctx.has_model_facts if model_rules is None else model_rules
    model_findings = _order(_Plan(model_pairs).evaluate(context_facts)) if evaluate_model else ()
    return ComplianceMatrix(
        rows=tuple(rows),
        model_findings=model_findings,
        context=ctx,
        packs=tuple(PackRef(name=p.name, version=p.version, origin=p.origin) for p in packs),
        license_mix=mix,
        worst_case=worst_case,
        model_rules=evaluate_model,
    )
