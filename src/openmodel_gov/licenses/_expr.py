"""Parse -> canonicalize license expressions (SPDX, ``LicenseRef-``, ``hf:<id>``).

The grammar is SPDX's (``AND`` binds tighter than ``OR``; ``WITH`` attaches an exception) and
is parsed by ``license-expression``. Before that, every id token is checked and mapped to its
canonical spelling here, so ids are never guessed: an id that no table knows is reported in
:class:`~openmodel_gov.errors.UnknownLicenseError`.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from openmodel_gov._core._cache import checked_cache
from openmodel_gov.errors import LicenseExpressionError, UnknownLicenseError
from openmodel_gov.licenses import _data

if TYPE_CHECKING:
    from license_expression import Licensing

__all__ = [
    "MAX_DEPTH",
    "MAX_IDS",
    "MAX_LENGTH",
    "Lic",
    "Node",
    "Op",
    "Parsed",
    "expand_or_later",
    "lic_ids",
    "parse",
    "render",
    "spdx_ids_folded",
]

#: Longest expression accepted, in characters.
MAX_LENGTH = 10_000
#: Most license ids in one expression.
MAX_IDS = 500
#: Deepest parenthesis nesting accepted.
MAX_DEPTH = 32

_TOKEN = re.compile(r"\s+|\(|\)|[^\s()]+")
_ID = re.compile(r"^(?:DocumentRef-[A-Za-z0-9.\-]+:)?[A-Za-z0-9.\-]+\+?$")
_HF = re.compile(r"^hf:([A-Za-z0-9.+\-_]+)$", re.IGNORECASE)
_OPERATORS = {"AND", "OR", "WITH"}
_OUR_PREFIX = "licenseref-openmodel-"
_SCANCODE_PREFIX = "licenseref-scancode-"
_SPDX_DOCUMENT_VALUES = frozenset({"NONE", "NOASSERTION"})
_VERSIONED = re.compile(r"^(.*?-)(\d+(?:\.\d+)*)(.*)$")


@dataclass(frozen=True, slots=True)
class Lic:
    """One license id (canonical), optionally ``+`` (or later) and ``WITH`` an exception."""

    id: str
    exception: str | None = None
    plus: bool = False


@dataclass(frozen=True, slots=True)
class Op:
    """``AND`` / ``OR`` over two or more operands (flattened, duplicates removed)."""

    op: Literal["AND", "OR"]
    args: tuple[Node, ...]


Node = Lic | Op


@dataclass(frozen=True, slots=True)
class Parsed:
    """A canonical expression string and its tree."""

    canonical: str
    tree: Node


@functools.cache
def _licensing() -> Licensing:
    """The one ``Licensing`` used for the grammar, built on first use."""
    from license_expression import Licensing

    return Licensing()


@functools.cache
def spdx_ids_folded() -> dict[str, str]:
    """Lower-cased SPDX license id -> canonical id."""
    return {k.lower(): k for k in _data.spdx_list().licenses}


@functools.cache
def _tables() -> tuple[dict[str, str], dict[str, str], dict[str, str], dict[str, str]]:
    """Case-folded lookups: SPDX ids, exceptions, our LicenseRefs, ScanCode key -> id."""
    spdx = _data.spdx_list()
    ids = spdx_ids_folded()
    exceptions = {k.lower(): k for k in spdx.exceptions}
    ours = {k.lower(): k for k in _data.facts_by_id() if k.lower().startswith(_OUR_PREFIX)}
    scancode: dict[str, str] = {}
    for lid, row in spdx.licenses.items():
        if row.scancode_key:
            scancode.setdefault(row.scancode_key, lid)
    for facts in _data.license_facts().licenses:
        if facts.scancode_key:
            scancode[facts.scancode_key] = facts.id
    return ids, exceptions, ours, scancode


def _char_error(text: str, index: int) -> LicenseExpressionError:
    char = text[index]
    name = unicodedata.name(char, "unnamed character")
    return LicenseExpressionError(
        f"character {char!r} (U+{ord(char):04X} {name}) at column {index + 1} is not allowed",
        field="license",
        hint="license ids and operators are plain ASCII; retype look-alike letters",
    )


def _check_text(text: object) -> str:
    if not isinstance(text, str):
        raise LicenseExpressionError(
            f"expected a license expression string, got {type(text).__name__}", field="license"
        )
    if len(text) > MAX_LENGTH:
        raise LicenseExpressionError(
            f"expression is {len(text)} characters long, over the {MAX_LENGTH}-character bound",
            field="license",
            hint="split it or reference a LicenseRef- id",
        )
    for index, char in enumerate(text):
        if not (char.isascii() and (char.isprintable() or char in " \t\r\n")):
            raise _char_error(text, index)
    if not text.strip():
        raise LicenseExpressionError("empty license expression", field="license")
    return text


def _map_license(word: str, unknown: list[str]) -> Lic:
    ids, _, ours, scancode = _tables()
    spdx = _data.spdx_list()
    hf = _HF.match(word)
    if hf:
        entry = _data.hf_licenses().get(hf.group(1).lower())
        if entry is None:
            unknown.append(word)
            return Lic(word)
        return Lic(entry.maps_to)
    low = word.lower()
    if low.startswith(_OUR_PREFIX):
        if low in ours:
            return Lic(ours[low])
        unknown.append(word)
        return Lic(word)
    if low.startswith(_SCANCODE_PREFIX):
        key = low[len(_SCANCODE_PREFIX) :]
        if key in scancode:
            return Lic(scancode[key])
        if key in _data.scancode_refs().refs:
            return Lic(f"LicenseRef-scancode-{key}")
        unknown.append(word)
        return Lic(word)
    if low.startswith(("licenseref-", "documentref-")):
        return Lic(word)  # a user's own id: well-formed and theirs to define
    plus = word.endswith("+")
    if plus and low in ids:  # deprecated ids such as GPL-2.0+ are list entries themselves
        canonical = ids[low]
        return Lic(
            spdx.replaced_by.get(canonical, canonical.removesuffix("+")),
            plus=canonical not in spdx.replaced_by,
        )
    base = low.removesuffix("+")
    if base not in ids:
        unknown.append(word)
        return Lic(word)
    canonical = spdx.replaced_by.get(ids[base], ids[base])
    if plus:
        later = f"{canonical.removesuffix('-only')}-or-later".lower()
        if later in ids:
            return Lic(ids[later])
        return Lic(canonical, plus=True)
    return Lic(canonical)


def _map_exception(word: str, unknown: list[str]) -> str:
    _, exceptions, _, _ = _tables()
    low = word.lower()
    if low in exceptions:
        return exceptions[low]
    if low.startswith(("licenseref-", "additionref-", "documentref-")):
        return word
    unknown.append(word)
    return word


def _unknown_error(unknown: list[str]) -> UnknownLicenseError:
    import difflib  # only on the error path

    ids, exceptions, ours, _ = _tables()
    pool = [*ids.values(), *exceptions.values(), *ours.values()]
    hints = []
    hub = _data.hf_licenses()
    for word in unknown:
        if word.lower() in hub:
            hints.append(f"{word!r} is a Hugging Face license id: write hf:{word.lower()}")
        elif word.upper() in _SPDX_DOCUMENT_VALUES:
            hints.append(
                f"{word!r} is an SPDX document value (no license information), "
                "not a license: leave the license unset instead"
            )
        elif close := difflib.get_close_matches(word, pool, n=2, cutoff=0.75):
            hints.append(f"{word!r}: did you mean {' or '.join(close)}?")
    listing = ", ".join(repr(u) for u in unknown)
    return UnknownLicenseError(
        f"unknown license id{'s' if len(unknown) > 1 else ''}: {listing}",
        unknown=unknown,
        field="license",
        hint="; ".join(hints)
        or "use an SPDX id, hf:<hub id>, or your own LicenseRef-<id> (ids are never guessed)",
    )


def _tokens(text: str) -> list[tuple[str, int]]:
    out: list[tuple[str, int]] = []
    depth = 0
    for match in _TOKEN.finditer(text):
        tok = match.group(0)
        if tok.isspace():
            continue
        if tok == "(":
            depth += 1
            if depth > MAX_DEPTH:
                raise LicenseExpressionError(
                    f"parentheses nest deeper than {MAX_DEPTH} levels", field="license"
                )
        elif tok == ")":
            depth -= 1
        out.append((tok, match.start()))
    return out


def _canonical_tokens(text: str) -> list[str]:
    unknown: list[str] = []
    out: list[str] = []
    count = 0
    previous = ""
    for tok, start in _tokens(text):
        upper = tok.upper()
        if tok in "()":
            out.append(tok)
        elif upper in _OPERATORS:
            out.append(upper)
        elif _HF.match(tok) or _ID.match(tok):
            count += 1
            if count > MAX_IDS:
                raise LicenseExpressionError(
                    f"expression names more than {MAX_IDS} license ids", field="license"
                )
            if previous == "WITH":
                out.append(_map_exception(tok, unknown))
            else:
                lic = _map_license(tok, unknown)
                out.append(lic.id + ("+" if lic.plus else ""))
        else:
            raise LicenseExpressionError(
                f"{tok!r} at column {start + 1} is not a license id or operator",
                field="license",
                hint="ids use letters, digits, '.', '-' (and a trailing '+'); "
                "Hugging Face ids are written hf:<id>",
            )
        previous = out[-1] if out else ""
    if unknown:
        raise _unknown_error(unknown)
    return out


def _convert(node: object) -> Node:
    """license-expression tree -> our flattened, de-duplicated tree."""
    from license_expression import LicenseSymbol, LicenseWithExceptionSymbol

    if isinstance(node, LicenseWithExceptionSymbol):
        inner = _convert(node.license_symbol)
        assert isinstance(inner, Lic)
        return Lic(inner.id, exception=str(node.exception_symbol.key), plus=inner.plus)
    if isinstance(node, LicenseSymbol):
        key = str(node.key)
        return Lic(key.removesuffix("+"), plus=key.endswith("+"))
    operator = getattr(node, "operator", "").strip().upper()
    op: Literal["AND", "OR"] = "AND" if operator == "AND" else "OR"
    args: list[Node] = []
    seen: set[object] = set()
    for child in getattr(node, "args", ()):
        sub = _convert(child)
        for item in sub.args if isinstance(sub, Op) and sub.op == op else (sub,):
            ident = _key(item)
            if ident not in seen:
                seen.add(ident)
                args.append(item)
    return args[0] if len(args) == 1 else Op(op, tuple(args))


def _key(node: Node) -> object:
    """Identity up to operand order: ``A OR B`` and ``B OR A`` are duplicates."""
    if isinstance(node, Lic):
        return node
    return (node.op, frozenset(_key(a) for a in node.args))


def render(node: Node) -> str:
    """Canonical text: nested operations are always parenthesized (no precedence guessing)."""
    if isinstance(node, Lic):
        text = node.id + ("+" if node.plus else "")
        return f"{text} WITH {node.exception}" if node.exception else text
    parts = [f"({render(a)})" if isinstance(a, Op) else render(a) for a in node.args]
    return f" {node.op} ".join(parts)


@checked_cache(_check_text, maxsize=4096)  # the type check runs before the cache hashes
def parse(text: str) -> Parsed:
    """Parse and canonicalize ``text`` (cached).

    Raises:
        LicenseExpressionError: bad characters, syntax, size or nesting.
        UnknownLicenseError: well-formed, but some ids are unknown.
    """
    tokens = _canonical_tokens(_check_text(text))
    try:
        parsed = _licensing().parse(" ".join(tokens), validate=False, simple=True)
    except Exception as exc:  # license-expression / boolean.py raise several types
        raise LicenseExpressionError(
            f"not a valid license expression: {exc}",
            field="license",
            hint="write e.g. 'MIT OR Apache-2.0' or '(MIT AND BSD-3-Clause) OR GPL-2.0-only'",
        ) from None
    if parsed is None:
        raise LicenseExpressionError("empty license expression", field="license")
    tree = _convert(parsed)
    return Parsed(render(tree), tree)


def lic_ids(node: Node) -> list[Lic]:
    """Every license leaf, left to right."""
    if isinstance(node, Lic):
        return [node]
    return [leaf for arg in node.args for leaf in lic_ids(arg)]


@functools.cache
def expand_or_later(lic: Lic) -> tuple[str, ...]:
    """The license versions an ``-or-later`` / ``+`` id offers (empty if it is not one).

    ``GPL-2.0-or-later`` -> ``(GPL-2.0-only, GPL-3.0-only)``; ``Apache-1.1+`` ->
    ``(Apache-1.1, Apache-2.0)``. Successors come from the SPDX License List, not a hand list.
    """
    if lic.plus:
        base = lic.id
    elif lic.id.endswith("-or-later"):
        base = lic.id.removesuffix("-or-later")
    else:
        return ()
    match = _VERSIONED.match(base)
    licenses = _data.spdx_list().licenses
    if match is None:
        return (lic.id,)
    prefix, version, suffix = match.groups()
    floor = tuple(int(p) for p in version.split("."))
    found: list[tuple[tuple[int, ...], str]] = []
    for candidate in licenses:
        m = _VERSIONED.match(candidate)
        if m is None or m.group(1) != prefix or m.group(3) not in (suffix, f"{suffix}-only"):
            continue
        if suffix == "" and m.group(3) == "" and f"{candidate}-only" in licenses:
            continue  # prefer the explicit -only id over the deprecated bare one
        ver = tuple(int(p) for p in m.group(2).split("."))
        if ver >= floor and not licenses[candidate].deprecated:
            found.append((ver, candidate))
    return tuple(c for _, c in sorted(found)) or (lic.id,)


def require_expressions(**expressions: object) -> None:
    """Type check at the public boundary, before any cache sees the value (issue 20).

    >>> require_expressions(inbound="MIT", outbound=None)
    >>> require_expressions(inbound=["MIT"])
    Traceback (most recent call last):
    ...
    openmodel_gov.errors.LicenseExpressionError: inbound: expected a license expression string, got list
    """
    for name, value in expressions.items():
        if value is not None and not isinstance(value, str):
            raise LicenseExpressionError(
                f"expected a license expression string, got {type(value).__name__}",
                field=name,
            )
