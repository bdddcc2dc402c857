"""Reading a Croissant file's dataset metadata: the helpers of ``from_croissant``.

Each helper reads one part of the JSON-LD (texts, name, license, source kind, source,
collection period) and raises :class:`~openmodel_gov.errors.InputError` naming the field
when a required part cannot be read.
"""

from __future__ import annotations

import os
import re
from typing import Any

from openmodel_gov.errors import InputError
from openmodel_gov.interop._common import license_choice

__all__ = [
    "collection_period_of",
    "dataset_name",
    "first",
    "license_of",
    "read_document",
    "source_kind_of",
    "source_of",
    "texts",
]

#: The RAI vocabulary's ``dataCollectionType`` values (lower case) as our source kinds.
_KIND_FROM_TYPE = {
    "web scraping": "web-crawl",
    "web api": "web-crawl",
    "secondary data analysis": "public-dataset",
    "user-generated content data": "user-data",
    "customer feedback data": "user-data",
    "self-reporting": "user-data",
}


def texts(value: object) -> list[str]:
    if value is None:
        return []
    items = value if isinstance(value, list) else [value]
    out = []
    for item in items:
        text = _one_text(item)
        if text:
            out.append(text)
    return out


def _one_text(item: object) -> str | None:
    if isinstance(item, dict):
        if "@value" in item or "name" in item:
            item = item.get("@value", item.get("name"))
        elif item:  # a language map (Croissant 1.1 names/descriptions): English first
            item = item.get("en", item[sorted(item, key=str)[0]])
        if isinstance(item, list):
            item = item[0] if item else None
    if isinstance(item, str) and item.strip():
        return item.strip()
    return None


def first(doc: dict[str, Any], *keys: str) -> str | None:
    for key in keys:
        found = texts(doc.get(key))
        if found:
            return found[0]
    return None


_CC_URL = re.compile(r"^https?://creativecommons\.org/licenses/([a-z-]+)/(\d\.\d)/?$", re.I)


def _license_from(values: list[str]) -> str | None:
    from openmodel_gov.licenses import find_license_info

    ids = []
    for stated in values:
        cc = _CC_URL.match(stated)
        # https://creativecommons.org/licenses/by-sa/4.0/ -> CC-BY-SA-4.0
        value = f"CC-{cc.group(1).upper()}-{cc.group(2)}" if cc else stated
        tail = value.rstrip("/").rsplit("/", 1)[-1].removesuffix(".html").removesuffix(".json")
        if value.startswith(("http://", "https://")):
            info = find_license_info(tail)
            if info is None:
                return None
            ids.append(info.id)
        else:
            choice = license_choice(value)
            if choice is None or choice[0] == "name":
                return None
            ids.append(choice[1] if " " not in choice[1] else f"({choice[1]})")
    return " AND ".join(ids) if ids else None


def read_document(source: str | os.PathLike[str] | dict[str, Any]) -> tuple[dict[str, Any], str]:
    """The Croissant document and the label its errors name."""
    if isinstance(source, dict):
        return source, "Croissant data"
    from openmodel_gov._core._io import decode_utf8, load_json_document, read_bytes

    label = str(source)
    text = decode_utf8(read_bytes(source, max_bytes=256 * 1024 * 1024), source=label)
    loaded = load_json_document(text, source=label).data
    if not isinstance(loaded, dict):
        raise InputError("a Croissant file is a JSON object", source=label)
    return loaded, label


def dataset_name(doc: dict[str, Any], label: str) -> str:
    """The dataset's name, once ``@type`` says it is a dataset."""
    types = texts(doc.get("@type"))
    if not any(t in {"sc:Dataset", "https://schema.org/Dataset", "Dataset"} for t in types):
        raise InputError(
            "not a Croissant dataset (@type is not sc:Dataset)", source=label, field="$['@type']"
        )
    name = first(doc, "name")
    if name is None:
        raise InputError("the dataset has no name", source=label, field="$.name")
    return name


def license_of(doc: dict[str, Any], label: str, fallback: str | None) -> str:
    """The SPDX expression of the stated licenses, else ``fallback``, else an error."""
    licenses = texts(doc.get("license"))
    license_text = _license_from(licenses) or fallback
    if license_text is None:
        raise InputError(
            f"no license this library can read ({', '.join(licenses) or 'none stated'}); "
            "pass license_fallback=",
            source=label,
            field="$.license",
        )
    return license_text


def source_kind_of(doc: dict[str, Any]) -> str:
    """Our source kind of ``rai:dataCollectionType``: the one kind its values map to, or other."""
    kinds = [_KIND_FROM_TYPE.get(t.lower()) for t in texts(doc.get("rai:dataCollectionType"))]
    known = [k for k in kinds if k]
    return known[0] if len(set(known)) == 1 else "other"


def source_of(doc: dict[str, Any]) -> dict[str, Any]:
    """The entry's ``source``: URL (``url``/``sameAs``), first creator's name, ``citeAs``."""
    creator = doc.get("creator")
    creators = creator if isinstance(creator, list) else [creator]
    org = next((n for c in creators if isinstance(c, dict) for n in texts(c.get("name"))), None)
    url = first(doc, "url", "sameAs")
    return {
        "url": url if url and "://" in url else None,
        "organization": org,
        "citation": first(doc, "citeAs"),
    }


def collection_period_of(doc: dict[str, Any]) -> dict[str, Any] | None:
    """The ``rai:dataCollectionTimeFrame`` (either spelling) as start and end dates."""
    period = texts(doc.get("rai:dataCollectionTimeFrame", doc.get("rai:dataCollectionTimeframe")))
    if not period:
        return None
    return {
        "start": period[0][:10],
        "end": period[-1][:10] if len(period) > 1 else None,
    }
