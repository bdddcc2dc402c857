"""Inline SVG pictures for the audit report: openness dimensions, PII findings.

Each picture is a self-contained ``<svg role="img">`` with a ``<title>`` and a ``<desc>`` that
says in words what the bars show (no script, no external resource, no web font).
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from openmodel_gov.cards import ModelCard

__all__ = ["bar_chart", "openness_chart", "openness_svg", "pii_chart"]

_PALETTE = ("#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948")
_BAR_H, _GAP, _LEFT, _WIDTH = 16, 6, 190, 620


def bar_chart(
    title: str,
    groups: Sequence[tuple[str, Sequence[tuple[str, float]]]],
    *,
    maximum: float | None = None,
    unit: str = "",
    ident: str = "chart",
) -> str:
    """Horizontal bars: for each label, one bar per series (``groups``: series name, bars).

    Args:
        title: the picture's title (also its accessible name).
        groups: ``(series name, [(label, value), ...])``; labels are unioned in order.
        maximum: the value of a full bar (default: the largest value).
        unit: appended to the values shown.
        ident: a prefix for element ids (unique within the page).

    Returns:
        The ``<svg>`` element, or ``""`` when there is nothing to draw.
    """
    labels = list(dict.fromkeys(label for _, bars in groups for label, _ in bars))
    if not labels:
        return ""
    esc = html.escape
    top = (
        max(
            [maximum or 0.0, *(v for _, bars in groups for _, v in bars)],
            default=1.0,
        )
        or 1.0
    )
    per_label = len(groups) * _BAR_H + _GAP * 2
    legend_h = 22 if len(groups) > 1 else 0
    height = 30 + legend_h + per_label * len(labels)
    span = _WIDTH - _LEFT - 70
    words = []
    for name, bars in groups:
        shown = ", ".join(f"{label} {value:g}{unit}" for label, value in bars)
        words.append(f"{name}: {shown}" if len(groups) > 1 else shown)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" class="omg-chart" width="{_WIDTH}" '
        f'height="{height}" viewBox="0 0 {_WIDTH} {height}" '
        f'aria-labelledby="{ident}-title {ident}-desc">',
        f'<title id="{ident}-title">{esc(title)}</title>',
        f'<desc id="{ident}-desc">{esc("; ".join(words))}.</desc>',
        "<style>text{font:12px system-ui,sans-serif;fill:#111}</style>",
        f'<text x="4" y="16" font-weight="bold">{esc(title)}</text>',
    ]
    if len(groups) > 1:
        x = 4
        for k, (name, _) in enumerate(groups):
            color = _PALETTE[k % len(_PALETTE)]
            out.append(
                f'<rect x="{x}" y="26" width="12" height="12" fill="{color}"/>'
                f'<text x="{x + 16}" y="36">{esc(name)}</text>'
            )
            x += 24 + 7 * len(name)
    y0 = 30 + legend_h
    for i, label in enumerate(labels):
        y = y0 + i * per_label + _GAP
        out.append(
            f'<text x="{_LEFT - 8}" y="{y + len(groups) * _BAR_H / 2 + 4:g}" '
            f'text-anchor="end">{esc(label[:28])}</text>'
        )
        for k, (name, bars) in enumerate(groups):
            value = dict(bars).get(label)
            if value is None:
                continue
            width = max(span * value / top, 1.5)
            by = y + k * _BAR_H
            color = _PALETTE[k % len(_PALETTE)]
            out.append(
                f"<g><title>{esc(f'{name}: {label} {value:g}{unit}')}</title>"
                f'<rect x="{_LEFT}" y="{by}" width="{width:.1f}" height="{_BAR_H - 3}" '
                f'fill="{color}"/><text x="{_LEFT + width + 6:.1f}" y="{by + 11}">'
                f"{value:g}{unit}</text></g>"
            )
    out.append("</svg>")
    return "".join(out)


def openness_chart(models: Sequence[tuple[str, Sequence[tuple[str, int]]]]) -> str:
    """The five openness dimensions (0-2 each) of one or several models.

    >>> svg = openness_chart([("m", [("Weights", 2), ("Code", 1)])])
    >>> svg.startswith("<svg") and "Weights 2/2" in svg
    True
    """
    groups = [(name, [(dim, float(score)) for dim, score in dims]) for name, dims in models]
    return bar_chart(
        "Openness by dimension (0-2)", groups, maximum=2.0, unit="/2", ident="openness"
    )


def pii_chart(counts: Sequence[tuple[str, str, int]], *, by: str = "entity type") -> str:
    """PII findings per entity type (or field): one bar per series and label.

    Args:
        counts: ``(series, label, count)``: per entity type, the series are datasets or
            files; per field, the series are entity types.
        by: what the labels are, for the title.
    """
    series: dict[str, list[tuple[str, float]]] = {}
    for source, label, count in counts:
        series.setdefault(source, []).append((label, float(count)))
    ident = "pii-" + "".join(ch for ch in by if ch.isalnum())
    return bar_chart(f"PII findings per {by}", list(series.items()), ident=ident)


def openness_svg(cards: Sequence[ModelCard]) -> str:
    """The five openness dimensions (0-2 each) of one or several model cards, as inline SVG.

    Self-contained (no script, no external resource), with a title and a description that
    give every score in words; use it in a notebook with ``IPython.display.SVG``, or write it
    into a page.

    >>> from openmodel_gov.cards import load_card
    >>> from openmodel_gov.audit import example_dir, openness_svg
    >>> svg = openness_svg([load_card(example_dir() / "README.md")])
    >>> svg.startswith("<svg") and "<script" not in svg
    True
    """
    from openmodel_gov.openness import score_openness

    models = []
    for card in cards:
        score = score_openness(card)
        models.append((card.name, [(d.title, d.score) for d in score.dimensions.values()]))
    return openness_chart(models)
