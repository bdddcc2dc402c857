"""Licenses of a model card and of its base-model chain, each with where it came from.

A card's own license is read from ``license`` (an SPDX expression or ``hf:<id>``); for
``license: other`` / ``unknown`` the ``license_name`` is looked up among the Hub ids and the
``license_name`` spellings of ``hf-licenses.yaml``, then among license names and common
spellings (:func:`~openmodel_gov.licenses._names.match_name`). A base model's license comes,
in this order, from ``base_licenses`` (given by the caller), a local card (the base model's
folder or Hugging Face cache snapshot under one of ``search_paths``, or ``local_cards``), or
``known-models.yaml``. A base model found nowhere is reported as unknown, never guessed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from openmodel_gov._core import Citation
from openmodel_gov.errors import LicenseExpressionError
from openmodel_gov.licenses import _data
from openmodel_gov.licenses._expr import parse
from openmodel_gov.licenses._names import match_link, match_name, name_of
from openmodel_gov.licenses._results import LicenseSource

if TYPE_CHECKING:
    from openmodel_gov.cards import ModelCard

__all__ = [
    "LICENSE_FILES",
    "card_license",
    "chain_expression",
    "find_local_card",
    "front_matter_license",
    "license_file_text",
    "read_license",
    "resolve_chain",
]

_PLACEHOLDERS = frozenset({"LicenseRef-openmodel-other", "LicenseRef-openmodel-unknown"})
MAX_DEPTH = 8
#: File names read as the license file of a model folder, in this order.
LICENSE_FILES = ("LICENSE", "LICENSE.txt", "LICENSE.md", "LICENCE", "LICENSE-MODEL", "COPYING")


def _named(expr: str) -> str:
    tree = parse(expr).tree
    from openmodel_gov.licenses._expr import lic_ids

    return " AND ".join(name_of(lic.id) or lic.id for lic in lic_ids(tree))


def read_license(text: str) -> tuple[str | None, str | None]:
    """A license as written anywhere (expression, bare Hub id, name) -> (canonical, note).

    >>> read_license("llama2")
    ('LicenseRef-openmodel-llama-2', "read the bare Hugging Face id 'llama2' as hf:llama2")
    >>> read_license("Llama 3.1 Community License")[0]
    'LicenseRef-openmodel-llama-3.1'
    >>> read_license("my own terms")
    (None, "'my own terms' is neither a license expression, a Hub id nor a known license name")
    """
    stripped = text.strip()
    try:
        return parse(stripped).canonical, None
    except LicenseExpressionError:
        pass
    hub = _data.hf_licenses().get(stripped.lower())
    if hub is not None:
        return hub.maps_to, f"read the bare Hugging Face id {stripped!r} as hf:{hub.hf}"
    found = match_name(stripped)
    if found is not None:
        return found, f"read the license name {stripped!r} as {found} ({name_of(found)})"
    return None, f"{stripped!r} is neither a license expression, a Hub id nor a known license name"


def card_license(card: ModelCard) -> LicenseSource:
    """The card's own license: front matter first, then the body's statements, then LICENSE.

    ``license_name`` is read when ``license`` is other/unknown. With no license in the front
    matter, the body's license statements (the cards evidence layer), an agreement shown in the
    access gate's prompt, and a LICENSE file of the model folder (both identified by their
    text) are read, in that order.
    """
    own = front_matter_license(card)
    if own.license is not None:
        return own
    return _body_license(card) or _gate_license(card) or _file_license(card) or own


#: A gate prompt this long is an agreement's text, not a sentence about it.
_AGREEMENT_CHARS = 2000


def _gate_license(card: ModelCard) -> LicenseSource | None:
    """The license text a gated card shows in its access prompt (``extra_gated_prompt``)."""
    prompt = card.gating.prompt or ""
    if len(prompt) < _AGREEMENT_CHARS:
        return None
    from openmodel_gov.licenses._identify import identify

    match = identify(prompt)
    if match.license is None or match.certainty != "match":
        return None
    return LicenseSource(
        subject=f"model card {card.name!r}",
        license=match.license,
        name=match.name,
        source="gate prompt",
        citation=Citation(
            source="model card", section="extra_gated_prompt", note=f"score {match.score:.2f}"
        ),
        note=f"no license in the front matter; the access prompt holds the text of {match.name}",
    )


def _body_license(card: ModelCard) -> LicenseSource | None:
    if not card.body:
        return None
    from openmodel_gov.cards import read_card_evidence

    for statement in read_card_evidence(card).licenses:
        if statement.scope in ("code", "data"):
            continue
        canonical, note = read_license(statement.name)
        if canonical is None or canonical in _PLACEHOLDERS:
            continue
        where = statement.evidence
        return LicenseSource(
            subject=f"model card {card.name!r}",
            license=canonical,
            name=_named(canonical),
            source="card body",
            citation=Citation(
                source="model card body",
                section=(statement.section or "body")
                + (f", line {where.line}" if where.line else ""),
            ),
            note=f"no license in the front matter; the body says {statement.name!r}"
            + (f" ({note})" if note else ""),
        )
    return None


def _file_license(card: ModelCard) -> LicenseSource | None:
    from openmodel_gov.licenses._identify import identify

    found = license_file_text(card)
    if found is None:
        return None
    path, text = found
    match = identify(text)
    if match.license is None:
        return None
    return LicenseSource(
        subject=f"model card {card.name!r}",
        license=match.license,
        name=match.name,
        source="LICENSE file",
        citation=Citation(source=path, note=f"identified, word-set similarity {match.score:.2f}"),
        note=f"no license in the front matter or body; the LICENSE file is {match.name} "
        f"({match.certainty})",
    )


def _own(subject: str, canonical: str | None, note: str | None) -> LicenseSource:
    return LicenseSource(
        subject=subject,
        license=canonical,
        name=_named(canonical) if canonical else None,
        source="card",
        citation=Citation(source="model card", section="license / license_name / license_link"),
        note=note,
    )


def front_matter_license(card: ModelCard) -> LicenseSource:
    """The license of the card's metadata (``license``, then ``license_name``, ``license_link``)."""
    subject = f"model card {card.name!r}"
    declared = card.license
    canonical, note = read_license(declared) if declared else (None, "no license declared")
    if canonical is not None and canonical not in _PLACEHOLDERS:
        return _own(subject, canonical, note)
    if canonical in _PLACEHOLDERS:
        note = f"the card declares {declared!r} and no license_name or license_link we know"
    if card.license_name:
        named, how = read_license(card.license_name)
        if named is not None and named not in _PLACEHOLDERS:
            said = f"license: {declared or '-'} with license_name {card.license_name!r}"
            return _own(subject, named, said + (f"; {how}" if how else ""))
        note = how
    linked = match_link(card.license_link) if card.license_link else None
    if linked is not None:
        said = f"license: {declared or '-'} with license_link {card.license_link!r}"
        return _own(subject, linked, said)
    return _own(subject, None, note)


def find_local_card(model_id: str, search_paths: Sequence[str | Path]) -> Path | None:
    """The README.md of ``model_id`` under a folder or a Hugging Face cache, if on disk.

    Looks for ``<root>/<org>/<name>/README.md``, ``<root>/<name>/README.md`` and
    ``<root>/models--<org>--<name>/snapshots/<rev>/README.md`` (newest revision first).
    """
    org, _, name = model_id.partition("/")
    for root in map(Path, search_paths):
        for folder in (root / model_id, root / (name or org)):
            if (folder / "README.md").is_file():
                return folder / "README.md"
        cache = root / f"models--{model_id.replace('/', '--')}" / "snapshots"
        if cache.is_dir():
            snaps = sorted(
                (p for p in cache.iterdir() if (p / "README.md").is_file()),
                key=lambda p: p.stat().st_mtime,
                reverse=True,
            )
            if snaps:
                return snaps[0] / "README.md"
    return None


def _known(model_id: str) -> LicenseSource | None:
    entry = _data.known_models().get(model_id.lower())
    if entry is None:
        return None
    canonical = parse(entry.license).canonical
    return LicenseSource(
        subject=f"base model {model_id}",
        license=canonical,
        name=_named(canonical),
        source="known-models",
        citation=Citation(
            source="model card", section=f"license (released {entry.date})", url=entry.card
        ),
        note=entry.note,
    )


def _base(
    model_id: str,
    given: Mapping[str, str],
    local: Mapping[str, ModelCard],
    search_paths: Sequence[str | Path],
) -> tuple[LicenseSource, ModelCard | None, tuple[str, ...]]:
    """One base model's license, the local card it came from, and its own bases."""
    subject = f"base model {model_id}"
    if model_id in given:
        canonical, note = read_license(given[model_id])
        return (
            LicenseSource(
                subject=subject,
                license=canonical,
                name=_named(canonical) if canonical else None,
                source="given",
                note=note,
            ),
            None,
            (),
        )
    card = local.get(model_id)
    where: str | None = None
    if card is None and search_paths:
        path = find_local_card(model_id, search_paths)
        if path is not None:
            from openmodel_gov.cards import load_card

            card = load_card(path)
            where = str(path)
    if card is not None:
        own = card_license(card)
        source = LicenseSource(
            subject=subject,
            license=own.license,
            name=own.name,
            source="local-card",
            citation=Citation(source=where or f"local card of {model_id}", section="license"),
            note=own.note,
        )
        return source, card, tuple(card.base_models)
    known = _known(model_id)
    if known is not None:
        entry = _data.known_models()[model_id.lower()]
        return known, None, entry.bases
    return (
        LicenseSource(
            subject=subject,
            license=None,
            source="unknown",
            note="not in known-models.yaml and no local card: pass base_licenses= or "
            "search_paths= (never guessed)",
        ),
        None,
        (),
    )


def resolve_chain(
    card: ModelCard,
    *,
    base_licenses: Mapping[str, str] | None = None,
    local_cards: Mapping[str, ModelCard] | None = None,
    search_paths: Sequence[str | Path] = (),
) -> tuple[LicenseSource, ...]:
    """The card's license, then each base model's, following base models of base models."""
    given = dict(base_licenses or {})
    local = dict(local_cards or {})
    out = [card_license(card)]
    seen: set[str] = set()
    queue: list[tuple[str, int]] = [(b, 1) for b in card.base_models]
    while queue:
        model_id, depth = queue.pop(0)
        if model_id.lower() in seen or depth > MAX_DEPTH:
            continue
        seen.add(model_id.lower())
        source, _, bases = _base(model_id, given, local, search_paths)
        out.append(source)
        queue += [(b, depth + 1) for b in bases]
    return tuple(out)


def chain_expression(sources: Sequence[LicenseSource]) -> str | None:
    """Every known license of the chain joined by ``AND`` (each must be honoured)."""
    parts = list(dict.fromkeys(s.license for s in sources if s.license))
    if not parts:
        return None
    return parse(" AND ".join(f"({p})" for p in parts)).canonical


def license_file_text(card: ModelCard) -> tuple[str, str] | None:
    """(path, text) of the card's LICENSE file: the folder evidence, else next to the card."""
    from openmodel_gov.cards import read_card_evidence

    if card.source_path and Path(card.source_path).is_dir():
        files = read_card_evidence(card).files
        for item in files.of_role("license") if files is not None else ():
            if item.text:
                return item.path, item.text
    return _license_file(card)


def _license_file(card: ModelCard) -> tuple[str, str] | None:
    if not card.source_path:
        return None
    folder = Path(card.source_path)
    folder = folder if folder.is_dir() else folder.parent
    for name in LICENSE_FILES:
        path = folder / name
        if path.is_file():
            return str(path), path.read_text(encoding="utf-8", errors="replace")
    return None
