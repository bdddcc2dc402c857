"""Fill a card's documentation fields from its body sections (the metadata wins).

``intended_use``, ``out_of_scope_use``, ``limitations``, ``bias_risks``, ``training_data``,
``training_procedure``, ``evaluation``, ``environmental_impact`` and ``citation`` are read from
the sections of the body (see ``data/cards/card-sections.yaml``) when the metadata does not
give them. Each filled field is listed in :attr:`ModelCard.inferred` and its location kept in
:attr:`ModelCard.field_evidence`; a metadata value that the body contradicts is kept and the
disagreement becomes a warning.
"""

from __future__ import annotations

import re

from openmodel_gov._core import Certainty, Evidence
from openmodel_gov.cards._evidence import CardEvidence, CardSection
from openmodel_gov.cards._facts import section_facts
from openmodel_gov.cards._model import ModelCard
from openmodel_gov.cards._read import read_card_evidence

__all__ = ["BODY_FIELDS", "fill_from_body"]

#: Card field -> the section keys it is read from, in order of preference.
BODY_FIELDS: dict[str, tuple[str, ...]] = {
    "intended_use": ("direct-use", "downstream-use", "uses"),
    "out_of_scope_use": ("out-of-scope-use",),
    "limitations": ("bias-risks-limitations",),
    "bias_risks": ("bias-risks-limitations",),
    "training_data": ("training-data",),
    "training_procedure": ("training-procedure", "training-hyperparameters", "training-details"),
    "evaluation": ("evaluation", "testing-data"),
    "environmental_impact": ("environmental-impact",),
    "citation": ("citation",),
}
_MAX_CHARS = 4000
_LIMITATION_WORDS = re.compile(r"limitation|caveat|shortcoming|known (issues|failure)", re.I)
_BIAS_WORDS = re.compile(r"\bbias|\brisks?\b|ethic|harm|fairness|safety", re.I)
_BIAS_TEXT = re.compile(r"\bbias(es|ed)?\b|stereotyp|toxic|offensive|harmful|fairness", re.I)


def _says_something(text: str) -> str:
    """The text without template placeholders (empty when nothing else is there)."""
    cleaned = section_facts().placeholders.sub(" ", text)
    return text.strip() if len(re.sub(r"\W+", "", cleaned)) >= 3 else ""


def _own_text(section: CardSection, evidence: CardEvidence) -> str:
    """A section's text without the text of sub-sections that hold another key."""
    text = section.text
    for other in evidence.sections:
        if (
            other is not section
            and section.line < other.line <= section.end_line
            and other.key not in (None, section.key)
            and other.text
        ):
            text = text.replace(other.text, "")
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def _pick(field: str, evidence: CardEvidence) -> tuple[str, CardSection, Certainty] | None:
    keys = BODY_FIELDS[field]
    for key in keys:
        sections = [s for s in evidence.sections if s.key == key]
        if field == "limitations":
            sections = [
                s
                for s in sections
                if _LIMITATION_WORDS.search(s.heading) or not _BIAS_WORDS.search(s.heading)
            ]
        certainty: Certainty = "read"
        if field == "bias_risks":
            by_heading = [s for s in sections if _BIAS_WORDS.search(s.heading)]
            if by_heading:
                sections = by_heading
            else:
                sections = [s for s in sections if _BIAS_TEXT.search(s.text)]
                certainty = "inferred"
        texts = [(s, _says_something(_own_text(s, evidence))) for s in sections]
        texts = [(s, t) for s, t in texts if t]
        if texts:
            joined = "\n\n".join(t for _, t in texts)
            if len(joined) > _MAX_CHARS:
                joined = joined[: _MAX_CHARS - 1].rstrip() + "…"
            return joined, texts[0][0], certainty
    return None


def _same(a: str, b: str) -> bool:
    x, y = " ".join(a.lower().split()), " ".join(b.lower().split())
    return x in y or y in x


def fill_from_body(card: ModelCard) -> ModelCard:
    """``card`` with its documentation fields filled from the body (see module docstring)."""
    if not card.body.strip():
        return card
    evidence = read_card_evidence(card)
    if not evidence.sections:
        return card
    update: dict[str, object] = {}
    field_evidence: dict[str, Evidence] = dict(card.field_evidence)
    inferred = list(card.inferred)
    warnings = list(card.warnings)
    for field in BODY_FIELDS:
        picked = _pick(field, evidence)
        if picked is None:
            continue
        text, section, certainty = picked
        where = Evidence(
            kind="body",
            file=card.source_path,
            line=section.line,
            path=section.key,
            snippet=section.heading,
            certainty=certainty,
            note=f"read from the body section {section.heading!r}",
        )
        current = getattr(card, field)
        if current:
            if field not in card.inferred and not _same(str(current), text):
                place = f"{card.source_path or 'the body'}:{section.line}"
                warnings.append(
                    f"{field}: the metadata and the body section {section.heading!r} ({place}) "
                    "differ; the metadata's value is kept"
                )
            continue
        update[field] = text
        field_evidence[field] = where
        inferred.append(field)
    if not update and warnings == card.warnings:
        return card
    update["inferred"] = sorted(set(inferred))
    update["field_evidence"] = field_evidence
    update["warnings"] = list(dict.fromkeys(warnings))
    return card.model_copy(update=update)
