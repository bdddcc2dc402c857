"""Dataset ids as inputs: resolved to licenses through given data and the known-datasets data.

The known-datasets data lives with the cards primitive (``openmodel_gov.cards.known_datasets``,
a cited data file of well-known training corpora). An id that neither ``datasets=`` nor that
data knows is reported as unknown: never guessed from its name.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from openmodel_gov._core import Citation
from openmodel_gov.errors import LicenseExpressionError
from openmodel_gov.licenses._chain import read_license
from openmodel_gov.licenses._expr import parse
from openmodel_gov.licenses._names import name_of
from openmodel_gov.licenses._results import LicenseSource, OutputsOf

__all__ = ["known_dataset_licenses", "resolve_items"]


def _license_of(row: object) -> str | None:
    value = row if isinstance(row, str) else getattr(row, "license", None)
    return value if isinstance(value, str) and value else None


def _ids_of(key: str, row: object) -> list[str]:
    ids = [key]
    for attr in ("id", "hub_id", "name"):
        value = getattr(row, attr, None)
        if isinstance(value, str):
            ids.append(value)
    for attr in ("hub_ids", "ids", "aliases", "names"):
        value = getattr(row, attr, None)
        if isinstance(value, (list, tuple)):
            ids += [v for v in value if isinstance(v, str)]
    return ids


def known_dataset_licenses() -> dict[str, tuple[str, str]]:
    """Dataset id (lower-case) -> (license as written, where it is cited) from the cards data.

    Empty until :func:`openmodel_gov.cards.known_datasets` exists (the seam is this function).
    """
    from openmodel_gov import cards

    loader = getattr(cards, "known_datasets", None)
    if loader is None:
        return {}
    table = loader()
    rows: list[tuple[str, object]]
    if isinstance(table, Mapping):
        rows = [(str(k), v) for k, v in table.items()]
    else:
        rows = [(str(getattr(r, "id", "")), r) for r in table]
    out: dict[str, tuple[str, str]] = {}
    for key, row in rows:
        lic = _license_of(row)
        if lic is None:
            continue
        cite = getattr(row, "source", None) or getattr(row, "url", None) or "known-datasets data"
        for ident in _ids_of(key, row):
            if ident:
                out.setdefault(ident.lower(), (lic, str(cite)))
    return out


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
    row = known_dataset_licenses().get(item.lower())
    if row is None:
        return None
    canonical, note = read_license(row[0])
    return LicenseSource(
        subject=subject,
        license=canonical,
        name=name_of(canonical) if canonical else None,
        source="known-datasets",
        citation=Citation(source=row[1]),
        note=note or (None if canonical else f"the data says {row[0]!r}"),
    )


def resolve_items(
    items: Sequence[str | OutputsOf], given: Mapping[str, str]
) -> tuple[list[str | OutputsOf | None], list[LicenseSource]]:
    """License expressions pass through; dataset ids become their licenses (None if unknown)."""
    out: list[str | OutputsOf | None] = []
    sources: list[LicenseSource] = []
    for item in items:
        if isinstance(item, OutputsOf):
            out.append(item)
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
