"""LICENSE-file identification and conflicts between front matter, body and file (#13.5)."""

from __future__ import annotations

import json
import random
from importlib import resources
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from openmodel_gov.cards import ModelCard
from openmodel_gov.licenses import identify_license_text, license_source_findings

TEXTS = Path(__file__).parents[1] / "data" / "license_texts"
CASES = {
    "MIT.txt": "MIT",
    "CC-BY-SA-4.0.txt": "CC-BY-SA-4.0",
    "llama3_1-LICENSE.txt": "LicenseRef-openmodel-llama-3.1",
    "llama3_2-LICENSE.txt": "LicenseRef-openmodel-llama-3.2",
    "creativeml-openrail-m-LICENSE.txt": "LicenseRef-openmodel-creativeml-openrail-m",
}


@pytest.mark.parametrize(("name", "expected"), sorted(CASES.items()))
def test_real_texts_are_identified(name: str, expected: str) -> None:
    text = (TEXTS / name).read_text(encoding="utf-8")
    match = identify_license_text(text)
    assert match.license == expected
    assert match.certainty == "match"
    assert match.citation is not None
    assert "sha256" in (match.citation.note or "")
    assert expected in str(match) or (match.name or "") in str(match)


@pytest.mark.parametrize(("name", "expected"), sorted(CASES.items()))
def test_modified_texts_still_identified(name: str, expected: str) -> None:
    lines = (TEXTS / name).read_text(encoding="utf-8").splitlines()
    rng = random.Random(7)
    for _ in range(5):
        kept = [line for line in lines if rng.random() > 0.1]
        text = "Copyright (c) 2026 Someone Else\n\n" + "\n".join(kept)
        assert identify_license_text(text).license == expected


def test_unrelated_text_is_no_match() -> None:
    match = identify_license_text("This model may be used by anyone for anything, says Bob.")
    assert match.license is None
    assert match.certainty == "none"
    assert "no license identified" in str(match)


def test_fingerprints_cite_their_sources() -> None:
    raw = json.loads(
        (
            resources.files("openmodel_gov") / "data" / "licenses" / "license-fingerprints.json"
        ).read_text(encoding="utf-8")
    )
    assert len(raw["licenses"]) >= 25
    for row in raw["licenses"]:
        assert len(row["source"]["commit"]) == 40
        assert len(row["source"]["sha256"]) == 64
        assert row["words"] == sorted(set(row["words"]))


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=400))
def test_identify_never_raises(text: str) -> None:
    match = identify_license_text(text)
    assert 0.0 <= match.score <= 1.0
    assert match.certainty in ("match", "close", "none")


def test_front_matter_body_file_conflicts(tmp_path: Path) -> None:
    readme = tmp_path / "README.md"
    readme.write_text("---\nlicense: apache-2.0\n---\n# m\n", encoding="utf-8")
    (tmp_path / "LICENSE").write_text(
        (TEXTS / "llama3_2-LICENSE.txt").read_text(encoding="utf-8"), encoding="utf-8"
    )
    from openmodel_gov.cards import load_card

    card = load_card(readme)
    found = license_source_findings(card)
    assert [f.rule_id for f in found] == ["license.source-conflict"]
    assert found[0].severity == "High"
    assert "LICENSE file" in found[0].title
    assert any(e.kind == "file" for e in found[0].evidence)
    body = license_source_findings(
        ModelCard(name="x", license="hf:apache-2.0"), body_statements=["BigCode OpenRAIL-M"]
    )
    assert body[0].rule_id == "license.source-conflict"
    agree = license_source_findings(
        ModelCard(name="x", license="hf:llama3.1"),
        body_statements=["Llama 3.1 Community License", "not a license at all"],
        license_text=(TEXTS / "llama3_1-LICENSE.txt").read_text(encoding="utf-8"),
    )
    assert agree == ()
    only_body = license_source_findings(
        ModelCard(name="x"), body_statements=["licensed under CC-BY-4.0", "CC-BY-4.0"]
    )
    assert [f.rule_id for f in only_body] == ["license.not-in-metadata"]
    assert license_source_findings(ModelCard(name="x")) == ()
    mild = license_source_findings(
        ModelCard(name="x", license="MIT"), body_statements=["BSD-3-Clause"]
    )
    assert mild[0].severity == "Medium"
