"""Context helpers shared by recognizers: which table column a position is in, line bounds."""

from __future__ import annotations

import bisect
import functools
import re
import unicodedata
from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from openmodel_gov.pii._facts import PiiFacts

__all__ = [
    "CHAT_EXPORT_MARK",
    "alternation",
    "column_header",
    "has_cue",
    "inside_iban_shape",
    "line_bounds",
    "reference_before",
    "reference_earlier",
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
    an address); quoted cells are stripped of their quotes. A table may also start lower down,
    under a title or inside prose: then its header is the first of the lines just above
    ``pos``'s that split like it (rules such as ``|---|---|`` passed over), when its cells
    read as labels (``INSERT INTO t (name, dob) VALUES`` above its rows, a Markdown table).
    Failing both, the header of a table aligned with spaces (:func:`_spaced_header`) unless
    ``spaced`` is false (for a caller that splits cells at delimiters only). ``None`` for
    anything else.

    >>> column_header("name,dob\\nAda,1815-12-10", 13)
    'dob'
    >>> column_header("Year 5: do not leave\\nname,dob\\nAda,1815-12-10\\nBo,1816-01-02", 35)
    'dob'
    >>> column_header("just a line", 3) is None
    True
    """
    first_end = text.find("\n")
    if first_end < 0 or pos <= first_end:
        return None
    start, end = line_bounds(text, pos)
    line = text[start:end]
    second_start, second_end = line_bounds(text, first_end + 1)
    second = text[second_start:second_end]
    for delim in _DELIMITERS:
        if delim not in line:
            continue
        header = text[:first_end]
        cells = _cells(header, delim)
        spans = _cells(line, delim)
        if (
            not _fits(len(cells), len(spans) - len(cells))
            or (second.strip() and not _fits(len(cells), len(_cells(second, delim)) - len(cells)))
            or not _labels((header[a:b].strip(" \t\"'") for a, b in cells), digits=False)
        ):
            top = _table_header(text, start, delim, len(spans))
            if top is None:
                continue  # not this delimiter's table
            header = text[top : line_bounds(text, top)[1]]
            cells = _cells(header, delim)
        if len(spans) == len(cells) + 1 and not line[slice(*spans[-1])].strip(" \t);"):
            spans.pop()  # "(100483, 'Frau', ..., NULL)," : a SQL row's closing comma
        extra = len(spans) - len(cells)
        names = [
            _SQL_COLUMNS.sub("", header[a:b].strip()).strip().strip("\"'`").strip().lower()
            for a, b in cells
        ]
        index = next(i for i, (a, b) in enumerate(spans) if a <= pos - start <= b)
        return names[_aligned(names, index, extra)]
    return _spaced_header(text, pos) if spaced else None


def _table_header(text: str, row_start: int, delim: str, cells: int) -> int | None:
    """The start of the header line of the row at ``row_start``: the first line of labels,
    in the run of lines around it that split at ``delim`` alike, that lies above the row,
    that the row fits under and that has two rows or more under it in the run (not
    "Sales | Finance" above a line)."""
    for run in _runs(text, delim):
        if not run[0][0] <= row_start <= run[-1][0]:
            continue
        for index, (top, width, label) in enumerate(run):
            if top >= row_start:
                break
            if label and _fits(width, cells - width) and len(run) - index > 2:
                return top
        return None
    return None


@functools.lru_cache(maxsize=16)
def _runs(text: str, delim: str) -> tuple[tuple[tuple[int, int, bool], ...], ...]:
    """The runs of consecutive lines of ``text`` that split at ``delim`` into about as many
    cells as the line before (two fewer to two more; rule lines such as ``|---|`` are passed
    over), each line as ``(start, cells, reads as labels)``. Worked out once per text and
    delimiter: every value of a long table asks for its header."""
    out: list[tuple[tuple[int, int, bool], ...]] = []
    run: list[tuple[int, int, bool]] = []
    for m in _LINE.finditer(text):
        line = m.group()
        if run and _RULE.fullmatch(line):
            continue
        spans = _cells(line, delim) if delim in line else []
        if run and (not spans or abs(len(spans) - run[-1][1]) > 2):
            out.append(tuple(run))
            run = []
        if spans:
            cells = [line[a:b].strip(" \t\"'()") for a, b in spans]
            inner = cells[1:-1] if delim == "|" else cells  # "| name | dob |": empty edges
            run.append((m.start(), len(spans), all(inner) and _labels(inner)))
    if run:
        out.append(tuple(run))
    return tuple(out)


_LINE = re.compile(r"^.*$", re.MULTILINE)
# A cell of a table laid out with spaces: words split by single spaces; two spaces or more
# end it.
_SPACED_CELL = re.compile(r"\S+(?: \S+)*")
# A rule under a header: "-----  -----", "=== ===", "+----+".
_RULE = re.compile(r"[ \t]*[-=+_:|]{3,}[-=+_:| \t]*")
_MAX_ROWS_ABOVE = 60
_MAX_LABEL = 32


def _spaced_header(text: str, pos: int) -> str | None:
    """The header cell above ``pos`` in a table aligned with spaces: the nearest line above
    ``pos``'s line, in the run of lines of two cells or more (cells split by two spaces or
    more) that holds it, that reads as labels (most of its cells hold no digit, each is short);
    rows of values in between are passed over. In a table of words only (names, towns) the
    rows above a row read as labels too: the header is the first of such a block of lines with
    as many cells. The header cell is the one overlapping ``pos``'s cell most. ``None`` for
    prose, a lone line or a cell under no header.

    >>> table = "Part      Qty  Supplier\\nJ1-4302   1    Molex\\nQ1-7781   2    Vishay"
    >>> _spaced_header(table, table.index("Q1")), _spaced_header(table, table.index("Molex"))
    ('part', 'supplier')
    >>> _spaced_header("call me on 0176 5559 2817", 11) is None
    True
    """
    starts, lines = _spaced_lines(text)
    index = bisect.bisect_right(starts, pos) - 1
    line_start, cells, _, _ = lines[index]
    cell = next(((a, b) for a, b in cells if a <= pos - line_start < b), None)
    if len(cells) < 2 or cell is None:
        return None
    for above in range(index - 1, max(-1, index - 1 - _MAX_ROWS_ABOVE), -1):
        _, header, rule, labels = lines[above]
        if rule:
            continue
        if len(header) < 2:
            return None
        if labels:
            first = above
            while first > 0 and lines[first - 1][3] and len(lines[first - 1][1]) == len(header):
                first -= 1
            top, header, _, _ = lines[first]
            overlap, best = max(
                (min(cell[1], hb) - max(cell[0], ha), i) for i, (ha, hb) in enumerate(header)
            )
            return (
                text[top + header[best][0] : top + header[best][1]].lower() if overlap > 0 else None
            )
    return None


_Cells = tuple[tuple[int, int], ...]


@functools.lru_cache(maxsize=16)
def _spaced_lines(text: str) -> tuple[list[int], list[tuple[int, _Cells, bool, bool]]]:
    """The starts of the lines of ``text`` and, for each line, ``(start, cells, rule, reads as
    labels)`` with its cells split by two spaces or more (offsets within the line). Worked out
    once per text: every value of a long table asks for its header."""
    starts: list[int] = []
    lines: list[tuple[int, _Cells, bool, bool]] = []
    for m in _LINE.finditer(text):
        line = m.group()
        cells = tuple(c.span() for c in _SPACED_CELL.finditer(line))
        starts.append(m.start())
        lines.append(
            (
                m.start(),
                cells,
                _RULE.fullmatch(line) is not None,
                len(cells) >= 2 and _labels(line[a:b] for a, b in cells),
            )
        )
    return starts, lines


def _labels(cells: Iterable[str], *, digits: bool = True) -> bool:
    """Cells that read as a header's labels: short, no ``key: value`` pair, and (``digits``)
    most of them without a digit."""
    values = list(cells)
    with_digits = sum(any(c.isdigit() for c in v) for v in values)
    return (not digits or 2 * with_digits <= len(values)) and all(
        len(v) <= _MAX_LABEL and v.count(" ") < 4 and not _KEY_VALUE.search(v) for v in values
    )


# The SQL around an INSERT's column list: "INSERT INTO kunden (kdnr", "angelegt_am) VALUES".
_SQL_COLUMNS = re.compile(r"(?i)^insert[ \t]+into[ \t]+\S+[ \t]*\(|\)[ \t]*values\b.*$")
# "CPF: 527.193.064-52", "Tel.: 0161": a form's field with its value, not a column's label.
_KEY_VALUE = re.compile(r":[ \t]+\S")


def _fits(header_cells: int, extra: int) -> bool:
    """A row with ``extra`` more cells than a header of ``header_cells`` belongs to its table:
    as many, or one or two more under a header of three cells or more."""
    return header_cells >= 2 and (extra == 0 or (header_cells >= 3 and 0 < extra <= 2))


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


_IBAN_SHAPE = re.compile(
    r"(?<![A-Za-z0-9])[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?(?![A-Za-z0-9])"
)


def inside_iban_shape(text: str, start: int, end: int) -> bool:
    """``NL12 ABNA 0123 4567 89``: the digits are the end of an IBAN-shaped string.

    >>> inside_iban_shape("iban NL12 ABNA 0123 4567 89", 15, 27)
    True
    """
    line_start, line_end = line_bounds(text, start)
    return any(
        m.start() <= start and end <= m.end()
        for m in _IBAN_SHAPE.finditer(text, line_start, line_end)
    )


def has_cue(cue: re.Pattern[str], text: str, start: int) -> bool:
    """True when ``cue`` occurs on the line of ``start``, in the header of the table column
    holding ``start``, or on the first line unless that line is a table's header row (which
    names every column: "tel_portable" there says nothing of the "num_secu" cell)."""
    line_start, line_end = line_bounds(text, start)
    if cue.search(text, line_start, line_end):
        return True
    header = column_header(text, start)
    if header is not None and cue.search(header) is not None:
        return True
    first = text[: line_bounds(text, 0)[1]]
    header_row = header is not None and max(first.count(d) for d in ",;|\t") >= 2
    return not header_row and cue.search(first) is not None


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


# The key of a key=value pair, a code assignment of a quoted value or a JSON member right before
# a value: "rx=", "ndc='", 'LEGACY_ORDER = "', '"MerchantRequestID":"'.
_KEY_BEFORE = re.compile(
    r"(?<![\w.-])(?:([A-Za-z_][\w.-]{0,30})(?:=[\"']?|[ \t]+=[ \t]*[\"']|=[ \t]+[\"'])"
    r"|\"([A-Za-z_][\w.-]{0,30})\"[ \t]*:[ \t]*\"?)\Z"
)


# An unquoted key of a JavaScript object or YAML mapping before a quoted value: 'nascita: "'.
_BARE_KEY_BEFORE = re.compile(r"(?<![\w.-])([A-Za-z_][\w-]{0,30})[ \t]*:[ \t]*[\"']\Z")


def key_before(text: str, start: int, *, bare: bool = False) -> str | None:
    """The key, lower-cased, of the key=value pair or JSON member whose value starts at ``start``;
    with ``bare``, also an unquoted key before a quoted value (``nascita: "1978-06-12"``).

    >>> key_before('{"Steuer_ID": "65238710641"}', 15), key_before("rx=0169-4130", 3)
    ('steuer_id', 'rx')
    >>> key_before('{ nascita: "1978-06-12" }', 12, bare=True)
    'nascita'
    """
    m = _KEY_BEFORE.search(text, max(0, start - 40), start)
    if m is None and bare:
        bare_key = _BARE_KEY_BEFORE.search(text, max(0, start - 40), start)
        return None if bare_key is None else bare_key.group(1).casefold()
    return None if m is None else (m.group(1) or m.group(2)).casefold()


def cell_value(raw: str) -> tuple[int, str]:
    """The offset and text of a cell's value without its blanks, a SQL row's brackets and
    single quotes: ``  ('Katarzyna'`` -> ``(4, "Katarzyna")``.

    >>> cell_value("  ('Katarzyna'"), cell_value(" '46005')"), cell_value(" Milano ")
    ((4, 'Katarzyna'), (2, '46005'), (1, 'Milano'))
    """
    value = raw.strip()
    lead = len(raw) - len(raw.lstrip())
    if value.startswith("("):
        lead += len(value) - len(value[1:].lstrip())
        value = value[1:].lstrip()
    value = value.rstrip(");").rstrip()
    if len(value) >= 2 and value[0] == value[-1] == "'":
        lead += 1
        value = value[1:-1]
    return lead, value


def fold(word: str) -> str:
    """``word`` case-folded without its accents (``Siobhán`` -> ``siobhan``, ``Título`` ->
    ``titulo``): how keys and headers in code are often written.

    >>> fold("Título"), fold("Città")
    ('titulo', 'citta')
    """
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def reference_before(facts: PiiFacts) -> re.Pattern[str]:
    """A reference word (``order``, ``invoice``, ``Lot``, ``batch=``) right before a number,
    with its ``no.`` / ``#`` / ``:`` / ``=`` or a copula (``order is``, ``ticket interno``,
    ``ordine n.``, ``reclamación con número``): the number is a reference, not a phone or card.
    A plural reference word lists references ("NDCs 0169-4130-13 and ...", "invoices 4471-22").

    >>> from openmodel_gov.pii._facts import load_facts
    >>> rx = reference_before(load_facts())
    >>> [bool(rx.search(t)) for t in ("order is ", "VAT reg. GB ", "NDCs ", "call me on ")]
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
        # an upper-case country prefix or a series letter may follow ("VAT reg. GB 318 4427
        # 90", "Teil A 910 460 21 00")
        rf"(?<![^\W\d_])(?:{refs})(?:e?s)?\.?(?:\s*(?:{glue})(?![^\W\d_]))*(?:\s*(?-i:[A-Z]{{1,2}}))?\s*#?$",
        re.IGNORECASE,
    )


def reference_earlier(
    text: str, start: int, references: re.Pattern[str], phone_words: re.Pattern[str]
) -> bool:
    """A reference label (a reference word and its ``.``, ``:`` or ``#``) earlier on
    ``start``'s line (up to 40 characters back) with words but no digit and no phone word
    between it and ``start``: the number is that reference ("Ref. pedido latiguillo: 600 458
    331", "Réf. vendeur 3 46 81 220 457"; not "in case Evri needs it: 07700 918442").

    >>> refs, phones = words_pattern(["ref"]), words_pattern(["call"])
    >>> text = "Ref. pedido latiguillo: 600 458 331"
    >>> reference_earlier(text, 24, refs, phones)
    True
    >>> text = "ref. 4471, or call me: 600 458 331"
    >>> reference_earlier(text, 23, refs, phones)
    False
    """
    line_start = text.rfind("\n", 0, start) + 1
    last = None
    for m in references.finditer(text, max(line_start, start - 40), start):
        if text[m.end() : m.end() + 1] in (".", ":", "#"):
            last = m
    if last is None:
        return False
    between = text[last.end() : start]
    return not any(c.isdigit() for c in between) and phone_words.search(between) is None


def title_case(value: str) -> bool:
    """Every word capitalised except short lower-case function words: a title such as
    ``Margaret on the Stairs``, not a phrase such as ``Call Anna tomorrow``.

    >>> title_case("Margaret on the Stairs"), title_case("Call Anna tomorrow")
    (True, False)
    """
    words = re.findall(r"[^\W\d_][\w'’-]*", value)
    return bool(words) and all(w[0].isupper() or (len(w) <= 3 and w.islower()) for w in words)
