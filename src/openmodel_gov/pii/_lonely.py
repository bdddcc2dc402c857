"""A lone first name with nothing around it: the weakest person reading there is.

spaCy's small model tags single capitalised words as people — ``Zara``, ``Nora``, ``Grace
before lunch``, a perfume, a car model, a dish. On the hand-written dev set, a one-word
person name from the model was right when the text held something else personal (a phone
number, an address, a full name, a date of birth), a title before it (``Mr. Okafor``) or a
chat or dialogue layout (``<priya> thanks Tomasz``), and mostly wrong otherwise. A one-word
model reading without any of these is dropped.
"""

from __future__ import annotations

import re

from openmodel_gov.pii._context import words_pattern
from openmodel_gov.pii._facts import PiiFacts
from openmodel_gov.pii._results import PiiFinding

__all__ = ["LonelyNameFilter", "drop_assistants"]

# Model readings (spaCy, or a model on disk: ``PiiConfig(model=<dir>)``) as opposed to
# cue-based ones.
_MODEL = frozenset({"SpacyRecognizer", "ModelNerRecognizer"})
# A chat or dialogue line: "[10:17] sre_jl: ...", "<priya> ...", "Lucía: ...", "— Sí, ...".
_TURN = re.compile(
    r"^[ \t]*(?:\[[^\]\n]{1,24}\][ \t]*)?(?:<[^>\n]{1,24}>|[^\W\d][\w .@-]{0,23}:|[—–-][ \t])",
    re.MULTILINE,
)
# An author-year citation: "Murphy (2012)", "Bishop, 2006".
_CITATION = re.compile(r"(?:[ \t]*\(|,[ \t]*)(?:19|20)\d\d[a-z]?\b")


class LonelyNameFilter:
    """Drops one-word model person readings that nothing in the text supports.

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
    """

    def __init__(self, facts: PiiFacts) -> None:
        titles = words_pattern(facts.courtesy_titles).pattern
        self._title = re.compile(rf"{titles}\.?[ \t]+$", re.IGNORECASE)
        preps = words_pattern(facts.place_prepositions).pattern
        self._preposition = re.compile(rf"{preps}[ \t]+(?:[^\W\d_]+[ \t]+)?$", re.IGNORECASE)

    def drop(self, text: str, findings: list[PiiFinding]) -> list[PiiFinding]:
        """``findings`` without the unsupported one-word model person readings."""
        lonely = [f for f in findings if self._one_word_model_person(text, f)]
        if not lonely or any(f not in lonely for f in findings) or _dialogue(text):
            return findings
        return [f for f in findings if f not in lonely or self._titled_or_cited(text, f)]

    def _one_word_model_person(self, text: str, f: PiiFinding) -> bool:
        """A one-word model reading of a person, or of a place that no preposition introduces
        (``Delta is late again``, ``beef Wellington``; ``in Lisbon`` stays)."""
        return (
            f.recognizer in _MODEL
            and not any(c.isspace() for c in text[f.start : f.end])
            and (
                f.entity_type == "PERSON"
                or (
                    f.entity_type == "LOCATION"
                    and not self._preposition.search(text, max(0, f.start - 32), f.start)
                )
            )
        )

    def _titled_or_cited(self, text: str, f: PiiFinding) -> bool:
        return bool(
            self._title.search(text, max(0, f.start - 12), f.start) or _CITATION.match(text, f.end)
        )


def _dialogue(text: str) -> bool:
    """Two lines or more that open like chat or dialogue turns: marked with a time, a
    ``<handle>`` or a dash, or ``Name:`` turns of which one speaker speaks twice (a newsletter's
    or a form's ``Lost property:``, ``Note:`` labels each come once).

    >>> _dialogue("Lucía: ¿vienes?\\nTomás: sí\\nLucía: vale"), _dialogue("Note: x\\nLost property: y")
    (True, False)
    """
    turns = [m.group().strip() for m in _TURN.finditer(text)]
    labels = [t.casefold() for t in turns if t.endswith(":") and not t.startswith("[")]
    marked = len(turns) - len(labels)
    return len(turns) >= 2 and (marked >= 2 or len(set(labels)) < len(labels))


# An assistant or a bot, in EN, DE, FR, ES, IT, PT, NL, PL ("assistente virtual", "virtueller
# Assistent", "wirtualna asystentka").
_BOT = (
    r"(?:virtual |digital |ai |friendly |support |chat |virtueller |virtuelle |virtuele |"
    r"wirtualny |wirtualna )*(?:assistant|assistente|asistente|assistent|asystent(?:ka)?|"
    r"chatbot|bot|virtual agent)(?: virtu(?:al|el|elle|ale)| digital)?"
)

_ANY_BOT = re.compile(rf"\b{_BOT}\b", re.IGNORECASE)


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
    bots = {
        name
        for name in names
        if re.search(
            rf"(?i:{re.escape(name)}[ \t]*[(,][ \t]*(?:your |our |the |a |an )?{_BOT})"
            rf"|(?i:{_BOT})\b[^\n]{{0,3}}(?:\n[ \t]+)?(?:name[\"']?[ \t]*[:=][ \t]*[\"']?|"
            rf"(?:named |called )?){re.escape(name)}\b",
            text,
        )
    }
    if not bots:
        return findings
    return [f for f in findings if f.entity_type != "PERSON" or text[f.start : f.end] not in bots]
