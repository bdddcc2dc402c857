"""Comparing a manifest with what a local verification found: one finding per file that differs.

Used by :func:`~openmodel_gov.manifests._build.verify`; the findings are sorted there.
"""

from __future__ import annotations

import errno
from typing import Literal

from openmodel_gov.manifests._hashing import FileDigests
from openmodel_gov.manifests._model import FileEntry
from openmodel_gov.manifests._reports import FileFinding

__all__ = ["added_findings", "missing_or_changed"]


def _reason(exc: OSError) -> tuple[Literal["changed", "missing"], str]:
    if exc.errno == errno.ENOENT:
        return "missing", "file vanished while it was checked"
    if exc.errno == errno.ELOOP:
        return "changed", "replaced by a symlink"
    if exc.errno == errno.ENOTDIR:
        return "changed", "a folder on its path was replaced by a file or symlink"
    return "changed", f"cannot be read: {exc.strerror or exc}"


def _finding(
    entry: FileEntry,
    kind: Literal["changed", "missing"],
    reason: str,
    got: FileDigests | None = None,
) -> FileFinding:
    return FileFinding(
        path=entry.path,
        kind=kind,
        reason=reason,
        expected_sha256=entry.sha256,
        expected_size=entry.size,
        found_sha256=got.sha256 if got else None,
        found_size=got.size if got else None,
    )


def missing_or_changed(
    expected: dict[str, FileEntry],
    confirmed: set[str],
    found: dict[str, FileDigests],
    failed: dict[str, OSError],
    odd: dict[str, str],
) -> list[FileFinding]:
    """A finding per manifest file not confirmed by the cache that differs on disk."""
    findings: list[FileFinding] = []
    # Findings are sorted by the caller: the order of this loop does not matter.
    for rel in expected.keys() - confirmed if confirmed else expected:
        entry = expected[rel]
        if rel in found:
            got = found[rel]
            if got.sha256 != entry.sha256 or got.size != entry.size:
                why = "content differs" if got.size == entry.size else "size differs"
                findings.append(_finding(entry, "changed", why, got))
        elif rel in failed:
            kind, why = _reason(failed[rel])
            findings.append(_finding(entry, kind, why))
        elif rel in odd:
            findings.append(_finding(entry, "changed", odd[rel]))
        else:
            findings.append(_finding(entry, "missing", "not on disk"))
    return findings


def added_findings(
    extra: list[str],
    found: dict[str, FileDigests],
    failed: dict[str, OSError],
    odd: dict[str, str],
) -> list[FileFinding]:
    """A finding per file on disk (hashed, unreadable or odd) that the manifest does not list."""
    findings: list[FileFinding] = []
    for rel in extra:
        got_digest = found.get(rel)
        reason = "not in the manifest"
        if rel in odd:
            reason += f"; {odd[rel]}"
        elif rel in failed:
            reason += f"; {_reason(failed[rel])[1]}"
        findings.append(
            FileFinding(
                path=rel,
                kind="added",
                reason=reason,
                found_sha256=got_digest.sha256 if got_digest else None,
                found_size=got_digest.size if got_digest else None,
            )
        )
    return findings
