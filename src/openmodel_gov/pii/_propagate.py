"""Later mentions of a person already found in the same text.

A text that names ``Siobhan O'Brien-Kelly`` once usually calls her ``Siobhan`` afterwards, and
a thread that opens with ``From: Konstantinos Georgiou`` says ``Georgiou`` later: the model and
the lists often miss the short forms, alone in a sentence. Once a person is found, each of the
words of the name (three letters or more) is looked for again in the text and every other
whole-word occurrence, in the case it was found in, becomes a finding of the same person.
Words that are common words (English dictionary words, stop words of the target languages),
places, organisations or month names are not propagated: ``Will Ashworth`` does not make every
``will`` a person.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from openmodel_gov.pii._facts import PiiFacts, load_wordlist
from openmodel_gov.pii._lexicon import is_english, stop_words
from openmodel_gov.pii._results import PiiFinding

__all__ = ["NamePropagator"]

_WORD = re.compile(r"[^\W\d_][\w'’-]*[^\W\d_]|[^\W\d_]")
# Not glued to an e-mail address, a handle, a path or a longer word.
_BEFORE = re.compile(r"(?<![\w@./#_-])\Z")
_AFTER = re.compile(r"(?![\w@/_-]|\.[^\W\d_])")
# A capitalised word one space before, and (after optional particles) one space after.
_PREV = re.compile(r"(?<![\w'’-])([A-ZÀ-Ý][\w'’-]+) $")
_NEXT = re.compile(r" ((?:(?:de|da|van|von|der|den|la|le|del|di|du|dos|das) )*)([A-ZÀ-Ý][\w'’-]+)")


class NamePropagator:
    """Adds the other mentions of the words of each person finding.

    >>> from openmodel_gov.pii._facts import load_facts
    >>> names = NamePropagator(load_facts(), english=frozenset({"will"}))
    >>> text = "Employee: Siobhan Keane\\nSiobhan asked for leave; Will agreed."
    >>> found = names.propagate(text, [PiiFinding("PERSON", 10, 23, 0.85, "SpacyRecognizer")])
    >>> [text[f.start : f.end] for f in found]
    ['Siobhan Keane', 'Siobhan']
    """

    def __init__(self, facts: PiiFacts, *, english: frozenset[str]) -> None:
        self._english = english
        self._stop = stop_words()
        self._places = load_wordlist("places")
        self._skip = frozenset(
            w.casefold()
            for w in (
                *facts.month_names,
                *facts.not_person_words,
                *facts.surname_particles,
                *facts.courtesy_titles,
                *facts.greeting_words,  # "Beste Thijs": no neighbouring name word
                *(c for c in facts.person_cues if " " not in c),  # "Atendente Bia"
                *(o for o in facts.known_organisations if " " not in o),
            )
        )

    def propagate(self, text: str, findings: list[PiiFinding]) -> list[PiiFinding]:
        """``findings`` plus the other mentions of their person words."""
        people = [f for f in findings if f.entity_type == "PERSON"]
        if not people:
            return findings
        taken = [(f.start, f.end) for f in findings]
        added: list[PiiFinding] = []
        for word in sorted(set(self._words(text, people))):
            pos = text.find(word)
            while pos >= 0:  # str.find and two compiled checks: no pattern compiled per word
                end = pos + len(word)
                if not (_BEFORE.search(text, max(0, pos - 1), pos) and _AFTER.match(text, end)):
                    pos = text.find(word, pos + 1)
                    continue
                start, stop = self._grow(text, pos, end)
                if all(stop <= s or start >= e for s, e in taken):
                    taken.append((start, stop))
                    added.append(PiiFinding("PERSON", start, stop, 0.6, "NamePropagator"))
                pos = text.find(word, end)
        return sorted([*findings, *added], key=lambda f: (f.start, f.end)) if added else findings

    def _grow(self, text: str, start: int, end: int) -> tuple[int, int]:
        """Over one name-shaped capitalised word right before and after: ``Ramesh Yadav``
        when ``Yadav`` was propagated, ``Sanne de Vries`` when ``Sanne`` was."""
        before = _PREV.search(text, max(0, start - 40), start)
        if before is not None and self._name_shaped(before.group(1)):
            start = before.start(1)
        after = _NEXT.match(text, end)
        if after is not None and self._name_shaped(after.group(2)):
            end = after.end()
        return start, end

    def _name_shaped(self, word: str) -> bool:
        low = word.casefold()
        return not (
            low in self._skip
            or low in self._stop
            or low in self._places
            or is_english(low, self._english)
        )

    def _words(self, text: str, people: Iterable[PiiFinding]) -> Iterable[str]:
        for f in people:
            for m in _WORD.finditer(text, f.start, f.end):
                word = m.group()
                if len(word) < 3 or (word.isupper() and len(word) < 4):
                    continue
                if self._name_shaped(word):
                    yield word
