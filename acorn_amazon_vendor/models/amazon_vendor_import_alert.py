from odoo import _, fields, models


class AmazonVendorAccount(models.Model):
    """A whole purchase order import that fails (credentials refused, Amazon unreachable) is
    told to the "PO import failed" subscribers once per outage: the next import that works
    ends the outage. Without subscribers it stays a chatter message, as before."""

    _inherit = "amazon.vendor.account"

    import_failure_alerted = fields.Boolean(readonly=True, copy=False)

    def _amazon_vendor_alert_import_failed(self, reason):
        result = super()._amazon_vendor_alert_import_failed(reason)
        if not self.import_failure_alerted:
            self.import_failure_alerted = True
            self._amazon_vendor_notify(
                self, _("Amazon purchase orders of %s cannot be imported", self.name),
                _("Purchase order import failed: %s", reason), warning=True,
                alert_type="po_import_failed", subscribers_only=True)
        return result

    def _import_purchase_orders_locked(self, now, commit):
        stats = super()._import_purchase_orders_locked(now, commit)
        if self.import_failure_alerted:
            self.import_failure_alerted = False
        return stats
