"""Pattern groups scanned over a whole card body, each alternative only where it can match.

A long case-insensitive alternation (``the pile|refinedweb|slimpajama|...``) is slow in Python's
``re``: with ``IGNORECASE`` the engine has no literal prefix to skip ahead with, so it tries
every alternative at every position of a 50 KB body. :class:`Scan` splits a group into its
alternatives and finds, once, the literal text each one must start with or contain; an
alternative then runs only at the places (or in the texts) where that literal occurs.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

__all__ = ["Scan", "fold", "leading_literals", "required_literals", "split_alternatives"]

_META = frozenset(".^$*+?{}[]\\|()")
_QUANTIFIERS = frozenset("?*{")


def split_alternatives(pattern: str) -> list[str]:
    """The top-level ``|`` alternatives of a regular expression (groups and classes kept).

    >>> split_alternatives(r"oasst|open(?:a|b)|[|]x")
    ['oasst', 'open(?:a|b)', '[|]x']
    """
    out: list[str] = []
    start = 0
    for i, ch, depth in _structure(pattern, 0):
        if ch == "|" and depth == 0:
            out.append(pattern[start:i])
            start = i + 1
    out.append(pattern[start:])
    return out


def _structure(pattern: str, i: int) -> Iterator[tuple[int, str, int]]:
    """``(index, character, group depth after it)`` for each character of ``pattern`` from ``i``
    that is neither escaped nor inside a character class."""
    depth = 0
    in_class = False
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            i += 2
            continue
        if in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
        else:
            depth += (ch == "(") - (ch == ")")
            yield i, ch, depth
        i += 1


def _group_end(pattern: str, i: int) -> int:
    """The index after the ``)`` closing the group opened at ``pattern[i]``."""
    for j, ch, depth in _structure(pattern, i):
        if ch == ")" and depth == 0:
            return j + 1
    return len(pattern)


def _literals(text: str) -> tuple[str, ...] | None:
    """The alternatives of a group's body when each is plain text (else ``None``)."""
    body = text.removeprefix("?:")
    alts = split_alternatives(body)
    if any(not a or any(ch in _META for ch in a) for a in alts):
        return None
    return tuple(a.lower() for a in alts)


def leading_literals(alternative: str) -> tuple[str, ...]:
    """Lower-case texts one of which every match of ``alternative`` starts with (``()``: none).

    A plain run after any leading ``^`` / ``\\b`` (up to a character a quantifier makes
    optional), or a leading group of plain alternatives that is not optional.

    >>> leading_literals(r"\\bthe pile"), leading_literals("common ?crawl")
    (('the pile',), ('common',))
    >>> leading_literals("(?:custom|proprietary) code"), leading_literals("(?:pre-?)?trained")
    (('custom', 'proprietary'), ())
    """
    i = 0
    while alternative.startswith(("^", "\\b"), i):
        i += 1 if alternative[i] == "^" else 2
    if alternative.startswith("(", i):
        end = _group_end(alternative, i)
        if alternative[end : end + 1] in ("?", "*", "{"):
            return ()
        group = _literals(alternative[i + 1 : end - 1])
        return group if group and min(map(len, group)) >= 3 else ()
    out: list[str] = []
    while i < len(alternative):
        ch, step = alternative[i], 1
        if ch == "\\":
            if i + 1 >= len(alternative) or alternative[i + 1].isalnum():
                break
            ch, step = alternative[i + 1], 2
        elif ch in _META:
            break
        following = alternative[i + step : i + step + 1]
        if following in ("?", "*", "{"):
            break
        out.append(ch.lower())
        i += step
        if following == "+":
            break
    prefix = "".join(out)
    return (prefix,) if len(prefix) >= 3 else ()


def required_literals(alternative: str) -> tuple[str, ...]:
    """Lower-case texts one of which every match of ``alternative`` contains (``()``: none
    found). Read from the top level only: a run of plain characters, or a group of plain
    alternatives, that no quantifier makes optional; the most selective one is returned.

    >>> required_literals(r"\\bthe pile"), required_literals("dedup(?:e)?")
    (('the pile',), ('dedup',))
    >>> required_literals("(?:pre-?)?trained (?:from scratch )?on")
    ('trained ',)
    >>> required_literals("(?:fine-?tuned|trained) on"), required_literals(r"[\\w]+")
    ((' on',), ())
    >>> required_literals("(?:custom|proprietary|internal) (?:training )?code ?base")
    ('custom', 'proprietary', 'internal')
    """
    candidates: list[tuple[str, ...]] = []
    run: list[str] = []
    i = 0
    while i < len(alternative):
        ch = alternative[i]
        if ch == "(":
            end = _group_end(alternative, i)
            optional = alternative[end : end + 1] in ("?", "*", "{")
            group = None if optional else _literals(alternative[i + 1 : end - 1])
            if group is not None:
                candidates.append(group)
            candidates.append(("".join(run),))
            run = []
            i = end
            continue
        step = 1
        if ch == "\\":
            if i + 1 >= len(alternative) or alternative[i + 1].isalnum():
                candidates.append(("".join(run),))
                run = []
                i += 2
                continue
            ch, step = alternative[i + 1], 2
        elif ch in _META:
            if ch not in "?*{+":
                candidates.append(("".join(run),))
                run = []
            i += 1
            continue
        following = alternative[i + step : i + step + 1]
        if following in ("?", "*", "{"):
            candidates.append(("".join(run),))
            run = []
        else:
            run.append(ch.lower())
        i += step
    candidates.append(("".join(run),))
    usable = [c for c in candidates if c and min(len(x) for x in c) >= 3]
    return max(usable, key=lambda c: min(len(x) for x in c)) if usable else ()


@dataclass(frozen=True)
class Scan:
    """A pattern group split into alternatives, each with the literals one of which it needs.

    :meth:`finditer` runs only the alternatives whose literal occurs in the (lower-cased)
    text: one fast substring test per alternative instead of a regular-expression attempt at
    every position for every alternative, which is what makes a long case-insensitive
    alternation slow on a large card.
    """

    #: (literals a match starts with, literals a match contains, the alternative)
    parts: tuple[tuple[tuple[str, ...], tuple[str, ...], re.Pattern[str]], ...]

    @classmethod
    def of(cls, patterns: list[str]) -> Scan:
        """Split ``patterns`` into alternatives and find each one's literals."""
        parts = [
            (leading_literals(alt), required_literals(alt), re.compile(alt, re.I | re.M))
            for pattern in patterns
            for alt in split_alternatives(pattern)
        ]
        return cls(tuple(parts))

    def finditer(self, text: str, lowered: str) -> Iterator[re.Match[str]]:
        """Matches of every alternative in ``text`` (``lowered`` is :func:`fold` of it).

        An alternative with leading literals is tried only where one of them occurs; one with
        required literals only when one occurs; any other scans the whole text.
        """
        aligned = len(lowered) == len(text)
        for leading, needed, rx in self.parts:
            if leading and aligned:
                for literal in leading:
                    pos = lowered.find(literal)
                    while pos >= 0:
                        match = rx.match(text, pos)
                        if match is not None:
                            yield match
                        pos = lowered.find(literal, pos + 1)
            elif not needed or any(n in lowered for n in needed):
                yield from rx.finditer(text)


def fold(text: str) -> str:
    """``text`` in lower case, with the non-ASCII letters that case-insensitive matching
    equates with ASCII ones (long s, Kelvin sign) folded too, so a literal test never misses
    a match the pattern would find."""
    return text.lower().replace("\u017f", "s").replace("\u212a", "k")
