"""Intra-file parallel digests for huge single files, where the user opts into another digest.

A manifest's per-file digest stays one SHA-256 of the whole file (reproducible with
``sha256sum``), which is inherently sequential: one core per file. For a single file of many
gigabytes two opt-in digests use every core:

* :func:`sharded_sha256` -- SHA-256 of each ``shard_size`` piece, hashed in parallel threads,
  with the shard layout of the OpenSSF model-signing ``shard`` serialization (``[0, s)``,
  ``[s, 2s)``, ..., the last shard ending at the file size; default 1,000,000,000 bytes), so
  the digests compare one to one with a model-signing manifest's ``path:start:end`` items;
* :func:`blake3_digest` -- BLAKE3 of the whole file, multi-threaded by the ``blake3`` package
  (the ``[sign]`` extra), as ``b3sum`` prints it.

A manifest records either as its ``hash_algorithm`` (``build_manifest(digest=...)``): the
engines below give the per-file digest -- for ``sha256-sharded`` the SHA-256 of the
concatenated 32-byte shard digests in file order (a hash list over exactly model-signing's
shards; an empty file has no shard there, so its digest is the SHA-256 of nothing), for ``blake3`` the file's BLAKE3 -- and :func:`digest_engine` picks one by name.
"""

from __future__ import annotations

import hashlib
import os
from concurrent.futures import ThreadPoolExecutor
from typing import Literal, NamedTuple

from openmodel_gov._core._deps import require
from openmodel_gov.errors import ConfigError, FileAccessError
from openmodel_gov.manifests._hashing import FileDigests, HashEngine, Sha256Engine
from openmodel_gov.manifests._model import DatasetManifest
from openmodel_gov.manifests._scan import cpu_count

__all__ = [
    "DIGESTS",
    "MODEL_SIGNING_SHARD_SIZE",
    "Blake3Engine",
    "DigestName",
    "ShardDigest",
    "ShardedSha256Engine",
    "blake3_digest",
    "build_engine",
    "digest_engine",
    "sharded_sha256",
    "verify_engine",
]

#: The per-file digests a manifest can record (``hash_algorithm``); ``sha256`` is the default.
DigestName = Literal["sha256", "sha256-sharded", "blake3"]
DIGESTS: tuple[DigestName, ...] = ("sha256", "sha256-sharded", "blake3")

#: model-signing's default shard size (``ShardedFileHasher(shard_size=1_000_000_000)``).
MODEL_SIGNING_SHARD_SIZE = 1_000_000_000
_READ = 4 << 20
_FLAGS = os.O_RDONLY | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOFOLLOW", 0)


class ShardDigest(NamedTuple):
    """The SHA-256 of bytes ``[start, end)`` of a file."""

    start: int
    end: int
    sha256: str

    def item_name(self, path: str) -> str:
        """The model-signing manifest item name, ``path:start:end``.

        >>> ShardDigest(0, 10, "0" * 64).item_name("model.bin")
        'model.bin:0:10'
        """
        return f"{path}:{self.start}:{self.end}"


def _open(path: str | os.PathLike[str]) -> tuple[int, int]:
    try:
        fd = os.open(path, _FLAGS)
    except OSError as exc:
        raise FileAccessError(exc.strerror or str(exc), source=os.fspath(path)) from None
    return fd, os.fstat(fd).st_size


def _shard(fd: int, start: int, end: int) -> ShardDigest:
    sha = hashlib.sha256()
    offset = start
    while offset < end:
        data = os.pread(fd, min(_READ, end - offset), offset)
        if not data:
            break
        sha.update(data)
        offset += len(data)
    return ShardDigest(start, offset, sha.hexdigest())  # offset < end: the file shrank


def sharded_sha256(
    path: str | os.PathLike[str],
    *,
    shard_size: int = MODEL_SIGNING_SHARD_SIZE,
    threads: int | None = None,
) -> tuple[ShardDigest, ...]:
    """SHA-256 of every ``shard_size`` piece of ``path``, hashed in parallel threads.

    Args:
        path: the file (a symlink is refused).
        shard_size: bytes per shard (model-signing's default: 1,000,000,000).
        threads: hashing threads (default: the CPU count).

    Returns:
        The shards in file order; an empty file has one empty shard ``(0, 0)``.

    Raises:
        ConfigError: ``shard_size`` or ``threads`` is not positive.
        FileAccessError: the file cannot be opened.

    >>> import tempfile
    >>> with tempfile.NamedTemporaryFile() as fh:
    ...     _ = fh.write(b"abcde"); fh.flush()
    ...     [(s.start, s.end) for s in sharded_sha256(fh.name, shard_size=2)]
    [(0, 2), (2, 4), (4, 5)]
    """
    if isinstance(shard_size, bool) or shard_size < 1:
        raise ConfigError(f"shard_size must be positive, got {shard_size!r}", field="shard_size")
    if threads is not None and (isinstance(threads, bool) or threads < 1):
        raise ConfigError(f"threads must be positive, got {threads!r}", field="threads")
    fd, size = _open(path)
    try:
        bounds = [(start, min(start + shard_size, size)) for start in range(0, size, shard_size)]
        if not bounds:
            return (ShardDigest(0, 0, hashlib.sha256(b"").hexdigest()),)
        workers = min(len(bounds), threads or cpu_count())
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="omg-shard") as pool:
            return tuple(pool.map(lambda b: _shard(fd, *b), bounds))
    finally:
        os.close(fd)


def blake3_digest(path: str | os.PathLike[str], *, threads: int | None = None) -> str:
    """BLAKE3 of the whole file, multi-threaded (needs the ``blake3`` package, ``[sign]``).

    Args:
        path: the file.
        threads: threads for BLAKE3's tree hashing (default: all CPUs).

    Raises:
        MissingDependencyError: ``blake3`` is not installed.
        FileAccessError: the file cannot be read.
    """
    if threads is not None and (isinstance(threads, bool) or threads < 1):
        raise ConfigError(f"threads must be positive, got {threads!r}", field="threads")
    module = require("blake3", extra="sign", feature="blake3_digest")
    hasher = module.blake3(max_threads=threads if threads is not None else module.blake3.AUTO)
    fd, _ = _open(path)  # refuses symlinks; then hash through the same open file
    try:
        with os.fdopen(fd, "rb", closefd=False) as fh:
            while chunk := fh.read(_READ):
                hasher.update(chunk)
    finally:
        os.close(fd)
    digest: str = hasher.hexdigest()
    return digest


def _shard_bounds(size: int, shard_size: int) -> list[tuple[int, int]]:
    return [(start, min(start + shard_size, size)) for start in range(0, size, shard_size)]


def _combine(shards: list[ShardDigest]) -> str:
    """The hash list: SHA-256 over the shards' raw digests, in file order."""
    return hashlib.sha256(b"".join(bytes.fromhex(s.sha256) for s in shards)).hexdigest()


class ShardedSha256Engine:
    """Per file: SHA-256 of each ``shard_size`` piece (model-signing's layout), in parallel
    threads, combined into one digest (:func:`_combine`).

    >>> import tempfile
    >>> with tempfile.TemporaryFile() as fh:
    ...     _ = fh.write(b"abcde"); _ = fh.seek(0)
    ...     d = ShardedSha256Engine(shard_size=2).hash_fd(fh.fileno(), size_hint=5)
    >>> parts = [hashlib.sha256(p).digest() for p in (b"ab", b"cd", b"e")]
    >>> d.sha256 == hashlib.sha256(b"".join(parts)).hexdigest(), d.size
    (True, 5)
    """

    algorithm = "sha256-sharded"

    def __init__(self, *, shard_size: int = MODEL_SIGNING_SHARD_SIZE, threads: int | None = None):
        if isinstance(shard_size, bool) or shard_size < 1:
            raise ConfigError(
                f"shard_size must be positive, got {shard_size!r}", field="shard_size"
            )
        self.shard_size = shard_size
        self.threads = threads

    def hash_fd(self, fd: int, *, size_hint: int) -> FileDigests:
        """Digest ``fd`` from offset 0 to the size ``fstat`` gives (see :class:`HashEngine`)."""
        del size_hint
        size = os.fstat(fd).st_size
        bounds = _shard_bounds(size, self.shard_size)  # none for an empty file, as model-signing
        if len(bounds) <= 1:
            shards = [_shard(fd, *b) for b in bounds]
        else:
            workers = min(len(bounds), self.threads or cpu_count())
            with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="omg-shard") as pool:
                shards = list(pool.map(lambda b: _shard(fd, *b), bounds))
        # A shard cut short (the file shrank) shows in the size: the caller retries.
        return FileDigests(sha256=_combine(shards), size=sum(s.end - s.start for s in shards))


class Blake3Engine:
    """Per file: BLAKE3 of the whole file, multi-threaded by the ``blake3`` package."""

    algorithm = "blake3"

    def __init__(self, *, threads: int | None = None) -> None:
        self._module = require("blake3", extra="sign", feature="build_manifest(digest='blake3')")
        self.threads = threads

    def hash_fd(self, fd: int, *, size_hint: int) -> FileDigests:
        """Digest ``fd`` to EOF (see :class:`HashEngine`)."""
        module = self._module
        threads = 1 if size_hint < _READ else (self.threads or module.blake3.AUTO)
        hasher = module.blake3(max_threads=threads)
        total = 0
        while chunk := os.read(fd, _READ):
            hasher.update(chunk)
            total += len(chunk)
        digest: str = hasher.hexdigest()
        return FileDigests(sha256=digest, size=total)


def digest_engine(name: str, *, shard_size: int | None = None) -> HashEngine:
    """The engine of the per-file digest ``name`` (one of :data:`DIGESTS`).

    Raises:
        ConfigError: an unknown name, or ``shard_size`` with a digest other than
            ``sha256-sharded``.
    """
    if name not in DIGESTS:
        raise ConfigError(
            f"unknown digest {name!r}; expected one of {', '.join(DIGESTS)}", field="digest"
        )
    if shard_size is not None and name != "sha256-sharded":
        raise ConfigError("shard_size= goes with digest='sha256-sharded'", field="shard_size")
    if name == "sha256-sharded":
        size = MODEL_SIGNING_SHARD_SIZE if shard_size is None else shard_size
        return ShardedSha256Engine(shard_size=size)
    if name == "blake3":
        return Blake3Engine()
    return Sha256Engine()


def build_engine(
    digest: str,
    shard_size: int | None,
    *,
    engine: HashEngine | None,
    blake3: bool,
    cache: object,
    url: bool,
) -> HashEngine | None:
    """The engine of an opt-in per-file digest; ``None`` for the default SHA-256."""
    chosen = digest_engine(digest, shard_size=shard_size)
    if digest == "sha256":
        return None
    given = {"engine": engine, "cache": cache, "blake3": blake3 or None, "root": url or None}
    clash = next((name for name, value in given.items() if value is not None), None)
    if clash is not None:
        what = "an object-store URL" if clash == "root" else f"{clash}="
        raise ConfigError(
            f"digest={digest!r} cannot be combined with {what}: the stat cache, the blake3 "
            "extra digest, engines and object stores work with the default sha256",
            field="digest",
        )
    return chosen


def verify_engine(
    manifest: DatasetManifest, engine: HashEngine | None, *, cache: object
) -> HashEngine | None:
    """The engine of the manifest's recorded digest (an ``engine=`` must compute it too)."""
    algorithm = manifest.hash_algorithm
    if engine is not None and engine.algorithm != algorithm:
        raise ConfigError(
            f"the manifest's files are hashed with {algorithm!r}, the engine computes "
            f"{engine.algorithm!r}",
            field="hash_algorithm",
        )
    if algorithm == "sha256" or engine is not None:
        return engine
    if cache is not None:
        raise ConfigError(
            f"cache= works with sha256 manifests only; this one records {algorithm!r}",
            field="cache",
        )
    return digest_engine(algorithm, shard_size=manifest.shard_size)
