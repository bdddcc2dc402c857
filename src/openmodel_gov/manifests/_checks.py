"""What a walk found that a build refuses or warns about, and names a filesystem merges."""

from __future__ import annotations

import os
import warnings
from collections.abc import Sequence

from openmodel_gov.errors import UnsafePathError
from openmodel_gov.manifests._filetable import columns_of
from openmodel_gov.manifests._model import DatasetManifest
from openmodel_gov.manifests._scan import WalkResult, collisions_of
from openmodel_gov.manifests._warnings import NameCollisionWarning

__all__ = ["refuse_merged_names", "refuse_odd", "warn_collisions"]


def refuse_odd(walk: WalkResult, root: str) -> None:
    if walk.symlinks:
        raise UnsafePathError(
            f"symlink refused: {walk.symlinks[0]!r}"
            + (f" (and {len(walk.symlinks) - 1} more)" if len(walk.symlinks) > 1 else ""),
            source=root,
            field=walk.symlinks[0],
            hint="pass follow_symlinks=True to hash what the links point to, or exclude them",
        )
    if walk.specials:
        raise UnsafePathError(
            f"not a regular file: {walk.specials[0]!r} (fifo, socket or device)",
            source=root,
            field=walk.specials[0],
            hint="exclude it with exclude=[...]",
        )
    if walk.unsafe:
        rel, problem = walk.unsafe[0]
        raise UnsafePathError(
            f"{problem}: {rel!r}", source=root, field=rel, hint="rename it or exclude it"
        )


def warn_collisions(groups: Sequence[tuple[str, ...]], root: str) -> None:
    if groups:
        shown = "; ".join(" / ".join(map(repr, g)) for g in groups[:3])
        more = f" (and {len(groups) - 3} more)" if len(groups) > 3 else ""
        warnings.warn(
            f"{root}: names that differ only by case or Unicode normalisation: {shown}{more}; "
            "a case-insensitive or normalising filesystem (macOS, Windows) would merge them",
            NameCollisionWarning,
            stacklevel=4,
        )


def _same_file(root: str, a: str, b: str) -> bool:
    try:
        sa, sb = os.lstat(os.path.join(root, a)), os.lstat(os.path.join(root, b))
    except OSError:
        return False
    return (sa.st_dev, sa.st_ino) == (sb.st_dev, sb.st_ino)


def refuse_merged_names(manifest: DatasetManifest, root: str) -> None:
    """Refuse to verify a manifest whose colliding names this filesystem merges into one."""
    groups = collisions_of(columns_of(manifest.files)[0])
    for group in groups:
        if any(_same_file(root, group[0], other) for other in group[1:]):
            raise UnsafePathError(
                f"the manifest lists {' and '.join(map(repr, group))}, which this filesystem "
                "treats as one file (case-insensitive or normalising)",
                source=root,
                field=group[0],
                hint="verify on a case-sensitive filesystem (Linux), or rename the files",
            )
