"""The command line, run in-process through ``main(argv)`` (fast; subprocess runs are in
``test_cli_e2e.py``)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from openmodel_gov._cli import main
from openmodel_gov.audit import example_dir

ROOT = Path(__file__).resolve().parents[2]
REALWORLD = ROOT / "tests" / "data" / "realworld" / "model_cards"
EXAMPLE = example_dir()
CARD = EXAMPLE / "README.md"
MANIFEST = EXAMPLE / "support-tickets.manifest.yaml"
STRICT = ROOT / "examples" / "policies" / "strict.yaml"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def dataset(tmp_path: Path) -> Path:
    """A copy of the example data folder (safe to modify)."""
    target = tmp_path / "support-tickets"
    shutil.copytree(EXAMPLE / "data" / "support-tickets", target)
    return target


# --- top level ----------------------------------------------------------------------------
def test_version_and_help(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--version")
    assert code == 0
    assert out.startswith("openmodel-gov ")
    code, out, _ = run(capsys, "--json", "--version")
    assert json.loads(out)["version"]
    code, out, _ = run(capsys, "--help")
    assert code == 0
    assert "audit" in out
    assert "Exit codes" in out


def test_no_command_is_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys)
    assert code == 2
    assert "usage:" in err


def test_unknown_option_is_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "card", "show", "x.md", "--bogus")
    assert code == 2
    assert "unrecognized arguments" in err


def test_output_options_accepted_before_and_after_the_subcommand(
    capsys: pytest.CaptureFixture[str],
) -> None:
    for argv in (("--json", "card", "show", str(CARD)), ("card", "show", str(CARD), "--json")):
        code, out, _ = run(capsys, *argv)
        assert code == 0
        assert json.loads(out)["name"] == "tiny-helpdesk-1b"


def test_errors_name_the_file_without_traceback(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "card", "show", "no/such/card.md")
    assert code == 2
    assert out == ""
    assert err.startswith("error: no/such/card.md")
    assert "Traceback" not in err


def test_debug_prints_the_traceback(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "--debug", "card", "show", "no/such/card.md")
    assert code == 2
    assert "Traceback" in err
    assert "error: no/such/card.md" in err


def test_unexpected_errors_and_interrupts(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import openmodel_gov.cards

    def boom(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("kaput")

    monkeypatch.setattr(openmodel_gov.cards, "load_card", boom)
    code, _, err = run(capsys, "card", "show", str(CARD))
    assert code == 2
    assert "unexpected RuntimeError: kaput" in err
    assert "Traceback" not in err
    code, _, err = run(capsys, "--debug", "card", "show", str(CARD))
    assert "Traceback" in err

    def interrupt(*_args: object, **_kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(openmodel_gov.cards, "load_card", interrupt)
    code, _, err = run(capsys, "card", "show", str(CARD))
    assert code == 130
    assert "interrupted" in err


# --- card ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "name", sorted(p.name for p in REALWORLD.glob("*.md") if p.name != "SOURCES.md")
)
def test_card_validate_real_cards(capsys: pytest.CaptureFixture[str], name: str) -> None:
    if not REALWORLD.is_dir():
        pytest.skip(f"{REALWORLD} not present")
    code, out, _ = run(capsys, "card", "validate", str(REALWORLD / name), "--json")
    assert code == 0
    assert json.loads(out)["valid"] is True


def test_card_validate_reports_every_problem(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    bad = tmp_path / "card.yaml"
    bad.write_text(
        "schema: openmodel-gov/model-card/v1\nname: x\nlanguages: 3\n"
        "components:\n  Model card:\n    included: maybe\n",
        encoding="utf-8",
    )
    code, out, _ = run(capsys, "card", "validate", str(bad), "--json")
    assert code == 1
    data = json.loads(out)
    assert data["valid"] is False
    assert len(data["issues"]) >= 2
    assert all(i["field"].startswith("$") for i in data["issues"])
    code, out, _ = run(capsys, "card", "validate", str(bad))
    assert code == 1
    assert "card.yaml" in out


def test_card_validate_parse_error_is_a_finding(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    bad = tmp_path / "card.yaml"
    bad.write_text("name: x\nname: y\n", encoding="utf-8")
    code, out, _ = run(capsys, "card", "validate", str(bad), "--json")
    assert code == 1
    assert "duplicate key" in json.loads(out)["issues"][0]["message"]


def test_card_validate_ok_human(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "card", "validate", str(CARD))
    assert code == 0
    assert "valid (hf-readme)" in out
    code, out, _ = run(capsys, "-q", "card", "validate", str(CARD))
    assert code == 0
    assert out == ""


def test_card_show_schema_convert(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, _ = run(capsys, "card", "show", str(CARD))
    assert code == 0
    assert "tiny-helpdesk-1b 0.1.0" in out
    code, out, _ = run(capsys, "card", "schema")
    assert json.loads(out)["properties"]["schema"]["const"] == "openmodel-gov/model-card/v1"
    from openmodel_gov.cards import load_card

    original = load_card(CARD)
    for target, suffix in (("yaml", ".yaml"), ("json", ".json"), ("hf-readme", ".md")):
        dest = tmp_path / f"card{suffix}"
        code, out, _ = run(capsys, "card", "convert", str(CARD), "--to", target, "-o", str(dest))
        assert code == 0
        assert f"wrote {dest}" in out
        assert load_card(dest).license == original.license
    code, out, _ = run(capsys, "card", "convert", str(CARD), "--to", "mot")
    assert code == 0
    assert "framework:" in out
    code, out, _ = run(capsys, "card", "convert", str(CARD), "--to", "json", "--json")
    assert json.loads(json.loads(out)["text"])["name"] == "tiny-helpdesk-1b"


# --- openness -----------------------------------------------------------------------------
def test_score_and_mof(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "score", str(CARD))
    assert code == 0
    assert "9/10" in out
    code, out, _ = run(capsys, "score", str(CARD), "--json", "--declare", "ecosystem=1")
    assert code == 0
    data = json.loads(out)
    assert data["total"] == 8
    assert "ecosystem" in data["declared_dimensions"]
    code, _, _ = run(capsys, "score", str(CARD), "--min", "10", "-q")
    assert code == 1
    code, _, err = run(capsys, "score", str(CARD), "--declare", "weights=yes")
    assert code == 2
    assert "--declare" in err
    code, out, _ = run(capsys, "mof", str(CARD))
    assert code == 0
    assert "Class III - Open Model" in out
    code, out, _ = run(capsys, "mof", str(CARD), "--json", "--mode", "normalized")
    assert json.loads(out)["mof_class"] == 3


# --- licenses -----------------------------------------------------------------------------
def test_license_commands(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "license", "normalize", "apache-2.0")
    assert (code, out.strip()) == (0, "Apache-2.0")
    code, out, _ = run(capsys, "license", "classify", "CC-BY-NC-4.0", "--json")
    assert (code, json.loads(out)["category"]) == (0, "non-commercial")
    code, out, _ = run(capsys, "license", "outbound", "MIT", "Apache-2.0")
    assert code == 0
    assert out.startswith("compatible")
    code, out, _ = run(capsys, "license", "outbound", "GPL-3.0-only", "MIT", "--json")
    assert code == 1
    assert json.loads(out)["verdict"] == "incompatible"
    code, out, _ = run(
        capsys, "license", "mix", "CC-BY-4.0", "CC-BY-NC-4.0", "--use", "commercial-training"
    )
    assert code == 1
    assert out.startswith("incompatible")
    code, out, _ = run(
        capsys, "license", "mix", "MIT", "outputs:Apache-2.0", "--use", "research-training"
    )
    assert code == 0
    code, out, _ = run(
        capsys,
        "license",
        "derivative",
        "hf:llama3.1",
        "hf:llama3.1",
        "--fact",
        "commercial=yes",
        "--fact",
        "monthly_active_users=1000",
        "--json",
    )
    assert json.loads(out)["verdict"] in {"compatible", "needs_review"}
    assert code == (0 if json.loads(out)["verdict"] == "compatible" else 1)


def test_license_errors(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "license", "normalize", "Foo-Bar-1")
    assert code == 2
    assert "Foo-Bar-1" in err
    code, _, err = run(capsys, "license", "derivative", "MIT", "MIT", "--fact", "mau=3")
    assert code == 2
    assert "--fact" in err
    assert "mau" in err
    code, _, err = run(capsys, "license", "derivative", "MIT", "MIT", "--fact", "novalue")
    assert code == 2
    assert "KEY=VALUE" in err


# --- manifests and signatures -------------------------------------------------------------
def test_manifest_build_verify_diff(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, dataset: Path
) -> None:
    out_manifest = tmp_path / "m.yaml"
    code, out, _ = run(
        capsys, "manifest", "build", str(dataset), "-o", str(out_manifest),
        "--name", "tickets", "--version", "1", "--license", "CC-BY-4.0",
        "--source-kind", "synthetic",
    )  # fmt: skip
    assert code == 0
    assert "2 files" in out
    code, out, _ = run(capsys, "manifest", "verify", str(out_manifest), str(dataset), "--json")
    assert code == 0
    assert json.loads(out)["ok"] is True
    (dataset / "tickets.jsonl").write_text('{"id": 9, "text": "changed"}\n', encoding="utf-8")
    code, out, _ = run(capsys, "manifest", "verify", str(out_manifest), str(dataset))
    assert code == 1
    assert "tickets.jsonl" in out
    rebuilt = tmp_path / "m2.json"
    code, out, _ = run(
        capsys, "manifest", "build", str(dataset), "-o", str(rebuilt),
        "--datasets", str(out_manifest), "--cache", str(tmp_path / "cache"), "--json",
    )  # fmt: skip
    assert code == 0
    assert json.loads(out)["files"] == 2
    code, out, _ = run(capsys, "manifest", "diff", str(out_manifest), str(rebuilt))
    assert code == 1
    assert "tickets.jsonl" in out
    code, _, _ = run(capsys, "manifest", "diff", str(rebuilt), str(rebuilt))
    assert code == 0


def test_manifest_verify_defaults_to_the_manifest_folder(
    capsys: pytest.CaptureFixture[str], dataset: Path
) -> None:
    manifest = dataset / "manifest.yaml"
    code, _, _ = run(
        capsys, "manifest", "build", str(dataset), "-o", str(manifest), "--name", "t",
        "--version", "1", "--license", "MIT",
    )  # fmt: skip
    assert code == 0
    code, out, _ = run(capsys, "manifest", "verify", str(manifest), "--json")
    # The manifest written inside the folder (and its signature) is excluded, not "added".
    assert json.loads(out)["findings"] == []
    assert code == 0
    (dataset / "extra.txt").write_text("new", encoding="utf-8")
    code, out, _ = run(capsys, "manifest", "verify", str(manifest), "--json")
    added = [f["path"] for f in json.loads(out)["findings"] if f["kind"] == "added"]
    assert added == ["extra.txt"]
    assert code == 1


def test_manifest_build_input_errors(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, dataset: Path
) -> None:
    code, _, err = run(capsys, "manifest", "build", str(dataset), "-o", str(tmp_path / "m.yaml"))
    assert code == 2
    assert "--name" in err
    bad = tmp_path / "datasets.yaml"
    bad.write_text("- name: x\n  version: 1\n", encoding="utf-8")
    code, _, err = run(
        capsys, "manifest", "build", str(dataset), "-o", str(tmp_path / "m.yaml"),
        "--datasets", str(bad),
    )  # fmt: skip
    assert code == 2
    assert "datasets.yaml" in err
    assert "license" in err
    bad.write_text("just: a mapping\n", encoding="utf-8")
    code, _, err = run(
        capsys, "manifest", "build", str(dataset), "-o", str(tmp_path / "m.yaml"),
        "--datasets", str(bad),
    )  # fmt: skip
    assert code == 2
    assert "expected a list of datasets" in err


def test_manifest_keygen_sign_verify(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    manifest = tmp_path / "m.yaml"
    shutil.copy(MANIFEST, manifest)
    prefix = tmp_path / "key"
    monkeypatch.setenv("OMG_TEST_PASSWORD", "s3cret")
    code, out, _ = run(
        capsys, "manifest", "keygen", "--out", str(prefix), "--password-env", "OMG_TEST_PASSWORD"
    )
    assert code == 0
    assert "key id:" in out
    code, _, err = run(capsys, "manifest", "sign", str(manifest), "--key", f"{prefix}.key")
    assert code == 2  # encrypted key, no password given
    code, out, _ = run(
        capsys, "manifest", "sign", str(manifest), "--key", f"{prefix}.key",
        "--password-env", "OMG_TEST_PASSWORD",
    )  # fmt: skip
    assert code == 0
    assert (tmp_path / "m.yaml.sig.json").is_file()
    code, out, _ = run(
        capsys, "manifest", "verify-signature", str(manifest), "--key", f"{prefix}.pub", "--json"
    )
    assert code == 0
    assert json.loads(out)["ok"] is True
    manifest.write_text(manifest.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
    code, _, err = run(
        capsys, "manifest", "verify-signature", str(manifest), "--key", f"{prefix}.pub"
    )
    assert code == 1
    assert "changed after it was signed" in err
    code, _, err = run(
        capsys, "manifest", "sign", str(manifest), "--key", f"{prefix}.key",
        "--password-env", "OMG_NOT_SET_ANYWHERE",
    )  # fmt: skip
    assert code == 2
    assert "OMG_NOT_SET_ANYWHERE" in err


def test_keygen_ecdsa_json(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, _ = run(
        capsys, "manifest", "keygen", "--out", str(tmp_path / "k"),
        "--algorithm", "ecdsa-p256-sha256", "--json",
    )  # fmt: skip
    assert code == 0
    assert json.loads(out)["algorithm"] == "ecdsa-p256-sha256"


# --- PII ----------------------------------------------------------------------------------
def test_pii_scan_and_redact_text(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import io

    text = tmp_path / "note.txt"
    text.write_text("Mail bob@example.com about order 12.\n", encoding="utf-8")
    blank = ("--entity", "EMAIL_ADDRESS", "--model", "blank")  # pattern recognizers: fast
    code, out, _ = run(capsys, "pii", "scan", str(text), *blank)
    assert code == 1
    assert "EMAIL_ADDRESS" in out
    monkeypatch.setattr("sys.stdin", io.StringIO("nothing personal here\n"))
    code, out, _ = run(capsys, "pii", "scan", "-", *blank, "--json")
    assert code == 0
    assert json.loads(out)["findings"] == []
    dest = tmp_path / "note.redacted.txt"
    code, out, _ = run(capsys, "pii", "redact", str(text), str(dest), *blank)
    assert code == 0
    assert dest.read_text(encoding="utf-8") == "Mail <EMAIL_ADDRESS> about order 12.\n"
    code, out, _ = run(capsys, "pii", "redact", str(text), "-", *blank)
    assert out == "Mail <EMAIL_ADDRESS> about order 12.\n"


def test_pii_scan_and_redact_dataset(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, dataset: Path
) -> None:
    src = dataset / "tickets.jsonl"
    args = ("--field", "text", "--entity", "EMAIL_ADDRESS", "--entity", "PHONE_NUMBER")
    code, out, _ = run(capsys, "pii", "scan", str(src), *args, "--json")
    assert code == 1
    assert json.loads(out)["counts_by_entity"] == {"EMAIL_ADDRESS": 1, "PHONE_NUMBER": 1}
    dest = tmp_path / "redacted.jsonl"
    code, out, _ = run(capsys, "pii", "redact", str(src), str(dest), *args)
    assert code == 0
    assert "jane.doe@example.com" not in dest.read_text(encoding="utf-8")
    code, _, _ = run(capsys, "pii", "scan", str(dest), *args)
    assert code == 0
    code, _, err = run(capsys, "pii", "scan", str(src))
    assert code == 2
    assert "--field" in err


# --- compliance ---------------------------------------------------------------------------
def test_compliance_build(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, _ = run(capsys, "compliance", "build", str(MANIFEST), "--context", "use=commercial")
    assert code == 0
    assert "| support-tickets-demo |" in out
    code, out, _ = run(
        capsys, "compliance", "build", str(MANIFEST), "--json",
        "--context", "gpai_eu_market=no",
    )  # fmt: skip
    assert json.loads(out)["rows"][0]["dataset"] == "support-tickets-demo"
    dest = tmp_path / "matrix.html"
    code, out, _ = run(
        capsys, "compliance", "build", str(MANIFEST), "--format", "html", "-o", str(dest),
        "--fail-at", "High", "--worst-case", "--model-rules",
    )  # fmt: skip
    assert code == 1  # worst case: open questions counted as if answered yes
    assert dest.read_text(encoding="utf-8").lstrip().lower().startswith("<!doctype html")
    code, out, _ = run(
        capsys, "compliance", "build", str(MANIFEST), "--format", "csv",
        "--context", "gpai_eu_market=no", "--fail-at", "High",
    )  # fmt: skip
    assert code == 0
    assert out.startswith("Dataset name") or "support-tickets-demo" in out


def test_compliance_extra_rule_pack(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    from openmodel_gov.compliance import builtin_rule_packs

    pack_src = builtin_rule_packs()[0]
    assert pack_src.origin  # a file shipped with the package
    pack = tmp_path / "bad-pack.yaml"
    pack.write_text("not: a pack\n", encoding="utf-8")
    code, _, err = run(capsys, "compliance", "build", str(MANIFEST), "--rules", str(pack))
    assert code == 2
    assert "bad-pack.yaml" in err


# --- audit and demo -----------------------------------------------------------------------
def test_demo_writes_the_report(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, "demo", "--no-pii-scan")
    assert code == 0
    html_path = tmp_path / "openmodel-gov-demo" / "report.html"
    assert f"HTML report: {html_path}" in out
    assert "auditing the embedded example" in err
    for name in ("report.html", "report.md", "report.json"):
        assert (tmp_path / "openmodel-gov-demo" / name).is_file()


def test_demo_json_and_quiet(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, err = run(capsys, "demo", "--no-pii-scan", "--out", str(tmp_path / "r"), "--json")
    assert code == 0
    assert err == ""
    data = json.loads(out)
    assert data["report"]["policy"]["passed"] is True
    assert data["files"]["html"].endswith("report.html")
    code, out, err = run(capsys, "-q", "demo", "--no-pii-scan", "--out", str(tmp_path / "q"))
    assert (code, out, err) == (0, "", "")


def test_audit_with_flags_and_policy_gate(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, dataset: Path
) -> None:
    manifest = tmp_path / "m.yaml"
    shutil.copy(MANIFEST, manifest)
    code, out, _ = run(
        capsys, "audit", str(CARD), "--manifest", str(manifest), "--data", str(dataset),
        "--policy", str(STRICT), "--out", str(tmp_path / "report"), "--no-pii-scan",
        "--base-license", "openmodel-gov/tiny-base-1b=Apache-2.0",
    )  # fmt: skip
    assert code == 1
    for rule in ("min_openness_score", "min_mof_class", "forbid_unredacted_pii"):
        assert rule in out
    # synthetic data and no model context: no decided compliance risk above Low (#14)
    assert "max_risk_level:" not in out
    code, out, err = run(
        capsys, "-q", "audit", str(CARD), "--manifest", str(manifest), "--data", str(dataset),
        "--policy", str(STRICT), "--out", str(tmp_path / "report"), "--no-pii-scan",
    )  # fmt: skip
    assert code == 1
    assert out == ""
    assert "policy violation: min_openness_score" in err


def test_audit_fail_on(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    args = ("audit", str(CARD), "--out", str(tmp_path / "r"), "--no-pii-scan", "-q")
    code, _, _ = run(capsys, *args)
    assert code == 0
    code, _, _ = run(capsys, *args, "--fail-on", "amber")
    assert code == 1  # no manifest and a base model of unknown license: amber
    code, _, _ = run(capsys, *args, "--fail-on", "red")
    assert code == 0


def test_audit_config(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    config = EXAMPLE / "audit.yaml"
    code, out, _ = run(
        capsys, "audit", "--config", str(config), "--out", str(tmp_path / "r"), "--no-pii-scan",
        "--use", "research", "--base-license", "x/y=MIT", "--json",
    )  # fmt: skip
    assert code == 0
    data = json.loads(out)["report"]
    assert data["headline"]["use"] == "commercial"  # the policy's use wins
    own = tmp_path / "audit.yaml"
    own.write_text(
        f"card: {CARD}\nout: reports\nmanifests:\n  - manifest: {MANIFEST}\n"
        f"    data: {EXAMPLE / 'data' / 'support-tickets'}\n",
        encoding="utf-8",
    )
    code, out, _ = run(capsys, "audit", "--config", str(own), "--no-pii-scan")
    assert code == 0
    assert (tmp_path / "reports" / "report.html").is_file()


def test_audit_usage_errors(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run(capsys, "audit", "--out", str(tmp_path))
    assert code == 2
    assert "CARD" in err
    code, _, err = run(capsys, "audit", str(CARD))
    assert code == 2
    assert "--out" in err
    code, _, err = run(
        capsys, "audit", str(CARD), "--config", str(EXAMPLE / "audit.yaml"), "--out", "x"
    )
    assert code == 2
    assert "not both" in err
    code, _, err = run(
        capsys, "audit", str(CARD), "--base-license", "nolicense", "--out", str(tmp_path)
    )
    assert code == 2
    assert "MODEL=LICENSE" in err
    code, _, err = run(
        capsys, "audit", str(CARD), "--data", str(tmp_path / "missing"), "--out", str(tmp_path)
    )
    assert code == 2
    assert "missing: not a folder" in err
    bad_policy = tmp_path / "policy.yaml"
    bad_policy.write_text("min_openness_score: 11\nmax_risk: High\n", encoding="utf-8")
    code, _, err = run(
        capsys, "audit", str(CARD), "--policy", str(bad_policy), "--out", str(tmp_path / "r")
    )
    assert code == 2
    assert "policy.yaml:1" in err
    assert "max_risk" in err


# --- plumbing -----------------------------------------------------------------------------
def test_progress_bar_draws_on_a_terminal() -> None:
    import io

    from openmodel_gov._cli._common import Output, ProgressBar

    stream = io.StringIO()
    bar = ProgressBar("hashing", stream=stream)
    bar(0, 4)
    bar(1, 4)  # within 0.1 s of the last draw: skipped
    bar(4, 4)  # the end is always drawn
    bar(7)  # unknown total
    bar.close()
    text = stream.getvalue()
    assert "\rhashing [" in text
    assert "4/4" in text
    assert text.endswith("\n")

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    assert Output(stderr=Tty()).progress("x").stream is not None
    from openmodel_gov._cli._audit import _steps

    tty = Tty()
    step = _steps(Output(stderr=tty))
    assert step is not None
    step("openness")
    assert tty.getvalue() == "audit: openness...\n"
    assert _steps(Output(stderr=Tty(), json_mode=True)) is None
    assert Output(stderr=Tty(), quiet=True).progress("x").stream is None
    assert Output(stderr=io.StringIO()).progress("x").stream is None
    silent = ProgressBar("x", stream=None)
    silent(1, 1)
    silent.close()
