"""Documents whose type this account exchanges over EDI leave as files instead of API calls.

The document ledger talks to one object per account that looks like the API client
(``VendorApi``): ``EdiRouter`` hands each operation to EDI or to the API according to the
account's channel for that document type, so the ledger's claims, journal, retries and polling
work unchanged for both channels. An EDI "transaction" is the interchange: its status is the
functional acknowledgement (997 / CONTRL) Amazon sends back."""
import base64
import json
import logging

from odoo import _, fields, models
from odoo.addons.acorn_amazon_vendor.lib.transport import AmazonApiError

from ..lib import codecs
from ..lib.envelope import EdiError
from ..lib.transport import EdiTransportError, SftpTransport, as2

_logger = logging.getLogger(__name__)
TRANSACTION_PREFIX = "EDI-"
# submit operation -> (ledger kind, key of the documents in the API body)
SUBMISSIONS = {
    "submit_acknowledgement": ("acknowledgement", "acknowledgements"),
    "submit_shipment_confirmations": ("shipment_confirmation", "shipmentConfirmations"),
    "submit_invoices": ("invoice", "invoices"),
}


class _Sent:
    """What the ledger's recorder keeps of a request: the business document as JSON (the EDI
    file itself is kept on the interchange)."""

    def __init__(self, body):
        self.request = self
        self.content = json.dumps(body, sort_keys=True).encode()


class EdiRouter:
    def __init__(self, account, api_factory, on_response=None):
        self._account = account
        self._api_factory = api_factory
        self._api = None
        self._on_response = on_response

    def _client(self):
        if self._api is None:  # built only when a document really goes to the API
            self._api = self._api_factory()
        return self._api

    def __getattr__(self, name):
        return getattr(self._client(), name)

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()

    def close(self):
        if self._api is not None:
            self._api.close()

    def _submit(self, operation, body):
        kind, key = SUBMISSIONS[operation]
        if self._account._amazon_vendor_channel(kind) != "edi":
            return getattr(self._client(), operation)(body)
        documents = (body or {}).get(key) or []
        transaction_id = self._account._edi_send(kind, documents)
        if self._on_response:
            self._on_response(_Sent(body), 0.0)
        return transaction_id

    def submit_acknowledgement(self, body):
        return self._submit("submit_acknowledgement", body)

    def submit_shipment_confirmations(self, body):
        return self._submit("submit_shipment_confirmations", body)

    def submit_invoices(self, body):
        return self._submit("submit_invoices", body)

    def get_transaction(self, transaction_id):
        if str(transaction_id or "").startswith(TRANSACTION_PREFIX):
            return self._account._edi_transaction_status(transaction_id)
        return self._client().get_transaction(transaction_id)

    def iter_purchase_order_pages(self, *args, **kwargs):
        if self._account._amazon_vendor_channel("purchase_order") == "edi":
            return iter(())  # 850 / ORDERS files arrive with the EDI receive cron
        return self._client().iter_purchase_order_pages(*args, **kwargs)


class AmazonVendorAccount(models.Model):
    _inherit = "amazon.vendor.account"

    def _amazon_vendor_api(self, on_response=None):
        if not self.edi_enabled:
            return super()._amazon_vendor_api(on_response=on_response)
        return EdiRouter(self, lambda: super(AmazonVendorAccount, self)._amazon_vendor_api(
            on_response=on_response), on_response=on_response)

    def _edi_file_name(self, message_type, control):
        return f"{self.edi_standard}_{message_type}_{(self.edi_our_id or 'ACORN')}" \
               f"_{control:09d}.edi".replace(" ", "_").replace("/", "_")

    def _edi_send(self, kind, documents):
        """Write one interchange holding ``documents``, upload it, keep it; returns the
        transaction id the ledger polls. Raises AmazonApiError as the API client would."""
        self.ensure_one()
        problems = self._edi_problems()
        if problems:
            raise AmazonApiError("bad_request", " ".join(problems), may_have_arrived=False)
        if len(documents) != 1:
            raise AmazonApiError("bad_request", _("One EDI file carries one document; %s were "
                                                  "given.", len(documents)),
                                 may_have_arrived=False)
        control = self._edi_next_control()
        envelope = self._edi_envelope(control)
        try:
            data = codecs.write_document(self.edi_standard, kind, documents[0], envelope)
        except EdiError as exc:
            raise AmazonApiError("bad_request", _("The EDI file cannot be written: %s", exc),
                                 may_have_arrived=False) from None
        message_type = codecs.MESSAGE_TYPES[self.edi_standard][kind]
        name = self._edi_file_name(message_type, control)
        self._edi_upload(name, data)
        transaction_id = f"{TRANSACTION_PREFIX}{self.id}-{control}"
        self.env["amazon.vendor.edi.interchange"].sudo().create({
            "account_id": self.id, "direction": "out", "standard": self.edi_standard,
            "message_type": message_type, "kind": kind, "interchange_control": str(control),
            "file_name": name, "file": base64.b64encode(data), "state": "sent",
            "transaction_id": transaction_id})
        return transaction_id

    def _edi_upload(self, name, data):
        """Deliver one file to Amazon: an SFTP upload, or an AS2 message whose signed MDN
        (checked against our MIC) proves Amazon received it."""
        try:
            if self.edi_transport == "as2":
                routing = self.sudo()
                as2.send(routing.edi_as2_url, data, name, self.edi_as2_our_id,
                         self.edi_as2_amazon_id, routing.edi_as2_private_key,
                         self.edi_as2_certificate, self.edi_as2_partner_certificate,
                         timeout=self.timeout or 60)
                return
            with self._edi_transport() as transport:
                transport.upload(name, data)
        except EdiTransportError as exc:
            raise AmazonApiError(
                "connection", _("The EDI file %(name)s could not be delivered: %(error)s",
                                name=name, error=exc),
                may_have_arrived=bool(getattr(exc, "may_have_arrived", False))) from None

    def _edi_transaction_status(self, transaction_id):
        """The ledger's view of an interchange: Processing until Amazon's 997 / CONTRL."""
        interchange = self.env["amazon.vendor.edi.interchange"].sudo().search(
            [("account_id", "=", self.id), ("direction", "=", "out"),
             ("transaction_id", "=", transaction_id)], limit=1)
        if not interchange:
            raise AmazonApiError("not_found", _("No EDI file was sent under %s.",
                                                transaction_id))
        if interchange.state == "accepted":
            return {"transactionId": transaction_id, "status": "Success"}
        if interchange.state == "rejected":
            return {"transactionId": transaction_id, "status": "Failure", "errors": [
                {"code": "EdiRejected", "message": interchange.result or _(
                    "Amazon rejected the EDI file.")}]}
        return {"transactionId": transaction_id, "status": "Processing",
                "checkedAt": fields.Datetime.now().isoformat()}

    def _edi_transport(self):
        """The session with Amazon's EDI server (the caller closes it)."""
        self.ensure_one()
        routing = self.sudo()
        if self.edi_transport != "sftp":
            raise EdiTransportError(_("Over AS2, Amazon delivers its files to this server's "
                                      "AS2 address: there is nothing to fetch."), "config")
        return SftpTransport(
            routing.edi_sftp_host, routing.edi_sftp_port or 22, self.edi_sftp_username,
            routing.edi_sftp_private_key or None, password=routing.edi_sftp_password or None,
            host_key_fingerprint=routing.edi_sftp_host_key or None,
            upload_dir=self.edi_sftp_upload_dir, download_dir=self.edi_sftp_download_dir,
            timeout=self.timeout or 30)
