"""Result types of the compliance builder: findings, rows, aggregates and the matrix."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict

from openmodel_gov._core._io import dump_json
from openmodel_gov._core._render import RISK_COLORS, html_table
from openmodel_gov.compliance._facts import ComplianceContext
from openmodel_gov.compliance._packs import RISK_LEVELS, Citation, RiskLevel, risk_rank

if TYPE_CHECKING:
    import pandas

__all__ = [
    "ComplianceMatrix",
    "ComplianceRow",
    "Finding",
    "LicenseMix",
    "PackRef",
    "RegulationSummary",
    "highest_risk",
]

#: What the matrix shows when no regulation applies.
NOT_APPLICABLE = "N/A"


def highest_risk(levels: list[RiskLevel] | tuple[RiskLevel, ...]) -> RiskLevel:
    """The highest of ``levels`` (``Low`` for none).

    >>> highest_risk(["Medium", "Critical", "Low"])
    'Critical'
    """
    return max(levels, key=risk_rank, default="Low")


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Finding(_Frozen):
    """A rule that applies -- or may apply -- to a dataset (or, for model rules, the model).

    Attributes:
        rule_id: the rule's id; ``license:<expression>`` for license findings.
        pack: the pack that holds the rule (``licenses`` for license findings).
        regulation: the regulation named in the matrix (``None``: good practice).
        title: what the rule finds.
        risk: the rule's risk level.
        decided: ``False`` when unknown facts left the condition undecided; the rule is then
            applied as if it held (leaning to the higher risk).
        unknown_facts: the facts that were unknown (empty when decided).
        rationale: why the rule applies, and what it assumes.
        mitigations: what to do.
        citations: the legal sources.
    """

    rule_id: str
    pack: str
    regulation: str | None
    title: str
    risk: RiskLevel
    decided: bool = True
    unknown_facts: tuple[str, ...] = ()
    rationale: str
    mitigations: tuple[str, ...]
    citations: tuple[Citation, ...]

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data."""
        return self.model_dump(mode="json")

    def _repr_html_(self) -> str:
        rows = [
            ["Rule", self.rule_id],
            ["Regulation", self.regulation or NOT_APPLICABLE],
            ["Risk", self.risk],
            [
                "Status",
                "decided" if self.decided else "undecided: " + ", ".join(self.unknown_facts),
            ],
            ["Why", self.rationale],
            ["Mitigations", "; ".join(self.mitigations)],
            ["Citations", "; ".join(str(c) for c in self.citations)],
        ]
        colors = [[None, RISK_COLORS[self.risk] if r[0] == "Risk" else None] for r in rows]
        return html_table(["", self.title], rows, cell_colors=colors)

    def __str__(self) -> str:
        text = f"[{self.risk}] {self.regulation or NOT_APPLICABLE}: {self.title} ({self.rule_id})"
        text += "; " + "; ".join(str(c) for c in self.citations)
        if not self.decided:
            text += f" -- could not decide: {', '.join(self.unknown_facts)}"
        return text


class ComplianceRow(_Frozen):
    """One dataset of the matrix: its regulations, risk and mitigations, with the evidence.

    Attributes:
        dataset: the dataset name.
        version: the dataset version, if known.
        jurisdictions: the declared jurisdiction codes.
        synthetic: whether the dataset is synthetic.
        regulations: the regulations that apply, highest risk first (empty: none).
        risk: the highest risk of its findings (``Low`` when none applies).
        mitigations: what to do, highest-risk findings first, without repeats.
        findings: the rules that applied, highest risk first, each with its citations.
    """

    dataset: str
    version: str | None = None
    jurisdictions: tuple[str, ...]
    synthetic: bool = False
    regulations: tuple[str, ...]
    risk: RiskLevel
    mitigations: tuple[str, ...]
    findings: tuple[Finding, ...]

    @property
    def undecided(self) -> tuple[str, ...]:
        """Facts that some finding could not decide (supply them to sharpen the row)."""
        return tuple(dict.fromkeys(f for x in self.findings for f in x.unknown_facts))

    @property
    def rule_ids(self) -> tuple[str, ...]:
        """Ids of the rules that applied."""
        return tuple(f.rule_id for f in self.findings)

    @property
    def citations(self) -> tuple[Citation, ...]:
        """Every citation behind the row, without repeats."""
        return tuple(dict.fromkeys(c for f in self.findings for c in f.citations))

    @property
    def jurisdiction_label(self) -> str:
        """Jurisdictions as shown in the matrix (``N/A (synthetic)``, ``unknown``)."""
        if self.jurisdictions:
            return ", ".join(self.jurisdictions)
        return f"{NOT_APPLICABLE} (synthetic)" if self.synthetic else "unknown"

    @property
    def regulation_label(self) -> str:
        """Regulations as shown in the matrix (``N/A`` when none applies)."""
        return ", ".join(self.regulations) if self.regulations else NOT_APPLICABLE

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data, including :attr:`undecided`."""
        return {**self.model_dump(mode="json"), "undecided": list(self.undecided)}

    def _repr_html_(self) -> str:
        rows = [
            [f.rule_id, f.regulation or NOT_APPLICABLE, f.risk, "; ".join(map(str, f.citations))]
            for f in self.findings
        ]
        colors = [[None, None, RISK_COLORS[f.risk], None] for f in self.findings]
        caption = f"{self.dataset}: {self.risk} ({self.regulation_label})"
        return html_table(
            ["Rule", "Regulation", "Risk", "Citations"], rows, caption=caption, cell_colors=colors
        )

    def __str__(self) -> str:
        return (
            f"{self.dataset} [{self.risk}] {self.jurisdiction_label} -> {self.regulation_label}: "
            + "; ".join(self.mitigations)
        )


class RegulationSummary(_Frozen):
    """One regulation across the matrix.

    Attributes:
        regulation: its name.
        risk: the highest risk among its findings.
        datasets: the datasets it applies to (``(model)`` for model-level findings).
        rule_ids: the rules that applied.
        undecided: how many of its findings were undecided.
    """

    regulation: str
    risk: RiskLevel
    datasets: tuple[str, ...]
    rule_ids: tuple[str, ...]
    undecided: int

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data."""
        return self.model_dump(mode="json")

    def __str__(self) -> str:
        return f"{self.regulation} [{self.risk}]: {', '.join(self.datasets)}"


class LicenseMix(_Frozen):
    """The license primitive's verdict on all dataset licenses together.

    Attributes:
        verdict: ``compatible``, ``incompatible`` or ``needs_review``.
        use: the use checked (``commercial`` or ``research``).
        licenses: the license expressions checked.
        obligations: what the licenses require together.
        reasons: why.
    """

    verdict: str
    use: str
    licenses: tuple[str, ...]
    obligations: tuple[str, ...]
    reasons: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data."""
        return self.model_dump(mode="json")

    def __str__(self) -> str:
        return f"{self.verdict}: {self.use} with {', '.join(self.licenses)}"


class PackRef(_Frozen):
    """A rule pack used to build a matrix."""

    name: str
    version: str
    origin: str | None = None

    def __str__(self) -> str:
        return f"{self.name} {self.version}"


class ComplianceMatrix(_Frozen):
    """Datasets x regulations x risk x mitigations, built from rule packs.

    Build one with :func:`openmodel_gov.compliance.build_compliance_matrix`.

    Attributes:
        rows: one row per dataset, in input order.
        model_findings: model-level findings (EU AI Act GPAI obligations).
        context: the use context the matrix was built for.
        packs: the rule packs used.
        license_mix: the license primitive's verdict on all licenses together, if any.
    """

    rows: tuple[ComplianceRow, ...]
    model_findings: tuple[Finding, ...] = ()
    context: ComplianceContext = ComplianceContext()
    packs: tuple[PackRef, ...] = ()
    license_mix: LicenseMix | None = None

    @property
    def overall_risk(self) -> RiskLevel:
        """The highest risk of any row or model finding."""
        return highest_risk([*(r.risk for r in self.rows), *(f.risk for f in self.model_findings)])

    @property
    def regulations(self) -> tuple[str, ...]:
        """Every regulation that applies somewhere, by name."""
        return tuple(s.regulation for s in self.by_regulation)

    @property
    def by_regulation(self) -> tuple[RegulationSummary, ...]:
        """Aggregates per regulation, highest risk first, then by name."""
        groups: dict[str, list[tuple[str, Finding]]] = {}
        for row in self.rows:
            for finding in row.findings:
                if finding.regulation:
                    groups.setdefault(finding.regulation, []).append((row.dataset, finding))
        for finding in self.model_findings:
            if finding.regulation:
                groups.setdefault(finding.regulation, []).append(("(model)", finding))
        out = [
            RegulationSummary(
                regulation=name,
                risk=highest_risk([f.risk for _, f in items]),
                datasets=tuple(dict.fromkeys(d for d, _ in items)),
                rule_ids=tuple(dict.fromkeys(f.rule_id for _, f in items)),
                undecided=sum(1 for _, f in items if not f.decided),
            )
            for name, items in groups.items()
        ]
        return tuple(sorted(out, key=lambda s: (-risk_rank(s.risk), s.regulation)))

    @property
    def risk_counts(self) -> dict[RiskLevel, int]:
        """How many datasets sit at each risk level (all four levels present)."""
        counts: dict[RiskLevel, int] = dict.fromkeys(RISK_LEVELS, 0)
        for row in self.rows:
            counts[row.risk] += 1
        return counts

    def row(self, dataset: str) -> ComplianceRow:
        """The row of ``dataset``.

        Raises:
            KeyError: no dataset of that name.
        """
        for row in self.rows:
            if row.dataset == dataset:
                return row
        raise KeyError(dataset)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data: rows, model findings, aggregates, context and packs."""
        return {
            "overall_risk": self.overall_risk,
            "risk_counts": self.risk_counts,
            "context": self.context.model_dump(mode="json"),
            "packs": [p.model_dump(mode="json") for p in self.packs],
            "rows": [r.to_dict() for r in self.rows],
            "model_findings": [f.to_dict() for f in self.model_findings],
            "by_regulation": [s.to_dict() for s in self.by_regulation],
            "license_mix": None if self.license_mix is None else self.license_mix.to_dict(),
        }

    def to_json(self, *, indent: int | None = 2) -> str:
        """The :meth:`to_dict` data as JSON (ends with a newline)."""
        return dump_json(self.to_dict(), indent=indent)

    def to_markdown(self) -> str:
        """A Markdown report: the matrix, model-level obligations, aggregates, citations."""
        from openmodel_gov.compliance._render import render_markdown

        return render_markdown(self)

    def to_csv(self) -> str:
        """One CSV line per dataset (and per model finding), with rules and citations."""
        from openmodel_gov.compliance._render import render_csv

        return render_csv(self)

    def to_html(self) -> str:
        """A self-contained HTML document (colored risk cells, legend) for audit files."""
        from openmodel_gov.compliance._render import render_html

        return render_html(self, document=True)

    def _repr_html_(self) -> str:
        from openmodel_gov.compliance._render import render_html

        return render_html(self, document=False)

    def to_dataframe(self) -> pandas.DataFrame:
        """One pandas row per dataset (needs pandas).

        Raises:
            MissingDependencyError: pandas is not installed.
        """
        from openmodel_gov.compliance._render import render_dataframe

        return render_dataframe(self)

    def __str__(self) -> str:
        lines = [
            f"Compliance matrix: {len(self.rows)} dataset(s), overall risk {self.overall_risk}"
        ]
        lines += [f"  {row}" for row in self.rows]
        lines += [f"  (model) {f}" for f in self.model_findings]
        return "\n".join(lines)
