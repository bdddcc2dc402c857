"""The recognizers a detector runs: Presidio's registry with ours in place of some, the opt-in
recognizers of ours, and those a :class:`~openmodel_gov.pii.PiiConfig` adds.

Every Presidio-importing module is imported inside these functions, when a detector is built.
"""

from __future__ import annotations

from typing import Any

from openmodel_gov.pii._config import PiiConfig
from openmodel_gov.pii._facts import PiiFacts

__all__ = ["configured_recognizers", "extra_recognizers", "registry_for"]

_REPLACED = (
    "EmailRecognizer",
    "PhoneRecognizer",
    "CreditCardRecognizer",
    "IpRecognizer",
    "IbanRecognizer",
)


def registry_for(analyzer_mod: Any, engine: Any, config: PiiConfig, facts: PiiFacts) -> Any:
    """Presidio's predefined recognizers for the language, with ours in place of the email,
    phone, card, IP and IBAN ones, plus the country recognizers ``config.entities`` asks for."""
    from openmodel_gov.pii import _recognizers as rec
    from openmodel_gov.pii._cards import CardRecognizer
    from openmodel_gov.pii._iban import StrictIbanRecognizer
    from openmodel_gov.pii._ids import country_recognizers
    from openmodel_gov.pii._ip import StrictIpRecognizer
    from openmodel_gov.pii._phone import StrictPhoneRecognizer

    lang = config.language
    registry = analyzer_mod.RecognizerRegistry(supported_languages=[lang])
    registry.load_predefined_recognizers(languages=[lang], nlp_engine=engine)
    registry.recognizers = [r for r in registry.recognizers if r.name not in _REPLACED]
    registry.add_recognizer(rec.OfflineEmailRecognizer(supported_language=lang, facts=facts))
    for cls in (CardRecognizer, StrictPhoneRecognizer, StrictIpRecognizer, StrictIbanRecognizer):
        registry.add_recognizer(cls(facts=facts, supported_language=lang))
    for extra in country_recognizers(config.entities, facts=facts, language=lang):
        registry.add_recognizer(extra)
    return registry


def configured_recognizers(config: PiiConfig) -> list[Any]:
    """The deny-list recognizers, then the custom recognizers, of ``config``."""
    from openmodel_gov.pii import _recognizers as rec

    lang = config.language
    out = [
        rec.pattern_recognizer(
            entity_type=entity_type,
            name=f"DenyList[{entity_type}]",
            language=lang,
            patterns=[],
            deny_list=list(values),
            context=[],
        )
        for entity_type, values in config.deny_list.items()
    ]
    out.extend(
        rec.pattern_recognizer(
            entity_type=custom.entity_type,
            name=custom.name,
            language=lang,
            patterns=[(p.name, p.regex, p.score) for p in custom.patterns],
            deny_list=list(custom.deny_list),
            context=list(custom.context),
        )
        for custom in config.custom_recognizers
    )
    return out


def extra_recognizers(
    entities: tuple[str, ...], facts: PiiFacts, lang: str, *, nlp: Any
) -> list[Any]:
    """The opt-in recognizers of ours for ``entities``: secrets, dates of birth, addresses, names."""
    out: list[Any] = []
    if "SECRET" in entities:
        from openmodel_gov.pii._secrets import SecretRecognizer

        out.append(SecretRecognizer(facts=facts, supported_language=lang))
    if "DATE_OF_BIRTH" in entities:
        from openmodel_gov.pii._dates import DateOfBirthRecognizer

        out.append(DateOfBirthRecognizer(facts=facts, supported_language=lang))
    if nlp is None:
        return out  # no pipeline: pattern types only, as NoNerModelWarning says
    if "LOCATION" in entities:
        from openmodel_gov.pii._address import AddressRecognizer
        from openmodel_gov.pii._places import PlaceRecognizer

        out.append(AddressRecognizer(facts=facts, supported_language=lang, nlp=nlp))
        out.append(PlaceRecognizer(facts=facts, supported_language=lang, nlp=nlp))
    if "PERSON" in entities:
        from openmodel_gov.pii._names import NameRecognizer

        out.append(NameRecognizer(facts=facts, supported_language=lang, nlp=nlp))
    return out
