"""Street addresses and postcodes as ``LOCATION`` (spaCy's NER finds cities, not addresses).

Three shapes of street line, built from the street-type words in ``recognizers.yaml`` (Royal
Mail / USPS Pub. 28 suffixes, German and Dutch glued suffixes, Romance and Polish prefixes):

* number first: ``221B Baker Street``, ``Flat 2, 31 Clarence Street``, ``14 rue des Capucins``;
* name then number: ``Hauptstraße 5``, ``Eppendorfer Weg 211``, ``Keizersgracht 123``;
* type word, name, number: ``Calle de Alcalá 221``, ``Via Roma 18``, ``ul. Długa 12``.

A street line is extended over what follows it on the same line when that looks like the rest
of an address (postcodes of the shapes in ``postcode_patterns``, capitalised place names,
state codes): ``Flat 3, 14 Mill Road, Leeds LS6 2AB`` is one finding. Postcodes alone are
reported when their shape is distinctive (UK, CA, IE), after a postcode word (``zip 94110``),
before a place name (``28013 Madrid``), or in a column named like ``postcode``; place names in
a ``city`` / ``country`` column, and the quoted values of such keys in JSON, YAML or code
(``"city": "Hà Nội"``, ``line1="58 Trần Quang Khải"``), are reported too. pyap and usaddress were considered: they
cover US/UK/CA street lines only, and usaddress labels any token sequence, so neither fits
multilingual free text better than these cited shapes.
"""

from __future__ import annotations

import re
from typing import Any

from presidio_analyzer import EntityRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from openmodel_gov.pii._address_cells import AddressCells, final_spans
from openmodel_gov.pii._context import alternation, line_bounds
from openmodel_gov.pii._facts import PiiFacts, load_wordlist
from openmodel_gov.pii._hits import result
from openmodel_gov.pii._lexicon import english_words, is_english

__all__ = ["AddressRecognizer"]

_CAP = r"[A-ZÀ-ÖØ-ÞĀ-Ž](?:[\w'’-]|\.(?=\w))*"
_WORD = r"[^\W\d_](?:[\w'’-]|\.(?=\w))*"
# A house number: "221B", "14bis", "19-b", "12/3", Austrian house/stair/door "71/2/14"; never
# with a leading zero ("0423 HAUSARZT DR. SEIFERT": a radio log's time).
# Dutch floors after the number: "27-II", "27-hs" (huis), "214 bis".
# Not a price nor a share: "Pagata 279,90 €", "eindejaarsuitkering 8,3%" are no street and
# house number; nor a time ("Sendeplatz 15:10": a broadcast slot).
_NUM = (
    r"(?!0)\d{1,5}(?!\d|:\d\d|[.,]\d\d[ \t]?(?:€|EUR|eur|euro|\$|£|zł|PLN|R\$|USD|GBP|CHF)|(?:[.,]\d+)?[ \t]?%)"
    r"(?:-?(?:[A-Za-z]|bis|ter|II|III|IV|hs)(?![A-Za-z])|[ \t](?:bis|ter)(?![\w]))?"
    r"(?:[/-]\d{1,4}[A-Za-z]?)?(?:/\d{1,4}[A-Za-z]?)?"
)
# A line of a postal address block: capitalised words (any case for the first letter of each
# word after the first), a state or county abbreviation, a postcode; no label colon, no "@".
_BLOCK_LINE = re.compile(
    r"(?=.*[^\W\d_])(?!.*[:@])[A-ZÀ-Ý0-9][\w'’.-]*(?:,?[ \t]+[A-ZÀ-Ý0-9][\w'’.-]*){0,4}"
)


_WORD_AFTER = re.compile(r"[ \t]+([^\W\d_]+)")
# An acronym after a lower-case "via" that is no Roman numeral: a carrier or a channel ("via
# UPS", "via DHL"), not an Italian street named after a date ("via XX Settembre", "via IV
# Novembre").
_CARRIER = re.compile(r"(?![IVXLCDM]+\b)[A-Z]{2,5}")
_DASH = re.compile(r" +[-–] +")
# A postcode and the town after it: "75020 Paris", "89073 ULM".
_CODE_THEN_PLACE = re.compile(r"(?<![\w-])\d{4,6},?[ \t]+[A-ZÀ-Ý][^\W\d_]")
# One comma-separated part of an address right before a postcode or an earlier part: words
# of capitals or a house number ("Flat 3", "14 Mill Road", "Exeter").
# An ordinal in an Indian address part: "3rd Cross", "HAL 2nd Stage", "14th Main".
_ORDINAL = r"\d{1,3}(?:st|nd|rd|th)"
_PART_BEFORE = re.compile(
    rf"(?<![\w'’.-])((?:Co\.|No\.[ \t]*\d{{1,5}}|{_CAP}|{_NUM}|{_ORDINAL})"
    rf"(?:[ \t]+(?:{_CAP}|{_NUM}|{_ORDINAL})){{0,3}})(?:,[ \t]+|[ \t])$"
)
# A town and an Indian PIN code after it ("Pune 411045", "Kerala - 695014"; India Post: six
# digits, the first 1-8).
_PLACE_THEN_PIN = re.compile(
    r"(?<![\w.-])([A-Z][^\W\d_]+)(?:[ \t]+-)?[ \t]+([1-8]\d{5})(?![\w.,/-])"
)
_DATE_FIRST = re.compile(r"\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}$|\d{1,2}/\d{4}$")
# A street part that starts with its number or a flat: "14 Mill Road", "Flat 3" ("Invoice
# 2291" is no street).
# The letters of a Dutch postcode are part of the code, not of the place: "9713 BG Groningen".
_NL_CODE = re.compile(r"[1-9]\d{3} ?[A-Z]{2}(?= )")
# A two-digit year after an apostrophe after a word: "a '14 Fiesta ST" (a quoted SQL
# or CSV value, ",'14 Barrowby Lane'", is an address).
_YEAR_ABBREVIATION = re.compile(r"(?<=[^\W\d_][ \t])['’]\d\d[ \t]")
# Example addresses of German forms ("Musterstraße 1, 12345 Musterstadt", "Beispielweg 3").
_PLACEHOLDER = re.compile(r"(?i)(?<![^\W\d_])(?:muster|beispiel)")


def _literal(words: tuple[str, ...]) -> str:
    """:func:`alternation` of ``words`` (longest first), a space in a word matching an optional
    blank (``Edo. Méx.`` and ``Edo.Méx.``); no words match nothing."""
    return (alternation(words) or "(?!)").replace(r"\ ", r"[ \t]?")


def _after_a_name(text: str, start: int) -> bool:
    """Whether a capitalised word and one space stand right before ``start`` on its line."""
    return (
        re.search(r"(?<![\w.-])[A-ZÀ-ÖØ-Þ][\w'’-]* $", text[max(0, start - 40) : start]) is not None
    )


class AddressRecognizer(EntityRecognizer):
    """Street lines (with their postcode and place), distinctive postcodes, address columns."""

    name: str

    def __init__(self, *, facts: PiiFacts, supported_language: str, nlp: Any = None) -> None:
        self._english = english_words(nlp)
        words = facts.address_words
        particles = rf"(?:(?:{_literal(words.name_particles)})[ \t]*)"
        units = _literal(words.unit_words_before)
        unit = rf"(?:(?:{units})[ \t]+[\w-]{{1,6}},?[ \t]+)"
        # A street part that starts with its number or a flat: "14 Mill Road", "Flat 3"
        # ("Invoice 2291" is no street).
        self._number_first = re.compile(rf"\d|no\.[ \t]*\d|(?:{units})[ \t]+\w", re.IGNORECASE)
        # A flat, unit or house number after the street: "apto 54", "Unit 305", "No: 214/6";
        # an Iberian floor and door: "3.º B", "2.º Esq."; a room: "sala 302", "scala B".
        unit_tail = (
            rf"(?i:{_literal(words.unit_words_after)})\.?:?[ \t]*"
            r"(?=[\w/-]*\d)[\w/-]{1,8}(?![\w/-])"
            rf"|\d{{1,2}}\.?[ºª°]\.?(?:[ \t]*(?:(?i:{_literal(words.floor_door_words)})\.?|[A-Z](?!\w)))?"
            rf"|(?i:{_literal(words.room_words)})[ \t]+[\w-]{{1,5}}(?![\w-])"
        )
        after_number = _literal(words.number_first_street_words)
        self._prepositions = frozenset(words.lead_prepositions)
        self._lead_stops = frozenset(words.lead_stop_words)
        self._lower_articles = frozenset(words.lower_case_articles)
        self._measures = frozenset(w.casefold() for w in words.measure_units)
        self._noun_streets = frozenset(words.noun_street_words)
        self._noun_followers = frozenset(w.casefold() for w in words.noun_street_followers)
        self._pitch = re.compile(rf"(?<![\w-])(?:{_literal(words.pitch_words)})[ \t]+[Pp]latz\b")
        self._capital_suffixes = tuple(w.casefold() for w in words.capitalised_glued_suffixes)
        self._orgs = frozenset(o.casefold() for o in facts.known_organisations)
        # Parts of a Mexican address line: the colonia, a cardinal after the house number, the
        # postcode after "C.P." / "CP", a state's abbreviation ("Jal.", "N.L.").
        mx_tail = (
            rf"(?:{_literal(words.mx_colonia_words)})[ \t]+[A-ZÁÉÍÓÚÑ][\w'’-]*"
            r"(?:[ \t]+(?:de(?:[ \t]+la)?|del|las|los)?[ \t]*[A-ZÁÉÍÓÚÑ][\w'’-]*){0,3}"
            rf"|(?:{_literal(words.mx_cardinals)})(?!\w)|C\.?[ \t]?P\.?[ \t]*\d{{5}}(?!\d)"
            rf"|(?:{_literal(words.mx_state_abbreviations)})(?!\w)"
        )
        en = alternation(facts.street_suffixes_en)
        glued = alternation(facts.street_suffixes_glued)
        pre = alternation(facts.street_prefixes)
        # glued street words: "Hauptstraße 5" (see :meth:`_common_glued`)
        self._glued_street = re.compile(
            rf"(?<![\w-])(?:{_WORD}[ \t]+)?[\w'’.-]{{2,}}(?:{glued})[ \t]+{_NUM}(?![\w/-]|[.,]\d{{3}}(?!\d))",
            re.IGNORECASE,
        )
        self._streets = [
            re.compile(
                rf"(?<![\w:/.-]){unit}?{_NUM},?[ \t]+(?:[NSEW]\.?[ \t]+)?(?:{_WORD}[ \t]+){{0,3}}"
                rf"{_WORD}[ \t]+(?:{en})\b\.?(?:[ \t]+[NSEW]{{1,2}}\b)?",
                re.IGNORECASE,
            ),
            re.compile(
                rf"(?<![\w:/.-]){_NUM},?[ \t]+(?:{after_number})[ \t]+{particles}*{_WORD}(?:[ \t]+{particles}*{_WORD}){{0,3}}",
                re.IGNORECASE,
            ),
            self._glued_street,
            re.compile(
                # a bare "Platz 4" is a seat, a bench or a rank; "Marktplatz 4" is glued
                rf"(?<![\w-])(?:(?:{_CAP}[ \t]+)?(?:[Ww]eg|[Ss]tra(?:ß|ss)e|[Aa]llee|[Mm]arkt|WEG|STRA(?:ß|SS)E|ALLEE|MARKT)|{_CAP}[ \t]+(?:[Pp]latz|[Ss]tr\.))"
                rf"[ \t]+{_NUM}(?![\w/-])"
            ),
            re.compile(
                rf"(?<![\w-])(?i:{pre})[ \t]+{particles}*{_CAP}(?:[ \t]+{particles}*{_CAP}){{0,3}},?[ \t]+{_NUM}(?![\w/-])"
            ),
            re.compile(  # Turkish: name, street type, "No:" and number ("Bağdat Caddesi No: 214/6")
                rf"(?<![\w-]){_CAP}(?:[ \t]+{_CAP}){{0,2}}[ \t]+(?:Caddesi|Cad\.|Sokak|Sokağı|Sk\.|Bulvarı|Blv\.)"
                rf"(?:[ \t]+(?:No|Nr)\.?:?)?[ \t]*{_NUM}(?![\w/-])"
            ),
            re.compile(
                rf"(?:(?<=\bon )|(?<=\bin )|(?<=\bat )|(?<=\bnear )|(?<=\boff ))(?!(?:the|a|an|this|that|my|our|your)\b)(?:{_CAP}[ \t]+){{0,2}}{_WORD}[ \t]+(?:road|street|lane|avenue)\b",
                re.IGNORECASE,
            ),
        ]
        # a lower-case line of a chat or form: "via dei mille 24", "calle de toledo 58", "ul.
        # marszałkowska 84" (a street word written before the name, a number after it)
        lower = alternation(facts.address_words.lower_case_street_prefixes) or "(?!)"
        word = r"[a-zß-öø-ÿ][\w'’-]*"
        self._lower_street = re.compile(
            rf"(?<![\w-])(?:{lower})[ \t]+{particles}*{word}(?:[ \t]+{particles}*{word}){{0,3}}"
            rf",?[ \t]+{_NUM}(?![\w/-])"
        )
        codes = facts.postcode_patterns
        # An Eircode alone is taken with its space only ("D02 X285"); written without it
        # ("C30Y287", a cabin layout) it needs an address column, a postcode word or a street.
        strong = "|".join(
            f"(?=[A-Z0-9]{{3}} ){codes[k]}" if k == "IE" else codes[k]
            for k in ("UK", "CA", "IE")
            if k in codes
        )
        any_code = "|".join(codes.values())
        self._strong_code = re.compile(rf"(?<![\w-])(?:{strong})(?![\w-])")
        self._eircode = re.compile(rf"(?<![\w-])(?:{codes.get('IE', '(?!)')})(?![\w-])")
        self._any_code = re.compile(rf"(?:{any_code})")
        # a postcode, one or two spaces, a place ("UN 1090   Clase:" is a form's fields; the
        # last digits of a masked card, "************4416  Contactless", are none)
        self._code_then_place = re.compile(
            rf"(?<![\w.,/:+#*-])(?<!\d )(?!(?:19|20)\d\d\b)(?:{codes.get('NL', '[0-9]{4} [A-Z]{2}')}"
            rf"|[0-9]{{4,5}}-[0-9]{{3}}"  # Portugal, Brazil
            rf"|[0-9]{{4,6}}|{codes.get('PL', '[0-9]{2}-[0-9]{3}')}) {{1,2}}{_CAP}(?:[ -]{_CAP})?"
        )
        # What may follow a street line on its line: ", " / " - " / spaces, then a postcode, a
        # flat or unit ("apto 54", "Unit 305", "No: 214/6") or one to three capitalised words
        # (district, city, state code) with an optional postcode. A bare "," or a tab (a CSV
        # or TSV cell boundary) ends the address.
        self._tail = re.compile(
            rf"(?:, +| +[-–] +| {{1,2}}(?! ))(?:(?:{any_code})(?![\w-])(?:[ \t]+{_WORD})?"
            rf"|{unit_tail}"
            # Mexican colonia, cardinal suffix and "C.P." ("Col. Roma Norte", "2050 Pte.")
            rf"|{mx_tail}"
            rf"|{_CAP}(?:[ -](?:(?:de|da|do|dos|das|del|di)[ \t]+)?(?!(?:{any_code})(?![\w-])){_CAP}){{0,2}}"
            rf"(?:[ \t]+\d{{1,2}}(?![\w/.-]))?"  # a city district: "Dublin 6"
            rf"(?:[ \t]+(?:{any_code})(?![\w-]))?)"
            # a province in brackets: "10122 Torino (TO)", "Alcalá de Guadaíra (Sevilla)"
            rf"(?:[ \t]+\([A-Z][\w'’. -]{{1,24}}\))?"
        )
        self._code_cue = re.compile(
            rf"(?<!\w)(?:{alternation(facts.postcode_context)})\s*[:#]?\s*$", re.IGNORECASE
        )
        self._cells = AddressCells(facts)
        self._places = load_wordlist("places")
        street_words = (*facts.street_suffixes_en, *facts.street_prefixes)
        self._street_word = re.compile(
            rf"(?<![\w])(?:{alternation(street_words)})(?![\w])|(?:{glued})\b", re.IGNORECASE
        )
        self._calendar = frozenset(w.casefold() for w in (*facts.month_names, *facts.weekday_names))
        self._weekdays = frozenset(w.casefold() for w in facts.weekday_names)
        self._units = frozenset(w.casefold() for w in facts.unit_words)
        super().__init__(
            supported_entities=["LOCATION"],
            name="AddressRecognizer",
            supported_language=supported_language,
        )

    def load(self) -> None:
        """Nothing to load."""

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        """Addresses and postcodes in ``text`` (overlaps are left to the caller)."""
        spans = self._street_lines(text)
        for m in self._strong_code.finditer(text):
            spans.append((self._grow_back(text, m.start()), m.end(), 0.6))
        for m in _PLACE_THEN_PIN.finditer(text):  # "Baner Road, Pune 411045"
            if m.group(1).casefold() in self._places:
                spans.append((self._grow_back(text, m.start(1)), m.end(), 0.6))
        for m in self._code_then_place.finditer(text):
            if _PLACEHOLDER.search(m.group()):
                continue  # "12345 Musterstadt": a form's example
            if self._place_after_code(m.group(), _after_a_name(text, m.start())):
                spans.append((m.start(), self._extend(text, m.end()), 0.6))
        cued = (
            *re.finditer(r"(?<![\w.-])\d{4,6}(?:-\d{3})?(?![\w.-])", text),
            *self._eircode.finditer(text),  # "Eircode: D16X2Y3" (with its space it is strong)
        )
        for m in cued:
            line_start, _ = line_bounds(text, m.start())
            if self._code_cue.search(text, line_start, m.start()):
                spans.append((m.start(), m.end(), 0.6))
        spans.extend(self._cells.columns(text))
        spans.extend(self._cells.keyed(text))
        spans.extend(self._block_lines(text, [(s, e) for s, e, score in spans if score == 0.7]))
        return [self._result(s, e, score) for s, e, score in final_spans(text, spans)]

    def _street_lines(self, text: str) -> list[tuple[int, int, float]]:
        """Number-and-street matches, grown over the postcode and place after them."""
        spans: list[tuple[int, int, float]] = []
        for rx in self._streets:
            for m in rx.finditer(text):
                first, *rest = m.group().split()
                if self._no_street(text, m, first, rest):
                    continue
                if (
                    rx is self._glued_street
                    and rest
                    and self._common_glued(rest[-2] if len(rest) > 1 else first)
                ):
                    continue
                start = m.start()
                if rest and first in self._prepositions:  # "at Hauptstraße 5": the street only
                    start = text.index(rest[0], start + len(first))
                spans.append((start, self._extend(text, m.end()), 0.7))
        for m in self._lower_street.finditer(text):
            words = m.group().split()[1:-1]  # the name between the street word and the number
            if not any(is_english(w.strip(",.").casefold(), self._english) for w in words):
                spans.append((m.start(), self._extend(text, m.end()), 0.7))  # not "via email 2"
        return spans

    def _no_street(self, text: str, m: re.Match[str], first: str, rest: list[str]) -> bool:
        """A street-shaped match that is something else (see the comments)."""
        if first.lower() in self._lead_stops or first in self._lower_articles:
            return True
        if (
            first == "via"
            and rest
            and (_CARRIER.fullmatch(rest[0]) or " ".join(rest[:2]).casefold() in self._orgs)
        ):
            return True  # "Ships via UPS 1Z 9W7 …", "via Royal Mail Tracked 48": a carrier
        if first in ("AM", "PM") and re.search(r"\d[ \t]?$", text[: m.start()]):
            return True  # "FROM 7:00 AM TO 8:15": a time, not "AM MÜHLBACH 2A"
        if any(w.casefold().rstrip(",.") in self._weekdays for w in rest[:2]):
            return True  # "AM SAMSTAG, 14.": a weekday, not a street
        if _YEAR_ABBREVIATION.search(text, max(0, m.start() - 2), m.start() + 3):
            return True  # "a '14 Fiesta ST": a model year, not a house number
        if _PLACEHOLDER.search(m.group()) or self._pitch.search(
            text, max(0, m.start() - 1), m.end()
        ):
            return True  # "Musterstraße 1": a form's example; "Kunstrasen Platz 2": a pitch
        return self._phrase_or_measure(text, m, first, rest)

    def _phrase_or_measure(self, text: str, m: re.Match[str], first: str, rest: list[str]) -> bool:
        """A street-shaped phrase, date, distance or duration (see the comments)."""
        if self._french_phrase(rest) or _DATE_FIRST.match(first):
            return True  # "1 place par logement"; "29/02/2024 réalisée par le Dr": a date
        if first[:1].isdigit() and self._phrase_words(rest):
            return True  # "loco 66 104 on its way": a phrase, not a street called "On Its Way"
        if rest and rest[0].casefold().rstrip(".'’") in self._measures:
            return True  # "10 min walk", "5 km drive": a distance, not a street
        after = _WORD_AFTER.match(text, m.end())
        # "garantie 24 mois": a duration after a glued street word
        return bool(
            after and len(after.group(1)) > 2 and after.group(1).casefold() in self._measures
        )

    def _phrase_words(self, rest: list[str]) -> bool:
        """Two or more lower-case words between a number and the street word, one of them an
        article, possessive or conjunction (``on its way``, ``all the way``)."""
        name = rest[:-1]  # two words at least: "12 the crescent" is a street in a chat
        return (
            len(name) >= 2
            and all(w.islower() for w in name)
            and any(w in self._lead_stops for w in name)
        )

    def _common_glued(self, word: str) -> bool:
        """A word ending in a glued street word that also ends common nouns and names, written
        without a capital or with a stem under three letters: ``aflevering 1``, ``Turing 355``
        (``Hansaring 88``, ``Gewerbering 7`` are streets)."""
        low = word.casefold()
        for suffix in self._capital_suffixes:
            if low.endswith(suffix):
                stem = word[: len(word) - len(suffix)].rstrip("-")
                return not word[:1].isupper() or len(stem) < 3
        return False

    def _french_phrase(self, words: list[str]) -> bool:
        """A French street word used as a common noun: "1 place par logement"."""
        return (
            len(words) > 1
            and words[0] in self._noun_streets
            and words[1].casefold() in self._noun_followers
        )

    def _block_lines(
        self, text: str, streets: list[tuple[int, int]]
    ) -> list[tuple[int, int, float]]:
        """The lines of a postal address block after a street line that ends its line:
        locality, town, county, postcode, country (``Mervue`` / ``Galway`` / ``H91 N2PT``,
        ``LLANDEILO`` / ``CARMARTHENSHIRE`` / ``WALES``). Up to five short lines of capitalised
        words or postcodes, stopped by a blank line, a label, a number alone or a sentence; the
        block needs a postcode or a known place among them."""
        out: list[tuple[int, int, float]] = []
        for _, end in streets:
            line_end = line_bounds(text, end)[1]
            if text[end:line_end].strip():
                continue
            lines: list[tuple[int, int]] = []
            pos = line_end + 1
            while pos < len(text) and len(lines) < 5:
                nxt = line_bounds(text, pos)[1]
                value = text[pos:nxt].strip()
                if not _BLOCK_LINE.fullmatch(value):
                    break
                lead = pos + (len(text[pos:nxt]) - len(text[pos:nxt].lstrip()))
                lines.append((lead, lead + len(value)))
                pos = nxt + 1
            flagged = [i for i, (a, b) in enumerate(lines) if self._postcode_or_place(text[a:b])]
            if flagged:  # up to the last line with a postcode or a place ("Obrigada." is none)
                out.extend((a, b, 0.6) for a, b in lines[: flagged[-1] + 1])
        return out

    def _grow_back(self, text: str, start: int) -> int:
        """Grow a postcode back over the parts of its address before it on its line, up to
        the furthest part that is a street (a street word or a house number in it), or else
        over the known places right before it: ``Hollybank Lane, Alphington, Exeter EX2 8TL``,
        ``Ffordd Penlan, Bangor LL57 4HJ``. A signature's name (``Rhiannon Pryce, Bangor LL57
        4HJ``) is neither and stays out."""
        line_start = line_bounds(text, start)[0]
        parts: list[tuple[int, bool, bool]] = []  # (start, a street, a known place)
        pos = start
        for _ in range(6):
            m = _PART_BEFORE.search(text, line_start, pos)
            if m is None:
                break
            part = m.group(1)
            street = bool(self._street_word.search(part) or self._number_first.match(part))
            parts.append((m.start(), street, part.casefold() in self._places))
            pos = m.start()
        streets = [i for i, (_, street, _) in enumerate(parts) if street]
        if streets:
            return parts[streets[-1]][0]
        for part_start, _, place in parts:
            if not place:
                break
            start = part_start
        return start

    def _postcode_or_place(self, value: str) -> bool:
        head = value.split(",", maxsplit=1)[0].strip().casefold()
        code = self._code_then_place.match(value)  # "9713 BG Groningen", "1030 Wien"
        return (
            bool(self._strong_code.search(value))
            or head in self._places
            or (code is not None and self._place_after_code(code.group()))
        )

    def _place_after_code(self, match: str, after_a_name: bool = False) -> bool:
        """``28013 Madrid``: the word after a bare number is a known place or a Title-case word
        (not ``1000 ORDER BY``, ``1410 MHz``). After a capitalised word (``Piko 51420
        Nahverkehrswagen``, ``Technic 42115 Lamborghini``) the number is a brand's article number
        unless a known place follows; so is a six-digit number (``401000 Fournisseurs``, an
        account of a chart of accounts)."""
        nl = _NL_CODE.match(match)
        place = match[nl.end() :] if nl else match.split(None, 1)[1] if " " in match.strip() else ""
        words = re.split(r"[ -]", place.strip())
        if place.strip().casefold() in self._places:
            return True
        if after_a_name or len(match.split(None, 1)[0]) == 6:
            return False  # six digits (India, Russia, China) only before a known place
        if any(w.casefold() in self._calendar or w.casefold() in self._units for w in words):
            return False  # "from 0600 until 1800 Wednesday", "2976 Mbps": a time, a unit
        if self._english and all(is_english(w.casefold(), self._english) for w in words if w):
            return False  # "26050 Brushed Steel Kettle": a model number and a product
        last = words[-1].casefold()
        if len(words) > 1 and last not in self._places and is_english(last, self._english):
            return False  # "12123 Deccan Queen", "12860 Gitanjali Express": a train, no town
        return bool(words) and all(w[:1].isupper() and w[1:].islower() for w in words if w)

    def _extend(self, text: str, end: int) -> int:
        """Grow a street line over the postcode / place parts after it on the same line."""
        line_start, line_end = line_bounds(text, end)
        for _ in range(8):
            m = self._tail.match(text, end, line_end)
            if m is None:
                break
            dashed = _DASH.match(m.group())
            rest = m.group()[dashed.end() :] if dashed else ""
            if (
                dashed
                and rest.casefold() not in self._places
                and not (rest.isupper() and 2 <= len(rest) <= 3)  # "Recife - PE": a state
                and _CODE_THEN_PLACE.search(text, line_start, end)
            ):
                break  # "89073 ULM - BEFUND PER FAX": a note after the town, not a country
            end = m.end()
        return end

    def _result(self, start: int, end: int, score: float) -> RecognizerResult:
        return result(
            "LOCATION",
            name=self.name,
            rid=self.id,
            start=start,
            end=end,
            score=score,
            why="address shape",
        )
