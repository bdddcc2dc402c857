"""Street lines, postcodes and address columns as people write them (``pii/_address.py``)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from openmodel_gov.pii._address import AddressRecognizer
from openmodel_gov.pii._facts import PiiFacts, load_facts

from ._scan import found, values_of


def places(text: str) -> list[str]:
    return [value for kind, value in found(text) if kind == "LOCATION"]


def test_house_numbers_of_many_countries() -> None:
    for line in (
        "Subbelrather Str. 41a, 50823 Köln",  # a separate "Str." after an adjective
        "Landstraßer Hauptstraße 71/2/14, 1030 Wien",  # Austrian house/stair/door
        "Vondelstraat 27-II, 1054 GD Amsterdam",  # a Dutch floor
        "Oudegracht 214 bis, 3511 NV Utrecht",
        "Burgemeester Reigerstraat 14bis, Utrecht",
    ):
        assert places(f"Anschrift: {line}") == [line], line


def test_a_postcode_grows_back_over_its_street_and_town() -> None:
    assert places("Site: Hollybank Lane, Alphington, Exeter EX2 8TL") == [
        "Hollybank Lane, Alphington, Exeter EX2 8TL"
    ]
    assert places("Ffordd Penlan, Bangor LL57 4HJ") == ["Ffordd Penlan, Bangor LL57 4HJ"]
    assert places("12 Ashgrove Lawn, Ballincollig, Co. Cork, P31 KX92") == [
        "12 Ashgrove Lawn, Ballincollig, Co. Cork, P31 KX92"
    ]
    # neither a reference nor a CSV cell nor a column gap is part of the address
    assert "Invoice 2291" not in " ".join(places("Invoice 2291, Acme Widgets Ltd, Leeds LS6 2AB"))
    assert places("id,town,postcode\n7,Leeds,LS6 2QB\n") == ["Leeds", "LS6 2QB"]
    assert places("1   10232  Mill Stores   CF24 4HQ") == ["CF24 4HQ"]


def test_dutch_postcode_lines_and_address_blocks() -> None:
    block = "de heer T.A. Dijkstra\nOosterhamrikkade 19-b\n9713 BG Groningen\n\nObrigada."
    assert places(block) == ["Oosterhamrikkade 19-b", "9713 BG Groningen"]
    assert places("Bezorgadres: 3511 LX Utrecht") == ["3511 LX Utrecht"]


def test_address_columns_in_other_languages_and_locale_labels() -> None:
    table = "cliente;morada;codigo_postal;localidade;distrito\nAna;Rua do Souto 88;4700-329;Braga;Braga\n"
    assert places(table) == ["Rua do Souto 88", "4700-329", "Braga", "Braga"]
    assert places("| Region | Q1 |\n|---|---|\n| North | 1,204 |\n| South | 998 |") == []
    locale = '  morada: "Morada"\n  codigo_postal: "Código postal (XXXX-XXX)"\n'
    assert places(locale) == []
    assert places('{"ville": "Villeurbanne"}') == ["Villeurbanne"]


def test_dates_and_durations_are_no_house_numbers() -> None:
    assert places("l'intervention du 29/02/2024 réalisée par le Dr Mathieu Aubry") == []
    assert places("the DART station is about 4 minutes' walk.") == []


@given(
    st.integers(min_value=1, max_value=28),
    st.integers(min_value=1, max_value=12),
    st.integers(min_value=1990, max_value=2030),
)
def test_a_date_before_a_street_word_is_no_address(day: int, month: int, year: int) -> None:
    assert places(f"visit of {day:02d}/{month:02d}/{year} booked via the Dr on call") == []


def test_brazilian_address_lines_run_to_their_cep() -> None:
    line = "Rua Padre Chagas, 415 - Moinhos de Vento, Porto Alegre - RS, 90570-080"
    assert ("LOCATION", line) in found(f"Entrega: {line}")
    flat = "Rua Harmonia 1120, ap 52, Vila Madalena, São Paulo"
    assert ("LOCATION", flat) in found(f"endereço: {flat}")


def test_units_floors_and_provinces_in_brackets_stay_in_the_address() -> None:
    line = "Via Garibaldi 27, scala B, int. 9, 10122 Torino (TO)"
    assert ("LOCATION", line) in found(f"Indirizzo: {line}")
    floor = "Av. Paulista, 1578, 9º andar – Bela Vista, São Paulo – SP, 01310-200"
    assert ("LOCATION", floor) in found(f"Endereço: {floor}")


def test_a_preposition_before_a_glued_street_stays_out() -> None:
    text = "Our office is at Hauptstraße 5, 10115 Berlin."
    assert found(text) == [("LOCATION", "Hauptstraße 5, 10115 Berlin")]
    text = "Iscrizioni in oratorio, via Garibaldi 12, 24121 Bergamo"
    assert ("LOCATION", "via Garibaldi 12, 24121 Bergamo") in found(text)


def test_address_lines_of_india_wales_italy_and_spain() -> None:
    for text in (
        "No. 12, 3rd Cross, Indiranagar, Bengaluru 560038",
        "Flat 4B, Lakshmi Residency, 14th Cross, HAL 2nd Stage, Indiranagar, Bengaluru - 560038",
        "14 Heol y Nant, Whitchurch, Cardiff CF14 1JP",
        "Via Lodovico il Moro 58, 20143 Milano",
        "Via Padova 118, scala B, interno 9, 20127 Milano",
        "Av. del Puerto 118, pta. 7, 46023 València",
        "Salita Santa Caterina 6, int. 9, 16123 Genova",
    ):
        assert found(f"Address: {text}") == [("LOCATION", text)], text


def test_a_column_gap_ends_an_address() -> None:
    text = "Addr: 22 Foxglove Lane, Didsbury, Manchester M20 6RT   Mob 07923 418 256"
    assert found(text) == [
        ("LOCATION", "22 Foxglove Lane, Didsbury, Manchester M20 6RT"),
        ("PHONE_NUMBER", "07923 418 256"),
    ]
    assert found("Build Version 411045 released") == []


def test_mexican_address_lines_run_over_colonia_and_cp() -> None:
    for text in (
        "Av. Constitución 2050 Pte., Col. Centro, 64000 Monterrey, N.L.",
        "Calle Durango 247, Col. Roma Norte, C.P. 06700, Ciudad de México",
    ):
        assert found(f"Dirección: {text}") == [("LOCATION", text)], text


def test_the_words_around_a_street_come_from_the_facts() -> None:
    facts = load_facts()

    def spans(facts: PiiFacts, text: str) -> list[str]:
        recognizer = AddressRecognizer(facts=facts, supported_language="en")
        return [text[r.start : r.end] for r in recognizer.analyze(text, ["LOCATION"])]

    line = "Av. Juárez 88, Col. Centro, 44100 Guadalajara, Jal."
    assert spans(facts, f"Envío: {line}") == [line]
    assert spans(facts, "Training auf Kunstrasen Platz 2 ab 18 Uhr") == []
    assert spans(facts, "Prévoir 1 place par logement") == []
    # the same recognizer without the pitch and noun-street words reads both as streets
    words = facts.address_words.model_copy(update={"pitch_words": (), "noun_street_words": ()})
    bare = facts.model_copy(update={"address_words": words})
    assert spans(bare, "Training auf Kunstrasen Platz 2 ab 18 Uhr") == ["Kunstrasen Platz 2"]
    assert spans(bare, "Prévoir 1 place par logement") != []
    # a state abbreviation the facts do not list is read as a capitalised word, its dot left out
    mx = facts.address_words.model_copy(update={"mx_state_abbreviations": ("N.L.",)})
    unlisted = facts.model_copy(update={"address_words": mx})
    assert spans(unlisted, f"Envío: {line}") == [line.removesuffix(".")]


def test_quoted_values_keyed_places_and_mexican_roads() -> None:
    sql = "VALUES ('Tomasz', 'os. Piastów 22/118, 31-624 Kraków', '512 840 377');"
    assert "os. Piastów 22/118, 31-624 Kraków" in places(sql)  # without the closing quote
    assert places('{ nome: "Lucia", citta: "Torino" }') == ["Torino"]  # a key without accent
    line = "Blvd. Adolfo López Mateos 2771 Ote., León, Gto."
    assert found(f"Grupo Hospitalario\n{line}\nTel. +52 477 718 2240")[:1] == [("LOCATION", line)]


def test_a_note_after_the_town_ends_the_address_and_house_numbers_have_no_leading_zero() -> None:
    log = "0423 HAUSARZT DR. SEIFERT, NEUE STRASSE 4, 89073 ULM - BEFUND PER FAX"
    assert places(log) == ["NEUE STRASSE 4, 89073 ULM"]
    assert places("Domicile : 14 rue des Envierges, 75020 Paris - Tél. 06 72 41 18 95") == [
        "14 rue des Envierges, 75020 Paris"
    ]
    # a state code or a known place after the dash stays
    assert places("Rua Barão de Jaguara 1120, Campinas - SP") == [
        "Rua Barão de Jaguara 1120, Campinas - SP"
    ]


def test_places_in_titles_and_lower_case_words_before_numbers() -> None:
    assert places("Entregar no Edifício Marquês de Pombal, balcão 3") == []
    assert places("lunch at The Duke of Wellington (set menu)") == []
    assert places("subject to a wording change in para 3.4.") == []
    assert places("Propongo el sábado a las 19:00 en la terraza") == []
    assert places("I moved from munich last year") == ["munich"]


def test_tsv_cells_sql_cells_and_code_columns_are_their_own_spans() -> None:
    tsv = "emp_id\tname\tstreet\tcity\tprov\tpostal\nE-2233\tKiran Dhaliwal\t12793 72 Ave\tSurrey\tBC\tV3W 2M8\n"
    assert places(tsv) == ["12793 72 Ave", "Surrey", "BC", "V3W 2M8"]
    sql = (
        "INSERT INTO `clientes` (`id`,`nombre`,`cp`,`poblacion`) VALUES\n"
        "(881,'Lucía','46005','Valencia'),\n(882,'Ionut','41001','Sevilla');"
    )
    assert places(sql) == ["46005", "Valencia", "41001", "Sevilla"]
    pl = "imie\tnazwisko\tmiejscowosc\tkod\nAgnieszka\tWróblewska\tGdańsk\t80-288\n"
    assert "80-288" in places(pl)
    # a "kod" column of product codes holds no postcode
    assert places("nazwa;kod\nŚruba M6;40135\n") == []
    assert places('{"cidade":"Campinas","cep":"13083-852"}') == ["Campinas", "13083-852"]


def test_lower_case_street_lines_and_birthplace_columns() -> None:
    assert places("ciao, sono in via dei mille 24, 40121 bologna domani") == [
        "via dei mille 24, 40121 bologna"
    ]
    assert places("mieszkam ul. marszałkowska 84") == ["ul. marszałkowska 84"]
    # a street word that is also an English or common word starts no lower-case street
    assert places("sent via email 2 times; am besten zwischen 12 und 14") == []
    assert places("corso antincendio rischio medio per 14 ore") == []
    csv = "codice_fiscale,cognome,comune_nascita\nBNCGLI91D52F205U,BIANCHI,MILANO\n"
    assert places(csv) == ["MILANO"]


def test_glued_street_words_that_end_common_words_and_counted_things() -> None:
    # Dutch nouns in -ering, Italian participles in -gata and a short name are no glued street
    assert places("de aflevering 1 van seizoen 3 staat gepland") == []
    assert places("La Silvia, pagata 749 € con ordine n. 171") == []
    assert places("House points: Darwin 389, Seacole 371, Turing 355.") == []
    # capitalised streets with a real stem stay
    assert places("Lohnbüro, Hansaring 88, 50670 Köln") == ["Hansaring 88, 50670 Köln"]
    assert places("Gewerbering 7") == ["Gewerbering 7"]
    assert places("Storgatan 12, 111 51 Stockholm") == ["Storgatan 12, 111 51 Stockholm"]
    # a quantity and its count noun, the last digits of a masked card
    assert places('Angeblich nur 3000 Stück. Hat jemand die "Stereo"?') == []
    assert places("Card: VISA ************4416  Contactless  Auth 08392Z") == []
    assert places("Lieferung an 10115 Berlin") == ["10115 Berlin"]


def test_an_eircode_alone_needs_its_space() -> None:
    assert places('{"reg": "EI-LRB", "seats": 317, "cabin_cfg": "C30Y287"}') == []
    assert places("Ballinteer, Dublin D16 X2Y3") != []
    assert places("Eircode: D16X2Y3") == ["D16X2Y3"]


def test_a_carrier_after_via_is_no_street() -> None:
    assert places("Ships via UPS 1Z 9W7 R85 03 4412 8830, est. delivery 3-5 days.") == []
    assert places("abito in via XX Settembre 12, Genova") == ["via XX Settembre 12, Genova"]


def test_a_phrase_before_way_is_no_street() -> None:
    assert places("[07:03] fleet_desk: rescue loco 66 104 on its way, ETA 07:25") == []
    assert places("we live at 14 mill road, leeds") == ["14 mill road"]


def test_a_number_and_a_name_ending_in_a_common_word_is_no_postcode_and_town() -> None:
    trains = "12860 Gitanjali Express: late by 1h 45m, expected 14:20, coach B3 berth 41"
    assert values_of(trains, "LOCATION") == []
    assert ("LOCATION", "70044 Polignano") in found("CAP e città: 70044 Polignano")


def test_fuel_economy_and_speed_are_no_house_numbers() -> None:
    review = "Mileage is decent, around 35 kmpl on highway and 28 in city traffic."
    assert values_of(review, "LOCATION") == []
