"""Score a model card's openness (0-10), classify it in the Model Openness Framework and
print the smallest plan to reach the next band.

Usage: python examples/score_card.py [CARD]   (default: the example card shipped with the package)
"""

from __future__ import annotations

import sys

from openmodel_gov.audit import example_dir
from openmodel_gov.cards import load_card
from openmodel_gov.openness import classify_mof, improvement_plan, score_openness


def main(argv: list[str]) -> int:
    card = load_card(argv[0] if argv else example_dir() / "README.md")
    score = score_openness(card)
    print(score.explain())
    print()
    print(classify_mof(card))
    print()
    print(improvement_plan(card, target="next-class"))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
