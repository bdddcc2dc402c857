"""Compare the openness of the ten models the field keeps comparing.

Loads every card under ``examples/cards/`` (each fact cited in the card's ``extras.sources``),
then prints one table: the five 0-2 dimensions, the 0-10 total, band, red/amber/green rating and
the Model Openness Framework class; then, per model, OSAID 1.0 readiness and the smallest plan
to reach the next band.

Usage::

    python examples/compare_openness.py              # Markdown table and per-model notes
    python examples/compare_openness.py --csv        # CSV only
    python examples/compare_openness.py --html out.html
    python examples/compare_openness.py --explain    # every point with its evidence
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from openmodel_gov.cards import load_card
from openmodel_gov.openness import (
    compare_openness,
    improvement_plan,
    osaid_readiness,
    score_openness,
)

CARDS = Path(__file__).resolve().parent / "cards"


def main(argv: list[str] | None = None) -> int:
    """Print the comparison; returns the process exit code."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--csv", action="store_true", help="print CSV instead of Markdown")
    parser.add_argument("--html", metavar="PATH", help="also write an HTML table to PATH")
    parser.add_argument("--explain", action="store_true", help="explain every point")
    args = parser.parse_args(argv)

    cards = [load_card(path) for path in sorted(CARDS.glob("*.yaml"))]
    table = compare_openness(cards, sort_by="total")
    if args.csv:
        print(table.to_csv(), end="")
        return 0
    print(table.to_markdown())
    if args.html:
        Path(args.html).write_text(table.to_html(), encoding="utf-8")
        print(f"\nHTML written to {args.html}")
    print()
    for card in cards:
        readiness = osaid_readiness(card)
        plan = improvement_plan(card)
        print(f"- {readiness}")
        if plan.already_met:
            print(f"  plan: already {plan.before}")
        else:
            steps = "; ".join(a.description for a in plan.actions)
            print(f"  plan to {plan.after}: {steps}")
        if args.explain:
            print(score_openness(card).explain())
    return 0


if __name__ == "__main__":
    sys.exit(main())
