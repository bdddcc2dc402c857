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
from typing import TYPE_CHECKING, Any

from openmodel_gov._core import Evidence
from openmodel_gov.cards import CardEvidence, Disclosure, GateKind, ModelCard, read_card_evidence

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


class CardSignals:
    """The evidence each openness judgement reads, by what it shows (read from one
    :class:`~openmodel_gov.cards.CardEvidence`; each group is arranged when first asked for).

    Attributes (evidence tuples unless said): ``gate``, ``gate_fields``, ``gate_evidence``,
    ``training_code`` (:class:`Signal` s), ``code_closed``, ``datasets``, ``data_described``,
    ``data_vague``, ``dataset_ids`` (Hub ids), ``papers``, ``eval_results``, ``eval_code``,
    ``inference``, ``architecture``, ``intermediate``, ``preprocessing_code``, ``samples``,
    ``body_licenses`` ((license id, evidence) pairs), ``component_links`` (MOF component ->
    the first body link disclosing it), ``headings`` (the body's headings as written).
    """

    def __init__(self, evidence: CardEvidence) -> None:
        self._ev = evidence
        by: dict[str, list[Disclosure]] = {}
        for d in evidence.disclosures:
            by.setdefault(d.topic, []).append(d)
        self._by = by
        gate = evidence.gate
        self.gate: GateKind = gate.kind
        self.gate_fields: tuple[str, ...] = gate.fields
        self.gate_evidence: tuple[Evidence, ...] = gate.evidence

    def __getattr__(self, name: str) -> Any:
        # every other group is arranged when first asked for, then kept as an attribute
        by, ev = self._by, self._ev
        value: object
        if name in _TOPICS:
            value = tuple(d.evidence for d in by.get(_TOPICS[name], ()))
        elif name == "training_code":
            value = tuple(Signal(d.strength, d.evidence) for d in by.get("training-code", ()))
        elif name == "dataset_ids":
            value = tuple(d.name for d in by.get("datasets", ()) if d.name)
        elif name == "body_licenses":
            value = tuple((s.license_id, s.evidence) for s in ev.licenses if s.license_id)[:3]
        elif name == "component_links":
            links: dict[str, Evidence] = {}
            for d in by.get("component-link", ()):
                if d.name is not None:
                    links.setdefault(d.name, d.evidence)
            value = links
        elif name == "headings":
            value = tuple(s.heading for s in ev.sections if not s.from_label)
        else:
            raise AttributeError(name)
        setattr(self, name, value)
        return value

    @property
    def code_strength(self) -> int:
        """2 when the card links the code that trained the model, 1 for a partial pipeline."""
        return max((s.strength for s in self.training_code), default=0)

    if TYPE_CHECKING:  # the groups __getattr__ arranges, for the type checker
        training_code: tuple[Signal, ...]
        dataset_ids: tuple[str, ...]
        body_licenses: tuple[tuple[str, Evidence], ...]
        component_links: dict[str, Evidence]
        headings: tuple[str, ...]
        code_closed: tuple[Evidence, ...]
        datasets: tuple[Evidence, ...]
        data_described: tuple[Evidence, ...]
        data_vague: tuple[Evidence, ...]
        papers: tuple[Evidence, ...]
        eval_results: tuple[Evidence, ...]
        eval_code: tuple[Evidence, ...]
        inference: tuple[Evidence, ...]
        architecture: tuple[Evidence, ...]
        intermediate: tuple[Evidence, ...]
        preprocessing_code: tuple[Evidence, ...]
        samples: tuple[Evidence, ...]


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
