"""May we fine-tune a Llama 3.1 model and release the result? Check the derivative's license
with the facts of our use, then every license a card declares.

Usage: python examples/check_finetune_license.py
"""

from __future__ import annotations

from openmodel_gov.audit import example_dir
from openmodel_gov.cards import load_card
from openmodel_gov.licenses import UseFacts, check_card_licenses, check_derivative


def main() -> int:
    facts = UseFacts(
        commercial=True,
        monthly_active_users=50_000,
        derivative_name="Llama-3.1-helpdesk",
        attribution_displayed=True,
        passes_use_restrictions=True,
    )
    # Same license downstream: the Llama terms travel with the fine-tune.
    print(check_derivative("hf:llama3.1", "hf:llama3.1", facts=facts))
    print()
    # Relicensing under Apache-2.0: compatible only because our Apache-2.0 release also ships
    # the Llama agreement and keeps its use restrictions binding (passes_use_restrictions).
    print(check_derivative("hf:llama3.1", "Apache-2.0", facts=facts))
    print()
    # Apache-2.0 alone does not carry the Llama terms (§1.b.i): without that fact, incompatible.
    unknown = facts.model_copy(update={"passes_use_restrictions": None})
    print(check_derivative("hf:llama3.1", "Apache-2.0", facts=unknown).verdict)
    print()
    card = load_card(example_dir() / "README.md")
    report = check_card_licenses(
        card, base_licenses={"openmodel-gov/tiny-base-1b": "Apache-2.0"}, facts=facts
    )
    print(report)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
