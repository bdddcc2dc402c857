"""The five Table-11 dimensions, each derived from a card's facts and its body's signals.

Each deriver returns ``(points, reasons, evidence)``; evidence is a tuple of plain strings
``(path, snippet, note, kind, line, certainty)`` that :mod:`._score` turns into
:class:`~openmodel_gov.results.Evidence` once per distinct value (the scorer's flyweights).

Declared facts (MOF components, ``licenses``, ``gating``) are read first, as before; a Hub
card's body disclosures (the cards evidence layer, arranged by :mod:`._signals`) add what a reader finds in the prose. A dimension
takes the higher of the two readings, and its reasons say which one counted. "Not stated" and
"stated closed" are told apart in the reasons.
"""

from __future__ import annotations

import re
from functools import lru_cache

from openmodel_gov._core import Evidence
from openmodel_gov.cards import Component, ModelCard
from openmodel_gov.openness._data import ScoringPolicy
from openmodel_gov.openness._licensing import (
    category_of,
    open_in_mode,
    resolve_component_license,
)
from openmodel_gov.openness._signals import CardSignals, Signal

__all__ = ["DERIVERS", "FINAL", "Points", "Raw", "weights_evidence"]

FINAL = "Model parameters (Final)"
#: (path, snippet, note, kind, line, certainty)
Raw = tuple[str, str, str, str, int, str]
Points = tuple[int, list[str], list[Raw]]


def _ev(field: str, value: str, shows: str, kind: str = "front-matter") -> Raw:
    return (field, value, shows, kind, 0, "stated")


def _from(e: Evidence) -> Raw:
    """A signal's :class:`Evidence` as a raw tuple (six attribute reads: cheaper than a cache,
    which would hash the whole model)."""
    return (e.path or "$.body", e.snippet or "", e.note or "", e.kind, e.line or 0, e.certainty)


_NOT_STATED = Component()


def component(card: ModelCard, name: str) -> Component:
    """The component ``name`` of ``card``, or a shared empty one (no validation per call)."""
    components: dict[str, Component] = card.components  # type: ignore[assignment]
    return components.get(name, _NOT_STATED)


def _ev_component(name: str, shows: str) -> Raw:
    return _ev(f"$.components['{name}'].included", "true", shows)


def _disclosed(card: ModelCard, name: str, shows: str, sig: CardSignals) -> Raw | None:
    """Evidence that component ``name`` is released: declared included, or linked in the body."""
    comp = component(card, name)
    if comp.included is True:
        return _ev_component(name, shows)
    if comp.included is False or not card.body:
        return None
    link = sig.component_links.get(name)
    if link is None:
        return None
    return (
        link.path or "$.body",
        link.snippet or "",
        f"{shows} (linked)",
        "body",
        link.line or 0,
        "read",
    )


def weights_evidence(card: ModelCard) -> list[Raw]:
    """Facts showing the final weights can be downloaded (empty when there are none)."""
    comp = component(card, FINAL)
    evidence: list[Raw] = []
    if comp.included is False:
        return evidence
    if comp.included:
        evidence.append(_ev_component(FINAL, "final parameters released"))
        if comp.location:
            evidence.append(
                _ev(f"$.components['{FINAL}'].location", comp.location, "download location")
            )
        if comp.sha256:
            evidence.append(
                _ev(
                    f"$.components['{FINAL}'].sha256",
                    f"{len(comp.sha256)} digest(s)",
                    "hash signature of the released weights",
                )
            )
    if card.weights_url:
        evidence.append(_ev("$.weights_url", card.weights_url, "download link"))
    if card.huggingface:
        evidence.append(_ev("$.huggingface", card.huggingface, "Hugging Face model repository"))
    if card.source_format == "hf-readme":
        evidence.append(
            _ev(
                "$",
                "Hugging Face model card",
                "README of a Hub model repository, which hosts weights",
            )
        )
    return evidence


def _gate_note(sig: CardSignals) -> str:
    short = [f if len(f) <= 40 else f[:37] + "..." for f in sig.gate_fields]
    fields = f"fields: {', '.join(short)}" if short else "no form fields"
    kind = "access-request form" if sig.gate == "access-request" else f"{sig.gate} gate"
    return f"{kind} ({fields})"


def _license_of_weights(card: ModelCard, sig: CardSignals) -> tuple[str | None, Raw | None, bool]:
    """(license, evidence, explicitly none) for the final parameters, the body as a fallback."""
    resolved = resolve_component_license(card, FINAL, "data")
    if resolved.explicit_none:
        return None, None, True
    if resolved.value is not None:
        value, field = resolved.value, resolved.field
        if card.license_name and value == card.license and category_of(value)[0] == "unknown":
            value, field = f"hf:{card.license_name}", "$.license_name"  # license: other
        return value, (field, value, "", "front-matter", 0, "stated"), False
    if sig.body_licenses:
        name, ev = sig.body_licenses[0]
        return name, _from(ev), False
    return None, None, False


def _weights(card: ModelCard, policy: ScoringPolicy, sig: CardSignals) -> Points:
    comp = component(card, FINAL)
    if comp.included is False:
        ev = _ev(
            f"$.components['{FINAL}'].included", "false", "the final parameters are not released"
        )
        return 0, ["the card says the final weights are not released (stated closed)"], [ev]
    evidence = weights_evidence(card)
    if not evidence:
        return 0, ["no evidence that the weights can be downloaded (not stated)"], evidence
    reasons: list[str] = []
    if sig.gate != "none":
        g = card.gating
        seen = "; ".join(
            [f"gated: {g.gated}" if g.gated is not None else "gated"]
            + ([f"fields: {', '.join(sig.gate_fields)}"] if sig.gate_fields else [])
        )
        evidence.append(_ev("$.gating", seen, f"download needs {_gate_note(sig)}"))
        if sig.gate == "discretionary":
            return (
                policy.gated_weights_points,
                [f"access to the weights is at the provider's discretion ({_gate_note(sig)})"],
                evidence,
            )
        reasons.append(
            f"the Hub gate is {'an' if sig.gate == 'access-request' else 'a'} {_gate_note(sig)}: anyone who accepts can download, "
            "so the weights are not gated in the Table-11 sense"
        )
    value, lic_ev, explicit_none = _license_of_weights(card, sig)
    if value is None or explicit_none:
        return (
            policy.weights_unlicensed_points,
            ["downloadable, but no license grants rights to use or redistribute them", *reasons],
            evidence,
        )
    category, canonical, note = category_of(value)
    if lic_ev is not None:
        evidence.append((lic_ev[0], lic_ev[1], note, lic_ev[3], lic_ev[4], lic_ev[5]))
    points = policy.weights_license_points[category]
    kind = {
        2: "redistributable open license",
        1: "usage restrictions or unclear terms",
        0: "terms that forbid use",
    }[points]
    return (
        points,
        [f"downloadable under {canonical or value} ({category}): {kind}", *reasons],
        evidence,
    )


@lru_cache(maxsize=64)
def _heading_rx(patterns: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(r"\s*(?:" + "|".join(patterns) + r")\b", re.IGNORECASE)


def _has_heading(sig: CardSignals, patterns: tuple[str, ...]) -> str | None:
    """The first body heading (from the cards evidence layer) that ``patterns`` match."""
    if not sig.sections:
        return None
    rx = _heading_rx(patterns)
    return next((s.heading for s in sig.sections if not s.from_label and rx.match(s.heading)), None)


def _declared_data(card: ModelCard, policy: ScoringPolicy, sig: CardSignals) -> Points:
    ev: list[Raw] = []
    link = False
    if card.datasets:
        link = True
        ev.append(_ev("$.datasets", ", ".join(card.datasets[:5]), "training datasets named"))
    if card.dataset_manifests:
        link = True
        ev.append(_ev("$.dataset_manifests", ", ".join(card.dataset_manifests), "dataset manifest"))
    found = _disclosed(card, "Datasets", "training datasets released", sig)
    if found:
        link = True
        ev.append(found)
    found = _disclosed(
        card, "Data card", "data sheet: sources, characteristics, preprocessing", sig
    )
    data_card = found is not None
    if found:
        ev.append(found)
    found = _disclosed(card, "Data preprocessing code", "preprocessing steps as code", sig)
    prep = found is not None
    if found:
        ev.append(found)
    heading = _has_heading(sig, tuple(policy.training_data_headings))
    if heading:
        ev.append(_ev("$.body", heading, "training data section", "body"))
    if (link or data_card) and (data_card or prep):
        return 2, ["the datasets are described or linked, with their preprocessing"], ev
    if ev:
        missing = "preprocessing steps" if link else "a dataset listing or data card"
        return 1, [f"partial disclosure: no {missing}"], ev
    return 0, ["the card gives no information on the training data (not stated)"], ev


def _training_data(card: ModelCard, policy: ScoringPolicy, sig: CardSignals) -> Points:
    declared = _declared_data(card, policy, sig)
    if declared[0] == 2 or not card.body:
        return declared
    named = [_from(e) for e in sig.datasets]
    described = [_from(e) for e in sig.data_described]
    if card.datasets and not named:
        named = [_ev("$.datasets", ", ".join(card.datasets[:5]), "training datasets named")]
    if named and described:
        return (
            2,
            [
                "the card names its training datasets and describes how they were composed or processed"
            ],
            named[:3] + described[:2],
        )
    if declared[0] == 1:
        return declared
    vague = [_from(e) for e in sig.data_vague]
    if named or described or vague:
        what = (
            "names datasets without describing them"
            if named
            else (
                "describes the data without identifying it"
                if described
                else "mentions the data vaguely"
            )
        )
        return 1, [f"partial disclosure: the card {what}"], (named + described + vague)[:4]
    return declared


def _declared_code(card: ModelCard, sig: CardSignals) -> Points:
    ev: list[Raw] = []
    parts = ("Training code", "Data preprocessing code")
    present = []
    for p in parts:
        found = _disclosed(card, p, "training pipeline code released", sig)
        if found:
            present.append(p)
            ev.append(found)
    extras = []
    for p in ("Model metadata", "Supporting libraries and tools"):
        found = _disclosed(card, p, "part of the training setup released", sig)
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
                        resolved.field,
                        resolved.value,
                        ("open license" if is_open else "not an open license")
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
    if component(card, "Inference code").included is True:
        ev.append(_ev_component("Inference code", "inference code only"))
        return 0, ["only inference code is released"], ev
    if component(card, "Training code").included is False:
        ev.append(_ev("$.components['Training code'].included", "false", "not released"))
        return 0, ["the card says the training code is not released (stated closed)"], ev
    return 0, ["no training code is released (not stated)"], ev


def _signal_reasons(best: list[Signal]) -> str:
    if best[0].strength == 2:
        return "the card links or states the code that trained the model"
    return "partial training pipeline: a project repository, a named trainer or a training command"


def _training_code(card: ModelCard, policy: ScoringPolicy, sig: CardSignals) -> Points:
    declared = _declared_code(card, sig)
    if declared[0] == 2 or not card.body or component(card, "Training code").included is False:
        return declared
    if sig.code_strength > declared[0]:
        best = sorted(sig.training_code, key=lambda s: -s.strength)
        return sig.code_strength, [_signal_reasons(best)], [_from(s.evidence) for s in best[:3]]
    if declared[0] == 0 and sig.code_closed:
        return (
            0,
            ["the card says the training code is not released (stated closed)"],
            [_from(sig.code_closed[0])],
        )
    return declared


def _license(card: ModelCard, policy: ScoringPolicy, sig: CardSignals) -> Points:
    declared = card.license or card.licenses.distribution
    field = "$.license" if card.license else "$.licenses.distribution"
    if declared is None:
        if not sig.body_licenses:
            return policy.undeclared_license_points, ["no license is declared"], []
        name, found = sig.body_licenses[0]
        category, canonical, note = category_of(name)
        raw = _from(found)
        return (
            policy.license_points[category],
            [f"{canonical or name} is {category} (stated in the body, not in the metadata)"],
            [(raw[0], raw[1], note, raw[3], raw[4], raw[5])],
        )
    category, canonical, note = category_of(declared)
    ev = [_ev(field, declared, note)]
    if category == "unknown" and card.license_name:
        category2, canonical2, note2 = category_of(f"hf:{card.license_name}")
        ev.append(_ev("$.license_name", card.license_name, note2))
        if category2 != "unknown":
            category, canonical = category2, canonical2
    if card.license_link:
        ev.append(_ev("$.license_link", card.license_link, "license text"))
    points = policy.license_points[category]
    return points, [f"{canonical or declared} is {category}"], ev


# (group, EcosystemSignals field, what a non-empty value shows), in evidence order.
_ECOSYSTEM_SIGNALS = (
    ("tooling", "library_name", "library integration"),
    ("tooling", "integrations", "integrations"),
    ("benchmarks", "evaluation_harnesses", "evaluation harness support"),
    ("benchmarks", "benchmark_listings", "benchmark listing"),
)


def _ecosystem_declared(card: ModelCard, groups: dict[str, list[Raw]], sig: CardSignals) -> None:
    """Tooling and benchmark signals the card's metadata and components declare."""
    eco = card.ecosystem
    for group, name, shows in _ECOSYSTEM_SIGNALS:
        value: str | list[str] | None = getattr(eco, name)
        if value:
            groups[group].append(
                _ev(
                    f"$.ecosystem.{name}",
                    value if isinstance(value, str) else ", ".join(value),
                    shows,
                )
            )
    if card.eval_results:
        groups["benchmarks"].append(
            _ev(
                "$.eval_results",
                f"{len(card.eval_results)} result(s)",
                "published benchmark results",
            )
        )
    for component, shows in (
        ("Evaluation code", "evaluation code released"),
        ("Evaluation results", "evaluation results published"),
    ):
        found = _disclosed(card, component, shows, sig)
        if found:
            groups["benchmarks"].append(found)


def _ecosystem_community(card: ModelCard, groups: dict[str, list[Raw]]) -> None:
    if card.ecosystem.community_channels:
        groups["community"].append(
            _ev(
                "$.ecosystem.community_channels",
                ", ".join(card.ecosystem.community_channels),
                "community channel",
            )
        )
    if card.repository:
        groups["community"].append(_ev("$.repository", card.repository, "public repository"))


def _ecosystem(card: ModelCard, policy: ScoringPolicy, sig: CardSignals) -> Points:
    groups: dict[str, list[Raw]] = {"tooling": [], "benchmarks": [], "community": []}
    _ecosystem_declared(card, groups, sig)
    # a Hub card's body: benchmark tables and evaluation code, code that runs the model
    if not groups["benchmarks"] and (sig.eval_results or sig.eval_code):
        groups["benchmarks"].append(_from((sig.eval_results or sig.eval_code)[0]))
    if not groups["tooling"] and sig.inference:
        groups["tooling"].append(_from(sig.inference[0]))
    _ecosystem_community(card, groups)
    present = [g for g, items in groups.items() if items]
    ev = [e for items in groups.values() for e in items]
    absent = [g for g in groups if g not in present]
    if len(present) >= policy.ecosystem_groups_for_full:
        return 2, [f"signals of {', '.join(present)}"], ev
    if present:
        return 1, [f"signals of {', '.join(present)}; none of {', '.join(absent)}"], ev
    return 0, ["no tooling, benchmark or community signals"], ev


DERIVERS = {
    "weights": _weights,
    "training_data": _training_data,
    "training_code": _training_code,
    "license": _license,
    "ecosystem": _ecosystem,
}
