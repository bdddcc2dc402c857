"""Word lists the name and place rules share: the pipeline's English dictionary and the stop
words of the languages the recognizers target."""

from __future__ import annotations

from typing import Any

from openmodel_gov.pii._facts import load_wordlist

__all__ = ["english_words", "is_english", "non_noun_words", "stop_words"]

# Regular English inflections, tried to find the dictionary form of a word.
_INFLECTIONS = (
    ("ies", "y"), ("es", ""), ("s", ""), ("ing", ""), ("ing", "e"), ("ed", ""), ("ed", "e"),
)  # fmt: skip


def english_words(nlp: Any) -> frozenset[str]:
    """The English word index of the pipeline's rule lemmatizer (WordNet's nouns, verbs,
    adjectives and adverbs), empty when the pipeline has none."""
    if nlp is None or "lemmatizer" not in nlp.component_names:
        return frozenset()
    lookups = getattr(nlp.get_pipe("lemmatizer"), "lookups", None)
    if lookups is None or not lookups.has_table("lemma_index"):
        return frozenset()
    return frozenset(w for words in lookups.get_table("lemma_index").values() for w in words)


def non_noun_words(nlp: Any) -> frozenset[str]:
    """The adjectives, verbs and adverbs of the lemmatizer's word index (``oral``, ``nice``,
    ``reading``): words that are no proper noun, unlike ``munich`` or ``wei``, which WordNet's
    noun index also holds."""
    if nlp is None or "lemmatizer" not in nlp.component_names:
        return frozenset()
    lookups = getattr(nlp.get_pipe("lemmatizer"), "lookups", None)
    if lookups is None or not lookups.has_table("lemma_index"):
        return frozenset()
    table = lookups.get_table("lemma_index")
    return frozenset(w for pos in ("adj", "adv", "verb") for w in table.get(pos, ()))


def is_english(low: str, english: frozenset[str]) -> bool:
    """``low`` (lower case) is a dictionary word or a regular inflection of one.

    >>> is_english("traders", frozenset({"trader"}))
    True
    >>> is_english("petrov", frozenset({"trader"}))
    False
    """
    if low in english:
        return True
    return any(
        low.endswith(suffix)
        and len(low) > len(suffix) + 2
        and low[: len(low) - len(suffix)] + base in english
        for suffix, base in _INFLECTIONS
    )


def stop_words() -> frozenset[str]:
    """The stop words of English, German, French, Spanish, Italian, Portuguese, Dutch and Polish
    (``ihre``, ``que``, ``mich``), lower case: spaCy's lists, shipped as ``stop_words.txt``
    (importing them from spaCy would load each language's tokenizer, seconds per process)."""
    return load_wordlist("stop_words")
