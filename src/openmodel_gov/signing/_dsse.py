"""DSSE envelopes over in-toto Statement v1 for manifest files.

The statement names two subjects: the manifest file (SHA-256 of its bytes) and the dataset
snapshot (its snapshot digest), so the envelope stays small however many files there are.
Signatures are over DSSE's pre-authentication encoding (PAE)::

    "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import os
import re
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, ConfigDict, Field

from openmodel_gov._core import Frozen
from openmodel_gov._core import tupleize as _tupleize
from openmodel_gov._core._io import atomic_write_text, decode_utf8, load_json_value, read_bytes
from openmodel_gov._core._render import html_table
from openmodel_gov.errors import (
    AlgorithmMismatchError,
    InputError,
    InvalidSignatureError,
    MalformedSignatureError,
    ParseError,
    TamperedManifestError,
    TamperedPayloadError,
    WrongKeyError,
)
from openmodel_gov.manifests import MANIFEST_MAX_BYTES, DatasetManifest, parse_manifest
from openmodel_gov.signing._sigkeys import (
    ALGORITHMS,
    KeySigner,
    KeyVerifier,
    PrivateKey,
    PublicKey,
    SignatureAlgorithm,
    Signer,
    Verifier,
    b64encode,
)

__all__ = [
    "IN_TOTO_PAYLOAD_TYPE",
    "PREDICATE_TYPE",
    "STATEMENT_TYPE",
    "DsseEnvelope",
    "DsseSignature",
    "SignatureCheck",
    "load_envelope",
    "pae",
    "sign",
    "verify",
]

IN_TOTO_PAYLOAD_TYPE = "application/vnd.in-toto+json"
STATEMENT_TYPE = "https://in-toto.io/Statement/v1"
PREDICATE_TYPE = "https://openmodel-gov.dev/attestations/dataset-manifest/v1"
SNAPSHOT_SUBJECT = "dataset-snapshot"
_MAX_MANIFEST = MANIFEST_MAX_BYTES
_B64 = re.compile(r"^[A-Za-z0-9+/]*={0,2}$")


def pae(payload_type: str, payload: bytes) -> bytes:
    """DSSE v1 pre-authentication encoding.

    >>> pae("t", b"hi")
    b'DSSEv1 1 t 2 hi'

    Raises:
        MalformedSignatureError: ``payload_type`` is not encodable as UTF-8 (a lone surrogate).
    """
    try:
        kind = payload_type.encode("utf-8")
    except UnicodeEncodeError:
        raise MalformedSignatureError(
            "the payloadType is not valid UTF-8 (it holds a lone surrogate)"
        ) from None
    return b"DSSEv1 %d %s %d %s" % (len(kind), kind, len(payload), payload)


def _utf8(value: str) -> str:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("not valid UTF-8 (a lone surrogate)") from None
    return value


class DsseSignature(Frozen):
    """One signature of a DSSE envelope (``keyid`` is an unauthenticated hint)."""

    keyid: str = ""
    sig: str


class DsseEnvelope(Frozen):
    """A DSSE envelope: base64 payload, its type, and signatures over ``PAE(type, payload)``.

    ``to_dict()`` gives the standard JSON shape (``payloadType``, ``payload``, ``signatures``).
    """

    model_config = ConfigDict(populate_by_name=True)

    payload_type: Annotated[str, AfterValidator(_utf8)] = Field(alias="payloadType")
    payload: str
    signatures: Annotated[tuple[DsseSignature, ...], BeforeValidator(_tupleize)]

    def payload_bytes(self) -> bytes:
        """The decoded payload (``MalformedSignatureError`` when it is not canonical base64)."""
        return _strict_b64(self.payload, "payload")

    @property
    def statement(self) -> dict[str, Any]:
        """The in-toto statement carried in the payload (unverified!)."""
        try:
            text = decode_utf8(self.payload_bytes(), source="<payload>")
            data = load_json_value(text, source="<payload>")
        except ParseError as exc:
            raise MalformedSignatureError(f"the payload is not JSON ({_where(exc)})") from None
        if not isinstance(data, dict):
            raise MalformedSignatureError("the payload is not an in-toto statement")
        return data

    def to_dict(self) -> dict[str, Any]:
        """Standard DSSE JSON."""
        return {
            "payloadType": self.payload_type,
            "payload": self.payload,
            "signatures": [s.model_dump() for s in self.signatures],
        }

    def to_json(self) -> str:
        """Standard DSSE JSON text, newline-terminated."""
        return json.dumps(self.to_dict(), indent=2) + "\n"

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write the envelope as JSON, atomically."""
        atomic_write_text(path, self.to_json())

    def __str__(self) -> str:
        hints = ", ".join(s.keyid or "?" for s in self.signatures)
        return f"DSSE envelope ({self.payload_type}), {len(self.signatures)} signature(s): {hints}"


def _where(exc: InputError) -> str:
    """The front door's refusal as 'line L, column C: what' (the source is said already)."""
    at = ", ".join(
        f"{name} {value}" for name, value in (("line", exc.line), ("column", exc.column)) if value
    )
    return f"{at}: {exc.message}" if at else exc.message


def _strict_b64(text: str, what: str) -> bytes:
    if not _B64.match(text) or len(text) % 4:
        raise MalformedSignatureError(
            f"the {what} is not canonical base64 (truncated or re-encoded)"
        )
    try:
        raw = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise MalformedSignatureError(f"the {what} is not valid base64") from None
    if base64.b64encode(raw).decode("ascii") != text:
        raise MalformedSignatureError(f"the {what} was re-encoded (non-canonical base64)")
    return raw


def load_envelope(source: str | os.PathLike[str] | dict[str, Any]) -> DsseEnvelope:
    """Parse a DSSE envelope from a JSON file or a mapping.

    Raises:
        MalformedSignatureError: not JSON, or not a DSSE envelope.
        FileAccessError: the file cannot be read.
    """
    where = "<envelope>"
    if isinstance(source, dict):
        data: object = source
    else:
        where = os.fspath(source)
        try:
            text = decode_utf8(read_bytes(source, max_bytes=1 << 24), source=where)
            data = load_json_value(text, source=where)
        except InputError as exc:
            raise MalformedSignatureError(
                f"{where}: not a JSON DSSE envelope ({_where(exc)})"
            ) from None
    if not isinstance(data, dict):
        raise MalformedSignatureError(f"{where}: not a DSSE envelope")
    try:
        return DsseEnvelope.model_validate(data)
    except ValueError as exc:
        first = str(exc).splitlines()[1:2]
        raise MalformedSignatureError(
            f"{where}: not a DSSE envelope ({first[0].strip() if first else exc})"
        ) from None


def _canonical(data: dict[str, Any]) -> bytes:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def _statement(name: str, manifest_sha256: str, manifest: DatasetManifest, algorithm: str) -> bytes:
    return _canonical(
        {
            "_type": STATEMENT_TYPE,
            "subject": [
                {"name": name, "digest": {"sha256": manifest_sha256}},
                {"name": SNAPSHOT_SUBJECT, "digest": {"sha256": manifest.snapshot_digest}},
            ],
            "predicateType": PREDICATE_TYPE,
            "predicate": {
                "manifest_format": manifest.format,
                "hash_algorithm": manifest.hash_algorithm,
                "file_count": len(manifest.files),
                "total_size": manifest.total_size,
                "datasets": [{"name": d.name, "version": d.version} for d in manifest.datasets],
                "signature_algorithm": algorithm,
            },
        }
    )


def _parse_manifest(raw: bytes, path: str | os.PathLike[str]) -> DatasetManifest:
    """Parse the bytes that were hashed (never re-read the file: it could change meanwhile)."""
    return parse_manifest(raw, source=path)


def _read_manifest(path: str | os.PathLike[str]) -> tuple[bytes, DatasetManifest]:
    raw = read_bytes(path, max_bytes=_MAX_MANIFEST)
    return raw, _parse_manifest(raw, path)


def sign(manifest_path: str | os.PathLike[str], key: PrivateKey | Signer) -> DsseEnvelope:
    """Sign the manifest file (see :func:`openmodel_gov.signing.sign_manifest`)."""
    signer: Signer = key if isinstance(key, Signer) else KeySigner(key)
    raw, manifest = _read_manifest(manifest_path)
    body = _statement(
        os.path.basename(os.fspath(manifest_path)),
        hashlib.sha256(raw).hexdigest(),
        manifest,
        signer.algorithm,
    )
    signature = signer.sign(pae(IN_TOTO_PAYLOAD_TYPE, body))
    return DsseEnvelope(
        payload_type=IN_TOTO_PAYLOAD_TYPE,
        payload=b64encode(body),
        signatures=(
            DsseSignature(keyid=f"{signer.algorithm}:{signer.key_id}", sig=b64encode(signature)),
        ),
    )


class SignatureCheck(Frozen):
    """A signature that verified: what it covers and who made it."""

    manifest_path: str
    manifest_sha256: str
    snapshot_digest: str
    algorithm: str
    key_id: str
    datasets: tuple[str, ...]

    @property
    def ok(self) -> bool:
        """Always True: failures raise a :class:`~openmodel_gov.errors.SignatureError`."""
        return True

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data."""
        data: dict[str, Any] = self.model_dump(mode="json")
        return data

    def __str__(self) -> str:
        return (
            f"OK: {self.manifest_path} (sha256:{self.manifest_sha256[:12]}…, snapshot "
            f"sha256:{self.snapshot_digest[:12]}…) signed with {self.algorithm} key "
            f"{self.key_id[:16]}…"
        )

    def _repr_html_(self) -> str:
        rows = [[k, str(v)] for k, v in self.to_dict().items()]
        return html_table(["field", "value"], rows, caption="signature verified")


def _check_sig_shape(sig: bytes, algorithm: SignatureAlgorithm) -> None:
    looks_der = len(sig) >= 8 and sig[0] == 0x30 and sig[1] == len(sig) - 2
    if algorithm == "ed25519":
        if len(sig) == 64:
            return
        if looks_der:
            raise AlgorithmMismatchError(
                "the signature is an ECDSA (DER) signature but the key is Ed25519"
            )
        raise MalformedSignatureError(
            f"the signature is {len(sig)} bytes; an Ed25519 signature is 64 (truncated?)"
        )
    if looks_der:
        from cryptography.hazmat.primitives.asymmetric.utils import (
            decode_dss_signature,
            encode_dss_signature,
        )

        try:
            r, s = decode_dss_signature(sig)
        except ValueError:
            r = s = -1
        if r >= 0 and encode_dss_signature(r, s) == sig:
            return
    if len(sig) >= 2 and sig[0] == 0x30 and len(sig) - 2 < sig[1] <= 72:
        raise MalformedSignatureError(
            f"the signature is a DER ECDSA signature cut short ({len(sig)} of {sig[1] + 2} bytes;"
            " truncated)"
        )
    if len(sig) == 64:
        raise AlgorithmMismatchError("the signature is an Ed25519 signature but the key is ECDSA")
    raise MalformedSignatureError("the signature is not a DER ECDSA signature (truncated?)")


def verify(
    manifest_path: str | os.PathLike[str],
    envelope: DsseEnvelope | str | os.PathLike[str] | dict[str, Any],
    key: PublicKey | Verifier,
) -> SignatureCheck:
    """Verify ``envelope`` for ``manifest_path`` (see ``verify_manifest_signature``)."""
    verifier: Verifier = key if isinstance(key, Verifier) else KeyVerifier(key)
    env = envelope if isinstance(envelope, DsseEnvelope) else load_envelope(envelope)
    if not env.signatures:
        raise MalformedSignatureError("the envelope holds no signature")
    body = env.payload_bytes()
    candidates, key_hint_matched = _candidates(env, verifier)
    raw = read_bytes(manifest_path, max_bytes=_MAX_MANIFEST)
    if not _any_verifies(candidates, env, body, verifier):
        _explain_failure(
            manifest_path,
            raw=raw,
            env=env,
            body=body,
            verifier=verifier,
            key_hint_matched=key_hint_matched,
        )
    subjects = _checked_statement(env, verifier)
    actual = hashlib.sha256(raw).hexdigest()
    signed = _digest(subjects[0])
    if signed != actual:
        raise TamperedManifestError(
            f"{os.fspath(manifest_path)}: the manifest changed after it was signed "
            f"(signed sha256 {signed}, file has {actual})"
        )
    manifest = _parse_manifest(raw, manifest_path)
    return SignatureCheck(
        manifest_path=os.fspath(manifest_path),
        manifest_sha256=actual,
        snapshot_digest=manifest.snapshot_digest,
        algorithm=verifier.algorithm,
        key_id=verifier.key_id,
        datasets=tuple(d.name for d in manifest.datasets),
    )


def _candidates(env: DsseEnvelope, verifier: Verifier) -> tuple[list[Any], bool]:
    """The signatures to try, and whether one's key hint names ``verifier``'s key.

    When every hint is well formed and none names the key, the error says why (another
    algorithm, or another key) instead of trying signatures that cannot verify.
    """
    hints = [s.keyid.split(":", 1) for s in env.signatures]
    parsed = [h for h in hints if len(h) == 2 and h[0] in ALGORITHMS]
    mine = [s for s in env.signatures if s.keyid == f"{verifier.algorithm}:{verifier.key_id}"]
    if mine:
        return mine, True
    if parsed and len(parsed) == len(hints):
        algorithms = {h[0] for h in parsed}
        if verifier.algorithm not in algorithms:
            raise AlgorithmMismatchError(
                f"the envelope was signed with {', '.join(sorted(algorithms))}, "
                f"the key is {verifier.algorithm}"
            )
        raise WrongKeyError(
            f"the envelope was signed by key {parsed[0][1][:16]}…, not by the given key "
            f"{verifier.key_id[:16]}…"
        )
    return list(env.signatures), False


def _any_verifies(
    candidates: list[Any], env: DsseEnvelope, body: bytes, verifier: Verifier
) -> bool:
    """Whether one of ``candidates`` is a valid signature of the envelope's PAE bytes."""
    for candidate in candidates:
        sig = _strict_b64(candidate.sig, "signature")
        _check_sig_shape(sig, verifier.algorithm)
        if verifier.verify(sig, pae(env.payload_type, body)):
            return True
    return False


def _checked_statement(env: DsseEnvelope, verifier: Verifier) -> list[Any]:
    """The statement's subjects, once it is known to be ours and for ``verifier``'s algorithm."""
    statement = env.statement
    subjects = statement.get("subject")
    predicate = statement.get("predicate")
    if (
        env.payload_type != IN_TOTO_PAYLOAD_TYPE
        or statement.get("_type") != STATEMENT_TYPE
        or not isinstance(subjects, list)
        or len(subjects) != 2
        or not isinstance(predicate, dict)
    ):
        raise MalformedSignatureError("the signed payload is not a dataset-manifest statement")
    if predicate.get("signature_algorithm") != verifier.algorithm:
        raise AlgorithmMismatchError(
            f"the statement records {predicate.get('signature_algorithm')!r}, "
            f"the key is {verifier.algorithm}"
        )
    return subjects


def _digest(subject: object) -> str | None:
    if isinstance(subject, dict):
        digest = subject.get("digest")
        if isinstance(digest, dict) and isinstance(digest.get("sha256"), str):
            return str(digest["sha256"])
    return None


def _explain_failure(
    manifest_path: str | os.PathLike[str],
    *,
    raw: bytes,
    env: DsseEnvelope,
    body: bytes,
    verifier: Verifier,
    key_hint_matched: bool,
) -> None:
    """Raise the error that says why a signature did not verify."""
    try:
        manifest = _parse_manifest(raw, manifest_path)
        name = os.path.basename(os.fspath(manifest_path))
        subjects = env.statement.get("subject")
        if isinstance(subjects, list) and subjects and isinstance(subjects[0], dict):
            name = str(subjects[0].get("name", name))
        expected: bytes | None = _statement(
            name, hashlib.sha256(raw).hexdigest(), manifest, verifier.algorithm
        )
    except (InputError, MalformedSignatureError):
        expected = None
    if env.payload_type != IN_TOTO_PAYLOAD_TYPE or body != expected:
        raise TamperedPayloadError(
            "the signed statement was edited after signing (the signature no longer covers it)"
        )
    if key_hint_matched:
        raise InvalidSignatureError("the signature bytes were edited: it does not verify")
    raise InvalidSignatureError(
        "the signature does not verify with this key: it was edited, or made by another key"
    )
