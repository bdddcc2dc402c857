"""The size-proportional parse limits of YAML manifests (private; see docs/manifests.md)."""

from __future__ import annotations

from typing import Final

from openmodel_gov._core._io import YAML_LIMITS, Limits

__all__ = ["CHARS_PER_NODE", "MANIFEST_MAX_BYTES", "yaml_limits"]

#: Manifests larger than this are refused unless the caller raises the bound (256 MiB).
MANIFEST_MAX_BYTES = 256 * 1024 * 1024
#: A YAML manifest may hold one node per this many characters (see :func:`yaml_limits`).
CHARS_PER_NODE: Final = 4


def yaml_limits(chars: int, *, max_chars: int = MANIFEST_MAX_BYTES) -> Limits:
    """The parse limits of a YAML manifest of ``chars`` characters: nodes grow with the text.

    A file entry is 7 nodes in about 100 characters or more (its SHA-256 alone is 64), so a
    budget of one node per :data:`CHARS_PER_NODE` characters (never below the 250,000 of other
    YAML documents) admits every real manifest, whatever its size; the work stays bounded by
    the size bound (``max_bytes``, 256 MiB by default). Depth, scalar and alias limits are those
    of every YAML document: an alias bomb is refused at the same size as anywhere else.

    >>> yaml_limits(10_000_000).max_nodes
    2500000
    >>> yaml_limits(1_000).max_nodes
    250000
    """
    return Limits(
        max_chars=max_chars,
        max_depth=YAML_LIMITS.max_depth,
        max_nodes=max(YAML_LIMITS.max_nodes, chars // CHARS_PER_NODE),
        max_alias_nodes=YAML_LIMITS.max_alias_nodes,
        max_scalar=YAML_LIMITS.max_scalar,
    )
