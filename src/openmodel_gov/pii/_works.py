"""Characters and titles in text about a creative work (a review of a novel, film or game).

A name detector cannot tell a novel's characters from people: both are capitalised names in
running text. What it can see is that a text talks about a work — several words such as
*novel*, *episode*, *protagonist*, *playthrough* — and that a name in it is neither credited
(*directed by*, *written by*, *starring*), signed (*Thanks, Margaret*) nor next to a contact
detail. In such a text the uncredited person names are read as characters, and a Title Case run
in double quotes as a title (``"Margaret on the Stairs"``). Texts about other things that are
named after people — potato and rose varieties, dishes, songs, car models, pets — are read the
same way. The words live in ``recognizers.yaml`` (``creative_work_words``, ``thing_topics``,
``credit_words``).
"""

from __future__ import annotations

import re

from openmodel_gov.pii._config import NATIONAL_IDS
from openmodel_gov.pii._context import line_bounds, title_case, words_pattern
from openmodel_gov.pii._facts import PiiFacts
from openmodel_gov.pii._results import PiiFinding

__all__ = ["WorkFilter"]

# A word as the vocabularies write one: letters with inner hyphens and apostrophes ("b-side",
# "re-read", "spin-off" stay one word), or a run with a digit ("3D").
_TOKEN = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*|[^\W\d_]*\d[\w-]*")
# Findings that tie a name to a real, reachable person when they are on its line or the next.
_CONTACT = frozenset({"EMAIL_ADDRESS", "PHONE_NUMBER"})
# Findings that make a text a record about a person (a patient's note that mentions a dog, a
# claim that mentions a car model): the topic words describe the record, its names are people.
_RECORD = frozenset({*NATIONAL_IDS, "DATE_OF_BIRTH", "US_SSN", "IBAN_CODE", "CREDIT_CARD"})
# A Title Case run in straight or curly double quotes: a title, not a name.
_QUOTED = re.compile(r"[\"“]([A-ZÀ-Ý][^\"“”\n.;:!?]{0,60}?)[,]?[\"”]")


class WorkFilter:
    """Drops person findings that are characters or titles in text about a creative work.

    >>> from openmodel_gov.pii._facts import load_facts
    >>> works = WorkFilter(load_facts())
    >>> text = ("Finished the novel last night. The protagonist, Ilsa Marrow, carries it; "
    ...         "the sequel is out in May. Review by Tom Baker.")
    >>> found = [PiiFinding("PERSON", 48, 59, 0.85), PiiFinding("PERSON", 109, 118, 0.85)]
    >>> [text[f.start : f.end] for f in works.drop(text, found)]
    ['Tom Baker']
    """

    def __init__(self, facts: PiiFacts) -> None:
        vocabularies = [facts.creative_work_words, *facts.thing_topics.values()]
        # one pass over the text for every vocabulary; each word knows its vocabularies
        self._topic_of: dict[str, set[int]] = {}
        for index, words in enumerate(vocabularies):
            for word in words:
                self._topic_of.setdefault(word.lower(), set()).add(index)
        self._longest = max((len(w.split()) for w in self._topic_of), default=1)
        self._credit = re.compile(
            rf"{words_pattern(facts.credit_words).pattern}[\s:,]*$", re.IGNORECASE
        )
        self._min_words = facts.creative_work_min_words
        self._signed = re.compile(
            rf"{words_pattern(facts.sign_offs).pattern}[ \t]*[,!.]?[ \t]*\n?[ \t]*(?:[—–-][ \t]*)?$",
            re.IGNORECASE,
        )

    def about_a_work(self, text: str) -> bool:
        """``text`` names at least ``creative_work_min_words`` different work words.

        >>> from openmodel_gov.pii._facts import load_facts
        >>> works = WorkFilter(load_facts())
        >>> works.about_a_work("Rewatched the film; the plot holds up."), works.about_a_work("Hi Anna")
        (True, False)
        """
        tokens = _TOKEN.findall(text.lower())
        seen: dict[int, set[str]] = {}
        for size in range(1, self._longest + 1):
            for i in range(len(tokens) - size + 1):
                gram = " ".join(tokens[i : i + size])
                for index in self._topic_of.get(gram, ()):
                    seen.setdefault(index, set()).add(gram)
        return any(len(words) >= self._min_words for words in seen.values())

    def drop(self, text: str, findings: list[PiiFinding]) -> list[PiiFinding]:
        """``findings`` without the uncredited person names of a text about a work."""
        if not any(f.entity_type == "PERSON" for f in findings) or not self.about_a_work(text):
            return findings
        if any(f.entity_type in _RECORD for f in findings):
            return findings  # a record about someone (an ID, a date of birth): names are people
        titles = [(m.start(1), m.end(1)) for m in _QUOTED.finditer(text) if title_case(m.group(1))]
        contact_lines = {
            line_bounds(text, f.start)[0] for f in findings if f.entity_type in _CONTACT
        }
        return [
            f
            for f in findings
            if f.entity_type != "PERSON"
            or (
                not any(s <= f.start and f.end <= e for s, e in titles)
                and (
                    self._credited(text, f)
                    or self._signed_off(text, f)
                    or _near_contact(text, f, contact_lines)
                )
            )
        ]

    def _credited(self, text: str, f: PiiFinding) -> bool:
        """``directed by``, ``written by``, ``starring``, ``von``, ``de`` … or a self-introduction
        (``I'm``, ``ich bin``) right before. Not a courtesy title: a novel's characters have
        them (``Mr Knightley``), and so do varieties (``Madame Julia Correvon``)."""
        return self._credit.search(text, max(0, f.start - 30), f.start) is not None

    def _signed_off(self, text: str, f: PiiFinding) -> bool:
        """A signature: the name after a sign-off (``Thanks, Margaret``, ``Cheers\\n– Tom``), or
        alone on the text's last line."""
        if self._signed.search(text, max(0, f.start - 40), f.start):
            return True
        start, end = line_bounds(text, f.start)
        line = text[start:end].strip(" \t-–—,.!")
        return end >= len(text.rstrip()) and line == text[f.start : f.end]


def _near_contact(text: str, f: PiiFinding, contact_lines: set[int]) -> bool:
    """A contact detail on the finding's line or on the line right after it."""
    start, end = line_bounds(text, f.start)
    return start in contact_lines or (end + 1 in contact_lines)
