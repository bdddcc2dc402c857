"""compare_openness: one table of many models (Markdown, CSV, HTML, notebooks)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Literal

from openmodel_gov._core import Frozen
from openmodel_gov.openness._data import DIMENSIONS, ScoringPolicy
from openmodel_gov.openness._input import CardLike, as_card
from openmodel_gov.openness._mof import MOFResult, classify_mof
from openmodel_gov.openness._score import OpennessScore, score_openness

__all__ = ["OpennessComparison", "OpennessRow", "compare_openness"]

_HEADERS = [
    "model",
    "weights",
    "training data",
    "training code",
    "license",
    "ecosystem",
    "total",
    "band",
    "RAG",
    "MOF class",
    "MOF progress %",
]


class OpennessRow(Frozen):
    """One model in a comparison: its openness score and MOF result."""

    score: OpennessScore
    mof: MOFResult

    def cells(self) -> list[object]:
        """The row as table cells, in :data:`_HEADERS` order."""
        dims = [self.score.dimensions[d].score for d in DIMENSIONS]
        mof_class = (
            f"Class {('I', 'II', 'III')[self.mof.mof_class - 1]}"
            if self.mof.mof_class
            else ("Unclassified")
        )
        return [
            self.score.name,
            *dims,
            self.score.total,
            self.score.band,
            self.score.rag,
            mof_class,
            f"{self.mof.overall_progress:.1f}",
        ]


class OpennessComparison(Frozen):
    """Models side by side: the five dimensions, total, band, rating and MOF class.

    >>> from openmodel_gov.cards import load_card
    >>> table = compare_openness([load_card({"name": "a", "license": "MIT"},
    ...                                     format="openmodel-gov")])
    >>> print(table.to_markdown().splitlines()[2])
    | a | 0 | 0 | 0 | 2 | 0 | 2 | not_open | red | Unclassified | 0.0 |
    """

    rows: list[OpennessRow]

    @property
    def headers(self) -> list[str]:
        """Column names."""
        return list(_HEADERS)

    def to_markdown(self) -> str:
        """GitHub-flavoured Markdown table."""
        from openmodel_gov._core._render import markdown_table

        return markdown_table(_HEADERS, [r.cells() for r in self.rows])

    def to_csv(self) -> str:
        """CSV with a header row."""
        from openmodel_gov._core._render import csv_table

        return csv_table(_HEADERS, [r.cells() for r in self.rows])

    def to_html(self) -> str:
        """An escaped HTML table; dimension, total and RAG cells are colored."""
        from openmodel_gov._core._render import RAG_COLORS, html_table

        point = {0: RAG_COLORS["red"], 1: RAG_COLORS["amber"], 2: RAG_COLORS["green"]}
        colors: list[list[str | None]] = []
        for r in self.rows:
            dims = [point[r.score.dimensions[d].score] for d in DIMENSIONS]
            rag = RAG_COLORS[r.score.rag]
            colors.append([None, *dims, rag, rag, rag, None, None])
        return html_table(
            _HEADERS,
            [r.cells() for r in self.rows],
            cell_colors=colors,
            caption="Openness comparison",
        )

    def _repr_html_(self) -> str:
        return self.to_html()

    def __str__(self) -> str:
        return self.to_markdown()

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-compatible data: one entry per model with its score and MOF result."""
        return {"models": [{"score": r.score.to_dict(), "mof": r.mof.to_dict()} for r in self.rows]}


def compare_openness(
    cards: Iterable[CardLike],
    *,
    policy: ScoringPolicy | None = None,
    mode: Literal["strict", "normalized"] = "strict",
    sort_by: Literal["input", "total"] = "input",
) -> OpennessComparison:
    """Score and classify many cards into one table.

    Args:
        cards: the model cards (or paths, texts, mappings read with ``load_card``), one row
            each.
        policy: scoring policy (default :func:`default_policy`).
        mode: MOF license matching, see :func:`classify_mof`.
        sort_by: ``"input"`` keeps the given order; ``"total"`` sorts by descending score.

    Returns:
        :class:`OpennessComparison`, rendered by ``to_markdown()``, ``to_csv()``,
        ``to_html()`` and in notebooks.

    Raises:
        ConfigError: ``sort_by`` is not ``"input"`` or ``"total"``.

    >>> from openmodel_gov.cards import load_card
    >>> cards = [load_card({"name": n, "license": lic}, format="openmodel-gov")
    ...          for n, lic in [("a", "hf:llama2"), ("b", "MIT")]]
    >>> [row.score.name for row in compare_openness(cards, sort_by="total").rows]
    ['b', 'a']
    """
    if sort_by not in ("input", "total"):
        from openmodel_gov.errors import ConfigError

        raise ConfigError(
            f"unknown sort_by {sort_by!r}",
            field="sort_by",
            hint="use sort_by='input' or sort_by='total'",
        )
    if isinstance(cards, (str, bytes, Mapping)) or not isinstance(cards, Iterable):
        from openmodel_gov.errors import ConfigError

        raise ConfigError(
            f"expected an iterable of model cards, got {type(cards).__name__}",
            field="cards",
        )
    loaded = [as_card(c) for c in cards]
    rows = [
        OpennessRow(score=score_openness(c, policy=policy), mof=classify_mof(c, mode=mode))
        for c in loaded
    ]
    if sort_by == "total":
        rows.sort(key=lambda r: (-r.score.total, r.score.name))
    return OpennessComparison(rows=rows)
