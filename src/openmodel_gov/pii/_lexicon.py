"""Word lists the name and place rules share: the pipeline's English dictionary and the stop
words of the languages the recognizers target."""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from openmodel_gov.pii._facts import load_wordlist

__all__ = [
    "cased_foreign_text",
    "english_stop_words",
    "english_words",
    "foreign_text",
    "irregular_forms",
    "is_english",
    "non_noun_words",
    "stop_words",
]

# A capitalised word right after a lower-case word or a comma and one space: a capital inside a
# sentence ("pizza Margherita", "sedie di Vienna"), not one that opens a line or a sentence.
_CAPITAL_INSIDE = re.compile(r"(?<=[a-zß-ÿ,] )[A-ZÀ-ÖØ-Þ][a-zß-ÿ]+")
_WORD = re.compile(r"[^\W\d_]+")

# Regular English inflections, tried to find the dictionary form of a word.
_INFLECTIONS = (
    ("ies", "y"), ("es", ""), ("s", ""), ("ing", ""), ("ing", "e"), ("ed", ""), ("ed", "e"),
)  # fmt: skip


def _lemma_table(nlp: Any, name: str) -> Any:
    """The rule lemmatizer's lookup table ``name`` (``lemma_index``, ``lemma_exc``), or
    ``None`` when the pipeline has no lemmatizer or the lemmatizer no such table."""
    if nlp is None or "lemmatizer" not in nlp.component_names:
        return None
    lookups = getattr(nlp.get_pipe("lemmatizer"), "lookups", None)
    if lookups is None or not lookups.has_table(name):
        return None
    return lookups.get_table(name)


def english_words(nlp: Any) -> frozenset[str]:
    """The English word index of the pipeline's rule lemmatizer (WordNet's nouns, verbs,
    adjectives and adverbs), empty when the pipeline has none."""
    table = _lemma_table(nlp, "lemma_index")
    if table is None:
        return frozenset()
    return frozenset(w for words in table.values() for w in words)


def non_noun_words(nlp: Any) -> frozenset[str]:
    """The adjectives, verbs and adverbs of the lemmatizer's word index (``oral``, ``nice``,
    ``reading``): words that are no proper noun, unlike ``munich`` or ``wei``, which WordNet's
    noun index also holds."""
    table = _lemma_table(nlp, "lemma_index")
    if table is None:
        return frozenset()
    return frozenset(w for pos in _NOT_NOUN_POS for w in table.get(pos, ()))


def irregular_forms(nlp: Any) -> frozenset[str]:
    """The irregular inflections of verbs, adjectives and adverbs that the pipeline's rule
    lemmatizer lists as exceptions (``took``, ``ran``, ``better``): words that the word index
    of :func:`non_noun_words` holds only as their lemma. Some are also names (``drew``,
    ``rose``, ``manning``); callers that ask about names take those out."""
    table = _lemma_table(nlp, "lemma_exc")
    if table is None:
        return frozenset()
    return frozenset(w for pos in _NOT_NOUN_POS for w in table.get(pos, {}))


# The lemmatizer's parts of speech that are no proper noun.
_NOT_NOUN_POS = ("adj", "adv", "verb")


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


@cache
def english_stop_words() -> frozenset[str]:
    """spaCy's English stop words (``the``, ``and``, ``in``), lower case. The English language
    module is loaded with the pipeline, so this import costs nothing more."""
    from spacy.lang.en.stop_words import STOP_WORDS

    return frozenset(STOP_WORDS)


def cased_foreign_text(text: str, ignore: str = "") -> bool:
    """``text`` is written in another language than English (:func:`foreign_text`) and with
    capitals inside its sentences (``Menu del bar in sala: pizza Margherita``): its writer
    capitalises names, so a lower-case word there is a common word, not a place. A chat written
    all in lower case (``timo hängt noch in deutz fest``) is not such a text.

    >>> cased_foreign_text("Vendo la borsa in tela del negozio, modello Portofino.", ignore="in")
    True
    >>> cased_foreign_text("der hängt aber noch in deutz fest", ignore="in")
    False
    >>> cased_foreign_text("she moved to leeds with Tom last year", ignore="to")
    False
    """
    return foreign_text(text, ignore) and _CAPITAL_INSIDE.search(text) is not None


def foreign_text(text: str, ignore: str = "") -> bool:
    """More of ``text``'s words are stop words of German, French, Spanish, Italian, Portuguese,
    Dutch or Polish (and not of English) than of English, the word ``ignore`` not counted (the
    word a rule asks about: ``in`` is a stop word of four of the languages).

    >>> foreign_text("im ernst, das war der Hund", "im"), foreign_text("im jess, from leeds", "im")
    (True, False)
    """
    english = english_stop_words()
    foreign = stop_words()
    words = [w for w in (w.casefold() for w in _WORD.findall(text)) if w != ignore]
    n_english = sum(w in english for w in words)
    return sum(w in foreign and w not in english for w in words) > n_english
