"""``PiiConfig``: what to detect, how sure to be, and what to do with each finding."""

from __future__ import annotations

import difflib
import hashlib
import hmac
import json
import re
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SecretBytes,
    StringConstraints,
    ValidationError,
    field_validator,
    model_validator,
)

from openmodel_gov.errors import ConfigError

__all__ = [
    "DEFAULT_ENTITIES",
    "NATIONAL_IDS",
    "PRESETS",
    "CustomRecognizer",
    "Operator",
    "PiiConfig",
    "RecognizerPattern",
    "build_config",
    "entity_types",
]

#: National identifiers with a checksum-validating recognizer (see ``recognizers.yaml``).
NATIONAL_IDS: tuple[str, ...] = (
    "UK_NHS", "UK_NINO", "ES_NIF", "ES_NIE", "IT_FISCAL_CODE", "IN_PAN", "IN_AADHAAR",
    "PL_PESEL", "DE_TAX_ID", "FR_NIR", "BR_CPF", "CA_SIN", "AU_TFN", "AU_ABN", "SG_NRIC_FIN",
)  # fmt: skip

#: Entity sets for the two common uses (``PiiConfig.preset(name)``):
#: ``training-data`` redacts people, places, dates of birth, contact data, identifiers and
#: secrets; ``logs`` scrubs machine-shaped values only (contact data, network addresses,
#: identifiers, secrets) and leaves names to an opt-in, because NER on log lines is noisy.
PRESETS: dict[str, tuple[str, ...]] = {
    "training-data": (
        "PERSON", "LOCATION", "DATE_OF_BIRTH", "EMAIL_ADDRESS", "PHONE_NUMBER", "CREDIT_CARD",
        "IBAN_CODE", "IP_ADDRESS", "US_SSN", "SECRET", *NATIONAL_IDS,
    ),
    "logs": (
        "EMAIL_ADDRESS", "PHONE_NUMBER", "IP_ADDRESS", "CREDIT_CARD", "IBAN_CODE", "US_SSN",
        "SECRET", *NATIONAL_IDS,
    ),
}  # fmt: skip

#: Entity types detected when ``PiiConfig.entities`` is not given (Presidio's names).
DEFAULT_ENTITIES: tuple[str, ...] = (
    "PERSON",
    "LOCATION",
    "EMAIL_ADDRESS",
    "PHONE_NUMBER",
    "CREDIT_CARD",
    "IBAN_CODE",
    "IP_ADDRESS",
    "US_SSN",
)

EntityType = Annotated[str, StringConstraints(pattern=r"^[A-Z][A-Z0-9_]{0,63}$")]
_STRICT = ConfigDict(frozen=True, extra="forbid", strict=True)
#: Where a transformer NER model runs (``PiiConfig.device``).
Device = Annotated[str, StringConstraints(pattern=r"^(?:auto|cpu|cuda(?::[0-9]{1,2})?)$")]


class Operator(BaseModel):
    """What replaces a finding.

    * ``replace``: ``<EMAIL_ADDRESS>`` (or ``new_value``, where ``{entity_type}`` is filled in);
    * ``mask``: every character but the last ``keep_last`` becomes ``masking_char``;
    * ``redact``: the value is removed;
    * ``pseudonymize``: ``<EMAIL_ADDRESS_9f86d081884c>``, a keyed HMAC-SHA-256 of the value, so the
      same value maps to the same token across a dataset without the value being stored.

    >>> Operator(kind="mask", keep_last=4).kind
    'mask'
    """

    model_config = _STRICT

    kind: Literal["replace", "mask", "redact", "pseudonymize"] = "replace"
    new_value: str | None = None
    masking_char: Annotated[str, StringConstraints(min_length=1, max_length=1)] = "*"
    keep_last: int = Field(default=0, ge=0)
    token_length: int = Field(default=12, ge=8, le=64)


class RecognizerPattern(BaseModel):
    """One regular expression of a custom recognizer and the score of its matches."""

    model_config = _STRICT

    name: str
    regex: str
    score: float = Field(default=0.6, gt=0, le=1)

    @field_validator("regex")
    @classmethod
    def _compiles(cls, value: str) -> str:
        try:
            re.compile(value)
        except re.error as exc:
            raise ValueError(f"regex does not compile: {exc}") from None
        return value


class CustomRecognizer(BaseModel):
    """A caller's pattern/deny-list recognizer (turned into a Presidio ``PatternRecognizer``).

    >>> r = CustomRecognizer(name="employee_id", entity_type="EMPLOYEE_ID",
    ...                      patterns=[RecognizerPattern(name="id", regex=r"\\bEMP-\\d{6}\\b")])
    >>> r.entity_type
    'EMPLOYEE_ID'
    """

    model_config = _STRICT

    name: Annotated[str, StringConstraints(min_length=1)]
    entity_type: EntityType
    patterns: tuple[RecognizerPattern, ...] = Field(default=(), strict=False)
    deny_list: tuple[str, ...] = Field(default=(), strict=False)
    context: tuple[str, ...] = Field(default=(), strict=False)

    @model_validator(mode="after")
    def _has_something(self) -> CustomRecognizer:
        if not self.patterns and not self.deny_list:
            raise ValueError("a custom recognizer needs patterns or a deny_list")
        return self


class PiiConfig(BaseModel):
    """Frozen options for PII detection and redaction.

    Attributes:
        entities: entity types to detect (Presidio names).
        thresholds: minimum score per entity type, over the shipped per-type defaults
            (phone numbers score 0.4 in Presidio, so one global 0.5 would drop them all).
        default_threshold: minimum score for types without their own threshold.
        language: text language (ISO 639-1).
        model: spaCy pipeline package name or directory, or a Hugging Face token-classification
            model directory (the ``[ner]`` extra); ``None`` picks the best installed pipeline
            for ``language``; ``"blank"`` runs the pattern recognizers only.
        allow_list: exact values never reported (e.g. a project's public support address).
        allow_patterns: regular expressions of values never reported.
        deny_list: entity type -> values always reported as that type.
        operators: entity type -> operator; others use ``default_operator``.
        default_operator: operator for types not in ``operators``.
        pseudonym_key: secret HMAC key for ``pseudonymize`` (required when used; never generated).
        custom_recognizers: extra pattern / deny-list recognizers.
        batch_size: texts per ``nlp.pipe`` batch.
        device: where a transformer NER model (``model=<model directory>``) runs: ``"auto"``
            (the first CUDA GPU when torch sees one, else the CPU), ``"cpu"`` or ``"cuda:N"``.
        code_fields: dataset fields that hold code or configuration: their values are scanned
            with the code-aware rules (secrets on, NER name guesses off, phone numbers need a
            context word; see ``openmodel_gov.pii._code``).
        code: scan every text with the code-aware rules (e.g. ``scan_text`` on a source file).
        require_support: report a spaCy (or ``model=<dir>``) reading of a person or place
            only when something in the text supports it: another finding, a cue word before
            it (``Mr.``, ``I'm``, ``thanks``, ``from``), a signature dash, a chat speaker. On
            text about characters, products and games the model's readings are mostly wrong.
            A text whose only findings are capitalised place readings (a listed place after a
            preposition, or the model's) keeps none of them: a place alone names no one.
            A text whose only findings are phone numbers written without ``+`` and not in
            their country's own digit groups keeps them only with a word of reaching someone
            in it (``call``, ``Tel.``, ``text me``, ``mi número``): else they are references
            and part numbers. Set ``False`` to report every model reading, every lone place
            and every such number (recall first).

    >>> cfg = PiiConfig(entities=["EMAIL_ADDRESS"], operators={"EMAIL_ADDRESS": "mask"})
    >>> cfg.operator_for("EMAIL_ADDRESS").kind
    'mask'
    >>> PiiConfig(default_operator="pseudonymize")
    Traceback (most recent call last):
    ...
    openmodel_gov.errors.ConfigError: PiiConfig: $.pseudonym_key: the 'pseudonymize' operator needs a secret key ...
    """

    model_config = ConfigDict(frozen=True, extra="forbid", strict=True, hide_input_in_errors=True)

    entities: tuple[EntityType, ...] = DEFAULT_ENTITIES
    thresholds: dict[EntityType, Annotated[float, Field(ge=0, le=1)]] = Field(default_factory=dict)
    default_threshold: float | None = Field(default=None, ge=0, le=1)
    language: Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}$")] = "en"
    model: str | None = None
    allow_list: tuple[str, ...] = ()
    allow_patterns: tuple[str, ...] = ()
    deny_list: dict[EntityType, tuple[str, ...]] = Field(default_factory=dict)
    operators: dict[EntityType, Operator] = Field(default_factory=dict)
    default_operator: Operator = Operator()
    pseudonym_key: SecretBytes | None = None
    custom_recognizers: tuple[CustomRecognizer, ...] = ()
    batch_size: int = Field(default=64, ge=1, le=10_000)
    device: Device = "auto"
    code_fields: tuple[str, ...] = ()
    code: bool = False
    require_support: bool = True

    def __init__(self, **data: object) -> None:
        try:
            super().__init__(**_coerce(data))
        except ValidationError as exc:
            raise _config_error(exc) from None

    @field_validator("entities")
    @classmethod
    def _non_empty(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if not value:
            raise ValueError("give at least one entity type")
        return tuple(dict.fromkeys(value))

    @field_validator("allow_patterns")
    @classmethod
    def _patterns_compile(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for index, pattern in enumerate(value):
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ValueError(f"allow_patterns[{index}] does not compile: {exc}") from None
        return value

    @model_validator(mode="after")
    def _entities_known(self) -> PiiConfig:
        from openmodel_gov.pii._facts import load_facts

        known = set(load_facts().entity_catalog)
        known.update(c.entity_type for c in self.custom_recognizers)
        known.update(self.deny_list)
        for where, names in (
            ("entities", self.entities),
            ("thresholds", tuple(self.thresholds)),
            ("operators", tuple(self.operators)),
        ):
            unknown = [e for e in names if e not in known]
            if unknown:
                close = difflib.get_close_matches(unknown[0], sorted(known), n=1)
                guess = f" (did you mean {close[0]}?)" if close else ""
                raise ValueError(
                    f"{where}: unknown entity type {unknown[0]!r}{guess}; known types are listed "
                    "by openmodel_gov.pii.entity_types(), or add a custom recognizer for it"
                )
        return self

    @model_validator(mode="after")
    def _key_when_needed(self) -> PiiConfig:
        kinds = {op.kind for op in (self.default_operator, *self.operators.values())}
        if "pseudonymize" in kinds:
            key = self.pseudonym_key
            if key is None or len(key.get_secret_value()) < 16:
                raise ValueError(
                    "pseudonym_key: the 'pseudonymize' operator needs a secret key of at least "
                    "16 bytes from the caller"
                )
        return self

    @classmethod
    def preset(cls, name: Literal["training-data", "logs"], **options: object) -> PiiConfig:
        """Options for a common use: ``"training-data"`` or ``"logs"`` (see :data:`PRESETS`).

        >>> "SECRET" in PiiConfig.preset("logs").entities
        True
        >>> "PERSON" in PiiConfig.preset("logs").entities
        False
        """
        if name not in PRESETS:
            raise ConfigError(
                f"no preset called {name!r}", source="PiiConfig", field="$.preset",
                hint="presets: " + ", ".join(PRESETS),
            )  # fmt: skip
        return cls(**{"entities": PRESETS[name], **options})

    def operator_for(self, entity_type: str) -> Operator:
        """The operator applied to findings of ``entity_type``."""
        return self.operators.get(entity_type, self.default_operator)

    def fingerprint(self) -> str:
        """A stable digest of these options (the key enters only through an HMAC).

        >>> PiiConfig().fingerprint() == PiiConfig().fingerprint()
        True
        """
        data = self.model_dump(mode="json", exclude={"pseudonym_key", "batch_size"})
        key = self.pseudonym_key.get_secret_value() if self.pseudonym_key else b""
        data["key_id"] = hmac.new(key, b"openmodel-gov/pii/key-id", hashlib.sha256).hexdigest()
        return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


def _coerce(data: dict[str, object]) -> dict[str, object]:
    """Accept lists for tuples, ``"mask"`` for ``Operator(kind="mask")`` and str/bytes keys."""
    out = dict(data)
    for name in ("entities", "allow_list", "allow_patterns", "custom_recognizers", "code_fields"):
        if isinstance(out.get(name), list):
            out[name] = tuple(out[name])  # type: ignore[arg-type]
    ops = out.get("operators")
    if isinstance(ops, dict):
        out["operators"] = {k: _operator(v, ("operators", k)) for k, v in ops.items()}
    if "default_operator" in out:
        out["default_operator"] = _operator(out["default_operator"], ("default_operator",))
    deny = out.get("deny_list")
    if isinstance(deny, dict):
        out["deny_list"] = {k: tuple(v) if isinstance(v, list) else v for k, v in deny.items()}
    key = out.get("pseudonym_key")
    if isinstance(key, str):
        out["pseudonym_key"] = SecretBytes(key.encode("utf-8"))
    elif isinstance(key, bytes):
        out["pseudonym_key"] = SecretBytes(key)
    return out


def _operator(value: object, where: tuple[str, ...]) -> object:
    if not isinstance(value, (str, dict)):
        return value
    try:
        if isinstance(value, str):
            return Operator(kind=value)  # type: ignore[arg-type]
        return Operator.model_validate(value, strict=False)
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = ".".join(map(str, (*where, *first["loc"])))
        raise ConfigError(
            str(first["msg"]),
            source="PiiConfig",
            field=f"$.{loc}",
            hint="operators are replace, mask, redact or pseudonymize",
        ) from None


def _config_error(exc: ValidationError) -> ConfigError:
    first = exc.errors()[0]
    loc = ".".join(str(p) for p in first["loc"])
    message = str(first["msg"]).removeprefix("Value error, ")
    for name in ("pseudonym_key", "entities", "thresholds", "operators"):
        if message.startswith(f"{name}: "):
            loc, message = name, message.removeprefix(f"{name}: ")
    more = len(exc.errors()) - 1
    if more:
        message += f" (and {more} more problem{'s' if more > 1 else ''})"
    return ConfigError(
        message,
        source="PiiConfig",
        field=f"$.{loc}" if loc else "$",
        hint="see help(openmodel_gov.pii.PiiConfig)",
    )


def build_config(config: PiiConfig | None) -> PiiConfig:
    """``config`` or the default options."""
    return config if config is not None else PiiConfig()


def entity_types() -> dict[str, str]:
    """Every entity type ``PiiConfig`` accepts, with what detects it.

    >>> entity_types()["BR_CPF"]
    'BrCpfRecognizer (mod 11)'
    """
    from openmodel_gov.pii._facts import load_facts

    return dict(load_facts().entity_catalog)
