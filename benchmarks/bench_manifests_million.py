"""A 1,000,000-entry manifest: load, diff and verify-with-stat-cache time and peak memory.

Each measurement runs in a fresh subprocess and reads its peak resident memory
(``VmHWM``) from ``/proc/self/status``:

* **load**: ``load_manifest`` of a generated ``--entries``-entry manifest (columns layout;
  synthetic paths in 1,000 folders, random digests);
* **diff**: two loaded copies, ``diff_manifests`` (the peak holds both manifests);
* **verify with the stat cache**: a real tree of ``--tree-files`` tiny files is built with
  ``cache=``, then verified with the same cache (every file answered by the cache: the walk's
  one ``lstat`` per file, then list comparisons). Creating a million real files takes long on
  a shared machine, so the default tree is 200,000 files and the script prints the figures
  scaled linearly to ``--entries`` -- an extrapolation, labelled as one.

Usage::

    python benchmarks/bench_manifests_million.py
    python benchmarks/bench_manifests_million.py --entries 100000 --tree-files 20000  # quick
    python benchmarks/bench_manifests_million.py --tree /existing/tree   # reuse a tree
"""

from __future__ import annotations

import argparse
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from openmodel_gov.manifests import DatasetEntry, DatasetManifest
from openmodel_gov.manifests._model import trusted_file_entry

MiB = 1 << 20
ENTRY = DatasetEntry(
    name="bench", version="1", source_kind="synthetic", synthetic=True, license="MIT"
)

_CHILD = r"""
import sys, time
from openmodel_gov.manifests import (DatasetEntry, build_manifest, diff_manifests,
                                     load_manifest, verify_manifest)
def status(field):
    for line in open("/proc/self/status"):
        if line.startswith(field):
            return int(line.split()[1]) * 1024
    return 0
what, path = sys.argv[1], sys.argv[2]
before = status("VmRSS:")
start = time.perf_counter()
if what == "json.load":  # the baseline: the same file's JSON, no model
    import json
    with open(path, "rb") as fh:
        m = json.load(fh)
    took, n = time.perf_counter() - start, len(m["files"]["path"])
elif what == "load":
    m = load_manifest(path)
    took, n = time.perf_counter() - start, len(m.files)
    print("held", status("VmRSS:"))
elif what == "diff":
    a = load_manifest(path); b = load_manifest(path)
    start = time.perf_counter()
    d = diff_manifests(a, b)
    took, n = time.perf_counter() - start, len(a.files)
    assert d.unchanged
elif what == "verify":
    m = load_manifest(sys.argv[3])
    before = status("VmRSS:")
    start = time.perf_counter()
    r = verify_manifest(m, path, cache=sys.argv[4], progress=False)
    took, n = time.perf_counter() - start, len(m.files)
    assert r.ok and r.files_hashed == 0, r
print(took, n, before, status("VmHWM:"))
"""


def _synthetic(count: int) -> DatasetManifest:
    rng = random.Random(1)
    paths = sorted(f"part-{i % 1000:04d}/shard-{i:08d}.jsonl.zst" for i in range(count))
    files = tuple(
        trusted_file_entry(p, rng.randrange(1 << 30), rng.randbytes(32).hex(), None) for p in paths
    )
    return DatasetManifest(datasets=(ENTRY,), files=files)


def _tiny_tree(root: Path, count: int) -> None:
    for i in range(count):
        folder = root / f"d{i % 1000:04d}"
        if i < 1000:
            folder.mkdir(parents=True, exist_ok=True)
        (folder / f"f{i:08d}").write_bytes(b"%d\n" % i)


def _child(*argv: str) -> tuple[float, int, int, int]:
    out = subprocess.run(
        [sys.executable, "-c", _CHILD, *argv], check=True, capture_output=True, text=True
    ).stdout.split()
    if out[0] == "held":
        print(f"  held after load: {int(out[1]) / MiB:6.0f} MiB resident")
        out = out[2:]
    return float(out[0]), int(out[1]), int(out[2]), int(out[3])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--tree-files", type=int, default=200_000)
    parser.add_argument("--tree", help="an existing tree to verify (left in place)")
    parser.add_argument("--tmp", help="folder for generated files")
    args = parser.parse_args()
    from openmodel_gov.manifests import build_manifest

    with tempfile.TemporaryDirectory(prefix="omg-million-", dir=args.tmp) as tmp:
        base = Path(tmp)
        path = base / "million.json"
        _synthetic(args.entries).save(path, layout="columns")
        size = path.stat().st_size
        print(f"== {args.entries:,}-entry manifest, columns layout, {size / MiB:.0f} MiB")
        base_took, _, base_before, base_peak = _child("json.load", str(path))
        print(
            f"  json.load      : {base_took:6.2f} s, peak RSS {base_peak / MiB:6.0f} MiB "
            "(baseline, same file, same run)"
        )
        took, n, before, peak = _child("load", str(path))
        interpreter = before
        print(
            f"  load           : {took:6.2f} s, peak RSS {peak / MiB:6.0f} MiB "
            f"({(peak - before) / n:.0f} B per entry over the interpreter's {before / MiB:.0f} MiB)"
        )
        print(
            f"  load/json.load : {took / base_took:5.2f}x time, "
            f"{(peak - before) / max(base_peak - base_before, 1):5.2f}x memory growth"
        )
        took, n, before, peak = _child("diff", str(path))
        print(f"  diff of 2 loads: {took:6.2f} s, peak RSS {peak / MiB:6.0f} MiB (both held)")
        path.unlink()

        tree = Path(args.tree) if args.tree else base / "tree"
        if not args.tree:
            _tiny_tree(tree, args.tree_files)
        cache = base / "stat-cache.json"
        manifest_path = base / "tree.json"
        time.sleep(2.2)  # files younger than the racy window are never cached
        build_manifest(tree, datasets=[ENTRY], cache=cache, progress=False).save(
            manifest_path, layout="columns"
        )
        took, n, before, peak = _child("verify", str(tree), str(manifest_path), str(cache))
        scale = args.entries / n
        print(
            f"== verify with the stat cache, {n:,} real files "
            f"(cache {cache.stat().st_size / MiB:.0f} MiB)"
        )
        print(
            f"  verify         : {took:6.2f} s, peak RSS {peak / MiB:6.0f} MiB "
            f"({(peak - before) / n:.0f} B per file over the loaded manifest's {before / MiB:.0f} MiB)"
        )
        print(
            f"  scaled x{scale:g} to {args.entries:,} files (extrapolated, not measured): "
            f"{took * scale:6.1f} s, peak RSS about "
            f"{(interpreter + (peak - interpreter) * scale) / MiB:6.0f} MiB (everything above "
            "the bare interpreter scaled, the loaded manifest included)"
        )
        if not args.tree:
            shutil.rmtree(tree)


if __name__ == "__main__":
    main()
