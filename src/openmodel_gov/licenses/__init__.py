"""License primitives: SPDX / Hugging Face parsing, classification, AI-license verdicts.

Answers the questions software license tools stop short of for AI models and data:

* :func:`normalize_license` -- one canonical expression from SPDX ids, ``LicenseRef-`` ids
  and Hugging Face ids written ``hf:<id>`` (``hf:llama3.1``, ``hf:gemma``, ``hf:openrail++``).
* :func:`classify_license` -- ``permissive`` / ``copyleft`` (strong or weak) /
  ``non-commercial`` / ``restricted`` / ``unknown``, with the cited facts behind it.
* :func:`check_derivative`, :func:`check_dataset_mix`, :func:`check_outbound`,
  :func:`check_use` -- a :class:`Verdict` (``compatible`` / ``incompatible`` /
  ``needs_review``) with obligations and reasons that each cite a license section or an
  OSADL matrix cell.
* :func:`license_info` -- SPDX License List facts (OSI-approved, FSF-libre, deprecated).

Facts live in data files under ``openmodel_gov/data/licenses/`` (see ``docs/licenses.md``).

>>> normalize_license("apache-2.0 AND hf:llama3.1")
'Apache-2.0 AND LicenseRef-openmodel-llama-3.1'
>>> classify_license("hf:cc-by-nc-4.0").category
'non-commercial'
>>> check_derivative("hf:llama3.1", "Apache-2.0", facts={"passes_use_restrictions": False}).verdict
'incompatible'
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from openmodel_gov.cards import ModelCard
    from openmodel_gov.licenses._cards import CardLicenseReport, ComponentLicenseCheck
    from openmodel_gov.licenses._results import (
        Citation,
        LicenseClassification,
        LicenseFact,
        LicenseInfo,
        Obligation,
        OutputsOf,
        Reason,
        UseFacts,
        Verdict,
    )

#: Result and option types, resolved on first access (keeps ``import`` free of pydantic).
_LAZY = {
    "CardLicenseReport": "_cards",
    "ComponentLicenseCheck": "_cards",
    "Citation": "_results",
    "LicenseClassification": "_results",
    "LicenseFact": "_results",
    "LicenseInfo": "_results",
    "Obligation": "_results",
    "OutputsOf": "_results",
    "Reason": "_results",
    "UseFacts": "_results",
    "Verdict": "_results",
}

__all__ = [
    "CardLicenseReport",
    "Citation",
    "ComponentLicenseCheck",
    "DatasetUse",
    "LicenseClassification",
    "LicenseFact",
    "LicenseInfo",
    "Obligation",
    "OutputsOf",
    "Reason",
    "UseFacts",
    "Verdict",
    "check_card_licenses",
    "check_dataset_mix",
    "check_derivative",
    "check_outbound",
    "check_use",
    "classify_license",
    "find_license_info",
    "license_info",
    "normalize_license",
    "outputs_of",
    "spdx_list_version",
]

DatasetUse = Literal[
    "commercial-training", "research-training", "publish-dataset", "distribute-model"
]


def _is_str(value: object) -> bool:
    return isinstance(value, str)


def normalize_license(text: str) -> str:
    """Parse a license expression and return its canonical form.

    Ids are matched case-insensitively (as SPDX specifies) and written in their canonical
    case; ``hf:<id>`` becomes the id it stands for; deprecated GNU ids become ``-only`` /
    ``-or-later``; duplicate operands are removed without reordering or dropping choices
    (never ``simplify()``); nested operations are parenthesized.

    Args:
        text: an SPDX expression; ``LicenseRef-...`` ids; ``hf:<id>`` Hub ids, also inside
            expressions.

    Returns:
        The canonical expression.

    Raises:
        LicenseExpressionError: not ASCII, bad syntax, over 10,000 characters, 500 ids or
            32 nesting levels.
        UnknownLicenseError: well-formed but naming ids no table knows (listed in
            ``.unknown``; never guessed).

    >>> normalize_license("mit or (MIT AND gpl-2.0+)")
    'MIT OR (MIT AND GPL-2.0-or-later)'
    >>> normalize_license("hf:gpl")  # a family tag, not GPL-1.0-or-later
    'LicenseRef-openmodel-hf-family-gpl'
    >>> normalize_license("hf:bsl-1.0")  # Boost, not the Business Source License
    'BSL-1.0'
    >>> normalize_license("Apache-2.0 AND Llama-3")
    Traceback (most recent call last):
    ...
    openmodel_gov.errors.UnknownLicenseError: license: unknown license id: 'Llama-3' ...
    """
    from openmodel_gov.licenses._expr import parse

    return parse(text).canonical


def classify_license(expr: str) -> LicenseClassification:
    """Classify a license expression and give the facts behind the category.

    ``AND`` takes the most restrictive operand (``unknown`` if any operand is unknown);
    ``OR`` takes the least restrictive known operand, since the licensee may choose it.
    Restrictiveness: permissive < copyleft weak < copyleft strong < restricted <
    non-commercial. Our clause facts take precedence; ids without them fall back to their
    ScanCode LicenseDB category, cited as such.

    Args:
        expr: any expression :func:`normalize_license` accepts.

    Returns:
        A :class:`LicenseClassification`.

    Raises:
        LicenseExpressionError: see :func:`normalize_license`.

    >>> c = classify_license("LGPL-2.1-only OR hf:llama3.2")
    >>> c.category, c.copyleft_strength
    ('copyleft', 'weak')
    >>> classify_license("MIT AND hf:other").category
    'unknown'
    """
    from openmodel_gov.licenses._classify import classify_node
    from openmodel_gov.licenses._expr import parse
    from openmodel_gov.licenses._results import LicenseClassification

    parsed = parse(expr)
    leaf = classify_node(parsed.tree)
    return LicenseClassification(
        expression=parsed.canonical,
        category=leaf.category,
        copyleft_strength=leaf.strength if leaf.category == "copyleft" else None,
        reasons=leaf.reasons,
        facts=leaf.facts,
    )


def license_info(spdx_id: str) -> LicenseInfo | None:
    """SPDX License List facts for an exact, case-sensitive SPDX license id.

    Args:
        spdx_id: e.g. ``"Apache-2.0"``; see :func:`find_license_info` for any case.

    Returns:
        The entry, or ``None`` if the id is not on the list (exceptions are not licenses).

    >>> license_info("OpenMDW-1.0").is_osi_approved
    False
    >>> license_info("Apache-2.0").is_open, license_info("apache-2.0")
    (True, None)
    """
    from openmodel_gov.licenses._data import spdx_list
    from openmodel_gov.licenses._results import LicenseInfo

    table = spdx_list()
    row = table.licenses.get(spdx_id) if _is_str(spdx_id) else None
    if row is None:
        return None
    return LicenseInfo(
        id=spdx_id,
        name=row.name,
        is_osi_approved=row.osi,
        is_fsf_libre=row.fsf,
        is_deprecated=row.deprecated,
        list_version=table.list_version,
    )


def find_license_info(spdx_id: str) -> LicenseInfo | None:
    """Like :func:`license_info`, but matching the id case-insensitively.

    >>> find_license_info("gpl-3.0-only").id
    'GPL-3.0-only'
    """
    from openmodel_gov.licenses._expr import spdx_ids_folded

    canonical = spdx_ids_folded().get(spdx_id.lower()) if _is_str(spdx_id) else None
    return license_info(canonical) if canonical else None


def spdx_list_version() -> str:
    """Version of the SPDX License List shipped with this library.

    >>> spdx_list_version() >= "3.28"
    True
    """
    from openmodel_gov.licenses._data import spdx_list

    return spdx_list().list_version


def outputs_of(license: str) -> OutputsOf:  # noqa: A002 - the issue's parameter name
    """Mark a dataset as synthetic data generated by a model under ``license``.

    >>> outputs_of("hf:llama2")
    OutputsOf(license='LicenseRef-openmodel-llama-2')
    """
    from openmodel_gov.licenses._results import OutputsOf

    return OutputsOf(license=normalize_license(license))


def check_outbound(
    inbound: str, outbound: str, *, facts: UseFacts | Mapping[str, object] | None = None
) -> Verdict:
    """Can material under ``inbound`` be released under ``outbound``?

    Every ``AND`` operand of ``inbound`` must be compatible, one ``OR`` operand suffices, and
    ``-or-later`` expands to a choice of versions. On the outbound side every ``OR`` choice
    must work (the recipient may pick any) and one ``AND`` operand that carries the inbound
    terms suffices. Software pairs come from the OSADL matrix (Yes/Same -> compatible, No ->
    incompatible, Unknown / Check dependency / absent -> needs_review); AI-model and data
    licenses from our clause facts.

    Args:
        inbound: license expression of the incoming material.
        outbound: license expression of the release.
        facts: optional :class:`UseFacts` (``passes_use_restrictions`` matters here).

    Returns:
        A :class:`Verdict`.

    Raises:
        LicenseExpressionError: see :func:`normalize_license`.
        SchemaValidationError: ``facts`` has wrong fields.

    >>> check_outbound("MIT", "GPL-3.0-only").verdict
    'compatible'
    >>> check_outbound("GPL-2.0-or-later", "Apache-2.0").verdict
    'incompatible'
    >>> check_outbound("CC-BY-SA-4.0", "GPL-3.0-only").verdict
    'compatible'
    """
    from openmodel_gov.licenses._engine import outbound_verdict

    return outbound_verdict(inbound, outbound, facts=facts)


def check_derivative(
    base: str, derivative: str, *, facts: UseFacts | Mapping[str, object] | None = None
) -> Verdict:
    """May a model derived from ``base`` (fine-tune, adapter, merge, distillation) be released
    under ``derivative``?

    Combines :func:`check_outbound` with the base license's derivative clauses: naming
    (``derivative_name``), attribution display, passing on use restrictions, distillation,
    user and revenue caps, and territorial limits.

    Args:
        base: license expression of the base model.
        derivative: proposed license expression of the derived model.
        facts: what is known about the release (:class:`UseFacts` or a mapping of its fields).

    Returns:
        A :class:`Verdict`.

    Raises:
        LicenseExpressionError: see :func:`normalize_license`.
        SchemaValidationError: ``facts`` has wrong fields.

    >>> v = check_derivative("hf:llama3.1", "hf:llama3.1", facts={"derivative_name": "Llama-3.1-Med"})
    >>> v.verdict, sorted({o.kind for o in v.obligations})[:3]
    ('compatible', ['attribution-display', 'license-copy', 'naming-prefix'])
    """
    from openmodel_gov.licenses._use import derivative_verdict

    return derivative_verdict(base, derivative, facts=facts)


def check_use(license: str, *, facts: UseFacts | Mapping[str, object] | None) -> Verdict:  # noqa: A002
    """May a party use a model or data under ``license`` in the way ``facts`` describe?

    Commercial products, hosted APIs, user and revenue caps, EU limits on multimodal
    models, and using outputs to train other models are all checked against cited clauses.

    Args:
        license: license expression.
        facts: :class:`UseFacts` (or a mapping of its fields) describing the use.

    Returns:
        A :class:`Verdict`.

    Raises:
        LicenseExpressionError: see :func:`normalize_license`.
        SchemaValidationError: ``facts`` has wrong fields.

    >>> from openmodel_gov.licenses import UseFacts
    >>> check_use("hf:llama3.2", facts=UseFacts(multimodal=True, licensee_in_eu=True)).verdict
    'incompatible'
    >>> check_use("hf:cc-by-nc-4.0", facts={"commercial": False}).verdict
    'compatible'
    """
    from openmodel_gov.licenses._use import use_verdict

    return use_verdict(license, facts=facts)


def check_dataset_mix(
    licenses: Sequence[str | OutputsOf],
    *,
    use: DatasetUse,
    outbound: str | None = None,
    facts: UseFacts | Mapping[str, object] | None = None,
) -> Verdict:
    """May these datasets be combined for ``use``?

    Args:
        licenses: one license expression per dataset, or :func:`outputs_of` for synthetic
            data generated by a model under that license.
        use: ``commercial-training``, ``research-training``, ``publish-dataset`` (needs
            ``outbound``, the merged dataset's license) or ``distribute-model`` (needs
            ``outbound``, the trained model's license; ``facts`` matter).
        outbound: see ``use``.
        facts: :class:`UseFacts` (or a mapping of its fields).

    Returns:
        A :class:`Verdict`; every dataset must be compatible.

    Raises:
        LicenseExpressionError: a license expression is not valid.
        ConfigError: ``use`` is unknown, or ``outbound`` is missing for a use that needs it.
        SchemaValidationError: ``facts`` has wrong fields.

    >>> check_dataset_mix(["CC-BY-4.0", "hf:cc-by-nc-4.0"], use="commercial-training").verdict
    'incompatible'
    >>> check_dataset_mix(["CC-BY-4.0", outputs_of("hf:llama2")], use="research-training").verdict
    'incompatible'
    """
    from openmodel_gov.licenses._mix import dataset_mix_verdict

    return dataset_mix_verdict(licenses, use=use, outbound=outbound, facts=facts)


def check_card_licenses(
    card: ModelCard,
    *,
    base_licenses: Mapping[str, str] | None = None,
    facts: UseFacts | Mapping[str, object] | None = None,
) -> CardLicenseReport:
    """Check every license a model card declares, and the card's license against its bases.

    Args:
        card: a :class:`~openmodel_gov.cards.ModelCard`.
        base_licenses: license expression of each base model named in ``card.base_models``
            (the Hub is not contacted, so give them here).
        facts: :class:`UseFacts` for the derivative check (``derivative_name`` defaults to
            the card's name).

    Returns:
        A :class:`CardLicenseReport` with one check per component and per base model.

    >>> from openmodel_gov.cards import ModelCard
    >>> card = ModelCard(name="Llama-3.1-Tiny", license="hf:llama3.1", base_models=["meta-llama/Llama-3.1-8B"])
    >>> check_card_licenses(card, base_licenses={"meta-llama/Llama-3.1-8B": "hf:llama3.1"}).verdict
    'compatible'
    """
    from openmodel_gov.licenses._cards import card_report

    return card_report(card, base_licenses=base_licenses, facts=facts)


def __getattr__(name: str) -> object:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'openmodel_gov.licenses' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(f"openmodel_gov.licenses.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})
