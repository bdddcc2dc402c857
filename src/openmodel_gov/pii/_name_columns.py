"""Person names in the name columns of CSV, TSV and other delimited tables."""

from __future__ import annotations

import re
from collections.abc import Callable

from openmodel_gov.pii._context import cell_value, column_header
from openmodel_gov.pii._facts import PiiFacts

__all__ = ["NAME_TOKEN", "NameColumns"]

# A word of a name: letters, with inner apostrophes and hyphens ("O'Brien", "Jean-Luc").
NAME_TOKEN = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
# A table cell: a double-quoted one (RFC 4180: commas inside) or a run without delimiters.
_CELL = re.compile(r'"([^"\n]*)"|([^,;|\t\n"]+)')
# Header cells that name a person's column only next to another personal column: a bare
# "name" is also a product's, a currency's or a model's.
# What tables print for a missing value: SQL, pandas, JSON, spreadsheets.
_NO_VALUE = frozenset(["null", "none", "nan", "nat", "nil", "undefined", "na", "tbd", "unknown"])
_GENERIC_NAME_COLUMNS = frozenset(["name", "nome", "nom", "nombre", "naam", "nazwa"])


class NameColumns:
    """The cells of a table's person columns (``surname``, ``first_name``, ``cognome`` ...).

    >>> from openmodel_gov.pii._facts import load_facts
    >>> table = "id,surname,first_name\\n7,OKAFOR,Chidi\\n"
    >>> [table[s:e] for s, e, _ in NameColumns(load_facts()).cells(table)]
    ['OKAFOR', 'Chidi']
    """

    def __init__(self, facts: PiiFacts, word_ok: Callable[[str], bool] | None = None) -> None:
        """``word_ok`` tells whether a word of a cell may be part of a name (a listed name, or
        a capitalised word that is no dictionary word); by default any word may."""
        self._word_ok = word_ok
        self._columns = frozenset(facts.person_columns)
        self._column_words = frozenset(c for c in facts.person_columns if c.isalpha())
        # Words of a header row that make a bare "name" column a person's: another person
        # column, contact, birth or address columns.
        self._personal_columns = (
            frozenset(w for c in facts.person_columns for w in re.split(r"[\W_]+", c) if w)
            | frozenset(facts.location_columns)
            | frozenset(facts.dob_columns)
            | {"email", "mail", "phone", "tel", "telefon", "telefono", "teléfono", "mobile"}
        ) - _GENERIC_NAME_COLUMNS

    def cells(self, text: str) -> list[tuple[int, int, str]]:
        """``(start, end, why)`` of each cell of a person column in ``text``."""
        out: list[tuple[int, int, str]] = []
        if "\n" not in text:
            return out
        # the header is on one of the first lines (under a title or a SQL comment)
        head = "\n".join(text.split("\n", 5)[:5]).casefold()
        personal_table = any(w in self._personal_columns for w in re.split(r"[\W_]+", head) if w)
        for m in _CELL.finditer(text):
            raw = m.group(1) if m.group(1) is not None else m.group(2)
            lead, value = cell_value(raw)
            words = value.replace(", ", " ").split()  # a quoted "SURNAME, Given" cell
            if not 1 <= len(words) <= 4 or not all(NAME_TOKEN.fullmatch(w) for w in words):
                continue
            if value.casefold() in _NO_VALUE:
                continue  # SQL's NULL, pandas' NaN: no value at all
            if self._word_ok is not None and not all(map(self._word_ok, words)):
                continue  # "payments-api", "ticket JIRA BE": a service's or a team's name
            header = column_header(text, m.start(), spaced=False)
            if not self._person_header(header) or value.casefold() in self._columns:
                continue  # no name column, or a second header line ("pci.bus_id, name")
            if header in _GENERIC_NAME_COLUMNS and not personal_table:
                continue  # "code, symbol, name": a currency's, product's or model's name
            group = 1 if m.group(1) is not None else 2
            start = m.start(group) + lead
            out.append((start, start + len(value), "name column"))
        return out

    def _person_header(self, header: str | None) -> bool:
        """A person column's header: a listed one, or one made of two or more listed words
        (``nazwisko_imie``, ``cognome nome``)."""
        if header is None:
            return False
        if header in self._columns:
            return True
        words = [w for w in re.split(r"[\W_]+", header) if w]
        return len(words) >= 2 and all(w in self._column_words for w in words)
