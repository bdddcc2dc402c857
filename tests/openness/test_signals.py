"""What the openness scorer reads, through the cards evidence layer, in a card's gate and body."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from openmodel_gov.cards import AccessGating, ModelCard, load_card, load_card_text
from openmodel_gov.openness import score_openness
from openmodel_gov.openness._signals import read_signals


def card(body: str, **meta: object) -> ModelCard:
    front = "".join(f"{k}: {v}\n" for k, v in meta.items())
    return load_card_text(f"---\n{front}---\n{body}")


# --- gate kinds ------------------------------------------------------------------------------
def gated(**kw: object) -> ModelCard:
    return load_card({"name": "m", "license": "MIT", "weights_url": "https://w"}).model_copy(
        update={"gating": AccessGating.model_validate(kw)}
    )


def test_no_gate() -> None:
    assert read_signals(load_card({"name": "m"})).gate == "none"


def test_click_through_is_an_acknowledgement_without_personal_data() -> None:
    s = read_signals(gated(prompt="Review and accept the terms", button_content="Acknowledge"))
    assert (s.gate, s.gate_fields) == ("click-through", ())


def test_form_fields_make_an_access_request() -> None:
    s = read_signals(gated(fields={"Name": "text", "Country": "country", "I agree": "checkbox"}))
    assert s.gate == "access-request"
    assert s.gate_fields == ("Name", "Country", "I agree")


def test_manual_approval_and_discretion_are_discretionary() -> None:
    assert read_signals(gated(gated="manual")).gate == "discretionary"
    text = "Access is granted at our sole discretion after review."
    assert read_signals(gated(prompt=text)).gate == "discretionary"


def test_only_a_discretionary_gate_costs_the_weights_their_points() -> None:
    form = score_openness(gated(fields={"Country": "country"}))
    manual = score_openness(gated(gated="manual"))
    assert form.dimensions["weights"].score >= 1
    assert "Country" in " ".join(form.dimensions["weights"].reasons)
    assert manual.dimensions["weights"].score == 0
    assert "discretion" in manual.dimensions["weights"].reasons[0]


# --- training code statements (issue #13's kinds) -----------------------------------------------
CODE_STATEMENTS = {
    "labelled link": "- [Training Code](https://github.com/o/m-train)\n",
    "Trainer line": "- **Trainer:** [o/Megatron](https://github.com/o/Megatron)\n",
    "Repository line": "- **Repository:** https://github.com/o/m\n",
    "autolink repository": "* **Repository:** <https://github.com/o/m>\n",
    "bold Code": "**Code:** [o/m](https://github.com/o/m)\n",
    "recipe by URL": "Trained with the [handbook](https://github.com/huggingface/alignment-handbook).\n",
    "sentence": "The training code for this adapter is available at https://github.com/o/a\n",
}


def test_each_kind_of_training_code_statement_counts() -> None:
    for kind, body in CODE_STATEMENTS.items():
        s = read_signals(card(f"# M\n\n{body}"))
        assert s.code_strength == 2, kind
        assert s.training_code[0].evidence.line is not None, kind


def test_named_trainers_and_training_commands_are_a_partial_pipeline() -> None:
    badge = (
        "[<img src='x'>](https://github.com/OpenAccess-AI-Collective/axolotl) built with axolotl\n"
    )
    assert read_signals(card(badge)).code_strength == 1
    command = "```bash\ndeepspeed --num_gpus 8 train.py\n```\n"
    assert read_signals(card(command)).code_strength == 1


def test_general_tools_and_contact_links_are_not_training_code() -> None:
    body = (
        "Run it with [vLLM](https://github.com/vllm-project/vllm).\n\n"
        "## Reporting issues\n\nSee https://github.com/o/m\n"
    )
    assert read_signals(card(body)).code_strength == 0


def test_stated_closed_is_not_not_stated() -> None:
    closed = card("It was trained with a custom distributed training codebase, Gigatron.\n")
    s = score_openness(closed)
    assert "stated closed" in s.dimensions["training_code"].reasons[0]
    silent = score_openness(card("# M\n"))
    assert "not stated" in silent.dimensions["training_code"].reasons[0]


# --- training data ------------------------------------------------------------------------------
def test_data_named_and_described_is_full_disclosure() -> None:
    body = (
        "## Training Data\n\nA filtered and deduplicated mix of "
        "[RefinedWeb](https://huggingface.co/datasets/tiiuae/falcon-refinedweb) and code.\n"
    )
    s = score_openness(card(body))
    assert s.dimensions["training_data"].score == 2


def test_data_stated_vaguely_is_partial() -> None:
    s = score_openness(card("It was trained on 2 trillion tokens of publicly available data.\n"))
    assert s.dimensions["training_data"].score == 1


def test_a_document_itemising_the_data_counts() -> None:
    body = "A detailed attribution of datasets can be found in the Technical Report.\n"
    s = score_openness(card(body))
    assert s.dimensions["training_data"].score == 2


# --- license in the body ------------------------------------------------------------------------
def test_a_license_given_only_in_the_body_is_read() -> None:
    s = score_openness(card("# M\n\n- **License:** Apache 2.0\n"))
    assert s.dimensions["license"].score == 2
    assert "stated in the body" in s.dimensions["license"].reasons[0]
    s = score_openness(card("This model is licensed under the BigCode OpenRAIL-M license.\n"))
    assert s.dimensions["weights"].score == 1  # downloadable, restricted terms
    assert "restricted" in s.dimensions["license"].reasons[0]


# --- robustness ---------------------------------------------------------------------------------
@settings(max_examples=60, deadline=None)
@given(st.text(max_size=400))
def test_any_body_is_read_without_error(body: str) -> None:
    s = read_signals(load_card_text("---\nlicense: mit\n---\n" + body))
    assert 0 <= s.code_strength <= 2
    for e in (*s.datasets, *s.papers, *s.data_vague):
        assert e.line is None or e.line >= 1


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "## Training Data",
                "[Training Code](https://github.com/o/t)",
                "[paper](https://arxiv.org/abs/2401.00001)",
                "| MMLU | 61.2 |",
                "```",
                "https://huggingface.co/datasets/o/d",
                "licensed under the MIT license",
                "[",
                "",
            ]
        ),
        max_size=12,
    )
)
def test_markdown_fragments_in_any_order(lines: list[str]) -> None:
    s = score_openness(card("\n".join(lines) + "\n"))
    assert 0 <= s.total <= 10
