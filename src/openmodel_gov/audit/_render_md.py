"""The Markdown rendering of an :class:`AuditReport` (``_render.render_markdown`` delegates here).

Same order and content as the HTML of ``_render``: title, contents, summary, improvement plan,
open questions, one section per step, inputs, sign-off.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from openmodel_gov._core._render import markdown_table
from openmodel_gov.audit._render import (
    _DECISIONS,
    _FINDING_HEADERS,
    _LABEL,
    _MEANING,
    _QUESTION_HEADERS,
    _SIGN_OFF,
    _finding_cells,
    _toc,
    explain,
    key_facts,
)

if TYPE_CHECKING:
    from openmodel_gov.audit._model import AuditReport, AuditSection, Finding

__all__ = ["render_markdown"]


def _md_list(values: Sequence[str]) -> str:
    return "<br>".join(f"• {v}" for v in values) if values else "-"


def _md_policy(report: AuditReport) -> list[str]:
    if report.policy is None:
        return []
    state = "passed" if report.policy.passed else "**FAILED**"
    return [
        f"Policy `{report.policy.policy}`: {state} ({len(report.policy.checked)} rules checked)",
        *(f"- `{v.rule}`: {v.message}" for v in report.policy.violations),
        "",
    ]


def _md_plan(report: AuditReport) -> list[str]:
    if not report.plan:
        return ["Nothing to improve: every check is green."]
    return [
        f"{i}. **{p.priority}** - {p.action} ({p.section}: {p.why})"
        for i, p in enumerate(report.plan, 1)
    ]


def _md_questions(report: AuditReport) -> list[str]:
    if not report.questions:
        return ["None: every compliance rule was decided on the stated facts."]
    rows = [
        [
            q.question,
            f"{q.regulation or 'N/A'}, {q.risk}",
            _md_list(q.facts),
            _md_list(q.how_to_state),
            _md_list(q.datasets),
        ]
        for q in report.questions
    ]
    return [markdown_table(_QUESTION_HEADERS, rows)]


def _md_finding_row(finding: Finding) -> list[str]:
    row = [
        _md_list([str(c)]) if not isinstance(c, list) else _md_list(c)
        for c in _finding_cells(finding)
    ]
    return [str(row[0]).removeprefix("• "), str(row[1]).removeprefix("• "), *row[2:]]


def _md_section(s: AuditSection) -> list[str]:
    lines = ["", f'<a id="section-{s.id}"></a>', "", f"## {s.title}: {_LABEL[s.status]}"]
    lines += ["", s.summary]
    if s.findings:
        lines += ["", markdown_table(_FINDING_HEADERS, [_md_finding_row(f) for f in s.findings])]
    if s.detail_markdown:  # detail headings sit below the section's own
        detail = "\n".join(
            "#" + line if line.startswith("## ") else line
            for line in s.detail_markdown.rstrip("\n").split("\n")
        )
        lines += ["", detail]
    return lines


def _md_inputs(report: AuditReport) -> list[str]:
    if not report.inputs:
        return []
    rows = [[i.role, i.path, i.sha256 or "-"] for i in report.inputs]
    return [
        "",
        '<a id="inputs"></a>',
        "",
        "## Inputs",
        "",
        markdown_table(["role", "path", "sha256"], rows),
    ]


def _md_sign_off() -> list[str]:
    decision = " ".join(f"☐ {d}" for d in _DECISIONS)
    rows = [[label, decision if label == "Decision" else ""] for label in _SIGN_OFF]
    return [
        "",
        '<a id="sign-off"></a>',
        "",
        "## Sign-off",
        "",
        "To be completed by the compliance reviewer.",
        "",
        markdown_table(["", ""], rows),
    ]


def render_markdown(report: AuditReport) -> str:
    """The report as Markdown: contents, summary, plan, questions, sections, sign-off."""
    lines = [
        f"# Audit report: {report.model}"
        + (f" {report.model_version}" if report.model_version else ""),
        "",
        f"{report.tool} - generated {report.generated_at}",
        "",
        "**Contents:** " + " · ".join(f"[{t}](#{a})" for a, t in _toc(report)),
        "",
        '<a id="summary"></a>',
        "",
        f"## Summary: {_LABEL[report.overall]}",
        "",
        *[f"{s}  " for s in explain(report)],
        "",
        *_md_policy(report),
        markdown_table(["fact", "value"], [[a, b] for a, b, _ in key_facts(report.headline)]),
        "",
        markdown_table(
            ["section", "rating", "summary"],
            [[s.title, _LABEL[s.status], s.summary] for s in report.sections],
        ),
        "",
        "Ratings: " + "; ".join(f"**{_LABEL[r]}**: {t}" for r, t in _MEANING) + ".",
        "",
        '<a id="plan"></a>',
        "",
        "## Improvement plan",
        "",
        *_md_plan(report),
        "",
        '<a id="questions"></a>',
        "",
        "## Open questions",
        "",
        *_md_questions(report),
    ]
    for s in report.sections:
        lines += _md_section(s)
    lines += _md_inputs(report)
    lines += _md_sign_off()
    return "\n".join(lines) + "\n"
