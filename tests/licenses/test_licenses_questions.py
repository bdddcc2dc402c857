"""Our own license question sets (tests/data/license_questions/*.yaml), answered from the texts.

Each set must keep 0 false "compatible" answers (the engine says compatible where the text says
no) and its accuracy above the floor below; ``python tests/licenses/test_licenses_questions.py``
prints the accuracy and every miss.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from openmodel_gov.licenses import (
    OutputsOf,
    check_dataset_mix,
    check_derivative,
    check_outbound,
    check_use,
    classify_license,
    outputs_of,
    suggest_release_licenses,
)

SETS = sorted((Path(__file__).parents[1] / "data" / "license_questions").glob("*.yaml"))
#: accuracy floor per set (the sets hold questions the engine still gets wrong)
FLOOR = 0.95
#: a suggestion the text forbids: the suggest form of a false "compatible"
UNSAFE = "wrongly offered"


def _inputs(items: list[Any]) -> list[str | OutputsOf]:
    return [outputs_of(i["outputs_of"]) if isinstance(i, dict) else str(i) for i in items]


def answer(q: dict[str, Any]) -> str:
    """The engine's answer to one question, in the question's terms."""
    facts = q.get("facts")
    ask = q["ask"]
    if ask == "use":
        return check_use(q["license"], facts=facts).verdict
    if ask == "derivative":
        return check_derivative(q["license"], q["outbound"], facts=facts).verdict
    if ask == "outbound":
        return check_outbound(q["license"], q["outbound"], facts=facts).verdict
    if ask == "mix":
        return check_dataset_mix(
            _inputs(q["datasets"]), use=q["use"], outbound=q.get("outbound"), facts=facts
        ).verdict
    if ask == "classify":
        return classify_license(q["license"]).category
    assert ask == "suggest", ask
    found = suggest_release_licenses(_inputs(q["inputs"]), use=q["use"], facts=facts)
    ids = [f.license for f in found if not f.open_questions]
    if q.get("empty"):
        return "ok" if not ids else f"{UNSAFE} {ids}"
    missing = [x for x in q.get("includes", []) if x not in ids]
    wrong = [x for x in q.get("excludes", []) if x in ids]
    if wrong:
        return f"{UNSAFE} {wrong}"
    return "ok" if not missing else f"missing {missing}"


def expected(q: dict[str, Any]) -> str:
    return "ok" if q["ask"] == "suggest" else str(q["expect"])


def run(path: Path) -> tuple[float, list[str], list[str]]:
    """Accuracy, misses and false-safe answers of one set."""
    questions = yaml.safe_load(path.read_text(encoding="utf-8"))["questions"]
    misses: list[str] = []
    false_safe: list[str] = []
    for q in questions:
        got, want = answer(q), expected(q)
        if got != want:
            misses.append(f"{q['id']}: expected {want}, got {got} ({q['cite']})")
            if got == "compatible" or got.startswith(UNSAFE):
                false_safe.append(q["id"])
    return 1 - len(misses) / len(questions), misses, false_safe


@pytest.mark.parametrize("path", SETS, ids=[p.stem for p in SETS])
def test_question_set(path: Path) -> None:
    questions = yaml.safe_load(path.read_text(encoding="utf-8"))["questions"]
    assert len(questions) >= 60
    assert all(q.get("cite") for q in questions), "every answer cites its section"
    assert len({q["id"] for q in questions}) == len(questions)
    accuracy, misses, false_safe = run(path)
    assert not false_safe, f"false compatible: {false_safe}"
    assert accuracy >= FLOOR, "\n".join(misses)


if __name__ == "__main__":  # pragma: no cover - a report for people
    for set_path in SETS:
        acc, missed, unsafe = run(set_path)
        print(f"{set_path.stem}: {acc:.1%} right, {len(unsafe)} false-safe")
        for line in missed:
            print("  -", line)
    sys.exit(0)
