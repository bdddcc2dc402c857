"""spaCy's PERSON / LOCATION spans, trimmed and checked before they become findings.

A small English pipeline labels run-on spans (``Name: ROBERT FISCHER / Company``), form words
in other languages and technical terms as names; :class:`NerSpanCleaner` keeps the longest
separator-free piece of a span and drops it unless it reads as a name or place of the shipped
lists (:mod:`openmodel_gov.pii._facts`). No Presidio import.
"""

from __future__ import annotations

import re
from typing import Any

from openmodel_gov.pii._context import line_bounds
from openmodel_gov.pii._facts import PiiFacts, load_wordlist
from openmodel_gov.pii._lexicon import english_words, foreign_text, is_english, stop_words

__all__ = ["NerSpanCleaner"]

# Small words inside place names: "Frankfurt am Main", "Isle of Man", "Via dei Mille".
_PLACE_WORDS = frozenset(
    ("am", "an", "im", "ob", "upon", "on", "sur", "en", "of", "the", "dei", "degli", "delle",
     "des", "les", "los", "las", "lès", "sous", "bei", "nad", "pod", "i", "d", "l")
)  # fmt: skip
# Conjunctions inside Iberian names ("Ortega y Gasset", "Sousa e Silva").
_NAME_CONJUNCTIONS = frozenset(("y", "e"))


_CITATION = re.compile(r"\s*(?:\(\s*(?:1[89]|20)\d\d|,\s*(?:1[89]|20)\d\d\b|et al\b)")


# A dot between two lower-case letters: a code identifier or a file name, never a name or place.
_DOTTED_IDENTIFIER = re.compile(r"[a-z]\.[a-z]")


def _in_compound(text: str, start: int, end: int) -> bool:
    """Part of a hyphenated compound the span does not cover: ``Newton`` in ``Newton-Raphson``,
    ``Turing`` in ``Church-Turing`` (eponymous methods, not people or places)."""
    after = text[end : end + 2]
    before = text[max(0, start - 2) : start]
    return (len(after) == 2 and after[0] == "-" and after[1].isalpha()) or (
        len(before) == 2 and before[1] == "-" and before[0].isalpha()
    )


# A day of the month right after a month name: "Mar 11", "May 3rd", "June 21,".
_LABEL_COLON = re.compile(r"[ \t]*:")
# A German definite article (not "Den": "Den Haag") starting a span.
_GERMAN_ARTICLE = re.compile(r"(?:Der|Die|Das|Dem|Des|DER|DIE|DAS) ")
# A Markdown heading line (CommonMark 4.2: up to three spaces, 1-6 "#", a space) and its end.
_HEADING = re.compile(r" {0,3}#{1,6}[ \t]")
_HEADING_END = re.compile(r"[ \t#]*(?:\n|$)")
_DAY_AFTER = re.compile(r"\.? {1,2}\d{1,2}(?:st|nd|rd|th)?\b")


# The word right before a span, one space or tab away ("your" of "in your Admin Console").
_WORD_BEFORE = re.compile(r"(?<![^\W\d_])([^\W\d_]+)[ \t]\Z")
# The last word of a span and the spaces before it.
_LAST_WORD = re.compile(r"[ \t]+(\w+)$")


class NerSpanCleaner:
    """Trims and vets spaCy NER spans with the words and separators of ``facts``."""

    def __init__(self, facts: PiiFacts, *, nlp: Any = None) -> None:
        self._english = english_words(nlp)
        self._particles = frozenset(facts.surname_particles) | _NAME_CONJUNCTIONS
        self._place_particles = self._particles | _PLACE_WORDS
        self._geo = frozenset(
            w.casefold() for w in (*facts.geographic_words, *facts.street_suffixes_en)
        )
        self._reject = frozenset(facts.ner_reject_chars)
        self._colours = frozenset(w.casefold() for w in facts.colour_words)
        self._not_words = {
            "PERSON": frozenset(facts.not_person_words),
            "LOCATION": frozenset(facts.not_location_words),
        }
        self._orgs = frozenset(o.casefold() for o in facts.known_organisations)
        self._months = frozenset(m.casefold() for m in facts.month_names)
        self._place_names = load_wordlist("places")
        self._leads = frozenset(facts.ner_noun_phrase_leads)
        self._contractions = frozenset(facts.article_contractions)
        self._capitalized = facts.ner_require_capitalized
        self._split = re.compile("|".join(re.escape(s) for s in facts.ner_split))
        self._labels = frozenset(
            w.casefold()
            for w in (
                *facts.not_person_words,
                *facts.not_location_words,
                *facts.person_columns,
                *facts.location_columns,
            )
        )
        self._surname_cue = re.compile(
            r"(?:^|[^\w.])(?:"
            + "|".join(map(re.escape, facts.surname_alone_cues))
            + r")\.?[ ,:]*$",
            re.IGNORECASE,
        )
        self._lead = re.compile(  # used with .match(text, s, e): anchored at s (no "^", which
            r"(?:(?:"  # would only match at the text's or a line's start)
            + "|".join(
                map(
                    re.escape,
                    sorted(
                        {
                            *facts.ner_strip_leading_words,
                            *facts.greeting_words,
                            *facts.person_cues,
                            *facts.surname_alone_cues,
                        },
                        key=len,
                        reverse=True,
                    ),
                )
            )
            + r")\b\W*)+",
            re.IGNORECASE,
        )

    def clean(self, text: str, start: int, end: int, entity_type: str) -> tuple[int, int] | None:
        """Trim an NER span to its longest separator-free piece; ``None`` if it is not a name."""
        pieces: list[tuple[int, int]] = []
        cursor = start
        for sep in self._split.finditer(text, start, end):
            pieces.append((cursor, sep.start()))
            cursor = sep.end()
        pieces.append((cursor, end))
        s, e = max(pieces, key=lambda p: (p[1] - p[0], -p[0]))
        lead = self._lead.match(text, s, e)
        if lead:
            s = lead.end()
        while s < e and not text[s].isalnum():
            s += 1
        while e > s and not (text[e - 1].isalnum() or text[e - 1] == "."):
            e -= 1
        if entity_type == "PERSON":  # "Taylor de la [serie 100]": a name ends in no particle
            while (tail := _LAST_WORD.search(text, s, e)) and tail.group(1) in self._particles:
                e = tail.start()
        return None if self._rejected(text, s, e, entity_type) else (s, e)

    def _noun_phrase(self, text: str, s: int, value: str, entity_type: str) -> bool:
        """A span that opens with a German article or a possessive, or a place reading after a
        possessive ("in your Admin Console"; "my Tom" stays a name), and is no known place; or
        a one-word span right after a German article contraction in text that is not English
        ("Im Ernst"; "Im Jess" in an English chat is "I'm Jess"; "im Garten von Ernst Bauer"
        holds a name after the noun)."""
        before = _WORD_BEFORE.search(text, max(0, s - 16), s)
        lead = (
            bool(_GERMAN_ARTICLE.match(value))
            or value.split(" ", 1)[0].casefold() in self._leads
            or (
                entity_type != "PERSON"
                and before is not None
                and before.group(1).casefold() in self._leads
            )
        )
        if lead:
            return value.casefold() not in self._place_names
        return (  # "Im Ernst", "im Garten": an article's noun in German text
            " " not in value
            and before is not None
            and before.group(1).casefold() in self._contractions
            and foreign_text(text, ignore=before.group(1).casefold())
        )

    def _rejected(self, text: str, s: int, e: int, entity_type: str) -> bool:
        """Whether the trimmed span ``text[s:e]`` is not a name or place (see the checks)."""
        value = text[s:e]
        if not value or self._reject.intersection(value) or self._in_header(text, s, e):
            return True
        if _in_compound(text, s, e) or _DOTTED_IDENTIFIER.search(value):
            return True  # "Newton-Raphson", "InvoiceService.settle"
        if self._not_word(value, entity_type) or value.casefold() in self._orgs:
            return True
        if self._layout_word(text, s, e):
            return True
        if self._noun_phrase(text, s, value, entity_type):
            return True  # "Die Schriftführerin", "Ihrem Kundenkonto": a noun phrase
        if not self._in_lists(value, entity_type):
            return True
        if entity_type == "PERSON" and not self._surname_alone_ok(text, s, e):
            return True
        if self._english and self._phrase(value, entity_type):
            return True
        if self._colour(value):
            return True
        return entity_type in self._capitalized and (
            not value[0].isupper() or not any(c.islower() for c in value)
        )

    def _not_word(self, value: str, entity_type: str) -> bool:
        """A label or role (``Maintainer``, ``Tel``), or a person span ending in a role word
        (``Dev Support``, ``Payments Team``: a team, not a person)."""
        not_words = self._not_words.get(entity_type, ())
        if value.lower() in not_words:
            return True
        last = value.rsplit(" ", 1)[-1].lower()
        return entity_type == "PERSON" and " " in value and last in not_words

    def _colour(self, value: str) -> bool:
        """``Midnight Black``, ``Space Grey``: a product colour, not a name or place (``Jack
        White`` starts with a first name and stays)."""
        words = value.casefold().split()
        return (
            len(words) > 1
            and words[-1] in self._colours
            and words[0] not in load_wordlist("first_names")
        )

    def _layout_word(self, text: str, s: int, e: int) -> bool:
        """A date, label or heading, not a name: ``Mar 11 03:14:07`` (a syslog date), ``Ville :
        ____`` (a form label), ``#### Data Fields`` (a Markdown heading)."""
        value = text[s:e].casefold()
        return bool(
            (value in self._months and _DAY_AFTER.match(text, e))
            or (value in self._labels and _LABEL_COLON.match(text, e))
            or (_HEADING.match(text, line_bounds(text, s)[0]) and _HEADING_END.match(text, e))
        )

    def _phrase(self, value: str, entity_type: str) -> bool:
        """A phrase, not a name or place: a person span holding a stop word of a target
        language that is no first name ("Ihre Steuer-ID", "lo que") or led or ended by an
        inflected dictionary word that is no name ("Claims Handler", "Siri Shortcuts"); a place
        span of dictionary words only ("oral", "Echo Show") or ending in a lower-case stop word
        ("Propongo el")."""
        words = re.findall(r"[^\W\d_]+", value)
        if entity_type == "LOCATION":
            # "Propongo el": a verb and an article; no place ends in a lower-case stop word
            ends_in_stop = len(words) > 1 and words[-1].islower() and words[-1] in stop_words()
            return ends_in_stop or self._dictionary_place(value, words)
        if entity_type != "PERSON":
            return False
        first = load_wordlist("first_names")
        low = [w.casefold() for w in words]
        if any(
            len(w) > 1 and w in stop_words() and w not in first and w not in self._particles
            for w in low
        ):
            return True
        if len(words) < 2 or not words[0][:1].isupper():
            return False
        last = load_wordlist("last_names")
        return any(
            w not in first
            and w not in last
            and w not in self._english
            and is_english(w, self._english)
            for w in (low[0], low[-1])
        )

    def _dictionary_place(self, value: str, words: list[str]) -> bool:
        """A lower-case place span of dictionary words, or a multi-word one whose words are all
        dictionary words that are no place or geographic word ("Echo Show")."""
        if value.islower():
            return all(is_english(w, self._english) for w in words)
        places = load_wordlist("places")
        return (
            len(words) > 1
            and value.casefold() not in places
            and all(
                is_english(w.casefold(), self._english)
                and w.casefold() not in places
                and w.casefold() not in self._geo
                for w in words
            )
        )

    def _surname_alone_ok(self, text: str, start: int, end: int) -> bool:
        """A one-word PERSON that is only a surname needs a title or greeting before it, or a
        citation year after it; first names and longer spans need nothing."""
        value = text[start:end]
        if " " in value or value.casefold() in load_wordlist("first_names"):
            return True
        line_start = text.rfind("\n", 0, start) + 1
        if self._surname_cue.search(text, max(line_start, start - 24), start):
            return True
        return _CITATION.match(text, end) is not None

    def _in_header(self, text: str, start: int, end: int) -> bool:
        """Whether ``text[start:end]`` is a cell of a header line: a line of cells split by one
        delimiter (``,``, ``;``, ``|``, tab) of which at least two others are column labels
        (``Name,Email,Tel,Mobile``)."""
        line_start = text.rfind("\n", 0, start) + 1
        line_end = text.find("\n", end)
        line = text[line_start : len(text) if line_end < 0 else line_end]
        for delim in (",", ";", "|", "\t"):
            cells = [c.strip().strip("\"'").strip().casefold() for c in line.split(delim)]
            if len(cells) < 4:
                continue
            value = text[start:end].casefold()
            labels = sum(c in self._labels for c in cells if c != value)
            if value in cells and labels >= 2:
                return True
        return False

    def _in_lists(self, value: str, entity_type: str) -> bool:
        """Whether a spaCy PERSON / LOCATION span has support in the shipped name / place lists.

        spaCy's small English model labels form words in other languages (``Anschrift``,
        ``Pozdrawiam``) and technical terms (``MinHash``) as names: a PERSON span needs at least
        one known first name or surname, a one-word LOCATION a known place.
        """
        raw = re.findall(r"[^\W\d_]+", value)
        words = [w.casefold() for w in raw]
        if entity_type == "PERSON":
            first, last = load_wordlist("first_names"), load_wordlist("last_names")
            particles = self._particles
            if any(w.islower() and w not in particles for w in raw) and not value.islower():
                return False  # "Fecha de nacimiento": a phrase, not a name
            if len(words) > 1 and value.casefold() in load_wordlist("places"):
                return False  # "Belo Horizonte": a known place, not a name
            return any((w in first or w in last) and w not in particles for w in words)
        if entity_type == "LOCATION" and len(words) == 1:
            return words[0] in load_wordlist("places") or value.isupper()
        if entity_type == "LOCATION" and not value.islower():
            # "Sie mich": a phrase; "Frankfurt am Main", "Isle of Man" keep their small words
            return not any(w.islower() and w not in self._place_particles for w in raw)
        return True
