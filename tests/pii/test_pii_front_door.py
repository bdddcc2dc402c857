"""PII inputs through the bounded JSON front door: typed errors, lines, no record content."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from openmodel_gov.errors import ConfigError, OpenModelGovError, ParseError
from openmodel_gov.pii import PiiConfig, load_evalset, redact_file, scan_file
from openmodel_gov.pii._readers import JSONL_LIMITS, parse_json_line, read_state

CFG = PiiConfig(model="blank", entities=["EMAIL_ADDRESS"])
SECRET = "jane.doe@example.org"
DEEP = "[" * 10_000 + "]" * 10_000
#: Hostile JSON lines, each holding SECRET somewhere a careless message would echo it.
HOSTILE = {
    "deep": f'{{"text": "{SECRET}", "x": {DEEP}}}',
    "dup": f'{{"{SECRET}": 1, "{SECRET}": 2}}',
    "nan": f'{{"text": "{SECRET}", "x": NaN}}',
    "inf": f'{{"text": "{SECRET}", "x": 1e99999}}',
    "truncated": f'{{"text": "{SECRET}"',
    "not_an_object": f'["{SECRET}"]',
}


def _jsonl(path: Path, lines: list[bytes]) -> Path:
    path.write_bytes(b"".join(line + b"\n" for line in lines))
    return path


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_jsonl_lines_are_typed_errors_naming_the_line(tmp_path: Path, name: str) -> None:
    ok = b'{"text": "nothing here"}'
    src = _jsonl(tmp_path / "in.jsonl", [ok, ok, HOSTILE[name].encode()])
    with pytest.raises(ParseError) as info:
        scan_file(src, fields=["text"], config=CFG, on_error="raise")
    assert info.value.line == 3
    assert ":3" in str(info.value)
    assert "jane.doe" not in str(info.value)
    assert "99999" not in str(info.value)


def test_invalid_utf8_line_is_a_typed_error_with_a_column(tmp_path: Path) -> None:
    src = _jsonl(tmp_path / "in.jsonl", [b'{"text": "ab\xff"}'])
    with pytest.raises(ParseError, match="not valid UTF-8") as info:
        scan_file(src, fields=["text"], config=CFG, on_error="raise")
    assert (info.value.line, info.value.column) == (1, 13)


def test_hostile_lines_are_rejected_and_the_job_goes_on(tmp_path: Path) -> None:
    lines = [HOSTILE[name].encode() for name in sorted(HOSTILE)] + [b'{"text": "a@example.org"}']
    src = _jsonl(tmp_path / "in.jsonl", lines)
    out = tmp_path / "out.jsonl"
    report = redact_file(src, out, fields=["text"], config=CFG)
    assert report.records_rejected == len(HOSTILE)
    rejects = (tmp_path / "out.jsonl.rejects.jsonl").read_text(encoding="utf-8")
    assert "jane.doe" not in rejects
    assert out.read_text(encoding="utf-8").count("<EMAIL_ADDRESS>") == 1


def test_a_long_field_is_not_refused_by_the_scalar_bound() -> None:
    text = "x" * (2 * 1024 * 1024)
    record, problem, _ = parse_json_line(json.dumps({"text": text}).encode(), "in.jsonl", 1)
    assert problem is None
    assert record == {"text": text}
    assert JSONL_LIMITS.max_depth == 200


@settings(max_examples=80, deadline=None)
@given(st.binary(max_size=120))
def test_any_line_gives_a_record_or_a_problem(raw: bytes) -> None:
    record, problem, _ = parse_json_line(raw, "in.jsonl", 7)
    assert (problem is None) == isinstance(record, dict)


@pytest.mark.parametrize(
    "content",
    [DEEP.encode(), b"\xff\xfe", b'{"a": 1, "a": 2}', b'{"a": NaN}', b"[1]", b'{"fingerprint": '],
)
def test_a_corrupt_checkpoint_is_a_typed_error(tmp_path: Path, content: bytes) -> None:
    state = tmp_path / "checkpoint.json"
    state.write_bytes(content)
    with pytest.raises(ConfigError, match="checkpoint") as info:
        read_state(state)
    assert "resume=False" in str(info.value)


def test_a_corrupt_checkpoint_stops_a_resume_with_a_typed_error(tmp_path: Path) -> None:
    src = _jsonl(tmp_path / "in.jsonl", [b'{"text": "a@example.org"}'] * 3)
    out = tmp_path / "out.jsonl"
    work = tmp_path / "out.jsonl.pii-partial"
    work.mkdir()
    (work / "checkpoint.json").write_text(DEEP, encoding="utf-8")
    with pytest.raises(ConfigError, match="cannot be read"):
        redact_file(src, out, fields=["text"], config=CFG)
    report = redact_file(src, out, fields=["text"], config=CFG, resume=False)
    assert report.counts_by_entity == {"EMAIL_ADDRESS": 3}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_evalset_lines_are_typed_errors(tmp_path: Path, name: str) -> None:
    good = json.dumps({"id": "1", "text": "hi"}).encode()
    path = _jsonl(tmp_path / "gold.jsonl", [good, HOSTILE[name].encode()])
    with pytest.raises(OpenModelGovError) as info:
        load_evalset(path)
    assert isinstance(info.value, ParseError)
    assert info.value.line == 2
    assert "jane.doe" not in str(info.value)


def _front_door_only(raw: bytes) -> tuple[object, str | None]:
    """What ``parse_json_line`` answers without its fast path (the front door alone)."""
    from openmodel_gov._core._io import load_json_value
    from openmodel_gov.pii._readers import _reason

    try:
        value = load_json_value(raw.decode("utf-8"), line=1, source="in.jsonl", limits=JSONL_LIMITS)
    except ParseError as exc:
        return None, _reason(exc)
    if not isinstance(value, dict):
        return None, f"expected a JSON object, got {type(value).__name__}"
    return value, None


_JSON_ATOMS = st.sampled_from(
    ["1", "-0", "1e5", "1.5", "NaN", "Infinity", "-Infinity", "null", "true", "false", '"x"',
     '"\\ud800"', '""', "{}", '{"a": 1, "a": 2}', "1" * 30, "[", "]", ",", " ", "x"]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(
        st.lists(_JSON_ATOMS, max_size=8).map("".join),
        st.integers(0, 2 * JSONL_LIMITS.max_depth).map(lambda n: "[" * n + "1" + "]" * n),
        st.recursive(
            st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=5)),
            lambda inner: st.lists(inner, max_size=3),
            max_leaves=8,
        ).map(json.dumps),
    )
)
def test_short_non_object_lines_read_as_the_front_door_reads_them(line: str) -> None:
    """The fast path for short lines that are not objects gives the front door's exact answer."""
    raw = line.encode("ascii")  # json.dumps escapes every non-ASCII character
    record, problem, _ = parse_json_line(raw, "in.jsonl", 1)
    assert (record, problem) == _front_door_only(raw)


@settings(max_examples=200, deadline=None)
@given(
    st.integers(0, 10**9),
    st.one_of(st.none(), st.integers(1, 10**9)),
    st.text(max_size=40),
    st.one_of(st.none(), st.text(max_size=10)),
)
def test_reject_lines_are_the_sorted_json_of_the_problem(
    index: int, line: int | None, reason: str, field: str | None
) -> None:
    from openmodel_gov.pii._readers import RecordProblem

    problem = RecordProblem(index=index, line=line, reason=reason, field=field)
    expected = json.dumps(problem.to_dict(), sort_keys=True) + "\n"
    assert problem.to_json_line() == expected
    assert json.loads(problem.to_json_line()) == problem.to_dict()
