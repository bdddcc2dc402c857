"""Build the compliance matrix: evaluate rules per dataset, add license findings, aggregate."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

from openmodel_gov._core._io import json_path
from openmodel_gov.compliance._ast import Evaluator
from openmodel_gov.compliance._condition import parse_condition
from openmodel_gov.compliance._facts import (
    ComplianceContext,
    DatasetFacts,
    locate_datasets,
    normalize_context,
)
from openmodel_gov.compliance._packs import (
    Citation,
    RiskLevel,
    Rule,
    RulePack,
    RuleSource,
    resolve_rules,
    risk_rank,
)
from openmodel_gov.compliance._results import (
    ComplianceMatrix,
    ComplianceRow,
    Finding,
    LicenseMix,
    PackRef,
    highest_risk,
)
from openmodel_gov.errors import (
    LicenseExpressionError,
    SchemaValidationError,
    UnknownLicenseError,
    ValidationIssue,
)

__all__ = ["LICENSE_REGULATION", "build_compliance_matrix"]

#: The regulation under which license findings appear.
LICENSE_REGULATION = "License"

_LICENSE_RISK: dict[str, RiskLevel] = {"incompatible": "High", "needs_review": "Medium"}


def _finding(rule: Rule, pack: RulePack, unknown: tuple[str, ...]) -> Finding:
    return Finding(
        rule_id=rule.id,
        pack=pack.name,
        regulation=rule.regulation,
        title=rule.title,
        risk=rule.risk,
        decided=not unknown,
        unknown_facts=unknown,
        rationale=rule.rationale,
        mitigations=rule.mitigations,
        citations=rule.citations,
    )


class _Plan:
    """Rules ready to run, memoized per build.

    Top-level ``and`` operands that read a single fact (``not synthetic``, ``'EEA' in
    regions``) are *guards*: each distinct guard runs once per dataset, a rule with a false
    guard is skipped, and only the rest of a rule's conjunction runs per rule. This is exactly
    Kleene evaluation of the whole condition: ``false and x`` is false, and an unknown guard
    makes the rule undecided (naming the guard's fact) unless the rest is false. Findings are
    shared between the datasets they apply to.
    """

    def __init__(self, pairs: tuple[tuple[Rule, RulePack], ...]) -> None:
        index: dict[str, int] = {}
        self._guards: list[Evaluator] = []
        names: list[str] = []
        self._steps: list[
            tuple[int, tuple[tuple[int, str], ...], Evaluator | None, Rule, RulePack]
        ] = []
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
        self._findings: dict[tuple[str, tuple[str, ...]], Finding] = {}

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
        for mask, bits, body, rule, pack in self._steps:
            if mask & failed:
                continue
            missing = [name for b, name in bits if b & undecided] if mask & undecided else []
            if body is not None and body(facts, missing) is False:
                continue
            unknown = tuple(dict.fromkeys(missing)) if missing else ()
            finding_key = (rule.id, unknown)
            finding = self._findings.get(finding_key)
            if finding is None:
                finding = self._findings[finding_key] = _finding(rule, pack, unknown)
            found.append(finding)
        return found


def _license_citation(cite: object) -> Citation | None:
    source = getattr(cite, "source", None)
    if not source:
        return None
    url = getattr(cite, "url", None)
    return Citation(
        source=str(source),
        ref=str(getattr(cite, "section", None) or "license text"),
        url=url if isinstance(url, str) and url.startswith("https://") else None,
    )


class _Licenses:
    """License findings from :mod:`openmodel_gov.licenses`, memoized per build."""

    def __init__(self, context: ComplianceContext) -> None:
        from openmodel_gov import licenses

        self._mod = licenses
        self.use = context.use or "commercial"
        self.unknown: tuple[str, ...] = () if context.use else ("context.use",)
        self._memo: dict[tuple[str, str | None], Finding | None] = {}

    @property
    def dataset_use(self) -> Literal["commercial-training", "research-training"]:
        return "commercial-training" if self.use == "commercial" else "research-training"

    def finding(self, data: DatasetFacts) -> Finding | None:
        if data.license is None:
            return None  # the copyright pack reports datasets without a license
        key = (data.license, data.source_kind)
        if key not in self._memo:
            self._memo[key] = self._check(data.license, data.source_kind)
        return self._memo[key]

    def _check(self, expr: str, source_kind: str | None) -> Finding | None:
        try:
            classification = self._mod.classify_license(expr)
        except UnknownLicenseError as exc:
            if source_kind == "web-crawl":
                return None  # crawled content: the copyright pack's rules cover it
            return self._finding(
                expr,
                risk="Medium",
                title=f"{expr} is not a known license: needs review",
                rationale=exc.message,
                mitigations=("Have the license terms reviewed",),
                citations=(),
            )
        category = str(classification.category)
        if category == "unknown" and source_kind == "web-crawl":
            return None
        verdict = self._mod.check_dataset_mix([expr], use=self.dataset_use)
        outcome = str(verdict.verdict)
        if outcome in _LICENSE_RISK:
            risk = _LICENSE_RISK[outcome]
        elif category == "copyleft":
            risk = "Medium"
        elif category in ("non-commercial", "restricted"):
            risk = "Low"
        else:
            return None
        # the license's own terms (share-alike, non-commercial ...) and the verdict's steps
        terms = tuple(getattr(classification, "reasons", ())) if category != "permissive" else ()
        obligations = tuple(verdict.obligations)
        reasons = tuple(verdict.reasons)
        mitigations = [
            f"Comply with {getattr(x, 'kind', 'obligation')} ({expr}): {getattr(x, 'text', x)}"
            for x in (*terms, *obligations)
        ]
        if outcome == "incompatible":
            mitigations.append(
                "Exclude the dataset from this use, or obtain a license that allows it"
            )
        elif outcome == "needs_review":
            mitigations.append("Have the license terms reviewed")
        title = {
            "incompatible": f"{expr} does not allow {self.use} training",
            "needs_review": f"{expr} needs review for {self.use} training",
        }.get(outcome, f"{expr} ({category}) carries obligations")
        cites = (
            _license_citation(getattr(x, "citation", None))
            for x in (*reasons, *terms, *obligations)
        )
        return self._finding(
            expr,
            risk=risk,
            title=title,
            rationale=" ".join(str(getattr(r, "message", r)) for r in reasons)
            or f"License category: {category}.",
            mitigations=tuple(dict.fromkeys(mitigations))
            or ("Keep the license and its notices with the data",),
            citations=tuple(dict.fromkeys(c for c in cites if c is not None)),
        )

    def _finding(
        self,
        expr: str,
        *,
        risk: RiskLevel,
        title: str,
        rationale: str,
        mitigations: tuple[str, ...],
        citations: tuple[Citation, ...],
    ) -> Finding:
        return Finding(
            rule_id=f"license:{expr}",
            pack="licenses",
            regulation=LICENSE_REGULATION,
            title=title,
            risk=risk,
            decided=not self.unknown,
            unknown_facts=self.unknown,
            rationale=rationale,
            mitigations=mitigations,
            citations=citations or (Citation(source=f"License {expr}", ref="license text"),),
        )

    def mix(self, expressions: list[str]) -> LicenseMix | None:
        known = []
        for expr in expressions:
            try:
                self._mod.classify_license(expr)
            except UnknownLicenseError:
                continue
            known.append(expr)
        if not known:
            return None
        verdict = self._mod.check_dataset_mix(known, use=self.dataset_use)
        return LicenseMix(
            verdict=str(verdict.verdict),
            use=self.dataset_use,
            licenses=tuple(known),
            obligations=tuple(str(o) for o in verdict.obligations),
            reasons=tuple(str(r) for r in verdict.reasons),
        )


_Summary = tuple[tuple[Finding, ...], tuple[str, ...], RiskLevel, tuple[str, ...]]


def _summarize(findings: list[Finding]) -> _Summary:
    """Findings (highest risk first), regulations, risk and mitigations of one row."""
    ordered = tuple(sorted(findings, key=lambda f: -risk_rank(f.risk)))
    mitigations: dict[str, None] = {}
    for finding in ordered:
        for text in finding.mitigations:
            mitigations.setdefault(text)
    regulations = tuple(dict.fromkeys(f.regulation for f in ordered if f.regulation))
    risk = highest_risk([f.risk for f in ordered])
    return ordered, regulations, risk, tuple(mitigations)


_ROW_FIELDS = frozenset(ComplianceRow.model_fields)


def _row(data: DatasetFacts, summary: _Summary) -> ComplianceRow:
    """A row from already-validated parts.

    This is what ``ComplianceRow.model_construct`` does, without its per-field bookkeeping
    (it dominated the build time for 10,000 datasets); a test checks that the result equals
    a validated row.
    """
    findings, regulations, risk, mitigations = summary
    row = ComplianceRow.__new__(ComplianceRow)
    values = {
        "dataset": data.name,
        "version": data.version,
        "jurisdictions": data.jurisdictions,
        "synthetic": data.is_synthetic,
        "regulations": regulations,
        "risk": risk,
        "mitigations": mitigations,
        "findings": findings,
    }
    object.__setattr__(row, "__dict__", values)
    object.__setattr__(row, "__pydantic_fields_set__", set(_ROW_FIELDS))
    object.__setattr__(row, "__pydantic_extra__", None)
    object.__setattr__(row, "__pydantic_private__", None)
    return row


def _sorted(findings: list[Finding]) -> tuple[Finding, ...]:
    return tuple(sorted(findings, key=lambda f: -risk_rank(f.risk)))


def build_compliance_matrix(
    datasets: object,
    *,
    rules: RuleSource | Iterable[RuleSource] | None = None,
    context: object = None,
    license_findings: bool = True,
) -> ComplianceMatrix:
    """Build the matrix (see :func:`openmodel_gov.compliance.build_compliance_matrix`)."""
    ctx = normalize_context(context)
    packs, pairs = resolve_rules(rules)
    dataset_rules = tuple(p for p in pairs if p[0].scope == "dataset")
    model_rules = tuple(p for p in pairs if p[0].scope == "model")
    located = locate_datasets(datasets)
    records = [record for _, record in located]
    context_facts = ctx.to_facts()
    licenses = _Licenses(ctx) if license_findings else None

    plan = _Plan(dataset_rules)
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
                summary = shapes[shape] = _summarize(found)
            memo[key] = summary
        rows.append(_row(data, summary))
    if issues:
        raise SchemaValidationError(
            f"{len(issues)} dataset license(s) cannot be read",
            issues=issues,
            source="datasets",
            hint="write SPDX license expressions, e.g. 'CC-BY-4.0' or 'MIT OR Apache-2.0'",
        )
    mix = None
    if licenses is not None:
        mix = licenses.mix(list(dict.fromkeys(d.license for d in records if d.license)))
    return ComplianceMatrix(
        rows=tuple(rows),
        model_findings=_sorted(_Plan(model_rules).evaluate(context_facts)),
        context=ctx,
        packs=tuple(PackRef(name=p.name, version=p.version, origin=p.origin) for p in packs),
        license_mix=mix,
    )
