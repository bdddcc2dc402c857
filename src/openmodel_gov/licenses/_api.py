"""Public functions of :mod:`openmodel_gov.licenses` over cards, chains and feasible sets.

Defined here to keep the package's ``__init__`` small; they are resolved lazily from there and
show ``openmodel_gov.licenses`` as their module.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Literal

from openmodel_gov.licenses._cardinput import derivative_of
from openmodel_gov.licenses._mix import dataset_mix_verdict

if TYPE_CHECKING:
    from pathlib import Path

    from openmodel_gov._core import Finding
    from openmodel_gov.cards import ModelCard
    from openmodel_gov.licenses._cards import CardLicenseReport
    from openmodel_gov.licenses._identify import LicenseMatch
    from openmodel_gov.licenses._results import (
        FeasibleLicense,
        LicenseSource,
        OutputsOf,
        UseFacts,
    )

__all__ = [
    "check_card_licenses",
    "identify_license_text",
    "license_source_findings",
    "resolve_base_licenses",
    "suggest_release_licenses",
]


def suggest_release_licenses(
    inputs: str | ModelCard | Sequence[str | OutputsOf],
    *,
    use: Literal["derivative", "publish-dataset", "distribute-model"] = "derivative",
    facts: UseFacts | Mapping[str, object] | None = None,
    datasets: Mapping[str, str] | None = None,
    base_licenses: Mapping[str, str] | None = None,
    search_paths: Sequence[str | Path] = (),
) -> tuple[FeasibleLicense, ...]:
    """Which known licenses could a release take, given everything it is made from?

    Args:
        inputs: the base model's license (or card) for ``derivative``; the datasets (license
            expressions, :func:`outputs_of`, dataset ids) for ``publish-dataset`` /
            ``distribute-model``.
        use: what is released: a derived model, a merged dataset, or a model trained on the
            datasets.
        facts: :class:`UseFacts` (or a mapping of its fields).
        datasets: see :func:`check_dataset_mix`.
        base_licenses: see :func:`check_derivative`.
        search_paths: see :func:`check_derivative`.

    Returns:
        The feasible licenses, most permissive first, each with its obligations (and, when
        none works as the facts stand, those that would once an open question is settled,
        with the question); empty when no known license can satisfy every input.

    >>> [f.license for f in suggest_release_licenses(["CC-BY-4.0", "CC-BY-SA-4.0"], use="publish-dataset")]
    ['CC-BY-SA-4.0', 'GPL-3.0-only']
    >>> suggest_release_licenses(["CC-BY-SA-4.0", "CC-BY-NC-SA-4.0"], use="publish-dataset")
    ()
    """
    if use == "derivative":
        if not isinstance(inputs, str) and isinstance(inputs, Sequence):
            from openmodel_gov.licenses._mix import as_list

            inputs = " AND ".join(f"({item})" for item in as_list(inputs))
        verdict = derivative_of(
            inputs, None, facts=facts, base_licenses=base_licenses, search_paths=search_paths
        )
    else:
        items = [inputs] if isinstance(inputs, str) else inputs
        if not isinstance(items, Sequence):
            from openmodel_gov.errors import ConfigError

            raise ConfigError("give the datasets as a list", field="inputs")
        verdict = dataset_mix_verdict(items, use=use, outbound=None, facts=facts, datasets=datasets)
    return verdict.feasible


def resolve_base_licenses(
    card: ModelCard,
    *,
    base_licenses: Mapping[str, str] | None = None,
    local_cards: Mapping[str, ModelCard] | None = None,
    search_paths: Sequence[str | Path] = (),
) -> tuple[LicenseSource, ...]:
    """The card's license and its base models' licenses, each with where it came from.

    The card's own license is read from ``license`` (and ``license_name`` for ``other``);
    each base model's from ``base_licenses``, a local card (``local_cards`` or a folder /
    Hugging Face cache snapshot under ``search_paths``), or the shipped, cited
    ``known-models.yaml``, following base models of base models. A base model found nowhere
    has ``license=None`` (never guessed).

    >>> from openmodel_gov.cards import ModelCard
    >>> card = ModelCard(name="tulu-2-7b", license="hf:other", license_name="ai2-impact-license-low-risk", base_models=["meta-llama/Llama-2-7b-hf"])
    >>> [(s.subject, s.license, s.source) for s in resolve_base_licenses(card)]
    [("model card 'tulu-2-7b'", None, 'card'), ('base model meta-llama/Llama-2-7b-hf', 'LicenseRef-openmodel-llama-2', 'known-models')]
    """
    from openmodel_gov.licenses._chain import resolve_chain

    return resolve_chain(
        card, base_licenses=base_licenses, local_cards=local_cards, search_paths=search_paths
    )


def check_card_licenses(
    card: ModelCard,
    *,
    base_licenses: Mapping[str, str] | None = None,
    facts: UseFacts | Mapping[str, object] | None = None,
    local_cards: Mapping[str, ModelCard] | None = None,
    search_paths: Sequence[str | Path] = (),
) -> CardLicenseReport:
    """Check every license a model card declares, and the card's license against its bases.

    Base models' licenses come from :func:`resolve_base_licenses` (``base_licenses`` wins,
    then local cards, then the shipped known-models data).

    Args:
        card: a :class:`~openmodel_gov.cards.ModelCard`.
        base_licenses: license expression of a base model by Hub id.
        facts: :class:`UseFacts` for the derivative check (``derivative_name`` defaults to
            the card's name).
        local_cards: a base model's card by Hub id.
        search_paths: folders (or Hugging Face caches) holding base models.

    Returns:
        A :class:`CardLicenseReport` with one check per component and per base model.

    >>> from openmodel_gov.cards import ModelCard
    >>> card = ModelCard(name="Llama-3.1-Tiny", license="hf:llama3.1", base_models=["meta-llama/Llama-3.1-8B"])
    >>> check_card_licenses(card).verdict
    'compatible'
    """
    from openmodel_gov.licenses._cards import card_report

    return card_report(
        card,
        base_licenses=base_licenses,
        facts=facts,
        local_cards=local_cards,
        search_paths=search_paths,
    )


def identify_license_text(text: str) -> LicenseMatch:
    """Which license is this text (a LICENSE file)? Word-set similarity, as licensee does.

    The text is normalised (case, punctuation, copyright lines, ``[year]``-style fields) into
    its set of words and compared with shipped fingerprints of license texts (each citing its
    repository, commit, path and sha256) by the Dice coefficient; near-ties (Llama 3.1 / 3.2 /
    3.3, CC BY / BY-SA) are separated by the words only one of them has.

    Args:
        text: the license text.

    Returns:
        A :class:`LicenseMatch`: ``certainty`` is ``match`` (score >= 0.9), ``close``
        (>= 0.75: a modified text or another version; read it) or ``none``.

    >>> m = identify_license_text("Permission is hereby granted, free of charge, to any person "
    ...     "obtaining a copy of this software and associated documentation files (the "
    ...     '"Software"), to deal in the Software without restriction, including without '
    ...     "limitation the rights to use, copy, modify, merge, publish, distribute, sublicense, "
    ...     "and/or sell copies of the Software, and to permit persons to whom the Software is "
    ...     "furnished to do so, subject to the following conditions: The above copyright notice "
    ...     "and this permission notice shall be included in all copies or substantial portions "
    ...     'of the Software. THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, '
    ...     "EXPRESS OR IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY, "
    ...     "FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS "
    ...     "OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY, WHETHER IN "
    ...     "AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT OF OR IN CONNECTION WITH "
    ...     "THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE.")
    >>> m.license, m.certainty
    ('MIT', 'match')
    """
    from openmodel_gov.licenses._identify import identify

    return identify(text)


def license_source_findings(
    card: ModelCard,
    *,
    body_statements: Sequence[str] | None = None,
    license_text: str | None = None,
    license_file: str | None = None,
) -> tuple[Finding, ...]:
    """Do the card's front matter, body and LICENSE file agree on the license?

    Args:
        card: the model card (its ``license`` / ``license_name`` are the front matter).
        body_statements: license statements of the card's body ("licensed under BigCode
            OpenRAIL-M"); by default those :func:`openmodel_gov.cards.read_card_evidence`
            finds (code- and data-scoped ones left out). Names, Hub ids and expressions are
            read with :func:`classify_license`'s rules.
        license_text: the LICENSE file's text; by default the model folder's license file
            (folder evidence) or the ``LICENSE`` / ``LICENSE.txt`` / ``LICENSE.md`` next to the
            card's ``source_path``, if any.
        license_file: the LICENSE file's path, for the evidence.

    Returns:
        :class:`~openmodel_gov.results.Finding` objects: ``license.source-conflict`` (High
        when either side is restricted or non-commercial) for each place that names another
        license than the front matter, ``license.not-in-metadata`` when only the body or the
        file names one. Empty when they agree.

    >>> from openmodel_gov.cards import ModelCard
    >>> card = ModelCard(name="x", license="hf:apache-2.0")
    >>> [f.rule_id for f in license_source_findings(card, body_statements=["Llama 3.1 Community License"])]
    ['license.source-conflict']
    """
    from openmodel_gov.licenses._sources import license_findings

    return license_findings(
        card,
        body_statements=body_statements,
        license_text=license_text,
        license_file=license_file,
    )
