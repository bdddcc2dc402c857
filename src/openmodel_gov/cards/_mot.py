"""Model Openness Tool (MOT) ``model.yml`` files: ``framework:`` + ``release:``.

Both layouts the MOT has used are read: the current one (``release.license`` block with
``distribution``/``code``/``data``/``document`` entries; components list ``license``) and the
older one (components with ``license_name``, where ``"Component not included"`` and
``"License not specified"`` are sentinels). A listed component is an included one.
"""

from __future__ import annotations

from typing import Any

from openmodel_gov._core._io import LoadedDocument, PathKey, json_path
from openmodel_gov.cards._formats import validate_fields
from openmodel_gov.cards._keys import _LICENSE_KINDS, _RELEASE_FIELDS, _TREATMENT_IN
from openmodel_gov.cards._model import COMPONENT_NAMES, ModelCard, component_specs
from openmodel_gov.errors import SchemaValidationError, ValidationIssue

__all__ = ["from_mot", "is_mot_document"]

_COMPONENT_KEYS = {"name", "description", "location", "license", "license_name", "license_path"}
_NOT_INCLUDED = "component not included"
_NOT_SPECIFIED = {"license not specified", ""}


def is_mot_document(data: Any) -> bool:
    """True for a mapping with the MOT's ``framework``/``release`` layout."""
    return (
        isinstance(data, dict)
        and isinstance(data.get("release"), dict)
        and ("framework" in data or "components" in data["release"])
    )


def _issue(
    msg: str, path: PathKey, doc: LoadedDocument | None, source: str | None
) -> ValidationIssue:
    return ValidationIssue(
        message=msg, field=json_path(path), line=doc.line_of(path) if doc else None, source=source
    )


def _component(entry: dict[str, Any]) -> dict[str, Any]:
    lic = entry.get("license", entry.get("license_name"))
    comp: dict[str, Any] = {"included": True}
    if isinstance(lic, str) and lic.strip().lower() == _NOT_INCLUDED:
        return {"included": False}  # the old layout's placeholder entry; nothing else counts
    if isinstance(lic, str) and lic.strip().lower() in _NOT_SPECIFIED:
        pass
    elif lic is not None:
        comp["license"] = lic
    for key in ("description", "location", "license_path"):
        value = entry.get(key)
        if value not in (None, ""):
            comp[key] = value
    # The framework's standard description carries no information of this release; dropping
    # it makes a MOT -> card -> MOT round trip stable (the writer puts it back).
    spec = component_specs().get(str(entry.get("name", "")))
    if spec is not None and comp.get("description") == spec.description:
        del comp["description"]
    extras = {k: v for k, v in entry.items() if k not in _COMPONENT_KEYS}
    if extras:
        comp["extras"] = extras
    return comp


class _Issues:
    """Problems found in one MOT document, each with its path and line."""

    def __init__(self, doc: LoadedDocument | None, source: str | None) -> None:
        self.doc = doc
        self.source = source
        self.found: list[ValidationIssue] = []

    def add(self, msg: str, path: PathKey) -> None:
        self.found.append(_issue(msg, path, self.doc, self.source))


def _release_fields(release: dict[str, Any]) -> tuple[dict[str, Any], dict[str, PathKey]]:
    """The typed fields of ``release:``'s scalar keys, and field -> source key."""
    fields: dict[str, Any] = {}
    where: dict[str, PathKey] = {}
    for key, field in _RELEASE_FIELDS.items():
        value = release.get(key)
        if value in (None, ""):
            continue
        if field == "treatment" and isinstance(value, str):
            value = _TREATMENT_IN.get(value, "other")
        fields[field] = value
        where[field] = ("release", key)
    if "repository" not in fields and release.get("github"):
        fields["repository"] = release["github"]
        where["repository"] = ("release", "github")
    return fields, where


def _license_entry(kind: str, entry: Any) -> dict[str, Any]:
    if isinstance(entry, dict):
        out: dict[str, Any] = {}
        if entry.get("name"):
            out[kind] = entry["name"]
        if entry.get("path"):
            out[f"{kind}_path"] = entry["path"]
        return out
    if isinstance(entry, str) and entry:
        return {kind: entry}
    return {}


def _mot_licenses(release: dict[str, Any], issues: _Issues) -> dict[str, Any]:
    """``release.license`` (the current layout's block) as the card's licenses."""
    licenses: dict[str, Any] = {}
    block = release.get("license")
    if isinstance(block, dict):
        for kind in _LICENSE_KINDS:
            licenses.update(_license_entry(kind, block.get(kind)))
        for k in block:
            if k not in _LICENSE_KINDS:
                issues.add(
                    f"unknown license kind {k!r}; expected one of {_LICENSE_KINDS}",
                    ("release", "license", k),
                )
    elif block not in (None, "", [], {}):
        issues.add("release.license must be a mapping", ("release", "license"))
    return licenses


def _component_name(entry: Any, path: PathKey, seen: dict[str, Any], issues: _Issues) -> str | None:
    """The component name of one listed entry, or None (with an issue) when it is unusable."""
    if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
        issues.add("each component needs a 'name'", path)
        return None
    name: str = entry["name"].strip()
    if name not in COMPONENT_NAMES:
        issues.add(
            f"unknown component name {name!r}; expected one of the 17 "
            "Model Openness Framework components",
            (*path, "name"),
        )
        return None
    if name in seen:
        issues.add(f"component {name!r} is listed twice", (*path, "name"))
        return None
    return name


def _mot_components(
    release: dict[str, Any], issues: _Issues
) -> tuple[dict[str, Any], dict[str, int]]:
    """The listed components by name, and the list index each came from."""
    components: dict[str, Any] = {}
    raw_components = release.get("components") or []
    if not isinstance(raw_components, list):
        issues.add("components must be a list", ("release", "components"))
        raw_components = []
    index_of: dict[str, int] = {}
    for i, entry in enumerate(raw_components):
        name = _component_name(entry, ("release", "components", i), components, issues)
        if name is not None:
            components[name] = _component(entry)
            index_of[name] = i
    return components, index_of


def _mot_extras(data: dict[str, Any], release: dict[str, Any]) -> dict[str, Any]:
    """Top-level keys other than ``release``, and the ``release`` keys no field reads."""
    extras: dict[str, Any] = {k: v for k, v in data.items() if k != "release"}
    known_release = {*_RELEASE_FIELDS, "license", "components", "github"}
    release_extras = {k: v for k, v in release.items() if k not in known_release}
    if release.get("github") and release.get("repository"):
        release_extras["github"] = release["github"]
    if release_extras:
        extras["release"] = release_extras
    return extras


def from_mot(data: dict[str, Any], *, doc: LoadedDocument | None, source: str | None) -> ModelCard:
    """Build a card from a parsed MOT document."""
    release = data["release"]
    issues = _Issues(doc, source)
    fields, where = _release_fields(release)
    fields["licenses"] = _mot_licenses(release, issues)
    where["licenses"] = ("release", "license")
    components, index_of = _mot_components(release, issues)
    if issues.found:
        raise SchemaValidationError(
            f"invalid Model Openness Tool file: {len(issues.found)} problem(s)",
            issues=issues.found,
            source=source,
        )
    # In a MOT file, a component that is not listed is not included.
    fields["components"] = {
        name: components.get(name, {"included": False}) for name in COMPONENT_NAMES
    }
    fields.setdefault("name", "unnamed model")
    fields["extras"] = _mot_extras(data, release)

    def to_source(loc: tuple[int | str, ...]) -> PathKey:
        head = str(loc[0])
        if head == "components" and len(loc) > 1 and str(loc[1]) in index_of:
            return ("release", "components", index_of[str(loc[1])], *loc[2:])
        return where.get(head, ("release", head))

    return validate_fields(
        fields, doc=doc, source=source, to_source=to_source, what="Model Openness Tool file"
    )
