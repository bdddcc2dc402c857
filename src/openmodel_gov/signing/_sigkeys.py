"""Keys for manifest signatures: Ed25519 (default) and ECDSA P-256, PEM in and out.

``cryptography`` (the ``[sign]`` extra) is imported inside each function, so importing this
module is free.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Protocol, TypeAlias, runtime_checkable

from openmodel_gov._core._deps import require
from openmodel_gov._core._io import atomic_write_bytes, read_bytes
from openmodel_gov.errors import ConfigError, FileAccessError, InputError, ParseError

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ec import (
        EllipticCurvePrivateKey,
        EllipticCurvePublicKey,
    )
    from cryptography.hazmat.primitives.asymmetric.ed25519 import (
        Ed25519PrivateKey,
        Ed25519PublicKey,
    )

__all__ = [
    "ALGORITHMS",
    "KeyPair",
    "KeySigner",
    "KeyVerifier",
    "PrivateKey",
    "PublicKey",
    "SignatureAlgorithm",
    "Signer",
    "Verifier",
    "crypto",
    "generate_keypair",
    "key_fingerprint",
    "load_private_key",
    "load_public_key",
    "save_private_key",
    "save_public_key",
]

SignatureAlgorithm = Literal["ed25519", "ecdsa-p256-sha256"]
ALGORITHMS: tuple[SignatureAlgorithm, ...] = ("ed25519", "ecdsa-p256-sha256")
PrivateKey: TypeAlias = "Ed25519PrivateKey | EllipticCurvePrivateKey"
PublicKey: TypeAlias = "Ed25519PublicKey | EllipticCurvePublicKey"


def crypto(feature: str) -> Any:
    """The ``cryptography.hazmat.primitives`` package, or ``MissingDependencyError``."""
    require("cryptography", extra="sign", feature=feature)
    return require("cryptography.hazmat.primitives", extra="sign", feature=feature)


@runtime_checkable
class Signer(Protocol):
    """Signs bytes with one key (a seam: HSMs, KMS or a test double fit here)."""

    @property
    def algorithm(self) -> SignatureAlgorithm:
        """The signature algorithm."""
        ...  # pragma: no cover - protocol

    @property
    def key_id(self) -> str:
        """Hex SHA-256 of the public key (DER SubjectPublicKeyInfo)."""
        ...  # pragma: no cover - protocol

    def sign(self, data: bytes) -> bytes:
        """The raw signature of ``data``."""
        ...  # pragma: no cover - protocol


@runtime_checkable
class Verifier(Protocol):
    """Checks signatures made by one key."""

    @property
    def algorithm(self) -> SignatureAlgorithm:
        """The signature algorithm."""
        ...  # pragma: no cover - protocol

    @property
    def key_id(self) -> str:
        """Hex SHA-256 of the public key (DER SubjectPublicKeyInfo)."""
        ...  # pragma: no cover - protocol

    def verify(self, signature: bytes, data: bytes) -> bool:
        """True when ``signature`` is this key's signature of ``data``."""
        ...  # pragma: no cover - protocol


def _algorithm_of(key: object, feature: str) -> SignatureAlgorithm:
    crypto(feature)
    from cryptography.hazmat.primitives.asymmetric import ec, ed25519

    if isinstance(key, ed25519.Ed25519PrivateKey | ed25519.Ed25519PublicKey):
        return "ed25519"
    if isinstance(key, ec.EllipticCurvePrivateKey | ec.EllipticCurvePublicKey):
        if isinstance(key.curve, ec.SECP256R1):
            return "ecdsa-p256-sha256"
        raise ConfigError(
            f"ECDSA curve {key.curve.name} is not supported",
            field="key",
            hint="use Ed25519 or ECDSA P-256 (secp256r1)",
        )
    raise ConfigError(
        f"unsupported key type {type(key).__name__}",
        field="key",
        hint="use an Ed25519 or ECDSA P-256 key, e.g. generate_keypair()",
    )


def key_fingerprint(public_key: PublicKey) -> str:
    """Hex SHA-256 of the DER SubjectPublicKeyInfo of ``public_key``."""
    _algorithm_of(public_key, "key_fingerprint")
    from cryptography.hazmat.primitives import serialization

    der = public_key.public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return hashlib.sha256(der).hexdigest()


class KeySigner:
    """A :class:`Signer` over an in-memory ``cryptography`` private key."""

    def __init__(self, private_key: PrivateKey) -> None:
        self._algorithm = _algorithm_of(private_key, "sign_manifest")
        self._key = private_key
        self._key_id = key_fingerprint(private_key.public_key())

    @property
    def algorithm(self) -> SignatureAlgorithm:
        """``"ed25519"`` or ``"ecdsa-p256-sha256"``."""
        return self._algorithm

    @property
    def key_id(self) -> str:
        """Fingerprint of the matching public key."""
        return self._key_id

    def sign(self, data: bytes) -> bytes:
        """Ed25519 signature, or DER-encoded ECDSA over SHA-256."""
        from cryptography.hazmat.primitives import hashes
        from cryptography.hazmat.primitives.asymmetric import ec, ed25519

        if isinstance(self._key, ed25519.Ed25519PrivateKey):
            return self._key.sign(data)
        return self._key.sign(data, ec.ECDSA(hashes.SHA256()))


class KeyVerifier:
    """A :class:`Verifier` over an in-memory ``cryptography`` public key."""

    def __init__(self, public_key: PublicKey) -> None:
        self._algorithm = _algorithm_of(public_key, "verify_manifest_signature")
        self._key = public_key
        self._key_id = key_fingerprint(public_key)

    @property
    def algorithm(self) -> SignatureAlgorithm:
        """``"ed25519"`` or ``"ecdsa-p256-sha256"``."""
        return self._algorithm

    @property
    def key_id(self) -> str:
        """Fingerprint of the key."""
        return self._key_id

    def verify(self, signature: bytes, data: bytes) -> bool:
        """True when the signature verifies."""
        from cryptography.exceptions import InvalidSignature
        from cryptography.hazmat.primitives import hashes
        from cryptography.hazmat.primitives.asymmetric import ec, ed25519

        try:
            if isinstance(self._key, ed25519.Ed25519PublicKey):
                self._key.verify(signature, data)
            else:
                self._key.verify(signature, data, ec.ECDSA(hashes.SHA256()))
        except InvalidSignature:
            return False
        return True


@dataclass(frozen=True)
class KeyPair:
    """A freshly generated key pair."""

    private_key: PrivateKey
    public_key: PublicKey
    algorithm: SignatureAlgorithm

    @property
    def key_id(self) -> str:
        """Fingerprint of the public key."""
        return key_fingerprint(self.public_key)

    def __repr__(self) -> str:
        return f"KeyPair(algorithm={self.algorithm!r}, key_id={self.key_id[:16]}…)"


def generate_keypair(algorithm: SignatureAlgorithm = "ed25519") -> KeyPair:
    """A new key pair for signing manifests."""
    crypto("generate_keypair")
    from cryptography.hazmat.primitives.asymmetric import ec, ed25519

    if algorithm == "ed25519":
        ed_key = ed25519.Ed25519PrivateKey.generate()
        return KeyPair(private_key=ed_key, public_key=ed_key.public_key(), algorithm=algorithm)
    if algorithm == "ecdsa-p256-sha256":
        ec_key = ec.generate_private_key(ec.SECP256R1())
        return KeyPair(private_key=ec_key, public_key=ec_key.public_key(), algorithm=algorithm)
    raise ConfigError(
        f"unknown algorithm {algorithm!r}",
        field="algorithm",
        hint=f"use one of: {', '.join(ALGORITHMS)}",
    )


def save_private_key(
    private_key: PrivateKey, path: str | os.PathLike[str], *, password: bytes | None = None
) -> None:
    """Write ``private_key`` as PKCS#8 PEM, atomically, readable by the owner only (0600)."""
    _algorithm_of(private_key, "save_private_key")
    from cryptography.hazmat.primitives import serialization

    encryption: Any = (
        serialization.BestAvailableEncryption(password)
        if password
        else serialization.NoEncryption()
    )
    pem = private_key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption
    )
    target = Path(path)
    # atomic_write_bytes keeps the mode of an existing target: make it 0600 before writing.
    try:
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        os.close(fd)
    except FileExistsError:
        with contextlib.suppress(OSError):
            os.chmod(target, 0o600)
    except OSError as exc:
        raise FileAccessError(exc.strerror or str(exc), source=str(target)) from None
    atomic_write_bytes(target, pem)


def save_public_key(public_key: PublicKey, path: str | os.PathLike[str]) -> None:
    """Write ``public_key`` as SubjectPublicKeyInfo PEM, atomically."""
    _algorithm_of(public_key, "save_public_key")
    from cryptography.hazmat.primitives import serialization

    atomic_write_bytes(
        path,
        public_key.public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        ),
    )


def _pem(path: str | os.PathLike[str], marker: bytes) -> bytes:
    data = read_bytes(path, max_bytes=1 << 16)
    if marker not in data:
        raise ParseError(
            f"not a PEM {marker.decode()} file",
            source=os.fspath(path),
            hint="expected a file written by save_private_key / save_public_key",
        )
    return data


def _unsupported(path: str | os.PathLike[str], exc: Exception) -> ParseError:
    return ParseError(
        f"the key uses an algorithm this library cannot read ({exc})",
        source=os.fspath(path),
        hint="use an Ed25519 or ECDSA P-256 key, e.g. from 'openmodel-gov manifest keygen'",
    )


def load_private_key(path: str | os.PathLike[str], *, password: bytes | None = None) -> PrivateKey:
    """Read a PEM private key (Ed25519 or ECDSA P-256), optionally encrypted."""
    crypto("load_private_key")
    from cryptography.exceptions import UnsupportedAlgorithm
    from cryptography.hazmat.primitives import serialization

    data = _pem(path, b"PRIVATE KEY")
    try:
        key = serialization.load_pem_private_key(data, password=password)
    except UnsupportedAlgorithm as exc:
        raise _unsupported(path, exc) from None
    except TypeError as exc:  # password given for a plain key, or missing for an encrypted one
        raise InputError(str(exc), source=os.fspath(path), field="password") from None
    except ValueError as exc:
        raise ParseError(
            f"cannot read the private key: {exc}",
            source=os.fspath(path),
            hint="check the password and that the file is an unmodified PEM key",
        ) from None
    _algorithm_of(key, "load_private_key")
    result: PrivateKey = key  # type: ignore[assignment]
    return result


def load_public_key(path: str | os.PathLike[str]) -> PublicKey:
    """Read a PEM public key (Ed25519 or ECDSA P-256)."""
    crypto("load_public_key")
    from cryptography.exceptions import UnsupportedAlgorithm
    from cryptography.hazmat.primitives import serialization

    data = _pem(path, b"PUBLIC KEY")
    try:
        key = serialization.load_pem_public_key(data)
    except UnsupportedAlgorithm as exc:
        raise _unsupported(path, exc) from None
    except ValueError as exc:
        raise ParseError(f"cannot read the public key: {exc}", source=os.fspath(path)) from None
    _algorithm_of(key, "load_public_key")
    result: PublicKey = key  # type: ignore[assignment]
    return result


def b64encode(data: bytes) -> str:
    """Standard base64 with padding (the form DSSE envelopes are written in)."""
    return base64.b64encode(data).decode("ascii")
