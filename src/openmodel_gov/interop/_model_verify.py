"""OpenSSF model-signing v1.0 bundles: verification (ours and ``model_signing sign key``'s)."""

from __future__ import annotations

import base64
import hashlib
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from openmodel_gov._core import Frozen
from openmodel_gov._core._io import decode_utf8, load_json_value
from openmodel_gov.errors import (
    FileAccessError,
    InvalidSignatureError,
    MalformedSignatureError,
    ParseError,
    TamperedPayloadError,
    WrongKeyError,
)
from openmodel_gov.interop._model_signing import (
    _DEFAULT_SIGNATURE,
    _PAYLOAD_TYPE,
    _STATEMENT_TYPE,
    BUNDLE_MEDIA_TYPE,
    MODEL_SIGNING_PREDICATE,
    _check_curve,
    _hash_for,
    _key_hint,
    _walk,
)

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ec import EllipticCurvePublicKey

__all__ = ["ModelSignatureCheck", "verify_model_folder"]


class ModelSignatureCheck(Frozen):
    """The outcome of :func:`verify_model_folder`.

    Attributes:
        ok: the signature verifies and every file matches.
        model_name: the subject name recorded at signing (informative only).
        key_hint: the public key's SHA-256 (of its PEM) recorded in the bundle.
        files: how many files the signature covers.
        changed: files whose SHA-256 differs.
        missing: signed files no longer on disk.
        added: files on disk the signature does not cover.
    """

    ok: bool
    model_name: str
    key_hint: str | None
    files: int
    changed: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()
    added: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data."""
        data: dict[str, Any] = self.model_dump(mode="json")
        return data

    def _repr_html_(self) -> str:
        from openmodel_gov._core._render import html_table

        rows: list[list[object]] = [
            ["verdict", "OK" if self.ok else "FAILED"],
            ["files signed", self.files],
            ["changed", ", ".join(self.changed) or "-"],
            ["missing", ", ".join(self.missing) or "-"],
            ["added", ", ".join(self.added) or "-"],
            ["key (SHA-256 of PEM)", self.key_hint or "-"],
        ]
        return html_table(["", ""], rows, caption=f"model signature: {self.model_name}")

    def __str__(self) -> str:
        if self.ok:
            return f"OK: {self.files} file(s) of {self.model_name} match the signature"
        parts = [
            f"{label}: {', '.join(items)}"
            for label, items in (
                ("changed", self.changed),
                ("missing", self.missing),
                ("added", self.added),
            )
            if items
        ]
        return f"FAILED: {self.model_name}: " + "; ".join(parts)


def _at(source: str, message: str) -> str:
    return f"{source}: {message}"


def _where(exc: ParseError) -> str:
    """A front-door refusal as 'line L, column C: what' (the source is said already)."""
    at = ", ".join(f"{n} {v}" for n, v in (("line", exc.line), ("column", exc.column)) if v)
    return f"{at}: {exc.message}" if at else exc.message


def _b64(value: object, *, field: str, source: str) -> bytes:
    if not isinstance(value, str):
        raise MalformedSignatureError(_at(source, f"{field} is not base64 text"))
    try:
        return base64.b64decode(value, validate=True)
    except ValueError:
        raise MalformedSignatureError(_at(source, f"{field} is not valid base64")) from None


def _read_bundle(path: Path) -> tuple[dict[str, Any], str]:
    source = str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise FileAccessError(f"cannot read the signature: {exc.strerror}", source=source) from None
    try:
        data = load_json_value(decode_utf8(raw, source=source), source=source)
    except ParseError as exc:
        raise MalformedSignatureError(
            _at(source, f"the signature is not JSON (in UTF-8): {_where(exc)}")
        ) from None
    if not isinstance(data, dict) or data.get("mediaType") != BUNDLE_MEDIA_TYPE:
        raise MalformedSignatureError(
            _at(source, f"not a Sigstore bundle with media type {BUNDLE_MEDIA_TYPE}")
        )
    return data, source


def verify_model_folder(
    root: str | os.PathLike[str],
    public_key: str | os.PathLike[str] | EllipticCurvePublicKey,
    *,
    signature: str | os.PathLike[str] | None = None,
    ignore_unsigned_files: bool = False,
) -> ModelSignatureCheck:
    """Check a model-signing v1.0 bundle (ours or ``model_signing sign key``'s) and rehash.

    Args:
        root: the model folder.
        public_key: a PEM file or a loaded ECDSA public key.
        signature: the bundle (default ``ROOT/model.sig``).
        ignore_unsigned_files: do not report files the signature does not cover.

    Returns:
        A :class:`ModelSignatureCheck`; file differences are reported there, not raised.

    Raises:
        MalformedSignatureError: not a bundle, bad base64/JSON, wrong predicate or layout.
        WrongKeyError: the bundle names another key.
        InvalidSignatureError: the signature does not verify with ``public_key``.
        TamperedPayloadError: the statement's root digest does not match its resources.
    """
    from openmodel_gov._core._deps import require

    require("cryptography", extra="sign", feature="verify_model_folder")
    folder = Path(root)
    if not folder.is_dir():
        raise FileAccessError(f"not a folder: {folder}", source=str(folder))
    key = _verifying_key(public_key)
    sig_path = Path(signature) if signature is not None else folder / _DEFAULT_SIGNATURE
    bundle, source = _read_bundle(sig_path)
    hint = _checked_hint(bundle, key, source)
    try:
        payload = _verified_payload(bundle, key, source)
        statement = load_json_value(decode_utf8(payload, source="<payload>"), source="<payload>")
    except ParseError as exc:
        raise MalformedSignatureError(
            _at(source, f"the signed payload is not JSON: {_where(exc)}")
        ) from None
    if not isinstance(statement, dict):
        raise MalformedSignatureError(_at(source, "the signed payload is not a statement"))
    name, expected = _expected(statement, source)
    ignore = statement["predicate"]["serialization"].get("ignore_paths", [])
    actual = _walk(folder, [str(p).strip("/") for p in ignore])
    changed = tuple(sorted(n for n in expected if n in actual and actual[n] != expected[n]))
    missing = tuple(sorted(n for n in expected if n not in actual))
    added = () if ignore_unsigned_files else tuple(sorted(n for n in actual if n not in expected))
    return ModelSignatureCheck(
        ok=not (changed or missing or added),
        model_name=name,
        key_hint=hint if isinstance(hint, str) else None,
        files=len(expected),
        changed=changed,
        missing=missing,
        added=added,
    )


def _verifying_key(
    public_key: str | os.PathLike[str] | EllipticCurvePublicKey,
) -> EllipticCurvePublicKey:
    """The ECDSA public key (loaded from PEM when a path), on a supported curve."""
    from cryptography.hazmat.primitives.asymmetric import ec

    from openmodel_gov.signing import load_public_key

    key: object = (
        load_public_key(public_key) if isinstance(public_key, (str, os.PathLike)) else public_key
    )
    _check_curve(key, what="public_key")
    assert isinstance(key, ec.EllipticCurvePublicKey)
    return key


def _checked_hint(bundle: dict[str, Any], key: EllipticCurvePublicKey, source: str) -> object:
    """The bundle's public key hint, refused when it names another key than ``key``."""
    material = bundle.get("verificationMaterial")
    hint = None
    if isinstance(material, dict) and isinstance(material.get("publicKey"), dict):
        hint = material["publicKey"].get("hint")
    if hint and hint != _key_hint(key):
        raise WrongKeyError(
            _at(source, "the bundle was signed with another key (public key hint differs)")
        )
    return hint


def _verified_payload(bundle: dict[str, Any], key: EllipticCurvePublicKey, source: str) -> bytes:
    """The DSSE envelope's payload, once its first signature verifies with ``key``."""
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric import ec

    from openmodel_gov.signing import pae

    envelope = bundle.get("dsseEnvelope")
    if not isinstance(envelope, dict) or envelope.get("payloadType") != _PAYLOAD_TYPE:
        raise MalformedSignatureError(_at(source, "no in-toto DSSE envelope in the bundle"))
    payload = _b64(envelope.get("payload"), field="$.dsseEnvelope.payload", source=source)
    sigs = envelope.get("signatures")
    if not isinstance(sigs, list) or not sigs or not isinstance(sigs[0], dict):
        raise MalformedSignatureError(_at(source, "the envelope holds no signature"))
    sig = _b64(sigs[0].get("sig"), field="$.dsseEnvelope.signatures[0].sig", source=source)
    try:
        key.verify(sig, pae(_PAYLOAD_TYPE, payload), ec.ECDSA(_hash_for(key.curve.key_size)))
    except InvalidSignature:
        raise InvalidSignatureError(
            _at(source, "the signature does not verify with this key")
        ) from None
    return payload


def _expected(statement: object, source: str) -> tuple[str, dict[str, str]]:
    if not isinstance(statement, dict) or statement.get("_type") != _STATEMENT_TYPE:
        raise MalformedSignatureError(_at(source, "the payload is not an in-toto Statement v1"))
    if statement.get("predicateType") != MODEL_SIGNING_PREDICATE:
        raise MalformedSignatureError(
            _at(source, f"not a model-signing v1.0 statement ({statement.get('predicateType')})")
        )
    try:
        (subject,) = statement["subject"]
        predicate = statement["predicate"]
        serialization = predicate["serialization"]
        method = (serialization["method"], serialization["hash_type"])
        resources = {str(r["name"]): str(r["digest"]) for r in predicate["resources"]}
        ordered = [bytes.fromhex(str(r["digest"])) for r in predicate["resources"]]
        name = str(subject["name"])
        recorded = subject["digest"]["sha256"]
    except (KeyError, TypeError, ValueError):
        raise MalformedSignatureError(
            _at(source, "the statement is not in the model-signing v1.0 layout")
        ) from None
    if method != ("files", "sha256"):
        raise MalformedSignatureError(
            _at(source, f"only the 'files' serialization with sha256 is supported, not {method}")
        )
    if hashlib.sha256(b"".join(ordered)).hexdigest() != recorded:
        raise TamperedPayloadError(
            _at(source, "the statement's root digest does not match its resources")
        )
    return name, resources
