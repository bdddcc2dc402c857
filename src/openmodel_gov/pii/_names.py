"""Names in any case, from shipped name lists and the words around them.

spaCy's small English model finds ``Anna Kowalski`` but not ``anna kowalski``, ``ANNA
KOWALSKI`` or ``Kowalski, Anna``, nor names in German or Polish sentences. :class:`NameRecognizer`
reports a run of two or three words as ``PERSON`` when the first is a known first name and the
next a known surname or first name (in any consistent case: Title, lower or UPPER), or written
``SURNAME, First``, with particle surnames (``Rosa María de la Cruz``); a known first name
followed by an unknown word, both lower or upper case, when spaCy labels the pair PERSON once the
two words are title-cased (a case-normalised second NER pass, offsets unchanged); a Title- or
UPPER-case pair with one known word after a person cue or alone on its line (``Caller Nkechi
Adeyemi``); speaker tags in chat logs (``<kasia>``) when the tag is a known first name; the
cells of a table column named like ``name`` / ``customer``; and the cue rules of
:mod:`openmodel_gov.pii._name_cues` (titles, signatures, labels, person keys, chat mentions).
Stop words of the target languages (``will``, ``del``) never count as names in lower case. The
lists are built by ``tests/data/pii/build_gazetteers.py`` (Faker person providers, MIT).
"""

from __future__ import annotations

import re
from typing import Any

from presidio_analyzer import EntityRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from openmodel_gov.pii._context import fold, line_bounds
from openmodel_gov.pii._facts import PiiFacts, load_wordlist
from openmodel_gov.pii._hits import result
from openmodel_gov.pii._lexicon import (
    english_stop_words,
    english_words,
    irregular_forms,
    is_english,
    non_noun_words,
    stop_words,
)
from openmodel_gov.pii._name_columns import NAME_TOKEN, NameColumns
from openmodel_gov.pii._name_cues import NameCues, chat_turns

__all__ = ["NameRecognizer"]

_TOKEN = NAME_TOKEN
_SEP = re.compile(r"[ ]{1,2}|, ?")
# Words after which a lower-case "first-name surname" pair is a noun phrase ("the grant number").
_DETERMINERS = frozenset(
    [
        "the",
        "a",
        "an",
        "this",
        "that",
        "these",
        "those",
        "our",
        "your",
        "his",
        "its",
        "their",
        "any",
        "each",
        "every",
        "some",
        "no",
        "der",
        "die",
        "das",
        "den",
        "dem",
        "des",
        "ein",
        "eine",
        "le",
        "la",
        "les",
        "un",
        "une",
        "el",
        "los",
        "las",
        "il",
        "lo",
        "gli",
    ]
)


# English articles and demonstratives: a Title-case name pair after one names a thing.
_ARTICLES = frozenset(["the", "a", "an", "this", "that", "these", "those"])
# Possessive determiners (EN, DE, FR, NL, PL): never a first name, and a Title-case pair after
# one names a thing ("my Gertrude Jekyll sulked": a rose), not a person. "Ma", "Mi", "Su", "Tu"
# are left out: they are surnames too.
_POSSESSIVES = frozenset(
    [
        "my",
        "our",
        "your",
        "his",
        "her",
        "their",
        "its",
        "mein",
        "meine",
        "meinen",
        "unser",
        "unsere",
        "dein",
        "deine",
        "mon",
        "notre",
        "votre",
        "mijn",
        "onze",
        "jouw",
        "mój",
        "moja",
        "moje",
        "nasz",
        "nasza",
    ]
)


# What may stand before a name that is alone on its line: a bullet, a quote mark, a chat time.
_LINE_LEAD = re.compile(
    r"[ \t]*(?:[-*>•][ \t]*|\[[^\]\n]{1,25}\][ \t]*|\d{1,2}:\d{2}(?::\d{2})?[ \t]+)?"
)
# What may follow such a name on its line: nothing, or a separator before a role, a mailbox, a
# phone number or a chat message.
_LINE_TAIL = re.compile(r"[ \t]*(?:$|[|,:<(–—]|- |\d{1,2}:\d{2})", re.MULTILINE)


def _case(word: str) -> str:
    """``upper``, ``lower``, ``title`` (each part of a hyphenated or apostrophe name in Title
    case, a ``Mc`` / ``Mac`` prefix allowed: ``El-Sayed``, ``O'Brien``, ``McAllister``) or
    ``mixed``."""
    if word.isupper():
        return "upper"
    if word.islower():
        return "lower"
    parts = [_MAC.sub("", p) for p in re.split(r"['’-]", word)]
    if all((len(p) == 1 and p.isupper()) or (p[:1].isupper() and p[1:].islower()) for p in parts):
        return "title"
    return "mixed"


_MAC = re.compile(r"^Ma?c(?=[A-Z])")
_ACRONYM_LED = re.compile(r"[A-Z]{2,}[a-z]")


class NameRecognizer(EntityRecognizer):
    """Person names from first-name / surname lists, in any case, and name columns."""

    name: str

    def __init__(self, *, facts: PiiFacts, supported_language: str, nlp: Any = None) -> None:
        self._nlp = nlp
        self._first = load_wordlist("first_names")
        self._last = load_wordlist("last_names")
        self._places = load_wordlist("places")
        cues = sorted(
            {*facts.person_cues, *facts.surname_alone_cues, *facts.greeting_words},
            key=len,
            reverse=True,
        )
        self._cue = re.compile(
            r"(?:^|[^\w.])(?:" + "|".join(map(re.escape, cues)) + r")\.?[ \t]*[:,=-]?[ \t]*$",
            re.IGNORECASE,
        )
        self._not_person = frozenset(w.casefold() for w in facts.not_person_words)
        self._stop = english_stop_words() | self._not_person
        self._english_stop = english_stop_words()
        self._colours = frozenset(w.casefold() for w in facts.colour_words)
        self._shades = frozenset(w.casefold() for w in facts.colour_shades)
        self._foreign_stop = stop_words() - self._english_stop
        # never a name's first word: "my Gertrude", "Beste Thijs" ("Dear Thijs"), a role label
        # ("Atendente Rafael")
        self._not_first = _POSSESSIVES | {
            w.casefold() for w in (*facts.greeting_words, *facts.person_cues) if " " not in w
        }
        self._orgs = frozenset(o.casefold() for o in facts.known_organisations)
        self._english = english_words(nlp)
        self._name_columns = NameColumns(facts, word_ok=self._column_word)
        # "meghana took": an irregular verb form is no surname, unless a name list holds it
        # ("nancy drew")
        self._not_nouns = non_noun_words(nlp) | (irregular_forms(nlp) - self._first - self._last)
        self._titles = frozenset(t.casefold() for t in facts.courtesy_titles)
        self._particles = frozenset(facts.surname_particles)
        self._cues = NameCues(
            labels=facts.person_cues,
            titles=facts.courtesy_titles,
            particles=facts.surname_particles,
            sign_offs=facts.sign_offs,
            greetings=facts.greeting_words,
            # "Cliente:", "Atendente:": roles; "IBAN", "PESEL": identifiers' names
            not_names=self._stop
            | self._not_first
            | {w.casefold() for w in facts.phone_other_id_words},
            known_first=lambda w: self._known(w, self._first),
            known_any=lambda w: self._known(w, self._first) or self._known(w, self._last),
            name_shaped=self._name_shaped,
            speaker_shaped=lambda w: self._name_shaped(w, places=False),
            field_labels=facts.name_field_labels,
            introductions=facts.self_introductions,
            cue_before=lambda before: self._cue.search(before) is not None,
        )
        super().__init__(
            supported_entities=["PERSON"],
            name="NameRecognizer",
            supported_language=supported_language,
        )

    def load(self) -> None:
        """Nothing to load."""

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        """Names in ``text``."""
        spans: list[tuple[int, int, str]] = []
        tokens = list(_TOKEN.finditer(text))
        unsure: list[tuple[int, int]] = []
        english = self._reads_english(tokens)
        i = 0
        while i < len(tokens):
            end_index = self._name_at(text, tokens, i)
            if end_index is None and self._cued_pair(text, tokens, i):
                end_index = self._with_second_surname(text, tokens, i + 1, _case(tokens[i].group()))
            if end_index is None:
                if self._maybe_name(text, tokens, i, english):
                    unsure.append((tokens[i].start(), tokens[i + 1].end()))
                i += 1
                continue
            spans.append((tokens[i].start(), tokens[end_index].end(), "name list"))
            i = end_index + 1
        spans.extend(self._confirm_by_ner(text, unsure))
        chat = chat_turns(text) >= 2  # a horoscope's "Löwe:" is no speaker
        spans.extend(self._cues.speaker_tags(text, chat=chat))
        if self._nlp is not None:  # the cue rules need the dictionary to tell words from names
            spans.extend(self._cues.find(text, chat=chat, mentions=english))
        spans.extend(self._name_columns.cells(text))
        return [
            result("PERSON", name=self.name, rid=self.id, start=s, end=e, score=0.7, why=why)
            for s, e, why in spans
        ]

    def _known(self, word: str, which: frozenset[str]) -> bool:
        low = word.casefold()
        if (word.islower() and (low in self._stop or low in stop_words())) or low in self._titles:
            return False  # "will", "del", "lo": function words in lower case; "Dr", "Herr"
        return low in which or (not word.isascii() and fold(word) in which)  # "Siobhán"

    def _column_word(self, word: str) -> bool:
        """A word of a name column's cell that may be part of a name: no piece of it (split at
        hyphens) is a lower-case dictionary word other than a listed name or a particle
        (``payments-api``, ``ticket JIRA BE`` are a service's and a team's names)."""
        return not any(
            part.islower()
            and part not in self._particles
            and self._is_english(part)
            and not (self._known(part, self._first) or self._known(part, self._last))
            for part in word.split("-")
        )

    def lone_first_name(self, word: str) -> bool:
        """A listed first name that is no dictionary word, place, organisation or label."""
        low = word.casefold()
        return (
            low not in self._not_first
            and self._known(word, self._first)
            and self._name_shaped(word)
        )

    def _is_english(self, low: str) -> bool:
        """A dictionary word, or an inflected form of one ("traders", "services", "billing")."""
        return is_english(low, self._english)

    def _name_shaped(self, word: str, *, places: bool = True) -> bool:
        """A word that may be an unlisted first name or surname: not led by an acronym, not a
        stop word, label or dictionary word, and (``places``) not a known place."""
        low = word.casefold()
        return (
            len(word) >= 2
            and _ACRONYM_LED.match(word) is None  # "JPMorgan", "IBMer": a brand's spelling
            and low not in self._stop
            and low not in stop_words()
            and not self._is_english(low)
            and not (places and low in self._places)
            and low not in self._orgs
        )

    def _cued_pair(self, text: str, tokens: list[re.Match[str]], i: int) -> bool:
        """``Name: Deepak Kulkarni``, ``Caller Nkechi Adeyemi``, a signature line
        ``Thandiwe Mokoena``: a Title- or UPPER-case pair of which one word is a known first
        name or surname and the other is name-shaped, after a person cue on its line or alone
        on its line."""
        if i + 1 >= len(tokens):
            return False
        a, b = tokens[i], tokens[i + 1]
        wa, wb = a.group(), b.group()
        case = _case(wa)
        if text[a.end() : b.start()] != " " or case not in ("title", "upper") or _case(wb) != case:
            return False
        if wa.casefold() in self._not_first or {wa.casefold(), wb.casefold()} & self._not_person:
            return False  # "BRGDS MASTER": a sign-off and a role
        pair = f"{wa} {wb}".casefold()
        if pair in self._orgs or pair in self._places:
            return False
        first_known = self._known(wa, self._first)
        last_known = self._known(wb, self._last) or self._known(wb, self._first)
        if not (
            (first_known and (last_known or self._name_shaped(wb)))
            or (last_known and self._name_shaped(wa))
        ):
            return False
        line_start, line_end = line_bounds(text, a.start())
        before = text[line_start : a.start()]
        if self._cue.search(before):
            return True
        lead = _LINE_LEAD.match(before)
        return (
            lead is not None
            and lead.end() == len(before)
            and _LINE_TAIL.match(text, b.end(), line_end) is not None
        )

    def _name_at(self, text: str, tokens: list[re.Match[str]], i: int) -> int | None:
        """The index of the last token of a name starting at token ``i``, or ``None``."""
        if i + 1 >= len(tokens):
            return None
        a, b = tokens[i], tokens[i + 1]
        gap = text[a.end() : b.start()]
        wa, wb = a.group(), b.group()
        case = _case(wa)
        if gap == ", " and case == "upper" and _case(wb) == "title" and len(wb) > 1:
            # "MCALLISTER, Eilidh": the surname-first order of medical, travel and legal forms
            return i + 1 if self._surname_comma_first(wa, wb, "upper") else None
        if not self._pair_ok(wa, wb, case):
            return None
        if wa.casefold() in self._not_first or (
            i and case == "title" and tokens[i - 1].group().casefold() in _ARTICLES | _POSSESSIVES
        ):
            return None  # "the Rosetta Stone", "a Marie Curie fellowship": a thing named after one
        if gap == ", " and self._surname_comma_first(wa, wb, case):  # "," alone: CSV cells
            if i and text[tokens[i - 1].end() : a.start()] == ", ":
                return None  # "Python, Rust, Julia": a list, not "Surname, First"
            if re.match(r"[ \t]\d", text[b.end() :]):
                return None  # "Station 3 Nord, Bett 2": a ward and a bed
            return i + 1  # SURNAME, First
        if not self._first_then_name(wa, wb, case, gap):
            return None
        if wb.casefold() in self._particles:  # "Marco De Luca": the particle starts the surname
            end = self._particle_surname(text, tokens, i, case)
            return end if end > i + 1 else None
        return self._with_second_surname(text, tokens, i + 1, case)

    def _pair_ok(self, wa: str, wb: str, case: str) -> bool:
        """Two words of one plain case, two letters or more, not a known organisation."""
        if case == "mixed" or _case(wb) != case or len(wa) < 2 or len(wb) < 2:
            return False
        pair = f"{wa} {wb}".casefold()
        if case == "lower" and self._colour_pair(wa, wb):
            return False
        return pair not in self._orgs and pair not in self._places  # "Belo Horizonte"

    def _colour_pair(self, wa: str, wb: str) -> bool:
        """``rosa palo``, ``rosa choque``: a colour and a shade, not a name."""
        return wa.casefold() in self._colours and wb.casefold() in self._shades

    def _surname_comma_first(self, wa: str, wb: str, case: str) -> bool:
        """``SURNAME, First`` / ``Surname, First``: a known surname, then a known first name."""
        return (
            case in ("upper", "title")
            and self._known(wa, self._last)
            and self._known(wb, self._first)
        )

    def _first_then_name(self, wa: str, wb: str, case: str, gap: str) -> bool:
        """``First Surname`` / ``First Second`` in title case, one space apart."""
        if gap not in (" ",) or case in ("lower", "upper"):
            return False  # lower / UPPER pairs go through the case-normalised NER check
        if not (
            self._known(wa, self._first)
            and (self._known(wb, self._last) or self._known(wb, self._first))
        ):
            return False
        return not (case == "title" and wb.casefold() in self._stop)

    def _with_second_surname(
        self, text: str, tokens: list[re.Match[str]], last: int, case: str
    ) -> int:
        """``last``, or the next token when it is a known surname of the same case one space on,
        or the end of a particle surname after it (``Rosa María de la Cruz``, ``Marco De Luca``,
        ``Sanne de Vries-Bakker``)."""
        if last + 1 < len(tokens):
            b, c = tokens[last], tokens[last + 1]
            if (
                text[b.end() : c.start()] == " "
                and _case(c.group()) == case
                and self._known(c.group(), self._last)
            ):
                return last + 1
        return self._particle_surname(text, tokens, last, case)

    def _particle_surname(
        self, text: str, tokens: list[re.Match[str]], last: int, case: str
    ) -> int:
        """The index of the surname after one or two particles following token ``last``."""
        k = last + 1
        while k < len(tokens) and k - last <= 2 and tokens[k].group().casefold() in self._particles:
            if text[tokens[k - 1].end() : tokens[k].start()] != " ":
                return last
            k += 1
        if (
            k == last + 1
            or k >= len(tokens)
            or text[tokens[k - 1].end() : tokens[k].start()] != " "
        ):
            return last
        word = tokens[k].group()
        if _case(word) == case and (self._known(word, self._last) or self._name_shaped(word)):
            return k
        return last

    def _reads_english(self, tokens: list[re.Match[str]]) -> bool:
        """At least as many English stop words as stop words of the other languages, and some
        English stop word or no letter outside English's (``tenis stołowy`` in a CSV cell)."""
        words = [t.group().casefold() for t in tokens]
        english = sum(w in self._english_stop for w in words)  # not the labels ("nazwisko")
        if not english and not all(w.isascii() for w in words):
            return False
        return english >= sum(w in self._foreign_stop for w in words)

    def _maybe_name(
        self, text: str, tokens: list[re.Match[str]], i: int, english: bool = True
    ) -> bool:
        """A known first name in lower or upper case followed by an unknown word of that case.
        In text of another language the second word must be a listed name too: the case-
        normalised check runs an English model, which reads ``rosa appassita`` or ``lily
        durou`` as a name."""
        if self._nlp is None or i + 1 >= len(tokens):
            return False
        a, b = tokens[i], tokens[i + 1]
        wa, wb = a.group(), b.group()
        if (i and tokens[i - 1].group().casefold() in _DETERMINERS) or self._colour_pair(wa, wb):
            return False  # "the grant number": a noun phrase, not a name; "rosa palo": a colour
        low = wb.casefold()
        listed = low in self._last or low in self._first
        if not (listed or english):
            return False
        if self._is_english(low) and not listed:
            return False  # "max position": a dictionary word that no name list holds
        if low in self._not_nouns or (not listed and wa.casefold() in self._not_nouns):
            return False  # "dev said", "said force-pushing": a verb that is also a name
        return (
            text[a.end() : b.start()] == " "
            and _case(wa) == _case(wb) in ("lower", "upper")
            and self._known(wa, self._first)
            and len(wb) >= 3
            and low not in self._stop
            and low not in stop_words()  # "lo que": Spanish words, not a name
        )

    def _confirm_by_ner(
        self, text: str, unsure: list[tuple[int, int]]
    ) -> list[tuple[int, int, str]]:
        """Case-normalised second NER pass: title-case the candidate words (same length, so
        offsets map back 1:1) and keep those spaCy then labels PERSON. Only the lines that hold
        a candidate are run through the pipeline again, not the whole text."""
        if not unsure:
            return []
        chars = list(text)
        lines: dict[tuple[int, int], None] = {}
        for start, end in unsure:
            lines[(line_bounds(text, start)[0], line_bounds(text, end)[1])] = None
            for m in _TOKEN.finditer(text, start, end):
                word = m.group()
                titled = word[:1].upper() + word[1:].lower()
                if len(titled) == len(word):
                    chars[m.start() : m.end()] = titled
        normalised = "".join(chars)
        people: list[tuple[int, int]] = []
        spans = list(lines)
        docs = self._nlp.pipe([normalised[a:b] for a, b in spans])
        for (offset, _), doc in zip(spans, docs, strict=True):
            people.extend(
                (offset + e.start_char, offset + e.end_char)
                for e in doc.ents
                if e.label_ in ("PERSON", "PER")
            )
        return [
            (start, end, "case-normalised NER")
            for start, end in unsure
            if any(ps <= start and end <= pe for ps, pe in people)
        ]
