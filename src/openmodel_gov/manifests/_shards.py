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

They are building blocks: the manifest format records neither yet (see ``docs/manifests.md``).
"""

from __future__ import annotations

import hashlib
import os
from concurrent.futures import ThreadPoolExecutor
from typing import NamedTuple

from openmodel_gov._core._deps import require
from openmodel_gov.errors import ConfigError, FileAccessError
from openmodel_gov.manifests._scan import cpu_count

__all__ = ["MODEL_SIGNING_SHARD_SIZE", "ShardDigest", "blake3_digest", "sharded_sha256"]

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
    return ShardDigest(start, end, sha.hexdigest())


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
