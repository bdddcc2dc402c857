"""Paths and text never mix: ``load_card`` takes paths (and mappings), ``load_card_text`` text."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from openmodel_gov._cli import main
from openmodel_gov.cards import ModelCard, load_card, load_card_text
from openmodel_gov.errors import (
    FileAccessError,
    InputError,
    OpenModelGovError,
    ParseError,
    PathNotFoundError,
)

REALWORLD = Path(__file__).resolve().parents[1] / "data" / "realworld" / "model_cards"


def test_a_missing_path_is_a_typed_not_found_error(tmp_path: Path) -> None:
    missing = tmp_path / "README"
    with pytest.raises(PathNotFoundError) as info:
        load_card(str(missing))
    assert isinstance(info.value, FileNotFoundError)
    assert info.value.source == str(missing)
    assert "load_card_text" in str(info.value)


def test_card_text_given_to_load_card_is_never_parsed() -> None:
    with pytest.raises(PathNotFoundError):
        load_card("---\nlicense: mit\n---\n# Model\n")
    with pytest.raises(PathNotFoundError):
        load_card("README-of-no-model.md")


def test_a_one_line_text_naming_a_file_is_read_as_text_by_load_card_text(tmp_path: Path) -> None:
    secret = tmp_path / "secret.md"
    secret.write_text("---\nlicense: mit\n---\n# Secret\n", encoding="utf-8")
    card = load_card_text(str(secret))
    assert card.license is None  # the text is the path's characters, no file was read
    assert card.body == str(secret)


def test_a_folder_without_a_card_is_refused(tmp_path: Path) -> None:
    with pytest.raises(FileAccessError, match="no model card"):
        load_card(tmp_path)


def test_empty_and_nul_paths_are_refused() -> None:
    with pytest.raises(InputError):
        load_card("")
    with pytest.raises(InputError):
        load_card("a\0b")


def test_load_card_text_takes_only_str() -> None:
    with pytest.raises(InputError, match="takes a str"):
        load_card_text(Path("README.md"))  # type: ignore[arg-type]
    with pytest.raises(InputError, match="unknown format"):
        load_card_text("x", format="docx")  # type: ignore[arg-type]


def test_load_card_text_source_names_errors_but_no_file() -> None:
    with pytest.raises(ParseError) as info:
        load_card_text("---\nlicense: mit\n", source="inline.md")
    assert info.value.source == "inline.md"
    assert load_card_text("# T\n", source="inline.md").source_path is None


def test_front_matter_after_blank_lines_bom_and_crlf_is_read() -> None:
    for text in (
        "\n\n---\nlicense: mit\nbase_model: a/b\n---\n# M\n",
        "\ufeff---\nlicense: mit\nbase_model: a/b\n---\n# M\n",
        "  \n---\r\nlicense: mit\r\nbase_model: a/b\r\n---\r\n# M\r\n",
    ):
        card = load_card_text(text)
        assert (card.license, card.base_models, card.name) == ("hf:mit", ["a/b"], "M")
        assert not any("no YAML front matter" in w for w in card.warnings)


def test_front_matter_line_numbers_count_the_leading_blank_lines() -> None:
    with pytest.raises(ParseError) as info:
        load_card_text("\n\n---\nlicense: mit\nlicense: mit\n---\n")
    assert info.value.line == 5


def test_front_matter_after_blank_lines_in_a_file(tmp_path: Path) -> None:
    path = tmp_path / "README.md"
    path.write_bytes(b"\r\n---\r\nlicense: apache-2.0\r\n---\r\n# Model\r\n")
    assert load_card(path).license == "hf:apache-2.0"


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = main(list(argv))
    out, _ = capsys.readouterr()
    return code, out


def test_cli_validate_never_says_valid_for_a_missing_path_or_a_folder(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    for target in (str(tmp_path / "README"), str(tmp_path)):
        code, out = run_cli(capsys, "card", "validate", target, "--json")
        assert code != 0
        assert json.loads(out)["valid"] is False
        code, out = run_cli(capsys, "card", "validate", target)
        assert code != 0
        assert "valid (" not in out


def test_cli_validate_reads_a_model_folder(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    (tmp_path / "README.md").write_bytes((REALWORLD / "mistralai__Mistral-7B-v0.1.md").read_bytes())
    code, out = run_cli(capsys, "card", "validate", str(tmp_path), "--json")
    assert code == 0
    assert json.loads(out)["valid"] is True


names = st.text(
    alphabet=st.characters(blacklist_categories=["Cs"], blacklist_characters="\0/\\"),
    min_size=1,
    max_size=30,
)


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=60)
@given(name=names, content=st.binary(max_size=300))
def test_any_existing_file_loads_or_gives_a_typed_error(
    tmp_path: Path, name: str, content: bytes
) -> None:
    path = tmp_path / "f"
    path.mkdir(exist_ok=True)
    target = path / name
    try:
        target.write_bytes(content)
    except OSError:  # names the file system refuses (".", "..", too long)
        return
    if not target.is_file():
        return
    outcome: object
    try:
        outcome = load_card(target)
    except OpenModelGovError as exc:
        outcome = exc
    finally:
        target.unlink()
    assert isinstance(outcome, (ModelCard, OpenModelGovError))
    assert not isinstance(outcome, PathNotFoundError)


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=60)
@given(name=names)
def test_any_missing_path_is_an_error(tmp_path: Path, name: str) -> None:
    target = tmp_path / "missing" / name
    with pytest.raises(OpenModelGovError) as info:
        load_card(os.fspath(target))
    assert isinstance(info.value, (PathNotFoundError, InputError))
