"""What a card says about its own openness, taken from the cards evidence layer.

:func:`read_signals` reads nothing itself: it arranges
:func:`openmodel_gov.cards.read_card_evidence` -- the access gate, the body's disclosures
(``CardEvidence.disclosures``: training code and how strongly, code stated closed, data named,
described or vaguely mentioned, papers, evaluation, inference code, ...) and the license
statements whose names stand for a known license -- by what each dimension and MOF component
needs. Every signal keeps the layer's :class:`~openmodel_gov.results.Evidence`.
"""

from __future__ import annotations

from dataclasses import dataclass

from openmodel_gov._core import Evidence
from openmodel_gov.cards import (
    CardEvidence,
    CardSection,
    GateKind,
    ModelCard,
    read_card_evidence,
)

__all__ = ["CardSignals", "Signal", "read_signals"]


@dataclass(frozen=True)
class Signal:
    """One statement in the card: how strong it is for its dimension, and where it was seen."""

    strength: int
    evidence: Evidence


_TOPICS = {
    "code_closed": "training-code-closed",
    "datasets": "datasets",
    "data_described": "data-described",
    "data_vague": "data-vague",
    "papers": "paper",
    "eval_results": "evaluation-results",
    "eval_code": "evaluation-code",
    "inference": "inference-code",
    "architecture": "architecture",
    "intermediate": "intermediate-checkpoints",
    "preprocessing_code": "preprocessing-code",
    "samples": "sample-outputs",
}


_ATTRIBUTES = {topic: attribute for attribute, topic in _TOPICS.items()}


class CardSignals:
    """The evidence each openness judgement reads, by what it shows (arranged once from one
    :class:`~openmodel_gov.cards.CardEvidence`).

    Attributes (evidence tuples unless said): ``gate``, ``gate_fields``, ``gate_evidence``,
    ``training_code`` (:class:`Signal` s), ``code_closed``, ``datasets``, ``data_described``,
    ``data_vague``, ``dataset_ids`` (Hub ids), ``papers``, ``eval_results``, ``eval_code``,
    ``inference``, ``architecture``, ``intermediate``, ``preprocessing_code``, ``samples``,
    ``body_licenses`` ((license id, evidence) pairs), ``component_links`` (MOF component ->
    the first body link disclosing it), ``sections`` (the body's sections).
    """

    # groups the card does not disclose stay these shared empty defaults
    code_closed: tuple[Evidence, ...] = ()
    datasets: tuple[Evidence, ...] = ()
    data_described: tuple[Evidence, ...] = ()
    data_vague: tuple[Evidence, ...] = ()
    papers: tuple[Evidence, ...] = ()
    eval_results: tuple[Evidence, ...] = ()
    eval_code: tuple[Evidence, ...] = ()
    inference: tuple[Evidence, ...] = ()
    architecture: tuple[Evidence, ...] = ()
    intermediate: tuple[Evidence, ...] = ()
    preprocessing_code: tuple[Evidence, ...] = ()
    samples: tuple[Evidence, ...] = ()
    training_code: tuple[Signal, ...] = ()
    dataset_ids: tuple[str, ...] = ()
    body_licenses: tuple[tuple[str, Evidence], ...] = ()

    def __init__(self, evidence: CardEvidence) -> None:
        # one pass over the disclosures, every group arranged at once
        groups: dict[str, list[Evidence]] = {}
        code: list[Signal] = []
        ids: list[str] = []
        links: dict[str, Evidence] = {}
        for d in evidence.disclosures:
            topic = d.topic
            if topic == "training-code":
                code.append(Signal(d.strength, d.evidence))
            elif topic == "component-link":
                if d.name is not None and d.name not in links:
                    links[d.name] = d.evidence
            else:
                groups.setdefault(topic, []).append(d.evidence)
                if topic == "datasets" and d.name:
                    ids.append(d.name)
        for group, found in groups.items():
            setattr(self, _ATTRIBUTES[group], tuple(found))
        gate = evidence.gate
        self.gate: GateKind = gate.kind
        self.gate_fields: tuple[str, ...] = gate.fields
        self.gate_evidence: tuple[Evidence, ...] = gate.evidence
        if code:
            self.training_code = tuple(code)
        if ids:
            self.dataset_ids = tuple(ids)
        self.component_links: dict[str, Evidence] = links
        if evidence.licenses:
            self.body_licenses = tuple(
                (s.license_id, s.evidence) for s in evidence.licenses if s.license_id
            )[:3]
        #: the body's sections (headings, bold labels marked ``from_label``)
        self.sections: tuple[CardSection, ...] = evidence.sections

    @property
    def code_strength(self) -> int:
        """2 when the card links the code that trained the model, 1 for a partial pipeline."""
        return max((s.strength for s in self.training_code), default=0)


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
    signals = CardSignals(ev)
    if len(_BY_EVIDENCE) >= _MAX:
        _BY_EVIDENCE.pop(next(iter(_BY_EVIDENCE)))
    _BY_EVIDENCE[id(ev)] = (ev, signals)
    return signals
