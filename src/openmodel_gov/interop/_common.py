"""What every export shares: clocks, serial numbers, canonical JSON, license mapping."""

from __future__ import annotations

import hashlib
import json
import os
import re
import uuid
from collections.abc import Callable, Sequence
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any, Literal

from openmodel_gov.errors import InputError

if TYPE_CHECKING:
    from openmodel_gov.cards import ModelCard
    from openmodel_gov.manifests import DatasetEntry, DatasetManifest

__all__ = [
    "Clock",
    "LicenseChoice",
    "canonical_json",
    "check_card",
    "check_manifests",
    "content_uuid",
    "hub_url",
    "license_choice",
    "now_from",
    "require_sha256_files",
    "slug",
    "spdx_license_url",
]

#: A clock returns the timestamp an export records (injectable for reproducible bytes).
Clock = Callable[[], datetime]

_NAMESPACE = uuid.UUID("6f0b1f8e-5c55-4f2b-9a3e-6f70656e6d6f")  # openmodel-gov exports


def now_from(clock: Clock | None) -> datetime:
    """The export timestamp: ``clock()``, else ``SOURCE_DATE_EPOCH``, else now (UTC, seconds).

    >>> now_from(lambda: datetime(2026, 1, 2, 3, 4, 5, 678, tzinfo=timezone.utc)).isoformat()
    '2026-01-02T03:04:05+00:00'
    """
    if clock is not None:
        value = clock()
    elif os.environ.get("SOURCE_DATE_EPOCH", "").isdigit():
        value = datetime.fromtimestamp(int(os.environ["SOURCE_DATE_EPOCH"]), tz=timezone.utc)
    else:  # pragma: no cover - wall clock
        value = datetime.now(timezone.utc)
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value.astimezone(timezone.utc).replace(microsecond=0)


def iso_z(value: datetime) -> str:
    """``2026-01-02T03:04:05Z`` (the form SPDX 3 requires)."""
    return value.strftime("%Y-%m-%dT%H:%M:%SZ")


def canonical_json(data: Any, *, indent: int | None = 2) -> str:
    """JSON with sorted keys, UTF-8 characters kept, a final newline: same data, same bytes."""
    return json.dumps(data, indent=indent, sort_keys=True, ensure_ascii=False) + "\n"


def content_uuid(*parts: str) -> uuid.UUID:
    """A UUID (v5) derived from ``parts``: a serial number that changes with the content.

    >>> content_uuid("a") == content_uuid("a") != content_uuid("b")
    True
    """
    digest = hashlib.sha256("\x00".join(parts).encode("utf-8")).hexdigest()
    return uuid.uuid5(_NAMESPACE, digest)


def slug(text: str) -> str:
    """A conservative identifier fragment: letters, digits, ``.``, ``_`` and ``-``.

    >>> slug("meta-llama/Llama 2 (7B)")
    'meta-llama-Llama-2-7B'
    """
    out = []
    for ch in text:
        out.append(ch if (ch.isascii() and (ch.isalnum() or ch in "._-")) else "-")
    collapsed = "-".join(part for part in "".join(out).split("-") if part)
    return collapsed or "x"


LicenseChoice = tuple[Literal["expression", "id", "name"], str]


def license_choice(text: str | None) -> LicenseChoice | None:
    """Map a license as written (SPDX, ``hf:<id>``, free text) to what the formats carry.

    Returns ``("id", spdx_id)`` for one SPDX License List id, ``("expression", expr)`` for
    any other canonical expression (``LicenseRef-openmodel-*`` ids included), ``("name",
    text)`` when the text is not an expression we can read, ``None`` when no license is
    stated.

    >>> license_choice("hf:apache-2.0"), license_choice("hf:llama2")
    (('id', 'Apache-2.0'), ('expression', 'LicenseRef-openmodel-llama-2'))
    >>> license_choice("see the LICENSE file")
    ('name', 'see the LICENSE file')
    """
    if text is None or not text.strip():
        return None
    from openmodel_gov.errors import OpenModelGovError
    from openmodel_gov.licenses import license_info, normalize_license

    try:
        canonical = normalize_license(text.strip())
    except (OpenModelGovError, ValueError):
        return ("name", text.strip())
    if license_info(canonical) is not None:
        return ("id", canonical)
    return ("expression", canonical)


def spdx_license_url(spdx_id: str) -> str:
    """The SPDX License List page of ``spdx_id`` (what Croissant's ``license`` links to)."""
    return f"https://spdx.org/licenses/{spdx_id}.html"


def check_card(card: object, *, feature: str) -> ModelCard:
    """``card`` itself if it is a :class:`~openmodel_gov.cards.ModelCard`, else ``InputError``."""
    from openmodel_gov.cards import ModelCard

    if not isinstance(card, ModelCard):
        raise InputError(f"{feature} needs a ModelCard, got {type(card).__name__}")
    return card


def require_sha256_files(manifest: DatasetManifest, *, feature: str) -> None:
    """Refuse a manifest whose per-file digests are not plain SHA-256 (``InputError``).

    Every export format labels a file's digest as SHA-256 (Croissant ``sha256``, CycloneDX and
    SPDX ``SHA-256``, model-signing ``files``/``sha256``). A manifest built with
    ``digest="sha256-sharded"`` or ``"blake3"`` keeps other digests in that column, so exporting
    it would mislabel every file.
    """
    if manifest.hash_algorithm != "sha256":
        raise InputError(
            f"{feature}: the manifest's per-file digests are {manifest.hash_algorithm}, and "
            "this export records per-file SHA-256; rebuild the manifest with digest='sha256'",
            field="hash_algorithm",
        )


def check_manifests(manifests: object, *, feature: str) -> tuple[DatasetManifest, ...]:
    """``manifests`` (one or a sequence) as a tuple of manifests, else ``InputError``."""
    from openmodel_gov.manifests import DatasetManifest

    if manifests is None:
        return ()
    if isinstance(manifests, DatasetManifest):
        return (manifests,)
    if isinstance(manifests, (str, bytes)) or not isinstance(manifests, Sequence):
        raise InputError(f"{feature}: manifests must be a sequence of DatasetManifest")
    out = tuple(manifests)
    for item in out:
        if not isinstance(item, DatasetManifest):
            raise InputError(
                f"{feature}: manifests must hold DatasetManifest objects, got {type(item).__name__}"
            )
    return out


def datasets_of(
    manifests: Sequence[DatasetManifest],
) -> list[tuple[DatasetManifest, DatasetEntry]]:
    """Every dataset of ``manifests`` with its manifest, in order, names first-seen wins."""
    seen: set[str] = set()
    out = []
    for manifest in manifests:
        for entry in manifest.datasets:
            if entry.name not in seen:
                seen.add(entry.name)
                out.append((manifest, entry))
    return out


def pii_sentence(entry: DatasetEntry) -> str | None:
    """One sentence on personal data in ``entry`` from its categories and PII summary."""
    parts = []
    cats = [c for c in entry.data_categories if c != "none"]
    if cats:
        parts.append("data categories: " + ", ".join(cats))
    elif "none" in entry.data_categories:
        parts.append("declared to hold no personal data")
    summary = entry.pii_summary
    if summary is not None:
        found = summary.found_entity_types
        scan = (
            f"PII scan of {summary.records_scanned} record(s): "
            f"{summary.records_with_pii} with findings"
        )
        if found:
            scan += " (" + ", ".join(f"{e}: {summary.counts_by_entity[e]}" for e in found) + ")"
        scan += "; redacted" if summary.redacted else "; not redacted"
        parts.append(scan)
    if entry.deidentified != "none":
        parts.append(f"de-identification: {entry.deidentified}")
    return "; ".join(parts) if parts else None


class Refs:
    """Readable identifiers that stay unique: ``slug(name)``, then ``-2``, ``-3`` ... when two
    different names slug alike. The same ``(prefix, name)`` always gets the same identifier.

    >>> refs = Refs()
    >>> refs("dataset:", "a b"), refs("dataset:", "a-b"), refs("dataset:", "a b")
    ('dataset:a-b', 'dataset:a-b-2', 'dataset:a-b')
    """

    def __init__(self) -> None:
        self._by_key: dict[tuple[str, str], str] = {}
        self._taken: set[str] = set()

    def __call__(self, prefix: str, name: str) -> str:
        key = (prefix, name)
        found = self._by_key.get(key)
        if found is not None:
            return found
        base = prefix + slug(name)
        ref, n = base, 2
        while ref in self._taken:
            ref, n = f"{base}-{n}", n + 1
        self._taken.add(ref)
        self._by_key[key] = ref
        return ref


def card_only_datasets(card: ModelCard, entries: Sequence[DatasetEntry]) -> list[str]:
    """The datasets the card names that no manifest entry describes.

    A card name matches an entry with the same name, or whose name is the card name's last
    path part (``example/web-2024`` is the manifest's ``web-2024``); case is ignored.
    """
    known = {e.name.lower() for e in entries}
    out: list[str] = []
    seen: set[str] = set()
    for name in card.datasets:
        low = name.lower()
        if low in known or low.rsplit("/", 1)[-1] in known or low in seen:
            continue
        seen.add(low)
        out.append(name)
    return out


#: A Hugging Face Hub repository id: ``owner/name`` of letters, digits, ``-``, ``_``, ``.``
#: (the Hub's own rule for repo ids, at most 96 characters per part).
_HUB_REPO_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,95}/[A-Za-z0-9][A-Za-z0-9._-]{0,95}")


def hub_url(repo_id: str | None) -> str | None:
    """The Hub page of ``repo_id``, or ``None`` when it is not a valid Hub repo id.

    >>> hub_url("mistralai/Mistral-7B-v0.1"), hub_url("/\ue000"), hub_url("a b/c")
    ('https://huggingface.co/mistralai/Mistral-7B-v0.1', None, None)
    """
    if repo_id and _HUB_REPO_ID.fullmatch(repo_id):
        return f"https://huggingface.co/{repo_id}"
    return None
