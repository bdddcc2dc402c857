"""License names: the human name of an id, free-text names matched to ids, name comparisons.

Names are compared after one normalisation (:func:`fold_name`): case folded, every run of
separators (space, ``-``, ``_``, ``.`` between words, ``/``, ``:``, ``,``, parentheses) made one
space. ``Llama-3-Acme`` and ``llama_3_acme`` and ``Llama 3 Acme`` fold to ``llama 3 acme``; a
version's dot stays (``3.1`` is not ``3 1``).
"""

from __future__ import annotations

import functools
import re

from openmodel_gov.licenses import _data

__all__ = ["described", "fold_name", "match_link", "match_name", "name_of", "starts_with_name"]

_SEPARATORS = re.compile(r"(?:[\s\-_/:,;()\[\]\"'`]|\.(?!\d))+")
#: Words that do not tell licenses apart ("Llama 2 Community License Agreement" ==
#: "Llama 2 Community License").
_FILLER = frozenset({"the", "agreement", "license", "licence", "terms", "of", "use", "version"})


def fold_name(text: str) -> str:
    """Lower-case, separators collapsed to one space, trimmed.

    >>> fold_name("Llama-3-Acme_8B"), fold_name("llama 3.1  Tiny")
    ('llama 3 acme 8b', 'llama 3.1 tiny')
    """
    return _SEPARATORS.sub(" ", text.casefold()).strip()


def starts_with_name(name: str, prefix: str) -> bool:
    """Does ``name`` begin with ``prefix`` once both are folded (on a word boundary)?

    >>> starts_with_name("Llama-3-Acme-8B", "Llama 3"), starts_with_name("Llamafied", "Llama")
    (True, False)
    """
    folded, want = fold_name(name), fold_name(prefix)
    return folded == want or folded.startswith(want + " ")


def _key(text: str) -> str:
    words = [w for w in fold_name(text).split() if w not in _FILLER]
    return " ".join(words)


@functools.cache
def _name_table() -> dict[str, str]:
    """Folded name or spelling -> canonical id (our facts, Hub names, SPDX names)."""
    table: dict[str, str] = {}
    spdx = _data.spdx_list()
    for lid, row in spdx.licenses.items():
        if not row.deprecated:
            table.setdefault(_key(row.name), lid)
    for entry in _data.hf_licenses().values():
        if not entry.family:
            table[_key(entry.name)] = entry.maps_to
            table[_key(entry.hf)] = entry.maps_to
    for facts in _data.license_facts().licenses:
        if facts.kind in ("family", "placeholder"):
            continue
        for text in (facts.name, *facts.names):
            table[_key(text)] = facts.id
    table.pop("", None)
    return table


@functools.lru_cache(maxsize=1024)
def match_name(text: str) -> str | None:
    """The license id a free-text name stands for, or ``None`` (never a guess).

    Matched after folding case and separators and dropping filler words ("the", "license",
    "agreement", ...), against our facts' names and spellings, the Hub's names and the SPDX
    License List's names.

    >>> match_name("Llama 3.1 Community License")
    'LicenseRef-openmodel-llama-3.1'
    >>> match_name("Apache License, Version 2.0")
    'Apache-2.0'
    >>> match_name("my own license") is None
    True
    """
    return _name_table().get(_key(text))


@functools.lru_cache(maxsize=2048)
def name_of(lic: str) -> str | None:
    """The human name of one canonical id (``None`` when it has none of its own).

    >>> name_of("LicenseRef-openmodel-llama-2")
    'Llama 2 Community License Agreement'
    >>> name_of("MIT")
    'MIT License'
    """
    base = lic.split(" WITH ", maxsplit=1)[0].removesuffix("+")
    entry = _data.facts_by_id().get(base)
    if entry is not None and entry.id == base:
        return entry.name
    row = _data.spdx_list().licenses.get(base)
    if row is not None:
        return row.name
    return entry.name if entry is not None else None


@functools.lru_cache(maxsize=2048)
def described(canonical: str) -> str:
    """A canonical expression quoted, with its human names when they differ from the ids.

    >>> described("LicenseRef-openmodel-llama-2")
    "'LicenseRef-openmodel-llama-2' (Llama 2 Community License Agreement)"
    >>> described("MIT")
    "'MIT' (MIT License)"
    >>> described("LicenseRef-mine")
    "'LicenseRef-mine'"
    """
    from openmodel_gov.licenses._expr import Lic, Node, parse

    def human(node: Node) -> str:
        if isinstance(node, Lic):
            return name_of(node.id) or node.id
        parts = [f"({human(a)})" if not isinstance(a, Lic) else human(a) for a in node.args]
        return f" {node.op} ".join(parts)

    text = human(parse(canonical).tree)
    return f"{canonical!r}" if text == canonical else f"{canonical!r} ({text})"


def _link_key(url: str) -> str:
    """An address without scheme, ``www.``, query, trailing ``/`` and CC's ``legalcode``."""
    text = url.strip().casefold().split("?", 1)[0].split("#", 1)[0]
    text = re.sub(r"^[a-z]+://", "", text).removeprefix("www.")
    text = re.sub(r"/(?:legalcode(?:\.[a-z-]+)?|deed\.[a-z-]+)$", "", text.rstrip("/"))
    return text.rstrip("/").replace("/resolve/", "/blob/")


@functools.cache
def _link_table() -> dict[str, str]:
    table: dict[str, str] = {}
    for facts in _data.license_facts().licenses:
        if facts.kind in ("family", "placeholder"):
            continue
        for url in (facts.url, *facts.links):
            if url:
                table.setdefault(_link_key(url), facts.id)
    return table


def match_link(url: str) -> str | None:
    """The license a ``license_link`` points at, when it is an address we record (no guess).

    >>> match_link("https://ai.google.dev/gemma/terms/")
    'LicenseRef-openmodel-gemma'
    >>> match_link("https://creativecommons.org/licenses/by-nc/4.0/")
    'CC-BY-NC-4.0'
    >>> match_link("LICENSE") is None
    True
    """
    return _link_table().get(_link_key(url))
