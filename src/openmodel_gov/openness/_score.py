"""The 0-10 openness score: five dimensions derived from a card's facts, each 0, 1 or 2."""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from typing import Any, Literal

from pydantic import Field

from openmodel_gov._core import Evidence as _CoreEvidence
from openmodel_gov._core import Frozen
from openmodel_gov.cards import ModelCard
from openmodel_gov.errors import ConfigError
from openmodel_gov.openness._data import (
    DIMENSIONS,
    Dimension,
    ScoringPolicy,
    default_policy,
)
from openmodel_gov.openness._dimensions import DERIVERS, Raw
from openmodel_gov.openness._input import CardLike, as_card
from openmodel_gov.openness._signals import read_signals

__all__ = ["DimensionScore", "Evidence", "OpennessScore", "score_openness"]


class Evidence(_CoreEvidence):
    """One fact a point rests on: the shared :class:`~openmodel_gov.results.Evidence`.

    ``path`` is the JSON path of the card field (``$.gating``, ``$.components['Datasets']``)
    or, for a statement in the body, its section; ``snippet`` the value or words seen;
    ``note`` what it shows for this dimension; ``line`` the body line, when known.
    ``field``, ``value`` and ``shows`` are the same three under their earlier names.
    """

    @property
    def field(self) -> str:
        """The JSON path or section (``path``)."""
        return self.path or ""

    @property
    def value(self) -> str:
        """The value or words seen (``snippet``)."""
        return self.snippet or ""

    @property
    def shows(self) -> str:
        """What it shows (``note``)."""
        return self.note or ""


class DimensionScore(Frozen):
    """The score of one dimension, with its reasons and evidence.

    Attributes:
        score: the points that count in the total (0, 1 or 2).
        derived: the points derived from the card's facts.
        declared: the points a user declared, or None.
        source: ``"derived"`` or ``"declared"`` -- which of the two counts.
        level: what the awarded level means (the row of the 0-10 table).
    """

    name: Dimension
    title: str
    score: int = Field(ge=0, le=2)
    derived: int = Field(ge=0, le=2)
    declared: int | None = None
    source: Literal["derived", "declared"]
    level: str
    reasons: tuple[str, ...]
    evidence: tuple[Evidence, ...]

    @property
    def disagrees(self) -> bool:
        """True when a declared score differs from the derived one."""
        return self.declared is not None and self.declared != self.derived


class OpennessScore(Frozen):
    """The 0-10 openness score of a model card.

    >>> from openmodel_gov.cards import load_card
    >>> s = score_openness(load_card({"name": "demo", "license": "MIT"}, format="openmodel-gov"))
    >>> s.total, s.band, s.rag, s.dimensions["license"].score
    (2, 'not_open', 'red', 2)
    """

    name: str
    total: int = Field(ge=0, le=10)
    band: Literal["not_open", "semi_open", "fully_open"]
    rag: Literal["red", "amber", "green"]
    band_meaning: str
    scores: tuple[DimensionScore, ...] = Field(min_length=5, max_length=5)

    @property
    def dimensions(self) -> dict[Dimension, DimensionScore]:
        """Dimension name -> :class:`DimensionScore`, in table order (a fresh ``dict``)."""
        return {d.name: d for d in self.scores}

    @property
    def derived_dimensions(self) -> list[str]:
        """Dimensions whose counted score was derived from the card."""
        return [d.name for d in self.dimensions.values() if d.source == "derived"]

    @property
    def declared_dimensions(self) -> list[str]:
        """Dimensions whose counted score was declared by a user."""
        return [d.name for d in self.dimensions.values() if d.source == "declared"]

    @property
    def disagreements(self) -> list[str]:
        """One line per dimension where the declared and derived scores differ."""
        return [
            f"{d.name}: declared {d.declared}, derived {d.derived}"
            for d in self.dimensions.values()
            if d.disagrees
        ]

    def explain(self) -> str:
        """Point by point: each dimension's score, what it means, the reasons and the evidence."""
        lines = [f"{self.name}: {self.total}/10 {self.band} ({self.rag}): {self.band_meaning}"]
        for d in self.dimensions.values():
            how: str = d.source
            if d.disagrees:
                how = f"{d.source}; declared {d.declared}, derived {d.derived}"
            lines.append(f"  {d.title}: {d.score}/2 ({how}) - {d.level}")
            lines.extend(f"    because {r}" for r in d.reasons)
            lines.extend(
                f"    evidence {e.field} = {e.value}: {e.shows}"
                + (f" (line {e.line})" if e.line else "")
                for e in d.evidence
            )
        return "\n".join(lines)

    def __str__(self) -> str:
        parts = ", ".join(f"{d.name} {d.score}" for d in self.dimensions.values())
        return f"{self.name}: {self.total}/10 {self.band} ({self.rag}) [{parts}]"

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-compatible data, including the derived/declared lists and disagreements."""
        data = self.model_dump(mode="json", exclude={"scores"})
        data["dimensions"] = {d.name: d.model_dump(mode="json") for d in self.scores}
        data["derived_dimensions"] = self.derived_dimensions
        data["declared_dimensions"] = self.declared_dimensions
        data["disagreements"] = self.disagreements
        return data

    def _repr_html_(self) -> str:
        from openmodel_gov._core._render import RAG_COLORS, html_table

        point_rag = {0: "red", 1: "amber", 2: "green"}
        rows = [
            [d.title, d.score, d.source, d.level, "; ".join(d.reasons)]
            for d in self.dimensions.values()
        ]
        colors: list[list[str | None]] = [
            [None, RAG_COLORS[point_rag[d.score]], None, None, None]
            for d in self.dimensions.values()
        ]
        rows.append(["Total", self.total, "", f"{self.band} ({self.rag})", self.band_meaning])
        colors.append([None, RAG_COLORS[self.rag], None, None, None])
        return html_table(
            ["dimension", "score", "source", "level", "reasons"],
            rows,
            caption=f"Openness of {self.name}: {self.total}/10",
            cell_colors=colors,
        )


# ---------------------------------------------------------------------------------------
# Result objects are immutable values; identical ones are built once (flyweights), so scoring
# many cards with the same facts does not re-validate the same evidence again and again. The
# caches are bounded (a few thousand small entries; card bodies: 256) so memory stays flat on
# long batch runs.


_DimKey = tuple[
    Dimension,
    str,
    int,
    int,
    "int | None",
    Literal["derived", "declared"],
    str,
    tuple[str, ...],
    tuple[Raw, ...],
]
_ResultKey = tuple[str, int, str, str, str, tuple[_DimKey, ...]]


@lru_cache(maxsize=8192)
def _dimension(key: _DimKey) -> DimensionScore:
    name, title, score, derived, declared, source, level, reasons, evidence = key
    return DimensionScore(
        name=name,
        title=title,
        score=score,
        derived=derived,
        declared=declared,
        source=source,
        level=level,
        reasons=reasons,
        evidence=tuple(
            Evidence(
                kind=k,  # type: ignore[arg-type]
                path=f or None,
                snippet=v or None,
                note=w or None,
                line=n or None,
                certainty=c,  # type: ignore[arg-type]
            )
            for f, v, w, k, n, c in evidence
        ),
    )


@lru_cache(maxsize=2048)
def _result(key: _ResultKey) -> OpennessScore:
    name, total, band, rag, meaning, keys = key
    return OpennessScore.model_validate(
        {
            "name": name,
            "total": total,
            "band": band,
            "rag": rag,
            "band_meaning": meaning,
            "scores": tuple(_dimension(k) for k in keys),
        }
    )


def _declared_scores(card: ModelCard, declared: Mapping[str, int] | None) -> dict[str, int]:
    out: dict[str, int] = {}
    from_card = card.extras.get("openness")
    sources: list[tuple[str, Any]] = []
    if isinstance(from_card, dict):
        sources.append(("card extras 'openness'", from_card))
    if declared is not None:
        sources.append(("declared=", declared))
    for where, mapping in sources:
        for key, value in mapping.items():
            if key not in DIMENSIONS:
                raise ConfigError(
                    f"unknown openness dimension {key!r} in {where}",
                    field=f"$.openness.{key}",
                    hint=f"use one of {', '.join(DIMENSIONS)}",
                )
            if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 2:
                raise ConfigError(
                    f"declared score for {key!r} must be 0, 1 or 2, not {value!r} ({where})",
                    field=f"$.openness.{key}",
                    hint="declare an integer 0, 1 or 2",
                )
            out[key] = value
    return out


def score_openness(
    card: CardLike,
    *,
    policy: ScoringPolicy | None = None,
    declared: Mapping[str, int] | None = None,
) -> OpennessScore:
    """Score a model card's openness from 0 to 10 (five dimensions, 0-2 points each).

    Each dimension is derived from the card's facts (components and their licenses, gating,
    datasets and data card, training and preprocessing code, evaluation results, library
    integrations, links). A dimension may also be *declared*, in ``declared`` or in the card
    under the ``openness:`` key (kept in ``card.extras``); the result records both.

    Args:
        card: the model card (or a path or mapping, read with ``load_card``; for card text use ``load_card_text``).
        policy: how facts become points; default :func:`default_policy` (documented in
            ``data/openness/policy.yaml``).
        declared: dimension name -> 0/1/2 asserted by a user (overrides the card's
            ``openness:`` block).

    Returns:
        :class:`OpennessScore` with ``total``, ``band``, ``rag`` and per-dimension reasons.

    Raises:
        ConfigError: a declared dimension is unknown or its score is not 0, 1 or 2.

    >>> from openmodel_gov.cards import load_card
    >>> card = load_card({"name": "demo", "license": "Apache-2.0",
    ...                   "components": {"Model parameters (Final)": {"included": True}}},
    ...                  format="openmodel-gov")
    >>> s = score_openness(card, declared={"ecosystem": 1})
    >>> s.dimensions["weights"].score, s.dimensions["license"].score, s.total
    (2, 2, 5)
    >>> s.declared_dimensions, s.disagreements
    (['ecosystem'], ['ecosystem: declared 1, derived 0'])
    """
    card = as_card(card)
    pol = policy if policy is not None else default_policy()
    if declared is None:
        seen = _BY_CARD.get(id(card))
        if seen is not None and seen[0] is card and seen[1] is pol:
            return seen[2]
    result = _score(card, pol, declared)
    if declared is None:
        if len(_BY_CARD) >= _BY_CARD_MAX:
            _BY_CARD.pop(next(iter(_BY_CARD)))
        _BY_CARD[id(card)] = (card, pol, result)
    return result


# Cards are immutable values: the last results are remembered by card identity (the entry
# holds the card, so its id cannot be reused while it is there). Bounded, oldest out first.
_BY_CARD: dict[int, tuple[ModelCard, ScoringPolicy, OpennessScore]] = {}
_BY_CARD_MAX = 512


def _score(
    card: ModelCard, pol: ScoringPolicy, declared: Mapping[str, int] | None
) -> OpennessScore:
    claims = _declared_scores(card, declared)
    sig = read_signals(card)
    keys: list[_DimKey] = []
    total = 0
    for name in DIMENSIONS:
        derived, reasons, evidence = DERIVERS[name](card, pol, sig)
        claim = claims.get(name)
        use_declared = claim is not None and pol.declared_overrides
        score = claim if use_declared and claim is not None else derived
        if claim is not None and claim != derived:
            reasons = [*reasons, f"declared {claim} but the card's facts support {derived}"]
        spec = pol.dimensions[name]
        keys.append(
            (
                name,
                spec.title,
                score,
                derived,
                claim,
                "declared" if use_declared else "derived",
                spec.levels[score],
                tuple(reasons),
                tuple(evidence),
            )
        )
        total += score
    band = pol.band_for(total)
    return _result((card.name, total, band.name, band.rag, band.meaning, tuple(keys)))
