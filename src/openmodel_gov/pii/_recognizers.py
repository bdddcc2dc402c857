"""Presidio recognizers of ours that close known gaps, and an NLP engine around a loaded pipeline.

Imported only by :mod:`openmodel_gov.pii._engine` when a detector is built, because it imports
Presidio, spaCy, phonenumbers and tldextract at module level.
"""

from __future__ import annotations

import re
from typing import Any

import tldextract
from presidio_analyzer import EntityRecognizer, Pattern, PatternRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NerModelConfiguration, NlpArtifacts, SpacyNlpEngine
from presidio_analyzer.predefined_recognizers import (
    EmailRecognizer,
    IpRecognizer,
    PhoneRecognizer,
)

from openmodel_gov.pii._facts import PiiFacts

__all__ = [
    "CardRecognizer",
    "LoadedSpacyNlpEngine",
    "OfflineEmailRecognizer",
    "StrictIpRecognizer",
    "StrictPhoneRecognizer",
    "luhn_ok",
]


class LoadedSpacyNlpEngine(SpacyNlpEngine):
    """Presidio's spaCy engine around an already-loaded ``Language``: never loads, never downloads.

    Lemmas fall back to the lower-cased token when the lemmatizer is disabled, so Presidio's
    context words still match.
    """

    def __init__(self, nlp: Any, language: str) -> None:
        super().__init__(
            models=[{"lang_code": language, "model_name": "<preloaded>"}],
            ner_model_configuration=NerModelConfiguration(),
        )
        self.nlp = {language: nlp}  # type: ignore[assignment]  # Presidio types it None

    def load(self) -> None:
        """Nothing to load: the pipeline was given to the constructor."""

    def doc_to_artifacts(self, doc: Any, language: str) -> NlpArtifacts:
        """Presidio artifacts for an already-processed spaCy ``Doc``."""
        return self._doc_to_nlp_artifact(doc, language)

    def _doc_to_nlp_artifact(self, doc: Any, language: str) -> NlpArtifacts:
        entities, scores = self._get_updated_entities(
            self._get_entities(doc), self._get_scores_for_entities(doc)
        )
        return NlpArtifacts(
            entities=entities,
            tokens=doc,
            tokens_indices=[t.idx for t in doc],
            lemmas=[t.lemma_ or t.lower_ for t in doc],
            nlp_engine=self,
            language=language,
            scores=scores,
        )


class OfflineEmailRecognizer(EmailRecognizer):
    """Presidio's email recognizer with ``tldextract`` on its bundled suffix list (no PSL fetch)."""

    def __init__(self, *, supported_language: str) -> None:
        super().__init__(supported_language=supported_language)
        self._extract = tldextract.TLDExtract(
            cache_dir=None, suffix_list_urls=(), fallback_to_snapshot=True
        )

    def analyze(
        self,
        text: str,
        entities: list[str],
        nlp_artifacts: NlpArtifacts | None = None,
        regex_flags: int | None = None,
    ) -> list[RecognizerResult]:
        """Presidio's matches, minus a ``key=`` / ``key:`` prefix glued to the address."""
        found = super().analyze(text, entities, nlp_artifacts, regex_flags)
        for result in found:
            local = text[result.start : result.end].split("@", 1)[0]
            cut = max(local.rfind("="), local.rfind(":"))
            if 0 <= cut < len(local) - 1:
                result.start += cut + 1
        return found

    def validate_result(self, pattern_text: str) -> bool:
        """True when the domain ends in a known public suffix."""
        domain = pattern_text.rsplit("@", 1)[-1]
        return bool(self._extract(domain).fqdn)


def luhn_ok(digits: str) -> bool:
    """The Luhn (mod 10) check of ISO/IEC 7812-1, annex B.

    >>> luhn_ok("4111111111111111"), luhn_ok("4111111111111112")
    (True, False)
    """
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = ord(char) - 48
        if index % 2:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


class CardRecognizer(PatternRecognizer):
    """Payment cards by IIN prefix, length and Luhn (adds Mastercard 2-series and Maestro)."""

    CONTEXT = ("credit", "card", "visa", "mastercard", "maestro", "amex", "cc", "payment")

    def __init__(self, *, facts: PiiFacts, supported_language: str) -> None:
        self._brands = facts.card_brands
        super().__init__(
            supported_entity="CREDIT_CARD",
            name="CardRecognizer",
            supported_language=supported_language,
            patterns=[
                # 12-19 digits, optionally in groups split by one space or dash.
                Pattern(
                    "card (grouped)", r"(?<![\w.-])\d{2,6}(?:[ -]\d{2,6}){1,5}(?![\w-]|\.\d)", 0.3
                ),
                Pattern("card (plain)", r"(?<![\w.-])\d{12,19}(?![\w-]|\.\d)", 0.3),
            ],
            context=list(self.CONTEXT),
        )

    def validate_result(self, pattern_text: str) -> bool:
        """True for a Luhn-valid number of a known brand's prefix and length."""
        digits = re.sub(r"[ -]", "", pattern_text)
        if not 12 <= len(digits) <= 19 or not digits.isdigit():
            return False
        groups = [len(g) for g in re.split(r"[ -]", pattern_text)]
        if len(groups) > 1 and not (
            groups[0] == 4
            and ((all(g == 4 for g in groups[1:-1]) and groups[-1] <= 4) or groups[1:2] == [6])
        ):
            return False  # card numbers are printed 4-4-4-4(-3) or 4-6-5 / 4-6-4
        return luhn_ok(digits) and any(brand.matches(digits) for brand in self._brands)


_SSN_SHAPE = re.compile(r"\d{3}-\d{2}-\d{4}")
_DECIMAL = re.compile(r"\d+[.,]\d+")


class StrictPhoneRecognizer(PhoneRecognizer):
    """libphonenumber-valid numbers; a bare digit run also needs a context word before it."""

    def __init__(self, *, facts: PiiFacts, supported_language: str) -> None:
        super().__init__(
            context=list(facts.phone_context),
            supported_language=supported_language,
            supported_regions=facts.phone_regions,
            leniency=1,
            name="StrictPhoneRecognizer",
        )
        self._context = tuple(word.lower() for word in facts.phone_context)
        self._window = facts.phone_bare_digits_context_window
        self._min_digits = facts.phone_min_digits

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        """Presidio's phone matching, minus bare digit runs without a context word."""
        results: list[RecognizerResult] = []
        for result in super().analyze(text, entities, nlp_artifacts):  # type: ignore[arg-type]
            raw = text[result.start : result.end]
            before = text[result.start - 1 : result.start] if result.start else ""
            after = text[result.end : result.end + 2]
            if (
                _SSN_SHAPE.fullmatch(raw)
                or _DECIMAL.fullmatch(raw)
                or sum(c.isdigit() for c in raw) < self._min_digits
                or "/" in raw
                or before in ("/", ".", ",")
                or after[:1] == "/"
                or (after[:1] in ".," and after[1:2].isdigit())
            ):
                continue
            if raw.isdigit():
                before = text[max(0, result.start - self._window) : result.start].lower()
                if not any(word in before for word in self._context):
                    continue
            results.append(result)
        return results


class StrictIpRecognizer(IpRecognizer):
    """Presidio's IP recognizer minus dotted quads written as versions (``v1.2.3.4``)."""

    def __init__(self, *, facts: PiiFacts, supported_language: str) -> None:
        super().__init__(supported_language=supported_language, name="StrictIpRecognizer")
        words = "|".join(re.escape(w) for w in facts.ip_negative_prefixes)
        self._version_before = re.compile(rf"(?:\b(?:{words})[ =:]?|\bv)$", re.IGNORECASE)

    def analyze(
        self,
        text: str,
        entities: list[str],
        nlp_artifacts: NlpArtifacts | None = None,
        regex_flags: int | None = None,
    ) -> list[RecognizerResult]:
        """IP matches whose preceding word does not mark a version."""
        found = super().analyze(text, entities, nlp_artifacts, regex_flags)
        return [
            r
            for r in found
            if not self._version_before.search(text[max(0, r.start - 12) : r.start])
        ]


def pattern_recognizer(
    *,
    entity_type: str,
    name: str,
    language: str,
    patterns: list[tuple[str, str, float]],
    deny_list: list[str],
    context: list[str],
) -> EntityRecognizer:
    """A Presidio ``PatternRecognizer`` from plain values (custom recognizers, deny lists)."""
    options: dict[str, Any] = {}
    if patterns:
        options["patterns"] = [Pattern(n, r, s) for n, r, s in patterns]
    if deny_list:
        options["deny_list"] = deny_list
    if context:
        options["context"] = context
    return PatternRecognizer(
        supported_entity=entity_type, name=name, supported_language=language, **options
    )
