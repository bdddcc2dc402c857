"""Context helpers shared by recognizers: which table column a position is in, line bounds."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from openmodel_gov.pii._facts import PiiFacts

__all__ = [
    "CHAT_EXPORT_MARK",
    "alternation",
    "column_header",
    "has_cue",
    "line_bounds",
    "reference_before",
    "title_case",
    "words_pattern",
]

_DELIMITERS = (",", ";", "|", "\t")

#: The date and time that open a turn of an Android WhatsApp export: "21/9/24, 10:02 - ".
CHAT_EXPORT_MARK = (
    r"\d{1,2}[./]\d{1,2}[./]\d{2,4},?[ \t]+\d{1,2}:\d\d(?:[ \t]?[AaPp]\.?[Mm]\.?)?[ \t]+-[ \t]+"
)


def line_bounds(text: str, pos: int) -> tuple[int, int]:
    """Start and end offsets of the line holding ``pos``.

    >>> line_bounds("ab\\ncd\\nef", 4)
    (3, 5)
    """
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    return start, len(text) if end < 0 else end


def column_header(text: str, pos: int, *, spaced: bool = True) -> str | None:
    """The header cell above ``pos`` when ``text`` is a delimited table, lower-cased.

    A table here is a first line with at least one delimiter (``,``, ``;``, ``|`` or a tab) and
    a later line holding ``pos`` with as many cells (delimiters inside double quotes do not
    split), or one or two more when the header has three cells or more (an unquoted comma in
    an address); quoted cells are stripped of their quotes. Failing that, the header of a
    table aligned with spaces (:func:`_spaced_header`) unless ``spaced`` is false (for a
    caller that splits cells at delimiters only). ``None`` for anything else.

    >>> column_header("name,dob\\nAda,1815-12-10", 13)
    'dob'
    >>> column_header("just a line", 3) is None
    True
    """
    first_end = text.find("\n")
    if first_end < 0 or pos <= first_end:
        return None
    header = text[:first_end]
    start, end = line_bounds(text, pos)
    line = text[start:end]
    for delim in _DELIMITERS:
        if delim not in header:
            continue
        cells = _cells(header, delim)
        spans = _cells(line, delim)
        extra = len(spans) - len(cells)
        if len(cells) < 2 or not (extra == 0 or (len(cells) >= 3 and 0 < extra <= 2)):
            continue
        names = [header[a:b].strip().strip("\"'").strip().lower() for a, b in cells]
        index = next(i for i, (a, b) in enumerate(spans) if a <= pos - start <= b)
        return names[_aligned(names, index, extra)]
    return _spaced_header(text, pos) if spaced else None


# A cell of a table laid out with spaces: words split by single spaces; two spaces or more
# end it.
_SPACED_CELL = re.compile(r"\S+(?: \S+)*")
# A rule under a header: "-----  -----", "=== ===", "+----+".
_RULE = re.compile(r"[ \t]*[-=+_:|]{3,}[-=+_:| \t]*")
_MAX_ROWS_ABOVE = 60
_MAX_LABEL = 32


def _spaced_header(text: str, pos: int) -> str | None:
    """The header cell above ``pos`` in a table aligned with spaces: the first line of the
    run of lines of two cells or more (cells split by two spaces or more) that holds
    ``pos``, when most of its cells hold no digit; the header cell is the one overlapping
    ``pos``'s cell most. ``None`` for prose, a lone line or a cell under no header.

    >>> table = "Part      Qty  Supplier\\nJ1-4302   1    Molex\\nQ1-7781   2    Vishay"
    >>> _spaced_header(table, table.index("Q1")), _spaced_header(table, table.index("Molex"))
    ('part', 'supplier')
    >>> _spaced_header("call me on 0176 5559 2817", 11) is None
    True
    """
    start, end = line_bounds(text, pos)
    cells = [m.span() for m in _SPACED_CELL.finditer(text, start, end)]
    if len(cells) < 2:
        return None
    cell = next(((a, b) for a, b in cells if a <= pos < b), None)
    if cell is None:
        return None
    header: list[tuple[int, int]] | None = None
    header_text = ""
    line_start = start
    for _ in range(_MAX_ROWS_ABOVE):
        if line_start == 0:
            break
        above_start, above_end = line_bounds(text, line_start - 1)
        line_start = above_start
        if _RULE.fullmatch(text, above_start, above_end):
            continue
        above = [m.span() for m in _SPACED_CELL.finditer(text, above_start, above_end)]
        if len(above) < 2:
            break
        header = [(a - above_start, b - above_start) for a, b in above]
        header_text = text[above_start:above_end]
    if header is None:
        return None
    labels = [header_text[a:b] for a, b in header]
    if 2 * sum(any(c.isdigit() for c in label) for label in labels) > len(labels) or any(
        len(label) > _MAX_LABEL or label.count(" ") >= 4 for label in labels
    ):
        return None  # the run starts with a row of values or a log line: no header
    a, b = cell[0] - start, cell[1] - start
    overlap, best = max((min(b, hb) - max(a, ha), i) for i, (ha, hb) in enumerate(header))
    return header_text[slice(*header[best])].lower() if overlap > 0 else None


def _aligned(names: list[str], index: int, extra: int) -> int:
    """The header index of cell ``index`` of a row with ``extra`` unquoted delimiters inside
    its free-text cells (``Vesterbrogade 112, 3. th.``): cells before the first free-text
    column keep their place, cells after it are counted from the end.

    >>> _aligned(["id", "street", "city", "country"], 4, 1)
    3
    >>> _aligned(["id", "street", "city", "country"], 2, 1)
    1
    """
    if not extra:
        return index
    free = next((i for i, n in enumerate(names) if any(w in n for w in _FREE_TEXT)), None)
    if free is None or index < free:
        return min(index, len(names) - 1)
    return max(free, index - extra)


# Columns whose values may hold the delimiter unquoted: addresses, names, descriptions.
_FREE_TEXT = ("street", "address", "addr", "line", "name", "company", "description", "title")


def _cells(line: str, delim: str) -> list[tuple[int, int]]:
    """The cells of a delimited line as offsets; a delimiter inside double quotes is part of
    its cell (RFC 4180 2.6: ``E0412,"HUSSAIN, Tariq",12/06/1984`` has three cells).

    >>> _cells('a,"b, c",d', ",")
    [(0, 1), (2, 8), (9, 10)]
    """
    out: list[tuple[int, int]] = []
    begin, quoted = 0, False
    for i, char in enumerate(line):
        if char == '"':
            quoted = not quoted
        elif char == delim and not quoted:
            out.append((begin, i))
            begin = i + 1
    out.append((begin, len(line)))
    return out


def has_cue(cue: re.Pattern[str], text: str, start: int) -> bool:
    """True when ``cue`` occurs on the line of ``start`` or on the first (header) line."""
    line_start, line_end = line_bounds(text, start)
    header_end = line_bounds(text, 0)[1]
    return bool(cue.search(text, line_start, line_end) or cue.search(text, 0, header_end))


def alternation(words: Iterable[str]) -> str:
    """``words`` escaped and joined with ``|``, longest first, so that a word wins over its
    prefix (``Sp. z o.o.`` before ``Sp``).

    >>> alternation(["st", "st.", "straße"])
    'straße|st\\\\.|st'
    """
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


def words_pattern(words: Iterable[str]) -> re.Pattern[str]:
    """Any of ``words`` as a whole word, in any case (a letter may not touch either end).

    >>> bool(words_pattern(["tel"]).search("Tel.: 020")), bool(words_pattern(["tel"]).search("hotel"))
    (True, False)
    """
    return re.compile(rf"(?<![^\W\d_])(?:{alternation(words)})(?![^\W\d_])", re.IGNORECASE)


def reference_before(facts: PiiFacts) -> re.Pattern[str]:
    """A reference word (``order``, ``invoice``, ``Lot``, ``batch=``) right before a number,
    with its ``no.`` / ``#`` / ``:`` / ``=`` or a copula (``order is``, ``ticket interno``,
    ``ordine n.``, ``reclamación con número``): the number is a reference, not a phone or card.

    >>> from openmodel_gov.pii._facts import load_facts
    >>> rx = reference_before(load_facts())
    >>> [bool(rx.search(t)) for t in ("order is ", "VAT reg. GB ", "ordine n. ", "call me on ")]
    [True, True, True, False]
    """
    refs = "|".join(map(re.escape, facts.phone_reference_words))
    glue = (
        r"no\.?|nr\.?|n\.|n°|nº|numbers?|nos\.?|nrs\.?|num\.?|números?|numéros?|numer[oi]|nummern?|"
        r"numery|numer|is|es|est|ist|"
        r"è|é|interno|interna|internal|interne|intern|con|with|avec|mit|com|code|código|codice|"
        r"kod|#|:|="
    )
    return re.compile(
        # an upper-case country prefix may follow ("VAT reg. GB 318 4427 90")
        rf"(?<![^\W\d_])(?:{refs})\.?(?:\s*(?:{glue})(?![^\W\d_]))*(?:\s*(?-i:[A-Z]{{2}}))?\s*#?$",
        re.IGNORECASE,
    )


def title_case(value: str) -> bool:
    """Every word capitalised except short lower-case function words: a title such as
    ``Margaret on the Stairs``, not a phrase such as ``Call Anna tomorrow``.

    >>> title_case("Margaret on the Stairs"), title_case("Call Anna tomorrow")
    (True, False)
    """
    words = re.findall(r"[^\W\d_][\w'’-]*", value)
    return bool(words) and all(w[0].isupper() or (len(w) <= 3 and w.islower()) for w in words)
