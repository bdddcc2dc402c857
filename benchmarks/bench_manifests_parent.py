"""The parent process's serial cost per file when building a manifest of many small files.

Compares, interleaved round by round in one run (best of N):

* **fan-out** (the default since this change): worker processes walk and hash, the parent
  schedules folders and keeps columns (``_fanout.py``);
* **parent walk** (the previous path, kept as the baseline): the parent walks the tree (one
  ``lstat`` per file), sends ``(path, size, stat key)`` triples to the worker processes and
  merges the digests one by one -- selected by passing ``_build.build`` a ``hasher`` that is
  exactly the previous ``hash_files`` call (a hasher turns the fan-out off);
* ``find ROOT -type f -print0 | xargs -0 -P<cores> -n 256 sha256sum``.

Prints wall time, files/s, the parent's CPU time per file (``time.process_time``) and the
workers' CPU (``RUSAGE_CHILDREN``), and the ratios. The parent's CPU per file is what bounds
a many-core machine: with W workers, a build cannot beat ``files x parent µs/file``.

Usage::

    python benchmarks/bench_manifests_parent.py               # 20,000 files, 5 rounds
    python benchmarks/bench_manifests_parent.py --files 200000 --rounds 2
    python benchmarks/bench_manifests_parent.py --root DIR    # an existing tree (not deleted)
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from openmodel_gov.manifests import DatasetEntry, DatasetManifest, Sha256Engine, _build
from openmodel_gov.manifests._gc import paused_gc
from openmodel_gov.manifests._hashing import FileDigests
from openmodel_gov.manifests._hashrun import HashFailure, default_workers, hash_files
from openmodel_gov.manifests._progress import Progress
from openmodel_gov.manifests._scan import StatKey, cpu_count

ENTRY = DatasetEntry(
    name="bench", version="1", source_kind="synthetic", synthetic=True, license="MIT"
)


def _tree(root: Path, count: int) -> None:
    """``count`` files of 0.5-8 KiB in 200 folders (as the 16-core run of the issue)."""
    rng = random.Random(7)
    for i in range(count):
        folder = root / f"shard{i % 200:03d}"
        if i < 200:
            folder.mkdir(parents=True, exist_ok=True)
        (folder / f"f{i:07d}.bin").write_bytes(rng.randbytes(rng.randint(512, 8 * 1024)))


def _previous_hasher(
    root: str,
    jobs: Sequence[tuple[str, int]],
    keys: Mapping[str, StatKey],
    follow: bool,
    progress: Progress,
) -> tuple[dict[str, tuple[FileDigests, StatKey]], list[HashFailure]]:
    """Exactly the call ``_build`` made before the fan-out (parent walk, triples to workers)."""
    return hash_files(
        root,
        jobs,
        engine=Sha256Engine(),
        workers=default_workers(),
        progress=progress,
        follow_symlinks=follow,
        keys=keys,
    )


def _build_with(root: Path, hasher: _build.Hasher | None) -> DatasetManifest:
    with paused_gc():
        return _build.build(
            root,
            datasets=[ENTRY],
            cache=None,
            workers=None,
            progress=False,
            follow_symlinks=False,
            exclude=(),
            blake3=False,
            engine=None,
            hasher=hasher,
        )


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _measure(fn: Callable[[], object]) -> tuple[float, float, float]:
    """Wall, parent CPU and children CPU of one call."""
    children = _children_cpu()
    cpu = time.process_time()
    start = time.perf_counter()
    fn()
    return (
        time.perf_counter() - start,
        time.process_time() - cpu,
        _children_cpu() - children,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--root", help="an existing tree of small files (left in place)")
    parser.add_argument("--tmp", help="folder for the generated tree")
    args = parser.parse_args()
    cores = cpu_count()
    with tempfile.TemporaryDirectory(prefix="omg-bench-", dir=args.tmp) as tmp:
        root = Path(args.root) if args.root else Path(tmp) / "small"
        if not args.root:
            _tree(root, args.files)
        count = sum(len(names) for _, _, names in os.walk(root))
        command = f"find '{root}' -type f -print0 | xargs -0 -P{cores} -n 256 sha256sum >/dev/null"
        contenders: dict[str, Callable[[], object]] = {
            "fan-out": lambda: _build_with(root, None),
            "parent walk": lambda: _build_with(root, _previous_hasher),
            "xargs": lambda: subprocess.run(command, shell=True, check=True),
        }
        best: dict[str, tuple[float, float, float]] = {}
        digests = set()
        for _ in range(args.rounds):
            for name, fn in contenders.items():
                result = _measure(fn)
                if name not in best or result[0] < best[name][0]:
                    best[name] = result
        digests.add(_build_with(root, None).snapshot_digest)
        digests.add(_build_with(root, _previous_hasher).snapshot_digest)
        if len(digests) != 1:
            raise SystemExit(f"the two paths disagree: {digests}")
        load = os.getloadavg()[0]
        print(
            f"== {count:,} small files (0.5-8 KiB), {cores} cores, best of {args.rounds} "
            f"interleaved rounds, load average {load:.1f} at the end"
        )
        for name, (wall, parent, children) in best.items():
            per_file = (
                f"{parent / count * 1e6:6.2f} µs/file" if name != "xargs" else "     -       "
            )
            print(
                f"  {name:<12}: {wall:7.3f} s  {count / wall:9,.0f} files/s  parent CPU "
                f"{parent:6.3f} s ({per_file})  workers CPU {children:6.3f} s"
            )
        fan, old, xargs = best["fan-out"], best["parent walk"], best["xargs"]
        print(f"  parent CPU per file, fan-out / parent walk : {fan[1] / old[1]:5.2f}")
        print(f"  files/s, fan-out / parent walk             : {old[0] / fan[0]:5.2f}x")
        print(f"  files/s, fan-out / xargs -P{cores} -n 256       : {xargs[0] / fan[0]:5.2f}x")
        print(f"  files/s, parent walk / xargs               : {xargs[0] / old[0]:5.2f}x")
        print("  snapshot digests of the two paths: identical")
        if not args.root:
            shutil.rmtree(root)


if __name__ == "__main__":
    main()
