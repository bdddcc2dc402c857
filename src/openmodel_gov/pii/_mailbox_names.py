"""Names that a mailbox of the same text spells out.

A pair of words that is written in one case and whose letters an e-mail address of the same
text spells (``Olumide Adeyemi`` and ``o.adeyemi@northwind-labs.io``, ``Marek Zieliński`` and
``marek.zielinski88@wp.pl``, ``Kacper Wójcik`` and ``kacper.w@onet.pl``) is the mailbox owner's
name: a display name, a CSV row, a signature. The e-mail address is personal data itself, so
this rule never flags a text that had no finding. Role mailboxes (``Support Team
<support.team@…>``) spell dictionary words and stay out: one of the two words must be a listed
name or no English word.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

from openmodel_gov.pii._lexicon import is_english
from openmodel_gov.pii._results import PiiFinding

__all__ = ["MailboxNames"]

# Two words of letters on one line, one space or tab apart.
_PAIR = re.compile(r"(?<![\w@.'’/-])([^\W\d_][\w'’-]+)[ \t]([^\W\d_][\w'’-]+)(?![\w@'’/-])")
_LOCAL_SPLIT = re.compile(r"[._+\-\d]+")
_FOLDS = str.maketrans({"ß": "ss", "ł": "l", "ø": "o", "æ": "ae", "œ": "oe", "đ": "d", "ı": "i"})
_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue"})


def _fold(word: str) -> set[str]:
    """``word`` in lower-case ASCII, with German umlauts also as ``ae``/``oe``/``ue``."""
    low = word.lower().replace("'", "").replace("’", "").replace("-", "")
    forms = {low.translate(_UMLAUTS), low}
    return {
        "".join(c for c in unicodedata.normalize("NFKD", f.translate(_FOLDS)) if c.isascii())
        for f in forms
    }


def _one_case(a: str, b: str) -> bool:
    return (
        (a.istitle() and b.istitle())
        or (a.isupper() and b.isupper())
        or (a.islower() and b.islower())
    )


class MailboxNames:
    """Adds the name pairs that an e-mail address of the text spells.

    >>> names = MailboxNames(lambda w: w in {"Olumide"}, frozenset({"support", "team"}))
    >>> text = "ADMIN_CONTACT: Olumide Adeyemi <o.adeyemi@northwind-labs.io>"
    >>> mail = PiiFinding("EMAIL_ADDRESS", 32, 59, 1.0, "EmailRecognizer")
    >>> [text[f.start : f.end] for f in names.add(text, [mail])]
    ['Olumide Adeyemi', 'o.adeyemi@northwind-labs.io']
    """

    def __init__(self, is_name: Callable[[str], bool], english: frozenset[str]) -> None:
        self._is_name = is_name
        self._english = english

    def add(self, text: str, findings: list[PiiFinding]) -> list[PiiFinding]:
        """``findings`` and the name pairs their e-mail addresses spell, in text order."""
        locals_ = [
            text[f.start : f.end].split("@", 1)[0].lower()
            for f in findings
            if f.entity_type == "EMAIL_ADDRESS"
        ]
        if not locals_:
            return findings
        tokens = [[t for t in _LOCAL_SPLIT.split(local) if t] for local in locals_]
        covered = bytearray(len(text))
        for f in findings:
            covered[f.start : f.end] = b"\x01" * (f.end - f.start)
        added = [
            PiiFinding("PERSON", m.start(), m.end(), 0.7, "MailboxName")
            for m in _PAIR.finditer(text)
            if 1 not in covered[m.start() : m.end()]
            and self._spelled(m.group(1), m.group(2), locals_, tokens)
        ]
        return sorted([*findings, *added], key=lambda f: (f.start, f.end)) if added else findings

    def _spelled(self, first: str, last: str, locals_: list[str], tokens: list[list[str]]) -> bool:
        if not _one_case(first, last) or len(last) < 3:
            return False
        if all(
            is_english(w.lower(), self._english) and not self._is_name(w) for w in (first, last)
        ):
            return False  # "Support Team": a role mailbox
        firsts, lasts = _fold(first), _fold(last)
        for local, parts in zip(locals_, tokens, strict=True):
            if any(f + s == local or f[:1] + s == local for f in firsts for s in lasts):
                return True  # "olumideadeyemi", "oadeyemi"
            has_last = bool(lasts & set(parts))
            has_first = bool(firsts & set(parts))
            if has_last and (has_first or any(p == f[:1] for p in parts for f in firsts)):
                return True  # "o.adeyemi", "marek.zielinski88"
            if has_first and any(p == s[:1] for p in parts for s in lasts):
                return True  # "kacper.w"
        return False
