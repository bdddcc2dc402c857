"""Markdown and self-contained HTML renderings of an :class:`AuditReport` (summary first)."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from openmodel_gov._core._render import RAG_COLORS, html_table, markdown_table

if TYPE_CHECKING:
    from openmodel_gov.audit._model import AuditReport, AuditSection

__all__ = ["render_html", "render_html_fragment", "render_markdown"]

_COLORS = {**RAG_COLORS, "grey": "#e2e2e2"}
_LABEL = {"green": "GREEN", "amber": "AMBER", "red": "RED", "grey": "SKIPPED"}
_HEADLINE = (
    ("use", "intended use checked"),
    ("openness_score", "openness score (0-10)"),
    ("openness_band", "openness band"),
    ("mof_label", "MOF class"),
    ("license", "declared license"),
    ("license_category", "license class"),
    ("license_verdict", "license verdict"),
    ("manifests_verified", "dataset manifests verified"),
    ("unredacted_pii", "unredacted PII types"),
    ("max_risk", "highest compliance risk"),
)

_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#1d1d1f;
background:#fafafa;line-height:1.45}
main{max-width:1100px;margin:0 auto;padding:24px 32px 48px}
h1{font-size:1.7rem;margin:0 0 4px}h2{font-size:1.3rem;margin:32px 0 8px;border-bottom:1px solid
#ddd;padding-bottom:4px}h3{font-size:1.05rem;margin:18px 0 6px}
.meta{color:#555;font-size:.9rem}
.badge{display:inline-block;padding:2px 10px;border-radius:12px;font-weight:600;font-size:.85rem;
color:#1d1d1f;border:1px solid rgba(0,0,0,.15)}
.overall{font-size:1.15rem;padding:6px 16px}
table{border-collapse:collapse;width:100%;margin:8px 0 12px;background:#fff;font-size:.9rem}
th,td{border:1px solid #d0d0d0;padding:6px 8px;text-align:left;vertical-align:top}
th{background:#f0f0f0}caption{text-align:left;font-weight:600;padding:4px 0}
.policy-fail{border-left:6px solid #c0392b;background:#fdecea;padding:8px 14px}
.policy-pass{border-left:6px solid #2e8b57;background:#eaf7ee;padding:8px 14px}
.detail{overflow-x:auto}
footer{margin-top:40px;color:#666;font-size:.8rem}
"""


def _badge(rag: str, extra: str = "") -> str:
    return (
        f'<span class="badge {extra}" data-rag="{html.escape(rag)}" '
        f'style="background:{_COLORS[rag]}">{_LABEL[rag]}</span>'
    )


def _fmt(value: object) -> str:
    if value is None:
        return "n/a"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or "none"
    return str(value)


#: Which section's rating colors each key fact.
_FACT_SECTION = {
    "openness_score": "openness",
    "openness_band": "openness",
    "mof_label": "openness",
    "license": "licenses",
    "license_category": "licenses",
    "license_verdict": "licenses",
    "manifests_verified": "manifests",
    "unredacted_pii": "pii",
    "max_risk": "compliance",
}


def _summary_rows(report: AuditReport) -> list[list[object]]:
    return [[label, _fmt(report.headline.get(key))] for key, label in _HEADLINE]


def _summary_colors(report: AuditReport) -> list[list[str | None]]:
    status = {s.id: s.status for s in report.sections}
    colors: list[list[str | None]] = []
    for key, _ in _HEADLINE:
        rag = status.get(_FACT_SECTION.get(key, ""))
        colors.append([None, _COLORS[rag] if rag else None])
    return colors


def _section_html(section: AuditSection) -> str:
    parts = [
        f'<section id="section-{html.escape(section.id)}" data-status="{section.status}">',
        f"<h2>{html.escape(section.title)} {_badge(section.status)}</h2>",
        f"<p>{html.escape(section.summary)}</p>",
    ]
    if section.findings:
        rows = [
            [_LABEL[f.rag], f.message, "; ".join(f.evidence) or "-", f.citation or "-"]
            for f in section.findings
        ]
        colors: list[list[str | None]] = [
            [_COLORS[f.rag], None, None, None] for f in section.findings
        ]
        parts.append(
            html_table(
                ["rating", "finding", "evidence", "citation"],
                rows,
                caption="Findings",
                cell_colors=colors,
            )
        )
    if section.detail_html:
        parts.append(f'<div class="detail">{section.detail_html}</div>')
    parts.append("</section>")
    return "".join(parts)


def render_html_fragment(report: AuditReport) -> str:
    """The report body (no ``<html>`` wrapper), for notebooks and for :func:`render_html`."""
    out: list[str] = [
        f"<h1>Audit report: {html.escape(report.model)}"
        + (f" {html.escape(report.model_version)}" if report.model_version else "")
        + "</h1>",
        f'<p class="meta">{html.escape(report.tool)} &middot; generated '
        f"{html.escape(report.generated_at)}</p>",
        '<section id="summary">',
        f"<h2>Summary {_badge(report.overall, 'overall')}</h2>",
    ]
    if report.policy is not None:
        cls = "policy-pass" if report.policy.passed else "policy-fail"
        text = (
            f"Policy <b>{html.escape(report.policy.policy)}</b>: "
            + ("passed" if report.policy.passed else "<b>FAILED</b>")
            + f" ({len(report.policy.checked)} rules checked)"
        )
        items = "".join(
            f"<li><code>{html.escape(v.rule)}</code>: {html.escape(v.message)}</li>"
            for v in report.policy.violations
        )
        out.append(
            f'<div id="policy" class="{cls}"><p>{text}</p>'
            + (f"<ul>{items}</ul>" if items else "")
            + "</div>"
        )
    out.append(
        html_table(
            ["fact", "value"],
            _summary_rows(report),
            caption="Key facts",
            cell_colors=_summary_colors(report),
        )
    )
    out.append(
        html_table(
            ["section", "rating", "summary"],
            [[s.title, _LABEL[s.status], s.summary] for s in report.sections],
            caption="Sections",
            cell_colors=[[None, _COLORS[s.status], None] for s in report.sections],
        )
    )
    out.append("</section>")
    out.append('<section id="plan"><h2>Improvement plan</h2>')
    if report.plan:
        out.append(
            html_table(
                ["#", "priority", "action", "why", "section"],
                [[i, p.priority, p.action, p.why, p.section] for i, p in enumerate(report.plan, 1)],
            )
        )
    else:
        out.append("<p>Nothing to improve: every check is green.</p>")
    out.append("</section>")
    out.extend(_section_html(s) for s in report.sections)
    if report.inputs:
        out.append('<section id="inputs"><h2>Inputs</h2>')
        out.append(
            html_table(
                ["role", "path", "sha256"],
                [[i.role, i.path, i.sha256 or "-"] for i in report.inputs],
            )
        )
        out.append("</section>")
    return "".join(out)


def render_html(report: AuditReport) -> str:
    """A complete, self-contained HTML page: inline CSS, no script, no external resource."""
    title = html.escape(f"Audit report: {report.model}")
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{title}</title><style>{_CSS}</style></head>"
        f'<body data-overall="{report.overall}"><main>'
        + render_html_fragment(report)
        + "<footer>Ratings: GREEN ok, AMBER review, RED action needed, SKIPPED not checked. "
        "Everything but the generation time is a function of the inputs.</footer>"
        "</main></body></html>\n"
    )


def render_markdown(report: AuditReport) -> str:
    """The report as Markdown: summary, policy, plan, then each section's findings."""
    lines = [
        f"# Audit report: {report.model}"
        + (f" {report.model_version}" if report.model_version else ""),
        "",
        f"{report.tool} - generated {report.generated_at}",
        "",
        f"## Summary: {_LABEL[report.overall]}",
        "",
    ]
    if report.policy is not None:
        state = "passed" if report.policy.passed else "**FAILED**"
        lines.append(
            f"Policy `{report.policy.policy}`: {state} ({len(report.policy.checked)} rules checked)"
        )
        lines.extend(f"- `{v.rule}`: {v.message}" for v in report.policy.violations)
        lines.append("")
    lines += [markdown_table(["fact", "value"], _summary_rows(report)), ""]
    lines += [
        markdown_table(
            ["section", "rating", "summary"],
            [[s.title, _LABEL[s.status], s.summary] for s in report.sections],
        ),
        "",
        "## Improvement plan",
        "",
    ]
    if report.plan:
        lines.extend(
            f"{i}. **{p.priority}** - {p.action} ({p.section}: {p.why})"
            for i, p in enumerate(report.plan, 1)
        )
    else:
        lines.append("Nothing to improve: every check is green.")
    for s in report.sections:
        lines += ["", f"## {s.title}: {_LABEL[s.status]}", "", s.summary]
        if s.findings:
            lines += [
                "",
                markdown_table(
                    ["rating", "finding", "evidence", "citation"],
                    [
                        [_LABEL[f.rag], f.message, "; ".join(f.evidence) or "-", f.citation or "-"]
                        for f in s.findings
                    ],
                ),
            ]
        if s.detail_markdown:
            detail = s.detail_markdown.replace("\n## ", "\n### ")
            if detail.startswith("## "):
                detail = "#" + detail
            lines += ["", detail]
    if report.inputs:
        lines += [
            "",
            "## Inputs",
            "",
            markdown_table(
                ["role", "path", "sha256"],
                [[i.role, i.path, i.sha256 or "-"] for i in report.inputs],
            ),
        ]
    return "\n".join(lines) + "\n"
