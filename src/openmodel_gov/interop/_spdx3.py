"""SPDX 3.0.1 AI and Dataset profiles from a model card and its dataset manifests.

Built with the official generated bindings (``spdx-python-model``, ``v3_0_1``) and
serialized by their JSON-LD serializer; the tests read the document back with the same
library.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from openmodel_gov._core._deps import require
from openmodel_gov._core._io import dump_json
from openmodel_gov.interop._common import (
    Clock,
    Refs,
    canonical_json,
    card_only_datasets,
    check_card,
    check_manifests,
    content_uuid,
    datasets_of,
    hub_url,
    license_choice,
    now_from,
    pii_sentence,
    require_sha256_files,
    slug,
)

if TYPE_CHECKING:
    from openmodel_gov.cards import ModelCard
    from openmodel_gov.compliance import ComplianceMatrix
    from openmodel_gov.manifests import DatasetEntry, DatasetManifest

__all__ = ["SPDX_VERSION", "to_spdx3"]

SPDX_VERSION = "3.0.1"
_FEATURE = "to_spdx3"
_NOASSERTION_LICENSE = "https://spdx.org/rdf/3.0.1/terms/ExpandedLicensing/NoAssertionLicense"
_DATASET_TYPES = {
    "text": "text",
    "code": "text",
    "image": "image",
    "audio": "audio",
    "video": "video",
    "tabular": "structured",
    "time-series": "timeseries",
    "other": "other",
}


def _presence(entries: Sequence[DatasetEntry]) -> str:
    """``yes`` when any dataset holds personal data (declared or found), ``no`` when every
    dataset is declared free of it and no scan found any, else ``noAssertion``."""
    if not entries:
        return "noAssertion"
    found = False
    for e in entries:
        declared = [c for c in e.data_categories if c != "none"]
        scanned = e.pii_summary is not None and bool(e.pii_summary.found_entity_types)
        found = found or bool(declared) or scanned
    if found:
        return "yes"
    if all("none" in e.data_categories for e in entries):
        return "no"
    return "noAssertion"


def _date(value: str | None) -> datetime | None:
    if not value:
        return None
    parts = [int(p) for p in value.split("-")] + [1, 1]
    return datetime(parts[0], parts[1], parts[2], tzinfo=timezone.utc)


def _collection(entry: DatasetEntry) -> str:
    parts = [f"source kind: {entry.source_kind}"]
    if entry.source.url:
        parts.append(f"source: {entry.source.url}")
    period = entry.collection_period
    if period is not None and (period.start or period.end):
        parts.append(f"collected {period.start or '?'} to {period.end or '?'}")
    if entry.legal_basis:
        parts.append(f"legal basis: {entry.legal_basis}")
    if entry.consent_notes:
        parts.append(f"consent: {entry.consent_notes}")
    if entry.synthetic:
        parts.append(f"synthetic ({entry.synthetic_generator or 'generator not stated'})")
    if entry.tdm_optout_honored is not None:
        parts.append(f"TDM opt-outs honored: {'yes' if entry.tdm_optout_honored else 'no'}")
    return "; ".join(parts)


class _Builder:
    def __init__(self, s: Any, ns: str, ci: Any) -> None:
        self.s = s
        self.ns = ns
        self.ci = ci
        self.objects: list[Any] = []
        self.n_rel = 0
        self.ids = Refs()
        self.orgs: dict[str, Any] = {}

    def add(self, obj: Any) -> Any:
        self.objects.append(obj)
        return obj

    def iri(self, local: str) -> str:
        return f"{self.ns}#{local}"

    def rel(self, src: Any, kind: str, to: list[Any]) -> None:
        if not to:
            return
        self.n_rel += 1
        self.add(
            self.s.Relationship(
                spdxId=self.iri(f"rel-{self.n_rel}"),
                creationInfo=self.ci,
                from_=src,
                to=to,
                relationshipType=getattr(self.s.RelationshipType, kind),
            )
        )

    def licenses(self, src: Any, text: str | None, local: str) -> None:
        choice = license_choice(text)
        declared: Any = _NOASSERTION_LICENSE
        if choice is not None:
            kind, value = choice
            if kind == "name":
                value = f"LicenseRef-{slug(value)[:60]}"
            declared = self.add(
                self.s.simplelicensing_LicenseExpression(
                    spdxId=self.iri(f"license-{local}"),
                    creationInfo=self.ci,
                    simplelicensing_licenseExpression=value,
                )
            )
            if kind == "name":
                declared.comment = f"license as stated: {text}"
        self.rel(src, "hasDeclaredLicense", [declared])
        self.rel(src, "hasConcludedLicense", [_NOASSERTION_LICENSE])

    def org(self, name: str | None) -> Any:
        if not name:
            return None
        if name not in self.orgs:
            local = self.ids("org-", name)
            self.orgs[name] = self.add(
                self.s.Organization(spdxId=self.iri(local), creationInfo=self.ci, name=name)
            )
        return self.orgs[name]


def _dataset(
    b: _Builder,
    manifest: DatasetManifest | None,
    entry: DatasetEntry | None,
    name: str,
    *,
    files: bool,
) -> Any:
    s = b.s
    local = b.ids("dataset-", name)
    pkg = b.add(
        s.dataset_DatasetPackage(
            spdxId=b.iri(local),
            creationInfo=b.ci,
            name=name,
            software_primaryPurpose=s.software_SoftwarePurpose.data,
        )
    )
    if entry is None or manifest is None:
        pkg.dataset_datasetType = [s.dataset_DatasetType.noAssertion]
        b.licenses(pkg, None, local)
        return pkg
    kinds = sorted({_DATASET_TYPES[m] for m in entry.modalities})
    pkg.dataset_datasetType = [getattr(s.dataset_DatasetType, k) for k in kinds] or [
        s.dataset_DatasetType.noAssertion
    ]
    pkg.software_packageVersion = entry.version
    if entry.description:
        pkg.description = entry.description
    if entry.source.url:
        pkg.software_downloadLocation = entry.source.url
    supplier = b.org(entry.source.organization)
    if supplier is not None:
        pkg.suppliedBy = supplier
    pkg.dataset_dataCollectionProcess = _collection(entry)
    preprocessing = [*entry.preprocessing, *(f"filter: {f}" for f in entry.filtering)]
    pkg.dataset_dataPreprocessing = preprocessing
    if entry.intended_purpose:
        pkg.dataset_intendedUse = entry.intended_purpose
    owned = manifest.files_of(entry.name)
    pkg.dataset_datasetSize = sum(f.size for f in owned)
    pkg.dataset_hasSensitivePersonalInformation = getattr(s.PresenceType, _presence([entry]))
    if entry.deidentified != "none":
        pkg.dataset_anonymizationMethodUsed = [entry.deidentified]
    notes = [f"snapshot sha256:{manifest.snapshot_digest}"]
    pii = pii_sentence(entry)
    if pii:
        notes.append(f"personal data: {pii}")
    if entry.use_restrictions:
        notes.append("use restrictions: " + "; ".join(entry.use_restrictions))
    pkg.comment = "\n".join(notes)
    b.licenses(pkg, entry.license, local)
    if files:
        members = []
        for f in owned:
            members.append(
                b.add(
                    s.software_File(
                        spdxId=b.iri(b.ids(f"{local}-file-", f.path)),
                        creationInfo=b.ci,
                        name=f.path,
                        verifiedUsing=[
                            s.Hash(algorithm=s.HashAlgorithm.sha256, hashValue=f.sha256)
                        ],
                        software_primaryPurpose=s.software_SoftwarePurpose.data,
                    )
                )
            )
        b.rel(pkg, "contains", members)
    return pkg


def to_spdx3(
    card: ModelCard,
    *,
    manifests: Sequence[DatasetManifest] | DatasetManifest = (),
    compliance: ComplianceMatrix | None = None,
    files: bool = True,
    clock: Clock | None = None,
    serial: str | None = None,
    indent: int | None = 2,
) -> str:
    """The model and its datasets as an SPDX 3.0.1 document (AI and Dataset profiles), JSON-LD.

    The model is an ``ai_AIPackage`` (domain, type of model, energy consumption, application
    and training information, limitations, metrics from the evaluation results, standards
    from a compliance matrix, whether sensitive personal information was used, autonomy
    ``noAssertion`` as cards do not state it). Each dataset of ``manifests`` is a
    ``dataset_DatasetPackage`` (type from its modalities, collection process, preprocessing
    and filtering, intended use, size in bytes, sensitive personal information from its
    categories and PII summary, anonymization) containing one ``software_File`` per file
    with its SHA-256. Relationships: ``trainedOn`` the datasets (and datasets named only on
    the card), ``testedOn`` the evaluation datasets, ``dependsOn`` the base models,
    ``hasDeclaredLicense`` (an ``simplelicensing_LicenseExpression``, or NoAssertion) and
    ``hasConcludedLicense`` NoAssertion for every package, as the profiles require.

    Args:
        card: the model card.
        manifests: dataset manifests of the training data.
        compliance: adds the regulations of the matrix as ``ai_standardCompliance``.
        files: list every file (``False``: datasets only, for very large snapshots).
        clock: the creation time (default ``SOURCE_DATE_EPOCH`` or now).
        serial: a UUID for the document namespace (default: derived from the content).
        indent: JSON indentation.

    Returns:
        The JSON-LD document, keys sorted, ending with a newline.

    Raises:
        MissingDependencyError: ``spdx-python-model`` is missing (extra ``[interop]``).
        InputError: ``card`` is not a ``ModelCard`` or ``manifests`` not manifests.

    >>> import json
    >>> from datetime import datetime, timezone
    >>> from openmodel_gov.cards import ModelCard
    >>> doc = json.loads(to_spdx3(ModelCard(name="demo", license="MIT"),
    ...                           clock=lambda: datetime(2026, 1, 1, tzinfo=timezone.utc)))
    >>> sorted({node["type"] for node in doc["@graph"]})[:3]
    ['CreationInfo', 'Organization', 'Relationship']
    """
    card = check_card(card, feature=_FEATURE)
    mans = check_manifests(manifests, feature=_FEATURE)
    for man in mans:
        require_sha256_files(man, feature=_FEATURE)
    s = require("spdx_python_model.bindings.v3_0_1", extra="interop", feature=_FEATURE)
    from openmodel_gov._version import __version__

    if serial is None:
        seed = [
            dump_json(card.to_dict(), indent=None, nonfinite="string"),
            str(files),
        ]  # a metric may be inf
        seed += [m.snapshot_digest for m in mans] + [
            d.model_dump_json() for m in mans for d in m.datasets
        ]
        serial = str(content_uuid(*seed))
    ns = f"https://openmodel-gov.dev/spdx/{slug(card.name)}-{serial.removeprefix('urn:uuid:')}"
    ci = s.CreationInfo(specVersion=SPDX_VERSION, created=now_from(clock))
    b = _Builder(s, ns, ci)
    creator = b.org("openmodel-gov")
    tool = b.add(
        s.Tool(
            spdxId=b.iri("tool-openmodel-gov"), creationInfo=ci, name=f"openmodel-gov {__version__}"
        )
    )
    ci.createdBy = [creator]
    ci.createdUsing = [tool]

    model = b.add(
        s.ai_AIPackage(
            spdxId=b.iri(b.ids("model-", card.name)),
            creationInfo=ci,
            name=card.name,
            software_primaryPurpose=s.software_SoftwarePurpose.model,
        )
    )
    _model_fields(b, model, card, mans, compliance)
    b.licenses(model, card.license, b.ids("model-", card.name))

    trained = []
    listed = datasets_of(mans)
    for manifest, entry in listed:
        trained.append(_dataset(b, manifest, entry, entry.name, files=files))
    for name in card_only_datasets(card, [e for _, e in listed]):
        trained.append(_dataset(b, None, None, name, files=files))
    b.rel(model, "trainedOn", trained)
    tested = []
    seen_eval: set[str] = set()
    for r in card.eval_results:
        key = r.dataset_type or r.dataset_name
        if key in seen_eval:
            continue
        seen_eval.add(key)
        pkg = _dataset(b, None, None, f"eval:{key}", files=False)
        pkg.name = r.dataset_name
        tested.append(pkg)
    b.rel(model, "testedOn", tested)
    bases = [
        b.add(
            s.ai_AIPackage(
                spdxId=b.iri(b.ids("base-model-", base)),
                creationInfo=ci,
                name=base,
                software_primaryPurpose=s.software_SoftwarePurpose.model,
            )
        )
        for base in card.base_models
    ]
    for base, pkg in zip(card.base_models, bases, strict=True):
        b.licenses(pkg, None, b.ids("base-model-", base))
    b.rel(model, "dependsOn", bases)

    doc = s.SpdxDocument(
        spdxId=b.iri("document"),
        creationInfo=ci,
        name=f"{card.name} (AI BOM by openmodel-gov)",
        rootElement=[model],
        element=list(b.objects),
        profileConformance=[
            s.ProfileIdentifierType.core,
            s.ProfileIdentifierType.software,
            s.ProfileIdentifierType.simpleLicensing,
            s.ProfileIdentifierType.ai,
            s.ProfileIdentifierType.dataset,
        ],
    )
    objset = s.SHACLObjectSet([doc, *b.objects])
    data = s.JSONLDSerializer().serialize_data(objset)
    return canonical_json(_plain_decimals(data), indent=indent)


_DECIMAL_KEYS = frozenset({"ai_energyQuantity"})


def _plain_decimals(node: Any) -> Any:
    """Decimals as SPDX's JSON schema spells them (``^-?[0-9]+(\\.[0-9]*)?$``).

    The bindings write ``str(float)``, which is ``1e+22`` for large or tiny values; the
    official schema refuses the exponent, so those are rewritten as plain decimals.
    """
    if isinstance(node, list):
        return [_plain_decimals(item) for item in node]
    if isinstance(node, dict):
        from decimal import Decimal

        return {
            key: format(Decimal(value), "f")
            if key in _DECIMAL_KEYS and isinstance(value, str) and "e" in value.lower()
            else _plain_decimals(value)
            for key, value in node.items()
        }
    return node


def _model_fields(
    b: _Builder,
    model: Any,
    card: ModelCard,
    mans: Sequence[DatasetManifest],
    compliance: ComplianceMatrix | None,
) -> None:
    s = b.s
    _package_fields(b, model, card)
    domains = [d for d in (card.pipeline_tag, *card.tasks, card.modality) if d]
    model.ai_domain = list(dict.fromkeys(domains))
    if card.architecture:
        model.ai_typeOfModel = [card.architecture]
    model.ai_autonomyType = s.PresenceType.noAssertion
    _text_fields(model, card)
    if card.training.energy_kwh is not None:
        model.ai_energyConsumption = s.ai_EnergyConsumption(
            ai_trainingEnergyConsumption=[
                s.ai_EnergyConsumptionDescription(
                    ai_energyQuantity=float(card.training.energy_kwh),
                    ai_energyUnit=s.ai_EnergyUnitType.kilowattHour,
                )
            ]
        )
    model.ai_metric = [s.DictionaryEntry(key=k, value=v) for k, v in _metrics(card)]
    entries = [e for _, e in datasets_of(mans)]
    model.ai_useSensitivePersonalInformation = getattr(s.PresenceType, _presence(entries))
    preprocessing = [p for e in entries for p in e.preprocessing]
    model.ai_modelDataPreprocessing = list(dict.fromkeys(preprocessing))
    if compliance is not None:
        model.ai_standardCompliance = list(compliance.regulations)


def _package_fields(b: _Builder, model: Any, card: ModelCard) -> None:
    """The software-package facts of the model: version, supplier, release, locations."""
    if card.version:
        model.software_packageVersion = card.version
    supplier = b.org(card.producer)
    if supplier is not None:
        model.suppliedBy = supplier
    released = _date(card.release_date)
    if released is not None:
        model.releaseTime = released
    location = card.weights_url or hub_url(card.huggingface)
    if location:
        model.software_downloadLocation = location
    if card.homepage or card.repository:
        model.software_homePage = card.homepage or card.repository


def _text_fields(model: Any, card: ModelCard) -> None:
    """The free-text AI fields: application, training, limitations."""
    application = [t for t in (card.intended_use,) if t]
    if card.out_of_scope_use:
        application.append(f"Out-of-scope use: {card.out_of_scope_use}")
    if application:
        model.ai_informationAboutApplication = "\n".join(application)
    training = _training_facts(card)
    if training:
        model.ai_informationAboutTraining = "; ".join(training)
    limits = [x for x in (card.limitations, card.bias_risks) if x]
    if limits:
        model.ai_limitation = "\n".join(limits)


def _training_facts(card: ModelCard) -> list[str]:
    t = card.training
    training = [
        f"{label}: {value}"
        for label, value in (
            ("training type", t.training_type),
            ("hardware", t.hardware),
            ("compute", t.compute),
            ("training FLOP", t.training_flop),
            ("location", t.location),
            ("CO2-eq kg", t.co2_eq_kg),
        )
        if value is not None
    ]
    if card.datasets:
        training.append("datasets: " + ", ".join(card.datasets))
    return training


def _metrics(card: ModelCard) -> list[tuple[str, str]]:
    """(key, value) of each evaluation result: "<metric> on <dataset> (<split>)"."""
    metrics = []
    for r in card.eval_results:
        key = f"{r.metric_name or r.metric_type} on {r.dataset_name}"
        if r.dataset_split:
            key += f" ({r.dataset_split})"
        metrics.append((key, str(r.metric_value)))
    return metrics
