"""IBANs as people write them: any grouping, upper or lower case, validated like Presidio's.

Presidio's ``IbanRecognizer`` runs its upper-case pattern with the registry's
``re.IGNORECASE`` flag, so a lower-case word after an IBAN becomes one more group of the match
("SE44 5000 0000 0532 9184 7102 amount" fails its check and is dropped), and it reads neither
lower-case IBANs nor groups split by dots. This recognizer reads, from a country code and two
check digits, exactly the country's IBAN length of letters and digits (the SWIFT IBAN
Registry's, ``iban_lengths`` in ``recognizers.yaml``), one space, dash or dot allowed between
any two of them, and keeps the value when ISO 7064 MOD 97-10 holds and, for the countries
Presidio describes, Presidio's own country format check agrees. What Presidio's recognizer
finds when run case-sensitively, as its pattern is written, and ends where its token ends is
kept too (a value of the wrong
length that passes the check, "PL16 1090 1014 0000 7121 9812 8745 61", is still meant as an
IBAN), so this recognizer finds every whole value Presidio's finds.
"""

from __future__ import annotations

import importlib
import re

from presidio_analyzer import EntityRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts
from presidio_analyzer.predefined_recognizers import IbanRecognizer

from openmodel_gov.pii._checksums import iban_ok
from openmodel_gov.pii._facts import PiiFacts
from openmodel_gov.pii._hits import result

__all__ = ["StrictIbanRecognizer"]

# A country code and two check digits at the start of a token, both letters of one case
# ("DE89", "de89", "DE 89"); "De89" is a word and a number.
_START = re.compile(r"(?<![A-Za-z0-9])([A-Z]{2}|[a-z]{2}) ?(\d{2})")
# What may stand between two characters of an IBAN: the paper format's space (ISO 13616-1,
# groups of four), and the dash, dot and no-break space seen in forms and spreadsheets.
_SEPARATORS = frozenset(" -.\u00a0")
# Presidio's IBAN pattern is upper-case; the registry's default flags add IGNORECASE.
_CASE_SENSITIVE = re.DOTALL | re.MULTILINE


def _alnum(char: str) -> bool:
    return char.isascii() and char.isalnum()


def _read(text: str, pos: int, need: int) -> tuple[str, int] | None:
    """``need`` letters and digits from ``pos``, a single separator allowed between two of
    them; ``None`` when fewer follow or the value runs on into a longer token."""
    chars: list[str] = []
    size = len(text)
    while len(chars) < need and pos < size:
        char = text[pos]
        if _alnum(char):
            chars.append(char)
            pos += 1
        elif (
            char in _SEPARATORS
            and pos + 1 < size
            and _alnum(text[pos + 1])
            and _alnum(text[pos - 1])
        ):
            pos += 1
        else:
            break
    if len(chars) < need or (pos < size and _alnum(text[pos])):
        return None
    return "".join(chars), pos


class StrictIbanRecognizer(EntityRecognizer):
    """IBANs of every registered country, in any grouping and in either case (see the module)."""

    name: str

    def __init__(self, *, facts: PiiFacts, supported_language: str) -> None:
        self._lengths = dict(facts.iban_lengths)
        self._presidio = IbanRecognizer(
            supported_language=supported_language, regex_flags=_CASE_SENSITIVE
        )
        # the countries whose BBAN format Presidio checks (the table its recognizer imports)
        module = importlib.import_module(IbanRecognizer.__module__)
        self._described = frozenset(getattr(module, "regex_per_country", {}))
        super().__init__(
            supported_entities=["IBAN_CODE"],
            name="StrictIbanRecognizer",
            supported_language=supported_language,
        )

    def load(self) -> None:
        """Nothing to load."""

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        """The valid IBANs in ``text``."""
        results = self._flexible(text)
        for found in self._presidio.analyze(text, ["IBAN_CODE"]):
            if found.end < len(text) and _alnum(text[found.end]):
                continue  # the head of a longer run of letters and digits
            if not any(r.start < found.end and found.start < r.end for r in results):
                results.append(self._hit(found.start, found.end, found.score, "Presidio's pattern"))
        return sorted(results, key=lambda r: r.start)

    def _flexible(self, text: str) -> list[RecognizerResult]:
        results: list[RecognizerResult] = []
        for m in _START.finditer(text):
            country = m.group(1).upper()
            length = self._lengths.get(country)
            if length is None:
                continue
            read = _read(text, m.end(), length - 4)
            if read is None:
                continue
            body, end = read
            if not self._valid(m.group(1), country + m.group(2) + body, body):
                continue
            results.append(self._hit(m.start(), end, EntityRecognizer.MAX_SCORE, "IBAN"))
        return results

    def _hit(self, start: int, end: int, score: float, why: str) -> RecognizerResult:
        return result(
            "IBAN_CODE", name=self.name, rid=self.id, start=start, end=end, score=score, why=why
        )

    def _valid(self, written_country: str, iban: str, body: str) -> bool:
        upper = written_country.isupper()
        if any(c.isupper() != upper for c in body if c.isalpha()):
            return False  # "DE89 3704 abcd ...", "gb82 WEST ...": cases mixed, not one value
        compact = iban.upper()
        if not iban_ok(compact):
            return False
        if compact[:2] in self._described:
            return self._presidio.validate_result(compact) is True
        return True
