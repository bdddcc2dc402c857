"""Tell a national ID or SSN reading from a number that only has its shape: a piece of a longer
number, a format template or dummy, a company register's number, a code under a reference
column or another identifier's key."""

from __future__ import annotations

import re

from openmodel_gov.pii._checksums import codice_fiscale_ok
from openmodel_gov.pii._config import NATIONAL_IDS
from openmodel_gov.pii._context import alternation, column_header, key_before, words_pattern
from openmodel_gov.pii._facts import PiiFacts
from openmodel_gov.pii._spans import not_an_id

__all__ = ["IdFilter"]


class IdFilter:
    """Drops national ID and SSN readings that are none (see :meth:`not_a_person_id`).

    ``cues`` maps an identifier type to the pattern of its own context words (``PESEL``,
    ``Steuer``), as :func:`openmodel_gov.pii._spans.id_cues` builds it.
    """

    def __init__(self, facts: PiiFacts, cues: dict[str, re.Pattern[str]]) -> None:
        self._cues = cues
        self._pan_status = frozenset(s.upper() for s in facts.pan_personal_status_letters)
        self._reference_words = frozenset(w.casefold() for w in facts.phone_reference_words)
        self._id_word = words_pattern(facts.phone_other_id_words or ("(?!)",))
        company = alternation(facts.company_id_words) or "(?!)"
        self._company_id = re.compile(rf"(?<![^\W\d_])(?:{company})(?![^\W\d_])", re.IGNORECASE)

    def not_a_person_id(self, text: str, start: int, end: int, entity_type: str) -> bool:
        """A national ID or SSN reading that is none: inside a longer number ("00481720240" in
        "000481720240328"), a format ("AAAAA9999A") or counting run ("01234567890"), a company
        register's number, or a code under a reference column or another identifier's key."""
        if entity_type == "US_SSN" and text[start : start + 1] == "9":
            return True  # area numbers 900-999 are never issued (SSA; ITINs use them)
        if entity_type == "IN_PAN" and self._pan_status and not self._personal_pan(text[start:end]):
            return True  # "AABCK4192R": a company's PAN (fourth letter C), no person's
        if entity_type == "IT_FISCAL_CODE" and not codice_fiscale_ok(
            text[start:end].replace(" ", "")
        ):
            return True  # a wrong control character: a validator's test value, no code
        return (entity_type in NATIONAL_IDS or entity_type == "US_SSN") and (
            not_an_id(text, start, end)
            or self._company_id_before(text, start)
            or self._reference_column(text, start, entity_type)
        )

    def _personal_pan(self, value: str) -> bool:
        """The PAN's fourth letter, the holder's status, is an individual's (``P``)."""
        letters = [c for c in value if c.isalnum()]
        return len(letters) > 3 and letters[3].upper() in self._pan_status

    def _reference_column(self, text: str, start: int, entity_type: str) -> bool:
        """The value sits under a table column or after a key that names a reference
        (``ref_proveedor``, ``sku``, ``LEGACY_ORDER =``), or under a column or key that names
        another identifier and not this one:
        "402-17-0092" there is a supplier's code, a CPF-valid "01234567890" under
        ``"steuer_id"`` a German tax number."""
        header = column_header(text, start)
        label = header or key_before(text, start)
        if label is None:
            return False
        words = " ".join(re.split(r"[\W_]+", label))  # "nif_nie" -> "nif nie"
        cue = self._cues.get(entity_type)
        if cue is not None:
            if cue.search(words):
                return False  # "nhs_no": the identifier's own column
            if any(c.search(words) for t, c in self._cues.items() if t in NATIONAL_IDS):
                return True  # another identifier's column ("steuer_id" over a CPF reading)
        if self._id_word.search(label):
            return False
        # a reference's column or key: "sku", 'LEGACY_ORDER = "200-55-8133"'; a generic id key
        # ("uid=", "user_id=") may hold the national number itself (UIDAI calls the Aadhaar
        # number the UID)
        refs = [w.casefold() for w in words.split()]
        if header is None:
            refs = [w for w in refs if not w.endswith("id")]
        return any(w in self._reference_words for w in refs)

    def _company_id_before(self, text: str, start: int) -> bool:
        """A company or tax register's name within 32 characters before ``start`` on its line
        ("Business number (BN): 763901246"): the number is that register's, no person's ID."""
        line_start = text.rfind("\n", 0, start) + 1
        found = list(self._company_id.finditer(text, max(line_start, start - 32), start))
        # nothing but punctuation after the name: "GSTIN 29AB…, Aadhaar 1234 …" is an Aadhaar
        return bool(found) and not any(c.isalpha() for c in text[found[-1].end() : start])
