"""Croissant 1.1 + RAI metadata from a dataset manifest, and back to a ``DatasetEntry``.

The JSON-LD is written directly (plain dicts, no per-file model objects: a 20,000-file
manifest exports in about the time its own JSON takes); the tests load it with
``mlcroissant`` and require zero errors.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from openmodel_gov.errors import InputError
from openmodel_gov.interop._common import (
    canonical_json,
    license_choice,
    pii_sentence,
    require_sha256_files,
    spdx_license_url,
)
from openmodel_gov.interop._croissant_read import (
    collection_period_of,
    dataset_name,
    first,
    license_of,
    read_document,
    source_kind_of,
    source_of,
    texts,
)

if TYPE_CHECKING:
    from openmodel_gov.manifests import DatasetEntry, DatasetManifest, FileEntry

__all__ = ["CROISSANT_CONTEXT", "CROISSANT_VERSION", "from_croissant", "to_croissant"]

CROISSANT_VERSION = "http://mlcommons.org/croissant/1.1"
_RAI_VERSION = "http://mlcommons.org/croissant/RAI/1.0"

#: The Croissant 1.1 JSON-LD context (as ``mlcroissant`` writes it) plus the RAI prefix.
CROISSANT_CONTEXT: dict[str, Any] = {
    "@language": "en",
    "@vocab": "https://schema.org/",
    "arrayShape": "cr:arrayShape",
    "citeAs": "cr:citeAs",
    "column": "cr:column",
    "conformsTo": "dct:conformsTo",
    "containedIn": "cr:containedIn",
    "cr": "http://mlcommons.org/croissant/",
    "data": {"@id": "cr:data", "@type": "@json"},
    "dataType": {"@id": "cr:dataType", "@type": "@vocab"},
    "dct": "http://purl.org/dc/terms/",
    "equivalentProperty": "cr:equivalentProperty",
    "examples": {"@id": "cr:examples", "@type": "@json"},
    "extract": "cr:extract",
    "field": "cr:field",
    "fileObject": "cr:fileObject",
    "fileProperty": "cr:fileProperty",
    "fileSet": "cr:fileSet",
    "format": "cr:format",
    "includes": "cr:includes",
    "isArray": "cr:isArray",
    "isLiveDataset": "cr:isLiveDataset",
    "jsonPath": "cr:jsonPath",
    "key": "cr:key",
    "md5": "cr:md5",
    "parentField": "cr:parentField",
    "path": "cr:path",
    "rai": "http://mlcommons.org/croissant/RAI/",
    "recordSet": "cr:recordSet",
    "references": "cr:references",
    "regex": "cr:regex",
    "repeated": "cr:repeated",
    "replace": "cr:replace",
    "samplingRate": "cr:samplingRate",
    "sc": "https://schema.org/",
    "separator": "cr:separator",
    "source": "cr:source",
    "subField": "cr:subField",
    "transform": "cr:transform",
}

#: Our source kinds as the RAI vocabulary's ``dataCollectionType`` values (Croissant RAI
#: 1.0, "Data lifecycle": recommended values).
_COLLECTION_TYPES = {
    "web-crawl": "Web Scraping",
    "public-dataset": "Secondary Data analysis",
    "user-data": "User-generated content data",
    "synthetic": "Software Collection",
    "licensed": "Others",
    "other": "Others",
}

#: Media types by file extension (IANA where registered, else the ones Croissant's own
#: examples use, e.g. ``application/x-parquet``); anything else is a plain byte stream.
_MEDIA_TYPES = {
    ".arrow": "application/vnd.apache.arrow.file",
    ".csv": "text/csv",
    ".gz": "application/gzip",
    ".html": "text/html",
    ".jpeg": "image/jpeg",
    ".jpg": "image/jpeg",
    ".json": "application/json",
    ".jsonl": "application/jsonlines",
    ".md": "text/markdown",
    ".mp3": "audio/mpeg",
    ".mp4": "video/mp4",
    ".npy": "application/x-npy",
    ".parquet": "application/x-parquet",
    ".png": "image/png",
    ".safetensors": "application/octet-stream",
    ".tar": "application/x-tar",
    ".tsv": "text/tab-separated-values",
    ".txt": "text/plain",
    ".wav": "audio/wav",
    ".xml": "application/xml",
    ".yaml": "application/yaml",
    ".yml": "application/yaml",
    ".zip": "application/zip",
    ".zst": "application/zstd",
}
_OCTET = "application/octet-stream"
_PLACEHOLDER = "\x00distribution\x00"


def _media_type(path: str) -> str:
    dot = path.rfind(".")
    if dot <= path.rfind("/") + 0:
        return _OCTET
    return _MEDIA_TYPES.get(path[dot:].lower(), _OCTET)


def _pick(manifest: DatasetManifest, dataset: str | None) -> DatasetEntry:
    if dataset is not None:
        try:
            return manifest.dataset(dataset)
        except KeyError as exc:
            raise InputError(str(exc.args[0]), field="dataset") from None
    if len(manifest.datasets) == 1:
        return manifest.datasets[0]
    names = ", ".join(d.name for d in manifest.datasets)
    raise InputError(
        f"the manifest holds {len(manifest.datasets)} datasets ({names}); "
        "pass dataset=NAME: a Croissant file describes one dataset",
        field="dataset",
    )


def _license(text: str) -> list[str]:
    choice = license_choice(text)
    if choice is None:  # pragma: no cover - DatasetEntry.license is required and non-empty
        return []
    kind, value = choice
    if kind == "id":
        return [spdx_license_url(value)]
    if kind == "expression":
        from openmodel_gov.licenses import license_info

        words = value.replace("(", " ").replace(")", " ").split()
        ids = [w for w in words if w not in {"AND", "OR", "WITH"}]
        if " OR " not in value and all(license_info(i) for i in ids):
            return [spdx_license_url(i) for i in ids]
    return [value]


def _file_objects(files: Sequence[FileEntry]) -> list[dict[str, Any]]:
    out = []
    for f in files:
        path = f.path
        out.append(
            {
                "@type": "cr:FileObject",
                "@id": f"file:{path}",
                "name": path,
                "contentUrl": path,
                "contentSize": f"{f.size} B",
                "encodingFormat": _media_type(path),
                "sha256": f.sha256,
            }
        )
    return out


def _file_sets(files: Sequence[FileEntry]) -> list[dict[str, Any]]:
    groups: dict[tuple[str, str], int] = {}
    for f in files:
        top = f.path.split("/", 1)[0] if "/" in f.path else ""
        name = f.path.rsplit("/", 1)[-1]
        ext = name[name.rfind(".") :] if "." in name[1:] else ""
        groups[(top, ext)] = groups.get((top, ext), 0) + 1
    out = []
    for (top, ext), count in sorted(groups.items()):
        pattern = (f"{top}/**/*" if top else "*") + ext
        out.append(
            {
                "@type": "cr:FileSet",
                "@id": f"fileset:{pattern}",
                "name": pattern,
                "description": f"{count} file(s); per-file SHA-256 digests are in the "
                "openmodel-gov manifest",
                "encodingFormat": _media_type(f"x{ext}") if ext else _OCTET,
                "includes": pattern,
            }
        )
    return out


def to_croissant_data(
    manifest: DatasetManifest,
    *,
    dataset: str | None = None,
    max_file_objects: int | None = None,
) -> dict[str, Any]:
    """The Croissant document of :func:`to_croissant` as plain JSON data."""
    from openmodel_gov.manifests import DatasetManifest

    if not isinstance(manifest, DatasetManifest):
        raise InputError(f"to_croissant needs a DatasetManifest, got {type(manifest).__name__}")
    require_sha256_files(manifest, feature="to_croissant")
    entry = _pick(manifest, dataset)
    files = manifest.files_of(entry.name)
    doc: dict[str, Any] = {
        "@context": CROISSANT_CONTEXT,
        "@type": "sc:Dataset",
        "conformsTo": [CROISSANT_VERSION, _RAI_VERSION],
        "name": entry.name,
        "description": entry.description
        or f"{entry.name} {entry.version} ({entry.source_kind}), described by openmodel-gov",
        "version": entry.version,
        "license": _license(entry.license),
        "identifier": f"sha256:{manifest.snapshot_digest}",
    }
    if entry.source.url:
        doc["url"] = entry.source.url
        doc["sameAs"] = entry.source.url
    if entry.source.organization:
        doc["creator"] = {"@type": "sc:Organization", "name": entry.source.organization}
    if entry.source.citation:
        doc["citeAs"] = entry.source.citation
    if entry.languages:
        doc["inLanguage"] = list(entry.languages)
    if entry.modalities:
        doc["keywords"] = list(entry.modalities)
    if max_file_objects is not None and len(files) > max_file_objects:
        doc["distribution"] = _file_sets(files)
    else:
        doc["distribution"] = _file_objects(files)
    doc.update(_rai(entry))
    return doc


def _full_date(value: str, *, end: bool) -> str:
    """``YYYY`` / ``YYYY-MM`` widened to the first (start) or last (end) day it covers."""
    import calendar

    parts = value.split("-")
    year = int(parts[0])
    month = int(parts[1]) if len(parts) > 1 else (12 if end else 1)
    if len(parts) > 2:
        return value
    day = calendar.monthrange(year, month)[1] if end else 1
    return f"{year:04d}-{month:02d}-{day:02d}"


def _rai(entry: DatasetEntry) -> dict[str, Any]:
    from openmodel_gov.interop._spdx3 import _collection

    rai: dict[str, Any] = {
        "rai:dataCollection": _collection(entry),
        "rai:dataCollectionType": [_COLLECTION_TYPES[entry.source_kind]],
    }
    period = entry.collection_period
    if period is not None and (period.start or period.end):
        # "TimeFrame" as mlcroissant reads it (the RAI vocabulary's IRI)
        rai["rai:dataCollectionTimeFrame"] = [
            _full_date(d, end=i == 1) for i, d in enumerate((period.start, period.end)) if d
        ]
    steps = [*entry.preprocessing, *(f"filter: {f}" for f in entry.filtering)]
    if steps:
        rai["rai:dataPreprocessingProtocol"] = steps
    if entry.intended_purpose:
        rai["rai:dataUseCases"] = [entry.intended_purpose]
    if entry.use_restrictions:
        rai["rai:dataLimitations"] = list(entry.use_restrictions)
    pii = pii_sentence(entry)
    if pii:
        rai["rai:personalSensitiveInformation"] = [pii]
    if entry.changelog:
        last = entry.changelog[-1]
        rai["rai:dataReleaseMaintenancePlan"] = (
            f"versioned releases; latest {last.version}"
            + (f" ({last.date})" if last.date else "")
            + f": {last.summary}"
        )
    return rai


def to_croissant(
    manifest: DatasetManifest,
    *,
    dataset: str | None = None,
    max_file_objects: int | None = None,
    indent: int | None = 2,
) -> str:
    """One dataset of ``manifest`` as Croissant 1.1 + RAI 1.0 JSON-LD.

    Dataset metadata (name, description, version, license as SPDX License List URLs --
    or the canonical expression when it holds an AI license or a choice --, source URL,
    creator, citation, languages, the snapshot digest as ``identifier``), one
    ``cr:FileObject`` per file with its relative path, size, media type and SHA-256, and the
    RAI fields the dataset entry states: data collection (source kind, period, legal basis,
    consent, synthetic generator, TDM opt-outs), collection type, preprocessing and
    filtering, use cases, limitations (use restrictions), personal and sensitive
    information (declared categories and the PII scan summary), maintenance (change log).

    Args:
        manifest: the manifest.
        dataset: which dataset (needed when the manifest holds more than one).
        max_file_objects: above this many files, write one ``cr:FileSet`` per top folder
            and extension (with an ``includes`` glob) instead of a ``FileObject`` per file.
        indent: JSON indentation.

    Returns:
        The JSON-LD text, keys sorted, ending with a newline (deterministic: no clock).

    Raises:
        InputError: not a manifest, or ``dataset`` missing or unknown.

    >>> import json
    >>> from openmodel_gov.manifests import DatasetEntry, DatasetManifest, FileEntry
    >>> m = DatasetManifest(datasets=[DatasetEntry(name="d", version="1.0.0",
    ...     source_kind="public-dataset", license="CC-BY-4.0")],
    ...     files=[FileEntry(path="train.jsonl", size=3, sha256="0" * 64)])
    >>> doc = json.loads(to_croissant(m))
    >>> doc["license"], doc["distribution"][0]["encodingFormat"]
    (['https://spdx.org/licenses/CC-BY-4.0.html'], 'application/jsonlines')
    """
    data = to_croissant_data(manifest, dataset=dataset, max_file_objects=max_file_objects)
    if indent is None or not data["distribution"]:
        return canonical_json(data, indent=indent)
    # One line per file object: json's C encoder runs only without indent, and a
    # 20,000-file snapshot reads as well one entry a line (same bytes for the same input).
    dist = data.pop("distribution")
    data["distribution"] = _PLACEHOLDER
    head = canonical_json(data, indent=indent)
    token = json.dumps(_PLACEHOLDER)
    if head.count(token) != 1:  # a value spelled like the placeholder: no shortcut
        data["distribution"] = dist
        return canonical_json(data, indent=indent)
    pad = " " * (2 * indent)
    items = ",\n".join(pad + json.dumps(d, sort_keys=True, ensure_ascii=False) for d in dist)
    return head.replace(token, "[\n" + items + "\n" + " " * indent + "]", 1)


def from_croissant(
    source: str | os.PathLike[str] | dict[str, Any], *, license_fallback: str | None = None
) -> DatasetEntry:
    """Read a Croissant file's dataset metadata into a :class:`DatasetEntry`, where it maps.

    Mapped: ``name``, ``version``, ``description``, ``license`` (SPDX URLs or ids),
    ``url``/``sameAs`` and ``creator`` (source), ``citeAs``, ``inLanguage``, and the RAI
    fields ``dataCollectionType`` (source kind), ``dataCollectionTimeFrame``,
    ``dataPreprocessingProtocol``, ``dataUseCases`` (intended purpose) and
    ``dataLimitations`` (use restrictions). Everything else stays in the Croissant file.

    Args:
        source: a Croissant JSON-LD file or its parsed data.
        license_fallback: the license to record when the file states none we can read
            (default: refuse, as a manifest entry needs a license).

    Raises:
        FileAccessError / ParseError: the file cannot be read or is not JSON.
        InputError: not a Croissant dataset, or no readable license and no fallback.
    """
    from openmodel_gov.manifests import DatasetEntry

    doc, label = read_document(source)
    name = dataset_name(doc, label)
    license_text = license_of(doc, label, license_fallback)
    source_kind = source_kind_of(doc)
    data: dict[str, Any] = {
        "name": name,
        "version": first(doc, "version") or "unversioned",
        "source_kind": source_kind,
        "license": license_text,
        "description": first(doc, "description"),
        "source": source_of(doc),
        "languages": texts(doc.get("inLanguage")),
        "preprocessing": texts(doc.get("rai:dataPreprocessingProtocol")),
        "intended_purpose": "; ".join(texts(doc.get("rai:dataUseCases"))) or None,
        "use_restrictions": texts(doc.get("rai:dataLimitations")),
    }
    period = collection_period_of(doc)
    if period is not None:
        data["collection_period"] = period
    if source_kind == "synthetic":  # pragma: no cover - no RAI value maps to synthetic
        data["synthetic"] = True
    try:
        return DatasetEntry.model_validate(data, strict=False)
    except ValueError as exc:
        raise InputError(
            f"the Croissant metadata does not map to a dataset entry: {exc}", source=label
        ) from None
