"""Manifests beyond one machine: hash a snapshot in Ray tasks, merge into the same manifest.

Needs the ``[ray]`` extra. The driver walks the snapshot (one ``lstat`` per file), partitions
the files by size into tasks of about equal bytes -- a file is never split -- and each task
hashes its files where it runs, with the same code as :func:`~openmodel_gov.manifests.
build_manifest` (folder descriptors, ``O_NOFOLLOW``, stat checks before and after). The driver
merges the digests; the manifest is byte-identical to the one a single machine builds, since
it holds the same paths, sizes and SHA-256 digests.

The snapshot root must be readable at the same path on every node that runs a task (a shared
or network filesystem, or a path replicated on each node). On a cluster::

    import ray
    from openmodel_gov.manifests import DatasetEntry
    from openmodel_gov.manifests.ray import build_manifest_ray, verify_manifest_ray

    ray.init(address="auto")                        # or "ray://head:10001"
    manifest = build_manifest_ray("/mnt/datasets/c4", datasets=[DatasetEntry(...)])
    manifest.save("c4.manifest.json")
    assert verify_manifest_ray(manifest, "/mnt/datasets/c4").ok

The calls are the same on a laptop with ``ray.init(num_cpus=2)``.
"""

from __future__ import annotations

import heapq
import os
from collections.abc import Mapping, Sequence
from typing import Any

from openmodel_gov._core._deps import require
from openmodel_gov.errors import ConfigError
from openmodel_gov.manifests import _build
from openmodel_gov.manifests._gc import paused_gc
from openmodel_gov.manifests._hashing import FileDigests, Sha256Engine
from openmodel_gov.manifests._hashrun import HashFailure, default_workers, hash_files
from openmodel_gov.manifests._model import DatasetEntry, DatasetManifest
from openmodel_gov.manifests._progress import Progress
from openmodel_gov.manifests._reports import VerificationReport
from openmodel_gov.manifests._scan import StatKey

__all__ = ["build_manifest_ray", "partition_by_size", "verify_manifest_ray"]

_Result = tuple[dict[str, tuple[FileDigests, StatKey]], list[HashFailure]]


def partition_by_size(jobs: Sequence[tuple[str, int]], parts: int) -> list[list[tuple[str, int]]]:
    """Split ``(path, size)`` jobs into at most ``parts`` groups of about equal total size.

    Largest files first, each to the group with the fewest bytes so far (greedy LPT); empty
    groups are dropped and each group keeps its files in path order.

    >>> partition_by_size([("a", 5), ("b", 3), ("c", 2), ("d", 1)], 2)
    [[('a', 5), ('d', 1)], [('b', 3), ('c', 2)]]
    """
    if parts < 1:
        raise ConfigError(f"parts must be at least 1, got {parts}", field="tasks")
    heap = [(0, i) for i in range(parts)]
    groups: list[list[tuple[str, int]]] = [[] for _ in range(parts)]
    for job in sorted(jobs, key=lambda j: (-j[1], j[0])):
        load, i = heapq.heappop(heap)
        groups[i].append(job)
        heapq.heappush(heap, (load + max(job[1], 1), i))
    return [sorted(g) for g in groups if g]


def _hash_partition(
    root: str,
    jobs: list[tuple[str, int]],
    keys: dict[str, StatKey],
    follow_symlinks: bool,
    blake3: bool,
) -> _Result:
    """One Ray task: hash ``jobs`` on this node with the single-machine code (no processes)."""
    return hash_files(
        root,
        jobs,
        engine=Sha256Engine(with_blake3=blake3),
        workers=default_workers(),
        progress=Progress(0, None, bar=False),
        follow_symlinks=follow_symlinks,
        keys=keys,
        processes=0,
    )


class _RayHasher:
    """A :data:`~openmodel_gov.manifests._build.Hasher` that runs one Ray task per partition."""

    def __init__(self, *, tasks: int | None, blake3: bool, feature: str) -> None:
        self._ray = require("ray", extra="ray", feature=feature)
        if tasks is not None and (isinstance(tasks, bool) or tasks < 1):
            raise ConfigError(f"tasks must be a positive integer, got {tasks!r}", field="tasks")
        self._tasks = tasks
        self._blake3 = blake3

    def _task_count(self, files: int) -> int:
        if self._tasks is not None:
            return self._tasks
        ray = self._ray
        if not ray.is_initialized():
            ray.init(configure_logging=False, log_to_driver=False, include_dashboard=False)
        cpus = int(ray.cluster_resources().get("CPU", 1))
        return max(1, min(files, 4 * cpus))

    def __call__(
        self,
        root: str,
        jobs: Sequence[tuple[str, int]],
        keys: Mapping[str, StatKey],
        follow_symlinks: bool,
        progress: Progress,
    ) -> _Result:
        ray = self._ray
        parts = partition_by_size(jobs, self._task_count(len(jobs))) if jobs else []
        remote: Any = ray.remote(num_cpus=1)(_hash_partition)
        pending = {
            remote.remote(
                root, part, {rel: keys[rel] for rel, _ in part}, follow_symlinks, self._blake3
            ): part
            for part in parts
        }
        hashed: dict[str, tuple[FileDigests, StatKey]] = {}
        failures: list[HashFailure] = []
        try:
            while pending:
                ready, _ = ray.wait(list(pending), num_returns=1)
                part = pending.pop(ready[0])
                got, failed = ray.get(ready[0])
                hashed.update(got)
                failures.extend(failed)
                progress.add(sum(size for _, size in part), files=len(part))
        finally:
            progress.close()
        failures.sort(key=lambda f: f.path)
        return hashed, failures


def build_manifest_ray(
    root: str | os.PathLike[str],
    *,
    datasets: Sequence[DatasetEntry],
    tasks: int | None = None,
    progress: _build.ProgressOption = "auto",
    follow_symlinks: bool = False,
    exclude: Sequence[str] = (),
    blake3: bool = False,
) -> DatasetManifest:
    """:func:`~openmodel_gov.manifests.build_manifest`, with the hashing spread over Ray tasks.

    Args:
        root: the snapshot folder, at the same path on every node.
        datasets: what the snapshot holds.
        tasks: how many tasks (default: four per CPU of the cluster, at most one per file);
            files are partitioned by size so tasks carry about equal bytes.
        progress: as for ``build_manifest`` (counts whole tasks as they finish).
        follow_symlinks: as for ``build_manifest``.
        exclude: as for ``build_manifest``.
        blake3: also record BLAKE3 digests.

    Returns:
        The manifest, byte-identical to the single-machine one for the same files.

    Raises:
        MissingDependencyError: Ray is not installed (``pip install 'openmodel-gov[ray]'``).
        ConfigError: bad ``tasks``; others as for ``build_manifest``.
    """
    hasher = _RayHasher(tasks=tasks, blake3=blake3, feature="build_manifest_ray")
    with paused_gc():
        return _build.build(
            root,
            datasets=datasets,
            cache=None,
            workers=None,
            progress=progress,
            follow_symlinks=follow_symlinks,
            exclude=exclude,
            blake3=blake3,
            engine=None,
            hasher=hasher,
        )


def verify_manifest_ray(
    manifest: DatasetManifest,
    root: str | os.PathLike[str],
    *,
    tasks: int | None = None,
    progress: _build.ProgressOption = "auto",
    follow_symlinks: bool | None = None,
) -> VerificationReport:
    """:func:`~openmodel_gov.manifests.verify_manifest`, hashing in Ray tasks.

    The report is the one a single machine gives for the same files.

    Raises:
        MissingDependencyError: Ray is not installed.
        ConfigError: bad ``tasks`` or ``manifest``.
    """
    hasher = _RayHasher(tasks=tasks, blake3=False, feature="verify_manifest_ray")
    with paused_gc():
        return _build.verify(
            manifest,
            root,
            cache=None,
            workers=None,
            progress=progress,
            follow_symlinks=follow_symlinks,
            engine=None,
            hasher=hasher,
        )
