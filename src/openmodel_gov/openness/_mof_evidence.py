"""The 17 MOF components of a Hugging Face card, inferred from what the card shows.

A Hub README states no MOF components, so :func:`infer_components` reads them from the card:
the card itself is the model card; a Hub model repository hosts the final parameters (and an
architecture configuration when a library loads it); ``model-index`` or evaluation tables are
evaluation results; linked training repositories are training code; arXiv links are the
research paper or technical report; Hub dataset ids are datasets with their data cards; ...
Each inferred component keeps its evidence.

Licenses follow the Model Openness Tool's rules unchanged: the Hub ``license:`` covers what the
Hub repository holds (weights, configuration, card, the results and code written in it), so
those components carry it (a Hub id that is an SPDX id in lower case, ``apache-2.0``, is
written as that SPDX id); a component published elsewhere (a GitHub repository, a dataset, a
paper) carries no license unless the card states one, and is then "included without a
license" -- not open in strict mode, as in the tool.
"""

from __future__ import annotations

from functools import lru_cache

from openmodel_gov._core import Evidence
from openmodel_gov.cards import Component, ModelCard
from openmodel_gov.openness._signals import CardSignals, read_signals

__all__ = ["HOSTED", "InferredComponent", "infer_components", "with_inferred_components"]

#: Components that live in the Hub model repository itself (covered by its ``license:``).
HOSTED = frozenset(
    {
        "Model card",
        "Model parameters (Final)",
        "Model architecture",
        "Evaluation results",
        "Inference code",
        "Sample model outputs",
        "Model parameters (Intermediate)",
    }
)

InferredComponent = tuple[str, tuple[Evidence, ...]]


def _meta(path: str, snippet: str, note: str) -> Evidence:
    return Evidence(kind="front-matter", path=path, snippet=snippet[:160], note=note)


def _derived(note: str) -> Evidence:
    return Evidence(kind="derived", certainty="inferred", note=note)


def _papers(sig: CardSignals) -> tuple[tuple[Evidence, ...], tuple[Evidence, ...]]:
    reports = tuple(e for e in sig.papers if "report" in (e.snippet or "").lower())
    papers = tuple(e for e in sig.papers if e not in reports)
    return reports, papers


def infer_components(card: ModelCard) -> dict[str, tuple[Evidence, ...]]:
    """Component name -> the evidence that it is present, for the components a Hub card shows.

    >>> from openmodel_gov.cards import load_card_text
    >>> card = load_card_text("---\\nlicense: mit\\nlibrary_name: transformers\\n---\\n# M\\n")
    >>> sorted(infer_components(card))
    ['Model architecture', 'Model card', 'Model parameters (Final)']
    """
    sig = read_signals(card)
    found: dict[str, tuple[Evidence, ...]] = {
        "Model card": (_derived("this README is the model card"),),
        "Model parameters (Final)": (
            _derived("a Hub model repository hosts the final parameters"),
        ),
    }
    arch: tuple[Evidence, ...] = sig.architecture
    if card.ecosystem.library_name:
        arch = (
            _meta(
                "$.library_name", card.ecosystem.library_name, "a library loads its configuration"
            ),
            *arch,
        )
    elif any("from_pretrained" in (e.snippet or "") for e in sig.inference):
        arch = (*sig.inference[:1], *arch)
    if arch:
        found["Model architecture"] = arch[:2]
    results = sig.eval_results
    if card.eval_results:
        results = (
            _meta("$.model-index", f"{len(card.eval_results)} result(s)", "evaluation results"),
            *results,
        )
    pairs: tuple[tuple[str, tuple[Evidence, ...]], ...] = (
        ("Evaluation results", results),
        ("Inference code", sig.inference),
        ("Sample model outputs", sig.samples),
        ("Model parameters (Intermediate)", sig.intermediate),
        ("Training code", tuple(s.evidence for s in sig.training_code if s.strength == 2)),
        ("Data preprocessing code", sig.preprocessing_code),
        ("Evaluation code", sig.eval_code),
    )
    for name, evidence in pairs:
        if evidence:
            found[name] = evidence[:2]
    datasets: tuple[Evidence, ...] = sig.datasets
    if card.datasets:
        datasets = (
            _meta("$.datasets", ", ".join(card.datasets[:5]), "training datasets"),
            *datasets,
        )
    if datasets:
        found["Datasets"] = datasets[:2]
    if card.datasets or sig.dataset_ids:
        ids = ", ".join((card.datasets or list(sig.dataset_ids))[:5])
        found["Data card"] = (
            Evidence(
                kind="derived",
                snippet=ids,
                certainty="inferred",
                note="Hub datasets, each documented by its dataset card",
            ),
        )
    reports, papers = _papers(sig)
    if reports:
        found["Technical report"] = reports[:2]
    if papers:
        found["Research paper"] = papers[:2]
    return found


@lru_cache(maxsize=1024)
def _hub_spdx(license_id: str) -> str:
    """The SPDX id a Hub license id stands for (``hf:apache-2.0`` -> ``Apache-2.0``), else itself."""
    from openmodel_gov.openness._licensing import normalize

    if not license_id.startswith("hf:"):
        return license_id
    canonical = normalize(license_id)
    if canonical is None or " " in canonical or canonical.startswith("LicenseRef-"):
        return license_id  # not an SPDX id: keep the Hub's name (hf:llama2)
    return canonical


def with_inferred_components(card: ModelCard) -> tuple[ModelCard, dict[str, tuple[Evidence, ...]]]:
    """``card`` with the components its Hub README shows filled in (declared ones win).

    Components hosted in the Hub repository carry the card's ``license:`` (as an SPDX id when
    it is one); the others carry their own declared license or none. The card's declared
    license is then cleared so that nothing else inherits it (the MOT has no such fallback).
    """
    inferred = infer_components(card)
    declared = card.license
    hosted_license = _hub_spdx(declared) if declared else None
    components = dict(card.components)
    for name in inferred:
        if name in components:
            continue
        lic = hosted_license if name in HOSTED else None
        components[name] = Component(included=True, license=lic)  # type: ignore[index]
    update: dict[str, object] = {"components": components, "license": None}
    code_license = None if card.licenses.code else stated_code_license(card)
    if code_license is not None:
        # "Code License: Apache 2.0" (meditron): the release's license for code, as in a MOT file
        update["licenses"] = card.licenses.model_copy(update={"code": code_license})
    return card.model_copy(update=update), inferred


def stated_code_license(card: ModelCard) -> str | None:
    """The license the card's body gives to its code ("**Code License:** Apache 2.0"), if any.

    Read from the cards evidence layer (:func:`openmodel_gov.cards.read_card_evidence`:
    statements whose label scopes them to code, with the license their name stands for).
    """
    from openmodel_gov.cards import read_card_evidence

    for statement in read_card_evidence(card).licenses:
        if statement.scope == "code" and statement.license_id is not None:
            return _hub_spdx(statement.license_id)
    return None
