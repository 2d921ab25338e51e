"""AS2 for Amazon's EDI partner (edi_partner.py): one endpoint on 127.0.0.1 receiving the
vendors' signed and encrypted files (partners told apart by AS2-From) and answering each with
a synchronous MDN; a sender thread posting Amazon's files (850/ORDERS, 997/CONTRL) to each
AS2 partner's own URL and checking its MDN, synchronous, or asynchronous for a partner set up
with ``as2_async_mdn`` (posted by the vendor to ``<endpoint>/mdn``, checked on arrival). The
AS2 work itself is the EDI addon's (``transport.as2``); this module only routes."""
import logging
import queue
import threading

_logger = logging.getLogger(__name__)


def _name(value):
    value = (value or "").strip()
    if len(value) >= 2 and value[0] == value[-1] == '"':
        value = value[1:-1].replace('\\"', '"')
    return value


class As2Endpoint:
    """Amazon's AS2 URL and outbox for the EDI partner ``partner``."""

    def __init__(self, partner, identity, host="127.0.0.1", port=0, path="/as2"):
        self.partner = partner
        self.identity = identity  # Amazon's key and certificate (TestIdentity)
        self.host, self.requested_port, self.path = host, int(port or 0), path
        self.port = None
        self._httpd = None
        self._thread = None
        self._outbox = queue.Queue()
        self._sender = None
        self._awaiting = {}  # message id -> (account, log entry, MIC) of an asynchronous MDN
        self._lock = threading.Lock()

    @property
    def as2(self):
        return self.partner.lib["transport.as2"]

    @property
    def url(self):
        return f"http://{self.host}:{self.port}{self.path}" if self.port else None

    @property
    def mdn_path(self):
        return f"{self.path}/mdn"

    # -- incoming ---------------------------------------------------------------------------
    def handle(self, headers, body):
        """One POST: ``(status, headers, body)``, the MDN when one is asked for."""
        as2 = self.as2
        lowered = {k.lower(): v for k, v in headers.items()}
        as2_from, as2_to = _name(lowered.get("as2-from")), _name(lowered.get("as2-to"))
        message_id = (lowered.get("message-id") or "").strip() or None
        account = self.partner.as2_account(as2_from)
        if account is None or as2_to != account.amazon_as2_id:
            _logger.info("EDI partner AS2: message %s from unknown AS2 id %r to %r",
                         message_id, as2_from, as2_to)
            return self._mdn(headers, message_id, as2_to, as2_from, None,
                             error="unknown-trading-partner")
        try:
            incoming = as2.parse_incoming(
                headers, body, self.identity.key_pem, self.identity.cert_pem,
                account.as2_certificate, require_signature=True, require_encryption=True,
                our_as2_id=account.amazon_as2_id, partner_as2_id=account.as2_id)
        except self.partner.lib["transport"].EdiTransportError as exc:
            _logger.info("EDI partner AS2: refused message %s: %s", message_id, exc)
            self.partner.log_as2_refusal(account, message_id, str(exc))
            return self._mdn(headers, message_id, account.amazon_as2_id, as2_from, None,
                             error=exc.kind)
        name = incoming.filename or f"as2-{len(account.files) + 1}.edi"
        try:
            self.partner.received_file(account, name, incoming.payload,
                                       transport="as2", message_id=incoming.message_id)
        except Exception:  # noqa: BLE001 - the sender learns it from the MDN
            _logger.exception("EDI partner AS2: %s could not be handled", name)
            return self._mdn(headers, incoming.message_id, account.amazon_as2_id, as2_from,
                             None, error="unexpected-processing-error")
        return self._mdn(headers, incoming.message_id, account.amazon_as2_id, as2_from,
                         incoming.mic)

    def _mdn(self, headers, message_id, as2_from, as2_to, mic, error=None):
        requested, signed, mic_alg = self.as2.mdn_request(headers)
        if not requested:
            return 200, {}, b""
        mdn_headers, mdn_body = self.as2.build_mdn(
            message_id, as2_from or "AMAZON", as2_to or "UNKNOWN", mic, error=error,
            sign=signed, our_key_pem=self.identity.key_pem,
            our_cert_pem=self.identity.cert_pem, mic_alg=mic_alg)
        return 200, mdn_headers, mdn_body

    def handle_mdn(self, headers, body):
        """An asynchronous MDN the vendor posts for one of Amazon's messages: verified with
        the vendor's certificate, its MIC compared with what was sent."""
        as2 = self.as2
        lowered = {k.lower(): v for k, v in headers.items()}
        account = self.partner.as2_account(_name(lowered.get("as2-from")))
        if account is None:
            return 403, {}, b""
        try:
            mdn = as2.read_mdn(headers, body, account.as2_certificate)
        except self.partner.lib["transport"].EdiTransportError as exc:
            _logger.info("EDI partner AS2: unreadable MDN from %s: %s", account.as2_id, exc)
            return 400, {}, b""
        with self._lock:
            awaited = self._awaiting.pop((mdn.original_message_id or "").strip(), None)
        if awaited is None:
            return 404, {}, b""
        _account, entry, mic = awaited
        same = as2.mics_equal(mdn.mic, mic)
        entry.update(mdn=mdn.plain_words() if same or not mdn.ok
                     else f"The MDN confirms MIC {mdn.mic}, not {mic}.",
                     mdnAsync=True, mdnOk=bool(mdn.ok and same))
        return 200, {}, b""

    # -- outgoing ---------------------------------------------------------------------------
    def post(self, account, name, data, entry):
        """Queue one of Amazon's files for ``account``'s AS2 URL (sent in order, by a thread
        of its own: never from inside the vendor's own request)."""
        entry.update(transport="as2", sent=None)
        self._outbox.put((account, name, data, entry))

    def _send_loop(self):
        while True:
            job = self._outbox.get()
            try:
                if job is None:
                    return
                account, name, data, entry = job
                try:
                    if account.as2_async_mdn:
                        self._send_asking_async_mdn(account, name, data, entry)
                        continue
                    receipt = self.as2.send(
                        account.as2_url, data, name, account.amazon_as2_id, account.as2_id,
                        self.identity.key_pem, self.identity.cert_pem,
                        account.as2_certificate, timeout=30)
                    entry.update(sent=True, messageId=receipt.message_id,
                                 mdn=receipt.mdn.plain_words() if receipt.mdn else None)
                except Exception as exc:  # noqa: BLE001 - logged, the partner goes on
                    entry.update(sent=False, error=str(exc))
                    _logger.info("EDI partner AS2: %s to %s failed: %s", name,
                                 account.as2_url, exc)
            finally:
                self._outbox.task_done()

    def _send_asking_async_mdn(self, account, name, data, entry):
        headers, body, message_id, mic = self.as2.build_message(
            data, name, account.amazon_as2_id, account.as2_id, self.identity.key_pem,
            self.identity.cert_pem, account.as2_certificate,
            receipt_url=f"http://{self.host}:{self.port}{self.mdn_path}")
        # said before posting: the vendor may post its MDN (handle_mdn) before it answers
        entry.update(sent=True, messageId=message_id, mdn=None)
        with self._lock:
            self._awaiting[message_id] = (account, entry, mic)
        try:  # the answer carries no MDN: it comes later, to handle_mdn
            self.as2.send_message(account.as2_url, headers, body, message_id, mic,
                                  account.as2_certificate, timeout=30)
        except Exception:
            with self._lock:
                self._awaiting.pop(message_id, None)
            raise

    def pending(self):
        return self._outbox.unfinished_tasks

    # -- life -------------------------------------------------------------------------------
    def start(self):
        if self._httpd is not None:
            return self
        self._httpd, self._thread = self.as2.serve_as2(
            self, self.host, self.requested_port,
            b"Amazon Vendor Central simulator: AS2\n", "edi-partner-as2")
        self.port = self._httpd.server_address[1]
        self._sender = threading.Thread(target=self._send_loop, daemon=True,
                                        name=f"edi-partner-as2-out-{self.port}")
        self._sender.start()
        return self

    def stop(self):
        if self._sender is not None:
            self._outbox.put(None)
            self._sender.join(timeout=5)
            self._sender = None
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._thread.join(timeout=5)
        self._httpd = self._thread = None
        self.port = None
