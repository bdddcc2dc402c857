"""Fuzz target for the command line: any argument list ends in exit 0, 1 or 2 with at most
one-line errors; never a traceback, never an unmapped ("unexpected") exception."""

from __future__ import annotations

import contextlib
import io
import tempfile
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from openmodel_gov._cli import main

from ._fuzz import FUZZ, cpu_bounded, hostile_text

#: Commands that only read (writing commands get their output in the temp folder).
_COMMANDS = [
    ["card", "validate"], ["card", "show"], ["card", "show", "--json"], ["card", "schema"],
    ["card", "convert", "--to", "json"], ["score"], ["mof"], ["license", "normalize"],
    ["license", "classify"], ["license", "derivative"], ["license", "mix", "--use", "research"],
    ["license", "outbound"], ["manifest", "verify"], ["manifest", "diff"],
    ["compliance", "build"], ["manifest", "build", "{tmp}/snap", "-o", "{tmp}/out.json"],
]  # fmt: skip
_OPTIONS = [
    "--json", "-q", "--format", "yaml", "json", "mot", "--datasets", "--license", "(((",
    "--name", "x", "--version", "1", "--source-kind", "user-data", "--fact", "a=b", "=",
    "--declare", "license=3", "--min", "nan", "--mode", "strict", "--to", "--", "-", "",
]  # fmt: skip


@pytest.fixture(scope="module")
def tmp() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="omg-fuzz-cli-") as name:
        folder = Path(name)
        (folder / "snap").mkdir()
        (folder / "snap" / "a.txt").write_text("a\n", encoding="utf-8")
        (folder / "latin1.yaml").write_bytes(b"datasets: [{name: caf\xe9}]\n")
        yield folder


def run_cli(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with (
        contextlib.redirect_stdout(out),
        contextlib.redirect_stderr(err),
        warnings.catch_warnings(),
    ):
        warnings.simplefilter("ignore")
        code = main(argv)
    return code, out.getvalue(), err.getvalue()


def _check(argv: list[str]) -> None:
    with cpu_bounded(f"openmodel-gov {' '.join(argv[:2])}"):
        code, _out, err = run_cli(argv)
    assert code in (0, 1, 2), (argv, code, err)
    assert "Traceback" not in err, (argv, err)
    assert "error: unexpected" not in err, (argv, err)
    assert "validation error for" not in err, (argv, err)  # a raw pydantic message


@FUZZ
@given(
    st.sampled_from(_COMMANDS),
    st.lists(st.one_of(st.sampled_from(_OPTIONS), st.sampled_from(["{tmp}/latin1.yaml",
                                                                   "{tmp}/doc.yaml",
                                                                   "{tmp}/snap"]),
                       st.text(max_size=12)), max_size=5),
    hostile_text,
)  # fmt: skip
@example(["license", "classify"], ["((("], "")
@example(["manifest", "verify"], ["\x00"], "")  # nightly run: ValueError "embedded null byte"
@example(["compliance", "build"], ["J"], "")  # nightly run: a 1.4 s wall-clock spike (load)
@example(
    ["manifest", "build", "{tmp}/snap", "-o", "{tmp}/out.json"],
    ["--datasets", "{tmp}/latin1.yaml"],
    "",
)
@example(
    ["manifest", "build", "{tmp}/snap", "-o", "{tmp}/out.json"],
    ["--name", "x", "--version", "1", "--license", "((("],
    "",
)
@example(["card", "show", "--json"], ["{tmp}/doc.yaml"], "name: x\nd: .inf\n")
@example(["card", "validate"], ["{tmp}/doc.yaml"], "a: " + "[" * 493 + "]" * 493)
def test_fuzz_cli_arguments(tmp: Path, command: list[str], extra: list[str], doc: str) -> None:
    (tmp / "doc.yaml").write_bytes(doc.encode("utf-8", "surrogatepass"))
    argv = [part.replace("{tmp}", str(tmp)) for part in [*command, *extra]]
    _check(argv)


def test_card_show_json_is_valid_json(tmp: Path) -> None:
    import json

    (tmp / "card.yaml").write_text(
        "schema: openmodel-gov/model-card/v1\nname: x\n", encoding="utf-8"
    )
    code, out, _err = run_cli(["card", "show", "--json", str(tmp / "card.yaml")])
    if code == 0:
        json.loads(out, parse_constant=lambda name: pytest.fail(f"{name} in --json output"))
