"""``DATE_OF_BIRTH``: a date the text ties to a person's birth.

A date (numeric ``03/07/1988``, ``1952-11-04``, ``23.04.1938``, ``21-Nov-1983``, or written
``11 March 1979``, ``5. Mai 1946``, ``March 11, 1979`` in the languages of ``month_names``) is
a date of birth when a birth word (``DOB``, ``born``, ``geb.``, ``née le``, ``nato il`` ...) comes
before it within 60 characters with no other date in between, or when it sits in a table
column named like ``dob`` / ``birth_date``. Other dates are not reported as dates of birth.
"""

from __future__ import annotations

import datetime
import re

from presidio_analyzer import AnalysisExplanation, EntityRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from openmodel_gov.pii._context import alternation, column_header
from openmodel_gov.pii._facts import PiiFacts

__all__ = ["DateOfBirthRecognizer"]

_WINDOW = 60


class DateOfBirthRecognizer(EntityRecognizer):
    """Dates of birth by context word or column name (score 0.85)."""

    name: str

    def __init__(self, *, facts: PiiFacts, supported_language: str) -> None:
        months = alternation(facts.month_names)
        day = r"(?:[0-2]?[0-9]|3[01])"
        self._date = re.compile(
            rf"(?<![\w./-])(?:"
            rf"\d{{4}}-\d{{2}}-\d{{2}}"
            rf"|{day}[./-](?:0?[1-9]|1[0-2])[./-](?:\d{{4}}|\d{{2}})"
            rf"|(?:0?[1-9]|1[0-2])/{day}/\d{{4}}"
            rf"|{day}-(?:{months})-\d{{2,4}}"
            rf"|{day}(?:st|nd|rd|th|\.|º|er)?\s+(?:of\s+|de\s+)?(?:{months})\.?,?\s+(?:de\s+)?\d{{4}}"
            rf"|(?:{months})\.?\s+{day}(?:st|nd|rd|th)?,?\s+\d{{4}}"
            rf")(?![\w/-]|\.\d)",
            re.IGNORECASE,
        )
        words = alternation(facts.dob_context)
        self._context = re.compile(rf"(?<!\w)(?:{words})(?!\w)", re.IGNORECASE)
        self._columns = tuple(facts.dob_columns)
        super().__init__(
            supported_entities=["DATE_OF_BIRTH"],
            name="DateOfBirthRecognizer",
            supported_language=supported_language,
        )

    def load(self) -> None:
        """Nothing to load."""

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        """Dates in ``text`` that a birth word or a birth-date column ties to a person."""
        dates = list(self._date.finditer(text))
        if not dates:
            return []
        cues = [m.end() for m in self._context.finditer(text)]
        out: list[RecognizerResult] = []
        previous_end = -1
        for m in dates:
            if not _calendar_date(m.group()):
                continue  # "1987-13-45": no date at all (a test of a date validator)
            cue = max((c for c in cues if c <= m.start()), default=-1)
            by_word = cue >= 0 and m.start() - cue <= _WINDOW and previous_end < cue
            header = column_header(text, m.start())
            by_column = header is not None and any(c in header for c in self._columns)
            if by_word or by_column:
                out.append(self._result(m.start(), m.end(), "column" if by_column else "word"))
            previous_end = m.end()
        return out

    def _result(self, start: int, end: int, how: str) -> RecognizerResult:
        return RecognizerResult(
            entity_type="DATE_OF_BIRTH",
            start=start,
            end=end,
            score=0.85,
            analysis_explanation=AnalysisExplanation(
                recognizer=self.name, original_score=0.85, textual_explanation=f"birth {how}"
            ),
            recognition_metadata={
                RecognizerResult.RECOGNIZER_NAME_KEY: self.name,
                RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
            },
        )


_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


def _calendar_date(value: str) -> bool:
    """An ISO date that exists in the calendar; other shapes are checked by the pattern.

    >>> _calendar_date("1987-13-45"), _calendar_date("1988-02-29"), _calendar_date("3 May 1990")
    (False, True, True)
    """
    m = _ISO.fullmatch(value)
    if m is None:
        return True
    try:
        datetime.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return False
    return True
