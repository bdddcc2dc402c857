"""Rendered license results: golden files (text, HTML, JSON) and escaping.

Regenerate the golden files after an intended change with
``OMG_UPDATE_GOLDEN=1 python -m pytest tests/licenses/test_licenses_render.py``.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from openmodel_gov.licenses import (
    Verdict,
    check_dataset_mix,
    check_derivative,
    classify_license,
    outputs_of,
)

GOLDEN = Path(__file__).resolve().parent / "golden"


def _derivative() -> Verdict:
    return check_derivative(
        "hf:llama3.1",
        "Apache-2.0",
        facts={"derivative_name": "Llama-MedChat-8B", "passes_use_restrictions": True},
    )


def _mix() -> Verdict:
    return check_dataset_mix(
        ["CC-BY-SA-4.0", "GPL-2.0-or-later", outputs_of("hf:gemma")],
        use="distribute-model",
        outbound="Apache-2.0",
    )


RENDERERS: dict[str, Callable[[], str]] = {
    "derivative.txt": lambda: str(_derivative()),
    "derivative.html": lambda: _derivative()._repr_html_(),
    "derivative.json": lambda: (
        json.dumps(_derivative().to_dict(), indent=2, ensure_ascii=False) + "\n"
    ),
    "mix.txt": lambda: str(_mix()),
    "classification.txt": lambda: str(classify_license("MIT AND (hf:gemma OR CC-BY-NC-4.0)")),
    "classification.html": lambda: classify_license("hf:cc-by-nd-4.0")._repr_html_(),
}


@pytest.mark.parametrize("name", sorted(RENDERERS))
def test_golden(name: str) -> None:
    rendered = RENDERERS[name]()
    path = GOLDEN / name
    if os.environ.get("OMG_UPDATE_GOLDEN") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(rendered, encoding="utf-8", newline="")
    assert rendered == path.read_text(encoding="utf-8"), f"{name} changed; see module docstring"


def test_html_is_escaped() -> None:
    # license ids cannot hold "<", but a derivative name can, and it is echoed in reasons
    html = check_derivative(
        "hf:llama3", "hf:llama3", facts={"derivative_name": "<script>x"}
    )._repr_html_()
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
