"""Tests for openmodel_gov.signing: DSSE envelopes, keys, and every tamper kind."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import stat
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import openmodel_gov.signing as signing
from openmodel_gov.errors import (
    AlgorithmMismatchError,
    ConfigError,
    FileAccessError,
    InputError,
    InvalidSignatureError,
    MalformedSignatureError,
    MissingDependencyError,
    ParseError,
    SchemaValidationError,
    SignatureError,
    TamperedManifestError,
    TamperedPayloadError,
    WrongKeyError,
)
from openmodel_gov.manifests import DatasetEntry, DatasetManifest, FileEntry
from openmodel_gov.signing import (
    DsseEnvelope,
    DsseSignature,
    KeyPair,
    generate_keypair,
    load_envelope,
    load_private_key,
    load_public_key,
    pae,
    save_private_key,
    save_public_key,
    sign_manifest,
    verify_manifest_signature,
)
from openmodel_gov.signing._sigkeys import SignatureAlgorithm

ALGS: list[SignatureAlgorithm] = ["ed25519", "ecdsa-p256-sha256"]


@pytest.fixture
def manifest_file(tmp_path: Path) -> Path:
    m = DatasetManifest(
        datasets=(DatasetEntry(name="d", version="1", source_kind="other", license="MIT"),),
        files=tuple(
            FileEntry(path=f"f{i}", size=i, sha256=hashlib.sha256(b"%d" % i).hexdigest())
            for i in range(50)
        ),
    )
    path = tmp_path / "manifest.yaml"
    m.save(path)
    return path


@pytest.fixture(params=ALGS)
def keys(request: pytest.FixtureRequest) -> KeyPair:
    algorithm: SignatureAlgorithm = request.param
    return generate_keypair(algorithm)


def _with_sig(env: DsseEnvelope, sig: str, keyid: str | None = None) -> DsseEnvelope:
    old = env.signatures[0]
    new = DsseSignature(keyid=old.keyid if keyid is None else keyid, sig=sig)
    return env.model_copy(update={"signatures": (new,)})


def test_sign_and_verify_round_trip(manifest_file: Path, keys: KeyPair, tmp_path: Path) -> None:
    env = sign_manifest(manifest_file, keys.private_key)
    statement = env.statement
    assert statement["_type"] == "https://in-toto.io/Statement/v1"
    assert statement["predicateType"] == signing.PREDICATE_TYPE
    manifest_digest = hashlib.sha256(manifest_file.read_bytes()).hexdigest()
    assert statement["subject"][0] == {
        "name": "manifest.yaml",
        "digest": {"sha256": manifest_digest},
    }
    assert statement["predicate"]["file_count"] == 50
    assert statement["predicate"]["signature_algorithm"] == keys.algorithm
    assert env.signatures[0].keyid == f"{keys.algorithm}:{keys.key_id}"
    assert len(env.to_json()) < 2000  # small, however many files
    check = verify_manifest_signature(manifest_file, env, keys.public_key)
    assert check.ok
    assert check.manifest_sha256 == manifest_digest
    assert check.algorithm == keys.algorithm
    assert check.datasets == ("d",)
    assert str(check).startswith("OK: ")
    assert check.to_dict()["key_id"] == keys.key_id
    assert "signature verified" in check._repr_html_()
    env_path = tmp_path / "manifest.yaml.sig.json"
    env.save(env_path)
    assert json.loads(env_path.read_text())["payloadType"] == signing.IN_TOTO_PAYLOAD_TYPE
    assert verify_manifest_signature(manifest_file, env_path, keys.public_key).ok
    assert verify_manifest_signature(manifest_file, env.to_dict(), keys.public_key).ok
    assert keys.algorithm in str(env)
    assert keys.algorithm in repr(keys)


def test_pae_matches_the_dsse_spec() -> None:
    # Test vector from the DSSE protocol document.
    assert pae("http://example.com/HelloWorld", b"hello world") == (
        b"DSSEv1 29 http://example.com/HelloWorld 11 hello world"
    )


# --- tamper kinds, one test each ----------------------------------------------------------


def test_wrong_public_key(manifest_file: Path, keys: KeyPair) -> None:
    env = sign_manifest(manifest_file, keys.private_key)
    other = generate_keypair(keys.algorithm)
    with pytest.raises(WrongKeyError, match="not by the given key"):
        verify_manifest_signature(manifest_file, env, other.public_key)


def test_wrong_key_without_key_hint(manifest_file: Path, keys: KeyPair) -> None:
    env = _with_sig(sign_manifest(manifest_file, keys.private_key), "", keyid="")
    env = _with_sig(env, sign_manifest(manifest_file, keys.private_key).signatures[0].sig, "")
    other = generate_keypair(keys.algorithm)
    with pytest.raises(InvalidSignatureError, match="another key"):
        verify_manifest_signature(manifest_file, env, other.public_key)


def test_edited_manifest(manifest_file: Path, keys: KeyPair) -> None:
    env = sign_manifest(manifest_file, keys.private_key)
    manifest_file.write_text(manifest_file.read_text().replace("version: '1'", "version: '2'"))
    with pytest.raises(TamperedManifestError, match="changed after it was signed"):
        verify_manifest_signature(manifest_file, env, keys.public_key)


def test_edited_payload(manifest_file: Path, keys: KeyPair) -> None:
    env = sign_manifest(manifest_file, keys.private_key)
    statement = env.statement
    statement["predicate"]["file_count"] = 49
    body = json.dumps(statement, sort_keys=True, separators=(",", ":")).encode()
    edited = env.model_copy(update={"payload": base64.b64encode(body).decode()})
    with pytest.raises(TamperedPayloadError, match="statement was edited"):
        verify_manifest_signature(manifest_file, edited, keys.public_key)


def test_edited_payload_type(manifest_file: Path, keys: KeyPair) -> None:
    env = sign_manifest(manifest_file, keys.private_key)
    edited = env.model_copy(update={"payload_type": "application/json"})
    with pytest.raises(TamperedPayloadError):
        verify_manifest_signature(manifest_file, edited, keys.public_key)


def test_edited_signature(manifest_file: Path) -> None:
    keys = generate_keypair("ed25519")
    env = sign_manifest(manifest_file, keys.private_key)
    sig = bytearray(base64.b64decode(env.signatures[0].sig))
    sig[40] ^= 0x01
    edited = _with_sig(env, base64.b64encode(bytes(sig)).decode())
    with pytest.raises(InvalidSignatureError, match="signature bytes were edited"):
        verify_manifest_signature(manifest_file, edited, keys.public_key)


def test_truncated_signature(manifest_file: Path, keys: KeyPair) -> None:
    env = sign_manifest(manifest_file, keys.private_key)
    raw = base64.b64decode(env.signatures[0].sig)
    truncated = _with_sig(env, base64.b64encode(raw[:-6]).decode())
    with pytest.raises(MalformedSignatureError, match="truncated"):
        verify_manifest_signature(manifest_file, truncated, keys.public_key)


@pytest.mark.parametrize("how", ["urlsafe", "unpadded", "whitespace", "garbage"])
def test_re_encoded_signature(manifest_file: Path, how: str) -> None:
    keys = generate_keypair("ed25519")
    env = sign_manifest(manifest_file, keys.private_key)
    raw = base64.b64decode(env.signatures[0].sig)
    text = {
        "urlsafe": base64.urlsafe_b64encode(raw).decode(),
        "unpadded": base64.b64encode(raw).decode().rstrip("="),
        "whitespace": base64.b64encode(raw).decode()[:20]
        + "\n"
        + base64.b64encode(raw).decode()[20:],
        "garbage": "A===",
    }[how]
    if text == env.signatures[0].sig:
        text = text[:-3] + "=" + text[-2:]  # urlsafe equal to standard: still non-canonical
    with pytest.raises(MalformedSignatureError):
        verify_manifest_signature(manifest_file, _with_sig(env, text), keys.public_key)


def test_re_encoded_payload(manifest_file: Path) -> None:
    keys = generate_keypair("ed25519")
    env = sign_manifest(manifest_file, keys.private_key)
    edited = env.model_copy(update={"payload": env.payload.rstrip("=")})
    if edited.payload == env.payload:
        edited = env.model_copy(update={"payload": env.payload + "\n"})
    with pytest.raises(MalformedSignatureError, match="payload"):
        verify_manifest_signature(manifest_file, edited, keys.public_key)


def test_algorithm_mismatch_from_key_hint(manifest_file: Path) -> None:
    ed = generate_keypair("ed25519")
    ec = generate_keypair("ecdsa-p256-sha256")
    env = sign_manifest(manifest_file, ed.private_key)
    with pytest.raises(AlgorithmMismatchError, match="signed with ed25519"):
        verify_manifest_signature(manifest_file, env, ec.public_key)


@pytest.mark.parametrize(("signer", "checker"), [(0, 1), (1, 0)])
def test_algorithm_mismatch_from_signature_shape(
    manifest_file: Path, signer: int, checker: int
) -> None:
    pairs = [generate_keypair(a) for a in ALGS]
    env = sign_manifest(manifest_file, pairs[signer].private_key)
    stripped = _with_sig(env, env.signatures[0].sig, keyid="")
    with pytest.raises(AlgorithmMismatchError):
        verify_manifest_signature(manifest_file, stripped, pairs[checker].public_key)


def test_ecdsa_signature_that_is_not_der(manifest_file: Path) -> None:
    keys = generate_keypair("ecdsa-p256-sha256")
    env = sign_manifest(manifest_file, keys.private_key)
    bogus = base64.b64encode(b"\x30\x06" + b"\x01" * 6).decode()
    with pytest.raises(MalformedSignatureError, match="DER"):
        verify_manifest_signature(manifest_file, _with_sig(env, bogus), keys.public_key)


def test_algorithm_recorded_in_statement_is_checked(manifest_file: Path) -> None:
    class LyingSigner:
        def __init__(self) -> None:
            self.inner = signing.KeySigner(generate_keypair().private_key)

        @property
        def algorithm(self) -> SignatureAlgorithm:
            return "ecdsa-p256-sha256"

        @property
        def key_id(self) -> str:
            return self.inner.key_id

        def sign(self, data: bytes) -> bytes:
            return self.inner.sign(data)

    liar = LyingSigner()
    env = sign_manifest(manifest_file, liar)
    stripped = _with_sig(env, env.signatures[0].sig, keyid="")
    with pytest.raises(AlgorithmMismatchError, match="statement records"):
        verify_manifest_signature(
            manifest_file, stripped, signing.KeyVerifier(liar.inner._key.public_key())
        )


# --- envelope parsing ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "content",
    ["not json", "[]", '{"payload": "x"}', '{"payloadType": 1, "payload": "", "signatures": []}'],
)
def test_malformed_envelopes(tmp_path: Path, content: str) -> None:
    p = tmp_path / "env.json"
    p.write_text(content)
    with pytest.raises(MalformedSignatureError):
        load_envelope(p)


def test_envelope_without_signatures_or_statement(manifest_file: Path, keys: KeyPair) -> None:
    env = sign_manifest(manifest_file, keys.private_key)
    with pytest.raises(MalformedSignatureError, match="no signature"):
        verify_manifest_signature(
            manifest_file, env.model_copy(update={"signatures": ()}), keys.public_key
        )
    assert isinstance(load_envelope(env.to_dict()), DsseEnvelope)
    odd = env.model_copy(update={"payload": base64.b64encode(b"[1]").decode()})
    with pytest.raises(MalformedSignatureError, match="not an in-toto statement"):
        _ = odd.statement
    odd = env.model_copy(update={"payload": base64.b64encode(b"{nope").decode()})
    with pytest.raises(MalformedSignatureError, match="not JSON"):
        _ = odd.statement


def test_signed_non_statement_payload_is_refused(manifest_file: Path) -> None:
    keys = generate_keypair()
    signer = signing.KeySigner(keys.private_key)
    body = b'{"_type": "something else"}'
    env = DsseEnvelope(
        payload_type=signing.IN_TOTO_PAYLOAD_TYPE,
        payload=base64.b64encode(body).decode(),
        signatures=(
            DsseSignature(
                keyid=f"ed25519:{signer.key_id}",
                sig=base64.b64encode(signer.sign(pae(signing.IN_TOTO_PAYLOAD_TYPE, body))).decode(),
            ),
        ),
    )
    with pytest.raises(MalformedSignatureError, match="not a dataset-manifest statement"):
        verify_manifest_signature(manifest_file, env, keys.public_key)


def test_only_valid_manifests_are_signed(tmp_path: Path) -> None:
    p = tmp_path / "m.yaml"
    p.write_text("datasets: []\nfiles: []\n")
    with pytest.raises(SchemaValidationError):
        sign_manifest(p, generate_keypair().private_key)


def test_tampered_payload_when_manifest_unreadable(manifest_file: Path) -> None:
    keys = generate_keypair()
    env = sign_manifest(manifest_file, keys.private_key)
    manifest_file.write_text("not: [a manifest\n")
    edited = _with_sig(env, base64.b64encode(b"\x00" * 64).decode())
    with pytest.raises(TamperedPayloadError):
        verify_manifest_signature(manifest_file, edited, keys.public_key)


# --- seams --------------------------------------------------------------------------------


class HmacSigner:
    """Test double for Signer/Verifier: HMAC-SHA512 under a shared secret (64-byte tags)."""

    def __init__(self, secret: bytes) -> None:
        self.secret = secret

    @property
    def algorithm(self) -> SignatureAlgorithm:
        return "ed25519"

    @property
    def key_id(self) -> str:
        return hashlib.sha256(self.secret).hexdigest()

    def sign(self, data: bytes) -> bytes:
        return hmac.new(self.secret, data, "sha512").digest()

    def verify(self, signature: bytes, data: bytes) -> bool:
        return hmac.compare_digest(signature, self.sign(data))


def test_signer_and_verifier_protocols_accept_doubles(manifest_file: Path) -> None:
    double = HmacSigner(b"secret")
    assert isinstance(double, signing.Signer)
    assert isinstance(double, signing.Verifier)
    env = sign_manifest(manifest_file, double)
    assert verify_manifest_signature(manifest_file, env, double).key_id == double.key_id
    with pytest.raises(WrongKeyError):
        verify_manifest_signature(manifest_file, env, HmacSigner(b"other"))


# --- keys ---------------------------------------------------------------------------------


@pytest.mark.parametrize("password", [None, b"correct horse"])
def test_key_files_round_trip(tmp_path: Path, keys: KeyPair, password: bytes | None) -> None:
    priv, pub = tmp_path / "key.pem", tmp_path / "key.pub.pem"
    save_private_key(keys.private_key, priv, password=password)
    save_public_key(keys.public_key, pub)
    assert stat.S_IMODE(priv.stat().st_mode) == 0o600
    loaded = load_private_key(priv, password=password)
    assert signing.key_fingerprint(loaded.public_key()) == keys.key_id
    assert signing.key_fingerprint(load_public_key(pub)) == keys.key_id
    priv.chmod(0o644)
    save_private_key(keys.private_key, priv, password=password)  # overwrite tightens the mode
    assert stat.S_IMODE(priv.stat().st_mode) == 0o600


def test_key_loading_errors(tmp_path: Path) -> None:
    keys = generate_keypair()
    priv = tmp_path / "key.pem"
    save_private_key(keys.private_key, priv, password=b"pw")
    with pytest.raises(ParseError, match="check the password"):
        load_private_key(priv, password=b"wrong")
    with pytest.raises(InputError) as info:
        load_private_key(priv)
    assert info.value.field == "password"
    (tmp_path / "junk.pem").write_text("hello")
    with pytest.raises(ParseError, match="not a PEM PRIVATE KEY"):
        load_private_key(tmp_path / "junk.pem")
    with pytest.raises(ParseError, match="not a PEM PUBLIC KEY"):
        load_public_key(tmp_path / "junk.pem")
    (tmp_path / "bad.pem").write_text(
        "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n"
    )
    with pytest.raises(ParseError, match="cannot read the public key"):
        load_public_key(tmp_path / "bad.pem")
    with pytest.raises(FileAccessError, match=r"No such file"):
        save_private_key(keys.private_key, tmp_path / "no" / "dir" / "k.pem")


def test_unsupported_keys_are_refused(tmp_path: Path) -> None:
    from cryptography.hazmat.primitives.asymmetric import ec, rsa

    rsa_key = rsa.generate_private_key(public_exponent=65537, key_size=1024)
    with pytest.raises(ConfigError, match="unsupported key type"):
        signing.KeySigner(rsa_key)  # type: ignore[arg-type]
    p384 = ec.generate_private_key(ec.SECP384R1())
    with pytest.raises(ConfigError, match="secp384r1 is not supported"):
        signing.KeySigner(p384)
    with pytest.raises(ConfigError, match="unknown algorithm"):
        generate_keypair("rsa")  # type: ignore[arg-type]
    from cryptography.hazmat.primitives import serialization

    (tmp_path / "rsa.pem").write_bytes(
        rsa_key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    with pytest.raises(ConfigError):
        load_private_key(tmp_path / "rsa.pem")


def test_missing_extra_names_the_install_command(
    manifest_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "cryptography", None)
    with pytest.raises(MissingDependencyError, match=r"openmodel-gov\[sign\]"):
        generate_keypair()


def test_signature_errors_share_a_base() -> None:
    for cls in (
        WrongKeyError,
        TamperedManifestError,
        TamperedPayloadError,
        MalformedSignatureError,
        AlgorithmMismatchError,
        InvalidSignatureError,
    ):
        assert issubclass(cls, SignatureError)
        assert issubclass(cls, ValueError)


def test_public_names() -> None:
    for name in signing.__all__:
        assert getattr(signing, name) is not None


def test_non_canonical_base64_padding_bits(manifest_file: Path) -> None:
    keys = generate_keypair("ed25519")
    env = sign_manifest(manifest_file, keys.private_key)
    text = env.signatures[0].sig
    assert text.endswith("==")
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
    odd = alphabet[alphabet.index(text[-3]) | 1]  # same bytes, non-zero padding bits
    edited = _with_sig(env, text[:-3] + odd + "==")
    assert base64.b64decode(edited.signatures[0].sig) == base64.b64decode(text)
    with pytest.raises(MalformedSignatureError, match="re-encoded"):
        verify_manifest_signature(manifest_file, edited, keys.public_key)


def test_signed_statement_with_odd_subjects_does_not_verify(manifest_file: Path) -> None:
    keys = generate_keypair()
    signer = signing.KeySigner(keys.private_key)
    statement = {
        "_type": "https://in-toto.io/Statement/v1",
        "subject": ["manifest.yaml", "dataset-snapshot"],
        "predicateType": signing.PREDICATE_TYPE,
        "predicate": {"signature_algorithm": "ed25519"},
    }
    body = json.dumps(statement).encode()
    env = DsseEnvelope(
        payload_type=signing.IN_TOTO_PAYLOAD_TYPE,
        payload=base64.b64encode(body).decode(),
        signatures=(
            DsseSignature(
                keyid=f"ed25519:{signer.key_id}",
                sig=base64.b64encode(signer.sign(pae(signing.IN_TOTO_PAYLOAD_TYPE, body))).decode(),
            ),
        ),
    )
    with pytest.raises(TamperedManifestError, match="signed sha256 None"):
        verify_manifest_signature(manifest_file, env, keys.public_key)


_PROPERTY_KEYS = generate_keypair()


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(position=st.integers(min_value=0), replacement=st.characters(codec="ascii"))
def test_any_edit_of_the_envelope_text_is_rejected_or_harmless(
    position: int, replacement: str
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "m.json"
        DatasetManifest(
            datasets=(DatasetEntry(name="d", version="1", source_kind="other", license="MIT"),),
            files=(FileEntry(path="a", size=1, sha256="0" * 64),),
        ).save(path)
        text = sign_manifest(path, _PROPERTY_KEYS.private_key).to_json()
        index = position % len(text)
        edited = text[:index] + replacement + text[index + 1 :]
        env_path = Path(folder) / "env.json"
        env_path.write_text(edited)
        try:
            check = verify_manifest_signature(path, env_path, _PROPERTY_KEYS.public_key)
        except SignatureError:
            return
        # Accepted: the edit changed nothing that is signed (JSON whitespace, or a same char).
        original = json.loads(text)
        assert json.loads(edited)["payload"] == original["payload"]
        assert json.loads(edited)["signatures"][0]["sig"] == original["signatures"][0]["sig"]
        assert check.ok


# --- reproducers from the attack run (issue 20): typed errors only ---------------------------


def test_payload_type_with_a_lone_surrogate_is_malformed(manifest_file: Path) -> None:
    pair = generate_keypair()
    env = sign_manifest(manifest_file, pair.private_key).to_dict()
    env["payloadType"] = "application/\ud800"
    with pytest.raises(MalformedSignatureError, match="payloadType"):
        verify_manifest_signature(manifest_file, env, pair.public_key)
    raw = json.dumps(env)  # ASCII with a \ud800 escape, as an attacker would write it
    path = manifest_file.with_name("env.json")
    path.write_text(raw)
    with pytest.raises(MalformedSignatureError):
        verify_manifest_signature(manifest_file, path, pair.public_key)
    with pytest.raises(MalformedSignatureError, match="UTF-8"):
        signing.pae("\udfff", b"x")


def test_pem_key_with_an_unknown_algorithm_is_a_parse_error(tmp_path: Path) -> None:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import dsa

    der_key = dsa.generate_private_key(key_size=1024)
    priv = tmp_path / "dsa.key"
    priv.write_bytes(
        der_key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    pub = tmp_path / "dsa.pub"
    pub.write_bytes(
        der_key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    )
    for loader, path in ((load_private_key, priv), (load_public_key, pub)):
        with pytest.raises(InputError):
            loader(path)
    # An algorithm OID cryptography does not know at all: UnsupportedAlgorithm inside.
    body = base64.b64decode(b"".join(pub.read_bytes().splitlines()[1:-1]))
    oid = bytes.fromhex("2a8648ce380401")  # id-dsa
    odd = body.replace(oid, bytes.fromhex("2b0601040182aa7b01"[: len(oid) * 2]))
    pub.write_bytes(
        b"-----BEGIN PUBLIC KEY-----\n" + base64.encodebytes(odd) + b"-----END PUBLIC KEY-----\n"
    )
    with pytest.raises(InputError):
        load_public_key(pub)
