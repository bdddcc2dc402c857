"""IBANs as people write them (``pii/_iban.py``): any grouping, either case, any country of the
SWIFT IBAN Registry; check digits and lengths decide."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from presidio_analyzer.predefined_recognizers import IbanRecognizer

from openmodel_gov.pii._checksums import iban_ok
from openmodel_gov.pii._facts import load_facts
from openmodel_gov.pii._iban import StrictIbanRecognizer

from ._scan import found

# The example IBANs of the SWIFT IBAN Registry's country entries (and of ECBS/national banks'
# documentation for the same formats): public specimen values, nobody's account.
EXAMPLES = (
    "DE89370400440532013000",
    "GB82WEST12345698765432",
    "FR1420041010050500013M02606",
    "NL91ABNA0417164300",
    "BE68539007547034",
    "CH9300762011623852957",
    "ES9121000418450200051332",
    "IT60X0542811101000000123456",
    "PL61109010140000071219812874",
    "PT50000201231234567890154",
    "NO9386011117947",
    "MU17BOMM0101101030300200000MUR",
    "SE4550000000058398257466",
    "BR1800360305000010009795493C1",
    "SA0380000000608010167519",
    "GR1601101250000000012300695",
    "LC55HEMM000100010012001200023015",
    "RU0304452522540817810538091310419",
)
RECOGNIZER = StrictIbanRecognizer(facts=load_facts(), supported_language="en")


def ibans(text: str) -> list[str]:
    return [text[r.start : r.end] for r in RECOGNIZER.analyze(text, ["IBAN_CODE"])]


def written(iban: str, group: int, separator: str, lower: bool) -> str:
    """The country code and check digits together, the rest in groups of ``group``."""
    rest = iban[4:]
    value = separator.join((iban[:4], *(rest[i : i + group] for i in range(0, len(rest), group))))
    return value.lower() if lower else value


def test_the_examples_are_valid_and_as_long_as_the_registry_says() -> None:
    lengths = load_facts().iban_lengths
    for iban in EXAMPLES:
        assert iban_ok(iban), iban
        assert lengths[iban[:2]] == len(iban), iban
    assert not iban_ok("DE88370400440532013000")
    assert not iban_ok("DE89-3704")


@given(
    st.sampled_from(EXAMPLES),
    st.sampled_from((4, 4, 4, 3, 5, 8, 100)),
    st.sampled_from((" ", " ", "-", ".", "\u00a0")),
    st.booleans(),
    st.sampled_from(("", "IBAN: ", "iban=", "to account ", "konto ", '"')),
    st.sampled_from(("", " amount=12.50 EUR", " prosím zrušte.", ", bitte", '"', " 2 days")),
)
def test_ibans_in_any_grouping_and_case_are_found_whole(
    iban: str, group: int, separator: str, lower: bool, before: str, after: str
) -> None:
    value = written(iban, group, separator, lower)
    assert ibans(f"{before}{value}{after}") == [value]


@given(st.sampled_from(EXAMPLES), st.integers(min_value=4, max_value=40))
def test_a_changed_character_or_a_longer_run_is_no_iban(iban: str, position: int) -> None:
    index = position % len(iban)
    if index >= 2:
        digit = iban[index]
        changed = "7" if digit != "7" else "3"
        assert ibans(iban[:index] + changed + iban[index + 1 :]) == []
    assert ibans(iban + "7") == []  # runs on: part of a longer number
    assert ibans("X" + iban) == []  # glued to a word


def test_what_is_not_one_iban() -> None:
    assert ibans("Gläubiger-ID ES33000B86273149") == []  # a creditor id: passes mod 97, too short
    assert ibans("gb82 WEST 1234 5698 7654 32") == []  # cases mixed
    assert ibans("DE89 3704 0044 0532 0130 0012") == []  # one group too long
    assert ibans("De89370400440532013000") == []


def test_everything_presidio_finds_is_found() -> None:
    """Presidio's own recognizer run as its upper-case pattern is written, where its value
    ends with its token; a value of the wrong length that passes the check is still meant as
    an IBAN."""
    presidio = IbanRecognizer()
    text = (
        "płatne na konto PL16 1090 1014 0000 7121 9812 8745 61 lub gotówką; "
        "refund to DE89 3704 0044 0532 0130 00 and FR14 2004 1010 0505 0001 3M02 606."
    )
    theirs = [text[r.start : r.end] for r in presidio.analyze(text, ["IBAN_CODE"])]
    assert len(theirs) == 3
    assert set(theirs) <= set(ibans(text))


def test_a_lower_case_word_after_an_iban_does_not_hide_it() -> None:
    """Presidio's registry adds IGNORECASE to its IBAN pattern: "1056 pros" became a group."""
    text = "Dosavadní účet SK18 1100 0000 0029 3748 1056 prosím zrušte."
    assert ("IBAN_CODE", "SK18 1100 0000 0029 3748 1056") in found(text)
    assert ibans("item=1 creditor_iban=SE4450000000053291847102 amount=12500.00") == [
        "SE4450000000053291847102"
    ]
