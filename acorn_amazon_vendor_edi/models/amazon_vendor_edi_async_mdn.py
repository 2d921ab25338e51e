"""Asynchronous MDNs (RFC 4130 section 7.3): a sender that gives a Receipt-Delivery-Option URL
gets an empty HTTP answer at once and the signed MDN posted to that URL afterwards, by a
scheduled job that retries until the sender takes it. Only a message that was verified as
Amazon's, asking for a URL on the host of Amazon's AS2 URL, is answered this way (the header
is not covered by the signature): otherwise the MDN goes back in the HTTP answer."""
import base64
import datetime
import json
import logging

from odoo import _, api, fields, models

from ..lib.transport import as2

_logger = logging.getLogger(__name__)
MDN_ATTEMPTS = 10  # posts tried before people are told
RETRY_AFTER = datetime.timedelta(minutes=15)
POST_TIMEOUT = 20  # seconds: one post per step of the job, well inside Odoo's time limit


class AmazonVendorEdiInterchange(models.Model):
    _inherit = "amazon.vendor.edi.interchange"

    mdn_url = fields.Char(string="MDN Address", readonly=True,
                          help="Where the sender asked the receipt (MDN) of this AS2 message to "
                               "be posted.")
    mdn_state = fields.Selection(
        [("pending", "To Send"), ("sent", "Sent"), ("failed", "Not Delivered")],
        string="Receipt (MDN)", readonly=True, index="btree_not_null")
    mdn_attempts = fields.Integer(string="MDN Attempts", readonly=True)
    mdn_next_try = fields.Datetime(string="MDN Next Attempt", readonly=True)
    mdn_error = fields.Text(string="MDN Problem", readonly=True)
    mdn_message = fields.Binary(string="MDN as Posted", attachment=True, readonly=True,
                                groups="base.group_system",
                                help="The signed MDN as posted: headers (JSON) and body.")

    def _edi_queue_async_mdn(self, url, mdn_headers, mdn_body):
        """Keep the MDN of this interchange's AS2 message for ``url`` and start the job."""
        self.ensure_one()
        message = json.dumps({"headers": mdn_headers,
                              "body": base64.b64encode(mdn_body).decode()}).encode()
        self.sudo().write({"mdn_url": url, "mdn_state": "pending", "mdn_attempts": 0,
                           "mdn_error": False, "mdn_next_try": fields.Datetime.now(),
                           "mdn_message": base64.b64encode(message)})
        self.env.ref("acorn_amazon_vendor_edi.ir_cron_edi_async_mdn")._trigger()

    def _edi_post_async_mdn(self):
        """One attempt; whatever goes wrong counts as a failed attempt, said on the file."""
        self.ensure_one()
        record = self.sudo().with_context(bin_size=False)
        try:
            message = json.loads(base64.b64decode(record.mdn_message))
            as2.post_mdn(record.mdn_url, message["headers"], base64.b64decode(message["body"]),
                         timeout=POST_TIMEOUT)
        except Exception as exc:  # noqa: BLE001 - transport or stored data: one more attempt
            attempts = record.mdn_attempts + 1
            record.write({"mdn_attempts": attempts, "mdn_error": str(exc),
                          "mdn_state": "failed" if attempts >= MDN_ATTEMPTS else "pending",
                          "mdn_next_try": fields.Datetime.now() + RETRY_AFTER})
            _logger.info("EDI file %s: MDN not delivered (%s)", record.id, type(exc).__name__)
            if attempts >= MDN_ATTEMPTS:
                record.account_id._amazon_vendor_notify(
                    record, _("The receipt (MDN) of %s could not be delivered", record.file_name),
                    _("Amazon asked for the receipt of this AS2 message at %(url)s; %(count)s "
                      "attempts failed, the last one: %(error)s. Amazon may send the message "
                      "again (it is kept once).", url=record.mdn_url, count=attempts,
                      error=exc), warning=True)
            return False
        record.write({"mdn_state": "sent", "mdn_attempts": record.mdn_attempts + 1,
                      "mdn_error": False, "mdn_next_try": False})
        return True

    @api.model
    def _cron_edi_send_async_mdns(self):
        """One MDN due per step (Odoo's scheduler commits each step and calls again while
        some are due), oldest first; a failed one waits RETRY_AFTER."""
        due = [("mdn_state", "=", "pending"), ("mdn_next_try", "<=", fields.Datetime.now())]
        record = self.sudo().search(due, order="id", limit=1)
        if not record:
            return
        record._edi_post_async_mdn()
        self.env["ir.cron"]._notify_progress(done=1, remaining=self.sudo().search_count(due))
