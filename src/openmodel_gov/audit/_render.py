"""Markdown and self-contained HTML renderings of an :class:`AuditReport`, for a reviewer.

Order: title, table of contents, summary (the rating and the policy outcome explained
together, key facts), improvement plan, open questions, one section per step (with its
pictures), inputs, sign-off. The renderers receive the report; they import its model only
for type checking. The HTML carries print CSS and inline SVG only: no script, no network.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import TYPE_CHECKING, Final

from openmodel_gov._core._render import RAG_COLORS, html_table

if TYPE_CHECKING:
    from openmodel_gov.audit._model import AuditReport, AuditSection, Finding, Headline

__all__ = ["explain", "key_facts", "render_html", "render_html_fragment", "render_markdown"]

_COLORS: Final = {**RAG_COLORS, "grey": "#e2e2e2"}
_LABEL: Final = {"green": "GREEN", "amber": "AMBER", "red": "RED", "grey": "SKIPPED"}
_MEANING: Final = (
    ("green", "no action needed"),
    ("amber", "review"),
    ("red", "action needed"),
    ("grey", "not checked (input missing)"),
)
_RISK_RAG: Final = {"Low": "green", "Medium": "amber", "High": "red", "Critical": "red"}
_SIGN_OFF: Final = ("Reviewer", "Date", "Decision", "Conditions or notes")
_DECISIONS: Final = ("approve", "approve with conditions", "reject")

_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#1d1d1f;
background:#fafafa;line-height:1.45}
main{max-width:1100px;margin:0 auto;padding:24px 32px 48px}
h1{font-size:1.7rem;margin:0 0 4px}h2{font-size:1.3rem;margin:32px 0 8px;border-bottom:1px solid
#ddd;padding-bottom:4px}h3{font-size:1.05rem;margin:18px 0 6px}
.meta{color:#555;font-size:.9rem}
nav.toc{background:#fff;border:1px solid #ddd;padding:8px 16px;margin:12px 0}
nav.toc ol{margin:4px 0;padding-left:1.4em;columns:2}
.badge{display:inline-block;padding:2px 10px;border-radius:12px;font-weight:600;font-size:.85rem;
color:#1d1d1f;border:1px solid rgba(0,0,0,.15);margin:0 .5em 0 0}
h2 .badge{margin-left:.5em}
.overall{font-size:1.15rem;padding:6px 16px}
ul.legend{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:6px 20px}
table{border-collapse:collapse;width:100%;margin:8px 0 12px;background:#fff;font-size:.9rem}
th,td{border:1px solid #d0d0d0;padding:6px 8px;text-align:left;vertical-align:top}
th{background:#f0f0f0}caption{text-align:left;font-weight:600;padding:4px 0}
td ul{margin:0;padding-left:1.1em}
.explain{background:#fff;border:1px solid #ddd;padding:8px 14px}
.policy-fail{border-left:6px solid #c0392b;background:#fdecea;padding:8px 14px}
.policy-pass{border-left:6px solid #2e8b57;background:#eaf7ee;padding:8px 14px}
.detail{overflow-x:auto}
figure.omg-figure{margin:8px 0;overflow-x:auto}figure.omg-figure svg{max-width:100%;height:auto}
figcaption{font-size:.85rem;color:#555}
.sign-off td{height:2.2em}
footer{margin-top:40px;color:#666;font-size:.8rem}
@media (max-width:700px){main{padding:12px}nav.toc ol{columns:1}
table{font-size:.8rem;display:block;overflow-x:auto}}
@media print{body{background:#fff;font-size:10.5pt}main{max-width:none;padding:0}
nav.toc{border:none;padding:0}a{color:#000;text-decoration:none}
section{break-inside:auto}h2,h3{break-after:avoid}tr,figure{break-inside:avoid}
.badge,td,th,.policy-fail,.policy-pass,rect{-webkit-print-color-adjust:exact;
print-color-adjust:exact}.detail{overflow:visible}footer{position:static}
#sign-off{break-before:page}}
"""


def _badge(rag: str, extra: str = "") -> str:
    cls = f"badge {extra}".strip()
    return (
        f'<span class="{cls}" data-rag="{html.escape(rag)}" '
        f'style="background:{_COLORS[rag]}">{_LABEL[rag]}</span>'
    )


def _list(values: Sequence[str]) -> str:
    return ", ".join(values) if values else "none"


def key_facts(h: Headline) -> list[tuple[str, str, str | None]]:
    """``(fact, value, section id)`` rows of the summary's key facts."""
    bases = [f"{b.model} ({b.license or 'license not given'})" for b in h.base_models]
    manifests = [
        f"{m.path}: {'verified' if m.verified else 'DOES NOT MATCH its data'}; {m.signature_label}"
        for m in h.manifests
    ]
    score = "n/a" if h.openness_score is None else f"{h.openness_score}/10 ({h.openness_band})"
    pii = "not scanned" if h.unredacted_pii is None else _list(h.unredacted_pii)
    return [
        ("intended use checked", h.use, None),
        ("declared license", h.license or "undeclared", "licenses"),
        ("license class", h.license_category or "not classified", "licenses"),
        ("license verdict", h.license_verdict or "n/a", "licenses"),
        ("base model(s) and their licenses", _list(bases), "licenses"),
        ("datasets", _list(h.datasets), "manifests"),
        ("dataset manifests and signatures", "; ".join(manifests) or "none given", "manifests"),
        ("openness score", score, "openness"),
        ("MOF class", h.mof_label or "n/a", "openness"),
        ("unredacted PII types", pii, "pii"),
        ("decided compliance risk", h.max_risk or "not assessed", "compliance"),
        ("open compliance questions", str(h.open_questions), "compliance"),
    ]


def explain(report: AuditReport) -> list[str]:
    """The overall rating and the policy outcome, explained together (one sentence each)."""
    rating = report.overall
    sentences: list[str] = []
    worst = [s for s in report.sections if s.status == report.sections_rating]
    reasons = "; ".join(f"{s.title}: {s.summary}" for s in worst if s.status != "grey")
    if report.policy is not None and not report.policy.passed:
        sentences.append(
            f"{_LABEL[rating]} because the policy {report.policy.policy} failed "
            f"({len(report.policy.violations)} rule(s) violated)"
            + (
                f"; the checks alone rate {_LABEL[report.sections_rating]} ({reasons})"
                if reasons
                else ""
            )
            + "."
        )
    elif rating == "green":
        sentences.append("GREEN: every check that ran found nothing to act on.")
    else:
        sentences.append(f"{_LABEL[rating]} because {reasons}.")
    if report.policy is not None and report.policy.passed:
        checks = "; ".join(report.policy.explanations) or ", ".join(report.policy.checked)
        text = f"The policy {report.policy.policy} passed because it checks only: {checks}."
        if rating != "green":
            text += (
                f" The {_LABEL[rating]} rating comes from findings the policy does not gate on; "
                "review them before sign-off."
            )
        sentences.append(text)
    elif report.policy is None:
        sentences.append("No policy was given, so nothing gates the release automatically.")
    skipped = [s.title for s in report.sections if s.status == "grey"]
    if skipped:
        sentences.append(f"Not checked for lack of input: {', '.join(skipped)}.")
    n = len(report.questions)
    if n:
        sentences.append(
            f"{n} open compliance question(s): they do not count in the risk until answered "
            "(see Open questions)."
        )
    return sentences


def _finding_cells(f: Finding) -> list[object]:
    return [
        _LABEL[_RISK_RAG[f.severity]],
        f.title,
        [str(e) for e in f.evidence],
        [str(c) for c in f.citations],
        list(f.mitigations),
    ]


def _cell(value: object) -> str:
    if isinstance(value, list):
        if not value:
            return "-"
        return "<ul>" + "".join(f"<li>{html.escape(str(v))}</li>" for v in value) + "</ul>"
    return html.escape(str(value))


def _table(
    headers: Sequence[str],
    rows: Sequence[Sequence[object]],
    *,
    caption: str | None = None,
    colors: Sequence[Sequence[str | None]] | None = None,
) -> str:
    """A bare ``<table>`` (the page's CSS styles it) whose list cells render as bullet lists."""
    return html_table(
        headers, rows, caption=caption, cell_colors=colors, css_class=None, render_cell=_cell
    )


_FINDING_HEADERS: Final = ("rating", "finding", "evidence", "citations", "what to do")
_QUESTION_HEADERS: Final = ("question", "if yes", "facts needed", "how to state it", "datasets")


def _toc(report: AuditReport) -> list[tuple[str, str]]:
    entries = [("summary", "Summary"), ("plan", "Improvement plan")]
    entries.append(("questions", "Open questions"))
    entries += [(f"section-{s.id}", s.title) for s in report.sections]
    if report.inputs:
        entries.append(("inputs", "Inputs"))
    entries.append(("sign-off", "Sign-off"))
    return entries


def _section_html(section: AuditSection) -> str:
    parts = [
        f'<section id="section-{html.escape(section.id)}" data-status="{section.status}">',
        f"<h2>{html.escape(section.title)} {_badge(section.status)}</h2>",
        f"<p>{html.escape(section.summary)}</p>",
    ]
    if section.findings:
        parts.append(
            _table(
                _FINDING_HEADERS,
                [_finding_cells(f) for f in section.findings],
                caption="Findings",
                colors=[
                    [_COLORS[_RISK_RAG[f.severity]], None, None, None, None]
                    for f in section.findings
                ],
            )
        )
    if section.detail_html:
        parts.append(f'<div class="detail">{section.detail_html}</div>')
    parts.append("</section>")
    return "".join(parts)


def _legend_html() -> str:
    items = "".join(f"<li>{_badge(rag)}{html.escape(text)}</li>" for rag, text in _MEANING)
    return f'<ul class="legend" aria-label="Ratings">{items}</ul>'


def _sign_off_html() -> str:
    boxes = " ".join(f"&#9744; {d}" for d in _DECISIONS)
    rows = "".join(
        f'<tr><th scope="row">{label}</th><td>{boxes if label == "Decision" else ""}</td></tr>'
        for label in _SIGN_OFF
    )
    return (
        '<section id="sign-off"><h2>Sign-off</h2>'
        "<p>To be completed by the compliance reviewer.</p>"
        f'<table class="sign-off"><tbody>{rows}</tbody></table></section>'
    )


def _policy_html(report: AuditReport) -> list[str]:
    if report.policy is None:
        return []
    esc = html.escape
    cls = "policy-pass" if report.policy.passed else "policy-fail"
    text = (
        f"Policy <b>{esc(report.policy.policy)}</b>: "
        + ("passed" if report.policy.passed else "<b>FAILED</b>")
        + f" ({len(report.policy.checked)} rules checked)"
    )
    items = "".join(
        f"<li><code>{esc(v.rule)}</code>: {esc(v.message)}</li>" for v in report.policy.violations
    )
    return [
        f'<div id="policy" class="{cls}"><p>{text}</p>'
        + (f"<ul>{items}</ul>" if items else "")
        + "</div>"
    ]


def _summary_html(report: AuditReport) -> list[str]:
    esc = html.escape
    status = {s.id: s.status for s in report.sections}
    facts = key_facts(report.headline)
    return [
        '<section id="summary">',
        f"<h2>Summary {_badge(report.overall, 'overall')}</h2>",
        '<div class="explain">' + "".join(f"<p>{esc(s)}</p>" for s in explain(report)) + "</div>",
        *_policy_html(report),
        html_table(
            ["fact", "value"],
            [[label, value] for label, value, _ in facts],
            caption="Key facts",
            cell_colors=[
                [None, _COLORS[status[sid]] if sid in status else None] for _, _, sid in facts
            ],
        ),
        html_table(
            ["section", "rating", "summary"],
            [[s.title, _LABEL[s.status], s.summary] for s in report.sections],
            caption="Sections",
            cell_colors=[[None, _COLORS[s.status], None] for s in report.sections],
        ),
        _legend_html(),
        "</section>",
    ]


def _plan_html(report: AuditReport) -> str:
    if report.plan:
        body = html_table(
            ["#", "priority", "action", "why", "section"],
            [[i, p.priority, p.action, p.why, p.section] for i, p in enumerate(report.plan, 1)],
        )
    else:
        body = "<p>Nothing to improve: every check is green.</p>"
    return f'<section id="plan"><h2>Improvement plan</h2>{body}</section>'


def _questions_html(report: AuditReport) -> str:
    if report.questions:
        body = (
            "<p>Each question names a fact nobody stated. Until it is answered the rule does "
            "not count in the risk; answering yes applies it at the risk shown.</p>"
        ) + _table(
            _QUESTION_HEADERS,
            [
                [
                    q.question,
                    f"{q.regulation or 'N/A'}, {q.risk}",
                    list(q.facts),
                    list(q.how_to_state),
                    list(q.datasets),
                ]
                for q in report.questions
            ],
            colors=[[None, _COLORS[_RISK_RAG[q.risk]], None, None, None] for q in report.questions],
        )
    else:
        body = "<p>None: every compliance rule was decided on the stated facts.</p>"
    return f'<section id="questions"><h2>Open questions</h2>{body}</section>'


def _inputs_html(report: AuditReport) -> list[str]:
    if not report.inputs:
        return []
    table = html_table(
        ["role", "path", "sha256"], [[i.role, i.path, i.sha256 or "-"] for i in report.inputs]
    )
    return [f'<section id="inputs"><h2>Inputs</h2>{table}</section>']


def render_html_fragment(report: AuditReport) -> str:
    """The report body (no ``<html>`` wrapper), for notebooks and for :func:`render_html`."""
    esc = html.escape
    out: list[str] = [
        f"<h1>Audit report: {esc(report.model)}"
        + (f" {esc(report.model_version)}" if report.model_version else "")
        + "</h1>",
        f'<p class="meta">{esc(report.tool)} &middot; generated {esc(report.generated_at)}</p>',
        '<nav class="toc" aria-label="Contents"><strong>Contents</strong><ol>'
        + "".join(f'<li><a href="#{a}">{esc(t)}</a></li>' for a, t in _toc(report))
        + "</ol></nav>",
        *_summary_html(report),
        _plan_html(report),
        _questions_html(report),
        *(_section_html(s) for s in report.sections),
        *_inputs_html(report),
        _sign_off_html(),
    ]
    return "".join(out)


def render_html(report: AuditReport) -> str:
    """A complete, self-contained HTML page: inline CSS and SVG, no script, no external resource."""
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
    """The report as Markdown: contents, summary, plan, questions, sections, sign-off."""
    from openmodel_gov.audit._render_md import render_markdown as markdown

    return markdown(report)
