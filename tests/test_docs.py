"""The documentation builds with MkDocs in strict mode (offline), and covers the CLI, the
policy file, the schemas and the API."""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"


def _load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, DOCS / f"{name}.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _nav_files(node: object) -> list[str]:
    if isinstance(node, str):
        return [node]
    if isinstance(node, list):
        return [f for item in node for f in _nav_files(item)]
    if isinstance(node, dict):
        return [f for value in node.values() for f in _nav_files(value)]
    return []


def _config() -> dict[str, object]:
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    assert isinstance(config, dict)
    return config


def test_nav_lists_existing_pages_and_every_page_is_listed() -> None:
    nav = _nav_files(_config()["nav"])
    for page in nav:
        assert (DOCS / page).is_file(), f"mkdocs.yml nav names a missing page: {page}"
    on_disk = {p.relative_to(DOCS).as_posix() for p in DOCS.rglob("*.md")}
    late = set(_load("_hooks").LATE_PAGES)  # joined to the nav by the hook
    assert on_disk <= set(nav) | late, f"pages missing from the nav: {sorted(on_disk - set(nav))}"


def test_late_pages_join_the_nav(tmp_path: Path) -> None:
    hooks = _load("_hooks")
    (tmp_path / "pii.md").write_text("# PII\n", encoding="utf-8")
    config = {
        "docs_dir": str(tmp_path),
        "nav": [{"Home": "index.md"}, {"Primitives": [{"A": "a.md"}, {"Audit": "audit.md"}]}],
    }
    nav = hooks.on_config(config)["nav"]
    assert nav[1]["Primitives"] == [
        {"A": "a.md"}, {"PII detection and redaction": "pii.md"}, {"Audit": "audit.md"},
    ]  # fmt: skip
    assert hooks.on_config(config)["nav"] == nav  # idempotent


def test_api_reference_covers_every_public_module() -> None:
    pkg = ROOT / "src" / "openmodel_gov"
    public = {p.stem for p in pkg.glob("*.py") if not p.stem.startswith("_")}
    public |= {p.name for p in pkg.iterdir() if p.is_dir() and (p / "__init__.py").is_file()
               and not p.name.startswith("_")}  # fmt: skip
    documented = {p.stem for p in (DOCS / "reference").glob("*.md")}
    assert public <= documented, f"no API page for: {sorted(public - documented)}"
    for page in (DOCS / "reference").glob("*.md"):
        assert f"::: openmodel_gov.{page.stem}" in page.read_text(encoding="utf-8")


def test_doctest_fences() -> None:
    fence = _load("_griffe_doctest").fence_doctests
    text = (
        "Intro.\n\n>>> f(1)\n['a', 'b']\n\nMore.\n```python\n>>> kept\n```\n    >>> g()\n    (1, 2)"
    )
    out = fence(text)
    assert "```pycon\n>>> f(1)\n['a', 'b']\n```" in out
    assert "```python\n>>> kept\n```" in out  # already fenced: untouched
    assert out.endswith("    ```pycon\n    >>> g()\n    (1, 2)\n    ```")


def test_hooks_fill_schemas_and_cli_help() -> None:
    hooks = _load("_hooks")
    page = hooks.on_page_markdown("<!-- schema: audit-policy -->\n<!-- cli-help -->\n")
    assert '"const": "openmodel-gov/audit-policy/v1"' in page
    for command in (
        "openmodel-gov audit", "openmodel-gov demo", "openmodel-gov card validate",
        "openmodel-gov license mix", "openmodel-gov manifest verify-signature",
        "openmodel-gov pii redact", "openmodel-gov compliance build", "openmodel-gov score",
    ):  # fmt: skip
        assert f"### `{command}`" in page
    with pytest.raises(ValueError, match="unknown schema marker"):
        hooks.on_page_markdown("<!-- schema: nope -->")
    assert hooks.on_page_markdown("plain") == "plain"


def test_docs_cover_ci_and_precommit() -> None:
    ci = (DOCS / "ci.md").read_text(encoding="utf-8")
    assert "pre-commit" in ci
    assert "repo: local" in ci
    assert "openmodel-gov audit" in ci
    policy = (DOCS / "policy.md").read_text(encoding="utf-8")
    from openmodel_gov.audit import Policy

    for key in Policy.model_fields:
        assert f"`{key}`" in policy or key in {"schema_", "name", "use"}, key


@pytest.mark.slow
def test_mkdocs_strict_build(tmp_path: Path) -> None:
    if (
        importlib.util.find_spec("mkdocs") is None
        or importlib.util.find_spec("mkdocstrings") is None
    ):
        pytest.skip("mkdocs / mkdocstrings not installed (pip install -e '.[dev]')")
    site = tmp_path / "site"
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-4000:]
    cli = (site / "cli.html").read_text(encoding="utf-8")
    assert "openmodel-gov manifest verify-signature" in cli
    schemas = (site / "schemas.html").read_text(encoding="utf-8")
    assert "openmodel-gov/rule-pack/v1" in schemas
    api = (site / "reference" / "audit.html").read_text(encoding="utf-8")
    assert "run_audit" in api
    index = (site / "index.html").read_text(encoding="utf-8")
    external = re.findall(r'<(?:script|link)[^>]+(?:src|href)="https?://', index)
    assert not external, "the site must not load anything from the network"


def test_cli_page_every_command_section_is_current() -> None:
    spec = importlib.util.spec_from_file_location(
        "build_cli_docs", ROOT / "tasks" / "build_cli_docs.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    page = (DOCS / "cli.md").read_text(encoding="utf-8")
    assert module.updated(page) == page, "docs/cli.md is stale: run python tasks/build_cli_docs.py"
    for command in ("openmodel-gov card validate", "openmodel-gov manifest verify-signature",
                    "openmodel-gov completion"):  # fmt: skip
        assert f"### `{command}`" in page
