"""Dates of birth: years alone, birth verbs, format examples and bounds (``pii/_dates.py``)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from ._scan import found


def births(text: str) -> list[str]:
    return [value for kind, value in found(text) if kind == "DATE_OF_BIRTH"]


def test_a_year_alone_after_a_birth_word_with_a_person() -> None:
    assert births("I was born in 1971 and the year list starts at 1975") == ["1971"]
    assert births("mi hija nació en 2019, por eso hoy tarta") == ["2019"]
    assert births("Born: 1948") == ["1948"]
    assert births("Katarzyna Wróbel, ur. 1978 w Olsztynie") == ["1978"]
    assert births("the band was born in 1999 in a garage") == []
    assert births("la marca nació en 1979 y este año celebramos") == []
    assert births("La cooperativa, nata nel 1962 come consorzio") == []


def test_birth_verbs_of_more_languages() -> None:
    assert births("mi hija nació el 12/12/2019 a las 4") == ["12/12/2019"]
    assert births("ur. 14.07.1978 r. w Olsztynie") == ["14.07.1978"]


def test_format_examples_and_bounds_are_no_dates_of_birth() -> None:
    form = "het veld geboortedatum invullen als DD-MM-JJJJ, bijvoorbeeld 01-01-2000."
    assert births(form) == []
    assert births("CHECK (date_of_birth >= DATE '1900-01-01')") == []
    assert births("DOB: 03/07/1988") == ["03/07/1988"]


@given(st.integers(min_value=1900, max_value=2029), st.sampled_from(["e.g.", "z.B.", "np."]))
def test_an_example_year_is_no_birth(year: int, example: str) -> None:
    assert births(f"Geburtsdatum, {example} 01.01.{year}") == []


def test_births_of_companies_labels_and_pets_are_no_dates_of_birth() -> None:
    assert births("La empresa nació el 3 de marzo de 1987 como un pequeño taller") == []
    assert births("Date de naissance du label « Chantier propre » : 07/11/2014") == []
    assert births("my golden retriever Biscuit (born 10/12/2019) gets the front seat") == []
    assert births("Mrs Okafor was born on 3 March 1987 in a taller house") == ["3 March 1987"]


def test_a_birth_word_on_an_earlier_line_does_not_date_a_log_line() -> None:
    log = (
        "[2024-03-11 09:14:06] WARN fila 1033: fecha_nacimiento vacía, se deja NULL\n"
        "[2024-03-11 09:14:09] INFO 1.482 registros importados\n"
    )
    assert births(log) == []
    chat = "[09:17] Agent: Votre date de naissance pour confirmer ?\n[09:17] Client : 14/01/1992"
    assert births(chat) == ["14/01/1992"]
    form = "Date of birth (dd/mm/yyyy)\n03/07/1988 09:00"
    assert births(form) == ["03/07/1988"]


def test_a_date_in_brackets_after_an_age_is_a_date_of_birth() -> None:
    assert births("Age/Sex: age 38 (11/07/1986) / F") == ["11/07/1986"]
    assert births("Ordenante: Ana Rojo — F. nac.: 28/02/1979") == ["28/02/1979"]
    assert births("batch age 3 (weeks), bottled 11/07/2024") == []


def test_sql_placeholder_lists_are_no_dates_of_birth() -> None:
    sql = "UPDATE p SET date_of_birth = NULL WHERE date_of_birth IN (DATE '1970-01-01');"
    assert births(sql) == []


def test_a_birth_key_in_code_without_quotes() -> None:
    assert births('{ nome: "Lucia", nascita: "1978-06-12" }') == ["1978-06-12"]
    assert births('{ created: "1978-06-12" }') == []
