"""Warnings of the manifest primitive (filter them with :mod:`warnings` as usual)."""

from __future__ import annotations

__all__ = ["NameCollisionWarning", "StatCacheWarning"]


class StatCacheWarning(UserWarning):
    """The stat cache was damaged (its checksum does not match) and is ignored and rebuilt."""


class NameCollisionWarning(UserWarning):
    """Paths differ only by case or Unicode normalisation (NFC/NFD).

    A case-insensitive or normalising filesystem (macOS, Windows) would merge them into one
    file, so the snapshot cannot be reproduced there; verify refuses such a manifest on a
    filesystem that merges them.
    """
