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
    from pathlib import Path

    from openmodel_gov.cards import ModelCard
    from openmodel_gov.licenses._api import (
        check_card_licenses,
        identify_license_text,
        license_source_findings,
        resolve_base_licenses,
        suggest_release_licenses,
    )
    from openmodel_gov.licenses._cards import CardLicenseReport, ComponentLicenseCheck
    from openmodel_gov.licenses._datasets import DatasetCollection, DatasetLike
    from openmodel_gov.licenses._identify import LicenseMatch
    from openmodel_gov.licenses._results import (
        Citation,
        FeasibleLicense,
        LicenseClassification,
        LicenseFact,
        LicenseInfo,
        LicenseSource,
        Obligation,
        OutputsOf,
        Reason,
        UseFacts,
        Verdict,
    )

#: Result and option types, resolved on first access (keeps ``import`` free of pydantic).
_LAZY = {
    "CardLicenseReport": "_cards",
    "DatasetCollection": "_datasets",
    "DatasetLike": "_datasets",
    "ComponentLicenseCheck": "_cards",
    "Citation": "_results",
    "FeasibleLicense": "_results",
    "LicenseClassification": "_results",
    "LicenseSource": "_results",
    "LicenseFact": "_results",
    "LicenseInfo": "_results",
    "LicenseMatch": "_identify",
    "Obligation": "_results",
    "OutputsOf": "_results",
    "Reason": "_results",
    "UseFacts": "_results",
    "Verdict": "_results",
    "check_card_licenses": "_api",
    "identify_license_text": "_api",
    "license_source_findings": "_api",
    "resolve_base_licenses": "_api",
    "suggest_release_licenses": "_api",
}

__all__ = [
    "CardLicenseReport",
    "Citation",
    "ComponentLicenseCheck",
    "DatasetCollection",
    "DatasetLike",
    "DatasetUse",
    "FeasibleLicense",
    "LicenseClassification",
    "LicenseFact",
    "LicenseInfo",
    "LicenseMatch",
    "LicenseSource",
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
    "identify_license_text",
    "license_info",
    "license_source_findings",
    "normalize_license",
    "outputs_of",
    "resolve_base_licenses",
    "spdx_list_version",
    "suggest_release_licenses",
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
    ScanCode LicenseDB category, cited as such. The result carries the license's human name
    and a label saying what it does ("restricted: commercial use allowed under conditions --
    monthly-active-user cap, ..."). A bare Hugging Face id (``llama2``) or a license name
    ("Llama 3.1 Community License") is accepted, with a note saying how it was read.

    Args:
        expr: any expression :func:`normalize_license` accepts, a bare Hub id, or a name.

    Returns:
        A :class:`LicenseClassification`.

    Raises:
        LicenseExpressionError: see :func:`normalize_license` (also when the text is no
            known id or name).

    >>> c = classify_license("LGPL-2.1-only OR hf:llama3.2")
    >>> c.category, c.copyleft_strength
    ('copyleft', 'weak')
    >>> classify_license("MIT AND hf:other").category
    'unknown'
    >>> c = classify_license("llama2")
    >>> c.label, c.notes
    ('restricted: commercial use allowed under conditions -- acceptable-use policy / use restrictions, restrictions travel with derivatives, outputs may not improve other models, monthly-active-user cap', ("read the bare Hugging Face id 'llama2' as hf:llama2",))
    """
    from openmodel_gov.errors import LicenseExpressionError
    from openmodel_gov.licenses._chain import read_license
    from openmodel_gov.licenses._classify import classify

    try:
        return classify(expr)
    except LicenseExpressionError:
        if not isinstance(expr, str):
            raise
        canonical, note = read_license(expr)
        if canonical is None:
            raise
        return classify(canonical).model_copy(update={"notes": (note,) if note else ()})


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
    from openmodel_gov.licenses._expr import require_expressions

    require_expressions(inbound=inbound, outbound=outbound)
    return outbound_verdict(inbound, outbound, facts=facts)


def check_derivative(
    base: str | ModelCard,
    derivative: str | None = None,
    *,
    facts: UseFacts | Mapping[str, object] | None = None,
    base_licenses: Mapping[str, str] | None = None,
    local_cards: Mapping[str, ModelCard] | None = None,
    search_paths: Sequence[str | Path] = (),
) -> Verdict:
    """May a model derived from ``base`` (fine-tune, adapter, merge, distillation) be released
    under ``derivative``?

    Combines :func:`check_outbound` with the base license's derivative clauses: naming
    (``derivative_name``), attribution display, passing on use restrictions, distillation,
    no-derivatives terms, user and revenue caps, and territorial limits. A release license
    that does not carry terms that must travel with every copy is ``incompatible``, citing the
    clause. With no ``derivative``, the answer lists the release licenses that would work
    (:attr:`Verdict.feasible`, most permissive first), or is ``incompatible`` when none does.

    ``base`` may be a :class:`~openmodel_gov.cards.ModelCard`: its own license and its base
    models' licenses (:func:`resolve_base_licenses`) are all inputs, and
    :attr:`Verdict.sources` says where each came from.

    Args:
        base: license expression of the base model, or its model card.
        derivative: proposed license expression of the derived model (``None``: which
            licenses would work?).
        facts: what is known about the release (:class:`UseFacts` or a mapping of its fields).
        base_licenses: for a card: license of a base model by Hub id (wins over the data).
        local_cards: for a card: a base model's card by Hub id.
        search_paths: for a card: folders (or Hugging Face caches) holding base models.

    Returns:
        A :class:`Verdict`.

    Raises:
        LicenseExpressionError: see :func:`normalize_license`.
        SchemaValidationError: ``facts`` has wrong fields.

    >>> v = check_derivative("hf:llama3.1", "hf:llama3.1", facts={"derivative_name": "Llama-3.1-Med"})
    >>> v.verdict, sorted({o.kind for o in v.obligations})[:3]
    ('compatible', ['attribution-display', 'license-copy', 'naming-prefix'])
    >>> check_derivative("Apache-2.0 AND hf:llama3.1", "Apache-2.0").verdict
    'incompatible'
    >>> [f.license for f in check_derivative("CC-BY-SA-4.0").feasible]
    ['CC-BY-SA-4.0', 'GPL-3.0-only']
    """
    from openmodel_gov.cards import ModelCard
    from openmodel_gov.licenses._cardinput import derivative_of
    from openmodel_gov.licenses._expr import require_expressions

    given: object = base  # user input: checked before any cache or dispatch (issue 20)
    if not isinstance(given, (str, ModelCard)):
        from openmodel_gov.errors import LicenseExpressionError

        raise LicenseExpressionError(
            f"expected a license expression or a ModelCard, got {type(given).__name__}",
            field="base",
        )
    require_expressions(derivative=derivative)
    return derivative_of(
        base,
        derivative,
        facts=facts,
        base_licenses=base_licenses,
        local_cards=local_cards,
        search_paths=search_paths,
    )


def check_use(
    license: str | ModelCard,  # noqa: A002
    *,
    facts: UseFacts | Mapping[str, object] | None,
    base_licenses: Mapping[str, str] | None = None,
    local_cards: Mapping[str, ModelCard] | None = None,
    search_paths: Sequence[str | Path] = (),
) -> Verdict:
    """May a party use a model or data under ``license`` in the way ``facts`` describe?

    Commercial products, hosted services (whose terms must carry use restrictions where a
    license says so), user and revenue caps, EU limits on multimodal models, and using outputs
    to train other models are all checked against cited clauses. ``license`` may be a model
    card: its license and its base models' licenses all apply.

    Args:
        license: license expression, or a :class:`~openmodel_gov.cards.ModelCard`.
        facts: :class:`UseFacts` (or a mapping of its fields) describing the use.
        base_licenses: see :func:`check_derivative`.
        local_cards: see :func:`check_derivative`.
        search_paths: see :func:`check_derivative`.

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
    >>> check_use("hf:creativeml-openrail-m", facts={"hosted_service": True, "passes_use_restrictions": False}).verdict
    'incompatible'
    """
    from openmodel_gov.licenses._cardinput import use_of

    return use_of(
        license,
        facts=facts,
        base_licenses=base_licenses,
        local_cards=local_cards,
        search_paths=search_paths,
    )


def check_dataset_mix(
    licenses: Sequence[str | OutputsOf | DatasetLike] | DatasetCollection,
    *,
    use: DatasetUse,
    outbound: str | None = None,
    facts: UseFacts | Mapping[str, object] | None = None,
    datasets: Mapping[str, str] | None = None,
) -> Verdict:
    """May these datasets be combined for ``use``?

    Args:
        licenses: one entry per dataset: a license expression, :func:`outputs_of` for
            synthetic data generated by a model under that license, a manifest's dataset
            entry (its ``name`` and ``license``; a whole
            :class:`~openmodel_gov.manifests.DatasetManifest` stands for its entries), or a
            dataset id
            (``allenai/dolma``) resolved through ``datasets`` and the known-datasets data of
            :mod:`openmodel_gov.cards`. An id found in neither is reported as unknown
            (``needs_review``), never guessed.
        use: ``commercial-training``, ``research-training``, ``publish-dataset`` (the merged
            dataset's license is ``outbound``) or ``distribute-model`` (the trained model's
            license is ``outbound``; ``facts`` matter).
        outbound: see ``use``. Without it, a release use answers with the licenses that
            would satisfy every dataset (:attr:`Verdict.feasible`), or ``incompatible``
            when none does (e.g. CC-BY-SA-4.0 with CC-BY-NC-SA-4.0).
        facts: :class:`UseFacts` (or a mapping of its fields).
        datasets: license expression of a dataset by id (wins over the shipped data).

    Returns:
        A :class:`Verdict`; every dataset must be compatible.

    Raises:
        LicenseExpressionError: a license expression is not valid.
        ConfigError: ``use`` is unknown, or ``licenses`` is empty or not a list.
        SchemaValidationError: ``facts`` has wrong fields.

    >>> check_dataset_mix(["CC-BY-4.0", "hf:cc-by-nc-4.0"], use="commercial-training").verdict
    'incompatible'
    >>> check_dataset_mix(["CC-BY-4.0", outputs_of("hf:llama2")], use="research-training").verdict
    'incompatible'
    >>> check_dataset_mix(["CC-BY-SA-4.0", "CC-BY-NC-SA-4.0"], use="publish-dataset").verdict
    'incompatible'
    """
    from openmodel_gov.licenses._mix import dataset_mix_verdict

    return dataset_mix_verdict(licenses, use=use, outbound=outbound, facts=facts, datasets=datasets)


def __getattr__(name: str) -> object:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'openmodel_gov.licenses' has no attribute {name!r}")
    import importlib

    from openmodel_gov._core._public import publish

    value = getattr(importlib.import_module(f"openmodel_gov.licenses.{module}"), name)
    publish(__name__, {name: value}, [name])
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})
