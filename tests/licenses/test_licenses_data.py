"""The license data files: schema-valid, strictly parseable, consistent and up to date."""

from __future__ import annotations

import importlib.util
import json
import re
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from openmodel_gov._core._io import load_yaml_document
from openmodel_gov.licenses import _data, classify_license, license_info, normalize_license
from openmodel_gov.licenses._expr import _ID

DATA = resources.files("openmodel_gov") / "data" / "licenses"
ROOT = Path(__file__).resolve().parents[2]


def _yaml(name: str) -> Any:
    # the strict loader: duplicate keys, merge keys and alias bombs are refused
    return load_yaml_document((DATA / name).read_text(encoding="utf-8"), source=name).data


def _schema(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((DATA / name).read_text(encoding="utf-8"))
    return loaded


@pytest.mark.parametrize(
    ("data_file", "schema_file"),
    [
        ("license-facts.yaml", "license-facts.schema.json"),
        ("hf-licenses.yaml", "hf-licenses.schema.json"),
        ("known-models.yaml", "known-models.schema.json"),
    ],
)
def test_data_validates_against_published_schema(data_file: str, schema_file: str) -> None:
    schema = _schema(schema_file)
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.Draft202012Validator(schema).validate(_yaml(data_file))


def test_published_schemas_are_up_to_date() -> None:
    spec = importlib.util.spec_from_file_location(
        "build_tables", ROOT / "tasks" / "build_license_tables.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    for name, text in {**module.schemas(), **module.compiled()}.items():
        assert (DATA / name).read_text(encoding="utf-8") == text, (
            f"re-run tasks/build_license_tables.py ({name})"
        )


def test_schema_rejects_a_clause_without_section() -> None:
    doc = _yaml("license-facts.yaml")
    del doc["licenses"][0]["clauses"][0]["section"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(doc, _schema("license-facts.schema.json"))


def test_every_fact_cites_a_section_and_a_source() -> None:
    for entry in _data.license_facts().licenses:
        assert entry.url or entry.scancode_key, entry.id
        assert entry.clauses, entry.id
        for clause in entry.clauses:
            assert clause.section.strip(), (entry.id, clause.kind)
            if clause.kind in ("mau-cap", "revenue-cap"):
                assert isinstance(clause.value, int), entry.id


def test_fact_ids_are_spdx_or_our_namespace() -> None:
    spdx = _data.spdx_list().licenses
    for lid in _data.facts_by_id():
        assert _ID.match(lid), lid
        assert lid in spdx or lid.startswith("LicenseRef-openmodel-"), lid
        assert normalize_license(lid) == lid
    for entry in _data.license_facts().licenses:
        for target in entry.compatible_outbound:
            assert target in spdx, (entry.id, target)


def test_behaviour_needs_its_clauses() -> None:
    """Rules the engine relies on: each derivative rule has the clause that explains it."""
    for entry in _data.license_facts().licenses:
        if entry.derivatives == "carry-restrictions":
            assert entry.clauses_of("pass-on-use-restrictions"), entry.id
        if entry.derivatives == "none":
            assert entry.clauses_of("no-derivatives"), entry.id
        if entry.derivatives == "listed":
            assert (
                entry.clauses_of("share-alike")
                or entry.clauses_of("non-commercial")
                or entry.clauses_of("license-copy")
            ), entry.id
        if entry.category == "non-commercial":
            assert entry.clauses_of("non-commercial"), entry.id
        if entry.derivatives == "review":
            assert entry.clauses[0].kind in ("family-tag", "no-facts"), entry.id
        for clause in entry.clauses_of("naming-prefix") + entry.clauses_of("attribution-display"):
            assert isinstance(clause.value, str), entry.id


def test_open_questions_are_referenced() -> None:
    ids = {q.id for q in _data.license_facts().open_questions}
    source = "".join(
        p.read_text(encoding="utf-8")
        for p in (ROOT / "src" / "openmodel_gov" / "licenses").glob("*.py")
    )
    for qid in ids:
        assert f'"{qid}"' in source, qid
    with pytest.raises(KeyError):
        _data.open_question("no-such-question")


def test_hf_ids_map_to_known_ids() -> None:
    table = _data.hf_licenses()
    assert {"apache-2.0", "llama3.1", "gemma", "openrail++", "cc-by-nc-4.0", "other"} <= set(table)
    for hf_id, entry in table.items():
        assert normalize_license(f"hf:{hf_id}") == entry.maps_to
        if entry.family:
            assert classify_license(f"hf:{hf_id}").facts[0].kind == "family-tag"
        if not entry.maps_to.startswith("LicenseRef-"):
            assert license_info(entry.maps_to) is not None, hf_id


def test_hf_yaml_has_no_duplicates() -> None:
    ids = [row["hf"] for row in _yaml("hf-licenses.yaml")["licenses"]]
    assert len(ids) == len(set(ids))


def test_spdx_table() -> None:
    spdx = _data.spdx_list()
    assert re.fullmatch(r"3\.\d+", spdx.list_version)
    assert spdx.list_version >= "3.28"
    assert "OpenMDW-1.0" in spdx.licenses
    assert spdx.replaced_by["GPL-2.0+"] == "GPL-2.0-or-later"
    assert "Classpath-exception-2.0" in spdx.exceptions
    assert spdx.licenses["MIT"].scancode_category == "Permissive"
    assert "ScanCode" in spdx.source


def test_scancode_categories_cover_the_index() -> None:
    mapped = {row.scancode for row in _data.license_facts().scancode_categories}
    used = {
        row.scancode_category
        for row in _data.spdx_list().licenses.values()
        if row.scancode_category
    }
    used |= set(_data.scancode_refs().refs.values())
    assert used <= mapped, used - mapped


def test_osadl_snapshot_is_recorded() -> None:
    matrix, label = _data.osadl_matrix()
    assert "timestamp" not in matrix
    assert matrix["MIT"]["MIT"] == "Same"
    assert "CC-BY-4.0" in label


def test_data_errors_are_typed() -> None:
    from pydantic import ValidationError

    from openmodel_gov.errors import SchemaValidationError

    try:
        _data.FactsFile.model_validate(
            {"schema_version": 2, "licenses": [], "open_questions": [], "scancode_categories": []}
        )
    except ValidationError as exc:
        err = _data._invalid("x.yaml", exc)
    assert isinstance(err, SchemaValidationError)
    assert err.issues[0].field == "$['schema_version']"
    entry = _data.license_facts().licenses[0].model_dump()
    with pytest.raises(ValidationError, match="two fact entries"):
        _data.FactsFile.model_validate(
            {
                "schema_version": 1,
                "licenses": [entry, entry],
                "open_questions": [],
                "scancode_categories": [],
            },
            strict=False,
        )
    base = {"id": "X", "name": "x", "kind": "software", "derivatives": "any"}
    with pytest.raises(ValidationError, match="copyleft_strength is only"):
        _data.LicenseFacts.model_validate(
            {**base, "category": "permissive", "copyleft_strength": "weak"}, strict=False
        )
    with pytest.raises(ValidationError, match="needs copyleft_strength"):
        _data.LicenseFacts.model_validate({**base, "category": "copyleft"}, strict=False)


def test_scancode_keys_exist_in_the_shipped_index() -> None:
    known = set(_data.scancode_refs().refs)
    known |= {row.scancode_key for row in _data.spdx_list().licenses.values() if row.scancode_key}
    for entry in _data.license_facts().licenses:
        if entry.scancode_key is not None:
            assert entry.scancode_key in known, entry.id


def test_known_models_reject_duplicates_and_bad_urls() -> None:
    from pydantic import ValidationError

    row = {"ids": ["a/b"], "license": "MIT", "card": "https://x", "date": "2024-01"}
    with pytest.raises(ValidationError, match="listed twice"):
        _data.KnownModelsFile.model_validate({"source": "s", "models": [row, row]}, strict=False)
    with pytest.raises(ValidationError):
        _data.KnownModel.model_validate({**row, "card": "http://x"}, strict=False)
