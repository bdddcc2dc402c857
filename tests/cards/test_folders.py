"""Model folders and Hugging Face cache snapshots read as a card plus file evidence."""

from __future__ import annotations

import json
import struct
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from openmodel_gov.cards import FolderEvidence, load_card, read_card_evidence
from openmodel_gov.cards._folder import read_safetensors_header
from openmodel_gov.errors import FileAccessError

REALWORLD = Path(__file__).resolve().parents[1] / "data" / "realworld" / "model_cards"
APACHE_START = "Apache License\nVersion 2.0, January 2004\nhttp://www.apache.org/licenses/\n"


def safetensors(path: Path, tensors: dict[str, tuple[str, list[int]]]) -> None:
    header: dict[str, object] = {"__metadata__": {"format": "pt"}}
    offset = 0
    for name, (dtype, shape) in tensors.items():
        size = 2
        for dim in shape:
            size *= dim
        header[name] = {"dtype": dtype, "shape": shape, "data_offsets": [offset, offset + size]}
        offset += size
    raw = json.dumps(header).encode()
    path.write_bytes(struct.pack("<Q", len(raw)) + raw + b"\0" * offset)


def model_folder(root: Path) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "README.md").write_bytes((REALWORLD / "mistralai__Mistral-7B-v0.1.md").read_bytes())
    (root / "LICENSE").write_text(APACHE_START, encoding="utf-8")
    (root / "config.json").write_text(
        json.dumps({"architectures": ["MistralForCausalLM"], "model_type": "mistral"}),
        encoding="utf-8",
    )
    safetensors(root / "model-00001-of-00002.safetensors", {"a": ("BF16", [4, 8])})
    safetensors(
        root / "model-00002-of-00002.safetensors", {"b": ("BF16", [2, 3]), "c": ("F32", [5])}
    )
    (root / "scripts").mkdir(exist_ok=True)
    (root / "scripts" / "train_sft.py").write_text("# training\n", encoding="utf-8")
    (root / ".git").mkdir(exist_ok=True)
    (root / ".git" / "LICENSE").write_text("not this one", encoding="utf-8")
    return root


def test_a_model_folder_gives_card_and_file_evidence(tmp_path: Path) -> None:
    folder = model_folder(tmp_path / "mistral")
    card = load_card(folder)
    assert card.license == "hf:apache-2.0"
    assert card.architecture == "MistralForCausalLM"
    assert card.field_evidence["architecture"].kind == "file"
    files = read_card_evidence(card).files
    assert isinstance(files, FolderEvidence)
    assert files.parameters == 4 * 8 + 2 * 3 + 5
    assert files.dtypes == {"BF16": 38, "F32": 5}
    assert files.model_type == "mistral"
    assert files.has_weights
    roles = {f.path: f.role for f in files.files}
    assert roles["LICENSE"] == "license"
    assert roles["scripts/train_sft.py"] == "training"
    assert ".git/LICENSE" not in roles
    license_file = files.of_role("license")[0]
    assert license_file.text is not None
    assert license_file.text.startswith("Apache License")
    scripts = [t for t in read_card_evidence(card).training_code if t.kind == "script"]
    assert [t.name for t in scripts] == ["scripts/train_sft.py"]


def test_a_hugging_face_cache_entry_resolves_to_its_snapshot(tmp_path: Path) -> None:
    entry = tmp_path / "hub" / "models--acme--tiny-model"
    model_folder(entry / "snapshots" / "0123abcd")
    (entry / "refs").mkdir()
    (entry / "refs" / "main").write_text("0123abcd\n", encoding="utf-8")
    for target in (entry, entry / "snapshots" / "0123abcd"):
        card = load_card(target)
        files = read_card_evidence(card).files
        assert files is not None
        assert (files.repo_id, files.revision) == ("acme/tiny-model", "0123abcd")
        assert card.huggingface == "https://huggingface.co/acme/tiny-model"


def test_a_folder_of_weights_without_a_readme(tmp_path: Path) -> None:
    safetensors(tmp_path / "model.safetensors", {"w": ("F16", [3, 3])})
    card = load_card(tmp_path)
    assert any("no README.md" in w for w in card.warnings)
    assert read_card_evidence(card).files is not None


def test_a_folder_with_nothing_of_a_model_is_refused(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("x", encoding="utf-8")
    with pytest.raises(FileAccessError, match="no model card"):
        load_card(tmp_path)


def test_broken_headers_and_configs_are_warnings(tmp_path: Path) -> None:
    folder = model_folder(tmp_path / "m")
    (folder / "bad.safetensors").write_bytes(struct.pack("<Q", 10**12) + b"{}")
    (folder / "config.json").write_text("{not json", encoding="utf-8")
    card = load_card(folder)
    warnings = " ".join(card.warnings)
    assert "bad.safetensors: unreadable safetensors header" in warnings
    assert "config.json: not readable JSON" in warnings
    assert card.architecture is None


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=80)
@given(data=st.binary(max_size=200), length=st.integers(min_value=0, max_value=2**64 - 1))
def test_safetensors_header_reader_is_bounded_and_typed(
    tmp_path: Path, data: bytes, length: int
) -> None:
    path = tmp_path / "x.safetensors"
    path.write_bytes(struct.pack("<Q", length) + data)
    try:
        info = read_safetensors_header(path)
    except ValueError:
        return
    assert info.parameters >= 0
