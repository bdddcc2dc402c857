"""Dataset manifests: what a model was trained on, and proof that a snapshot has not changed.

A :class:`DatasetManifest` lists every dataset (name, version, source, license, purpose, data
categories, jurisdictions, ...) and every file of the snapshot with its size and SHA-256 -- the
digest ``sha256sum``, the Hugging Face Hub LFS pointers, Croissant and OpenSSF model signing
use. Its :attr:`~DatasetManifest.snapshot_digest` is the SHA-256 of the sorted ``sha256sum``
lines, so anyone can reproduce it with coreutils (see ``docs/manifests.md``).

>>> import pathlib, tempfile
>>> tmp = tempfile.TemporaryDirectory()
>>> root = pathlib.Path(tmp.name)
>>> _ = (root / "train.txt").write_text("hello\\n")
>>> wiki = DatasetEntry(name="wiki", version="2024-05", source_kind="public-dataset",
...                     license="CC-BY-SA-4.0")
>>> manifest = build_manifest(root, datasets=[wiki])
>>> [(f.path, f.size, f.sha256[:12]) for f in manifest.files]
[('train.txt', 6, '5891b5b522d5')]
>>> verify_manifest(manifest, root).ok
True
>>> _ = (root / "train.txt").write_text("hello!\\n")
>>> verify_manifest(manifest, root).changed
['train.txt']
>>> tmp.cleanup()
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from typing import Any, Literal

from openmodel_gov._core._io import decode_utf8
from openmodel_gov.errors import InputError
from openmodel_gov.manifests import _build as _build
from openmodel_gov.manifests import _io as _mio
from openmodel_gov.manifests._build import Clock, ProgressOption
from openmodel_gov.manifests._gc import paused_gc
from openmodel_gov.manifests._hashing import FileDigests, HashEngine, Sha256Engine
from openmodel_gov.manifests._io import MANIFEST_MAX_BYTES
from openmodel_gov.manifests._model import (
    MANIFEST_FORMAT,
    ChangeLogEntry,
    CollectionPeriod,
    DatasetEntry,
    DatasetManifest,
    DatasetSize,
    DatasetSource,
    FileEntry,
    Modality,
)
from openmodel_gov.manifests._progress import ProgressCallback
from openmodel_gov.manifests._reports import (
    DatasetChange,
    FileChange,
    FileFinding,
    ManifestDiff,
    VerificationReport,
    diff,
)
from openmodel_gov.manifests._shards import (
    DigestName,
    ShardDigest,
    blake3_digest,
    sharded_sha256,
)
from openmodel_gov.manifests._warnings import NameCollisionWarning, StatCacheWarning

__all__ = [
    "MANIFEST_FORMAT",
    "MANIFEST_MAX_BYTES",
    "ChangeLogEntry",
    "Clock",
    "CollectionPeriod",
    "DatasetChange",
    "DatasetEntry",
    "DatasetManifest",
    "DatasetSize",
    "DatasetSource",
    "DigestName",
    "FileChange",
    "FileDigests",
    "FileEntry",
    "FileFinding",
    "HashEngine",
    "ManifestDiff",
    "Modality",
    "NameCollisionWarning",
    "ProgressCallback",
    "ProgressOption",
    "Sha256Engine",
    "ShardDigest",
    "StatCacheWarning",
    "VerificationReport",
    "blake3_digest",
    "build_manifest",
    "diff_manifests",
    "load_manifest",
    "manifest_json_schema",
    "parse_manifest",
    "sharded_sha256",
    "verify_manifest",
]


def build_manifest(
    root: str | os.PathLike[str],
    *,
    datasets: Sequence[DatasetEntry],
    cache: str | os.PathLike[str] | None = None,
    workers: int | None = None,
    progress: ProgressOption = "auto",
    follow_symlinks: bool = False,
    exclude: Sequence[str] = (),
    blake3: bool = False,
    engine: HashEngine | None = None,
    processes: int | None = None,
    clock: Clock | None = None,
    storage_options: Mapping[str, Any] | None = None,
    digest: DigestName = "sha256",
    shard_size: int | None = None,
) -> DatasetManifest:
    """Hash every file under ``root`` and describe it with ``datasets``.

    Files are found with one ``lstat`` per name relative to each open folder and hashed
    with SHA-256: small files in batches in worker processes (when there are many), large
    files in a thread pool; memory stays constant whatever the file sizes. Every file is
    opened relative to folder descriptors without following symlinks, so a folder swapped
    for a link while the run is under way is never followed.

    ``root`` may also be an object-store URL -- ``s3://bucket/prefix``, ``gs://``, ``az://``,
    ``hf://datasets/org/name`` (needs the ``[remote]`` extra; see ``docs/manifests.md``):
    objects are streamed and hashed in threads with bounded memory, and the manifest records
    the URL and each object's version and ETag. ``file://`` URLs are local folders.

    Args:
        root: the snapshot folder (or URL); manifest paths are relative to it.
        datasets: one or more :class:`DatasetEntry` describing what the snapshot holds.
        cache: path of a stat-cache file; files whose (device, inode, size, mtime, ctime)
            are unchanged since the last run are not rehashed. ``None``: hash everything.
            A cache file inside ``root`` is excluded from the snapshot automatically.
        workers: hashing threads (default: CPUs + 1, so small-file I/O overlaps; at most
            one large file per CPU is hashed at a time).
        progress: ``"auto"`` (a bar on a terminal for runs over a second), ``True``/``False``,
            or a callable ``(done_bytes, total_bytes)``.
        follow_symlinks: hash what symlinks point to (even outside ``root``) instead of
            refusing them; recorded in the manifest so verify does the same.
        exclude: glob patterns matched against relative POSIX paths (``fnmatch``; a matching
            folder is skipped whole); recorded in the manifest so verify skips them too.
        blake3: also record a BLAKE3 digest per file (needs the ``blake3`` package).
        engine: the :class:`HashEngine` to use (default :class:`Sha256Engine`).
        processes: worker processes for small files (default ``None``: automatic, one per
            CPU from 2,000 small files on; ``0``: none). Only the default engine uses them.
        clock: nanoseconds since the epoch (default :func:`time.time_ns`); files changed
            less than two seconds before it are not cached (the "racy" window).
        storage_options: passed to fsspec for URLs (credentials, ``endpoint_url``, ...).
        digest: the per-file digest recorded as ``hash_algorithm``: ``"sha256"`` (default,
            one SHA-256 per file, as ``sha256sum``), ``"sha256-sharded"`` (SHA-256 of each
            ``shard_size`` piece in parallel threads -- model-signing's shard layout --
            combined into one digest per file) or ``"blake3"`` (multi-threaded; needs the
            ``blake3`` package). The opt-in digests hash huge files on every core; they
            work on local folders without ``cache``, ``engine`` or ``blake3``.
        shard_size: bytes per shard for ``"sha256-sharded"`` (default 1,000,000,000, as
            model-signing).

    Returns:
        The manifest, with files sorted by path and the snapshot digest set.

    Warns:
        NameCollisionWarning: names differ only by case or Unicode normalisation.
        StatCacheWarning: the cache was damaged; it is ignored and rebuilt.

    Raises:
        FileAccessError: ``root`` is not a folder, or a file cannot be read.
        UnsafePathError: a symlink (without ``follow_symlinks``), fifo/device, or a name that
            is not a portable path (backslash, control character, not UTF-8).
        InputError: a dataset's ``paths`` match no file; a ``cache`` that is not a cache.
        ConfigError: bad ``workers``, ``progress`` or ``datasets``; an unknown ``digest``,
            or one combined with an option it does not work with.

    >>> import pathlib, tempfile
    >>> tmp = tempfile.TemporaryDirectory()
    >>> root = pathlib.Path(tmp.name)
    >>> _ = (root / "a.txt").write_bytes(b"abc")
    >>> m = build_manifest(root, datasets=[DatasetEntry(name="d", version="1",
    ...                    source_kind="synthetic", synthetic=True, license="MIT")])
    >>> m.files[0].sha256[:16], len(m.snapshot_digest)
    ('ba7816bf8f01cfea', 64)
    >>> tmp.cleanup()
    """
    with paused_gc():
        return _build.build(
            root,
            datasets=datasets,
            cache=cache,
            workers=workers,
            progress=progress,
            follow_symlinks=follow_symlinks,
            exclude=exclude,
            blake3=blake3,
            engine=engine,
            processes=processes,
            clock=clock,
            storage_options=storage_options,
            digest=digest,
            shard_size=shard_size,
        )


def verify_manifest(
    manifest: DatasetManifest,
    root: str | os.PathLike[str],
    *,
    cache: str | os.PathLike[str] | None = None,
    workers: int | None = None,
    progress: ProgressOption = "auto",
    follow_symlinks: bool | None = None,
    engine: HashEngine | None = None,
    processes: int | None = None,
    clock: Clock | None = None,
    storage_options: Mapping[str, Any] | None = None,
) -> VerificationReport:
    """Check the files under ``root`` against ``manifest``.

    A missing, changed, added or symlinked file is a finding in the report, never an
    exception. Without ``cache`` every file is rehashed.

    Args:
        manifest: what the snapshot should hold.
        root: the snapshot folder.
        cache: stat-cache file (see :func:`build_manifest`); only files whose stat key is
            unchanged since they were hashed are taken from it.
        workers: hashing threads.
        progress: as for :func:`build_manifest`.
        follow_symlinks: treat symlinks as the files they point to instead of as findings
            (default ``None``: as recorded in the manifest by :func:`build_manifest`).
        engine: the :class:`HashEngine` to use.
        processes: worker processes for small files (see :func:`build_manifest`).
        clock: as for :func:`build_manifest`.
        storage_options: as for :func:`build_manifest` (``root`` may be a URL there too).

    Returns:
        A :class:`VerificationReport` (``ok``, ``changed``, ``missing``, ``added``, findings
        with expected and found digests).

    Raises:
        FileAccessError: ``root`` is not a folder.
        ConfigError: ``manifest`` is not a :class:`DatasetManifest`; its ``hash_algorithm``
            is not the default and ``cache`` is given or ``root`` is a URL; an ``engine``
            computes another digest than the manifest records.
        UnsafePathError: the manifest lists names that differ only by case or normalisation
            and this filesystem merges them into one file.

    >>> import pathlib, tempfile
    >>> tmp = tempfile.TemporaryDirectory()
    >>> root = pathlib.Path(tmp.name)
    >>> _ = (root / "a.txt").write_bytes(b"abc")
    >>> m = build_manifest(root, datasets=[DatasetEntry(name="d", version="1",
    ...                    source_kind="other", license="MIT")])
    >>> (root / "a.txt").unlink()
    >>> print(verify_manifest(m, root).finding("a.txt"))
    missing a.txt: not on disk (expected ba7816bf8f01…, found -)
    >>> tmp.cleanup()
    """
    with paused_gc():
        return _build.verify(
            manifest,
            root,
            cache=cache,
            workers=workers,
            progress=progress,
            follow_symlinks=follow_symlinks,
            engine=engine,
            processes=processes,
            clock=clock,
            storage_options=storage_options,
        )


def diff_manifests(old: DatasetManifest, new: DatasetManifest) -> ManifestDiff:
    """What changed between two versions of a manifest: files and dataset metadata.

    >>> h = "0" * 64
    >>> d = DatasetEntry(name="d", version="1", source_kind="other", license="MIT")
    >>> old = DatasetManifest(datasets=[d], files=[FileEntry(path="a", size=1, sha256=h)])
    >>> new = DatasetManifest(datasets=[d.model_copy(update={"version": "2"})],
    ...                       files=[FileEntry(path="b", size=1, sha256=h)])
    >>> diff_manifests(old, new).summary()
    '1 file(s) added; 1 file(s) removed; d 1 -> 2'
    >>> diff_manifests(old, new).to_changelog_entry(version="2").summary
    '1 file(s) added; 1 file(s) removed; d 1 -> 2'
    """
    for name, value in (("old", old), ("new", new)):
        if not isinstance(value, DatasetManifest):
            raise InputError(f"expected a DatasetManifest, got {type(value).__name__}", field=name)
    with paused_gc():
        return diff(old, new)


def load_manifest(
    path: str | os.PathLike[str], *, max_bytes: int = _mio.MANIFEST_MAX_BYTES
) -> DatasetManifest:
    """Load a manifest from YAML (``.yaml``/``.yml``) or JSON.

    Paths with ``..``, absolute paths, NUL bytes, and duplicate paths are refused, as are
    duplicate keys, unknown fields and a snapshot digest that does not match the files.

    Args:
        path: the manifest file.
        max_bytes: refuse larger files (default 256 MiB).

    Raises:
        FileAccessError: missing or unreadable file.
        ParseError: not valid UTF-8 / YAML / JSON, duplicate keys, over ``max_bytes``.
        UnsafePathError: an unsafe or duplicate file path (names the line).
        SchemaValidationError: wrong fields; lists every issue with its line.

    >>> import pathlib, tempfile
    >>> tmp = tempfile.TemporaryDirectory()
    >>> p = pathlib.Path(tmp.name) / "manifest.yaml"
    >>> _ = p.write_text("datasets: [{name: d, version: '1', source_kind: other, license: MIT}]\\n"
    ...                  "files: [{path: ../x, size: 1, sha256: '" + "0" * 64 + "'}]\\n")
    >>> load_manifest(p)
    Traceback (most recent call last):
    ...
    openmodel_gov.errors.UnsafePathError: ...manifest.yaml:2: $.files[0].path: path leaves the root ...
    >>> tmp.cleanup()
    """
    if not isinstance(path, (str, os.PathLike)):
        raise InputError(f"expected a manifest path, got {type(path).__name__}", field="path")
    with paused_gc():
        return _mio.load(path, max_bytes=max_bytes)


def parse_manifest(
    data: bytes | str,
    *,
    source: str | os.PathLike[str] | None = None,
    format: Literal["json", "yaml"] | None = None,  # noqa: A002 - the natural name here
) -> DatasetManifest:
    """Parse manifest bytes or text already in memory, with the checks of :func:`load_manifest`.

    For callers that must hash and parse the *same* bytes (signing): read once, then parse.

    Args:
        data: the manifest file's bytes (UTF-8) or text.
        source: the file name used in error messages (and to pick the format).
        format: ``"json"`` or ``"yaml"``; default: from ``source``'s suffix, else sniffed.

    Raises:
        ParseError: not valid UTF-8 / YAML / JSON, duplicate keys.
        UnsafePathError: an unsafe or duplicate file path (names the line).
        SchemaValidationError: wrong fields; lists every issue with its line.

    >>> h = "0" * 64
    >>> m = parse_manifest(b'{"datasets": [{"name": "d", "version": "1", "source_kind": "other",'
    ...                    b' "license": "MIT"}], "files": [{"path": "a", "size": 1, "sha256": "'
    ...                    + h.encode() + b'"}]}')
    >>> m.files[0].path, m.snapshot_digest[:12]
    ('a', '53d743f33b89')
    """
    name = os.fspath(source) if source is not None else None
    text = decode_utf8(data, source=name) if isinstance(data, bytes) else data
    fmt = format if format is not None else _mio.format_of(name or "", text)
    with paused_gc():
        return _mio.parse(text, source=name, fmt=fmt)


def manifest_json_schema() -> dict[str, Any]:
    """The published JSON schema (draft 2020-12) of a manifest file.

    >>> manifest_json_schema()["$id"]
    'https://openmodel-gov.dev/schemas/dataset-manifest/v1.json'
    """
    return _mio.published_schema()


from openmodel_gov._core._public import publish as _publish  # noqa: E402

_publish(__name__, globals(), __all__)
