"""Small, dependency-free renderers shared by every result type (Markdown, CSV, HTML).

Results explain themselves (STYLE rule 13): each result type builds rows and calls these, so
tables look the same everywhere and HTML is always escaped.
"""

from __future__ import annotations

import csv
import html
import io
from collections.abc import Callable, Sequence

__all__ = ["RAG_COLORS", "RISK_COLORS", "csv_table", "html_table", "markdown_table"]

#: Background colors for red/amber/green ratings (accessible contrast with black text).
RAG_COLORS = {"red": "#f8b4b4", "amber": "#fcd68a", "green": "#a7e3b5"}
#: Background colors for risk levels.
RISK_COLORS = {"Low": "#a7e3b5", "Medium": "#fcd68a", "High": "#f8b4b4", "Critical": "#e07070"}


def _md_cell(value: object) -> str:
    return str(value).replace("|", "\\|").replace("\n", "<br>")


def markdown_table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """Render a GitHub-flavoured Markdown table (pipes and newlines escaped).

    >>> print(markdown_table(["a", "b"], [[1, "x|y"]]))
    | a | b |
    |---|---|
    | 1 | x\\|y |
    """
    out = ["| " + " | ".join(_md_cell(h) for h in headers) + " |"]
    out.append("|" + "|".join("---" for _ in headers) + "|")
    out.extend("| " + " | ".join(_md_cell(c) for c in row) + " |" for row in rows)
    return "\n".join(out)


def csv_table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    r"""Render CSV (RFC 4180 quoting, ``\n`` line ends).

    >>> csv_table(["a", "b"], [[1, "x,y"]])
    'a,b\n1,"x,y"\n'
    """
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(headers)
    writer.writerows(rows)
    return buf.getvalue()


def html_table(
    headers: Sequence[str],
    rows: Sequence[Sequence[object]],
    *,
    caption: str | None = None,
    cell_colors: Sequence[Sequence[str | None]] | None = None,
    css_class: str | None = "omg-table",
    render_cell: Callable[[object], str] | None = None,
) -> str:
    """Render an escaped HTML table; ``cell_colors`` gives optional backgrounds per cell.

    ``render_cell`` turns a cell into HTML (it must escape); the default escapes ``str(cell)``.
    ``css_class=None`` writes a bare ``<table>``.

    >>> html_table(["a"], [["<b>"]], cell_colors=[["#fff"]])
    '<table class="omg-table"><thead><tr><th>a</th></tr></thead><tbody><tr><td style="background:#fff">&lt;b&gt;</td></tr></tbody></table>'
    >>> html_table(["a"], [[1]], css_class=None, render_cell=lambda c: f"<i>{c}</i>")
    '<table><thead><tr><th>a</th></tr></thead><tbody><tr><td><i>1</i></td></tr></tbody></table>'
    """
    cell_html = render_cell or (lambda cell: html.escape(str(cell)))
    parts = ["<table>" if css_class is None else f'<table class="{html.escape(css_class)}">']
    if caption:
        parts.append(f"<caption>{html.escape(caption)}</caption>")
    parts.append("<thead><tr>" + "".join(f"<th>{html.escape(h)}</th>" for h in headers))
    parts.append("</tr></thead><tbody>")
    for i, row in enumerate(rows):
        parts.append("<tr>")
        for j, cell in enumerate(row):
            color = cell_colors[i][j] if cell_colors is not None else None
            style = f' style="background:{html.escape(color)}"' if color else ""
            parts.append(f"<td{style}>{cell_html(cell)}</td>")
        parts.append("</tr>")
    parts.append("</tbody></table>")
    return "".join(parts)
