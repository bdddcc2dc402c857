"""Real Model Openness Tool ``models/*.yml`` files, in both layouts the tool has used.

The two files are copied from ``lfai/model_openness_tool`` (``models/GPT-NeoX-20B.yml`` at
``25fcbab4``; ``models/DeepSeek-V3.yml`` at ``70f3481a``). The expected classes and progress
follow from the tool's rules applied by hand (see each test); the tool's own published numbers
for its test models are checked in ``test_openness_mot_reference.py``.
"""

from __future__ import annotations

import pytest

from openmodel_gov.cards import load_card_text
from openmodel_gov.openness import classify_mof, improvement_plan

GPT_NEOX_20B = """\
framework:
  name: 'Model Openness Framework'
  version: '1.0'
  date: '2024-12-15'
release:
  name: GPT-NeoX-20B
  version: 20B
  date: '2025-05-30'
  type: language
  architecture: 'transformer decoder'
  origin: 'GPT Megatron'
  producer: EleutherAI
  contact: ''
  repository: 'https://github.com/EleutherAI/gpt-neox'
  huggingface: 'https://huggingface.co/EleutherAI/gpt-neox-20b'
  license:
    distribution:
      name: Apache-2.0
      path: ''
  components:
    - name: 'Model architecture'
    - name: 'Data preprocessing code'
    - name: 'Training code'
    - name: 'Inference code'
    - name: 'Evaluation code'
    - name: 'Model parameters (Final)'
    - name: 'Model parameters (Intermediate)'
    - name: Datasets
    - name: 'Model metadata'
    - name: 'Model card'
    - name: 'Data card'
    - name: 'Research paper'
      component_path: 'https://arxiv.org/abs/2204.06745'
      license: CC-BY-4.0
    - name: 'Evaluation results'
"""

DEEPSEEK_V3 = """\
framework:
  name: 'Model Openness Framework'
  version: '1.0'
  date: '2024-12-15'
release:
  name: 'DeepSeek-V3'
  version: '671B'
  date: '2024-12-26'
  type: 'language'
  producer: 'DeepSeek AI'
  components:
    - {name: 'Model architecture', license_name: MIT}
    - {name: 'Data preprocessing code', license_name: 'Component not included'}
    - {name: 'Training code', license_name: 'Component not included'}
    - {name: 'Inference code', license_name: MIT}
    - {name: 'Evaluation code', license_name: 'Component not included'}
    - {name: 'Supporting libraries and tools', license_name: MIT}
    - {name: 'Model parameters (Final)', license_name: DeepSeek License Agreement}
    - {name: 'Model parameters (Intermediate)', license_name: 'Component not included'}
    - {name: Datasets, license_name: 'Component not included'}
    - {name: 'Evaluation data', license_name: 'License not specified'}
    - {name: 'Model metadata', license_name: DeepSeek License Agreement}
    - {name: 'Sample model outputs', license_name: 'Component not included'}
    - {name: 'Model card', license_name: 'License not specified'}
    - {name: 'Data card', license_name: 'Component not included'}
    - {name: 'Technical report', license_name: 'License not specified'}
    - {name: 'Research paper', license_name: arXiv.org perpetual non-exclusive license 1.0}
    - {name: 'Evaluation results', license_name: 'License not specified'}
"""


def test_gpt_neox_20b_is_class_iii_with_the_paper_standing_in() -> None:
    # Class III: five components inherit Apache-2.0 (distribution) + the CC-BY-4.0 paper stands
    # in for the missing technical report = 6/6. Class II: + 3 of 4 (no evaluation data) = 9/10.
    result = classify_mof(load_card_text(GPT_NEOX_20B))
    assert result.mof_class == 3
    assert result.paper_substitutes_report
    assert result.progress == pytest.approx({3: 100.0, 2: 90.0, 1: 0.0})
    assert result.components["Evaluation data"].status == "missing"
    assert result.components["Model card"].license_origin == "distribution"
    plan = improvement_plan(load_card_text(GPT_NEOX_20B), target="next-class")
    assert [a.component for a in plan.actions] == ["Evaluation data"]
    # every class I component is already open, so releasing the evaluation data reaches class I
    assert plan.after == "Class I - Open Science Model"


def test_deepseek_v3_old_layout_is_unclassified() -> None:
    # Only the MIT architecture is open in class III: the weights' custom license is not open,
    # "License not specified" with no global license is unlicensed, and the arXiv license of the
    # paper (which stands in for the unlicensed report) is not open: 1/6.
    result = classify_mof(load_card_text(DEEPSEEK_V3))
    assert result.mof_class is None
    assert result.progress[3] == pytest.approx(100 / 6)
    comps = result.components
    assert comps["Model parameters (Final)"].status == "not-open"
    assert comps["Model card"].status == "unlicensed"
    assert comps["Data card"].status == "missing"
    assert comps["Research paper"].status == "not-open"
    assert result.paper_substitutes_report
