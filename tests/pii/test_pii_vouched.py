"""First names vouched for by the other personal data of a text (``pii/_vouched.py``)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from openmodel_gov.pii import PiiConfig, scan_text

from ._scan import ALL, SM, found, people


def test_first_names_in_foreign_text_with_other_personal_data() -> None:
    ticket = "Ho chiamato il numero verde 06 4821 3390, mi ha risposto Francesca, gentilissima."
    assert "Francesca" in people(ticket)
    review = "Fuimos sin reserva y nos atendió Rubén. Reservas: reservas@casa-lloret.es"
    assert "Rubén" in people(review)


def test_without_other_personal_data_a_first_name_stays_unreported() -> None:
    assert people("Fuimos sin reserva y nos atendió Rubén, un encanto.") == []


def test_months_greetings_and_parts_of_longer_names_are_not_vouched() -> None:
    text = "Olá! Entrega em São Paulo dia 3 de Jun, tel. +55 11 98765-4321"
    assert people(text) == []


def test_the_allow_list_applies_to_vouched_names() -> None:
    config = PiiConfig(model=SM, entities=("PERSON", "PHONE_NUMBER"), allow_list=("Francesca",))
    ticket = "Ho chiamato il 06 4821 3390, mi ha risposto Francesca."
    assert ("PERSON", "Francesca") not in found(ticket, config)


@given(st.text(max_size=80))
def test_no_finding_or_model_readings_only_vouch_for_nobody(text: str) -> None:
    """Vouched names only join findings that exist: they never flag a clean text, nor one
    whose only findings are the model's own readings."""
    from openmodel_gov.pii import PiiFinding
    from openmodel_gov.pii._facts import load_facts
    from openmodel_gov.pii._vouched import VouchedFirstNames

    vouched = VouchedFirstNames(load_facts(), lambda word: True)  # every word a first name
    assert vouched.add(text, []) == []
    model = [PiiFinding("PERSON", 0, min(len(text), 3), 0.85, "SpacyRecognizer")]
    assert vouched.add(text, model) == model


def test_names_that_a_mailbox_spells() -> None:
    assert "Olumide Adeyemi" in people("ADMIN_CONTACT: Olumide Adeyemi <o.adeyemi@northwind.io>")
    row = "Marek Zieliński;+48 602 418 937;marek.zielinski88@wp.pl;Kraków"
    assert "Marek Zieliński" in people(row)
    assert "Kacper Wójcik" in people("Kacper Wójcik, kacper.w@onet.pl, MINI 55 km")
    assert "Heike Brückner" in people("Kontoinhaber Heike Brückner (heike.brueckner@gmx.de)")
    assert people("Support Team <support.team@northwind.io>") == []
    assert people("Kacper Wójcik, ticket 4471") == []


@given(
    st.sampled_from(["Olumide Adeyemi", "Marek Zieliński", "Support Team", "Lorem Ipsum"]),
    st.sampled_from(["o.adeyemi", "marek.zielinski88", "info", "support.team", "x_y-z"]),
    st.sampled_from(["<{m}@example.org>", "({m}@mail.example.com)", ";{m}@wp.pl;", "ref {m}"]),
)
def test_mailbox_names_need_an_address_and_never_overlap_it(
    name: str, local: str, shape: str
) -> None:
    text = f"{name} {shape.format(m=local)}"
    results = scan_text(text, config=ALL)
    mails = [(f.start, f.end) for f in results if f.entity_type == "EMAIL_ADDRESS"]
    assert len(mails) == ("@" in shape)
    spelled = [f for f in results if f.recognizer == "MailboxName"]
    assert all(f.end <= s or f.start >= e for f in spelled for s, e in mails)
    if not mails:
        assert spelled == []
