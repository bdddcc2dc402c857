"""Phone numbers as people write them: libphonenumber-valid, minus the shapes that are something else.

Imported only lazily, when a detector is built (inside the functions of
:mod:`openmodel_gov.pii._engine` that build one), because it imports Presidio and phonenumbers
at module level: no module imports it at module level (the architecture test checks this).
"""

from __future__ import annotations

import re

import phonenumbers
from presidio_analyzer import RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts
from presidio_analyzer.predefined_recognizers import PhoneRecognizer

from openmodel_gov.pii._context import (
    column_header,
    inside_iban_shape,
    key_before,
    line_bounds,
    reference_before,
    reference_earlier,
    words_pattern,
)
from openmodel_gov.pii._facts import PiiFacts
from openmodel_gov.pii._hits import Span
from openmodel_gov.pii._phone_labels import (
    call_words_before,
    number_sign_before,
    number_words_before,
    same_number_elsewhere,
    without_list_items,
    zip_code_at,
)
from openmodel_gov.pii._spans import COUNTING

__all__ = ["StrictPhoneRecognizer"]


# Dot thousands separators, four groups or more: "3.187.442.019" (a count or an amount).
_THOUSANDS_DOTTED = re.compile(r"\d{1,3}(?:\.\d{3}){3,}")
# A Brazilian CPF as printed (Receita Federal: ddd.ddd.ddd-dd): a CPF or, with a wrong check
# digit, nothing; never a phone number.
_CPF_SHAPE = re.compile(r"\d{3}\.\d{3}\.\d{3}-\d{2}")


def _phone_shaped(text: str, start: int, end: int) -> bool:
    """``text[start:end]`` is shaped like a phone number, not like a range, a count, a CPF, a
    placeholder or a piece of something longer."""
    raw = text[start:end]
    return not (
        _other_shape(raw.strip("()"))  # "(2018-2024)"
        or _glued_to_neighbours(text, start, end)
        or raw.count("(") != raw.count(")")  # "27)", "3 (40": cut from a longer text
        or _DECIMAL_TAIL.search(raw) is not None  # "201 318 0.117": status, bytes, seconds
        or _PAREN_COUNTER.search(text, max(0, start - 1), min(len(text), end + 1))
        or inside_iban_shape(text, start, end)
        or _THOUSANDS_DOTTED.fullmatch(raw)  # "3.187.442.019": a count
        or _CPF_SHAPE.fullmatch(raw)  # "123.456.789-00"
        or _placeholder(raw)  # "06 00 00 00 00": a form's placeholder
        or _YEAR_IN_PARENS.search(raw) is not None  # "Monster 937 (2021)": a model and its year
    )


# A year in parentheses closing the run: a model or an edition and its year, never the last
# group of a phone number (area codes in parentheses come first).
_YEAR_IN_PARENS = re.compile(r"\d[ \t]*\((?:19|20)\d\d\)$")


_SEVEN_EQUAL = re.compile(r"(\d)\1{6}")


def _placeholder(raw: str) -> bool:
    """A number whose digits after the first two are all zeros, one digit repeated, seven
    equal digits in a row (``+44 (0)7000 000000``), a counting run (``12345 67890``) or one
    group written twice (``18734-18734``, a range of one): a form's placeholder, a dummy
    entry or a range. (US numbers reserved for fiction,
    ``555-01xx``, stay phone numbers: invented data stands for real numbers.)

    >>> [_placeholder(n) for n in ("06 00 00 00 00", "99999 99999", "12345 67890", "18734-18734")]
    [True, True, True, True]
    >>> _placeholder("+44 (0)7000 000000")
    True
    >>> _placeholder("+33 6 12 00 00 00"), _placeholder("0176 22841930")
    (False, False)
    """
    digits = "".join(c for c in raw if c.isdigit())
    groups = re.findall(r"\d+", raw)
    return len(digits) >= 8 and (
        set(digits[2:]) == {"0"}
        or len(set(digits)) == 1
        or _SEVEN_EQUAL.search(digits) is not None
        or digits in COUNTING
        or (len(groups) == 2 and groups[0] == groups[1])
    )


# A postal item number of UPU standard S10: two letters, eight digits and a check digit, the
# country's two letters ("EA 448 120 937 PT", "RR123456785DE").
_S10 = re.compile(r"(?<![\w])[A-Z]{2}[ \t]?\d{3}[ \t]?\d{3}[ \t]?\d{3}[ \t]?[A-Z]{2}(?![\w])")


_SSN_SHAPE = re.compile(r"\d{3}-\d{2}-\d{4}")
_DECIMAL = re.compile(r"\d+[.,]\d+")
# "2016-2018", "2024-000412", "2024.03.13-4": a year then a separator starts a range, a
# reference or a dated release.
_YEAR_LED = re.compile(
    r"(?:19|20)\d\d(?:[-/.](?!\d{2,3}[-/. ]\d)|([-/.])[01]\d\1(?:[0-3]\d(?!\d)|\d{4,}))"
)  # "2024-03-0417": a reference numbered by year and month
# Dotted groups with a one-digit group, or three groups of 3-2-2: versions ("5.15.0.105",
# "550.54.15"), never a written phone number.
_VERSION_SHAPE = re.compile(r"\d+(?:\.\d+)*\.\d(?:\.\d+)*|\d{1,3}\.\d{1,3}\.\d{1,2}")
# A decimal that opens the run ("1.40 (37-622)": a tyre size; "7.59-112044": a build), a
# one-digit group after a dot ("5.15.0-94.104"); dotted phones have groups of two to four digits.
_DECIMAL_PART = re.compile(r"^\d{1,4}[.,]\d{1,3}(?=[ (-])|\.\d(?!\d)")
_POSTCODE_SHAPE = re.compile(r"\d{4,5}-\d{3}")  # PT and BR postcodes ("4000-122 Porto")


# A run that could be a written phone number: optional "+", digits with single spaces, dots,
# dashes or parentheses between them. Cheap to find; libphonenumber then decides.
_PHONE_RUN = re.compile(r"(?<![\w.+/@-])\+?\(?\d(?:[ .-]?\(?\d\)?)+")
# Unix time in seconds or milliseconds (2001-2033): "X-RateLimit-Reset: 1717171717". No
# region we try has a ten-digit national number starting with 1.
_EPOCH = re.compile(r"1\d{9}(?:\d{3})?")
# Four dotted groups of 0-255 without leading zeros: an IPv4 address, a netmask or a version,
# never a written phone number (dotted phone numbers keep their trunk zero: "02.123.45.67").
_OCTET = r"(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)"
_DOTTED_QUAD = re.compile(rf"{_OCTET}(?:\.{_OCTET}){{3}}")
# A parenthesised group of six digits or more is a counter or an id ("(418273311) 48 days"),
# never an area code (_PAREN_COUNTER); a block of ten digits or more after another group is an account or
# record id ("2 123456789012" in a flow log), unless the number starts with "+".
_LONG_GROUP = re.compile(r"^[^+].*\s\d{10,}")
_PAREN_COUNTER = re.compile(r"\(\d{6,}\)")
# National numbers with their area code have 9 digits or more in the regions we try.
_LOCAL_DIGITS = 9
# A decimal fraction at the end of a run: "0.117" is a duration, never part of a phone number.
_DECIMAL_TAIL = re.compile(r"(?:^|\s)0\.\d+$")
# A compact date, yyyymmdd, at the start: "20240611-03" is a batch of that day.
_COMPACT_DATE = re.compile(r"(?:19|20)\d\d(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])(?!\d)")
_DATE_SHAPE = re.compile(r"\d{4}[-./]\d{1,2}[-./]\d{1,3}|\d{1,2}[-./]\d{1,2}[-./]\d{2,4}")


class StrictPhoneRecognizer(PhoneRecognizer):
    """libphonenumber-valid numbers; a bare digit run also needs a context word before it.

    Presidio's recognizer runs libphonenumber's ``PhoneNumberMatcher`` over the whole text once
    per region, which was most of the analysis time. This one finds digit runs with one regular
    expression and asks libphonenumber to parse and validate only those, region by region, until
    one accepts the number (``+`` numbers need no region); the result is the same leniency
    (``VALID``) on the shapes people write.
    """

    def __init__(self, *, facts: PiiFacts, supported_language: str) -> None:
        super().__init__(
            context=list(facts.phone_context),
            supported_language=supported_language,
            supported_regions=facts.phone_regions,
            leniency=1,
            name="StrictPhoneRecognizer",
        )
        self._context = words_pattern(facts.phone_context)
        self._other_id = (
            words_pattern(facts.phone_other_id_words) if facts.phone_other_id_words else None
        )
        self._reference = reference_before(facts)
        self._reference_words = frozenset(w.casefold() for w in facts.phone_reference_words)
        titles = {t.casefold() for t in facts.courtesy_titles}  # "Sr." is no service request
        self._reference_word = words_pattern(
            w for w in facts.phone_reference_words if w.casefold() not in titles
        )
        self._window = facts.phone_bare_digits_context_window
        # A phone word inside a compound: "Telefon" in "Telefonnummer", "Ruf" in "Rufnummer".
        stems = "|".join(map(re.escape, sorted(facts.phone_context, key=len, reverse=True)))
        self._phone_stem = re.compile(rf"(?:{stems})", re.IGNORECASE)
        self._version = re.compile(rf"{words_pattern(facts.version_words).pattern}\.?[ \t]*$", re.I)
        self._min_digits = facts.phone_min_digits

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        """Valid phone numbers in ``text``, minus shapes that are something else."""
        results: list[RecognizerResult] = []
        for run in _PHONE_RUN.finditer(text):
            for seg_start, seg_end in _segments(text, run.start(), run.end()):
                pos = seg_start
                while pos < seg_end:
                    found = self._best_match(text, pos, seg_end)
                    if found is None:
                        break
                    start, pos, region = found
                    results.append(
                        self._get_recognizer_result(  # type: ignore[no-untyped-call]
                            Span(start, pos), text, region, nlp_artifacts
                        )
                    )
                    while pos < seg_end and text[pos] in " .-()":
                        pos += 1
        return [  # "Commande 7710-229017" elsewhere: the customer's "7710-229017" is that order
            r
            for r in results
            if self._has_context(text, r.start, r.end)
            or all(
                self._plausible(text, p, p + r.end - r.start)
                for p in same_number_elsewhere(text, r.start, r.end)
            )
        ]

    def _best_match(self, text: str, start: int, end: int) -> tuple[int, int, str] | None:
        """A valid number in ``text[start:end]``.

        The whole run is tried first. A space-free part of it (``415.555.2671`` in
        ``415.555.2671 123``) is tried only when the run mixes spaces with other separators,
        so a digit block of an invalid card number never becomes a phone number. Regions are
        tried in order and, within a region, longer spans first.
        """
        spans: list[tuple[int, int]] = []
        for s, e in _candidates(text, start, end):
            cut = e
            while cut > s and text[cut - 1] in ".-( ":
                cut -= 1
            if (s, cut) not in spans and self._plausible(text, s, cut):
                spans.append((s, cut))
        return self._first_valid(text, spans)

    def _first_valid(self, text: str, spans: list[tuple[int, int]]) -> tuple[int, int, str] | None:
        """The first of ``spans`` libphonenumber accepts: ``+`` numbers first (no region
        needed), then the others region by region, in the order of ``supported_regions``."""
        for s, e in spans:
            if text[s] == "+":
                region = _valid_region(text[s:e], None)
                if region is not None:
                    return s, e, region
        for region_hint in self.supported_regions:
            for s, e in spans:
                if text[s] != "+":
                    region = _valid_region(text[s:e], region_hint)
                    if region is not None:
                        return s, e, region
        return None

    def _plausible(self, text: str, start: int, end: int) -> bool:
        raw = text[start:end]
        digits = sum(c.isdigit() for c in raw)
        if not self._min_digits <= digits <= 15 or not _phone_shaped(text, start, end):
            return False
        header = column_header(text, start)
        if self._reference_column(header) or self._numbered_thing(text, start, header):
            return False  # a number under "mfr_part_no", after "Zeichnungsnr."
        if (
            header is not None
            and self._other_id is not None
            and self._other_id.search(header)
            and not self._context.search(header)
        ):
            return False  # a number under "NHS No": another identifier
        if self._coded(text, start, end):
            return False  # "registo EA 448 120 937 PT", "rx=6043318-02912"
        if raw[:1] != "+" and self._other_id_line(text, start, end):
            return False  # 'assert not is_valid_nhs("401 023 2138")'
        if zip_code_at(text, start, end):
            return False  # "Portland, OR 97227-1623": a ZIP+4 code
        before = text[max(line_bounds(text, start)[0], start - 120) : start]
        before = without_list_items(before)  # "Lot numbers: 0161-4960-22, 0161-4961-07"
        if self._reference.search(before[-24:]):
            return False  # "Lot 2291-44-0178", "Lot numbers: 0161-4960-22, 0161-4961-07"
        sign = number_sign_before(text, start)
        if sign and not self._context.search(text, max(0, start - max(24, len(sign))), start):
            return False  # "Prüfbericht Nr. 2024.04.118", "Nº de membre Scène+ : 6046 …"
        if _needs_context_word(raw):
            return self._has_context(text, start, end)
        return True

    def _coded(self, text: str, start: int, end: int) -> bool:
        """A UPU S10 postal item number ("EA 448 120 937 PT"), the value of a ``key=value``
        pair when no phone word comes before it on its line ("rx=6043318-02912",
        "ndc=16729-0213-01"; "tel=" and numbers written with "+" stay), or the quoted argument
        of a function named after a reference or another identifier and no phone
        ('valider_commande("7710-228431")', 'valider_nas("046 182 731")')."""
        if _S10.search(text, max(0, start - 4), min(len(text), end + 4)):
            return True
        words = call_words_before(text, start)  # 'valider_commande("7710-228431")'
        if words is not None and text[start] != "+":
            other = self._reference_word.search(words) or (
                self._other_id is not None and self._other_id.search(words)
            )
            if other and not self._phone_stem.search(words):
                return True
        return (
            key_before(text, start) is not None
            and text[start] != "+"
            and not self._context.search(text, max(line_bounds(text, start)[0], start - 60), start)
        )  # "field=mobile old=null new=0412 786 309": the phone word is before the key

    def _numbered_thing(self, text: str, start: int, header: str | None) -> bool:
        """A ``…number`` / ``…Nr.`` word right before the value (``Zeichnungsnr. 4711-0032-07``)
        or as its column header (``teilenummer``), naming no phone (``Rufnummer``); or a
        version word right before a dotted value (``fw 9.120.73026``)."""
        before = text[max(0, start - 32) : start]
        for word in number_words_before(text, start, header):
            stem = self._phone_stem.search(word)
            if stem is None or (stem.start() > 0 and len(stem.group()) < 4):
                return True  # a short phone word inside only: "bestelnummer" holds "tel"
        end = start
        while end < len(text) and (text[end].isdigit() or text[end] == "."):
            end += 1
        return "." in text[start:end] and bool(self._version.search(before))

    def _reference_column(self, header: str | None) -> bool:
        """The number's column ``header`` names a reference (``sku``, ``part_no``, ``kat``) and
        no phone word."""
        if header is None or self._context.search(header):
            return False
        return any(w in self._reference_words for w in re.split(r"[\W_]+", header))

    def _other_id_line(self, text: str, start: int, end: int) -> bool:
        """Another identifier's word within 24 characters before the number on its line and no
        phone word between them; further back on the line (up to 60 characters), an acronym
        written in capitals with no other number between (``SIRET de l'association pour les
        reçus fiscaux : 482 317 059 00027``; not ``sigue sin activarse … 612 48 73 90``); or a
        reference label earlier on the line (``Ref. pedido latiguillo: 600 458 331``)."""
        if reference_earlier(text, start, self._reference_word, self._context):
            return True
        if self._other_id is None:
            return False
        line_start = line_bounds(text, start)[0]
        near = max(line_start, start - 24)
        for m in self._other_id.finditer(text, max(line_start, start - 60), start):
            if self._context.search(text, m.end(), start):
                continue
            if m.start() >= near:
                return True
            word = m.group()
            if (
                len(word) >= 3
                and word.isupper()
                and not any(c.isdigit() for c in text[m.end() : start])
            ):
                return True
        return False

    def _has_context(self, text: str, start: int, end: int) -> bool:
        """A phone word before the number (within the window), just after it on its line
        (``0176 5559 2817 (auch WhatsApp)``) or in its column's header (``Telefon``)."""
        line_end = line_bounds(text, end)[1]
        header = column_header(text, start)
        return bool(
            self._context.search(text, max(0, start - self._window), start)
            or self._context.search(text, end, min(line_end, end + 24))
            or (header is not None and self._context.search(header))
        )


def _candidates(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The whole run, then its space-free words that hold a ``.``, ``-`` or parenthesis (only
    when the run has more than one word)."""
    words = [(m.start(), m.end()) for m in re.finditer(r"[^ ]+", text[start:end])]
    candidates = [(start, end)]
    if len(words) > 1:
        candidates += [
            (start + a, start + b)
            for a, b in words
            if " " not in text[start + a : start + b]
            and any(c in ".-()" for c in text[start + a : start + b])
        ]
    return candidates


def _other_shape(raw: str) -> bool:
    """A US SSN, a decimal number, a date (also compact, ``20240611-03``), a year-led range or
    reference, a version, a dotted quad, or a counter or id in a long digit group."""
    return bool(
        _COMPACT_DATE.match(raw)
        or _SSN_SHAPE.fullmatch(raw)
        or _DECIMAL.fullmatch(raw)
        or _DATE_SHAPE.fullmatch(raw)
        or _YEAR_LED.match(raw)
        or _VERSION_SHAPE.fullmatch(raw)
        or _EPOCH.fullmatch(raw)
        or _DOTTED_QUAD.fullmatch(raw)
        or _LONG_GROUP.search(raw)
        or _DECIMAL_PART.search(raw)
        or _POSTCODE_SHAPE.fullmatch(raw)
        or _CHECK_DIGIT_SHAPE.fullmatch(raw)
        or _MILLIONS_SHAPE.fullmatch(raw)
        or _TARIFF_SHAPE.fullmatch(raw)
        or _TICKET_SHAPE.fullmatch(raw)
    )


# Dotted groups of three and a check digit after a dash: a CPF written with a digit missing or
# too many ("529.982.247-2"), never a phone number.
_CHECK_DIGIT_SHAPE = re.compile(r"\d{3}\.\d{3}\.\d{3}-\d{1,3}")
# One digit and three thousands groups: an amount or a part number ("1 270 020 907"); no
# numbering plan writes a phone number 1-3-3-3 ("0 800 123 456" keeps its trunk zero).
_MILLIONS_SHAPE = re.compile(r"[1-9]([ .\u00a0\u202f])\d{3}\1\d{3}\1\d{3}")
# A Harmonized System tariff code with its national subheadings: "8471.30.0100", "9401.31.00".
_TARIFF_SHAPE = re.compile(r"\d{4}\.\d{2}\.\d{2,4}")
# An airline e-ticket number: the carrier's three digits, a dash, ten digits ("057-2419836612").
_TICKET_SHAPE = re.compile(r"\d{3}-\d{10}")
# Thousands groups with decimals after a comma: "412.586.903,17", "1 284 603 917,42 zł".
_THOUSANDS_GROUPS = re.compile(r"\d{1,3}([ .\u00a0\u202f])\d{3}(?:\1\d{3})+")
_CENTS_AFTER = re.compile(r",\d{1,2}(?!\d)")


# A thousands group right after: "1,234" (a CSV cell after a comma, ",1986-07-22", is not one).
_THOUSANDS_AFTER = re.compile(r",\d{3}(?!\d)")
# A code word of letters and digits one space before: "1Z 8V4 E71 03 9182 4406" (a tracking
# number) is one code, not a code and a phone number.
_CODE_BEFORE = re.compile(r"(?<!\w)(?=[A-Za-z]*\d)(?=\d*[A-Za-z])[A-Za-z0-9]{2,} $")


def _glued_to_neighbours(text: str, start: int, end: int) -> bool:
    """Glued to a path, a code or a longer number: ``/`` or ``.`` just before (or ``,`` after
    a digit when a digit follows, outside a table; or ``-`` after a letter or digit); ``/``,
    ``.`` or ``:`` then a digit, a three-digit thousands group, or ``-`` then a letter just
    after; or a word of letters and digits one space before."""
    raw = text[start:end]
    before = text[start - 1 : start] if start else ""
    after = text[end : end + 2]
    return (
        before in ("/", ".")
        or (
            before == ","
            and text[start - 2 : start - 1].isdigit()
            and raw[:1].isdigit()
            and column_header(text, start) is None
        )
        or (before in ("-", "[") and text[start - 2 : start - 1].isalnum())  # "test_ref[4123…]"
        or (before == ":" and text[start - 2 : start - 1].isdigit())  # "03:05:47.110276 2024"
        or after[:1] == "/"
        or (after[:1] in ".:" and after[1:2].isdigit())
        or _amount_after(text, end, raw)
        or (after[:1] == "-" and after[1:2].isalpha())  # "0800-431-2297-C": a part number
        or (raw[-1:].isdigit() and after[:1].isalpha())  # "59104404-2ff8-…": part of a UUID
        or _CODE_BEFORE.search(text, max(0, start - 24), start) is not None
    )


def _amount_after(text: str, end: int, raw: str) -> bool:
    """A thousands group ("1,234") or decimals after thousands groups ("412.586.903,17") right
    after the number: an amount."""
    if _THOUSANDS_AFTER.match(text, end) is not None:
        return True
    return _CENTS_AFTER.match(text, end) is not None and bool(_THOUSANDS_GROUPS.fullmatch(raw))


def _needs_context_word(raw: str) -> bool:
    """A bare digit run, 4-4-4 blocks (ids, card-like references), fewer than nine digits
    without ``+`` or parentheses (a local number without its area code reads like a
    reference, ``482917-3``), or a lone leading zero (``0 986 452 058``: part numbers are
    written so, phone numbers keep the trunk zero on their area code): needs a context word."""
    groups = re.split(r"[ .-]", raw)
    bare = raw[:1] not in "+(" and not any(c in raw for c in "()")
    short = bare and sum(c.isdigit() for c in raw) < _LOCAL_DIGITS
    return (
        raw.isdigit()
        or short
        or (bare and len(groups) >= 3 and all(len(g) == 4 for g in groups))
        or groups[0] == "0"
    )


def _segments(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Split a digit run at date- and version-shaped words, parentheses ignored (``52144
    2024-03-15`` is a port and a date, ``3.2.0 (2024-04-18)`` a version and a date)."""
    out: list[tuple[int, int]] = []
    seg = start
    for word in re.finditer(r"[^ ]+", text[start:end]):
        bare = word.group().strip("()")
        if _DATE_SHAPE.fullmatch(bare) or (
            "." in bare and _VERSION_SHAPE.fullmatch(bare) and not _DECIMAL.fullmatch(bare)
        ):
            if start + word.start() > seg:
                out.append((seg, start + word.start()))
            seg = start + word.end() + 1
    if seg < end:
        out.append((seg, end))
    return [(s, e) for s, e in out if text[s:e].strip()]


def _valid_region(raw: str, region: str | None) -> str | None:
    """The region of ``raw`` if libphonenumber parses it as a valid number, else ``None``."""
    try:
        number = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.region_code_for_number(number) or region or ""
