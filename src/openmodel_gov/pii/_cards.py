"""Payment cards: brand prefixes and lengths, Luhn, and the numbers that only look like one
(references after an order word, short numbers without a card word, published test numbers)."""

from __future__ import annotations

import re

from presidio_analyzer import Pattern, PatternRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from openmodel_gov.pii._checksums import luhn_ok
from openmodel_gov.pii._code import is_code
from openmodel_gov.pii._context import (
    column_header,
    inside_iban_shape,
    line_bounds,
    reference_before,
    words_pattern,
)
from openmodel_gov.pii._facts import PiiFacts

__all__ = ["CardRecognizer"]


class CardRecognizer(PatternRecognizer):
    """Payment cards by IIN prefix, length and Luhn (adds Mastercard 2-series and Maestro; a
    12-digit Maestro number needs a card word on its line)."""

    CONTEXT = ("credit", "card", "visa", "mastercard", "maestro", "amex", "cc", "payment")

    def __init__(self, *, facts: PiiFacts, supported_language: str) -> None:
        self._brands = facts.card_brands
        self._reference = reference_before(facts)
        self._reference_words = frozenset(w.casefold() for w in facts.phone_reference_words)
        self._card_word = words_pattern(self.CONTEXT)
        self._test_numbers = frozenset(facts.card_test_numbers)
        self._test_word = words_pattern(facts.card_test_words)
        self._card_named = words_pattern(facts.card_words) if facts.card_words else None
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
                # 4.4.4.4: printed with dots on some European receipts and forms.
                Pattern("card (dotted)", r"(?<![\w.-])\d{4}(?:\.\d{4}){3}(?![\w-]|\.\d)", 0.3),
            ],
            context=list(self.CONTEXT),
        )

    def analyze(
        self,
        text: str,
        entities: list[str],
        nlp_artifacts: NlpArtifacts | None = None,
        regex_flags: int | None = None,
    ) -> list[RecognizerResult]:
        """Card numbers; a 12-digit one (Maestro) only with a card word on its line: one
        12-digit order or reference number in ten passes the Luhn check."""
        found = super().analyze(text, entities, nlp_artifacts, regex_flags)
        return [
            r
            for r in found
            if self._long_or_cued(text, r.start, r.end)
            and not self._reference.search(text, max(0, r.start - 24), r.start)  # "Order #4417…"
            and not self._test_card(text, r.start, r.end)
            and not inside_iban_shape(text, r.start, r.end)  # "DE12 5001 0517 5419 3874 62"
            and self._grouped_or_named(text, r.start, r.end)
        ]

    def _grouped_or_named(self, text: str, start: int, end: int) -> bool:
        """Printed in groups (``4532 0177 8230 5612``), or the text names a card or a payment
        and the number's column, if any, names no reference (``ean``, ``sku``) instead."""
        if not text[start:end].isdigit() or self._card_named is None:
            return True
        header = column_header(text, start)
        if (
            header is not None
            and self._card_named.search(header) is None
            and any(w in self._reference_words for w in re.split(r"[\W_]+", header))
        ):
            return False  # "ean" column: 4044071031102 is an article number
        return self._card_named.search(text) is not None

    def _test_card(self, text: str, start: int, end: int) -> bool:
        """A published test number in a text that says so anywhere (``TEST_CARDS``,
        ``sandbox``) or in code; a dummy one (``4111 1111 1111 1111``) in a line that says so."""
        digits = re.sub(r"\D", "", text[start:end])
        if digits in self._test_numbers:
            return bool(self._test_word.search(text)) or is_code(text)  # "TEST_CARDS = [...]"
        if not _dummy_digits(digits):
            return False
        line_start, line_end = line_bounds(text, start)
        return bool(self._test_word.search(text, line_start, line_end)) or is_code(text)

    def _long_or_cued(self, text: str, start: int, end: int) -> bool:
        if sum(c.isdigit() for c in text[start:end]) >= 13:
            return True
        line_start, line_end = line_bounds(text, start)
        return self._card_word.search(text, line_start, max(line_end, end)) is not None

    def validate_result(self, pattern_text: str) -> bool:
        """True for a Luhn-valid number of a known brand's prefix and length."""
        digits = re.sub(r"[ .-]", "", pattern_text)
        if not 12 <= len(digits) <= 19 or not digits.isdigit():
            return False
        groups = [len(g) for g in re.split(r"[ .-]", pattern_text)]
        if len(groups) > 1 and not (
            groups[0] == 4
            and ((all(g == 4 for g in groups[1:-1]) and groups[-1] <= 4) or groups[1:2] == [6])
        ):
            return False  # card numbers are printed 4-4-4-4(-3) or 4-6-5 / 4-6-4
        return luhn_ok(digits) and any(brand.matches(digits) for brand in self._brands)


def _dummy_digits(digits: str) -> bool:
    """Three different digits or fewer, or a run of six equal ones: a dummy card number.

    >>> _dummy_digits("4111111111111111"), _dummy_digits("4532017782305612")
    (True, False)
    """
    return len(set(digits)) <= 3 or re.search(r"(\d)\1{5}", digits) is not None
