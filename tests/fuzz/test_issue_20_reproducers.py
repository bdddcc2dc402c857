"""The reproducers of issue 20 as written in the issue, each through the public call it names.

Most live beside the code they exercise (``tests/fuzz/test_fuzz_*``, ``tests/cards``,
``tests/pii/test_pii_jobs.py``, ``tests/manifests/test_integrity.py``,
``tests/cli/test_cli_front_door.py``); these are the ones that were only covered through a
lower-level call.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from pathlib import Path

import pytest

from openmodel_gov._core._io import load_json_value
from openmodel_gov.cards import load_card_text
from openmodel_gov.errors import InputTooLargeError, ParseError
from openmodel_gov.manifests import DatasetEntry, build_manifest, parse_manifest
from openmodel_gov.pii import PiiFinding

from .test_fuzz_parsers import ISSUE_20_YAML


@pytest.mark.parametrize("text", ISSUE_20_YAML)
def test_card_yaml_reproducers_are_typed(text: str) -> None:
    with pytest.raises(ParseError):
        load_card_text(text, format="yaml")


def test_card_with_infinity_never_reaches_to_json() -> None:
    with pytest.raises(ParseError, match="non-finite"):
        load_card_text("d: .inf", format="yaml").to_json()


def test_a_1m_key_card_is_refused_by_the_node_bound() -> None:
    text = "".join(f"k{i}: v\n" for i in range(300_000))  # past the 250,000-node bound
    with pytest.raises(InputTooLargeError, match="more than 250000 nodes"):
        load_card_text(text, format="yaml")


def test_a_long_scalar_in_a_manifest_is_refused_before_it_is_built() -> None:
    with pytest.raises(InputTooLargeError, match="longer than"):
        parse_manifest("datasets: []\nfiles: []\nnote: " + "x" * 2_000_000, format="yaml")
    with pytest.raises(InputTooLargeError, match="longer than"):
        parse_manifest('{"datasets": [], "files": [], "x": "' + "x" * 2_000_000 + '"}')


def test_a_columns_manifest_with_over_a_mib_of_sizes_loads(tmp_path: Path) -> None:
    """The JSON pre-scan once took the sizes column (numbers between two quoted keys) for one
    over-long string and refused every columns manifest of some 130,000 files or more."""
    (tmp_path / "snap").mkdir()
    (tmp_path / "snap" / "a.txt").write_text("a\n", encoding="utf-8")
    entry = DatasetEntry(name="d", version="1", source_kind="user-data", license="MIT")
    out = tmp_path / "m.json"
    build_manifest(tmp_path / "snap", datasets=[entry], progress=False).save(out, layout="columns")
    data = json.loads(out.read_text(encoding="utf-8"))
    count = 140_000
    paths = [f"f{i:07d}" for i in range(count)]
    sha = hashlib.sha256(b"x").hexdigest()
    data["files"] = {"path": paths, "size": [1_000_000] * count, "sha256": [sha] * count}
    data.pop("snapshot_digest", None)
    text = json.dumps(data)
    assert len(json.dumps(data["files"]["size"])) > 1 << 20
    assert load_json_value(text, source="m.json")["files"]["size"][0] == 1_000_000
    manifest = parse_manifest(text, format="json")
    assert len(manifest.files) == count
    assert manifest.files[-1].size == 1_000_000


def test_a_card_body_past_the_line_bound_is_refused_before_markdown_parsing() -> None:
    """markdown-it-py spends some 30 us a block: 1 MB of one-line list items took 9 s."""
    max_body_lines = 20_000  # cards._markdown.MAX_BODY_LINES, documented in docs/cards.md
    with pytest.raises(InputTooLargeError, match=f"more than {max_body_lines} lines") as info:
        load_card_text("---\nlicense: mit\n---\n" + "- 1\n" * 260_000)
    assert info.value.line == 3 + max_body_lines + 1
    card = load_card_text("---\nlicense: mit\n---\n# Title\n" + "- item\n" * 3_000)
    assert card.body.count("- item") == 3_000


class _Nothing:
    """A PII detector double that finds nothing (the readers and the job are under test)."""

    entities = ("EMAIL_ADDRESS",)
    model_name = None

    def detect(self, texts: Sequence[str]) -> list[list[PiiFinding]]:
        return [[] for _ in texts]


def test_redaction_rejects_are_the_same_however_often_it_checkpoints(tmp_path: Path) -> None:
    """Rejects are appended at each checkpoint (they were rewritten whole each time: 1 MB of
    mostly odd records took 17 s)."""
    from openmodel_gov.pii import redact_file

    src = tmp_path / "in.jsonl"
    src.write_text('{"text": "a"}\n1\n[]\n' * 40, encoding="utf-8")
    texts = []
    for every in (1, 3, 1000):
        out = tmp_path / f"out{every}.jsonl"
        redact_file(src, out, fields=["text"], detector=_Nothing(), checkpoint_every=every)
        texts.append(
            (
                out.read_text(encoding="utf-8"),
                (tmp_path / f"out{every}.jsonl.rejects.jsonl").read_text(encoding="utf-8"),
            )
        )
        assert not (tmp_path / f"out{every}.jsonl.pii-partial").exists()
    assert texts[0] == texts[1] == texts[2]
    assert len(texts[0][1].splitlines()) == 80
