"""The typed dataset manifest: frozen, strict pydantic v2 models.

Field names of :class:`DatasetEntry` are shared with the compliance builder and the PII report
(``name``, ``version``, ``source``, ``source_kind``, ``license``, ``jurisdictions``,
``data_categories``, ``legal_basis``, ``deidentified``, ``synthetic``, ``tdm_optout_honored``,
``pii_summary``); their vocabularies come from :mod:`openmodel_gov._core._vocab`.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterable
from itertools import pairwise
from typing import Annotated, Any, Final, Literal

from pydantic import (
    AfterValidator,
    BeforeValidator,
    Field,
    NonNegativeInt,
    PositiveInt,
    StringConstraints,
    model_validator,
)

from openmodel_gov._core import Frozen
from openmodel_gov._core._pii_summary import PiiScanSummary
from openmodel_gov._core._vocab import DataCategory, Deidentification, SourceKind
from openmodel_gov.manifests._licensing import normalize_license_text
from openmodel_gov.manifests._paths import check_relative_path
from openmodel_gov.manifests._writer import save_manifest

__all__ = [
    "MANIFEST_FORMAT",
    "ChangeLogEntry",
    "CollectionPeriod",
    "DatasetEntry",
    "DatasetManifest",
    "DatasetSize",
    "DatasetSource",
    "FileEntry",
    "Modality",
    "checked_files",
    "snapshot_digest_from_pairs",
    "snapshot_digest_of",
    "snapshot_lines",
    "trusted_file_entry",
]

#: The ``format`` marker every manifest carries (bumped on incompatible changes).
MANIFEST_FORMAT: Final = "openmodel-gov/dataset-manifest/v1"

Modality = Literal["text", "code", "image", "audio", "video", "tabular", "time-series", "other"]

_HEX64 = re.compile(r"^[0-9a-f]{64}$")


def _tupleize(value: object) -> object:
    """Accept a list where a tuple is declared (YAML/JSON and callers write lists)."""
    return tuple(value) if isinstance(value, list) else value


def _check_hex64(value: str) -> str:
    if not _HEX64.match(value):
        raise ValueError("expected 64 lowercase hex digits (a SHA-256 digest)")
    return value


def _check_date(value: str) -> str:
    if not re.match(r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$", value):
        raise ValueError("expected an ISO 8601 date: YYYY, YYYY-MM or YYYY-MM-DD")
    return value


def _check_jurisdiction(value: str) -> str:
    canonical = value.strip().upper()
    if canonical == "GLOBAL":  # data subjects anywhere (the compliance vocabulary's value)
        return canonical
    if not re.match(r"^[A-Z]{2,3}(-[A-Z0-9]{1,3})?$", canonical):
        raise ValueError(
            "expected an ISO 3166 code such as 'DE', 'US-CA', a region such as 'EU', 'EEA', "
            "or 'GLOBAL'"
        )
    return canonical


def _check_language(value: str) -> str:
    if not re.match(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$", value):
        raise ValueError("expected a BCP 47 language tag such as 'en', 'pt-BR' or 'zh-Hant'")
    return value


def _unique(values: tuple[str, ...]) -> tuple[str, ...]:
    seen: set[str] = set()
    for item in values:
        if item in seen:
            raise ValueError(f"{item!r} is listed twice")
        seen.add(item)
    return values


Sha256Hex = Annotated[str, AfterValidator(_check_hex64)]
IsoDate = Annotated[str, AfterValidator(_check_date)]
NonEmptyStr = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Jurisdiction = Annotated[str, AfterValidator(_check_jurisdiction)]
Language = Annotated[str, AfterValidator(_check_language)]
RelPath = Annotated[str, AfterValidator(check_relative_path)]


def _check_prefix(value: str) -> str:
    """A folder may be written with a trailing slash (``train/``); stored without it."""
    return check_relative_path(value[:-1] if value.endswith("/") and len(value) > 1 else value)


PathPrefix = Annotated[str, AfterValidator(_check_prefix)]


def _check_license(value: str) -> str:
    """Validate with the license primitive, keep the text as the author wrote it."""
    normalize_license_text(value)
    return value


LicenseText = Annotated[NonEmptyStr, AfterValidator(_check_license)]


_LIST = BeforeValidator(_tupleize)
_UNIQUE = AfterValidator(_unique)
StrSeq = Annotated[tuple[NonEmptyStr, ...], _LIST, _UNIQUE]
PathSeq = Annotated[tuple[PathPrefix, ...], _LIST, _UNIQUE]
LanguageSeq = Annotated[tuple[Language, ...], _LIST, _UNIQUE]
ModalitySeq = Annotated[tuple[Modality, ...], _LIST, _UNIQUE]
JurisdictionSeq = Annotated[tuple[Jurisdiction, ...], _LIST, _UNIQUE]
CategorySeq = Annotated[tuple[DataCategory, ...], _LIST, _UNIQUE]


class DatasetSource(Frozen):
    """Where a dataset comes from.

    >>> DatasetSource(url="https://huggingface.co/datasets/allenai/c4", organization="AllenAI").url
    'https://huggingface.co/datasets/allenai/c4'
    """

    url: Annotated[str, StringConstraints(pattern=r"^[a-zA-Z][a-zA-Z0-9+.-]*://\S+$")] | None = None
    organization: NonEmptyStr | None = None
    citation: NonEmptyStr | None = None


class CollectionPeriod(Frozen):
    """When the data was collected (ISO 8601 dates, either end may be open)."""

    start: IsoDate | None = None
    end: IsoDate | None = None

    @model_validator(mode="after")
    def _ordered(self) -> CollectionPeriod:
        if self.start and self.end and self.start[: len(self.end)] > self.end[: len(self.start)]:
            raise ValueError(f"collection period starts ({self.start}) after it ends ({self.end})")
        return self


class DatasetSize(Frozen):
    """How big a dataset is, in whichever units are known."""

    records: NonNegativeInt | None = None
    tokens: NonNegativeInt | None = None
    bytes_on_disk: NonNegativeInt | None = None


class ChangeLogEntry(Frozen):
    """One entry of a dataset's change log (newest last)."""

    version: NonEmptyStr
    date: IsoDate | None = None
    summary: NonEmptyStr


class DatasetEntry(Frozen):
    """One dataset in a manifest: what it is, where it came from, what it may be used for.

    ``license`` keeps the text the author wrote; :attr:`license_normalized` is the canonical
    form from :func:`openmodel_gov.licenses.normalize_license`.

    >>> d = DatasetEntry(name="wiki", version="2024-05", source_kind="public-dataset",
    ...                  license="CC-BY-SA-4.0", data_categories=["personal"])
    >>> d.data_categories, d.synthetic, d.pii_summary is None
    (('personal',), False, True)
    """

    name: NonEmptyStr
    version: NonEmptyStr
    source: DatasetSource = DatasetSource()
    source_kind: SourceKind
    license: LicenseText
    description: NonEmptyStr | None = None
    paths: PathSeq = Field(
        default=(),
        description="Folders or files under the root that belong to this dataset "
        "(empty: the whole snapshot).",
    )
    filtering: StrSeq = ()
    preprocessing: StrSeq = ()
    intended_purpose: NonEmptyStr | None = None
    use_restrictions: StrSeq = ()
    collection_period: CollectionPeriod | None = None
    languages: LanguageSeq = ()
    modalities: ModalitySeq = ()
    size: DatasetSize | None = None
    jurisdictions: JurisdictionSeq = ()
    data_categories: CategorySeq = ()
    legal_basis: NonEmptyStr | None = None
    consent_notes: NonEmptyStr | None = None
    deidentified: Deidentification = "none"
    synthetic: bool = False
    synthetic_generator: NonEmptyStr | None = None
    tdm_optout_honored: bool | None = None
    tdm_optout_notes: NonEmptyStr | None = None
    pii_summary: PiiScanSummary | None = None
    changelog: Annotated[tuple[ChangeLogEntry, ...], BeforeValidator(_tupleize)] = ()

    @model_validator(mode="after")
    def _consistent(self) -> DatasetEntry:
        if "none" in self.data_categories and len(self.data_categories) > 1:
            raise ValueError("data_categories: 'none' cannot be combined with other categories")
        if self.source_kind == "synthetic" and not self.synthetic:
            raise ValueError("source_kind is 'synthetic' but synthetic is false")
        if self.synthetic_generator is not None and not self.synthetic:
            raise ValueError("synthetic_generator is set but synthetic is false")
        return self

    @property
    def license_normalized(self) -> str:
        """The canonical license expression (SPDX, or an ``hf:`` id)."""
        return normalize_license_text(self.license)

    def owns(self, path: str) -> bool:
        """Whether ``path`` (relative POSIX) belongs to this dataset (see :attr:`paths`)."""
        if not self.paths:
            return True
        return any(path == p or path.startswith(p + "/") for p in self.paths)


class FileEntry(Frozen):
    """One file of the snapshot: relative POSIX path, size in bytes, SHA-256 of the whole file.

    In a manifest whose ``hash_algorithm`` is not the default ``sha256``, ``sha256`` holds the
    digest of that algorithm (see :class:`DatasetManifest`).
    """

    path: RelPath
    size: NonNegativeInt
    sha256: Sha256Hex
    blake3: Sha256Hex | None = Field(default=None, description="Optional extra BLAKE3 digest.")
    version_id: NonEmptyStr | None = Field(
        default=None,
        description="Object version the digest is of (object stores that keep versions).",
    )
    etag: NonEmptyStr | None = Field(
        default=None, description="The store's ETag of the object when it was hashed (informative)."
    )

    @property
    def sha256sum_line(self) -> str:
        """This file's line in ``sha256sum`` output, newline included."""
        return f"{self.sha256}  {self.path}\n"


_set_attr = object.__setattr__
_new = object.__new__
#: Shared by trusted entries: pydantic copies it before any change (``model_copy``).
_ALL_FIELDS = {"path", "size", "sha256", "blake3"}  # as FileEntry(path=..., blake3=...)


def trusted_file_entry(path: str, size: int, sha256: str, blake3: str | None) -> FileEntry:
    """A :class:`FileEntry` from values this library produced or already checked in bulk.

    What ``FileEntry.model_construct`` does, without its generic field loop: building a
    manifest of 20,000 small files spent a fifth of its time there. Never use it for
    unchecked input.
    """
    entry = _new(FileEntry)
    values = {
        "path": path,
        "size": size,
        "sha256": sha256,
        "blake3": blake3,
        "version_id": None,
        "etag": None,
    }
    _set_attr(entry, "__dict__", values)
    _set_attr(entry, "__pydantic_fields_set__", _ALL_FIELDS)
    _set_attr(entry, "__pydantic_extra__", None)
    _set_attr(entry, "__pydantic_private__", None)
    return entry


def snapshot_lines(files: Iterable[FileEntry]) -> bytes:
    """The ``sha256sum`` lines of ``files`` sorted by path bytes (``LC_ALL=C sort``)."""
    return _lines((f.path, f.sha256) for f in files)


def _lines(pairs: Iterable[tuple[str, str]]) -> bytes:
    encoded = sorted((path.encode("utf-8"), digest) for path, digest in pairs)
    return b"".join(b"%s  %s\n" % (digest.encode("ascii"), path) for path, digest in encoded)


def snapshot_digest_from_pairs(pairs: Iterable[tuple[str, str]]) -> str:
    """Snapshot digest from ``(relative path, sha256 hex)`` pairs (see :func:`snapshot_digest_of`)."""
    return hashlib.sha256(_lines(pairs)).hexdigest()


def snapshot_digest_of(files: Iterable[FileEntry]) -> str:
    """SHA-256 hex over the sorted ``sha256sum`` lines of ``files``.

    >>> f = FileEntry(path="a.txt", size=0, sha256=hashlib.sha256(b"").hexdigest())
    >>> snapshot_digest_of([f]) == hashlib.sha256(f.sha256sum_line.encode()).hexdigest()
    True
    """
    return hashlib.sha256(snapshot_lines(files)).hexdigest()


def checked_files(
    files: tuple[FileEntry, ...], snapshot_digest: str
) -> tuple[tuple[FileEntry, ...], str]:
    """``files`` sorted by path bytes, and the snapshot digest they give.

    Raises:
        ValueError: a path is listed twice, or ``snapshot_digest`` (when not empty) is not
            the one the files give.
    """
    keys = [f.path.encode("utf-8") for f in files]
    if any(a >= b for a, b in pairwise(keys)):  # not strictly sorted: sort, then check
        order = sorted(range(len(files)), key=keys.__getitem__)
        files = tuple(files[i] for i in order)
        keys = [keys[i] for i in order]
        for a, b in pairwise(keys):
            if a == b:
                raise ValueError(f"duplicate file path {a.decode('utf-8')!r}")
    lines = b"".join(
        b"%s  %s\n" % (f.sha256.encode("ascii"), key) for f, key in zip(files, keys, strict=True)
    )
    expected = hashlib.sha256(lines).hexdigest()  # == snapshot_digest_of(files), sorted
    if snapshot_digest and snapshot_digest != expected:
        raise ValueError(
            f"snapshot_digest {snapshot_digest} does not match the files listed "
            f"(they give {expected}); the manifest was edited by hand"
        )
    return files, expected


class DatasetManifest(Frozen):
    """A dataset snapshot: the datasets it holds and the SHA-256 of every file.

    Build one with :func:`openmodel_gov.manifests.build_manifest`; load one with
    :func:`openmodel_gov.manifests.load_manifest`.

    >>> import hashlib
    >>> from openmodel_gov._core._pii_summary import PiiScanSummary
    >>> entry = DatasetEntry(name="notes", version="1", source_kind="user-data", license="MIT")
    >>> m = DatasetManifest(datasets=[entry], files=[])
    >>> m.snapshot_digest == hashlib.sha256(b"").hexdigest()
    True
    >>> m2 = m.with_pii_summary("notes", PiiScanSummary(records_scanned=3))
    >>> m2.datasets[0].pii_summary.records_scanned, m.datasets[0].pii_summary
    (3, None)
    """

    format: Literal["openmodel-gov/dataset-manifest/v1"] = MANIFEST_FORMAT
    hash_algorithm: Literal["sha256", "sha256-sharded", "blake3"] = Field(
        default="sha256",
        description="The digest in each file's sha256 field: sha256 (default), sha256-sharded "
        "(SHA-256 of the shard_size pieces' digests, model-signing's shards) or blake3.",
    )
    shard_size: PositiveInt | None = Field(
        default=None, description="Bytes per shard; with hash_algorithm sha256-sharded only."
    )
    datasets: Annotated[tuple[DatasetEntry, ...], BeforeValidator(_tupleize)] = Field(min_length=1)
    files: Annotated[tuple[FileEntry, ...], BeforeValidator(_tupleize)]
    excluded: StrSeq = Field(
        default=(), description="Glob patterns (relative POSIX) left out of the snapshot."
    )
    follow_symlinks: bool = Field(
        default=False,
        description="Whether symlinks were hashed as what they point to (verify does the same).",
    )
    source_url: (
        Annotated[str, StringConstraints(pattern=r"^[a-zA-Z][a-zA-Z0-9+.-]*://\S+$")] | None
    ) = Field(
        default=None,
        description="The object-store URL the snapshot was read from (s3://, gs://, az://, hf://).",
    )
    snapshot_digest: Sha256Hex = Field(
        default="",
        description="SHA-256 over the sorted sha256sum lines of all files; computed when "
        "omitted, checked when given.",
        validate_default=False,
    )

    @model_validator(mode="after")
    def _check(self) -> DatasetManifest:
        names = [d.name for d in self.datasets]
        dupes = sorted({n for n in names if names.count(n) > 1})
        if dupes:
            raise ValueError(f"dataset names must be unique; repeated: {', '.join(dupes)}")
        if (self.shard_size is not None) != (self.hash_algorithm == "sha256-sharded"):
            raise ValueError(
                "shard_size is required with hash_algorithm 'sha256-sharded' and not allowed "
                "with any other"
            )
        files, digest = checked_files(self.files, self.snapshot_digest)
        object.__setattr__(self, "files", files)
        object.__setattr__(self, "snapshot_digest", digest)
        return self

    @property
    def total_size(self) -> int:
        """Sum of all file sizes in bytes."""
        sizes = getattr(self.files, "sizes", None)  # a columnar table: no entries built
        return sum(sizes) if sizes is not None else sum(f.size for f in self.files)

    def dataset(self, name: str) -> DatasetEntry:
        """The dataset called ``name``; ``KeyError`` names the known ones if absent."""
        for entry in self.datasets:
            if entry.name == name:
                return entry
        known = ", ".join(d.name for d in self.datasets)
        raise KeyError(f"no dataset named {name!r} (known: {known})")

    def files_of(self, name: str) -> tuple[FileEntry, ...]:
        """The files that belong to dataset ``name`` (by its :attr:`DatasetEntry.paths`)."""
        entry = self.dataset(name)
        return tuple(f for f in self.files if entry.owns(f.path))

    def with_pii_summary(self, dataset_name: str, summary: PiiScanSummary) -> DatasetManifest:
        """A copy with ``summary`` in the ``pii_summary`` slot of ``dataset_name``."""
        return self.with_dataset(
            self.dataset(dataset_name).model_copy(update={"pii_summary": summary})
        )

    def with_dataset(self, entry: DatasetEntry) -> DatasetManifest:
        """A copy with the dataset of the same name replaced by ``entry`` (or appended)."""
        names = [d.name for d in self.datasets]
        datasets = list(self.datasets)
        if entry.name in names:
            datasets[names.index(entry.name)] = entry
        else:
            datasets.append(entry)
        return self.model_copy(update={"datasets": tuple(datasets)})

    def to_dict(self, *, include_files: bool = True) -> dict[str, Any]:
        """Plain JSON-ready data (what :meth:`save` writes), defaults left out."""
        data: dict[str, Any] = self.model_dump(
            mode="json", exclude_defaults=True, exclude={"files"}
        )
        data = {"format": self.format, "hash_algorithm": self.hash_algorithm, **data}
        data["snapshot_digest"] = self.snapshot_digest
        if include_files:
            data["files"] = [
                {k: v for k, v in f.__dict__.items() if v is not None} for f in self.files
            ]
        return data

    def save(
        self, path: str | os.PathLike[str], *, layout: Literal["rows", "columns"] = "rows"
    ) -> None:
        """Write atomically as YAML (``.yaml``/``.yml``) or JSON (anything else).

        Args:
            path: where to write.
            layout: how JSON lists the files: ``"rows"`` (one object per file, one per line)
                or ``"columns"`` (parallel arrays, a third smaller; JSON only). Both give the
                same snapshot digest and load the same.

        Raises:
            FileAccessError: the folder does not exist or is not writable.
            ConfigError: an unknown ``layout``, or ``"columns"`` for a YAML file.
        """
        save_manifest(self, path, layout=layout)

    def __str__(self) -> str:
        names = ", ".join(f"{d.name} {d.version}" for d in self.datasets)
        return (
            f"DatasetManifest: {len(self.files)} files, {self.total_size} bytes, "
            f"snapshot sha256:{self.snapshot_digest} ({names})"
        )

    def _repr_html_(self) -> str:
        from openmodel_gov._core._render import html_table

        rows = [
            [d.name, d.version, d.source_kind, d.license, len(self.files_of(d.name))]
            for d in self.datasets
        ]
        return html_table(
            ["dataset", "version", "source kind", "license", "files"],
            rows,
            caption=f"snapshot sha256:{self.snapshot_digest}",
        )
