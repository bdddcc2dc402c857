"""Dataset ids as inputs: resolved to licenses through given data and the known-datasets data.

The known-datasets data lives with the cards primitive (:func:`openmodel_gov.cards.known_datasets`,
a cited data file of well-known training corpora, matched by our id, Hub ids and names). A
corpus with no single license (The Stack: per-file licenses) is reported with its note; an id
that neither ``datasets=`` nor that data knows is reported as unknown: never guessed.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from openmodel_gov._core import Citation
from openmodel_gov.errors import LicenseExpressionError
from openmodel_gov.licenses._chain import read_license
from openmodel_gov.licenses._expr import parse
from openmodel_gov.licenses._names import name_of
from openmodel_gov.licenses._results import LicenseSource, OutputsOf

if TYPE_CHECKING:
    from openmodel_gov.cards import KnownDataset

__all__ = ["DatasetCollection", "DatasetLike", "known_dataset_index", "resolve_items"]


@runtime_checkable
class DatasetLike(Protocol):
    """A dataset entry that states its license (a manifest's ``DatasetEntry``)."""

    @property
    def name(self) -> str: ...

    @property
    def license(self) -> str: ...


class DatasetCollection(Protocol):
    """Something that lists dataset entries (a :class:`~openmodel_gov.manifests.DatasetManifest`)."""

    @property
    def datasets(self) -> Sequence[DatasetLike]: ...


@functools.cache
def known_dataset_index() -> dict[str, KnownDataset]:
    """Dataset ids, Hub ids and names (lower-case) -> the cards primitive's known dataset."""
    from openmodel_gov.cards import known_datasets

    table: dict[str, KnownDataset] = {}
    for row in known_datasets():
        for ident in (row.id, *row.hub_ids, row.name, *row.names):
            table.setdefault(ident.lower(), row)
    return table


def _dataset(item: str, given: Mapping[str, str]) -> LicenseSource | None:
    """The dataset ``item`` names, or ``None`` when it is not a dataset id we know."""
    subject = f"dataset {item}"
    if item in given:
        canonical, note = read_license(given[item])
        return LicenseSource(
            subject=subject,
            license=canonical,
            name=name_of(canonical) if canonical else None,
            source="given",
            note=note,
        )
    row = known_dataset_index().get(item.lower())
    if row is None:
        return None
    cite = Citation(source=f"known datasets: {row.name}", section=row.source, url=row.url)
    if row.license is None:
        return LicenseSource(
            subject=subject,
            license=None,
            source="known-datasets",
            citation=cite,
            note=f"no single license: {row.license_note or 'see its card'}",
        )
    canonical, note = read_license(row.license)
    notes = [n for n in (note, row.license_note) if n]
    if canonical is None:
        notes.insert(0, f"the data says {row.license!r}")
    return LicenseSource(
        subject=subject,
        license=canonical,
        name=name_of(canonical) if canonical else None,
        source="known-datasets",
        citation=cite,
        note="; ".join(notes) or None,
    )


def _entry(item: DatasetLike) -> LicenseSource:
    canonical, note = read_license(item.license)
    return LicenseSource(
        subject=f"dataset {item.name}",
        license=canonical,
        name=name_of(canonical) if canonical else None,
        source="manifest",
        citation=Citation(source="dataset manifest", section=f"datasets[{item.name}].license"),
        note=note or (None if canonical else f"the manifest says {item.license!r}"),
    )


def resolve_items(
    items: Sequence[str | OutputsOf | DatasetLike], given: Mapping[str, str]
) -> tuple[list[str | OutputsOf | None], list[LicenseSource]]:
    """License expressions pass through; dataset ids become their licenses (None if unknown)."""
    out: list[str | OutputsOf | None] = []
    sources: list[LicenseSource] = []
    for item in items:
        if isinstance(item, OutputsOf):
            out.append(item)
            continue
        if not isinstance(item, str):
            entry = _entry(item)
            sources.append(entry)
            out.append(entry.license)
            continue
        found = _dataset(item, given) if (item in given or "/" in item) else None
        if found is None:
            try:
                parse(item)
            except LicenseExpressionError:
                found = _dataset(item, given)
                if found is None and "/" not in item:
                    raise
                found = found or LicenseSource(
                    subject=f"dataset {item}",
                    license=None,
                    source="unknown",
                    note="not a license expression and not in the known-datasets data; "
                    "pass datasets={id: license} (never guessed)",
                )
            else:
                out.append(item)
                continue
        sources.append(found)
        out.append(found.license)
    return out, sources
