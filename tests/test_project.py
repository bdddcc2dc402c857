"""Project-level invariants: README commands, CI script, public surface, import cost."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

import openmodel_gov

ROOT = Path(__file__).resolve().parent.parent

HEAVY = ("spacy", "presidio_analyzer", "presidio_anonymizer", "jsonschema", "cryptography", "ray")


def _readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    setup = text.split("## Set up", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```bash\n(.+?)\n```", setup, flags=re.S)


def test_readme_opens_with_exactly_two_setup_commands() -> None:
    commands = _readme_commands()
    assert len(commands) == 2
    assert all("\n" not in c for c in commands)
    assert "pip install" in commands[0]
    assert "tasks/check.py" in commands[1]


def test_ci_runs_the_readme_check_command_verbatim() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "set -euo pipefail" in ci
    last = [ln for ln in ci.splitlines() if ln.strip() and not ln.startswith("#")][-1]
    assert last == _readme_commands()[1]


def test_import_is_cheap() -> None:
    code = "import json, sys, openmodel_gov; print(json.dumps(sorted(m for m in sys.modules)))"
    out = subprocess.run(
        [sys.executable, "-c", code], check=True, capture_output=True, text=True
    ).stdout
    loaded = set(json.loads(out))
    assert not {m for m in loaded if m.split(".")[0] in HEAVY}
    assert "pydantic" not in loaded, "the root must not even import pydantic eagerly"


def test_root_exports_exactly_the_documented_names() -> None:
    documented = set(openmodel_gov._EXPORTS) | {"__version__"}
    assert set(openmodel_gov.__all__) == documented
    for name in openmodel_gov.__all__:
        assert getattr(openmodel_gov, name) is not None


def test_unknown_root_attribute_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no_such_name"):
        _ = openmodel_gov.no_such_name


def test_every_public_module_declares_all() -> None:
    pkg = ROOT / "src" / "openmodel_gov"
    for path in sorted(pkg.rglob("*.py")):
        rel = path.relative_to(pkg)
        if any(part.startswith("_") for part in rel.parts):
            continue
        assert "__all__" in path.read_text(encoding="utf-8"), f"{rel} has no __all__"


def test_dir_lists_lazy_names() -> None:
    assert "load_card" in dir(openmodel_gov)


def test_readme_lists_exactly_the_root_exports() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = text.split("<!-- root-exports -->", 1)[1].split("<!-- /root-exports -->", 1)[0]
    documented = set(re.findall(r"`([A-Za-z_]+)`", block))
    assert documented == set(openmodel_gov.__all__)


def test_readme_examples_run() -> None:
    import doctest

    failures, tried = doctest.testfile(
        str(ROOT / "README.md"),
        module_relative=False,
        optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE,
    )
    assert tried > 0
    assert failures == 0


#: Test files that read data outside the repository today; each owner removes its entry when
#: the file reads vendored data under tests/data instead (issue 19).
OUTSIDE_READS_ALLOWED = {
    "tests/openness/test_openness.py",  # openness: REAL = /work/shared/realworld/model_cards
}


def test_tests_read_nothing_outside_the_repository() -> None:
    pattern = re.compile(r"""(?:["'/]\.\./shared\b|/work/shared|["']\.\./\.\.)""")
    offenders = set()
    for path in sorted((ROOT / "tests").rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        if rel == "tests/test_project.py":
            continue
        if pattern.search(path.read_text(encoding="utf-8")):
            offenders.add(rel)
    assert offenders <= OUTSIDE_READS_ALLOWED, f"tests reading outside the repo: {offenders}"


def _git(*args: str, cwd: Path) -> str:
    return subprocess.run(
        ["git", *args], cwd=cwd, check=True, capture_output=True, text=True, timeout=120
    ).stdout.strip()


@pytest.mark.slow
def test_fresh_clone_without_shared_passes_its_smoke_tests(tmp_path: Path) -> None:
    """A clone of the committed tree, alone in a temp folder (no ../shared beside it), runs
    the README's demo entry point and a subset of its own suite from ``src``."""
    import os
    import shutil

    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    head = _git("rev-parse", "HEAD", cwd=ROOT)
    clone = tmp_path / "clone"
    _git("clone", "-q", "--no-checkout", str(ROOT), str(clone), cwd=tmp_path)
    _git("checkout", "-q", head, cwd=clone)
    assert not (tmp_path / "shared").exists()
    env = {**os.environ, "PYTHONPATH": str(clone / "src"), "HF_HUB_OFFLINE": "1"}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, *args],
            cwd=clone, env=env, capture_output=True, text=True, timeout=600, check=False,
        )  # fmt: skip

    version = run("-m", "openmodel_gov", "--version")
    assert version.returncode == 0, version.stderr
    tests = run("-m", "pytest", "-q", "-p", "no:cacheprovider", "-x", "tests/core", "tests/cards",
                "tests/test_project.py", "-m", "not slow")  # fmt: skip
    assert tests.returncode == 0, tests.stdout[-3000:] + tests.stderr[-2000:]
