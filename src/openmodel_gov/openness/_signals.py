"""What a card says about its own openness, taken from the cards evidence layer.

:func:`read_signals` reads nothing itself: it arranges
:func:`openmodel_gov.cards.read_card_evidence` -- the access gate, the body's disclosures
(``CardEvidence.disclosures``: training code and how strongly, code stated closed, data named,
described or vaguely mentioned, papers, evaluation, inference code, ...) and the license
statements whose names stand for a known license -- by what each dimension and MOF component
needs. Every signal keeps the layer's :class:`~openmodel_gov.results.Evidence`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from openmodel_gov._core import Evidence
from openmodel_gov.cards import CardEvidence, GateKind, ModelCard, read_card_evidence

__all__ = ["CardSignals", "Signal", "read_signals"]


@dataclass(frozen=True)
class Signal:
    """One statement in the card: how strong it is for its dimension, and where it was seen."""

    strength: int
    evidence: Evidence


@dataclass(frozen=True)
class CardSignals:
    """The evidence each openness judgement reads, by what it shows."""

    gate: GateKind = "none"
    gate_fields: tuple[str, ...] = ()
    gate_evidence: tuple[Evidence, ...] = ()
    training_code: tuple[Signal, ...] = ()
    code_closed: tuple[Evidence, ...] = ()
    datasets: tuple[Evidence, ...] = ()
    data_described: tuple[Evidence, ...] = ()
    data_vague: tuple[Evidence, ...] = ()
    dataset_ids: tuple[str, ...] = ()
    papers: tuple[Evidence, ...] = ()
    eval_results: tuple[Evidence, ...] = ()
    eval_code: tuple[Evidence, ...] = ()
    inference: tuple[Evidence, ...] = ()
    architecture: tuple[Evidence, ...] = ()
    intermediate: tuple[Evidence, ...] = ()
    preprocessing_code: tuple[Evidence, ...] = ()
    samples: tuple[Evidence, ...] = ()
    body_licenses: tuple[tuple[str, Evidence], ...] = ()
    #: MOF component -> the first body link that discloses it
    component_links: dict[str, Evidence] = field(default_factory=dict)

    @property
    def code_strength(self) -> int:
        """2 when the card links the code that trained the model, 1 for a partial pipeline."""
        return max((s.strength for s in self.training_code), default=0)


def _of(ev: CardEvidence, topic: str) -> tuple[Evidence, ...]:
    return tuple(d.evidence for d in ev.disclosed(topic))


def _signals(ev: CardEvidence) -> CardSignals:
    return CardSignals(
        gate=ev.gate.kind,
        gate_fields=ev.gate.fields,
        gate_evidence=ev.gate.evidence,
        training_code=tuple(Signal(d.strength, d.evidence) for d in ev.disclosed("training-code")),
        code_closed=_of(ev, "training-code-closed"),
        datasets=_of(ev, "datasets"),
        data_described=_of(ev, "data-described"),
        data_vague=_of(ev, "data-vague"),
        dataset_ids=tuple(d.name for d in ev.disclosed("datasets") if d.name),
        papers=_of(ev, "paper"),
        eval_results=_of(ev, "evaluation-results"),
        eval_code=_of(ev, "evaluation-code"),
        inference=_of(ev, "inference-code"),
        architecture=_of(ev, "architecture"),
        intermediate=_of(ev, "intermediate-checkpoints"),
        preprocessing_code=_of(ev, "preprocessing-code"),
        samples=_of(ev, "sample-outputs"),
        body_licenses=tuple(
            (s.license_id, s.evidence) for s in ev.licenses if s.license_id is not None
        )[:3],
        component_links={
            d.name: d.evidence for d in ev.disclosed("component-link") if d.name is not None
        },
    )


# The evidence of a card is cached on the card; its arrangement here by the evidence's
# identity (the entry holds the evidence, so its id cannot be reused while it is there).
_BY_EVIDENCE: dict[int, tuple[CardEvidence, CardSignals]] = {}
_MAX = 512


def read_signals(card: ModelCard) -> CardSignals:
    """The openness signals of ``card``: its gate kind and what its body discloses.

    >>> from openmodel_gov.cards import load_card
    >>> card = load_card({"name": "m", "extra_gated_fields": {"Country": "country"}})
    >>> s = read_signals(card)
    >>> s.gate, s.gate_fields
    ('access-request', ('Country',))
    """
    ev = read_card_evidence(card)
    seen = _BY_EVIDENCE.get(id(ev))
    if seen is not None and seen[0] is ev:
        return seen[1]
    signals = _signals(ev)
    if len(_BY_EVIDENCE) >= _MAX:
        _BY_EVIDENCE.pop(next(iter(_BY_EVIDENCE)))
    _BY_EVIDENCE[id(ev)] = (ev, signals)
    return signals
