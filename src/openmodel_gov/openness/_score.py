"""The 0-10 openness score: five dimensions derived from a card's facts, each 0, 1 or 2."""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from openmodel_gov.cards._model import ModelCard
from openmodel_gov.errors import ConfigError
from openmodel_gov.openness._data import (
    DIMENSIONS,
    Dimension,
    ScoringPolicy,
    default_policy,
)
from openmodel_gov.openness._input import CardLike, as_card
from openmodel_gov.openness._licensing import (
    category_of,
    open_in_mode,
    resolve_component_license,
)

__all__ = ["DimensionScore", "Evidence", "OpennessScore", "score_openness"]

FINAL = "Model parameters (Final)"
_Points = tuple[int, list[str], list[tuple[str, str, str]]]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)


class Evidence(_Frozen):
    """One fact on the card that a point rests on.

    Attributes:
        field: JSON path of the card field (``$.gating.gated``, ``$.components['Datasets']``).
        value: the value found, as text.
        shows: what it shows for this dimension.
    """

    field: str
    value: str
    shows: str


class DimensionScore(_Frozen):
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


class OpennessScore(_Frozen):
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
            lines.extend(f"    evidence {e.field} = {e.value}: {e.shows}" for e in d.evidence)
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


_Raw = tuple[str, str, str]


def _ev(field: str, value: str, shows: str) -> _Raw:
    """Evidence as plain strings; :func:`_dimension` turns it into :class:`Evidence`."""
    return (field, value, shows)


_DimKey = tuple[
    Dimension,
    str,
    int,
    int,
    "int | None",
    Literal["derived", "declared"],
    str,
    tuple[str, ...],
    tuple[tuple[str, str, str], ...],
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
        evidence=tuple(Evidence(field=f, value=v, shows=w) for f, v, w in evidence),
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


def _included(card: ModelCard, name: str) -> bool:
    comp = card.components.get(name)  # type: ignore[call-overload]
    return comp is not None and comp.included is True


def _ev_component(name: str, shows: str) -> _Raw:
    return _ev(field=f"$.components['{name}'].included", value="true", shows=shows)


_LINK = re.compile(r"\[([^\]\n]{1,200})\]\((https?://[^)\s]{1,500})\)")


@lru_cache(maxsize=1)
def _link_rules() -> tuple[tuple[str, re.Pattern[str] | None, re.Pattern[str] | None], ...]:
    from openmodel_gov.openness._data import body_link_facts

    rules = []
    for rule in body_link_facts().links:
        text = re.compile("^(?:" + "|".join(rule.text) + ")", re.I) if rule.text else None
        url = re.compile("|".join(rule.url), re.I) if rule.url else None
        rules.append((rule.component, text, url))
    return tuple(rules)


@lru_cache(maxsize=256)
def _body_links(body: str) -> dict[str, tuple[str, str]]:
    """Component -> first Markdown link ``(text, url)`` in ``body`` that discloses it."""
    found: dict[str, tuple[str, str]] = {}
    if "](" not in body:
        return found
    for match in _LINK.finditer(body):
        text, url = match.group(1).strip(), match.group(2)
        for component, text_rx, url_rx in _link_rules():
            if component in found:
                continue
            if (text_rx is not None and text_rx.match(text)) or (
                url_rx is not None and url_rx.search(url)
            ):
                found[component] = (text, url)
                break
    return found


def _disclosed(card: ModelCard, name: str, shows: str) -> _Raw | None:
    """Evidence that component ``name`` is released: declared included, or linked in the body."""
    comp = card.components.get(name)  # type: ignore[call-overload]
    if comp is not None and comp.included is True:
        return _ev_component(name, shows)
    if comp is not None and comp.included is False:
        return None
    link = _body_links(card.body).get(name)
    if link is None:
        return None
    return _ev(field="$.body", value=f"[{link[0]}]({link[1]})", shows=f"{shows} (linked)")


def weights_evidence(card: ModelCard) -> list[_Raw]:
    """Facts showing the final weights can be downloaded (empty when there are none)."""
    comp = card.components.get(FINAL)  # type: ignore[call-overload]
    evidence: list[_Raw] = []
    if comp is not None and comp.included is False:
        return evidence
    if comp is not None and comp.included:
        evidence.append(_ev_component(FINAL, "final parameters released"))
        if comp.location:
            evidence.append(
                _ev(
                    field=f"$.components['{FINAL}'].location",
                    value=comp.location,
                    shows="download location",
                )
            )
        if comp.sha256:
            evidence.append(
                _ev(
                    field=f"$.components['{FINAL}'].sha256",
                    value=f"{len(comp.sha256)} digest(s)",
                    shows="hash signature of the released weights",
                )
            )
    if card.weights_url:
        evidence.append(_ev(field="$.weights_url", value=card.weights_url, shows="download link"))
    if card.huggingface:
        evidence.append(
            _ev(
                field="$.huggingface", value=card.huggingface, shows="Hugging Face model repository"
            )
        )
    if card.source_format == "hf-readme" and (card.license or card.pipeline_tag):
        evidence.append(
            _ev(
                field="$",
                value="Hugging Face model card",
                shows="README of a Hub model repository, which hosts weights",
            )
        )
    return evidence


def _weights(card: ModelCard, policy: ScoringPolicy) -> _Points:
    comp = card.components.get(FINAL)  # type: ignore[call-overload]
    evidence: list[_Raw] = []
    if comp is not None and comp.included is False:
        ev = _ev(
            field=f"$.components['{FINAL}'].included",
            value="false",
            shows="the final parameters are not released",
        )
        return 0, ["the card says the final weights are not released"], [ev]
    evidence.extend(weights_evidence(card))
    if not evidence:
        return 0, ["no evidence that the weights can be downloaded"], evidence
    if card.gating.is_gated:
        gating = card.gating
        keys = [
            k
            for k in ("gated", "prompt", "fields", "heading", "button_content", "description")
            if getattr(gating, k) not in (None, "", {}, False)
        ]
        evidence.append(
            _ev(field="$.gating", value=", ".join(keys), shows="download needs an access request")
        )
        return (
            policy.gated_weights_points,
            ["the weights are gated behind an access request"],
            (evidence),
        )
    resolved = resolve_component_license(card, FINAL, "data")
    if resolved.value is None or resolved.explicit_none:
        return (
            policy.weights_unlicensed_points,
            ["downloadable, but no license grants rights to use or redistribute them"],
            evidence,
        )
    category, canonical, note = category_of(resolved.value)
    evidence.append(_ev(field=resolved.field, value=resolved.value, shows=note))
    points = policy.weights_license_points[category]
    kind = {
        2: "redistributable open license",
        1: "usage restrictions or unclear terms",
        0: "terms that forbid use",
    }[points]
    return (
        points,
        [f"downloadable under {canonical or resolved.value} ({category}): {kind}"],
        (evidence),
    )


@lru_cache(maxsize=256)
def _has_heading(body: str, patterns: tuple[str, ...]) -> str | None:
    if not body:
        return None
    rx = re.compile(
        r"^\s{0,3}#{1,6}\s*(?:" + "|".join(patterns) + r")\b.*$", re.IGNORECASE | re.MULTILINE
    )
    found = rx.search(body)
    return found.group(0).strip() if found else None


def _training_data(card: ModelCard, policy: ScoringPolicy) -> _Points:
    ev: list[_Raw] = []
    link = False
    if card.datasets:
        link = True
        ev.append(
            _ev(
                field="$.datasets",
                value=", ".join(card.datasets[:5]),
                shows="training datasets named",
            )
        )
    if card.dataset_manifests:
        link = True
        ev.append(
            _ev(
                field="$.dataset_manifests",
                value=", ".join(card.dataset_manifests),
                shows="dataset manifest",
            )
        )
    found = _disclosed(card, "Datasets", "training datasets released")
    if found:
        link = True
        ev.append(found)
    found = _disclosed(card, "Data card", "data sheet: sources, characteristics, preprocessing")
    data_card = found is not None
    if found:
        ev.append(found)
    found = _disclosed(card, "Data preprocessing code", "preprocessing steps as code")
    prep = found is not None
    if found:
        ev.append(found)
    heading = _has_heading(card.body, tuple(policy.training_data_headings))
    if heading:
        ev.append(_ev(field="$.body", value=heading, shows="training data section"))
    if (link or data_card) and (data_card or prep):
        return 2, ["the datasets are described or linked, with their preprocessing"], ev
    if ev:
        missing = "preprocessing steps" if link else "a dataset listing or data card"
        return 1, [f"partial disclosure: no {missing}"], ev
    return 0, ["the card gives no information on the training data"], ev


def _training_code(card: ModelCard, policy: ScoringPolicy) -> _Points:
    ev: list[_Raw] = []
    parts = ("Training code", "Data preprocessing code")
    present = []
    for p in parts:
        found = _disclosed(card, p, "training pipeline code released")
        if found:
            present.append(p)
            ev.append(found)
    extras = []
    for p in ("Model metadata", "Supporting libraries and tools"):
        found = _disclosed(card, p, "part of the training setup released")
        if found:
            extras.append(p)
            ev.append(found)
    if len(present) == 2:
        closed = []
        for p in parts:
            resolved = resolve_component_license(card, p, "code")
            is_open = False
            if resolved.value is not None and not resolved.explicit_none:
                is_open, _ = open_in_mode(resolved.value, "normalized")
                ev.append(
                    _ev(
                        field=resolved.field,
                        value=resolved.value,
                        shows=("open license" if is_open else "not an open license")
                        + f" ({resolved.origin})",
                    )
                )
            if not is_open:
                closed.append(p)
        if not closed:
            return 2, ["training and data preprocessing code are released under open licenses"], ev
        return 1, [f"pipeline released, but not under an open license: {', '.join(closed)}"], ev
    if present or extras:
        missing = [p for p in parts if p not in present]
        return 1, [f"partial training pipeline: missing {', '.join(missing)}"], ev
    if _included(card, "Inference code"):
        ev.append(_ev_component("Inference code", "inference code only"))
        return 0, ["only inference code is released"], ev
    return 0, ["no training code is released"], ev


def _license(card: ModelCard, policy: ScoringPolicy) -> _Points:
    declared = card.license or card.licenses.distribution
    field = "$.license" if card.license else "$.licenses.distribution"
    if declared is None:
        return policy.undeclared_license_points, ["no license is declared"], []
    category, canonical, note = category_of(declared)
    ev = [_ev(field=field, value=declared, shows=note)]
    if category == "unknown" and card.license_name:
        category2, canonical2, note2 = category_of(f"hf:{card.license_name}")
        ev.append(_ev(field="$.license_name", value=card.license_name, shows=note2))
        if category2 != "unknown":
            category, canonical = category2, canonical2
    if card.license_link:
        ev.append(_ev(field="$.license_link", value=card.license_link, shows="license text"))
    points = policy.license_points[category]
    return points, [f"{canonical or declared} is {category}"], ev


# (group, EcosystemSignals field, what a non-empty value shows), in evidence order.
_ECOSYSTEM_SIGNALS = (
    ("tooling", "library_name", "library integration"),
    ("tooling", "integrations", "integrations"),
    ("benchmarks", "evaluation_harnesses", "evaluation harness support"),
    ("benchmarks", "benchmark_listings", "benchmark listing"),
)


def _ecosystem(card: ModelCard, policy: ScoringPolicy) -> _Points:
    eco = card.ecosystem
    groups: dict[str, list[_Raw]] = {"tooling": [], "benchmarks": [], "community": []}
    for group, name, shows in _ECOSYSTEM_SIGNALS:
        value: str | list[str] | None = getattr(eco, name)
        if value:
            groups[group].append(
                _ev(
                    field=f"$.ecosystem.{name}",
                    value=value if isinstance(value, str) else ", ".join(value),
                    shows=shows,
                )
            )
    if card.eval_results:
        groups["benchmarks"].append(
            _ev(
                field="$.eval_results",
                value=f"{len(card.eval_results)} result(s)",
                shows="published benchmark results",
            )
        )
    found = _disclosed(card, "Evaluation code", "evaluation code released")
    if found:
        groups["benchmarks"].append(found)
    found = _disclosed(card, "Evaluation results", "evaluation results published")
    if found:
        groups["benchmarks"].append(found)
    if eco.community_channels:
        groups["community"].append(
            _ev(
                field="$.ecosystem.community_channels",
                value=", ".join(eco.community_channels),
                shows="community channel",
            )
        )
    if card.repository:
        groups["community"].append(
            _ev(field="$.repository", value=card.repository, shows="public repository")
        )
    present = [g for g, items in groups.items() if items]
    ev = [e for items in groups.values() for e in items]
    absent = [g for g in groups if g not in present]
    if len(present) >= policy.ecosystem_groups_for_full:
        return 2, [f"signals of {', '.join(present)}"], ev
    if present:
        return 1, [f"signals of {', '.join(present)}; none of {', '.join(absent)}"], ev
    return 0, ["no tooling, benchmark or community signals"], ev


_DERIVERS = {
    "weights": _weights,
    "training_data": _training_data,
    "training_code": _training_code,
    "license": _license,
    "ecosystem": _ecosystem,
}


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
        card: the model card (or a path, card text or mapping, read with ``load_card``).
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
    claims = _declared_scores(card, declared)
    keys: list[_DimKey] = []
    total = 0
    for name in DIMENSIONS:
        derived, reasons, evidence = _DERIVERS[name](card, pol)
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
