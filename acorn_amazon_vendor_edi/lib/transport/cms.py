"""The CMS (PKCS#7) pieces AS2 needs: detached signatures, enveloped (encrypted) and compressed
data, read and written with asn1crypto (MIT) on top of cryptography's primitives.

Why not cryptography's ``pkcs7`` module alone: the pinned cryptography (42.0.8, Odoo 18's pin)
signs but neither verifies, encrypts nor decrypts (``PKCS7EnvelopeBuilder`` came in 43 and
decryption in 44), and its signer refuses SHA-1, which some AS2 partners still ask for.
pyas2lib is GPL-3.0, not usable from an LGPL-3 addon; oscrypto is unmaintained since 2022.
Compatibility with OpenSSL (``openssl cms``) both ways is checked by the tests.
"""
import contextlib
import datetime
import os
import zlib

from asn1crypto import algos, cms, core
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, padding, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.asymmetric import padding as asym_padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from .identity import load_private_key

HASHES = {
    "sha1": hashes.SHA1,
    "sha224": hashes.SHA224,
    "sha256": hashes.SHA256,
    "sha384": hashes.SHA384,
    "sha512": hashes.SHA512,
}
ENCRYPTIONS = {
    # name: (asn1crypto algorithm, key bytes)
    "aes128_cbc": ("aes128_cbc", 16),
    "aes192_cbc": ("aes192_cbc", 24),
    "aes256_cbc": ("aes256_cbc", 32),
    "tripledes_cbc": ("tripledes_3key", 24),
}


class CmsError(ValueError):
    """``code`` is the AS2 disposition the failure calls for (``decryption-failed``,
    ``authentication-failed``, ``integrity-check-failed``, ``unexpected-processing-error``)."""

    def __init__(self, message, code):
        super().__init__(message)
        self.code = code


def hash_name(name):
    """``sha-256``, ``SHA256``, ``sha256`` -> ``sha256``."""
    key = (name or "").strip().lower().replace("-", "").replace("_", "")
    if key not in HASHES:
        raise CmsError(f"Unsupported hash algorithm {name!r}.", "unexpected-processing-error")
    return key


def digest(data, name):
    h = hashes.Hash(HASHES[hash_name(name)]())
    h.update(data)
    return h.finalize()


def load_certificate(pem):
    data = pem.encode() if isinstance(pem, str) else pem
    if b"-----BEGIN" in data:
        return x509.load_pem_x509_certificate(data)
    return x509.load_der_x509_certificate(data)


def _asn1_cert(cert):
    return asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))


def _describe(cert):
    try:
        cn = cert.subject.get_attributes_for_oid(x509.NameOID.COMMON_NAME)
        name = cn[0].value if cn else cert.subject.rfc4514_string()
    except Exception:  # noqa: BLE001 - only for a message
        name = "?"
    return f"'{name}' (serial {cert.serial_number:x})"


def _sid_matches(sid, cert):
    """Does a CMS SignerIdentifier / RecipientIdentifier name this certificate?"""
    ours = _asn1_cert(cert)
    if sid.name == "issuer_and_serial_number":
        return (sid.chosen["serial_number"].native == ours.serial_number
                and sid.chosen["issuer"] == ours.issuer)
    if sid.name == "subject_key_identifier":
        return sid.chosen.native == ours.key_identifier
    return False


# --------------------------------------------------------------------------- signatures

def sign_detached(data, key_pem, cert_pem, hash_alg="sha256", signing_time=None):
    """A detached CMS SignedData (DER) over ``data`` exactly as given (binary, no
    canonicalization), with contentType, signingTime and messageDigest signed attributes."""
    alg = hash_name(hash_alg)
    key = load_private_key(key_pem)
    cert = load_certificate(cert_pem)
    when = signing_time or datetime.datetime.now(datetime.UTC).replace(microsecond=0)
    attrs = [
        cms.CMSAttribute({"type": "content_type", "values": ["data"]}),
        cms.CMSAttribute({"type": "signing_time",
                          "values": [cms.Time({"utc_time": core.UTCTime(when)})]}),
        cms.CMSAttribute({"type": "message_digest", "values": [digest(data, alg)]}),
    ]
    # DER: the elements of a SET OF in the order of their encodings (OpenSSL re-encodes them
    # so when verifying, so an unsorted set would not verify there).
    attrs.sort(key=lambda attr: attr.dump())
    signed_attrs = cms.CMSAttributes(attrs)
    to_sign = signed_attrs.dump()
    if isinstance(key, rsa.RSAPrivateKey):
        signature = key.sign(to_sign, asym_padding.PKCS1v15(), HASHES[alg]())
        sig_alg = "rsassa_pkcs1v15"
    elif isinstance(key, ec.EllipticCurvePrivateKey):
        signature = key.sign(to_sign, ec.ECDSA(HASHES[alg]()))
        sig_alg = f"{alg}_ecdsa"
    else:
        raise CmsError("AS2 signing needs an RSA or EC key.", "unexpected-processing-error")
    ours = _asn1_cert(cert)
    signer = cms.SignerInfo({
        "version": "v1",
        "sid": cms.SignerIdentifier({"issuer_and_serial_number": cms.IssuerAndSerialNumber({
            "issuer": ours.issuer, "serial_number": ours.serial_number})}),
        "digest_algorithm": algos.DigestAlgorithm({"algorithm": alg}),
        "signed_attrs": signed_attrs,
        "signature_algorithm": algos.SignedDigestAlgorithm({"algorithm": sig_alg}),
        "signature": signature,
    })
    signed = cms.SignedData({
        "version": "v1",
        "digest_algorithms": [algos.DigestAlgorithm({"algorithm": alg})],
        "encap_content_info": {"content_type": "data"},
        "certificates": [ours],
        "signer_infos": [signer],
    })
    return cms.ContentInfo({"content_type": "signed_data", "content": signed}).dump()


def verify_detached(data, signature_der, cert_pem):
    """Check a detached CMS signature over ``data`` against the partner's certificate (never
    the one the message carries). Returns the digest algorithm name (``sha256``)."""
    try:
        return _verify_detached(data, signature_der, cert_pem)
    except CmsError:
        raise
    except Exception as exc:  # noqa: BLE001 - asn1crypto parses lazily: any damage lands here
        raise CmsError("The signature is damaged and cannot be read.",
                       "authentication-failed") from exc


def _verify_detached(data, signature_der, cert_pem):
    cert = load_certificate(cert_pem)
    try:
        info = cms.ContentInfo.load(signature_der)
        if info["content_type"].native != "signed_data":
            raise ValueError("not signed data")
        signed = info["content"]
        signers = list(signed["signer_infos"])
    except (ValueError, TypeError, KeyError) as exc:
        raise CmsError("The signature is not a readable CMS/PKCS#7 signature.",
                       "authentication-failed") from exc
    signer = next((s for s in signers if _sid_matches(s["sid"], cert)), None)
    if signer is None:
        embedded = []
        for choice in signed["certificates"] or []:
            if choice.name == "certificate":
                with contextlib.suppress(ValueError):
                    embedded.append(_describe(x509.load_der_x509_certificate(
                        choice.chosen.dump())))
        by = f" by {', '.join(embedded)}" if embedded else ""
        raise CmsError(
            f"The message is signed{by}, not with the partner's certificate {_describe(cert)}.",
            "authentication-failed")
    alg = signer["digest_algorithm"]["algorithm"].native
    if alg not in HASHES:
        raise CmsError(f"Unsupported signature hash {alg!r}.", "authentication-failed")
    content_digest = digest(data, alg)
    signed_attrs = signer["signed_attrs"]
    if signed_attrs and len(signed_attrs):
        wanted = None
        for attr in signed_attrs:
            if attr["type"].native == "message_digest":
                wanted = attr["values"][0].native
        if wanted is None:
            raise CmsError("The signature has no message digest.", "authentication-failed")
        if wanted != content_digest:
            raise CmsError("The content does not match its signature: it was altered on the"
                           " way.", "integrity-check-failed")
        to_verify = b"\x31" + signed_attrs.dump()[1:]
    else:
        to_verify = data
    signature = signer["signature"].native
    public_key = cert.public_key()
    sig_algo = signer["signature_algorithm"].signature_algo
    try:
        if isinstance(public_key, rsa.RSAPublicKey):
            if sig_algo == "rsassa_pss":
                params = signer["signature_algorithm"]["parameters"]
                pad = asym_padding.PSS(
                    mgf=asym_padding.MGF1(HASHES[params["mask_gen_algorithm"]["parameters"][
                        "algorithm"].native]()),
                    salt_length=params["salt_length"].native)
                public_key.verify(signature, to_verify, pad, HASHES[alg]())
            else:
                public_key.verify(signature, to_verify, asym_padding.PKCS1v15(), HASHES[alg]())
        elif isinstance(public_key, ec.EllipticCurvePublicKey):
            public_key.verify(signature, to_verify, ec.ECDSA(HASHES[alg]()))
        else:
            raise CmsError("Unsupported signing key type.", "authentication-failed")
    except InvalidSignature as exc:
        if signed_attrs and len(signed_attrs):
            raise CmsError("The signature does not verify with the partner's certificate"
                           f" {_describe(cert)}.", "authentication-failed") from exc
        raise CmsError("The content does not match its signature: it was altered on the way.",
                       "integrity-check-failed") from exc
    return alg


# --------------------------------------------------------------------------- encryption

def encrypt(data, cert_pem, algorithm="aes256_cbc"):
    """CMS EnvelopedData (DER) of ``data`` for the holder of ``cert_pem`` (RSA key transport,
    PKCS#1 v1.5, as AS2 partners expect)."""
    if algorithm not in ENCRYPTIONS:
        raise CmsError(f"Unsupported encryption {algorithm!r}: use one of"
                       f" {', '.join(ENCRYPTIONS)}.", "unexpected-processing-error")
    asn1_name, key_len = ENCRYPTIONS[algorithm]
    cert = load_certificate(cert_pem)
    public_key = cert.public_key()
    if not isinstance(public_key, rsa.RSAPublicKey):
        raise CmsError("AS2 encryption needs the partner's RSA certificate.",
                       "unexpected-processing-error")
    cek = os.urandom(key_len)
    if asn1_name.startswith("aes"):
        iv = os.urandom(16)
        cipher, block = algorithms.AES(cek), 128
    else:
        iv = os.urandom(8)
        cipher, block = algorithms.TripleDES(cek), 64
    padder = padding.PKCS7(block).padder()
    padded = padder.update(data) + padder.finalize()
    encryptor = Cipher(cipher, modes.CBC(iv)).encryptor()
    encrypted = encryptor.update(padded) + encryptor.finalize()
    ours = _asn1_cert(cert)
    recipient = cms.RecipientInfo(name="ktri", value=cms.KeyTransRecipientInfo({
        "version": "v0",
        "rid": cms.RecipientIdentifier(name="issuer_and_serial_number",
                                       value=cms.IssuerAndSerialNumber({
                                           "issuer": ours.issuer,
                                           "serial_number": ours.serial_number})),
        "key_encryption_algorithm": cms.KeyEncryptionAlgorithm({"algorithm": "rsaes_pkcs1v15"}),
        "encrypted_key": public_key.encrypt(cek, asym_padding.PKCS1v15()),
    }))
    enveloped = cms.EnvelopedData({
        "version": "v0",
        "recipient_infos": [recipient],
        "encrypted_content_info": cms.EncryptedContentInfo({
            "content_type": "data",
            "content_encryption_algorithm": cms.EncryptionAlgorithm({
                "algorithm": asn1_name, "parameters": core.OctetString(iv)}),
            "encrypted_content": encrypted,
        }),
    })
    return cms.ContentInfo({"content_type": "enveloped_data", "content": enveloped}).dump()


def decrypt(der, key_pem, cert_pem):
    """The content of a CMS EnvelopedData encrypted for our certificate."""
    try:
        return _decrypt(der, key_pem, cert_pem)
    except CmsError:
        raise
    except Exception as exc:  # noqa: BLE001 - asn1crypto parses lazily: any damage lands here
        raise CmsError("The message cannot be decrypted: it was damaged on the way.",
                       "decryption-failed") from exc


def _decrypt(der, key_pem, cert_pem):
    cert = load_certificate(cert_pem)
    try:
        info = cms.ContentInfo.load(der)
        if info["content_type"].native != "enveloped_data":
            raise ValueError(info["content_type"].native)
        enveloped = info["content"]
        recipients = list(enveloped["recipient_infos"])
    except (ValueError, TypeError, KeyError) as exc:
        raise CmsError("The message is not readable CMS/PKCS#7 encrypted data.",
                       "decryption-failed") from exc
    mine = next((r.chosen for r in recipients
                 if r.name == "ktri" and _sid_matches(r.chosen["rid"], cert)), None)
    if mine is None:
        raise CmsError(
            f"The message is encrypted for another certificate, not ours {_describe(cert)}:"
            " the partner must encrypt with our current certificate.", "decryption-failed")
    key = load_private_key(key_pem)
    key_alg = mine["key_encryption_algorithm"]
    try:
        if key_alg["algorithm"].native == "rsaes_oaep":
            params = key_alg["parameters"]
            hash_alg = HASHES[params["hash_algorithm"]["algorithm"].native]
            pad = asym_padding.OAEP(mgf=asym_padding.MGF1(hash_alg()), algorithm=hash_alg(),
                                    label=None)
        else:
            pad = asym_padding.PKCS1v15()
        cek = key.decrypt(mine["encrypted_key"].native, pad)
        content_info = enveloped["encrypted_content_info"]
        alg = content_info["content_encryption_algorithm"]
        cipher_name = alg.encryption_cipher
        iv = alg.encryption_iv
        if cipher_name == "aes":
            cipher, block = algorithms.AES(cek), 128
        elif cipher_name == "tripledes":
            cipher, block = algorithms.TripleDES(cek), 64
        else:
            raise CmsError(f"Unsupported encryption {alg['algorithm'].native!r}.",
                           "decryption-failed")
        encrypted = content_info["encrypted_content"].native
        decryptor = Cipher(cipher, modes.CBC(iv)).decryptor()
        padded = decryptor.update(encrypted) + decryptor.finalize()
        unpadder = padding.PKCS7(block).unpadder()
        return unpadder.update(padded) + unpadder.finalize()
    except CmsError:
        raise
    except (ValueError, TypeError, KeyError) as exc:
        raise CmsError("The message cannot be decrypted with our key: it was damaged on the"
                       " way or encrypted with another key.", "decryption-failed") from exc


# --------------------------------------------------------------------------- compression

def compress(data):
    """CMS CompressedData (RFC 3274, zlib) of ``data``."""
    compressed = cms.CompressedData({
        "version": "v0",
        "compression_algorithm": cms.CompressionAlgorithm({"algorithm": "zlib"}),
        "encap_content_info": {"content_type": "data",
                               "content": core.ParsableOctetString(zlib.compress(data))},
    })
    return cms.ContentInfo({"content_type": "compressed_data", "content": compressed}).dump()


def decompress(der):
    try:
        info = cms.ContentInfo.load(der)
        if info["content_type"].native != "compressed_data":
            raise ValueError(info["content_type"].native)
        return info["content"].decompressed
    except Exception as exc:  # noqa: BLE001 - lazily parsed, damaged anywhere
        raise CmsError("The compressed content cannot be read.",
                       "unexpected-processing-error") from exc


def content_type_of(der):
    """``enveloped_data``, ``signed_data``, ``compressed_data``... of a CMS blob, or None."""
    try:
        return cms.ContentInfo.load(der)["content_type"].native
    except (ValueError, TypeError, KeyError):
        return None
