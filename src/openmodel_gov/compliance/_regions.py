"""Regions, aliases and the global baseline: what declared jurisdictions imply.

Read once from ``data/rules/regions.yaml`` and validated when loaded: the regions with their
member states, aliases (``UK`` -> ``GB``) and the ``global_baseline`` -- what worldwide
(``GLOBAL``) data is taken to hold for certain, with its citation (the playbook's Table 12).
"""

from __future__ import annotations

import functools
import re
from importlib import resources
from typing import Annotated

from pydantic import AfterValidator, BeforeValidator, StringConstraints, ValidationError

from openmodel_gov._core import Citation, Frozen
from openmodel_gov._core._io import LoadedDocument, PathKey, json_path, load_yaml_document
from openmodel_gov.compliance._ast import FactSet
from openmodel_gov.errors import SchemaValidationError, ValidationIssue

__all__ = [
    "GlobalBaseline",
    "Jurisdiction",
    "Text",
    "expand_regions",
    "global_baseline",
    "parse_regions",
    "regions_within",
    "tupleize_input",
]

_JURISDICTION_RE = re.compile(r"^(GLOBAL|[A-Z]{2,3}(-[A-Z0-9]{1,3})?)$")


def tupleize_input(value: object) -> object:
    """A string or list as a tuple (other values unchanged, for the validator to judge)."""
    if isinstance(value, str):
        return (value,)
    return tuple(value) if isinstance(value, list | set | frozenset) else value


def _jurisdiction(value: str) -> str:
    canonical = value.strip().upper()
    if not _JURISDICTION_RE.match(canonical):
        raise ValueError(
            f"{value!r} is not a jurisdiction: use an ISO 3166 code ('DE', 'BR', 'US'), a "
            "subdivision ('US-CA'), 'EU', 'EEA' or 'GLOBAL'"
        )
    return canonical


Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Jurisdiction = Annotated[str, AfterValidator(_jurisdiction)]


class GlobalBaseline(Frozen):
    """What worldwide (``GLOBAL``) data is taken to hold for certain, with its source.

    Read from ``global_baseline`` in ``data/rules/regions.yaml``. Every other country or
    region *may* be present in ``GLOBAL`` data (membership *unknown*), so a rule that needs it
    is an open question, decided only when a jurisdiction names that country.

    >>> from openmodel_gov.compliance import global_baseline
    >>> global_baseline().codes
    ('EU', 'US-CA')
    """

    codes: Annotated[tuple[Jurisdiction, ...], BeforeValidator(tupleize_input)]
    because: Text
    citation: Citation


class _Regions(Frozen):
    table: dict[str, frozenset[str]]
    aliases: dict[str, str]
    baseline: GlobalBaseline


def _region_error(message: str, doc: LoadedDocument, path: PathKey) -> SchemaValidationError:
    return SchemaValidationError(
        "regions.yaml is not valid",
        issues=[ValidationIssue(message, field=json_path(path), line=doc.line_of(path))],
        source="regions.yaml",
    )


def _check_members(doc: LoadedDocument, index: int, members: object) -> frozenset[str]:
    values = members if isinstance(members, list) else [members]
    bad = [m for m in values if not (isinstance(m, str) and re.match(r"^[A-Z]{2}$", m))]
    if bad:  # e.g. an unquoted NO, which YAML reads as false
        raise _region_error(
            f"region members must be ISO 3166-1 alpha-2 codes: {bad[0]!r} is not a country code",
            doc,
            ("regions", index, "members"),
        )
    return frozenset(values)


@functools.cache
def _regions() -> _Regions:
    """Regions, aliases and the GLOBAL baseline, from ``data/rules/regions.yaml``."""
    text = (
        resources.files("openmodel_gov")
        .joinpath("data/rules/regions.yaml")
        .read_text(encoding="utf-8")
    )
    return parse_regions(load_yaml_document(text, source="regions.yaml"))


def parse_regions(doc: LoadedDocument) -> _Regions:
    """Validate a loaded ``regions.yaml`` document.

    Raises:
        SchemaValidationError: a member that is not a country code, a missing or invalid
            ``global_baseline`` (codes, because, citation) or alias; the issue names the field.
    """
    table = {
        entry["code"]: _check_members(doc, index, entry["members"])
        for index, entry in enumerate(doc.data["regions"])
    }
    aliases: dict[str, str] = {}
    for index, entry in enumerate(doc.data.get("aliases") or []):
        if not (isinstance(entry, dict) and {"code", "same_as"} <= entry.keys()):
            raise _region_error("an alias needs 'code' and 'same_as'", doc, ("aliases", index))
        aliases[str(entry["code"])] = str(entry["same_as"])
    try:
        baseline = GlobalBaseline.model_validate(doc.data.get("global_baseline"))
    except ValidationError as exc:
        err = exc.errors(include_url=False)[0]
        where: PathKey = ("global_baseline", *err["loc"])
        raise _region_error(err["msg"], doc, where) from None
    return _Regions(table=table, aliases=aliases, baseline=baseline)


def global_baseline() -> GlobalBaseline:
    """What ``GLOBAL`` data is taken to hold for certain (``EU``, ``US-CA``), and why.

    >>> from openmodel_gov.compliance import global_baseline
    >>> global_baseline().codes
    ('EU', 'US-CA')
    >>> global_baseline().citation.section
    'Table 12 (compliance matrix), row job_profiles_demo.csv'
    """
    return _regions().baseline


@functools.lru_cache(maxsize=4096)
def expand_regions(codes: tuple[str, ...]) -> FactSet | None:
    """Declared codes plus the regions they imply; possible members stay *unknown*.

    A country implies the regions it belongs to (``DE`` -> ``EU``, ``EEA``), a subdivision its
    country (``US-CA`` -> ``US``), a region every region containing it (``EU`` -> ``EEA``), an
    alias its ISO code (``UK`` -> ``GB``). A region or country may hold members or
    subdivisions that were not declared: testing for them gives *unknown*, not ``False``.
    ``GLOBAL`` (worldwide data) holds the :func:`global_baseline` for certain (the EU and
    California, after the playbook's Table 12); any other country is *unknown*.

    >>> s = expand_regions(("EU",))
    >>> s.contains("EEA"), s.contains("DE"), s.contains("US")
    (True, None, False)
    >>> expand_regions(("US-CA",)).contains("US")
    True
    >>> world = expand_regions(("GLOBAL",))
    >>> world.contains("EEA"), world.contains("US-CA"), world.contains("BR")
    (True, True, None)
    """
    if not codes:
        return None
    regions = _regions()
    table = regions.table
    worldwide = "GLOBAL" in codes
    items: set[str] = set()
    maybe: set[str] = set()
    for code in (*codes, *(regions.baseline.codes if worldwide else ())):
        alias = regions.aliases.get(code)
        country = code.split("-", 1)[0]
        items.update({code, country} if alias is None else {code, alias})
        country = alias or country
        members = table.get(country)
        if members is None:  # a country (or subdivision): add the regions holding it
            items.update(region for region, held in table.items() if country in held)
        else:  # a region: add the regions containing it; its members may be present
            items.update(region for region, held in table.items() if members <= held)
            maybe.update(members)
    if worldwide:  # worldwide data: the baseline for certain, anything else possibly
        return FactSet(frozenset(items), open=True)
    maybe -= items
    # Undeclared subdivisions of a declared country (or of a possible member) may be present.
    countries = {
        regions.aliases.get(c, c) for c in (*codes, *maybe) if "-" not in c and c not in table
    }
    return FactSet(frozenset(items), frozenset(maybe), tuple(sorted(f"{c}-" for c in countries)))


@functools.lru_cache(maxsize=4096)
def regions_within(codes: tuple[str, ...]) -> FactSet | None:
    """The regions that hold *every* declared place (a closed set; ``None``: none declared).

    A country is within the regions listing it, a subdivision within its country's regions,
    a region within itself and every region containing it; worldwide data is within none.

    >>> sorted(regions_within(("DE", "FR-75")).items), sorted(regions_within(("EU",)).items)
    (['EEA', 'EU'], ['EEA', 'EU'])
    >>> sorted(regions_within(("DE", "NO")).items), regions_within(("DE", "GLOBAL")).items
    (['EEA'], frozenset())
    """
    if not codes:
        return None
    regions = _regions()
    table = regions.table
    common: set[str] | None = None
    for code in codes:
        country = code.split("-", 1)[0]
        country = regions.aliases.get(country, country)
        members = table.get(country)
        if country == "GLOBAL":
            holding: set[str] = set()
        elif members is None:
            holding = {region for region, held in table.items() if country in held}
        else:
            holding = {region for region, held in table.items() if members <= held}
        common = holding if common is None else common & holding
    return FactSet(frozenset(common or ()))
