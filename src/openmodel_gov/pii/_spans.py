"""Where findings lie: windows over long texts, overlap resolution, merging of neighbours.

Pure functions on offsets and :class:`~openmodel_gov.pii._results.PiiFinding` values, used by the
detector (:mod:`openmodel_gov.pii._engine`) after recognition; no Presidio import.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from typing import Any

from openmodel_gov.pii._config import NATIONAL_IDS
from openmodel_gov.pii._context import alternation, has_cue
from openmodel_gov.pii._facts import PiiFacts, load_facts
from openmodel_gov.pii._results import PiiFinding

__all__ = [
    "OVERLAP",
    "WINDOW",
    "drop_inside_international",
    "extend_particle_surnames",
    "format_template",
    "id_cues",
    "inside_longer_number",
    "merge_adjacent",
    "not_an_id",
    "prefer_cued_ids",
    "prefer_cued_readings",
    "resolve_overlaps",
    "windows",
]


#: Longest text scanned in one piece; longer ones go in windows of this size.
WINDOW = 100_000
#: Characters shared by consecutive windows (a finding across a cut is seen whole in one).
OVERLAP = 1_000


def windows(text: str, size: int, overlap: int) -> list[tuple[int, int]]:
    """``(start, end)`` windows of at most ``size`` characters covering ``text``, consecutive
    ones sharing at least ``overlap`` characters, cut after whitespace where there is some.

    >>> windows("aa bb cc dd", 6, 2)
    [(0, 6), (3, 9), (6, 11)]
    """
    if size <= overlap:
        raise ValueError("size must exceed overlap")
    out: list[tuple[int, int]] = []
    start = 0
    while True:
        end = min(len(text), start + size)
        if end < len(text):
            cut = max(
                text.rfind(" ", start + overlap + 1, end),
                text.rfind("\n", start + overlap + 1, end),
            )
            if cut > start + overlap:
                end = cut + 1
        out.append((start, end))
        if end >= len(text):
            return out
        nxt = end - overlap
        space = text.rfind(" ", start + 1, nxt)
        start = space + 1 if space > start else nxt


def merge_adjacent(text: str, findings: list[PiiFinding], entity_type: str) -> list[PiiFinding]:
    """Join findings of ``entity_type`` separated only by spaces or ``", "`` on one line (a
    comma with no space after it separates CSV cells, which stay apart).

    >>> t = "Calle Mayor 12, 28013 Madrid"
    >>> found = [PiiFinding("LOCATION", 0, 14, 0.7), PiiFinding("LOCATION", 22, 28, 0.85)]
    >>> [(f.start, f.end) for f in merge_adjacent(t, found, "LOCATION")]
    [(0, 14), (22, 28)]
    >>> found = [PiiFinding("LOCATION", 0, 21, 0.7), PiiFinding("LOCATION", 22, 28, 0.85)]
    >>> [(f.start, f.end) for f in merge_adjacent(t, found, "LOCATION")]
    [(0, 28)]
    """
    out: list[PiiFinding] = []
    for f in findings:
        prev = out[-1] if out else None
        if (
            prev is not None
            and prev.entity_type == f.entity_type == entity_type
            and re.fullmatch(r", {1,2}| {1,2}", text[prev.end : f.start])  # "," alone: CSV cells
        ):
            out[-1] = PiiFinding(
                entity_type, prev.start, f.end, max(prev.score, f.score), prev.recognizer
            )
        else:
            out.append(f)
    return out


def resolve_overlaps(
    findings: Sequence[PiiFinding], *, facts: PiiFacts | None = None
) -> list[PiiFinding]:
    """Keep an overlap-free subset: higher precedence, then score, then length wins (the same
    span and type found by two recognizers is reported by the more confident one).

    >>> ip = PiiFinding("IP_ADDRESS", 3, 14, 0.6)
    >>> date = PiiFinding("DATE_TIME", 3, 10, 0.85)
    >>> [f.entity_type for f in resolve_overlaps([date, ip])]
    ['IP_ADDRESS']
    """
    facts = facts or load_facts()
    best: dict[tuple[int, int, str], PiiFinding] = {}
    for f in findings:  # one span and type found twice: the more confident finding reports it
        key = (f.start, f.end, f.entity_type)
        if key not in best or f.score > best[key].score:
            best[key] = f
    order = sorted(
        best.values(),
        key=lambda f: (
            -facts.rank_of(f.entity_type, f.recognizer.split("[", 1)[0]),
            -f.score,
            -(f.end - f.start),
            f.start,
        ),
    )
    chosen: list[PiiFinding] = []
    for f in order:
        if all(f.end <= c.start or f.start >= c.end for c in chosen):
            chosen.append(f)
    return sorted(chosen, key=lambda f: (f.start, f.end))


def drop_inside_international(text: str, findings: list[PiiFinding]) -> list[PiiFinding]:
    """Drop all-digit findings of other types inside a phone number written with ``+``.

    The digits after a country code can pass another identifier's checksum by chance (``+234
    802 270 4512`` holds an NHS-valid ``802 270 4512``); the ``+`` says it is a phone number.

    >>> t = "+234 802 270 4512"
    >>> found = [PiiFinding("PHONE_NUMBER", 0, 17, 0.4), PiiFinding("UK_NHS", 5, 17, 1.0)]
    >>> [f.entity_type for f in drop_inside_international(t, found)]
    ['PHONE_NUMBER']
    """
    phones = [
        f
        for f in findings
        if f.entity_type == "PHONE_NUMBER" and text[f.start : f.start + 1] == "+"
    ]
    if not phones:
        return findings
    return [
        f
        for f in findings
        if f.entity_type == "PHONE_NUMBER"
        or not re.fullmatch(r"[\d .()-]+", text[f.start : f.end])
        or not any(p.start < f.start and f.end <= p.end for p in phones)
    ]


def prefer_cued_ids(findings: list[PiiFinding]) -> list[PiiFinding]:
    """Drop a ``CREDIT_CARD`` reading of exactly the digits of a context-bound identifier.

    One 12-digit number in ten passes the Aadhaar (Verhoeff) check and one in ten the Luhn
    check of a 12-digit Maestro number; an Aadhaar finding survives only with its context word
    on the line (``Aadhaar``, ``UID``), which settles what the number is.

    >>> card = PiiFinding("CREDIT_CARD", 8, 22, 1.0)
    >>> uid = PiiFinding("IN_AADHAAR", 8, 22, 1.0)
    >>> [f.entity_type for f in prefer_cued_ids([card, uid])], len(prefer_cued_ids([card]))
    (['IN_AADHAAR'], 1)
    """
    ids = {(f.start, f.end) for f in findings if f.entity_type == "IN_AADHAAR"}
    if not ids:
        return findings
    return [f for f in findings if f.entity_type != "CREDIT_CARD" or (f.start, f.end) not in ids]


def id_cues(recognizers: Sequence[Any]) -> dict[str, re.Pattern[str]]:
    """Per national identifier type, a pattern of its recognizer's context words (``PESEL``,
    ``Steuer``), to tell apart two checksum-valid readings of one number."""
    words: dict[str, set[str]] = {}
    for recognizer in recognizers:
        for entity in recognizer.supported_entities:
            if entity in NATIONAL_IDS and getattr(recognizer, "context", None):
                words.setdefault(entity, set()).update(recognizer.context)
    return {
        entity: re.compile(
            r"(?<!\w)(?:" + "|".join(map(re.escape, sorted(ws))) + r")", re.IGNORECASE
        )
        for entity, ws in words.items()
    }


def prefer_cued_readings(
    text: str, findings: list[PiiFinding], cues: dict[str, re.Pattern[str]]
) -> list[PiiFinding]:
    """Of identifier readings with the same offsets (``92071503818`` passes both the PESEL and
    the Steuer-ID checks), keep those whose context word is on the line, when some are."""
    by_span: dict[tuple[int, int], list[PiiFinding]] = {}
    for f in findings:
        if f.entity_type in cues:
            by_span.setdefault((f.start, f.end), []).append(f)
    dropped: set[int] = set()
    for group in by_span.values():
        if len(group) < 2:
            continue
        cued = [f for f in group if has_cue(cues[f.entity_type], text, f.start)]
        if cued and len(cued) < len(group):
            dropped.update(id(f) for f in group if f not in cued)
    return [f for f in findings if id(f) not in dropped] if dropped else findings


@functools.cache
def _particle_tail(particles: tuple[str, ...]) -> re.Pattern[str]:
    """One or two surname particles and a capitalised word: "van den Berg", "dos Santos"."""
    alts = alternation(particles)
    return re.compile(rf"(?: (?:{alts})){{1,2}} [A-ZÀ-ÖØ-Þ][\w'’-]+")


def extend_particle_surnames(
    text: str, findings: list[PiiFinding], *, facts: PiiFacts | None = None
) -> list[PiiFinding]:
    """Grow a Title-case ``PERSON`` finding over a particle surname right after it (a first
    name found alone: ``Joris`` in ``Joris van den Berg``), with the ``surname_particles`` of
    ``facts``.

    >>> t = "naar Joris van den Berg, IBAN"
    >>> [t[f.start : f.end] for f in extend_particle_surnames(t, [PiiFinding("PERSON", 5, 10, 0.8)])]
    ['Joris van den Berg']
    """
    tail = _particle_tail((facts or load_facts()).surname_particles)
    out: list[PiiFinding] = []
    for f in findings:
        m = tail.match(text, f.end) if f.entity_type == "PERSON" else None
        if m is not None and text[f.start : f.start + 1].isupper():
            out.append(PiiFinding(f.entity_type, f.start, m.end(), f.score, f.recognizer))
        else:
            out.append(f)
    return out


def inside_longer_number(text: str, start: int, end: int) -> bool:
    """A digit right before or after the span, or a digit and a ``.`` / ``:`` right before it
    (``03:05:47.110276 2024``), or a ``-`` and a digit on either side (``112-4471839-2290553``,
    an order number): the value is a piece of a longer number or a time."""
    before = text[max(0, start - 2) : start]
    after = text[end : end + 2]
    return (
        (before[-1:].isdigit())
        or (len(before) == 2 and before[1] in ".:-" and before[0].isdigit())
        or (after[:1].isdigit())
        or (after[:1] == "-" and after[1:2].isdigit())
    )


def format_template(value: str) -> bool:
    """An identifier written as its format (``AAAAA9999A``, ``XXX-XX-XXXX``, ``000.000.000-00``):
    two different letters or digits or fewer, a placeholder, not an identifier.

    >>> format_template("AAAAA9999A"), format_template("ABCPE1234F")
    (True, False)
    """
    return len({c for c in value if c.isalnum()}) <= 2


# Digits counted up or down, as typed for a dummy number.
COUNTING = "12345678901234567890 09876543210987654321"


def counting_run(value: str) -> bool:
    """The digits of ``value`` count up or down for 8 or more, but for up to two check digits
    at the end: a dummy entry (``01234567890``, ``123.456.789-09``, ``987-65-4321``).

    >>> counting_run("012.345.678-90"), counting_run("123.456.789-09"), counting_run("529.982.247-25")
    (True, True, False)
    """
    digits = "".join(c for c in value if c.isdigit())
    return any(
        digits[:size] in COUNTING for size in range(len(digits), len(digits) - 3, -1) if size >= 8
    )


def not_an_id(text: str, start: int, end: int) -> bool:
    """A national-ID reading that is a piece of a longer number, a format template or a
    counting run."""
    value = text[start:end]
    return inside_longer_number(text, start, end) or format_template(value) or counting_run(value)
