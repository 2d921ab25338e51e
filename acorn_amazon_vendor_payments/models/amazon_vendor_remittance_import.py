"""Remittances from Amazon's Finance Remittance API, per account and marketplace, by cron."""
import datetime
import logging

from odoo import _, api, fields, models
from odoo.addons.acorn_amazon_vendor.lib.mapping import remittance as remittance_mapping
from odoo.addons.acorn_amazon_vendor.lib.transport import AmazonApiError
from odoo.exceptions import UserError, ValidationError

_logger = logging.getLogger(__name__)
MAX_DAYS_BACK = 365  # Amazon keeps a year of remittances


class AmazonVendorAccount(models.Model):
    _inherit = "amazon.vendor.account"

    def _amazon_vendor_import_remittances(self, now=None):
        """Read the remittances of the look-back period (and since the last complete run, so
        that an outage loses nothing Amazon still keeps), store the new ones, match and book
        them, each on its own: one payment that cannot be read or booked is said and read
        again next run, never holding the others. Returns the new remittances."""
        self.ensure_one()
        now = now or fields.Datetime.now()
        days = min(max(self.remittance_import_days, 1), MAX_DAYS_BACK)
        start = now - datetime.timedelta(days=days)
        if self.last_remittance_import_at:
            start = max(min(start, self.last_remittance_import_at - datetime.timedelta(days=1)),
                        now - datetime.timedelta(days=MAX_DAYS_BACK))
        Remittance = self.env["amazon.vendor.remittance"]
        stored = {r.unique_payment_id: r for r in Remittance.search(
            [("account_id", "=", self.id)])}
        known = set(stored)
        created, failures = Remittance, []
        with self._amazon_vendor_api() as api:
            for marketplace in self.marketplace_ids:
                for header in api.iter_remittance_headers(
                        start, now, marketplace.marketplace_id):
                    unique_id = str(header.get("uniquePaymentId") or "")
                    if unique_id in stored:
                        created |= stored.pop(unique_id)._amazon_vendor_follow_status(
                            header.get("remittanceStatus"))
                    if not unique_id or unique_id in known:
                        continue
                    known.add(unique_id)
                    try:
                        with self.env.cr.savepoint():
                            detail = api.get_remittance(unique_id, marketplace.marketplace_id)
                            parsed = remittance_mapping.parse_remittance(detail, header=header)
                            created |= Remittance._amazon_vendor_store(
                                self, [parsed], raw={unique_id: detail})
                    except AmazonApiError as exc:
                        failures.append((header, self._explain_error(
                            exc, self._get_transport_config())))
                    except (remittance_mapping.RemittanceError, UserError,
                            ValidationError) as exc:
                        failures.append((header, str(exc)))
        for header, reason in failures:
            number = header.get("paymentNumber") or header.get("uniquePaymentId") or "?"
            self._amazon_vendor_notify(
                self, _("Amazon payment %s not imported", number),
                _("Amazon payment %(number)s could not be imported (it is read again at the "
                  "next run): %(reason)s", number=number, reason=reason), warning=True)
        if not failures:  # else the next run reads again from the last complete one
            self.last_remittance_import_at = now
        created._amazon_vendor_match()
        created.filtered(lambda r: r.state == "draft")._amazon_vendor_book_each()
        return created

    @api.model
    def _cron_import_remittances(self):
        accounts = self.search([("remittance_journal_id", "!=", False)])
        in_cron = bool(self.env.context.get("ir_cron_progress_id"))
        for done, account in enumerate(accounts, 1):
            try:
                with self.env.cr.savepoint():
                    account._amazon_vendor_import_remittances()
            except AmazonApiError as exc:
                account.message_post(body=_("Amazon's remittances could not be read: %s",
                                            account._explain_error(
                                                exc, account._get_transport_config())))
            except Exception as exc:  # noqa: BLE001 - one account never stops the others
                _logger.info("Amazon Vendor account %s: remittance import failed (%s: %s)",
                             account.id, type(exc).__name__, exc)
                account.message_post(body=_("Amazon's remittances could not be imported: "
                                            "%(type)s: %(error)s", type=type(exc).__name__,
                                            error=exc))
            if in_cron:
                self.env.cr.commit()  # pylint: disable=invalid-commit  # a cron keeps done work
            self.env["ir.cron"]._notify_progress(done=done, remaining=len(accounts) - done)

    def action_import_remittances(self):
        self.ensure_one()
        self._amazon_vendor_check_manager(
            _("Only an Amazon Vendor manager can import remittances from Amazon."))
        try:
            created = self._amazon_vendor_import_remittances()
        except AmazonApiError as exc:
            raise self._amazon_vendor_user_error(exc) from None
        return {
            "type": "ir.actions.client", "tag": "display_notification",
            "params": {
                "title": _("Amazon remittances"), "type": "success",
                "message": _("%(new)s new remittances, %(booked)s booked.", new=len(created),
                             booked=len(created.filtered(
                                 lambda r: r.state in ("reconciling", "booked")))),
                "next": {"type": "ir.actions.client", "tag": "soft_reload"}}}

    def _amazon_vendor_user_error(self, exc):
        return UserError(self._explain_error(exc, self._get_transport_config()))
