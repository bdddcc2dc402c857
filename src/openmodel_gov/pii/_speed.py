"""Speed-ups around Presidio's analysis that do not change what is found.

* :class:`FastContextEnhancer`: Presidio's ``LemmaContextAwareEnhancer`` finds the token of
  each match by walking every token of the text (building a spaCy ``Token`` object per step),
  for every result; this one finds the same token by binary search over the token offsets and
  skips the deep copy of results the analyzer discards anyway. Same token, same context
  words, same scores.
* :func:`entities_for`: entity types whose values cannot occur in a text are not asked for
  (a pattern type needs a minimum number of digits, an e-mail address an ``@``), so their
  pattern recognizers do not run on it. The minimum digit counts are facts of the formats
  (``entity_min_digits`` in ``recognizers.yaml``).

Imported lazily (it imports Presidio), like :mod:`openmodel_gov.pii._recognizers`.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Mapping, Sequence
from typing import Any

from presidio_analyzer import RecognizerResult
from presidio_analyzer.context_aware_enhancers import LemmaContextAwareEnhancer

__all__ = ["FastContextEnhancer", "digit_count", "entities_for"]


class FastContextEnhancer(LemmaContextAwareEnhancer):
    """Presidio's lemma context enhancer with a binary search for the token of a match."""

    def enhance_using_context(
        self,
        text: str,
        raw_results: list[RecognizerResult],
        nlp_artifacts: Any,
        recognizers: list[Any],
        context: list[str] | None = None,
    ) -> list[RecognizerResult]:
        """Presidio's enhancement, skipped when no result comes from a recognizer with
        context words (nothing could change)."""
        with_context = {r.id for r in recognizers if getattr(r, "context", None)}
        key = RecognizerResult.RECOGNIZER_IDENTIFIER_KEY
        if not context and not any(
            (r.recognition_metadata or {}).get(key) in with_context for r in raw_results
        ):
            return raw_results
        return super().enhance_using_context(text, raw_results, nlp_artifacts, recognizers, context)

    @staticmethod
    def _find_index_of_match_token(
        word: str, start: int, tokens: Any, tokens_indices: list[int]
    ) -> int:
        """The first token that starts at ``start`` or ends after it (Presidio's rule)."""
        if not tokens_indices:
            raise ValueError(f"no tokens to hold a match at {start}")
        i = bisect_right(tokens_indices, start) - 1
        if i < 0:
            return 0
        if tokens_indices[i] == start or start < tokens_indices[i] + len(tokens[i]):
            return i
        if i + 1 < len(tokens_indices):
            return i + 1
        raise ValueError(f"no token holds a match at {start}")


def digit_count(text: str) -> int:
    """Number of ASCII digits in ``text``.

    >>> digit_count("tel +44 20 7946 0958")
    12
    """
    return len(text) - len(text.translate(_DROP_DIGITS))


_DROP_DIGITS = str.maketrans("", "", "0123456789")


def entities_for(text: str, entities: Sequence[str], min_digits: Mapping[str, int]) -> list[str]:
    """The entity types of ``entities`` whose values can occur in ``text``.

    >>> entities_for("mail me", ["PERSON", "EMAIL_ADDRESS", "PHONE_NUMBER"], {"PHONE_NUMBER": 7})
    ['PERSON']
    >>> entities_for("a@b.org 555 0100 22", ["EMAIL_ADDRESS", "PHONE_NUMBER"], {"PHONE_NUMBER": 7})
    ['EMAIL_ADDRESS', 'PHONE_NUMBER']
    """
    digits = digit_count(text) if min_digits else 0
    has_at = "@" in text
    return [
        e for e in entities if digits >= min_digits.get(e, 0) and (has_at or e != "EMAIL_ADDRESS")
    ]
