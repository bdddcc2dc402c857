"""Results that explain themselves: the verification report and the manifest diff."""

from __future__ import annotations

from typing import Any, Literal

from openmodel_gov._core import Frozen
from openmodel_gov._core._render import html_table
from openmodel_gov.errors import ConfigError
from openmodel_gov.manifests._filetable import columns_of
from openmodel_gov.manifests._model import ChangeLogEntry, DatasetManifest

__all__ = ["DatasetChange", "FileChange", "FileFinding", "ManifestDiff", "VerificationReport"]

FindingKind = Literal["changed", "missing", "added"]

_COLORS = {"changed": "#fcd68a", "missing": "#f8b4b4", "added": "#a7e3b5"}


class FileFinding(Frozen):
    """One file that does not match the manifest.

    ``expected_*`` come from the manifest (``None`` for an added file); ``found_*`` from the
    disk (``None`` when the file is missing, is a symlink, or cannot be read).
    """

    path: str
    kind: FindingKind
    reason: str
    expected_sha256: str | None = None
    found_sha256: str | None = None
    expected_size: int | None = None
    found_size: int | None = None

    def __str__(self) -> str:
        digests = ""
        if self.expected_sha256 or self.found_sha256:
            digests = (
                f" (expected {_short(self.expected_sha256)}, found {_short(self.found_sha256)})"
            )
        return f"{self.kind:<7} {self.path}: {self.reason}{digests}"


def _short(digest: str | None) -> str:
    return digest[:12] + "…" if digest else "-"


class VerificationReport(Frozen):
    """What :func:`~openmodel_gov.manifests.verify_manifest` found.

    >>> r = VerificationReport(root="data", expected_snapshot_digest="0" * 64,
    ...                        found_snapshot_digest="0" * 64, files_checked=2, files_hashed=2,
    ...                        findings=())
    >>> r.ok, r.changed, str(r)
    (True, [], 'OK: data matches the manifest (2 files, snapshot sha256:000000000000…)')
    """

    root: str
    expected_snapshot_digest: str
    found_snapshot_digest: str | None
    files_checked: int
    files_hashed: int
    findings: tuple[FileFinding, ...]

    @property
    def ok(self) -> bool:
        """True when every file matches and nothing was added."""
        return not self.findings

    def _paths(self, kind: FindingKind) -> list[str]:
        return [f.path for f in self.findings if f.kind == kind]

    @property
    def changed(self) -> list[str]:
        """Paths whose bytes differ (or that are no longer regular files)."""
        return self._paths("changed")

    @property
    def missing(self) -> list[str]:
        """Paths in the manifest that are not on disk."""
        return self._paths("missing")

    @property
    def added(self) -> list[str]:
        """Paths on disk that the manifest does not list."""
        return self._paths("added")

    def finding(self, path: str) -> FileFinding:
        """The finding for ``path`` (``KeyError`` when the file matched)."""
        for item in self.findings:
            if item.path == path:
                return item
        raise KeyError(path)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data."""
        data: dict[str, Any] = self.model_dump(mode="json")
        data["ok"] = self.ok
        return data

    def __str__(self) -> str:
        head = f"{len(self.changed)} changed, {len(self.missing)} missing, {len(self.added)} added"
        if self.ok:
            return (
                f"OK: {self.root} matches the manifest ({self.files_checked} files, "
                f"snapshot sha256:{_short(self.expected_snapshot_digest)})"
            )
        lines = [f"FAILED: {self.root} does not match the manifest: {head}"]
        lines.extend(f"  {f}" for f in self.findings)
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        rows = [
            [f.kind, f.path, f.reason, f.expected_sha256 or "", f.found_sha256 or ""]
            for f in self.findings
        ]
        colors = [[_COLORS[f.kind], None, None, None, None] for f in self.findings]
        verdict = "OK" if self.ok else "FAILED"
        return html_table(
            ["kind", "path", "reason", "expected sha256", "found sha256"],
            rows,
            caption=f"{verdict}: {self.root} ({self.files_checked} files checked)",
            cell_colors=colors,
        )


class FileChange(Frozen):
    """A file whose digest differs between two manifests."""

    path: str
    old_sha256: str
    new_sha256: str
    old_size: int
    new_size: int


class DatasetChange(Frozen):
    """A dataset present in both manifests whose metadata differs."""

    name: str
    old_version: str
    new_version: str
    fields: tuple[str, ...]


class ManifestDiff(Frozen):
    """What changed between two manifests (see :func:`~openmodel_gov.manifests.diff_manifests`)."""

    old_snapshot_digest: str
    new_snapshot_digest: str
    files_added: tuple[str, ...]
    files_removed: tuple[str, ...]
    files_changed: tuple[FileChange, ...]
    datasets_added: tuple[str, ...]
    datasets_removed: tuple[str, ...]
    datasets_changed: tuple[DatasetChange, ...]

    @property
    def unchanged(self) -> bool:
        """True when nothing differs."""
        return not (
            self.files_added
            or self.files_removed
            or self.files_changed
            or self.datasets_added
            or self.datasets_removed
            or self.datasets_changed
        )

    def summary(self) -> str:
        """One line, suitable for a change log."""
        if self.unchanged:
            return "no changes"
        parts: list[str] = []
        for count, label in (
            (len(self.files_added), "file(s) added"),
            (len(self.files_removed), "file(s) removed"),
            (len(self.files_changed), "file(s) changed"),
        ):
            if count:
                parts.append(f"{count} {label}")
        parts.extend(f"dataset {n} added" for n in self.datasets_added)
        parts.extend(f"dataset {n} removed" for n in self.datasets_removed)
        for d in self.datasets_changed:
            if d.old_version != d.new_version:
                parts.append(f"{d.name} {d.old_version} -> {d.new_version}")
            else:
                parts.append(f"{d.name}: {', '.join(d.fields)} edited")
        return "; ".join(parts)

    def to_changelog_entry(self, *, version: str, date: str | None = None) -> ChangeLogEntry:
        """A :class:`ChangeLogEntry` describing this diff, for ``DatasetEntry.changelog``."""
        return ChangeLogEntry(version=version, date=date, summary=self.summary())

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data."""
        data: dict[str, Any] = self.model_dump(mode="json")
        data["unchanged"] = self.unchanged
        return data

    def __str__(self) -> str:
        lines = [
            f"snapshot {_short(self.old_snapshot_digest)} -> {_short(self.new_snapshot_digest)}:"
            f" {self.summary()}"
        ]
        lines.extend(f"  + {p}" for p in self.files_added)
        lines.extend(f"  - {p}" for p in self.files_removed)
        lines.extend(
            f"  ~ {c.path} ({_short(c.old_sha256)} -> {_short(c.new_sha256)})"
            for c in self.files_changed
        )
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        rows: list[list[object]] = [["added", p, "", ""] for p in self.files_added]
        rows += [["removed", p, "", ""] for p in self.files_removed]
        rows += [["changed", c.path, c.old_sha256, c.new_sha256] for c in self.files_changed]
        rows += [["dataset", d.name, d.old_version, d.new_version] for d in self.datasets_changed]
        return html_table(["change", "path / dataset", "old", "new"], rows, caption=self.summary())


def _algorithm(manifest: DatasetManifest) -> str:
    size = f" (shard_size {manifest.shard_size})" if manifest.shard_size else ""
    return f"{manifest.hash_algorithm!r}{size}"


def _file_changes(
    old: DatasetManifest, new: DatasetManifest
) -> tuple[tuple[str, ...], tuple[str, ...], tuple[FileChange, ...]]:
    """Files added, removed and changed -- from the columns, without building entries."""
    old_paths, old_shas, old_sizes = columns_of(old.files)
    new_paths, new_shas, new_sizes = columns_of(new.files)
    if old_paths == new_paths and old_shas == new_shas:
        return (), (), ()  # two list comparisons in C: the common case of an unchanged table
    old_sha = dict(zip(old_paths, old_shas, strict=True))
    new_sha = dict(zip(new_paths, new_shas, strict=True))
    both = sorted(old_sha.keys() & new_sha.keys())
    differ = [p for p in both if old_sha[p] != new_sha[p]]
    old_size = dict(zip(old_paths, old_sizes, strict=True)) if differ else {}
    new_size = dict(zip(new_paths, new_sizes, strict=True)) if differ else {}
    changed = tuple(
        FileChange(
            path=p,
            old_sha256=old_sha[p],
            new_sha256=new_sha[p],
            old_size=old_size[p],
            new_size=new_size[p],
        )
        for p in differ
    )
    added = tuple(sorted(new_sha.keys() - old_sha.keys()))
    return added, tuple(sorted(old_sha.keys() - new_sha.keys())), changed


def diff(old: DatasetManifest, new: DatasetManifest) -> ManifestDiff:
    """Compare two manifests file by file and dataset by dataset.

    Raises:
        ConfigError: the manifests record different per-file digests (``hash_algorithm`` or
            ``shard_size``): their digests cannot be compared.
    """
    if (old.hash_algorithm, old.shard_size) != (new.hash_algorithm, new.shard_size):
        raise ConfigError(
            f"cannot compare a {_algorithm(old)} manifest with a {_algorithm(new)} one: "
            "every file would differ",
            field="hash_algorithm",
            hint="rebuild one of them with the other's digest= (and shard_size=)",
        )
    added, removed, changed = _file_changes(old, new)
    old_ds = {d.name: d for d in old.datasets}
    new_ds = {d.name: d for d in new.datasets}
    ds_changed: list[DatasetChange] = []
    for name in [d.name for d in new.datasets if d.name in old_ds]:
        before, after = old_ds[name], new_ds[name]
        fields = tuple(
            f
            for f in type(after).model_fields
            if f != "changelog" and getattr(before, f) != getattr(after, f)
        )
        if fields:
            ds_changed.append(
                DatasetChange(
                    name=name, old_version=before.version, new_version=after.version, fields=fields
                )
            )
    return ManifestDiff(
        old_snapshot_digest=old.snapshot_digest,
        new_snapshot_digest=new.snapshot_digest,
        files_added=added,
        files_removed=removed,
        files_changed=changed,
        datasets_added=tuple(d.name for d in new.datasets if d.name not in old_ds),
        datasets_removed=tuple(d.name for d in old.datasets if d.name not in new_ds),
        datasets_changed=tuple(ds_changed),
    )
