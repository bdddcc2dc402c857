"""Result types of the compliance builder: rows, aggregates, the matrix.

The finding type (:class:`Finding`, with ``NOT_APPLICABLE`` and :func:`highest_risk`) lives in
``_finding`` and the question and mitigation types in ``_items``; all are re-exported here.
Every finding is a :class:`openmodel_gov.results.Finding` (the shared vocabulary) with the
pack and regulation it belongs to. A finding is *decided* (its condition holds on stated
facts), *open* (it would hold if an unknown fact turns out true, and something makes that
plausible) or *ruled out* (stated facts exclude it). Risk comes from decided findings only,
unless the matrix was built with ``worst_case=True``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

from pydantic import BeforeValidator

from openmodel_gov._core import (
    RISK_LEVELS,
    Citation,
    Frozen,
    RiskLevel,
    risk_rank,
    tupleize,
)
from openmodel_gov._core._io import dump_json
from openmodel_gov.compliance._facts import ComplianceContext
from openmodel_gov.compliance._finding import NOT_APPLICABLE, Finding, highest_risk
from openmodel_gov.compliance._items import (
    Mitigation,
    OpenQuestion,
    collect_questions,
)

if TYPE_CHECKING:
    import pandas

__all__ = [
    "NOT_APPLICABLE",
    "ComplianceMatrix",
    "ComplianceRow",
    "Finding",
    "LicenseMix",
    "Mitigation",
    "OpenQuestion",
    "PackRef",
    "RegulationSummary",
    "highest_risk",
]

_Tuple = BeforeValidator(tupleize)


class ComplianceRow(Frozen):
    """One dataset of the matrix: its regulations, risk and mitigations, with the evidence.

    Attributes:
        dataset: the dataset name.
        version: the dataset version, if known.
        jurisdictions: the declared jurisdiction codes.
        synthetic: whether the dataset is synthetic.
        regulations: the regulations that apply on stated facts, highest risk first (with
            ``worst_case``: also those of open findings).
        risk: the highest risk of the decided findings (``Low`` when none; with
            ``worst_case``: of the open ones too).
        mitigations: what to do, highest-risk findings first, each once, with its citations.
        findings: every finding: decided (highest risk first), then open, then ruled out.
        worst_case: whether open findings were counted as if they held.
    """

    dataset: str
    version: str | None = None
    jurisdictions: Annotated[tuple[str, ...], _Tuple]
    synthetic: bool = False
    regulations: Annotated[tuple[str, ...], _Tuple]
    risk: RiskLevel
    mitigations: Annotated[tuple[Mitigation, ...], _Tuple]
    findings: Annotated[tuple[Finding, ...], _Tuple]
    worst_case: bool = False

    @property
    def decided_findings(self) -> tuple[Finding, ...]:
        """Findings whose conditions hold on stated facts."""
        return tuple(f for f in self.findings if f.status == "decided")

    @property
    def open_findings(self) -> tuple[Finding, ...]:
        """Findings that would hold if an unknown fact turns out true."""
        return tuple(f for f in self.findings if f.status == "open")

    @property
    def ruled_out_findings(self) -> tuple[Finding, ...]:
        """Findings that stated facts rule out."""
        return tuple(f for f in self.findings if f.status == "ruled-out")

    @property
    def questions(self) -> tuple[OpenQuestion, ...]:
        """The open findings as questions to answer."""
        return collect_questions([(self.dataset, f) for f in self.findings])

    @property
    def undecided(self) -> tuple[str, ...]:
        """Facts that open findings need (supply them to sharpen the row)."""
        return tuple(dict.fromkeys(f for x in self.open_findings for f in x.unknown_facts))

    @property
    def rule_ids(self) -> tuple[str, ...]:
        """Ids of the rules that apply (decided; with ``worst_case``, open ones too)."""
        return tuple(f.rule_id for f in self.findings if _counts(f, self.worst_case))

    @property
    def citations(self) -> tuple[Citation, ...]:
        """Every citation behind the counted findings, without repeats."""
        counted = (f for f in self.findings if _counts(f, self.worst_case))
        return tuple(dict.fromkeys(c for f in counted for c in f.citations))

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
        """Plain JSON-ready data, with the open questions and the facts they need."""
        return {
            **self.model_dump(mode="json"),
            "questions": [q.to_dict() for q in self.questions],
            "undecided": list(self.undecided),
        }

    def _repr_html_(self) -> str:
        from openmodel_gov._core._render import RISK_COLORS, html_table

        rows = [
            [f.rule_id, f.regulation or NOT_APPLICABLE, f.severity, f.status_label()]
            for f in self.findings
        ]
        colors = [[None, None, RISK_COLORS[f.severity], None] for f in self.findings]
        caption = f"{self.dataset}: {self.risk} ({self.regulation_label})"
        return html_table(
            ["Rule", "Regulation", "Risk", "Status"], rows, caption=caption, cell_colors=colors
        )

    def __str__(self) -> str:
        return (
            f"{self.dataset} [{self.risk}] {self.jurisdiction_label} -> {self.regulation_label}: "
            + "; ".join(m.text for m in self.mitigations)
        )


def _counts(finding: Finding, worst_case: bool) -> bool:
    return finding.status == "decided" or (worst_case and finding.status == "open")


class RegulationSummary(Frozen):
    """One regulation across the matrix.

    Attributes:
        regulation: its name.
        risk: the highest risk among its counted findings.
        datasets: the datasets it applies to (``(model)`` for model-level findings).
        rule_ids: the rules that applied.
        open: how many open findings of this regulation remain (questions).
    """

    regulation: str
    risk: RiskLevel
    datasets: Annotated[tuple[str, ...], _Tuple]
    rule_ids: Annotated[tuple[str, ...], _Tuple]
    open: int = 0

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data."""
        return self.model_dump(mode="json")

    def __str__(self) -> str:
        return f"{self.regulation} [{self.risk}]: {', '.join(self.datasets)}"


class LicenseMix(Frozen):
    """The license primitive's verdict on all dataset licenses together.

    Attributes:
        verdict: ``compatible``, ``incompatible`` or ``needs_review``.
        use: the use checked (``commercial-training`` or ``research-training``).
        licenses: the license expressions checked.
        obligations: what the licenses require together, in words.
        reasons: why.
    """

    verdict: str
    use: str
    licenses: Annotated[tuple[str, ...], _Tuple]
    obligations: Annotated[tuple[str, ...], _Tuple]
    reasons: Annotated[tuple[str, ...], _Tuple]

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data."""
        return self.model_dump(mode="json")

    def __str__(self) -> str:
        return f"{self.verdict}: {self.use} with {', '.join(self.licenses)}"


class PackRef(Frozen):
    """A rule pack used to build a matrix."""

    name: str
    version: str
    origin: str | None = None

    def __str__(self) -> str:
        return f"{self.name} {self.version}"


class ComplianceMatrix(Frozen):
    """Datasets x regulations x risk x mitigations, built from rule packs.

    Build one with :func:`openmodel_gov.compliance.build_compliance_matrix`.

    Attributes:
        rows: one row per dataset, in input order.
        model_findings: model-level findings (EU AI Act GPAI obligations); only when model
            context was given or asked for.
        context: the use context the matrix was built for.
        packs: the rule packs used.
        license_mix: the license primitive's verdict on all licenses together, if any.
        worst_case: open findings were counted as if they held (the conservative view).
        model_rules: whether model-level rules were evaluated.
    """

    rows: Annotated[tuple[ComplianceRow, ...], _Tuple]
    model_findings: Annotated[tuple[Finding, ...], _Tuple] = ()
    context: ComplianceContext = ComplianceContext()
    packs: Annotated[tuple[PackRef, ...], _Tuple] = ()
    license_mix: LicenseMix | None = None
    worst_case: bool = False
    model_rules: bool = False

    @property
    def overall_risk(self) -> RiskLevel:
        """The highest risk of any row or counted model finding."""
        model = [f.severity for f in self.model_findings if _counts(f, self.worst_case)]
        return highest_risk([*(r.risk for r in self.rows), *model])

    @property
    def regulations(self) -> tuple[str, ...]:
        """Every regulation that applies somewhere, by name."""
        return tuple(s.regulation for s in self.by_regulation)

    def _all_findings(self) -> list[tuple[str, Finding]]:
        items = [(row.dataset, f) for row in self.rows for f in row.findings]
        return items + [("(model)", f) for f in self.model_findings]

    @property
    def questions(self) -> tuple[OpenQuestion, ...]:
        """Every open finding as a question to answer, grouped, highest risk first."""
        return collect_questions(self._all_findings())

    @property
    def by_regulation(self) -> tuple[RegulationSummary, ...]:
        """Aggregates per regulation that applies (counted findings), highest risk first."""
        groups: dict[str, list[tuple[str, Finding]]] = {}
        open_counts: dict[str, int] = {}
        for dataset, finding in self._all_findings():
            if not finding.regulation:
                continue
            if finding.status == "open":
                open_counts[finding.regulation] = open_counts.get(finding.regulation, 0) + 1
            if _counts(finding, self.worst_case):
                groups.setdefault(finding.regulation, []).append((dataset, finding))
        out = [
            RegulationSummary(
                regulation=name,
                risk=highest_risk([f.severity for _, f in items]),
                datasets=tuple(dict.fromkeys(d for d, _ in items)),
                rule_ids=tuple(dict.fromkeys(f.rule_id for _, f in items)),
                open=open_counts.get(name, 0),
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
        """Plain JSON-ready data: rows, questions, model findings, aggregates, context, packs."""
        return {
            "overall_risk": self.overall_risk,
            "worst_case": self.worst_case,
            "risk_counts": self.risk_counts,
            "context": self.context.model_dump(mode="json"),
            "packs": [p.model_dump(mode="json") for p in self.packs],
            "rows": [r.to_dict() for r in self.rows],
            "questions": [q.to_dict() for q in self.questions],
            "model_rules": self.model_rules,
            "model_findings": [f.to_dict() for f in self.model_findings],
            "by_regulation": [s.to_dict() for s in self.by_regulation],
            "license_mix": None if self.license_mix is None else self.license_mix.to_dict(),
        }

    def to_json(self, *, indent: int | None = 2) -> str:
        """The :meth:`to_dict` data as JSON (ends with a newline)."""
        return dump_json(self.to_dict(), indent=indent)

    def to_markdown(
        self, *, heading_level: int = 2, title: bool = True, questions: bool = True
    ) -> str:
        """A Markdown report: the matrix, open questions, model obligations, citations.

        Args:
            heading_level: the level of the "Compliance matrix" heading (sub-headings one
                below; without ``title``, sub-headings at this level).
            title: start with the "Compliance matrix" heading (off when embedding the matrix
                under a heading of one's own).
            questions: include the open questions table (off when the embedding report
                lists them in a section of its own).
        """
        from openmodel_gov.compliance._render import render_markdown

        return render_markdown(self, heading_level=heading_level, title=title, questions=questions)

    def to_csv(self) -> str:
        """One CSV line per dataset (and per model finding); lists joined with ``; ``."""
        from openmodel_gov.compliance._render import render_csv

        return render_csv(self)

    def to_html(
        self,
        *,
        document: bool = True,
        heading_level: int = 2,
        title: bool = True,
        questions: bool = True,
    ) -> str:
        """HTML: a self-contained document (colored risk cells, legend), or a fragment.

        Args:
            document: a whole page (``False``: a ``<div>`` to embed).
            heading_level: as in :meth:`to_markdown`.
            title: as in :meth:`to_markdown`.
            questions: as in :meth:`to_markdown`.
        """
        from openmodel_gov.compliance._render import render_html

        return render_html(
            self,
            document=document,
            heading_level=heading_level,
            title=title,
            questions=questions,
        )

    def to_svg(self) -> str:
        """A datasets x regulations heatmap of decided risk (open questions dashed), as SVG.

        Self-contained (no script, no external resource), with a text alternative.
        """
        from openmodel_gov.compliance._svg import render_heatmap

        return render_heatmap(self)

    def _repr_html_(self) -> str:
        from openmodel_gov.compliance._render import render_html

        return render_html(self, document=False)

    def to_dataframe(self) -> pandas.DataFrame:
        """One pandas row per dataset, list columns as lists (needs pandas).

        Raises:
            MissingDependencyError: pandas is not installed.
        """
        from openmodel_gov.compliance._render import render_dataframe

        return render_dataframe(self)

    def __str__(self) -> str:
        view = " (worst case: open questions counted as if answered yes)" if self.worst_case else ""
        lines = [
            f"Compliance matrix: {len(self.rows)} dataset(s), overall risk {self.overall_risk}"
            + view
        ]
        lines += [f"  {row}" for row in self.rows]
        lines += [f"  (model) {f}" for f in self.model_findings if f.status != "ruled-out"]
        questions = self.questions
        if questions:
            lines.append(f"  {len(questions)} open question(s):")
            lines += [f"    ? {q}" for q in questions]
        return "\n".join(lines)
