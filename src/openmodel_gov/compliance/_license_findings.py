"""License findings of the compliance builder: one per dataset license, from the licenses package.

:class:`LicenseChecker` is what the builder needs from :mod:`openmodel_gov.licenses`;
``_Licenses`` turns its classification and verdict into a :class:`Finding` (memoized per
license and source kind) and the matrix's :class:`LicenseMix`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Literal, Protocol

from openmodel_gov._core import Citation, FindingStatus, RiskLevel
from openmodel_gov.compliance._facts import ComplianceContext, DatasetFacts
from openmodel_gov.compliance._results import Finding, LicenseMix
from openmodel_gov.errors import UnknownLicenseError

if TYPE_CHECKING:
    from openmodel_gov.licenses import DatasetUse, LicenseClassification, Verdict

__all__ = ["LICENSE_REGULATION", "LicenseChecker"]

#: The regulation under which license findings appear.
LICENSE_REGULATION = "License"

_LICENSE_RISK: dict[str, RiskLevel] = {"incompatible": "High", "needs_review": "Medium"}


class LicenseChecker(Protocol):
    """What the builder needs from :mod:`openmodel_gov.licenses` (the module itself fits).

    Pass a test double as ``license_checker`` to build matrices without the license tables.
    """

    def classify_license(self, expr: str) -> LicenseClassification:
        """Classify one license expression (raises ``UnknownLicenseError``)."""

    def check_dataset_mix(self, licenses: Sequence[str], *, use: DatasetUse) -> Verdict:
        """The verdict on combining these dataset licenses for ``use``."""


def _capitalized(text: str) -> str:
    return text[:1].upper() + text[1:]


def _license_citation(source: str, section: str | None, url: str | None) -> Citation:
    return Citation(source=source, section=section, url=url)


def _license_risk(outcome: str, category: str) -> RiskLevel | None:
    """The risk of a license finding (``None``: no finding) from the verdict and category."""
    if outcome in _LICENSE_RISK:
        return _LICENSE_RISK[outcome]
    if category == "copyleft":
        return "Medium"
    if category in ("non-commercial", "restricted"):
        return "Low"
    return None


def _term_mitigations(
    expr: str, classification: LicenseClassification, category: str
) -> list[tuple[str, Citation | None]]:
    """Review unknown terms; respect each term of a license that is not permissive."""
    if category == "unknown":
        texts = "; ".join(t.text for t in classification.reasons)
        cite = classification.reasons[0].citation if classification.reasons else None
        return [
            (
                f"Have the terms of {expr} reviewed: we hold no facts about them"
                + (f" ({texts})" if texts else ""),
                None if cite is None else _license_citation(cite.source, cite.section, cite.url),
            )
        ]
    if category == "permissive":
        return []
    return [
        (
            f"Respect the terms of {expr}: {term.text}",
            _license_citation(term.citation.source, term.citation.section, term.citation.url),
        )
        for term in classification.reasons
    ]


def _license_mitigations(
    expr: str,
    classification: LicenseClassification,
    verdict: Verdict,
    outcome: str,
    category: str,
) -> list[tuple[str, Citation | None]]:
    """The terms, then the obligations, then what the verdict asks, with their citations."""
    mitigations = _term_mitigations(expr, classification, category)
    mitigations.extend(
        (
            f"{_capitalized(duty.text)} ({expr})",
            _license_citation(duty.citation.source, duty.citation.section, duty.citation.url),
        )
        for duty in verdict.obligations
    )
    if outcome == "incompatible":
        mitigations.append(
            ("Exclude the dataset from this use, or obtain a license that allows it", None)
        )
    elif outcome == "needs_review" and category != "unknown":
        mitigations.append((f"Have the terms of {expr} reviewed by counsel", None))
    return mitigations


class _Licenses:
    """License findings from a :class:`LicenseChecker`, memoized per build."""

    def __init__(self, context: ComplianceContext, checker: LicenseChecker) -> None:
        self._checker = checker
        self.use = context.use or "commercial"
        self.status: FindingStatus = "decided" if context.use else "open"
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
            classification = self._checker.classify_license(expr)
        except UnknownLicenseError as exc:
            if source_kind == "web-crawl":
                return None  # crawled content: the copyright pack's rules cover it
            return self._finding(
                expr,
                risk="Medium",
                title=f"{expr} is not a known license: needs review",
                reasons=(exc.message,),
                mitigations=((f"Have the terms of {expr} reviewed by counsel", None),),
                citations=(),
            )
        category = str(classification.category)
        if category == "unknown" and source_kind == "web-crawl":
            return None
        verdict = self._checker.check_dataset_mix([expr], use=self.dataset_use)
        outcome = str(verdict.verdict)
        risk = _license_risk(outcome, category)
        if risk is None:
            return None
        mitigations = _license_mitigations(expr, classification, verdict, outcome, category)
        title = {
            "incompatible": f"{expr} does not allow {self.use} training",
            "needs_review": f"{expr} needs review for {self.use} training",
        }.get(outcome, f"{expr} ({category}) carries obligations")
        cites = [
            _license_citation(r.citation.source, r.citation.section, r.citation.url)
            for r in verdict.reasons
        ]
        return self._finding(
            expr,
            risk=risk,
            title=title,
            reasons=tuple(r.message for r in verdict.reasons)
            or (f"License category: {category}.",),
            mitigations=tuple(dict.fromkeys(mitigations))
            or (("Keep the license and its notices with the data", None),),
            citations=tuple(dict.fromkeys(cites)),
        )

    def _finding(
        self,
        expr: str,
        *,
        risk: RiskLevel,
        title: str,
        reasons: tuple[str, ...],
        mitigations: tuple[tuple[str, Citation | None], ...],
        citations: tuple[Citation, ...],
    ) -> Finding:
        citations = citations or (Citation(source=f"License {expr}", section="license text"),)
        return Finding(
            rule_id=f"license:{expr}",
            pack="licenses",
            regulation=LICENSE_REGULATION,
            title=title,
            severity=risk,
            status=self.status,
            unknown_facts=("context.use",) if self.status == "open" else (),
            question="Is the use commercial? (state the context key `use`)"
            if self.status == "open"
            else None,
            how_to_state=("context key `use`",) if self.status == "open" else (),
            reasons=reasons,
            mitigations=tuple(text for text, _ in mitigations),
            mitigation_citations=tuple(cite or citations[0] for _, cite in mitigations),
            citations=citations,
        )

    def mix(self, expressions: list[str]) -> LicenseMix | None:
        known = []
        for expr in expressions:
            try:
                self._checker.classify_license(expr)
            except UnknownLicenseError:
                continue
            known.append(expr)
        if not known:
            return None
        verdict = self._checker.check_dataset_mix(known, use=self.dataset_use)
        return LicenseMix(
            verdict=str(verdict.verdict),
            use=self.dataset_use,
            licenses=tuple(known),
            obligations=tuple(f"{_capitalized(o.text)} ({o.license})" for o in verdict.obligations),
            reasons=tuple(r.message for r in verdict.reasons),
        )
