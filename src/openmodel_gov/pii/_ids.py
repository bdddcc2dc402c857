"""National identifiers: Presidio's country recognizers where they exist, ours where none does.

Presidio ships checksum-validating recognizers for many countries (UK NHS, ES NIF/NIE, IT
codice fiscale, IN Aadhaar (Verhoeff), PL PESEL, AU TFN/ABN, SG NRIC/FIN, DE Steuer-ID ...);
:func:`country_recognizers` builds them, for the text's language, only for the entity types a
configuration asks for (the classes are listed, with their sources, in ``recognizers.yaml``).
Ours cover what Presidio lacks or does not validate:

* ``BR_CPF``: Brazilian Cadastro de Pessoas Físicas, two mod-11 check digits (Receita Federal,
  Instrução Normativa RFB nº 2.172/2024, art. 2; the algorithm is published with the CPF rules).
* ``FR_NIR``: French numéro d'inscription au répertoire (INSEE / sécurité sociale): 13 characters
  and a key ``97 - (number mod 97)`` (INSEE, "Le NIR", Corsica ``2A``/``2B`` read as 19/18).
* ``CA_SIN``: Canadian Social Insurance Number with the Luhn check (Employment and Social
  Development Canada, "Social Insurance Number - Code of Practice", SIN validation; Presidio's
  recognizer has no checksum).
* ``DE_TAX_ID`` written in groups (``71 842 573 907``), validated by Presidio's own check.
"""

from __future__ import annotations

import importlib
import re
from typing import Any

from presidio_analyzer import EntityRecognizer, Pattern, PatternRecognizer

from openmodel_gov.pii._checksums import luhn_ok
from openmodel_gov.pii._facts import PiiFacts

__all__ = [
    "BrCpfRecognizer",
    "CaSinRecognizer",
    "FrNirRecognizer",
    "country_recognizers",
    "cpf_ok",
    "nir_ok",
]


def cpf_ok(digits: str) -> bool:
    """The two CPF check digits (mod 11, weights 10..2 then 11..2).

    >>> cpf_ok("52601815906"), cpf_ok("52601815907"), cpf_ok("11111111111")
    (True, False, False)
    """
    if len(digits) != 11 or not digits.isdigit() or len(set(digits)) == 1:
        return False
    values = [int(c) for c in digits]
    for size in (9, 10):
        total = sum(v * w for v, w in zip(values[:size], range(size + 1, 1, -1), strict=True))
        check = 0 if total % 11 < 2 else 11 - total % 11
        if values[size] != check:
            return False
    return True


def nir_ok(compact: str) -> bool:
    """The NIR key: ``97 - (13-character number mod 97)``, Corsica ``2A``/``2B`` as 19/18.

    >>> nir_ok("288087523407183"), nir_ok("288087523407184")
    (True, False)
    """
    if len(compact) != 15:
        return False
    body, key = compact[:13].upper(), compact[13:]
    body = body.replace("2A", "19", 1) if body[5:7] == "2A" else body
    body = body.replace("2B", "18", 1) if body[5:7] == "2B" else body
    if not (body.isdigit() and key.isdigit()):
        return False
    return 97 - int(body) % 97 == int(key)


class BrCpfRecognizer(PatternRecognizer):
    """Brazilian CPF numbers (``123.456.789-09``; 11 bare digits need a context word)."""

    def __init__(self, *, supported_language: str) -> None:
        super().__init__(
            supported_entity="BR_CPF",
            name="BrCpfRecognizer",
            supported_language=supported_language,
            patterns=[
                Pattern(
                    "CPF (formatted)", r"(?<![\w.-])\d{3}\.\d{3}\.\d{3}-\d{2}(?![\w-]|\.\d)", 0.5
                ),
                Pattern("CPF (bare)", r"(?<![\w.-])\d{11}(?![\w-]|\.\d)", 0.05),
            ],
            context=["cpf", "cadastro", "contribuinte", "receita"],
        )

    def validate_result(self, pattern_text: str) -> bool:
        """True when both check digits are right."""
        return cpf_ok(re.sub(r"[.-]", "", pattern_text))


class FrNirRecognizer(PatternRecognizer):
    """French NIR (INSEE) numbers, with or without the usual spaces, key checked."""

    def __init__(self, *, supported_language: str) -> None:
        super().__init__(
            supported_entity="FR_NIR",
            name="FrNirRecognizer",
            supported_language=supported_language,
            patterns=[
                Pattern(
                    "NIR",
                    r"(?<![\w-])[12] ?\d{2} ?(?:0[1-9]|1[0-2]|[2-9]\d) ?(?:\d{2}|2[ABab]) ?"
                    r"\d{3} ?\d{3} ?\d{2}(?![\w-])",
                    0.5,
                )
            ],
            context=["nir", "insee", "sécurité sociale", "securite sociale", "vitale", "ssn"],
        )

    def validate_result(self, pattern_text: str) -> bool:
        """True when the two-digit key matches."""
        return nir_ok(pattern_text.replace(" ", ""))


class CaSinRecognizer(PatternRecognizer):
    """Canadian SINs (``123 456 782``), Luhn-checked; bare 9 digits need a context word."""

    def __init__(self, *, supported_language: str) -> None:
        super().__init__(
            supported_entity="CA_SIN",
            name="CaSinRecognizer",
            supported_language=supported_language,
            patterns=[
                Pattern(
                    "SIN (grouped)",
                    r"(?<![\w.-])(?<!\+\d )(?<!\+\d\d )(?<!\+\d\d\d )[1-79]\d{2}([- ])\d{3}\1\d{3}(?![\w-])",
                    0.5,
                ),
                Pattern("SIN (bare)", r"(?<![\w.-])[1-79]\d{8}(?![\w-])", 0.05),
            ],
            context=["sin", "social insurance", "nas", "assurance sociale"],
        )

    def validate_result(self, pattern_text: str) -> bool:
        """True when the Luhn check passes."""
        return luhn_ok(re.sub(r"[ -]", "", pattern_text))


_OURS: dict[str, Any] = {
    "BR_CPF": BrCpfRecognizer,
    "FR_NIR": FrNirRecognizer,
    "CA_SIN": CaSinRecognizer,
}


def _compacting(cls: Any) -> Any:
    """``cls`` validating its match with spaces and dashes removed (for grouped patterns)."""

    class Compacting(cls):  # type: ignore[misc]
        def validate_result(self, pattern_text: str) -> Any:
            return super().validate_result(re.sub(r"[ -]", "", pattern_text))

    Compacting.__name__ = cls.__name__
    return Compacting


def country_recognizers(
    entities: tuple[str, ...], *, facts: PiiFacts, language: str
) -> list[EntityRecognizer]:
    """Recognizers for the national identifiers among ``entities`` (nothing for the others)."""
    out: list[EntityRecognizer] = []
    module = importlib.import_module("presidio_analyzer.predefined_recognizers")
    for entity in entities:
        if entity in _OURS:
            out.append(_OURS[entity](supported_language=language))
            continue
        spec = facts.country_recognizers.get(entity)
        if spec is None:
            continue
        cls = getattr(module, spec.presidio_class)
        if spec.compact_before_validate:
            cls = _compacting(cls)
        recognizer = cls(supported_language=language)
        if spec.extra_patterns:
            recognizer.patterns = [
                *recognizer.patterns,
                *(Pattern(p.name, p.regex, p.score) for p in spec.extra_patterns),
            ]
        out.append(recognizer)
    return out
