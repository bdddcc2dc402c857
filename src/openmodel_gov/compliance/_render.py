"""Renderers of the compliance matrix: Markdown, CSV, HTML (fragment or document), pandas.

Renderers receive the matrix; they import the result types only for type checking, so the
models never import their renderers back at module level.

Lists (mitigations, citations, regulations) stay lists: bullet lines in Markdown cells, ``<ul>``
in HTML, Python lists in the DataFrame and JSON. In CSV a list is one cell joined with ``"; "``;
a ``;`` or ``\\`` inside an item is escaped with a backslash (``\\;``, ``\\\\``), so
:func:`split_csv_list` gets the items back exactly.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import TYPE_CHECKING

from openmodel_gov._core import RISK_LEVELS
from openmodel_gov._core._deps import require
from openmodel_gov._core._render import RISK_COLORS, csv_table, markdown_table
from openmodel_gov.compliance._svg import render_heatmap

if TYPE_CHECKING:
    import pandas

    from openmodel_gov.compliance._results import ComplianceMatrix, ComplianceRow, Finding

__all__ = [
    "CSV_LIST_SEPARATOR",
    "join_csv_list",
    "render_csv",
    "render_dataframe",
    "render_html",
    "render_markdown",
    "split_csv_list",
]

MAIN_HEADERS = (
    "Dataset name",
    "Jurisdiction",
    "Applicable regulation",
    "Risk level",
    "Mitigation strategies",
    "Open questions",
)
LEGEND = (
    ("Low", "no regulation applies on the stated facts, or the data is de-identified or synthetic"),
    ("Medium", "a regulation applies; routine obligations"),
    ("High", "a regulation applies and a required fact or safeguard is missing"),
    ("Critical", "regulated sensitive data (health, special categories, children) at stake"),
)
DECIDED_NOTE = (
    "Risk levels come from decided findings: rules whose conditions hold on the stated facts. "
    "Open questions are rules that would apply if an unknown fact turns out true; answer them "
    "(state the fact as shown) to settle them."
)
WORST_CASE_NOTE = (
    "WORST CASE VIEW: open questions are counted as if every answer were yes; the risk levels "
    "are the conservative upper bound, not the decided risk."
)

#: How list cells are joined in CSV (items escape ``;`` and ``\\`` with a backslash).
CSV_LIST_SEPARATOR = "; "


def join_csv_list(items: Sequence[str]) -> str:
    r"""Join list items into one CSV cell: ``; `` between items, ``;`` and ``\`` escaped.

    >>> join_csv_list(["a; b", "c\\d"])
    'a\\; b; c\\\\d'
    >>> split_csv_list(join_csv_list(["a; b", "c\\d", "e"]))
    ['a; b', 'c\\d', 'e']
    """
    return CSV_LIST_SEPARATOR.join(i.replace("\\", "\\\\").replace(";", "\\;") for i in items)


def split_csv_list(cell: str) -> list[str]:
    """The items of a cell written by :func:`join_csv_list`."""
    if not cell:
        return []
    items: list[str] = []
    current: list[str] = []
    i = 0
    while i < len(cell):
        ch = cell[i]
        if ch == "\\" and i + 1 < len(cell):
            current.append(cell[i + 1])
            i += 2
            continue
        if cell.startswith(CSV_LIST_SEPARATOR, i):
            items.append("".join(current))
            current = []
            i += len(CSV_LIST_SEPARATOR)
            continue
        current.append(ch)
        i += 1
    items.append("".join(current))
    return items


def _status(finding: Finding) -> str:
    return finding.status_label()


def _md_list(items: Sequence[str]) -> str:
    return "\n".join(f"• {item}" for item in items) if items else "-"


def _summary(matrix: ComplianceMatrix) -> str:
    counts = ", ".join(f"{n} {level}" for level, n in matrix.risk_counts.items() if n)
    context = ", ".join(
        f"{k}={v}" for k, v in matrix.context.model_dump(mode="json").items() if v is not None
    )
    questions = len(matrix.questions)
    return (
        f"Overall risk: {matrix.overall_risk}"
        + (" (worst case)" if matrix.worst_case else "")
        + f". Datasets: {len(matrix.rows)}"
        + (f" ({counts})" if counts else "")
        + f". Open questions: {questions}"
        + f". Context: {context or 'not given'}."
    )


def _packs_line(matrix: ComplianceMatrix) -> str:
    return "Rule packs: " + (", ".join(str(p) for p in matrix.packs) or "none") + "."


def _license_line(matrix: ComplianceMatrix) -> str | None:
    mix = matrix.license_mix
    if mix is None:
        return None
    return f"License mix ({mix.use}): {mix.verdict}."


def _row_cells(row: ComplianceRow) -> list[object]:
    return [
        row.dataset,
        row.jurisdiction_label,
        row.regulation_label,
        row.risk,
        [m.cited() for m in row.mitigations],
        [str(q) for q in row.questions],
    ]


def _finding_rows(matrix: ComplianceMatrix) -> list[list[object]]:
    out: list[list[object]] = []
    for row in matrix.rows:
        for f in row.findings:
            out.append(
                [
                    row.dataset,
                    f.rule_id,
                    f.regulation or "N/A",
                    f.severity,
                    _status(f),
                    [str(c) for c in f.citations],
                ]
            )
    for f in matrix.model_findings:
        out.append(
            [
                "(model)",
                f.rule_id,
                f.regulation or "N/A",
                f.severity,
                _status(f),
                [str(c) for c in f.citations],
            ]
        )
    return out


_FINDING_HEADERS = ("Dataset", "Rule", "Regulation", "Risk", "Status", "Citations")
_MODEL_HEADERS = ("Regulation", "Obligation", "Risk level", "Status", "Mitigation strategies")
_AGG_HEADERS = ("Regulation", "Highest risk", "Datasets", "Rules", "Open questions")
_QUESTION_HEADERS = ("Question", "If yes", "Facts needed", "How to state it", "Datasets")


def _model_rows(matrix: ComplianceMatrix) -> list[list[object]]:
    return [
        [
            f.regulation or "N/A",
            f.title,
            f.severity,
            _status(f),
            [m.cited() for m in f.mitigation_items()],
        ]
        for f in matrix.model_findings
    ]


def _agg_rows(matrix: ComplianceMatrix) -> list[list[object]]:
    return [
        [s.regulation, s.risk, list(s.datasets), list(s.rule_ids), s.open]
        for s in matrix.by_regulation
    ]


def _question_rows(matrix: ComplianceMatrix) -> list[list[object]]:
    return [
        [
            q.question,
            f"{q.regulation or 'N/A'}, {q.risk}",
            list(q.facts),
            list(q.how_to_state),
            list(q.datasets),
        ]
        for q in matrix.questions
    ]


def _md_rows(rows: list[list[object]]) -> list[list[object]]:
    return [[_md_list(c) if isinstance(c, list) else c for c in row] for row in rows]


def render_markdown(
    matrix: ComplianceMatrix, *, heading_level: int = 2, title: bool = True, questions: bool = True
) -> str:
    """The matrix as Markdown (see :meth:`ComplianceMatrix.to_markdown`)."""
    h = "#" * heading_level
    sub = "#" * (heading_level + (1 if title else 0))
    parts = [f"{h} Compliance matrix", ""] if title else []
    parts += [_summary(matrix), ""]
    if matrix.worst_case:
        parts += [f"**{WORST_CASE_NOTE}**", ""]
    legend = "; ".join(f"**{level}**: {text}" for level, text in LEGEND)
    parts += [f"Legend: {legend}.", ""]
    parts.append(markdown_table(MAIN_HEADERS, _md_rows([_row_cells(r) for r in matrix.rows])))
    asked = _question_rows(matrix) if questions else []
    if asked:
        parts += [
            "",
            f"{sub} Open questions",
            "",
            markdown_table(_QUESTION_HEADERS, _md_rows(asked)),
        ]
    if matrix.model_findings:
        parts += [
            "",
            f"{sub} Model-level obligations",
            "",
            markdown_table(_MODEL_HEADERS, _md_rows(_model_rows(matrix))),
        ]
    if matrix.by_regulation:
        parts += [
            "",
            f"{sub} By regulation",
            "",
            markdown_table(_AGG_HEADERS, _md_rows(_agg_rows(matrix))),
        ]
    findings = _finding_rows(matrix)
    if findings:
        parts += [
            "",
            f"{sub} Findings and citations",
            "",
            markdown_table(_FINDING_HEADERS, _md_rows(findings)),
        ]
    license_line = _license_line(matrix)
    if license_line:
        parts += ["", license_line]
    parts += ["", DECIDED_NOTE, "", _packs_line(matrix)]
    return "\n".join(parts) + "\n"


#: Columns of the CSV and the DataFrame, one row per dataset.
_COLUMNS = [
    "dataset",
    "version",
    "jurisdictions",
    "regulations",
    "risk",
    "mitigations",
    "rules",
    "citations",
    "open_questions",
    "undecided_facts",
    "view",
]


def render_csv(matrix: ComplianceMatrix) -> str:
    """The matrix as CSV (see :meth:`ComplianceMatrix.to_csv`); list cells use :func:`join_csv_list`.

    The ``view`` column says ``decided`` (risk from decided findings) or ``worst case`` (open
    questions counted as if answered yes) on every line.
    """
    view = "worst case" if matrix.worst_case else "decided"
    rows: list[list[object]] = [
        [
            r.dataset,
            r.version or "",
            r.jurisdiction_label,
            join_csv_list(r.regulations) or "N/A",
            r.risk,
            join_csv_list([m.cited() for m in r.mitigations]),
            join_csv_list(r.rule_ids),
            join_csv_list([str(c) for c in r.citations]),
            join_csv_list([str(q) for q in r.questions]),
            join_csv_list(r.undecided),
            view,
        ]
        for r in matrix.rows
    ]
    rows += [
        [
            "(model)",
            "",
            "",
            f.regulation or "N/A",
            f.severity,
            join_csv_list([m.cited() for m in f.mitigation_items()]),
            f.rule_id,
            join_csv_list([str(c) for c in f.citations]),
            f.ask() if f.status == "open" else "",
            join_csv_list(f.unknown_facts),
            view,
        ]
        for f in matrix.model_findings
        if f.status != "ruled-out"
    ]
    return csv_table(_COLUMNS, rows)


CSS = """
.omg-compliance{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;color:#111}
.omg-compliance table{border-collapse:collapse;margin:0.5em 0 1.5em;font-size:0.92em}
.omg-compliance th,.omg-compliance td{border:1px solid #999;padding:4px 8px;
vertical-align:top;text-align:left}
.omg-compliance th{background:#eee}
.omg-compliance td ul{margin:0;padding-left:1.1em}
.omg-compliance .legend{display:flex;flex-wrap:wrap;gap:6px 18px;padding:0;list-style:none}
.omg-compliance .legend .risk{display:inline-block;padding:2px 8px;margin-right:6px;
border:1px solid #999;font-weight:600}
.omg-compliance .worst-case{border-left:6px solid #c0392b;background:#fdecea;padding:6px 12px}
""".strip()


def _html_cell(value: object) -> str:
    if isinstance(value, list):
        if not value:
            return "-"
        return "<ul>" + "".join(f"<li>{html.escape(str(v))}</li>" for v in value) + "</ul>"
    return html.escape(str(value))


def _html_table(
    headers: Sequence[str], rows: list[list[object]], risk_column: int, caption: str
) -> str:
    out = ['<table class="omg-table">', f"<caption>{html.escape(caption)}</caption>"]
    out.append("<thead><tr>" + "".join(f"<th>{html.escape(h)}</th>" for h in headers))
    out.append("</tr></thead><tbody>")
    for row in rows:
        out.append("<tr>")
        for j, cell in enumerate(row):
            color = RISK_COLORS.get(str(cell)) if j == risk_column else None
            style = f' style="background:{color}"' if color else ""
            out.append(f"<td{style}>{_html_cell(cell)}</td>")
        out.append("</tr>")
    out.append("</tbody></table>")
    return "".join(out)


def legend_html() -> str:
    """The risk legend as an HTML list (badge, then its meaning, spaced)."""
    badge = "display:inline-block;padding:1px 8px;margin-right:8px;border:1px solid #999;"
    items = "".join(
        f'<li style="margin:2px 18px 2px 0"><span class="risk" '
        f'style="{badge}background:{RISK_COLORS[level]}">{level}</span>'
        f"{html.escape(text)}</li>"
        for level, text in LEGEND
    )
    return (
        '<ul class="legend" aria-label="Risk legend" '
        'style="list-style:none;padding:0;display:flex;flex-wrap:wrap">'
        f"{items}</ul>"
    )


def render_html(
    matrix: ComplianceMatrix,
    *,
    document: bool,
    heading_level: int = 2,
    title: bool = True,
    questions: bool = True,
) -> str:
    """The matrix as HTML: a fragment for notebooks and reports, or a whole document."""
    esc = html.escape
    h = f"h{heading_level}"
    sub = f"h{min(heading_level + (1 if title else 0), 6)}"
    parts = ['<div class="omg-compliance">']
    if title:
        parts.append(f"<{h}>Compliance matrix</{h}>")
    parts.append(f"<p>{esc(_summary(matrix))}</p>")
    if matrix.worst_case:
        parts.append(f'<p class="worst-case"><strong>{esc(WORST_CASE_NOTE)}</strong></p>')
    parts.append(legend_html())
    heatmap = render_heatmap(matrix)
    if heatmap:
        parts.append(
            f'<figure class="omg-figure">{heatmap}<figcaption>Risk by dataset and regulation '
            "(the table below gives the same in words).</figcaption></figure>"
        )
    parts.append(_html_table(MAIN_HEADERS, [_row_cells(r) for r in matrix.rows], 3, "Datasets"))
    asked = _question_rows(matrix) if questions else []
    if asked:
        parts.append(f"<{sub}>Open questions</{sub}>")
        parts.append(_html_table(_QUESTION_HEADERS, asked, -1, "Questions to answer"))
    if matrix.model_findings:
        parts.append(f"<{sub}>Model-level obligations</{sub}>")
        parts.append(_html_table(_MODEL_HEADERS, _model_rows(matrix), 2, "Model-level rules"))
    if matrix.by_regulation:
        parts.append(f"<{sub}>By regulation</{sub}>")
        parts.append(_html_table(_AGG_HEADERS, _agg_rows(matrix), 1, "Regulations that apply"))
    findings = _finding_rows(matrix)
    if findings:
        parts.append(f"<{sub}>Findings and citations</{sub}>")
        parts.append(_html_table(_FINDING_HEADERS, findings, 3, "Every finding"))
    license_line = _license_line(matrix)
    if license_line:
        parts.append(f"<p>{esc(license_line)}</p>")
    parts += [f"<p>{esc(DECIDED_NOTE)}</p>", f"<p>{esc(_packs_line(matrix))}</p>", "</div>"]
    body = "\n".join(parts)
    if not document:
        return body
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>Compliance matrix</title>\n<style>\nbody{{margin:2em}}\n{CSS}\n</style>\n"
        f"</head>\n<body>\n{body}\n</body>\n</html>\n"
    )


def render_dataframe(matrix: ComplianceMatrix) -> pandas.DataFrame:
    """One pandas row per dataset (see :meth:`ComplianceMatrix.to_dataframe`)."""
    pd = require("pandas", extra="dataframe", feature="ComplianceMatrix.to_dataframe")
    records = [
        {
            "dataset": r.dataset,
            "version": r.version,
            "jurisdictions": list(r.jurisdictions),
            "regulations": list(r.regulations),
            "risk": r.risk,
            "mitigations": [m.cited() for m in r.mitigations],
            "rules": list(r.rule_ids),
            "citations": [str(c) for c in r.citations],
            "open_questions": [str(q) for q in r.questions],
            "undecided_facts": list(r.undecided),
            "view": "worst case" if matrix.worst_case else "decided",
        }
        for r in matrix.rows
    ]
    frame: pandas.DataFrame = pd.DataFrame.from_records(records, columns=_COLUMNS)
    frame["risk"] = pd.Categorical(frame["risk"], categories=list(RISK_LEVELS), ordered=True)
    frame.attrs["worst_case"] = matrix.worst_case
    return frame
