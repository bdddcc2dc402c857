"""``DATE_OF_BIRTH``: a date the text ties to a person's birth.

A date (numeric ``03/07/1988``, ``1952-11-04``, ``23.04.1938``, ``21-Nov-1983``, or written
``11 March 1979``, ``5. Mai 1946``, ``March 11, 1979`` in the languages of ``month_names``) is
a date of birth when a birth word (``DOB``, ``born``, ``geb.``, ``née le``, ``nato il`` ...) comes
before it within 60 characters with no other date in between, or when it sits in a table
column named like ``dob`` / ``birth_date``; a year alone when it follows a birth word
(``born in 1971``, ``ur. 1978``). A date after an example word (``bijvoorbeeld 01-01-2000``)
or a comparison (``date_of_birth >= DATE '1900-01-01'``) is a format or a bound, not a date of
birth. Other dates are not reported as dates of birth.
"""

from __future__ import annotations

import datetime
import re

from presidio_analyzer import AnalysisExplanation, EntityRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from openmodel_gov.pii._context import alternation, column_header, key_before
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
        # not "q.b." (quanto basta) read as "b." (born)
        self._context = re.compile(rf"(?<![\w.])(?:{words})(?!\w)", re.IGNORECASE)
        self._columns = tuple(facts.dob_columns)
        subjects = alternation(facts.birth_subjects) if facts.birth_subjects else "(?!)"
        self._subject = re.compile(rf"(?<!\w)(?:{subjects})(?!\w)", re.IGNORECASE)
        companies = alternation(facts.birth_non_person_subjects) or "(?!)"
        self._not_person = re.compile(rf"(?<!\w)(?:{companies})(?!\w)", re.IGNORECASE)
        ages = alternation(facts.age_words) or "(?!)"
        # "age 38 (", "Alter: 52 J. (", "edad 41 años (": an age, then the date in brackets
        self._age_before = re.compile(
            rf"(?<!\w)(?:{ages})[ \t]*:?[ \t]*\d{{1,3}}[ \t]*(?:[^\W\d_]{{1,5}}\.?[ \t]*)?\([ \t]*$",
            re.IGNORECASE,
        )
        examples = alternation(facts.dob_example_words) if facts.dob_example_words else "(?!)"
        self._example = re.compile(
            rf"(?:(?<!\w)(?:{examples})[ \t:,]*(?:[\w-]+[ \t,:]+)?|(?:[<>]=?|\bbetween|\bbefore|"
            rf"\bafter|(?-i:\bIN)[ \t]*\()[ \t]*(?:DATE[ \t]*)?)['\"(]?[ \t]*$",
            re.IGNORECASE,
        )
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
        found = list(self._context.finditer(text))
        if not dates and not found:
            return []
        out: list[RecognizerResult] = []
        previous_end = -1
        for m in dates:
            if not _calendar_date(m.group()):
                continue  # "1987-13-45": no date at all (a test of a date validator)
            if self._example.search(text, max(0, m.start() - 40), m.start()):
                previous_end = m.end()
                continue  # "bijvoorbeeld 01-01-2000", ">= DATE '1900-01-01'"
            by_word = self._by_word(text, m, found, previous_end)
            header = column_header(text, m.start()) or key_before(text, m.start(), bare=True)
            by_column = header is not None and any(c in header for c in self._columns)
            if by_word or by_column:
                out.append(self._result(m.start(), m.end(), "column" if by_column else "word"))
            previous_end = m.end()
        for word in found:
            year = _YEAR_AFTER_CUE.match(text, word.end())
            if year is not None and self._personal(text, word):  # "I was born in 1971"
                out.append(self._result(year.start(1), year.end(1), "word"))
        return out

    def _by_word(
        self, text: str, date: re.Match[str], found: list[re.Match[str]], previous_end: int
    ) -> bool:
        """``date`` follows a birth word within the window with no other date in between
        (``previous_end``: the end of the date before it) and the word ties it to a birth, or
        it is in brackets after an age (``age 38 (11/07/1986)``)."""
        word = next((w for w in reversed(found) if w.end() <= date.start()), None)
        if (
            word is not None
            and date.start() - word.end() <= _WINDOW
            and previous_end < word.end()
            and self._ties(text, word, date)
        ):
            return True
        return bool(self._age_before.search(text, max(0, date.start() - 24), date.start()))

    def _ties(self, text: str, cue: re.Match[str], date: re.Match[str]) -> bool:
        """Whether birth word ``cue`` ties ``date`` to a birth: not a birth verb of a company,
        brand, band or pet (``la empresa nació el 3 de marzo de 1987``) nor a birth date of
        one (``Date de naissance du label … : 07/11/2014``), and not a word on an
        earlier line that goes on after it when the date has a time of day (``fecha_nacimiento
        vacía, se deja NULL`` above a log line's ``[2024-03-11 09:14:06]``); a label above its
        value (``Date of birth (dd/mm/yyyy)``) and a question's answer still tie."""
        if self._not_person.search(text, max(0, cue.start() - 30), cue.start()):
            return False
        if self._not_person.search(text, cue.end(), date.start()):
            return False  # "Date de naissance du label « Chantier propre » : 07/11/2014"
        line_end = text.find("\n", cue.end(), date.start())
        return (
            line_end < 0
            or _TIME_AFTER.match(text, date.end()) is None
            or not re.search(r"\w", re.sub(r"\([^)]*\)", "", text[cue.end() : line_end]))
        )

    def _personal(self, text: str, cue: re.Match[str]) -> bool:
        """A birth word that is a label or an abbreviation (``DOB``, ``Geburtsdatum``, ``ur.``,
        ``b.``, ``Born:``), or a birth verb with a person as its subject shortly before it (``I was born``,
        ``mi hija nació``; not ``la marca nació``)."""
        word = cue.group().casefold()
        if word.endswith(".") or _NOUN_CUE.search(word) or text[cue.end() :].startswith(":"):
            return True
        return self._subject.search(text, max(0, cue.start() - 30), cue.start()) is not None

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


# The noun forms of the birth words: "date of birth", "Geburtsdatum", "data urodzenia", "dob".
_NOUN_CUE = re.compile(r"dob|d\.o\.b|date|datum|data|fecha|birth|naissance|nascimento|nacimiento")
# A year alone right after a birth word, with at most a preposition between.
_YEAR_AFTER_CUE = re.compile(
    r"[ \t]*:?[ \t]*(?:(?:in|en|em|nel|im|w|anno|year|en el año|in the year)[ \t]+)?"
    r"((?:19|20)\d\d)(?![\w/:-]|[.,]\d)",
    re.IGNORECASE,
)
# A time of day right after a date: "2024-03-11 09:14:02", "23/02/2024, 11:00", "…T08:15".
_TIME_AFTER = re.compile(r"(?:,?[ \t]+|T)\d{1,2}:\d\d")
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
