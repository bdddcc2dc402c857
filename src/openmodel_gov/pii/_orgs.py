"""Organisations and things named after people or places: not ``PERSON`` or ``LOCATION``.

spaCy's small English model, the name lists and the place lists all read ``Louis Vuitton``,
``Real Madrid``, ``Bank of America`` or ``the Nobel Prize`` as a person or a place. After
recognition, :class:`OrgMask` drops a ``PERSON`` or ``LOCATION`` finding that

* overlaps a mention of a known organisation or eponymous thing (``known_organisations`` and
  ``eponymous_things`` in ``recognizers.yaml``: brands, firms, clubs, dishes, ships, awards)
  or a placeholder name that stands for anyone (``placeholder_names``: ``Max Mustermann``);
* is followed by an organisation word (``Ford Foundation``, ``Marie Curie fellowship``,
  ``Leeds United``, ``Siemens AG``: ``org_suffix_words``), or
* follows one (``Real Madrid``, ``Bank of America``, ``HMS Victory``: ``org_prefix_words``),
  or is one such word and one more (a span ``Bayer Leverkusen``), or
* starts with a prefix word or ends with a suffix word (``Stadio Giuseppe Meazza``,
  ``Hertha BSC``), or lies inside a title in guillemets or low-high quotes (``„Pan Tadeusz”``,
  ``«Dom Casmurro»``: book and film titles; straight quotes, common in code, do not count), or
* follows a one-word brand (``Renault Zoe``, ``Fiat Panda``: a model, not a person) or a
  culinary "in the style of" (``pasta alla Norma``, ``sole à la Meunière``), or
* is a place followed by a capitalised plural (``Mumbai Indians``, ``Texas Instruments``) other
  than a geographic one (``Canary Islands``: ``place_plural_words``).

Street, road and place words are never organisation words, so ``Baker Street`` and ``New York
City`` stay places.
"""

from __future__ import annotations

import re
from typing import Any

from openmodel_gov.pii._context import alternation, column_header, fold, title_case, words_pattern
from openmodel_gov.pii._facts import PiiFacts, load_wordlist
from openmodel_gov.pii._lexicon import english_words, is_english
from openmodel_gov.pii._results import PiiFinding

__all__ = ["OrgMask"]

_MASKED = frozenset(["PERSON", "LOCATION"])
_NEXT_WORD = re.compile(r"[ \t]([A-Z][a-z]{2,})\b")
_LOWER_NEXT = re.compile(r"[ \t]([a-z]{2,})\b")
# A regnal number (II to XXXIX) after one given name, in the span or right after it.
_ROMAN = r"(?:X{0,3})(?:IX|IV|V?I{0,3})"
_REGNAL_SPAN = re.compile(rf"[A-ZÀ-Ý][\w'’-]+ (?=[IVX]{{2}}|V\b|X\b){_ROMAN}(?: [A-ZÀ-Ý][\w'’-]+)?")
_REGNAL_AFTER = re.compile(rf" (?=[IVX]{{2}}|V\b|X\b){_ROMAN}\b")
# Prepositions that also mean "of" in the sets' languages: after one, a saint's name is the
# saint's ("festa di San Giuseppe", "coro de Santa Cecilia").
_GENITIVES = frozenset({"de", "di", "da", "do", "du", "del", "della", "des", "of"})
# "alla Norma", "all'Amatriciana", "à la Rossini", "a la Kiev": in the style of (a dish).
_STYLE_OF = re.compile(r"(?<![\w])(?:alla|all['’]|à la|a la|à l['’])[ \t]*$", re.IGNORECASE)
# The word right before a finding, one space away on its line.
_WORD_BEFORE = re.compile(r"(?<![\w&'’.-])([^\W\d_][\w'’.-]*)[ \t]$")


# The particles between an organisation's name and its place or eponym: "di", "de", "of",
# "Don" ("Pizzería Don Giovanni").
_OF = r"(?:di|de|del|della|do|da|of|von|du|des|dos|Don|Doña|Dona|Chez|chez)"


def _cased(words: tuple[str, ...]) -> tuple[str, ...]:
    """Each word as written, capitalised and, from three letters, in capitals (``fellowship``,
    ``Fellowship``, ``GMBH`` in an ALL-CAPS delivery note); acronyms (``FC``, ``HMS``) as
    written only, so ``Ms`` is not ``MS``. Lower-case forms are listed where they apply: "a
    Leeds hospital" is a place, "a Marie Curie fellowship" is not a person."""
    out: list[str] = []
    for word in words:
        out.append(word)
        if not word.isupper():
            out.append(word[:1].upper() + word[1:])
            if len(word) >= 3:
                out.append(word.upper())
    return tuple(out)


_LETTERS = re.compile(r"[^\W\d_]+")


# A word of a software name: "c++", "c#", "node.js", "ruby".
_SOFTWARE_WORD = re.compile(r"[^\W_][\w+#.]*(?<![.])")


class OrgMask:
    """Drops person and place findings that are part of an organisation's or a thing's name.

    >>> from openmodel_gov.pii._facts import load_facts
    >>> mask = OrgMask(load_facts())
    >>> text = "Ralph Lauren and Real Madrid signed a deal with Anna Nowak."
    >>> found = [PiiFinding("PERSON", 0, 12, 0.8), PiiFinding("LOCATION", 22, 28, 0.8),
    ...          PiiFinding("PERSON", 48, 58, 0.8)]
    >>> [text[f.start : f.end] for f in mask.drop(text, found)]
    ['Anna Nowak']
    """

    def __init__(self, facts: PiiFacts, *, nlp: Any = None) -> None:
        self._english = english_words(nlp)
        self._disease_words = frozenset(facts.place_disease_words)
        self._org_columns = frozenset(fold(c) for c in facts.org_columns)
        self._software_names = frozenset(w.casefold() for w in facts.software_names)
        self._personal_columns = frozenset(
            w
            for c in (*facts.person_columns, *facts.location_columns)
            for w in re.split(r"[\W_]+", c)
        ) - {"", "name", "nome", "nom", "nombre", "naam", "nazwa"}  # "company_name" is a firm's
        self._geo = frozenset(
            w.casefold() for w in (*facts.geographic_words, *facts.street_suffixes_en)
        ) | {w.casefold().rstrip("s") for w in facts.place_plural_words}
        self._places = load_wordlist("places")
        self._first = load_wordlist("first_names")
        self._last = load_wordlist("last_names")
        # One-word entries (``Ford``, ``Martin``) are also first names or surnames: only the
        # spaCy span cleaner reads them, as whole spans. The mask takes the multi-word ones.
        names = tuple(
            n
            for n in (*facts.known_organisations, *facts.eponymous_things, *facts.placeholder_names)
            if " " in n
        )
        self._known = re.compile(rf"(?<!\w)(?:{alternation(names)})(?!\w)", re.IGNORECASE)
        # the longest word of each name: a text without any of them holds none of the names
        self._known_keys = frozenset(
            max(_LETTERS.findall(n.lower()), key=len) for n in names if _LETTERS.search(n)
        )
        street = "|".join(
            re.escape(w) if w[:1].isupper() else f"(?i:{re.escape(w)})"
            for w in sorted(facts.street_name_prefixes, key=len, reverse=True)
        )
        self._street_before = re.compile(rf"(?<![\w/.])(?:{street})[ \t]+$")
        self._street_lead = re.compile(rf"(?:{street})[ \t]")
        en_suffixes = alternation(tuple(w.capitalize() for w in facts.street_suffixes_en))
        self._street_end = re.compile(rf"[ \t](?:{en_suffixes})\.?$")
        self._brands = frozenset(
            n.casefold() for n in facts.known_organisations if " " not in n and len(n) > 2
        )
        feasts = alternation((*facts.feast_words, *facts.church_words)) or "(?!)"
        self._feast = re.compile(
            rf"(?i:(?<![\w])(?:{feasts})[ \t]+(?:(?:de|di|do|da|dos|das|del|della|dei|degli|delle|of|du|des|von|van|pw\.|św\.)[ \t]+)?)$"
        )
        self._suffix = re.compile(
            # "& Sons Ltd" or "& Co." right after the name ("C. Hoare & Co.")
            # one blank before the word: a column gap ("Thomas Whitfield        Works no") ends
            # the name
            rf"(?:(?:['’]s)?[ \t](?:&[ \t]+(?:\w+[ \t]+)?)?"
            rf"(?:{alternation(_cased(facts.org_suffix_words))})"
            # a legal form after a comma: "Montajes Ábaco, S.L.", "Bicho Feliz, Lda."
            rf"|,[ \t]+(?:{alternation(facts.org_legal_forms) or '(?!)'}))"
            rf"(?![\w-])"
        )
        self._plural = re.compile(r"[ \t]+(?:[A-Z][a-z]+[ \t]+)?([A-Z][a-z]+s)\b")
        self._place_plurals = frozenset(facts.place_plural_words)
        prefixes = alternation(_cased(facts.org_prefix_words))
        # right before the span, or before a run of capitalised words and particles that ends
        # in a particle: "Banca Popolare di Sondrio", "Cassa di Risparmio di Asti"
        # ...with an academic or courtesy title between: "Estádio Dr. Magalhães Pessoa"
        titles = alternation(t.capitalize() for t in facts.courtesy_titles)
        self._prefix = re.compile(
            rf"(?<![\w-])(?:{prefixes})(?:(?:[ \t]+(?:[A-ZÀ-Ý][\w'’-]*|{_OF})){{0,4}}[ \t]+{_OF})?"
            rf"(?:[ \t]+(?:{titles})\.?)?[ \t]+$"
        )
        # "Bayer Leverkusen", "Stadio Giuseppe Meazza": a span that starts with a prefix word
        self._lead = re.compile(rf"(?:{prefixes})(?:[ \t]+[^\W\d_][\w'’-]*){{1,3}}$")
        self._init_saints(facts)
        # "Hertha BSC", "James Webb Space Telescope": a span that ends with a suffix word
        self._end = re.compile(rf"[ \t](?:{alternation(_cased(facts.org_suffix_words))})$")
        # A title in guillemets or low-high quotes: «Dom Casmurro», „Pan Tadeusz”
        self._title = re.compile(r"[«„‚]([A-ZÀ-Ý][^«»„“”‚‘’\n.,;:!?]{0,60})[»“”‘’]")
        # A Title Case run in double quotes inside running prose ("After "Emma" and "Jane
        # Eyre" we…"): a letter or sentence mark, a space, the quote; no key, cell or code
        # punctuation before it and no ":" after it, no "<" of an e-mail display name.
        self._prose_title = re.compile(
            r"(?<=[^\W\d_.!?] )[\"“]([A-ZÀ-Ý][^\"“”\n.;:!?<>]{0,60}?)[\"”](?=[ ,.;!?)]|$)(?! <)"
        )

    def _init_saints(self, facts: PiiFacts) -> None:
        """The patterns of :meth:`_saint`."""
        # a saint's title before a person reading or starting it: "San Isidro", "St John Ambulance"
        saints = alternation(facts.saint_titles) or "(?!)"
        self._saint_before = re.compile(rf"(?<![\w.])(?:{saints})[ \t]+$")
        self._saint_lead = re.compile(rf"(?:{saints})[ \t]+[^\W\d_]")
        # a place preposition right before a place reading: "in San Giovanni Rotondo" is a town
        # ("de"/"di" also mean "of": "la festa di San Giuseppe" names the saint)
        preps = [p for p in facts.place_prepositions if p.casefold() not in _GENITIVES]
        before = words_pattern(preps).pattern if preps else "(?!)"
        self._place_preposition = re.compile(rf"{before}[ \t]+$", re.IGNORECASE)
        # a church word starting a person reading: "Parrocchia di San Lorenzo Martire"
        churches = alternation(facts.church_words) or "(?!)"
        self._church_lead = re.compile(rf"(?i:{churches})[ \t]+[^\W\d_]")

    def drop(self, text: str, findings: list[PiiFinding]) -> list[PiiFinding]:
        """``findings`` without the person and place findings that name an organisation."""
        if not any(f.entity_type in _MASKED for f in findings):
            return findings
        inside = (
            []
            if self._known_keys.isdisjoint(_LETTERS.findall(text.lower()))
            else [  # around the findings only: the alternation is long
                (m.start(), m.end())
                for start, end in _windows(findings, len(text))
                for m in self._known.finditer(text, start, end)
            ]
        )
        titles = [(m.start(1), m.end(1)) for m in self._title.finditer(text)]
        titles += [
            (m.start(1), m.end(1))
            for m in self._prose_title.finditer(text)
            if title_case(m.group(1))
        ]
        return [
            f
            for f in findings
            if f.entity_type not in _MASKED
            or not (
                any(s < f.end and f.start < e for s, e in inside)
                or any(s <= f.start and f.end <= e for s, e in titles)
                or self._org_words_around(text, f)
                or self._org_column(text, f)
                or self._software(text, f)
            )
        ]

    def _software(self, text: str, f: PiiFinding) -> bool:
        """A one-word finding that names a programming language or tool (``Julia``, ``Ruby``,
        ``Jenkins``) with another one within 60 characters: "Julia/Python", "Julia of R",
        "Django ou Ruby on Rails"."""
        value = text[f.start : f.end].casefold()
        if value not in self._software_names:
            return False
        around = text[max(0, f.start - 60) : f.end + 60].casefold()
        return any(w != value and w in self._software_names for w in _SOFTWARE_WORD.findall(around))

    def _org_column(self, text: str, f: PiiFinding) -> bool:
        """The finding sits in a table column of organisations or products (``brand``,
        ``hersteller``, ``supplier``) that names no person or place column: "Peter England"
        under ``brand`` is a label, "Patagonia" under ``marca`` a company."""
        if not self._org_columns:
            return False
        header = column_header(text, f.start)
        if header is None:
            return False
        words = set(re.split(r"[\W_]+", header))
        folded = {fold(w) for w in words}  # "titulo" is "título" written in code
        return bool(folded & self._org_columns) and not words & self._personal_columns

    def _org_words_around(self, text: str, f: PiiFinding) -> bool:
        """An organisation word after, before, leading or ending the span; for a place, a team
        plural or a named thing after it."""
        return bool(
            self._suffix.match(text, f.end)
            or self._prefix.search(text, max(0, f.start - 40), f.start)
            or self._lead.match(text, f.start, f.end)
            or self._end.search(text, f.start, f.end)
            or _STYLE_OF.search(text, max(0, f.start - 8), f.start) is not None
            or self._brand_before(text, f.start)
            or (f.entity_type == "PERSON" and self._brand_model(_with_next_code(text, f)))
            or (f.entity_type == "LOCATION" and self._brand_product(text[f.start : f.end]))
            or self._street_name(text, f)
            or self._feast_day(text, f)
            or self._saint(text, f)
            or self._regnal(text, f)
            or (
                f.entity_type == "LOCATION"
                and (self._team_after(text, f.end) or self._named_thing_after(text, f.end))
            )
        )

    def _regnal(self, text: str, f: PiiFinding) -> bool:
        """One given name and a regnal number (``George III``, ``Louis XIV``, ``Jan III
        Sobieski``): a monarch or a pope, or a ship or a pub named after one, not a person nor
        a place (``George`` is a town). A family suffix follows a full name (``John Smith III``
        stays)."""
        value = text[f.start : f.end]
        if f.entity_type == "PERSON" and _REGNAL_SPAN.fullmatch(value):
            return True
        return " " not in value and _REGNAL_AFTER.match(text, f.end) is not None

    def _saint(self, text: str, f: PiiFinding) -> bool:
        """A person reading after or starting with a saint's title (``San Isidro``, ``Sankt
        Martin``, ``St John Ambulance``) or starting with a church word (``Parrocchia di San
        Lorenzo``): a saint, or a church or body named after one. A model's place reading that
        starts with a title is a saint too (``la festa di San Giuseppe``) unless it is a known
        place or follows a place preposition (``São Paulo``, ``in San Giovanni Rotondo``)."""
        if f.entity_type == "LOCATION":
            return (
                f.recognizer == "SpacyRecognizer"
                and self._saint_lead.match(text, f.start, f.end) is not None
                and text[f.start : f.end].casefold() not in self._places
                and self._place_preposition.search(text, max(0, f.start - 16), f.start) is None
            )
        return f.entity_type == "PERSON" and bool(
            self._saint_before.search(text, max(0, f.start - 12), f.start)
            or self._saint_lead.match(text, f.start, f.end)
            or self._church_lead.match(text, f.start, f.end)
        )

    def _street_name(self, text: str, f: PiiFinding) -> bool:
        """A person reading of a street's name: after or starting with ``Calle`` / ``rue`` /
        ``Via``, or ending in a street word (``Church Lane``)."""
        return f.entity_type == "PERSON" and bool(
            self._street_before.search(text, max(0, f.start - 12), f.start)
            or self._street_lead.match(text, f.start, f.end)
            or self._street_end.search(text, f.start, f.end)
        )

    def _brand_before(self, text: str, start: int) -> bool:
        """``Renault Zoe``, ``Taylor 214ce``: a one-word brand right before the span."""
        m = _WORD_BEFORE.search(text, max(0, start - 30), start)
        return m is not None and m.group(1).casefold() in self._brands

    def _brand_product(self, value: str) -> bool:
        """``Asics Gel-Nimbus``: a one-word brand, then words that are no place or geographic
        word (``Toyota City`` stays a place)."""
        first, *rest = value.split() or [""]
        return (
            bool(rest)
            and first.casefold() in self._brands
            and not any(w.casefold() in self._places or w.casefold() in self._geo for w in rest)
        )

    def _brand_model(self, value: str) -> bool:
        """``Bosch PMF``, ``Dyson V15``, ``Bosch Charger``: a one-word brand, then model codes
        (capitals or digits) or words that are no name, not a person (``Martin Smith`` and
        ``MARTIN SMITH`` stay).

        >>> from openmodel_gov.pii._facts import load_facts
        >>> mask = OrgMask(load_facts())
        >>> [mask._brand_model(v) for v in ("Bosch PMF", "Pirelli Angel GT", "Martin Smith", "")]
        [True, True, False, False]
        """
        words = value.split()
        first, rest = words[0] if words else "", words[1:]
        return (
            bool(rest)
            and not first.isupper()  # "MARTIN SMITH" in capitals is a name
            and first.casefold() in self._brands
            and (
                all(
                    _code(w) or not (w.casefold() in self._first or w.casefold() in self._last)
                    for w in rest
                )
                or (len(rest) > 1 and _code(rest[-1]) and not rest[-1].isdigit())  # "Angel GT II"
            )  # "Bosch Charger", "Pirelli Cinturato": no name after the brand
        )

    def _feast_day(self, text: str, f: PiiFinding) -> bool:
        """``festa de São João``, ``notte di San Lorenzo``, ``hierba de San Juan``, ``chiesa di
        San Giuseppe``: a saint's name after a feast or church word is the day, the feast, the
        plant or the church's dedication."""
        return bool(
            _SAINT.match(text, f.start) and self._feast.search(text, max(0, f.start - 30), f.start)
        )

    def _team_after(self, text: str, end: int) -> bool:
        """``Mumbai Indians``, ``Texas Instruments``: a capitalised plural after a place that is
        no geographic word (``Canary Islands``)."""
        m = self._plural.match(text, end)
        return m is not None and m.group(1) not in self._place_plurals

    def _named_thing_after(self, text: str, end: int) -> bool:
        """``Lincoln Navigator``, ``Paris Agreement``, ``New York Times``: a capitalised
        dictionary word after a place that is no geographic or street word (``London Road``,
        ``Silicon Valley``, ``Madrid Airport`` stay places) nor a known place; or a disease word
        after it (``West Nile virus``, ``Rift Valley fever``)."""
        disease = _LOWER_NEXT.match(text, end)
        if disease is not None and disease.group(1) in self._disease_words:
            return True  # "West Nile virus", "Lyme disease": a disease named after a place
        m = _NEXT_WORD.match(text, end)
        if m is None or not self._english:
            return False
        low = m.group(1).casefold()
        return (
            is_english(low, self._english)
            and low not in self._geo
            and low.rstrip("s") not in self._geo
            and low not in self._places
        )


# Saints, and feasts named like places, at the start of a finding ("São João", "Corpus Christi").
_SAINT = re.compile(
    r"(?:San|Santo|Santa|Santos|Santi|São|Saint|Sainte|St\.?|Sankt|Sant'?|Santiago|Corpus|"
    r"Nossa Senhora|Nuestra Señora|Notre-Dame|Madonna|Beato|Beata|Virgen|Virgem|Vergine|"
    r"l['’]Assomption|Assunção|Asunción|Assunta|Reyes|Pentec\w+)\b"
)
# Model codes after a finding: capitals or words with a digit ("GT II", "V15").
_CODES_AFTER = re.compile(r"(?:[ \t]+(?:[A-Z]{1,4}|[\w-]*\d[\w-]*)(?![\w'’-]))+")


def _code(word: str) -> bool:
    """A model code: capitals (``GT``, ``II``) or a word with a digit (``V15``, ``214ce``)."""
    return word.isupper() or any(c.isdigit() for c in word)


def _with_next_code(text: str, f: PiiFinding) -> str:
    """The finding's text and, when one follows on its line, the model code after it
    (``Pirelli Angel`` + `` GT II``)."""
    m = _CODES_AFTER.match(text[f.end : f.end + 24])
    return text[f.start : f.end] + (m.group() if m else "")


def _windows(findings: list[PiiFinding], size: int) -> list[tuple[int, int]]:
    """The stretches of a text of ``size`` characters within 80 characters of a person or place
    finding, overlapping ones merged (a long table's findings are scanned once, not once each).

    >>> from openmodel_gov.pii._results import PiiFinding
    >>> found = [PiiFinding("PERSON", 100, 110, 0.9, "x"), PiiFinding("LOCATION", 150, 160, 0.9, "x")]
    >>> _windows(found, 1000)
    [(20, 240)]
    """
    out: list[tuple[int, int]] = []
    for f in sorted((f for f in findings if f.entity_type in _MASKED), key=lambda f: f.start):
        start, end = max(0, f.start - 80), min(size, f.end + 80)
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out
