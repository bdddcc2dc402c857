""" "This field is code": texts scanned with the code-aware rules of ``recognizers.yaml``.

Source files, configs, notebooks' code cells and logs are full of look-alikes: identifiers that
read as names to an English NER model, constants shaped like phone numbers, and the secrets a
prose field rarely holds. A text marked as code (a value of one of ``PiiConfig.code_fields``,
or any text when ``PiiConfig.code`` is true) is scanned with these rules (``code_rules``):

* ``SECRET`` is on, even when the configuration does not list it;
* findings of the recognizers in ``drop_recognizers`` are dropped (spaCy's NER guesses:
  names from the shipped name lists, addresses and places after prepositions stay);
* ``thresholds`` raise the minimum score per type (a phone number needs a context word
  such as ``phone`` or ``tel`` near it).

:class:`CodeText` is how a text carries the mark to the detector (also across worker
processes: it pickles as itself); it is a ``str`` in every other respect.
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = ["CodeText", "is_code", "mark_code"]


class CodeText(str):
    """A ``str`` that is code: the detector applies the code-aware rules to it.

    >>> text = CodeText("password = 'hunter2hunter2'")
    >>> is_code(text), is_code(str(text)), text.upper() == "PASSWORD = 'HUNTER2HUNTER2'"
    (True, False, True)
    """

    __slots__ = ()

    def __reduce__(self) -> tuple[type[CodeText], tuple[str]]:
        return CodeText, (str(self),)


def is_code(text: str) -> bool:
    """Whether ``text`` is marked as code."""
    return isinstance(text, CodeText)


def mark_code(texts: Iterable[str]) -> list[str]:
    """``texts`` marked as code.

    >>> [is_code(t) for t in mark_code(["a", "b"])]
    [True, True]
    """
    return [CodeText(t) for t in texts]
