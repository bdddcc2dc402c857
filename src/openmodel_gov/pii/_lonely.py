"""Model readings of names and places with nothing around them: the weakest readings there are.

spaCy's small model tags capitalised words as people and places — ``Zara``, ``Nora``, ``Grace
before lunch``, a perfume, a car model, a dish, a game character (``Arthur Morgan``), a
cake (``Jos Louis``). On the hand-written dev set, a model reading was right when the text held
something else personal (a phone number, an address, a name from the lists, a date of birth),
a cue before it (``Mr. Okafor``, ``I'm Kofi``, ``thanks Anna``, ``— Marcus T.``, ``from
Kumasi``, ``[14:02] Hannah Schulz:``), and mostly wrong otherwise: of the dev texts whose only
findings were model readings, 57 held no PII and 9 did. A pair of Title-case words from the
name lists is as weak (``Lucky Luke``, ``Toy Story``, ``Preston North``). A chat layout alone is
no support: fans' chats name clubs, players and dishes (``Hertha und Fortuna``); its speakers
and greetings are cues. A text whose only findings are such readings without any support keeps
none of them. A place preposition supports a place only beside something else: a text whose only
findings are capitalised place readings keeps none (``made in Grasse``, ``the Sparta derby``); a
lower-case one is kept (``the train in from stockport``: how people chat about themselves).
``PiiConfig(require_support=False)`` turns both off.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from openmodel_gov.pii._context import CHAT_EXPORT_MARK, alternation, words_pattern
from openmodel_gov.pii._facts import PiiFacts
from openmodel_gov.pii._results import PiiFinding

__all__ = ["LonelyNameFilter", "LonelyPhoneFilter", "drop_assistants", "drop_template_slots"]

# Model readings (spaCy, or a model on disk: ``PiiConfig(model=<dir>)``) as opposed to
# cue-based ones.
_MODEL = frozenset({"SpacyRecognizer", "ModelNerRecognizer"})
_NAMES = frozenset({"PERSON", "LOCATION"})
_PLACE_READERS = _MODEL | {"PlaceRecognizer"}
# "my old manager", "our" before a name: one possessive or adjective between a cue and a name.
_POSSESSIVE = r"(?:my|our|your|the|old|new|mein|meine|mon|ma|mi|mio|mia|meu|minha|mijn)"
# A signature: a dash or a tilde opening the line of the name, or after the last sentence of a
# review ("— Marcus T.", "Volveremos seguro. — Carmen Lloret").
_SIGNATURE = re.compile(r"(?:^|\n|[.!?…][ \t]+)[ \t]*(?:[—–]|--?|~)[ \t]*$")
# A hyphen opening a line is a list's bullet, no signature, when two lines or more open so
# ("- Stanley Quencher 40oz", "- Raleigh Chopper": a haul's or an order's items).
_BULLET = re.compile(r"^[ \t]*-[ \t]+(?=\S)", re.MULTILINE)
_BULLET_BEFORE = re.compile(r"(?:^|\n)[ \t]*-[ \t]*$")
# The mark of a chat turn before its speaker: "[14:02] ", "<", "21/9/24, 10:02 - ".
_SPEAKER_BEFORE = re.compile(rf"(?:^|\n)[ \t]*(?:\[[^\]\n]{{1,25}}\][ \t]*|<|{CHAT_EXPORT_MARK})$")
# A copyright notice before its holder: "Copyright (c) 2021", "© 2019-2024".
_COPYRIGHT = re.compile(
    r"(?i:copyright|\(c\)|©)[ \t]*(?:\(c\)[ \t]*)?(?:\d{4}(?:[ \t]*[-–,][ \t]*\d{4})*[ \t,]*)?$"
)
# An author-year citation: "Murphy (2012)", "Bishop, 2006".
_CITATION = re.compile(r"(?:[ \t]*\(|,[ \t]*)(?:19|20)\d\d[a-z]?\b")


def _bulleted(text: str, before: str) -> bool:
    """The dash right before a name is the bullet of a list (see ``_BULLET``)."""
    return _BULLET_BEFORE.search(before) is not None and len(_BULLET.findall(text)) >= 2


class LonelyNameFilter:
    """Drops model person and place readings that nothing in the text supports.

    >>> from openmodel_gov.pii._facts import load_facts
    >>> lonely = LonelyNameFilter(load_facts())
    >>> text = "Zara and Mango open on Sunday."
    >>> lonely.drop(text, [PiiFinding("PERSON", 0, 4, 0.85, "SpacyRecognizer")])
    []
    >>> text = "Zara called from 0161 496 0000."
    >>> found = [PiiFinding("PERSON", 0, 4, 0.85, "SpacyRecognizer"),
    ...          PiiFinding("PHONE_NUMBER", 17, 30, 0.75, "StrictPhoneRecognizer")]
    >>> len(lonely.drop(text, found))
    2
    >>> text = "Arthur Morgan rides again in chapter 2."
    >>> lonely.drop(text, [PiiFinding("PERSON", 0, 13, 0.85, "SpacyRecognizer")])
    []
    >>> text = "My old manager, Ms. Rebecca Thornton, retired."
    >>> len(lonely.drop(text, [PiiFinding("PERSON", 20, 36, 0.85, "SpacyRecognizer")]))
    1
    """

    def __init__(self, facts: PiiFacts) -> None:
        # "Vivo en San Juan", "I fly from Madrid to Sevilla": where someone lives or goes
        whereabouts = (
            words_pattern(facts.whereabouts_cues).pattern if facts.whereabouts_cues else "(?!)"
        )
        self._whereabouts = re.compile(rf"{whereabouts}[^\n.!?]{{0,25}}$", re.IGNORECASE)
        titles = words_pattern(facts.courtesy_titles).pattern
        self._title = re.compile(rf"{titles}\.?[ \t]+$", re.IGNORECASE)
        preps = words_pattern(facts.place_prepositions).pattern
        self._preposition = re.compile(rf"{preps}[ \t]+(?:[^\W\d_]+[ \t]+)?$", re.IGNORECASE)
        # Words that introduce a person: "I'm", "contact", "thanks", "Mr", "written by". The
        # one-word credit words are left out: "de", "di", "con", "mit" lead to anything.
        cues = (
            *facts.person_cues,
            *facts.surname_alone_cues,
            *facts.greeting_words,
            *facts.courtesy_titles,
            *facts.sign_offs,
            *(w for w in facts.credit_words if not w.isalpha()),
        )
        self._cue = re.compile(
            rf"{words_pattern(cues).pattern}(?:[.,:!]?[ \t]+|[.,:!]?[ \t]*\n[ \t]*|[ \t]*[:=][ \t]*[\"'])"
            rf"(?:{_POSSESSIVE}[ \t]+)?$",
            re.IGNORECASE,
        )

    def drop(
        self, text: str, findings: list[PiiFinding], *, require_support: bool = True
    ) -> list[PiiFinding]:
        """``findings`` without the unsupported model person and place readings (in a chat
        too: a fans' chat names clubs, players and dishes; its speakers are cues)."""
        if not require_support or not findings:
            return findings
        if all(self._lone_place(text, f) for f in findings):
            return []  # "a candle made in Grasse", "the Sparta derby": a place names no one
        if not all(self._weak(text, f) for f in findings):
            return findings  # something else in the text: the readings keep its support
        if any(self._cued(text, f) for f in findings):
            return findings
        return [f for f in findings if _CITATION.match(text, f.end)]

    def _lone_place(self, text: str, f: PiiFinding) -> bool:
        """A place reading from the place list or the model, written with a capital: in a text
        with nothing else personal it names a product's, a work's or a team's place (``a candle
        made in Grasse``, ``the Sparta derby``), unless a whereabouts word comes before it
        (``I fly from Madrid``). A lower-case place is how people chat (``ellie's getting the
        train in from stockport``): that one is kept."""
        return (
            f.entity_type == "LOCATION"
            and f.recognizer in _PLACE_READERS
            and not text[f.start : f.end].islower()
            and self._whereabouts.search(text, max(0, f.start - 60), f.start) is None
        )

    @staticmethod
    def _weak(text: str, f: PiiFinding) -> bool:
        """A model reading of a person or place, or a pair of Title-case words from the name
        lists (``Lucky Luke``, ``Toy Story``, ``Preston North``: characters, films, places and
        brands are named so too); not an ALL-CAPS, lower-case or ``Surname, First`` name."""
        if f.recognizer in _MODEL:
            return f.entity_type in _NAMES
        value = text[f.start : f.end]
        words = value.split()
        return (
            f.recognizer == "NameRecognizer"
            and len(words) >= 2
            and "," not in value
            and all(w[:1].isupper() and w[1:].islower() for w in words)
        )

    def _cued(self, text: str, f: PiiFinding) -> bool:
        """A word before ``f`` that introduces a person (``f`` a person) or a place (``f`` a
        place), or a signature dash at the start of its line."""
        before = text[max(0, f.start - 40) : f.start]
        if _SPEAKER_BEFORE.search(before) and text[f.end : f.end + 1] in (":", ">"):
            return True  # "[14:02] Hannah Schulz: …": the speaker of a marked chat turn
        if f.entity_type == "LOCATION":
            return bool(self._preposition.search(before))
        return bool(
            self._title.search(before)
            or self._cue.search(before)
            or (_SIGNATURE.search(before) and not _bulleted(text, before))
            or _COPYRIGHT.search(before)
        )


class LonelyPhoneFilter:
    """Drops the phone numbers of a text that holds nothing else personal and no word of
    reaching someone.

    A number written without ``+`` is a phone number by its shape only. In a text where a
    person is reached (``call``, ``Tel.``, ``text me``, ``mi número``, a name, an address, an
    e-mail address) that shape is enough; in a text with none of these it was, on the dev set,
    a receipt's, a lab's, a delivery note's or a part's number (``FACTURA SIMPLIFICADA
    2317-014-482913``, ``DELIVERY NOTE: DN 118 274 0031``). The words are ``phone_context`` and
    ``phone_support_words`` in ``recognizers.yaml``, anywhere in the text, a phone word
    opening a compound (``Telefonnummer``), or a verb of reaching right before the number
    (``Text Dawn on 07946 331 582``). A number written with ``+``, or with the digit groups
    of its country's own format (``national_grouping``: ``020 7946 0958``, ``612 48 73 90``),
    is kept, and so is a text that is the number alone (a record's phone field).
    ``PiiConfig(require_support=False)`` turns this off.

    >>> from openmodel_gov.pii._facts import load_facts
    >>> lonely = LonelyPhoneFilter(load_facts())
    >>> def phone(text, value):
    ...     start = text.index(value)
    ...     return [PiiFinding("PHONE_NUMBER", start, start + len(value), 0.4, "StrictPhoneRecognizer")]
    >>> text = "Delivery note DN 118 274 0031, 4 pallets."
    >>> lonely.drop(text, phone(text, "118 274 0031"))
    []
    >>> text = "my new number is 0491 570 156"
    >>> len(lonely.drop(text, phone(text, "0491 570 156")))
    1
    >>> len(lonely.drop("0491 570 156", phone("0491 570 156", "0491 570 156")))
    1
    """

    def __init__(
        self, facts: PiiFacts, *, national_grouping: Callable[[str], bool] = lambda raw: False
    ) -> None:
        self._support = words_pattern((*facts.phone_context, *facts.phone_support_words))
        # a phone word opening a compound number word: "Telefonnummer", "Rufnummer", "Tel.-Nr."
        self._compound = re.compile(
            rf"(?<![^\W\d_])(?:{alternation(facts.phone_context)})[\w.-]{{0,8}}?"
            r"(?:nummer|number|numer|nr)(?![^\W\d_])",
            re.IGNORECASE,
        )
        self._national = national_grouping
        verbs = (
            words_pattern(facts.phone_message_verbs).pattern
            if facts.phone_message_verbs
            else "(?!)"
        )
        # "Text Dawn on 07946 331 582": a verb, up to three words, "on"/"at"/a colon
        self._verb_on = re.compile(
            rf"{verbs}(?:[ \t]+[^\W\d_][\w'’.-]*){{0,3}}(?:[ \t]+(?:on|at)|[ \t]*:)[ \t]*$",
            re.IGNORECASE,
        )

    def drop(
        self, text: str, findings: list[PiiFinding], *, require_support: bool = True
    ) -> list[PiiFinding]:
        """``findings`` without its phone numbers when nothing in ``text`` supports them."""
        if (
            not require_support
            or not findings
            or any(f.entity_type != "PHONE_NUMBER" or text[f.start] == "+" for f in findings)
            or (len(findings) == 1 and text.strip() == text[findings[0].start : findings[0].end])
            or self._support.search(text)
            or self._compound.search(text)
            or any(self._verb_on.search(text, max(0, f.start - 60), f.start) for f in findings)
            # last: libphonenumber parses each number once per region
            or any(self._national(text[f.start : f.end]) for f in findings)
        ):
            return findings
        return []


# An assistant or a bot, in EN, DE, FR, ES, IT, PT, NL, PL ("assistente virtual", "virtueller
# Assistent", "wirtualna asystentka").
_BOT = (
    r"(?:virtual |digital |ai |friendly |support |chat |virtueller |virtuelle |virtuele |"
    r"wirtualny |wirtualna )*(?:assistant|assistente|asistente|assistent|asystent(?:ka)?|"
    r"chatbot|bot|virtual agent)(?: virtu(?:al|el|elle|ale)| digital)?"
)

_ANY_BOT = re.compile(rf"\b{_BOT}\b", re.IGNORECASE)
# An assistant word right after a name ("Aria (virtual assistant)", "Ava, your assistant") or
# right before it ("the chatbot Nora", 'assistant:\n  name: "Ava"'); compiled once, the name is
# found with str.find.
# A brand may stand between the article and the assistant word ("I'm Timmy, the Tim Hortons
# virtual assistant").
_BOT_AFTER = re.compile(
    rf"[ \t]*[(,][ \t]*(?:(?:your|our|the|a|an)[ \t]+(?:[A-Z][\w'’&-]*[ \t]+){{0,3}})?{_BOT}",
    re.IGNORECASE,
)
_BOT_BEFORE = re.compile(
    rf"(?i:{_BOT})\b[^\n]{{0,3}}(?:\n[ \t]+)?(?:name[\"']?[ \t]*[:=][ \t]*[\"']?|(?:named |called )?)\Z"
)
_WORD_END = re.compile(r"\b")
# A chat turn whose speaker is a bot ("[Chatbot] Hi! I'm Lazzie 🤖, …", "Bot: I'm Ava"): the
# name it introduces itself with is the bot's; a name it addresses ("assistant: Please do not
# share that here, Jack.") is the user's.
_BOT_SPEAKER = re.compile(rf"(?im)^[ \t]*[\[<]?(?:{_BOT})[\]>]?[ \t]*:?[ \t]")
_SELF_INTRO = re.compile(
    r"(?i:\b(?:i'm|i’m|i am|my name is|this is|je suis|me llamo|soy|sono|mi chiamo|ich bin|"
    r"ich heiße|eu sou|sou|jestem|ik ben)[ \t]+)\Z"
)


def _named_assistant(text: str, name: str) -> bool:
    """``name`` is an assistant's somewhere in ``text`` (see ``_BOT_AFTER``/``_BOT_BEFORE``)."""
    low, key = text.casefold(), name.casefold()
    if len(low) != len(text):  # casefold changed the length: compare as written
        low, key = text, name
    pos = low.find(key)
    while pos >= 0:
        end = pos + len(name)
        line_start = text.rfind("\n", 0, pos) + 1
        if _BOT_AFTER.match(text, end) or (
            _BOT_SPEAKER.match(text, line_start) and _SELF_INTRO.search(text, line_start, pos)
        ):
            return True
        if (
            text.startswith(name, pos)
            and _WORD_END.match(text, end)
            and _BOT_BEFORE.search(text, max(0, pos - 120), pos)
        ):
            return True
        pos = low.find(key, pos + 1)
    return False


def drop_assistants(text: str, findings: list[PiiFinding]) -> list[PiiFinding]:
    """Person findings of a name the text itself calls an assistant or a bot, at every
    mention: ``Aria (virtual assistant)``, ``I'm Ava, your digital assistant``, ``the chatbot
    Nora``, an ``assistant:`` block with ``name: "Ava"``.

    >>> text = "Aria (virtual assistant): Hi! I'm Aria. User: hi"
    >>> found = [PiiFinding("PERSON", 0, 4, 0.85), PiiFinding("PERSON", 34, 38, 0.85)]
    >>> drop_assistants(text, found)
    []
    """
    names = {text[f.start : f.end] for f in findings if f.entity_type == "PERSON"}
    if not names or _ANY_BOT.search(text) is None:
        return findings  # no assistant word at all: nothing to check name by name
    bots = {name for name in names if _named_assistant(text, name)}
    if not bots:
        return findings
    return [f for f in findings if f.entity_type != "PERSON" or text[f.start : f.end] not in bots]


# A template's slot: capitals (any script), spaces and underscores in square, angle or curly
# brackets, at least two words ("[NOMBRE DEL ARRENDADOR]", "<CUSTOMER_NAME>", "{{FIRST NAME}}").
_SLOT = re.compile(r"[\[<{]{1,2}[ \t]*([^\W\d_]+(?:[ _][^\W\d_]+)+)[ \t]*[\]>}]{1,2}")


def drop_template_slots(text: str, findings: list[PiiFinding]) -> list[PiiFinding]:
    """Person and place findings inside a template's slot: a form or contract template's
    ``[NOMBRE DEL ARRENDADOR]`` or ``<CUSTOMER_NAME>`` names a field, not a person.

    >>> text = "De una parte, D./Dña. [NOMBRE DEL ARRENDADOR], mayor de edad"
    >>> drop_template_slots(text, [PiiFinding("PERSON", 29, 43, 0.7)])
    []
    """
    if not any(c in text for c in "[<{"):
        return findings
    slots = [(m.start(1), m.end(1)) for m in _SLOT.finditer(text) if m.group(1).isupper()]
    if not slots:
        return findings
    return [
        f
        for f in findings
        if f.entity_type not in _NAMES or not any(s <= f.start and f.end <= e for s, e in slots)
    ]
