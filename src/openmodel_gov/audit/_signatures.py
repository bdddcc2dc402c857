"""The audit's manifest signature check: unsigned, signed but unchecked, verified, or failed.

A manifest is *signed* when a DSSE envelope ``<manifest>.sig.json`` lies next to it (what
``openmodel-gov manifest sign`` writes). With a public key the envelope is verified through
the public :mod:`openmodel_gov.signing` API; the ``[sign]`` extra is imported only then.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from openmodel_gov._core import Citation, Evidence, Finding
from openmodel_gov.audit._model import SignatureStatus

if TYPE_CHECKING:
    from openmodel_gov.signing import Verifier

__all__ = ["SignatureResult", "envelope_path", "load_verifier", "signature_result"]

_DSSE = Citation(
    source="DSSE (Dead Simple Signing Envelope) v1",
    section="protocol: signature over PAE(payloadType, payload)",
    url="https://github.com/secure-systems-lab/dsse/blob/master/protocol.md",
)


@dataclass(frozen=True)
class SignatureResult:
    """The signature state of one manifest, and the finding a failure makes."""

    status: SignatureStatus
    key_fingerprint: str | None = None
    problem: str | None = None
    finding: Finding | None = None


def envelope_path(manifest_path: Path) -> Path:
    """Where a manifest's signature envelope lies: ``<manifest>.sig.json``."""
    return manifest_path.with_name(manifest_path.name + ".sig.json")


def load_verifier(public_key: str | os.PathLike[str]) -> Verifier:
    """A verifier over the PEM public key file ``public_key`` (Ed25519 or ECDSA P-256).

    Raises:
        MissingDependencyError: the ``[sign]`` extra is not installed.
        FileAccessError, ParseError, ConfigError: the key cannot be read or is unsupported.
    """
    from openmodel_gov.signing import KeyVerifier, load_public_key

    return KeyVerifier(load_public_key(public_key))


def signature_result(manifest_path: Path, shown: str, verifier: Verifier | None) -> SignatureResult:
    """Check the envelope next to ``manifest_path`` with ``verifier`` (``None``: not checked)."""
    envelope = envelope_path(manifest_path)
    if not envelope.is_file():
        return SignatureResult("unsigned")
    if verifier is None:
        return SignatureResult("unchecked")
    from openmodel_gov.errors import SignatureError
    from openmodel_gov.signing import verify_manifest_signature

    fingerprint = verifier.key_id
    try:
        verify_manifest_signature(manifest_path, envelope, verifier)
    except SignatureError as exc:
        problem = _problem(exc)
        detail = f"{type(exc).__name__}: {exc}".replace(os.fspath(manifest_path), shown)
    else:
        return SignatureResult("verified", key_fingerprint=fingerprint)
    finding = Finding(
        rule_id="manifests.signature-failed",
        title=f"{shown}: the signature does not verify with the given key ({problem})",
        severity="High",
        reasons=(detail,),
        evidence=(
            Evidence(kind="manifest", file=shown),
            Evidence(kind="file", file=f"{shown}.sig.json", note=f"key sha256:{fingerprint}"),
        ),
        citations=(_DSSE,),
        mitigations=(
            "re-sign the manifest with the release key (openmodel-gov manifest sign), or find "
            "out who changed the manifest or its signature",
        ),
    )
    return SignatureResult("failed", key_fingerprint=fingerprint, problem=problem, finding=finding)


def _problem(exc: Exception) -> str:
    """The failure in a few words: which check failed, without file paths."""
    from openmodel_gov.errors import (
        MalformedSignatureError,
        TamperedManifestError,
        WrongKeyError,
    )

    if isinstance(exc, WrongKeyError):
        return "signed by another key"
    if isinstance(exc, MalformedSignatureError):
        return "the signature envelope is malformed"
    if isinstance(exc, TamperedManifestError):
        return "the manifest changed after it was signed"
    return "signature does not match"
