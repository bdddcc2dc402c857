"""The labels written before a phone-shaped number that make it another kind of number.

A ``…number`` / ``…Nr.`` word (``Zeichnungsnr. 4711-0032-07``, ``Teilenummer war 460 350 12
09``), a number sign (``No. 4471 2290``), a number sign that opens a short label ending in a
colon (``Nº de membre Scène+ : 6046 1827 3910 55``, ``No. de servicio: 4471 2209 18``) and the
name of the function a quoted number is passed to (``valider_commande("7710-228431")``). Plain
regular-expression helpers: :class:`~openmodel_gov.pii._phone.StrictPhoneRecognizer` decides
with them, with its phone words, whether a label names a phone (``Rufnummer``, ``No. de
teléfono:``) or something else.
"""

from __future__ import annotations

import re

from openmodel_gov.pii._context import column_header, line_bounds

__all__ = [
    "call_words_before",
    "number_sign_before",
    "number_words_before",
    "same_number_elsewhere",
    "without_list_items",
    "zip_code_at",
]

# A word that ends in "number" / "Nr." before a value or as a column header: "Teilenummer",
# "Zeichnungsnr.", "Artikelnr.", "part_number". With a phone word in it ("Telefonnummer",
# "Rufnummer", "phone_number") it is a phone number's label instead.
_NUMBER_WORD = re.compile(r"([^\W\d_]{2,})(?:nummer|nr\.?|number|numer|numero|número)", re.I)
# ...right before the value, with its ":", "#" or "=", or a copula in the sets' languages
# ("Teilenummer war 460 350 12 09", "order number is 4471 2290").
_NUMBER_LABEL = re.compile(
    rf"{_NUMBER_WORD.pattern}[ \t]*[:#=]?[ \t]*(?:(?:is|was|ist|war|est|es|era|è|é)[ \t]+)?$",
    re.I,
)
# A "code" label with the word it qualifies: "Leaflet code 401 023 8721", "voucher code:";
# not the parts of a phone number itself (ITU-T E.164: country code; national area, city,
# trunk or dialling code, STD code in the UK).
_CODE_LABEL = re.compile(
    r"(?<![^\W\d_])(?!(?:area|city|country|calling|dial|dialling|dialing|trunk|std)\b)"
    r"([^\W\d_]{2,})[ \t]+code[ \t]*[:#]?[ \t]*$",
    re.I,
)
# A number sign right before the number: "Nr. ", "No.", "n°", "nº", Italian "n." ("Ordine
# online n. 2024-118-3370"), "#" (a phone number carries one only after a phone word: "Tel.
# Nr.", "chiamare il n.").
_NUMBER_SIGN = re.compile(
    r"(?:(?<![^\W\d_])(?:(?:nr|no|n°|nº|núm|num)\.?|n\.)|#)[ \t]*:?[ \t]*$", re.IGNORECASE
)
# A number sign that opens a label of one to four words and its colon, right before the
# number: "Nº de membre Scène+ : ", "No. de servicio: ", "N° de commande : ", "Nr. der
# Bestellung: ". The words hold no digit (the label is the number's own).
_SIGNED_LABEL = re.compile(
    r"(?<![^\W\d_])(?:n°|nº|no\.|nr\.|núm\.?|num\.)(?:[ \t]+[^\s\d:]+){1,4}[ \t]*:[ \t]*$",
    re.IGNORECASE,
)
# The name of a called function right before its quoted first argument:
# 'valider_commande("', "check_order('", "Order.lookup( '".
_CALL_BEFORE = re.compile(r"(?<![\w.])([A-Za-z_][\w.]{0,40})\([ \t]*[\"']\Z")


def number_words_before(text: str, start: int, header: str | None) -> list[str]:
    """The stems of the ``…number`` / ``…Nr.`` words right before ``start`` (within 32
    characters) and in the column ``header``, and the word before a ``code`` label: ``teile``
    of ``Teilenummer war 460 350 12 09``, ``telefon`` of ``Telefonnummer:``, ``Leaflet`` of
    ``Leaflet code 401 023 8721``. The caller decides whether a stem names a phone (``area
    code``, ``dial code``).

    >>> number_words_before("Teilenummer war 460 350 12 09", 16, None)
    ['Teile']
    >>> number_words_before("Tel 0412 786 309", 4, "bestelnummer")
    ['bestel']
    >>> number_words_before("Leaflet code 401 023 8721", 13, None)
    ['Leaflet']
    """
    label = _NUMBER_LABEL.search(text, max(0, start - 32), start)
    code = _CODE_LABEL.search(text, max(0, start - 32), start)
    return [
        m.group(1)
        for word in (label.group(0) if label else "", header or "")
        for m in _NUMBER_WORD.finditer(word)
    ] + ([code.group(1)] if code else [])


def number_sign_before(text: str, start: int) -> str | None:
    """The number sign right before ``start`` (``No. ``, ``#``) or the label it opens up to the
    colon right before ``start`` (``Nº de membre Scène+ : ``); ``None`` when there is none.

    >>> number_sign_before("Nº de membre Scène+ : 6046 1827 3910 55", 22)
    'Nº de membre Scène+ : '
    >>> number_sign_before("Prüfbericht Nr. 2024.04.118", 16)
    'Nr. '
    >>> number_sign_before("Tel: 0412 786 309", 5) is None
    True
    """
    near = _NUMBER_SIGN.search(text, max(0, start - 8), start)
    if near is not None:
        return near.group()
    label = _SIGNED_LABEL.search(text, max(line_bounds(text, start)[0], start - 48), start)
    return None if label is None else label.group()


def call_words_before(text: str, start: int) -> str | None:
    """The words of the name of the function whose quoted first argument starts at ``start``,
    split at ``_``, ``.`` and inner capitals and joined by spaces.

    >>> call_words_before('assert valider_commande("7710-228431")', 25)
    'valider commande'
    >>> call_words_before('Order.lookupByRef("7710-228431")', 19)
    'Order lookup By Ref'
    >>> call_words_before('phone = "0412 786 309"', 9) is None
    True
    """
    m = _CALL_BEFORE.search(text, max(0, start - 48), start)
    return None if m is None else " ".join(re.split(r"[_.]|(?<=[a-z])(?=[A-Z])", m.group(1)))


# The earlier items of a list of numbers before a value ("0161-4960-22, " and
# "0161-4961-07 (hinges), "): the label before the first item labels them all.
# (One item: a lookahead for its digit, then one greedy run, so a long digit run is not split
# every possible way before the match fails.)
# A list or range separator: ",", ";", "to", "bis", "t/m" (Dutch "tot en met"), "au", "al".
_RANGE_WORD = r"(?:to|through|thru|bis|t/m|tot|au|al|a|à|–)"
_SEP = rf"(?:[ \t]*[,;]|[ \t]+{_RANGE_WORD})[ \t]*"
_LIST_BEFORE = re.compile(rf"(?:(?=[\w./-]*\d)[\w./-]+(?:[ \t]*\([^()\n]{{0,30}}\))?{_SEP})+$")
_LIST_END = re.compile(rf"(?:[,;]|\d[ \t]+{_RANGE_WORD})[ \t]*$")


def without_list_items(before: str) -> str:
    """``before`` (the text before a number on its line) without the earlier items of the list
    the number ends: the label before the first item labels them all.

    >>> without_list_items("Lot numbers: 0161-4960-22, 0161-4961-07 (hinges), ")
    'Lot numbers: '
    """
    return _LIST_BEFORE.sub("", before) if _LIST_END.search(before) else before


def same_number_elsewhere(text: str, start: int, end: int) -> list[int]:
    """Where else ``text[start:end]`` is written in ``text`` as a whole number (no digit,
    letter, ``-`` or ``.``-digit touching it): ``7710-229017`` in ``Commande 7710-229017``
    after a customer typed ``7710-229017`` alone.

    >>> same_number_elsewhere("7710-229017 ... Commande 7710-229017, 77710-229017", 0, 11)
    [25]
    """
    raw = text[start:end]
    out: list[int] = []
    pos = text.find(raw)
    while pos >= 0:
        after = text[pos + len(raw) : pos + len(raw) + 2]
        glued = (pos > 0 and (text[pos - 1].isalnum() or text[pos - 1] in "-.")) or (
            after[:1].isalnum() or (after[:1] in "-." and after[1:2].isalnum())
        )
        if pos != start and not glued:
            out.append(pos)
        pos = text.find(raw, pos + 1)
    return out


# US ZIP+4 (USPS Publication 28, 2.3: five digits, a hyphen, four digits) and the Brazilian
# CEP (Correios: five digits, a hyphen, three): after a state code ("OR 97227-1623",
# "SP, 05435-000") or in a ZIP column it is a postcode, never a phone number.
_ZIP4 = re.compile(r"\d{5}-\d{3,4}")
_STATE_BEFORE = re.compile(r"\b[A-Z]{2},?[ \t]+$")


def zip_code_at(text: str, start: int, end: int) -> bool:
    """``text[start:end]`` is a ZIP+4 code or a CEP after a state code or in a ZIP column.

    >>> zip_code_at("Portland, OR 97227-1623", 13, 23), zip_code_at("call 97227-1623", 5, 15)
    (True, False)
    """
    if not _ZIP4.fullmatch(text[start:end]):
        return False
    header = column_header(text, start)
    return bool(_STATE_BEFORE.search(text, max(0, start - 6), start)) or (
        header is not None and ("zip" in header or "postal" in header or "postcode" in header)
    )
