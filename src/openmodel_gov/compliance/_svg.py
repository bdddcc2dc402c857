"""An inline SVG heatmap of the matrix: datasets x regulations, colored by decided risk.

No script, no external resource; a ``<title>`` and ``<desc>`` give the text alternative, and
every cell carries its own ``<title>`` (shown as a tooltip, read by screen readers).
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from openmodel_gov._core import RiskLevel, worst_risk
from openmodel_gov._core._render import RISK_COLORS

if TYPE_CHECKING:
    from openmodel_gov.compliance._results import ComplianceMatrix

__all__ = ["render_heatmap"]

_CELL_W, _CELL_H, _LEFT, _TOP = 92, 26, 190, 70
_OPEN_FILL = "#ffffff"


def _cells(
    matrix: ComplianceMatrix,
) -> tuple[list[str], dict[tuple[str, str], tuple[str, RiskLevel]]]:
    regulations: dict[str, None] = {}
    cells: dict[tuple[str, str], tuple[str, RiskLevel]] = {}
    for row in matrix.rows:
        for status in ("decided", "open"):
            found = [f for f in row.findings if f.status == status and f.regulation]
            for reg in dict.fromkeys(f.regulation for f in found if f.regulation):
                regulations.setdefault(reg)
                if (row.dataset, reg) in cells:
                    continue
                level = worst_risk(f.severity for f in found if f.regulation == reg)
                cells[(row.dataset, reg)] = (status, level)
    return list(regulations), cells


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def render_heatmap(matrix: ComplianceMatrix) -> str:
    """The heatmap as an ``<svg>`` element ("" when no regulation applies or is asked about)."""
    if not matrix.rows:
        return ""
    esc = html.escape
    regulations, cells = _cells(matrix)
    if not regulations:  # nothing applies anywhere: no picture to look at
        return ""
    width = max(_LEFT + _CELL_W * len(regulations) + 10, 560)
    height = _TOP + _CELL_H * len(matrix.rows) + 40
    decided = sum(1 for status, _ in cells.values() if status == "decided")
    open_ = len(cells) - decided
    desc = (
        f"{len(matrix.rows)} dataset(s) by {len(regulations)} regulation(s): {decided} decided "
        f"cell(s) colored by risk, {open_} open question cell(s) outlined with a question mark."
    )
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" class="omg-heatmap" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'aria-labelledby="hm-title hm-desc">',
        '<title id="hm-title">Risk by dataset and regulation</title>',
        f'<desc id="hm-desc">{esc(desc)}</desc>',
        "<style>text{font:12px system-ui,sans-serif;fill:#111}</style>",
    ]
    for j, reg in enumerate(regulations):
        x = _LEFT + j * _CELL_W + _CELL_W // 2
        out.append(
            f'<text x="{x}" y="{_TOP - 10}" text-anchor="middle">{esc(_clip(reg, 13))}</text>'
        )
    for i, row in enumerate(matrix.rows):
        y = _TOP + i * _CELL_H
        out.append(
            f'<text x="{_LEFT - 8}" y="{y + 17}" text-anchor="end">'
            f"{esc(_clip(row.dataset, 26))}</text>"
        )
        for j, reg in enumerate(regulations):
            x = _LEFT + j * _CELL_W
            cell = cells.get((row.dataset, reg))
            if cell is None:
                fill, label, tip = "#f4f4f4", "", f"{row.dataset} / {reg}: does not apply"
                dash = ""
            elif cell[0] == "decided":
                fill, label = RISK_COLORS[cell[1]], cell[1]
                tip, dash = f"{row.dataset} / {reg}: {cell[1]} (decided)", ""
            else:
                fill, label = _OPEN_FILL, f"? {cell[1]}"
                tip = f"{row.dataset} / {reg}: open question, {cell[1]} if yes"
                dash = ' stroke-dasharray="4 3"'
            out.append(
                f'<g><title>{esc(tip)}</title><rect x="{x + 2}" y="{y + 2}" '
                f'width="{_CELL_W - 4}" height="{_CELL_H - 4}" fill="{fill}" '
                f'stroke="#777"{dash}/>'
                f'<text x="{x + _CELL_W // 2}" y="{y + 17}" text-anchor="middle">'
                f"{esc(label)}</text></g>"
            )
    legend_y = height - 16
    out.append(
        f'<text x="4" y="{legend_y}">Filled: decided risk. Dashed with "?": open question '
        "(the risk if the answer is yes).</text>"
    )
    out.append("</svg>")
    return "".join(out)
