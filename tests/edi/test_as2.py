"""AS2: our messages against the loopback AS2 server, and against OpenSSL both ways."""
import datetime
import hashlib
import logging
import shutil
import socket
import subprocess

import pytest

from odoo.addons.acorn_amazon_vendor_edi.lib.transport import (
    EdiTransportError,
    LoopbackAs2Server,
    build_mdn,
    build_message,
    certificate_warnings,
    make_test_identity,
    parse_incoming,
    read_mdn,
    send,
    send_message,
)
from odoo.addons.acorn_amazon_vendor_edi.lib.transport import as2 as as2_module

X12 = b"ISA*00*          *00*          *ZZ*VENDOR         *ZZ*AMAZON         *~\r\nGS*PR~\r\n"
needs_openssl = pytest.mark.skipif(shutil.which("openssl") is None, reason="no openssl binary")


@pytest.fixture(scope="module")
def ids():
    return {
        "vendor": make_test_identity("vendor.example"),
        "amazon": make_test_identity("amazon.example"),
        "stranger": make_test_identity("stranger.example"),
    }


@pytest.fixture()
def amazon(ids):
    """Amazon's endpoint: knows the vendor's certificate, wants signed + encrypted."""
    handled = []
    server = LoopbackAs2Server(
        lambda payload, filename, headers: handled.append((payload, filename)),
        ids["amazon"].key_pem, ids["amazon"].cert_pem, ids["vendor"].cert_pem,
        as2_id="AMAZON", partner_as2_id="VENDOR")
    server.handled = handled
    with server:
        yield server


def vendor_send(server, ids, payload=X12, filename="855_1.edi", **kwargs):
    return send(server.url, payload, filename, "VENDOR", "AMAZON", ids["vendor"].key_pem,
                ids["vendor"].cert_pem, ids["amazon"].cert_pem, timeout=10, **kwargs)


def vendor_build(ids, **kwargs):
    return build_message(X12, "855_1.edi", "VENDOR", "AMAZON", ids["vendor"].key_pem,
                         ids["vendor"].cert_pem, ids["amazon"].cert_pem, **kwargs)


def run(args, **kwargs):
    return subprocess.run(["openssl", *args], capture_output=True, check=False, **kwargs)


def write_identity(tmp_path, identity, name):
    (tmp_path / f"{name}.key").write_text(identity.key_pem)
    (tmp_path / f"{name}.crt").write_text(identity.cert_pem)
    return str(tmp_path / f"{name}.key"), str(tmp_path / f"{name}.crt")


# --------------------------------------------------------------------------- round trips

def test_round_trip_signed_encrypted_with_verified_mdn(amazon, ids):
    receipt = vendor_send(amazon, ids)
    assert amazon.handled == [(X12, "855_1.edi")]
    assert receipt.mdn.ok and receipt.mdn.signed and receipt.mdn.modifier is None
    assert receipt.mdn.original_message_id == receipt.message_id
    assert receipt.mdn.mic == receipt.mic and receipt.mic.endswith(", sha-256")
    assert receipt.warnings == []
    assert amazon.mdns == [(receipt.message_id, "processed")]


@pytest.mark.parametrize("options", [
    {"compress": True},
    {"mic_alg": "sha1"},
    {"mic_alg": "sha512"},
    {"encryption": "aes128_cbc"},
    {"encryption": "tripledes_cbc"},
])
def test_round_trip_variants(amazon, ids, options):
    payload = X12 * 50 + bytes(range(256))  # binary content survives untouched
    receipt = vendor_send(amazon, ids, payload=payload, **options)
    assert amazon.handled == [(payload, "855_1.edi")]
    assert receipt.mdn.mic == receipt.mic


def test_unsigned_or_unencrypted_messages_when_the_partnership_allows(ids):
    handled = []
    with LoopbackAs2Server(lambda p, f, h: handled.append(p), ids["amazon"].key_pem,
                           ids["amazon"].cert_pem, ids["vendor"].cert_pem,
                           require_signature=False, require_encryption=False) as server:
        for sign, encrypt in ((True, False), (False, True), (False, False)):
            receipt = vendor_send(server, ids, sign=sign, encrypt=encrypt)
            assert receipt.mdn.mic == receipt.mic
    assert handled == [X12, X12, X12]
    # Unsigned and unencrypted: the MIC is over the bare content (RFC 4130 7.3.1).
    *_, mic = vendor_build(ids, sign=False, encrypt=False)
    assert mic == as2_module.format_mic(hashlib.sha256(X12).digest(), "sha256")


def test_security_below_the_partnership_is_refused(amazon, ids):
    with pytest.raises(EdiTransportError) as err:
        vendor_send(amazon, ids, encrypt=False)
    assert err.value.kind == "refused"
    assert err.value.details.code == "insufficient-message-security"
    assert "signed and encrypted" in str(err.value)
    assert amazon.handled == []


# --------------------------------------------------------------------------- refusals

def test_tampered_signed_message_gets_an_error_mdn(ids):
    with LoopbackAs2Server(lambda p, f, h: None, ids["amazon"].key_pem,
                           ids["amazon"].cert_pem, ids["vendor"].cert_pem,
                           require_encryption=False) as server:
        headers, body, message_id, mic = vendor_build(ids, encrypt=False)
        tampered = body.replace(b"GS*PR", b"GS*PX")
        assert tampered != body
        with pytest.raises(EdiTransportError) as err:
            send_message(server.url, headers, tampered, message_id, mic,
                         ids["amazon"].cert_pem, timeout=10)
    assert err.value.kind == "refused"
    mdn = err.value.details
    assert mdn.signed and mdn.code == "integrity-check-failed"
    assert mdn.original_message_id == message_id
    assert "changed on the way" in str(err.value)
    assert server.received == []


def test_tampered_encrypted_message_gets_an_error_mdn(amazon, ids):
    headers, body, message_id, mic = vendor_build(ids)
    middle = len(body) // 2
    tampered = body[:middle] + bytes([body[middle] ^ 0xFF]) + body[middle + 1:]
    with pytest.raises(EdiTransportError) as err:
        send_message(amazon.url, headers, tampered, message_id, mic, ids["amazon"].cert_pem,
                     timeout=10)
    assert err.value.kind == "refused"
    assert err.value.details.code in (
        "decryption-failed", "integrity-check-failed", "authentication-failed")
    assert amazon.handled == []


def test_signature_from_another_certificate_is_refused(ids):
    # Amazon holds a stale certificate for the vendor: our signature cannot be verified.
    with LoopbackAs2Server(lambda p, f, h: None, ids["amazon"].key_pem,
                           ids["amazon"].cert_pem, ids["stranger"].cert_pem) as server:
        with pytest.raises(EdiTransportError) as err:
            vendor_send(server, ids)
    assert err.value.kind == "refused"
    assert err.value.details.code == "authentication-failed"
    assert "could not verify our signature" in str(err.value)


def test_encrypted_for_the_wrong_certificate_is_refused(amazon, ids):
    with pytest.raises(EdiTransportError) as err:
        send(amazon.url, X12, "855.edi", "VENDOR", "AMAZON", ids["vendor"].key_pem,
             ids["vendor"].cert_pem, ids["stranger"].cert_pem, timeout=10)
    # The MDN is signed by Amazon, which we do not trust as "stranger": refused as untrusted.
    assert err.value.kind == "mdn"
    headers, body, message_id, mic = build_message(
        X12, "855.edi", "VENDOR", "AMAZON", ids["vendor"].key_pem, ids["vendor"].cert_pem,
        ids["stranger"].cert_pem)
    with pytest.raises(EdiTransportError) as err:
        send_message(amazon.url, headers, body, message_id, mic, ids["amazon"].cert_pem,
                     timeout=10)
    assert err.value.kind == "refused" and err.value.details.code == "decryption-failed"
    assert "could not decrypt" in str(err.value)


def test_mdn_signed_by_someone_else_is_not_trusted(amazon, ids):
    headers, body, message_id, mic = vendor_build(ids)
    with pytest.raises(EdiTransportError) as err:
        send_message(amazon.url, headers, body, message_id, mic, ids["stranger"].cert_pem,
                     timeout=10)
    assert err.value.kind == "mdn"
    assert "not the partner's" in str(err.value)
    assert err.value.may_have_arrived  # Amazon did process it: never resend blindly


class TamperingServer(LoopbackAs2Server):
    """An endpoint whose MDN confirms something else (MIC or message id)."""

    mic_override = None
    id_override = None
    unsigned = False

    def _mdn(self, headers, message_id, as2_from, as2_to, mic, error=None):
        status, mdn_headers, body = super()._mdn(
            headers, self.id_override or message_id, as2_from, as2_to,
            self.mic_override or mic, error)
        if self.unsigned:
            mdn_headers, body = build_mdn(self.id_override or message_id, "AMAZON", "VENDOR",
                                          mic, sign=False)
        return status, mdn_headers, body


def tampering_server(ids, **attrs):
    server = TamperingServer(lambda p, f, h: None, ids["amazon"].key_pem,
                             ids["amazon"].cert_pem, ids["vendor"].cert_pem)
    for name, value in attrs.items():
        setattr(server, name, value)
    return server


def test_mic_mismatch_is_detected(ids):
    wrong = as2_module.format_mic(hashlib.sha256(b"something else").digest(), "sha256")
    with tampering_server(ids, mic_override=wrong) as server:
        with pytest.raises(EdiTransportError) as err:
            vendor_send(server, ids)
    assert err.value.kind == "mic"
    assert wrong in str(err.value) and "not delivered" in str(err.value)


def test_mdn_for_another_message_is_detected(ids):
    with tampering_server(ids, id_override="<other@amazon>") as server:
        with pytest.raises(EdiTransportError) as err:
            vendor_send(server, ids)
    assert err.value.kind == "mdn" and "<other@amazon>" in str(err.value)


def test_unsigned_mdn_is_not_trusted(ids):
    with tampering_server(ids, unsigned=True) as server:
        with pytest.raises(EdiTransportError) as err:
            vendor_send(server, ids)
    assert err.value.kind == "mdn" and "unsigned MDN" in str(err.value)


def test_unknown_as2_id_and_failing_handler(amazon, ids):
    with pytest.raises(EdiTransportError) as err:
        send(amazon.url, X12, "855.edi", "SOMEONE", "AMAZON", ids["vendor"].key_pem,
             ids["vendor"].cert_pem, ids["amazon"].cert_pem, timeout=10)
    assert err.value.details.code == "unknown-trading-partner"
    amazon.handler = lambda p, f, h: 1 / 0
    with pytest.raises(EdiTransportError) as err:
        vendor_send(amazon, ids)
    assert err.value.kind == "refused"
    assert err.value.details.code == "unexpected-processing-error"


def test_unreachable_and_http_errors(amazon, ids):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(EdiTransportError) as err:
        send(f"http://127.0.0.1:{port}/as2", X12, "855.edi", "VENDOR", "AMAZON",
             ids["vendor"].key_pem, ids["vendor"].cert_pem, ids["amazon"].cert_pem, timeout=5)
    assert err.value.kind == "unreachable" and not err.value.may_have_arrived
    with pytest.raises(EdiTransportError) as err:
        send(amazon.url + "-nowhere", X12, "855.edi", "VENDOR", "AMAZON",
             ids["vendor"].key_pem, ids["vendor"].cert_pem, ids["amazon"].cert_pem, timeout=5)
    assert err.value.kind == "http" and "HTTP 404" in str(err.value)


def test_keys_never_reach_the_log(amazon, ids, caplog):
    caplog.set_level(logging.DEBUG)
    vendor_send(amazon, ids)
    with pytest.raises(EdiTransportError):
        vendor_send(amazon, ids, encrypt=False)
    assert "PRIVATE KEY" not in caplog.text
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]


# --------------------------------------------------------------------------- OpenSSL interop

@needs_openssl
def test_openssl_decrypts_and_verifies_our_message(tmp_path, ids):
    amazon_key, amazon_crt = write_identity(tmp_path, ids["amazon"], "amazon")
    _vendor_key, vendor_crt = write_identity(tmp_path, ids["vendor"], "vendor")
    headers, body, _message_id, mic = vendor_build(ids)
    assert headers["Content-Type"].startswith("application/pkcs7-mime")
    (tmp_path / "body.der").write_bytes(body)
    decrypted = run(["cms", "-decrypt", "-binary", "-inform", "DER", "-in",
                     str(tmp_path / "body.der"), "-recip", amazon_crt, "-inkey", amazon_key])
    assert decrypted.returncode == 0, decrypted.stderr
    assert decrypted.stdout.startswith(b"Content-Type: multipart/signed")
    (tmp_path / "signed.mime").write_bytes(decrypted.stdout)
    # OpenSSL's own S/MIME reader (text mode: it canonicalizes line ends to CRLF, which our
    # X12 already uses; in -binary mode OpenSSL 3.0 keeps the CR of the CRLF that RFC 2046
    # assigns to the boundary, so it cannot split standard multipart/signed there).
    for command in ("cms", "smime"):
        verified = run([command, "-verify", "-in", str(tmp_path / "signed.mime"),
                        "-CAfile", vendor_crt, "-purpose", "any"])
        assert verified.returncode == 0, verified.stderr
        assert b"Verification successful" in verified.stderr
        assert verified.stdout.replace(b"\r\n", b"\n").endswith(X12.replace(b"\r\n", b"\n"))
    # The detached signature over the exact bytes of the signed entity, binary mode.
    mime_headers, mime_body = as2_module.split_entity(decrypted.stdout)
    _ctype, params = as2_module.content_type(mime_headers["content-type"])
    entity, signature_part = as2_module.multipart_parts(mime_body, params["boundary"])
    assert entity.endswith(X12) and b'filename="855_1.edi"' in entity
    sig_headers, sig_body = as2_module.split_entity(signature_part)
    (tmp_path / "entity").write_bytes(entity)
    (tmp_path / "sig.der").write_bytes(as2_module._decode_body(sig_headers, sig_body))
    verified = run(["cms", "-verify", "-binary", "-inform", "DER", "-in",
                    str(tmp_path / "sig.der"), "-content", str(tmp_path / "entity"),
                    "-CAfile", vendor_crt, "-purpose", "any", "-out", str(tmp_path / "out")])
    assert verified.returncode == 0, verified.stderr
    assert (tmp_path / "out").read_bytes() == entity
    # OpenSSL's view of the signed content gives the very MIC we expect in the MDN.
    assert mic == as2_module.format_mic(hashlib.sha256(entity).digest(), "sha256")


@needs_openssl
@pytest.mark.parametrize("cipher,outform", [("-aes256", "DER"), ("-aes128", "SMIME"),
                                            ("-des3", "DER")])
def test_we_read_what_openssl_signed_and_encrypted(tmp_path, ids, cipher, outform):
    vendor_key, vendor_crt = write_identity(tmp_path, ids["vendor"], "vendor")
    _amazon_key, amazon_crt = write_identity(tmp_path, ids["amazon"], "amazon")
    entity = (b"Content-Type: application/edi-x12\r\nContent-Transfer-Encoding: binary\r\n"
              b'Content-Disposition: attachment; filename="850_openssl.edi"\r\n\r\n' + X12)
    (tmp_path / "entity").write_bytes(entity)
    signed = run(["cms", "-sign", "-binary", "-in", str(tmp_path / "entity"), "-signer",
                  vendor_crt, "-inkey", vendor_key, "-md", "sha256"])
    assert signed.returncode == 0, signed.stderr
    (tmp_path / "signed").write_bytes(signed.stdout)
    encrypted = run(["cms", "-encrypt", "-binary", cipher, "-in", str(tmp_path / "signed"),
                     "-outform", outform, amazon_crt])
    assert encrypted.returncode == 0, encrypted.stderr
    headers = {"AS2-From": "VENDOR", "AS2-To": "AMAZON", "Message-ID": "<openssl-1@vendor>",
               "Disposition-Notification-To": "VENDOR",
               "Disposition-Notification-Options": "signed-receipt-protocol=optional,"
               " pkcs7-signature; signed-receipt-micalg=optional, sha-256"}
    if outform == "SMIME":
        mime_headers, body = as2_module.split_entity(encrypted.stdout)
        headers.update({"Content-Type": mime_headers["content-type"],
                        "Content-Transfer-Encoding": mime_headers["content-transfer-encoding"]})
    else:
        body = encrypted.stdout
        headers["Content-Type"] = "application/pkcs7-mime; smime-type=enveloped-data"
    incoming = parse_incoming(headers, body, ids["amazon"].key_pem, ids["amazon"].cert_pem,
                              ids["vendor"].cert_pem, require_signature=True,
                              require_encryption=True)
    payload, filename, mic, message_id = incoming
    assert (payload, filename, message_id) == (X12, "850_openssl.edi", "<openssl-1@vendor>")
    assert incoming.signed and incoming.encrypted
    assert mic == as2_module.format_mic(hashlib.sha256(entity).digest(), "sha256")
    # A signature by someone else, through OpenSSL, is refused just the same.
    with pytest.raises(EdiTransportError) as err:
        parse_incoming(headers, body, ids["amazon"].key_pem, ids["amazon"].cert_pem,
                       ids["stranger"].cert_pem)
    assert err.value.kind == "authentication-failed"


@needs_openssl
def test_openssl_oaep_key_transport_is_read(tmp_path, ids):
    _amazon_key, amazon_crt = write_identity(tmp_path, ids["amazon"], "amazon")
    (tmp_path / "entity").write_bytes(b"Content-Type: application/edifact\r\n\r\nUNB+UNOC:3'")
    encrypted = run(["cms", "-encrypt", "-binary", "-aes256", "-in", str(tmp_path / "entity"),
                     "-outform", "DER", "-recip", amazon_crt, "-keyopt",
                     "rsa_padding_mode:oaep"])
    assert encrypted.returncode == 0, encrypted.stderr
    incoming = parse_incoming({"Content-Type": "application/pkcs7-mime;"
                                               " smime-type=enveloped-data"},
                              encrypted.stdout, ids["amazon"].key_pem,
                              ids["amazon"].cert_pem, None)
    assert incoming.payload == b"UNB+UNOC:3'" and not incoming.signed


@needs_openssl
def test_openssl_verifies_our_mdn(tmp_path, ids):
    _amazon_key, amazon_crt = write_identity(tmp_path, ids["amazon"], "amazon")
    headers, body = build_mdn("<m-1@vendor>", "AMAZON", "VENDOR", "abc=, sha-256",
                              our_key_pem=ids["amazon"].key_pem,
                              our_cert_pem=ids["amazon"].cert_pem)
    (tmp_path / "mdn").write_bytes(
        f"Content-Type: {headers['Content-Type']}\r\n\r\n".encode() + body)
    verified = run(["cms", "-verify", "-in", str(tmp_path / "mdn"), "-CAfile",
                    amazon_crt, "-purpose", "any"])
    assert verified.returncode == 0, verified.stderr
    assert b"Original-Message-ID: <m-1@vendor>" in verified.stdout
    mdn = read_mdn(headers, body, ids["amazon"].cert_pem)
    assert mdn.ok and mdn.mic == "abc=, sha-256"


# --------------------------------------------------------------------------- certificates

def test_certificate_warnings():
    now = datetime.datetime.now(datetime.UTC)
    assert certificate_warnings(make_test_identity("fine", days=365).cert_pem, now) == []
    soon = certificate_warnings(make_test_identity("soon", days=10).cert_pem, now)
    assert len(soon) == 1 and "in 9 day(s)" in soon[0] and "'soon'" in soon[0]
    assert certificate_warnings(make_test_identity("soon", days=10).cert_pem, now, days=5) == []
    expired = certificate_warnings(
        make_test_identity("old", days=30, not_before=now - datetime.timedelta(days=60)).cert_pem,
        now)
    assert len(expired) == 1 and "expired on" in expired[0]
    future = certificate_warnings(
        make_test_identity("new", days=365, not_before=now + datetime.timedelta(days=2)).cert_pem,
        now)
    assert len(future) == 1 and "not valid yet" in future[0]


def test_asynchronous_mdn_is_asked_only_for_a_web_address():
    asked = {"Disposition-Notification-To": "ACORN", "Receipt-Delivery-Option":
             " https://as2.example.com/mdn "}
    assert as2_module.mdn_delivery_url(asked) == "https://as2.example.com/mdn"
    assert as2_module.mdn_delivery_url(dict(asked, **{"Receipt-Delivery-Option":
                                               "mailto:edi@example.com"})) is None
    assert as2_module.mdn_delivery_url({"Receipt-Delivery-Option": "https://x/mdn"}) is None, \
        "no MDN asked for at all"
    assert as2_module.mdn_delivery_url({"Disposition-Notification-To": "ACORN"}) is None
