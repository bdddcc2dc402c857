"""Load the recognizer facts shipped in ``data/pii/recognizers.yaml`` (validated, loaded once)."""

from __future__ import annotations

import functools
from importlib import resources
from typing import TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from openmodel_gov._core._io import decode_utf8, load_yaml_document
from openmodel_gov.errors import SchemaValidationError, ValidationIssue

__all__ = [
    "AddressWords",
    "CardBrand",
    "CountryRecognizer",
    "PiiFacts",
    "SecretPattern",
    "load_facts",
    "load_wordlist",
]

_M = TypeVar("_M", bound=BaseModel)


class CardBrand(BaseModel):
    """One payment card brand: IIN prefixes (``"4"`` or ranges ``"2221-2720"``) and lengths."""

    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)

    brand: str
    prefixes: tuple[str, ...]
    lengths: tuple[int, ...]

    @field_validator("prefixes")
    @classmethod
    def _check_prefixes(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for item in value:
            low, _, high = item.partition("-")
            if not low.isdigit() or (high and (not high.isdigit() or len(high) != len(low))):
                raise ValueError(f"bad IIN prefix {item!r}")
        return value

    def matches(self, digits: str) -> bool:
        """True when ``digits`` has this brand's length and starts with one of its prefixes.

        >>> CardBrand(brand="mc", prefixes=("2221-2720",), lengths=(16,)).matches("2720" + "0" * 12)
        True
        """
        if len(digits) not in self.lengths:
            return False
        for item in self.prefixes:
            low, _, high = item.partition("-")
            head = digits[: len(low)]
            if (high and low <= head <= high) or (not high and head == low):
                return True
        return False


class ExtraPattern(BaseModel):
    """A pattern added to a Presidio recognizer (e.g. a grouped way of writing its number)."""

    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)

    name: str
    regex: str
    score: float = Field(gt=0, le=1)


class CountryRecognizer(BaseModel):
    """A Presidio predefined country recognizer used for one entity type, and its source."""

    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)

    presidio_class: str
    source: str
    extra_patterns: tuple[ExtraPattern, ...] = ()
    compact_before_validate: bool = False


class SecretPattern(BaseModel):
    """A credential shape no detect-secrets plugin covers, with its source."""

    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)

    kind: str
    regex: str
    source: str


class CodeRules(BaseModel):
    """The rules for texts marked as code (see :mod:`openmodel_gov.pii._code`)."""

    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)

    add_entities: tuple[str, ...] = ()
    drop_recognizers: tuple[str, ...] = ()
    thresholds: dict[str, float] = Field(default_factory=dict)


class AddressWords(BaseModel):
    """Words the street-line recognizer reads around a match (see :mod:`openmodel_gov.pii._address`)."""

    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)

    lead_prepositions: tuple[str, ...] = ()
    lead_stop_words: tuple[str, ...] = ()
    lower_case_articles: tuple[str, ...] = ()
    lower_case_street_prefixes: tuple[str, ...] = ()
    name_particles: tuple[str, ...] = ()
    unit_words_before: tuple[str, ...] = ()
    unit_words_after: tuple[str, ...] = ()
    floor_door_words: tuple[str, ...] = ()
    room_words: tuple[str, ...] = ()
    number_first_street_words: tuple[str, ...] = ()
    code_header_words: tuple[str, ...] = ()
    measure_units: tuple[str, ...] = ()
    noun_street_words: tuple[str, ...] = ()
    noun_street_followers: tuple[str, ...] = ()
    pitch_words: tuple[str, ...] = ()
    capitalised_glued_suffixes: tuple[str, ...] = ()
    mx_colonia_words: tuple[str, ...] = ()
    mx_cardinals: tuple[str, ...] = ()
    mx_state_abbreviations: tuple[str, ...] = ()


class PiiFacts(BaseModel):
    """The validated content of ``recognizers.yaml``."""

    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)

    version: int
    model_candidates: dict[str, tuple[str, ...]]
    ner_components: tuple[str, ...]
    default_threshold: float = Field(ge=0, le=1)
    thresholds: dict[str, float]
    precedence: dict[str, int]
    default_precedence: int
    card_brands: tuple[CardBrand, ...]
    iban_lengths: dict[str, int] = Field(default_factory=dict)
    card_test_numbers: tuple[str, ...] = ()
    card_test_words: tuple[str, ...] = ()
    card_words: tuple[str, ...] = ()
    phone_regions: tuple[str, ...]
    phone_context: tuple[str, ...]
    phone_bare_digits_context_window: int = Field(ge=0)
    phone_support_words: tuple[str, ...] = ()
    phone_message_verbs: tuple[str, ...] = ()
    phone_grouping_regions: tuple[str, ...] = ()
    ip_negative_prefixes: tuple[str, ...]
    ner_split: tuple[str, ...]
    ner_strip_leading_words: tuple[str, ...]
    ner_noun_phrase_leads: tuple[str, ...] = ()
    article_contractions: tuple[str, ...] = ()
    place_disease_words: tuple[str, ...] = ()
    self_introductions: tuple[str, ...] = ()
    whereabouts_cues: tuple[str, ...] = ()
    pan_personal_status_letters: tuple[str, ...] = ()
    org_columns: tuple[str, ...] = ()
    software_names: tuple[str, ...] = ()
    org_legal_forms: tuple[str, ...] = ()
    company_id_words: tuple[str, ...] = ()
    unit_words: tuple[str, ...] = ()
    greeting_words: tuple[str, ...] = ()
    ner_reject_chars: str
    ner_require_capitalized: tuple[str, ...]
    phone_min_digits: int = Field(ge=1)
    phone_reference_words: tuple[str, ...] = ()
    entity_min_digits: dict[str, int] = Field(default_factory=dict)
    code_rules: CodeRules = CodeRules()
    surname_alone_cues: tuple[str, ...] = ()
    person_cues: tuple[str, ...] = ()
    name_field_labels: tuple[str, ...] = ()
    courtesy_titles: tuple[str, ...] = ()
    surname_particles: tuple[str, ...] = ()
    geographic_words: tuple[str, ...] = ()
    sign_offs: tuple[str, ...] = ()
    entity_catalog: dict[str, str]
    country_recognizers: dict[str, CountryRecognizer]
    secret_plugins: tuple[str, ...]
    secret_patterns: tuple[SecretPattern, ...]
    secret_placeholders: tuple[str, ...]
    secret_placeholder_markers: tuple[str, ...] = ()
    phone_other_id_words: tuple[str, ...] = ()
    dob_context: tuple[str, ...]
    dob_columns: tuple[str, ...]
    dob_example_words: tuple[str, ...] = ()
    birth_subjects: tuple[str, ...] = ()
    birth_non_person_subjects: tuple[str, ...] = ()
    age_words: tuple[str, ...] = ()
    month_names: tuple[str, ...]
    weekday_names: tuple[str, ...] = ()
    street_suffixes_en: tuple[str, ...]
    street_suffixes_glued: tuple[str, ...]
    street_prefixes: tuple[str, ...]
    street_name_prefixes: tuple[str, ...] = ()
    address_words: AddressWords = AddressWords()
    postcode_patterns: dict[str, str]
    postcode_context: tuple[str, ...]
    location_columns: tuple[str, ...]
    internal_email_suffixes: tuple[str, ...]
    email_not_mailbox_locals: tuple[str, ...]
    ip_not_host: tuple[str, ...]
    version_words: tuple[str, ...]
    ip_host_words: tuple[str, ...]
    ip_public_resolvers: tuple[str, ...] = ()
    context_required: dict[str, tuple[str, ...]]
    recognizer_precedence: dict[str, int]
    not_person_words: tuple[str, ...]
    not_location_words: tuple[str, ...]
    person_columns: tuple[str, ...]
    known_organisations: tuple[str, ...]
    eponymous_things: tuple[str, ...] = ()
    saint_titles: tuple[str, ...] = ()
    placeholder_names: tuple[str, ...] = ()
    feast_words: tuple[str, ...] = ()
    church_words: tuple[str, ...] = ()
    colour_words: tuple[str, ...] = ()
    colour_shades: tuple[str, ...] = ()
    creative_work_words: tuple[str, ...] = ()
    creative_work_min_words: int = Field(default=2, ge=1)
    thing_topics: dict[str, tuple[str, ...]] = Field(default_factory=dict)
    credit_words: tuple[str, ...] = ()
    org_suffix_words: tuple[str, ...] = ()
    org_prefix_words: tuple[str, ...] = ()
    place_plural_words: tuple[str, ...] = ()
    place_prepositions: tuple[str, ...]

    def rank(self, entity_type: str) -> int:
        """Precedence rank of ``entity_type`` (higher wins overlaps).

        >>> load_facts().rank("CREDIT_CARD") > load_facts().rank("US_BANK_NUMBER")
        True
        """
        return self.precedence.get(entity_type, self.default_precedence)

    def rank_of(self, entity_type: str, recognizer: str) -> int:
        """Precedence of a finding: its recognizer's own rank if it has one, else its type's.

        >>> load_facts().rank_of("LOCATION", "AddressRecognizer") > load_facts().rank("PERSON")
        True
        """
        return self.recognizer_precedence.get(recognizer, self.rank(entity_type))


@functools.cache
def load_wordlist(name: str) -> frozenset[str]:
    """A shipped word list (``first_names``, ``last_names``, ``places``, ``stop_words``),
    case-folded.

    >>> "maria" in load_wordlist("first_names")
    True
    """
    if name not in ("first_names", "last_names", "places", "stop_words"):
        raise ValueError(f"no word list called {name!r}")
    data = resources.files("openmodel_gov").joinpath(f"data/pii/{name}.txt").read_text("utf-8")
    return frozenset(
        line.strip().casefold() for line in data.splitlines() if line and not line.startswith("#")
    )


def load_shipped(name: str, model: type[_M], what: str) -> _M:
    """Read and validate the shipped data file ``data/pii/<name>`` as ``model``."""
    source = f"openmodel_gov/data/pii/{name}"
    data = resources.files("openmodel_gov").joinpath(f"data/pii/{name}").read_bytes()
    doc = load_yaml_document(decode_utf8(data, source=source), source=source)
    try:
        return model.model_validate(doc.data, strict=False)
    except ValidationError as exc:  # pragma: no cover - the shipped files are tested
        issues = [
            ValidationIssue(e["msg"], field=".".join(map(str, e["loc"])), source=source)
            for e in exc.errors()
        ]
        raise SchemaValidationError(what, issues=issues, source=source) from None


@functools.cache
def load_facts() -> PiiFacts:
    """Load and validate the shipped facts once per process."""
    return load_shipped("recognizers.yaml", PiiFacts, "invalid PII facts")
