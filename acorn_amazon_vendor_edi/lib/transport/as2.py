"""AS2 (RFC 4130): signed and encrypted EDI over HTTP(S) with a synchronous signed MDN.

Sending: ``build_message`` makes the MIME message (payload entity, optionally compressed,
signed as ``multipart/signed``, encrypted as ``application/pkcs7-mime``) and the MIC that the
partner's MDN must confirm; ``send_message`` posts it and checks the MDN (signature with the
partner's certificate, original message id, disposition, received MIC); ``send`` does both.
A built message can be stored and posted again unchanged: never rebuild one whose fate is
unknown. Receiving: ``parse_incoming`` and ``build_mdn``; a sender that asks for an
asynchronous MDN (``Receipt-Delivery-Option``, ``mdn_delivery_url``) gets an empty HTTP answer
and the same MDN posted later to its URL (``post_mdn``). ``LoopbackAs2Server`` puts both on
127.0.0.1 for the simulator and the tests. CMS work is in ``cms.py``.
"""
import base64
import dataclasses
import datetime
import email.message
import email.parser
import email.policy
import email.utils
import http.server
import ipaddress
import logging
import secrets
import threading
import urllib.parse

import requests

from . import cms
from .errors import EdiTransportError

_logger = logging.getLogger(__name__)

AS2_VERSION = "1.2"
REPORTING_UA = "ACORN for Odoo AS2"
MICALG_NAMES = {"sha1": "sha1", "sha224": "sha-224", "sha256": "sha-256",
                "sha384": "sha-384", "sha512": "sha-512"}
DISPOSITION_WORDS = {
    "authentication-failed": "the partner could not verify our signature: check that it has"
                             " our current certificate",
    "decryption-failed": "the partner could not decrypt the message: check that we encrypt"
                         " with its current certificate",
    "integrity-check-failed": "the content changed on the way (it no longer matches its"
                              " signature)",
    "insufficient-message-security": "the partner requires a higher security level (signed"
                                     " and encrypted messages)",
    "unknown-trading-partner": "the partner does not know our AS2 identifier or its own:"
                               " check the AS2 ids",
    "unexpected-processing-error": "the partner could not process the message",
    "unsupported-format": "the partner does not accept this format",
    "unsupported-mic-algorithms": "the partner does not support the requested MIC algorithm",
    "sender-equals-receiver": "the AS2 sender and receiver are the same",
}


# --------------------------------------------------------------------------- MIME, byte-exact

def _headers_dict(header_bytes):
    parsed = email.parser.BytesHeaderParser(policy=email.policy.compat32).parsebytes(
        header_bytes + b"\r\n\r\n")
    return {k.lower(): " ".join(str(v).split()) for k, v in parsed.items()}


def split_entity(data):
    """``(headers (lowercase names), body)`` of a MIME entity, without touching the body."""
    candidates = [i for i in (data.find(b"\r\n\r\n"), data.find(b"\n\n")) if i >= 0]
    if not candidates:
        return _headers_dict(data), b""
    end = min(candidates)
    sep = 4 if data[end:end + 4] == b"\r\n\r\n" else 2
    return _headers_dict(data[:end]), data[end + sep:]


def content_type(value):
    """``(type/subtype lowercase, params dict with lowercase names)``."""
    msg = email.message.Message()
    msg["content-type"] = value or "text/plain"
    params = {k.lower(): v for k, v in (msg.get_params() or [])[1:]}
    return msg.get_content_type(), params


def _filename(headers):
    msg = email.message.Message()
    if headers.get("content-disposition"):
        msg["content-disposition"] = headers["content-disposition"]
        name = msg.get_param("filename", header="content-disposition")
        if name:
            return email.utils.collapse_rfc2231_value(name)
    _ctype, params = content_type(headers.get("content-type"))
    return params.get("name")


def _decode_body(headers, body):
    encoding = (headers.get("content-transfer-encoding") or "binary").strip().lower()
    if encoding == "base64":
        return base64.b64decode(b"".join(body.split()))
    if encoding == "quoted-printable":
        import quopri
        return quopri.decodestring(body)
    return body


def multipart_parts(body, boundary):
    """The raw entities of a multipart body, exactly as sent (RFC 2046: the line break before
    a delimiter belongs to the delimiter)."""
    delim = b"--" + boundary.encode()
    if body.startswith(delim):
        pos = 0
    else:
        found = body.find(b"\n" + delim)
        if found < 0:
            raise ValueError("multipart boundary not found")
        pos = found + 1
    parts = []
    while True:
        after = pos + len(delim)
        if body[after:after + 2] == b"--":
            break
        line_end = body.find(b"\n", after)
        if line_end < 0:
            raise ValueError("truncated multipart")
        start = line_end + 1
        found = body.find(b"\n" + delim, start)
        if found < 0:
            raise ValueError("multipart without closing delimiter")
        end = found - 1 if found > start and body[found - 1:found] == b"\r" else found
        parts.append(body[start:end])
        pos = found + 1
    return parts


def _b64_lines(data):
    text = base64.b64encode(data)
    return b"\r\n".join(text[i:i + 76] for i in range(0, len(text), 76))


def _quote(value):
    return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"'


def _entity(headers, body):
    lines = b"".join(f"{k}: {v}\r\n".encode() for k, v in headers)
    return lines + b"\r\n" + body


def _guess_content_type(filename, payload):
    head = payload[:3]
    if head == b"ISA":
        return "application/edi-x12"
    if head in (b"UNA", b"UNB"):
        return "application/edifact"
    if (filename or "").lower().endswith(".xml"):
        return "application/xml"
    return "application/octet-stream"


def _sign_entity(entity, key_pem, cert_pem, mic_alg):
    signature = cms.sign_detached(entity, key_pem, cert_pem, mic_alg)
    boundary = "----=_ACORN_" + secrets.token_hex(12)
    sig_part = _entity([
        ("Content-Type", 'application/pkcs7-signature; name="smime.p7s"'),
        ("Content-Transfer-Encoding", "base64"),
        ("Content-Disposition", 'attachment; filename="smime.p7s"'),
    ], _b64_lines(signature))
    b = boundary.encode()
    body = (b"--" + b + b"\r\n" + entity + b"\r\n--" + b + b"\r\n" + sig_part
            + b"\r\n--" + b + b"--\r\n")
    ctype = (f'multipart/signed; protocol="application/pkcs7-signature";'
             f' micalg={MICALG_NAMES[mic_alg]}; boundary="{boundary}"')
    return _entity([("Content-Type", ctype)], body)


def format_mic(mic_bytes, alg):
    return f"{base64.b64encode(mic_bytes).decode()}, {MICALG_NAMES[cms.hash_name(alg)]}"


def mics_equal(left, right):
    def norm(mic):
        value, _, alg = (mic or "").partition(",")
        try:
            return value.strip(), cms.hash_name(alg) if alg.strip() else ""
        except cms.CmsError:
            return value.strip(), alg.strip().lower()
    return bool(left and right) and norm(left) == norm(right)


def _new_message_id(as2_from):
    domain = "".join(ch for ch in (as2_from or "acorn") if ch.isalnum() or ch in "-.") \
        or "acorn"
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%d%H%M%S")
    return f"<ACORN-{stamp}-{secrets.token_hex(8)}@{domain}>"


def _as2_name(value):
    value = str(value)
    return _quote(value) if any(ch in value for ch in ' ",') else value


def _unquote(value):
    value = (value or "").strip()
    if len(value) >= 2 and value[0] == value[-1] == '"':
        return value[1:-1].replace('\\"', '"').replace("\\\\", "\\")
    return value


# --------------------------------------------------------------------------- sending

def build_message(payload, filename, as2_from, as2_to, our_key_pem, our_cert_pem,
                  partner_cert_pem, sign=True, encrypt=True, compress=False, mic_alg="sha256",
                  *, content_type=None, encryption="aes256_cbc", subject=None,
                  message_id=None, request_mdn=True, signed_mdn=True, receipt_url=None):
    """``(http headers, body, message_id, mic)``: one AS2 message ready to post.

    ``mic`` (``"base64, sha-256"``) is what the partner's MDN must return as
    Received-Content-MIC: over the signed entity when signing, else over the entity (when
    encrypting) or the bare payload (RFC 4130 section 7.3.1). ``receipt_url`` asks for the MDN
    asynchronously, posted to that URL."""
    if not isinstance(payload, bytes | bytearray):
        raise EdiTransportError("AS2 payloads are bytes.", "config")
    try:
        mic_alg = cms.hash_name(mic_alg)
    except cms.CmsError as exc:
        raise EdiTransportError(str(exc), "config") from exc
    if sign and not (our_key_pem and our_cert_pem):
        raise EdiTransportError("Signing needs our private key and certificate.", "config")
    if encrypt and not partner_cert_pem:
        raise EdiTransportError("Encrypting needs the partner's certificate.", "config")
    payload = bytes(payload)
    filename = filename or "payload.edi"
    entity = _entity([
        ("Content-Type", content_type or _guess_content_type(filename, payload)),
        ("Content-Transfer-Encoding", "binary"),
        ("Content-Disposition", f"attachment; filename={_quote(filename)}"),
    ], payload)
    if compress:
        entity = _entity([
            ("Content-Type", 'application/pkcs7-mime; smime-type=compressed-data;'
                             ' name="smime.p7z"'),
            ("Content-Transfer-Encoding", "binary"),
            ("Content-Disposition", 'attachment; filename="smime.p7z"'),
        ], cms.compress(entity))
    try:
        if sign:
            mic = format_mic(cms.digest(entity, mic_alg), mic_alg)
            entity = _sign_entity(entity, our_key_pem, our_cert_pem, mic_alg)
        elif encrypt:
            mic = format_mic(cms.digest(entity, mic_alg), mic_alg)
        else:
            mic = format_mic(cms.digest(payload, mic_alg), mic_alg)
        if encrypt:
            entity = _entity([
                ("Content-Type", 'application/pkcs7-mime; smime-type=enveloped-data;'
                                 ' name="smime.p7m"'),
                ("Content-Transfer-Encoding", "binary"),
                ("Content-Disposition", 'attachment; filename="smime.p7m"'),
            ], cms.encrypt(entity, partner_cert_pem, encryption))
    except (cms.CmsError, ValueError) as exc:
        raise EdiTransportError(f"The AS2 message cannot be built: {exc}", "config") from exc
    outer, body = split_entity(entity)
    message_id = message_id or _new_message_id(as2_from)
    headers = {
        "AS2-Version": AS2_VERSION,
        "AS2-From": _as2_name(as2_from),
        "AS2-To": _as2_name(as2_to),
        "Message-ID": message_id,
        "Subject": subject or f"AS2 message {filename}",
        "Date": email.utils.formatdate(usegmt=True),
        "MIME-Version": "1.0",
        "Content-Type": outer["content-type"],
        "Content-Transfer-Encoding": "binary",
    }
    if "content-disposition" in outer:
        headers["Content-Disposition"] = outer["content-disposition"]
    if request_mdn:
        headers["Disposition-Notification-To"] = str(as2_from)
        if signed_mdn:
            headers["Disposition-Notification-Options"] = (
                "signed-receipt-protocol=optional, pkcs7-signature;"
                f" signed-receipt-micalg=optional, {MICALG_NAMES[mic_alg]}")
        if receipt_url:
            headers["Receipt-Delivery-Option"] = str(receipt_url)
    return headers, body, message_id, mic


@dataclasses.dataclass
class Mdn:
    """What a partner's MDN says, read and (when signed) verified."""

    original_message_id: str | None
    disposition: str  # the whole Disposition field
    status: str  # "processed" or "failed"
    modifier: str | None  # "error", "warning", "failure" or None
    code: str | None  # e.g. "decryption-failed"
    mic: str | None  # "base64, sha-256"
    signed: bool
    text: str  # the human-readable part
    fields: dict

    @property
    def ok(self):
        return self.status == "processed" and self.modifier in (None, "warning")

    def plain_words(self):
        if self.ok and self.modifier is None:
            return "The partner processed the message."
        words = DISPOSITION_WORDS.get((self.code or "").lower(), self.code or "no reason given")
        if self.modifier == "warning":
            return f"The partner processed the message with a warning: {words}."
        return f"The partner did not process the message: {words} ({self.disposition})."


@dataclasses.dataclass
class As2Receipt:
    message_id: str
    mic: str
    mdn: Mdn | None
    status_code: int
    warnings: list


def read_mdn(headers, body, partner_cert_pem=None, require_signature=True):
    """An ``Mdn`` from the HTTP answer (or async post) carrying it; its signature is checked
    against the partner's certificate."""
    headers = {k.lower(): v for k, v in headers.items()}
    ctype_value = headers.get("content-type", "")
    entity = _entity([("Content-Type", ctype_value)], _decode_body(headers, body))
    signed = False
    ctype, params = content_type(ctype_value)
    if ctype == "multipart/signed":
        try:
            first, sig_entity = multipart_parts(split_entity(entity)[1], params["boundary"])[:2]
        except (KeyError, ValueError) as exc:
            raise EdiTransportError("The MDN is not a readable signed message.", "mdn") from exc
        sig_headers, sig_body = split_entity(sig_entity)
        if not partner_cert_pem:
            raise EdiTransportError("The partner's certificate is needed to check the MDN.",
                                    "config")
        try:
            cms.verify_detached(first, _decode_body(sig_headers, sig_body), partner_cert_pem)
        except cms.CmsError as exc:
            raise EdiTransportError(
                f"The MDN's signature is not the partner's: {exc} The receipt cannot be"
                " trusted.", "mdn", may_have_arrived=True) from exc
        signed = True
        entity = first
        ctype, params = content_type(split_entity(entity)[0].get("content-type"))
    elif require_signature:
        raise EdiTransportError(
            "The partner answered with an unsigned MDN although a signed one was requested:"
            " the receipt cannot be trusted.", "mdn", may_have_arrived=True)
    report_headers, report_body = split_entity(entity)
    if ctype != "multipart/report" or "boundary" not in params:
        raise EdiTransportError(
            f"The partner's answer is not an MDN ({ctype}).", "mdn", may_have_arrived=True)
    text, fields = "", None
    for part in multipart_parts(report_body, params["boundary"]):
        part_headers, part_body = split_entity(part)
        part_type, _ = content_type(part_headers.get("content-type"))
        decoded = _decode_body(part_headers, part_body)
        if part_type == "message/disposition-notification":
            fields = _headers_dict(decoded.strip())
        elif part_type.startswith("text/") and not text:
            text = decoded.decode("utf-8", "replace").strip()
    if fields is None:
        raise EdiTransportError("The MDN has no disposition notification.", "mdn",
                                may_have_arrived=True)
    disposition = fields.get("disposition", "")
    _mode, _, status_part = disposition.partition(";")
    status, _, rest = status_part.strip().partition("/")
    modifier, _, code = rest.partition(":")
    return Mdn(
        original_message_id=fields.get("original-message-id"),
        disposition=disposition,
        status=status.strip().lower(),
        modifier=modifier.strip().lower() or None,
        code=code.strip() or None,
        mic=fields.get("received-content-mic"),
        signed=signed,
        text=text,
        fields=fields,
    )


def _is_loopback(url):
    host = urllib.parse.urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def send_message(url, headers, body, message_id, mic, partner_cert_pem, *, timeout=60,
                 verify_tls=True, require_signed_mdn=True, auth=None):
    """Post a built message and check the synchronous MDN (none when the message asks for
    an asynchronous one: the receipt's ``mdn`` is then None). Returns an ``As2Receipt``;
    raises ``EdiTransportError`` (``refused`` with the MDN in ``details`` when the partner
    did not process it, ``mic`` when it confirms other content, ``mdn``, ``http``,
    ``timeout``, ``unreachable``)."""
    session = requests.Session()
    session.trust_env = not _is_loopback(url)  # no proxy between us and 127.0.0.1
    try:
        response = session.post(url, data=body, headers=headers, timeout=timeout,
                                verify=verify_tls, auth=auth)
    except requests.exceptions.ConnectTimeout as exc:
        raise EdiTransportError(
            f"The AS2 endpoint {url} did not accept a connection within {timeout:g} seconds.",
            "timeout") from exc
    except requests.exceptions.SSLError as exc:
        raise EdiTransportError(
            f"The TLS certificate of the AS2 endpoint {url} is not trusted: {exc}",
            "protocol") from exc
    except requests.exceptions.ReadTimeout as exc:
        raise EdiTransportError(
            f"The AS2 endpoint {url} received the message but sent no MDN within"
            f" {timeout:g} seconds: it may have been processed, do not resend it before the"
            " partner has been asked.", "timeout", may_have_arrived=True) from exc
    except requests.exceptions.ConnectionError as exc:
        text = str(exc)
        refused = any(word in text for word in (
            "NewConnectionError", "Connection refused", "Name or service not known",
            "Failed to resolve", "No route to host"))
        raise EdiTransportError(
            f"The AS2 endpoint {url} cannot be reached: check the address, the port and the"
            " firewall." if refused else
            f"The connection to the AS2 endpoint {url} broke before the MDN arrived.",
            "unreachable", may_have_arrived=not refused) from exc
    finally:
        session.close()
    if response.status_code >= 300:
        raise EdiTransportError(
            f"The AS2 endpoint {url} answered HTTP {response.status_code}"
            f" {response.reason or ''}".rstrip() + ".", "http",
            may_have_arrived=response.status_code >= 500)
    if mdn_delivery_url(headers):
        return As2Receipt(message_id, mic, None, response.status_code, [])
    if not response.content:
        raise EdiTransportError(
            f"The AS2 endpoint {url} accepted the message but sent no MDN although a"
            " synchronous one was requested.", "mdn", may_have_arrived=True)
    mdn = read_mdn(dict(response.headers), response.content, partner_cert_pem,
                   require_signature=require_signed_mdn)
    if mdn.original_message_id and mdn.original_message_id.strip() != message_id.strip():
        raise EdiTransportError(
            f"The MDN answers message {mdn.original_message_id}, not ours ({message_id}).",
            "mdn", may_have_arrived=True, details=mdn)
    if not mdn.ok:
        raise EdiTransportError(mdn.plain_words(), "refused", details=mdn)
    if not mics_equal(mdn.mic, mic):
        raise EdiTransportError(
            f"The partner's MDN confirms content with MIC {mdn.mic or '(none)'}, not the MIC"
            f" of what we sent ({mic}): the message was altered on the way or read"
            " differently. Treat it as not delivered and check with the partner.",
            "mic", may_have_arrived=True, details=mdn)
    warnings = [mdn.plain_words()] if mdn.modifier == "warning" else []
    return As2Receipt(message_id, mic, mdn, response.status_code, warnings)


def send(url, payload, filename, as2_from, as2_to, our_key_pem, our_cert_pem,
         partner_cert_pem, sign=True, encrypt=True, compress=False, mic_alg="sha256", *,
         timeout=60, verify_tls=True, encryption="aes256_cbc", content_type=None, auth=None):
    """Build one message and send it (see ``build_message`` and ``send_message``)."""
    headers, body, message_id, mic = build_message(
        payload, filename, as2_from, as2_to, our_key_pem, our_cert_pem, partner_cert_pem,
        sign=sign, encrypt=encrypt, compress=compress, mic_alg=mic_alg,
        encryption=encryption, content_type=content_type)
    return send_message(url, headers, body, message_id, mic, partner_cert_pem,
                        timeout=timeout, verify_tls=verify_tls, auth=auth)


# --------------------------------------------------------------------------- receiving

class IncomingMessage(tuple):
    """``(payload, filename, mic, message_id)`` plus what the MDN needs: ``mic_alg``,
    ``signed``, ``encrypted``, ``compressed``, ``as2_from``, ``as2_to``, ``mdn_requested``,
    ``signed_mdn_requested``."""

    def __new__(cls, payload, filename, mic, message_id, **extra):
        self = super().__new__(cls, (payload, filename, mic, message_id))
        self.__dict__.update(extra)
        return self

    payload = property(lambda self: self[0])
    filename = property(lambda self: self[1])
    mic = property(lambda self: self[2])
    message_id = property(lambda self: self[3])


def mdn_request(headers):
    """``(mdn requested, signed MDN requested, MIC algorithm to use)`` from the sender's
    Disposition-Notification-* headers."""
    headers = {k.lower(): v for k, v in headers.items()}
    requested = bool(headers.get("disposition-notification-to"))
    options = headers.get("disposition-notification-options", "")
    signed = "pkcs7-signature" in options.lower()
    alg = "sha256"
    for option in options.split(";"):
        name, _, value = option.partition("=")
        if name.strip().lower() == "signed-receipt-micalg":
            for candidate in [v.strip() for v in value.split(",")][1:]:
                try:
                    alg = cms.hash_name(candidate)
                    break
                except cms.CmsError:
                    continue
    return requested, signed, alg


def mdn_delivery_url(headers):
    """The URL a sender asks its MDN to be posted to (RFC 4130 section 7.3:
    ``Receipt-Delivery-Option``), or None for a synchronous MDN. Only HTTP(S) URLs are
    honoured (an SMTP receipt is not supported)."""
    headers = {k.lower(): v for k, v in headers.items()}
    if not headers.get("disposition-notification-to"):
        return None
    url = (headers.get("receipt-delivery-option") or "").strip()
    parsed = urllib.parse.urlsplit(url)
    return url if parsed.scheme in ("http", "https") and parsed.hostname else None


def same_host(url, other_url):
    """Whether two URLs name the same host (an asynchronous MDN goes only to the partner's
    own AS2 server: the Receipt-Delivery-Option header is not covered by the signature)."""
    left, right = urllib.parse.urlsplit(url or ""), urllib.parse.urlsplit(other_url or "")
    return bool(left.hostname) and left.hostname == right.hostname


def post_mdn(url, mdn_headers, mdn_body, *, timeout=60, verify_tls=True):
    """Post an asynchronous MDN to the URL its sender gave; raises ``EdiTransportError``
    (``unreachable``, ``timeout``, ``http``) when the sender did not take it."""
    session = requests.Session()
    session.trust_env = not _is_loopback(url)
    try:
        response = session.post(url, data=mdn_body, headers=mdn_headers, timeout=timeout,
                                verify=verify_tls, allow_redirects=False)
    except requests.exceptions.Timeout as exc:
        raise EdiTransportError(f"The MDN URL {url} did not answer within {timeout:g} seconds.",
                                "timeout", may_have_arrived=True) from exc
    except requests.exceptions.RequestException as exc:
        raise EdiTransportError(f"The MDN URL {url} cannot be reached: {exc}",
                                "unreachable") from exc
    finally:
        session.close()
    if response.status_code >= 300:
        raise EdiTransportError(
            f"The MDN URL {url} answered HTTP {response.status_code}"
            f" {response.reason or ''}".rstrip() + ".", "http")


def parse_incoming(headers, body, our_key_pem, our_cert_pem, partner_cert_pem, *,
                   require_signature=False, require_encryption=False, our_as2_id=None,
                   partner_as2_id=None):
    """Decrypt, decompress and verify an incoming AS2 message. Returns an
    ``IncomingMessage`` (unpacks as ``payload, filename, mic, message_id``); raises
    ``EdiTransportError`` whose ``kind`` is the RFC 4130 disposition to answer with and whose
    ``details`` hold ``message_id`` and ``mic_alg``."""
    try:
        return _parse_incoming(
            headers, body, our_key_pem, our_cert_pem, partner_cert_pem,
            require_signature=require_signature, require_encryption=require_encryption,
            our_as2_id=our_as2_id, partner_as2_id=partner_as2_id)
    except EdiTransportError:
        raise
    except Exception as exc:  # noqa: BLE001 - whatever is malformed: an MDN must still go out
        lowered = {k.lower(): v for k, v in headers.items()}
        raise EdiTransportError(
            f"The AS2 message cannot be read ({type(exc).__name__}).",
            "unexpected-processing-error",
            details={"message_id": (lowered.get("message-id") or "").strip() or None,
                     "mic_alg": mdn_request(lowered)[2],
                     "as2_from": _unquote(lowered.get("as2-from")),
                     "as2_to": _unquote(lowered.get("as2-to"))}) from exc


def _parse_incoming(headers, body, our_key_pem, our_cert_pem, partner_cert_pem, *,
                    require_signature, require_encryption, our_as2_id, partner_as2_id):
    headers = {k.lower(): v for k, v in headers.items()}
    message_id = headers.get("message-id", "").strip() or None
    requested, signed_requested, mic_alg = mdn_request(headers)
    as2_from, as2_to = _unquote(headers.get("as2-from")), _unquote(headers.get("as2-to"))
    context = {"message_id": message_id, "mic_alg": mic_alg, "as2_from": as2_from,
               "as2_to": as2_to}

    def fail(message, code, exc=None):
        error = EdiTransportError(message, code, details=context)
        if exc is not None:
            raise error from exc
        raise error

    if our_as2_id is not None and as2_to != our_as2_id:
        fail(f"The message is addressed to AS2 id {as2_to!r}, not ours ({our_as2_id!r}).",
             "unknown-trading-partner")
    if partner_as2_id is not None and as2_from != partner_as2_id:
        fail(f"The message comes from AS2 id {as2_from!r}, not the partner's"
             f" ({partner_as2_id!r}).", "unknown-trading-partner")
    entity = _entity([("Content-Type", headers.get("content-type", "application/octet-stream"))],
                     _decode_body(headers, body))
    signed = encrypted = compressed = False
    mic = None
    for _depth in range(6):
        part_headers, part_body = split_entity(entity)
        ctype, params = content_type(part_headers.get("content-type"))
        if ctype in ("application/pkcs7-mime", "application/x-pkcs7-mime"):
            der = _decode_body(part_headers, part_body)
            kind = (params.get("smime-type") or "").lower() or {
                "enveloped_data": "enveloped-data",
                "compressed_data": "compressed-data"}.get(cms.content_type_of(der), "")
            try:
                if kind == "enveloped-data":
                    entity = cms.decrypt(der, our_key_pem, our_cert_pem)
                    encrypted = True
                    if not signed:
                        mic = format_mic(cms.digest(entity, mic_alg), mic_alg)
                elif kind == "compressed-data":
                    entity = cms.decompress(der)
                    compressed = True
                else:
                    fail(f"Unsupported S/MIME content {kind or ctype!r}.", "unsupported-format")
            except cms.CmsError as exc:
                fail(str(exc), exc.code, exc)
            continue
        if ctype == "multipart/signed":
            try:
                first, sig_entity = multipart_parts(part_body, params["boundary"])[:2]
            except (KeyError, ValueError) as exc:
                fail("The signed message is not readable multipart/signed MIME.",
                     "authentication-failed", exc)
            sig_headers, sig_body = split_entity(sig_entity)
            try:
                signature = _decode_body(sig_headers, sig_body)
            except ValueError as exc:
                fail("The signature part is damaged and cannot be read.",
                     "authentication-failed", exc)
            try:
                cms.verify_detached(first, signature, partner_cert_pem)
            except cms.CmsError as exc:
                fail(str(exc), exc.code, exc)
            signed = True
            mic = format_mic(cms.digest(first, mic_alg), mic_alg)
            entity = first
            continue
        payload = _decode_body(part_headers, part_body)
        filename = _filename(part_headers)
        if mic is None:
            mic = format_mic(cms.digest(payload, mic_alg), mic_alg)
        break
    else:
        fail("The message nests too many S/MIME layers.", "unexpected-processing-error")
    if require_encryption and not encrypted:
        fail("The message was not encrypted; the partnership requires encryption.",
             "insufficient-message-security")
    if require_signature and not signed:
        fail("The message was not signed; the partnership requires signatures.",
             "insufficient-message-security")
    return IncomingMessage(
        payload, filename, mic, message_id, mic_alg=mic_alg, signed=signed,
        encrypted=encrypted, compressed=compressed, as2_from=as2_from, as2_to=as2_to,
        content_type=ctype, mdn_requested=requested, signed_mdn_requested=signed_requested)


def build_mdn(original_message_id, as2_from, as2_to, mic=None, *, error=None, warning=None,
              failure=None, sign=True, our_key_pem=None, our_cert_pem=None, mic_alg="sha256",
              text=None):
    """``(http headers, body)`` of a synchronous MDN: from us (``as2_from``, the receiver of
    the original message) to its sender (``as2_to``). ``error`` / ``warning`` are RFC 4130
    codes (``decryption-failed``...); ``failure`` a free ``failed/failure`` reason."""
    if failure:
        disposition = f"automatic-action/MDN-sent-automatically; failed/failure: {failure}"
    elif error:
        disposition = f"automatic-action/MDN-sent-automatically; processed/error: {error}"
    elif warning:
        disposition = f"automatic-action/MDN-sent-automatically; processed/warning: {warning}"
    else:
        disposition = "automatic-action/MDN-sent-automatically; processed"
    if text is None:
        if error or failure:
            text = (f"The AS2 message {original_message_id} was received but not processed:"
                    f" {DISPOSITION_WORDS.get(error or '', error or failure)}.")
        else:
            text = (f"The AS2 message {original_message_id} has been received and processed."
                    " This receipt does not guarantee that its content has been acted on.")
    fields = [
        ("Reporting-UA", REPORTING_UA),
        ("Original-Recipient", f"rfc822; {as2_from}"),
        ("Final-Recipient", f"rfc822; {as2_from}"),
        ("Original-Message-ID", original_message_id or "<unknown>"),
    ]
    if mic and not (error or failure):
        fields.append(("Received-Content-MIC", mic))
    fields.append(("Disposition", disposition))
    notification = "".join(f"{k}: {v}\r\n" for k, v in fields).encode()
    boundary = "----=_ACORN_MDN_" + secrets.token_hex(12)
    b = boundary.encode()
    report_body = (
        b"--" + b + b"\r\n"
        + _entity([("Content-Type", "text/plain; charset=utf-8"),
                   ("Content-Transfer-Encoding", "8bit")], text.encode() + b"\r\n")
        + b"\r\n--" + b + b"\r\n"
        + _entity([("Content-Type", "message/disposition-notification"),
                   ("Content-Transfer-Encoding", "7bit")], notification)
        + b"\r\n--" + b + b"--\r\n")
    entity = _entity([("Content-Type", f"multipart/report;"
                                       f" report-type=disposition-notification;"
                                       f' boundary="{boundary}"')], report_body)
    if sign and our_key_pem and our_cert_pem:
        entity = _sign_entity(entity, our_key_pem, our_cert_pem, cms.hash_name(mic_alg))
    outer, body = split_entity(entity)
    headers = {
        "AS2-Version": AS2_VERSION,
        "AS2-From": _as2_name(as2_from),
        "AS2-To": _as2_name(as2_to),
        "Message-ID": _new_message_id(as2_from),
        "Date": email.utils.formatdate(usegmt=True),
        "MIME-Version": "1.0",
        "Content-Type": outer["content-type"],
    }
    return headers, body


# --------------------------------------------------------------------------- certificates

def certificate_warnings(cert_pem, now=None, days=30):
    """Plain-words warnings about a certificate's dates: expired, expiring within ``days``,
    not yet valid. Empty when all is well."""
    cert = cms.load_certificate(cert_pem)
    now = now or datetime.datetime.now(datetime.UTC)
    if now.tzinfo is None:
        now = now.replace(tzinfo=datetime.UTC)
    start, end = cert.not_valid_before_utc, cert.not_valid_after_utc
    who = cms._describe(cert)
    warnings = []
    if now < start:
        warnings.append(
            f"The certificate {who} is not valid yet: it becomes valid on"
            f" {start:%Y-%m-%d %H:%M} UTC. Messages signed or encrypted with it before then"
            " may be refused.")
    if now >= end:
        warnings.append(
            f"The certificate {who} expired on {end:%Y-%m-%d}: messages signed or encrypted"
            " with it are refused. Exchange a new certificate with the partner now.")
    elif end - now <= datetime.timedelta(days=days):
        left = (end - now).days
        warnings.append(
            f"The certificate {who} expires on {end:%Y-%m-%d}, in {left} day(s). Exchange a"
            " new certificate with the partner now: both sides need time to switch.")
    return warnings


# --------------------------------------------------------------------------- loopback server

class LoopbackAs2Server:
    """An AS2 endpoint on 127.0.0.1: receives, decrypts, verifies, hands the payload to
    ``handler(payload, filename, headers)`` and answers an MDN (signed when the sender asks
    for one; posted afterwards to the sender's URL when it asks for it asynchronously). A
    handler that raises gets an ``unexpected-processing-error`` MDN.
    ``received`` lists ``(message_id, filename, payload)`` handled; ``mdns`` the dispositions
    sent; ``async_mdns`` the MDNs posted to ``mdn_url`` (``read_mdn``, verified with the
    partner's certificate)."""

    def __init__(self, handler, our_key_pem, our_cert_pem, partner_cert_pem, port=0, *,
                 as2_id=None, partner_as2_id=None, require_signature=True,
                 require_encryption=True, path="/as2"):
        self.handler = handler
        self._key = our_key_pem
        self._cert = our_cert_pem
        self.partner_cert_pem = partner_cert_pem
        self.requested_port = int(port or 0)
        self.as2_id = as2_id
        self.partner_as2_id = partner_as2_id
        self.require_signature = require_signature
        self.require_encryption = require_encryption
        self.path = path
        self.port = None
        self.received = []
        self.mdns = []
        self.async_mdns = []
        self._httpd = None
        self._thread = None

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}{self.path}"

    @property
    def mdn_path(self):
        return f"{self.path}/mdn"

    @property
    def mdn_url(self):
        return f"http://127.0.0.1:{self.port}{self.mdn_path}"

    def handle_mdn(self, headers, body):
        try:
            self.async_mdns.append(read_mdn(headers, body, self.partner_cert_pem))
        except EdiTransportError as exc:
            _logger.info("Loopback AS2: unreadable MDN: %s", exc)
            return 400, {}, b""
        return 200, {}, b""

    def handle(self, headers, body):
        """One POST: ``(status, headers, body)`` of the answer."""
        try:
            incoming = parse_incoming(
                headers, body, self._key, self._cert, self.partner_cert_pem,
                require_signature=self.require_signature,
                require_encryption=self.require_encryption, our_as2_id=self.as2_id,
                partner_as2_id=self.partner_as2_id)
        except EdiTransportError as exc:
            context = exc.details or {}
            _logger.info("Loopback AS2: refused message %s: %s", context.get("message_id"),
                         exc)
            return self._mdn(headers, context.get("message_id"), context.get("as2_from"),
                             context.get("as2_to"), None, error=exc.kind)
        try:
            self.handler(incoming.payload, incoming.filename, headers)
        except Exception as exc:  # noqa: BLE001 - reported to the sender in the MDN
            _logger.info("Loopback AS2: the handler failed on %s: %s", incoming.message_id,
                         exc)
            return self._mdn(headers, incoming.message_id, incoming.as2_from,
                             incoming.as2_to, None, error="unexpected-processing-error")
        self.received.append((incoming.message_id, incoming.filename, incoming.payload))
        return self._mdn(headers, incoming.message_id, incoming.as2_from, incoming.as2_to,
                         incoming.mic)

    def _mdn(self, headers, message_id, as2_from, as2_to, mic, error=None):
        requested, signed, mic_alg = mdn_request(headers)
        self.mdns.append((message_id, error or "processed"))
        if not requested:
            return 200, {}, b""
        mdn_headers, mdn_body = build_mdn(
            message_id, self.as2_id or as2_to, as2_from, mic, error=error, sign=signed,
            our_key_pem=self._key, our_cert_pem=self._cert, mic_alg=mic_alg)
        url = mdn_delivery_url(headers)
        if url and not error:  # an unverified message's address is never called
            threading.Thread(target=self._post_mdn_quietly, args=(url, mdn_headers, mdn_body),
                             daemon=True, name="loopback-as2-mdn").start()
            return 200, {}, b""
        return 200, mdn_headers, mdn_body

    @staticmethod
    def _post_mdn_quietly(url, mdn_headers, mdn_body):
        try:
            post_mdn(url, mdn_headers, mdn_body, timeout=10)
        except EdiTransportError as exc:
            _logger.info("Loopback AS2: asynchronous MDN to %s failed: %s", url, exc)

    def start(self):
        if self._httpd is not None:
            return self
        self._httpd, self._thread = serve_as2(self, "127.0.0.1", self.requested_port,
                                              b"ACORN loopback AS2\n", "loopback-as2")
        self.port = self._httpd.server_address[1]
        return self

    def stop(self):
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._thread.join(timeout=5)
        self._httpd = self._thread = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
        return False


def serve_as2(owner, host, port, banner, name):
    """An HTTP server thread answering POSTs to ``owner.path`` with ``owner.handle(headers,
    body) -> (status, headers, body)``; GET shows ``banner``. Returns ``(httpd, thread)``."""

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self):  # noqa: N802 - http.server's name
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length)
            path = self.path.split("?")[0]
            if path == getattr(owner, "mdn_path", None):  # an asynchronous MDN
                self._answer(*owner.handle_mdn(dict(self.headers.items()), body))
                return
            if path != owner.path:
                self._answer(404, {}, b"")
                return
            status, headers, answer = owner.handle(dict(self.headers.items()), body)
            self._answer(status, headers, answer)

        def do_GET(self):  # noqa: N802
            self._answer(200, {"Content-Type": "text/plain"}, banner)

        def _answer(self, status, headers, body):
            self.send_response(status)
            for header, value in headers.items():
                self.send_header(header, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, fmt, *args):
            _logger.debug(name + ": " + fmt, *args)

    httpd = http.server.ThreadingHTTPServer((host, port), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.1},
                              name=f"{name}-{httpd.server_address[1]}", daemon=True)
    thread.start()
    return httpd, thread
