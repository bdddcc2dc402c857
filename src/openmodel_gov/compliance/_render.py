"""Renderers of the compliance matrix: Markdown, CSV, HTML (fragment or document), pandas."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

from openmodel_gov._core._deps import require
from openmodel_gov._core._render import RISK_COLORS, csv_table, html_table, markdown_table
from openmodel_gov.compliance._packs import RISK_LEVELS

if TYPE_CHECKING:
    import pandas

    from openmodel_gov.compliance._results import ComplianceMatrix, Finding

__all__ = ["render_csv", "render_dataframe", "render_html", "render_markdown"]

MAIN_HEADERS = (
    "Dataset name",
    "Jurisdiction",
    "Applicable regulation",
    "Risk level",
    "Mitigation strategies",
)
_LEGEND = (
    ("Low", "no regulation applies, or the data is de-identified / synthetic"),
    ("Medium", "a regulation applies; routine obligations"),
    ("High", "a regulation applies and a required fact or safeguard is missing"),
    ("Critical", "regulated sensitive data without the required protection"),
)
_UNDECIDED = (
    "Undecided: a fact the rule needs is unknown, so the rule was applied as if it held "
    "(leaning to the higher risk). Supply the listed facts to sharpen the result."
)


def _main_rows(matrix: ComplianceMatrix) -> list[list[str]]:
    return [
        [r.dataset, r.jurisdiction_label, r.regulation_label, r.risk, "; ".join(r.mitigations)]
        for r in matrix.rows
    ]


def _status(finding: Finding) -> str:
    if finding.decided:
        return "decided"
    return "undecided: " + ", ".join(finding.unknown_facts)


def _finding_rows(matrix: ComplianceMatrix) -> list[list[str]]:
    out = []
    for row in matrix.rows:
        for f in row.findings:
            cites = "; ".join(str(c) for c in f.citations)
            out.append([row.dataset, f.rule_id, f.regulation or "N/A", f.risk, _status(f), cites])
    for f in matrix.model_findings:
        cites = "; ".join(str(c) for c in f.citations)
        out.append(["(model)", f.rule_id, f.regulation or "N/A", f.risk, _status(f), cites])
    return out


_FINDING_HEADERS = ("Dataset", "Rule", "Regulation", "Risk", "Status", "Citations")
_MODEL_HEADERS = ("Regulation", "Obligation", "Risk level", "Status", "Mitigation strategies")
_AGG_HEADERS = ("Regulation", "Highest risk", "Datasets", "Rules", "Undecided findings")


def _model_rows(matrix: ComplianceMatrix) -> list[list[str]]:
    return [
        [f.regulation or "N/A", f.title, f.risk, _status(f), "; ".join(f.mitigations)]
        for f in matrix.model_findings
    ]


def _agg_rows(matrix: ComplianceMatrix) -> list[list[object]]:
    return [
        [s.regulation, s.risk, ", ".join(s.datasets), ", ".join(s.rule_ids), s.undecided]
        for s in matrix.by_regulation
    ]


def _summary(matrix: ComplianceMatrix) -> str:
    counts = ", ".join(f"{n} {level}" for level, n in matrix.risk_counts.items() if n)
    context = ", ".join(
        f"{k}={v}" for k, v in matrix.context.model_dump(mode="json").items() if v is not None
    )
    return (
        f"Overall risk: {matrix.overall_risk}. Datasets: {len(matrix.rows)}"
        + (f" ({counts})" if counts else "")
        + f". Context: {context or 'not given (unknown facts lean to higher risk)'}."
    )


def _packs_line(matrix: ComplianceMatrix) -> str:
    return "Rule packs: " + (", ".join(str(p) for p in matrix.packs) or "none") + "."


def _license_line(matrix: ComplianceMatrix) -> str | None:
    mix = matrix.license_mix
    if mix is None:
        return None
    text = f"License mix ({mix.use} use): {mix.verdict}."
    if mix.obligations:
        text += " Obligations: " + "; ".join(mix.obligations) + "."
    return text


def render_markdown(matrix: ComplianceMatrix) -> str:
    """The matrix as Markdown (see :meth:`ComplianceMatrix.to_markdown`)."""
    parts = [
        "## Compliance matrix",
        "",
        _summary(matrix),
        "",
        markdown_table(MAIN_HEADERS, _main_rows(matrix)),
    ]
    if matrix.model_findings:
        parts += [
            "",
            "### Model-level obligations",
            "",
            markdown_table(_MODEL_HEADERS, _model_rows(matrix)),
        ]
    if matrix.by_regulation:
        parts += ["", "### By regulation", "", markdown_table(_AGG_HEADERS, _agg_rows(matrix))]
    findings = _finding_rows(matrix)
    if findings:
        parts += ["", "### Findings and citations", "", markdown_table(_FINDING_HEADERS, findings)]
    license_line = _license_line(matrix)
    if license_line:
        parts += ["", license_line]
    legend = "; ".join(f"**{level}**: {text}" for level, text in _LEGEND)
    parts += ["", f"Legend: {legend}.", "", _UNDECIDED, "", _packs_line(matrix)]
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
    "undecided_facts",
]


def render_csv(matrix: ComplianceMatrix) -> str:
    """The matrix as CSV (see :meth:`ComplianceMatrix.to_csv`)."""
    rows: list[list[object]] = [
        [
            r.dataset,
            r.version or "",
            r.jurisdiction_label,
            r.regulation_label,
            r.risk,
            "; ".join(r.mitigations),
            "; ".join(r.rule_ids),
            "; ".join(str(c) for c in r.citations),
            "; ".join(r.undecided),
        ]
        for r in matrix.rows
    ]
    rows += [
        [
            "(model)",
            "",
            "",
            f.regulation or "N/A",
            f.risk,
            "; ".join(f.mitigations),
            f.rule_id,
            "; ".join(str(c) for c in f.citations),
            "; ".join(f.unknown_facts),
        ]
        for f in matrix.model_findings
    ]
    return csv_table(_COLUMNS, rows)


_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:2em;color:#111}
.omg-compliance table{border-collapse:collapse;margin:0.5em 0 1.5em;font-size:0.92em}
.omg-compliance th,.omg-compliance td{border:1px solid #999;padding:4px 8px;
vertical-align:top;text-align:left}
.omg-compliance th{background:#eee}
.omg-compliance .legend span{display:inline-block;padding:2px 8px;margin-right:6px;
border:1px solid #999}
""".strip()


def _colored(
    headers: tuple[str, ...], rows: list[list[Any]], risk_column: int, caption: str
) -> str:
    colors = [
        [RISK_COLORS.get(str(cell)) if j == risk_column else None for j, cell in enumerate(row)]
        for row in rows
    ]
    return html_table(headers, rows, caption=caption, cell_colors=colors)


def render_html(matrix: ComplianceMatrix, *, document: bool) -> str:
    """The matrix as HTML: a fragment for notebooks, or a whole self-contained document."""
    esc = html.escape
    parts = [
        '<div class="omg-compliance">',
        "<h2>Compliance matrix</h2>",
        f"<p>{esc(_summary(matrix))}</p>",
    ]
    legend = "".join(
        f'<span style="background:{RISK_COLORS[level]}">{esc(level)}</span>{esc(text)}<br>'
        for level, text in _LEGEND
    )
    parts.append(f'<p class="legend"><strong>Legend</strong><br>{legend}</p>')
    parts.append(_colored(MAIN_HEADERS, _main_rows(matrix), 3, "Datasets"))
    if matrix.model_findings:
        parts.append(_colored(_MODEL_HEADERS, _model_rows(matrix), 2, "Model-level obligations"))
    if matrix.by_regulation:
        parts.append(_colored(_AGG_HEADERS, _agg_rows(matrix), 1, "By regulation"))
    findings = _finding_rows(matrix)
    if findings:
        parts.append(_colored(_FINDING_HEADERS, findings, 3, "Findings and citations"))
    license_line = _license_line(matrix)
    if license_line:
        parts.append(f"<p>{esc(license_line)}</p>")
    parts += [f"<p>{esc(_UNDECIDED)}</p>", f"<p>{esc(_packs_line(matrix))}</p>", "</div>"]
    body = "\n".join(parts)
    if not document:
        return body
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>Compliance matrix</title>\n<style>\n{_CSS}\n</style>\n</head>\n<body>\n"
        f"{body}\n</body>\n</html>\n"
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
            "mitigations": list(r.mitigations),
            "rules": list(r.rule_ids),
            "citations": [str(c) for c in r.citations],
            "undecided_facts": list(r.undecided),
        }
        for r in matrix.rows
    ]
    frame: pandas.DataFrame = pd.DataFrame.from_records(records, columns=_COLUMNS)
    frame["risk"] = pd.Categorical(frame["risk"], categories=list(RISK_LEVELS), ordered=True)
    return frame
