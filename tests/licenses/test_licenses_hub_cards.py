"""The license of real Hub cards (tests/data/hub_cards, with a facts table read by a person).

Measures how many of the licenses the cards state we resolve to an id, that none resolves to a
different license than the one a reader takes from the card, and that identifying a LICENSE
text never fires on a README that does not embed one. ``python
tests/licenses/test_licenses_hub_cards.py`` prints the figures and every unresolved card.
"""

from __future__ import annotations

import sys
import warnings
from pathlib import Path
from typing import Any

import pytest
import yaml

from openmodel_gov.cards import load_card
from openmodel_gov.licenses import classify_license, identify_license_text
from openmodel_gov.licenses._chain import card_license, read_license

ROOT = Path(__file__).parents[1] / "data" / "hub_cards"
#: the facts table's license grade: 2 permissive, 1 share-alike/copyleft, 0 the rest or none
GRADE = {"permissive": 2, "copyleft": 1}


def _facts() -> dict[str, dict[str, Any]]:
    data: dict[str, dict[str, Any]] = yaml.safe_load(
        (ROOT / "facts.yaml").read_text(encoding="utf-8")
    )["cards"]
    return data


def measure() -> tuple[int, int, list[str], list[str], int]:
    """(cards stating a license, resolved, wrong, unresolved, grade agreements)."""
    stated = resolved = graded = 0
    wrong: list[str] = []
    unresolved: list[str] = []
    facts = _facts()
    for name, fact in facts.items():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            card = load_card(ROOT / name)
        src = card_license(card)
        category = classify_license(src.license).category if src.license else "unknown"
        graded += GRADE.get(category, 0) == fact["grades"]["license"]
        if not fact["license"]:
            continue
        stated += 1
        if src.license is None:
            unresolved.append(f"{name}: {fact['license']}")
            continue
        resolved += 1
        want, _ = read_license(str(fact["license"]))
        if want is not None and want != src.license:
            wrong.append(f"{name}: the card says {fact['license']}, we read {src.license}")
    return stated, resolved, wrong, unresolved, graded


@pytest.mark.skipif(not (ROOT / "facts.yaml").is_file(), reason="hub card corpus not present")
def test_card_licenses_on_real_hub_cards() -> None:
    stated, resolved, wrong, _, graded = measure()
    assert stated >= 100
    assert not wrong
    assert resolved / stated >= 0.8
    assert graded / len(_facts()) >= 0.95


@pytest.mark.skipif(not (ROOT / "facts.yaml").is_file(), reason="hub card corpus not present")
def test_no_license_identified_in_readmes_without_one() -> None:
    for path in sorted(ROOT.glob("*.md")):
        match = identify_license_text(path.read_text(encoding="utf-8"))
        if match.license is not None:  # only READMEs that embed an agreement's full text
            assert match.license.startswith("LicenseRef-openmodel-llama-3"), path.name
            assert "COMMUNITY LICENSE AGREEMENT" in path.read_text(encoding="utf-8").upper()


if __name__ == "__main__":  # pragma: no cover - a report for people
    n_stated, n_resolved, n_wrong, n_unresolved, n_graded = measure()
    print(
        f"{n_resolved}/{n_stated} stated licenses resolved, {len(n_wrong)} wrong; "
        f"license grade agrees on {n_graded}/{len(_facts())} cards"
    )
    for line in n_wrong + n_unresolved:
        print("  -", line)
    sys.exit(0)
