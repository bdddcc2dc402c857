"""Manifests of object stores through fsspec: ``s3://``, ``gs://``, ``az://``, ``hf://``.

Needs the ``[remote]`` extra (fsspec, s3fs; gcsfs, adlfs or huggingface_hub as the user
installs them). ``file://`` URLs are local folders and take the local path.

* **Listing**: one recursive ``find`` with details; object names become manifest paths
  relative to the URL and are checked like local names (``..``, control characters, ...).
  "Folder marker" objects (names ending in ``/``) are skipped.
* **Hashing**: objects are streamed in :data:`CHUNK` pieces by a pool of threads (network
  I/O releases the GIL), so memory stays below ``workers x CHUNK`` whatever the object sizes.
  A versioned object is read at the version that was listed, so a concurrent overwrite
  cannot mix two versions into one digest.
* **A store's own checksum** replaces reading the object only when it is a SHA-256 of the
  whole object: S3 ``ChecksumSHA256`` with ``ChecksumType`` ``FULL_OBJECT`` (a multipart
  checksum ``...-N`` is a checksum of part checksums and is not used), or the ``sha256`` of a
  Hugging Face LFS pointer. ETags and MD5/CRC values are never used as digests.
* **Recorded**: the manifest's ``source_url``, and per file ``version_id`` and ``etag``
  where the store gives them.
"""

from __future__ import annotations

import base64
import binascii
import fnmatch
import hashlib
import os
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Literal, NamedTuple

from openmodel_gov._core._deps import require
from openmodel_gov.errors import ConfigError, FileAccessError, UnsafePathError
from openmodel_gov.manifests._model import DatasetEntry, DatasetManifest, FileEntry
from openmodel_gov.manifests._paths import path_problem
from openmodel_gov.manifests._progress import Progress
from openmodel_gov.manifests._reports import FileFinding, VerificationReport

__all__ = ["CHUNK", "RemoteObject", "build_remote", "is_url", "local_path", "verify_remote"]

#: Bytes read per request while streaming an object (memory: workers x CHUNK at most).
CHUNK = 4 << 20
#: Default threads for object stores (latency-bound, not CPU-bound).
REMOTE_WORKERS = 16


def is_url(root: object) -> bool:
    """Whether ``root`` is a URL with a scheme (``s3://bucket/x``, ``file:///data``).

    >>> is_url("s3://bucket/data"), is_url("/data"), is_url("C:/data")
    (True, False, False)
    """
    return isinstance(root, str) and "://" in root and root.split("://", 1)[0].isidentifier()


def local_path(url: str) -> str | None:
    """The local path of a ``file://`` URL, ``None`` for other schemes.

    >>> local_path("file:///srv/data"), local_path("s3://b/k")
    ('/srv/data', None)
    """
    if url.startswith("file://"):
        return url[len("file://") :] or "/"
    return None


class RemoteObject(NamedTuple):
    """One listed object: its manifest path, full store path, size and store metadata."""

    rel: str
    path: str
    size: int
    version_id: str | None
    etag: str | None
    sha256: str | None  # a full-object SHA-256 the store vouches for, hex


def _fs(url: str, storage_options: Mapping[str, Any] | None) -> tuple[Any, str]:
    fsspec = require("fsspec", extra="remote", feature="build_manifest(<URL>)")
    try:
        fs, path = fsspec.core.url_to_fs(url, **dict(storage_options or {}))
    except (ImportError, ValueError) as exc:
        scheme = url.split("://", 1)[0]
        raise ConfigError(
            f"cannot open {scheme}:// URLs: {exc}",
            field="root",
            hint="pip install 'openmodel-gov[remote]' (s3://); gcsfs, adlfs or "
            "huggingface_hub for gs://, az://, hf://",
        ) from None
    return fs, str(path).rstrip("/")


def _full_object_sha256(info: Mapping[str, Any]) -> str | None:
    """The object's SHA-256 as hex, when the store gives one for the whole object."""
    lfs = info.get("lfs")
    if isinstance(lfs, Mapping) and isinstance(lfs.get("sha256"), str):
        value = lfs["sha256"].lower()
        return value if len(value) == 64 else None
    checksum = info.get("ChecksumSHA256")
    if not isinstance(checksum, str) or "-" in checksum:
        return None  # absent, or a multipart (composite) checksum
    if info.get("ChecksumType", "FULL_OBJECT") != "FULL_OBJECT":
        return None
    try:
        raw = base64.b64decode(checksum, validate=True)
    except (binascii.Error, ValueError):
        return None
    return raw.hex() if len(raw) == 32 else None


def _etag(info: Mapping[str, Any]) -> str | None:
    value = info.get("ETag") or info.get("etag")
    return str(value).strip('"') or None if value else None


def _version(info: Mapping[str, Any]) -> str | None:
    value = info.get("VersionId") or info.get("version_id")
    return str(value) if value and value != "null" else None


def list_objects(
    fs: Any, base: str, excluded: Sequence[str]
) -> tuple[list[RemoteObject], list[tuple[str, str]]]:
    """Every object under ``base``: the safe ones, and ``(name, problem)`` for the others."""
    fs.invalidate_cache()  # fsspec caches listings per instance; we want what is there now
    found = fs.find(base, detail=True, withdirs=False)
    prefix = base + "/"
    objects: list[RemoteObject] = []
    unsafe: list[tuple[str, str]] = []
    for path, info in sorted(found.items()):
        if info.get("type") == "directory" or path.endswith("/") or not path.startswith(prefix):
            continue
        rel = path[len(prefix) :]
        if any(fnmatch.fnmatchcase(rel, pat) for pat in excluded):
            continue
        problem = path_problem(rel)
        if problem is not None:
            unsafe.append((rel, problem))
            continue
        objects.append(
            RemoteObject(
                rel,
                path,
                int(info.get("size") or 0),
                _version(info),
                _etag(info),
                _full_object_sha256(info),
            )
        )
    return objects, unsafe


#: Objects from this size on are asked for a stored full-object SHA-256 first (one HEAD):
#: below it, reading the object costs about as much as asking.
HEAD_MIN = 2 * CHUNK


def _stored_sha256(fs: Any, obj: RemoteObject) -> str | None:
    """S3 only: the object's ``ChecksumSHA256`` when it covers the whole object."""
    call = getattr(fs, "call_s3", None)
    if call is None or obj.size < HEAD_MIN:
        return None
    bucket, key, _ = fs.split_path(obj.path)
    kwargs: dict[str, Any] = {"Bucket": bucket, "Key": key, "ChecksumMode": "ENABLED"}
    if obj.version_id is not None:
        kwargs["VersionId"] = obj.version_id
    try:
        head = call("head_object", **kwargs)
    except (OSError, ValueError):
        return None
    if head.get("ContentLength") != obj.size:
        return None
    return _full_object_sha256(head)


def _hash_object(fs: Any, obj: RemoteObject, progress: Progress) -> tuple[str, int]:
    """SHA-256 and size of one object, streamed (at the listed version, if any)."""
    stored = obj.sha256 if obj.sha256 is not None else _stored_sha256(fs, obj)
    if stored is not None:
        progress.add(obj.size, files=1)
        return stored, obj.size
    sha = hashlib.sha256()
    total = 0
    kwargs: dict[str, Any] = {"block_size": CHUNK, "cache_type": "none"}
    if obj.version_id is not None:
        kwargs["version_id"] = obj.version_id
    with fs.open(obj.path, "rb", **kwargs) as fh:
        while chunk := fh.read(CHUNK):
            sha.update(chunk)
            total += len(chunk)
            progress.add(len(chunk))
    progress.add(0, files=1)
    return sha.hexdigest(), total


def _hash_all(
    fs: Any, objects: Sequence[RemoteObject], workers: int, progress: Progress
) -> tuple[dict[str, tuple[str, int]], dict[str, Exception]]:
    digests: dict[str, tuple[str, int]] = {}
    failures: dict[str, Exception] = {}

    def one(obj: RemoteObject) -> None:
        try:
            digests[obj.rel] = _hash_object(fs, obj, progress)
        except (OSError, ValueError) as exc:  # fsspec maps store errors to OSError subclasses
            failures[obj.rel] = exc

    try:
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="omg-remote") as pool:
            list(pool.map(one, objects))
    finally:
        progress.close()
    return digests, failures


def _workers(workers: int | None) -> int:
    if workers is None:
        return REMOTE_WORKERS
    if isinstance(workers, bool) or workers < 1:
        raise ConfigError(f"workers must be a positive integer, got {workers!r}", field="workers")
    return workers


def build_remote(
    url: str,
    *,
    datasets: Sequence[DatasetEntry],
    exclude: Sequence[str],
    workers: int | None,
    progress: Progress,
    blake3: bool,
    storage_options: Mapping[str, Any] | None,
) -> DatasetManifest:
    """A manifest of the objects under ``url`` (see :func:`~openmodel_gov.manifests.build_manifest`)."""
    if blake3:
        raise ConfigError("blake3=True is not supported for object stores", field="blake3")
    threads = _workers(workers)
    fs, base = _fs(url, storage_options)
    objects, unsafe = list_objects(fs, base, exclude)
    if unsafe:
        rel, problem = unsafe[0]
        raise UnsafePathError(f"{problem}: {rel!r}", source=url, field=rel, hint="exclude it")
    progress.total = sum(o.size for o in objects)
    progress.files_total = len(objects)
    digests, failures = _hash_all(fs, objects, threads, progress)
    if failures:
        rel, exc = sorted(failures.items())[0]
        raise FileAccessError(f"cannot read {rel!r}: {exc}", source=url)
    files = [
        FileEntry(
            path=o.rel,
            size=digests[o.rel][1],
            sha256=digests[o.rel][0],
            version_id=o.version_id,
            etag=o.etag,
        )
        for o in objects
    ]
    return DatasetManifest(
        datasets=tuple(datasets),
        files=tuple(files),
        excluded=tuple(exclude),
        source_url=url.rstrip("/"),
    )


def _expected_finding(
    rel: str, entry: FileEntry, got: tuple[str, int] | None, failures: Mapping[str, Exception]
) -> FileFinding | None:
    """What is wrong with one file of the manifest in the store (``None``: nothing)."""
    if got is None:
        reason = "not in the store" if rel not in failures else f"cannot be read: {failures[rel]}"
        kind: Literal["missing", "changed"] = "missing" if rel not in failures else "changed"
        return FileFinding(
            path=rel,
            kind=kind,
            reason=reason,
            expected_sha256=entry.sha256,
            expected_size=entry.size,
        )
    if got != (entry.sha256, entry.size):
        return FileFinding(
            path=rel,
            kind="changed",
            reason="content differs" if got[1] == entry.size else "size differs",
            expected_sha256=entry.sha256,
            expected_size=entry.size,
            found_sha256=got[0],
            found_size=got[1],
        )
    return None


def _added_findings(
    extra: list[str],
    digests: Mapping[str, tuple[str, int]],
    extra_unsafe: list[tuple[str, str]],
) -> list[FileFinding]:
    """The objects in the store that the manifest does not list, unsafe names last."""
    findings: list[FileFinding] = []
    for rel in extra:
        got = digests.get(rel)
        findings.append(
            FileFinding(
                path=rel,
                kind="added",
                reason="not in the manifest",
                found_sha256=got[0] if got else None,
                found_size=got[1] if got else None,
            )
        )
    findings.extend(
        FileFinding(path=rel, kind="added", reason=f"not in the manifest; {problem}")
        for rel, problem in extra_unsafe
    )
    return findings


def verify_remote(
    manifest: DatasetManifest,
    url: str,
    *,
    workers: int | None,
    progress: Progress,
    storage_options: Mapping[str, Any] | None,
) -> VerificationReport:
    """Compare the objects under ``url`` with ``manifest`` (current versions are read)."""
    fs, base = _fs(url, storage_options)
    objects, unsafe = list_objects(fs, base, manifest.excluded)
    current = [o._replace(version_id=None) if o.sha256 is None else o for o in objects]
    progress.total = sum(o.size for o in current)
    progress.files_total = len(current)
    digests, failures = _hash_all(fs, current, _workers(workers), progress)
    expected = {f.path: f for f in manifest.files}
    findings = [
        finding
        for rel, entry in expected.items()
        if (finding := _expected_finding(rel, entry, digests.get(rel), failures)) is not None
    ]
    extra = sorted((digests.keys() | failures.keys()) - expected.keys())
    extra_unsafe = [(rel, problem) for rel, problem in unsafe if rel not in expected]
    findings += _added_findings(extra, digests, extra_unsafe)
    findings.sort(key=lambda f: f.path.encode("utf-8", "surrogateescape"))
    found_snapshot = manifest.snapshot_digest if not findings else None
    if findings and not failures and not extra_unsafe:
        from openmodel_gov.manifests._model import snapshot_digest_from_pairs

        found_snapshot = snapshot_digest_from_pairs((rel, d[0]) for rel, d in digests.items())
    return VerificationReport(
        root=url,
        expected_snapshot_digest=manifest.snapshot_digest,
        found_snapshot_digest=found_snapshot,
        files_checked=len(expected),
        files_hashed=len(digests),
        findings=tuple(findings),
    )


def root_for_local(root: str | os.PathLike[str]) -> str | os.PathLike[str]:
    """``root`` with a ``file://`` URL turned into its local path (anything else unchanged)."""
    if isinstance(root, str):
        path = local_path(root)
        if path is not None:
            return path
    return root
