"""Known places (GeoNames cities and towns, countries) right after a preposition, a ``city``
key, or alone in a line or table cell.

:class:`PlaceRecognizer` reports a known place right after a preposition (``in``, ``from``,
``aus``, ``à``, ``w`` ...) or a ``city=`` / ``"city":`` key, and a known place that fills a
line or a ``|`` / ``·`` separated part of one (``Bristol`` in a postal address, ``Chennai,
Tamil Nadu`` in a CV header). A lower-case place is read only after an English preposition and
when it is no adjective, verb or adverb (``moved from munich``, not ``switched to oral``), and
not in a text of another language whose writer capitalises names (``bar in sala``). The
list is built by ``tests/data/pii/build_gazetteers.py`` (GeoNames, CC BY 4.0).
"""

from __future__ import annotations

import re
from typing import Any

from presidio_analyzer import EntityRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from openmodel_gov.pii._facts import PiiFacts, load_wordlist
from openmodel_gov.pii._hits import result
from openmodel_gov.pii._lexicon import cased_foreign_text, non_noun_words, stop_words

__all__ = ["PlaceRecognizer"]


# Prepositions after which a lower-case place is read ("moved from munich"); after the others
# ("del alta", "de mayo") a lower-case word is far more often a common word.
_LOWER_OK = frozenset(["in", "from", "to", "at", "near", "around", "outside"])
# A part of a line between its start or end and " | ", " · ", " • " or a tab, of one to four words.
_CELL = re.compile(
    r"(?:^|(?<= [|·•] )|(?<=\t))[ \t]*([^\W\d_][\w'’.-]*(?:,? [^\W\d_][\w'’.-]*){0,3})[ \t]*(?=$| [|·•] |\t)",
    re.MULTILINE,
)


# A capitalised word right after a place-list match: the match starts a longer name (a
# company, a room, a shop: "Centro Servizi", "Sala Giove", "Loja TecnoMais").
_NAME_GOES_ON = re.compile(r"[ \t]+[A-ZÀ-Ý][a-zß-ÿ]")
# A number right after a lower-case word: a section, page or item ("in para 3.4", "to page 12").
_NUMBER_NEXT = re.compile(r"[ \t]+\d")
# "and" / "or" in the eight languages, then one to three capitalised words.
_COORD = re.compile(
    r",?[ \t]+(?:and|or|et|ou|y|o|e|und|oder|en|of|oraz|lub|albo)[ \t]+"
    r"([A-ZÀ-Ý][\w'’-]*(?:[ -][A-ZÀ-Ý][\w'’-]*){0,2})"
)


class PlaceRecognizer(EntityRecognizer):
    """Known places (GeoNames cities, countries) right after a preposition or ``city=``."""

    name: str

    def __init__(self, *, facts: PiiFacts, supported_language: str, nlp: Any = None) -> None:
        self._not_nouns = non_noun_words(nlp)
        self._places = load_wordlist("places")
        self._orgs = frozenset(o.casefold() for o in facts.known_organisations)
        self._labels = frozenset(w.casefold() for w in facts.not_location_words)
        preps = "|".join(
            sorted((re.escape(p) for p in facts.place_prepositions), key=len, reverse=True)
        )
        word = r"[^\W\d_][\w'’-]*"
        self._rx = re.compile(
            rf"(?<!\w)(?:{preps})(?:[\"']?[ \t]*[:=][ \t]*[\"']?|\s+)({word}(?:[ -]{word}){{0,2}})",
            re.IGNORECASE,
        )
        super().__init__(
            supported_entities=["LOCATION"],
            name="PlaceRecognizer",
            supported_language=supported_language,
        )

    def load(self) -> None:
        """Nothing to load."""

    def _cells(self, text: str) -> list[tuple[int, int, str]]:
        """A known place that fills a line or a ``|`` / ``·`` separated part of one, optionally
        with its region or country: ``Bristol`` on its own line of a postal address,
        ``Chennai, Tamil Nadu`` in a CV header."""
        out: list[tuple[int, int, str]] = []
        for m in _CELL.finditer(text):
            cell = m.group(1)
            head, _, rest = cell.partition(", ")
            if cell.islower() or head.casefold() not in self._places:
                continue
            if rest and not re.fullmatch(r"[A-Z][\w'’-]*(?: [A-Z][\w'’-]*){0,2}", rest):
                continue
            if cell.casefold() not in self._orgs:
                out.append((m.start(1), m.end(1), "place alone in its cell"))
        return out

    def _candidates(self, text: str) -> list[re.Match[str]]:
        """Each preposition and the words after it; the words are searched again for a later
        preposition ("suite à mon déménagement à Bordeaux", "we met in vienna")."""
        out: list[re.Match[str]] = []
        pos = 0
        while (m := self._rx.search(text, pos)) is not None:
            out.append(m)
            pos = m.start(1)
        return out

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        """Places after prepositions in ``text``."""
        out = [
            result("LOCATION", name=self.name, rid=self.id, start=s, end=e, score=0.6, why=why)
            for s, e, why in self._cells(text)
        ]
        cache: dict[str, bool] = {}

        def foreign(prep: str) -> bool:  # worked out once per text and preposition
            if prep not in cache:
                cache[prep] = cased_foreign_text(text, ignore=prep)
            return cache[prep]

        for m in self._candidates(text):
            candidate = self._longest_place(m.group(1))
            if candidate is None:
                continue
            prep = text[m.start() : m.start(1)].strip(" \t\n:=\"'").casefold()
            if _NAME_GOES_ON.match(text, m.start(1) + len(candidate)):
                continue  # "verso Centro Servizi Delta", "in Sala Giove": a longer name
            if (
                candidate.islower()
                and (
                    text[m.start() : m.start(1)].strip().isupper()
                    or candidate in self._not_nouns  # "switched to oral"
                    or candidate in stop_words()  # "in para 3.4": a word of another language
                    or _NUMBER_NEXT.match(text, m.start(1) + len(candidate)) is not None
                    or text[m.start() : m.start(1)].strip().casefold() not in _LOWER_OK
                    or foreign(prep)  # last: it reads the whole text (once)
                )
            ):  # "bar in sala", "borsa in tela": a common word in foreign text
                continue  # lower case only after an English preposition ("de alta")
            if candidate.isupper() and len(prep) <= 2 and prep not in _LOWER_OK:
                continue  # "INFORME DE ALTA", "À TARDE": capitals hide the common word
            out.append(self._place(m.start(1), len(candidate), "place list"))
        return out + self._coordinated(text, out)

    def _coordinated(self, text: str, found: list[Any]) -> list[Any]:
        """A known place joined to a found one: ``à Grenoble et Annecy``, ``in Querétaro o
        Puebla`` (``van Leuven naar Oostende`` is covered by the prepositions)."""
        out: list[Any] = []
        for r in found:
            m = _COORD.match(text, r.end)
            candidate = None if m is None else self._longest_place(m.group(1))
            if m is not None and candidate is not None:
                out.append(self._place(m.start(1), len(candidate), "place list, joined to a place"))
        return out

    def _longest_place(self, words: str) -> str | None:
        """The longest run of leading ``words`` that is a known place and no organisation."""
        parts = words.split(" ")
        for n in range(len(parts), 0, -1):
            candidate = " ".join(parts[:n])
            low = candidate.casefold()
            if low in self._places and low not in self._orgs and low not in self._labels:
                return candidate  # not a form's label: "fill in Name, House No., Postcode"
        return None

    def _place(self, start: int, length: int, why: str) -> Any:
        return result(
            "LOCATION",
            name=self.name,
            rid=self.id,
            start=start,
            end=start + length,
            score=0.6,
            why=why,
        )
