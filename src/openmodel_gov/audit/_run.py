"""The audit pipeline: card -> openness -> licenses -> manifests -> PII -> compliance.

:func:`run_audit` is a sequence of steps (``_steps``, ``_data_steps``), each returning a typed
section and the facts it establishes; the typed :class:`Headline` is composed from them, and
the policy is evaluated over it.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from pydantic import JsonValue

from openmodel_gov._core import worst_rag
from openmodel_gov.audit._data_steps import (
    ComplianceStep,
    ManifestsStep,
    PiiStep,
    compliance_step,
    manifests_step,
    pii_step,
    sha256_file,
)
from openmodel_gov.audit._model import (
    AuditReport,
    AuditSection,
    Headline,
    InputFile,
    PlanItem,
    Rag,
    finding_rag,
)
from openmodel_gov.audit._policy import Policy, evaluate_policy, load_policy
from openmodel_gov.audit._signatures import load_verifier
from openmodel_gov.audit._steps import (
    CardStep,
    LicensesStep,
    OpennessStep,
    card_step,
    licenses_step,
    openness_step,
)

if TYPE_CHECKING:
    from openmodel_gov.cards import ModelCard
    from openmodel_gov.pii import PiiConfig

__all__ = ["AuditOptions", "ManifestInput", "run_audit"]

PathLike = str | os.PathLike[str]
#: A manifest file, or a ``(manifest file, data folder)`` pair.
ManifestInput = PathLike | tuple[PathLike, PathLike]


@dataclass(frozen=True, kw_only=True)
class AuditOptions:
    """What to audit besides the card, and how (frozen; see :func:`run_audit` for each field).

    >>> AuditOptions(use="research", pii_scan=False).use
    'research'
    """

    manifests: Sequence[ManifestInput] = ()
    data_dirs: Sequence[PathLike] = ()
    policy: Policy | PathLike | None = None
    use: Literal["commercial", "research"] | None = None
    base_licenses: Mapping[str, str] | None = None
    context: Mapping[str, JsonValue] | None = None
    pii_scan: bool = True
    pii_config: PiiConfig | None = None
    clock: Callable[[], datetime] | None = None
    progress: Callable[[str], None] | None = None
    perspective: Literal["provider", "consumer"] = "provider"
    public_key: PathLike | None = None


def _display_factory(base: Path | None) -> Callable[[str | Path], str]:
    cwd = Path.cwd().resolve()

    def display(path: str | Path) -> str:
        p = Path(path)
        if not p.is_absolute():
            return p.as_posix()
        resolved = p.resolve()
        for root in (base, cwd):
            if root is not None and resolved.is_relative_to(root):
                return resolved.relative_to(root).as_posix() or "."
        return resolved.as_posix()

    return display


def _pairs(
    manifests: Sequence[ManifestInput], data_dirs: Sequence[PathLike]
) -> tuple[list[tuple[Path, Path]], list[Path]]:
    pairs: list[tuple[Path, Path]] = []
    for i, item in enumerate(manifests):
        if isinstance(item, tuple):
            pairs.append((Path(item[0]), Path(item[1])))
        elif i < len(data_dirs):
            pairs.append((Path(item), Path(data_dirs[i])))
        else:
            pairs.append((Path(item), Path(item).resolve().parent))
    dirs = [Path(d) for d in data_dirs]
    for _, root in pairs:
        if all(root.resolve() != d.resolve() for d in dirs):
            dirs.append(root)
    return pairs, dirs


def _check_dirs(dirs: Sequence[Path]) -> None:
    from openmodel_gov.errors import FileAccessError

    for d in dirs:
        if not d.is_dir():
            raise FileAccessError("not a folder", source=str(d))


def _plan(sections: Sequence[AuditSection], openness: Sequence[PlanItem]) -> tuple[PlanItem, ...]:
    """Red findings' fixes first, then amber ones, then the openness plan (each action once)."""
    plan: list[PlanItem] = []
    seen: set[str] = set()
    levels: tuple[tuple[Rag, Literal["high", "medium"]], ...] = (
        ("red", "high"),
        ("amber", "medium"),
    )
    for rag, priority in levels:
        for section in sections:
            for f in section.findings:
                if finding_rag(f) != rag:
                    continue
                for fix in f.mitigations:
                    if fix not in seen:
                        seen.add(fix)
                        plan.append(
                            PlanItem(priority=priority, action=fix, why=f.title, section=section.id)
                        )
    for item in openness:
        if item.action not in seen:
            seen.add(item.action)
            plan.append(item)
    return tuple(plan)


@dataclass(frozen=True)
class _Steps:
    card: CardStep
    openness: OpennessStep
    manifests: ManifestsStep
    licenses: LicensesStep
    pii: PiiStep
    compliance: ComplianceStep
    inputs: tuple[InputFile, ...] = field(default=())

    @property
    def sections(self) -> tuple[AuditSection, ...]:
        return (
            self.card.section,
            self.openness.section,
            self.licenses.section,
            self.manifests.section,
            self.pii.section,
            self.compliance.section,
        )

    def headline(self, use: Literal["commercial", "research"]) -> Headline:
        datasets = [d.name for d in self.manifests.datasets]
        return Headline(
            use=use,
            license=self.card.license,
            license_category=self.licenses.category,
            license_verdict=self.licenses.verdict,
            missing_card_fields=self.card.missing_fields,
            base_models=self.licenses.base_models,
            datasets=tuple(dict.fromkeys([*self.card.datasets, *datasets])),
            openness_score=self.openness.score,
            openness_band=self.openness.band,
            openness_rag=self.openness.rag,
            mof_class=self.openness.mof_class,
            mof_label=self.openness.mof_label,
            manifests=self.manifests.statuses,
            manifests_verified=self.manifests.verified,
            unredacted_pii=self.pii.unredacted,
            max_risk=self.compliance.risk,
            open_questions=len(self.compliance.questions),
        )


def run_audit(
    card: PathLike | ModelCard,
    options: AuditOptions | None = None,
    *,
    manifests: Sequence[ManifestInput] = (),
    data_dirs: Sequence[PathLike] = (),
    policy: Policy | PathLike | None = None,
    use: Literal["commercial", "research"] | None = None,
    base_licenses: Mapping[str, str] | None = None,
    context: Mapping[str, JsonValue] | None = None,
    pii_scan: bool = True,
    pii_config: PiiConfig | None = None,
    clock: Callable[[], datetime] | None = None,
    progress: Callable[[str], None] | None = None,
    perspective: Literal["provider", "consumer"] = "provider",
    public_key: PathLike | None = None,
) -> AuditReport:
    """Audit a model card and its datasets end to end.

    Steps: card validation -> openness score and MOF class (with an improvement plan) ->
    license checks (the card's licenses, its base models, the datasets' mix for the use) ->
    manifest verification -> PII (recorded manifest summaries, plus a live scan of the data
    folders when the ``[pii]`` extra is installed) -> compliance matrix. A step with nothing
    to check is ``grey`` (skipped) and says what input it needs.

    Args:
        card: a model card path (any format :func:`~openmodel_gov.cards.load_card` reads) or
            a loaded :class:`~openmodel_gov.cards.ModelCard`.
        options: all of the following in one frozen :class:`AuditOptions` (when given, the
            keyword arguments below are ignored).
        manifests: dataset manifest files, or ``(manifest, data folder)`` pairs. A bare
            manifest is verified against ``data_dirs[i]`` at the same position if there is
            one, else against its own folder.
        data_dirs: data folders; every ``.jsonl``/``.csv``/``.parquet`` file in them is
            scanned for PII (all string fields).
        policy: a :class:`Policy` or a policy file; its result is in
            :attr:`AuditReport.policy` and turns the overall rating red when violated.
        use: ``"commercial"`` or ``"research"``; the policy's ``use`` wins; default
            commercial (the stricter reading).
        base_licenses: base model id -> its license, for the derivative check.
        context: compliance context (``gpai_eu_market``, ``training_flop``,
            ``directed_to_children``, ``hipaa_covered_entity`` ...).
        pii_scan: set False to skip the live PII scan (recorded summaries still count).
        pii_config: a :class:`~openmodel_gov.pii.PiiConfig` for the live scan.
        clock: returns the time stamped into the report (default: now, UTC).
        progress: called with the name of each step as it starts (for progress displays).
        perspective: who the plan speaks to: ``"provider"`` (default: a release audit of
            your own model -- "publish the training code") or ``"consumer"`` (evaluating
            someone else's model -- "ask the provider to publish ...").
        public_key: a PEM public key (Ed25519 or ECDSA P-256) to verify each manifest's
            signature envelope (``<manifest>.sig.json``) with; without it a signature is
            reported as "signed, no key given to verify". A signature that does not verify is
            a High finding (policy key ``require_verified_signature``).

    Returns:
        The :class:`AuditReport`.

    Raises:
        FileAccessError, ParseError, SchemaValidationError: an input cannot be read.
        PolicyError: the policy file is invalid.
        MissingDependencyError: ``public_key`` given without the ``[sign]`` extra.
    """
    opts = options or AuditOptions(
        manifests=manifests,
        data_dirs=data_dirs,
        policy=policy,
        use=use,
        base_licenses=base_licenses,
        context=context,
        pii_scan=pii_scan,
        pii_config=pii_config,
        clock=clock,
        progress=progress,
        perspective=perspective,
        public_key=public_key,
    )
    return _run(card, opts)


def _run(card: PathLike | ModelCard, opts: AuditOptions) -> AuditReport:
    from openmodel_gov._version import __version__
    from openmodel_gov.cards import ModelCard, load_card

    if isinstance(card, ModelCard):
        loaded = card
        base = Path(card.source_path).resolve().parent if card.source_path else None
    else:
        loaded = load_card(card)
        base = Path(card).resolve().parent
    display = _display_factory(base)
    inputs: list[InputFile] = []
    if loaded.source_path:
        inputs.append(
            InputFile(
                role="card",
                path=display(loaded.source_path),
                sha256=sha256_file(loaded.source_path),
            )
        )
    policy = opts.policy
    policy_name = "policy"
    if policy is not None and not isinstance(policy, Policy):
        policy_name = display(os.fspath(policy))
        inputs.append(InputFile(role="policy", path=policy_name, sha256=sha256_file(policy)))
        policy = load_policy(policy)
    effective_use: Literal["commercial", "research"] = (
        (policy.use if policy is not None else None) or opts.use or "commercial"
    )
    pairs, dirs = _pairs(opts.manifests, opts.data_dirs)
    _check_dirs(dirs)
    verifier = None
    if opts.public_key is not None:
        verifier = load_verifier(opts.public_key)
        inputs.append(
            InputFile(
                role="public key",
                path=display(os.fspath(opts.public_key)),
                sha256=sha256_file(opts.public_key),
            )
        )

    step = opts.progress or (lambda _name: None)
    step("model card")
    where = display(loaded.source_path) if loaded.source_path else loaded.name
    card_result = card_step(loaded, where)
    step("openness")
    openness = openness_step(loaded, perspective=opts.perspective)
    step("dataset manifests")
    manifests = manifests_step(pairs, display, verifier)
    datasets = manifests.datasets
    step("licenses")
    licenses = licenses_step(
        loaded,
        use=effective_use,
        base_licenses=opts.base_licenses,
        dataset_licenses=[d.license_normalized for d in datasets],
    )
    step("personal data (PII)")
    pii = pii_step(dirs, datasets, display, scan=opts.pii_scan, config=opts.pii_config)
    step("compliance matrix")
    ctx: dict[str, JsonValue] = {"use": effective_use, **dict(opts.context or {})}
    compliance = compliance_step(datasets, ctx)
    steps = _Steps(
        card=card_result,
        openness=openness,
        manifests=manifests,
        licenses=licenses,
        pii=pii,
        compliance=compliance,
        inputs=(*inputs, *manifests.inputs),
    )
    now = (opts.clock or (lambda: datetime.now(timezone.utc)))()
    report = AuditReport(
        tool=f"openmodel-gov {__version__}",
        generated_at=now.replace(microsecond=0).isoformat(),
        model=loaded.name,
        model_version=loaded.version,
        overall=worst_rag([s.status for s in steps.sections]),
        headline=steps.headline(effective_use),
        inputs=steps.inputs,
        sections=steps.sections,
        plan=_plan(steps.sections, openness.plan),
        questions=compliance.questions,
    )
    if policy is None:
        return report
    result = evaluate_policy(report, policy, name=policy_name)
    overall: Rag = report.overall if result.passed else "red"
    return report.model_copy(update={"policy": result, "overall": overall})
