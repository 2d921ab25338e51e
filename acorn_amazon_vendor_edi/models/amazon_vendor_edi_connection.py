"""Test connection of the EDI channel: the SFTP session opened and both folders looked at, or an
AS2 test message whose signed MDN is checked; certificates that expire soon are said, and
warned about by cron well in advance."""
import logging

from odoo import _, api, fields, models

from ..lib.transport import EdiTransportError, as2

_logger = logging.getLogger(__name__)
CERTIFICATE_WARNING_DAYS = 30


class AmazonVendorAccount(models.Model):
    _inherit = "amazon.vendor.account"

    edi_connection_message = fields.Text(string="EDI Connection", readonly=True, copy=False)

    def action_test_edi_connection(self):
        self.ensure_one()
        self._amazon_vendor_check_manager(
            _("Only an Amazon Vendor manager can test the EDI connection of an account."))
        problems = self._edi_problems()
        ok = not problems
        if problems:
            message = "\n".join(problems)
        else:
            try:
                message = self._edi_test_transport()
            except EdiTransportError as exc:
                _logger.info("Amazon Vendor account %s: EDI connection test failed (%s)",
                             self.id, exc.kind)
                ok, message = False, str(exc)
        warnings = self._edi_certificate_warnings()
        if warnings:
            message = "\n".join([message, *warnings])
        if not self._amazon_vendor_may_route():
            routing = self.sudo()
            for host in (routing.edi_sftp_host, routing.edi_as2_url):
                if host:
                    message = message.replace(host, _("the address set by an administrator"))
        self.edi_connection_message = message
        return {
            "type": "ir.actions.client", "tag": "display_notification",
            "params": {
                "title": _("EDI connection OK") if ok else _("EDI connection failed"),
                "message": message, "type": "success" if ok and not warnings else (
                    "warning" if ok else "danger"),
                "sticky": not ok or bool(warnings),
                "next": {"type": "ir.actions.client", "tag": "soft_reload"}}}

    def _edi_test_transport(self):
        if self.edi_transport == "sftp":
            with self._edi_transport() as transport:
                return transport.test_connection()
        routing = self.sudo()
        receipt = as2.send(routing.edi_as2_url, b"ACORN AS2 connection test\r\n",
                           "acorn-connection-test.txt", self.edi_as2_our_id,
                           self.edi_as2_amazon_id, routing.edi_as2_private_key,
                           self.edi_as2_certificate, self.edi_as2_partner_certificate,
                           timeout=self.timeout or 60, content_type="text/plain")
        return _("Amazon's AS2 endpoint answered with a signed receipt (MDN) for message "
                 "%s: signature and content checksum (MIC) verified.",
                 getattr(receipt, "message_id", "") or "")

    def _edi_certificate_warnings(self, days=CERTIFICATE_WARNING_DAYS):
        if self.edi_transport != "as2":
            return []
        warnings = []
        for cert in (self.edi_as2_certificate, self.edi_as2_partner_certificate):
            if cert:
                try:
                    warnings += as2.certificate_warnings(cert, days=days)
                except Exception as exc:  # noqa: BLE001 - a pasted certificate may be anything
                    warnings.append(_("A certificate cannot be read: %s", exc))
        return warnings

    @api.model
    def _cron_edi_certificate_warnings(self):
        for account in self.search([("edi_enabled", "=", True), ("edi_transport", "=", "as2")]):
            warnings = account._edi_certificate_warnings()
            if warnings:
                account._amazon_vendor_notify(
                    account, _("Amazon AS2 certificates of %s", account.name),
                    "\n".join(warnings), warning=True)
