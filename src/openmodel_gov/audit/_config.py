"""Audit config files: the inputs of an audit in one YAML/JSON file instead of flags."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any, Final, Literal

from pydantic import ConfigDict, Field, JsonValue, ValidationError

from openmodel_gov._core import Frozen
from openmodel_gov.audit._model import AuditReport

__all__ = ["CONFIG_FORMAT", "AuditConfig", "ManifestRef", "load_audit_config"]

CONFIG_FORMAT: Final = "openmodel-gov/audit-config/v1"


class ManifestRef(Frozen):
    """A dataset manifest and the folder holding its data (default: the manifest's folder)."""

    model_config = ConfigDict(strict=False)

    manifest: str
    data: str | None = None


class AuditConfig(Frozen):
    """What to audit; relative paths are relative to the config file's folder.

    >>> cfg = AuditConfig(card="README.md", manifests=[ManifestRef(manifest="m.yaml")])
    >>> cfg.card, cfg.use
    ('README.md', None)
    """

    model_config = ConfigDict(populate_by_name=True, strict=False)

    schema_: Literal["openmodel-gov/audit-config/v1"] = Field(default=CONFIG_FORMAT, alias="schema")
    card: str
    manifests: tuple[ManifestRef, ...] = ()
    data: tuple[str, ...] = Field(default=(), description="Extra data folders to scan for PII.")
    policy: str | None = None
    use: Literal["commercial", "research"] | None = None
    base_licenses: dict[str, str] = Field(
        default_factory=dict, description="Base model id -> its license (SPDX or hf:<id>)."
    )
    context: dict[str, JsonValue] = Field(
        default_factory=dict, description="Compliance context (gpai_eu_market, training_flop, ...)."
    )
    public_key: str | None = Field(
        default=None, description="PEM public key to verify the manifests' signatures with."
    )
    out: str | None = Field(default=None, description="Report folder.")
    base_dir: str = Field(default=".", exclude=True, description="Folder paths are relative to.")

    def path(self, value: str) -> Path:
        """``value`` resolved against :attr:`base_dir`."""
        p = Path(value)
        return p if p.is_absolute() else Path(self.base_dir) / p

    def run(
        self,
        *,
        policy: str | os.PathLike[str] | None = None,
        pii_scan: bool = True,
        clock: Callable[[], datetime] | None = None,
        progress: Callable[[str], None] | None = None,
        perspective: Literal["provider", "consumer"] = "provider",
    ) -> AuditReport:
        """Run :func:`~openmodel_gov.audit.run_audit` on these inputs (``policy`` overrides)."""
        from openmodel_gov.audit._run import run_audit

        manifests: list[tuple[Path, Path]] = []
        for ref in self.manifests:
            m = self.path(ref.manifest)
            manifests.append((m, self.path(ref.data) if ref.data else m.resolve().parent))
        chosen = policy if policy is not None else (self.path(self.policy) if self.policy else None)
        return run_audit(
            self.path(self.card),
            manifests=manifests,
            data_dirs=[self.path(d) for d in self.data],
            policy=chosen,
            use=self.use,
            base_licenses=self.base_licenses or None,
            context=self.context,
            pii_scan=pii_scan,
            clock=clock,
            perspective=perspective,
            progress=progress,
            public_key=self.path(self.public_key) if self.public_key else None,
        )


def load_audit_config(path: str | os.PathLike[str]) -> AuditConfig:
    """Load an audit config file (YAML or JSON).

    Raises:
        FileAccessError / ParseError: unreadable or malformed.
        InputError: unknown keys or wrong values (field and line named).
    """
    from openmodel_gov._core._io import json_path, read_document
    from openmodel_gov.errors import InputError

    source = os.fspath(path)
    doc = read_document(path, format="json" if source.endswith(".json") else "yaml")
    data: Any = doc.data
    if not isinstance(data, dict):
        raise InputError("an audit config must be a mapping", source=source)
    try:
        config = AuditConfig.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = tuple(("schema" if p == "schema_" else p) for p in err["loc"])
        raise InputError(
            f"invalid audit config: {err['msg']}"
            + (f" (and {len(exc.errors()) - 1} more)" if len(exc.errors()) > 1 else ""),
            source=source,
            line=doc.line_of(loc),
            field=json_path(loc),
        ) from None
    return config.model_copy(update={"base_dir": str(Path(source).resolve().parent)})
