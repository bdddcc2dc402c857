"""Names that only their surroundings give away: a form label, a greeting, a reporting verb, a
chat log.

:class:`NameRecognizer <openmodel_gov.pii._names.NameRecognizer>` finds pairs from its lists;
these rules find what the lists cannot confirm on their own:

* **courtesy titles and initials**: ``Dear Mr Okafor``, ``dott.ssa Ferraro``, ``Dr E. J.
  Pryce``, ``A.-M. Dubois`` (initials before a known surname);
* **signatures**: the line after a sign-off (``Kind regards,``, ``Cordiali saluti,``,
  ``Pozdrawiam``), two to four capitalised words that are names or name-shaped;
* **labelled lines**: ``Sender: ADEBAYO OLUMIDE JOHNSON``: a person label (``person_cues`` in
  ``recognizers.yaml``) and a colon at the start of a line, then two to four capitalised words
  that are no dictionary word, place or organisation, filling the rest of the line;
* **person keys**: ``"display_name": "Yuki Tanabe"``, ``name="Hamid Rahimi"`` in JSON, YAML or
  code;
* **single first names** in Title case after a greeting or sign-off (``Best, Darnell``,
  ``thanks Marta``), right after a chat speaker tag (``<m.zielinska> Tomek, ...``) or before a
  reporting verb (``Marta said``), when the name is in the
  first-name list and is no dictionary word or place;
* **chat mentions**: in a chat log with two or more speaker tags, a lower-case known first name
  that is no dictionary word (``ngozi is on leave``), when the chat reads as English: in other
  languages such a word is as often a common word (``il numero verde``, ``la nonna``, ``do gato``)
  that the English dictionary does not know.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable

from openmodel_gov.pii._context import CHAT_EXPORT_MARK, alternation, line_bounds

__all__ = ["NameCues", "chat_turns"]

_WORD = r"[^\W\d_][\w'’-]*"
_CAPWORD = r"[A-ZÀ-ÖØ-Þ][\w'’-]*"
# A capital inside a word after four small letters or more: a handle glued from words
# ("KrümelMonster"); names glue after a short prefix only ("McDonald", "MacLeod", "DeShawn").
_CAMEL_HANDLE = re.compile(r"[a-zß-öø-ÿ]{4}[A-ZÀ-ÖØ-Þ]")
# A number right before a capital letter: "45 W.", "3 V.", "12 A.": the letter is a unit.
_UNIT_BEFORE = re.compile(r"\d[ \t]?\Z")
# Inside an XML or HTML start tag, before one of its attributes: '<Engine name='.
_IN_TAG = re.compile(r"<[A-Za-z][\w:.-]*[ \t\n][^<>]*$")
_REPORTING = re.compile(
    r"[ \t]+(?:said|says|asked|asks|wrote|writes|told|tells|mentioned|replied|confirmed|called|"
    r"emailed|texted|messaged|thinks|thought|agreed|suggested|noted|will|is|was|has|had)\b"
)


_CAPITAL_NEXT = re.compile(r" [A-ZÀ-ÖØ-Þ]")
# The date and time of a turn of an Android WhatsApp export: "21/9/24, 10:02 - ".
_EXPORTED = rf"^{CHAT_EXPORT_MARK}"
# A speaker tag at the start of a turn: "<mike>", "[10:02] ana:", "> kasia:".
# A role in brackets may follow the speaker: "Lena (Kundenservice):", "SARAH (HR):".
_TAG = re.compile(
    rf"(?m)(?:^|\] |^> |{_EXPORTED})<?@?([^\W\d_]{{2,20}})>?(?:[ \t]\([^()\n]{{1,30}}\))?(?=:|> )"
)
# A role word before the speaker's name: "Agent Ananya:", "Support Tom:".
_ROLE_TAG = re.compile(rf"(?m)(?:^|\] |{_EXPORTED})([^\W\d_]{{2,20}})[ \t]([^\W\d_]{{2,20}})(?=:)")
# A chat speaker at the start of a line: "<kasia>", "[09:14] mbeki_t:", "rosa.l:".
_SPEAKER = re.compile(
    rf"(?m)(?:^|\] |^> |{_EXPORTED})[ \t]*<?@?([\w.]{{2,24}})>?(?:[ \t]\([^()\n]{{1,30}}\))?(?=:|> )"
)
# One or two given names after a labelled surname's comma, up to the end of the field.
_GIVEN_AFTER = re.compile(
    r",[ \t]+([^\W\d_][\w'’-]*(?:[ \t][^\W\d_][\w'’-]*)?)(?=[ \t]*(?:$|[|;(<]|[ \t]{2}))",
    re.MULTILINE,
)
# The first word of a labelled field, before ``end``: "TITULAR: GARCIA ORTUÑO" -> "GARCIA".
_LEAD_WORD = re.compile(r"(?:^|:[ \t]*)([^\W\d_][\w'’-]*)[^:\n]*\Z", re.MULTILINE)
# The bracketed word right before a speaker-shaped tag: "[info] geo:", "[10:02] ana:".
_BRACKET_BEFORE = re.compile(r"\[([^\]\n]{1,25})\][ \t]*<?@?$")
_SPEAKER_LEAD = re.compile(r"[ \t]*(?:\[[^\]\n]{1,25}\][ \t]*)?<?@?[\w.]{2,24}>?:?[ \t]+$")


class NameCues:
    """The cue-based name rules, over a name lexicon given as predicates.

    ``known_first(word)``: in the first-name list; ``known_any(word)``: in either name list
    (``Johnson`` is a surname and a dictionary word); ``name_shaped(word)``: may be an unlisted
    name (no stop word, dictionary word, place or organisation); ``cue_before(text)``: the text
    ends with a greeting, title or label; ``introductions``: "i'm", "me llamo" ... after which
    a name-shaped word is a first name even when the lists lack it.
    """

    def __init__(
        self,
        *,
        labels: tuple[str, ...],
        titles: tuple[str, ...] = (),
        particles: tuple[str, ...] = (),
        sign_offs: tuple[str, ...] = (),
        greetings: tuple[str, ...] = (),
        not_names: frozenset[str] = frozenset(),
        known_first: Callable[[str], bool],
        known_any: Callable[[str], bool],
        name_shaped: Callable[[str], bool],
        cue_before: Callable[[str], bool],
        speaker_shaped: Callable[[str], bool] | None = None,
        field_labels: tuple[str, ...] = (),
        introductions: tuple[str, ...] = (),
    ) -> None:
        self._known_first = known_first
        intros = alternation(introductions) if introductions else "(?!)"
        self._introduced = re.compile(rf"(?<![\w'’])(?:{intros})[ \t]+$", re.IGNORECASE)
        # A speaker of a marked chat may bear a place's name ("[19:03] Basti:"): no town speaks.
        self._speaker_shaped = speaker_shaped or name_shaped
        self._not_names = not_names
        self._particles = frozenset(p.casefold() for p in particles)
        particle = f"(?:{alternation(particles)})"
        self._particle_next = re.compile(rf"(?: (?:{particle})){{1,2}} [A-ZÀ-ÖØ-Þ]")
        self._known_any = known_any
        self._name_shaped = name_shaped
        self._cue_before = cue_before
        # "customer name" and "customer_name" are one label
        alts = re.sub(r"\\ |_", "[ _]", alternation(labels))
        self._labelled = re.compile(
            rf"(?im)^[ \t]*(?:[-*•][ \t]*)?(?:{alts})[ \t]*:[ \t]*"
            rf"((?-i:{_WORD}(?:[ \t]+(?:{particle}[ \t]+)?{_WORD}){{1,3}}))[ \t]*(?=$|[,;(|<])"
        )
        # A name field of a form, one word or more, also after a column gap on its line:
        # "SURNAME: TREVASKIS", "COGNOME: BIANCHI          NOME: MARCO".
        fields = alternation(field_labels) if field_labels else "(?!)"
        self._field = re.compile(
            rf"(?im)(?:^[ \t]*|[ \t]{{2,}})(?:{fields})[ \t]*:[ \t]*"
            rf"((?-i:{_WORD}(?:[ \t](?:{particle}[ \t])?{_WORD}){{0,3}}))[ \t]*(?=$|[,;(|<]|[ \t]{{2}})"
        )
        value = rf"[ \t]*[:=][ \t]*[\"']((?-i:{_WORD}(?:[ \t]+(?:{particle}[ \t]+)?{_WORD}){{0,3}}))[\"']"
        self._keyed = re.compile(rf"(?i)(?<![\w-])[\"']?(?:{alts})[\"']?{value}")
        # a name field's key in code ('cognome: "Ferrara"', "last_name='Okafor'"): one word is
        # enough there, as on a form
        keys = fields.replace(r"\ ", "[ _]")
        self._keyed_field = re.compile(rf"(?i)(?<![\w-])[\"']?(?:{keys})[\"']?{value}")
        self._title = re.compile(r"(?<![\w@.'’-])[A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ'’]{2,}(?![\w@'’-])")
        # A one-letter title only in capitals ("M. Dupont", not "2 m Holz"); one space after
        # a title, two after its full stop ("Sr  HSN/SAC" is a table's columns); one space or
        # tab between the name's words ("Miss Daisy      SERV": a fleet table's columns).
        letters = alternation(t.upper() for t in titles if len(t) == 1)
        honorifics = alternation(t for t in titles if len(t) > 1)
        self._titled = re.compile(
            rf"(?<![\w./])(?:(?i:{honorifics})|{letters or '(?!)'})(?:\.[ \t]{{1,2}}|[ \t])"
            rf"((?:[A-Z]\.(?:-[A-Z]\.)?[ \t]*){{0,3}}"
            rf"{_CAPWORD}(?:[ \t](?:{particle}[ \t])?{_CAPWORD})?)"
        )
        self._initials = re.compile(
            rf"(?<![\w.-])((?:[A-Z]\.(?:-[A-Z]\.)?[ \t]?){{1,3}}[ \t]*{_CAPWORD})(?![\w.])"
        )
        self._signed = re.compile(
            rf"(?im)^[ \t]*(?:{alternation(sign_offs)})[ \t]*[,!.]?[ \t]*\n(?:[ \t]*\n)?[ \t]*"
            rf"((?-i:{_WORD}(?:[ \t]+(?:{particle}[ \t]+)?{_WORD}){{1,3}}))[ \t]*(?=$|[|,–-])"
        )
        # not a piece of an e-mail address or a dotted handle ("luciana.peixoto@", "bia.souza:")
        self._lower = re.compile(r"(?<![\w@.<'’-])[a-zß-öø-ÿ]{3,}(?![\w@>'’-]|\.\w)")
        # "Checked by KIERAN", "remarks by deepa": a first name in one case after a person cue
        self._cued_one_case = re.compile(
            rf"(?<![\w'’-])(?i:{alts})[ \t]*[:,]?[ \t]+"
            r"([a-zß-öø-ÿ]{3,}|[A-ZÀ-ÖØ-Þ]{3,})(?:[ \t]([a-zß-öø-ÿ'’-]{2,}|[A-ZÀ-ÖØ-Þ'’-]{2,}))?"
            r"(?![\w@'’-]|\.\w)"
        )
        # "hey tom", "siema kasia", "thanks marta": a lower-case first name right after a greeting
        self._greeted = (
            re.compile(
                rf"(?<![\w@.'’-])(?i:{alternation(greetings)})[ \t]*,?[ \t]+"
                r"([a-zß-öø-ÿ]{3,})(?![\w@'’-]|\.\w)"
            )
            if greetings
            else None
        )

    def find(
        self, text: str, *, chat: bool | None = None, mentions: bool = True
    ) -> list[tuple[int, int, str]]:
        """``(start, end, why)`` of each name these rules find in ``text``; ``chat`` is whether
        ``text`` reads as a chat (``chat_turns(text) >= 2``, worked out here when not given);
        ``mentions`` is whether lower-case first names in a chat count (the caller says no for
        text in another language than English)."""
        if chat is None:
            chat = chat_turns(text) >= 2
        return [
            *self._titled_names(text),
            *self._signatures(text),
            *self._labelled_lines(text),
            *self._keyed_values(text),
            *self._single_names(text, chat=chat),
            *(self._mentions(text) if chat and mentions else ()),
            *self._greeted_names(text),
            *self._cued_one_case_names(text, lower=mentions),
        ]

    def _named(self, words: list[str]) -> bool:
        return all(self._known_any(w) or self._name_shaped(w) for w in words)

    def _titled_names(self, text: str) -> list[tuple[int, int, str]]:
        """``Dear Mr Okafor``, ``dott.ssa Ferraro``, ``Dr E. J. Pryce``: a courtesy title, then
        initials and one or two capitalised words that are names or name-shaped; and initials
        before a known surname (``A.-M. Dubois``)."""
        out: list[tuple[int, int, str]] = []
        for m in self._titled.finditer(text):
            if any(c.isdigit() for c in m.group(1)):
                continue  # "M&M  INE101A01026": a code after a brand's letter
            if _UNIT_BEFORE.search(text, max(0, m.start() - 8), m.start()):
                continue  # "QTc < 500 ms. Elektrolyten": a unit after a number, not "Ms."
            words = [w for w in re.findall(r"[^\W\d_][\w'’-]+", m.group(1)) if w[:1].isupper()]
            words = [w for w in words if w.casefold() not in self._particles]
            if words and (self._named(words) or self._first_and_surname(words)):
                out.append((m.start(1), m.end(1), "after a courtesy title"))
        for m in self._initials.finditer(text):
            if _UNIT_BEFORE.search(text, max(0, m.start() - 8), m.start()):
                continue  # "45 W. Côté logiciel": a unit after a number, not an initial
            surname = re.findall(r"[^\W\d_][\w'’-]+$", m.group(1))
            if surname and self._known_any(surname[0]) and not self._known_first(surname[0]):
                out.append((m.start(1), m.end(1), "initials and surname"))
        return out

    def _first_and_surname(self, words: list[str]) -> bool:
        """A known first name and a surname that may also be a place's name ("Dr Karim
        Benslimane": Benslimane is a Moroccan town too)."""
        return (
            len(words) == 2
            and self._known_first(words[0])
            and self._name_shaped(words[0])
            and self._speaker_shaped(words[1])
        )

    def _signatures(self, text: str) -> list[tuple[int, int, str]]:
        """``Kind regards,\nVikram Raghunathan``: the line after a sign-off, two to four
        capitalised words that are names or name-shaped."""
        out: list[tuple[int, int, str]] = []
        for m in self._signed.finditer(text):
            words = [w for w in m.group(1).split() if w not in self._particles]
            cases = {w.isupper() for w in words}
            if any(w.casefold() in self._not_names for w in words):
                continue  # "Departamento de Atención al Cliente": a department signs
            if len(cases) == 1 and all(w[:1].isupper() for w in words) and self._named(words):
                out.append((m.start(1), m.end(1), "signature"))
        return out

    def _keyed_values(self, text: str) -> list[tuple[int, int, str]]:
        """``"display_name": "Yuki Tanabe"``, ``name="Hamid Rahimi"``: the quoted value of a
        person key in JSON, YAML or code, two to four capitalised words (or one known first
        name)."""
        out: list[tuple[int, int, str]] = []
        fields = {m.start(1): m for m in self._keyed_field.finditer(text)}
        for m in (*self._keyed.finditer(text), *fields.values()):
            words = [w for w in m.group(1).split() if w not in self._particles]
            if not all(w[:1].isupper() for w in words):
                continue
            if len(words) == 1 and fields.get(m.start(1)) is m:
                ok = self._known_any(words[0])  # a listed name: "Banco" under "titular" is none
            elif len(words) == 1:
                ok = (
                    self._known_first(words[0])
                    and self._name_shaped(words[0])
                    and not _IN_TAG.search(text, max(0, m.start() - 200), m.start())
                )  # not '<Engine name="Catalina"': a component of an XML config
            else:
                ok = all(self._known_any(w) or self._name_shaped(w) for w in words)
            if ok:
                out.append((m.start(1), m.end(1), "person key"))
        return out

    def _labelled_lines(self, text: str) -> list[tuple[int, int, str]]:
        out: list[tuple[int, int, str]] = []
        for m in (*self._labelled.finditer(text), *self._field.finditer(text)):
            words = [w for w in m.group(1).split() if w not in self._particles]
            cases = {"upper" if w.isupper() else "title" if w[:1].isupper() else "x" for w in words}
            named = all(self._known_any(w) or self._name_shaped(w) for w in words)
            if len(cases) == 1 and "x" not in cases and named:
                out.append((m.start(1), self._given_after(text, m.end(1), cases), "labelled line"))
        return out

    def _given_after(self, text: str, end: int, cases: set[str]) -> int:
        """The end of a ``SURNAME, GIVEN NAMES`` field (``TITULAR: GARCIA ORTUÑO, MARIA ISABEL``):
        past one or two given names of the surname's case after its comma, all known first
        names, when the field does not open with a first name; ``end`` otherwise."""
        m = _GIVEN_AFTER.match(text, end)
        if m is None or not all(self._known_first(w) for w in m.group(1).split()):
            return end
        surname = _LEAD_WORD.search(text, max(0, end - 60), end)
        if surname is not None and self._known_first(surname.group(1)):
            return end  # "Nikos Alexiou, Dimitra Karagianni": a list of full names
        words = m.group(1).split()
        same = (
            all(w.isupper() for w in words)
            if "upper" in cases
            else all(w[:1].isupper() and not w.isupper() for w in words)
        )
        return m.end(1) if same else end

    def _single_names(self, text: str, *, chat: bool) -> list[tuple[int, int, str]]:
        out: list[tuple[int, int, str]] = []
        for m in self._title.finditer(text):
            word = m.group()
            if not self._name_shaped(word):
                continue
            if not self._known_first(word):
                intro = self._introduced.search(text, max(0, m.start() - 24), m.start())
                if intro is not None and not _CAPITAL_NEXT.match(text, m.end()):
                    out.append((m.start(), m.end(), "name after a self-introduction"))
                continue  # "i'm Jess btw": a name the lists lack
            if _CAPITAL_NEXT.match(text, m.end()) or self._particle_next.match(text, m.end()):
                continue  # "Ahmed El-Sayed", "Sanne de Vries": a full name, for the pair rules
            line_start = text.rfind("\n", 0, m.start()) + 1
            before = text[line_start : m.start()]
            if (
                self._cue_before(before)
                or _REPORTING.match(text, m.end())
                or (
                    _SPEAKER.match(text, line_start)
                    and _SPEAKER_LEAD.fullmatch(before)
                    and chat  # "Review: Kirby …", "Chmiele: Citra, …" are no chat turns
                )
            ):
                out.append((m.start(), m.end(), "first name after a cue"))
        return out

    def speaker_tags(self, text: str, *, chat: bool) -> list[tuple[int, int, str]]:
        """Speakers that are people: a known first name that opens a turn of a chat or a marked
        turn (``<mike>``, ``[10:02] ana:``); and in turns marked with a time or a handle, a
        Title-case speaker who speaks twice and may be an unlisted name (``[19:02] Gaz:``).

        Both exclude labels and roles (``Agent:``, ``Bot:``), bots (``Dependabot:``) and ALL-CAPS
        tags.
        """
        tags = [(m, text[m.start() : m.start(1)].strip(" >")) for m in _TAG.finditer(text)]
        marked_twice = Counter(m.group(1) for m, marked in tags if marked)
        out: list[tuple[int, int, str]] = []
        for m, marked in tags:
            tag = m.group(1)
            if tag.isupper() or tag.casefold() in self._not_names or tag.casefold().endswith("bot"):
                continue  # "Agent:", "Bot:", "Dependabot:": roles and bots
            if _CAMEL_HANDLE.search(tag):
                continue  # "KrümelMonster", "NightOwl": a handle glued from words
            level = _BRACKET_BEFORE.search(text, line_bounds(text, m.start(1))[0], m.start(1))
            if level is not None and level.group(1).casefold() in self._not_names:
                continue  # "[info] geo: allow ...": a log line's level, not a chat turn
            if ((chat or marked) and self._known_first(tag)) or (
                marked_twice[tag] >= 2 and tag[0].isupper() and self._speaker_shaped(tag)
            ):
                out.append((m.start(1), m.end(1), "speaker tag"))
        return out + self._role_tags(text)

    def _role_tags(self, text: str) -> list[tuple[int, int, str]]:
        """``Agent Ananya:``: a role word and a name opening two turns or more, the name a
        Title-case word that is no dictionary word or place (or a listed first name)."""
        tags = [m for m in _ROLE_TAG.finditer(text) if m.group(1).casefold() in self._not_names]
        twice = Counter(m.group(2) for m in tags)
        return [
            (m.start(2), m.end(2), "speaker tag after a role")
            for m in tags
            if twice[m.group(2)] >= 2
            and m.group(2)[0].isupper()
            and not m.group(2).isupper()
            and self._name_shaped(m.group(2))
        ]

    def _greeted_names(self, text: str) -> list[tuple[int, int, str]]:
        """``hey tom``, ``siema kasia``: a lower-case known first name right after a greeting,
        when it is no dictionary word or place."""
        if self._greeted is None:
            return []
        return [
            (m.start(1), m.end(1), "first name after a greeting")
            for m in self._greeted.finditer(text)
            if self._known_first(m.group(1)) and self._name_shaped(m.group(1))
        ]

    def _cued_one_case_names(self, text: str, *, lower: bool) -> list[tuple[int, int, str]]:
        """``Checked by KIERAN``, ``remarks by deepa``, ``Cliente: davide colombo``: a known
        first name in capitals (or, with ``lower``, in lower case) right after a person cue,
        when it is no dictionary word, place or label, with a known surname of the same case
        after it."""
        out: list[tuple[int, int, str]] = []
        for m in self._cued_one_case.finditer(text):
            first, last = m.group(1), m.group(2)
            if (first.islower() and not lower) or first.casefold() in self._not_names:
                continue
            if not (self._known_first(first) and self._name_shaped(first)):
                continue
            surname = last is not None and last.casefold() not in self._not_names
            if surname and self._known_any(last) and self._speaker_shaped(last):
                out.append((m.start(1), m.end(2), "name after a cue"))
            else:
                out.append((m.start(1), m.end(1), "first name after a cue"))
        return out

    def _mentions(self, text: str) -> list[tuple[int, int, str]]:
        """Known first names in lower case anywhere in a chat."""
        return [
            (m.start(), m.end(), "first name in a chat")
            for m in self._lower.finditer(text)
            if self._known_first(m.group()) and self._name_shaped(m.group())
        ]


# Two words of letters one space apart: what a chat message says, unlike a form field
# ("Nome: ______") or a YAML key's value ("tags: [falcon, lora]", "base_model: org/name").
_SAYS = re.compile(r"[^\W\d_]{2,}[ \t]+[^\W\d_]{2,}")


def chat_turns(text: str) -> int:
    """Lines that open with a speaker and go on with a message of two words or more, when the
    text reads as a chat: a speaker speaks twice, or turns carry a ``[time]`` or ``<handle>``
    mark. A form's labels (``Cognome: ____``) and a model card's sections (``Training: 3
    epochs``, ``Contact: open an issue``) are no chat.

    >>> chat_turns("anna: are you there?\\nbo: yes, on my way\\nanna: ok see you")
    3
    >>> chat_turns("[10:01] kasia: did you ask\\n[10:02] marek: yes she did")
    2
    >>> chat_turns("Training: 3 epochs, cosine schedule\\nContact: open an issue")
    0
    """
    turns = [
        m
        for m in _SPEAKER.finditer(text)
        if _SAYS.search(text, m.end(), line_bounds(text, m.end())[1]) is not None
    ]
    speakers = [m.group(1).casefold() for m in turns]
    marked = any(text[m.start() : m.start(1)].strip() for m in turns)  # "] ", "<", "@"
    if len(set(speakers)) == len(speakers) and not marked:
        return 0
    return len(turns)
