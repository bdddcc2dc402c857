"""Address parts that their table column or key names: a ``city`` cell, ``"cep": "13083-852"``,
``citta: "Torino"``, and the cutting of address spans into cells at tabs and closing quotes
(used by :class:`~openmodel_gov.pii._address.AddressRecognizer`)."""

from __future__ import annotations

import re

from openmodel_gov.pii._context import alternation, cell_value, column_header, fold
from openmodel_gov.pii._facts import PiiFacts

__all__ = ["AddressCells", "final_spans"]


def _folded(value: str) -> str:
    """``value`` without accents, case or underscores: ``Código_Postal`` -> ``codigo postal``."""
    return fold(value.replace("_", " "))


def _translates(keyed: str, value: str) -> bool:
    """The value names its own key or is a format placeholder: a locale file's label
    (``codigo_postal: "Código postal (XXXX-XXX)"``), not an address."""
    key = _folded(keyed.split(":", 1)[0].split("=", 1)[0].strip(" \t\"'"))
    return (bool(key) and re.match(rf"{re.escape(key)}\b", _folded(value)) is not None) or (
        "XXX" in value
    )


class AddressCells:
    """The cells of a table's address columns and the quoted values of address keys.

    >>> from openmodel_gov.pii._facts import load_facts
    >>> cells = AddressCells(load_facts())
    >>> text = "nome,citta,kod\\nAda,Torino,80-288\\n"
    >>> [text[s:e] for s, e, _ in cells.columns(text)]
    ['Torino', '80-288']
    """

    def __init__(self, facts: PiiFacts) -> None:
        self._location_columns = frozenset(fold(c) for c in facts.location_columns)
        # "comune_nascita", "ville_naissance": a place word and a birth word make a birthplace
        self._place_words = frozenset(c for c in self._location_columns if c.isalpha())
        self._birth_words = frozenset(fold(c) for c in facts.dob_columns if c.isalpha())
        # the distinctive postcode shapes (not a bare run of digits: a product code's)
        self._postcode = re.compile(
            "|".join(v for k, v in facts.postcode_patterns.items() if k != "NUMERIC")
        )
        # keys in code are often written without accents: "citta", "codigo_postal"
        columns = facts.location_columns
        keys = alternation(sorted({*columns, *(_folded(c).replace(" ", "_") for c in columns)}))
        self._keyed_value = re.compile(
            rf"(?i)(?<![\w-])[\"']?(?:{keys})[\"']?[ \t]*[:=][ \t]*[\"']([^\"'\n]{{2,80}})[\"']"
        )
        self._labels = frozenset(w.casefold() for w in facts.not_location_words)
        # a header that names a code: "kod", "cod_post", "code"
        codes = alternation(facts.address_words.code_header_words) or "(?!)"
        self._code_header = re.compile(rf"(?<![^\W\d_])(?:{codes})")
        # the last word of a compound header that names a postcode: "home_postcode", "ship_zip"
        self._postcode_words = frozenset(
            fold(w) for w in facts.postcode_context if " " not in w and w.isalpha()
        )

    def keyed(self, text: str) -> list[tuple[int, int, float]]:
        """The quoted value of an address key in JSON, YAML or code: ``"city": "Hà Nội"``,
        ``line1="58 Trần Quang Khải"``."""
        out: list[tuple[int, int, float]] = []
        for m in self._keyed_value.finditer(text):
            value = m.group(1).strip()
            # "zip": "550000"; not a placeholder of one digit repeated ("cap": "00000")
            postcode_like = (
                value.isdigit() and 4 <= len(value) <= 6 and len(set(value)) > 1
            ) or self._postcode.fullmatch(value) is not None  # "cep": "13083-852"
            if not postcode_like and not any(c.isalpha() for c in value):
                continue  # "addr": "0.0.0.0:8080" is a socket address
            if value.casefold() in self._labels or _translates(m.group(0), value):
                continue  # "checkout.form.city": "Ville", "morada": "Morada": a form's label
            if value and (
                value[0].isupper() or (value[0].isdigit() and not value.isdigit()) or postcode_like
            ):
                start = m.start(1) + (len(m.group(1)) - len(m.group(1).lstrip()))
                out.append((start, start + len(value), 0.6))
        return out

    def columns(self, text: str) -> list[tuple[int, int, float]]:
        """The cells of address columns (``city``, ``citta``, ``cp``), single-quoted SQL cells
        included, and postcode-shaped cells of a ``kod`` / ``code`` column."""
        out: list[tuple[int, int, float]] = []
        if "\n" not in text:
            return out
        for m in re.finditer(r"[^,;|\t\n\"]+", text):
            lead, value = cell_value(m.group())  # "'46005'" in a SQL row
            if not value or not (value[0].isupper() or value[0].isdigit()):
                continue
            header = column_header(text, m.start(), spaced=False)
            if header is None:
                continue
            folded = fold(header)  # "citta", "poblacion": headers written without accents
            coded = self._code_header.search(folded) or self._postcode_compound(folded)
            if not self._location_header(folded) and not (
                coded and self._postcode.fullmatch(value)
            ):
                continue  # a "kod" / "code" column holds a postcode only in a postcode's shape
            out.append((m.start() + lead, m.start() + lead + len(value), 0.6))
        return out

    def _postcode_compound(self, folded: str) -> bool:
        """A compound header whose last word names a postcode (``home_postcode``)."""
        words = [w for w in re.split(r"[\W_]+", folded) if w]
        return len(words) > 1 and words[-1] in self._postcode_words

    def _location_header(self, folded: str) -> bool:
        """A listed address column, or a birthplace column made of a place word and a birth
        word (``comune_nascita``, ``ville_naissance``, ``birth_city``)."""
        if folded in self._location_columns:
            return True
        words = set(re.split(r"[\W_]+", folded))
        return bool(words & self._place_words) and bool(words & self._birth_words)


def final_spans(text: str, spans: list[tuple[int, int, float]]) -> list[tuple[int, int, float]]:
    """The spans cut at tabs and closing quotes, without the empty ones and those inside
    another, in order."""
    # a closing quote after the last word is the string's, not the address's ("...Gdańsk'");
    # a tab is a cell boundary: each cell of a TSV row is its own span
    spans = [
        (a, _unquoted_end(text, a, b), score)
        for s, e, score in spans
        for a, b in _tab_cells(text, s, e)
    ]
    spans = [(s, e, score) for s, e, score in spans if e > s]
    kept = [
        (s, e, score)
        for s, e, score in spans
        if not any(s2 <= s and e <= e2 and (s2, e2) != (s, e) for s2, e2, _ in spans)
    ]
    return sorted(set(kept))


def _tab_cells(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """``text[start:end]`` cut at its tabs, blank pieces left out."""
    if "\t" not in text[start:end]:
        return [(start, end)]
    out: list[tuple[int, int]] = []
    for m in re.finditer(r"[^\t]+", text[start:end]):
        piece = m.group()
        if piece.strip():
            lead = len(piece) - len(piece.lstrip())
            out.append((start + m.start() + lead, start + m.start() + len(piece.rstrip())))
    return out


def _unquoted_end(text: str, start: int, end: int) -> int:
    """``end`` before the quotes that close a quoted value: "ul. Długa 17/4, 80-831 Gdańsk'"."""
    while end > start and text[end - 1] in "'’\"":
        end -= 1
    return end
