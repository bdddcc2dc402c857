"""classify_mof against the Model Openness Tool's own expected results.

The 27 models and their expected classes/progress are transcribed from
``lfai/model_openness_tool`` ``Test_Data/expected_results.json`` (commit ``5cc8333d``), the
output of the reference tool's REST API for the files in ``Test_Data/``. Each entry is
(release name, global licenses, {component: license or None}, expected class, progress).
Component descriptions and paths of the original are left out (they do not affect the class).
"""

from __future__ import annotations

from typing import Any

import pytest

from openmodel_gov.cards import load_card
from openmodel_gov.openness import classify_mof

ARCH = "Model architecture"
PRE = "Data preprocessing code"
TRAIN = "Training code"
INFER = "Inference code"
EVAL = "Evaluation code"
SUPPORT = "Supporting libraries and tools"
FINAL = "Model parameters (Final)"
INTER = "Model parameters (Intermediate)"
DATASETS = "Datasets"
EVDATA = "Evaluation data"
META = "Model metadata"
SAMPLES = "Sample model outputs"
MCARD = "Model card"
DCARD = "Data card"
REPORT = "Technical report"
PAPER = "Research paper"
RESULTS = "Evaluation results"

G = dict[str, str]
C = dict[str, "str | None"]


def _none(*names: str) -> dict[str, str | None]:
    return dict.fromkeys(names)


THIRD = 33.33333333333333
SIXTH = 16.666666666666664
FIVE_SIXTHS = 83.33333333333334

# fmt: off
CASES: list[tuple[str, G, dict[str, str | None], int, tuple[float, float, float]]] = [
    ("OnlyGlobalLicense_C1_20%-C2_18%-C3_33%", {"distribution": "CC-BY-SA-4.0", "data": "CC0-1.0"},
     _none(DATASETS, DCARD, PAPER), 0, (0, 0, THIRD)),
    ("OnlyGlobalLicense_C1_87%-C2_91%-C3_83%",
     {"distribution": "AFL-3.0", "code": "Apache-1.0", "document": "CC-BY-SA-4.0"},
     _none(ARCH, PRE, TRAIN, INFER, EVAL, SUPPORT, FINAL, INTER, DATASETS, EVDATA, META, SAMPLES,
           MCARD, DCARD, REPORT), 0, (0, 0, FIVE_SIXTHS)),
    ("Class2RTestFile", {"document": "CC0-1.0"},
     {ARCH: "MIT", TRAIN: "AFL-3.0", INFER: "NCSA", EVAL: "ECL-1.0", SUPPORT: "Apache-2.0",
      FINAL: "CC-BY-3.0-NL", EVDATA: "CC-BY-3.0-US", MCARD: "CC-BY-SA-3.0", DCARD: "CC-BY-4.0",
      PAPER: "CC-BY-SA-3.0", RESULTS: "CC-BY-4.0"}, 2, (76.92307692307693, 100, 100)),
    ("RandomTestFile_C1_73%-C2_82%-C3_83%",
     {"distribution": "CDLA-Permissive-2.0", "code": "ECL-2.0", "data": "CC-BY-2.5-AU",
      "document": "CC-BY-4.0"},
     {ARCH: "zlib-acknowledgement", PRE: "AFL-3.0", TRAIN: "ECL-2.0", EVAL: "UPL-1.0",
      SUPPORT: "AFL-1.1", FINAL: "ODbL-1.0", INTER: "Xfig", DATASETS: "CC-BY-2.0",
      EVDATA: "CC-BY-SA-4.0", META: "BSD-2-Clause", SAMPLES: "CC-BY-4.0", MCARD: "CC-BY-SA-3.0",
      DCARD: "SMLNJ", REPORT: "CC0-1.0", RESULTS: "CC-BY-SA-4.0"}, 0, (0, 0, FIVE_SIXTHS)),
    ("Class2TTestFile", {"data": "CDLA-Permissive-2.0"},
     {ARCH: "Apache-2.0", TRAIN: "ECL-1.0", INFER: "AFL-1.1", EVAL: "MIT-0", SUPPORT: "UPL-1.0",
      FINAL: "CC-BY-3.0-DE", EVDATA: "ODC-By-1.0", MCARD: "CC0-1.0", DCARD: "CC-BY-SA-4.0",
      REPORT: "CC0-1.0", RESULTS: "CC-BY-SA-4.0"}, 2, (71.42857142857143, 100, 100)),
    ("OnlyComponentLicenese_C1_27%-C2_36%-C3_50%", {},
     {PRE: "HPND-sell-MIT-disclaimer-xserver", TRAIN: "YPL-1.0", INFER: "AGPL-1.0-or-later",
      SUPPORT: "0BSD", EVDATA: "OGL-UK-1.0", SAMPLES: "TTYP0", DCARD: "CC-BY-SA-4.0",
      PAPER: "CC-BY-4.0", RESULTS: "CC-BY-SA-4.0"}, 0, (0, 0, 50)),
    ("RandomTestFile_C1_13%-C2_18%-C3_17%", {"distribution": "CC-BY-SA-3.0", "code": "AFL-1.1"},
     {EVAL: "Motosoto", META: "xinetd", PAPER: "IPL-1.0"}, 0, (0, 0, SIXTH)),
    ("RandomTestFile_C1_7%-C2_9%-C3_0%", {"distribution": "MIT", "document": "CC-BY-4.0"},
     {PRE: "OGDL-Taiwan-1.0", TRAIN: "Sun-PPP-2000", SUPPORT: "GFDL-1.3-invariants-or-later",
      EVDATA: "CC-BY-SA-3.0", META: "HPND-UC", PAPER: "TORQUE-1.1"}, 0, (0, 0, 0)),
    ("Class3TTestFile", {"data": "CC-BY-SA-2.0-UK"},
     {ARCH: "MIT-0", FINAL: "CC-BY-2.0", MCARD: "CC-BY-4.0", DCARD: "CC-BY-SA-4.0",
      REPORT: "CC-BY-4.0", RESULTS: "CC0-1.0"}, 3, (0, 60, 100)),
    ("NoLicenseFile_16C", {},
     _none(ARCH, PRE, TRAIN, INFER, EVAL, SUPPORT, FINAL, INTER, DATASETS, EVDATA, META, SAMPLES,
           DCARD, REPORT, PAPER, RESULTS), 0, (0, 0, 0)),
    ("RandomTestFile_C1_27%-C2_18%-C3_17%", {"code": "0BSD", "document": "CC0-1.0"},
     {ARCH: "CC-BY-NC-2.5", PRE: "MIT", EVAL: "NCSA", FINAL: "CC-BY-SA-3.0-AT",
      INTER: "CC-BY-SA-3.0", EVDATA: "CC-PDDC", META: "GFDL-1.3", SAMPLES: "ADSL",
      DCARD: "BSD-4.3TAHOE", REPORT: "Net-SNMP", RESULTS: "Soundex"}, 0, (0, 0, SIXTH)),
    ("OnlyGlobalLicense_C1_47%-C2_45%-C3_33%", {"code": "NCSA", "data": "CC-BY-SA-4.0"},
     _none(ARCH, PRE, TRAIN, INFER, EVAL, FINAL, INTER, SAMPLES, DCARD, RESULTS), 0,
     (0, 0, THIRD)),
    ("NoLicenseFile_12C", {},
     _none(ARCH, TRAIN, INFER, EVAL, SUPPORT, FINAL, EVDATA, SAMPLES, MCARD, DCARD, REPORT, PAPER),
     0, (0, 0, 0)),
    ("MinimalFile", {}, _none(DATASETS), 0, (0, 0, 0)),
    ("Class3RTestFile", {"document": "CC-BY-SA-4.0"},
     {ARCH: "Apache-1.0", FINAL: "ODbL-1.0", MCARD: "CC-BY-4.0", DCARD: "CC0-1.0",
      PAPER: "CC-BY-4.0", RESULTS: "CC0-1.0"}, 3, (0, 60, 100)),
    ("NoLicenseFile_3C", {}, _none(PRE, MCARD, REPORT), 0, (0, 0, 0)),
    ("Class1TestFile", {"distribution": "Apache-1.0", "code": "UPL-1.0"},
     {ARCH: "AFL-1.2", PRE: "AFL-2.1", TRAIN: "ISC", INFER: "AFL-1.1", EVAL: "AFL-3.0",
      SUPPORT: "AFL-2.1", FINAL: "CC-BY-SA-4.0", INTER: "CC-BY-3.0-US", DATASETS: "CC-BY-3.0-NL",
      EVDATA: "CC-BY-3.0-NL", SAMPLES: "CC0-1.0", MCARD: "CC-BY-SA-3.0", DCARD: "CC0-1.0",
      PAPER: "CC-BY-4.0", RESULTS: "CC-BY-4.0"}, 1, (100, 100, 100)),
    ("OnlyComponentLicenese_C1_7%-C2_0%-C3_0%", {},
     {PRE: "FSFAP", FINAL: "OLDAP-1.1", META: "CC-BY-4.0", MCARD: "SGP4", DCARD: "HPND-doc-sell",
      PAPER: "NLOD-1.0", RESULTS: "ssh-keyscan"}, 0, (0, 0, 0)),
    ("NoLicenseFile_6C", {}, _none(EVAL, EVDATA, META, MCARD, PAPER, RESULTS), 0, (0, 0, 0)),
    ("FullTestFile",
     {"distribution": "AFL-1.2", "code": "AFL-2.1", "data": "CC-BY-2.5", "document": "CC0-1.0"},
     {ARCH: "AFL-3.0", PRE: "ECL-1.0", TRAIN: "AFL-3.0", INFER: "AFL-2.0", EVAL: "MIT",
      SUPPORT: "AFL-1.2", FINAL: "CDLA-Sharing-1.0", INTER: "CC0-1.0", DATASETS: "ODC-By-1.0",
      EVDATA: "CC-BY-SA-1.0", META: "ODbL-1.0", SAMPLES: "CC-BY-SA-3.0", MCARD: "CC0-1.0",
      DCARD: "CC-BY-4.0", REPORT: "CC-BY-SA-3.0", PAPER: "CC-BY-4.0", RESULTS: "CC0-1.0"},
     1, (100, 100, 100)),
    ("OnlyComponentLicenese_C1_47%-C2_45%-C3_50%", {},
     {ARCH: "ulem", PRE: "LZMA-SDK-9.11-to-9.20", INFER: "Sendmail-8.23", EVAL: "Apache-2.0",
      FINAL: "StandardML-NJ", INTER: "CDLA-Sharing-1.0", DATASETS: "CC-BY-2.5",
      EVDATA: "CC-BY-3.0-DE", META: "xlock", SAMPLES: "MITNFA", MCARD: "CC0-1.0",
      DCARD: "CC-BY-4.0", REPORT: "Sun-PPP", PAPER: "Community-Spec-1.0", RESULTS: "Glulxe"},
     0, (0, 0, 50)),
    ("OnlyComponentLicenese_C1_20%-C2_18%-C3_33%", {},
     {ARCH: "MIT", PRE: "OPUBL-1.0", INTER: "AFL-2.0", DATASETS: "CC-BY-SA-1.0",
      EVDATA: "HPND-sell-variant-MIT-disclaimer-rev", META: "softSurfer", SAMPLES: "Borceux",
      MCARD: "SISSL-1.2", DCARD: "CC-BY-ND-3.0", REPORT: "CC-BY-3.0-AU", RESULTS: "libpng-2.0"},
     0, (0, 0, THIRD)),
    ("NoLicenseFile_9C", {},
     _none(PRE, INFER, FINAL, INTER, DATASETS, META, SAMPLES, DCARD, PAPER), 0, (0, 0, 0)),
    ("OnlyGlobalLicense_C1_13%-C2_9%-C3_17%", {"document": "CC-BY-SA-4.0"},
     _none(INFER, EVAL, SUPPORT, FINAL, EVDATA, META, SAMPLES, PAPER), 0, (0, 0, SIXTH)),
    ("OnlyComponentLicenese_C1_13%-C2_18%-C3_33%", {},
     {ARCH: "MulanPSL-2.0", TRAIN: "AML-glslang", INFER: "cve-tou",
      SUPPORT: "CNRI-Python-GPL-Compatible", INTER: "CC-BY-NC-SA-1.0", MCARD: "CC-BY-SA-3.0",
      PAPER: "CNRI-Jython", RESULTS: "CC-BY-NC-ND-3.0"}, 0, (0, 0, THIRD)),
    ("RandomTestFile_C1_33%-C2_45%-C3_50%", {"distribution": "CC-BY-SA-4.0", "document": "CC0-1.0"},
     {ARCH: "BSD-3-Clause-Clear", TRAIN: "MPL-1.1", EVAL: "softSurfer", FINAL: "CC-BY-SA-2.0-UK",
      EVDATA: "CC-BY-2.0", REPORT: "BSD-3-Clause-Attribution", PAPER: "CDLA-Permissive-1.0"},
     0, (0, 0, 50)),
    ("OnlyGlobalLicense_C1_33%-C2_27%-C3_17%",
     {"distribution": "MulanPSL-2.0", "code": "ECL-1.0", "data": "ODC-By-1.0",
      "document": "CC-BY-SA-3.0"},
     _none(PRE, INFER, DATASETS, EVDATA, MCARD), 0, (0, 0, SIXTH)),
]
# fmt: on


def mot_document(name: str, globals_: G, components: dict[str, str | None]) -> dict[str, Any]:
    """A Model Openness Tool ``model.yml`` document, as the reference tool stores it."""
    comps: list[dict[str, Any]] = []
    for comp, lic in components.items():
        entry: dict[str, Any] = {"name": comp, "description": comp}
        if lic is not None:
            entry["license"] = lic
        comps.append(entry)
    license_block: Any = {k: {"name": v} for k, v in globals_.items()} if globals_ else []
    return {
        "framework": {"name": "Model Openness Framework", "version": "1.0"},
        "release": {
            "name": name,
            "version": "1B",
            "producer": "Test",
            "license": license_block,
            "components": comps,
        },
    }


def test_all_27_reference_models_are_transcribed() -> None:
    assert len(CASES) == 27
    assert len({c[0] for c in CASES}) == 27


@pytest.mark.parametrize(
    ("name", "globals_", "components", "expected_class", "progress"),
    CASES,
    ids=[c[0] for c in CASES],
)
def test_classify_mof_equals_the_model_openness_tool(
    name: str,
    globals_: G,
    components: dict[str, str | None],
    expected_class: int,
    progress: tuple[float, float, float],
) -> None:
    card = load_card(mot_document(name, globals_, components))
    result = classify_mof(card)
    assert (result.mof_class or 0) == expected_class
    got = (result.progress[1], result.progress[2], result.progress[3])
    assert got == pytest.approx(progress, abs=1e-9)
    assert result.overall_progress == pytest.approx(sum(progress) / 3)
    labels = {
        0: "Unclassified",
        1: "Class I - Open Science Model",
        2: "Class II - Open Tooling Model",
        3: "Class III - Open Model",
    }
    assert result.label == labels[expected_class]
